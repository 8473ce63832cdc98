"""Plausibility warnings travel with the item: entry, submission, receipt, workbook import."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader

from kinerja_desktop.domain.plausibility import PlausibilityRules, WarningKind
from kinerja_desktop.services import (
    cycles,
    documents,
    entries,
    formats,
    submissions,
    workbooks,
)
from kinerja_desktop.services.document_data.receipt import receipt_data
from kinerja_desktop.spreadsheets import format_workbook as fw

TEXTS = dict(explanation="Penjelasan", supporting="Pendukung", inhibiting="Penghambat",
             follow_up="Upaya")


def _delivered(ctx, office, year=2025, sk="800/1"):
    cycle = cycles.start_cycle(ctx, office.sekretaris, year, sk, date(year + 1, 1, 9))
    cycles.finish_step(ctx, office.sekretaris, cycle.id, 1)
    formats.add_many_to_format(ctx, office.kasubag, cycle.id, office.indicators)
    for item in formats.format_items(ctx, cycle.id):
        if item.target is None:
            formats.update_format_item(ctx, office.kasubag, item.id, item.team_id, 80.0)
    cycles.finish_step(ctx, office.kasubag, cycle.id, 2)
    for team in office.teams:
        cycles.finish_step(ctx, office.kasubag, cycle.id, 3, team)
    return cycle


def test_implausible_values_are_warned_kept_and_acknowledged(ctx, clock, office):
    cycle = _delivered(ctx, office)
    team = office.teams[0]
    lead, member = office.members[team]
    first, second = formats.format_items(ctx, cycle.id, team)
    # "914,3" on a "%" indicator: kept as typed, warned twice (range and capaian).
    view = entries.save_entry(ctx, member, first.id, entries.EntryInput(actual=914.3, **TEXTS))
    assert view.values.actual == 914.3
    assert [w.kind for w in view.warnings] == [WarningKind.PERCENT_RANGE,
                                               WarningKind.ACHIEVEMENT]
    assert view.needs_note
    note = "Realisasi kumulatif 3 tahun; sudah dicek dengan laporan kecamatan."
    view = entries.save_entry(ctx, member, first.id, entries.EntryInput(
        actual=914.3, plausibility_note=note, **TEXTS))
    assert not view.needs_note and view.values.plausibility_note == note
    plausible = entries.save_entry(ctx, member, second.id, entries.EntryInput(
        actual=78.5, budget=100_000_000, spent=95_000_000, **TEXTS))
    assert plausible.warnings == ()
    # Handed in: the snapshot keeps the warnings and the note; the receipt lists them.
    info = submissions.submit(ctx, lead, cycle.id, team)
    rows = {r["item_id"]: r for r in info.snapshot["items"]}
    assert [w["kind"] for w in rows[first.id]["plausibility"]] == ["persen", "capaian"]
    assert rows[first.id]["plausibility_note"] == note and rows[second.id]["plausibility"] == []
    data = receipt_data(ctx, info.id)
    assert [(w.number, w.note) for w in data.warnings] == [(1, note), (1, note)]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        documents.receipt_pdf(ctx, info.id))).pages)
    flat = " ".join(text.split())
    assert "Peringatan kewajaran data (2 pada 1 indikator)" in flat
    assert "914,3% di luar 0–100%" in flat
    assert "Realisasi kumulatif 3 tahun" in flat


def test_rules_are_set_per_indicator(ctx, clock, office):
    indicator = formats.list_indicators(ctx)[0]
    data = formats.IndicatorInput(
        objective_id=indicator.objective_id, name=indicator.name, unit="%",
        team_id=indicator.team_id, plausibility=PlausibilityRules(percent_above_100=True))
    updated = formats.update_indicator(ctx, office.kasubag, indicator.id, data)
    assert updated.plausibility.percent_above_100
    cycle = _delivered(ctx, office)
    team = office.teams[0]
    member = office.members[team][1]
    item = formats.format_items(ctx, cycle.id, team)[0]
    view = entries.save_entry(ctx, member, item.id, entries.EntryInput(actual=112.0, **TEXTS))
    assert view.warnings == ()  # a growth rate may exceed 100 %
    # Keeping the rules when the dialog does not send them.
    kept = formats.update_indicator(ctx, office.kasubag, indicator.id, formats.IndicatorInput(
        objective_id=indicator.objective_id, name=indicator.name, unit="%"))
    assert kept.plausibility.percent_above_100


def _workbook(ctx, office, cycle, team, values: dict[int, float], tmp_path):
    content = workbooks.export_team_workbook(ctx, office.kasubag, cycle.id, team)
    wb = load_workbook(io.BytesIO(content))
    ws = wb[fw.SHEET_DATA]
    column = fw.COLUMN_INDEX["actual"]
    for offset, value in values.items():
        ws.cell(row=fw.FIRST_ROW + offset, column=column, value=value)
        for key, text in (("explanation", "Penjelasan"), ("supporting", "Pendukung"),
                          ("inhibiting", "Penghambat"), ("follow_up", "Upaya")):
            ws.cell(row=fw.FIRST_ROW + offset, column=fw.COLUMN_INDEX[key], value=text)
    path = tmp_path / f"tim-{team}.xlsx"
    wb.save(path)
    return path


def test_workbook_import_reports_a_peringatan_line_per_warning(ctx, clock, office, tmp_path):
    cycle = _delivered(ctx, office)
    team = office.teams[0]
    member = office.members[team][1]
    plausible = _workbook(ctx, office, cycle, team, {0: 78.5, 1: 81}, tmp_path)
    report = workbooks.import_workbook(ctx, member, plausible, dry_run=True)
    assert report.ok and report.warnings == ()
    assert not any("PERINGATAN" in line for line in report.lines())

    odd = _workbook(ctx, office, cycle, team, {0: 914.3, 1: 81}, tmp_path)
    report = workbooks.import_workbook(ctx, member, odd)
    assert report.ok and report.applied  # warned, never blocked
    lines = [line for line in report.lines() if "PERINGATAN" in line]
    assert len(lines) == 2
    assert lines[0].startswith(f"  PERINGATAN [{fw.SHEET_DATA}!G{fw.FIRST_ROW}] Baris "
                               f"{fw.FIRST_ROW} ('Indikator 1.1'): Realisasi 914,3%")
    assert "Jelaskan dengan catatan singkat di aplikasi" in lines[0]
    assert entries.get_item(ctx, formats.format_items(ctx, cycle.id, team)[0].id
                            ).values.actual == 914.3


def test_last_year_realisasi_is_compared(ctx, clock, office):
    team = office.teams[0]
    lead, member = office.members[team]
    first = _delivered(ctx, office, 2024, "800/0")
    item = formats.format_items(ctx, first.id, team)[0]
    entries.save_entry(ctx, member, item.id, entries.EntryInput(actual=40.0, **TEXTS))
    second = _delivered(ctx, office, 2025, "800/1")
    item = formats.format_items(ctx, second.id, team)[0]
    view = entries.save_entry(ctx, member, item.id, entries.EntryInput(actual=90.0, **TEXTS))
    assert view.last_year == 2024 and view.last_year_actual == 40.0
    assert [w.kind for w in view.warnings] == [WarningKind.LAST_YEAR]
    assert "tahun 2024 (40)" in view.warnings[0].message
