"""Team entry (steps 4–5): one table per team, a detail form, drafts saved as you type.

Numbers are typed the Indonesian way and parsed strictly (``"4.25"`` is refused with a
message and never saved). Capaian and predikat follow every keystroke, with the
formula shown. Serahkan hands in the team's data; a returned item shows its reason.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.achievement import (
    DEFAULT_PREDIKAT_SCALE,
    budget_absorption,
    compute_achievement,
)
from kinerja_desktop.domain.errors import KinerjaError, ValidationError
from kinerja_desktop.domain.format_fields import Requirement
from kinerja_desktop.domain.numbers import format_money, format_number
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.ui.common import (
    ERROR_STYLE,
    ask_yes_no,
    bold,
    fmt_dt,
    heading,
    run_action,
    show_error,
)
from kinerja_desktop.ui.dialogs.text import TextDialog
from kinerja_desktop.ui.models.performance_data import TeamEntryTableModel, target_text
from kinerja_desktop.ui.signals import (
    CHANGE_CYCLE,
    CHANGE_ENTRY,
    CHANGE_FORMAT,
    CHANGE_OFFICE,
    CHANGE_TEAMS,
)
from kinerja_desktop.ui.widgets.hint_line import HintLine, steady_height
from kinerja_desktop.ui.widgets.number_edit import NUMBER_HINT, NumberEdit
from kinerja_desktop.ui.widgets.performance_data import LazyRefresh, default_cycle_id
from kinerja_desktop.ui.widgets.tables import hide_columns_when_narrow, record_table

AUTOSAVE_MS = 700
RETURNED_STYLE = ("background: #ffcdd2; color: #5d0f0f; border: 1px solid #a61b1b; "
                  "border-radius: 4px; padding: 6px;")
OK_STYLE = "color: #1b5e20;"
SUBMITTED_STYLE = ("background: #e8f5e9; color: #1b5e20; border: 1px solid #66bb6a; "
                   "border-radius: 4px; padding: 6px;")
#: Inputs of an item the user cannot change look locked (grey), not only refuse edits.
LOCKED_BACKGROUND = "#e6e9eb"
READ_ONLY_STYLE = ('QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"] '
                   f"{{ background: {LOCKED_BACKGROUND}; color: #505a60; "
                   "border: 1px solid #c5ccd0; }")
FORMAT_BUDGET_STYLE = "color: #455a64; font-style: italic;"


def save_bytes_dialog(parent: QWidget, title: str, suggested: str, data_source) -> Path | None:
    """Ask where to save a PDF and write it atomically; returns the path or None."""
    from kinerja_desktop.atomic import atomic_write_bytes
    from kinerja_desktop.ui.dialogs.files import save_file

    path = save_file(parent, title, suggested, "Berkas PDF (*.pdf)", purpose="pdf")
    if path is None:
        return None
    ok, data = run_action(parent, data_source)
    if not ok:
        return None
    atomic_write_bytes(path, data)
    return path


def open_evidence(ctx, evidence) -> Path:
    """Copy a stored evidence file (from the database) to a temporary folder under its
    display name and open it. A file missing or damaged in the database raises a
    :class:`KinerjaError` with the Indonesian reason."""
    import tempfile

    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    from kinerja_desktop.services.files import copy_out, display_name

    folder = Path(tempfile.mkdtemp(prefix="bukti-"))
    target = folder / display_name(evidence.original_name)
    copy_out(ctx, evidence.sha256, target)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
    return target


class TeamEntryWidget(LazyRefresh, QWidget):
    """The Tim Penyusun's table and form for one cycle."""

    REFRESH_AREAS = (CHANGE_ENTRY, CHANGE_FORMAT, CHANGE_OFFICE, CHANGE_CYCLE, CHANGE_TEAMS)

    def __init__(self, ctx, user_id: int, signals, parent: QWidget | None = None,
                 team_id: int | None = None) -> None:
        """``team_id`` pins the widget to one team (one section per team); without it,
        a combo box offers the user's teams (or every team, read-only, to a non-member)."""
        super().__init__(parent)
        self.ctx, self.user_id, self.signals = ctx, user_id, signals
        self.cycle_id: int | None = default_cycle_id(ctx)
        self.fixed_team_id = team_id
        self.team_id: int | None = team_id
        self.member_teams: frozenset[int] = frozenset()
        self.delivered_teams: frozenset[int] = frozenset()  # step 4 ready (format received)
        self._shown_editable = False
        self.scale = DEFAULT_PREDIKAT_SCALE
        self.current = None  # the ItemView shown in the form
        self._loading = False
        self._dirty = False
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_now)
        self._build()
        signals.data_changed.connect(self._on_data_changed)
        self.refresh()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        team_caption = QLabel("Tim:")
        top.addWidget(team_caption)
        self.team_combo = QComboBox()
        self.team_combo.setMinimumWidth(260)
        self.team_combo.currentIndexChanged.connect(self._team_chosen)
        top.addWidget(self.team_combo)
        if self.fixed_team_id is not None:  # the section's title names the team
            team_caption.hide()
            self.team_combo.hide()
        self.progress_label = QLabel()
        top.addWidget(self.progress_label, 1)
        self.submit_button = QPushButton("Serahkan")
        self.submit_button.setToolTip("Serahkan data tim (langkah 5); semua isian wajib harus "
                                      "terisi.")
        self.submit_button.clicked.connect(self.submit)
        top.addWidget(self.submit_button)
        self.receipt_button: QPushButton | None = None
        if self._documents_have("receipt_pdf"):
            self.receipt_button = QPushButton("Tanda terima (PDF)…")
            self.receipt_button.clicked.connect(self.save_receipt)
            top.addWidget(self.receipt_button)
        outer.addLayout(top)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        outer.addWidget(self.message)

        # The indicators beside the form (a laptop screen is wider than it is tall): the
        # list keeps at least eight rows and the form is whole at 1366×768.
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("isianTimPemisah")
        self.splitter.setChildrenCollapsible(False)
        self.model = TeamEntryTableModel(self)
        self.model.saver = self._save_actual_from_table
        self.model.can_edit = self._editable
        self.model.input_rejected.connect(self._show_error_message)
        self.table = record_table(self.model, TeamEntryTableModel.COL_NAME)
        self.table.setObjectName("tabelIsianTim")
        self.table.setWordWrap(False)  # one line per indicator; the name's tooltip is whole
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        # Long texts (why no capaian, what is missing) are cut; their tooltips are whole.
        for column, width in ((TeamEntryTableModel.COL_ACHIEVEMENT, 110),
                              (TeamEntryTableModel.COL_MISSING, 120)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        # Shown for the selected indicator in the form anyway: hidden first when narrow.
        hide_columns_when_narrow(self.table, (
            TeamEntryTableModel.COL_EVIDENCE, TeamEntryTableModel.COL_PREDIKAT,
            TeamEntryTableModel.COL_UNIT, TeamEntryTableModel.COL_TARGET,
            TeamEntryTableModel.COL_MISSING), stretch_minimum=180)
        self.table.setEditTriggers(QTableView.EditTrigger.DoubleClicked
                                   | QTableView.EditTrigger.EditKeyPressed
                                   | QTableView.EditTrigger.AnyKeyPressed)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self._build_form())
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)
        outer.addWidget(self.splitter, 1)
        self._splitter_sized = False
        self._chain_tab_order()

    def _build_form(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setObjectName("formIsianTim")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        body.setStyleSheet(READ_ONLY_STYLE)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.setSpacing(3)
        self.returned_banner = QLabel()
        self.returned_banner.setWordWrap(True)
        self.returned_banner.setStyleSheet(RETURNED_STYLE)
        self.returned_banner.hide()
        layout.addWidget(self.returned_banner)
        self.title = heading("Pilih indikator pada tabel")
        self.title.setWordWrap(True)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.title)
        self.subtitle = HintLine(2)
        layout.addWidget(self.subtitle)

        columns = QHBoxLayout()
        columns.setSpacing(12)
        left_column = QVBoxLayout()
        left = QFormLayout()
        left.setVerticalSpacing(3)
        self.actual_edit = NumberEdit("Realisasi", allow_negative=True)
        self.actual_text_edit = QLineEdit()
        self.actual_text_edit.setPlaceholderText("mis. B, WTP")
        actual_box = QHBoxLayout()
        actual_box.addWidget(self.actual_edit)
        actual_box.addWidget(self.actual_text_edit)
        self.actual_label = QLabel("Realisasi")
        left.addRow(self.actual_label, actual_box)
        self.achievement_label = bold(HintLine(2))
        self.achievement_label.setText("–")
        left.addRow("Capaian", self.achievement_label)
        # The formula (or why there is none) on two reserved lines across the column.
        self.formula_label = HintLine(2)
        self.formula_label.setStyleSheet("color: #455a64;")
        left.addRow(self.formula_label)
        self.manual_edit = NumberEdit("Capaian manual", allow_negative=True)
        self.manual_edit.setPlaceholderText("kosongkan bila dihitung dengan rumus")
        left.addRow("Capaian manual (%)", self.manual_edit)
        self.justification_edit = QLineEdit()
        self.justification_edit.setPlaceholderText("wajib bila capaian diisi manual")
        left.addRow("Alasan capaian manual", self.justification_edit)
        self.budget_edit = NumberEdit("Pagu anggaran")
        self.spent_edit = NumberEdit("Realisasi anggaran")
        self.budget_label = QLabel("Pagu anggaran (Rp)")
        self.spent_label = QLabel("Realisasi anggaran (Rp)")
        left.addRow(self.budget_label, self.budget_edit)
        self.format_budget_note = HintLine(1)
        self.format_budget_note.setStyleSheet(FORMAT_BUDGET_STYLE)
        left.addRow("", self.format_budget_note)
        left.addRow(self.spent_label, self.spent_edit)
        self.absorption_label = HintLine(1)
        self.absorption_label.setText("–")
        left.addRow("Serapan anggaran", self.absorption_label)
        left_column.addLayout(left)

        right_column = QVBoxLayout()
        right = QFormLayout()
        right.setVerticalSpacing(3)
        self.text_edits: dict[str, tuple[QLabel, QPlainTextEdit]] = {}
        for key, label in (("penjelasan", "Penjelasan"), ("faktor_pendukung", "Faktor pendukung"),
                           ("faktor_penghambat", "Faktor penghambat"),
                           ("upaya", "Upaya / tindak lanjut")):
            edit = QPlainTextEdit()
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 10)
            edit.setTabChangesFocus(True)
            caption = QLabel(label)
            right.addRow(caption, edit)
            self.text_edits[key] = (caption, edit)
            edit.textChanged.connect(self._edited)
        right_column.addLayout(right)

        self.evidence_box = QGroupBox("Bukti dukung")
        ev_layout = QVBoxLayout(self.evidence_box)
        ev_layout.setContentsMargins(6, 4, 6, 6)
        self.evidence_list = QListWidget()
        self.evidence_list.setMaximumHeight(self.evidence_list.fontMetrics().lineSpacing() * 2
                                            + 6)
        ev_layout.addWidget(self.evidence_list)
        ev_buttons = QHBoxLayout()
        self.attach_button = QPushButton("Lampirkan berkas…")
        self.attach_button.clicked.connect(self._choose_evidence)
        self.open_evidence_button = QPushButton("Buka")
        self.open_evidence_button.clicked.connect(self._open_evidence)
        self.remove_evidence_button = QPushButton("Hapus lampiran")
        self.remove_evidence_button.clicked.connect(self._remove_evidence)
        for button in (self.attach_button, self.open_evidence_button,
                       self.remove_evidence_button):
            ev_buttons.addWidget(button)
        ev_buttons.addStretch(1)
        ev_layout.addLayout(ev_buttons)
        left_column.addWidget(self.evidence_box)
        history_box = QGroupBox("Riwayat dan catatan")
        hist_layout = QVBoxLayout(history_box)
        hist_layout.setContentsMargins(6, 4, 6, 6)
        self.history_list = QListWidget()
        self.history_list.setWordWrap(True)
        self.history_list.setMaximumHeight(self.evidence_list.maximumHeight())
        hist_layout.addWidget(self.history_list)
        self.comment_button = QPushButton("Tambah catatan…")
        self.comment_button.clicked.connect(self._add_comment)
        hist_layout.addWidget(self.comment_button, 0, Qt.AlignmentFlag.AlignLeft)
        right_column.addWidget(history_box)
        left_column.addStretch(1)
        right_column.addStretch(1)
        columns.addLayout(left_column, 1)
        columns.addLayout(right_column, 1)
        layout.addLayout(columns)

        # Saved/refused messages: two reserved lines under the form, never above a field.
        self.form_status = HintLine(2)
        layout.addWidget(self.form_status)
        layout.addStretch(1)
        scroll.setWidget(body)

        for edit in (self.actual_edit, self.manual_edit, self.budget_edit, self.spent_edit):
            edit.textChanged.connect(self._edited)
        # Read-only fields get a border from the style sheet; their height must not change.
        steady_height(self.actual_text_edit, self.justification_edit)
        # Typing hints, cleared while the item is locked (they would invite typing).
        self._hints = {edit: edit.placeholderText()
                       for edit in (self.actual_edit, self.actual_text_edit, self.manual_edit,
                                    self.justification_edit, self.spent_edit)}
        self.actual_text_edit.textChanged.connect(self._edited)
        self.justification_edit.textChanged.connect(self._edited)
        return scroll

    def _chain_tab_order(self) -> None:
        """Tab goes down the form as it reads: the table, the figures, the evidence, then
        the texts and the note."""
        chain = [self.table, self.actual_edit, self.actual_text_edit, self.manual_edit,
                 self.justification_edit, self.budget_edit, self.spent_edit,
                 self.evidence_list, self.attach_button, self.open_evidence_button,
                 self.remove_evidence_button]
        chain += [edit for _caption, edit in self.text_edits.values()]
        chain += [self.history_list, self.comment_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    @staticmethod
    def _documents_have(name: str) -> bool:
        from kinerja_desktop.services import documents

        return hasattr(documents, name)

    # ------------------------------------------------------------------ data

    def set_cycle(self, cycle_id: int | None) -> None:
        self.save_now()
        self.cycle_id = cycle_id
        self.refresh()

    def refresh(self) -> None:
        """Reload teams and items from the services (keeps the selection)."""
        from kinerja_desktop.services import accounts, cycles, office, teams

        if self.refresh_blocked():
            return
        if self._dirty:
            self.save_now()
        self.scale = office.predikat_scale(self.ctx)
        person = accounts.get_person(self.ctx, self.user_id)
        self.member_teams = person.team_ids
        team_rows = []
        self.delivered_teams = frozenset()
        if self.cycle_id is not None:
            step4 = cycles.workflow(self.ctx, self.cycle_id, self.user_id).step(4)
            self.delivered_teams = frozenset(t.team_id for t in step4.teams if t.ready_at)
            in_cycle = {i.team_id for i in _format_items(self.ctx, self.cycle_id)}
            all_teams = [t for t in teams.list_teams(self.ctx) if t.id in in_cycle]
            mine = [t for t in all_teams if t.id in person.team_ids]
            team_rows = mine or all_teams
            if self.fixed_team_id is not None:
                team_rows = [t for t in all_teams if t.id == self.fixed_team_id]
        self._loading = True
        previous = self.team_id
        self.team_combo.clear()
        for team in team_rows:
            suffix = "" if team.id in person.team_ids else " (hanya lihat)"
            self.team_combo.addItem(team.name + suffix, team.id)
        index = self.team_combo.findData(previous) if previous is not None else -1
        self.team_combo.setCurrentIndex(index if index >= 0 else (0 if team_rows else -1))
        self._loading = False
        self.team_id = self.team_combo.currentData()
        if self.cycle_id is None:
            self.progress_label.setText("Belum ada siklus pengumpulan data.")
        elif not team_rows:
            cycle = cycles.get_cycle(self.ctx, self.cycle_id)
            self.progress_label.setText(
                f"{cycle.label}: format belum berisi indikator"
                + (" untuk tim ini." if self.fixed_team_id is not None else "."))
        self._load_items()

    def _team_chosen(self) -> None:
        if self._loading:
            return
        self.save_now()
        self.team_id = self.team_combo.currentData()
        self._load_items()

    def _load_items(self) -> None:
        from kinerja_desktop.services import entries

        selected = self.current.item_id if self.current else None
        if self.cycle_id is None or self.team_id is None:
            self.model.set_records([])
        else:
            self.model.set_records(entries.list_team_items(self.ctx, self.cycle_id, self.team_id))
        row = self.model.row_of(lambda v: v.item_id == selected) if selected else None
        if row is None and self.model.rowCount():
            row = 0
        previous = self.current
        self.current = None
        self._loading = True
        if row is not None:
            self.table.selectRow(row)
        self._loading = False
        record = self.model.record(row) if row is not None else None
        if (record is not None and previous is not None and record == previous
                and self._editable(record) == self._shown_editable):
            self.current = record  # unchanged: keep the form (cursor, text) as it is
        else:
            self._show_item(record)
        self._update_progress()

    def _update_progress(self) -> None:
        if not self.model.records:
            self.submit_button.setEnabled(False)
            return
        records = self.model.records
        complete = sum(1 for r in records if not r.missing)
        states = [r.state for r in records]
        parts = [f"{complete}/{len(records)} indikator lengkap"]
        for state in (ItemState.SUBMITTED, ItemState.RETURNED, ItemState.VERIFIED):
            if states.count(state):
                parts.append(f"{states.count(state)} {state.label.lower()}")
        if self.team_id not in self.delivered_teams:
            parts.append("format belum disampaikan kepada tim ini (langkah 3): belum dapat "
                         "diisi")
        self.progress_label.setText(" · ".join(parts))
        mine = self.team_id in self.member_teams and self.team_id in self.delivered_teams
        can_submit = mine and (ItemState.DRAFT in states or ItemState.RETURNED in states)
        self.submit_button.setEnabled(can_submit)
        self.submit_button.setText("Serahkan ulang" if ItemState.DRAFT not in states
                                   and ItemState.RETURNED in states else "Serahkan")
        if self.receipt_button is not None:
            self.receipt_button.setEnabled(any(s is not ItemState.DRAFT for s in states))

    def _row_changed(self, current, _previous) -> None:
        if self._loading or not current.isValid():
            return
        record = self.model.record(current.row())
        if self.current is not None and record.item_id == self.current.item_id:
            return
        self.save_now()
        row = self.model.row_of(lambda v: v.item_id == record.item_id)
        self._show_item(self.model.record(row) if row is not None else None)

    # ------------------------------------------------------------------ form

    def _editable(self, view) -> bool:
        return (view is not None and view.state.editable and view.team_id in self.member_teams
                and view.team_id in self.delivered_teams)

    def _show_item(self, view) -> None:
        self._loading = True
        self.current = view
        self._dirty = False
        editable = self._shown_editable = self._editable(view)
        if view is None:
            self.title.setText("Pilih indikator pada tabel")
            self.subtitle.clear()
            self.returned_banner.hide()
        else:
            self.title.setText(view.indicator_name)
            unit = f" {view.unit}" if view.unit and view.unit != "%" else view.unit
            self.subtitle.setText(f"Sasaran: {view.objective_name}\nTarget: "
                                  f"{target_text(view)}{unit} · Status: {view.state.label}")
            if view.state is ItemState.RETURNED and view.last_return_reason:
                self.returned_banner.setText("Dikembalikan oleh verifikator. Alasan: "
                                             + view.last_return_reason)
                self.returned_banner.show()
            else:
                self.returned_banner.hide()
            values = view.values
            self.actual_edit.setVisible(not view.qualitative)
            self.actual_text_edit.setVisible(view.qualitative)
            self.actual_edit.set_value(values.actual)
            self.actual_text_edit.setText(values.actual_text)
            self.manual_edit.set_value(values.manual_achievement)
            self.justification_edit.setText(values.manual_justification)
            self.budget_edit.set_value(values.budget)
            self._show_format_budget(view, editable)
            self.spent_edit.set_value(values.spent)
            keys = {"penjelasan": values.explanation, "faktor_pendukung": values.supporting,
                    "faktor_penghambat": values.inhibiting, "upaya": values.follow_up}
            for key, (_caption, edit) in self.text_edits.items():
                edit.setPlainText(keys[key])
            self._apply_requirements(dict(view.requirements))
            self._fill_lists(view)
        if view is None:
            self.format_budget_note.clear()
        inputs = [self.actual_edit, self.actual_text_edit, self.manual_edit,
                  self.justification_edit, self.budget_edit, self.spent_edit]
        inputs += [edit for _caption, edit in self.text_edits.values()]
        for edit, hint in self._hints.items():
            edit.setPlaceholderText(hint if editable else "")
        if not editable:
            self.budget_edit.setPlaceholderText("")
        for edit in inputs:
            if edit.isReadOnly() != (not editable):
                edit.setReadOnly(not editable)
                edit.style().unpolish(edit)  # re-match the [readOnly] style rule
                edit.style().polish(edit)
        self.attach_button.setEnabled(editable)
        self.remove_evidence_button.setEnabled(editable)
        self.comment_button.setEnabled(view is not None and view.team_id in self.member_teams)
        self.form_status.setText("" if view is None or editable else
                                 "Data ini tidak dapat diubah: " + (
                                     "bukan tim Anda." if view.team_id not in self.member_teams
                                     else "format belum disampaikan kepada tim ini (langkah 3 "
                                     "belum selesai)." if view.team_id not in self.delivered_teams
                                     else f"berstatus {view.state.label.lower()}."))
        self.form_status.setStyleSheet("")
        self._loading = False
        self._update_preview()

    def _show_format_budget(self, view, editable: bool) -> None:
        """Say where the pagu comes from: the format's (Kasubag, step 2) or the team's."""
        budget = view.format_budget
        self.budget_edit.setPlaceholderText(
            f"kosong = pagu format {format_number(budget)}" if budget is not None
            else NUMBER_HINT)
        if budget is None:
            self.format_budget_note.clear()
            return
        if view.budget_from_format:
            text = "Pagu dari format (Kasubag)" + ("; dapat diubah bila berbeda."
                                                   if editable else ".")
        else:
            text = f"Pagu pada format: {format_money(budget)}."
        self.format_budget_note.setText(text)

    def _apply_requirements(self, requirements: dict[str, str]) -> None:
        def caption(text: str, key: str) -> str:
            return text + (" *" if requirements.get(key) == Requirement.REQUIRED else "")

        self.actual_label.setText("Realisasi *")
        budget_mode = requirements.get("anggaran", Requirement.OPTIONAL)
        for label, edit, text in ((self.budget_label, self.budget_edit, "Pagu anggaran (Rp)"),
                                  (self.spent_label, self.spent_edit,
                                   "Realisasi anggaran (Rp)")):
            label.setText(caption(text, "anggaran"))
            label.setVisible(budget_mode != Requirement.HIDDEN)
            edit.setVisible(budget_mode != Requirement.HIDDEN)
        if budget_mode == Requirement.HIDDEN:
            self.format_budget_note.clear()
        for key, (label, edit) in self.text_edits.items():
            base = label.text().rstrip(" *")
            label.setText(caption(base, key))
            hidden = requirements.get(key) == Requirement.HIDDEN
            label.setVisible(not hidden)
            edit.setVisible(not hidden)
        self.evidence_box.setTitle(caption("Bukti dukung", "bukti_dukung"))
        self.evidence_box.setVisible(requirements.get("bukti_dukung") != Requirement.HIDDEN)

    def _fill_lists(self, view) -> None:
        self.evidence_list.clear()
        for ev in view.evidence:
            size = format_number(Decimal(ev.size) / 1024, 1)
            item = QListWidgetItem(f"{ev.original_name} ({size} KB)")
            item.setData(Qt.ItemDataRole.UserRole, ev)
            item.setToolTip(f"SHA-256: {ev.sha256}\nDilampirkan {fmt_dt(ev.added_at)}")
            self.evidence_list.addItem(item)
        self.open_evidence_button.setEnabled(bool(view.evidence))
        self.history_list.clear()
        for h in view.history:
            text = f"{fmt_dt(h.at)} · {h.person} · {h.action_label}"
            self.history_list.addItem(text + (f": {h.comment}" if h.comment else ""))
        if not view.history:
            self.history_list.addItem("Belum ada riwayat.")

    def _edited(self) -> None:
        if self._loading or not self._editable(self.current):
            return
        self._dirty = True
        self._update_preview()
        self.autosave.start()

    def _number_errors(self) -> list[str]:
        edits = [self.manual_edit, self.budget_edit, self.spent_edit]
        if self.current is not None and not self.current.qualitative:
            edits.insert(0, self.actual_edit)
        return [e.error() for e in edits if e.error()]

    def _update_preview(self) -> None:
        """Capaian, predikat and serapan recomputed from what is typed right now."""
        view = self.current
        if view is None:
            self.achievement_label.setText("–")
            self.formula_label.clear()
            self.absorption_label.setText("–")
            return
        errors = self._number_errors()
        if errors:
            self._show_error_message("\n".join(errors) + "\nIsian ini belum disimpan.")
            self.achievement_label.setText("–")
            return
        if self.form_status.styleSheet() == ERROR_STYLE:
            self.form_status.clear()
            self.form_status.setStyleSheet("")
        actual = None if view.qualitative else self.actual_edit.value()
        manual = self.manual_edit.value()
        justification = self.justification_edit.text().strip()
        if manual is not None and not justification:
            self.achievement_label.setText("Capaian manual memerlukan alasan")
            self.formula_label.setText("Isi alasan capaian manual, atau kosongkan capaian "
                                       "manual untuk memakai rumus.")
            return
        achievement = compute_achievement(view.target, actual, view.formula,
                                          qualitative=view.qualitative, manual_value=manual,
                                          manual_justification=justification or None)
        predikat = self.scale.classify(achievement.value)
        self.achievement_label.setText(achievement.status_label()
                                       + (f" · Predikat {predikat}" if predikat else ""))
        formula = achievement.formula_label()
        if achievement.computable and not achievement.manual and actual is not None:
            formula += (f"  (Realisasi {format_number(actual)}, Target "
                        f"{format_number(view.target)})")
        self.formula_label.setText(formula)
        budget = self.budget_edit.value()
        if budget is None and view.format_budget is not None:
            budget = Decimal(str(view.format_budget))  # an empty pagu is the format's
        absorption = budget_absorption(budget, self.spent_edit.value())
        self.absorption_label.setText(absorption.status_label())

    def _show_error_message(self, message: str) -> None:
        self.form_status.setText(message)
        self.form_status.setStyleSheet(ERROR_STYLE)

    def _entry_input(self):
        """What the form holds, as an EntryInput; ValidationError for bad numbers."""
        from kinerja_desktop.services.entries import EntryInput

        errors = self._number_errors()
        if errors:
            raise ValidationError("\n".join(errors))
        view = self.current

        def as_float(value: Decimal | None) -> float | None:
            return float(value) if value is not None else None

        texts = {k: e.toPlainText() for k, (_c, e) in self.text_edits.items()}
        return EntryInput(
            actual=None if view.qualitative else as_float(self.actual_edit.value()),
            actual_text=self.actual_text_edit.text() if view.qualitative else "",
            budget=as_float(self.budget_edit.value()),
            spent=as_float(self.spent_edit.value()),
            explanation=texts["penjelasan"], supporting=texts["faktor_pendukung"],
            inhibiting=texts["faktor_penghambat"], follow_up=texts["upaya"],
            manual_achievement=as_float(self.manual_edit.value()),
            manual_justification=self.justification_edit.text(),
        )

    def save_now(self) -> bool:
        """Save the draft in the form now (also run by the autosave timer). True if saved."""
        from kinerja_desktop.services import entries

        self.autosave.stop()
        if not self._dirty or self.current is None:
            return False
        try:
            data = self._entry_input()
            if data.manual_achievement is not None and not data.manual_justification.strip():
                raise ValidationError("Capaian manual memerlukan alasan (justifikasi).")
            updated = entries.save_entry(self.ctx, self.user_id, self.current.item_id, data)
        except KinerjaError as exc:
            self._show_error_message(f"{exc}\nIsian ini belum disimpan.")
            return False
        self._dirty = False
        self._replace_row(updated)
        self.form_status.setText(f"Draf tersimpan {fmt_dt(updated.updated_at)}.")
        self.form_status.setStyleSheet(OK_STYLE)
        self._announce()
        return True

    def _replace_row(self, updated) -> None:
        row = self.model.row_of(lambda v: v.item_id == updated.item_id)
        if row is not None:
            self.model.replace(row, updated)
        if self.current is not None and self.current.item_id == updated.item_id:
            self.current = updated
        self._update_progress()

    def _announce(self) -> None:
        self.announce(CHANGE_ENTRY)

    def _save_actual_from_table(self, view, number: Decimal | None):
        """Table edit of Realisasi: saved at once (other fields kept)."""
        from kinerja_desktop.services import entries

        if not self._editable(view):
            return None
        self.save_now()
        fresh = self.model.record(self.model.row_of(lambda v: v.item_id == view.item_id))
        data = replace(fresh.values, actual=float(number) if number is not None else None)
        ok, updated = run_action(self, lambda: entries.save_entry(
            self.ctx, self.user_id, view.item_id, data))
        if not ok:
            return None
        if self.current is not None and self.current.item_id == updated.item_id:
            self._show_item(updated)
        self._announce()
        QTimer.singleShot(0, self._update_progress)
        return updated

    # ------------------------------------------------------------------ actions

    def _choose_evidence(self) -> None:
        from kinerja_desktop.ui.dialogs.files import open_file

        path = open_file(self, "Lampirkan bukti dukung", purpose="bukti")
        if path is not None:
            self.attach_file(path)

    def attach_file(self, path: Path) -> bool:
        from kinerja_desktop.services import entries

        if self.current is None:
            return False
        self.save_now()
        ok, updated = run_action(self, lambda: entries.attach_evidence(
            self.ctx, self.user_id, self.current.item_id, path))
        if ok:
            self._replace_row(updated)
            self._show_item(updated)
            self._announce()
        return ok

    def _selected_evidence(self):
        item = self.evidence_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _open_evidence(self) -> None:
        evidence = self._selected_evidence()
        if evidence is None:
            show_error(self, ValidationError("Pilih berkas bukti dukung dahulu."))
            return
        run_action(self, lambda: open_evidence(self.ctx, evidence))

    def _remove_evidence(self) -> None:
        from kinerja_desktop.services import entries

        evidence = self._selected_evidence()
        if evidence is None:
            show_error(self, ValidationError("Pilih berkas bukti dukung yang akan dihapus."))
            return
        if not ask_yes_no(self, "Hapus lampiran",
                          f"Hapus lampiran {evidence.original_name} dari indikator ini?"):
            return
        ok, updated = run_action(self, lambda: entries.remove_evidence(
            self.ctx, self.user_id, evidence.id))
        if ok:
            self._replace_row(updated)
            self._show_item(updated)
            self._announce()

    def _add_comment(self) -> None:
        from kinerja_desktop.services import verification

        if self.current is None:
            return
        item_id = self.current.item_id
        dialog = TextDialog("Tambah catatan", "Catatan untuk verifikator, masuk ke riwayat "
                            "indikator ini:", lambda text: verification.add_comment(
                                self.ctx, self.user_id, item_id, text), parent=self)
        if dialog.exec():
            self._replace_row(dialog.result_value)
            self._show_item(dialog.result_value)
            self._announce()

    def submit(self) -> None:
        """Serahkan: confirm, hand in, and show the frozen version (and its receipt)."""
        from kinerja_desktop.services import submissions

        if self.cycle_id is None or self.team_id is None:
            return
        if self._dirty and not self.save_now():
            return
        if not ask_yes_no(self, "Serahkan data",
                          "Serahkan data tim ini? Setelah diserahkan, data dibekukan dan hanya "
                          "butir yang dikembalikan verifikator yang dapat diubah."):
            return
        ok, info = run_action(self, lambda: submissions.submit(
            self.ctx, self.user_id, self.cycle_id, self.team_id))
        if not ok:
            return
        self.last_submission = info
        self.signals.data_changed.emit(CHANGE_ENTRY)
        self.refresh()
        self.show_submission(info)

    def show_submission(self, info) -> None:
        """The frozen version just handed in: time, counts, hash, what changed."""
        from html import escape

        lines = [f"<b>Data {escape(info.team_name)} diserahkan</b> (versi {info.version}) pada "
                 f"{fmt_dt(info.submitted_at)}: {info.item_count} indikator, "
                 f"{info.evidence_count} berkas bukti dukung.",
                 f"Kode pengaman (SHA-256): <tt>{info.snapshot_sha256}</tt>"]
        if info.changes:
            changed = "; ".join(f"{escape(c.indicator)}: {escape(c.field)}"
                                for c in info.changes[:12])
            lines.append(f"Perubahan sejak versi sebelumnya: {changed}")
        if self.receipt_button is not None:
            lines.append("Tanda terima dapat disimpan atau dicetak dengan tombol "
                         "<i>Tanda terima (PDF)…</i>.")
        self.message.setText("<br>".join(lines))
        self.message.setStyleSheet(SUBMITTED_STYLE)
        self.message.show()

    def save_receipt(self) -> None:
        from kinerja_desktop.services import submissions

        if self.cycle_id is None or self.team_id is None:
            return
        info = submissions.latest_for_team(self.ctx, self.cycle_id, self.team_id)
        if info is None:
            show_error(self, ValidationError("Data tim ini belum pernah diserahkan."))
            return
        self._save_receipt_of(info.id, info.team_name, info.version)

    def _save_receipt_of(self, submission_id: int, team_name: str, version: int) -> None:
        from kinerja_desktop.services import documents

        save_bytes_dialog(self, "Simpan tanda terima", f"Tanda terima {team_name} v{version}.pdf",
                          lambda: documents.receipt_pdf(self.ctx, submission_id))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._splitter_sized:
            self._splitter_sized = True
            self._size_splitter()

    def _size_splitter(self) -> None:
        """First split: the form as wide as it wants (at most 55 %), the table the rest;
        later the user's own split is remembered."""
        from kinerja_desktop import settings

        total = self.splitter.width()
        scroll = self.splitter.widget(1)
        wanted = (scroll.widget().sizeHint().width()
                  + scroll.verticalScrollBar().sizeHint().width() + 4)
        form = min(wanted, round(total * 0.55))
        self.splitter.setSizes([total - form, form])
        settings.remember_splitter(self.splitter, "isian_tim")

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.save_now()
        super().hideEvent(event)


def _format_items(ctx, cycle_id: int):
    from kinerja_desktop.services import formats

    return formats.format_items(ctx, cycle_id)
