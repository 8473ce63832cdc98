"""Printing from the window: Berkas ▸ Cetak… (Ctrl+P) and Berkas ▸ Ekspor PDF… (installed
by ``menu_actions``), the SOP sheet preview, reopening an archived document (Arsip tab),
and compiling the Dokumen Data Kinerja before step 7 is finished.
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
from kinerja_desktop.ui.signals import CHANGE_DOCUMENTS


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


def compile_for_step(parent: QWidget | None, session) -> bool:
    """Before step 7 is finished: compile and archive the Dokumen Data Kinerja.

    Returns True when the document is in the archive (the step may then finish).
    """
    from kinerja_desktop.services import documents

    ctx, user_id, cycle_id = session.ctx, session.user_id, session.cycle_id
    ok, _info = run_in_background(
        parent, "Mengompilasi Dokumen Data Kinerja…",
        lambda: documents.compile_and_archive(ctx, user_id, cycle_id))
    if ok:
        session.changed(CHANGE_DOCUMENTS)
    return ok
