"""Queries over a cycle's format items, shared by the workflow (kelengkapan) and the entries.

Kept below both :mod:`services.cycles` and :mod:`services.entries` so that neither
imports the other's module for these lookups.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from kinerja_desktop.db.models import (
    Cycle,
    Evidence,
    FormatItem,
    FormatSpec,
    Indicator,
    ItemEntry,
    Objective,
)
from kinerja_desktop.domain.format_fields import (
    EntryValues,
    item_requirements,
    missing_fields,
    missing_under,
    normalise_requirements,
)
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.services.record import Columns, ItemFacts, item_facts, join_facts


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
    #: The team's note acknowledging the item's plausibility warnings.
    plausibility_note: str = ""


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True, slots=True)
class ObjectivePart:
    id: int
    name: str
    position: int


@dataclass(frozen=True, slots=True)
class IndicatorPart:
    id: int
    objective_id: int
    objective: ObjectivePart
    code: str
    name: str
    unit: str
    polarity: str
    formula: str
    qualitative: bool
    data_source: str
    renstra_target: float | None
    renstra_target_text: str
    plausibility: dict | None


@dataclass(frozen=True, slots=True)
class EntryPart:
    actual: float | None
    actual_text: str
    budget: float | None
    spent: float | None
    explanation: str
    supporting: str
    inhibiting: str
    follow_up: str
    manual_achievement: float | None
    manual_justification: str
    plausibility_note: str
    state: str
    updated_at: object
    row_version: int


@dataclass(frozen=True, slots=True)
class ItemRow:
    """A format item with its indicator, objective and entry as plain values.

    Read with one Core query (:func:`item_rows`): building ORM objects for the 3 600
    items of a large office takes seconds, too slow for a screen. The attribute names
    follow the ORM's (``item.indicator.objective.name``, ``item.entry.actual``), so the
    helpers here and in ``services.entries`` read either.
    """

    id: int
    cycle_id: int
    team_id: int | None
    team_name: str | None
    indicator_id: int
    position: int
    target: float | None
    target_text: str
    budget: float | None
    fields: dict | None
    indicator: IndicatorPart
    entry: EntryPart | None
    row_version: int
    #: The indicator, objective and team as this cycle knows them (its record once frozen
    #: at step 3); ``indicator`` and ``team_name`` carry the same values.
    facts: ItemFacts


_ROW_COLUMNS = (
    FormatItem.id, FormatItem.cycle_id, FormatItem.team_id, Columns.team_name,
    FormatItem.indicator_id, FormatItem.position, FormatItem.target, FormatItem.target_text,
    FormatItem.budget, FormatItem.fields, FormatItem.row_version,
    Indicator.objective_id, Columns.objective_code, Columns.objective_name,
    Columns.objective_position, Columns.indicator_code, Columns.indicator_name, Columns.unit,
    Columns.polarity, Columns.formula, Columns.qualitative, Columns.data_source,
    Columns.renstra_target, Columns.renstra_target_text, Columns.renstra_year, Columns.frozen,
    Indicator.plausibility,
    ItemEntry.id, ItemEntry.actual, ItemEntry.actual_text, ItemEntry.budget, ItemEntry.spent,
    ItemEntry.explanation, ItemEntry.supporting, ItemEntry.inhibiting, ItemEntry.follow_up,
    ItemEntry.manual_achievement, ItemEntry.manual_justification, ItemEntry.plausibility_note,
    ItemEntry.state, ItemEntry.updated_at, ItemEntry.row_version,
)

#: ``item_rows(team_id=ALL_TEAMS)`` reads every team's items.
ALL_TEAMS = -1


def item_rows(session: Session, cycle_id: int, team_id: int | None = ALL_TEAMS,
              item_ids: list[int] | None = None) -> list[ItemRow]:
    """The items of a cycle (of one team, or the given ids) in format order, as rows."""
    query = (join_facts(select(*_ROW_COLUMNS).select_from(FormatItem))
             .outerjoin(ItemEntry, ItemEntry.item_id == FormatItem.id)
             .where(FormatItem.cycle_id == cycle_id)
             .order_by(Columns.objective_position, FormatItem.position))
    if team_id != ALL_TEAMS:
        query = query.where(FormatItem.team_id == team_id)
    if item_ids is not None:
        query = query.where(FormatItem.id.in_(item_ids))
    objectives: dict[tuple, ObjectivePart] = {}
    rows = []
    for (item_id, cycle, team, team_name, indicator_id, position, target, target_text, budget,
         fields, item_version, objective_id, objective_code, objective_name, objective_position,
         code, name, unit, polarity, formula, qualitative, source, renstra, renstra_text,
         renstra_year, frozen, plausibility, entry_id, *entry) in session.execute(query):
        key = (objective_id, objective_name, objective_position)
        objective = objectives.get(key)
        if objective is None:
            objective = objectives[key] = ObjectivePart(
                objective_id, objective_name, objective_position)
        indicator = IndicatorPart(indicator_id, objective_id, objective, code, name, unit,
                                  polarity, formula, qualitative, source, renstra,
                                  renstra_text, plausibility)
        facts = ItemFacts(objective_id, objective_code or "", objective_name, objective_position,
                          code or "", name, unit, polarity, formula, bool(qualitative),
                          source or "", renstra, renstra_text or "", renstra_year,
                          team_name or "", bool(frozen))
        rows.append(ItemRow(item_id, cycle, team, team_name, indicator_id, position, target,
                            target_text, budget, fields, indicator,
                            EntryPart(*entry) if entry_id is not None else None,
                            item_version, facts))
    return rows


def entry_input(entry: ItemEntry | EntryPart | None,
                item: FormatItem | ItemRow | None = None) -> EntryInput:
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
                      entry.manual_achievement, entry.manual_justification,
                      entry.plausibility_note or "")


def entry_values(item: FormatItem | ItemRow, evidence_count: int) -> EntryValues:
    return values_for_requirements(entry_input(item.entry, item), evidence_count)


def values_for_requirements(v: EntryInput, evidence_count: int) -> EntryValues:
    """The values the field requirements look at, from an item's :func:`entry_input`."""
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


def item_missing(session: Session, item: FormatItem | ItemRow, spec_fields: dict | None,
                 evidence_count: int | None = None) -> list[str]:
    count = len(item_evidence(session, item.id)) if evidence_count is None else evidence_count
    return missing_fields(spec_fields, entry_values(item, count),
                          qualitative=item_facts(item).qualitative, overrides=item.fields)


def evidence_counts(session: Session, item_ids: list[int]) -> dict[int, int]:
    """Number of evidence files per item, in one query (items without files are absent)."""
    if not item_ids:
        return {}
    return dict(session.execute(
        select(Evidence.item_id, func.count()).where(Evidence.item_id.in_(item_ids))
        .group_by(Evidence.item_id)).all())


def missing_for_team(session: Session, cycle_id: int,
                     team_id: int | None) -> list[tuple[str, list[str]]]:
    """(indicator name, missing field labels) for each incomplete item of a team."""
    fields = spec_fields(session, cycle_id)
    result = []
    items = item_rows(session, cycle_id, team_id)
    counts = evidence_counts(session, [i.id for i in items])
    for item in items:
        missing = item_missing(session, item, fields, counts.get(item.id, 0))
        if item.entry and item.entry.manual_achievement is not None \
                and not item.entry.manual_justification.strip():
            missing.append("Alasan capaian manual")
        if missing:
            result.append((item_facts(item).indicator_name, missing))
    return result


MissingFields = list[tuple[str, list[str]]]


def _filled(column) -> object:
    """SQL: the text column holds more than spaces (SQLite and PostgreSQL alike)."""
    return func.length(func.trim(func.coalesce(column, ""))) > 0


@dataclass(frozen=True, slots=True)
class PresenceRow:
    """What kelengkapan needs of one item: which fields hold something (not their text)."""

    id: int
    team_id: int | None
    indicator_name: str
    qualitative: bool
    target: float | None
    target_text: str
    fields: dict | None
    state: str | None
    values: EntryValues
    manual_without_reason: bool


def presence_rows(session: Session, cycle_id: int, team_id: int | None = ALL_TEAMS,
                  item_ids: list[int] | None = None) -> list[PresenceRow]:
    """Every item of a cycle (or of one team) with which of its fields are filled, in one
    light query (emptiness is decided in SQL; long texts are never read). Format order."""
    query = (select(FormatItem.id, FormatItem.team_id, Indicator.name, Indicator.qualitative,
                    FormatItem.target, FormatItem.target_text, FormatItem.fields,
                    FormatItem.budget, ItemEntry.state, ItemEntry.actual,
                    _filled(ItemEntry.actual_text), ItemEntry.budget, ItemEntry.spent,
                    _filled(ItemEntry.explanation), _filled(ItemEntry.supporting),
                    _filled(ItemEntry.inhibiting), _filled(ItemEntry.follow_up),
                    ItemEntry.manual_achievement, _filled(ItemEntry.manual_justification))
             .join(Indicator, Indicator.id == FormatItem.indicator_id)
             .join(Objective, Objective.id == Indicator.objective_id)
             .outerjoin(ItemEntry, ItemEntry.item_id == FormatItem.id)
             .where(FormatItem.cycle_id == cycle_id)
             .order_by(Objective.position, FormatItem.position))
    if team_id != ALL_TEAMS:
        query = query.where(FormatItem.team_id == team_id)
    if item_ids is not None:
        query = query.where(FormatItem.id.in_(item_ids))
    raw = session.execute(query).all()
    ids = [r[0] for r in raw]
    counts = evidence_counts(session, ids)
    result = []
    for (item_id, team_id, name, qualitative, target, target_text, fields, format_budget,
         state, actual, has_text, budget, spent, explanation, supporting, inhibiting,
         follow_up, manual, has_reason) in raw:
        mark = "✓"  # stands for "filled"; only emptiness is checked
        values = EntryValues(
            actual, mark if has_text else "", budget if budget is not None else format_budget,
            spent, mark if explanation else "", mark if supporting else "",
            mark if inhibiting else "", mark if follow_up else "", counts.get(item_id, 0))
        result.append(PresenceRow(item_id, team_id, name, qualitative, target, target_text,
                                  fields, state, values, manual is not None and not has_reason))
    return result


def missing_by_team(session: Session, cycle_id: int,
                    rows: list[PresenceRow] | None = None) -> dict[int | None, MissingFields]:
    """:func:`missing_for_team` for every team of a cycle at once (a few light queries,
    not one per team and item: the workflow panel shows every team)."""
    fields = spec_fields(session, cycle_id)
    rows = presence_rows(session, cycle_id) if rows is None else rows
    base = normalise_requirements(fields)
    result: dict[int | None, MissingFields] = {}
    for row in rows:
        req = item_requirements(fields, row.fields) if row.fields else base
        missing = missing_under(req, row.values, qualitative=row.qualitative)
        if row.manual_without_reason:
            missing.append("Alasan capaian manual")
        bucket = result.setdefault(row.team_id, [])
        if missing:
            bucket.append((row.indicator_name, missing))
    return result


def _empty(column) -> object:
    return func.length(func.trim(func.coalesce(column, ""))) == 0


def incomplete_condition(spec: dict | None) -> object:
    """See :func:`_incomplete_condition` (built once per set of requirements)."""
    return _incomplete_condition(tuple(sorted((spec or {}).items())))


@lru_cache(maxsize=16)
def _incomplete_condition(spec_items: tuple[tuple[str, str], ...]) -> object:
    """SQL: the item still misses a required field (the rule of
    :func:`kinerja_desktop.domain.format_fields.missing_fields`, evaluated by the
    database so that counting thousands of items reads no rows). Needs FormatItem
    joined with Indicator and outer-joined with ItemEntry."""
    from kinerja_desktop.domain.format_fields import Requirement

    base = normalise_requirements(dict(spec_items))

    def required(key: str) -> object:
        return func.coalesce(FormatItem.fields[key].as_string(), base[key].value) \
            == Requirement.REQUIRED.value

    has_evidence = exists().where(Evidence.item_id == FormatItem.id)
    return or_(
        and_(Indicator.qualitative.is_(True), _empty(ItemEntry.actual_text)),
        and_(Indicator.qualitative.is_(False), ItemEntry.actual.is_(None)),
        and_(required("anggaran"), or_(func.coalesce(ItemEntry.budget, FormatItem.budget)
                                       .is_(None), ItemEntry.spent.is_(None))),
        and_(required("penjelasan"), _empty(ItemEntry.explanation)),
        and_(required("faktor_pendukung"), _empty(ItemEntry.supporting)),
        and_(required("faktor_penghambat"), _empty(ItemEntry.inhibiting)),
        and_(required("upaya"), _empty(ItemEntry.follow_up)),
        and_(required("bukti_dukung"), ~has_evidence),
        and_(ItemEntry.manual_achievement.is_not(None),
             _empty(ItemEntry.manual_justification)),
    )


def incomplete_counts(session: Session, cycle_id: int,
                      team_ids: list[int] | None = None) -> dict[int | None, int]:
    """Items whose required fields are not all filled, per team (one aggregate query;
    of the teams ``team_ids`` only, when given)."""
    condition = incomplete_condition(spec_fields(session, cycle_id))
    query = (select(FormatItem.team_id, func.sum(case((condition, 1), else_=0)))
             .join(Indicator, Indicator.id == FormatItem.indicator_id)
             .outerjoin(ItemEntry, ItemEntry.item_id == FormatItem.id)
             .where(FormatItem.cycle_id == cycle_id)
             .group_by(FormatItem.team_id))
    if team_ids is not None:
        query = query.where(FormatItem.team_id.in_(team_ids))
    rows = session.execute(query).all()
    return {team_id: int(count or 0) for team_id, count in rows}


def incomplete_examples(session: Session, cycle_id: int, team_id: int | None,
                        limit: int) -> MissingFields:
    """The first ``limit`` incomplete items of a team with their missing fields."""
    condition = incomplete_condition(spec_fields(session, cycle_id))
    ids = list(session.scalars(
        select(FormatItem.id).join(Indicator, Indicator.id == FormatItem.indicator_id)
        .join(Objective, Objective.id == Indicator.objective_id)
        .outerjoin(ItemEntry, ItemEntry.item_id == FormatItem.id)
        .where(FormatItem.cycle_id == cycle_id, FormatItem.team_id == team_id, condition)
        .order_by(Objective.position, FormatItem.position).limit(limit)))
    if not ids:
        return []
    rows = presence_rows(session, cycle_id, team_id, ids)
    return missing_by_team(session, cycle_id, rows).get(team_id, [])


def unverified_counts(session: Session, cycle_id: int) -> dict[int | None, int]:
    """Items not yet verified, per team, in one query."""
    return dict(session.execute(
        select(FormatItem.team_id, func.count()).select_from(FormatItem)
        .outerjoin(ItemEntry, ItemEntry.item_id == FormatItem.id)
        .where(FormatItem.cycle_id == cycle_id,
               or_(ItemEntry.id.is_(None), ItemEntry.state != ItemState.VERIFIED.value))
        .group_by(FormatItem.team_id)).all())


def unverified_items(session: Session, cycle_id: int, team_id: int | None) -> list[FormatItem]:
    # One query: this runs after every verification, so it must not load every item.
    return list(session.scalars(
        select(FormatItem).outerjoin(ItemEntry, ItemEntry.item_id == FormatItem.id)
        .where(FormatItem.cycle_id == cycle_id, FormatItem.team_id == team_id,
               or_(ItemEntry.id.is_(None), ItemEntry.state != ItemState.VERIFIED.value))
        .order_by(FormatItem.position)
    ))


def previous_cycle(session: Session, cycle_id: int) -> Cycle | None:
    """The cycle of the year before (same quarter, or yearly), whose realisasi the
    plausibility rule compares with."""
    cycle = session.get(Cycle, cycle_id)
    if cycle is None:
        return None
    quarter = Cycle.quarter.is_(None) if cycle.quarter is None else \
        Cycle.quarter == cycle.quarter
    return session.scalar(select(Cycle).where(Cycle.year < cycle.year, quarter)
                          .order_by(Cycle.year.desc(), Cycle.id.desc()).limit(1))


def last_year_actuals(session: Session, cycle_id: int,
                      indicator_ids: list[int]) -> tuple[int | None, dict[int, float]]:
    """(last year, {indicator id: realisasi}) of the previous cycle, in one query."""
    previous = previous_cycle(session, cycle_id)
    if previous is None or not indicator_ids:
        return (previous.year if previous else None), {}
    rows = session.execute(
        select(FormatItem.indicator_id, ItemEntry.actual)
        .join(ItemEntry, ItemEntry.item_id == FormatItem.id)
        .where(FormatItem.cycle_id == previous.id, FormatItem.indicator_id.in_(indicator_ids),
               ItemEntry.actual.is_not(None))).all()
    return previous.year, {indicator_id: actual for indicator_id, actual in rows}
