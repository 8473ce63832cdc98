"""The SOP monitoring form: the recorded time of every step against its standard."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from kinerja_desktop.db.models import Person, StepRun, Team
from kinerja_desktop.domain.numbers import format_date_long
from kinerja_desktop.domain.timing import StepStatus, evaluate
from kinerja_desktop.services.context import ServiceContext
from kinerja_desktop.services.document_data.common import (
    EXECUTOR_COLUMNS,
    NOT_AVAILABLE,
    CycleBlock,
    OfficeBlock,
    Signatory,
    cycle_block,
    load_cycle,
    local_label,
    nip_label,
    office_block,
    pangkat_printed,
)
from kinerja_desktop.services.record import team_names


@dataclass(frozen=True)
class StepTimingRow:
    step_number: int
    activity: str
    executor_label: str
    team_name: str  # "" for steps done once
    standard_label: str  # "60 Menit"
    ready_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    started_label: str
    finished_label: str
    used_label: str  # work time against the standard: "1 jam 25 menit", "3 hari kerja", "-"
    status: StepStatus
    status_label: str
    ok: bool | None  # finished on time; None when not finished
    note: str
    done_by: str
    ready_label: str = NOT_AVAILABLE
    waiting_label: str = NOT_AVAILABLE  # siap → mulai: "16 menit", "2 hari 3 jam", "-"
    #: The recorded times run backwards (a PC's clock was wrong): shown flagged.
    clock_skew: bool = False


@dataclass(frozen=True)
class MonitoringData:
    office: OfficeBlock
    cycle: CycleBlock
    sop_name: str
    sop_number: str
    steps: tuple[tuple[int, str, str], ...]  # (number, kegiatan, mutu baku waktu)
    rows: tuple[StepTimingRow, ...]
    evaluator: Signatory  # the assessor chosen (by default the Sekretaris, Ketua Tim)
    generated_at: datetime
    signing_date_label: str  # the monitoring date: "10 Juli 2026"
    semester: str = ""  # "I" or "II"
    semester_label: str = ""  # "Semester II (Juli–Desember)"




def monitoring_data(ctx: ServiceContext, cycle_id: int,
                    semester: str | None = None) -> MonitoringData:
    """Standard vs actual time of every step (per team for steps 3–6) of a cycle, under the
    monitoring chosen for it (``semester``, else the latest; the proposal when none)."""
    from kinerja_desktop.db.models import OfficeDayOff
    from kinerja_desktop.domain.timing import WorkCalendar
    from kinerja_desktop.services.monitoring import proposed_choice, stored_choice
    from kinerja_desktop.services.sops import definition_of

    now = ctx.now()
    with ctx.read() as session:
        choice = stored_choice(session, cycle_id, semester)
    if choice is None:
        choice = proposed_choice(ctx, cycle_id)
    with ctx.read() as session:
        office = office_block(session)
        cycle = load_cycle(session, cycle_id)
        office = office_block(session, cycle)
        defn = definition_of(cycle.sop)
        calendar = WorkCalendar(office_days_off=session.scalars(select(OfficeDayOff.day)).all(),
                                calendar_days=cycle.sop.calendar_days)
        runs = session.scalars(select(StepRun).where(StepRun.cycle_id == cycle.id)).all()
        recorded = team_names(session, cycle.id)  # as the cycle's record has them
        team_order = {t.id: (t.position, recorded.get(t.id, t.name))
                      for t in session.scalars(select(Team))}
        names = dict(session.execute(select(Person.id, Person.name)).all())
        by_step: dict[int, list[StepRun]] = defaultdict(list)
        for run in runs:
            by_step[run.step_number].append(run)
        rows: list[StepTimingRow] = []
        for step in defn.steps:
            step_runs = sorted(by_step.get(step.number, []),
                               key=lambda r: team_order.get(r.team_id, (0, "")))
            if not step_runs:
                timing = evaluate(step.time, None, None, None, now, calendar)
                rows.append(StepTimingRow(
                    step.number, step.activity, EXECUTOR_COLUMNS.get(step.executor,
                                                                     step.executor.label),
                    "", step.time.label(), None, None, None, NOT_AVAILABLE, NOT_AVAILABLE,
                    NOT_AVAILABLE, timing.status, timing.status.label, None, "", ""))
                continue
            for run in step_runs:
                timing = evaluate(step.time, run.ready_at, run.started_at, run.finished_at,
                                  now, calendar)
                used = timing.natural_used_label(step.time.unit,
                                                 calendar_days=calendar.calendar_days)
                ok = None if not timing.status.is_finished else \
                    timing.status is StepStatus.SELESAI_TEPAT_WAKTU
                who = names.get(run.finished_by_id) or names.get(run.started_by_id) or ""
                rows.append(StepTimingRow(
                    step.number, step.activity,
                    EXECUTOR_COLUMNS.get(step.executor, step.executor.label),
                    team_order.get(run.team_id, (0, ""))[1] if run.team_id else "",
                    step.time.label(), run.ready_at, run.started_at, run.finished_at,
                    local_label(run.started_at), local_label(run.finished_at), used,
                    timing.status, timing.status_text, ok, run.note, who,
                    local_label(run.ready_at), timing.waiting_label(), timing.clock_skew))
        evaluator = Signatory(choice.assessor_title, choice.assessor_name,
                              pangkat_printed(choice.assessor_pangkat),
                              nip_label(choice.assessor_nip)) if choice.assessor_name \
            else office.head
        return MonitoringData(
            office, cycle_block(cycle), defn.name, defn.number,
            tuple((s.number, s.activity, s.time.label()) for s in defn.steps), tuple(rows),
            evaluator, now, format_date_long(choice.monitoring_date), choice.semester,
            choice.semester_label)
