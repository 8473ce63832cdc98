"""The whole seven-step path for four teams, through the services only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja_desktop.db.models import AuditEntry, StepRun
from kinerja_desktop.domain.errors import ConflictError, IncompleteError
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.domain.timing import StepStatus
from kinerja_desktop.services import (
    cycles,
    documents,
    entries,
    formats,
    submissions,
    verification,
    workflow,
)


def _fill(ctx, member, item, actual=72.0):
    entries.save_entry(ctx, member, item.id, entries.EntryInput(
        actual=actual, explanation="Hasil monev triwulan IV."))


def test_seven_steps_for_four_teams(ctx, clock, office):
    cycle = cycles.start_cycle(ctx, office.sekretaris, 2025, "800/12/Itprov/I/2026",
                               date(2026, 1, 9), "Inspektur Provinsi Sulawesi Selatan")
    view = workflow.workflow(ctx, cycle.id, office.sekretaris)
    assert view.step(1).timing.status is StepStatus.BERJALAN
    assert view.step(1).can_finish and not view.step(2).can_start
    assert view.step(2).timing.status is StepStatus.BELUM_SIAP

    clock.advance(minutes=30)
    cycles.finish_step(ctx, office.sekretaris, cycle.id, 1)
    for ind in office.indicators:
        formats.add_to_format(ctx, office.kasubag, cycle.id, ind)
    clock.advance(minutes=50)
    cycles.finish_step(ctx, office.kasubag, cycle.id, 2)

    view = workflow.workflow(ctx, cycle.id, office.kasubag)
    assert view.step(2).timing.status is StepStatus.SELESAI_TEPAT_WAKTU
    assert view.step(3).teams_total == 4 and view.step(3).progress_label == "0/4 tim"

    for i, team in enumerate(office.teams):
        clock.advance(minutes=10)
        cycles.finish_step(ctx, office.kasubag, cycle.id, 3, team)
        if i == 1:
            assert workflow.workflow(ctx, cycle.id).step(3).progress_label == "2/4 tim"
    for team in office.teams:
        lead, member = office.members[team]
        for item in formats.format_items(ctx, cycle.id, team):
            clock.advance(minutes=20)
            _fill(ctx, member, item)
        cycles.finish_step(ctx, member, cycle.id, 4, team)
        clock.advance(minutes=5)
        sub = submissions.submit(ctx, lead, cycle.id, team)
        assert sub.version == 1 and sub.item_count == 2 and len(sub.snapshot_sha256) == 64

    view = workflow.workflow(ctx, cycle.id, office.kasubag)
    assert view.step(5).progress_label == "4/4 tim"
    assert view.step(6).timing.status is StepStatus.SIAP
    assert view.step(7).timing.status is StepStatus.BELUM_SIAP

    first_team = office.teams[0]
    items = formats.format_items(ctx, cycle.id, first_team)
    clock.advance(days=1)
    verification.return_item(ctx, office.kasubag, items[0].id, "Realisasi tidak sesuai laporan.")
    assert entries.get_item(ctx, items[0].id).state is ItemState.RETURNED
    assert entries.get_item(ctx, items[0].id).last_return_reason.startswith("Realisasi")
    verification.verify_item(ctx, office.kasubag, items[1].id)
    assert workflow.workflow(ctx, cycle.id).step(6).timing.status is StepStatus.BERJALAN

    # The team corrects and resubmits; the change is listed.
    lead, member = office.members[first_team]
    _fill(ctx, member, items[0], actual=75.0)
    again = submissions.submit(ctx, lead, cycle.id, first_team)
    assert again.version == 2
    assert any(c.field == "Realisasi" and c.after == 75.0 for c in again.changes)

    for team in office.teams:
        for item in formats.format_items(ctx, cycle.id, team):
            if entries.get_item(ctx, item.id).state is ItemState.SUBMITTED:
                clock.advance(minutes=15)
                verification.verify_item(ctx, office.kasubag, item.id)

    view = workflow.workflow(ctx, cycle.id, office.kasubag)
    assert view.step(6).progress_label == "4/4 tim"
    assert view.step(7).timing.status is StepStatus.SIAP and view.step(7).can_start
    clock.advance(hours=2)
    cycles.start_step(ctx, office.kasubag, cycle.id, 7)
    clock.advance(hours=3)
    with pytest.raises(ConflictError, match="Selesaikan kompilasi"):
        cycles.finish_step(ctx, office.kasubag, cycle.id, 7)
    documents.compile_and_close(ctx, office.kasubag, cycle.id)

    view = workflow.workflow(ctx, cycle.id, office.kasubag)
    assert view.cycle.status == "selesai"
    assert all(s.timing.status.is_finished for s in view.steps)
    with ctx.read() as session:
        runs = session.scalar(select(func.count()).select_from(StepRun))
        assert runs == 3 + 4 * 4  # steps 1, 2, 7 once; 3–6 per team
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"siklus.mulai", "langkah.selesai", "data.serahkan", "verifikasi.kembalikan",
            "verifikasi.setujui"} <= actions


def test_late_step_is_reported_late(ctx, clock, office):
    cycle = cycles.start_cycle(ctx, office.sekretaris, 2025, "800/1", date(2026, 1, 9))
    clock.advance(minutes=49)
    assert workflow.workflow(ctx, cycle.id).step(1).timing.status is StepStatus.MENDEKATI_BATAS
    clock.advance(minutes=20)
    assert workflow.workflow(ctx, cycle.id).step(1).timing.status is StepStatus.MELEWATI_BATAS
    cycles.finish_step(ctx, office.sekretaris, cycle.id, 1)
    assert workflow.workflow(ctx, cycle.id).step(1).timing.status is StepStatus.SELESAI_TERLAMBAT


def test_steps_keep_their_order(ctx, clock, office):
    cycle = cycles.start_cycle(ctx, office.sekretaris, 2025, "800/1", date(2026, 1, 9))
    with pytest.raises(ConflictError, match="belum siap"):
        cycles.start_step(ctx, office.kasubag, cycle.id, 2)
    with pytest.raises(ConflictError, match="sudah ada"):
        cycles.start_cycle(ctx, office.sekretaris, 2025, "800/2", date(2026, 1, 9))


def test_cycle_needs_sk_number_and_date(ctx, clock, office):
    with pytest.raises(IncompleteError) as err:
        cycles.start_cycle(ctx, office.sekretaris, 2025, " ", None)
    assert err.value.missing == ["nomor SK", "tanggal SK"]
    assert cycles.list_cycles(ctx) == []


def test_running_cycle_keeps_its_sop_version(ctx, clock, office):
    import dataclasses

    from kinerja_desktop.domain.timing import TimeStandard, TimeUnit
    from kinerja_desktop.services import sops

    cycle = cycles.start_cycle(ctx, office.sekretaris, 2025, "800/1", date(2026, 1, 9))
    current = sops.current_sop(ctx).definition
    steps = list(current.steps)
    steps[0] = dataclasses.replace(steps[0], time=TimeStandard(10, TimeUnit.MENIT))
    new = sops.save_new_version(ctx, office.admin, dataclasses.replace(current, steps=tuple(steps)))
    assert new.version == 2
    assert workflow.workflow(ctx, cycle.id).step(1).time_label == "60 Menit"
    assert sops.current_sop(ctx).definition.step(1).time.amount == 10
