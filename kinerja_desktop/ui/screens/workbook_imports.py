"""Kasubag ▸ Excel Tim (steps 3–4): export/import buttons and the imports of the viewed cycle."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.ui.dialogs.workbooks import export_formats, import_format, viewed_cycle


class WorkbookSection(QWidget):
    """Kasubag tab section: export/import buttons and the imports of the viewed cycle."""

    COLUMNS = ("Waktu", "Tim", "Berkas", "Diimpor oleh", "Butir berubah", "SHA-256")

    def __init__(self, window, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_ = window
        self.setObjectName("bagianExcelTim")
        intro = QLabel("Tim yang mengisi format di komputer lain menerima buku kerja Excel "
                       "terlindungi (langkah 3) dan mengembalikannya untuk diimpor (langkah 4). "
                       "Berkas diperiksa lebih dulu; tidak ada data yang berubah bila ada "
                       "kesalahan. Impor diterapkan oleh anggota tim yang bersangkutan.")
        intro.setWordWrap(True)
        self.closed_note = QLabel()
        self.closed_note.setObjectName("catatanSiklusDitutup")
        self.closed_note.setWordWrap(True)
        self.closed_note.hide()
        export_button = QPushButton("Ekspor format tim…")
        export_button.setObjectName("tombolEksporFormat")
        export_button.clicked.connect(lambda: export_formats(window))
        import_button = QPushButton("Periksa / impor berkas tim…")
        import_button.setObjectName("tombolImporFormat")
        import_button.clicked.connect(lambda: import_format(window))
        self.export_button, self.import_button = export_button, import_button
        buttons = QHBoxLayout()
        buttons.addWidget(export_button)
        buttons.addWidget(import_button)
        buttons.addStretch(1)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("tabelImpor")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty = QLabel("Belum ada berkas tim yang diimpor pada siklus ini.")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.closed_note)
        layout.addWidget(QLabel("Riwayat impor:"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)

    def set_cycle_closed(self, closed: bool) -> None:
        """A closed cycle's workbooks can no longer be exported for entry or imported:
        the buttons are greyed out and one line says why; the import history stays."""
        self.export_button.setEnabled(not closed)
        self.import_button.setEnabled(not closed)
        self.closed_note.setText("Siklus sudah ditutup (catatan resmi): riwayat impor hanya "
                                 "dapat dilihat." if closed else "")
        self.closed_note.setVisible(closed)

    def refresh(self) -> None:
        from kinerja_desktop.services import workbooks
        from kinerja_desktop.ui.common import fmt_dt

        cycle_id = viewed_cycle(self.window_)
        records = workbooks.list_imports(self.window_.ctx, cycle_id) if cycle_id else []
        self.table.setRowCount(len(records))
        for r, rec in enumerate(records):
            for c, text in enumerate((fmt_dt(rec.imported_at), rec.team_name, rec.file_name,
                                      rec.imported_by, str(rec.items_changed),
                                      rec.file_sha256[:16] + "…")):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.empty.setVisible(not records)
