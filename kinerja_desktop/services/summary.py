"""The Kasubag's overview of a cycle: per team, how far the data has come.

Items filled, submitted, returned and verified, evidence coverage, and the time each
team used for steps 4–6 against the SOP's standard (the 60-hari clock of step 6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from kinerja_desktop.db.models import Cycle, Evidence, StepRun, Submission
from kinerja_desktop.domain.errors import NotFound
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.domain.timing import StepStatus, evaluate
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

    @property
    def label(self) -> str:
        """``"45 menit dari 120 Menit"`` or the status when not started."""
        if self.used == "-":
            return self.status.label
        return f"{self.used} dari {self.standard}"


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


def cycle_summary(ctx: ServiceContext, cycle_id: int, now: datetime | None = None) -> CycleSummary:
    """Per-team progress of a cycle for the Kasubag tab."""
    from kinerja_desktop.services import cycles

    now = now or ctx.now()
    with ctx.read() as session:
        cycle = session.get(Cycle, cycle_id)
        if cycle is None:
            raise NotFound("Siklus tidak ditemukan.")
        definition = cycles.definition_of(cycle.sop)
        calendar = cycles.calendar_for(session, cycle.sop)
        spec = items.spec_fields(session, cycle_id)
        names = record.team_names(session, cycle_id)
        result = []
        for team in cycles.cycle_teams(session, cycle_id):
            team_items = items.team_items(session, cycle_id, team.id)
            states = [ItemState(i.entry.state if i.entry else "draf") for i in team_items]
            counts = dict(session.execute(
                select(Evidence.item_id, func.count()).where(
                    Evidence.item_id.in_([i.id for i in team_items]))
                .group_by(Evidence.item_id)).all()) if team_items else {}
            filled = sum(1 for i in team_items
                         if not items.item_missing(session, i, spec, counts.get(i.id, 0)))
            with_evidence = sum(1 for i in team_items if counts.get(i.id))
            subs = session.scalars(select(Submission).where(
                Submission.cycle_id == cycle_id, Submission.team_id == team.id)
                .order_by(Submission.version)).all()
            runs = {r.step_number: r for r in session.scalars(select(StepRun).where(
                StepRun.cycle_id == cycle_id, StepRun.team_id == team.id))}
            times = []
            for number in TEAM_STEPS:
                step = definition.step(number)
                run = runs.get(number)
                ready, started, finished = (run.ready_at, run.started_at, run.finished_at) \
                    if run else (None, None, None)
                timing = evaluate(step.time, ready, started, finished, now, calendar)
                times.append(StepTime(
                    number, step.time.label(),
                    timing.used_label(step.time.unit, calendar_days=cycle.sop.calendar_days),
                    timing.status, timing.used_fraction, timing.deadline))
            result.append(TeamSummary(
                team.id, names.get(team.id, team.name), len(team_items), filled,
                states.count(ItemState.SUBMITTED), states.count(ItemState.RETURNED),
                states.count(ItemState.VERIFIED), with_evidence, len(subs),
                subs[-1].submitted_at if subs else None, tuple(times),
            ))
        return CycleSummary(cycle_id, tuple(result))
