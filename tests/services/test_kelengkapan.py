"""A step cannot finish while its kelengkapan is missing; the refusal names it."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_desktop.domain.errors import IncompleteError
from kinerja_desktop.services import cycles, entries, formats, submissions, workflow


@pytest.fixture
def running(ctx, clock, office):
    cycle = cycles.start_cycle(ctx, office.sekretaris, 2025, "800/1", date(2026, 1, 9))
    cycles.finish_step(ctx, office.sekretaris, cycle.id, 1)
    return cycle


def test_empty_format_cannot_finish(ctx, office, running):
    with pytest.raises(IncompleteError) as err:
        cycles.finish_step(ctx, office.kasubag, running.id, 2)
    assert "format belum berisi indikator" in str(err.value)
    view = workflow.workflow(ctx, running.id, office.kasubag)
    assert not view.step(2).can_finish
    assert not view.step(2).requirements[0].present


def test_indicator_without_team_or_target(ctx, office, running):
    item = formats.add_to_format(ctx, office.kasubag, running.id, office.indicators[0])
    formats.update_format_item(ctx, office.kasubag, item.id, None, None)
    with pytest.raises(IncompleteError) as err:
        cycles.finish_step(ctx, office.kasubag, running.id, 2)
    assert any("belum ditetapkan timnya" in m for m in err.value.missing)
    assert any("belum memiliki target" in m for m in err.value.missing)


def test_fill_and_submit_need_required_fields(ctx, clock, office, running):
    team = office.teams[0]
    for ind in office.indicators[:2]:
        formats.add_to_format(ctx, office.kasubag, running.id, ind)
    cycles.finish_step(ctx, office.kasubag, running.id, 2)
    cycles.finish_step(ctx, office.kasubag, running.id, 3, team)
    lead, member = office.members[team]
    items = formats.format_items(ctx, running.id, team)
    entries.save_entry(ctx, member, items[0].id, entries.EntryInput(actual=80.0))
    with pytest.raises(IncompleteError) as err:
        cycles.finish_step(ctx, member, running.id, 4, team)
    text = str(err.value)
    assert "Indikator 1.1: Penjelasan belum diisi" in text
    assert "Indikator 1.2: Realisasi, Penjelasan belum diisi" in text
    view = workflow.workflow(ctx, running.id, member)
    assert view.step(4).teams[0].missing and not view.step(4).teams[0].can_finish
    with pytest.raises(IncompleteError, match="Data belum dapat diserahkan") as err:
        submissions.submit(ctx, lead, running.id, team)
    assert "Indikator 1.2: Realisasi, Penjelasan" in str(err.value)
    assert workflow.workflow(ctx, running.id).step(4).teams[0].finished_at is None
