"""The workflow engine: a collection cycle through the seven SOP steps.

Step 1 starts with the cycle (it needs the SK); each step becomes ready when its
predecessor finishes; steps 3–6 run once per team; step 7 is ready once every team
is verified. Who may act and which kelengkapan must exist come from the cycle's own
SOP version, so an edited SOP never changes a running cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, object_session

from kinerja_desktop.db.models import (
    Cycle,
    Document,
    FormatItem,
    Indicator,
    OfficeDayOff,
    RecordVersion,
    Sop,
    StepRun,
    Submission,
    Team,
)
from kinerja_desktop.domain.errors import (
    ConflictError,
    IncompleteError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from kinerja_desktop.domain.permissions import (
    Principal,
    Role,
    require_step,
)
from kinerja_desktop.domain.sop import StepDefinition, StepKind
from kinerja_desktop.domain.timing import (
    WorkCalendar,
)
from kinerja_desktop.services import items, record
from kinerja_desktop.services.common import (
    CLOSED,
    audit,
    check_lengths,
    check_version,
    ensure_open,
    load_principal,
    lock_cycle,
)
from kinerja_desktop.services.context import ServiceContext, retry_busy
from kinerja_desktop.services.files import display_name, store_file
from kinerja_desktop.services.sops import definition_of

MAX_SK_FILE = 20 * 1024 * 1024
MIN_REOPEN_REASON = 10
MAX_REOPEN_REASON = 2000
COMPILED_KIND = "dokumen_data_kinerja"


class CycleStatus:
    RUNNING = "berjalan"
    DONE = CLOSED  # step 7 finished: the official record, read-only until reopened


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
    #: The row version a form editing the SK keeps (see ``update_sk``).
    version: int = 0
    #: How many times the cycle was closed (its archived versions: Asli, Revisi 1, ...).
    closings: int = 0

    @property
    def closed(self) -> bool:
        """Step 7 finished: the official record, read-only until reopened."""
        return self.status == CycleStatus.DONE

    @property
    def reopened(self) -> bool:
        """Reopened for correction and not closed again yet."""
        return not self.closed and self.closings > 0

    @property
    def version_label(self) -> str:
        """The version a closed cycle prints ("Asli", "Revisi 1"); "" while running."""
        if not self.closed or not self.closings:
            return ""
        return f"Revisi {self.closings - 1}" if self.closings > 1 else "Asli"


@dataclass(frozen=True)
class RequirementState:
    label: str
    present: bool
    detail: str = ""


def cycle_label(year: int, quarter: int | None) -> str:
    return f"Tahun {year}" + (f" Triwulan {quarter}" if quarter else "")


def _info(cycle: Cycle) -> CycleInfo:
    session = object_session(cycle)
    closings = session.scalar(select(func.count()).select_from(RecordVersion).where(
        RecordVersion.cycle_id == cycle.id)) if session is not None else 0
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
        cycle.row_version,
        closings or 0,
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


class CycleFacts:
    """What the kelengkapan of a cycle's steps depends on, read once for a whole view
    (each fact on first use, for every team at once)."""

    def __init__(self, session: Session, cycle: Cycle) -> None:
        self.session, self.cycle = session, cycle

    @cached_property
    def incomplete(self) -> dict[int | None, int]:
        return items.incomplete_counts(self.session, self.cycle.id)

    @cached_property
    def item_counts(self) -> dict[int | None, int]:
        return dict(self.session.execute(
            select(FormatItem.team_id, func.count()).where(FormatItem.cycle_id == self.cycle.id)
            .group_by(FormatItem.team_id)).all())


    @cached_property
    def unverified(self) -> dict[int | None, int]:
        return items.unverified_counts(self.session, self.cycle.id)

    @cached_property
    def submitted_teams(self) -> frozenset[int]:
        return frozenset(self.session.scalars(
            select(Submission.team_id).where(Submission.cycle_id == self.cycle.id)))

    @cached_property
    def format_final(self) -> bool:
        run = _run(self.session, self.cycle.id, 2, None)
        return run is not None and run.finished_at is not None

    @cached_property
    def has_document(self) -> bool:
        return bool(self.session.scalar(
            select(func.count()).select_from(Document).where(
                Document.cycle_id == self.cycle.id, Document.kind == COMPILED_KIND)))


def requirement_present(
    session: Session, cycle: Cycle, step: StepDefinition, team_id: int | None,
    facts: CycleFacts | None = None, missing: list[str] | None = None,
) -> tuple[bool, str]:
    """Whether the step's kelengkapan exists now, with a short reason when it does not.

    Truthful, not "nothing blocks": step 3 needs the final format (step 2 finished);
    step 4 the team's required fields filled; steps 5 and 6 the data handed in; step 7
    the Dokumen Data Kinerja. Steps 1 and 2: their input is complete (``missing``).
    """
    facts = facts or CycleFacts(session, cycle)
    kind = step.kind
    if kind in (StepKind.ORDER, StepKind.FORMAT):
        if missing is None:
            missing = missing_requirements(session, cycle, step, None, facts)
        return not missing, "; ".join(missing)
    if kind is StepKind.COMPILE:
        return facts.has_document, "" if facts.has_document else \
            "Dokumen Data Kinerja belum disusun"
    if not facts.item_counts.get(team_id):
        return False, "tim ini tidak memiliki indikator dalam format"
    if kind is StepKind.DISTRIBUTE:
        return facts.format_final, "" if facts.format_final else \
            "format belum final (langkah 2 belum selesai)"
    if kind is StepKind.FILL:
        incomplete = facts.incomplete.get(team_id, 0)
        return not incomplete, (f"{incomplete} indikator belum lengkap" if incomplete else "")
    submitted = team_id in facts.submitted_teams
    return submitted, "" if submitted else "data tim belum diserahkan"


#: A view names this many incomplete items per step and team, then counts the rest.
MISSING_EXAMPLES = 8


def _format_problems(session: Session, cycle: Cycle, label: str,
                     limit: int | None) -> list[str]:
    """Step 2's kelengkapan: items, each with a team and a target (``limit`` names per
    kind of problem, then a count of the rest)."""
    total = session.scalar(select(func.count()).select_from(FormatItem)
                           .where(FormatItem.cycle_id == cycle.id)) or 0
    if not total:
        return [f"{label}: format belum berisi indikator"]
    no_target = or_(
        and_(Indicator.qualitative.is_(False), FormatItem.target.is_(None)),
        and_(Indicator.qualitative.is_(True),
             func.length(func.trim(FormatItem.target_text)) == 0))
    problems: list[str] = []
    for condition, message in (
            (FormatItem.team_id.is_(None), "Indikator '{}' belum ditetapkan timnya"),
            (no_target, "Indikator '{}' belum memiliki target")):
        query = (select(Indicator.name, Indicator.qualitative)
                 .join(FormatItem, FormatItem.indicator_id == Indicator.id)
                 .where(FormatItem.cycle_id == cycle.id, condition)
                 .order_by(FormatItem.position))
        names = session.execute(query.limit(limit) if limit else query).all()
        for name, qualitative in names:
            text = message.format(name)
            if qualitative and condition is no_target:
                text = text.replace("Indikator '", "Indikator kualitatif '", 1)
            problems.append(text)
        if limit and len(names) == limit:
            count = session.scalar(select(func.count()).select_from(FormatItem)
                                   .join(Indicator, Indicator.id == FormatItem.indicator_id)
                                   .where(FormatItem.cycle_id == cycle.id, condition)) or 0
            if count > limit:
                problems.append(f"… dan {count - limit} indikator lain dengan masalah yang sama")
    return problems


def missing_requirements(
    session: Session, cycle: Cycle, step: StepDefinition, team_id: int | None,
    facts: CycleFacts | None = None,
) -> list[str]:
    """What is still missing before ``step`` may finish (empty when complete).

    With ``facts`` (a view of the whole cycle) long lists name the first
    :data:`MISSING_EXAMPLES` items and count the rest; without (finishing a step) every
    item is named.
    """
    label = step.requirements[0] if step.requirements else "Kelengkapan"
    missing: list[str] = []
    if step.kind is StepKind.ORDER:
        if not cycle.sk_number.strip():
            missing.append(f"{label}: nomor SK belum diisi")
        if cycle.sk_date is None:
            missing.append(f"{label}: tanggal SK belum diisi")
    elif step.kind is StepKind.FORMAT:
        missing += _format_problems(session, cycle, label,
                                    MISSING_EXAMPLES if facts is not None else None)
    elif step.kind is StepKind.DISTRIBUTE:
        count = facts.item_counts.get(team_id) if facts is not None else session.scalar(
            select(func.count())
            .select_from(FormatItem)
            .where(FormatItem.cycle_id == cycle.id, FormatItem.team_id == team_id)
        )
        if not count:
            missing.append(f"{label}: tim ini tidak memiliki indikator dalam format")
    elif step.kind in (StepKind.FILL, StepKind.SUBMIT):
        if facts is None:
            incomplete = items.missing_for_team(session, cycle.id, team_id)
            total = len(incomplete)
        else:  # a view: the count, and the first few items by name
            total = facts.incomplete.get(team_id, 0)
            incomplete = items.incomplete_examples(session, cycle.id, team_id,
                                                   MISSING_EXAMPLES) if total else []
        for name, fields in incomplete:
            missing.append(f"{name}: {', '.join(fields)} belum diisi")
        if total > len(incomplete):
            missing.append(f"… dan {total - len(incomplete)} indikator lain belum lengkap")
    elif step.kind is StepKind.VERIFY:
        pending = facts.unverified.get(team_id, 0) if facts is not None else \
            len(items.unverified_items(session, cycle.id, team_id))
        if pending:
            missing.append(f"{label}: {pending} indikator belum diverifikasi")
    elif step.kind is StepKind.COMPILE:
        names = record.team_names(session, cycle.id)
        verified = {r.team_id for r in _runs(session, cycle.id, 6) if r.finished_at is not None}
        for team in cycle_teams(session, cycle.id):
            if team.id not in verified:
                missing.append(f"{label}: data tim {names.get(team.id, team.name)} belum "
                               "selesai diverifikasi")
    return missing


def _requirement_states(
    session: Session, cycle: Cycle, step: StepDefinition, missing: list[str], facts: CycleFacts
) -> tuple[RequirementState, ...]:
    present, detail = requirement_present(session, cycle, step, None, facts, missing)
    return tuple(RequirementState(r, present, detail) for r in step.requirements)


# --------------------------------------------------------------------------- actions


def _check_sk_text(sk_number: str, sk_issuer: str) -> None:
    check_lengths(Cycle, sk_number=("Nomor SK", sk_number.strip()),
                  sk_issuer=("Penerbit SK", sk_issuer.strip()))


@retry_busy
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
    _check_sk_text(sk_number, sk_issuer)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        # Two PCs starting the same year at once: the second sees the first's cycle.
        ctx.lock(session, f"kinerja-desktop:siklus:{year}:{quarter or 0}")
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


@retry_busy
def update_sk(
    ctx: ServiceContext,
    actor_id: int,
    cycle_id: int,
    sk_number: str,
    sk_date: date | None,
    sk_issuer: str,
    sk_file: Path | None = None,
    expected_version: int | None = None,
) -> CycleInfo:
    """Correct the SK while step 1 is still open (Sekretaris). ``expected_version``: the
    cycle's version the form loaded (a newer change is refused, naming who made it)."""
    _check_sk_text(sk_number, sk_issuer)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        cycle = lock_cycle(session, cycle_id)
        ensure_open(cycle)
        check_version(session, cycle, expected_version)
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
    ensure_open(cycle)
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
    """Start a step inside an existing transaction (idempotent once started). The caller
    holds the cycle's lock (:func:`lock_cycle`), so a step is started, and audited, once."""
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


@retry_busy
def start_step(
    ctx: ServiceContext, actor_id: int, cycle_id: int, step_no: int, team_id: int | None = None
) -> None:
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        cycle = lock_cycle(session, cycle_id)
        ensure_open(cycle)
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
        if step_no == 3:  # the format is sent: the team's items keep what it was given
            record.freeze_sent(session, cycle, team_id, now)
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


@retry_busy
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
        cycle = lock_cycle(session, cycle_id)
        ensure_open(cycle)
        step = _step_def(cycle, step_no)
        if step.kind is StepKind.SUBMIT:
            _check_actor(principal, step, team_id)
            raise ConflictError("Langkah 5 diselesaikan dengan menyerahkan data tim (Serahkan).")
        if step.kind is StepKind.COMPILE:
            _check_actor(principal, step, team_id)
            raise ConflictError("Langkah 7 diselesaikan dengan Selesaikan kompilasi: Dokumen "
                                "Data Kinerja dikompilasi, diarsipkan, dan siklus ditutup.")
        finish_step_in(session, ctx, principal, cycle, step_no, team_id, note)


def closing_backup(ctx: ServiceContext, label: str) -> None:
    """The backup kept for every closed cycle (made by ``documents.compile_and_close``,
    the only way a cycle closes, after the closing is committed); a failure
    is logged and never undoes the closing. The rotation never deletes it."""
    import logging

    from kinerja_desktop.services import backup

    try:
        made = backup.cycle_closing_backup(ctx, label, now=ctx.now())
        logging.getLogger(__name__).info("Cadangan penutupan siklus %s: %s", label, made.path)
    except (backup.BackupError, OSError) as exc:
        logging.getLogger(__name__).error("Cadangan penutupan siklus %s tidak dibuat: %s",
                                          label, exc)


def reopen_cycle(ctx: ServiceContext, actor_id: int, cycle_id: int, reason: str) -> CycleInfo:
    """"Buka kembali untuk perbaikan": a closed cycle runs step 7 again (Administrator or
    Kasubag, reason required, audited). Its archived versions stay; compiling again adds
    "Revisi N". While reopened, the Kasubag may return verified items to their team."""
    reason = " ".join(reason.split())
    if len(reason) < MIN_REOPEN_REASON:
        raise ValidationError("Alasan membuka kembali wajib diisi (minimal "
                              f"{MIN_REOPEN_REASON} karakter).")
    if len(reason) > MAX_REOPEN_REASON:
        raise ValidationError(f"Alasan terlalu panjang (maksimal {MAX_REOPEN_REASON} karakter).")
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        if not (principal.has(Role.ADMIN) or principal.has(Role.KASUBAG)):
            raise PermissionDenied("Siklus yang ditutup hanya dapat dibuka kembali oleh "
                                   "Administrator atau Kasubag.")
        cycle = _get_cycle(session, cycle_id)
        label = cycle_label(cycle.year, cycle.quarter)
        if cycle.status != CycleStatus.DONE:
            raise ConflictError(f"Siklus {label} belum ditutup; tidak ada yang perlu dibuka "
                                "kembali.")
        now = ctx.now()
        version = session.scalar(select(RecordVersion).where(
            RecordVersion.cycle_id == cycle.id).order_by(RecordVersion.revision.desc()).limit(1))
        if version is not None:
            version.reopened_at = now
            version.reopened_by_id = principal.person_id
            version.reopen_reason = reason
        run7 = _run(session, cycle.id, 7, None)
        if run7 is not None:
            run7.ready_at, run7.started_at, run7.started_by_id = now, None, None
            run7.finished_at, run7.finished_by_id = None, None
        cycle.status, cycle.finished_at = CycleStatus.RUNNING, None
        audit(session, now, principal, "siklus.buka_kembali", "cycle", cycle.id,
              before={"status": CycleStatus.DONE,
                      "revisi": version.revision if version is not None else None},
              after={"status": CycleStatus.RUNNING, "alasan": reason})
        session.flush()
        return _info(cycle)


def is_reopened(session: Session, cycle: Cycle) -> bool:
    """A running cycle that was closed before (its corrections follow "buka kembali")."""
    return cycle.status == CycleStatus.RUNNING and session.scalar(
        select(func.count()).select_from(RecordVersion)
        .where(RecordVersion.cycle_id == cycle.id)) > 0


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


@dataclass(frozen=True)
class CycleTeam:
    """A team taking part in a cycle, and whether its format was delivered (step 3)."""

    id: int
    name: str
    delivered: bool


def list_cycle_teams(ctx: ServiceContext, cycle_id: int) -> list[CycleTeam]:
    """The teams with items in the cycle's format, in team order (two light queries;
    the entry and the verification desk need no more than this to list them)."""
    with ctx.read() as session:
        ready = set(session.scalars(select(StepRun.team_id).where(
            StepRun.cycle_id == cycle_id, StepRun.step_number == 4,
            StepRun.ready_at.is_not(None))))
        names = record.team_names(session, cycle_id)  # as the cycle's record has them
        return [CycleTeam(t.id, names.get(t.id, t.name), t.id in ready)
                for t in cycle_teams(session, cycle_id)]


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
