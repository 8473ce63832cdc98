"""Documents of a cycle from the archive: open, print, save a copy (Kasubag, Arsip)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kinerja_desktop.ui.common import run_action
from kinerja_desktop.ui.models import records
from kinerja_desktop.ui.signals import UiSession
from kinerja_desktop.ui.widgets.tables import fit_columns_once, make_table, selected_record


class DocumentsList(QWidget):
    """Documents of a cycle from the archive, with Simpan salinan…"""

    def __init__(self, session: UiSession, name: str, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = records.documents_model(self)
        self.table = make_table(self.model, name, stretch=1)
        self.save_button = QPushButton("Simpan salinan…")
        self.save_button.clicked.connect(self.save_copy)
        self.open_button = QPushButton("Buka / Cetak…")  # issue 6: reopen and reprint
        self.open_button.clicked.connect(self.open_selected)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.open_button)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

    def show_cycle(self, cycle_id: int | None) -> None:
        from kinerja_desktop.services import documents

        self.model.set_records(documents.list_documents(self.session.ctx, cycle_id)
                               if cycle_id is not None else [])
        fit_columns_once(self.table)
        self.save_button.setEnabled(bool(self.model.records))
        self.open_button.setEnabled(bool(self.model.records))

    def open_selected(self) -> None:
        from kinerja_desktop.ui.printing.actions import open_document_preview

        doc = selected_record(self.table)
        if doc is not None:
            open_document_preview(self, self.session.ctx, doc.id)

    def save_copy(self) -> None:
        from kinerja_desktop.atomic import write_chosen_file
        from kinerja_desktop.services import documents
        from kinerja_desktop.ui.dialogs.files import save_file

        doc = selected_record(self.table)
        if doc is None:
            return
        path = save_file(self, "Simpan salinan dokumen", doc.file_name, purpose="pdf")
        if path is None:
            return
        ok, content = run_action(self, lambda: documents.document_content(self.session.ctx,
                                                                          doc.id))
        if ok:
            run_action(self, lambda: write_chosen_file(path, content))
