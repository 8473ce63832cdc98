"""Bad team workbooks: refused with a clear message, nothing changed."""

from __future__ import annotations

import io
import zipfile

import pytest

from kinerja_desktop.services import workbooks
from kinerja_desktop.spreadsheets import format_workbook as fw
from kinerja_desktop.spreadsheets import importer
from kinerja_desktop.spreadsheets.importer import WorkbookFileError


def _export(state) -> bytes:
    return workbooks.export_team_workbook(state.ctx, state.kasubag, state.cycle_id,
                                          state.team_id)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _corrupt(content: bytes) -> bytes:
    middle = len(content) // 2
    return content[:middle] + bytes(b ^ 0x5A for b in content[middle:middle + 400]) + \
        content[middle + 400:]


BAD_FILES = {
    "bukan-xlsx": (lambda c: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
                   "bukan buku kerja Excel"),
    "terpotong": (lambda c: c[: len(c) // 2], "rusak atau terpotong"),
    "rusak": (_corrupt, "rusak"),
    "bersandi": (lambda c: importer.OLE_SIGNATURE + b"\x00" * 504
                 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64
                 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2048,
                 "dilindungi kata sandi"),
    "xls-lama": (lambda c: importer.OLE_SIGNATURE + b"\x00" * 504
                 + "Workbook".encode("utf-16-le") + b"\x00" * 2048, "Excel lama (.xls"),
    "csv": (lambda c: b"No;Indikator;Realisasi\n1;Persentase desa;95\n",
            "teks biasa (misalnya CSV)"),
    "zip-bukan-excel": (lambda c: _zip({"catatan.txt": b"halo"}), "bukan buku kerja Excel"),
    "bom-zip-total": (lambda c: _zip({"[Content_Types].xml": b"<x/>",
                                      "xl/workbook.xml": b"<x/>",
                                      "xl/worksheets/sheet1.xml": b"\x00" * (51 * 1024 * 1024)}),
                      "kemungkinan bom zip"),
    "bom-zip-rasio": (lambda c: _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>",
                                      "xl/sharedStrings.xml": b" " * (5 * 1024 * 1024)}),
                      "dimampatkan lebih dari 100:1"),
    "kosong": (lambda c: b"", "kosong"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_refused_and_nothing_changes(state, snap, tmp_path, case):
    make, message = BAD_FILES[case]
    path = tmp_path / "Format Data Kinerja 2025.xlsx"
    path.write_bytes(make(_export(state)))
    before = snap(state.ctx)
    with pytest.raises(WorkbookFileError) as info:
        workbooks.import_workbook(state.ctx, state.member, path)
    assert message in str(info.value)
    assert path.name in str(info.value) or case == "bukan-xlsx"
    assert snap(state.ctx) == before


def test_very_large_file_is_refused_unread(state, snap, tmp_path, monkeypatch):
    path = tmp_path / "besar.xlsx"
    with path.open("wb") as fh:  # sparse: 11 MB without writing them
        fh.truncate(importer.MAX_FILE_BYTES + 1024 * 1024)
    monkeypatch.setattr(importer.Path, "read_bytes",
                        lambda self: pytest.fail("a too large file must not be read"))
    before = snap(state.ctx)
    with pytest.raises(WorkbookFileError, match="terlalu besar"):
        workbooks.import_workbook(state.ctx, state.member, path)
    assert snap(state.ctx) == before


# --------------------------------------------------------------------------- cell problems


def _edit(state, xl, tmp_path, change):
    book = xl.load(_export(state))
    ws = book[fw.SHEET_DATA]
    rows = xl.item_rows(ws)
    for row in rows:
        ws.cell(row, 7).value = 50
    change(book, ws, rows)
    return xl.save(book, tmp_path / "berkas.xlsx")


def _set_identity(book, key, value):
    ident = book[fw.SHEET_ID]
    pairs = []
    for row in ident.iter_rows(max_col=2):
        if row[0].value == key:
            row[1].value = value
        if row[0].value != fw.CHECKSUM_KEY:
            pairs.append((row[0].value, row[1].value))
        else:
            checksum_cell = row[1]
    checksum_cell.value = fw.identity_checksum(pairs)  # a consistent forgery


CELL_CASES = {
    "rumus": (lambda b, ws, r: setattr(ws.cell(r[0], 7), "value", "=40+10"), "G7",
              "berisi rumus"),
    "rumus-teks": (lambda b, ws, r: setattr(ws.cell(r[1], 10), "value", "=A1"), "J8",
                   "berisi rumus"),
    "bukan-angka": (lambda b, ws, r: setattr(ws.cell(r[0], 7), "value", "sembilan puluh"), "G7",
                    "bukan angka yang valid"),
    "angka-rancu": (lambda b, ws, r: setattr(ws.cell(r[0], 7), "value", "4.25"), "G7",
                    "bukan angka yang valid"),
    "tanggal": (lambda b, ws, r: setattr(ws.cell(r[0], 8), "value",
                                         __import__("datetime").datetime(2025, 1, 1)), "H7",
                "tanggal"),
    "negatif": (lambda b, ws, r: setattr(ws.cell(r[0], 9), "value", -5), "I7",
                "di luar rentang"),
    "capaian-besar": (lambda b, ws, r: setattr(ws.cell(r[0], 14), "value", 5000), "N7",
                      "di luar rentang"),
    "teks-panjang": (lambda b, ws, r: setattr(ws.cell(r[0], 10), "value", "x" * 4001), "J7",
                     "terlalu panjang"),
    "baris-tambahan": (lambda b, ws, r: setattr(ws.cell(r[-1] + 2, 3), "value", "Indikator baru"),
                       "C11", "Baris tambahan"),
    "kolom-tambahan": (lambda b, ws, r: setattr(ws.cell(r[0], 20), "value", "catatan"), "T7",
                       "Kolom tambahan"),
    "baris-dihapus": (lambda b, ws, r: ws.delete_rows(r[1]), "", "hilang"),
    "sel-terkunci": (lambda b, ws, r: setattr(ws.cell(r[0], 6), "value", 1), "C7",
                     "Sel terkunci"),
    "judul-kolom": (lambda b, ws, r: setattr(ws.cell(6, 7), "value", "Angka"), "G6",
                    "Judul kolom diubah"),
    "identitas-diubah": (lambda b, ws, r: setattr(b[fw.SHEET_ID]["B3"], "value", "999"), "",
                         "Checksum identitas tidak cocok"),
    "identitas-hilang": (lambda b, ws, r: b.remove(b[fw.SHEET_ID]), "",
                         "Lembar identitas tidak ditemukan"),
    "checksum-hilang": (lambda b, ws, r: b[fw.SHEET_ID].delete_rows(
        b[fw.SHEET_ID].max_row), "", "Checksum identitas tidak ada"),
    "kantor-lain": (lambda b, ws, r: _set_identity(b, "kantor", "Dinas Lain Kabupaten Bone"), "",
                    "kantor lain"),
    "siklus-lain": (lambda b, ws, r: _set_identity(b, "tahun", "2019"), "", "siklus lain"),
    "tim-lain": (lambda b, ws, r: _set_identity(b, "tim_id", "777"), "", "berkas tim lain"),
    "versi-berkas": (lambda b, ws, r: _set_identity(b, "versi_berkas", "9"), "",
                     "Versi berkas 9 tidak dikenal"),
    "versi-format": (lambda b, ws, r: _set_identity(b, "versi_format", "99"), "",
                     "Versi format berkas"),
    "capaian-tanpa-alasan": (lambda b, ws, r: setattr(ws.cell(r[0], 14), "value", 90), "G7:O7",
                             "memerlukan alasan"),
}


@pytest.mark.parametrize("case", sorted(CELL_CASES))
def test_cell_problems_are_reported_with_their_cell(state, xl, snap, tmp_path, case):
    change, cell, message = CELL_CASES[case]
    path = _edit(state, xl, tmp_path, change)
    before = snap(state.ctx)
    report = workbooks.import_workbook(state.ctx, state.member, path)
    assert not report.ok and not report.applied
    matching = [e for e in report.errors if message in e.message]
    assert matching, report.lines()
    if cell:
        assert any(e.cell == cell for e in matching), report.lines()
    assert any(message in line for line in report.lines())
    assert snap(state.ctx) == before
