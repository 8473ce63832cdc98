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
