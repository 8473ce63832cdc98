"""Small widgets and helpers shared by the window, tabs and dialogs.

Every dialog here speaks Indonesian (Simpan, Batal, Ya, Tidak) and shows a refusal
from a service (:class:`KinerjaError`) as a calm inline message, changing nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.errors import EditConflict, KinerjaError, ValidationError
from kinerja_desktop.domain.numbers import format_date_long, format_datetime_short
from kinerja_desktop.domain.people import PANGKAT, NipError, find_pangkat, format_nip, normalize_nip

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialogButtonBox

# QMessageBox and QDialogButtonBox are imported where used: the main window's first
# paint needs neither, and loading a Qt class with its enums is not free.

ERROR_STYLE = "color: #a61b1b;"
OK_STYLE = "color: #1b5e20;"


def show_status(label, text: str, ok: bool) -> None:
    """Show the outcome of an action in ``label``: green when done, red when refused."""
    label.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
    label.setText(text)


def show_error(parent: QWidget | None, exc: Exception,
               title: str = "Tidak dapat dilanjutkan") -> None:
    """A refusal or failure as a message box with an Indonesian OK button (an OS or
    database failure as one Indonesian line, never the system's English text)."""
    from PySide6.QtWidgets import QMessageBox

    from kinerja_desktop.system_messages import user_text

    box = QMessageBox(QMessageBox.Icon.Warning, title, user_text(exc),
                      QMessageBox.StandardButton.Ok, parent)
    box.button(QMessageBox.StandardButton.Ok).setText("Tutup")
    box.exec()


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.button(QMessageBox.StandardButton.Yes).setText("Ya")
    box.button(QMessageBox.StandardButton.No).setText("Tidak")
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def run_action(parent: QWidget | None, action: Callable[[], Any]) -> tuple[bool, Any]:
    """Run a service call; a :class:`KinerjaError` is shown and ``(False, None)`` returned."""
    try:
        return True, action()
    except KinerjaError as exc:
        show_error(parent, exc)
        return False, None


def today(ctx) -> date:
    """Today in the office (WITA) by the data's clock: the server's when the data lives on
    one, so a PC whose clock is off still proposes the right date."""
    from kinerja_desktop.domain.timing import WITA

    return ctx.now().astimezone(WITA).date()


def fmt_dt(value: datetime | None) -> str:
    return format_datetime_short(value) + " WITA" if value else "–"


def fmt_date(value: date | None) -> str:
    return format_date_long(value) if value else "–"


def label_buttons(box: QDialogButtonBox) -> QDialogButtonBox:
    """Indonesian texts for the standard buttons of ``box``."""
    from PySide6.QtWidgets import QDialogButtonBox

    texts = {
        QDialogButtonBox.StandardButton.Ok: "Oke",
        QDialogButtonBox.StandardButton.Save: "Simpan",
        QDialogButtonBox.StandardButton.Cancel: "Batal",
        QDialogButtonBox.StandardButton.Close: "Tutup",
        QDialogButtonBox.StandardButton.Yes: "Ya",
        QDialogButtonBox.StandardButton.No: "Tidak",
    }
    for button, text in texts.items():
        widget = box.button(button)
        if widget is not None:
            widget.setText(text)
    return box


class NipEdit(QLineEdit):
    """A NIP field: validated with :func:`normalize_nip`, shown as ``19710817 199101 1 001``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("18 digit, mis. 19710817 199101 1 001 (boleh kosong)")
        self.setMaxLength(40)  # 18 digits with any spaces or dots people put between
        self.editingFinished.connect(self._reformat)

    def _reformat(self) -> None:
        try:
            nip = normalize_nip(self.text())
        except NipError:
            return
        self.setText(format_nip(nip) if nip else "")

    def set_nip(self, nip: str | None) -> None:
        self.setText(format_nip(nip) if nip else "")

    def nip(self) -> str | None:
        """The 18 digits, None when empty; :class:`ValidationError` when invalid."""
        try:
            return normalize_nip(self.text())
        except NipError as exc:
            raise ValidationError(str(exc)) from None


class PangkatCombo(QComboBox):
    """Pangkat/golongan picked from the 17 official grades (or none)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem("— bukan PNS / tidak diisi —", "")
        for grade in PANGKAT:
            self.addItem(grade.label, grade.label)

    def set_pangkat(self, text: str) -> None:
        found = find_pangkat(text)
        self.setCurrentIndex(self.findData(found.label) if found else 0)

    def pangkat(self) -> str:
        return self.currentData() or ""


class DateEdit(QDateEdit):
    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("d MMMM yyyy")
        self.set_date(value or date.today())

    def set_date(self, value: date) -> None:
        self.setDate(QDate(value.year, value.month, value.day))

    def value(self) -> date:
        d = self.date()
        return date(d.year(), d.month(), d.day())


class FormDialog(QDialog):
    """A form with Simpan/Batal. Subclasses implement :meth:`save`.

    ``save`` raises a :class:`KinerjaError` for bad input: the message appears in
    :attr:`error_label` and the dialog stays open with nothing changed.
    """

    #: What Simpan does (each form defines it): saves, returns the saved value.
    save: Callable[[], Any]

    def __init__(self, title: str, parent: QWidget | None = None, ok_text: str = "Simpan") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.result_value: Any = None
        outer = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.hide()
        outer.addWidget(self.intro)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        outer.addLayout(self.form)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        outer.addWidget(self.error_label)
        from PySide6.QtWidgets import QDialogButtonBox

        self.buttons = label_buttons(QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.show()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def accept(self) -> None:
        try:
            self.result_value = self.save()
        except EditConflict as exc:
            self.edit_conflict(exc)
            return
        except KinerjaError as exc:
            self.show_error(str(exc))
            return
        self.show_error("")
        super().accept()

    def edit_conflict(self, exc: EditConflict) -> None:
        """Someone else saved the record since this form loaded it: say who and when,
        keep what was typed (a form that edits a stored record offers more, see
        :class:`RecordDialog`)."""
        self.show_error(str(exc))


class RecordDialog(FormDialog):
    """A form editing stored rows that carry a version (a person, a team, an SK, ...).

    When its save meets :class:`EditConflict` the dialog stays open with what was typed,
    names who changed the record and when, and offers two ways on:

    - **Muat ulang** puts the record as stored now into the fields (what was typed is
      dropped);
    - **Simpan** a second time replaces that other change with what was typed, knowingly:
      the dialog has taken the stored version.

    Subclasses implement :meth:`read_stored` (the record as stored now), :meth:`adopt`
    (hold that record's versions without touching the fields) and :meth:`fill` (put a
    record into the fields).
    """

    #: The hooks each record form defines (see above).
    read_stored: Callable[[], Any]
    adopt: Callable[[Any], None]
    fill: Callable[[Any], None]

    CONFLICT_HINT = ("Isian Anda belum disimpan dan tetap ada. Tekan Muat ulang untuk "
                     "menampilkan data yang tersimpan, atau Simpan sekali lagi untuk "
                     "menggantinya dengan isian Anda.")

    def __init__(self, title: str, parent: QWidget | None = None, ok_text: str = "Simpan") -> None:
        super().__init__(title, parent, ok_text)
        from PySide6.QtWidgets import QDialogButtonBox

        self.reload_button = self.buttons.addButton("Muat ulang",
                                                    QDialogButtonBox.ButtonRole.ResetRole)
        self.reload_button.setToolTip("Tampilkan data yang tersimpan sekarang; isian Anda "
                                      "yang belum tersimpan dibuang.")
        self.reload_button.clicked.connect(self.reload)
        self.reload_button.hide()

    def edit_conflict(self, exc: EditConflict) -> None:
        try:
            stored = self.read_stored()
        except KinerjaError as gone:  # removed meanwhile: nothing to reload or replace
            self.reload_button.hide()
            self.show_error(f"{exc} {gone}")
            return
        self.adopt(stored)
        self.reload_button.show()
        self.show_error(f"{exc} {self.CONFLICT_HINT}")

    def reload(self) -> None:
        """Put the record as stored now into the fields (typed input dropped)."""
        try:
            stored = self.read_stored()
        except KinerjaError as exc:
            self.show_error(str(exc))
            return
        self.adopt(stored)
        self.fill(stored)
        self.reload_button.hide()
        self.show_error("")


def status_colour(status) -> str:
    """Background colour of a :class:`StepStatus` (always shown next to its text)."""
    from kinerja_desktop.domain.timing import StepStatus

    return {
        StepStatus.BELUM_SIAP: "#eceff1",
        StepStatus.SIAP: "#e3f2fd",
        StepStatus.BERJALAN: "#fff8e1",
        StepStatus.MENDEKATI_BATAS: "#ffe0b2",
        StepStatus.MELEWATI_BATAS: "#ffcdd2",
        StepStatus.SELESAI_TEPAT_WAKTU: "#c8e6c9",
        StepStatus.SELESAI_TERLAMBAT: "#f8bbd0",
    }[status]


def status_symbol(status) -> str:
    from kinerja_desktop.domain.timing import StepStatus

    return {
        StepStatus.BELUM_SIAP: "○",
        StepStatus.SIAP: "◔",
        StepStatus.BERJALAN: "▶",
        StepStatus.MENDEKATI_BATAS: "⚠",
        StepStatus.MELEWATI_BATAS: "✖",
        StepStatus.SELESAI_TEPAT_WAKTU: "✔",
        StepStatus.SELESAI_TERLAMBAT: "✔",
    }[status]


def bold(widget: QWidget) -> QWidget:
    font = widget.font()
    font.setBold(True)
    widget.setFont(font)
    return widget


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
