"""Steps 4–6 flow and a truthful workflow: what needs a member, many verified at once,
kelengkapan only when the thing exists, per-team status told honestly."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from kinerja_desktop.db.models import AuditEntry, ItemReview
from kinerja_desktop.domain.errors import ConflictError, PermissionDenied
from kinerja_desktop.domain.timing import StepStatus, TimeUnit, aggregate_status, evaluate
from kinerja_desktop.services import (
    attention,
    cycles,
    entries,
    formats,
    submissions,
    verification,
    workflow,
)

TEXTS = dict(explanation="Penjelasan", supporting="Pendukung", inhibiting="Penghambat",
             follow_up="Upaya")


def _format_final(ctx, office, teams):
    cycle = cycles.start_cycle(ctx, office.sekretaris, 2025, "800/1", date(2026, 1, 9))
    cycles.finish_step(ctx, office.sekretaris, cycle.id, 1)
    ids = [i for i, t in zip(office.indicators, [t for t in office.teams for _ in (0, 1)],
                             strict=True) if t in teams]
    formats.add_many_to_format(ctx, office.kasubag, cycle.id, ids)
    cycles.finish_step(ctx, office.kasubag, cycle.id, 2)
    return cycle


def _fill(ctx, office, cycle, team):
    member = office.members[team][1]
    for item in formats.format_items(ctx, cycle.id, team):
        entries.save_entry(ctx, member, item.id, entries.EntryInput(actual=79.0, **TEXTS))


def _present(view, step, team):
    return next(t for t in view.step(step).teams if t.team_id == team).present


def test_kelengkapan_is_ticked_only_when_the_thing_exists(ctx, clock, office):
    a, b = office.teams[:2]
    cycle = _format_final(ctx, office, (a, b))
    view = workflow.workflow(ctx, cycle.id)
    # Step 3's input (the final format) exists; nothing of steps 4–7 exists yet.
    assert _present(view, 3, a) and _present(view, 3, b)
    for step in (4, 5, 6):
        assert not _present(view, step, a) and not view.step(step).requirements[0].present
    assert not view.step(7).requirements[0].present
    cycles.finish_step(ctx, office.kasubag, cycle.id, 3, a)
    _fill(ctx, office, cycle, a)
    view = workflow.workflow(ctx, cycle.id)
    assert _present(view, 4, a) and not _present(view, 4, b)
    assert view.step(4).requirements[0].detail == "1/2 tim"
    assert not _present(view, 5, a)  # filled is not handed in
    submissions.submit(ctx, office.members[a][0], cycle.id, a)
    view = workflow.workflow(ctx, cycle.id)
    assert _present(view, 5, a) and _present(view, 6, a) and not _present(view, 5, b)
    detail = next(t for t in view.step(5).teams if t.team_id == b).present_detail
    assert detail == "data tim belum diserahkan"


def test_per_team_status_never_falls_back_to_siap(ctx, clock, office):
    a, b = office.teams[:2]
    cycle = _format_final(ctx, office, (a, b))
    clock.advance(minutes=5)
    cycles.finish_step(ctx, office.kasubag, cycle.id, 3, a)
    view = workflow.workflow(ctx, cycle.id)
    step3 = view.step(3)
    assert step3.timing.status is StepStatus.BERJALAN and step3.teams_done == 1
    assert [t.timing.status for t in step3.teams] == [StepStatus.SELESAI_TEPAT_WAKTU,
                                                      StepStatus.SIAP]
    # Step 4: team A may start, team B's not ready: the parent says siap, not belum siap.
    assert view.step(4).timing.status is StepStatus.SIAP


def test_aggregate_status_rules():
    s = StepStatus
    assert aggregate_status([]) is s.BELUM_SIAP
    assert aggregate_status([s.SELESAI_TEPAT_WAKTU, s.BELUM_SIAP]) is s.BERJALAN
    assert aggregate_status([s.SELESAI_TERLAMBAT, s.SIAP]) is s.BERJALAN
    assert aggregate_status([s.SIAP, s.BELUM_SIAP]) is s.SIAP
    assert aggregate_status([s.BERJALAN, s.MENDEKATI_BATAS]) is s.MENDEKATI_BATAS
    assert aggregate_status([s.MELEWATI_BATAS, s.SELESAI_TEPAT_WAKTU]) is s.MELEWATI_BATAS
    assert aggregate_status([s.SELESAI_TEPAT_WAKTU, s.SELESAI_TERLAMBAT]) \
        is s.SELESAI_TERLAMBAT


def test_durations_under_a_day_read_in_jam_and_menit(ctx, clock):
    from datetime import timedelta

    from kinerja_desktop.domain.timing import TimeStandard, WorkCalendar

    start = clock()
    sixty_days = TimeStandard(60, TimeUnit.HARI)
    timing = evaluate(sixty_days, start, start, None, start + timedelta(hours=2, minutes=5),
                      WorkCalendar())
    assert timing.used_label(TimeUnit.HARI) == "2 jam 5 menit"
    later = evaluate(sixty_days, start, start, None, start + timedelta(days=3), WorkCalendar())
    assert later.used_label(TimeUnit.HARI) == "3 hari kerja"


def test_member_sees_returned_items_and_the_deadline(ctx, clock, office):
    a = office.teams[0]
    lead, member = office.members[a]
    cycle = _format_final(ctx, office, (a,))
    cycles.finish_step(ctx, office.kasubag, cycle.id, 3, a)
    (found,) = attention.for_member(ctx, member, cycle.id)
    assert found.step == 4 and found.lines() == [
        "2 indikator belum lengkap", "format sudah diterima; pengisian belum dimulai"]
    _fill(ctx, office, cycle, a)  # starts step 4 at 08.00 WITA (the clock fixture)
    (found,) = attention.for_member(ctx, member, cycle.id)
    assert found.lines() == ["batas pengisian 10.00 WITA"]
    cycles.finish_step(ctx, member, cycle.id, 4, a)
    cycles.start_step(ctx, lead, cycle.id, 5, a)
    clock.advance(minutes=40)
    (found,) = attention.for_member(ctx, member, cycle.id)
    assert found.lines() == ["batas penyerahan 08.30 WITA (terlewati)"]
    submissions.submit(ctx, lead, cycle.id, a)
    items = formats.format_items(ctx, cycle.id, a)
    for item in reversed(items):
        verification.return_item(ctx, office.kasubag, item.id, "Mohon lengkapi rekapitulasi.")
    (found,) = attention.for_member(ctx, member, cycle.id)
    assert found.returned == 2 and found.first_returned_item_id == items[0].id
    assert found.lines() == ["2 indikator dikembalikan"] and found.needs_action
    assert attention.for_member(ctx, office.members[office.teams[1]][0], cycle.id) == ()


def test_many_items_verified_at_once_each_audited(ctx, clock, office):
    a, b = office.teams[:2]
    cycle = _format_final(ctx, office, (a, b))
    for team in (a, b):
        cycles.finish_step(ctx, office.kasubag, cycle.id, 3, team)
        _fill(ctx, office, cycle, team)
        submissions.submit(ctx, office.members[team][0], cycle.id, team)
    ids = [i.id for i in formats.format_items(ctx, cycle.id)]
    # One item not submitted any more (returned): the whole action is refused.
    verification.return_item(ctx, office.kasubag, ids[0], "Angka belum sesuai laporan.")
    with pytest.raises(ConflictError, match="berstatus Dikembalikan"):
        verification.verify_items(ctx, office.kasubag, ids)
    assert all(entries.get_item(ctx, i).state.value == "diserahkan" for i in ids[1:])
    with pytest.raises(PermissionDenied):
        verification.verify_items(ctx, office.members[a][0], ids[1:])
    assert verification.verify_items(ctx, office.kasubag, ids[1:]) == 3
    with ctx.read() as session:
        audited = session.scalars(select(AuditEntry.entity_id).where(
            AuditEntry.action == "verifikasi.setujui")).all()
        reviews = session.scalars(select(ItemReview.item_id).where(
            ItemReview.action == "diverifikasi")).all()
    assert sorted(int(i) for i in audited) == sorted(ids[1:]) == sorted(reviews)
    view = workflow.workflow(ctx, cycle.id)
    assert [t.finished_at is not None for t in view.step(6).teams] == [False, True]
