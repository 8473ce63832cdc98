"""Lines of text that keep their room, so the fields around them never move.

A hint or an error that appears under a field while the user types pushes every field
below it down: the next keystroke or click lands in the wrong place. :class:`HintLine`
always takes the height of its ``lines`` lines, empty or not, and never widens the
layout (longer text wraps, then is cut; the whole text is in the tooltip).
:func:`steady_height` keeps fields from shrinking when a style sheet (an error border,
a read-only look) is applied to them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class HintLine(QLabel):
    """A word-wrapped label of a fixed number of lines (text may be empty)."""

    def __init__(self, lines: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines = lines
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._fit()

    def _fit(self) -> None:
        margins = self.contentsMargins()
        self.setFixedHeight(self.fontMetrics().lineSpacing() * self.lines + margins.top()
                            + margins.bottom() + 2)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setText(text)
        self.setToolTip(text if self.textFormat() != Qt.TextFormat.RichText else "")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()


def steady_height(*widgets: QWidget) -> None:
    """Never let ``widgets`` shrink below their present height hint (a style sheet that
    draws a border, for an error or a read-only field, would make them lower)."""
    for widget in widgets:
        widget.setMinimumHeight(widget.sizeHint().height())
