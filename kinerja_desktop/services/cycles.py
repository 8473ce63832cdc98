"""The workflow engine: a collection cycle through the seven SOP steps.

Step 1 starts with the cycle (it needs the SK); each step becomes ready when its
predecessor finishes; steps 3–6 run once per team; step 7 is ready once every team
is verified. Who may act and which kelengkapan must exist come from the cycle's own
SOP version, so an edited SOP never changes a running cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import (
    Cycle,
    Document,
    FormatItem,
    OfficeDayOff,
    Person,
    Sop,
    StepRun,
    Team,
)
from kinerja_desktop.domain.errors import ConflictError, IncompleteError, NotFound, ValidationError
from kinerja_desktop.domain.permissions import Principal, Role, may_act_on_step, require_step
from kinerja_desktop.domain.sop import StepDefinition, StepKind
from kinerja_desktop.domain.timing import StepStatus, StepTiming, WorkCalendar, evaluate
from kinerja_desktop.services import items
from kinerja_desktop.services.common import audit, load_principal
from kinerja_desktop.services.context import ServiceContext
from kinerja_desktop.services.files import display_name, store_file
from kinerja_desktop.services.sops import definition_of

MAX_SK_FILE = 20 * 1024 * 1024
COMPILED_KIND = "dokumen_data_kinerja"


class CycleStatus:
    RUNNING = "berjalan"
    DONE = "selesai"


@dataclass(frozen=True)
class CycleInfo:
    id: int
    year: int
    quarter: int | None
    label: str
    sop_id: int
    sop_version: int
    status: str
    sk_number: str
    sk_date: date
    sk_issuer: str
    sk_file_name: str | None
    sk_file_sha256: str | None
    created_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True)
class RequirementState:
    label: str
    present: bool
    detail: str = ""


@dataclass(frozen=True)
class TeamStepView:
    team_id: int
    team_name: str
    ready_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    started_by: str | None
    finished_by: str | None
    timing: StepTiming
    missing: tuple[str, ...]
    can_start: bool
    can_finish: bool
    note: str = ""


@dataclass(frozen=True)
class StepView:
    number: int
    kind: StepKind
    activity: str
    executor: Role
    requirements: tuple[RequirementState, ...]
    time_label: str
    output: str
    per_team: bool
    timing: StepTiming
    ready_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    started_by: str | None
    finished_by: str | None
    missing: tuple[str, ...]
    teams: tuple[TeamStepView, ...]
    teams_done: int
    teams_total: int
    can_start: bool
    can_finish: bool

    @property
    def progress_label(self) -> str:
        return f"{self.teams_done}/{self.teams_total} tim" if self.per_team else ""


@dataclass(frozen=True)
class WorkflowView:
    cycle: CycleInfo
    steps: tuple[StepView, ...]
    now: datetime
    #: The working days the timings were computed with (SOP's calendar_days, days off).
    calendar: WorkCalendar = field(default_factory=WorkCalendar)

    def step(self, number: int) -> StepView:
        return self.steps[number - 1]


# --------------------------------------------------------------------------- helpers


def cycle_label(year: int, quarter: int | None) -> str:
    return f"Tahun {year}" + (f" Triwulan {quarter}" if quarter else "")


def _info(cycle: Cycle) -> CycleInfo:
    return CycleInfo(
        cycle.id,
        cycle.year,
        cycle.quarter,
        cycle_label(cycle.year, cycle.quarter),
        cycle.sop_id,
        cycle.sop.version,
        cycle.status,
        cycle.sk_number,
        cycle.sk_date,
        cycle.sk_issuer,
        cycle.sk_file_name,
        cycle.sk_file_sha256,
        cycle.created_at,
        cycle.finished_at,
    )


def _get_cycle(session: Session, cycle_id: int) -> Cycle:
    cycle = session.get(Cycle, cycle_id)
    if cycle is None:
        raise NotFound("Siklus tidak ditemukan.")
    return cycle


def calendar_for(session: Session, sop: Sop) -> WorkCalendar:
    days = session.scalars(select(OfficeDayOff.day)).all()
    return WorkCalendar(office_days_off=days, calendar_days=sop.calendar_days)


def _runs(session: Session, cycle_id: int, step_no: int) -> list[StepRun]:
    return list(
        session.scalars(
            select(StepRun).where(StepRun.cycle_id == cycle_id, StepRun.step_number == step_no)
        )
    )


def _run(session: Session, cycle_id: int, step_no: int, team_id: int | None) -> StepRun | None:
    for run in _runs(session, cycle_id, step_no):
        if run.team_id == team_id:
            return run
    return None


def cycle_teams(session: Session, cycle_id: int) -> list[Team]:
    """Teams that take part in a cycle: those with items in its format."""
    return list(
        session.scalars(
            select(Team)
            .where(Team.id.in_(select(FormatItem.team_id).where(FormatItem.cycle_id == cycle_id)))
            .order_by(Team.position, Team.name)
        )
    )


def _step_def(cycle: Cycle, step_no: int) -> StepDefinition:
    if not 1 <= step_no <= 7:
        raise ValidationError(f"Langkah {step_no} tidak ada; langkah bernomor 1 sampai 7.")
    return definition_of(cycle.sop).step(step_no)


# --------------------------------------------------------------------------- kelengkapan


def missing_requirements(
    session: Session, cycle: Cycle, step: StepDefinition, team_id: int | None
) -> list[str]:
    """What is still missing before ``step`` may finish (empty when complete)."""
    label = step.requirements[0] if step.requirements else "Kelengkapan"
    missing: list[str] = []
    if step.kind is StepKind.ORDER:
        if not cycle.sk_number.strip():
            missing.append(f"{label}: nomor SK belum diisi")
        if cycle.sk_date is None:
            missing.append(f"{label}: tanggal SK belum diisi")
    elif step.kind is StepKind.FORMAT:
        format_items = session.scalars(
            select(FormatItem)
            .where(FormatItem.cycle_id == cycle.id)
            .join(FormatItem.indicator)
            .order_by(FormatItem.position)
        ).all()
        if not format_items:
            missing.append(f"{label}: format belum berisi indikator")
        for item in format_items:
            name = item.indicator.name
            if item.team_id is None:
                missing.append(f"Indikator '{name}' belum ditetapkan timnya")
            if not item.indicator.qualitative and item.target is None:
                missing.append(f"Indikator '{name}' belum memiliki target")
            if item.indicator.qualitative and not item.target_text.strip():
                missing.append(f"Indikator kualitatif '{name}' belum memiliki target")
    elif step.kind is StepKind.DISTRIBUTE:
        count = session.scalar(
            select(func.count())
            .select_from(FormatItem)
            .where(FormatItem.cycle_id == cycle.id, FormatItem.team_id == team_id)
        )
        if not count:
            missing.append(f"{label}: tim ini tidak memiliki indikator dalam format")
    elif step.kind in (StepKind.FILL, StepKind.SUBMIT):
        for name, fields in items.missing_for_team(session, cycle.id, team_id):
            missing.append(f"{name}: {', '.join(fields)} belum diisi")
    elif step.kind is StepKind.VERIFY:
        pending = items.unverified_items(session, cycle.id, team_id)
        if pending:
            missing.append(f"{label}: {len(pending)} indikator belum diverifikasi")
    elif step.kind is StepKind.COMPILE:
        for team in cycle_teams(session, cycle.id):
            run = _run(session, cycle.id, 6, team.id)
            if run is None or run.finished_at is None:
                missing.append(f"{label}: data tim {team.name} belum selesai diverifikasi")
    return missing


def _requirement_states(
    session: Session, cycle: Cycle, step: StepDefinition, team_id: int | None, missing: list[str]
) -> tuple[RequirementState, ...]:
    detail = "; ".join(missing)
    return tuple(RequirementState(r, not missing, detail) for r in step.requirements)


# --------------------------------------------------------------------------- actions


def start_cycle(
    ctx: ServiceContext,
    actor_id: int,
    year: int,
    sk_number: str,
    sk_date: date | None,
    sk_issuer: str = "",
    quarter: int | None = None,
    sk_file: Path | None = None,
    note: str = "",
) -> CycleInfo:
    """Step 1 begins: a new cycle under the current SOP, with its SK."""
    if not 2000 <= year <= 2100:
        raise ValidationError(f"Tahun {year} tidak sah.")
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise ValidationError("Triwulan harus 1, 2, 3 atau 4.")
    missing = []
    if not sk_number.strip():
        missing.append("nomor SK")
    if sk_date is None:
        missing.append("tanggal SK")
    if missing:
        raise IncompleteError("Siklus baru memerlukan SK Inspektur", missing)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        sop = session.scalar(
            select(Sop).where(Sop.is_current.is_(True)).order_by(Sop.version.desc()).limit(1)
        )
        if sop is None:
            raise NotFound("Belum ada SOP terpasang.")
        step1 = definition_of(sop).step(1)
        require_step(principal, step1.executor, None, 1)
        clash = session.scalar(
            select(Cycle).where(
                Cycle.year == year,
                Cycle.quarter.is_(quarter) if quarter is None else Cycle.quarter == quarter,
            )
        )
        if clash is not None:
            raise ConflictError(f"Siklus {cycle_label(year, quarter)} sudah ada.")
        now = ctx.now()
        cycle = Cycle(
            year=year,
            quarter=quarter,
            sop_id=sop.id,
            status=CycleStatus.RUNNING,
            sk_number=sk_number.strip(),
            sk_date=sk_date,
            sk_issuer=sk_issuer.strip(),
            note=note.strip(),
            created_at=now,
            created_by_id=principal.person_id,
        )
        if sk_file is not None:
            sha, _ = store_file(session, ctx, sk_file, MAX_SK_FILE, now)
            cycle.sk_file_sha256, cycle.sk_file_name = sha, display_name(sk_file.name)
        session.add(cycle)
        session.flush()
        session.add(
            StepRun(
                cycle_id=cycle.id,
                step_number=1,
                ready_at=now,
                started_at=now,
                started_by_id=principal.person_id,
            )
        )
        audit(
            session,
            now,
            principal,
            "siklus.mulai",
            "cycle",
            cycle.id,
            after={
                "tahun": year,
                "triwulan": quarter,
                "sk_nomor": cycle.sk_number,
                "sk_tanggal": sk_date,
                "sk_penerbit": cycle.sk_issuer,
                "sk_berkas": cycle.sk_file_name,
                "sop_versi": sop.version,
            },
        )
        session.flush()
        session.refresh(cycle)
        return _info(cycle)


def update_sk(
    ctx: ServiceContext,
    actor_id: int,
    cycle_id: int,
    sk_number: str,
    sk_date: date | None,
    sk_issuer: str,
    sk_file: Path | None = None,
) -> CycleInfo:
    """Correct the SK while step 1 is still open (Sekretaris)."""
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        cycle = _get_cycle(session, cycle_id)
        step1 = _step_def(cycle, 1)
        require_step(principal, step1.executor, None, 1)
        run = _run(session, cycle.id, 1, None)
        if run is not None and run.finished_at is not None:
            raise ConflictError("SK tidak dapat diubah setelah langkah 1 selesai.")
        if not sk_number.strip() or sk_date is None:
            raise IncompleteError(
                "SK belum lengkap",
                [
                    m
                    for m, ok in (("nomor SK", sk_number.strip()), ("tanggal SK", sk_date))
                    if not ok
                ],
            )
        before = {
            "sk_nomor": cycle.sk_number,
            "sk_tanggal": cycle.sk_date,
            "sk_penerbit": cycle.sk_issuer,
            "sk_berkas": cycle.sk_file_name,
        }
        cycle.sk_number, cycle.sk_date, cycle.sk_issuer = (
            sk_number.strip(),
            sk_date,
            sk_issuer.strip(),
        )
        if sk_file is not None:
            sha, _ = store_file(session, ctx, sk_file, MAX_SK_FILE, ctx.now())
            cycle.sk_file_sha256, cycle.sk_file_name = sha, display_name(sk_file.name)
        audit(
            session,
            ctx.now(),
            principal,
            "siklus.ubah_sk",
            "cycle",
            cycle.id,
            before=before,
            after={
                "sk_nomor": cycle.sk_number,
                "sk_tanggal": cycle.sk_date,
                "sk_penerbit": cycle.sk_issuer,
                "sk_berkas": cycle.sk_file_name,
            },
        )
        return _info(cycle)


def _check_actor(principal: Principal, step: StepDefinition, team_id: int | None) -> None:
    require_step(principal, step.executor, team_id, step.number)


def _open_run(session: Session, cycle: Cycle, step: StepDefinition, team_id: int | None) -> StepRun:
    if cycle.status != CycleStatus.RUNNING:
        raise ConflictError(f"Siklus {cycle_label(cycle.year, cycle.quarter)} sudah selesai.")
    if step.per_team and team_id is None:
        raise ValidationError(f"Langkah {step.number} dijalankan per tim; pilih timnya.")
    if not step.per_team:
        team_id = None
    run = _run(session, cycle.id, step.number, team_id)
    if run is None or run.ready_at is None:
        previous = step.number - 1
        raise ConflictError(
            f"Langkah {step.number} belum siap: langkah {previous} belum selesai"
            + (" untuk tim ini." if step.per_team and previous >= 3 else ".")
        )
    if run.finished_at is not None:
        raise ConflictError(f"Langkah {step.number} sudah selesai.")
    return run


def start_step_in(
    session: Session,
    ctx: ServiceContext,
    principal: Principal,
    cycle: Cycle,
    step_no: int,
    team_id: int | None,
) -> StepRun:
    """Start a step inside an existing transaction (idempotent once started)."""
    step = _step_def(cycle, step_no)
    _check_actor(principal, step, team_id)
    run = _open_run(session, cycle, step, team_id)
    if run.started_at is None:
        run.started_at = ctx.now()
        run.started_by_id = principal.person_id
        audit(
            session,
            run.started_at,
            principal,
            "langkah.mulai",
            "step_run",
            run.id,
            after={"siklus": cycle.id, "langkah": step_no, "tim": team_id},
        )
    return run


def start_step(
    ctx: ServiceContext, actor_id: int, cycle_id: int, step_no: int, team_id: int | None = None
) -> None:
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        cycle = _get_cycle(session, cycle_id)
        step = _step_def(cycle, step_no)
        _check_actor(principal, step, team_id)
        run = _open_run(session, cycle, step, team_id)
        if run.started_at is not None:
            raise ConflictError(f"Langkah {step_no} sudah dimulai.")
        start_step_in(session, ctx, principal, cycle, step_no, team_id)


def finish_step_in(
    session: Session,
    ctx: ServiceContext,
    principal: Principal,
    cycle: Cycle,
    step_no: int,
    team_id: int | None,
    note: str = "",
) -> StepRun:
    """Finish a step inside an existing transaction: kelengkapan checked, successor made ready."""
    step = _step_def(cycle, step_no)
    _check_actor(principal, step, team_id)
    run = _open_run(session, cycle, step, team_id)
    missing = missing_requirements(session, cycle, step, team_id if step.per_team else None)
    if missing:
        raise IncompleteError(f"Langkah {step_no} belum dapat diselesaikan", missing)
    now = ctx.now()
    if run.started_at is None:
        run.started_at = now
        run.started_by_id = principal.person_id
    run.finished_at = now
    run.finished_by_id = principal.person_id
    if note.strip():
        run.note = note.strip()
    audit(
        session,
        now,
        principal,
        "langkah.selesai",
        "step_run",
        run.id,
        after={"siklus": cycle.id, "langkah": step_no, "tim": team_id, "catatan": run.note},
    )
    _make_successors_ready(session, cycle, step_no, team_id if step.per_team else None, now)
    return run


def _make_successors_ready(
    session: Session, cycle: Cycle, step_no: int, team_id: int | None, now: datetime
) -> None:
    session.flush()
    if step_no == 1:
        session.add(StepRun(cycle_id=cycle.id, step_number=2, ready_at=now))
    elif step_no == 2:
        for team in cycle_teams(session, cycle.id):
            session.add(StepRun(cycle_id=cycle.id, step_number=3, team_id=team.id, ready_at=now))
    elif step_no in (3, 4, 5):
        if _run(session, cycle.id, step_no + 1, team_id) is None:
            session.add(
                StepRun(cycle_id=cycle.id, step_number=step_no + 1, team_id=team_id, ready_at=now)
            )
    elif step_no == 6:
        teams = cycle_teams(session, cycle.id)
        runs = {r.team_id: r for r in _runs(session, cycle.id, 6)}
        if all(runs.get(t.id) is not None and runs[t.id].finished_at is not None for t in teams):
            if _run(session, cycle.id, 7, None) is None:
                session.add(StepRun(cycle_id=cycle.id, step_number=7, ready_at=now))
    elif step_no == 7:
        cycle.status = CycleStatus.DONE
        cycle.finished_at = now
    session.flush()


def finish_step(
    ctx: ServiceContext,
    actor_id: int,
    cycle_id: int,
    step_no: int,
    team_id: int | None = None,
    note: str = "",
) -> None:
    """Finish a step (steps 5 and 6 finish through submission and verification)."""
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        cycle = _get_cycle(session, cycle_id)
        step = _step_def(cycle, step_no)
        if step.kind is StepKind.SUBMIT:
            _check_actor(principal, step, team_id)
            raise ConflictError("Langkah 5 diselesaikan dengan menyerahkan data tim (Serahkan).")
        finish_step_in(session, ctx, principal, cycle, step_no, team_id, note)
        closed = (f"{cycle.year}" + (f"-triwulan-{cycle.quarter}" if cycle.quarter else "")
                  if step_no == 7 else None)
    if closed is not None:
        closing_backup(ctx, closed)


def closing_backup(ctx: ServiceContext, label: str) -> None:
    """The backup kept for every closed cycle (after the closing is committed); a failure
    is logged and never undoes the closing. The rotation never deletes it."""
    import logging

    from kinerja_desktop.services import backup

    try:
        made = backup.cycle_closing_backup(ctx, label, now=ctx.now())
        logging.getLogger(__name__).info("Cadangan penutupan siklus %s: %s", label, made.path)
    except (backup.BackupError, OSError) as exc:
        logging.getLogger(__name__).error("Cadangan penutupan siklus %s tidak dibuat: %s",
                                          label, exc)


# --------------------------------------------------------------------------- queries


def list_cycles(ctx: ServiceContext) -> list[CycleInfo]:
    with ctx.read() as session:
        cycles = session.scalars(
            select(Cycle).order_by(Cycle.year.desc(), Cycle.quarter.desc())
        ).all()
        return [_info(c) for c in cycles]


def get_cycle(ctx: ServiceContext, cycle_id: int) -> CycleInfo:
    with ctx.read() as session:
        return _info(_get_cycle(session, cycle_id))


def find_cycle(ctx: ServiceContext, year: int, quarter: int | None = None) -> CycleInfo:
    with ctx.read() as session:
        query = select(Cycle).where(Cycle.year == year)
        query = query.where(
            Cycle.quarter.is_(None) if quarter is None else Cycle.quarter == quarter
        )
        cycle = session.scalar(query)
        if cycle is None:
            raise NotFound(f"Siklus {cycle_label(year, quarter)} tidak ditemukan.")
        return _info(cycle)


def active_cycle(ctx: ServiceContext) -> CycleInfo | None:
    """The running cycle (the newest when several run), else the newest finished one."""
    with ctx.read() as session:
        cycle = session.scalar(
            select(Cycle)
            .order_by(
                (Cycle.status == CycleStatus.RUNNING).desc(),
                Cycle.year.desc(),
                Cycle.quarter.desc(),
                Cycle.id.desc(),
            )
            .limit(1)
        )
        return _info(cycle) if cycle else None


def _person_names(session: Session) -> dict[int, str]:
    """Every person's name in one query (the panel names who started and finished)."""
    return {pid: name for pid, name in session.execute(select(Person.id, Person.name))}


def _actions(
    may_act: bool, ready, started, finished, missing, finishable: bool = True
) -> tuple[bool, bool]:
    """(can_start, can_finish) of a step run for a viewer who ``may_act`` on it.

    Steps 5 and 6 are not finished by hand: submission and verification finish them.
    """
    is_open = may_act and ready is not None and finished is None
    return is_open and started is None, is_open and not missing and finishable


def _pick(names: dict[int, str], *ids: int | None) -> list[str | None]:
    return [names.get(i) if i else None for i in ids]


def _aggregate(
    standard, team_views: list[TeamStepView], now: datetime, calendar: WorkCalendar
) -> tuple[StepTiming, datetime | None, datetime | None, datetime | None]:
    if not team_views:
        return evaluate(standard, None, None, None, now, calendar), None, None, None
    readies = [t.ready_at for t in team_views if t.ready_at]
    starts = [t.started_at for t in team_views if t.started_at]
    ready = min(readies) if readies else None
    started = min(starts) if starts else None
    all_done = all(t.finished_at for t in team_views)
    finished = max(t.finished_at for t in team_views) if all_done else None
    statuses = [t.timing.status for t in team_views]
    worst = max(team_views, key=lambda t: _SEVERITY[t.timing.status]).timing
    if all_done:
        late = StepStatus.SELESAI_TERLAMBAT in statuses
        status = StepStatus.SELESAI_TERLAMBAT if late else StepStatus.SELESAI_TEPAT_WAKTU
        worst = max(team_views, key=lambda t: t.timing.used_fraction or 0).timing
        return (
            StepTiming(
                status, worst.waiting, worst.work, worst.used, worst.used_fraction, worst.deadline
            ),
            ready,
            started,
            finished,
        )
    return worst, ready, started, finished


_SEVERITY = {
    StepStatus.SELESAI_TEPAT_WAKTU: 0,
    StepStatus.SELESAI_TERLAMBAT: 1,
    StepStatus.BELUM_SIAP: 2,
    StepStatus.SIAP: 3,
    StepStatus.BERJALAN: 4,
    StepStatus.MENDEKATI_BATAS: 5,
    StepStatus.MELEWATI_BATAS: 6,
}


def workflow(
    ctx: ServiceContext, cycle_id: int, viewer_id: int | None = None, now: datetime | None = None
) -> WorkflowView:
    """Everything the workflow panel shows, for the viewer (who may act on what)."""
    now = now or ctx.now()
    with ctx.read() as session:
        cycle = _get_cycle(session, cycle_id)
        principal = load_principal(session, viewer_id) if viewer_id else None
        defn = definition_of(cycle.sop)
        calendar = calendar_for(session, cycle.sop)
        names = _person_names(session)
        teams = cycle_teams(session, cycle.id)
        running = cycle.status == CycleStatus.RUNNING
        runs_by_step: dict[int, list[StepRun]] = {}
        for run in session.scalars(
            select(StepRun).where(StepRun.cycle_id == cycle.id).order_by(StepRun.id)
        ):
            runs_by_step.setdefault(run.step_number, []).append(run)
        views: list[StepView] = []
        for step in defn.steps:
            runs = runs_by_step.get(step.number, [])
            if step.per_team:
                by_team = {r.team_id: r for r in runs}
                team_views = []
                for team in teams:
                    run = by_team.get(team.id)
                    ready, started, finished = (
                        (run.ready_at, run.started_at, run.finished_at)
                        if run
                        else (None, None, None)
                    )
                    timing = evaluate(step.time, ready, started, finished, now, calendar)
                    missing = (
                        missing_requirements(session, cycle, step, team.id)
                        if run and not finished
                        else []
                    )
                    allowed = bool(principal and may_act_on_step(principal, step.executor, team.id))
                    started_by, finished_by = _pick(
                        names,
                        run.started_by_id if run else None,
                        run.finished_by_id if run else None,
                    )
                    team_views.append(
                        TeamStepView(
                            team.id,
                            team.name,
                            ready,
                            started,
                            finished,
                            started_by,
                            finished_by,
                            timing,
                            tuple(missing),
                            *_actions(
                                allowed and running,
                                ready,
                                started,
                                finished,
                                missing,
                                finishable=step.kind not in (StepKind.SUBMIT, StepKind.VERIFY),
                            ),
                            note=run.note if run else "",
                        )
                    )
                timing, ready, started, finished = _aggregate(step.time, team_views, now, calendar)
                done = sum(1 for t in team_views if t.finished_at)
                missing_all = tuple(f"{t.team_name} — {m}" for t in team_views for m in t.missing)
                reqs = tuple(
                    RequirementState(
                        r, not missing_all and bool(team_views), "; ".join(missing_all)
                    )
                    for r in step.requirements
                )
                views.append(
                    StepView(
                        step.number,
                        step.kind,
                        step.activity,
                        step.executor,
                        reqs,
                        step.time.label(),
                        step.output,
                        True,
                        timing,
                        ready,
                        started,
                        finished,
                        None,
                        None,
                        missing_all,
                        tuple(team_views),
                        done,
                        len(team_views),
                        can_start=any(t.can_start for t in team_views),
                        can_finish=any(t.can_finish for t in team_views),
                    )
                )
            else:
                run = runs[0] if runs else None
                ready, started, finished = (
                    (run.ready_at, run.started_at, run.finished_at) if run else (None, None, None)
                )
                timing = evaluate(step.time, ready, started, finished, now, calendar)
                missing = (
                    missing_requirements(session, cycle, step, None)
                    if run is None or not finished
                    else []
                )
                allowed = bool(principal and may_act_on_step(principal, step.executor, None))
                started_by, finished_by = _pick(
                    names, run.started_by_id if run else None, run.finished_by_id if run else None
                )
                views.append(
                    StepView(
                        step.number,
                        step.kind,
                        step.activity,
                        step.executor,
                        _requirement_states(session, cycle, step, None, missing),
                        step.time.label(),
                        step.output,
                        False,
                        timing,
                        ready,
                        started,
                        finished,
                        started_by,
                        finished_by,
                        tuple(missing),
                        (),
                        0,
                        0,
                        *_actions(allowed and running, ready, started, finished, missing),
                    )
                )
        return WorkflowView(_info(cycle), tuple(views), now, calendar)


def compiled_documents(session: Session, cycle_id: int) -> list[Document]:
    return list(
        session.scalars(
            select(Document).where(Document.cycle_id == cycle_id, Document.kind == COMPILED_KIND)
        )
    )


def indicator_count(session: Session, cycle_id: int) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(FormatItem).where(FormatItem.cycle_id == cycle_id)
        )
        or 0
    )
