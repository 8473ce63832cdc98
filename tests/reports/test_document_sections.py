"""Every printed document read back on A4 and F4, section by section.

Expected content is computed here from the database rows and the domain rules written
out again in the test (capaian, predikat, averages), never from the document-data module
that feeds the renderers: a row dropped from a table, or an indicator at exactly 100 %
counted as "belum mencapai target", must fail a test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import select

from kinerja_desktop.db.models import FormatItem, Indicator, ItemEntry, Objective
from kinerja_desktop.services import cycles, documents, submissions, teams

SIGNING = datetime(2026, 2, 6, 2, 0, tzinfo=UTC)  # 6 Feb 2026 10.00 WITA
FOOTER = "Dokumen Data Kinerja Tahun 2025 — Dinas Pemberdayaan Masyarakat dan Desa"
PAPERS = ("A4", "F4")
MARKERS = {"realisasi/target": "R/T", "(2×target−realisasi)/target": "(2T−R)/T",
           "target/realisasi": "T/R"}
#: The default scale, written out again: (label, lowest capaian).
SCALE = (("Sangat Baik", 91), ("Baik", 76), ("Cukup", 66), ("Kurang", 51), ("Sangat Kurang", 0))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo office through step 7, with a fixed clock."""
    from kinerja_desktop.services import demo as demo_service
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(tmp_path_factory.mktemp("sections") / "data")
    demo_service.build_demo(ctx, year=2025, through_step=7)
    ctx.clock = lambda: SIGNING
    yield ctx, cycles.find_cycle(ctx, 2025)
    ctx.dispose()


# --------------------------------------------------------------------------- expectations


def _indonesian(value: Decimal, places: int | None = None) -> str:
    """Indonesian number text: as entered (places None) or with ``places`` decimals."""
    if places is None:
        value = value.normalize()
        exponent = value.as_tuple().exponent
        places = max(0, -exponent)
    text = f"{value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):,.{places}f}"
    return text.translate(str.maketrans(",.", ".,"))


@dataclass(frozen=True)
class Expected:
    number: int
    objective_id: int
    objective: str
    name: str
    unit: str
    target: str
    actual: str
    marker: str
    capaian: Decimal | None
    capaian_label: str
    predikat: str


def _predikat(value: Decimal) -> str:
    return next(label for label, low in SCALE if value >= low)


def expected_rows(ctx, cycle_id: int) -> list[Expected]:
    """The measurement rows as the database holds them, capaian computed here."""
    rows = []
    with ctx.read() as session:
        query = (select(FormatItem, Indicator, Objective, ItemEntry)
                 .join(Indicator, Indicator.id == FormatItem.indicator_id)
                 .join(Objective, Objective.id == Indicator.objective_id)
                 .outerjoin(ItemEntry, ItemEntry.item_id == FormatItem.id)
                 .where(FormatItem.cycle_id == cycle_id)
                 .order_by(Objective.position, Objective.id, FormatItem.position, FormatItem.id))
        for number, (item, ind, obj, entry) in enumerate(session.execute(query), start=1):
            target = None if item.target is None else Decimal(str(item.target))
            actual = None if entry is None or entry.actual is None else Decimal(str(entry.actual))
            capaian = None
            if entry is not None and entry.manual_achievement is not None:
                capaian = Decimal(str(entry.manual_achievement))
            elif not ind.qualitative and target and actual is not None:
                if ind.formula == "realisasi/target":
                    capaian = actual * 100 / target
                elif ind.formula == "(2×target−realisasi)/target":
                    capaian = (2 * target - actual) * 100 / target
                elif actual:
                    capaian = target * 100 / actual
            if capaian is not None:
                capaian = capaian.quantize(Decimal("0.01"), ROUND_HALF_UP)
            marker = "Kualitatif" if ind.qualitative else MARKERS[ind.formula]
            rows.append(Expected(
                number, obj.id, obj.name, ind.name, ind.unit,
                _indonesian(target) if target is not None else (item.target_text or "-"),
                _indonesian(actual) if actual is not None else (
                    (entry.actual_text if entry else "") or "-"),
                marker, capaian,
                _indonesian(capaian, 2) if capaian is not None else "Tidak dapat dihitung",
                _predikat(capaian) if capaian is not None else "-"))
    return rows


# --------------------------------------------------------------------------- the compiled report


@pytest.fixture(scope="module", params=PAPERS)
def compiled(request, demo, pdf):
    ctx, cycle = demo
    return request.param, pdf.read(documents.compiled_report_pdf(ctx, cycle.id, request.param))


def test_compiled_report_is_laid_out_on_the_paper_asked_for(compiled, pdf):
    paper, doc = compiled
    pdf.assert_paper(doc, paper)
    assert f"Halaman {len(doc.pages)} dari {len(doc.pages)}" in doc.pages[-1]


def test_measurement_table_holds_every_indicator_once_with_its_formula(compiled, demo):
    _paper, doc = compiled
    ctx, cycle = demo
    expected = expected_rows(ctx, cycle.id)
    section = doc.section("B. Pengukuran Kinerja per Sasaran Strategis",
                          "C. Grafik Capaian per Sasaran Strategis", FOOTER)
    for row in expected:
        line = (f"{row.number} {row.name} {row.unit} {row.target} {row.actual} {row.marker} "
                f"{row.capaian_label}")
        assert section.count(line) == 1, line
        if row.capaian is not None:
            assert f"{line} {row.predikat} " in section
    # every row carries its formula marker, and nothing else in the table does
    markers = re.findall(r" (R/T|\(2T−R\)/T|T/R|Kualitatif|Manual) (?=\d|Tidak)", section)
    assert len(markers) == len(expected)
    # rows sit under their own objective: count them between its title and the next one
    objectives = list(dict.fromkeys((r.objective_id, r.objective) for r in expected))
    starts = [section.index(f": {name} ") for _id, name in objectives] + [len(section)]
    for (obj_id, name), begin, end in zip(objectives, starts, starts[1:], strict=False):
        block = section[begin:end]
        mine = [r for r in expected if r.objective_id == obj_id]
        found = re.findall(r" (R/T|\(2T−R\)/T|T/R|Kualitatif|Manual) (?=\d|Tidak)", block)
        assert len(found) == len(mine), name
        for r in mine:
            assert f"{r.number} {r.name} " in block
    assert "Kolom Rumus: R/T = Realisasi ÷ Target × 100%" in section


def test_summary_figures_match_values_computed_here(compiled, demo):
    _paper, doc = compiled
    ctx, cycle = demo
    expected = expected_rows(ctx, cycle.id)
    computable = [r.capaian for r in expected if r.capaian is not None]
    reached = sum(1 for c in computable if c >= 100)
    assert any(c == 100 for c in computable), "the demo must hold an indicator at exactly 100 %"
    average = (sum(computable, Decimal(0)) / len(computable)).quantize(Decimal("0.01"),
                                                                       ROUND_HALF_UP)
    summary = doc.section("A. Ringkasan Capaian Kinerja", "B. Pengukuran Kinerja", FOOTER)
    assert f"Jumlah indikator kinerja {len(expected)} " in summary
    assert f"Indikator yang mencapai target (capaian ≥ 100%) {reached} " in summary
    assert f"Indikator yang belum mencapai target {len(computable) - reached} " in summary
    assert (f"Indikator yang capaiannya tidak dapat dihitung "
            f"{len(expected) - len(computable)} ") in summary
    assert f"Rata-rata capaian (%) {_indonesian(average, 2)} ({_predikat(average)}) " in summary
    for label, _low in SCALE:
        count = sum(1 for c in computable if _predikat(c) == label)
        assert re.search(re.escape(label) + r" (≥ |<|\d)[^A-Z]*? " + str(count) + " ",
                         summary), (label, count)


def test_numbers_print_as_entered(compiled):
    _paper, doc = compiled
    text = doc.text
    assert "0,6321" in text
    assert "0,6321 R/T 97,25" in text  # 0,6321 ÷ 0,65 = 97,246…
    assert "0,63 " not in text
    # counts print without decimals: "desa 5 4", never "5,00 desa"
    assert "Jumlah desa berstatus Desa Mandiri desa 5 4 R/T 80,00" in text
    assert not re.search(r"\d,00 (desa|unit|kelompok)\b", text)


def test_chapter_sections_hold_one_row_per_indicator(compiled, demo):
    _paper, doc = compiled
    ctx, cycle = demo
    expected = expected_rows(ctx, cycle.id)
    analysis = doc.section("E. Analisis Capaian per Indikator", "F. Realisasi Anggaran", FOOTER)
    comparison = doc.section("D. Perbandingan Antartahun", "E. Analisis Capaian", FOOTER)
    for row in expected:
        assert analysis.count(f"{row.number} {row.name} ") == 1, row.name
        assert comparison.count(f"{row.number} {row.name} {row.unit} ") == 1, row.name
    assert "aplikasi" not in doc.text.lower()


def test_comparison_marks_what_cannot_be_computed_and_says_why_once(compiled, demo):
    """Section D's narrow capaian columns print "*" for a capaian that cannot be computed
    (the reason broke mid-word there) and name the reason and the rows under the table."""
    _paper, doc = compiled
    ctx, cycle = demo
    comparison = doc.section("D. Perbandingan Antartahun", "E. Analisis Capaian", FOOTER)
    assert "Tidak dapat dihitung" not in comparison.split("* Capaian", 1)[0]
    numbers = [row.number for row in expected_rows(ctx, cycle.id) if row.capaian is None]
    assert numbers, "the demo has an indicator whose capaian cannot be computed"
    note = " ".join(comparison.split("* Capaian tidak dapat dihitung: ", 1)[1].split())
    assert note.startswith("Indikator kualitatif (No " + ", ".join(map(str, numbers)) + ")")


def test_last_page_holds_text_with_the_signature(compiled):
    _paper, doc = compiled
    last = doc.pages[-1]
    assert "KEPALA DINAS PEMBERDAYAAN" in last and "NIP. 19710817 199101 1 001" in last
    assert "Demikian Dokumen Data Kinerja tahun 2025 ini disusun" in last
    # and the end of the verification record above it, not only the closing words
    assert "mohon diklarifikasi." in last


def test_continued_objective_repeats_its_title(demo, pdf):
    """A page that continues an objective's rows opens with "(lanjutan)"."""
    ctx, cycle = demo
    for paper in PAPERS:
        doc = pdf.read(documents.compiled_report_pdf(ctx, cycle.id, paper))
        header = "No Indikator Kinerja Satuan Target Realisasi Rumus Capaian (%) Predikat "
        for page in doc.pages[1:]:
            if header in page:
                after = page.split(header, 1)[1]
                if not after.startswith("Sasaran Strategis") and re.match(r"\d+ ", after):
                    pytest.fail(f"{paper}: a continued page starts without its objective")


# --------------------------------------------------------------------------- receipts, records


@pytest.mark.parametrize("paper", PAPERS)
def test_receipt_lists_the_frozen_rows_with_reason_and_hash(demo, pdf, paper):
    ctx, cycle = demo
    for sub in submissions.list_submissions(ctx, cycle.id):
        doc = pdf.read(documents.receipt_pdf(ctx, sub.id, paper))
        pdf.assert_paper(doc, paper)
        text = doc.text
        rows = sub.snapshot["items"]
        table = text.split("Bukti Dukung ", 1)[1].split("Kode pengaman di atas", 1)[0]
        for number, row in enumerate(rows, start=1):
            target = (_indonesian(Decimal(str(row["target"]))) if row["target"] is not None
                      else row["target_text"])
            actual = (_indonesian(Decimal(str(row["actual"]))) if row["actual"] is not None
                      else row["actual_text"])
            capaian = (_indonesian(Decimal(row["achievement"]), 2) if row["achievement"]
                       else "Tidak dapat dihitung: Indikator kualitatif")
            line = (f"{number} {row['indicator']} {row['unit']} {target} {actual} {capaian} "
                    f"{len(row['evidence'])} ")
            assert table.count(line) == 1, line
        assert len(re.findall(r"(?:^| )\d+ [A-Z]", table)) == len(rows)
        groups = " ".join(sub.snapshot_sha256[i:i + 8] for i in range(0, 64, 8))
        assert groups in text  # in groups of eight, never broken inside a group
        assert "pukul" in text and "WITA" in text
        last = doc.pages[-1]
        assert "Demikian tanda terima ini dibuat" in last
        assert rows[-1]["indicator"] in last  # the table's end shares the signature's page


@pytest.mark.parametrize("paper", PAPERS)
def test_verification_record_per_team_and_for_all(demo, pdf, paper):
    ctx, cycle = demo
    subjects = [None] + [t.id for t in teams.list_teams(ctx)]
    for team_id in subjects:
        doc = pdf.read(documents.verification_record_pdf(ctx, cycle.id, team_id, paper))
        pdf.assert_paper(doc, paper)
        last = doc.pages[-1]
        assert "Demikian berita acara ini dibuat" in last
        assert re.search(r"\d{1,2} \w+ 20\d\d pukul \d\d\.\d\d WITA .*Demikian", last), \
            "the last rows of the record share the signature's page"
        assert not re.search(r"\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) "
                             r"20\d\d \d\d\.\d\d", doc.text)


@pytest.mark.parametrize("paper", PAPERS)
def test_monitoring_form_rows_and_continuations(demo, pdf, paper):
    ctx, cycle = demo
    doc = pdf.read(documents.monitoring_pdf(ctx, cycle.id, paper))
    pdf.assert_paper(doc, paper, landscape=True)
    last = doc.pages[-1]
    assert "EVALUASI PENERAPAN SOP" in last and "Penilai," in last
    assert "Mampu menjawab kebutuhan peningkatan kinerja organisasi" in last
    assert "hari kerja" not in doc.text or not re.search(r"0,\d+ hari kerja", doc.text)
    header_end = "Paraf Penilai Siap Mulai Selesai Berjalan dengan baik Tidak berjalan " \
                 "dengan baik "
    for page in doc.pages[1:]:
        if header_end in page:
            after = page.split(header_end, 1)[1]
            assert re.match(r"\d \S", after), f"a continued page must repeat No: {after[:60]}"
