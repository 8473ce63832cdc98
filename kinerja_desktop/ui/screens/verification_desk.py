"""Verification desk (step 6, Kasubag): per item Diverifikasi, or Dikembalikan with a
required reason; the item's history, what changed since the previous version, and the
60-hari clock of the team.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.domain.numbers import format_money, format_number
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.ui.common import fmt_dt, heading, run_action, show_error, status_colour
from kinerja_desktop.ui.dialogs.text import TextDialog
from kinerja_desktop.ui.models.performance_data import VerificationTableModel, num, target_text
from kinerja_desktop.ui.screens.team_entry import RETURNED_STYLE, open_evidence, save_bytes_dialog
from kinerja_desktop.ui.signals import (
    CHANGE_CYCLE,
    CHANGE_ENTRY,
    CHANGE_FORMAT,
    CHANGE_OFFICE,
    CHANGE_TEAMS,
)
from kinerja_desktop.ui.widgets.performance_data import LazyRefresh, default_cycle_id
from kinerja_desktop.ui.widgets.tables import record_table

MIN_REASON = 5


class VerificationDeskWidget(LazyRefresh, QWidget):
    """The Kasubag checks each submitted item of each team."""

    REFRESH_AREAS = (CHANGE_ENTRY, CHANGE_FORMAT, CHANGE_OFFICE, CHANGE_CYCLE, CHANGE_TEAMS)

    def __init__(self, ctx, user_id: int, signals, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.user_id, self.signals = ctx, user_id, signals
        self.cycle_id: int | None = default_cycle_id(ctx)
        self.team_id: int | None = None
        self.current = None
        self.changes: dict[str, list] = {}
        self.cycle_state = None  # CycleInfo of the shown cycle (closed, reopened)
        self._loading = False
        self._build()
        signals.data_changed.connect(self._on_data_changed)
        self.refresh()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Tim:"))
        self.team_combo = QComboBox()
        self.team_combo.setMinimumWidth(260)
        self.team_combo.currentIndexChanged.connect(self._team_chosen)
        top.addWidget(self.team_combo)
        self.clock_label = QLabel()
        self.clock_label.setWordWrap(True)
        top.addWidget(self.clock_label, 1)
        self.record_button: QPushButton | None = None
        from kinerja_desktop.services import documents

        if hasattr(documents, "verification_record_pdf"):
            self.record_button = QPushButton("Berita acara verifikasi (PDF)…")
            self.record_button.clicked.connect(self.save_record)
            top.addWidget(self.record_button)
        outer.addLayout(top)
        self.progress_label = QLabel()
        outer.addWidget(self.progress_label)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = VerificationTableModel(self)
        self.table = record_table(self.model, VerificationTableModel.COL_NAME)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(VerificationTableModel.COL_NOTE,
                                    QHeaderView.ResizeMode.Interactive)
        header.resizeSection(VerificationTableModel.COL_NOTE, 160)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        splitter.addWidget(self.table)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.title = heading("Pilih indikator pada tabel")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        layout.addWidget(self.state_label)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.details)
        self.changes_label = QLabel()
        self.changes_label.setWordWrap(True)
        self.changes_label.setStyleSheet("background: #fff8e1; padding: 4px;")
        layout.addWidget(self.changes_label)

        buttons = QHBoxLayout()
        self.verify_button = QPushButton("Diverifikasi")
        self.verify_button.clicked.connect(self.verify_current)
        self.return_button = QPushButton("Dikembalikan…")
        self.return_button.clicked.connect(self._ask_return)
        self.comment_button = QPushButton("Tambah catatan…")
        self.comment_button.clicked.connect(self._add_comment)
        for button in (self.verify_button, self.return_button, self.comment_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        evidence_box = QGroupBox("Bukti dukung")
        ev_layout = QVBoxLayout(evidence_box)
        self.evidence_list = QListWidget()
        self.evidence_list.setMaximumHeight(90)
        ev_layout.addWidget(self.evidence_list)
        self.open_button = QPushButton("Buka")
        self.open_button.clicked.connect(self._open_evidence)
        ev_layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(evidence_box)
        history_box = QGroupBox("Riwayat")
        hist_layout = QVBoxLayout(history_box)
        self.history_list = QListWidget()
        self.history_list.setWordWrap(True)
        hist_layout.addWidget(self.history_list)
        layout.addWidget(history_box, 1)
        scroll.setWidget(body)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([720, 520])
        outer.addWidget(splitter, 1)

    # ------------------------------------------------------------------ data

    def set_cycle(self, cycle_id: int | None) -> None:
        self.cycle_id = cycle_id
        self.refresh()

    def refresh(self) -> None:
        from kinerja_desktop.services import cycles, teams

        if self.refresh_blocked():
            return
        team_rows = []
        # A closed cycle is read-only; a reopened one lets verified items go back.
        self.cycle_state = cycles.get_cycle(self.ctx, self.cycle_id) \
            if self.cycle_id is not None else None
        if self.cycle_id is not None:
            from kinerja_desktop.services import formats

            # Team names as the cycle's record has them.
            in_cycle = {i.team_id: i.team_name
                        for i in formats.format_items(self.ctx, self.cycle_id)}
            team_rows = [replace(t, name=in_cycle[t.id] or t.name)
                         for t in teams.list_teams(self.ctx) if t.id in in_cycle]
        self._loading = True
        previous = self.team_id
        self.team_combo.clear()
        for team in team_rows:
            self.team_combo.addItem(team.name, team.id)
        index = self.team_combo.findData(previous) if previous is not None else -1
        self.team_combo.setCurrentIndex(index if index >= 0 else (0 if team_rows else -1))
        self._loading = False
        self.team_id = self.team_combo.currentData()
        self._load_items()

    def _team_chosen(self) -> None:
        if self._loading:
            return
        self.team_id = self.team_combo.currentData()
        self._load_items()

    def _load_items(self) -> None:
        from kinerja_desktop.services import entries, submissions

        selected = self.current.item_id if self.current else None
        self.changes = {}
        if self.cycle_id is None or self.team_id is None:
            self.model.set_records([])
            self.clock_label.setText("Belum ada data untuk diverifikasi.")
        else:
            self.model.set_records(entries.list_team_items(self.ctx, self.cycle_id, self.team_id))
            latest = submissions.latest_for_team(self.ctx, self.cycle_id, self.team_id)
            if latest is not None:
                for change in latest.changes:
                    self.changes.setdefault(change.indicator, []).append(change)
            self._update_clock(latest)
        row = self.model.row_of(lambda v: v.item_id == selected) if selected else None
        if row is None and self.model.rowCount():
            row = self.model.row_of(lambda v: v.state is ItemState.SUBMITTED) or 0
        self.current = None
        if row is not None:
            self.table.selectRow(row)
        self._show_item(self.model.record(row) if row is not None else None)

    def _update_clock(self, latest) -> None:
        from kinerja_desktop.services import summary

        team = next((t for t in summary.cycle_summary(self.ctx, self.cycle_id).teams
                     if t.team_id == self.team_id), None)
        if team is None:
            return
        step = team.time(6)
        text = f"Verifikasi (mutu baku {step.standard}): "
        if step.used == "-":
            text += step.status.label.lower()
        else:
            text += f"{step.used} terpakai · {step.status.label}"
            if step.deadline:
                text += f" · batas {fmt_dt(step.deadline)}"
        if latest is not None:
            text += (f"\nDiserahkan versi {latest.version} oleh {latest.submitted_by}, "
                     f"{fmt_dt(latest.submitted_at)}")
        self.clock_label.setText(text)
        self.clock_label.setStyleSheet(f"background: {status_colour(step.status)}; "
                                       "color: #000; padding: 4px; border-radius: 3px;")
        self.progress_label.setText(
            f"{team.verified}/{team.items} diverifikasi · {team.submitted} menunggu "
            f"verifikasi · {team.returned} dikembalikan")

    def _row_changed(self, current, _previous) -> None:
        if self._loading or not current.isValid():
            return
        self._show_item(self.model.record(current.row()))

    def _show_item(self, view) -> None:
        self.current = view
        state = self.cycle_state
        closed = state is not None and state.closed
        reviewable = view is not None and view.state is ItemState.SUBMITTED
        correctable = (view is not None and view.state is ItemState.VERIFIED
                       and state is not None and state.reopened)
        self.verify_button.setEnabled(reviewable)
        self.return_button.setEnabled(reviewable or correctable)
        self.comment_button.setEnabled(view is not None and not closed)
        self.evidence_list.clear()
        self.history_list.clear()
        if view is None:
            self.title.setText("Pilih indikator pada tabel")
            for label in (self.state_label, self.details, self.changes_label):
                label.clear()
            self.changes_label.hide()
            self.open_button.setEnabled(False)
            return
        self.title.setText(view.indicator_name)
        state_text = f"Status: {view.state.label}"
        if view.state is ItemState.RETURNED:
            state_text += f" — alasan: {view.last_return_reason}"
            self.state_label.setStyleSheet(RETURNED_STYLE)
        else:
            self.state_label.setStyleSheet("")
        self.state_label.setText(state_text)
        self.details.setText(_details_html(view))
        changes = self.changes.get(view.indicator_name, [])
        if changes:
            self.changes_label.setText("Berubah sejak versi sebelumnya: " + "; ".join(
                f"{c.field} ({_show(c.before)} → {_show(c.after)})" for c in changes))
            self.changes_label.show()
        else:
            self.changes_label.hide()
        for ev in view.evidence:
            size = format_number(Decimal(ev.size) / 1024, 1)
            item = QListWidgetItem(f"{ev.original_name} ({size} KB)")
            item.setData(Qt.ItemDataRole.UserRole, ev)
            item.setToolTip(f"SHA-256: {ev.sha256}")
            self.evidence_list.addItem(item)
        if not view.evidence:
            self.evidence_list.addItem("Tidak ada bukti dukung.")
        self.open_button.setEnabled(bool(view.evidence))
        for h in view.history:
            self.history_list.addItem(f"{fmt_dt(h.at)} · {h.person} · {h.action_label}"
                                      + (f": {h.comment}" if h.comment else ""))

    # ------------------------------------------------------------------ actions

    def _after_change(self, updated) -> None:
        self.announce(CHANGE_ENTRY)
        self.current = updated
        next_row = self.model.row_of(lambda v: v.state is ItemState.SUBMITTED
                                     and v.item_id != updated.item_id)
        self._load_items()
        if next_row is not None and updated.state is ItemState.VERIFIED:
            self.table.selectRow(next_row)

    def verify_current(self) -> bool:
        from kinerja_desktop.services import verification

        if self.current is None:
            return False
        item_id = self.current.item_id
        ok, updated = run_action(self, lambda: verification.verify_item(
            self.ctx, self.user_id, item_id))
        if ok:
            self._after_change(updated)
        return ok

    def return_current(self, reason: str) -> bool:
        """Return the shown item to its team with ``reason`` (refused when too short)."""
        from kinerja_desktop.services import verification

        if self.current is None:
            return False
        item_id = self.current.item_id
        ok, updated = run_action(self, lambda: verification.return_item(
            self.ctx, self.user_id, item_id, reason))
        if ok:
            self._after_change(updated)
        return ok

    def _ask_return(self) -> None:
        from kinerja_desktop.services import verification

        if self.current is None:
            return
        item_id = self.current.item_id
        dialog = TextDialog(
            "Kembalikan kepada tim",
            f"Alasan pengembalian '{self.current.indicator_name}' (wajib, akan dibaca tim):",
            lambda text: verification.return_item(self.ctx, self.user_id, item_id, text),
            ok_text="Kembalikan", parent=self, minimum=MIN_REASON)
        if dialog.exec():
            self._after_change(dialog.result_value)

    def _add_comment(self) -> None:
        from kinerja_desktop.services import verification

        if self.current is None:
            return
        item_id = self.current.item_id
        dialog = TextDialog("Tambah catatan", "Catatan klarifikasi, masuk ke riwayat indikator:",
                            lambda text: verification.add_comment(
                                self.ctx, self.user_id, item_id, text), parent=self)
        if dialog.exec():
            self._after_change(dialog.result_value)

    def _open_evidence(self) -> None:
        item = self.evidence_list.currentItem()
        evidence = item.data(Qt.ItemDataRole.UserRole) if item else None
        if evidence is None:
            show_error(self, ValidationError("Pilih berkas bukti dukung dahulu."))
            return
        run_action(self, lambda: open_evidence(self.ctx, evidence))

    def save_record(self) -> None:
        from kinerja_desktop.services import documents

        if self.cycle_id is None:
            return
        team_id = self.team_id
        name = self.team_combo.currentText() or "semua tim"
        save_bytes_dialog(self, "Simpan berita acara verifikasi",
                          f"Berita acara verifikasi {name}.pdf",
                          lambda: documents.verification_record_pdf(self.ctx, self.cycle_id,
                                                                    team_id))


def _show(value) -> str:
    if value is None or value == "" or value == []:
        return "kosong"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float | int):
        return format_number(value)
    return str(value)


def _details_html(view) -> str:
    from html import escape

    values = view.values
    unit = escape(view.unit or "")
    actual = escape(values.actual_text or "–") if view.qualitative else num(values.actual)
    rows = [
        ("Sasaran", escape(view.objective_name)),
        ("Target", f"{escape(target_text(view))} {unit}"),
        ("Realisasi", f"{actual} {unit}"),
        ("Capaian", escape(view.achievement.status_label())
         + (f" · Predikat {escape(view.predikat)}" if view.predikat else "")),
        ("Rumus", escape(view.achievement.formula_label())),
    ]
    if values.budget is not None or values.spent is not None:
        rows.append(("Anggaran", "Pagu " + (format_money(values.budget) if values.budget
                                            is not None else "–")
                     + " · Realisasi " + (format_money(values.spent) if values.spent
                                          is not None else "–")
                     + " · Serapan " + escape(view.absorption.status_label()
                                              if view.absorption else "–")))
    for label, text in (("Penjelasan", values.explanation),
                        ("Faktor pendukung", values.supporting),
                        ("Faktor penghambat", values.inhibiting),
                        ("Upaya / tindak lanjut", values.follow_up)):
        if text:
            rows.append((label, escape(text)))
    body = "".join(f"<tr><td style='padding-right:8px'><b>{k}</b></td><td>{v}</td></tr>"
                   for k, v in rows)
    return f"<table>{body}</table>"
