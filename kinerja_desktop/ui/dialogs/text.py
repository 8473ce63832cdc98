"""A dialog asking for a required text (a return reason, a note)."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.ui.common import FormDialog
from kinerja_desktop.ui.sizing import size_window
from kinerja_desktop.ui.widgets.text_limits import limit_text, text_problem


class TextDialog(FormDialog):
    """Asks for a required text (a return reason, a note) and hands it to ``action``;
    ``field`` ("table.column") bounds it by that column's rule (domain.input_rules)."""

    def __init__(self, title: str, prompt: str, action, ok_text: str = "Simpan",
                 parent: QWidget | None = None, minimum: int = 1,
                 field: str | None = None) -> None:
        super().__init__(title, parent, ok_text=ok_text)
        self.set_intro(prompt)
        self.action = action
        self.minimum = minimum
        self.field = field
        self.text_edit = QPlainTextEdit()
        if field is not None:
            limit_text(self.text_edit, field)
        self.text_edit.setMinimumHeight(90)
        self.form.addRow(self.text_edit)
        size_window(self, 520, 260)

    def save(self):
        text = self.text_edit.toPlainText().strip()
        if self.field is not None and (problem := text_problem(self.text_edit)):
            raise ValidationError(problem)
        if len(text) < self.minimum:
            raise ValidationError("Isian ini wajib diisi." if self.minimum <= 1 else
                                  f"Isian ini wajib diisi (minimal {self.minimum} karakter).")
        return self.action(text)
