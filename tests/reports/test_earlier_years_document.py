"""The comparison with earlier years, read back from the printed Dokumen Data Kinerja.

The demo office types the realisasi of 2022–2024 for some indicators (its earlier LKjIP),
so its first year, 2025, already compares; a later year compares with the 2025 cycle in
the application where it holds the indicator, and with the typed values before that. A
closed year's document keeps what it printed when earlier-year values change later.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from kinerja_desktop.db.models import FormatItem, Indicator, ItemEntry
from kinerja_desktop.services import accounts, cycles, documents, earlier_years, formats

SIGNING = datetime(2026, 2, 6, 2, 0, tzinfo=UTC)
FOOTER = "Dokumen Data Kinerja Tahun {year}{draft} — Dinas Pemberdayaan Masyarakat dan Desa"
POVERTY = "Persentase penduduk miskin di perdesaan"  # typed 9,12 · 8,64 · 8,05
POSYANDU = "Persentase posyandu aktif"  # nothing typed


@pytest.fixture(scope="module")
def demo(tmp_path_factory, databases):
    from kinerja_desktop.services import demo as demo_service
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(tmp_path_factory.mktemp("tahun-sebelumnya") / "data",
                       database_url=databases.fresh())
    demo_service.build_demo(ctx, year=2025, through_step=7)
    ctx.clock = lambda: SIGNING
    people = {p.username: p.id for p in accounts.list_people(ctx)}
    yield ctx, cycles.find_cycle(ctx, 2025), people
    ctx.dispose()


def _indonesian(value: float) -> str:
    text = format(Decimal(str(value)).normalize(), "f")
    whole, _, fraction = text.partition(".")
    return f"{int(whole):,}".replace(",", ".") + ("," + fraction if fraction else "")


def _cycle_values(ctx, cycle_id: int, name: str) -> tuple[str, str]:
    """(realisasi, capaian) of indicator ``name`` in a cycle, computed here."""
    with ctx.read() as session:
        rows = session.execute(
            select(Indicator.name, Indicator.formula, FormatItem.target, ItemEntry.actual)
            .join(Indicator, Indicator.id == FormatItem.indicator_id)
            .outerjoin(ItemEntry, ItemEntry.item_id == FormatItem.id)
            .where(FormatItem.cycle_id == cycle_id)).all()
    _name, formula, target, actual = next(r for r in rows if r[0] == name)
    target_d, actual_d = Decimal(str(target)), Decimal(str(actual))
    if formula == "realisasi/target":
        capaian = actual_d * 100 / target_d
    else:
        assert formula == "(2×target−realisasi)/target"
        capaian = (2 * target_d - actual_d) * 100 / target_d
    capaian = capaian.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return _indonesian(actual), f"{capaian}".replace(".", ",")


def _comparison(doc, year: int, draft: bool = False) -> str:
    footer = FOOTER.format(year=year, draft=" (DRAF)" if draft else "")
    return doc.section("D. Perbandingan Antartahun", "E. Analisis Capaian", footer)


def _row(section: str, name: str) -> str:
    """The values printed after an indicator's name and unit, up to the next row."""
    match = re.search(r"\d+ " + re.escape(name) + r" % (.*?)(?= \d+ [A-Z]|$)", section)
    assert match, name
    return match.group(1)


@pytest.mark.parametrize("paper", ["A4", "F4"])
def test_first_year_compares_with_the_typed_earlier_years(demo, pdf, paper):
    ctx, cycle, _people = demo
    doc = pdf.read(documents.compiled_report_pdf(ctx, cycle.id, paper))
    pdf.assert_paper(doc, paper)
    section = _comparison(doc, 2025)
    assert re.search(r"Tahun 2022 Tahun 2023 Tahun 2024 Tahun 2025", section)
    # Typed years have realisasi only (no capaian column); 2025 has both.
    actual, capaian = _cycle_values(ctx, cycle.id, POVERTY)
    assert _row(section, POVERTY).startswith(f"9,12 8,64 8,05 {actual} {capaian} ")
    assert _row(section, POSYANDU).startswith("- - - ")
    assert "tidak tersedia" not in section and "aplikasi" not in doc.text.lower()


def test_a_closed_year_keeps_its_comparison_and_a_later_year_reads_the_cycle(demo, pdf):
    ctx, cycle, people = demo
    poverty = next(i.id for i in formats.list_indicators(ctx) if i.name == POVERTY)
    before_pdf = documents.compiled_report_pdf(ctx, cycle.id, "F4")
    before_xlsx = _sheet_values(documents.compiled_report_content(ctx, cycle.id))
    # The Kasubag corrects 2024 after 2025 is closed.
    earlier_years.save_earlier_actuals(ctx, people["kasubag"], poverty, {2024: (7.77, "")})
    assert documents.compiled_report_pdf(ctx, cycle.id, "F4") == before_pdf
    assert _sheet_values(documents.compiled_report_content(ctx, cycle.id)) == before_xlsx
    section = _comparison(pdf.read(before_pdf), 2025)
    assert _row(section, POVERTY).startswith("9,12 8,64 8,05 ")

    # 2026: the 2025 cycle holds the indicator (its realisasi and capaian); 2023 and 2024
    # come from the master, with the correction.
    new = cycles.start_cycle(ctx, people["sekretaris"], 2026, "800/1/Itprov/I/2027",
                             date(2027, 1, 4))
    cycles.finish_step(ctx, people["sekretaris"], new.id, 1)
    for name in (POVERTY, POSYANDU):
        ind = next(i.id for i in formats.list_indicators(ctx) if i.name == name)
        formats.add_to_format(ctx, people["kasubag"], new.id, ind, target=50.0)
    doc = pdf.read(documents.compiled_report_pdf(ctx, new.id, "A4"))
    section = _comparison(doc, 2026, draft=True)
    assert re.search(r"Tahun 2023 Tahun 2024 Tahun 2025 Tahun 2026", section)
    actual, capaian = _cycle_values(ctx, cycle.id, POVERTY)
    assert _row(section, POVERTY).startswith(f"8,64 7,77 {actual} {capaian} - ")
    actual, capaian = _cycle_values(ctx, cycle.id, POSYANDU)
    assert _row(section, POSYANDU).startswith(f"- - {actual} {capaian} - ")


def _sheet_values(data) -> list[tuple]:
    from kinerja_desktop.spreadsheets.compiled_workbook import render_compiled_workbook

    wb = load_workbook(io.BytesIO(render_compiled_workbook(data)))
    return [tuple(row) for row in wb["D. Antartahun"].iter_rows(values_only=True)]


def test_nothing_to_compare_gives_one_plain_sentence(ctx, office, pdf):
    cycle = cycles.start_cycle(ctx, office.sekretaris, 2025, "800/1/2026", date(2026, 1, 5))
    cycles.finish_step(ctx, office.sekretaris, cycle.id, 1)
    formats.add_to_format(ctx, office.kasubag, cycle.id, office.indicators[0], target=80.0)
    doc = pdf.read(documents.compiled_report_pdf(ctx, cycle.id, "A4"))
    section = doc.section("D. Perbandingan Antartahun", "E. Analisis Capaian")
    assert ("Data realisasi tahun-tahun sebelum 2025 tidak tersedia untuk diperbandingkan"
            in section)
    assert "Tahun 2024" not in section and "aplikasi" not in doc.text.lower()
    wb = load_workbook(io.BytesIO(_workbook(ctx, cycle.id)))
    notes = [c for row in wb["D. Antartahun"].iter_rows(values_only=True) for c in row if c]
    assert "Data realisasi tahun-tahun sebelum 2025 tidak tersedia untuk diperbandingkan." \
        in notes
    # Typed later: the draft compares at once.
    earlier_years.save_earlier_actuals(ctx, office.kasubag, office.indicators[0],
                                       {2024: (71.5, "")})
    doc = pdf.read(documents.compiled_report_pdf(ctx, cycle.id, "A4"))
    section = doc.section("D. Perbandingan Antartahun", "E. Analisis Capaian")
    assert "Tahun 2024 Tahun 2025" in section and "71,5" in section


def _workbook(ctx, cycle_id: int) -> bytes:
    from kinerja_desktop.spreadsheets.compiled_workbook import render_compiled_workbook

    return render_compiled_workbook(documents.compiled_report_content(ctx, cycle_id))


def test_a_revision_freezes_the_values_of_its_own_closing(demo, pdf):
    from kinerja_desktop.db.models import RecordVersion
    from kinerja_desktop.services.document_data.compiled_report import compiled_report_data

    ctx, cycle, people = demo
    poverty = next(i.id for i in formats.list_indicators(ctx) if i.name == POVERTY)
    # The earlier test corrected 2024 to 7,77 after closing; reopened and compiled again,
    # "Revisi 1" compares with the corrected value and keeps it.
    cycles.reopen_cycle(ctx, people["admin"], cycle.id, "Realisasi 2024 dikoreksi.")
    documents.compile_and_close(ctx, people["kasubag"], cycle.id)
    earlier_years.save_earlier_actuals(ctx, people["kasubag"], poverty, {2024: (7.7, "")})
    doc = pdf.read(documents.compiled_report_pdf(ctx, cycle.id, "F4"))
    assert "REVISI 1" in doc.pages[0]
    assert _row(_comparison(doc, 2025), POVERTY).startswith("9,12 8,64 7,77 ")
    # A closing from before the comparison was frozen compared with earlier cycles only
    # (none here), and typed values never reach it.
    with ctx.transaction() as session:
        for version in session.scalars(select(RecordVersion)
                                       .where(RecordVersion.cycle_id == cycle.id)):
            version.earlier_years = None
    assert compiled_report_data(ctx, cycle.id).previous_years == ()
