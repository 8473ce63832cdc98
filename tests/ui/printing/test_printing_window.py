"""Printing from the window: Ctrl+P preview, printing a page range, step 7, the archive."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from kinerja_desktop.services import accounts, cycles, documents

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path):
    from kinerja_desktop import settings

    settings.use_ini_file(tmp_path / "pengaturan.ini")
    yield
    settings.use_ini_file(None)


def _demo(root: Path, through_step: int):
    from kinerja_desktop.services import demo
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(root)
    demo.build_demo(ctx, year=2025, teams=2, indicators=3, through_step=through_step)
    people = {p.username: p.id for p in accounts.list_people(ctx)}
    return ctx, people


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    ctx, people = _demo(tmp_path_factory.mktemp("cetak") / "data", 7)
    yield ctx, people
    ctx.dispose()


def _window(qtbot, ctx, user_id):
    from kinerja_desktop.ui.main_window import MainWindow

    window = MainWindow(ctx, user_id, remember=False)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def _previews():
    from kinerja_desktop.ui.printing.preview import PdfPreviewDialog

    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, PdfPreviewDialog) and w.isVisible()]


def _close_previews():
    for dialog in _previews():
        dialog.close()


def test_ctrl_p_opens_the_preview_with_every_page(qtbot, finished):
    ctx, people = finished
    window = _window(qtbot, ctx, people["kasubag"])
    assert window.action_print in window.menu_file.actions()
    assert window.action_export_pdf in window.menu_file.actions()
    cycle = cycles.find_cycle(ctx, 2025)
    expected = len(PdfReader(io.BytesIO(documents.compiled_report_pdf(ctx, cycle.id))).pages)
    chosen = []

    def accept_chooser():
        from kinerja_desktop.ui.printing.chooser import DocumentChooser

        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DocumentChooser):  # not open yet: look again shortly
            QTimer.singleShot(20, accept_chooser)
            return
        assert dialog.radios["dokumen_data_kinerja"].isChecked()
        chosen.append(dialog.request())
        dialog.accept()

    QTimer.singleShot(0, accept_chooser)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(_previews()), timeout=10_000)
    preview = _previews()[0]
    assert chosen and chosen[0].kind == "dokumen_data_kinerja"
    assert preview.page_count() == expected
    assert preview.count_label.text() == f"dari {expected}"
    pixmap = preview.page_label.pixmap()
    assert pixmap.width() > 500
    # painted on white: a corner pixel of the page is white, not transparent or black
    assert pixmap.toImage().pixelColor(3, 3).name() == "#ffffff"
    preview.spin.setValue(expected)
    assert not preview.next_button.isEnabled()
    _close_previews()


def test_print_a_page_range_to_a_pdf_printer(qtbot, finished, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from kinerja_desktop.ui.printing.preview import PdfPreviewDialog

    ctx, _people = finished
    pdf = documents.sop_sheet_pdf(ctx)
    dialog = PdfPreviewDialog(pdf, "Lembar SOP", "Lembar SOP.pdf")
    qtbot.addWidget(dialog)
    assert dialog.page_count() == 2
    out = tmp_path / "cetak.pdf"
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    assert dialog.print_pages(printer, 2, 2) == 1
    assert len(PdfReader(str(out)).pages) == 1


def test_each_document_kind_can_be_produced(finished):
    from kinerja_desktop.services import submissions
    from kinerja_desktop.ui.printing.chooser import DocumentRequest, produce

    ctx, _people = finished
    cycle = cycles.find_cycle(ctx, 2025)
    sub = submissions.list_submissions(ctx, cycle.id)[0]
    for request in (DocumentRequest("dokumen_data_kinerja", cycle.id),
                    DocumentRequest("monitoring_sop", cycle.id),
                    DocumentRequest("berita_acara", cycle.id, team_id=sub.team_id),
                    DocumentRequest("tanda_terima", cycle.id, submission_id=sub.id),
                    DocumentRequest("lembar_sop")):
        pdf, title, file_name = produce(ctx, request)
        assert pdf.startswith(b"%PDF") and title and file_name.endswith(".pdf")


def test_archive_tab_reopens_a_compiled_document(qtbot, finished):
    ctx, people = finished
    window = _window(qtbot, ctx, people["sekretaris"])
    window.tabs.setCurrentWidget(window.archive_tab)
    docs = window.archive_tab.documents
    qtbot.waitUntil(lambda: bool(docs.model.records), timeout=5_000)  # demo compiled at step 7
    docs.table.selectRow(0)
    docs.open_button.click()
    qtbot.waitUntil(lambda: bool(_previews()), timeout=5_000)
    preview = _previews()[0]
    archived = documents.document_content(ctx, docs.model.records[0].id)
    assert preview.pdf == archived
    assert preview.page_count() == len(PdfReader(io.BytesIO(archived)).pages)
    _close_previews()


def _page_texts(pdf: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_step_7_previews_the_draft_confirms_closes_and_reopens_to_revisi_1(
        qtbot, tmp_path, when_modal):
    from datetime import date

    from kinerja_desktop.services import entries, formats, submissions, teams, verification
    from kinerja_desktop.ui.dialogs.close_cycle import CloseCycleDialog, ReopenCycleDialog
    from kinerja_desktop.ui.printing.preview import PdfPreviewDialog

    ctx, people = _demo(tmp_path / "data", 6)
    try:
        cycle = cycles.find_cycle(ctx, 2025)
        assert documents.list_documents(ctx, cycle.id) == []
        window = _window(qtbot, ctx, people["kasubag"])
        assert window.cycle_banner.isHidden()
        window.tabs.setCurrentWidget(window.kasubag_tab)
        window.kasubag_tab.show_section("Kompilasi (langkah 7)")
        bar = window.kasubag_tab.compile_section.step_bar
        qtbot.waitUntil(lambda: bar.finish_button.isVisibleTo(window), timeout=5_000)

        # Cancelling in the preview changes nothing.
        when_modal(PdfPreviewDialog, lambda d: d.reject())
        bar.finish_button.click()
        assert cycles.get_cycle(ctx, cycle.id).status == "berjalan"

        seen: dict = {}

        def in_preview(preview) -> None:
            seen["pages"] = _page_texts(preview.pdf)
            seen["proceed"] = preview.proceed_button.text()
            when_modal(CloseCycleDialog, in_confirmation)
            preview.proceed_button.click()

        def in_confirmation(dialog) -> None:
            seen["intro"] = dialog.intro.text()
            seen["buttons"] = [b.text() for b in dialog.buttons.buttons()]
            dialog.own_date.setChecked(True)
            dialog.date_edit.set_date(date(2026, 2, 20))
            dialog.accept()

        when_modal(PdfPreviewDialog, in_preview)
        bar.finish_button.click()
        qtbot.waitUntil(lambda: cycles.get_cycle(ctx, cycle.id).status == "selesai",
                        timeout=20_000)
        assert all("DRAF" in page for page in seen["pages"])
        assert seen["proceed"] == "Lanjutkan: tutup siklus…"
        assert "akan ditutup" in seen["intro"] and "Asli" in seen["intro"]
        assert sorted(seen["buttons"]) == ["Batal", "Ya, tutup siklus"]
        archived = documents.list_documents(ctx, cycle.id, "dokumen_data_kinerja")
        assert [d.version_label for d in archived] == ["Asli"]
        final = _page_texts(documents.document_content(ctx, archived[0].id))
        assert "Watansoppeng, 20 Februari 2026" in " ".join(final)
        assert not any("DRAF" in page for page in final)

        # Read-only: the notice, and no action left in the window.
        qtbot.waitUntil(lambda: window.cycle_banner.isVisible(), timeout=5_000)
        assert "Siklus ditutup" in window.cycle_banner.label.text()
        assert not bar.finish_button.isVisibleTo(window)
        assert not window.workflow_panel.finish_button.isVisibleTo(window)
        desk = window.kasubag_tab.verification_desk
        desk.refresh()
        desk.table.selectRow(0)
        assert not desk.return_button.isEnabled() and not desk.comment_button.isEnabled()
        assert "ditutup, Asli" in window.status_cycle.text()

        # Reopen with a reason (an empty one is refused in the dialog).
        def in_reopen(dialog) -> None:
            dialog.accept()  # no reason yet: refused, the dialog stays
            seen["error"] = dialog.error_label.text()
            qtbot.keyClicks(dialog.reason_edit, "Realisasi indikator pertama salah ketik.")
            dialog.accept()

        when_modal(ReopenCycleDialog, in_reopen)
        window.cycle_banner.reopen_button.click()
        assert "Alasan" in seen["error"]
        assert cycles.get_cycle(ctx, cycle.id).reopened
        assert "Dibuka kembali untuk perbaikan" in window.cycle_banner.label.text()
        assert "Revisi 1" in window.cycle_banner.label.text()

        # The correction: returned from the desk, fixed by the team, verified again.
        desk.refresh()
        first = formats.format_items(ctx, cycle.id)[0]
        desk.team_combo.setCurrentIndex(desk.team_combo.findData(first.team_id))
        desk.table.selectRow(desk.model.row_of(lambda v: v.item_id == first.id))
        assert desk.return_button.isEnabled()
        desk.return_current("Realisasi salah ketik; mohon diperbaiki.")
        team = next(t for t in teams.list_teams(ctx) if t.id == first.team_id)
        lead = next(m.person_id for m in team.members if m.is_lead)
        member = next(m.person_id for m in team.members if not m.is_lead)
        values = entries.get_item(ctx, first.id).values
        entries.save_entry(ctx, member, first.id, values)  # resaved as checked
        submissions.submit(ctx, lead, cycle.id, first.team_id)
        verification.verify_item(ctx, people["kasubag"], first.id)
        window.signals.data_changed.emit("data")
        qtbot.waitUntil(lambda: bar.finish_button.isVisibleTo(window), timeout=5_000)

        def accept_both(preview) -> None:
            when_modal(CloseCycleDialog, lambda d: d.accept())
            preview.proceed_button.click()

        when_modal(PdfPreviewDialog, accept_both)
        bar.finish_button.click()
        qtbot.waitUntil(lambda: cycles.get_cycle(ctx, cycle.id).status == "selesai",
                        timeout=20_000)
        versions = documents.record_versions(ctx, cycle.id)
        assert [v.label for v in versions] == ["Asli", "Revisi 1"]
        revised = _page_texts(documents.compiled_report_pdf(ctx, cycle.id))
        assert "REVISI 1" in revised[0]
        window.tabs.setCurrentWidget(window.archive_tab)
        docs = window.archive_tab.documents
        qtbot.waitUntil(lambda: len(docs.model.records) >= 2, timeout=5_000)
        compiled = [d for d in docs.model.records if d.kind == "dokumen_data_kinerja"]
        assert sorted(d.version_label for d in compiled) == ["Asli", "Revisi 1"]
        assert all(len(d.sha256) == 64 for d in compiled)
    finally:
        ctx.dispose()


def test_sop_screen_prints_the_selected_version(qtbot, finished):
    from kinerja_desktop.ui.screens.sop import SopSection
    from kinerja_desktop.ui.signals import UiSession

    ctx, people = finished
    section = SopSection(UiSession(ctx, people["admin"]))
    qtbot.addWidget(section)
    section.refresh()
    section.print_button.click()
    qtbot.waitUntil(lambda: bool(_previews()), timeout=5_000)
    preview = _previews()[0]
    assert preview.page_count() == 2
    text = " ".join(PdfReader(io.BytesIO(preview.pdf)).pages[1].extract_text().split())
    assert "MEKANISME PENGUMPULAN DATA KINERJA LAPORAN KINERJA" in text
    _close_previews()


def test_chooser_asks_the_monitoring_date_semester_assessor_and_paper(qtbot, finished):
    from datetime import date

    from kinerja_desktop.services import monitoring
    from kinerja_desktop.ui.printing.chooser import DocumentChooser, produce

    ctx, people = finished
    cycle = cycles.find_cycle(ctx, 2025)
    chooser = DocumentChooser(ctx, cycle.id, "Pratinjau…", actor_id=people["kasubag"])
    qtbot.addWidget(chooser)
    # proposed: the Sekretaris assesses (Ketua Tim Penyusun), not the Kasubag
    assert chooser.assessor_combo.currentData() == people["sekretaris"]
    chooser.select("monitoring_sop")
    chooser.monitoring_date.set_date(date(2026, 8, 3))
    assert chooser.semester_combo.currentData() == "II"  # follows the date
    chooser.paper_combo.setCurrentIndex(chooser.paper_combo.findData("F4"))
    request = chooser.request()
    assert (request.kind, request.monitoring_date, request.semester, request.paper,
            request.assessor_id) == ("monitoring_sop", date(2026, 8, 3), "II", "F4",
                                     people["sekretaris"])
    pdf, _title, _name = produce(ctx, request)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(935.43, abs=1)  # F4 landscape
    text = " ".join(page.extract_text().split())
    assert "Tanggal monitoring : 3 Agustus 2026" in text
    with ctx.read() as session:
        stored = monitoring.stored_choice(session, cycle.id)
    assert stored.monitoring_date == date(2026, 8, 3) and stored.semester == "II"
    # the next chooser offers what was chosen
    again = DocumentChooser(ctx, cycle.id, "Pratinjau…", actor_id=people["kasubag"])
    qtbot.addWidget(again)
    assert again.monitoring_date.value() == date(2026, 8, 3)


def test_numbering_section_shows_an_example_and_saves(qtbot, finished):
    from kinerja_desktop.services import numbering
    from kinerja_desktop.ui.screens.office import NumberingSection
    from kinerja_desktop.ui.signals import UiSession

    ctx, people = finished
    section = NumberingSection(UiSession(ctx, people["admin"]))
    qtbot.addWidget(section)
    edit = section.edits[numbering.RECEIPT]
    edit.clear()
    qtbot.keyClicks(edit, "TT/{tahun}")
    assert "harus memuat {urut}" in section.examples[numbering.RECEIPT].text()
    section.save()
    assert "harus memuat {urut}" in section.message.text()
    edit.clear()
    qtbot.keyClicks(edit, "{urut}/TT/{bulan romawi}/{tahun}")
    assert section.examples[numbering.RECEIPT].text() == "Contoh: 17/TT/II/2026"
    section.save()
    assert section.message.text() == "Pola nomor dokumen tersimpan."
    templates = {t.kind: t.template for t in numbering.number_templates(ctx)}
    assert templates[numbering.RECEIPT] == "{urut}/TT/{bulan romawi}/{tahun}"
