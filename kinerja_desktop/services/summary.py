"""The Kasubag's overview of a cycle: per team, how far the data has come.

Items filled, submitted, returned and verified, evidence coverage, and the time each
team used for steps 4–6 against the SOP's standard (the 60-hari clock of step 6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import (
    Cycle,
    Evidence,
    FormatItem,
    Indicator,
    ItemEntry,
    StepRun,
    Submission,
)
from kinerja_desktop.domain.errors import NotFound
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.domain.timing import CLOCK_SKEW_NOTE, StepStatus, evaluate, flagged_status
from kinerja_desktop.services import items, record
from kinerja_desktop.services.context import ServiceContext

#: The steps the teams run, shown per team in the summary.
TEAM_STEPS = (4, 5, 6)


@dataclass(frozen=True)
class StepTime:
    """Time one team used on one step, against the step's standard."""

    step: int
    standard: str
    used: str
    status: StepStatus
    used_fraction: float | None
    deadline: datetime | None
    #: The recorded times run backwards (a PC's clock was wrong): shown flagged.
    clock_skew: bool = False

    @property
    def status_text(self) -> str:
        """The status, flagged when the recorded times run backwards."""
        return flagged_status(self.status, self.clock_skew)

    @property
    def label(self) -> str:
        """``"45 menit dari 120 Menit"`` or the status when not started (flagged when the
        recorded times run backwards)."""
        if self.used == "-":
            return self.status_text
        flag = f" ({CLOCK_SKEW_NOTE})" if self.clock_skew else ""
        return f"{self.used} dari {self.standard}{flag}"


@dataclass(frozen=True)
class TeamSummary:
    team_id: int
    team_name: str
    items: int
    filled: int
    submitted: int
    returned: int
    verified: int
    with_evidence: int
    versions: int
    last_submitted_at: datetime | None
    times: tuple[StepTime, ...]

    @property
    def evidence_coverage(self) -> float | None:
        """Share of items with at least one evidence file (0..1), None without items."""
        return self.with_evidence / self.items if self.items else None

    def time(self, step: int) -> StepTime | None:
        for t in self.times:
            if t.step == step:
                return t
        return None


@dataclass(frozen=True)
class CycleSummary:
    cycle_id: int
    teams: tuple[TeamSummary, ...]

    @property
    def items(self) -> int:
        return sum(t.items for t in self.teams)

    @property
    def verified(self) -> int:
        return sum(t.verified for t in self.teams)

    @property
    def all_verified(self) -> bool:
        return bool(self.teams) and all(t.verified == t.items for t in self.teams)


def _team_counts(session: Session, cycle_id: int,
                 team_id: int | None) -> dict[int | None, tuple[int, ...]]:
    """Per team, in one aggregate query: items, incomplete, submitted, returned,
    verified, with evidence."""
    def count(condition) -> object:
        return func.sum(case((condition, 1), else_=0))

    query = (select(FormatItem.team_id, func.count(),
                    count(items.incomplete_condition(items.spec_fields(session, cycle_id))),
                    count(ItemEntry.state == ItemState.SUBMITTED.value),
                    count(ItemEntry.state == ItemState.RETURNED.value),
                    count(ItemEntry.state == ItemState.VERIFIED.value),
                    count(exists().where(Evidence.item_id == FormatItem.id)))
             .join(Indicator, Indicator.id == FormatItem.indicator_id)
             .outerjoin(ItemEntry, ItemEntry.item_id == FormatItem.id)
             .where(FormatItem.cycle_id == cycle_id)
             .group_by(FormatItem.team_id))
    if team_id is not None:
        query = query.where(FormatItem.team_id == team_id)
    return {row[0]: tuple(int(v or 0) for v in row[1:]) for row in session.execute(query)}


def cycle_summary(ctx: ServiceContext, cycle_id: int, now: datetime | None = None,
                  team_id: int | None = None) -> CycleSummary:
    """Per-team progress of a cycle for the Kasubag tab (of one team with ``team_id``).

    A handful of queries whatever the size of the office: the items of every team are
    read at once as rows, not as ORM objects.
    """
    from kinerja_desktop.services import cycles

    now = now or ctx.now()
    with ctx.read() as session:
        cycle = session.get(Cycle, cycle_id)
        if cycle is None:
            raise NotFound("Siklus tidak ditemukan.")
        definition = cycles.definition_of(cycle.sop)
        calendar = cycles.calendar_for(session, cycle.sop)
        counts = _team_counts(session, cycle_id, team_id)
        subs: dict[int, list[datetime]] = {}  # submission times per team, oldest first
        for sub_team, submitted_at in session.execute(
                select(Submission.team_id, Submission.submitted_at)
                .where(Submission.cycle_id == cycle_id).order_by(Submission.version)):
            subs.setdefault(sub_team, []).append(submitted_at)
        runs: dict[tuple[int | None, int], StepRun] = {
            (r.team_id, r.step_number): r for r in session.scalars(
                select(StepRun).where(StepRun.cycle_id == cycle_id,
                                      StepRun.step_number.in_(TEAM_STEPS)))}
        names = record.team_names(session, cycle_id)
        result = []
        for team in cycles.cycle_teams(session, cycle_id):
            if team_id is not None and team.id != team_id:
                continue
            total, incomplete, submitted, returned, verified, with_evidence = \
                counts.get(team.id, (0, 0, 0, 0, 0, 0))
            team_subs = subs.get(team.id, [])
            times = [_step_time(cycle, definition.step(number), runs.get((team.id, number)),
                                now, calendar) for number in TEAM_STEPS]
            result.append(TeamSummary(
                team.id, names.get(team.id, team.name), total, total - incomplete, submitted,
                returned, verified, with_evidence, len(team_subs),
                team_subs[-1] if team_subs else None, tuple(times),
            ))
        return CycleSummary(cycle_id, tuple(result))


def _step_time(cycle: Cycle, step, run: StepRun | None, now: datetime, calendar) -> StepTime:
    ready, started, finished = (run.ready_at, run.started_at, run.finished_at) \
        if run else (None, None, None)
    timing = evaluate(step.time, ready, started, finished, now, calendar)
    return StepTime(step.number, step.time.label(),
                    timing.used_label(step.time.unit, calendar_days=cycle.sop.calendar_days),
                    timing.status, timing.used_fraction, timing.deadline, timing.clock_skew)


def team_step_time(ctx: ServiceContext, cycle_id: int, team_id: int, step_no: int,
                   now: datetime | None = None) -> StepTime:
    """The time one team used on one of its steps (:attr:`TeamSummary.times` of that
    step), without counting the team's items: the verification desk's clock."""
    from kinerja_desktop.services import cycles

    now = now or ctx.now()
    with ctx.read() as session:
        cycle = session.get(Cycle, cycle_id)
        if cycle is None:
            raise NotFound("Siklus tidak ditemukan.")
        run = session.scalar(select(StepRun).where(
            StepRun.cycle_id == cycle_id, StepRun.step_number == step_no,
            StepRun.team_id == team_id))
        return _step_time(cycle, cycles.definition_of(cycle.sop).step(step_no), run, now,
                          cycles.calendar_for(session, cycle.sop))
