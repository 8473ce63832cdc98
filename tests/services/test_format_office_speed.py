"""Step 2 at office speed: many indicators at once, per-item fields, copy from last year."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from kinerja_desktop.db.models import AuditEntry
from kinerja_desktop.domain.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from kinerja_desktop.services import cycles, entries, formats, submissions, verification, workflow

TEXTS = dict(explanation="Penjelasan", supporting="Pendukung", inhibiting="Penghambat",
             follow_up="Upaya")


def _cycle(ctx, office, year: int):
    cycle = cycles.start_cycle(ctx, office.sekretaris, year, f"800/{year}", date(year + 1, 1, 9))
    cycles.finish_step(ctx, office.sekretaris, cycle.id, 1)
    return cycle


def test_many_indicators_get_team_and_fields_in_one_action(ctx, clock, office):
    cycle = _cycle(ctx, office, 2025)
    assert formats.add_many_to_format(ctx, office.kasubag, cycle.id, office.indicators) == 8
    items = formats.format_items(ctx, cycle.id)
    ids = [i.id for i in items[:5]]
    changed = formats.update_format_items(
        ctx, office.kasubag, ids, team_id=office.teams[3],
        fields={"bukti_dukung": "wajib", "penjelasan": "tidak"})
    assert changed == 5
    after = {i.id: i for i in formats.format_items(ctx, cycle.id)}
    assert all(after[i].team_id == office.teams[3] for i in ids)
    assert after[ids[0]].fields == (("bukti_dukung", "wajib"), ("penjelasan", "tidak"))
    assert after[items[5].id].fields == ()
    # Each item audited on its own.
    with ctx.read() as session:
        logged = session.scalars(select(AuditEntry.entity_id).where(
            AuditEntry.action == "format.ubah")).all()
    assert sorted(int(i) for i in logged) == sorted(ids)
    # Back to the format's choice for one field; the team kept.
    formats.update_format_items(ctx, office.kasubag, ids[:1],
                                fields={"penjelasan": formats.FOLLOW_FORMAT})
    first = next(i for i in formats.format_items(ctx, cycle.id) if i.id == ids[0])
    assert first.fields == (("bukti_dukung", "wajib"),) and first.team_id == office.teams[3]
    # The item's own requirements decide its kelengkapan: evidence now required.
    cycles.finish_step(ctx, office.kasubag, cycle.id, 2)
    cycles.finish_step(ctx, office.kasubag, cycle.id, 3, office.teams[3])
    member = office.members[office.teams[3]][1]
    view = entries.save_entry(ctx, member, ids[0], entries.EntryInput(actual=80.0, **TEXTS))
    assert view.missing == ("Bukti dukung",)
    assert dict(view.requirements)["bukti_dukung"] == "wajib"


def test_bulk_changes_are_refused_cleanly(ctx, clock, office):
    cycle = _cycle(ctx, office, 2025)
    formats.add_many_to_format(ctx, office.kasubag, cycle.id, office.indicators[:2])
    ids = [i.id for i in formats.format_items(ctx, cycle.id)]
    with pytest.raises(ValidationError, match="Belum ada indikator"):
        formats.update_format_items(ctx, office.kasubag, [], team_id=None)
    with pytest.raises(ValidationError, match="Realisasi selalu wajib"):
        formats.update_format_items(ctx, office.kasubag, ids, fields={"realisasi": "opsional"})
    with pytest.raises(ValidationError, match="tidak dikenal"):
        formats.update_format_items(ctx, office.kasubag, ids, fields={"anggaran": "kadang"})
    with pytest.raises(NotFound):
        formats.update_format_items(ctx, office.kasubag, ids + [9999], team_id=None)
    with pytest.raises(PermissionDenied):
        formats.update_format_items(ctx, office.sekretaris, ids, team_id=None)
    with pytest.raises(ConflictError, match="sudah ada dalam format"):
        formats.add_many_to_format(ctx, office.kasubag, cycle.id, office.indicators[:3])
    assert len(formats.format_items(ctx, cycle.id)) == 2  # all or nothing


def test_copy_from_last_year_over_two_years(ctx, clock, office):
    """Year one runs through verification with its own format; year two copies it."""
    first = _cycle(ctx, office, 2024)
    chosen = office.indicators[:4]  # teams 1 and 2
    formats.add_many_to_format(ctx, office.kasubag, first.id, chosen)
    items = formats.format_items(ctx, first.id)
    for item in items:
        formats.update_format_item(ctx, office.kasubag, item.id, item.team_id, 70.0,
                                   budget=150_000_000.0)
    formats.set_field_requirements(ctx, office.kasubag, first.id, {
        "realisasi": "wajib", "anggaran": "wajib", "penjelasan": "wajib",
        "faktor_pendukung": "opsional", "faktor_penghambat": "opsional", "upaya": "tidak",
        "bukti_dukung": "opsional"})
    formats.update_format_items(ctx, office.kasubag, [items[0].id],
                                team_id=office.teams[1], fields={"bukti_dukung": "tidak"})
    cycles.finish_step(ctx, office.kasubag, first.id, 2)
    for team in office.teams[:2]:
        cycles.finish_step(ctx, office.kasubag, first.id, 3, team)
        lead, member = office.members[team]
        for item in formats.format_items(ctx, first.id, team):
            entries.save_entry(ctx, member, item.id, entries.EntryInput(
                actual=72.0, spent=140_000_000.0, **TEXTS))
        submissions.submit(ctx, lead, first.id, team)
        for item in formats.format_items(ctx, first.id, team):
            verification.verify_item(ctx, office.kasubag, item.id)
    assert workflow.workflow(ctx, first.id).step(6).progress_label == "2/2 tim"

    # Year two: targets of 2025 set for two indicators only.
    formats.set_target(ctx, office.kasubag, chosen[1], 2025, 85.0)
    formats.set_target(ctx, office.kasubag, chosen[2], 2025, 90.0)
    second = _cycle(ctx, office, 2025)
    assert formats.copy_from_previous_year(ctx, office.kasubag, second.id) == 4
    copied = {i.indicator_id: i for i in formats.format_items(ctx, second.id)}
    assert set(copied) == set(chosen)
    assert copied[chosen[0]].team_id == office.teams[1]  # the team as changed last year
    assert copied[chosen[0]].target == 80.0  # the master's 2025 target (conftest)
    assert copied[chosen[1]].target == 85.0 and copied[chosen[2]].target == 90.0
    assert all(i.budget == 150_000_000.0 for i in copied.values())
    assert formats.field_requirements(ctx, second.id)["upaya"] == "tidak"
    assert formats.field_requirements(ctx, second.id)["anggaran"] == "wajib"
    # Entries do not travel: year two starts empty, in draft.
    assert all(i.state.value == "draf" for i in copied.values())
    # Copying again adds nothing; a cycle without an earlier year has nothing to copy.
    assert formats.copy_from_previous_year(ctx, office.kasubag, second.id) == 0
    with pytest.raises(NotFound, match="tahun sebelumnya"):
        formats.copy_from_previous_year(ctx, office.kasubag, _cycle(ctx, office, 2023).id)
    # Last year's realisasi is there for the plausibility rule of year two.
    cycles.finish_step(ctx, office.kasubag, second.id, 2)
    cycles.finish_step(ctx, office.kasubag, second.id, 3, office.teams[1])
    member = office.members[office.teams[1]][1]
    view = entries.save_entry(ctx, member, copied[chosen[2]].id, entries.EntryInput(
        actual=150.0, budget=100.0, spent=90.0, **TEXTS))
    assert view.last_year == 2024 and view.last_year_actual == 72.0
    assert [w.kind.value for w in view.warnings] == ["persen", "capaian", "tahun_lalu"]


def test_a_field_not_asked_of_one_item_is_not_missing(ctx, clock, office):
    cycle = _cycle(ctx, office, 2025)
    formats.add_many_to_format(ctx, office.kasubag, cycle.id, office.indicators[:1])
    item = formats.format_items(ctx, cycle.id)[0]
    formats.update_format_items(ctx, office.kasubag, [item.id], fields={"penjelasan": "tidak"})
    cycles.finish_step(ctx, office.kasubag, cycle.id, 2)
    cycles.finish_step(ctx, office.kasubag, cycle.id, 3, office.teams[0])
    member = office.members[office.teams[0]][1]
    view = entries.save_entry(ctx, member, item.id, entries.EntryInput(actual=80.0))
    assert view.missing == () and dict(view.requirements)["penjelasan"] == "tidak"
    assert workflow.workflow(ctx, cycle.id).step(4).teams[0].present
