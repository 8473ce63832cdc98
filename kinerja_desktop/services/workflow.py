"""The workflow panel's view of a cycle: every step with its time standard, who may act,
what is missing, and each team's progress (read only; the transitions are
:mod:`kinerja_desktop.services.cycles`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import Person, StepRun
from kinerja_desktop.domain.permissions import Role, may_act_on_step
from kinerja_desktop.domain.sop import StepKind
from kinerja_desktop.domain.timing import StepTiming, WorkCalendar, aggregate_status, evaluate
from kinerja_desktop.services import record
from kinerja_desktop.services.common import load_principal
from kinerja_desktop.services.context import ServiceContext
from kinerja_desktop.services.cycles import (
    CycleFacts,
    CycleInfo,
    CycleStatus,
    RequirementState,
    _get_cycle,
    _info,
    _requirement_states,
    calendar_for,
    cycle_teams,
    missing_requirements,
    requirement_present,
)
from kinerja_desktop.services.sops import definition_of


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
    #: The step's kelengkapan exists for this team (see :func:`requirement_present`).
    present: bool = False
    present_detail: str = ""


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
    """The parent row of a per-team step: earliest ready and start, the last finish once
    every team finished, and the status from :func:`aggregate_status`."""
    if not team_views:
        return evaluate(standard, None, None, None, now, calendar), None, None, None
    readies = [t.ready_at for t in team_views if t.ready_at]
    starts = [t.started_at for t in team_views if t.started_at]
    ready = min(readies) if readies else None
    started = min(starts) if starts else None
    all_done = all(t.finished_at for t in team_views)
    finished = max(t.finished_at for t in team_views) if all_done else None
    status = aggregate_status([t.timing.status for t in team_views])
    # Time used and deadline: of the open team that used most of its standard (all
    # teams once every team finished).
    open_teams = [t for t in team_views if t.started_at and not t.finished_at]
    worst = max(open_teams or team_views, key=lambda t: t.timing.used_fraction or 0).timing
    return (
        StepTiming(status, worst.waiting, worst.work, worst.used, worst.used_fraction,
                   worst.deadline, any(t.timing.clock_skew for t in team_views)),
        ready,
        started,
        finished,
    )


def workflow(
    ctx: ServiceContext, cycle_id: int, viewer_id: int | None = None, now: datetime | None = None
) -> WorkflowView:
    """Everything the workflow panel shows, for the viewer (who may act on what)."""
    return _workflow(ctx, cycle_id, viewer_id, now, None)


def step_view(ctx: ServiceContext, cycle_id: int, step_no: int,
              viewer_id: int | None = None) -> StepView:
    """One step of :func:`workflow`, reading only what that step needs (a screen of one
    step, such as the format builder, need not compute the others)."""
    return _workflow(ctx, cycle_id, viewer_id, None, step_no).steps[0]


def _workflow(ctx: ServiceContext, cycle_id: int, viewer_id: int | None,
              now: datetime | None, only: int | None) -> WorkflowView:
    now = now or ctx.now()
    with ctx.read() as session:
        cycle = _get_cycle(session, cycle_id)
        principal = load_principal(session, viewer_id) if viewer_id else None
        defn = definition_of(cycle.sop)
        calendar = calendar_for(session, cycle.sop)
        names = _person_names(session)
        teams = cycle_teams(session, cycle.id)
        facts = CycleFacts(session, cycle)
        team_names = record.team_names(session, cycle.id)
        running = cycle.status == CycleStatus.RUNNING
        runs_by_step: dict[int, list[StepRun]] = {}
        for run in session.scalars(
            select(StepRun).where(StepRun.cycle_id == cycle.id).order_by(StepRun.id)
        ):
            runs_by_step.setdefault(run.step_number, []).append(run)
        views: list[StepView] = []
        for step in defn.steps:
            if only is not None and step.number != only:
                continue
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
                        missing_requirements(session, cycle, step, team.id, facts)
                        if run and not finished
                        else []
                    )
                    present, present_detail = requirement_present(
                        session, cycle, step, team.id, facts)
                    allowed = bool(principal and may_act_on_step(principal, step.executor, team.id))
                    started_by, finished_by = _pick(
                        names,
                        run.started_by_id if run else None,
                        run.finished_by_id if run else None,
                    )
                    team_views.append(
                        TeamStepView(
                            team.id,
                            team_names.get(team.id, team.name),
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
                            present=present,
                            present_detail=present_detail,
                        )
                    )
                timing, ready, started, finished = _aggregate(step.time, team_views, now, calendar)
                done = sum(1 for t in team_views if t.finished_at)
                missing_all = tuple(f"{t.team_name} — {m}" for t in team_views for m in t.missing)
                have = sum(1 for t in team_views if t.present)
                reqs = tuple(
                    RequirementState(
                        r, bool(team_views) and have == len(team_views),
                        f"{have}/{len(team_views)} tim",
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
                    missing_requirements(session, cycle, step, None, facts)
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
                        _requirement_states(session, cycle, step, missing, facts),
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
