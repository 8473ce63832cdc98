"""Indicator master: strategic objectives (sasaran strategis) → indicators with unit,
polarity, formula, data source, responsible team, the yearly target and the Renstra
end target. Indicators live across years; targets can be copied from last year.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.achievement import Formula, Polarity
from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.ui.common import (
    RecordDialog,
    ask_yes_no,
    heading,
    run_action,
    show_error,
    today,
)
from kinerja_desktop.ui.models.performance_data import IndicatorTableModel
from kinerja_desktop.ui.signals import CHANGE_CYCLE, CHANGE_FORMAT, CHANGE_TEAMS
from kinerja_desktop.ui.widgets.number_edit import NumberEdit
from kinerja_desktop.ui.widgets.performance_data import LazyRefresh
from kinerja_desktop.ui.widgets.tables import record_table

FORMULAS = {
    Polarity.POSITIF: (Formula.REALISASI_PER_TARGET,),
    Polarity.NEGATIF: (Formula.DUA_TARGET_KURANG_REALISASI, Formula.TARGET_PER_REALISASI),
}


class ObjectiveDialog(RecordDialog):
    def __init__(self, ctx, user_id: int, objective=None, parent: QWidget | None = None) -> None:
        super().__init__("Ubah sasaran strategis" if objective else "Tambah sasaran strategis",
                         parent)
        self.ctx, self.user_id, self.objective = ctx, user_id, objective
        self.code = QLineEdit(objective.code if objective else "")
        self.code.setPlaceholderText("mis. SS1")
        self.name = QLineEdit(objective.name if objective else "")
        self.name.setMinimumWidth(480)
        self.form.addRow("Kode", self.code)
        self.form.addRow("Sasaran strategis", self.name)

    def fill(self, objective) -> None:
        self.code.setText(objective.code)
        self.name.setText(objective.name)

    def read_stored(self):
        from kinerja_desktop.services import formats

        return formats.get_objective(self.ctx, self.objective.id)

    def adopt(self, objective) -> None:
        self.objective = objective

    def save(self):
        from kinerja_desktop.services import formats

        if self.objective is None:
            return formats.create_objective(self.ctx, self.user_id, self.name.text(),
                                            self.code.text())
        return formats.update_objective(self.ctx, self.user_id, self.objective.id,
                                        self.name.text(), self.code.text(),
                                        expected_version=self.objective.version)


class IndicatorDialog(RecordDialog):
    """Create or change an indicator, with its target for the chosen year."""

    def __init__(self, ctx, user_id: int, year: int, indicator=None, target=None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Ubah indikator" if indicator else "Tambah indikator", parent)
        from kinerja_desktop.services import formats, teams

        self.ctx, self.user_id, self.year, self.indicator = ctx, user_id, year, indicator
        self.target_info = target  # its version guards the target against a stale save
        self.objective = QComboBox()
        for obj in formats.list_objectives(ctx):
            self.objective.addItem(f"{obj.code} {obj.name}".strip(), obj.id)
        self.code = QLineEdit()
        self.name = QLineEdit()
        self.name.setMinimumWidth(480)
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("mis. %, desa, unit")
        self.qualitative = QCheckBox("Indikator kualitatif (mis. opini BPK, predikat SAKIP)")
        self.polarity = QComboBox()
        self.polarity.addItem("Positif (makin tinggi makin baik)", Polarity.POSITIF.value)
        self.polarity.addItem("Negatif (makin rendah makin baik)", Polarity.NEGATIF.value)
        self.formula = QComboBox()
        self.source = QLineEdit()
        self.team = QComboBox()
        self.team.addItem("— belum ditetapkan —", None)
        for team in teams.list_teams(ctx):
            self.team.addItem(team.name, team.id)
        self.target = NumberEdit(f"Target {year}", allow_negative=True)
        self.target_text = QLineEdit()
        self.target_text.setPlaceholderText("untuk indikator kualitatif, mis. WTP")
        self.renstra = NumberEdit("Target akhir Renstra", allow_negative=True)
        self.renstra_text = QLineEdit()
        self.renstra_year = QSpinBox()
        self.renstra_year.setRange(0, 2100)
        self.renstra_year.setSpecialValueText("–")
        for label, widget in (("Sasaran strategis", self.objective), ("Kode", self.code),
                              ("Nama indikator", self.name), ("Satuan", self.unit),
                              ("", self.qualitative), ("Polaritas", self.polarity),
                              ("Rumus capaian", self.formula), ("Sumber data", self.source),
                              ("Tim penanggung jawab", self.team),
                              (f"Target {year}", self.target),
                              (f"Target {year} (teks)", self.target_text),
                              ("Target akhir Renstra", self.renstra),
                              ("Target akhir Renstra (teks)", self.renstra_text),
                              ("Tahun akhir Renstra", self.renstra_year)):
            self.form.addRow(label, widget)
        self.polarity.currentIndexChanged.connect(self._fill_formulas)
        self.qualitative.toggled.connect(self._qualitative_toggled)
        self._fill_formulas()
        if indicator is not None:
            self.fill((indicator, target))
        self._qualitative_toggled(self.qualitative.isChecked())

    def fill(self, record) -> None:
        """Put an indicator and its target of the year (None: not set) into the fields."""
        indicator, target = record
        self.objective.setCurrentIndex(max(self.objective.findData(indicator.objective_id), 0))
        self.code.setText(indicator.code)
        self.name.setText(indicator.name)
        self.unit.setText(indicator.unit)
        self.qualitative.setChecked(indicator.qualitative)
        self.polarity.setCurrentIndex(self.polarity.findData(indicator.polarity.value))
        self.source.setText(indicator.data_source)
        self.team.setCurrentIndex(max(self.team.findData(indicator.team_id), 0))
        self.renstra.set_value(indicator.renstra_target)
        self.renstra_text.setText(indicator.renstra_target_text)
        self.renstra_year.setValue(indicator.renstra_year or 0)
        self.formula.setCurrentIndex(max(self.formula.findData(indicator.formula.value), 0))
        self.target.set_value(target.target if target is not None else None)
        self.target_text.setText(target.target_text if target is not None else "")

    def read_stored(self):
        from kinerja_desktop.services import formats

        return formats.get_indicator(self.ctx, self.indicator.id, self.year)

    def adopt(self, record) -> None:
        self.indicator, self.target_info = record

    def _fill_formulas(self) -> None:
        self.formula.clear()
        for formula in FORMULAS[Polarity(self.polarity.currentData())]:
            self.formula.addItem(formula.describe(), formula.value)

    def _qualitative_toggled(self, on: bool) -> None:
        self.target.setEnabled(not on)
        self.renstra.setEnabled(not on)
        self.target_text.setEnabled(on)
        self.renstra_text.setEnabled(on)

    def save(self):
        from kinerja_desktop.services import formats

        if self.objective.currentData() is None:
            raise ValidationError("Buat sasaran strategis dahulu.")
        qualitative = self.qualitative.isChecked()
        target = None if qualitative else self.target.value()
        renstra = None if qualitative else self.renstra.value()
        data = formats.IndicatorInput(
            objective_id=self.objective.currentData(), name=self.name.text(),
            unit=self.unit.text(), polarity=Polarity(self.polarity.currentData()),
            formula=Formula(self.formula.currentData()), qualitative=qualitative,
            data_source=self.source.text(), team_id=self.team.currentData(),
            renstra_target=float(renstra) if renstra is not None else None,
            renstra_target_text=self.renstra_text.text() if qualitative else "",
            renstra_year=self.renstra_year.value() or None, code=self.code.text())
        if self.indicator is None:
            info = formats.create_indicator(self.ctx, self.user_id, data)
        else:
            info = formats.update_indicator(self.ctx, self.user_id, self.indicator.id, data,
                                            expected_version=self.indicator.version)
        # Saved: when the target below is refused, Simpan again changes this indicator
        # (it neither adds a second one nor trips over its own change).
        self.indicator = info
        text = self.target_text.text() if qualitative else ""
        if target is not None or text.strip():
            formats.set_target(self.ctx, self.user_id, info.id, self.year,
                               float(target) if target is not None else None, text,
                               expected_version=self.target_info.version if self.target_info
                               else 0)
        return info


class IndicatorMasterWidget(LazyRefresh, QWidget):
    """Objectives and indicators across years, with the targets of one year."""

    REFRESH_AREAS = (CHANGE_FORMAT, CHANGE_TEAMS, CHANGE_CYCLE)

    def __init__(self, ctx, user_id: int, signals, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.user_id, self.signals = ctx, user_id, signals
        self._build()
        signals.data_changed.connect(self._on_data_changed)
        self.refresh()

    def _build(self) -> None:
        from kinerja_desktop.services import cycles

        outer = QVBoxLayout(self)
        outer.addWidget(heading("Master indikator kinerja"))
        top = QHBoxLayout()
        top.addWidget(QLabel("Target tahun:"))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        cycle = cycles.active_cycle(self.ctx)
        self.year.setValue(cycle.year if cycle else today(self.ctx).year)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        top.addWidget(self.year)
        self.show_inactive = QCheckBox("Tampilkan yang nonaktif")
        self.show_inactive.toggled.connect(lambda _v: self.refresh())
        top.addWidget(self.show_inactive)
        top.addStretch(1)
        outer.addLayout(top)
        buttons = QHBoxLayout()
        self.add_objective_button = QPushButton("Tambah sasaran…")
        self.add_objective_button.clicked.connect(self._add_objective)
        self.edit_objective_button = QPushButton("Ubah sasaran…")
        self.edit_objective_button.clicked.connect(self._edit_objective)
        self.add_button = QPushButton("Tambah indikator…")
        self.add_button.clicked.connect(self._add)
        self.edit_button = QPushButton("Ubah indikator…")
        self.edit_button.clicked.connect(self._edit)
        self.active_button = QPushButton("Nonaktifkan")
        self.active_button.clicked.connect(self._toggle_active)
        self.copy_button = QPushButton("Salin target dari tahun lalu")
        self.copy_button.clicked.connect(self.copy_targets)
        for button in (self.add_objective_button, self.edit_objective_button, self.add_button,
                       self.edit_button, self.active_button, self.copy_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        self.model = IndicatorTableModel(self)
        self.table = record_table(self.model, IndicatorTableModel.COL_NAME)
        header = self.table.horizontalHeader()
        for column, width in ((IndicatorTableModel.COL_OBJECTIVE, 200),
                              (IndicatorTableModel.COL_SOURCE, 150),
                              (IndicatorTableModel.COL_TEAM, 170)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.table.doubleClicked.connect(lambda _index: self._edit())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        outer.addWidget(self.table, 1)
        self.status = QLabel()
        outer.addWidget(self.status)

    def set_cycle(self, cycle_id: int | None) -> None:
        from kinerja_desktop.services import cycles

        if cycle_id is not None:
            self.year.setValue(cycles.get_cycle(self.ctx, cycle_id).year)

    def refresh(self) -> None:
        from kinerja_desktop.services import formats

        year = self.year.value()
        indicators = formats.list_indicators(self.ctx, self.show_inactive.isChecked())
        targets = formats.targets_for_year(self.ctx, year)
        self.model.set_data(indicators, targets, year)
        missing = sum(1 for i in indicators if i.id not in targets and i.active)
        objectives = len({i.objective_id for i in indicators})
        self.status.setText(f"{len(indicators)} indikator dalam {objectives} sasaran strategis"
                            + (f" · {missing} belum memiliki target {year}" if missing else ""))
        self._update_buttons()

    def _update_buttons(self) -> None:
        record = self._current()
        self.edit_button.setEnabled(record is not None)
        self.edit_objective_button.setEnabled(record is not None)
        self.active_button.setEnabled(record is not None)
        self.active_button.setText("Aktifkan kembali" if record is not None and not record.active
                                   else "Nonaktifkan")

    def _current(self):
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def _changed(self) -> None:
        self.signals.data_changed.emit(CHANGE_FORMAT)

    def _add_objective(self) -> None:
        if ObjectiveDialog(self.ctx, self.user_id, parent=self).exec():
            self._changed()

    def _edit_objective(self) -> None:
        from kinerja_desktop.services import formats

        record = self._current()
        if record is None:
            return
        objective = next((o for o in formats.list_objectives(self.ctx)
                          if o.id == record.objective_id), None)
        if objective is not None and ObjectiveDialog(self.ctx, self.user_id, objective,
                                                     self).exec():
            self._changed()

    def _add(self) -> None:
        from kinerja_desktop.services import formats

        if not formats.list_objectives(self.ctx):
            show_error(self, ValidationError("Buat sasaran strategis dahulu (Tambah sasaran)."))
            return
        if IndicatorDialog(self.ctx, self.user_id, self.year.value(), parent=self).exec():
            self._changed()

    def _edit(self) -> None:
        record = self._current()
        if record is None:
            return
        target = self.model.targets.get(record.id)
        if IndicatorDialog(self.ctx, self.user_id, self.year.value(), record, target,
                           self).exec():
            self._changed()

    def _toggle_active(self) -> None:
        from kinerja_desktop.services import formats

        record = self._current()
        if record is None:
            return
        if record.active and not ask_yes_no(
                self, "Nonaktifkan indikator",
                f"Nonaktifkan '{record.name}'? Data tahun-tahun sebelumnya tetap tersimpan."):
            return
        ok, _ = run_action(self, lambda: formats.set_indicator_active(
            self.ctx, self.user_id, record.id, not record.active))
        if ok:
            self._changed()

    def copy_targets(self) -> int | None:
        from kinerja_desktop.services import formats

        year = self.year.value()
        ok, added = run_action(self, lambda: formats.copy_targets_from_previous_year(
            self.ctx, self.user_id, year))
        if ok:
            self._changed()
            self.status.setText(self.status.text()
                                + f" · {added} target disalin dari tahun {year - 1}")
            return added
        return None
