"""The performance-data table models pass the model tester."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kinerja_desktop.services import cycles, demo, formats, teams

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_models_pass_the_model_tester(ctx, qtmodeltester):
    from kinerja_desktop.services import entries, summary
    from kinerja_desktop.ui.models import performance_data

    demo.build_demo(ctx, teams=2, indicators=2, through_step=6)
    cycle = cycles.active_cycle(ctx)
    team = teams.list_teams(ctx)[0]
    views = entries.list_team_items(ctx, cycle.id, team.id)
    checks = [
        (performance_data.IndicatorTableModel(), None),
        (performance_data.FormatTableModel(), formats.format_items(ctx, cycle.id)),
        (performance_data.TeamEntryTableModel(), views),
        (performance_data.VerificationTableModel(), views),
        (performance_data.SummaryTableModel(), summary.cycle_summary(ctx, cycle.id).teams),
    ]
    for model, records in checks:
        if records is None:
            model.set_data(formats.list_indicators(ctx), formats.targets_for_year(ctx, 2025),
                           2025)
        else:
            model.set_records(records)
        assert model.rowCount() > 0
        qtmodeltester.check(model)
    summary_model = checks[-1][0]
    header = summary_model.headerData(summary_model.COL_STEP6, Qt.Orientation.Horizontal)
    assert header == "Verifikasi (langkah 6)"
    text = summary_model.data(summary_model.index(0, summary_model.COL_STEP6))
    assert "/ 60 Hari" in text


# ------------------------------------------------------------------ the bounds (issue 12)


@pytest.mark.parametrize("column, text, problem", [
    ("COL_TARGET", "0,000000001", "Target terlalu kecil"),  # the target of 1e-9
    ("COL_BUDGET", "0,000000001", "Pagu terlalu kecil"),  # the pagu
    ("COL_TARGET", "0,3333333333333333", "Target terlalu rinci (16 angka penting"),
    ("COL_BUDGET", "1.000.000.000.000.001", "Pagu di luar rentang"),
    ("COL_TARGET", "4.25", "bukan angka yang valid"),
])
def test_a_format_cell_outside_the_bounds_is_refused_and_nothing_saved(ctx, qtbot, column,
                                                                       text, problem):
    from kinerja_desktop.ui.models import performance_data

    demo.build_demo(ctx, teams=1, indicators=4, through_step=2)
    cycle = cycles.active_cycle(ctx)
    model = performance_data.FormatTableModel()
    model.set_records(formats.format_items(ctx, cycle.id))
    model.editable = True
    saved, refused = [], []
    model.saver = lambda item, col, value: saved.append(value) or item
    model.input_rejected.connect(refused.append)
    row = next(r for r, item in enumerate(model.records) if not item.qualitative)
    assert not model.setData(model.index(row, getattr(model, column)), text)
    assert saved == [] and len(refused) == 1 and problem in refused[0]
    assert model.setData(model.index(row, getattr(model, column)), "123.456.789.012,345")
    assert [float(v) for v in saved] == [123456789012.345]  # 15 digits: accepted


@pytest.mark.parametrize("text, problem", [
    ("0,000000001", "Realisasi terlalu kecil"),
    ("12,3456789012345678", "Realisasi terlalu rinci"),
    ("2.000.000.000.000.000", "Realisasi di luar rentang"),
])
def test_a_realisasi_cell_outside_the_bounds_is_refused(ctx, qtbot, text, problem):
    from kinerja_desktop.services import entries
    from kinerja_desktop.ui.models import performance_data

    demo.build_demo(ctx, teams=1, indicators=2, through_step=3)
    cycle = cycles.active_cycle(ctx)
    team = teams.list_teams(ctx)[0]
    model = performance_data.TeamEntryTableModel()
    model.set_records(entries.list_team_items(ctx, cycle.id, team.id))
    saved, refused = [], []
    model.saver = lambda item, value: saved.append(value) or item
    model.input_rejected.connect(refused.append)
    row = next(r for r, item in enumerate(model.records) if not item.qualitative)
    assert not model.setData(model.index(row, model.COL_ACTUAL), text)
    assert saved == [] and refused and problem in refused[0]


@pytest.mark.parametrize("text, problem", [
    ("0,000000001", "Target terlalu kecil"),
    ("1.234.567.890.123,456", "Target terlalu rinci (16 angka penting"),
    ("999.999.999.999.999,5", "Target terlalu rinci"),
])
def test_the_number_field_shows_the_same_rule(qtbot, text, problem):
    from kinerja_desktop.domain import input_rules
    from kinerja_desktop.ui.widgets.number_edit import NumberEdit

    edit = NumberEdit("Target", allow_negative=True, rule=input_rules.TARGET)
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit, text)
    assert problem in edit.error() and problem in edit.toolTip()
    edit.clear()
    qtbot.keyClicks(edit, "123.456.789.012,345")
    assert edit.error() == ""
