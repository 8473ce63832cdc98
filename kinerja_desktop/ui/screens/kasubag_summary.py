"""The Kasubag's summary of a cycle: per team items filled, submitted, returned,
verified, evidence coverage and time used against the SOP standard."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kinerja_desktop.ui.common import heading
from kinerja_desktop.ui.models.performance_data import SummaryTableModel
from kinerja_desktop.ui.signals import CHANGE_CYCLE, CHANGE_ENTRY, CHANGE_FORMAT
from kinerja_desktop.ui.widgets.performance_data import LazyRefresh, default_cycle_id
from kinerja_desktop.ui.widgets.tables import record_table


class KasubagSummaryWidget(LazyRefresh, QWidget):
    REFRESH_AREAS = (CHANGE_ENTRY, CHANGE_FORMAT, CHANGE_CYCLE)

    def __init__(self, ctx, user_id: int, signals, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.user_id, self.signals = ctx, user_id, signals
        self.cycle_id: int | None = default_cycle_id(ctx)
        layout = QVBoxLayout(self)
        self.title = heading("Ringkasan per tim")
        layout.addWidget(self.title)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        layout.addWidget(self.totals)
        self.model = SummaryTableModel(self)
        self.table = record_table(self.model, SummaryTableModel.COL_TEAM, single_selection=False)
        layout.addWidget(self.table, 1)
        signals.data_changed.connect(self._on_data_changed)
        self.refresh()

    def set_cycle(self, cycle_id: int | None) -> None:
        self.change_cycle(cycle_id)

    def refresh(self) -> None:
        from kinerja_desktop.services import cycles, summary

        if self.cycle_id is None:
            self.model.set_records([])
            self.totals.setText("Belum ada siklus pengumpulan data.")
            return
        result = summary.cycle_summary(self.ctx, self.cycle_id)
        self.model.set_records(result.teams)
        cycle = cycles.get_cycle(self.ctx, self.cycle_id)
        self.title.setText(f"Ringkasan per tim — {cycle.label}")
        if not result.teams:
            self.totals.setText("Format belum berisi indikator.")
            return
        returned = sum(t.returned for t in result.teams)
        text = (f"{result.verified} dari {result.items} indikator diverifikasi"
                f" · {returned} dikembalikan kepada tim")
        if result.all_verified:
            text += " · semua data tim telah diverifikasi (langkah 6 selesai)."
        self.totals.setText(text)
