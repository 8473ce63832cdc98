"""Indicator master: strategic objectives (sasaran strategis) → indicators with unit,
polarity, formula, data source, responsible team, the yearly target and the Renstra
end target. Indicators live across years; targets can be copied from last year.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
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
from kinerja_desktop.ui.models.performance_data import IndicatorTableModel, ObjectiveOnly
from kinerja_desktop.ui.signals import CHANGE_CYCLE, CHANGE_FORMAT, CHANGE_TEAMS
from kinerja_desktop.ui.widgets.number_edit import NumberEdit
from kinerja_desktop.ui.widgets.performance_data import LazyRefresh
from kinerja_desktop.ui.widgets.tables import record_table
from kinerja_desktop.ui.widgets.text_limits import limit_line

FORMULAS = {
    Polarity.POSITIF: (Formula.REALISASI_PER_TARGET,),
    Polarity.NEGATIF: (Formula.DUA_TARGET_KURANG_REALISASI, Formula.TARGET_PER_REALISASI),
}


class ObjectiveDialog(RecordDialog):
    def __init__(self, ctx, user_id: int, objective=None, parent: QWidget | None = None) -> None:
        super().__init__("Ubah sasaran strategis" if objective else "Tambah sasaran strategis",
                         parent)
        self.ctx, self.user_id, self.objective = ctx, user_id, objective
        self.code = limit_line(QLineEdit(objective.code if objective else ""), "objectives.code")
        self.code.setPlaceholderText("mis. SS1")
        self.name = limit_line(QLineEdit(objective.name if objective else ""),
                               "objectives.name")
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


class RulesBox(QGroupBox):
    """The indicator's plausibility rules (warnings only; the values are never blocked)."""

    WHOLE = (("Menurut satuan (desa, orang, kegiatan, …)", None),
             ("Ya, selalu bilangan bulat", True), ("Tidak, boleh pecahan", False))

    def __init__(self, rules=None, parent: QWidget | None = None) -> None:
        super().__init__("Pemeriksaan kewajaran (peringatan, tidak menolak nilai)", parent)
        from kinerja_desktop.domain.plausibility import DEFAULT_RULES

        rules = rules or DEFAULT_RULES
        form = QFormLayout(self)
        self.enabled = QCheckBox("Periksa kewajaran nilai indikator ini")
        self.enabled.setChecked(rules.enabled)
        self.above_100 = QCheckBox("Realisasi persen boleh di atas 100% (mis. laju "
                                   "pertumbuhan)")
        self.above_100.setChecked(rules.percent_above_100)
        self.max_achievement = QSpinBox()
        self.max_achievement.setRange(101, 100000)
        self.max_achievement.setSuffix(" %")
        self.max_achievement.setValue(int(rules.max_achievement))
        self.max_change = QSpinBox()
        self.max_change.setRange(1, 100000)
        self.max_change.setSuffix(" %")
        self.max_change.setValue(int(rules.max_change * 100))
        self.whole = QComboBox()
        for label, value in self.WHOLE:
            self.whole.addItem(label, value)
        self.whole.setCurrentIndex(next(i for i, (_l, v) in enumerate(self.WHOLE)
                                        if v == rules.whole_numbers))
        self._min_achievement = rules.min_achievement
        form.addRow(self.enabled)
        form.addRow(self.above_100)
        form.addRow("Capaian wajar paling tinggi", self.max_achievement)
        form.addRow("Beda dari realisasi tahun lalu paling banyak", self.max_change)
        form.addRow("Bilangan bulat", self.whole)
        self.enabled.toggled.connect(self._toggle)
        self._toggle(rules.enabled)

    def _toggle(self, on: bool) -> None:
        for widget in (self.above_100, self.max_achievement, self.max_change, self.whole):
            widget.setEnabled(on)

    def rules(self):
        from decimal import Decimal

        from kinerja_desktop.domain.plausibility import PlausibilityRules

        return PlausibilityRules(
            percent_above_100=self.above_100.isChecked(),
            min_achievement=self._min_achievement,
            max_achievement=Decimal(self.max_achievement.value()),
            max_change=Decimal(self.max_change.value()) / 100,
            whole_numbers=self.whole.currentData(), enabled=self.enabled.isChecked())


class IndicatorDialog(RecordDialog):
    """Create or change an indicator, with its target for the chosen year."""

    def __init__(self, ctx, user_id: int, year: int, indicator=None, target=None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Ubah indikator" if indicator else "Tambah indikator", parent)
        from kinerja_desktop.services import formats, programmes, teams

        self.ctx, self.user_id, self.year, self.indicator = ctx, user_id, year, indicator
        self.target_info = target  # its version guards the target against a stale save
        self.objective = QComboBox()
        for obj in formats.list_objectives(ctx):
            self.objective.addItem(f"{obj.code} {obj.name}".strip(), obj.id)
        self.code = limit_line(QLineEdit(), "indicators.code")
        self.name = limit_line(QLineEdit(), "indicators.name")
        self.name.setMinimumWidth(480)
        self.unit = limit_line(QLineEdit(), "indicators.unit")
        self.unit.setPlaceholderText("mis. %, desa, unit")
        self.qualitative = QCheckBox("Indikator kualitatif (mis. opini BPK, predikat SAKIP)")
        self.polarity = QComboBox()
        self.polarity.addItem("Positif (makin tinggi makin baik)", Polarity.POSITIF.value)
        self.polarity.addItem("Negatif (makin rendah makin baik)", Polarity.NEGATIF.value)
        self.formula = QComboBox()
        # Wide enough for the longest formula whichever polarity is chosen first.
        longest = max(len(f.describe()) for f in Formula)
        self.formula.setMinimumContentsLength(longest)
        self.formula.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source = limit_line(QLineEdit(), "indicators.data_source")
        self.team = QComboBox()
        self.team.addItem("— belum ditetapkan —", None)
        for team in teams.list_teams(ctx):
            self.team.addItem(team.name, team.id)
        self.programme = QComboBox()
        self.programme.addItem("— tidak termasuk program —", None)
        for programme in programmes.list_programmes(ctx):
            self.programme.addItem(programme.label, programme.id)
        self.target = NumberEdit(f"Target {year}", allow_negative=True)
        self.target_text = limit_line(QLineEdit(), "indicator_targets.target_text")
        self.target_text.setPlaceholderText("untuk indikator kualitatif, mis. WTP")
        self.renstra = NumberEdit("Target akhir Renstra", allow_negative=True)
        self.renstra_text = limit_line(QLineEdit(), "indicators.renstra_target_text")
        self.renstra_year = QSpinBox()
        self.renstra_year.setRange(0, 2100)
        self.renstra_year.setSpecialValueText("–")
        for label, widget in (("Sasaran strategis", self.objective), ("Kode", self.code),
                              ("Nama indikator", self.name), ("Satuan", self.unit),
                              ("", self.qualitative), ("Polaritas", self.polarity),
                              ("Rumus capaian", self.formula), ("Sumber data", self.source),
                              ("Tim penanggung jawab", self.team),
                              ("Program anggaran", self.programme),
                              (f"Target {year}", self.target),
                              (f"Target {year} (teks)", self.target_text),
                              ("Target akhir Renstra", self.renstra),
                              ("Target akhir Renstra (teks)", self.renstra_text),
                              ("Tahun akhir Renstra", self.renstra_year)):
            self.form.addRow(label, widget)
        self.rules = RulesBox(indicator.plausibility if indicator is not None else None)
        self.form.addRow(self.rules)
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
        self.programme.setCurrentIndex(max(self.programme.findData(indicator.programme_id), 0))
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
            renstra_year=self.renstra_year.value() or None, code=self.code.text(),
            plausibility=self.rules.rules(), programme_id=self.programme.currentData())
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
        self.year.valueChanged.connect(lambda _v: self.request_refresh())
        top.addWidget(self.year)
        self.show_inactive = QCheckBox("Tampilkan yang nonaktif")
        self.show_inactive.toggled.connect(lambda _v: self.request_refresh())
        top.addWidget(self.show_inactive)
        top.addStretch(1)
        self.earlier_button = QPushButton("Realisasi tahun sebelumnya…")
        self.earlier_button.setObjectName("tombolRealisasiSebelumnya")
        self.earlier_button.setToolTip("Isi realisasi indikator terpilih pada tiga tahun "
                                       "sebelum tahun target (dari LKjIP terdahulu) untuk "
                                       "perbandingan antartahun.")
        self.earlier_button.clicked.connect(self.edit_earlier_years)
        top.addWidget(self.earlier_button)
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
        self.template_button = QPushButton("Templat Excel…")
        self.template_button.setToolTip("Simpan templat master indikator (berisi indikator "
                                        "yang sudah ada) untuk diisi di Excel.")
        self.template_button.clicked.connect(self._save_template)
        self.import_button = QPushButton("Impor dari Excel…")
        self.import_button.setToolTip("Impor daftar IKU/Renstra kantor dari templat yang "
                                      "diisi; diperiksa seluruhnya dahulu, semua atau tidak "
                                      "sama sekali.")
        self.import_button.clicked.connect(self._choose_import)
        for button in (self.add_objective_button, self.edit_objective_button, self.add_button,
                       self.edit_button, self.active_button, self.copy_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.template_button)
        buttons.addWidget(self.import_button)
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
        self.model.set_data(with_empty_objectives(indicators,
                                                  formats.list_objectives(self.ctx)),
                            targets, year)
        missing = sum(1 for i in indicators if i.id not in targets and i.active)
        objectives = len({i.objective_id for i in self.model.records})
        self.status.setText(f"{len(indicators)} indikator dalam {objectives} sasaran strategis"
                            + (f" · {missing} belum memiliki target {year}" if missing else ""))
        self._update_buttons()

    def _update_buttons(self) -> None:
        record = self._current()
        indicator = record is not None and not isinstance(record, ObjectiveOnly)
        self.edit_button.setEnabled(indicator)
        self.edit_objective_button.setEnabled(record is not None)
        self.active_button.setEnabled(indicator)
        self.earlier_button.setEnabled(indicator)
        self.active_button.setText("Aktifkan kembali" if indicator and not record.active
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
        if isinstance(record, ObjectiveOnly):
            self._edit_objective()
            return
        target = self.model.targets.get(record.id)
        if IndicatorDialog(self.ctx, self.user_id, self.year.value(), record, target,
                           self).exec():
            self._changed()

    def edit_earlier_years(self):
        """The dialog of the selected indicator's earlier-year realisasi (None: no
        indicator selected), opened window-modal."""
        from kinerja_desktop.ui.dialogs.earlier_years import EarlierYearsDialog

        record = self._current()
        if record is None or isinstance(record, ObjectiveOnly):
            return None
        dialog = EarlierYearsDialog(self.ctx, self.user_id, record, self.year.value(), self)
        dialog.accepted.connect(self._changed)
        dialog.open()
        return dialog

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

    def _save_template(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Simpan templat master indikator",
            f"Master indikator {self.year.value()}.xlsx", "Buku kerja Excel (*.xlsx)")
        return self.save_template(Path(name)) if name else None

    def save_template(self, path: Path) -> Path | None:
        """Write the template (with the office's indicators and this year's targets)."""
        from kinerja_desktop.atomic import write_chosen_file
        from kinerja_desktop.services import indicator_import

        year = self.year.value()
        ok, content = run_action(self, lambda: indicator_import.template(
            self.ctx, self.user_id, year))
        if not ok:
            return None
        if not run_action(self, lambda: write_chosen_file(path, content))[0]:
            return None
        self.status.setText(f"Templat disimpan: {path.name}")
        return path

    def _choose_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Impor master indikator dari Excel", "",
                                              "Buku kerja Excel (*.xlsx)")
        if name:
            self.import_file(Path(name)).exec()

    def import_file(self, path: Path):
        """The import dialog for ``path`` (its check already run), wired to refresh."""
        from kinerja_desktop.ui.dialogs.indicator_import import ImportIndicatorsDialog

        dialog = ImportIndicatorsDialog(self.ctx, self.user_id, path, self.year.value(), self)
        dialog.applied.connect(lambda _report: self._changed())
        return dialog

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


def with_empty_objectives(indicators, objectives) -> list:
    """The indicators in master order, with a row for each objective that has none yet
    (in the objectives' order)."""
    by_objective: dict[int, list] = {}
    for ind in indicators:
        by_objective.setdefault(ind.objective_id, []).append(ind)
    rows: list = []
    for objective in objectives:
        rows.extend(by_objective.pop(objective.id, None)
                    or [ObjectiveOnly(objective.id, objective.name, objective.code)])
    for rest in by_objective.values():  # indicators of inactive objectives
        rows.extend(rest)
    return rows
