"""Verification desk (step 6): verify, or return an item with a reason."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import Cycle, FormatItem, ItemReview, StepRun
from kinerja_desktop.domain.errors import ConflictError, PermissionDenied, ValidationError
from kinerja_desktop.domain.permissions import Principal, Role
from kinerja_desktop.domain.review import ItemState, ReviewAction
from kinerja_desktop.services.common import (
    NeedsCycleLock,
    audit,
    item_for_change,
    load_principal,
    lock_cycle_of_item,
    lock_item,
    shared_first,
)
from kinerja_desktop.services.context import ServiceContext, retry_busy
from kinerja_desktop.services.entries import ITEM_LOADS, ItemView, item_view
from kinerja_desktop.services.items import unverified_items
from kinerja_desktop.services.record import item_facts
from kinerja_desktop.services.submissions import latest_submission

MIN_REASON = 5
MAX_REASON = 2000


def submitter_of(session: Session, item: FormatItem) -> int | None:
    """Who handed in the item's current version (its last submission or correction)."""
    last = session.scalar(
        select(ItemReview).where(ItemReview.item_id == item.id,
                                 ItemReview.action.in_((ReviewAction.SUBMITTED.value,
                                                        ReviewAction.CORRECTED.value)))
        .order_by(ItemReview.at.desc(), ItemReview.id.desc()).limit(1))
    if last is not None:
        return last.person_id
    latest = latest_submission(session, item.cycle_id, item.team_id)
    return latest.submitted_by_id if latest is not None else None


def _reviewable(session: Session, ctx: ServiceContext, principal: Principal,
                item_id: int, correction: bool = False,
                shared: bool = False) -> tuple[FormatItem, Cycle]:
    """The item, when ``principal`` may verify or return it now. With ``correction`` a
    verified item of a reopened cycle may be returned too (its team's step 6 reopens).

    The caller holds the cycle's lock, or (``shared``) its shared lock and the item's
    row lock (:func:`lock_item`); either way the team's step 6 row is locked here, so
    verifications of one team follow each other (the last one finishes the step)."""
    from kinerja_desktop.services import cycles

    item = item_for_change(session, item_id)
    cycle = session.get(Cycle, item.cycle_id)
    step = cycles.definition_of(cycle.sop).step(6)
    cycles.require_step(principal, step.executor, item.team_id, 6)
    run6 = session.scalar(select(StepRun).where(StepRun.cycle_id == item.cycle_id,
                                                StepRun.step_number == 6,
                                                StepRun.team_id == item.team_id)
                          .with_for_update(key_share=True)
                          .execution_options(populate_existing=True))
    if run6 is None:
        raise ConflictError("Data tim ini belum diserahkan (langkah 5 belum selesai).")
    state = ItemState(item.entry.state)
    name = item_facts(item).indicator_name
    if correction and state is ItemState.VERIFIED:
        if not cycles.is_reopened(session, cycle):
            raise ConflictError(f"Indikator '{name}' sudah diverifikasi; data yang sudah "
                                "diverifikasi hanya dapat dikembalikan setelah siklus dibuka "
                                "kembali untuk perbaikan.")
        if submitter_of(session, item) == principal.person_id:
            raise PermissionDenied("Verifikator tidak boleh orang yang sama dengan penyerah "
                                   "data.")
        if shared:
            raise NeedsCycleLock  # step 6 (and 7) reopen: a transition
        # The correction runs through step 6 again for this team (then step 7).
        run6.finished_at, run6.finished_by_id = None, None
        return item, cycle
    if state is not ItemState.SUBMITTED:
        raise ConflictError(f"Indikator '{name}' berstatus {state.label}; "
                            "hanya data yang diserahkan yang dapat diverifikasi.")
    if submitter_of(session, item) == principal.person_id:
        raise PermissionDenied("Verifikator tidak boleh orang yang sama dengan penyerah data.")
    if run6.started_at is None:
        cycles.start_step_in(session, ctx, principal, cycle, 6, item.team_id)
    return item, cycle


def _verify_in(session: Session, ctx: ServiceContext, principal: Principal, item_id: int,
               comment: str, shared: bool = False) -> tuple[FormatItem, Cycle]:
    """Verify one item inside the caller's transaction: its own review and audit entry."""
    item, cycle = _reviewable(session, ctx, principal, item_id, shared=shared)
    now = ctx.now()
    item.entry.state = ItemState.VERIFIED.value
    session.add(ItemReview(item_id=item.id, at=now, person_id=principal.person_id,
                           action=ReviewAction.VERIFIED.value, comment=comment.strip()))
    audit(session, now, principal, "verifikasi.setujui", "item", item.id,
          before={"status": ItemState.SUBMITTED.value},
          after={"status": ItemState.VERIFIED.value, "catatan": comment.strip()})
    return item, cycle


@retry_busy
def verify_item(ctx: ServiceContext, actor_id: int, item_id: int, comment: str = "") -> ItemView:
    """Accept an item. Verifying a team's last item finishes its step 6; the last team's
    makes step 7 ready. Under the cycle's lock, so two Kasubags verifying the last items at
    once still finish the step (the second sees the first's verification)."""
    from kinerja_desktop.services import cycles

    comment = comment.strip()
    if len(comment) > MAX_REASON:
        raise ValidationError(f"Catatan terlalu panjang (maksimal {MAX_REASON} karakter).")
    def run(shared: bool) -> ItemView:
        # Shared: beside the team members' saves; the cycle's lock only when this is the
        # team's last item (finishing step 6 is a transition).
        with ctx.transaction() as session:
            principal = load_principal(session, actor_id)
            item = lock_item(session, item_id, *ITEM_LOADS, shared=shared)  # kept: loaded
            item, cycle = _verify_in(session, ctx, principal, item_id, comment, shared)
            session.flush()
            if not unverified_items(session, item.cycle_id, item.team_id):
                if shared:
                    raise NeedsCycleLock
                cycles.finish_step_in(session, ctx, principal, cycle, 6, item.team_id)
            return item_view(session, item)

    return shared_first(run)


@retry_busy
def verify_items(ctx: ServiceContext, actor_id: int, item_ids: list[int],
                 comment: str = "") -> int:
    """Verify several submitted items in one action: one transaction, all or none, each
    item with its own review and audit entry; step 6 finishes for every team whose items
    are then all verified. Returns how many were verified."""
    from kinerja_desktop.services import cycles

    comment = comment.strip()
    if len(comment) > MAX_REASON:
        raise ValidationError(f"Catatan terlalu panjang (maksimal {MAX_REASON} karakter).")
    ids = list(dict.fromkeys(item_ids))
    if not ids:
        raise ValidationError("Belum ada indikator yang dipilih untuk diverifikasi.")
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        touched: dict[tuple[int, int | None], Cycle] = {}
        for item_id in ids:
            lock_cycle_of_item(session, item_id)
            item, cycle = _verify_in(session, ctx, principal, item_id, comment)
            touched[(item.cycle_id, item.team_id)] = cycle
        session.flush()
        for (cycle_id, team_id), cycle in touched.items():
            if not unverified_items(session, cycle_id, team_id):
                cycles.finish_step_in(session, ctx, principal, cycle, 6, team_id)
        return len(ids)


@retry_busy
def return_item(ctx: ServiceContext, actor_id: int, item_id: int, reason: str) -> ItemView:
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise ValidationError("Alasan pengembalian wajib diisi (minimal 5 karakter).")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"Alasan pengembalian terlalu panjang (maksimal {MAX_REASON}).")
    def run(shared: bool) -> ItemView:
        # Shared beside the saves, unless a verified item of a reopened cycle comes back
        # (its team's step 6 reopens: a transition).
        with ctx.transaction() as session:
            principal = load_principal(session, actor_id)
            item = lock_item(session, item_id, *ITEM_LOADS, shared=shared)  # kept: loaded
            item, _cycle = _reviewable(session, ctx, principal, item_id, correction=True,
                                       shared=shared)
            now = ctx.now()
            before = item.entry.state
            item.entry.state = ItemState.RETURNED.value
            session.add(ItemReview(item_id=item.id, at=now, person_id=principal.person_id,
                                   action=ReviewAction.RETURNED.value, comment=reason))
            audit(session, now, principal, "verifikasi.kembalikan", "item", item.id,
                  before={"status": before},
                  after={"status": ItemState.RETURNED.value, "alasan": reason})
            session.flush()
            return item_view(session, item)

    return shared_first(run)


@retry_busy
def add_comment(ctx: ServiceContext, actor_id: int, item_id: int, text: str) -> ItemView:
    """A note in the item's history, by a member of its team or the Kasubag."""
    text = text.strip()
    if not text:
        raise ValidationError("Isi catatan wajib diisi.")
    if len(text) > MAX_REASON:
        raise ValidationError(f"Catatan terlalu panjang (maksimal {MAX_REASON} karakter).")
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        item = item_for_change(session, item_id)
        if not (principal.has(Role.KASUBAG) or item.team_id in principal.team_ids):
            raise PermissionDenied("Catatan hanya dapat ditambahkan oleh Kasubag atau anggota "
                                   "tim yang bersangkutan.")
        now = ctx.now()
        session.add(ItemReview(item_id=item.id, at=now, person_id=principal.person_id,
                               action=ReviewAction.COMMENT.value, comment=text))
        audit(session, now, principal, "butir.catatan", "item", item.id, after={"catatan": text})
        session.flush()
        return item_view(session, item)
