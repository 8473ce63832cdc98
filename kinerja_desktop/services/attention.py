"""What needs a team member now (shown at log-in): returned items, items still to fill,
and the deadline of the step the team is in ("batas penyerahan 14.30 WITA")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from kinerja_desktop.db.models import Cycle, FormatItem, Indicator, ItemEntry, Objective, StepRun
from kinerja_desktop.domain.errors import NotFound
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.domain.timing import WITA, StepStatus, evaluate
from kinerja_desktop.services import items
from kinerja_desktop.services.common import load_principal
from kinerja_desktop.services.context import ServiceContext

#: The deadline each open team step sets, in the member's words.
DEADLINE_WORDS = {4: "batas pengisian", 5: "batas penyerahan"}


@dataclass(frozen=True)
class TeamAttention:
    """One team of the member: what waits for them in the viewed cycle."""

    team_id: int
    team_name: str
    returned: int
    first_returned_item_id: int | None
    incomplete: int
    step: int | None
    deadline: datetime | None
    overdue: bool
    now: datetime

    @property
    def needs_action(self) -> bool:
        return bool(self.returned or self.step in DEADLINE_WORDS)

    def deadline_label(self) -> str:
        """``"batas penyerahan 14.30 WITA"`` (with the date when not today)."""
        if self.deadline is None or self.step not in DEADLINE_WORDS:
            return ""
        local = self.deadline.astimezone(WITA)
        when = local.strftime("%H.%M")
        if local.date() != self.now.astimezone(WITA).date():
            from kinerja_desktop.domain.numbers import format_date_long

            when = f"{format_date_long(local.date())} {when}"
        text = f"{DEADLINE_WORDS[self.step]} {when} WITA"
        return text + " (terlewati)" if self.overdue else text

    def lines(self) -> list[str]:
        """Short Indonesian phrases, most urgent first."""
        parts = []
        if self.returned:
            parts.append(f"{self.returned} indikator dikembalikan")
        if self.step in DEADLINE_WORDS and self.incomplete:
            parts.append(f"{self.incomplete} indikator belum lengkap")
        label = self.deadline_label()
        if label:
            parts.append(label)
        elif self.step in DEADLINE_WORDS:
            parts.append("format sudah diterima; pengisian belum dimulai")
        return parts


def for_member(ctx: ServiceContext, person_id: int, cycle_id: int,
               now: datetime | None = None) -> tuple[TeamAttention, ...]:
    """For each team of the person taking part in the cycle (team order)."""
    from kinerja_desktop.services import cycles

    now = now or ctx.now()
    with ctx.read() as session:
        principal = load_principal(session, person_id)
        cycle = session.get(Cycle, cycle_id)
        if cycle is None:
            raise NotFound("Siklus tidak ditemukan.")
        teams = [t for t in cycles.cycle_teams(session, cycle_id) if t.id in principal.team_ids]
        if not teams:
            return ()
        definition = cycles.definition_of(cycle.sop)
        calendar = cycles.calendar_for(session, cycle.sop)
        team_ids = [t.id for t in teams]  # the member's teams, not the whole office's
        incomplete = items.incomplete_counts(session, cycle_id, team_ids)
        runs = {(r.team_id, r.step_number): r for r in session.scalars(
            select(StepRun).where(StepRun.cycle_id == cycle_id,
                                  StepRun.team_id.in_(team_ids)))}
        returned = dict(session.execute(
            select(FormatItem.team_id, func.count()).join(ItemEntry)
            .where(FormatItem.cycle_id == cycle_id, FormatItem.team_id.in_(team_ids),
                   ItemEntry.state == ItemState.RETURNED.value)
            .group_by(FormatItem.team_id)).all())
        result = []
        for team in teams:
            first = session.scalar(
                select(FormatItem.id).join(ItemEntry)
                .join(Indicator, Indicator.id == FormatItem.indicator_id)
                .join(Objective, Objective.id == Indicator.objective_id)
                .where(FormatItem.cycle_id == cycle_id, FormatItem.team_id == team.id,
                       ItemEntry.state == ItemState.RETURNED.value)
                .order_by(Objective.position, FormatItem.position).limit(1)) \
                if returned.get(team.id) else None
            step, deadline, overdue = None, None, False
            for number in (5, 4):  # the later open step is the one that counts
                run = runs.get((team.id, number))
                if run is None or run.ready_at is None or run.finished_at is not None:
                    continue
                timing = evaluate(definition.step(number).time, run.ready_at, run.started_at,
                                  None, now, calendar)
                step, deadline = number, timing.deadline
                overdue = timing.status is StepStatus.MELEWATI_BATAS
                break
            result.append(TeamAttention(team.id, team.name, returned.get(team.id, 0), first,
                                        incomplete.get(team.id, 0), step, deadline, overdue,
                                        now))
        return tuple(result)
