"""Format builder (step 2, Kasubag): the year's indicators, the team of each, targets,
and which fields the teams must fill. Step 2 cannot finish with an empty format, an
indicator without a team, or a numeric indicator without a target.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.domain.format_fields import FIELDS, Requirement
from kinerja_desktop.ui.common import (
    ERROR_STYLE,
    FormDialog,
    ask_yes_no,
    heading,
    run_action,
    show_error,
)
from kinerja_desktop.ui.models.performance_data import FormatTableModel
from kinerja_desktop.ui.signals import CHANGE_CYCLE, CHANGE_FORMAT, CHANGE_TEAMS
from kinerja_desktop.ui.sizing import size_window
from kinerja_desktop.ui.widgets.number_edit import NumberEdit
from kinerja_desktop.ui.widgets.performance_data import LazyRefresh, default_cycle_id
from kinerja_desktop.ui.widgets.tables import record_table

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


class FormatItemDialog(FormDialog):
    """Team, target and pagu of one indicator in the format."""

    def __init__(self, ctx, user_id: int, item, parent: QWidget | None = None) -> None:
        super().__init__("Ubah butir format", parent)
        self.ctx, self.user_id, self.item = ctx, user_id, item
        self.set_intro(item.indicator_name)
        self.team = _team_combo(ctx, item.team_id)
        self.form.addRow("Tim penanggung jawab", self.team)
        self.target_number = NumberEdit("Target", allow_negative=True)
        self.target_text = QLineEdit(item.target_text)
        if item.qualitative:
            self.form.addRow("Target (teks)", self.target_text)
        else:
            self.target_number.set_value(item.target)
            unit = f" ({item.unit})" if item.unit else ""
            self.form.addRow(f"Target{unit}", self.target_number)
        self.budget = NumberEdit("Pagu")
        self.budget.set_value(item.budget)
        self.form.addRow("Pagu anggaran (Rp)", self.budget)
        size_window(self, 520, 220)

    def save(self):
        from kinerja_desktop.services import formats

        target = None if self.item.qualitative else self.target_number.value()
        budget = self.budget.value()
        return formats.update_format_item(
            self.ctx, self.user_id, self.item.id, self.team.currentData(),
            float(target) if target is not None else None,
            self.target_text.text() if self.item.qualitative else "",
            float(budget) if budget is not None else None)


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
        for ind in formats.list_indicators(ctx):
            if ind.id in present:
                continue
            item = QListWidgetItem(ind.name + (f" — {ind.team_name}" if ind.team_name
                                               else " — tim belum ditetapkan"))
            item.setToolTip(f"Sasaran: {ind.objective_name}")
            item.setData(Qt.ItemDataRole.UserRole, ind.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        if not self.list.count():
            self.list.addItem("Semua indikator aktif sudah ada dalam format.")
        self.form.addRow(self.list)
        size_window(self, 780, 460)

    def save(self) -> int:
        from kinerja_desktop.services import formats

        chosen = [self.list.item(i).data(Qt.ItemDataRole.UserRole)
                  for i in range(self.list.count())
                  if self.list.item(i).checkState() == Qt.CheckState.Checked]
        if not chosen:
            raise ValidationError("Belum ada indikator yang dicentang.")
        for indicator_id in chosen:
            formats.add_to_format(self.ctx, self.user_id, self.cycle_id, indicator_id)
        return len(chosen)


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

        body = QHBoxLayout()
        self.model = FormatTableModel(self)
        self.table = record_table(self.model, FormatTableModel.COL_NAME)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FormatTableModel.COL_OBJECTIVE,
                                    QHeaderView.ResizeMode.Interactive)
        header.resizeSection(FormatTableModel.COL_OBJECTIVE, 200)
        header.setSectionResizeMode(FormatTableModel.COL_TEAM, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(FormatTableModel.COL_TEAM, 190)
        self.table.doubleClicked.connect(lambda _index: self._edit())
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
            combo.currentIndexChanged.connect(self._field_chosen)
            self.field_combos[field.key] = combo
            grid.addWidget(combo, row, 1)
        # Each choice is saved at once, so a refresh (another change) never resets it.
        self.fields_status = QLabel("Pilihan langsung disimpan.")
        self.fields_status.setWordWrap(True)
        self.fields_status.setStyleSheet("color: #455a64;")
        grid.addWidget(self.fields_status, len(FIELDS), 0, 1, 2)
        grid.setRowStretch(len(FIELDS) + 1, 1)
        body.addWidget(fields_box, 1)
        outer.addLayout(body, 1)
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        self.missing_label.setStyleSheet(ERROR_STYLE)
        outer.addWidget(self.missing_label)

    # ------------------------------------------------------------------ data

    def set_cycle(self, cycle_id: int | None) -> None:
        self.cycle_id = cycle_id
        self.refresh()

    def refresh(self) -> None:
        from kinerja_desktop.services import cycles, formats

        if self.cycle_id is None:
            self.model.set_records([])
            self.step_label.setText("Belum ada siklus pengumpulan data. Sekretaris memulai "
                                    "siklus pada langkah 1.")
            self.missing_label.clear()
            self._set_editable(False)
            return
        flow = cycles.workflow(self.ctx, self.cycle_id, self.user_id)
        step = flow.step(2)
        self.title.setText(f"Format pengumpulan data — {flow.cycle.label}")
        self.model.set_records(formats.format_items(self.ctx, self.cycle_id))
        self._show_fields(formats.field_requirements(self.ctx, self.cycle_id))
        editable = step.ready_at is not None and step.finished_at is None
        if step.finished_at is not None:
            text = f"Langkah 2 selesai ({step.timing.status.label.lower()}); format sudah final."
        elif step.ready_at is None:
            text = "Langkah 2 belum siap: langkah 1 (perintah Sekretaris) belum selesai."
        else:
            text = f"Langkah 2: {step.timing.status.label} · mutu baku {step.time_label}."
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

    def _field_chosen(self) -> None:
        """A required/optional choice made by the user: saved now (restored if refused)."""
        from kinerja_desktop.services import formats

        if self._loading or self.cycle_id is None:
            return
        if not self.save_fields():
            self._show_fields(formats.field_requirements(self.ctx, self.cycle_id))

    def _set_editable(self, editable: bool) -> None:
        for widget in (self.add_button, self.edit_button, self.remove_button, self.copy_button,
                       self.finish_button):
            widget.setEnabled(editable)
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

    def save_fields(self) -> bool:
        from kinerja_desktop.services import formats

        fields = {key: combo.currentData() for key, combo in self.field_combos.items()}
        ok, _ = run_action(self, lambda: formats.set_field_requirements(
            self.ctx, self.user_id, self.cycle_id, fields))
        if ok:
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
