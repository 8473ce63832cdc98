"""The services' final guard: no text uncleaned or too long, no number out of bounds.

Installed on every :class:`ServiceContext`'s session factory (``before_flush``): each
text value a transaction adds or changes is cleaned and bounded by its rule in
:mod:`kinerja_desktop.domain.input_rules` (control characters removed, the length limit
with the field's Indonesian name), and each number people enter is checked against its
bounds (every accepted value computes and prints). A value over its limit refuses the whole
transaction with a :class:`ValidationError`; nothing is written. The services may check
earlier with their own words; whatever a service forgets, or a service added later,
still passes here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Float, Numeric, String, Text, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.domain.input_rules import (
    NUMBER_RULES,
    TEXT_RULES,
    check_number,
    check_text,
)


def _guard(session: Session, _context: Any, _instances: Any) -> None:
    for obj in [*session.new, *session.dirty]:
        state = inspect(obj)
        table = state.mapper.local_table
        for attr in state.mapper.column_attrs:
            column = attr.columns[0]
            if not isinstance(column.type, String | Text | JSON | Float | Numeric):
                continue
            if not state.pending and not state.attrs[attr.key].history.has_changes():
                continue
            value = getattr(obj, attr.key)
            key = f"{table.name}.{column.name}"
            if isinstance(column.type, Float | Numeric):
                if key in NUMBER_RULES:
                    check_number(value, NUMBER_RULES[key])
                continue
            rule = TEXT_RULES.get(key)
            if rule is None:
                length = getattr(column.type, "length", None)
                if isinstance(value, str) and length and len(value) > length:
                    raise ValidationError(f"Nilai terlalu panjang untuk disimpan ({key}: "
                                          f"{len(value)} karakter, maksimal {length}).")
                continue
            if isinstance(value, str):
                cleaned = check_text(value, rule.label, rule.limit, multiline=rule.multiline)
            elif isinstance(value, list):
                cleaned = [check_text(v, rule.label, rule.limit, multiline=True)
                           if isinstance(v, str) else v for v in value]
            else:
                continue
            if cleaned != value:
                setattr(obj, attr.key, cleaned)


def install(factory: sessionmaker[Session]) -> None:
    """Guard every session ``factory`` makes (once per factory).

    Marked on the factory itself, not asked with ``event.contains``: SQLAlchemy's event
    registry is keyed by ``id()`` of the factory's session class, so once an earlier
    factory had been freed a new one could be reported as already guarded and its
    sessions wrote unchecked text (a NUL byte reached PostgreSQL)."""
    if getattr(factory, "_kinerja_guarded", False):
        return
    event.listen(factory, "before_flush", _guard)
    factory._kinerja_guarded = True  # type: ignore[attr-defined]
