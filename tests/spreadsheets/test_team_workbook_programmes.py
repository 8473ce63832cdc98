"""The team workbook carries the team's programmes (issue 14 item 3): the budget sheet is
exported with the cycle's figures, filled in Excel, and imported back under the window's
rules, all or nothing with the rest of the file."""

from __future__ import annotations

from kinerja_desktop.services import programmes, workbooks
from kinerja_desktop.spreadsheets import format_workbook as fw
from kinerja_desktop.spreadsheets import programme_sheet as ps


def _export(state) -> bytes:
    return workbooks.export_team_workbook(state.ctx, state.kasubag, state.cycle_id,
                                          state.team_id)


def _rows(ws) -> list[int]:
    return [r for r in range(ps.FIRST_ROW, ws.max_row + 1) if ws.cell(r, 3).value]


def test_budget_sheet_round_trip(state, xl, tmp_path):
    views = programmes.cycle_programmes(state.ctx, state.cycle_id, state.team_id)
    assert len(views) == 2
    wb = xl.load(_export(state))
    assert ps.SHEET in wb.sheetnames and wb.sheetnames[-1] == fw.SHEET_ID
    assert any("lembar 'Anggaran Program'" in str(c.value)
               for c in wb[fw.SHEET_HELP]["A"] if c.value)
    ws = wb[ps.SHEET]
    assert ws.protection.sheet
    rows = _rows(ws)
    assert [(ws.cell(r, 2).value, ws.cell(r, 3).value) for r in rows] == [
        (v.code, v.name) for v in views]
    assert ws.cell(rows[0], 3).protection.locked and not ws.cell(rows[0], 4).protection.locked
    figures = [(1_250_000_000, 1_187_460_000.5), (845_000_000, 0)]
    for row, (budget, spent) in zip(rows, figures, strict=True):
        ws.cell(row, 4).value = budget
        ws.cell(row, 5).value = spent
    path = xl.save(wb, tmp_path / "isi.xlsx")

    checked = workbooks.import_workbook(state.ctx, state.member, path, dry_run=True)
    assert checked.ok and not checked.applied, checked.lines()
    assert [v.budget for v in programmes.cycle_programmes(state.ctx, state.cycle_id,
                                                          state.team_id)] == [None, None]
    report = workbooks.import_workbook(state.ctx, state.member, path)
    assert report.ok and report.applied, report.lines()
    assert report.programmes_changed == tuple(v.label for v in views)
    assert any("2 program berubah" in line for line in report.lines())
    after = programmes.cycle_programmes(state.ctx, state.cycle_id, state.team_id)
    assert [(v.budget, v.spent) for v in after] == [(1.25e9, 1_187_460_000.5), (8.45e8, 0.0)]

    # Exported again, the sheet shows what is stored.
    ws = xl.load(_export(state))[ps.SHEET]
    assert [ws.cell(r, 4).value for r in _rows(ws)] == [1.25e9, 8.45e8]


def test_a_bad_budget_cell_changes_nothing(state, xl, snap, tmp_path):
    wb = xl.load(_export(state))
    data = wb[fw.SHEET_DATA]
    first_item = xl.item_rows(data)[0]
    data.cell(first_item, fw.COLUMN_INDEX["explanation"]).value = "Diubah lewat Excel."
    ws = wb[ps.SHEET]
    rows = _rows(ws)
    ws.cell(rows[0], 4).value = 500_000_000
    ws.cell(rows[1], 4).value = -5  # negative pagu
    path = xl.save(wb, tmp_path / "salah.xlsx")
    before = snap(state.ctx)
    report = workbooks.import_workbook(state.ctx, state.member, path)
    assert not report.ok and not report.applied
    assert any(e.sheet == ps.SHEET and e.cell == f"D{rows[1]}" for e in report.errors), \
        report.lines()
    assert snap(state.ctx) == before
    assert [v.budget for v in programmes.cycle_programmes(state.ctx, state.cycle_id,
                                                          state.team_id)] == [None, None]


def test_a_changed_programme_name_is_refused(state, xl, snap, tmp_path):
    wb = xl.load(_export(state))
    ws = wb[ps.SHEET]
    row = _rows(ws)[0]
    ws.protection.sheet = False
    ws.cell(row, 3).value = "Program Lain"
    ws.cell(row, 4).value = 1_000
    path = xl.save(wb, tmp_path / "nama.xlsx")
    before = snap(state.ctx)
    report = workbooks.import_workbook(state.ctx, state.member, path)
    assert not report.applied
    assert any("Sel terkunci" in e.message and e.sheet == ps.SHEET for e in report.errors)
    assert snap(state.ctx) == before
