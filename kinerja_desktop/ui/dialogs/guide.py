"""Bantuan ▸ Panduan: the short user guide (``resources/panduan/panduan.html``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from kinerja_desktop.ui.common import label_buttons
from kinerja_desktop.ui.sizing import size_window

GUIDE_FILE = "panduan.html"


def guide_dir() -> Path:
    from kinerja_desktop.paths import resources_dir

    return resources_dir() / "panduan"


class GuideDialog(QDialog):
    """The guide in a QTextBrowser; links inside it jump to their section."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialogPanduan")
        self.setWindowTitle("Panduan Kinerja Desktop")
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setObjectName("teksPanduan")
        self.browser.setOpenExternalLinks(False)
        folder = guide_dir()
        self.browser.setSearchPaths([str(folder)])
        self.browser.setSource(QUrl.fromLocalFile(str(folder / GUIDE_FILE)))
        layout.addWidget(self.browser)
        buttons = label_buttons(QDialogButtonBox(QDialogButtonBox.StandardButton.Close))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        size_window(self, 780, 680)

    def show_section(self, anchor: str) -> None:
        self.browser.scrollToAnchor(anchor)


def show_guide(window: Any, anchor: str | None = None) -> GuideDialog:
    """Open (or raise) the guide beside the main window; it does not block the work."""
    dialog = getattr(window, "guide_dialog", None)
    if dialog is None:
        dialog = GuideDialog(window)
        window.guide_dialog = dialog
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    if anchor:
        dialog.show_section(anchor)
    return dialog
