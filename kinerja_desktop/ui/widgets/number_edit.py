"""A number field typed the Indonesian way (1.234,5), parsed strictly."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.domain.numbers import NumberFormatError, format_number, parse_number
from kinerja_desktop.ui.common import ERROR_STYLE

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
        # The red border of an invalid number must not make the field lower: the fields
        # under it would move while the user types.
        self.setMinimumHeight(self.sizeHint().height())
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
