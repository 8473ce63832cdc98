"""Tim Penyusun Data: one per bidang, with members."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from kinerja_desktop.db.models import Person, Team, TeamMember
from kinerja_desktop.domain.errors import ConflictError, NotFound, ValidationError
from kinerja_desktop.domain.permissions import Role, require_role
from kinerja_desktop.services.common import (
    audit,
    check_lengths,
    check_version,
    load_principal,
    one_line,
)
from kinerja_desktop.services.context import ServiceContext, retry_busy


@dataclass(frozen=True)
class MemberInfo:
    person_id: int
    name: str
    is_lead: bool


@dataclass(frozen=True)
class TeamInfo:
    id: int
    name: str
    bidang: str
    active: bool
    members: tuple[MemberInfo, ...]
    #: The row version a form editing the team (or its members) passes back.
    version: int = 0


def _info(team: Team) -> TeamInfo:
    members = tuple(
        sorted(
            (MemberInfo(m.person_id, m.person.name, m.is_lead) for m in team.members),
            key=lambda m: (not m.is_lead, m.name),
        )
    )
    return TeamInfo(team.id, team.name, team.bidang, team.active, members, team.row_version)


def list_teams(ctx: ServiceContext, include_inactive: bool = False) -> list[TeamInfo]:
    with ctx.read() as session:
        # Members and their names in two more queries, not two per team.
        query = (select(Team).order_by(Team.position, Team.name)
                 .options(selectinload(Team.members).selectinload(TeamMember.person)))
        if not include_inactive:
            query = query.where(Team.active.is_(True))
        return [_info(t) for t in session.scalars(query)]


@dataclass(frozen=True)
class TeamName:
    id: int
    name: str


def active_teams_among(ctx: ServiceContext, team_ids) -> list[TeamName]:
    """The active teams among ``team_ids`` (a person's teams), in :func:`list_teams`'s
    order: id and name only, in one query (the main window's Tim Penyusun tab)."""
    ids = list(team_ids)
    if not ids:
        return []
    with ctx.read() as session:
        rows = session.execute(
            select(Team.id, Team.name).where(Team.active.is_(True), Team.id.in_(ids))
            .order_by(Team.position, Team.name)).all()
        return [TeamName(team_id, name) for team_id, name in rows]


def get_team(ctx: ServiceContext, team_id: int) -> TeamInfo:
    with ctx.read() as session:
        team = session.get(Team, team_id)
        if team is None:
            raise NotFound("Tim tidak ditemukan.")
        return _info(team)


#: Lock taken while a team's name is checked and saved (names are unique, any case).
TEAM_NAMES_LOCK = "kinerja-desktop:nama-tim"


def _check_team(name: str, bidang: str) -> None:
    if not name:
        raise ValidationError("Nama tim wajib diisi.")
    check_lengths(Team, name=("Nama tim", name), bidang=("Bidang", bidang.strip()))


@retry_busy
def create_team(ctx: ServiceContext, actor_id: int, name: str, bidang: str = "") -> TeamInfo:
    name, bidang = one_line(name), one_line(bidang)
    _check_team(name, bidang)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.ADMIN, "Menambah tim")
        ctx.lock(session, TEAM_NAMES_LOCK)
        if session.scalar(select(Team).where(func.lower(Team.name) == name.lower())):
            raise ConflictError(f"Tim '{name}' sudah ada.")
        position = (session.scalar(select(func.max(Team.position))) or 0) + 1
        team = Team(name=name, bidang=bidang.strip(), position=position, active=True)
        session.add(team)
        session.flush()
        audit(session, ctx.now(), principal, "tim.buat", "team", team.id,
              after={"nama": name, "bidang": team.bidang})
        return _info(team)


@retry_busy
def update_team(ctx: ServiceContext, actor_id: int, team_id: int, name: str, bidang: str,
                active: bool = True, expected_version: int | None = None) -> TeamInfo:
    name, bidang = one_line(name), one_line(bidang)
    _check_team(name, bidang)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.ADMIN, "Mengubah tim")
        ctx.lock(session, TEAM_NAMES_LOCK)
        team = session.get(Team, team_id)
        if team is None:
            raise NotFound("Tim tidak ditemukan.")
        check_version(session, team, expected_version)
        clash = session.scalar(select(Team).where(func.lower(Team.name) == name.lower()))
        if clash is not None and clash.id != team_id:
            raise ConflictError(f"Tim '{name}' sudah ada.")
        before = {"nama": team.name, "bidang": team.bidang, "aktif": team.active}
        team.name, team.bidang, team.active = name, bidang.strip(), active
        audit(session, ctx.now(), principal, "tim.ubah", "team", team.id, before=before,
              after={"nama": name, "bidang": team.bidang, "aktif": active})
        session.flush()
        return _info(team)


@retry_busy
def set_members(ctx: ServiceContext, actor_id: int, team_id: int, person_ids: list[int],
                lead_id: int | None = None, expected_version: int | None = None) -> TeamInfo:
    """Replace a team's members. The team's own row changes with them (its version goes
    up), so two administrators editing the members at once cannot both win."""
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.ADMIN, "Mengatur anggota tim")
        team = session.get(Team, team_id)
        if team is None:
            raise NotFound("Tim tidak ditemukan.")
        check_version(session, team, expected_version)
        if lead_id is not None and lead_id not in person_ids:
            raise ValidationError("Ketua tim harus salah satu anggota.")
        for pid in person_ids:
            if session.get(Person, pid) is None:
                raise NotFound("Anggota tim tidak ditemukan.")
        before = sorted(m.person_id for m in team.members)
        team.members = [TeamMember(person_id=pid, is_lead=(pid == lead_id)) for pid in
                        dict.fromkeys(person_ids)]
        flag_modified(team, "updated_at")  # the members are part of the team: its version moves
        session.flush()
        session.expire(team, ["members"])
        audit(session, ctx.now(), principal, "tim.anggota", "team", team.id,
              before={"anggota": before}, after={"anggota": sorted(person_ids), "ketua": lead_id})
        return _info(team)
