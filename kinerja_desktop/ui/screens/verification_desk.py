"""Verification desk (step 6, Kasubag): per item Diverifikasi, or Dikembalikan with a
required reason; the item's history, what changed since the previous version, and the
60-hari clock of the team.
"""

from __future__ import annotations

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
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.errors import KinerjaError, ValidationError
from kinerja_desktop.domain.numbers import format_money, format_number
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.ui.common import (
    ask_yes_no,
    fmt_dt,
    heading,
    run_action,
    show_error,
    status_colour,
)
from kinerja_desktop.ui.dialogs.text import TextDialog
from kinerja_desktop.ui.models.performance_data import VerificationTableModel, num, target_text
from kinerja_desktop.ui.screens.entry_form import RETURNED_STYLE
from kinerja_desktop.ui.screens.team_entry import open_evidence, save_bytes_dialog
from kinerja_desktop.ui.signals import (
    CHANGE_CYCLE,
    CHANGE_ENTRY,
    CHANGE_FORMAT,
    CHANGE_OFFICE,
    CHANGE_TEAMS,
)
from kinerja_desktop.ui.widgets.changed_notice import WARNING, FormNotice
from kinerja_desktop.ui.widgets.performance_data import LazyRefresh, default_cycle_id
from kinerja_desktop.ui.widgets.plausibility import WARNING_STYLE
from kinerja_desktop.ui.widgets.tables import record_table

MIN_REASON = 5

#: The desk's filters: (label, which items).
FILTERS = (
    ("Menunggu verifikasi", lambda v: v.state is ItemState.SUBMITTED),
    ("Dikembalikan", lambda v: v.state is ItemState.RETURNED),
    ("Berperingatan", lambda v: bool(v.warnings)),
    ("Semua", lambda v: True),
)
FILTER_WAITING, FILTER_RETURNED, FILTER_WARNED, FILTER_ALL = range(len(FILTERS))


class VerificationDeskWidget(LazyRefresh, QWidget):
    """The Kasubag checks each submitted item of each team."""

    REFRESH_AREAS = (CHANGE_ENTRY, CHANGE_FORMAT, CHANGE_OFFICE, CHANGE_CYCLE, CHANGE_TEAMS)

    def __init__(self, ctx, user_id: int, signals, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.user_id, self.signals = ctx, user_id, signals
        self.cycle_id: int | None = default_cycle_id(ctx)
        self.team_id: int | None = None
        self.current = None
        self.all_items: list = []  # every item of the team; the table shows the filter's
        self._latest = None  # the team's latest submission (SubmissionInfo)
        self.changes: dict[str, list] = {}
        self.cycle_state = None  # CycleInfo of the shown cycle (closed, reopened)
        self._loading = False
        self._build()
        self._build_changed_elsewhere()
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
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Tampilkan:"))
        self.filter_combo = QComboBox()
        for label, _rule in FILTERS:
            self.filter_combo.addItem(label)
        self.filter_combo.currentIndexChanged.connect(lambda _i: self._apply_filter())
        filters.addWidget(self.filter_combo)
        self.progress_label = QLabel()
        filters.addWidget(self.progress_label, 1)
        self.verify_selected_button = QPushButton("Verifikasi terpilih")
        self.verify_selected_button.setToolTip(
            "Verifikasi semua indikator yang dipilih pada tabel sekaligus (Ctrl/Shift + klik "
            "untuk memilih beberapa); setiap indikator tetap tercatat sendiri.")
        self.verify_selected_button.clicked.connect(self.verify_selected)
        filters.addWidget(self.verify_selected_button)
        outer.addLayout(filters)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = VerificationTableModel(self)
        self.table = record_table(self.model, VerificationTableModel.COL_NAME,
                                  single_selection=False)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(VerificationTableModel.COL_NOTE,
                                    QHeaderView.ResizeMode.Interactive)
        header.resizeSection(VerificationTableModel.COL_NOTE, 160)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_selection_button())
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
        # The warnings and the team's note come first: they are what to look at.
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("peringatanVerifikasi")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setTextFormat(Qt.TextFormat.RichText)
        self.warnings_label.setStyleSheet(WARNING_STYLE)
        self.warnings_label.hide()
        layout.addWidget(self.warnings_label)
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
        self.change_cycle(cycle_id)

    def refresh(self) -> None:
        from kinerja_desktop.services import cycles

        if self.refresh_blocked():
            return
        team_rows = []
        # A closed cycle is read-only; a reopened one lets verified items go back.
        self.cycle_state = cycles.get_cycle(self.ctx, self.cycle_id) \
            if self.cycle_id is not None else None
        if self.cycle_id is not None:
            team_rows = cycles.list_cycle_teams(self.ctx, self.cycle_id)
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
            self.all_items = []
            self.clock_label.setText("Belum ada data untuk diverifikasi.")
        else:
            self.all_items = entries.list_team_items(self.ctx, self.cycle_id, self.team_id)
            latest = self._latest = submissions.latest_for_team(self.ctx, self.cycle_id,
                                                                self.team_id)
            if latest is not None:
                for change in latest.changes:
                    self.changes.setdefault(change.indicator, []).append(change)
            self._update_clock(latest)
        if not any(FILTERS[self.filter_combo.currentIndex()][1](v) for v in self.all_items):
            # Open on what is waiting, else on everything (never on an empty filter).
            waiting = any(FILTERS[FILTER_WAITING][1](v) for v in self.all_items)
            self.filter_combo.blockSignals(True)
            self.filter_combo.setCurrentIndex(FILTER_WAITING if waiting else FILTER_ALL)
            self.filter_combo.blockSignals(False)
        self._apply_filter(selected)

    def _apply_filter(self, selected: int | None = None) -> None:
        """Show the items of the chosen filter; keep (or pick) the shown item."""
        if selected is None and self.current is not None:
            selected = self.current.item_id
        rule = FILTERS[self.filter_combo.currentIndex()][1]
        self.model.set_records([v for v in self.all_items if rule(v)])
        row = self.model.row_of(lambda v: v.item_id == selected) if selected else None
        if row is None and self.model.rowCount():
            row = self.model.row_of(lambda v: v.state is ItemState.SUBMITTED) or 0
        shown, self.current = self.current, None
        if row is not None:
            self._loading = True  # shown below (or kept: changed elsewhere)
            self.table.selectRow(row)
            self._loading = False
        record = self.model.record(row) if row is not None else None
        if self._stale_item is not None and shown is not None \
                and shown.item_id == self._stale_item:
            # Changed elsewhere: what the Kasubag was reading stays until Muat ulang (the
            # notice), even when the change took it out of the chosen filter.
            self.current = shown
            self._update_selection_button()
            return
        self._show_item(record)
        self._update_selection_button()

    def selected_items(self) -> list:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.record(r) for r in rows]

    def _update_selection_button(self) -> None:
        waiting = [v for v in self.selected_items() if v.state is ItemState.SUBMITTED]
        self.verify_selected_button.setEnabled(bool(waiting))
        self.verify_selected_button.setText(f"Verifikasi terpilih ({len(waiting)})"
                                            if waiting else "Verifikasi terpilih")

    def _update_clock(self, latest) -> None:
        """The team's step-6 clock and its progress (of :attr:`all_items`)."""
        from kinerja_desktop.services import summary

        step = summary.team_step_time(self.ctx, self.cycle_id, self.team_id, 6)
        text = f"Verifikasi (mutu baku {step.standard}): "
        if step.used == "-":
            text += step.status_text.lower()
        else:
            text += f"{step.used} terpakai · {step.status_text}"
            if step.deadline:
                text += f" · batas {fmt_dt(step.deadline)}"
        if latest is not None:
            text += (f"\nDiserahkan versi {latest.version} oleh {latest.submitted_by}, "
                     f"{fmt_dt(latest.submitted_at)}")
        self.clock_label.setText(text)
        self.clock_label.setStyleSheet(f"background: {status_colour(step.status)}; "
                                       "color: #000; padding: 4px; border-radius: 3px;")
        # Counted from the team's items in hand (kept current after each verification).
        states = [v.state for v in self.all_items]
        self.progress_label.setText(
            f"{states.count(ItemState.VERIFIED)}/{len(states)} diverifikasi · "
            f"{states.count(ItemState.SUBMITTED)} menunggu verifikasi · "
            f"{states.count(ItemState.RETURNED)} dikembalikan")

    def _row_changed(self, current, _previous) -> None:
        if self._loading or not current.isValid():
            return
        self._show_item(self.model.record(current.row()))

    def _show_item(self, view) -> None:
        self.current = view
        self._stale_item = None
        self._stale_text = ""
        self._update_notice()
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
            self.warnings_label.hide()
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
        if view.warnings:
            from html import escape

            note = view.values.plausibility_note.strip()
            self.warnings_label.setText(
                f"<b>⚠ Peringatan kewajaran ({len(view.warnings)})</b><br>"
                + "<br>".join(f"• {escape(w.message)}" for w in view.warnings)
                + ("<br><b>Catatan tim:</b> " + escape(note) if note
                   else "<br><i>Tim belum memberi catatan.</i>"))
            self.warnings_label.show()
        else:
            self.warnings_label.hide()
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
        """Show the change, then move on to the next waiting item after this one (only
        the changed row and the team's clock are read again)."""
        self.announce(CHANGE_ENTRY)
        position = next((i for i, v in enumerate(self.all_items)
                         if v.item_id == updated.item_id), None)
        if position is None:
            self._load_items()
            position = 0
        else:
            self.all_items[position] = updated
            self._update_clock(self._latest)
            self._apply_filter(updated.item_id)
        self._select_next_waiting(position)

    def _select_next_waiting(self, position: int) -> None:
        """Select the first waiting item at or after ``position`` (in the team's order),
        wrapping round; stay put when nothing waits."""
        order = self.all_items[position:] + self.all_items[:position]
        target = next((v for v in order if v.state is ItemState.SUBMITTED), None)
        if target is None:
            return
        row = self.model.row_of(lambda v: v.item_id == target.item_id)
        if row is None:  # filtered out: show everything waiting
            self.filter_combo.setCurrentIndex(FILTER_WAITING)
            row = self.model.row_of(lambda v: v.item_id == target.item_id)
        if row is not None:
            self.table.clearSelection()
            self.table.selectRow(row)
            self._show_item(self.model.record(row))

    def verify_selected(self) -> bool:
        """Verify every selected waiting item in one action (each audited on its own)."""
        from kinerja_desktop.services import verification

        chosen = [v for v in self.selected_items() if v.state is ItemState.SUBMITTED]
        if not chosen:
            return False
        if len(chosen) > 1 and not ask_yes_no(
                self, "Verifikasi terpilih",
                f"Verifikasi {len(chosen)} indikator terpilih sekaligus?"):
            return False
        ids = [v.item_id for v in chosen]
        ok, _count = run_action(self, lambda: verification.verify_items(
            self.ctx, self.user_id, ids))
        if ok:
            position = next((i for i, v in enumerate(self.all_items)
                             if v.item_id == ids[-1]), 0)
            self.announce(CHANGE_ENTRY)
            self.current = None
            self._load_items()
            self._select_next_waiting(position)
        return ok

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
            ok_text="Kembalikan", parent=self, minimum=MIN_REASON, field="item_reviews.comment")
        if dialog.exec():
            self._after_change(dialog.result_value)

    def _add_comment(self) -> None:
        from kinerja_desktop.services import verification

        if self.current is None:
            return
        item_id = self.current.item_id
        dialog = TextDialog("Tambah catatan", "Catatan klarifikasi, masuk ke riwayat indikator:",
                            lambda text: verification.add_comment(
                                self.ctx, self.user_id, item_id, text), parent=self,
                            field="item_reviews.comment")
        if dialog.exec():  # a note: the desk stays on this item
            self.announce(CHANGE_ENTRY)
            self._load_items()

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


    # ------------------------------------------------------------------ other PCs

    def _build_changed_elsewhere(self) -> None:
        """The desk's one notice (under the item's status line): the item changed on
        another PC, or the server does not answer."""
        self._stale_item: int | None = None
        self._stale_text = ""
        self.notice = FormNotice()
        layout = self.state_label.parentWidget().layout()
        layout.insertWidget(layout.indexOf(self.state_label) + 1, self.notice)
        self.notice.reload_requested.connect(self.reload_current)
        self.signals.items_changed_elsewhere.connect(self._items_changed_elsewhere)
        self.signals.server_state_changed.connect(lambda _state: self._update_notice())

    def _update_notice(self) -> None:
        """The server gone first (nothing can be verified meanwhile), else the item changed
        elsewhere (Muat ulang), else nothing."""
        if not getattr(self.signals, "server_answering", True):
            self.notice.tell("Server basis data tidak menjawab. Yang tampil mungkin bukan data "
                             "terbaru; <b>Diverifikasi</b> dan <b>Dikembalikan</b> dapat dipakai "
                             "lagi begitu server menjawab.", closable=False, tone=WARNING)
        elif self._stale_item is not None:
            self.notice.tell(self._stale_text, reload=True)
        else:
            self.notice.hide()

    def _items_changed_elsewhere(self, item_ids) -> None:
        """The shown item changed on another PC (a resubmission, another verifier): what is
        shown stays, Diverifikasi and Dikembalikan wait until the Kasubag reloads it, so
        nobody verifies data they have not seen."""
        from kinerja_desktop.services import entries

        view = self.current
        if view is None or (item_ids is not None and view.item_id not in item_ids):
            return
        try:
            fresh = entries.get_item(self.ctx, view.item_id)
        except KinerjaError:
            return
        if fresh == view:
            return
        self._stale_item = view.item_id
        self.verify_button.setEnabled(False)
        self.return_button.setEnabled(False)
        self._stale_text = (f"Butir ini baru saja diubah di komputer lain (sekarang: "
                            f"{fresh.state.label.lower()}). <b>Muat ulang</b> untuk melihat "
                            "data terbaru sebelum memverifikasi.")
        self._update_notice()

    def reload_current(self) -> None:
        """Muat ulang: the team's items read again, the same item shown as stored now
        (under Semua when the change took it out of the chosen filter)."""
        item_id = self.current.item_id if self.current is not None else None
        self._stale_item = None
        self._load_items()
        if item_id is not None and (self.current is None or self.current.item_id != item_id):
            self.filter_combo.blockSignals(True)
            self.filter_combo.setCurrentIndex(FILTER_ALL)
            self.filter_combo.blockSignals(False)
            self._apply_filter(item_id)


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
