"""The Arsip tab: every cycle (earlier and current) with its archived documents.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from kinerja_desktop.ui.models import records
from kinerja_desktop.ui.screens.documents import DocumentsList
from kinerja_desktop.ui.signals import UiSession
from kinerja_desktop.ui.widgets.role_tab import RoleTab
from kinerja_desktop.ui.widgets.tables import make_table, selected_record


class ArchiveTab(RoleTab):
    """Every cycle (earlier and current) with its archived documents."""

    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(session, "tabArsip", parent)
        self._selecting = False
        # Built when the tab is first shown: every main window has this tab, few users
        # open it at once (the window opens some 10 ms sooner).
        self.add_section("Siklus dan dokumen", self._build_page)

    def _build_page(self) -> QWidget:
        page = QWidget()
        self.cycles_model = records.cycles_model(page)
        self.cycles_table = make_table(self.cycles_model, "arsip.siklus")
        self.documents = DocumentsList(self.session, "arsip.dokumen")
        self.show_button = QPushButton("Tampilkan di panel alur kerja")
        self.show_button.clicked.connect(self.show_in_panel)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Siklus:"))
        left_layout.addWidget(self.cycles_table, 1)
        left_layout.addWidget(self.show_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("Dokumen siklus terpilih:"))
        right_layout.addWidget(self.documents, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("arsip.pemisah")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        from kinerja_desktop import settings

        settings.remember_splitter(self.splitter, "arsip")
        page.refresh = self.refresh  # type: ignore[attr-defined]
        self.cycles_table.selectionModel().currentChanged.connect(
            lambda *_: None if self._selecting else self._show_documents())
        return page

    def refresh(self) -> None:
        from kinerja_desktop.services import cycles

        self.section("Siklus dan dokumen")  # built if not yet
        selected = selected_record(self.cycles_table)
        self.cycles_model.set_records(cycles.list_cycles(self.session.ctx))
        wanted = selected.id if selected else self.session.cycle_id
        self._selecting = True  # one documents query, after the row is selected
        try:
            for row, c in enumerate(self.cycles_model.records):
                if c.id == wanted:
                    self.cycles_table.selectRow(row)
        finally:
            self._selecting = False
        self._show_documents()

    def _show_documents(self) -> None:
        cycle = selected_record(self.cycles_table)
        self.documents.show_cycle(cycle.id if cycle else None)
        self.show_button.setEnabled(cycle is not None)

    def show_in_panel(self) -> None:
        cycle = selected_record(self.cycles_table)
        if cycle is not None:
            self.session.select_cycle(cycle.id)
