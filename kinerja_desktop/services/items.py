"""Queries over a cycle's format items, shared by the workflow (kelengkapan) and the entries.

Kept below both :mod:`services.cycles` and :mod:`services.entries` so that neither
imports the other's module for these lookups.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from kinerja_desktop.db.models import (
    Evidence,
    FormatItem,
    FormatSpec,
    Indicator,
    ItemEntry,
    Objective,
)
from kinerja_desktop.domain.format_fields import EntryValues, missing_fields
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.services.record import item_facts


@dataclass(frozen=True)
class EntryInput:
    """What the team member typed (numbers already parsed by the UI or importer)."""

    actual: float | None = None
    actual_text: str = ""
    budget: float | None = None
    spent: float | None = None
    explanation: str = ""
    supporting: str = ""
    inhibiting: str = ""
    follow_up: str = ""
    manual_achievement: float | None = None
    manual_justification: str = ""


def entry_input(entry: ItemEntry | None, item: FormatItem | None = None) -> EntryInput:
    """The team's values of one item, as shown, submitted and reported.

    An entry without its own pagu uses the pagu of the format item (set by the
    Kasubag at step 2), as the reports do; the team may replace it with its own.
    """
    if item is None and entry is not None:
        item = entry.item
    format_budget = item.budget if item is not None else None
    if entry is None:
        return EntryInput(budget=format_budget)
    budget = entry.budget if entry.budget is not None else format_budget
    return EntryInput(entry.actual, entry.actual_text, budget, entry.spent,
                      entry.explanation, entry.supporting, entry.inhibiting, entry.follow_up,
                      entry.manual_achievement, entry.manual_justification)


def entry_values(item: FormatItem, evidence_count: int) -> EntryValues:
    v = entry_input(item.entry, item)
    return EntryValues(v.actual, v.actual_text, v.budget, v.spent, v.explanation, v.supporting,
                       v.inhibiting, v.follow_up, evidence_count)


def spec_fields(session: Session, cycle_id: int) -> dict | None:
    """The stored field requirements of a cycle's format (None before step 2)."""
    spec = session.scalar(select(FormatSpec).where(FormatSpec.cycle_id == cycle_id))
    return spec.fields if spec else None


def item_evidence(session: Session, item_id: int) -> list[Evidence]:
    return list(session.scalars(select(Evidence).where(Evidence.item_id == item_id)
                                .order_by(Evidence.added_at, Evidence.id)))


def team_items(session: Session, cycle_id: int, team_id: int | None) -> list[FormatItem]:
    return list(session.scalars(
        select(FormatItem).where(FormatItem.cycle_id == cycle_id, FormatItem.team_id == team_id)
        .join(FormatItem.indicator).join(Indicator.objective)
        .options(selectinload(FormatItem.indicator).selectinload(Indicator.objective),
                 selectinload(FormatItem.entry), selectinload(FormatItem.record),
                 selectinload(FormatItem.team))
        .order_by(Objective.position, FormatItem.position)
    ))


def item_missing(session: Session, item: FormatItem, spec_fields: dict | None,
                 evidence_count: int | None = None) -> list[str]:
    count = len(item_evidence(session, item.id)) if evidence_count is None else evidence_count
    return missing_fields(spec_fields, entry_values(item, count),
                          qualitative=item_facts(item).qualitative)


def missing_for_team(session: Session, cycle_id: int,
                     team_id: int | None) -> list[tuple[str, list[str]]]:
    """(indicator name, missing field labels) for each incomplete item of a team."""
    fields = spec_fields(session, cycle_id)
    result = []
    for item in team_items(session, cycle_id, team_id):
        missing = item_missing(session, item, fields)
        if item.entry and item.entry.manual_achievement is not None \
                and not item.entry.manual_justification.strip():
            missing.append("Alasan capaian manual")
        if missing:
            result.append((item_facts(item).indicator_name, missing))
    return result


def unverified_items(session: Session, cycle_id: int, team_id: int | None) -> list[FormatItem]:
    # One query: this runs after every verification, so it must not load every item.
    return list(session.scalars(
        select(FormatItem).outerjoin(ItemEntry, ItemEntry.item_id == FormatItem.id)
        .where(FormatItem.cycle_id == cycle_id, FormatItem.team_id == team_id,
               or_(ItemEntry.id.is_(None), ItemEntry.state != ItemState.VERIFIED.value))
        .order_by(FormatItem.position)
    ))
