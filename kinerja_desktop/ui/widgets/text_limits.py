"""The window's text fields keep the limits of :mod:`kinerja_desktop.domain.input_rules`.

A line edit simply takes no more than its column's limit (``maxLength``; a paste is cut
there). A multi-line field cannot be cut silently (a pasted text would lose its end), so
it says so instead: as soon as its text is longer than the limit it turns red and its
tooltip reads the same line the service would answer ("Penjelasan terlalu panjang
(4123 karakter; maksimal 4000). Persingkat isinya."); :func:`text_problem` gives that
line to a form that checks before it saves. Control characters are removed by the
services (the same rule), so what counts here is the cleaned text.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.domain.input_rules import TEXT_RULES, TextRule, check_text
from kinerja_desktop.domain.numbers import format_number
from kinerja_desktop.ui.common import ERROR_STYLE

#: The Qt property a multi-line field keeps its rule in.
_RULE = "kinerjaTextRule"


def limit_line(edit: QLineEdit, field: str) -> QLineEdit:
    """``edit`` takes at most the limit of ``"table.column"`` (see TEXT_RULES)."""
    edit.setMaxLength(TEXT_RULES[field].limit)
    return edit


def limit_password(edit: QLineEdit) -> QLineEdit:
    """``edit`` takes at most the longest password the services accept."""
    from kinerja_desktop.services.passwords import MAX_LENGTH

    edit.setMaxLength(MAX_LENGTH)
    return edit


def limit_text(edit: QPlainTextEdit, field: str | None = None, *,
               rule: TextRule | None = None, per_line: bool = False) -> QPlainTextEdit:
    """``edit`` shows, while its user types, when it holds more than the limit of
    ``field`` (or ``rule``): a red border and the refusal as its tooltip. ``per_line``:
    the limit holds for each line (a list, one entry per line)."""
    chosen = rule or TEXT_RULES[field or ""]
    hint = f"Maksimal {format_number(chosen.limit)} karakter" + (
        " per baris." if per_line else ".")
    edit.setProperty(_RULE, (chosen.label, chosen.limit, chosen.multiline, per_line))
    edit.setToolTip(hint)

    def check() -> None:
        problem = text_problem(edit)
        edit.setStyleSheet(f"QPlainTextEdit {{ {ERROR_STYLE} border: 1px solid #a61b1b; }}"
                           if problem else "")
        edit.setToolTip(problem or hint)

    edit.textChanged.connect(check)
    return edit


def text_problem(edit: QPlainTextEdit) -> str:
    """The refusal the service would give for the text of a :func:`limit_text` field
    ("" when it fits)."""
    label, limit, multiline, per_line = edit.property(_RULE)
    text = edit.toPlainText()
    parts = [(label, text)] if not per_line else [
        (f"{label} baris {number}", line)
        for number, line in enumerate(text.split("\n"), start=1)]
    for name, part in parts:
        try:
            check_text(part, name, limit, multiline=multiline)
        except ValidationError as exc:
            return str(exc)
    return ""
