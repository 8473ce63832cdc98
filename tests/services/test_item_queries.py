"""The fast reads of many items agree with the item-by-item rules they replace."""

from __future__ import annotations

import random
from datetime import date

from kinerja_desktop.domain.format_fields import missing_fields
from kinerja_desktop.services import cycles, entries, formats, items, summary, workflow
from kinerja_desktop.services.items import entry_values


def _running_format(ctx, office):
    cycle = cycles.start_cycle(ctx, office.sekretaris, 2025, "800/1", date(2026, 1, 9))
    cycles.finish_step(ctx, office.sekretaris, cycle.id, 1)
    formats.add_many_to_format(ctx, office.kasubag, cycle.id, office.indicators)
    return cycle


def test_sql_incomplete_counts_match_the_python_rule(ctx, clock, office):
    """Random entries, requirements and per-item overrides: the database's count of
    incomplete items per team equals the domain rule applied item by item."""
    cycle = _running_format(ctx, office)
    rng = random.Random(13)
    choices = ("wajib", "opsional", "tidak")
    formats.set_field_requirements(ctx, office.kasubag, cycle.id, {
        "anggaran": "wajib", "penjelasan": "wajib", "faktor_pendukung": "opsional",
        "faktor_penghambat": "tidak", "upaya": "wajib", "bukti_dukung": "opsional"})
    all_items = formats.format_items(ctx, cycle.id)
    for item in all_items[::2]:
        formats.update_format_items(ctx, office.kasubag, [item.id], fields={
            "anggaran": rng.choice(choices), "penjelasan": rng.choice(choices),
            "bukti_dukung": rng.choice(choices)})
    cycles.finish_step(ctx, office.kasubag, cycle.id, 2)
    for team in office.teams:
        cycles.finish_step(ctx, office.kasubag, cycle.id, 3, team)
    complete = entries.EntryInput(actual=12.5, budget=1_000_000.0, spent=900_000.0,
                                  explanation="Penjelasan", supporting="Pendukung",
                                  inhibiting="Penghambat", follow_up="Upaya")
    for k, item in enumerate(all_items):
        member = office.members[item.team_id][1]
        data = complete if k % 3 == 0 else entries.EntryInput(
            actual=rng.choice((None, 12.5)),
            budget=rng.choice((None, 1_000_000.0)), spent=rng.choice((None, 900_000.0)),
            explanation=rng.choice(("", "  ", "Penjelasan")),
            follow_up=rng.choice(("", "Upaya")),
            manual_achievement=rng.choice((None, None, 90.0)),
            manual_justification="Alasan" if rng.random() < 0.5 else "")
        entries.save_entry(ctx, member, item.id, data)
    with ctx.read() as session:
        spec = items.spec_fields(session, cycle.id)
        expected: dict[int, int] = {}
        for team in office.teams:
            expected[team] = 0
            for item in items.team_items(session, cycle.id, team):
                missing = missing_fields(spec, entry_values(item, 0), qualitative=False,
                                         overrides=item.fields)
                manual_without_reason = (item.entry.manual_achievement is not None
                                         and not item.entry.manual_justification.strip())
                if missing or manual_without_reason:
                    expected[team] += 1
        assert items.incomplete_counts(session, cycle.id) == expected
        assert {t: len(m) for t, m in items.missing_by_team(session, cycle.id).items()} == \
            expected
    assert 0 < sum(expected.values()) < len(all_items)  # the data exercises both sides
    totals = {t.team_id: t.items - t.filled for t in summary.cycle_summary(ctx, cycle.id).teams}
    assert totals == expected


def test_view_names_a_few_incomplete_items_and_counts_the_rest(ctx, clock, office,
                                                               monkeypatch):
    cycle = _running_format(ctx, office)
    team = office.teams[0]
    cycles.finish_step(ctx, office.kasubag, cycle.id, 2)
    cycles.finish_step(ctx, office.kasubag, cycle.id, 3, team)
    member = office.members[team][1]
    item = formats.format_items(ctx, cycle.id, team)[0]
    entries.save_entry(ctx, member, item.id, entries.EntryInput(actual=1.0))
    view = workflow.workflow(ctx, cycle.id, member).step(4).teams[0]
    assert view.missing == ("Indikator 1.1: Penjelasan belum diisi",
                            "Indikator 1.2: Realisasi, Penjelasan belum diisi")
    assert not view.present and view.present_detail == "2 indikator belum lengkap"
    monkeypatch.setattr(cycles, "MISSING_EXAMPLES", 1)
    view = workflow.workflow(ctx, cycle.id, member).step(4).teams[0]
    assert view.missing == ("Indikator 1.1: Penjelasan belum diisi",
                            "… dan 1 indikator lain belum lengkap")
