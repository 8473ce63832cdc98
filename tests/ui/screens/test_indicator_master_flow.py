"""Indicator master: a new sasaran shows at once, rules per indicator, Excel import."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from kinerja_desktop.domain.achievement import Formula
from kinerja_desktop.services import formats
from kinerja_desktop.spreadsheets import indicator_workbook as iw
from kinerja_desktop.ui.signals import AppSignals

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _master(ctx, qtbot, user_id):
    from kinerja_desktop.ui.screens.indicator_master import IndicatorMasterWidget

    signals = AppSignals()
    widget = IndicatorMasterWidget(ctx, user_id, signals)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.year.setValue(2025)
    return widget, signals


def test_new_sasaran_is_visible_before_its_first_indicator(ctx, small_office, qtbot):
    from kinerja_desktop.ui.models.performance_data import ObjectiveOnly

    widget, signals = _master(ctx, qtbot, small_office.kasubag)
    formats.create_objective(ctx, small_office.kasubag, "Meningkatnya tata kelola BUMDes", "SS9")
    signals.data_changed.emit("format")
    row = widget.model.row_of(lambda r: isinstance(r, ObjectiveOnly))
    assert row is not None
    assert widget.model.data(widget.model.index(row, widget.model.COL_OBJECTIVE)) \
        == "Meningkatnya tata kelola BUMDes"
    assert widget.model.data(widget.model.index(row, widget.model.COL_NAME)) \
        == "(belum ada indikator)"
    widget.table.selectRow(row)
    assert widget.edit_objective_button.isEnabled() and not widget.edit_button.isEnabled()
    assert "2 sasaran strategis" in widget.status.text()


def test_indicator_dialog_rules_and_the_negatif_formula_fits(ctx, small_office, qtbot):
    from kinerja_desktop.ui.screens.indicator_master import IndicatorDialog

    widget, signals = _master(ctx, qtbot, small_office.kasubag)
    record = widget.model.record(0)
    dialog = IndicatorDialog(ctx, small_office.kasubag, 2025, record, None, widget)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.polarity.setCurrentIndex(dialog.polarity.findData("negatif"))
    text = Formula.DUA_TARGET_KURANG_REALISASI.describe()
    assert dialog.formula.currentText() == text
    assert dialog.formula.width() >= dialog.formula.fontMetrics().horizontalAdvance(text)
    dialog.polarity.setCurrentIndex(dialog.polarity.findData("positif"))
    qtbot.mouseClick(dialog.rules.above_100, Qt.MouseButton.LeftButton)
    dialog.rules.max_achievement.setValue(200)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    rules = next(i for i in formats.list_indicators(ctx) if i.id == record.id).plausibility
    assert rules.percent_above_100 and rules.max_achievement == 200
    signals.data_changed.emit("format")
    assert "boleh > 100%" in widget.model.data(widget.model.index(0, widget.model.COL_RULES))


def test_import_from_excel_shows_the_report_then_applies(ctx, small_office, qtbot, tmp_path):
    widget, _signals = _master(ctx, qtbot, small_office.kasubag)
    template = widget.save_template(tmp_path / "master.xlsx")
    assert template is not None and "Templat disimpan" in widget.status.text()
    wb = load_workbook(template)
    ws = wb[iw.SHEET_DATA]
    row = iw.FIRST_ROW + 3
    for column, value in enumerate(("SS2", "Meningkatnya kemandirian ekonomi desa", "IK4",
                                    "Jumlah BUMDes maju", "unit", "Positif", "", "Tidak",
                                    "Tim Bidang B", 12, 20, 2026, "Laporan BUMDes"), start=1):
        ws.cell(row=row, column=column, value=value)
    wb.save(template)
    dialog = widget.import_file(template)
    qtbot.addWidget(dialog)
    assert "Berkas valid: 1 indikator baru" in dialog.summary.text()
    assert "belum ada data yang diubah" in dialog.summary.text().lower()
    assert "Jumlah BUMDes maju" not in {i.name for i in formats.list_indicators(ctx)}
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert "Impor selesai: 1 indikator baru" in dialog.summary.text()
    assert widget.model.row_of(lambda r: getattr(r, "name", "") == "Jumlah BUMDes maju") \
        is not None


def test_a_bad_file_shows_errors_and_cannot_be_applied(ctx, small_office, qtbot, tmp_path):
    widget, _signals = _master(ctx, qtbot, small_office.kasubag)
    count = len(formats.list_indicators(ctx))
    path = widget.save_template(tmp_path / "master.xlsx")
    wb = load_workbook(path)
    wb[iw.SHEET_DATA].cell(row=iw.FIRST_ROW, column=6, value="Kadang")
    wb.save(path)
    dialog = widget.import_file(path)
    qtbot.addWidget(dialog)
    assert "1 kesalahan" in dialog.summary.text() and not dialog.apply_button.isEnabled()
    assert "[Indikator!F5] Polaritas harus Positif atau Negatif." \
        in dialog.text.toPlainText()
    assert len(formats.list_indicators(ctx)) == count


def test_earlier_years_typed_in_the_master(ctx, small_office, qtbot):
    from kinerja_desktop.services import earlier_years

    widget, signals = _master(ctx, qtbot, small_office.kasubag)
    assert not widget.earlier_button.isEnabled()  # nothing selected yet
    widget.table.selectRow(0)
    assert widget.earlier_button.isEnabled()
    record = widget.model.record(0)
    dialog = widget.edit_earlier_years()
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    assert list(dialog.fields) == [2022, 2023, 2024]
    with qtbot.waitSignal(signals.data_changed):
        qtbot.keyClicks(dialog.fields[2023], "61,5")
        qtbot.keyClicks(dialog.fields[2024], "4.25")  # ambiguous: refused, nothing saved
        dialog.accept()
        assert dialog.isVisible() and "4.25" in dialog.error_label.text()
        assert earlier_years.earlier_actuals(ctx, record.id) == []
        dialog.fields[2024].clear()
        qtbot.keyClicks(dialog.fields[2024], "64")
        dialog.accept()
    assert not dialog.isVisible()
    assert [(a.year, a.actual) for a in earlier_years.earlier_actuals(ctx, record.id)] == [
        (2023, 61.5), (2024, 64.0)]
    # Opened again: the stored values; emptying one clears it.
    widget.table.selectRow(widget.model.row_of(lambda r: r.id == record.id))
    again = widget.edit_earlier_years()
    qtbot.addWidget(again)
    assert again.fields[2023].text() == "61,5" and again.fields[2022].text() == ""
    again.fields[2023].clear()
    again.accept()
    assert [(a.year, a.actual) for a in earlier_years.earlier_actuals(ctx, record.id)] == [
        (2024, 64.0)]
