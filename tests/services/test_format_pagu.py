"""The pagu the Kasubag puts in the format (step 2) is the team's pagu until the team
sets its own: shown, counted as filled, submitted and truthfully logged."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from kinerja_desktop.db.models import AuditEntry
from kinerja_desktop.services import accounts, cycles, demo, entries, formats, submissions, teams

PAGU = 125_000_000.0


def _log(ctx, item_id: int) -> list[tuple[dict, dict]]:
    """(before, after) of the item's "data.simpan" audit entries, oldest first."""
    with ctx.read() as session:
        rows = session.execute(select(AuditEntry.before, AuditEntry.after).where(
            AuditEntry.action == "data.simpan", AuditEntry.entity_id == str(item_id))
            .order_by(AuditEntry.id)).all()
        return [(before, after) for before, after in rows]


def test_format_pagu_prefills_the_team_entry_and_the_team_may_change_it(ctx):
    demo.build_demo(ctx, teams=1, indicators=2, through_step=1)
    people = {p.username: p.id for p in accounts.list_people(ctx)}
    kasubag = people["kasubag"]
    cycle = cycles.active_cycle(ctx)
    first, second = formats.list_indicators(ctx)
    with_pagu = formats.add_to_format(ctx, kasubag, cycle.id, first.id)
    without = formats.add_to_format(ctx, kasubag, cycle.id, second.id)
    formats.update_format_item(ctx, kasubag, with_pagu.id, with_pagu.team_id, with_pagu.target,
                               budget=PAGU)
    formats.set_field_requirements(ctx, kasubag, cycle.id, {"anggaran": "wajib"})
    cycles.finish_step(ctx, kasubag, cycle.id, 2)
    team_id = with_pagu.team_id
    cycles.start_step(ctx, kasubag, cycle.id, 3, team_id)
    cycles.finish_step(ctx, kasubag, cycle.id, 3, team_id)
    member = next(t for t in teams.list_teams(ctx) if t.id == team_id).members[-1].person_id

    # Before the team types anything, the entry shows the format's pagu; an item
    # without a format pagu has none.
    view = entries.get_item(ctx, with_pagu.id)
    assert view.values.budget == PAGU
    assert view.format_budget == PAGU and view.budget_from_format
    other = entries.get_item(ctx, without.id)
    assert other.values.budget is None and not other.budget_from_format

    # Saving other fields keeps the format's pagu; the log says where it came from.
    saved = entries.save_entry(ctx, member, with_pagu.id,
                               replace(view.values, actual=10.0, spent=100_000_000.0,
                                       explanation="Laporan kecamatan."))
    assert saved.values.budget == PAGU and saved.budget_from_format
    assert saved.absorption is not None and saved.absorption.value == 80
    assert "Pagu dan realisasi anggaran" not in saved.missing
    before, after = _log(ctx, with_pagu.id)[-1]
    assert before["budget"] == PAGU and before["pagu_dari_format"] is True
    assert after["budget"] == PAGU and after["pagu_dari_format"] is True

    # The team may still set its own pagu; the format's stays visible beside it.
    own = entries.save_entry(ctx, member, with_pagu.id, replace(saved.values, budget=150e6))
    assert own.values.budget == 150e6 and not own.budget_from_format
    assert own.format_budget == PAGU
    before, after = _log(ctx, with_pagu.id)[-1]
    assert (before["budget"], before["pagu_dari_format"]) == (PAGU, True)
    assert (after["budget"], after["pagu_dari_format"]) == (150e6, False)

    # The frozen version holds the pagu in force for each item.
    entries.save_entry(ctx, member, without.id, entries.EntryInput(
        actual=5.0, budget=50e6, spent=40e6, explanation="Data dinas."))
    entries.save_entry(ctx, member, with_pagu.id, replace(own.values, budget=None))
    info = submissions.submit(ctx, member, cycle.id, team_id)
    rows = {r["item_id"]: r for r in info.snapshot["items"]}
    assert rows[with_pagu.id]["budget"] == PAGU  # emptied: the format's pagu again
    assert rows[without.id]["budget"] == 50e6
