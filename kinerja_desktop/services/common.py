"""Helpers shared by the services: the acting principal and the audit log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import AuditEntry, Person, TeamMember
from kinerja_desktop.domain.errors import NotFound, PermissionDenied
from kinerja_desktop.domain.permissions import Principal, Role


def load_principal(session: Session, person_id: int) -> Principal:
    """The acting person, read inside the caller's transaction (never trusted from the UI)."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("Pengguna tidak ditemukan.")
    if not person.active:
        raise PermissionDenied(f"Akun {person.username} tidak aktif.")
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
