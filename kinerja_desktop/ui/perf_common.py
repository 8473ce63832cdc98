"""Small widgets shared by the performance-data screens: a strict Indonesian number
field, a required-text dialog (return reason, note), and the current-cycle helper.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHeaderView, QLineEdit, QPlainTextEdit, QTableView, QWidget

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.domain.numbers import NumberFormatError, format_number, parse_number
from kinerja_desktop.ui.common import ERROR_STYLE, FormDialog

NUMBER_HINT = "Tulis cara Indonesia, mis. 1.234,5"


class NumberEdit(QLineEdit):
    """A number typed the Indonesian way (1.234,5), parsed strictly, never guessed.

    :attr:`checked` is emitted on every edit with the error message ("" when the text
    is a valid number or empty); the field turns red while the text is invalid.
    """

    checked = Signal(str)

    def __init__(self, label: str, allow_negative: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.allow_negative = allow_negative
        self.setPlaceholderText(NUMBER_HINT)
        self.textChanged.connect(self._check)

    def set_value(self, value: float | Decimal | None) -> None:
        self.blockSignals(True)
        self.setText(format_number(value) if value is not None else "")
        self.blockSignals(False)
        self._check()

    def error(self) -> str:
        text = self.text().strip()
        if not text:
            return ""
        try:
            parse_number(text, allow_negative=self.allow_negative)
        except NumberFormatError as exc:
            return f"{self.label}: {exc}"
        return ""

    def value(self) -> Decimal | None:
        """The number, None when empty; :class:`ValidationError` for invalid text."""
        message = self.error()
        if message:
            raise ValidationError(message)
        text = self.text().strip()
        return parse_number(text, allow_negative=self.allow_negative) if text else None

    def _check(self) -> None:
        message = self.error()
        self.setStyleSheet(ERROR_STYLE + " border: 1px solid #a61b1b;" if message else "")
        self.setToolTip(message or NUMBER_HINT)
        self.checked.emit(message)


class TextDialog(FormDialog):
    """Asks for a required text (a return reason, a note) and hands it to ``action``."""

    def __init__(self, title: str, prompt: str, action, ok_text: str = "Simpan",
                 parent: QWidget | None = None, minimum: int = 1) -> None:
        super().__init__(title, parent, ok_text=ok_text)
        self.set_intro(prompt)
        self.action = action
        self.minimum = minimum
        self.text_edit = QPlainTextEdit()
        self.text_edit.setMinimumHeight(90)
        self.form.addRow(self.text_edit)
        self.resize(520, 260)

    def save(self):
        text = self.text_edit.toPlainText().strip()
        if len(text) < self.minimum:
            raise ValidationError("Isian ini wajib diisi." if self.minimum <= 1 else
                                  f"Isian ini wajib diisi (minimal {self.minimum} karakter).")
        return self.action(text)


def default_cycle_id(ctx) -> int | None:
    """The cycle a screen shows before the window selects one: the running one."""
    from kinerja_desktop.services import cycles

    cycle = cycles.active_cycle(ctx)
    return cycle.id if cycle else None


class LazyRefresh:
    """Mixin for the perf screens: refresh on the app-level signal only while visible
    (else on the next show), and never in reaction to the widget's own emission.

    The class sets :attr:`REFRESH_AREAS`; the widget calls :meth:`announce` after a
    change it made itself and guards ``refresh`` with :meth:`refresh_blocked`.
    """

    REFRESH_AREAS: tuple[str, ...] = ()
    _own_change = False
    _stale = False

    def _on_data_changed(self, area: str) -> None:
        if self._own_change or (area not in self.REFRESH_AREAS and area != "semua"):
            return
        if self.isVisible():  # type: ignore[attr-defined]
            self.refresh()  # type: ignore[attr-defined]
        else:
            self._stale = True

    def refresh_blocked(self) -> bool:
        """True while this widget announces its own change (the tab may call refresh)."""
        return self._own_change

    def announce(self, area: str) -> None:
        self._own_change = True
        try:
            self.signals.data_changed.emit(area)  # type: ignore[attr-defined]
        finally:
            self._own_change = False

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)  # type: ignore[misc]
        if self._stale:
            self._stale = False
            self.refresh()  # type: ignore[attr-defined]


def record_table(model, stretch_column: int, *, single_selection: bool = True) -> QTableView:
    """A table of records selected by row: word-wrapped, alternating rows, columns fitted
    to their content except ``stretch_column``, which takes the remaining width."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    if single_selection:
        table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    return table

