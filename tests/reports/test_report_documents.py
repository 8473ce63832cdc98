"""The printed documents, parsed back: what the Kepala Dinas must read on paper."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader

from kinerja_desktop.domain.errors import ConflictError, PermissionDenied
from kinerja_desktop.services import accounts, cycles, documents, earlier_years, submissions
from kinerja_desktop.services.document_data import (
    common,
    compiled_report,
    sop_sheet,
    verification_record,
)

SIGNING = datetime(2026, 2, 6, 2, 0, tzinfo=UTC)  # 6 Feb 2026 10.00 WITA
INDONESIAN_PERCENT = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d{2}( \(manual\))?$")


def _text(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text), len(reader.pages)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, databases):
    """The demo office through step 7 (documents compiled), with a fixed clock."""
    from kinerja_desktop.services import demo as demo_service
    from kinerja_desktop.services.startup import open_context

    root = tmp_path_factory.mktemp("demo") / "data"
    ctx = open_context(root, database_url=databases.fresh())
    demo_service.build_demo(ctx, year=2025, through_step=7)
    ctx.clock = lambda: SIGNING
    people = {p.username: p.id for p in accounts.list_people(ctx)}
    cycle = cycles.find_cycle(ctx, 2025)
    yield ctx, cycle, people
    ctx.dispose()


@pytest.fixture(scope="module")
def compiled(demo):
    ctx, cycle, _people = demo
    data = compiled_report.compiled_report_data(ctx, cycle.id)
    pdf = documents.compiled_report_pdf(ctx, cycle.id)
    text, pages = _text(pdf)
    return data, pdf, text, pages


def test_compiled_report_shows_office_title_and_year(compiled):
    _data, _pdf, text, _pages = compiled
    assert "PEMERINTAH KABUPATEN SOPPENG" in text
    assert "DINAS PEMBERDAYAAN MASYARAKAT DAN DESA" in text
    assert "DOKUMEN DATA KINERJA" in text
    assert "TAHUN 2025" in text


def test_compiled_report_lists_every_demo_indicator_with_indonesian_values(compiled):
    data, _pdf, text, _pages = compiled
    assert len(data.items) == 14
    for item in data.items:
        assert item.name in text, item.name
        if item.achievement_value is not None:
            assert INDONESIAN_PERCENT.match(item.achievement_label), item.achievement_label
            assert item.achievement_label in text
        else:
            # A non-computable achievement prints its reason, never 0.
            assert item.achievement_label.startswith("Tidak dapat dihitung: ")
    assert "Tidak dapat dihitung: Indikator kualitatif" in text
    assert "79,56" in text  # 59,67 of a 75 target, Indonesian decimal comma
    assert data.budget_total.budget_label in text  # budget total


def test_compiled_report_summary_counts_and_sections(compiled):
    data, _pdf, text, _pages = compiled
    s = data.summary
    assert s.indicator_count == 14
    assert s.reached_count + s.not_reached_count + s.not_computable_count == 14
    assert sum(count for _label, count in s.predikat_counts) == s.computable_count
    for heading in ("A. Ringkasan Capaian Kinerja", "B. Pengukuran Kinerja per Sasaran",
                    "C. Grafik Capaian per Sasaran", "D. Perbandingan Antartahun",
                    "E. Analisis Capaian per Indikator", "F. Realisasi Anggaran",
                    "G. Catatan Verifikasi"):
        assert heading in text
    # the returned item and its reason appear in the verification record
    assert "Angka realisasi berbeda dengan laporan kecamatan; mohon diklarifikasi." in text


def test_compiled_report_signature_date_and_pages(compiled):
    _data, _pdf, text, pages = compiled
    assert "Watansoppeng, 6 Februari 2026" in text
    assert "KEPALA DINAS PEMBERDAYAAN MASYARAKAT DAN DESA KABUPATEN SOPPENG" in text
    assert "ANDI AGUS MONGKI, S.IP., M.Si" in text
    assert "Pangkat : Pembina Tk. I, IV/b" in text
    assert "NIP. 19710817 199101 1 001" in text
    assert pages > 1
    assert f"Halaman 1 dari {pages}" in text
    assert f"Halaman {pages} dari {pages}" in text


def _font_names(pdf: bytes) -> set[str]:
    """Every font of every page; fails on a font whose program is not embedded."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            assert "/FontDescriptor" in font, f"{font['/BaseFont']} is not embedded"
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
            names.add(str(font["/BaseFont"]).split("+")[-1])
    return names


def test_every_document_embeds_its_fonts(demo, compiled):
    ctx, cycle, _people = demo
    sub = submissions.list_submissions(ctx, cycle.id)[0]
    pdfs = [compiled[1], documents.sop_sheet_pdf(ctx), documents.monitoring_pdf(ctx, cycle.id),
            documents.receipt_pdf(ctx, sub.id), documents.verification_record_pdf(ctx, cycle.id)]
    for pdf in pdfs:
        names = _font_names(pdf)
        assert names <= {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic",
                         "LiberationSerif-BoldItalic", "LiberationMono"}, names
        assert {"LiberationSerif", "LiberationSerif-Bold"} <= names


def test_user_markup_prints_literally(compiled):
    data, _pdf, _text_, _pages = compiled
    from kinerja_desktop.reports.compiled_report import render_compiled_report

    nasty = 'Indeks <b>"Desa"</b> & <Mandiri> \'kita\''
    section = data.objectives[0]
    item = replace(section.items[0], name=nasty, explanation="a < b & c > d")
    data2 = replace(data, objectives=(replace(section, items=(item, *section.items[1:])),
                                      *data.objectives[1:]))
    text, _pages = _text(render_compiled_report(data2))
    assert nasty in text
    assert "a < b & c > d" in text


def test_f4_paper_from_office_setting(compiled):
    data, _pdf, _text_, _pages = compiled
    from kinerja_desktop.reports.compiled_report import render_compiled_report

    office = replace(data.office, paper_size="F4")
    reader = PdfReader(io.BytesIO(render_compiled_report(replace(data, office=office))))
    box = reader.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 215
    assert round(float(box.height) / 72 * 25.4) == 330
    a4 = PdfReader(io.BytesIO(_pdf)).pages[0].mediabox
    assert round(float(a4.height) / 72 * 25.4) == 297


def test_logo_is_drawn_in_the_letterhead(compiled):
    data, _pdf, _text_, _pages = compiled
    from PySide6.QtGui import QColor, QImage

    from kinerja_desktop.reports.compiled_report import render_compiled_report

    image = QImage(40, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("darkgreen"))
    buffer = io.BytesIO()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    raw = QByteArray()
    qbuf = QBuffer(raw)
    qbuf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(qbuf, "PNG")
    buffer.write(bytes(raw.data()))
    office = replace(data.office, logo=buffer.getvalue(), logo_name="logo.png")
    reader = PdfReader(io.BytesIO(render_compiled_report(replace(data, office=office))))
    assert reader.pages[0].images, "the logo should be an image on page 1"


def test_sop_sheet_has_all_seven_steps_and_their_time(demo):
    ctx, _cycle, _people = demo
    data = sop_sheet.sop_sheet_data(ctx)
    text, pages = _text(documents.sop_sheet_pdf(ctx))
    assert pages >= 2
    assert "STANDAR OPERASIONAL PROSEDUR" in text
    assert "25/DPMD/I/2017" in text
    assert len(data.definition.steps) == 7
    for step in data.definition.steps:
        assert step.activity in text, step.activity
        assert step.time.label() in text
    for waktu in ("60 Menit", "120 Menit", "30 Menit", "60 Hari", "1 Hari"):
        assert waktu in text
    for lane in ("Sekretaris", "Tim Penyusun Data", "Kelengkapan", "Waktu", "Output",
                 "Keterangan"):
        assert lane in text
    assert f"Halaman 1 dari {pages}" in text


def test_sop_flowchart_splits_across_pages_with_connectors(demo):
    ctx, _cycle, _people = demo
    from kinerja_desktop.reports.sop_sheet import render_sop_sheet

    data = sop_sheet.sop_sheet_data(ctx)
    long_steps = tuple(replace(s, activity=s.activity + (" dan seterusnya" * 25))
                       for s in data.definition.steps)
    big = replace(data, definition=replace(data.definition, steps=long_steps))
    text, pages = _text(render_sop_sheet(big))
    assert pages >= 3
    for step in long_steps:
        assert step.activity[:60] in text


def test_monitoring_form_compares_standard_and_actual(demo):
    ctx, cycle, _people = demo
    text, pages = _text(documents.monitoring_pdf(ctx, cycle.id))
    assert "MONITORING PELAKSANAAN SOP" in text
    assert "Berjalan dengan baik" in text
    # step 2 of the demo took 85 of 60 minutes
    assert "Selesai terlambat: 1 jam 25 menit dari mutu baku 60 menit." in text
    for team in ("Tim Bidang Pemerintahan Desa", "Tim Sekretariat"):
        assert team in text
    from kinerja_desktop.reports.monitoring import EVALUATION_CRITERIA

    for criterion in EVALUATION_CRITERIA:
        assert criterion in text
    # by default the Sekretaris assesses, as Ketua Tim Penyusun (not the Kasubag whose
    # own steps are assessed)
    assert "Drs. H. ANDI MAPPASESSU, M.Si" in text
    assert "SEKRETARIS DINAS SELAKU KETUA TIM PENYUSUN" in text
    assert "Tanggal monitoring : 6 Februari 2026" in text
    assert "Semester : Semester I (Januari–Juni)" in text
    assert f"Halaman {pages} dari {pages}" in text


def test_receipt_of_a_corrected_submission(demo):
    ctx, cycle, _people = demo
    sub = next(s for s in submissions.list_submissions(ctx, cycle.id) if s.version == 2)
    text, _pages = _text(documents.receipt_pdf(ctx, sub.id))
    assert "TANDA TERIMA" in text
    assert sub.team_name in text
    assert sub.snapshot_sha256[:40] in text.replace(" ", "")
    assert "Yang Menyerahkan," in text and "Yang Menerima," in text
    assert "NIP. 19760211 200212 2 005" in text  # the Kasubag receives


def test_verification_record_lists_returns_and_signatures(demo):
    ctx, cycle, _people = demo
    text, _pages = _text(documents.verification_record_pdf(ctx, cycle.id))
    assert "BERITA ACARA VERIFIKASI DATA KINERJA" in text
    assert "Bukti dukung belum sesuai dengan angka realisasi" in text
    assert "Mengetahui," in text and "Yang Melakukan Verifikasi," in text
    # Dated the day verification was completed (the last item, 5 Feb), not the print day.
    assert "Pada hari ini Kamis, tanggal 5 Februari 2026" in text
    one = verification_record.verification_record_data(
        ctx, cycle.id, team_id=cycle_team(ctx, cycle.id))
    assert len(one.teams) == 1


def cycle_team(ctx, cycle_id: int) -> int:
    return submissions.list_submissions(ctx, cycle_id)[0].team_id


def test_compiled_document_is_archived_with_hash_time_and_user(demo):
    """The demo closed step 7 through compile_and_close: one archived original."""
    ctx, cycle, people = demo
    listed = documents.list_documents(ctx, cycle.id, "dokumen_data_kinerja")
    assert len(listed) == 1
    info = listed[0]
    assert info.created_by == "Hj. Nurhayati, S.E., M.Si" and info.version_label == "Asli"
    content = documents.document_content(ctx, info.id)
    import hashlib

    assert hashlib.sha256(content).hexdigest() == info.sha256
    assert "DOKUMEN DATA KINERJA" in _text(content)[0]
    # A closed cycle cannot be compiled again (nor by the administrator at all).
    with pytest.raises(ConflictError, match="sudah ditutup"):
        documents.compile_and_close(ctx, people["kasubag"], cycle.id)
    assert documents.compiled_report_pdf(ctx, cycle.id) == content


def test_compile_refused_before_verification(ctx):
    from kinerja_desktop.services import demo as demo_service

    demo_service.build_demo(ctx, year=2025, teams=2, indicators=2, through_step=5)
    people = {p.username: p.id for p in accounts.list_people(ctx)}
    cycle = cycles.find_cycle(ctx, 2025)
    with pytest.raises(PermissionDenied):
        documents.compile_and_close(ctx, people["admin"], cycle.id)
    with pytest.raises(ConflictError, match="belum siap"):
        documents.compile_and_close(ctx, people["kasubag"], cycle.id)
    assert documents.list_documents(ctx, cycle.id) == []
    assert cycles.get_cycle(ctx, cycle.id).status == "berjalan"


def test_earlier_years_appear_in_the_next_cycle(demo):
    ctx, cycle, people = demo
    from kinerja_desktop.services import formats

    before = {i.indicator_id: i for i in compiled_report.compiled_report_data(ctx, cycle.id).items}
    new = cycles.start_cycle(ctx, people["sekretaris"], 2026, "800/1/Itprov/I/2027",
                             datetime(2027, 1, 4).date())
    cycles.finish_step(ctx, people["sekretaris"], new.id, 1)
    for indicator_id in list(before)[:3]:
        formats.add_to_format(ctx, people["kasubag"], new.id, indicator_id, target=50.0)
    # A realisasi typed for 2025 as well: the 2025 cycle in the application wins.
    first = list(before)[0]
    earlier_years.save_earlier_actuals(ctx, people["kasubag"], first, {2025: (1.0, "")})
    data = compiled_report.compiled_report_data(ctx, new.id)
    # 2023 and 2024 typed in the master (the demo's earlier LKjIP), 2025 the cycle.
    assert data.previous_years == (2023, 2024, 2025)
    for item in data.items:
        old = before[item.indicator_id]
        assert item.history[2].achievement_label == old.achievement_label
        assert item.history[2].actual_label == old.actual_label
        typed = {a.year: a.actual for a in earlier_years.earlier_actuals(ctx, item.indicator_id)}
        assert [h.actual_value for h in item.history[:2]] == [
            Decimal(str(typed[2023])).normalize(), Decimal(str(typed[2024])).normalize()]
        assert [h.achievement_label for h in item.history[:2]] == ["-", "-"]
        assert item.achievement_label == "Tidak dapat dihitung: Realisasi belum diisi"
    text, _pages = _text(documents.compiled_report_pdf(ctx, new.id))
    assert "Tahun 2025" in text and "TAHUN 2026" in text


def test_cli_writes_the_documents(demo, tmp_path, cli_args):
    ctx, _cycle, _people = demo
    from kinerja_desktop.cli import main

    root = cli_args(ctx)
    out = tmp_path / "laporan.pdf"
    assert main([*root, "report", "--year", "2025", "--out", str(out)]) == 0
    assert "DOKUMEN DATA KINERJA" in _text(out.read_bytes())[0]
    sop = tmp_path / "sop.pdf"
    assert main([*root, "sop-sheet", "--out", str(sop)]) == 0
    assert sop.read_bytes().startswith(b"%PDF")
    mon = tmp_path / "monitoring.pdf"
    assert main([*root, "sop-monitoring", "--year", "2025", "--out",
                 str(mon)]) == 0
    assert "MONITORING PELAKSANAAN SOP" in _text(mon.read_bytes())[0]
    assert main([*root, "report", "--year", "2025", "--out",
                 str(tmp_path / "x.doc")]) == 1
    assert not (tmp_path / "x.doc").exists()
    assert main([*root, "report", "--year", "1999", "--out",
                 str(tmp_path / "y.pdf")]) == 1
    import importlib.util

    book = tmp_path / "laporan.xlsx"
    code = main([*root, "report", "--year", "2025", "--out", str(book)])
    if importlib.util.find_spec("kinerja_desktop.spreadsheets.compiled_workbook"):
        assert code == 0 and book.read_bytes().startswith(b"PK")
    else:  # the Excel export is another part of the build; the failure says so
        assert code == 1 and not book.exists()


def test_fast_formatters_agree_with_the_domain_ones():
    from decimal import Decimal

    from kinerja_desktop.domain.numbers import format_datetime_short, format_money, format_number

    values = [0, -0.004, 0.005, 1, 12.5, 86.666, 99.995, 100, 1234.5, -1500, 1234567.891,
              Decimal("3395000000"), Decimal("-0.001"), 7.5, 59.67, 1e12 + 0.125]
    for v in values:
        assert common.fast_number(v) == format_number(v), v
        assert common.fast_number(v, 2) == format_number(v, 2), v
        assert common.fast_money(v) == format_money(v), v
    for month in range(1, 13):
        dt = datetime(2026, month, 5, 17, 7, tzinfo=UTC)  # crosses midnight in WITA
        assert common.fast_datetime(dt) == format_datetime_short(dt)


def test_a_row_taller_than_a_page_continues_on_the_next(compiled):
    data, _pdf, _text_, pages = compiled
    from kinerja_desktop.reports.compiled_report import render_compiled_report

    long_text = "AWAL " + "penjelasan panjang dari tim penyusun " * 300 + "AKHIR"
    section = data.objectives[0]
    item = replace(section.items[0], explanation=long_text, supporting=long_text)
    data2 = replace(data, objectives=(replace(section, items=(item, *section.items[1:])),
                                      *data.objectives[1:]))
    text, more_pages = _text(render_compiled_report(data2))
    assert more_pages >= pages + 3
    assert text.count("AWAL") == 2 and text.count("AKHIR") == 2
    assert f"Halaman {more_pages} dari {more_pages}" in text


def test_table_cells_with_pdf_delimiters_and_non_ascii_print_as_typed(compiled):
    """Table lines are written as PDF literal strings when they can be: parentheses and
    backslashes must be escaped, other characters must keep their subset codes."""
    data, _pdf, _text_, _pages = compiled
    from kinerja_desktop.reports.compiled_report import render_compiled_report

    name = r"Desa (mandiri) \ maju: 50% ≥ “target” — Ünïcode é ½"
    support = r"APBDes) (ADD \\ DD("
    section = data.objectives[0]
    item = replace(section.items[0], name=name, supporting=support)
    data2 = replace(data, objectives=(replace(section, items=(item, *section.items[1:])),
                                      *data.objectives[1:]))
    text, _pages = _text(render_compiled_report(data2))
    assert text.count(name) >= 3  # measurement, comparison and analysis tables
    assert support in text
