"""Finding English in a window: the texts a user reads, against Qt's English defaults.

Used by ``lang_c_child.py`` (run with ``LANG=C``) and by in-process tests.
"""

from __future__ import annotations

import re

#: Qt's own English texts (buttons, menus, its file and print dialogs), as shown.
ENGLISH_DEFAULTS = frozenset({
    "OK", "Cancel", "Yes", "No", "Save", "Open", "Close", "Apply", "Reset", "Help",
    "Discard", "Abort", "Retry", "Ignore", "Save All", "Yes to All", "No to All",
    "Restore Defaults", "Copy", "Paste", "Cut", "Undo", "Redo", "Select All", "Delete",
    "Next >", "< Back", "Next", "Back", "Finish", "Commit", "Continue", "Done", "Go Back",
    "Show Details...", "Hide Details...", "Look in:", "File name:", "Files of type:",
    "Directory:", "New Folder", "Create New Folder", "Detail View", "List View",
    "Parent Directory", "Forward", "Recent Places", "Name", "Size", "Type", "Date Modified",
    "Computer", "My Computer", "Print", "Properties", "Options >>", "Options <<",
    "Location:", "Type:", "Output file:", "Preview", "Page Setup", "Print Preview",
    "Landscape", "Portrait", "Copies:", "Collate", "Reverse", "Pages from", "Print all",
    "Print range", "Current Page", "Selection", "Color", "Grayscale", "Paper", "Page size:",
    "Orientation", "Margins", "Width:", "Height:", "Step up", "Step down", "Float",
    "Scroll here", "Top", "Bottom", "Page up", "Page down", "Scroll up", "Scroll down",
    "Copy Link Location", "What's This?", "Insert Unicode control character",
    "Enter a value:", "Close Tab", "Scroll Left", "Scroll Right", "All Files (*)",
})
#: April, September and November are spelt the same in Indonesian: not counted.
MONTHS = ("January", "February", "March", "May", "June", "July", "August", "October",
          "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WORDS = re.compile(r"\b(" + "|".join(MONTHS + DAYS) + r")\b")
_TAGS = re.compile(r"<[^>]+>")

#: "No" heads a numbered column in Indonesian (nomor); only as a button is it English.
HEADER_WORDS_ALLOWED = frozenset({"No"})


def shown(text: str) -> str:
    """A text as the user reads it: no markup, no accelerator, no shortcut."""
    text = _TAGS.sub(" ", text or "").replace("&nbsp;", " ")
    text = text.split("\t")[0].replace("&&", "\0").replace("&", "").replace("\0", "&")
    return " ".join(text.split())


def english_in(text: str, *, header: bool = False) -> str | None:
    """The English found in ``text`` (a whole Qt default, or a month or day name)."""
    plain = shown(text)
    if not plain:
        return None
    if plain in ENGLISH_DEFAULTS and not (header and plain in HEADER_WORDS_ALLOWED):
        return plain
    found = _WORDS.search(plain)
    return found.group(0) if found else None


def visible_texts(window) -> list[tuple[str, str, bool]]:
    """(kind, text, is_header) of what ``window`` shows: its title, buttons, labels,
    group boxes, tabs, table headers, date and number fields, menus and their actions,
    the calendars' headers and the right-click menu of its first text field."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QCalendarWidget,
        QComboBox,
        QGroupBox,
        QHeaderView,
        QLabel,
        QLineEdit,
        QMenu,
        QTabBar,
        QTableView,
        QToolButton,
        QWidget,
    )

    found = [("judul", window.windowTitle(), False)]
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton):
            found.append(("tombol", widget.text(), False))
            found.append(("tip", widget.toolTip(), False))
        elif isinstance(widget, QLabel):
            found.append(("label", widget.text(), False))
        elif isinstance(widget, QGroupBox):
            found.append(("grup", widget.title(), False))
        elif isinstance(widget, QTabBar):
            found += [("tab", widget.tabText(i), False) for i in range(widget.count())]
        elif isinstance(widget, QHeaderView) and widget.model() is not None:
            model = widget.model()
            count = model.columnCount() if widget.orientation() == Qt.Orientation.Horizontal \
                else 0
            found += [("kepala", str(model.headerData(i, widget.orientation()) or ""), True)
                      for i in range(count)]
        elif isinstance(widget, QComboBox):
            found += [("pilihan", widget.itemText(i), False) for i in range(widget.count())]
        elif isinstance(widget, QLineEdit):
            found.append(("petunjuk", widget.placeholderText(), False))
        elif isinstance(widget, QAbstractSpinBox):  # dates typed in their fields
            found.append(("isian", widget.text(), False))
        elif isinstance(widget, QMenu):
            found.append(("menu", widget.title(), False))
        if isinstance(widget, QCalendarWidget):
            month = widget.findChild(QToolButton, "qt_calendar_monthbutton")
            found.append(("kalender", month.text() if month else "", False))
            view = widget.findChild(QTableView, "qt_calendar_calendarview")
            model = view.model()
            found += [("kalender", str(model.data(model.index(0, c)) or ""), True)
                      for c in range(model.columnCount())]
    for action in window.findChildren(QAction):
        found.append(("aksi", action.text(), False))
        if action.menu() is not None:
            found.append(("menu", action.menu().title(), False))
    field = next((w for w in window.findChildren(QLineEdit) if w.isVisible()), None)
    if field is not None:
        menu = field.createStandardContextMenu()
        found += [("klik-kanan", a.text(), False) for a in menu.actions() if a.text()]
        menu.deleteLater()
    return [(kind, text, header) for kind, text, header in found if text]


def english_texts(window) -> list[str]:
    """"kind: text" of every English text ``window`` shows."""
    hits = []
    for kind, text, header in visible_texts(window):
        word = english_in(text, header=header)
        if word is not None:
            hits.append(f"{kind}: {shown(text)!r} ({word})")
    return hits
