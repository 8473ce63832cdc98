"""The indicator master from Excel: the app's template, filled, imported all or nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kinerja_desktop.domain.errors import PermissionDenied
from kinerja_desktop.services import formats, indicator_import
from kinerja_desktop.spreadsheets import indicator_workbook as iw
from kinerja_desktop.spreadsheets.importer import WorkbookFileError

YEAR = 2026


def _filled(content: bytes, rows: list[tuple], tmp_path: Path, name: str = "iku.xlsx") -> Path:
    """The template with ``rows`` written from the first data row on."""
    wb = load_workbook(io.BytesIO(content))
    ws = wb[iw.SHEET_DATA]
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            ws.cell(row=iw.FIRST_ROW + offset, column=column, value=value)
    path = tmp_path / name
    wb.save(path)
    return path


def _count(ctx) -> int:
    return len(formats.list_indicators(ctx, include_inactive=True))


def test_template_then_import_creates_objectives_indicators_and_targets(ctx, office,
                                                                        tmp_path):
    content = indicator_import.template(ctx, office.kasubag, YEAR)
    wb = load_workbook(io.BytesIO(content))
    headers = [c.value for c in wb[iw.SHEET_DATA][iw.HEADER_ROW]][:13]
    assert headers[1] == "Sasaran Strategis *" and headers[9] == f"Target {YEAR}"
    # The office's existing eight indicators are in the template already.
    existing = [r for r in wb[iw.SHEET_DATA].iter_rows(min_row=iw.FIRST_ROW, values_only=True)
                if r[3]]
    assert len(existing) == 8
    before = _count(ctx)
    path = _filled(content, [
        ("SS2", "Meningkatnya tata kelola keuangan desa", "IK9",
         "Persentase desa dengan APBDes tepat waktu", "%", "Positif", None, "Tidak",
         "Tim Bidang 1", "87,5", 95, 2026, "Laporan kecamatan"),
        ("SS2", "Meningkatnya tata kelola keuangan desa", "IK10",
         "Jumlah temuan BPK atas dana desa", "temuan", "Negatif",
         "Target ÷ Realisasi", "Tidak", "", 4, 2, None, ""),
        ("SS3", "Opini laporan keuangan", "", "Opini BPK atas laporan keuangan", "", "",
         "", "Ya", "Tim Bidang 2", "WTP", "WTP", 2026, "LHP BPK"),
    ], tmp_path)
    # The template's rows come first: the new rows overwrite the first three of them.
    wb = load_workbook(path)
    ws = wb[iw.SHEET_DATA]
    for row in range(iw.FIRST_ROW + 3, iw.FIRST_ROW + 8):
        for column in range(1, 14):
            ws.cell(row=row, column=column).value = None
    wb.save(path)

    report = indicator_import.import_indicators(ctx, office.kasubag, path, YEAR, dry_run=True)
    assert report.ok and not report.applied and _count(ctx) == before
    assert report.created_objectives == ("Meningkatnya tata kelola keuangan desa",
                                         "Opini laporan keuangan")
    assert "Pemeriksaan selesai (uji coba)" in report.lines()[-1]

    report = indicator_import.import_indicators(ctx, office.kasubag, path, YEAR)
    assert report.applied and len(report.created) == 3 and _count(ctx) == before + 3
    by_name = {i.name: i for i in formats.list_indicators(ctx)}
    apbdes = by_name["Persentase desa dengan APBDes tepat waktu"]
    assert apbdes.team_name == "Tim Bidang 1" and apbdes.renstra_target == 95
    temuan = by_name["Jumlah temuan BPK atas dana desa"]
    assert temuan.polarity.value == "negatif" and temuan.formula.value == "target/realisasi"
    opini = by_name["Opini BPK atas laporan keuangan"]
    assert opini.qualitative and opini.renstra_target_text == "WTP"
    targets = formats.targets_for_year(ctx, YEAR)
    assert targets[apbdes.id].target == 87.5 and targets[opini.id].target_text == "WTP"
    objectives = [o.name for o in formats.list_objectives(ctx)]
    assert "Opini laporan keuangan" in objectives

    # The same file again changes nothing; a changed unit updates in place.
    again = indicator_import.import_indicators(ctx, office.kasubag, path, YEAR)
    assert again.applied and again.unchanged == 3 and not again.created and not again.updated
    ws.cell(row=iw.FIRST_ROW + 1, column=5, value="kasus")
    wb.save(path)
    changed = indicator_import.import_indicators(ctx, office.kasubag, path, YEAR)
    assert changed.updated == ("Jumlah temuan BPK atas dana desa",) and _count(ctx) == before + 3


def test_a_bad_file_changes_nothing_and_names_each_cell(ctx, office, tmp_path):
    content = indicator_import.template(ctx, office.kasubag, YEAR)
    rows = [
        ("", "Sasaran baru", "", "Indikator baik", "%", "Positif", "", "", "", 80, "", "", ""),
        ("", "Sasaran baru", "", "", "%", "Naik", "", "", "", 80, "", "", ""),
        ("", "Sasaran baru", "", "Indikator tim salah", "%", "", "", "Mungkin",
         "Tim Tidak Ada", "4.25", "", "2026,5", ""),
        ("", "Sasaran baru", "", "Indikator baik", "%", "Negatif",
         "Realisasi ÷ Target", "", "", "=1+1", "", "", ""),
    ]
    wb = load_workbook(io.BytesIO(content))
    ws = wb[iw.SHEET_DATA]
    ws.delete_rows(iw.FIRST_ROW, 200)
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            ws.cell(row=iw.FIRST_ROW + offset, column=column, value=value)
    path = tmp_path / "salah.xlsx"
    wb.save(path)
    before = _count(ctx)
    report = indicator_import.import_indicators(ctx, office.kasubag, path, YEAR)
    assert not report.ok and not report.applied and _count(ctx) == before
    assert not any(o.name == "Sasaran baru" for o in formats.list_objectives(ctx))
    text = "\n".join(report.lines())
    assert "[Indikator!D6] Indikator Kinerja wajib diisi." in text
    assert "[Indikator!F6] Polaritas harus Positif atau Negatif." in text
    assert "[Indikator!H7] Kualitatif harus Ya atau Tidak." in text
    assert "[Indikator!I7] Tim 'Tim Tidak Ada' tidak ada di aplikasi" in text
    assert "[Indikator!J7] Target: '4.25' bukan angka yang valid" in text
    assert "[Indikator!L7]" in text
    assert "[Indikator!G8] Indikator negatif tidak boleh memakai rumus" in text
    assert "[Indikator!J8] Target berisi rumus" in text
    assert "Tidak ada data yang diubah" in text


def test_duplicates_headers_and_files_that_are_no_workbook(ctx, office, tmp_path):
    content = indicator_import.template(ctx, office.kasubag, YEAR)
    row = ("", "Sasaran", "", "Indikator kembar", "%", "", "", "", "", 1, "", "", "")
    path = _filled(content, [row, row], tmp_path)
    wb = load_workbook(path)
    wb[iw.SHEET_DATA].delete_rows(iw.FIRST_ROW + 2, 200)
    wb.save(path)
    report = indicator_import.import_indicators(ctx, office.kasubag, path, YEAR)
    assert any("sudah ada di baris 5" in e.message for e in report.errors)
    # A template of another year: its target column does not match.
    other = tmp_path / "tahun-lain.xlsx"
    other.write_bytes(indicator_import.template(ctx, office.kasubag, YEAR - 1))
    report = indicator_import.import_indicators(ctx, office.kasubag, other, YEAR)
    assert any(f"Target {YEAR}" in e.message for e in report.errors)
    text_file = tmp_path / "daftar.xlsx"
    text_file.write_text("Sasaran;Indikator\nA;B\n", encoding="utf-8")
    with pytest.raises(WorkbookFileError, match="teks biasa"):
        indicator_import.import_indicators(ctx, office.kasubag, text_file, YEAR)
    member = office.members[office.teams[0]][0]
    with pytest.raises(PermissionDenied):
        indicator_import.import_indicators(ctx, member, path, YEAR)


@pytest.mark.parametrize("target, problem", [
    ("0,000000001", "Target terlalu kecil (0,000000001)"),  # the target of 1e-9
    (1e-9, "Target terlalu kecil"),
    (1 / 3, "Target terlalu rinci (16 angka penting"),
    ("2.000.000.000.000.000", "Target di luar rentang"),
])
def test_a_target_every_report_could_not_compute_is_refused(ctx, office, tmp_path, target,
                                                            problem):
    """Issue 12: a target of 1e-9 imported, then capaian overflowed; the indicator import
    keeps the bounds the window and the services keep."""
    content = indicator_import.template(ctx, office.kasubag, YEAR)
    wb = load_workbook(io.BytesIO(content))
    ws = wb[iw.SHEET_DATA]
    ws.delete_rows(iw.FIRST_ROW, 200)
    for column, value in enumerate(("", "Sasaran kecil", "", "Indikator kecil", "%", "Positif",
                                    "", "", "", target, "", "", ""), start=1):
        ws.cell(row=iw.FIRST_ROW, column=column, value=value)
    path = tmp_path / "kecil.xlsx"
    wb.save(path)
    before = _count(ctx)
    report = indicator_import.import_indicators(ctx, office.kasubag, path, YEAR)
    assert not report.ok and not report.applied and _count(ctx) == before
    assert any(problem in line for line in report.lines()), report.lines()


def test_earlier_years_come_with_the_import_all_or_nothing(ctx, office, tmp_path):
    from kinerja_desktop.services import earlier_years

    first = office.indicators[0]  # "Indikator 1.1", already in the master
    earlier_years.save_earlier_actuals(ctx, office.kasubag, first, {2023: (60.0, "")})
    content = indicator_import.template(ctx, office.kasubag, YEAR)
    wb = load_workbook(io.BytesIO(content))
    ws = wb[iw.SHEET_DATA]
    headers = [c.value for c in ws[iw.HEADER_ROW]]
    assert headers[13:16] == ["Realisasi 2023", "Realisasi 2024", "Realisasi 2025"]
    exported = {r[3]: r[13:16] for r in ws.iter_rows(min_row=iw.FIRST_ROW, values_only=True)
                if r[3]}
    assert exported["Indikator 1.1"] == (60, None, None)
    assert exported["Indikator 1.2"] == (None, None, None)
    # The template prints on the office's paper with page numbers.
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert ws.oddFooter.right.text == "Halaman &P dari &N"

    new = ("SS3", "Opini laporan keuangan", "", "Opini BPK", "", "", "", "Ya", "", "WTP",
           "WTP", 2026, "LHP BPK", "WDP", "WTP", "")
    for column, value in enumerate(new, start=1):  # after the master's eight rows
        ws.cell(iw.FIRST_ROW + 8, column, value)
    path = tmp_path / "iku-lama.xlsx"
    row_11 = next(r for r in range(iw.FIRST_ROW, iw.FIRST_ROW + 10)
                  if ws.cell(r, 4).value == "Indikator 1.1")
    ws.cell(row_11, 15, "62,5")  # Realisasi 2024
    row_12 = next(r for r in range(iw.FIRST_ROW, iw.FIRST_ROW + 10)
                  if ws.cell(r, 4).value == "Indikator 1.2")
    ws.cell(row_12, 16, "4.25")  # ambiguous: refused, nothing written
    wb.save(path)
    report = indicator_import.import_indicators(ctx, office.kasubag, path, YEAR)
    assert not report.applied
    assert f"[Indikator!P{row_12}] Realisasi 2025: '4.25' bukan angka yang valid" in \
        "\n".join(report.lines())
    assert [(a.year, a.actual) for a in earlier_years.earlier_actuals(ctx, first)] == [
        (2023, 60.0)]
    assert not any(i.name == "Opini BPK" for i in formats.list_indicators(ctx))

    ws.cell(row_12, 16, "71")
    wb.save(path)
    report = indicator_import.import_indicators(ctx, office.kasubag, path, YEAR)
    assert report.applied, report.lines()
    assert "Indikator 1.1" in report.updated and "Indikator 1.2" in report.updated
    # An empty cell keeps what is stored (2023 stays 60).
    assert [(a.year, a.actual) for a in earlier_years.earlier_actuals(ctx, first)] == [
        (2023, 60.0), (2024, 62.5)]
    second = office.indicators[1]
    assert [(a.year, a.actual) for a in earlier_years.earlier_actuals(ctx, second)] == [
        (2025, 71.0)]
    opinion = next(i.id for i in formats.list_indicators(ctx) if i.name == "Opini BPK")
    assert [(a.year, a.actual_text) for a in earlier_years.earlier_actuals(ctx, opinion)] == [
        (2023, "WDP"), (2024, "WTP")]
    again = indicator_import.import_indicators(ctx, office.kasubag, path, YEAR)
    assert again.applied and not again.updated and not again.created


def test_an_older_template_without_earlier_years_still_imports(ctx, office, tmp_path):
    content = indicator_import.template(ctx, office.kasubag, YEAR)
    wb = load_workbook(io.BytesIO(content))
    ws = wb[iw.SHEET_DATA]
    ws.delete_cols(14, 3)
    ws.cell(iw.FIRST_ROW, 5, "persen")
    path = tmp_path / "lama.xlsx"
    wb.save(path)
    report = indicator_import.import_indicators(ctx, office.kasubag, path, YEAR)
    assert report.applied and report.updated == ("Indikator 1.1",), report.lines()
