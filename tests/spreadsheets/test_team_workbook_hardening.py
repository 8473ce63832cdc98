"""Issue 12 item 9: the team workbook import, hardened — bounded reading, rows beyond the
declared size, a capped report, items checked against the database, the installation's
id, validity apart from permission, cancel, and numbers that must compute."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest

from kinerja_desktop.domain.errors import Cancelled
from kinerja_desktop.services import workbooks
from kinerja_desktop.spreadsheets import format_workbook as fw
from kinerja_desktop.spreadsheets import importer


def _export(state) -> bytes:
    return workbooks.export_team_workbook(state.ctx, state.kasubag, state.cycle_id,
                                          state.team_id)


def _sheet_member(content: bytes, title: str) -> str:
    """The zip member holding the sheet called ``title``."""
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        book = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet[^>]*name="{re.escape(title)}"[^>]*r:id="([^"]+)"', book).group(1)
    target = re.search(rf'<Relationship[^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or \
        re.search(rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    path = target.group(1).lstrip("/")
    return path if path.startswith("xl/") else f"xl/{path}"


def _rewrite_member(content: bytes, member: str, edit) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == member:
                data = edit(data.decode()).encode()
            zf.writestr(info.filename, data)
    return out.getvalue()


def test_size_bomb_declaring_16384_columns_and_a_million_rows_is_answered_quickly(
        state, tmp_path, snap):
    """A ~10 KB file whose sheets declare A1:XFD1048576 once hung the import for minutes."""
    content = _export(state)
    for title in (fw.SHEET_DATA, fw.SHEET_ID):
        content = _rewrite_member(content, _sheet_member(content, title), lambda xml: re.sub(
            r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml))
    # and a last row at the very bottom, so the rows really run to a million
    member = _sheet_member(content, fw.SHEET_DATA)
    content = _rewrite_member(content, member, lambda xml: xml.replace(
        "</sheetData>", '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c>'
                        "</row></sheetData>"))
    path = tmp_path / "bom-ukuran.xlsx"
    path.write_bytes(content)
    assert path.stat().st_size < 64 * 1024
    before = snap(state.ctx)
    started = time.monotonic()
    report = workbooks.import_workbook(state.ctx, state.member, path, dry_run=True)
    assert time.monotonic() - started < 5
    assert not report.valid
    assert any("Baris tambahan setelah butir format (baris 1048576)" in e.message
               for e in report.errors)
    assert snap(state.ctx) == before


def test_reading_is_bounded_in_time(state, tmp_path):
    path = tmp_path / "lambat.xlsx"
    path.write_bytes(_export(state))
    ticks = iter(range(10**9))
    with pytest.raises(importer.WorkbookFileError, match="tidak selesai dibaca dalam"):
        importer.read_team_workbook(path, seconds=0.0, cancelled=lambda: next(ticks) < 0)


def test_filled_rows_beyond_the_declared_size_are_found_and_the_report_is_capped(
        state, xl, tmp_path, snap):
    book = xl.load(_export(state))
    ws = book[fw.SHEET_DATA]
    last = max(xl.item_rows(ws))
    for row in range(last + 1, last + 1 + 800):
        ws.cell(row, fw.COLUMN_INDEX["explanation"]).value = f"catatan {row}"
    content = io.BytesIO()
    book.save(content)
    # the declared size stops at the items: the 800 rows below lie beyond it
    member = _sheet_member(content.getvalue(), fw.SHEET_DATA)
    shrunk = _rewrite_member(content.getvalue(), member, lambda xml: re.sub(
        r'<dimension ref="[^"]*"', f'<dimension ref="A1:P{last}"', xml))
    path = tmp_path / "baris-tambahan.xlsx"
    path.write_bytes(shrunk)
    before = snap(state.ctx)
    report = workbooks.import_workbook(state.ctx, state.member, path)
    assert not report.valid and not report.applied and report.error_count == 800
    assert len(report.errors) == workbooks.MAX_REPORTED
    lines = report.lines()
    assert "800 kesalahan:" in lines
    assert any(line.startswith("  … dan 700 kesalahan lainnya") for line in lines)
    assert len(lines) < workbooks.MAX_REPORTED + 10
    assert snap(state.ctx) == before


def _identity(book) -> list[tuple[str, str]]:
    ws = book[fw.SHEET_ID]
    return [(r[0].value, r[1].value) for r in ws.iter_rows(max_col=2)
            if r[0].value and r[0].value != fw.CHECKSUM_KEY]


def _write_identity(book, pairs: list[tuple[str, str]]) -> None:
    ws = book[fw.SHEET_ID]
    ws.delete_rows(1, ws.max_row)
    for r, (key, value) in enumerate(pairs, start=1):
        ws.cell(r, 1).value, ws.cell(r, 2).value = key, value
    ws.cell(len(pairs) + 1, 1).value = fw.CHECKSUM_KEY
    ws.cell(len(pairs) + 1, 2).value = fw.identity_checksum(pairs)


def test_forged_identity_cannot_move_values_between_indicators(state, xl, tmp_path, snap):
    """Item ids swapped between two rows, each fingerprint recomputed from the row it now
    names and the checksum recomputed: once accepted, the values moved."""
    book = xl.load(_export(state))
    ws = book[fw.SHEET_DATA]
    rows = xl.item_rows(ws)
    ws.cell(rows[0], fw.COLUMN_INDEX["actual"]).value = 11
    ws.cell(rows[1], fw.COLUMN_INDEX["actual"]).value = 22
    pairs = _identity(book)
    items = [(i, v.split("|")) for i, (k, v) in enumerate(pairs) if k == fw.ITEMS_MARK]
    (i0, first), (i1, second) = items[0], items[1]
    pairs[i0] = (fw.ITEMS_MARK, f"{second[0]}|{first[1]}|{first[2]}")
    pairs[i1] = (fw.ITEMS_MARK, f"{first[0]}|{second[1]}|{second[2]}")
    _write_identity(book, pairs)
    path = xl.save(book, tmp_path / "palsu.xlsx")
    before = snap(state.ctx)
    report = workbooks.import_workbook(state.ctx, state.member, path)
    assert not report.applied and not report.valid
    assert any("bukan yang tercatat pada identitas berkas" in e.message for e in report.errors)
    assert snap(state.ctx) == before


def test_a_file_from_another_installation_is_refused(state, xl, tmp_path, databases, snap):
    """Same cycle, team and item ids (both demo offices), another installation."""
    from kinerja_desktop.services import demo
    from kinerja_desktop.services.startup import open_context

    other = open_context(tmp_path / "kantor-lain", database_url=databases.fresh())
    try:
        demo.build_demo(other, through_step=3)
        content = workbooks.export_team_workbook(other, state.kasubag, state.cycle_id,
                                                 state.team_id)
    finally:
        other.dispose()
    path = tmp_path / "dari-kantor-lain.xlsx"
    path.write_bytes(content)
    before = snap(state.ctx)
    report = workbooks.import_workbook(state.ctx, state.member, path)
    assert not report.applied
    assert any("instalasi Kinerja Desktop lain" in e.message for e in report.errors)
    # …also with the id forged to ours and the checksum recomputed: it is checked first,
    # so the forger needs our id, which is nowhere in any file we did not export.
    book = xl.load(content)
    pairs = [(k, "0" * 32 if k == "instalasi" else v) for k, v in _identity(book)]
    _write_identity(book, pairs)
    forged = workbooks.import_workbook(state.ctx, state.member, xl.save(book, tmp_path / "x.xlsx"))
    assert any("instalasi Kinerja Desktop lain" in e.message for e in forged.errors)
    assert snap(state.ctx) == before


def test_a_workbook_of_the_previous_layout_is_refused(state, xl, tmp_path):
    book = xl.load(_export(state))
    pairs = [(k, "1" if k == "versi_berkas" else v) for k, v in _identity(book)
             if k != "instalasi"]
    _write_identity(book, pairs)
    report = workbooks.import_workbook(state.ctx, state.member, xl.save(book, tmp_path / "l.xlsx"))
    assert any("Versi berkas 1 tidak dikenal" in e.message for e in report.errors)


def test_kasubag_dry_run_reports_validity_apart_from_permission(state, xl, tmp_path, cli_args,
                                                                capsys):
    from kinerja_desktop.cli import main

    book = xl.load(_export(state))
    ws = book[fw.SHEET_DATA]
    ws.cell(xl.item_rows(ws)[0], fw.COLUMN_INDEX["actual"]).value = 77
    path = xl.save(book, tmp_path / "tim.xlsx")
    root = cli_args(state.ctx)
    assert main([*root, "import-format", str(path), "--dry-run", "--as", "kasubag"]) == 0
    out = capsys.readouterr().out
    assert "Berkas valid." in out and "IZIN: Impor data" in out and "1 butir akan berubah" in out
    ws.cell(xl.item_rows(ws)[0], fw.COLUMN_INDEX["actual"]).value = "=1+1"
    bad = xl.save(book, tmp_path / "tim-salah.xlsx")
    assert main([*root, "import-format", str(bad), "--dry-run", "--as", "kasubag"]) == 1
    out = capsys.readouterr()
    assert "KESALAHAN" in out.out and "Impor ditolak: 1 kesalahan." in out.err


def test_cancel_stops_an_import_and_changes_nothing(state, xl, tmp_path, snap):
    book = xl.load(_export(state))
    ws = book[fw.SHEET_DATA]
    ws.cell(xl.item_rows(ws)[0], fw.COLUMN_INDEX["actual"]).value = 5
    path = xl.save(book, tmp_path / "batal.xlsx")
    before = snap(state.ctx)
    with pytest.raises(Cancelled, match="tidak ada data yang diubah"):
        workbooks.import_workbook(state.ctx, state.member, path, cancelled=lambda: True)
    calls = iter(range(10**6))  # cancelled after reading, while applying
    with pytest.raises(Cancelled):
        workbooks.import_workbook(state.ctx, state.member, path,
                                  cancelled=lambda: next(calls) > 3)
    assert snap(state.ctx) == before


def test_pagu_too_small_for_its_realisasi_is_refused(state, xl, tmp_path, snap):
    """The issue's case: Pagu 0,000000001 with Realisasi anggaran 1e15 imported, then the
    team's data could not be listed (serapan overflowed)."""
    from kinerja_desktop.services import entries

    book = xl.load(_export(state))
    ws = book[fw.SHEET_DATA]
    row = xl.item_rows(ws)[0]
    ws.cell(row, fw.COLUMN_INDEX["budget"]).value = "0,000000001"
    ws.cell(row, fw.COLUMN_INDEX["spent"]).value = 1e15
    path = xl.save(book, tmp_path / "meluap.xlsx")
    before = snap(state.ctx)
    report = workbooks.import_workbook(state.ctx, state.member, path)
    assert not report.applied
    assert any("Pagu Anggaran (Rp) terlalu kecil (0,000000001)" in e.message
               for e in report.errors), report.lines()
    assert snap(state.ctx) == before
    assert entries.list_team_items(state.ctx, state.cycle_id, state.team_id)


def test_vertical_tab_from_word_is_removed_on_import(state, xl, tmp_path):
    from kinerja_desktop.services import entries

    book = xl.load(_export(state))
    ws = book[fw.SHEET_DATA]
    row = xl.item_rows(ws)[0]
    ws.cell(row, fw.COLUMN_INDEX["actual"]).value = 90
    # openpyxl refuses to write a vertical tab itself: put it in the sheet's XML
    ws.cell(row, fw.COLUMN_INDEX["explanation"]).value = "Baris satuTANDABaris dua"
    content = io.BytesIO()
    book.save(content)
    member = _sheet_member(content.getvalue(), fw.SHEET_DATA)
    with zipfile.ZipFile(io.BytesIO(content.getvalue())) as zf:
        strings = "xl/sharedStrings.xml" in zf.namelist()
    target = "xl/sharedStrings.xml" if strings else member
    data = _rewrite_member(content.getvalue(), target,
                           lambda xml: xml.replace("TANDA", "_x000B_"))
    path = tmp_path / "tab-vertikal.xlsx"
    path.write_bytes(data)
    report = workbooks.import_workbook(state.ctx, state.member, path)
    assert report.ok and report.applied, report.lines()
    item = entries.list_team_items(state.ctx, state.cycle_id, state.team_id)[0]
    assert item.values.explanation == "Baris satuBaris dua"
    assert Path(path).exists()
