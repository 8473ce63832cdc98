"""Team workbook: export, fill as a person would in Excel, import (and what is refused)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from kinerja_desktop.db.models import AuditEntry, WorkbookImport
from kinerja_desktop.domain.errors import ConflictError, PermissionDenied
from kinerja_desktop.services import entries, submissions, workbooks
from kinerja_desktop.spreadsheets import format_workbook as fw


def _export(state) -> bytes:
    return workbooks.export_team_workbook(state.ctx, state.kasubag, state.cycle_id,
                                          state.team_id)


def _fill(ws, rows, actual=(95, 80.5, 4)):
    for k, row in enumerate(rows):
        ws.cell(row, 7).value = actual[k % len(actual)]
        ws.cell(row, 8).value = 150_000_000
        ws.cell(row, 9).value = 141_250_000.5
        ws.cell(row, 10).value = f"Penjelasan baris {row}."
        ws.cell(row, 11).value = "Dukungan pendamping desa."
        ws.cell(row, 12).value = "Akses ke desa terpencil."
        ws.cell(row, 13).value = "Pendampingan intensif."


def test_export_structure(state, xl):
    content = _export(state)
    wb = xl.load(content)
    assert wb.sheetnames == [fw.SHEET_HELP, fw.SHEET_DATA, "Anggaran Program", fw.SHEET_ID]
    assert wb[fw.SHEET_ID].sheet_state == "veryHidden"
    ws = wb[fw.SHEET_DATA]
    assert ws.protection.sheet
    rows = xl.item_rows(ws)
    items = entries.list_team_items(state.ctx, state.cycle_id, state.team_id)
    assert len(rows) == len(items) == 3
    first = rows[0]
    assert ws.cell(first, 3).value == items[0].indicator_name
    assert ws.cell(first, 3).protection.locked
    assert ws.cell(first, 6).value == items[0].target
    assert ws.cell(first, 6).number_format == fw.NUMBER_FORMAT
    assert ws.cell(first, 5).value.startswith("Positif")
    assert not ws.cell(first, 7).protection.locked
    assert not ws.cell(first, 10).protection.locked
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"decimal", "textLength"} <= kinds
    ident = {r[0].value: r[1].value for r in wb[fw.SHEET_ID].iter_rows(max_col=2)}
    assert ident["siklus_id"] == str(state.cycle_id)
    assert ident["tim"] == state.team_name
    assert len(ident["checksum"]) == 64
    name = workbooks.list_export_targets(state.ctx, state.cycle_id)[0].file_name
    assert str(state.year) in name and state.team_name in name and name.endswith(".xlsx")
    # Ready to print on the office's paper (A4 here): one page wide, header on every page.
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0)
    assert ws.print_title_rows.replace("$", "") == f"{fw.HEADER_ROW}:{fw.HEADER_ROW}"
    assert ws.oddFooter.right.text == "Halaman &P dari &N"
    assert ws.oddHeader.left.text.startswith("Format Data Kinerja ")
    assert ws.page_margins.left * 25.4 == pytest.approx(30, abs=0.1)


def test_text_starting_like_a_formula_is_exported_as_text(state, xl):
    item = entries.list_team_items(state.ctx, state.cycle_id, state.team_id)[0]
    entries.save_entry(state.ctx, state.member, item.item_id, entries.EntryInput(
        actual=1.0, explanation="=HYPERLINK(\"http://x\")", supporting="+62 812",
        inhibiting="-kurang", follow_up="@tim"))
    ws = xl.load(_export(state))[fw.SHEET_DATA]
    row = xl.item_rows(ws)[0]
    for col, text in ((10, '=HYPERLINK("http://x")'), (11, "+62 812"), (12, "-kurang"),
                      (13, "@tim")):
        assert ws.cell(row, col).data_type == "s"
        assert ws.cell(row, col).value == text
    # and it comes back as the same text, not as a formula
    path = xl.save(xl.load(_export(state)), state.ctx.data_dir.root / "kembali.xlsx")
    report = workbooks.import_workbook(state.ctx, state.member, path)
    assert report.ok, report.lines()
    assert entries.get_item(state.ctx, item.item_id).values.explanation == \
        '=HYPERLINK("http://x")'


def test_round_trip(state, xl, snap, tmp_path):
    ws_book = xl.load(_export(state))
    ws = ws_book[fw.SHEET_DATA]
    rows = xl.item_rows(ws)
    _fill(ws, rows)
    ws.cell(rows[1], 7).value = "80,5"  # typed as Indonesian text in a text cell
    path = xl.save(ws_book, tmp_path / "Format Data Kinerja.xlsx")

    before = snap(state.ctx)
    dry = workbooks.import_workbook(state.ctx, state.member, path, dry_run=True)
    assert dry.ok and not dry.applied and dry.items_changed == 3
    assert snap(state.ctx) == before

    report = workbooks.import_workbook(state.ctx, state.member, path)
    assert report.ok and report.applied, report.lines()
    assert report.items_changed == 3
    items = entries.list_team_items(state.ctx, state.cycle_id, state.team_id)
    assert [i.values.actual for i in items] == [95.0, 80.5, 4.0]
    assert items[0].values.spent == 141_250_000.5
    assert items[0].values.explanation == f"Penjelasan baris {rows[0]}."
    for item in items:
        expected = (Decimal(str(item.values.actual)) / Decimal(str(item.target)) * 100)
        assert item.achievement.value == expected.quantize(Decimal("0.01"))
    assert items[0].achievement.value == Decimal("95.00")

    with state.ctx.read() as session:
        record = session.scalars(select(WorkbookImport)).one()
        assert record.file_sha256 == report.file_sha256 and record.items_changed == 3
        logged = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "format.impor_excel")).one()
        assert logged.after["sha256"] == report.file_sha256

    again = workbooks.import_workbook(state.ctx, state.member, path)
    assert again.ok and again.items_changed == 0 and again.unchanged == 3
    assert any("sudah pernah diimpor" in w.message for w in again.warnings)


def test_file_older_than_latest_submission_gets_a_warning(state, xl, tmp_path):
    book = xl.load(_export(state))
    _fill(book[fw.SHEET_DATA], xl.item_rows(book[fw.SHEET_DATA]))
    path = xl.save(book, tmp_path / "a.xlsx")
    assert workbooks.import_workbook(state.ctx, state.member, path).ok
    state.ctx.clock = _later(state.ctx.clock)
    submissions.submit(state.ctx, state.lead, state.cycle_id, state.team_id)
    report = workbooks.import_workbook(state.ctx, state.member, path, dry_run=True)
    assert report.ok
    assert any("sebelum penyerahan terakhir" in w.message for w in report.warnings)
    # a changed value on a submitted item is refused by the entries rules
    book[fw.SHEET_DATA].cell(xl.item_rows(book[fw.SHEET_DATA])[0], 7).value = 1
    path2 = xl.save(book, tmp_path / "b.xlsx")
    refused = workbooks.import_workbook(state.ctx, state.member, path2)
    assert not refused.ok
    assert "tidak dapat" in refused.errors[0].message


def _later(clock):
    from datetime import timedelta

    return lambda: clock() + timedelta(minutes=5)


def test_permissions(state, xl, snap, tmp_path):
    with pytest.raises(PermissionDenied):
        workbooks.export_team_workbook(state.ctx, state.member, state.cycle_id, state.team_id)
    book = xl.load(_export(state))
    _fill(book[fw.SHEET_DATA], xl.item_rows(book[fw.SHEET_DATA]))
    path = xl.save(book, tmp_path / "a.xlsx")
    before = snap(state.ctx)
    for actor in (state.kasubag, state.other_team_member):
        report = workbooks.import_workbook(state.ctx, actor, path)
        assert not report.ok and not report.applied
        # The file is valid; that this person may not apply it is said apart.
        assert report.valid and report.errors == ()
        assert "hanya dapat dilakukan oleh anggota tim" in report.permission_problem
        assert "IZIN: " + report.permission_problem in report.lines()
        assert report.items_changed == 3  # what a member would change
    assert snap(state.ctx) == before


def test_export_needs_a_final_format(ctx):
    from kinerja_desktop.services import accounts, cycles, demo, teams

    demo.build_demo(ctx, through_step=1, teams=1, indicators=2)
    kasubag = next(p.id for p in accounts.list_people(ctx) if p.username == "kasubag")
    cycle = cycles.list_cycles(ctx)[0]
    team = teams.list_teams(ctx)[0]
    with pytest.raises(ConflictError, match="langkah 2"):
        workbooks.export_team_workbook(ctx, kasubag, cycle.id, team.id)
