"""A closed year's comparison with earlier years holds on any later day (issue 11): an
earlier year reopened, corrected and closed again after a later year closed leaves the
later year's Excel comparison (and its data) as they were when it closed."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from openpyxl import load_workbook

from kinerja_desktop.services import (
    accounts,
    cycles,
    documents,
    entries,
    formats,
    submissions,
    teams,
    verification,
)
from kinerja_desktop.services.document_data.compiled_report import compiled_report_data

COMPARISON = "D. Antartahun"


def _xlsx(ctx, cycle_id: int) -> dict[str, list[tuple]]:
    from kinerja_desktop.spreadsheets.compiled_workbook import render_compiled_workbook

    book = load_workbook(io.BytesIO(render_compiled_workbook(
        documents.compiled_report_content(ctx, cycle_id))))
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in book}


def _team_people(ctx, team_id: int) -> tuple[int, int]:
    team = next(t for t in teams.list_teams(ctx) if t.id == team_id)
    return (next(m.person_id for m in team.members if m.is_lead),
            next(m.person_id for m in team.members if not m.is_lead))


def _close_year(ctx, kasubag: int, sekretaris: int, year: int, earlier: int) -> int:
    """Cycle ``year`` run from start to close with the format of ``earlier`` (copied) and
    every realisasi 10 above the earlier year's."""
    cycle = cycles.start_cycle(ctx, sekretaris, year, f"800/1/{year + 1}", date(2026, 11, 20),
                               "Inspektur")
    cycles.finish_step(ctx, sekretaris, cycle.id, 1)
    formats.copy_from_previous_year(ctx, kasubag, cycle.id)
    cycles.finish_step(ctx, kasubag, cycle.id, 2)
    old = {i.indicator_id: i for i in formats.format_items(ctx, cycles.find_cycle(ctx, earlier)
                                                           .id)}
    for team_id in sorted({i.team_id for i in formats.format_items(ctx, cycle.id)}):
        lead, member = _team_people(ctx, team_id)
        cycles.start_step(ctx, kasubag, cycle.id, 3, team_id)
        cycles.finish_step(ctx, kasubag, cycle.id, 3, team_id)
        items = formats.format_items(ctx, cycle.id, team_id)
        for item in items:
            values = entries.get_item(ctx, old[item.indicator_id].id).values
            entries.save_entry(ctx, member, item.id, replace(
                values, actual=None if values.actual is None else values.actual + 10))
        cycles.finish_step(ctx, member, cycle.id, 4, team_id)
        cycles.start_step(ctx, lead, cycle.id, 5, team_id)
        submissions.submit(ctx, lead, cycle.id, team_id)
        verification.verify_items(ctx, kasubag, [i.id for i in items])
    cycles.start_step(ctx, kasubag, cycle.id, 7)
    documents.compile_and_close(ctx, kasubag, cycle.id)
    return cycle.id


def _correct_and_close_again(ctx, people: dict[str, int], cycle_id: int) -> int:
    """Reopen ``cycle_id``, change the first item's realisasi (+ 7,5) and close it again;
    returns the item's indicator."""
    kasubag = people["kasubag"]
    cycles.reopen_cycle(ctx, people["admin"], cycle_id, "Realisasi salah ketik.")
    item = formats.format_items(ctx, cycle_id)[0]
    lead, member = _team_people(ctx, item.team_id)
    verification.return_item(ctx, kasubag, item.id, "Realisasi salah ketik; mohon diperbaiki.")
    values = entries.get_item(ctx, item.id).values
    entries.save_entry(ctx, member, item.id, replace(values, actual=(values.actual or 0) + 7.5))
    submissions.submit(ctx, lead, cycle_id, item.team_id)
    verification.verify_item(ctx, kasubag, item.id, "Sudah benar.")
    assert documents.compile_and_close(ctx, kasubag, cycle_id).version_label == "Revisi 1"
    return item.indicator_id


def _history(ctx, cycle_id: int) -> dict[int, tuple]:
    return {i.indicator_id: i.history for i in compiled_report_data(ctx, cycle_id).items}


def test_a_later_closed_year_keeps_its_comparison_when_an_earlier_year_is_corrected(ctx):
    from kinerja_desktop.services import demo

    demo.build_demo(ctx, year=2025, teams=2, indicators=2, through_step=7)
    people = {p.username: p.id for p in accounts.list_people(ctx)}
    earlier = cycles.find_cycle(ctx, 2025).id
    later = _close_year(ctx, people["kasubag"], people["sekretaris"], 2026, 2025)
    xlsx, history, pdf = _xlsx(ctx, later), _history(ctx, later), \
        documents.compiled_report_pdf(ctx, later)
    assert compiled_report_data(ctx, later).previous_years == (2025,)
    first = formats.format_items(ctx, earlier)[0]
    shown = history[first.indicator_id][0]
    assert shown.year == 2025 and shown.actual_value is not None

    # Days later, 2025 is reopened, corrected and closed again as Revisi 1.
    ctx.clock = lambda: datetime.now(UTC) + timedelta(days=3)
    indicator = _correct_and_close_again(ctx, people, earlier)
    corrected = compiled_report_data(ctx, earlier)
    now_2025 = next(i for i in corrected.items if i.indicator_id == indicator)
    assert now_2025.actual_value == shown.actual_value + Decimal("7.5") != shown.actual_value

    # The closed 2026 still compares with 2025 as it was when 2026 closed.
    assert _history(ctx, later) == history
    assert _xlsx(ctx, later) == xlsx
    assert any(shown.actual_value in row for row in xlsx[COMPARISON])
    assert documents.compiled_report_pdf(ctx, later) == pdf

    # Reopened, 2026 is a draft again and compares with the corrected 2025; closed again,
    # its new version keeps that.
    cycles.reopen_cycle(ctx, people["admin"], later, "Perbandingan dengan 2025 diperbarui.")
    draft = _history(ctx, later)[indicator][0]
    assert draft.actual_value == now_2025.actual_value
    documents.compile_and_close(ctx, people["kasubag"], later)
    assert _history(ctx, later)[indicator][0] == draft
    assert _xlsx(ctx, later)[COMPARISON] != xlsx[COMPARISON]
