"""Printing from the window: Berkas ▸ Cetak… (Ctrl+P) and Berkas ▸ Ekspor PDF… (installed
by ``menu_actions``), the SOP sheet preview, reopening an archived document (Arsip tab),
and step 7's "Selesaikan kompilasi" (draft preview, confirmation, closing) and
"Buka kembali untuk perbaikan".
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from kinerja_desktop.domain.errors import KinerjaError
from kinerja_desktop.ui.common import show_error
from kinerja_desktop.ui.dialogs.files import save_file
from kinerja_desktop.ui.printing.background import run_in_background
from kinerja_desktop.ui.printing.chooser import DocumentChooser, DocumentRequest, produce
from kinerja_desktop.ui.printing.preview import PDF_FILTER, PdfPreviewDialog, save_pdf_file
from kinerja_desktop.ui.signals import CHANGE_CYCLE


def preview_request(parent: QWidget | None, ctx, request: DocumentRequest
                    ) -> PdfPreviewDialog | None:
    """Produce the document in the background, then open the preview (returned, shown)."""
    ok, result = run_in_background(parent, "Menyusun dokumen…", lambda: produce(ctx, request))
    if not ok:
        return None
    pdf, title, file_name = result
    try:
        dialog = PdfPreviewDialog(pdf, title, file_name, parent)
    except KinerjaError as exc:
        show_error(parent, exc)
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def print_dialog(window) -> PdfPreviewDialog | None:
    """Berkas ▸ Cetak…: choose, produce, preview."""
    chooser = DocumentChooser(window.ctx, window.session.cycle_id, "Pratinjau…", window,
                              actor_id=window.session.user_id)
    if chooser.exec() != QDialog.DialogCode.Accepted:
        return None
    return preview_request(window, window.ctx, chooser.request())


def export_pdf(window) -> Path | None:
    """Berkas ▸ Ekspor PDF…: choose, produce, save."""
    chooser = DocumentChooser(window.ctx, window.session.cycle_id, "Ekspor…", window,
                              actor_id=window.session.user_id)
    if chooser.exec() != QDialog.DialogCode.Accepted:
        return None
    request = chooser.request()
    ok, result = run_in_background(window, "Menyusun dokumen…",
                                   lambda: produce(window.ctx, request))
    if not ok:
        return None
    pdf, _title, file_name = result
    path = save_file(window, "Ekspor PDF", file_name, PDF_FILTER, purpose="pdf")
    if path is None:
        return None
    return path if save_pdf_file(window, path, pdf) else None


def preview_sop_sheet(parent: QWidget | None, ctx, sop_id: int | None
                      ) -> PdfPreviewDialog | None:
    """Data ▸ SOP: preview (and print) the SOP sheet of one SOP version."""
    return preview_request(parent, ctx, DocumentRequest("lembar_sop", sop_id=sop_id))


def open_document_preview(parent: QWidget | None, ctx, document_id: int
                          ) -> PdfPreviewDialog | None:
    """Reopen an archived document (checked against its SHA-256) for viewing or reprinting."""
    from kinerja_desktop.services import documents

    try:
        content = documents.document_content(ctx, document_id)
        info = next((d for d in documents.list_documents(ctx) if d.id == document_id), None)
        title = info.title if info else "Dokumen"
        dialog = PdfPreviewDialog(content, title, info.file_name if info else "dokumen.pdf",
                                  parent)
    except KinerjaError as exc:
        show_error(parent, exc)
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def finish_compilation(parent: QWidget | None, session) -> bool:
    """Step 7, "Selesaikan kompilasi": the draft in the print preview first, then the
    confirmation that the cycle will be closed (optionally with a signing date), then
    the final document compiled, archived and the cycle closed in one service call.

    Returns True when the cycle was closed.
    """
    from kinerja_desktop.domain.timing import WITA
    from kinerja_desktop.services import cycles, documents
    from kinerja_desktop.ui.dialogs.close_cycle import CloseCycleDialog

    ctx, user_id, cycle_id = session.ctx, session.user_id, session.cycle_id
    if cycle_id is None:
        return False
    cycle = cycles.get_cycle(ctx, cycle_id)
    ok, pdf = run_in_background(parent, "Menyusun draf Dokumen Data Kinerja…",
                                lambda: documents.compiled_report_pdf(ctx, cycle_id))
    if not ok:
        return False
    title = f"Draf Dokumen Data Kinerja {cycle.label}"
    try:
        preview = PdfPreviewDialog(pdf, title, f"{title}.pdf", parent,
                                   proceed_text="Lanjutkan: tutup siklus…")
    except KinerjaError as exc:
        show_error(parent, exc)
        return False
    accepted = preview.exec() == QDialog.DialogCode.Accepted
    preview.deleteLater()
    if not accepted:
        return False
    version = f"Revisi {cycle.closings}" if cycle.closings else "Asli"
    confirm = CloseCycleDialog(cycle.label, version, ctx.now().astimezone(WITA).date(), parent)
    accepted = confirm.exec() == QDialog.DialogCode.Accepted
    signing_date = confirm.result_value
    confirm.deleteLater()
    if not accepted:
        return False
    ok, _info = run_in_background(
        parent, "Mengompilasi dan mengarsipkan Dokumen Data Kinerja…",
        lambda: documents.compile_and_close(ctx, user_id, cycle_id, signing_date))
    if ok:
        session.changed(CHANGE_CYCLE)
    return ok


def reopen_cycle(parent: QWidget | None, session) -> bool:
    """"Buka kembali untuk perbaikan…" (Administrator or Kasubag): asks the reason."""
    from kinerja_desktop.services import cycles
    from kinerja_desktop.ui.dialogs.close_cycle import ReopenCycleDialog

    if session.cycle_id is None:
        return False
    cycle = cycles.get_cycle(session.ctx, session.cycle_id)
    dialog = ReopenCycleDialog(session.ctx, session.user_id, cycle.id, cycle.label, parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    if accepted:
        session.changed(CHANGE_CYCLE)
    return accepted
