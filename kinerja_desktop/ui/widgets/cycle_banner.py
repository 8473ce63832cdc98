"""The notice above the role tabs while the viewed cycle is closed ("Siklus ditutup": read
only, with "Buka kembali untuk perbaikan…" for the Administrator and the Kasubag) or
reopened for correction (why, by whom, and what compiling again will make)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from kinerja_desktop.ui.common import fmt_dt
from kinerja_desktop.ui.signals import UiSession

CLOSED_STYLE = ("#cycleBanner { background: #E4ECF7; border: 1px solid #7F9CC4; "
                "border-radius: 3px; } QLabel { color: #102A4C; }")
REOPENED_STYLE = ("#cycleBanner { background: #FFF4D6; border: 1px solid #C9A227; "
                  "border-radius: 3px; } QLabel { color: #4A3A00; }")


class CycleStateBanner(QFrame):
    """Shown only for a closed or reopened cycle; refreshed after every change."""

    def __init__(self, session: UiSession, may_reopen: bool, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.may_reopen = may_reopen
        self.setObjectName("cycleBanner")
        self.label = QLabel()
        self.label.setObjectName("cycleBannerText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.reopen_button = QPushButton("Buka kembali untuk perbaikan…")
        self.reopen_button.setObjectName("bukaKembaliTombol")
        self.reopen_button.clicked.connect(self.reopen)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.reopen_button)
        session.signals.data_changed.connect(lambda _area: self.refresh())
        session.cycle_selected.connect(lambda _cid: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        from kinerja_desktop.services import cycles, documents

        cycle_id = self.session.cycle_id
        cycle = cycles.get_cycle(self.session.ctx, cycle_id) if cycle_id is not None else None
        if cycle is None or not (cycle.closed or cycle.reopened):
            self.hide()
            return
        versions = documents.record_versions(self.session.ctx, cycle.id)
        latest = versions[-1] if versions else None
        if cycle.closed:
            parts = [f"<b>Siklus ditutup.</b> Siklus {escape(cycle.label)} ditutup"]
            if latest is not None:
                parts.append(f" pada {fmt_dt(latest.closed_at)} ({escape(latest.label)})")
            # One line on a 1280-pixel screen; the archive's details in the tooltip.
            parts.append("; datanya hanya dapat dibaca.")
            tip = "Setiap cetak Dokumen Data Kinerja siklus ini adalah dokumen arsip"
            if latest is not None and latest.sha256:
                tip += f" (SHA-256 {latest.sha256})"
            self.label.setToolTip(tip + ".")
            self.setStyleSheet(CLOSED_STYLE)
            self.reopen_button.setVisible(self.may_reopen)
        else:
            parts = [f"<b>Dibuka kembali untuk perbaikan.</b> Siklus {escape(cycle.label)}"]
            if latest is not None and latest.reopened_at is not None:
                parts.append(f" dibuka kembali pada {fmt_dt(latest.reopened_at)} oleh "
                             f"{escape(latest.reopened_by)} (alasan: "
                             f"“{escape(latest.reopen_reason)}”)")
            parts.append(f". Setelah perbaikan diverifikasi, Selesaikan kompilasi (langkah 7) "
                         f"menghasilkan <b>Revisi {cycle.closings}</b>.")
            self.setStyleSheet(REOPENED_STYLE)
            self.reopen_button.hide()
            self.label.setToolTip("")
        self.label.setText("".join(parts))
        self.show()

    def reopen(self) -> None:
        from kinerja_desktop.ui.printing.actions import reopen_cycle

        reopen_cycle(self, self.session)
