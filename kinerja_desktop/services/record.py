"""The cycle's own record (DOMAIN.md, "The official record").

When the format is sent to a team (step 3 finished), each of the team's format items
freezes what the team was given: objective, indicator name, unit, polarity, formula,
Renstra target and team name (target and pagu already live on the item). The first
sending also freezes the office profile, the head of office and the predikat scale
of the cycle. From then on everything the cycle computes and prints reads them from
here, so later edits of master data, teams, profile or scale apply to later cycles.

Before freezing, the same readers return today's master data: callers never need to
know whether a cycle is frozen yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import (
    Cycle,
    CycleProgramme,
    CycleRecord,
    FormatItem,
    Indicator,
    ItemRecord,
    Objective,
    OfficeProfile,
    Programme,
    Setting,
    Team,
)
from kinerja_desktop.domain.achievement import DEFAULT_PREDIKAT_SCALE, PredikatScale

PREDIKAT_KEY = "predikat_scale"


@dataclass(frozen=True)
class ItemFacts:
    """What a format item says about its indicator: its record once frozen, else today's
    master data."""

    objective_id: int
    objective_code: str
    objective_name: str
    objective_position: int
    indicator_code: str
    indicator_name: str
    unit: str
    polarity: str
    formula: str
    qualitative: bool
    data_source: str
    renstra_target: float | None
    renstra_target_text: str
    renstra_year: int | None
    team_name: str
    frozen: bool


def item_facts(item: FormatItem) -> ItemFacts:
    """The item's indicator, objective and team as this cycle knows them (an item read as
    a row by ``services.items.item_rows`` carries them already)."""
    known = getattr(item, "facts", None)
    if known is not None:
        return known
    ind = item.indicator
    rec = item.record
    if rec is not None:
        return ItemFacts(
            ind.objective_id, rec.objective_code, rec.objective_name, rec.objective_position,
            rec.indicator_code, rec.indicator_name, rec.unit, rec.polarity, rec.formula,
            rec.qualitative, rec.data_source, rec.renstra_target, rec.renstra_target_text,
            rec.renstra_year, rec.team_name, True)
    obj = ind.objective
    return ItemFacts(
        obj.id, obj.code, obj.name, obj.position, ind.code, ind.name, ind.unit, ind.polarity,
        ind.formula, ind.qualitative, ind.data_source, ind.renstra_target,
        ind.renstra_target_text, ind.renstra_year, item.team.name if item.team else "", False)


def _pick(recorded: Any, live: Any) -> Any:
    return case((ItemRecord.item_id.is_not(None), recorded), else_=live)


class Columns:
    """SQL expressions of :class:`ItemFacts` for Core queries over format items.

    A query using them selects from FormatItem joined with :func:`join_facts`.
    """

    objective_code = _pick(ItemRecord.objective_code, Objective.code)
    objective_name = _pick(ItemRecord.objective_name, Objective.name)
    objective_position = _pick(ItemRecord.objective_position, Objective.position)
    indicator_code = _pick(ItemRecord.indicator_code, Indicator.code)
    indicator_name = _pick(ItemRecord.indicator_name, Indicator.name)
    unit = _pick(ItemRecord.unit, Indicator.unit)
    polarity = _pick(ItemRecord.polarity, Indicator.polarity)
    formula = _pick(ItemRecord.formula, Indicator.formula)
    qualitative = _pick(ItemRecord.qualitative, Indicator.qualitative)
    renstra_target = _pick(ItemRecord.renstra_target, Indicator.renstra_target)
    renstra_target_text = _pick(ItemRecord.renstra_target_text, Indicator.renstra_target_text)
    renstra_year = _pick(ItemRecord.renstra_year, Indicator.renstra_year)
    data_source = _pick(ItemRecord.data_source, Indicator.data_source)
    frozen = ItemRecord.item_id.is_not(None)
    team_name = _pick(ItemRecord.team_name, Team.name)


def join_facts(query):
    """``query`` (selecting from FormatItem) joined with what :class:`Columns` reads."""
    return (query.join(Indicator, Indicator.id == FormatItem.indicator_id)
            .join(Objective, Objective.id == Indicator.objective_id)
            .outerjoin(ItemRecord, ItemRecord.item_id == FormatItem.id)
            .outerjoin(Team, Team.id == FormatItem.team_id))


def team_names(session: Session, cycle_id: int) -> dict[int, str]:
    """Team id -> name as the cycle knows it (recorded at step 3, else today's name)."""
    # Only the joins the team's name needs (not join_facts' indicator and objective):
    # read on most screens, over every item of the cycle.
    rows = session.execute(
        select(FormatItem.team_id, Columns.team_name).select_from(FormatItem)
        .outerjoin(ItemRecord, ItemRecord.item_id == FormatItem.id)
        .outerjoin(Team, Team.id == FormatItem.team_id)
        .where(FormatItem.cycle_id == cycle_id, FormatItem.team_id.is_not(None))
        .distinct()).all()
    return {team_id: name for team_id, name in rows}


# --------------------------------------------------------------------------- freezing


def freeze_items(session: Session, cycle_id: int, team_id: int | None,
                 now: datetime) -> int:
    """Record what ``team_id`` was given for each of its items not recorded yet."""
    items = session.scalars(select(FormatItem).where(
        FormatItem.cycle_id == cycle_id, FormatItem.team_id == team_id)).all()
    count = 0
    for item in items:
        if item.record is not None:
            continue
        facts = item_facts(item)
        item.record = ItemRecord(
            frozen_at=now, objective_code=facts.objective_code,
            objective_name=facts.objective_name, objective_position=facts.objective_position,
            indicator_code=facts.indicator_code, indicator_name=facts.indicator_name,
            unit=facts.unit, polarity=facts.polarity, formula=facts.formula,
            qualitative=facts.qualitative, data_source=facts.data_source,
            renstra_target=facts.renstra_target, renstra_target_text=facts.renstra_target_text,
            renstra_year=facts.renstra_year, team_name=facts.team_name)
        count += 1
    return count


def freeze_cycle(session: Session, cycle: Cycle, now: datetime) -> CycleRecord | None:
    """Record the office profile, head of office and predikat scale once per cycle
    (None while the office profile is not filled in)."""
    existing = session.get(CycleRecord, cycle.id)
    if existing is not None:
        return existing
    profile = session.get(OfficeProfile, 1)
    if profile is None:
        return None
    setting = session.get(Setting, PREDIKAT_KEY)
    record = CycleRecord(
        cycle_id=cycle.id, frozen_at=now, office_name=profile.name, regency=profile.regency,
        government=profile.government, address=profile.address, postcode=profile.postcode,
        phone=profile.phone, email=profile.email, logo=profile.logo,
        logo_name=profile.logo_name, signing_place=profile.signing_place,
        head_title=profile.head_title, head_name=profile.head_name,
        head_pangkat=profile.head_pangkat, head_nip=profile.head_nip,
        predikat_scale=setting.value if setting else DEFAULT_PREDIKAT_SCALE.to_json())
    session.add(record)
    return record


def record_programme(session: Session, cycle_id: int, programme: Programme) -> CycleProgramme:
    """The programme's code, name, kegiatan and team copied into the cycle (no figures
    yet): from then on the cycle prints its programme from here."""
    team = session.get(Team, programme.team_id) if programme.team_id is not None else None
    row = CycleProgramme(
        cycle_id=cycle_id, programme_id=programme.id, code=programme.code,
        name=programme.name, team_id=programme.team_id, team_name=team.name if team else "",
        activities=list(programme.activities or []), position=programme.position)
    session.add(row)
    return row


def freeze_programmes(session: Session, cycle_id: int, team_id: int | None) -> int:
    """Record the team's active programmes in the cycle (those not recorded yet)."""
    if team_id is None:
        return 0
    recorded = set(session.scalars(select(CycleProgramme.programme_id)
                                   .where(CycleProgramme.cycle_id == cycle_id)))
    count = 0
    for programme in session.scalars(select(Programme).where(
            Programme.team_id == team_id, Programme.active.is_(True))
            .order_by(Programme.position, Programme.id)):
        if programme.id not in recorded:
            record_programme(session, cycle_id, programme)
            count += 1
    return count


def freeze_sent(session: Session, cycle: Cycle, team_id: int | None, now: datetime) -> None:
    """Step 3 finished for ``team_id``: its items and programmes, and the cycle if first,
    are recorded."""
    freeze_cycle(session, cycle, now)
    freeze_items(session, cycle.id, team_id, now)
    freeze_programmes(session, cycle.id, team_id)


# --------------------------------------------------------------------------- reading


def cycle_record(session: Session, cycle_id: int | None) -> CycleRecord | None:
    return session.get(CycleRecord, cycle_id) if cycle_id is not None else None


def scale_for(session: Session, cycle_id: int | None = None) -> PredikatScale:
    """The predikat scale of a cycle (its recorded one once frozen), else the office's."""
    record = cycle_record(session, cycle_id)
    if record is not None:
        return PredikatScale.from_json(record.predikat_scale)
    row = session.get(Setting, PREDIKAT_KEY)
    return PredikatScale.from_json(row.value) if row else DEFAULT_PREDIKAT_SCALE
