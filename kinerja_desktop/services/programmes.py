"""Budget programmes (DOMAIN.md, "Budget structure"): the master list of programmes and
their pagu and realisasi per cycle.

The master (code, name, responsible team, kegiatan) is kept by the Administrator or
the Kasubag, like the indicator master; each indicator belongs to at most one
programme (``formats.IndicatorInput.programme_id``). When a cycle's format is sent to
a team (step 3) the team's programmes are recorded in the cycle
(``record.freeze_programmes``); the team then fills each programme's pagu and realisasi
in the window or in its workbook, until the cycle is closed. What a cycle prints is its
own :class:`~kinerja_desktop.db.models.CycleProgramme` rows.

A cycle's programme row carries no row-version column; its :attr:`CycleProgrammeView.version`
is a token of what was stored (values, who and when), compared under the cycle's lock
as ``check_version`` compares entries: a form saving over a newer change is refused
with who made it and when.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import (
    Cycle,
    CycleProgramme,
    Indicator,
    Programme,
    StepRun,
    Team,
)
from kinerja_desktop.domain.achievement import Absorption, budget_absorption
from kinerja_desktop.domain.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from kinerja_desktop.domain.input_rules import NUMBER_RULES, check_number
from kinerja_desktop.domain.permissions import Principal, Role, require_team_member
from kinerja_desktop.services import record
from kinerja_desktop.services.common import (
    CLOSED,
    audit,
    check_lengths,
    ensure_open,
    load_principal,
    lock_cycle,
)
from kinerja_desktop.services.context import ServiceContext, edit_conflict, retry_busy

MAX_NAME = 500
MAX_ACTIVITY = 500
MAX_ACTIVITIES = 50


@dataclass(frozen=True)
class ProgrammeInput:
    code: str
    name: str
    team_id: int | None
    #: Kegiatan under the programme, one per entry (optional).
    activities: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProgrammeInfo:
    id: int
    code: str
    name: str
    team_id: int | None
    team_name: str
    activities: tuple[str, ...]
    position: int
    active: bool
    indicator_count: int = 0

    @property
    def label(self) -> str:
        """"2.13.02 Program Penataan Desa"."""
        return f"{self.code} {self.name}".strip()


@dataclass(frozen=True)
class CycleProgrammeView:
    """A programme of a cycle as its team fills it (``row_id`` None: not recorded in
    the cycle yet; saving records it)."""

    programme_id: int
    row_id: int | None
    cycle_id: int
    code: str
    name: str
    team_id: int | None
    team_name: str
    activities: tuple[str, ...]
    budget: float | None
    spent: float | None
    absorption: Absorption
    updated_at: datetime | None
    #: What a form saving this programme passes back (0: nothing stored yet).
    version: int = 0
    #: False once the cycle is closed (the figures are the official record).
    editable: bool = True

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}".strip()


# --------------------------------------------------------------------------- master


def _can_manage(principal: Principal) -> None:
    if not (principal.has(Role.KASUBAG) or principal.has(Role.ADMIN)):
        raise PermissionDenied("Data program hanya dapat diubah oleh Kasubag atau Administrator.")


def _clean(data: ProgrammeInput) -> ProgrammeInput:
    activities = tuple(" ".join(a.split()) for a in data.activities if a.strip())
    return ProgrammeInput(data.code.strip(), " ".join(data.name.split()), data.team_id,
                          activities)


def _validate(data: ProgrammeInput) -> None:
    if not data.name:
        raise ValidationError("Nama program wajib diisi.")
    if len(data.name) > MAX_NAME:
        raise ValidationError(f"Nama program terlalu panjang (maksimal {MAX_NAME} karakter).")
    check_lengths(Programme, code=("Kode program", data.code))
    if data.team_id is None:
        raise ValidationError("Tim penanggung jawab program wajib dipilih.")
    if len(data.activities) > MAX_ACTIVITIES:
        raise ValidationError(f"Kegiatan terlalu banyak (maksimal {MAX_ACTIVITIES}).")
    for activity in data.activities:
        if len(activity) > MAX_ACTIVITY:
            raise ValidationError(f"Nama kegiatan terlalu panjang (maksimal {MAX_ACTIVITY} "
                                  "karakter).")


def _check_unique(session: Session, data: ProgrammeInput, programme_id: int | None) -> None:
    if session.get(Team, data.team_id) is None:
        raise NotFound("Tim tidak ditemukan.")
    query = select(Programme.id).where(Programme.active.is_(True))
    if programme_id is not None:
        query = query.where(Programme.id != programme_id)
    if data.code and session.scalar(query.where(Programme.code == data.code)):
        raise ConflictError(f"Kode program {data.code} sudah dipakai program lain.")
    if session.scalar(query.where(func.lower(Programme.name) == data.name.lower())):
        raise ConflictError(f"Program '{data.name}' sudah ada.")


def _info(session: Session, p: Programme) -> ProgrammeInfo:
    team = session.get(Team, p.team_id) if p.team_id is not None else None
    count = session.scalar(select(func.count()).select_from(Indicator)
                           .where(Indicator.programme_id == p.id)) or 0
    return ProgrammeInfo(p.id, p.code, p.name, p.team_id, team.name if team else "",
                         tuple(p.activities or ()), p.position, p.active, count)


def _audited(p: Programme) -> dict:
    return {"kode": p.code, "nama": p.name, "tim": p.team_id,
            "kegiatan": list(p.activities or [])}


def list_programmes(ctx: ServiceContext, include_inactive: bool = False) -> list[ProgrammeInfo]:
    """The programme master in the order of its codes (as the DPA lists them)."""
    counts = (select(Indicator.programme_id, func.count().label("n"))
              .where(Indicator.programme_id.is_not(None))
              .group_by(Indicator.programme_id).subquery())
    query = (select(Programme, Team.name, counts.c.n)
             .outerjoin(Team, Team.id == Programme.team_id)
             .outerjoin(counts, counts.c.programme_id == Programme.id)
             .order_by(Programme.code, Programme.position, Programme.id))
    if not include_inactive:
        query = query.where(Programme.active.is_(True))
    with ctx.read() as session:
        return [ProgrammeInfo(p.id, p.code, p.name, p.team_id, team or "",
                              tuple(p.activities or ()), p.position, p.active, n or 0)
                for p, team, n in session.execute(query)]


@retry_busy
def create_programme(ctx: ServiceContext, actor_id: int, data: ProgrammeInput) -> ProgrammeInfo:
    data = _clean(data)
    _validate(data)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        _can_manage(principal)
        ctx.lock(session, "kinerja-desktop:program")
        _check_unique(session, data, None)
        position = (session.scalar(select(func.max(Programme.position))) or 0) + 1
        p = Programme(code=data.code, name=data.name, team_id=data.team_id,
                      activities=list(data.activities), position=position, active=True)
        session.add(p)
        session.flush()
        audit(session, ctx.now(), principal, "program.buat", "programme", p.id,
              after=_audited(p))
        return _info(session, p)


@retry_busy
def update_programme(ctx: ServiceContext, actor_id: int, programme_id: int,
                     data: ProgrammeInput) -> ProgrammeInfo:
    """Change a programme in the master: later cycles use the change; a cycle that has
    recorded the programme keeps its own copy."""
    data = _clean(data)
    _validate(data)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        _can_manage(principal)
        ctx.lock(session, "kinerja-desktop:program")
        p = session.get(Programme, programme_id)
        if p is None or not p.active:
            raise NotFound("Program tidak ditemukan.")
        _check_unique(session, data, programme_id)
        before = _audited(p)
        p.code, p.name, p.team_id = data.code, data.name, data.team_id
        p.activities = list(data.activities)
        after = _audited(p)
        if before != after:
            audit(session, ctx.now(), principal, "program.ubah", "programme", p.id,
                  before=before, after=after)
        session.flush()
        return _info(session, p)


@retry_busy
def delete_programme(ctx: ServiceContext, actor_id: int, programme_id: int) -> bool:
    """Remove a programme from the master; its indicators belong to no programme then.

    A programme a cycle has recorded stays for that cycle's record: it is retired
    (no longer offered) instead of deleted. Returns True when the row was deleted."""
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        _can_manage(principal)
        p = session.get(Programme, programme_id)
        if p is None or not p.active:
            raise NotFound("Program tidak ditemukan.")
        indicators = list(session.scalars(select(Indicator).where(
            Indicator.programme_id == programme_id)))
        for ind in indicators:
            ind.programme_id = None
        used = session.scalar(select(func.count()).select_from(CycleProgramme)
                              .where(CycleProgramme.programme_id == programme_id)) or 0
        audit(session, ctx.now(), principal, "program.hapus", "programme", p.id,
              before={**_audited(p), "indikator": [i.id for i in indicators]},
              after={"dihapus": not used, "dipakai_siklus": used})
        session.flush()
        if used:
            p.active = False
        else:
            session.delete(p)
        return not used


def programme_of(session: Session, programme_id: int | None) -> Programme | None:
    """The active programme an indicator may be assigned to (None: no programme)."""
    if programme_id is None:
        return None
    p = session.get(Programme, programme_id)
    if p is None or not p.active:
        raise NotFound("Program tidak ditemukan.")
    return p


# --------------------------------------------------------------------------- per cycle


def version_of(row: CycleProgramme | None) -> int:
    """The token :attr:`CycleProgrammeView.version` holds for ``row`` (0: none stored)."""
    if row is None or row.updated_at is None:
        return 0
    text = repr((row.budget, row.spent, row.updated_at.isoformat(), row.updated_by_id))
    return zlib.crc32(text.encode()) | (1 << 32)


def _view(cycle: Cycle, row: CycleProgramme | None, p: Programme | None,
          team_name: str = "") -> CycleProgrammeView:
    editable = cycle.status != CLOSED
    if row is not None:
        return CycleProgrammeView(
            row.programme_id, row.id, cycle.id, row.code, row.name, row.team_id,
            row.team_name, tuple(row.activities or ()), row.budget, row.spent,
            budget_absorption(row.budget, row.spent), row.updated_at, version_of(row),
            editable)
    assert p is not None
    return CycleProgrammeView(p.id, None, cycle.id, p.code, p.name, p.team_id, team_name,
                              tuple(p.activities or ()), None, None,
                              budget_absorption(None, None), None, 0, editable)


def cycle_programmes_in(session: Session, cycle: Cycle,
                        team_id: int | None = None) -> list[CycleProgrammeView]:
    """The cycle's programmes (one team's with ``team_id``): those recorded in the cycle,
    and, while the cycle is open and the team has its format, the team's active
    programmes added to the master since (recorded when first saved)."""
    query = select(CycleProgramme).where(CycleProgramme.cycle_id == cycle.id)
    if team_id is not None:
        query = query.where(CycleProgramme.team_id == team_id)
    rows = list(session.scalars(query))
    views = [_view(cycle, r, None) for r in rows]
    if cycle.status != CLOSED:
        recorded = set(session.scalars(select(CycleProgramme.programme_id)
                                       .where(CycleProgramme.cycle_id == cycle.id)))
        sent = set(session.scalars(select(StepRun.team_id).where(
            StepRun.cycle_id == cycle.id, StepRun.step_number == 4)))
        query = (select(Programme, Team.name).join(Team, Team.id == Programme.team_id)
                 .where(Programme.active.is_(True)))
        if team_id is not None:
            query = query.where(Programme.team_id == team_id)
        for p, team in session.execute(query):
            if p.id not in recorded and p.team_id in sent:
                views.append(_view(cycle, None, p, team))
    positions = {r.programme_id: r.position for r in rows}
    return sorted(views, key=lambda v: (v.code, positions.get(v.programme_id, 10**6),
                                        v.programme_id))


def cycle_programmes(ctx: ServiceContext, cycle_id: int,
                     team_id: int | None = None) -> list[CycleProgrammeView]:
    with ctx.read() as session:
        cycle = session.get(Cycle, cycle_id)
        if cycle is None:
            raise NotFound("Siklus tidak ditemukan.")
        return cycle_programmes_in(session, cycle, team_id)


def check_amounts(budget: float | None, spent: float | None) -> None:
    """The pagu and realisasi anggaran of a programme, as the entry form's are checked."""
    for key, value in (("budget", budget), ("spent", spent)):
        check_number(value, NUMBER_RULES[f"cycle_programmes.{key}"])


def apply_programme_in(session: Session, ctx: ServiceContext, principal: Principal,
                       cycle: Cycle, programme_id: int, budget: float | None,
                       spent: float | None,
                       expected_version: int | None = None) -> tuple[CycleProgramme, bool]:
    """save_programme_figures' checks and change in the caller's transaction (the
    workbook import uses it too). The caller holds the cycle's lock. Returns (row, changed).
    """
    ensure_open(cycle)
    check_amounts(budget, spent)
    row = session.scalar(select(CycleProgramme).where(
        CycleProgramme.cycle_id == cycle.id, CycleProgramme.programme_id == programme_id))
    if row is None:
        p = session.get(Programme, programme_id)
        if p is None or not p.active or p.team_id is None:
            raise NotFound("Program tidak ditemukan dalam siklus ini.")
        team_id = p.team_id
    else:
        team_id = row.team_id
    if team_id is None:
        raise ConflictError("Program ini belum ditetapkan tim penanggung jawabnya.")
    require_team_member(principal, team_id, "Mengisi pagu dan realisasi program")
    if session.scalar(select(StepRun.id).where(
            StepRun.cycle_id == cycle.id, StepRun.step_number == 4,
            StepRun.team_id == team_id)) is None:
        raise ConflictError("Format belum disampaikan kepada tim ini (langkah 3 belum selesai).")
    if expected_version is not None and version_of(row) != expected_version:
        raise edit_conflict(session, row) if row is not None else ConflictError(
            "Data program ini tidak ditemukan lagi; muat ulang.")
    if row is None:
        row = record.record_programme(session, cycle.id, session.get(Programme, programme_id))
    before = {"pagu": row.budget, "realisasi": row.spent}
    after = {"pagu": budget, "realisasi": spent}
    if row.id is not None and before == after:
        return row, False
    row.budget, row.spent = budget, spent
    row.updated_at = ctx.now()
    row.updated_by_id = principal.person_id
    session.flush()
    absorption = budget_absorption(budget, spent).value
    audit(session, ctx.now(), principal, "program.anggaran", "cycle_programme", row.id,
          before={**before, "siklus": cycle.id, "program": row.programme_id},
          after={**after, "serapan": None if absorption is None else float(absorption)})
    return row, True


@retry_busy
def save_programme_figures(ctx: ServiceContext, actor_id: int, cycle_id: int,
                           programme_id: int, budget: float | None, spent: float | None,
                           expected_version: int | None = None) -> CycleProgrammeView:
    """The team saves one programme's pagu and realisasi for the cycle (audited).

    ``expected_version``: :attr:`CycleProgrammeView.version` as the form loaded it; a
    newer change is refused (who and when) and nothing changes. Refused once the cycle
    is closed."""
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        cycle = lock_cycle(session, cycle_id)
        row, _changed = apply_programme_in(session, ctx, principal, cycle, programme_id,
                                           budget, spent, expected_version)
        session.flush()
        return _view(cycle, row, None)
