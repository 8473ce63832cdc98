"""Format builder (step 2, Kasubag): the year's indicators, the team of each, targets,
and which fields the teams must fill. Step 2 cannot finish with an empty format, an
indicator without a team, or a numeric indicator without a target.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.domain.format_fields import FIELDS, Requirement
from kinerja_desktop.ui.common import (
    ERROR_STYLE,
    FormDialog,
    RecordDialog,
    ask_yes_no,
    heading,
    run_action,
    show_error,
)
from kinerja_desktop.ui.models.performance_data import FormatTableModel
from kinerja_desktop.ui.signals import CHANGE_CYCLE, CHANGE_FORMAT, CHANGE_TEAMS
from kinerja_desktop.ui.sizing import size_window
from kinerja_desktop.ui.widgets.number_edit import NumberDelegate, NumberEdit
from kinerja_desktop.ui.widgets.performance_data import LazyRefresh, default_cycle_id
from kinerja_desktop.ui.widgets.tables import record_table
from kinerja_desktop.ui.widgets.text_limits import limit_line

OBJECTIVE_ROLE = Qt.ItemDataRole.UserRole + 1

REQUIREMENT_LABELS = (
    (Requirement.REQUIRED, "Wajib"),
    (Requirement.OPTIONAL, "Opsional"),
    (Requirement.HIDDEN, "Tidak diminta"),
)


def _team_combo(ctx, selected: int | None) -> QComboBox:
    from kinerja_desktop.services import teams

    combo = QComboBox()
    combo.addItem("— belum ditetapkan —", None)
    for team in teams.list_teams(ctx):
        combo.addItem(team.name, team.id)
    index = combo.findData(selected) if selected is not None else 0
    combo.setCurrentIndex(max(index, 0))
    return combo


class FormatItemDialog(RecordDialog):
    """Team, target and pagu of one indicator in the format."""

    def __init__(self, ctx, user_id: int, item, parent: QWidget | None = None) -> None:
        super().__init__("Ubah butir format", parent)
        self.ctx, self.user_id, self.item = ctx, user_id, item
        self.set_intro(item.indicator_name)
        self.team = _team_combo(ctx, item.team_id)
        self.form.addRow("Tim penanggung jawab", self.team)
        self.target_number = NumberEdit("Target", allow_negative=True)
        self.target_text = limit_line(QLineEdit(), "format_items.target_text")
        if item.qualitative:
            self.form.addRow("Target (teks)", self.target_text)
        else:
            unit = f" ({item.unit})" if item.unit else ""
            self.form.addRow(f"Target{unit}", self.target_number)
        self.budget = NumberEdit("Pagu")
        self.form.addRow("Pagu anggaran (Rp)", self.budget)
        self.fill(item)
        size_window(self, 520, 220)

    def fill(self, item) -> None:
        self.team.setCurrentIndex(max(self.team.findData(item.team_id), 0))
        self.target_text.setText(item.target_text)
        self.target_number.set_value(None if item.qualitative else item.target)
        self.budget.set_value(item.budget)

    def read_stored(self):
        from kinerja_desktop.services import formats

        return formats.get_format_item(self.ctx, self.item.id)

    def adopt(self, item) -> None:
        self.item = item

    def save(self):
        from kinerja_desktop.services import formats

        target = None if self.item.qualitative else self.target_number.value()
        budget = self.budget.value()
        return formats.update_format_item(
            self.ctx, self.user_id, self.item.id, self.team.currentData(),
            float(target) if target is not None else None,
            self.target_text.text() if self.item.qualitative else "",
            float(budget) if budget is not None else None, expected_version=self.item.version)


class AddIndicatorsDialog(FormDialog):
    """Tick indicators of the master to put them in the format."""

    def __init__(self, ctx, user_id: int, cycle_id: int, present: set[int],
                 parent: QWidget | None = None) -> None:
        super().__init__("Tambah indikator ke format", parent, ok_text="Tambahkan")
        from kinerja_desktop.services import formats

        self.ctx, self.user_id, self.cycle_id = ctx, user_id, cycle_id
        self.set_intro("Centang indikator yang dikumpulkan tahun ini. Tim dan target diambil "
                       "dari master indikator dan dapat diubah sesudahnya.")
        self.list = QListWidget()
        self.list.setMinimumSize(620, 320)
        ticks = QHBoxLayout()
        self.check_all_button = QPushButton("Centang semua")
        self.check_all_button.clicked.connect(lambda: self.check_all(True))
        self.objective_combo = QComboBox()
        self.objective_combo.addItem("Centang per sasaran…", None)
        self.objective_combo.activated.connect(self._check_objective)
        self.clear_button = QPushButton("Kosongkan")
        self.clear_button.clicked.connect(lambda: self.check_all(False))
        for widget in (self.check_all_button, self.objective_combo, self.clear_button):
            ticks.addWidget(widget)
        ticks.addStretch(1)
        self.form.addRow(ticks)
        seen_objectives: set[int] = set()
        for ind in formats.list_indicators(ctx):
            if ind.id in present:
                continue
            item = QListWidgetItem(ind.name + (f" — {ind.team_name}" if ind.team_name
                                               else " — tim belum ditetapkan"))
            item.setToolTip(f"Sasaran: {ind.objective_name}")
            item.setData(Qt.ItemDataRole.UserRole, ind.id)
            item.setData(OBJECTIVE_ROLE, ind.objective_id)
            if ind.objective_id not in seen_objectives:
                seen_objectives.add(ind.objective_id)
                self.objective_combo.addItem(ind.objective_name, ind.objective_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        if not self.list.count():
            self.list.addItem("Semua indikator aktif sudah ada dalam format.")
        self.form.addRow(self.list)
        size_window(self, 780, 460)

    def check_all(self, on: bool) -> None:
        """Tick (or untick) every indicator in the list."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) is not None:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _check_objective(self, _index: int) -> None:
        objective = self.objective_combo.currentData()
        if objective is not None:
            for i in range(self.list.count()):
                item = self.list.item(i)
                if item.data(OBJECTIVE_ROLE) == objective:
                    item.setCheckState(Qt.CheckState.Checked)
        self.objective_combo.setCurrentIndex(0)

    def save(self) -> int:
        from kinerja_desktop.services import formats

        chosen = [self.list.item(i).data(Qt.ItemDataRole.UserRole)
                  for i in range(self.list.count())
                  if self.list.item(i).checkState() == Qt.CheckState.Checked]
        if not chosen:
            raise ValidationError("Belum ada indikator yang dicentang.")
        return formats.add_many_to_format(self.ctx, self.user_id, self.cycle_id, chosen)


#: In the bulk dialog's combos: leave the items' own choice as it is.
UNCHANGED = "tetap"


class BulkFormatDialog(FormDialog):
    """Team and field requirements of many format items at once (step 2)."""

    def __init__(self, ctx, user_id: int, items, parent: QWidget | None = None) -> None:
        super().__init__("Atur indikator terpilih", parent, ok_text="Terapkan")
        from kinerja_desktop.services import formats, teams

        self.ctx, self.user_id, self.items = ctx, user_id, list(items)
        self.set_intro(f"{len(self.items)} indikator terpilih. Pilihan \"tidak diubah\" "
                       "membiarkan isian setiap indikator seperti semula.")
        self.team = QComboBox()
        self.team.addItem("— tidak diubah —", UNCHANGED)
        self.team.addItem("— belum ditetapkan —", None)
        for team in teams.list_teams(ctx):
            self.team.addItem(team.name, team.id)
        self.form.addRow("Tim penanggung jawab", self.team)
        self.field_combos: dict[str, QComboBox] = {}
        for field in FIELDS:
            if field.key == "realisasi":
                continue
            combo = QComboBox()
            combo.addItem("— tidak diubah —", UNCHANGED)
            combo.addItem("Ikuti format", formats.FOLLOW_FORMAT)
            for value, label in REQUIREMENT_LABELS:
                combo.addItem(label, value.value)
            self.form.addRow(field.label, combo)
            self.field_combos[field.key] = combo

    def save(self) -> int:
        from kinerja_desktop.services import formats

        team = self.team.currentData()
        fields = {key: combo.currentData() for key, combo in self.field_combos.items()
                  if combo.currentData() != UNCHANGED}
        if team == UNCHANGED and not fields:
            raise ValidationError("Belum ada yang diubah: pilih tim atau isian.")
        return formats.update_format_items(
            self.ctx, self.user_id, [i.id for i in self.items],
            team_id=formats.KEEP_TEAM if team == UNCHANGED else team, fields=fields)


class FormatBuilderWidget(LazyRefresh, QWidget):
    """The Kasubag's format of the cycle (step 2)."""

    REFRESH_AREAS = (CHANGE_FORMAT, CHANGE_CYCLE, CHANGE_TEAMS)

    def __init__(self, ctx, user_id: int, signals, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.user_id, self.signals = ctx, user_id, signals
        self.cycle_id: int | None = default_cycle_id(ctx)
        self._loading = False
        self._build()
        signals.data_changed.connect(self._on_data_changed)
        self.refresh()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.title = heading("Format pengumpulan data")
        outer.addWidget(self.title)
        self.step_label = QLabel()
        self.step_label.setWordWrap(True)
        outer.addWidget(self.step_label)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Tambah indikator…")
        self.add_button.clicked.connect(self._add)
        self.edit_button = QPushButton("Ubah tim/target…")
        self.edit_button.clicked.connect(self._edit)
        self.remove_button = QPushButton("Hapus dari format")
        self.remove_button.clicked.connect(self._remove)
        self.copy_button = QPushButton("Salin dari tahun lalu")
        self.copy_button.setToolTip("Ambil indikator, tim dan isian wajib dari siklus tahun "
                                    "sebelumnya; target tahun ini dipakai bila sudah diisi.")
        self.copy_button.clicked.connect(self.copy_previous)
        self.finish_button = QPushButton("Format selesai (akhiri langkah 2)")
        self.finish_button.clicked.connect(self._finish)
        for button in (self.add_button, self.edit_button, self.remove_button, self.copy_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.finish_button)
        outer.addLayout(buttons)
        selection = QHBoxLayout()
        self.select_all_button = QPushButton("Pilih semua")
        self.select_all_button.clicked.connect(self.select_all)
        self.objective_combo = QComboBox()
        self.objective_combo.setToolTip("Pilih semua indikator satu sasaran strategis")
        self.objective_combo.activated.connect(self._select_objective)
        self.bulk_button = QPushButton("Atur terpilih (tim, isian)…")
        self.bulk_button.clicked.connect(self._bulk)
        self.selection_label = QLabel()
        for widget in (self.select_all_button, self.objective_combo, self.bulk_button):
            selection.addWidget(widget)
        selection.addWidget(self.selection_label, 1)
        self.edit_hint = QLabel("Target dan pagu dapat diketik langsung pada tabel.")
        self.edit_hint.setStyleSheet("color: #455a64;")
        selection.addWidget(self.edit_hint)
        outer.addLayout(selection)

        body = QHBoxLayout()
        self.model = FormatTableModel(self)
        self.table = record_table(self.model, FormatTableModel.COL_NAME)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FormatTableModel.COL_OBJECTIVE,
                                    QHeaderView.ResizeMode.Interactive)
        header.resizeSection(FormatTableModel.COL_OBJECTIVE, 200)
        header.setSectionResizeMode(FormatTableModel.COL_TEAM, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(FormatTableModel.COL_TEAM, 190)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QTableView.EditTrigger.DoubleClicked
                                   | QTableView.EditTrigger.EditKeyPressed
                                   | QTableView.EditTrigger.AnyKeyPressed)
        self.target_delegate = NumberDelegate(
            "Target", allow_negative=True,
            is_number=lambda index: not self.model.record(index.row()).qualitative)
        self.budget_delegate = NumberDelegate("Pagu")
        self.table.setItemDelegateForColumn(FormatTableModel.COL_TARGET, self.target_delegate)
        self.table.setItemDelegateForColumn(FormatTableModel.COL_BUDGET, self.budget_delegate)
        self.model.saver = self._save_cell
        self.model.input_rejected.connect(self._show_cell_error)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_selection())
        body.addWidget(self.table, 3)

        fields_box = QGroupBox("Isian yang diminta dari tim")
        grid = QGridLayout(fields_box)
        self.field_combos: dict[str, QComboBox] = {}
        for row, field in enumerate(FIELDS):
            grid.addWidget(QLabel(field.label), row, 0)
            combo = QComboBox()
            for value, label in REQUIREMENT_LABELS:
                combo.addItem(label, value.value)
            if field.key == "realisasi":
                combo.setEnabled(False)
                combo.setToolTip("Realisasi selalu wajib diisi.")
            else:
                combo.setToolTip("Pilihan langsung disimpan.")
            combo.currentIndexChanged.connect(
                lambda _index, key=field.key: self._field_chosen(key))
            self.field_combos[field.key] = combo
            grid.addWidget(combo, row, 1)
        # Each choice is saved at once, so a refresh (another change) never resets it.
        self.fields_status = QLabel("Pilihan langsung disimpan.")
        self.fields_status.setWordWrap(True)
        self.fields_status.setStyleSheet("color: #455a64;")
        grid.addWidget(self.fields_status, len(FIELDS), 0, 1, 2)
        grid.setRowStretch(len(FIELDS) + 1, 1)
        # Scrolls on a low screen (1280×720) instead of making the window taller.
        fields_scroll = QScrollArea()
        fields_scroll.setWidgetResizable(True)
        fields_scroll.setFrameShape(QFrame.Shape.NoFrame)
        fields_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        fields_scroll.setWidget(fields_box)
        fields_scroll.setMinimumWidth(fields_box.sizeHint().width()
                                      + fields_scroll.verticalScrollBar().sizeHint().width())
        body.addWidget(fields_scroll, 1)
        outer.addLayout(body, 1)
        self.cell_status = QLabel()
        self.cell_status.setWordWrap(True)
        outer.addWidget(self.cell_status)
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        self.missing_label.setStyleSheet(ERROR_STYLE)
        outer.addWidget(self.missing_label)

    # ------------------------------------------------------------------ data

    def set_cycle(self, cycle_id: int | None) -> None:
        self.change_cycle(cycle_id)

    def refresh(self) -> None:
        from kinerja_desktop.services import cycles, formats, workflow

        if self.cycle_id is None:
            self.model.set_records([])
            self.step_label.setText("Belum ada siklus pengumpulan data. Sekretaris memulai "
                                    "siklus pada langkah 1.")
            self.missing_label.clear()
            self._set_editable(False)
            return
        step = workflow.step_view(self.ctx, self.cycle_id, 2, self.user_id)
        cycle = cycles.get_cycle(self.ctx, self.cycle_id)
        self.title.setText(f"Format pengumpulan data — {cycle.label}")
        editable = step.ready_at is not None and step.finished_at is None
        self.model.format_final = step.finished_at is not None
        self.model.editable = editable
        self.model.set_records(formats.format_items(self.ctx, self.cycle_id))
        self._fill_objectives()
        self._show_fields(formats.field_requirements(self.ctx, self.cycle_id))
        if step.finished_at is not None:
            text = f"Langkah 2 selesai ({step.timing.status_text.lower()}); format sudah final."
        elif step.ready_at is None:
            text = "Langkah 2 belum siap: langkah 1 (perintah Sekretaris) belum selesai."
        else:
            text = f"Langkah 2: {step.timing.status_text} · mutu baku {step.time_label}."
        count = self.model.rowCount()
        teams = len({r.team_id for r in self.model.records if r.team_id})
        self.step_label.setText(f"{text} {count} indikator, {teams} tim.")
        self.missing_label.setText("" if step.finished_at else
                                   "\n".join(f"• {m}" for m in step.missing))
        self._set_editable(editable)
        self.finish_button.setEnabled(editable and step.can_finish)

    def _show_fields(self, fields: dict[str, str]) -> None:
        self._loading = True
        try:
            for key, combo in self.field_combos.items():
                combo.setCurrentIndex(max(combo.findData(fields.get(key)), 0))
        finally:
            self._loading = False

    def _field_chosen(self, key: str) -> None:
        """A required/optional choice made by the user: that one field saved now (the
        others as stored, which may be another Kasubag's newer choices); restored if
        refused."""
        from kinerja_desktop.services import formats

        if self._loading or self.cycle_id is None:
            return
        if not self.save_fields((key,)):
            self._show_fields(formats.field_requirements(self.ctx, self.cycle_id))

    def _set_editable(self, editable: bool) -> None:
        for widget in (self.add_button, self.edit_button, self.remove_button, self.copy_button,
                       self.finish_button, self.bulk_button):
            widget.setEnabled(editable)
        self.edit_hint.setVisible(editable)
        self._update_selection()
        for key, combo in self.field_combos.items():
            combo.setEnabled(editable and key != "realisasi")

    def _changed(self) -> None:
        self.signals.data_changed.emit(CHANGE_FORMAT)

    def _selected(self):
        index = self.table.currentIndex()
        if not index.isValid():
            show_error(self, ValidationError("Pilih indikator pada tabel dahulu."))
            return None
        return self.model.record(index.row())

    def _fill_objectives(self) -> None:
        self.objective_combo.clear()
        self.objective_combo.addItem("Pilih per sasaran…", None)
        seen: set[int] = set()
        for record in self.model.records:
            if record.objective_id not in seen:
                seen.add(record.objective_id)
                self.objective_combo.addItem(record.objective_name, record.objective_id)

    # ------------------------------------------------------------------ selection

    def selected_items(self) -> list:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.record(r) for r in rows]

    def select_all(self) -> None:
        self.table.selectAll()

    def select_objective(self, objective_id: int) -> None:
        """Select every item of one strategic objective (the rest is deselected)."""
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for row, record in enumerate(self.model.records):
            if record.objective_id == objective_id:
                selection.select(self.model.index(row, 0), self.model.index(row, last))
        self.table.selectionModel().select(
            selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _select_objective(self, _index: int) -> None:
        objective = self.objective_combo.currentData()
        if objective is not None:
            self.select_objective(objective)
        self.objective_combo.setCurrentIndex(0)

    def _update_selection(self) -> None:
        count = len(self.table.selectionModel().selectedRows())
        self.selection_label.setText(f"{count} indikator terpilih" if count else "")
        self.bulk_button.setEnabled(bool(count) and self.model.editable)

    def _bulk(self) -> None:
        items = self.selected_items()
        if not items:
            show_error(self, ValidationError("Pilih indikator pada tabel dahulu (Pilih semua, "
                                             "per sasaran, atau Ctrl/Shift + klik)."))
            return
        dialog = BulkFormatDialog(self.ctx, self.user_id, items, self)
        if dialog.exec():
            self.cell_status.setText(f"{dialog.result_value} indikator diubah.")
            self.cell_status.setStyleSheet("")
            self._changed()

    # ------------------------------------------------------------------ table editing

    def _double_clicked(self, index) -> None:
        if not (self.model.flags(index) & Qt.ItemFlag.ItemIsEditable):
            self._edit()

    def _save_cell(self, item, column: int, value):
        """A target or pagu typed in the table: saved at once (team and the rest kept)."""
        from kinerja_desktop.services import formats

        target, target_text, budget = item.target, item.target_text, item.budget
        if column == FormatTableModel.COL_TARGET:
            if item.qualitative:
                target_text = value
            else:
                target = float(value) if value is not None else None
        else:
            budget = float(value) if value is not None else None
        ok, updated = run_action(self, lambda: formats.update_format_item(
            self.ctx, self.user_id, item.id, item.team_id, target, target_text, budget))
        if not ok:
            return None
        self.cell_status.setText(f"Tersimpan: {updated.indicator_name}.")
        self.cell_status.setStyleSheet("")
        self._refresh_missing()
        self.announce(CHANGE_FORMAT)
        return updated

    def _show_cell_error(self, message: str) -> None:
        self.cell_status.setText(message + " Tidak ada yang diubah.")
        self.cell_status.setStyleSheet(ERROR_STYLE)

    def _refresh_missing(self) -> None:
        from kinerja_desktop.services import workflow

        step = workflow.step_view(self.ctx, self.cycle_id, 2, self.user_id)
        self.missing_label.setText("" if step.finished_at else
                                   "\n".join(f"• {m}" for m in step.missing))
        self.finish_button.setEnabled(self.model.editable and step.can_finish)

    # ------------------------------------------------------------------ actions

    def _add(self) -> None:
        if self.cycle_id is None:
            return
        present = {r.indicator_id for r in self.model.records}
        dialog = AddIndicatorsDialog(self.ctx, self.user_id, self.cycle_id, present, self)
        if dialog.exec():
            self._changed()

    def _edit(self) -> None:
        item = self._selected()
        if item is None:
            return
        if FormatItemDialog(self.ctx, self.user_id, item, self).exec():
            self._changed()

    def _remove(self) -> None:
        from kinerja_desktop.services import formats

        item = self._selected()
        if item is None or not ask_yes_no(self, "Hapus dari format",
                                          f"Hapus '{item.indicator_name}' dari format tahun "
                                          "ini? Master indikatornya tetap ada."):
            return
        ok, _ = run_action(self, lambda: formats.remove_from_format(self.ctx, self.user_id,
                                                                    item.id))
        if ok:
            self._changed()

    def copy_previous(self) -> int | None:
        from kinerja_desktop.services import formats

        ok, added = run_action(self, lambda: formats.copy_from_previous_year(
            self.ctx, self.user_id, self.cycle_id))
        if ok:
            self._changed()
            self.step_label.setText(self.step_label.text()
                                    + f" Disalin dari tahun lalu: {added} indikator.")
            return added
        return None

    def save_fields(self, keys: tuple[str, ...] | None = None) -> bool:
        """Save the choices of ``keys`` (None: every field) and show all as stored."""
        from kinerja_desktop.services import formats

        fields = {key: combo.currentData() for key, combo in self.field_combos.items()
                  if keys is None or key in keys}
        ok, stored = run_action(self, lambda: formats.set_field_requirements(
            self.ctx, self.user_id, self.cycle_id, fields))
        if ok:
            self._show_fields(stored)
            self.fields_status.setText("Pilihan isian tersimpan.")
            self._changed()
        return ok

    def _finish(self) -> None:
        from kinerja_desktop.services import cycles

        if not ask_yes_no(self, "Akhiri langkah 2",
                          "Format dinyatakan selesai dan tidak dapat diubah lagi. Lanjutkan?"):
            return
        ok, _ = run_action(self, lambda: cycles.finish_step(self.ctx, self.user_id,
                                                            self.cycle_id, 2))
        if ok:
            self.signals.data_changed.emit(CHANGE_CYCLE)
