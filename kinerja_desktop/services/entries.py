"""Team entry (step 4): drafts saved as the user works, and evidence files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from kinerja_desktop.db.models import (
    Cycle,
    Evidence,
    FormatItem,
    Indicator,
    ItemEntry,
    ItemReview,
    Person,
    StepRun,
)
from kinerja_desktop.domain.achievement import (
    Absorption,
    Achievement,
    Formula,
    PredikatScale,
    budget_absorption,
    compute_achievement,
)
from kinerja_desktop.domain.errors import ConflictError, NotFound, ValidationError
from kinerja_desktop.domain.input_rules import NUMBER_RULES, check_number
from kinerja_desktop.domain.permissions import Principal, require_team_member
from kinerja_desktop.domain.plausibility import (
    DEFAULT_RULES,
    MAX_NOTE,
    PlausibilityRules,
    PlausibilityWarning,
    check_plausibility,
)
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.services.common import (
    audit,
    check_version,
    item_for_change,
    load_principal,
    lock_cycle_of_item,
    lock_item,
)
from kinerja_desktop.services.context import ServiceContext, retry_busy
from kinerja_desktop.services.files import display_name, store_file
from kinerja_desktop.services.items import (
    EntryInput,
    ItemRow,
    entry_input,
    item_evidence,
    item_rows,
    last_year_actuals,
    spec_fields,
    values_for_requirements,
)
from kinerja_desktop.services.record import ItemFacts, item_facts, scale_for

MAX_TEXT = 4000
MAX_SHORT_TEXT = 200


@dataclass(frozen=True)
class EvidenceInfo:
    id: int
    original_name: str
    size: int
    sha256: str
    added_at: datetime


@dataclass(frozen=True)
class ReviewInfo:
    at: datetime
    person: str
    action: str
    comment: str

    @property
    def action_label(self) -> str:
        """Indonesian label of the action ("Dikembalikan", "Komentar", ...)."""
        return ACTION_LABELS.get(self.action, self.action)


ACTION_LABELS = {
    "diserahkan": "Diserahkan",
    "dikembalikan": "Dikembalikan",
    "diverifikasi": "Diverifikasi",
    "komentar": "Komentar",
    "diperbaiki": "Diserahkan ulang",
}


@dataclass(frozen=True)
class ItemView:
    item_id: int
    cycle_id: int
    team_id: int | None
    objective_name: str
    indicator_name: str
    unit: str
    polarity: str
    formula: Formula
    qualitative: bool
    target: float | None
    target_text: str
    values: EntryInput
    state: ItemState
    achievement: Achievement
    evidence: tuple[EvidenceInfo, ...]
    history: tuple[ReviewInfo, ...]
    missing: tuple[str, ...]
    updated_at: datetime | None
    last_return_reason: str
    predikat: str | None = None
    absorption: Absorption | None = None
    requirements: tuple[tuple[str, str], ...] = ()
    #: The pagu the Kasubag set for this item in the format (step 2), if any.
    format_budget: float | None = None
    #: True while ``values.budget`` is the format's pagu (the team has not set its own).
    budget_from_format: bool = False
    #: The entry's row version: what a form saving this item passes back to ``save_entry``.
    version: int = 0
    #: Plausibility warnings of the current values (domain.plausibility), the indicator's
    #: rules, and last year's realisasi they compare with (so the form can re-check).
    warnings: tuple[PlausibilityWarning, ...] = ()
    rules: PlausibilityRules = DEFAULT_RULES
    last_year: int | None = None
    last_year_actual: float | None = None

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence)

    @property
    def needs_note(self) -> bool:
        """Warned, and the team has not yet explained the value."""
        return bool(self.warnings) and not self.values.plausibility_note.strip()


def budget_from_format(item: FormatItem | ItemRow) -> bool:
    """True when the item's pagu shown to the team is the format's (no own pagu stored)."""
    return item.budget is not None and (item.entry is None or item.entry.budget is None)


# Stored text to enum member by a dict lookup: an item view needs three per item, and a
# call of the enum class costs some 2 µs each (thousands of items per screen).
_FORMULAS = {f.value: f for f in Formula}
_STATES = {s.value: s for s in ItemState}


def _formula(stored: str) -> Formula:
    return _FORMULAS.get(stored) or Formula(stored)  # an unknown one raises as before


def _state(stored: str) -> ItemState:
    return _STATES.get(stored) or ItemState(stored)


def achievement_of(item: FormatItem | ItemRow, facts: ItemFacts | None = None,
                   values: EntryInput | None = None) -> Achievement:
    """The item's capaian; ``facts`` and ``values`` when the caller has them already."""
    facts = facts or item_facts(item)
    values = values or entry_input(item.entry, item)
    return compute_achievement(
        item.target, values.actual, _formula(facts.formula), qualitative=facts.qualitative,
        manual_value=values.manual_achievement,
        manual_justification=values.manual_justification or None,
    )


def rules_of(item: FormatItem | ItemRow) -> PlausibilityRules:
    try:
        return PlausibilityRules.from_json(item.indicator.plausibility)
    except ValueError:
        return DEFAULT_RULES


def warnings_of(item: FormatItem | ItemRow, achievement: Achievement, last_year: int | None,
                last_year_actual: float | None, values: EntryInput | None = None,
                rules: PlausibilityRules | None = None) -> tuple[PlausibilityWarning, ...]:
    """The plausibility warnings of an item's stored values (``values`` and ``rules``
    when the caller has them already)."""
    values = values or entry_input(item.entry, item)
    return check_plausibility(
        unit=item.indicator.unit, actual=values.actual, achievement=achievement.value,
        budget=values.budget, spent=values.spent, last_year_actual=last_year_actual,
        last_year=last_year, rules=rules or rules_of(item),
        qualitative=item.indicator.qualitative, manual_achievement=achievement.manual)


def review_history(session: Session, item_ids: list[int]) -> dict[int, list[ReviewInfo]]:
    """Each item's reviews, oldest first, with who made them (one query; Core rows, not
    ORM objects: a team has hundreds of items and reviews)."""
    history: dict[int, list[ReviewInfo]] = {i: [] for i in item_ids}
    if not item_ids:
        return history
    for item_id, at, person, action, comment in session.execute(
            select(ItemReview.item_id, ItemReview.at, Person.name, ItemReview.action,
                   ItemReview.comment)
            .outerjoin(Person, Person.id == ItemReview.person_id)
            .where(ItemReview.item_id.in_(item_ids)).order_by(ItemReview.at, ItemReview.id)):
        history[item_id].append(ReviewInfo(at, person or "", action, comment))
    return history


def history_of(session: Session, item_id: int) -> list[ReviewInfo]:
    """The item's reviews, oldest first, with who made them."""
    return review_history(session, [item_id])[item_id]


def scale_in(session: Session, cycle_id: int | None = None) -> PredikatScale:
    """The predikat scale of a cycle (its record's once frozen), else the office's."""
    return scale_for(session, cycle_id)


class _Prefetched:
    """Evidence and history of many items in three queries (for the team tables)."""

    def __init__(self, session: Session, items: list[FormatItem] | list[ItemRow]) -> None:
        ids = [i.id for i in items]
        self.evidence: dict[int, list] = {i: [] for i in ids}
        self.fields: dict[int, dict | None] = {}
        self.last_year: dict[int, tuple[int | None, dict[int, float]]] = {}
        self.history = review_history(session, ids)  # no query when there are no items
        if not ids:
            return
        for cycle_id in {i.cycle_id for i in items}:
            self.last_year[cycle_id] = last_year_actuals(
                session, cycle_id, [i.indicator_id for i in items if i.cycle_id == cycle_id])
        # Core rows, not ORM objects: a team has hundreds of items and reviews.
        for ev in session.execute(
                select(Evidence.id, Evidence.item_id, Evidence.original_name, Evidence.size,
                       Evidence.sha256, Evidence.added_at).where(Evidence.item_id.in_(ids))
                .order_by(Evidence.added_at, Evidence.id)):
            self.evidence[ev.item_id].append(ev)
        for cycle_id in {i.cycle_id for i in items}:
            self.fields[cycle_id] = spec_fields(session, cycle_id)


def item_view(session: Session, item: FormatItem | ItemRow, scale: PredikatScale | None = None,
              prefetched: _Prefetched | None = None) -> ItemView:
    from kinerja_desktop.domain.format_fields import item_requirements, missing_under

    scale = scale or scale_in(session, item.cycle_id)
    if prefetched is not None:
        fields = prefetched.fields[item.cycle_id]
        evidence = prefetched.evidence[item.id]
        history = prefetched.history[item.id]
        last_year, actuals = prefetched.last_year[item.cycle_id]
    else:
        fields = spec_fields(session, item.cycle_id)
        evidence = item_evidence(session, item.id)
        history = history_of(session, item.id)
        last_year, actuals = last_year_actuals(session, item.cycle_id, [item.indicator_id])
    reasons = [h.comment for h in history if h.action == "dikembalikan"]
    # Facts, values and rules read once per item (300 items per team table).
    facts = item_facts(item)
    values = entry_input(item.entry, item)
    achievement = achievement_of(item, facts, values)
    rules = rules_of(item)
    last_year_actual = actuals.get(item.indicator_id)
    requirements = item_requirements(fields, item.fields)  # resolved once for both uses
    missing = missing_under(requirements, values_for_requirements(values, len(evidence)),
                            qualitative=facts.qualitative)
    return ItemView(
        item.id, item.cycle_id, item.team_id, facts.objective_name, facts.indicator_name,
        facts.unit, facts.polarity, _formula(facts.formula), facts.qualitative, item.target,
        item.target_text,
        values, _state(item.entry.state) if item.entry else ItemState.DRAFT,
        achievement,
        tuple(EvidenceInfo(e.id, e.original_name, e.size, e.sha256, e.added_at) for e in evidence),
        tuple(history), tuple(missing),
        item.entry.updated_at if item.entry else None,
        reasons[-1] if reasons else "",
        scale.classify(achievement.value),
        budget_absorption(values.budget, values.spent),
        tuple((k, v._value_) for k, v in requirements.items()),  # not the slower .value
        item.budget,
        budget_from_format(item),
        item.entry.row_version if item.entry else 0,
        warnings_of(item, achievement, last_year, last_year_actual, values, rules),
        rules,
        last_year,
        last_year_actual,
    )


def list_team_items(ctx: ServiceContext, cycle_id: int, team_id: int) -> list[ItemView]:
    with ctx.read() as session:
        scale = scale_in(session, cycle_id)
        items = item_rows(session, cycle_id, team_id)
        prefetched = _Prefetched(session, items)
        return [item_view(session, i, scale, prefetched) for i in items]


#: What :func:`item_view` reads of a format item, loaded with it in one query.
ITEM_LOADS = (joinedload(FormatItem.entry), joinedload(FormatItem.record),
               joinedload(FormatItem.team),
               joinedload(FormatItem.indicator).joinedload(Indicator.objective))


def get_item(ctx: ServiceContext, item_id: int) -> ItemView:
    with ctx.read() as session:
        item = session.get(FormatItem, item_id, options=ITEM_LOADS)
        if item is None:
            raise NotFound("Butir data tidak ditemukan.")
        return item_view(session, item)


# --------------------------------------------------------------------------- editing


def _editable_item(session: Session, ctx: ServiceContext, principal: Principal,
                   item_id: int, expected_version: int | None = None) -> FormatItem:
    """The item, when its team may edit it now; starts step 4 for the team if needed.

    The caller holds the cycle's lock (:func:`lock_cycle_of_item`), at least its shared
    lock and then the item's row lock (:func:`lock_item`)."""
    from kinerja_desktop.services import cycles

    item = item_for_change(session, item_id)
    if item.team_id is None:
        raise ConflictError("Indikator ini belum ditetapkan timnya.")
    require_team_member(principal, item.team_id, "Mengisi data kinerja")
    cycle = session.get(Cycle, item.cycle_id)
    state = ItemState(item.entry.state if item.entry else "draf")
    if not state.editable:
        raise ConflictError(
            f"Indikator '{item_facts(item).indicator_name}' berstatus {state.label} dan tidak "
            "dapat diubah."
        )
    if item.entry is not None:
        check_version(session, item.entry, expected_version)
    elif expected_version:
        raise ConflictError("Data butir ini tidak ditemukan lagi; muat ulang.")
    run4_query = select(StepRun).where(StepRun.cycle_id == item.cycle_id,
                                       StepRun.step_number == 4,
                                       StepRun.team_id == item.team_id)
    run4 = session.scalar(run4_query)
    if run4 is None:
        raise ConflictError("Format belum disampaikan kepada tim ini (langkah 3 belum selesai).")
    if run4.finished_at is None and run4.started_at is None:
        # The team's first save starts step 4. Saves of other items may run beside this
        # one (the cycle's shared lock): the run's row lock lets only one start it.
        run4 = session.scalar(run4_query.with_for_update(key_share=True)
                              .execution_options(populate_existing=True))
        if run4.finished_at is None and run4.started_at is None:
            cycles.start_step_in(session, ctx, principal, cycle, 4, item.team_id)
    # After "selesai mengisi" a draft stays editable until it is handed in (Serahkan
    # freezes it); afterwards only a returned item is editable (state check above).
    if item.entry is None:
        item.entry = ItemEntry(state=ItemState.DRAFT.value)
    return item


def _check_input(data: EntryInput, qualitative: bool) -> None:
    for label, text, limit in (
        ("Realisasi (teks)", data.actual_text, MAX_SHORT_TEXT),
        ("Penjelasan", data.explanation, MAX_TEXT),
        ("Faktor pendukung", data.supporting, MAX_TEXT),
        ("Faktor penghambat", data.inhibiting, MAX_TEXT),
        ("Upaya / tindak lanjut", data.follow_up, MAX_TEXT),
        ("Alasan capaian manual", data.manual_justification, MAX_TEXT),
        ("Catatan peringatan", data.plausibility_note, MAX_NOTE),
    ):
        if len(text) > limit:
            raise ValidationError(f"{label} terlalu panjang ({len(text)} karakter; "
                                  f"maksimal {limit}).")
    for label, value in (("Pagu anggaran", data.budget), ("Realisasi anggaran", data.spent)):
        if value is not None and value < 0:
            raise ValidationError(f"{label} tidak boleh negatif.")
    for key in ("actual", "budget", "spent", "manual_achievement"):  # every value computes
        check_number(getattr(data, key), NUMBER_RULES[f"item_entries.{key}"])
    if data.manual_achievement is not None and not data.manual_justification.strip():
        raise ValidationError("Capaian manual memerlukan alasan (justifikasi).")
    if qualitative and data.actual is not None:
        raise ValidationError("Indikator kualitatif diisi dengan teks, bukan angka.")


def apply_entry_in(session: Session, ctx: ServiceContext, principal: Principal, item_id: int,
                   data: EntryInput,
                   expected_version: int | None = None) -> tuple[FormatItem, bool]:
    """save_entry's checks and change inside the caller's transaction (also used by the
    Excel import, so imported values follow exactly the same rules). Returns (item, changed).

    The caller holds the cycle's lock. ``expected_version``: the entry version the form
    loaded (0: no entry yet); a newer one is refused with who changed it and when.
    """
    item = _editable_item(session, ctx, principal, item_id, expected_version)
    _check_input(data, item_facts(item).qualitative)
    entry = item.entry
    before = entry_input(entry, item).__dict__.copy()
    after = data.__dict__.copy()
    if before == after:
        return item, False
    from_format_before = budget_from_format(item)
    for key, value in after.items():
        setattr(entry, key, value.strip() if isinstance(value, str) else value)
    if data.budget is not None and data.budget == item.budget:
        entry.budget = None  # the format's pagu, kept: it follows the format
    entry.updated_at = ctx.now()
    entry.updated_by_id = principal.person_id
    # The log says where the pagu came from: the format's (Kasubag) or the team's own.
    audit(session, ctx.now(), principal, "data.simpan", "item", item.id,
          before={**before, "pagu_dari_format": from_format_before},
          after={**after, "budget": entry_input(entry, item).budget,
                 "pagu_dari_format": budget_from_format(item)})
    return item, True


@retry_busy
def save_entry(ctx: ServiceContext, actor_id: int, item_id: int, data: EntryInput,
               expected_version: int | None = None) -> ItemView:
    """Save the team's draft of one item (one transaction, audited).

    ``expected_version``: :attr:`ItemView.version` as the form loaded it; when someone
    saved the item since, :class:`EditConflict` says who and when and nothing changes.
    """
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        # A save is no workflow transition: saves of other items go on meanwhile, a
        # second save of this item waits for this one (then meets its version), and a
        # transition (hand-in, verification, closing) waits for both or they for it.
        item = lock_item(session, item_id, *ITEM_LOADS)  # kept: loaded for the change
        item, _changed = apply_entry_in(session, ctx, principal, item_id, data,
                                        expected_version)
        session.flush()
        return item_view(session, item)


@retry_busy
def attach_evidence(ctx: ServiceContext, actor_id: int, item_id: int, source: Path) -> ItemView:
    """Attach a file to an item: its content goes into the database in the same
    transaction as the evidence row (refused above the office's size limit)."""
    from kinerja_desktop.services.office import evidence_limit

    limit = evidence_limit(ctx)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        lock_cycle_of_item(session, item_id)
        item = _editable_item(session, ctx, principal, item_id)
        sha, size = store_file(session, ctx, source, limit, ctx.now())
        name = display_name(source.name)
        if any(e.sha256 == sha for e in item_evidence(session, item.id)):
            raise ConflictError(f"Berkas {name} sudah dilampirkan pada indikator ini.")
        ev = Evidence(item_id=item.id, sha256=sha, original_name=name, size=size,
                      added_at=ctx.now(), added_by_id=principal.person_id)
        session.add(ev)
        session.flush()
        audit(session, ctx.now(), principal, "bukti.lampirkan", "item", item.id,
              after={"berkas": name, "sha256": sha, "ukuran": size})
        return item_view(session, item)


@retry_busy
def remove_evidence(ctx: ServiceContext, actor_id: int, evidence_id: int) -> ItemView:
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        item_id = session.scalar(select(Evidence.item_id).where(Evidence.id == evidence_id))
        if item_id is None:
            raise NotFound("Bukti dukung tidak ditemukan.")
        lock_cycle_of_item(session, item_id)
        ev = session.get(Evidence, evidence_id)
        if ev is None:
            raise NotFound("Bukti dukung tidak ditemukan.")
        item = _editable_item(session, ctx, principal, ev.item_id)
        audit(session, ctx.now(), principal, "bukti.hapus", "item", item.id,
              before={"berkas": ev.original_name, "sha256": ev.sha256})
        session.delete(ev)
        session.flush()
        return item_view(session, item)
