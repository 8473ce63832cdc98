"""The compiled Dokumen Data Kinerja as an Excel workbook (step 7)."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from openpyxl import load_workbook

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
