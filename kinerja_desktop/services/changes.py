"""What changed: the areas of the app's change signal, and how other PCs hear of a change.

The window refreshes its views from one signal naming an *area* (``ui/signals.py``'s
``CHANGE_*`` constants take their values from here, so the two always agree). On a
PostgreSQL server every committed service transaction tells every other PC which areas
it changed: :class:`ChangeTracker` watches the transaction's flushes, and just before the
commit sends one message per area and cycle through the backend (``pg_notify`` inside
the same transaction, so a rolled-back change is never announced). A message is
``<area>:<cycle id>:<origin>:<format item ids>``; the origin tells a window its own
changes (it has refreshed for those already) from other PCs'.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect, select

if TYPE_CHECKING:
    from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

    from kinerja_desktop.db.backends import Backend

CYCLE = "siklus"          # a cycle was started, a step started or finished
FORMAT = "format"         # indicators, targets, format items, field requirements
ENTRY = "data"            # team entries, evidence, submissions, verification
PEOPLE = "pengguna"       # people, roles, passwords
TEAMS = "tim"
OFFICE = "kantor"         # office profile, predikat scale, days off
SOP = "sop"
DOCUMENTS = "dokumen"
ALL = "semua"             # everything (a restore, a reconnection to the server)

#: The area of every table a user's action changes.
TABLE_AREAS: dict[str, str] = {
    "office_profile": OFFICE, "settings": OFFICE, "office_days_off": OFFICE,
    "people": PEOPLE, "person_roles": PEOPLE,
    "teams": TEAMS, "team_members": TEAMS,
    "sops": SOP, "sop_steps": SOP,
    "cycles": CYCLE, "step_runs": CYCLE,
    "objectives": FORMAT, "indicators": FORMAT, "indicator_targets": FORMAT,
    "format_specs": FORMAT, "format_items": FORMAT,
    "item_entries": ENTRY, "evidence": ENTRY, "submissions": ENTRY, "item_reviews": ENTRY,
    "workbook_imports": ENTRY,
    "documents": DOCUMENTS, "record_versions": DOCUMENTS, "document_numbers": DOCUMENTS,
    "monitoring_records": DOCUMENTS,
    "cycle_records": CYCLE, "item_records": FORMAT,
    "indicator_actuals": FORMAT, "programmes": FORMAT, "cycle_programmes": ENTRY,
}
#: Tables whose changes mean nothing by themselves (the row referring to a stored file
#: is announced; the audit log follows every change).
UNANNOUNCED = frozenset({"audit_log", "stored_files", "stored_file_chunks", "alembic_version"})
#: Tables whose rows belong to one format item, and the column naming it.
ITEM_COLUMNS: dict[str, str] = {"format_items": "id", "item_entries": "item_id",
                                "evidence": "item_id", "item_reviews": "item_id"}
#: PostgreSQL takes at most 8000 bytes in one notification.
MAX_MESSAGE = 7900

_PENDING = "kinerja_changes"


@dataclass(frozen=True)
class Change:
    """One announced change: its area, its cycle (None: not tied to one), who sent it, and
    the format items it touched (empty: none named)."""

    area: str
    cycle_id: int | None
    origin: str
    item_ids: frozenset[int] = frozenset()

    @classmethod
    def parse(cls, message: str) -> Change | None:
        """The change a message describes; None for a message that is not one."""
        parts = message.split(":")
        if len(parts) != 4 or not parts[0] or not parts[2]:
            return None
        try:
            cycle_id = int(parts[1]) if parts[1] else None
            items = frozenset(int(i) for i in parts[3].split(",") if i)
        except ValueError:
            return None
        return cls(parts[0], cycle_id, parts[2], items)


def messages(area: str, cycle_id: int | None, origin: str,
             item_ids: Iterable[int] = ()) -> list[str]:
    """The messages announcing one area's change (items spread over several messages when
    one would exceed PostgreSQL's limit)."""
    head = f"{area}:{'' if cycle_id is None else cycle_id}:{origin}:"
    found: list[str] = []
    chunk = ""
    for item in sorted(set(item_ids)):
        piece = str(item) if not chunk else f",{item}"
        if len(head) + len(chunk) + len(piece) > MAX_MESSAGE:
            found.append(head + chunk)
            chunk, piece = "", str(item)
        chunk += piece
    found.append(head + chunk)
    return found


class ChangeTracker:
    """Announces, on commit, what each transaction of ``sessions`` changed (see the module
    docstring). ``origin`` names this context among every PC's."""

    def __init__(self, backend: Backend, sessions: sessionmaker[Session]) -> None:
        self.backend = backend
        # Random, not the process id: two PCs may run processes with the same id.
        self.origin = secrets.token_hex(6)
        event.listen(sessions, "after_flush", self._after_flush)
        event.listen(sessions, "do_orm_execute", self._after_statement)
        event.listen(sessions, "before_commit", self._before_commit)

    @staticmethod
    def _pending(session: Session) -> dict[tuple[str, int | None], set[int]]:
        return session.info.setdefault(_PENDING, defaultdict(set))

    def _after_flush(self, session: Session, _flush_context: Any) -> None:
        pending = self._pending(session)
        unresolved: set[int] = session.info.setdefault(_PENDING + "_items", set())
        changed = list(session.new) + list(session.deleted) + [
            obj for obj in session.dirty if session.is_modified(obj, include_collections=False)]
        for obj in changed:
            state = inspect(obj)
            table = state.mapper.local_table.name
            area = area_of(table)
            if area is None:
                continue
            values = state.dict
            item_column = ITEM_COLUMNS.get(table)
            item_id = values.get(item_column) if item_column else None
            cycle_id = values.get("id") if table == "cycles" else values.get("cycle_id")
            if item_id is not None and cycle_id is None:
                unresolved.add(item_id)
                pending[(area, None)].add(item_id)  # the cycle is found before the commit
            else:
                pending[(area, cycle_id)].update(() if item_id is None else (item_id,))

    def _after_statement(self, state: ORMExecuteState) -> None:
        """Bulk INSERT/UPDATE/DELETE statements (no ORM objects flushed for them)."""
        if state.is_insert or state.is_update or state.is_delete:
            table = getattr(state.statement, "table", None)
            area = area_of(getattr(table, "name", ""))
            if area is not None:
                self._pending(state.session)[(area, None)].update(())

    def _before_commit(self, session: Session) -> None:
        session.flush()  # the last changes are flushed now, not after this hook
        pending = session.info.pop(_PENDING, None)
        unresolved = session.info.pop(_PENDING + "_items", set())
        if not pending:
            return
        cycles = _cycles_of_items(session, unresolved) if unresolved else {}
        grouped: dict[tuple[str, int | None], set[int]] = defaultdict(set)
        for (area, cycle_id), items in pending.items():
            if cycle_id is None and items:
                for item in items:
                    grouped[(area, cycles.get(item))].add(item)
            else:
                grouped[(area, cycle_id)].update(items)
        found: list[str] = []
        for (area, cycle_id), items in sorted(grouped.items(), key=lambda kv: (
                kv[0][0], kv[0][1] or 0)):
            found.extend(messages(area, cycle_id, self.origin, items))
        self.backend.announce(session.connection(), found)


def area_of(table: str) -> str | None:
    """The area a change of ``table`` belongs to (None: not announced). A table nobody
    mapped yet counts as everything, so a new table is never silently missed."""
    if table in UNANNOUNCED or not table:
        return None
    return TABLE_AREAS.get(table, ALL)


def _cycles_of_items(session: Session, item_ids: set[int]) -> dict[int, int]:
    """Format item id -> its cycle, from the session's own objects where loaded."""
    from kinerja_desktop.db.models import FormatItem

    found: dict[int, int] = {}
    missing = []
    for item_id in item_ids:
        item = session.identity_map.get(session.identity_key(FormatItem, item_id))
        if item is not None and item.cycle_id is not None:
            found[item_id] = item.cycle_id
        else:
            missing.append(item_id)
    if missing:
        rows = session.execute(
            select(FormatItem.id, FormatItem.cycle_id).where(FormatItem.id.in_(missing)))
        found.update({item_id: cycle_id for item_id, cycle_id in rows})
    return found
