"""SOP versions with the editor and print buttons (Pengaturan ▸ SOP, Data ▸ SOP)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.ui.common import fmt_date
from kinerja_desktop.ui.dialogs.sop_editor import SopEditorDialog
from kinerja_desktop.ui.signals import CHANGE_SOP, UiSession


class SopSection(QWidget):
    """SOP versions and the editor button (Pengaturan ▸ SOP, Data ▸ SOP)."""

    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.versions = QListWidget()
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.edit_button = QPushButton("Ubah SOP…")
        self.edit_button.clicked.connect(self.edit)
        self.print_button = QPushButton("Cetak lembar SOP…")  # issue 6
        self.print_button.clicked.connect(self.print_sheet)
        splitter = QSplitter()
        splitter.addWidget(self.versions)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 3)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.print_button)
        row.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(row)
        self.versions.currentRowChanged.connect(self._show)

    def refresh(self) -> None:
        from kinerja_desktop.services import sops

        self._versions = sops.list_versions(self.session.ctx)
        self.versions.clear()
        for v in self._versions:
            self.versions.addItem(f"Versi {v.version}" + (" (berlaku)" if v.is_current else ""))
        if self._versions:
            self.versions.setCurrentRow(0)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self._versions):
            self.detail.clear()
            return
        d = self._versions[row].definition
        steps = "".join(
            f"<tr><td>{s.number}</td><td>{s.activity}</td><td>{s.executor.label}</td>"
            f"<td>{'; '.join(s.requirements)}</td><td>{s.time.label()}</td><td>{s.output}</td>"
            "</tr>" for s in d.steps)
        self.detail.setText(
            f"<b>{d.name}</b><br>Nomor {d.number}; disahkan oleh {d.approved_by or '–'}; "
            f"efektif {fmt_date(d.effective_on)}<br><br>"
            "<table border='1' cellspacing='0' cellpadding='3'><tr><th>No</th><th>Kegiatan</th>"
            "<th>Pelaksana</th><th>Kelengkapan</th><th>Waktu</th><th>Output</th></tr>"
            f"{steps}</table>")

    def print_sheet(self) -> None:
        from kinerja_desktop.ui.printing.actions import preview_sop_sheet

        row = self.versions.currentRow()
        versions = getattr(self, "_versions", [])
        sop_id = versions[row].id if 0 <= row < len(versions) else None
        preview_sop_sheet(self, self.session.ctx, sop_id)

    def edit(self) -> None:
        dialog = SopEditorDialog(self.session, self)
        if dialog.exec():
            self.session.changed(CHANGE_SOP)
