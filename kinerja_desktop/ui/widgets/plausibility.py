"""The plausibility warnings of one item, and the short note that acknowledges them.

The box keeps its height whether or not there are warnings, so the fields below never
move while the user types (a warning appears in place of "no warnings").
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLineEdit, QTextEdit, QVBoxLayout, QWidget

from kinerja_desktop.domain.plausibility import MAX_NOTE

WARNING_STYLE = ("background: #fff3cd; color: #5c4400; border: 1px solid #e0b000; "
                 "border-radius: 4px; padding: 3px;")
CALM_STYLE = "color: #607d8b; padding: 3px;"
#: Lines of warning text the box has room for (more scroll inside it).
SHOWN_LINES = 4
NOTE_HINT = "Catatan singkat: mengapa nilai ini benar (diminta bila ada peringatan)"


class PlausibilityBox(QWidget):
    """Warnings of the values shown (never blocking) and the acknowledgement note."""

    note_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Read-only text of fixed height: every warning readable (it scrolls), and the
        # fields below stay where they are.
        self.label = QTextEdit()
        self.label.setObjectName("peringatanKewajaran")
        self.label.setReadOnly(True)
        self.label.setFrameShape(QFrame.Shape.NoFrame)
        self.label.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        line = self.label.fontMetrics().lineSpacing()
        self.label.setFixedHeight(SHOWN_LINES * line + 12)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("catatanPeringatan")
        self.note_edit.setMaxLength(MAX_NOTE)
        self.note_edit.setPlaceholderText(NOTE_HINT)
        self.note_edit.textEdited.connect(lambda _t: self.note_edited.emit())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.label)
        layout.addWidget(self.note_edit)
        self.warnings: tuple = ()
        self.show_warnings(())

    def show_warnings(self, warnings: tuple, editable: bool = True) -> None:
        """Show ``warnings`` (PlausibilityWarning); the note is asked for while any exist."""
        self.warnings = tuple(warnings)
        if self.warnings:
            items = "".join(f"<br>• {escape(w.message)}" for w in self.warnings)
            self.label.setHtml(f"<b>⚠ Peringatan kewajaran ({len(self.warnings)})</b>{items}")
            self.label.setToolTip("\n".join(w.message for w in self.warnings)
                                  + "\n\nNilai tetap disimpan apa adanya; jelaskan dengan "
                                    "catatan singkat.")
            self.label.setStyleSheet(WARNING_STYLE)
        else:
            self.label.setPlainText("Tidak ada peringatan kewajaran.")
            self.label.setToolTip("")
            self.label.setStyleSheet(CALM_STYLE)
        has_note = bool(self.note_edit.text().strip())
        self.note_edit.setEnabled(bool(self.warnings) or has_note)
        self.note_edit.setReadOnly(not editable)

    def text(self) -> str:
        """What the box says, as plain text."""
        return self.label.toPlainText()

    def note(self) -> str:
        return self.note_edit.text()

    def set_note(self, text: str) -> None:
        self.note_edit.blockSignals(True)
        self.note_edit.setText(text)
        self.note_edit.blockSignals(False)
