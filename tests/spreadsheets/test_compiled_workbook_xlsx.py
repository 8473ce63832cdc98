"""The compiled Dokumen Data Kinerja as an Excel workbook (step 7)."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from kinerja_desktop.domain.timing import WITA
from kinerja_desktop.services import cycles, demo
from kinerja_desktop.services.document_data.compiled_report import compiled_report_data
from kinerja_desktop.services.startup import open_context
from kinerja_desktop.spreadsheets.compiled_workbook import HEADER_ROW, render_compiled_workbook

SHEETS = ["A. Ringkasan", "A. Sebaran Predikat", "B. Pengukuran", "C. Capaian per Sasaran",
          "D. Antartahun", "E. Analisis", "F. Anggaran", "G. Verifikasi", "G. Pengembalian"]


@pytest.fixture(scope="module")
def report(tmp_path_factory, databases):
    ctx = open_context(tmp_path_factory.mktemp("kompilasi") / "data",
                       database_url=databases.fresh())
    try:
        demo.build_demo(ctx, through_step=7)
        cycle = cycles.list_cycles(ctx)[0]
        yield compiled_report_data(ctx, cycle.id)
    finally:
        ctx.dispose()


def test_tables_numbers_and_layout(report):
    wb = load_workbook(io.BytesIO(render_compiled_workbook(report)))
    assert wb.sheetnames == SHEETS
    ws = wb["B. Pengukuran"]
    header = [c.value for c in ws[HEADER_ROW]]
    assert header[:7] == ["No", "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Target",
                          "Realisasi", "Capaian (%)"]
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    assert ws.column_dimensions["C"].width >= 40
    rows = list(ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + len(report.items)))
    by_number = {r[0].value: r for r in rows}
    for item in report.items:
        row = by_number[item.number]
        assert row[2].value == item.name
        if item.achievement_value is not None:
            assert isinstance(row[6].value, int | float)  # a number, not text
            assert row[6].value == pytest.approx(float(item.achievement_value))
            assert row[6].number_format == "#,##0.00"
        else:
            assert row[6].value is None and item.achievement_label in row[9].value
        if item.target_value is not None:
            assert isinstance(row[4].value, int | float)
    budget = wb["F. Anggaran"]
    total_row = HEADER_ROW + len(report.budget_rows) + 1
    assert budget.cell(total_row, 2).value == "JUMLAH"
    assert budget.cell(total_row, 3).value == pytest.approx(float(report.budget_total.budget_value))
    assert wb["C. Capaian per Sasaran"]._charts
    assert wb["D. Antartahun"].freeze_panes == f"A{HEADER_ROW + 2}"


def test_texts_from_the_database_are_never_formulas(report):
    section = report.objectives[0]
    item = replace(section.items[0], explanation="=cmd|' /C calc'!A0", supporting="@SUM(1)")
    data = replace(report, objectives=(replace(section, items=(item, *section.items[1:])),
                                       *report.objectives[1:]))
    ws = load_workbook(io.BytesIO(render_compiled_workbook(data)))["E. Analisis"]
    row = next(r for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[0].value == item.number)
    assert row[2].value == "=cmd|' /C calc'!A0" and row[2].data_type == "s"
    assert row[3].value == "@SUM(1)" and row[3].data_type == "s"


@pytest.mark.parametrize("paper, code", [("A4", 9), ("F4", 14)])
def test_every_sheet_is_ready_to_print_on_the_office_paper(report, paper, code):
    from datetime import datetime

    data = replace(report, office=replace(report.office, paper_size=paper))
    wb = load_workbook(io.BytesIO(render_compiled_workbook(data)))
    orientation = {}
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert int(setup.paperSize) == code, ws.title
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        # The PDF's margins: 3 cm left, 2 cm the others (Excel keeps inches).
        margins = ws.page_margins
        assert margins.left * 25.4 == pytest.approx(30, abs=0.1)
        for side in (margins.right, margins.top, margins.bottom):
            assert side * 25.4 == pytest.approx(20, abs=0.1)
        assert ws.oddFooter.right.text == "Halaman &P dari &N"
        assert ws.oddFooter.left.text == "Dinas Pemberdayaan Masyarakat dan Desa Kabupaten " \
            "Soppeng"
        assert ws.oddHeader.left.text.startswith("DOKUMEN DATA KINERJA TAHUN ")
        last_header = HEADER_ROW + (1 if ws.title == "D. Antartahun" else 0)
        assert ws.print_title_rows.replace("$", "") == f"{HEADER_ROW}:{last_header}"
        orientation[ws.title] = setup.orientation
    assert orientation["A. Ringkasan"] == orientation["A. Sebaran Predikat"] == "portrait"
    for wide in ("B. Pengukuran", "D. Antartahun", "E. Analisis", "F. Anggaran"):
        assert orientation[wide] == "landscape"
    # Counts are whole numbers, targets and realisasi as entered, times real dates.
    summary = wb["A. Ringkasan"]
    first = HEADER_ROW + 1
    assert summary.cell(first, 2).value == report.summary.indicator_count
    assert {summary.cell(r, 2).number_format for r in range(first, first + 4)} == {"#,##0"}
    measured = {r[2].value: r for r in wb["B. Pengukuran"].iter_rows(min_row=first)}
    villages = measured["Jumlah desa berstatus Desa Mandiri"]
    assert (villages[4].value, villages[4].number_format) == (5, "#,##0")
    idm = measured["Rata-rata nilai Indeks Desa Membangun (IDM) kabupaten"]
    assert (idm[5].value, idm[5].number_format) == (pytest.approx(0.6321), "#,##0.0000")
    verification = wb["G. Verifikasi"]
    for row in verification.iter_rows(min_row=first, max_row=verification.max_row):
        if row[0].value:
            assert isinstance(row[5].value, datetime), row[5].value
            assert row[5].number_format == "[$-421]d mmmm yyyy hh.mm"
    returned = [r for r in wb["G. Pengembalian"].iter_rows(min_row=first) if r[1].value]
    assert returned and all(isinstance(r[0].value, datetime) for r in returned)
    event = report.verification.returned[0]
    local = event.at.astimezone(WITA)
    assert returned[0][0].value == local.replace(tzinfo=None, microsecond=0)


def test_a_draft_says_so_in_the_header_of_every_sheet(report):
    data = replace(report, draft=True, status_label="9 dari 14 indikator diverifikasi")
    wb = load_workbook(io.BytesIO(render_compiled_workbook(data)))
    for ws in wb.worksheets:
        assert ws.oddHeader.center.text.startswith("DRAF — 9 dari 14 indikator diverifikasi")
        assert ws.oddFooter.right.text == "Halaman &P dari &N"
