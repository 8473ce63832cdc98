"""Helpers shared by the services: the acting principal, the audit log, the checks every
form's save makes (the version the form loaded, text lengths), the cycle lock of workflow
transitions, and the cycle loaded for a change (refused once the cycle is closed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from kinerja_desktop.db.models import (
    AuditEntry,
    Base,
    Cycle,
    FormatItem,
    Person,
    TeamMember,
    Versioned,
)
from kinerja_desktop.domain.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from kinerja_desktop.domain.permissions import Principal, Role
from kinerja_desktop.services.context import ACTOR, edit_conflict

T = TypeVar("T")


def load_principal(session: Session, person_id: int) -> Principal:
    """The acting person, read inside the caller's transaction (never trusted from the UI).

    The rows this transaction changes are stamped as changed by this person."""
    person = session.get(Person, person_id, options=[joinedload(Person.roles)])
    if person is None:
        raise NotFound("Pengguna tidak ditemukan.")
    if not person.active:
        raise PermissionDenied(f"Akun {person.username} tidak aktif.")
    session.info[ACTOR] = person.id
    roles = {Role(r.role) for r in person.roles}
    team_ids = frozenset(
        session.scalars(select(TeamMember.team_id).where(TeamMember.person_id == person_id))
    )
    if team_ids:
        roles.add(Role.TIM)
    return Principal(person.id, person.name, frozenset(roles), team_ids)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, bytes):
        return f"<{len(value)} byte>"
    return value


def audit(
    session: Session,
    at: datetime,
    principal: Principal | None,
    action: str,
    entity: str = "",
    entity_id: object = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_name: str | None = None,
) -> None:
    """Append one entry to the audit log (in the caller's transaction)."""
    session.add(
        AuditEntry(
            at=at,
            person_id=principal.person_id if principal else None,
            actor=actor_name or (principal.name if principal else "sistem"),
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            before=_jsonable(before) if before is not None else None,
            after=_jsonable(after) if after is not None else None,
        )
    )


def check_version(session: Session, row: Versioned, expected: int | None) -> None:
    """Refuse a form's save when ``row`` changed since the form loaded it.

    ``expected`` is the ``row_version`` the form holds (None: the caller holds none, as
    the workbook import or the command line). The refusal names who changed it, when.
    """
    if expected is not None and row.row_version != expected:
        raise edit_conflict(session, row)


def one_line(text: str) -> str:
    """``text`` cleaned (domain.input_rules.clean_text: no control characters) and on one
    line with single spaces: for a value the service compares or looks up before the
    final guard cleans it (a NUL byte would make PostgreSQL refuse the query)."""
    from kinerja_desktop.domain.input_rules import clean_text

    return " ".join(clean_text(text, multiline=False).split())


def check_lengths(model: type[Base], **fields: tuple[str, str | None]) -> None:
    """Every text within its column's length, checked before the database sees it
    (PostgreSQL enforces ``String(n)``, SQLite does not): ``column=(label, value)``."""
    table = model.__table__
    for column, (label, value) in fields.items():
        limit = getattr(table.c[column].type, "length", None)
        if value is not None and limit is not None and len(value) > limit:
            raise ValidationError(f"{label} terlalu panjang ({len(value)} karakter; "
                                  f"maksimal {limit}).")


def lock_cycle(session: Session, cycle_id: int, shared: bool = False) -> Cycle:
    """Lock a cycle for a workflow transition and read it fresh.

    PostgreSQL: ``SELECT … FOR NO KEY UPDATE`` on the cycle's row, held to the end of the
    transaction (rows referring to the cycle can still be inserted meanwhile). SQLite:
    the write transaction already holds the database's write lock. Either way a second
    transition of the same cycle waits here, then sees everything the first committed:
    take this lock FIRST, before reading what the transition checks. ``shared``: see
    :func:`lock_cycle_of_item`.
    """
    cycle = session.scalars(
        select(Cycle).where(Cycle.id == cycle_id)
        .with_for_update(read=shared, key_share=not shared)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if cycle is None:
        raise NotFound("Siklus tidak ditemukan.")
    return _held(session, cycle)


#: ``session.info`` key: the cycles the transaction locked. The session holds its
#: objects weakly; held here, its later lookups of a locked cycle need no query.
_LOCKED_CYCLES = "kinerja.locked_cycles"


def _held(session: Session, cycle: Cycle) -> Cycle:
    session.info.setdefault(_LOCKED_CYCLES, []).append(cycle)
    return cycle


def lock_cycle_of_item(session: Session, item_id: int, shared: bool = False) -> Cycle:
    """:func:`lock_cycle` for the cycle of a format item, found and locked in one query.

    ``shared``: the lock of a change to ONE item that is no workflow transition (a team's
    save): ``FOR SHARE``, which saves of other items hold at the same time, while a
    transition (``FOR NO KEY UPDATE``) still waits for them and they for it. Such a
    service locks its item's row too (:func:`lock_item`): two changes of one item still
    run one after the other.
    """
    cycle = session.scalars(
        select(Cycle).join(FormatItem, FormatItem.cycle_id == Cycle.id)
        .where(FormatItem.id == item_id)
        .with_for_update(read=shared, key_share=not shared, of=Cycle)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if cycle is None:
        raise NotFound("Butir data tidak ditemukan.")
    return _held(session, cycle)


class NeedsCycleLock(Exception):  # noqa: N818 - a signal between two runs, not an error
    """Raised by a service running under the cycle's shared lock that finds it must make
    a workflow transition after all (its change finishes a step): its transaction rolls
    back and :func:`shared_first` runs it again under the cycle's lock."""


def shared_first(run: Callable[[bool], T]) -> T:
    """``run(shared=True)``, the usual case of a change to one item beside other PCs'
    saves; ``run(shared=False)`` (the cycle's lock, :func:`lock_cycle`) when that met
    :class:`NeedsCycleLock`. Each run is one whole transaction."""
    try:
        return run(True)
    except NeedsCycleLock:
        return run(False)


def lock_item(session: Session, item_id: int, *load: Any, shared: bool = True) -> FormatItem:
    """Lock one format item for a change: its cycle's lock (:func:`lock_cycle_of_item`;
    the shared one unless ``shared`` is false), then the item's row (``FOR NO KEY
    UPDATE``; rows referring to it can still be inserted), read with ``load`` (loader
    options) in the same query. Under the cycle's shared lock the row lock is what keeps
    two changes of one item apart."""
    lock_cycle_of_item(session, item_id, shared=shared)
    item = session.scalars(
        select(FormatItem).where(FormatItem.id == item_id).options(*load)
        .with_for_update(key_share=True, of=FormatItem)
        .execution_options(populate_existing=True)
    ).unique().one_or_none()
    if item is None:
        raise NotFound("Butir data tidak ditemukan.")
    return item


# --------------------------------------------------------------------------- closed cycles

#: Cycle.status of a cycle whose step 7 finished (the official record).
CLOSED = "selesai"


class CycleClosedError(ConflictError):
    """A change to a closed cycle: it changes only after "Buka kembali untuk perbaikan"."""


def ensure_open(cycle: Cycle) -> None:
    """Refuse any change to a closed cycle, with the one message every service gives."""
    if cycle.status == CLOSED:
        label = f"Tahun {cycle.year}" + (f" Triwulan {cycle.quarter}" if cycle.quarter else "")
        raise CycleClosedError(
            f"Siklus {label} sudah ditutup (langkah 7 selesai) dan menjadi catatan resmi; "
            "data tidak dapat diubah. Untuk memperbaiki, Administrator atau Kasubag "
            "membukanya kembali (Buka kembali untuk perbaikan).")


def cycle_for_change(session: Session, cycle_id: int) -> Cycle:
    """The cycle a service is about to change, read in the caller's transaction; every
    mutating service loads its cycle through here (or :func:`item_for_change`)."""
    cycle = session.get(Cycle, cycle_id)
    if cycle is None:
        raise NotFound("Siklus tidak ditemukan.")
    ensure_open(cycle)
    return cycle


def item_for_change(session: Session, item_id: int,
                    missing: str = "Butir data tidak ditemukan.") -> FormatItem:
    """A format item a service is about to change, refused when its cycle is closed."""
    item = session.get(FormatItem, item_id)
    if item is None:
        raise NotFound(missing)
    cycle_for_change(session, item.cycle_id)
    return item
