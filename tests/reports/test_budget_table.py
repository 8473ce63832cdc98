"""The budget table of the Dokumen Data Kinerja is per Program (issue 14 item 3), read
back from the PDF on A4 and F4 and from the Excel report: one row per programme of the
cycle, a total equal to the sum computed here from the stored rows, no budget figure
attached to an indicator, and a plain official sentence when the cycle has none."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, select

from kinerja_desktop.db.models import CycleProgramme
from kinerja_desktop.services import cycles, documents
from kinerja_desktop.services.document_data.compiled_report import compiled_report_data
from kinerja_desktop.spreadsheets.compiled_workbook import HEADER_ROW, render_compiled_workbook

SIGNING = datetime(2026, 2, 6, 2, 0, tzinfo=UTC)
FOOTER = "Dokumen Data Kinerja Tahun 2025 — Dinas Pemberdayaan Masyarakat dan Desa"
START, END = "F. Realisasi Anggaran per Program", "G. Catatan Verifikasi"
MONEY = re.compile(r"Rp\d{1,3}(?:\.\d{3})*,\d{2}")
CODE = re.compile(r"(?<![\d.])\d\.\d{2}\.\d{2}(?![\d.])")


@pytest.fixture(scope="module")
def closed(tmp_path_factory, databases):
    from kinerja_desktop.services import demo
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(tmp_path_factory.mktemp("anggaran") / "data",
                       database_url=databases.fresh())
    demo.build_demo(ctx, year=2025, through_step=7)
    ctx.clock = lambda: SIGNING
    yield ctx, cycles.find_cycle(ctx, 2025)
    ctx.dispose()


def _money(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP):,.2f}"
    return "Rp" + text.translate(str.maketrans(",.", ".,"))


def _percent(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP):,.2f}"
    return text.translate(str.maketrans(",.", ".,"))


def _stored(ctx, cycle_id: int) -> list[tuple[str, str, Decimal, Decimal]]:
    """The cycle's programmes as stored: (code, name, pagu, realisasi)."""
    with ctx.read() as session:
        rows = session.execute(select(CycleProgramme.code, CycleProgramme.name,
                                      CycleProgramme.budget, CycleProgramme.spent)
                               .where(CycleProgramme.cycle_id == cycle_id)).all()
    return [(code, name, Decimal(repr(budget)), Decimal(repr(spent)))
            for code, name, budget, spent in rows]


@pytest.mark.parametrize("paper", ["A4", "F4"])
def test_pdf_budget_table_has_one_row_per_programme_and_their_sum(closed, pdf, paper):
    ctx, cycle = closed
    stored = _stored(ctx, cycle.id)
    assert len(stored) == 5  # the demo's DPMD programmes
    doc = pdf.read(documents.compiled_report_pdf(ctx, cycle.id, paper))
    pdf.assert_paper(doc, paper)
    section = doc.section(START, END, footer=FOOTER)
    header = section.index("No Program Pagu (Rp) Realisasi (Rp) Serapan (%)")
    assert header > 0

    # As many rows as programmes: each programme's code once, in the table.
    codes = CODE.findall(section)
    assert Counter(codes) == Counter(code for code, *_ in stored)
    for code, name, _budget, _spent in stored:
        assert f"{code} {name}" in section, name

    # Every amount printed is a programme's pagu or realisasi, or the total: nothing
    # else (no indicator carries a pagu), nothing counted twice.
    total_budget = sum((budget for *_x, budget, _s in stored), Decimal(0))
    total_spent = sum((spent for *_x, spent in stored), Decimal(0))
    expected = Counter([_money(b) for *_x, b, _s in stored] + [_money(s) for *_x, s in stored]
                       + [_money(total_budget), _money(total_spent)])
    assert Counter(MONEY.findall(section)) == expected
    total_line = (f"JUMLAH {_money(total_budget)} {_money(total_spent)} "
                  f"{_percent(total_spent / total_budget * 100)}")
    assert total_line in section
    for _code, _name, budget, spent in stored:
        assert _percent(spent / budget * 100) in section
    # The measurement and analysis tables carry no rupiah at all.
    assert not MONEY.search(doc.section("B. Pengukuran Kinerja per Sasaran", START,
                                        footer=FOOTER))


def test_excel_budget_sheet_lists_the_programmes_and_their_sum(closed):
    ctx, cycle = closed
    stored = _stored(ctx, cycle.id)
    ws = load_workbook(io.BytesIO(render_compiled_workbook(
        compiled_report_data(ctx, cycle.id))))["F. Anggaran"]
    assert [c.value for c in ws[HEADER_ROW]] == ["No", "Program", "Pagu (Rp)",
                                                 "Realisasi (Rp)", "Serapan (%)", "Keterangan"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=HEADER_ROW + 1)
            if any(c.value is not None for c in r)]
    body, total = rows[:-1], rows[-1]
    assert [r[0] for r in body] == list(range(1, len(stored) + 1))
    assert sorted(r[1] for r in body) == sorted(f"{c} {n}" for c, n, *_ in stored)
    assert total[1] == "JUMLAH"
    assert total[2] == pytest.approx(float(sum(b for *_x, b, _s in stored)))
    assert total[3] == pytest.approx(float(sum(s for *_x, s in stored)))


def test_a_cycle_without_programmes_says_so_officially(ctx, pdf):
    from kinerja_desktop.services import demo

    demo.build_demo(ctx, year=2025, teams=1, indicators=2, through_step=4)
    cycle = cycles.find_cycle(ctx, 2025)
    with ctx.transaction() as session:
        session.execute(delete(CycleProgramme).where(CycleProgramme.cycle_id == cycle.id))
    data = compiled_report_data(ctx, cycle.id)
    assert data.budget_rows == ()
    sentence = ("Pada Tahun Anggaran 2025 tidak terdapat pagu dan realisasi anggaran per "
                "program yang dilaporkan.")
    assert data.budget_empty_label == sentence
    for paper in ("A4", "F4"):
        doc = pdf.read(documents.compiled_report_pdf(ctx, cycle.id, paper))
        section = doc.section(START, END)
        assert sentence in section and "JUMLAH" not in section
        assert "aplikasi" not in section.lower()


def test_a_programme_not_filled_yet_prints_a_dash_and_stays_out_of_the_total(ctx, pdf):
    from kinerja_desktop.services import demo, programmes, teams

    demo.build_demo(ctx, year=2025, teams=1, indicators=2, through_step=3)
    cycle = cycles.find_cycle(ctx, 2025)
    team = teams.list_teams(ctx)[0]
    filled, empty = programmes.cycle_programmes(ctx, cycle.id, team.id)
    programmes.save_programme_figures(ctx, team.members[-1].person_id, cycle.id,
                                      filled.programme_id, 200_000_000.0, 150_000_000.0, 0)
    data = compiled_report_data(ctx, cycle.id)
    assert [r.label for r in data.budget_rows] == [filled.label, empty.label]
    assert data.budget_rows[1].budget_value is None and data.budget_rows[1].budget_label == "-"
    assert data.budget_total.budget_value == Decimal(200_000_000)
    section = pdf.read(documents.compiled_report_pdf(ctx, cycle.id, "A4")).section(START, END)
    assert Counter(MONEY.findall(section)) == Counter(
        ["Rp200.000.000,00", "Rp150.000.000,00"] * 2)
    assert "JUMLAH Rp200.000.000,00 Rp150.000.000,00 75,00" in section
