"""The plausibility warnings of one item, and the short note that acknowledges them.

The box keeps its height whether or not there are warnings, so the fields around it
never move while the user types (a warning appears in place of "no warnings"). The note
is asked for with *Catatan…* (a short dialog) and shown in the box.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QTextEdit, QWidget

from kinerja_desktop.domain.plausibility import MAX_NOTE

WARNING_STYLE = ("background: #fff3cd; color: #5c4400; border: 1px solid #e0b000; "
                 "border-radius: 4px; padding: 0 2px;")
CALM_STYLE = "color: #607d8b; padding: 0 2px;"
#: Lines of warning text the box has room for (more scroll inside it; all in the tooltip).
SHOWN_LINES = 2


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
        self.label.setFixedHeight(SHOWN_LINES * line + 6)
        self.note_button = QPushButton("Catatan…")
        self.note_button.setObjectName("catatanPeringatan")
        self.note_button.setToolTip("Catatan singkat: mengapa nilai ini benar. Nilai tetap "
                                    "disimpan apa adanya.")
        self.note_button.clicked.connect(self.ask_note)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.note_button, 0, Qt.AlignmentFlag.AlignTop)
        self.warnings: tuple = ()
        self.editable = True
        self._note = ""
        self.show_warnings(())

    def show_warnings(self, warnings: tuple, editable: bool = True) -> None:
        """Show ``warnings`` (PlausibilityWarning); the note is asked for while any exist."""
        self.warnings, self.editable = tuple(warnings), editable
        note = self._note.strip()
        if self.warnings:
            # The first warning on the heading's line: two lines show the most they can.
            lines = " " + "<br>• ".join(escape(w.message) for w in self.warnings)
            said = (f"<br><b>Catatan:</b> {escape(note)}" if note else
                    "<br><i>Belum ada catatan: jelaskan dengan Catatan….</i>")
            self.label.setHtml(f"<b>⚠ {len(self.warnings)} peringatan:</b>{lines}{said}")
            self.label.setToolTip("\n".join(w.message for w in self.warnings)
                                  + ("\nCatatan: " + note if note else "")
                                  + "\n\nNilai tetap disimpan apa adanya.")
            self.label.setStyleSheet(WARNING_STYLE)
        else:
            self.label.setPlainText("Tidak ada peringatan kewajaran."
                                    + (f" Catatan: {note}" if note else ""))
            self.label.setToolTip("")
            self.label.setStyleSheet(CALM_STYLE)
        self.note_button.setEnabled(editable and (bool(self.warnings) or bool(note)))

    def ask_note(self) -> bool:
        """The short note, asked for in a dialog; True when the user gave one."""
        from kinerja_desktop.domain.errors import ValidationError
        from kinerja_desktop.ui.dialogs.text import TextDialog

        def take(text: str) -> str:
            if len(text) > MAX_NOTE:
                raise ValidationError(f"Catatan terlalu panjang ({len(text)} karakter; "
                                      f"maksimal {MAX_NOTE}).")
            return text

        dialog = TextDialog("Catatan peringatan kewajaran",
                            "Mengapa nilai ini benar? Catatan singkat ini ikut diserahkan dan "
                            "dibaca verifikator; nilainya tidak diubah. Kosongkan untuk menghapus "
                            "catatan.", take, parent=self, minimum=0,
                            field="item_entries.plausibility_note")
        dialog.text_edit.setPlainText(self._note)
        if not dialog.exec():
            return False
        self._note = dialog.result_value
        self.show_warnings(self.warnings, self.editable)
        self.note_edited.emit()
        return True

    def text(self) -> str:
        """What the box says, as plain text."""
        return self.label.toPlainText()

    def note(self) -> str:
        return self._note

    def set_note(self, text: str) -> None:
        self._note = text
        self.show_warnings(self.warnings, self.editable)
