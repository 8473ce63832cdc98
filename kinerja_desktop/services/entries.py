"""Team entry (step 4): drafts saved as the user works, and evidence files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import (
    Cycle,
    Evidence,
    FormatItem,
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
from kinerja_desktop.domain.permissions import Principal, require_team_member
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.services.common import audit, item_for_change, load_principal
from kinerja_desktop.services.context import ServiceContext
from kinerja_desktop.services.files import display_name, store_file
from kinerja_desktop.services.items import (
    EntryInput,
    entry_input,
    item_evidence,
    item_missing,
    spec_fields,
    team_items,
)
from kinerja_desktop.services.record import item_facts, scale_for

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

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence)


def budget_from_format(item: FormatItem) -> bool:
    """True when the item's pagu shown to the team is the format's (no own pagu stored)."""
    return item.budget is not None and (item.entry is None or item.entry.budget is None)


def achievement_of(item: FormatItem) -> Achievement:
    facts = item_facts(item)
    values = entry_input(item.entry)
    return compute_achievement(
        item.target, values.actual, Formula(facts.formula), qualitative=facts.qualitative,
        manual_value=values.manual_achievement,
        manual_justification=values.manual_justification or None,
    )


def history_of(session: Session, item_id: int) -> list[ReviewInfo]:
    rows = session.scalars(select(ItemReview).where(ItemReview.item_id == item_id)
                           .order_by(ItemReview.at, ItemReview.id)).all()
    result = []
    for r in rows:
        person = session.get(Person, r.person_id) if r.person_id else None
        result.append(ReviewInfo(r.at, person.name if person else "", r.action, r.comment))
    return result


def scale_in(session: Session, cycle_id: int | None = None) -> PredikatScale:
    """The predikat scale of a cycle (its record's once frozen), else the office's."""
    return scale_for(session, cycle_id)


class _Prefetched:
    """Evidence and history of many items in three queries (for the team tables)."""

    def __init__(self, session: Session, items: list[FormatItem]) -> None:
        ids = [i.id for i in items]
        self.evidence: dict[int, list[Evidence]] = {i: [] for i in ids}
        self.history: dict[int, list[ReviewInfo]] = {i: [] for i in ids}
        self.fields: dict[int, dict | None] = {}
        if not ids:
            return
        for ev in session.scalars(select(Evidence).where(Evidence.item_id.in_(ids))
                                  .order_by(Evidence.added_at, Evidence.id)):
            self.evidence[ev.item_id].append(ev)
        reviews = session.scalars(select(ItemReview).where(ItemReview.item_id.in_(ids))
                                  .order_by(ItemReview.at, ItemReview.id)).all()
        person_ids = {r.person_id for r in reviews if r.person_id}
        names = dict(session.execute(select(Person.id, Person.name)
                                     .where(Person.id.in_(person_ids))).all()) \
            if person_ids else {}
        for r in reviews:
            self.history[r.item_id].append(
                ReviewInfo(r.at, names.get(r.person_id, ""), r.action, r.comment))
        for cycle_id in {i.cycle_id for i in items}:
            self.fields[cycle_id] = spec_fields(session, cycle_id)


def item_view(session: Session, item: FormatItem, scale: PredikatScale | None = None,
              prefetched: _Prefetched | None = None) -> ItemView:
    from kinerja_desktop.domain.format_fields import normalise_requirements

    scale = scale or scale_in(session, item.cycle_id)
    if prefetched is not None:
        fields = prefetched.fields[item.cycle_id]
        evidence = prefetched.evidence[item.id]
        history = prefetched.history[item.id]
    else:
        fields = spec_fields(session, item.cycle_id)
        evidence = item_evidence(session, item.id)
        history = history_of(session, item.id)
    reasons = [h.comment for h in history if h.action == "dikembalikan"]
    facts = item_facts(item)
    achievement = achievement_of(item)
    values = entry_input(item.entry, item)
    return ItemView(
        item.id, item.cycle_id, item.team_id, facts.objective_name, facts.indicator_name,
        facts.unit, facts.polarity, Formula(facts.formula), facts.qualitative, item.target,
        item.target_text,
        values, ItemState(item.entry.state if item.entry else "draf"),
        achievement,
        tuple(EvidenceInfo(e.id, e.original_name, e.size, e.sha256, e.added_at) for e in evidence),
        tuple(history), tuple(item_missing(session, item, fields, len(evidence))),
        item.entry.updated_at if item.entry else None,
        reasons[-1] if reasons else "",
        scale.classify(achievement.value),
        budget_absorption(values.budget, values.spent),
        tuple((k, v.value) for k, v in normalise_requirements(fields).items()),
        item.budget,
        budget_from_format(item),
    )


def list_team_items(ctx: ServiceContext, cycle_id: int, team_id: int) -> list[ItemView]:
    with ctx.read() as session:
        scale = scale_in(session, cycle_id)
        items = team_items(session, cycle_id, team_id)
        prefetched = _Prefetched(session, items)
        return [item_view(session, i, scale, prefetched) for i in items]


def get_item(ctx: ServiceContext, item_id: int) -> ItemView:
    with ctx.read() as session:
        item = session.get(FormatItem, item_id)
        if item is None:
            raise NotFound("Butir data tidak ditemukan.")
        return item_view(session, item)


# --------------------------------------------------------------------------- editing


def _editable_item(session: Session, ctx: ServiceContext, principal: Principal,
                   item_id: int) -> FormatItem:
    """The item, when its team may edit it now; starts step 4 for the team if needed."""
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
    run4 = session.scalar(select(StepRun).where(StepRun.cycle_id == item.cycle_id,
                                                StepRun.step_number == 4,
                                                StepRun.team_id == item.team_id))
    if run4 is None:
        raise ConflictError("Format belum disampaikan kepada tim ini (langkah 3 belum selesai).")
    if run4.finished_at is None:
        if run4.started_at is None:
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
    ):
        if len(text) > limit:
            raise ValidationError(f"{label} terlalu panjang ({len(text)} karakter; "
                                  f"maksimal {limit}).")
    for label, value in (("Pagu anggaran", data.budget), ("Realisasi anggaran", data.spent)):
        if value is not None and value < 0:
            raise ValidationError(f"{label} tidak boleh negatif.")
    if data.manual_achievement is not None and not data.manual_justification.strip():
        raise ValidationError("Capaian manual memerlukan alasan (justifikasi).")
    if qualitative and data.actual is not None:
        raise ValidationError("Indikator kualitatif diisi dengan teks, bukan angka.")


def apply_entry_in(session: Session, ctx: ServiceContext, principal: Principal, item_id: int,
                   data: EntryInput) -> tuple[FormatItem, bool]:
    """save_entry's checks and change inside the caller's transaction (also used by the
    Excel import, so imported values follow exactly the same rules). Returns (item, changed)."""
    item = _editable_item(session, ctx, principal, item_id)
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


def save_entry(ctx: ServiceContext, actor_id: int, item_id: int, data: EntryInput) -> ItemView:
    """Save the team's draft of one item (one transaction, audited)."""
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        item, _changed = apply_entry_in(session, ctx, principal, item_id, data)
        session.flush()
        return item_view(session, item)


def attach_evidence(ctx: ServiceContext, actor_id: int, item_id: int, source: Path) -> ItemView:
    from kinerja_desktop.services.office import evidence_limit

    limit = evidence_limit(ctx)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
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


def remove_evidence(ctx: ServiceContext, actor_id: int, evidence_id: int) -> ItemView:
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        ev = session.get(Evidence, evidence_id)
        if ev is None:
            raise NotFound("Bukti dukung tidak ditemukan.")
        item = _editable_item(session, ctx, principal, ev.item_id)
        audit(session, ctx.now(), principal, "bukti.hapus", "item", item.id,
              before={"berkas": ev.original_name, "sha256": ev.sha256})
        session.delete(ev)
        session.flush()
        return item_view(session, item)
