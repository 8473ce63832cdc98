"""The Kasubag's performance-data screens: format builder, indicator master, summary."""

from __future__ import annotations

import pytest

from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.services import accounts, cycles, demo, formats, teams, workflow

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _people(ctx) -> dict[str, int]:
    return {p.username: p.id for p in accounts.list_people(ctx)}


def _signals():
    from kinerja_desktop.ui.signals import AppSignals

    return AppSignals()


def test_format_builder_shows_missing_and_finishes_step_two(ctx, qtbot, monkeypatch):
    from kinerja_desktop.ui.screens import format_builder

    demo.build_demo(ctx, teams=1, indicators=2, through_step=1)
    kasubag = _people(ctx)["kasubag"]
    cycle = cycles.active_cycle(ctx)
    signals = _signals()
    widget = format_builder.FormatBuilderWidget(ctx, kasubag, signals)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.model.rowCount() == 0
    assert "format belum berisi indikator" in widget.missing_label.text()
    assert not widget.finish_button.isEnabled()

    first, second = formats.list_indicators(ctx)
    formats.add_to_format(ctx, kasubag, cycle.id, first.id)
    item = formats.add_to_format(ctx, kasubag, cycle.id, second.id)
    formats.update_format_item(ctx, kasubag, item.id, None, None)
    signals.data_changed.emit("format")
    assert widget.model.rowCount() == 2
    assert "belum ditetapkan timnya" in widget.missing_label.text()
    assert "belum memiliki target" in widget.missing_label.text()
    assert widget.model.data(widget.model.index(1, widget.model.COL_TEAM)) == "belum ditetapkan"

    # The edit dialog refuses an ambiguous target and changes nothing.
    dialog = format_builder.FormatItemDialog(ctx, kasubag, widget.model.record(1), widget)
    qtbot.addWidget(dialog)
    dialog.team.setCurrentIndex(dialog.team.findData(first.team_id))
    dialog.target_number.setText("4.25")
    dialog.accept()
    assert "bukan angka yang valid" in dialog.error_label.text()
    assert formats.format_items(ctx, cycle.id)[1].target is None
    dialog.target_number.setText("1.250")
    dialog.accept()
    assert formats.format_items(ctx, cycle.id)[1].target == 1250.0

    widget.field_combos["bukti_dukung"].setCurrentIndex(0)  # Wajib
    assert widget.save_fields()
    assert formats.field_requirements(ctx, cycle.id)["bukti_dukung"] == "wajib"
    signals.data_changed.emit("format")
    assert widget.missing_label.text() == "" and widget.finish_button.isEnabled()
    monkeypatch.setattr(format_builder, "ask_yes_no", lambda *a: True)
    widget.finish_button.click()
    assert workflow.workflow(ctx, cycle.id).step(2).finished_at is not None
    assert not widget.add_button.isEnabled()
    assert "format sudah final" in widget.step_label.text()


def _indicator_rows(widget) -> int:
    from kinerja_desktop.ui.models.performance_data import ObjectiveOnly

    return sum(1 for r in widget.model.records if not isinstance(r, ObjectiveOnly))


def test_indicator_master_adds_indicator_with_target(ctx, qtbot):
    from kinerja_desktop.ui.screens.indicator_master import IndicatorDialog, IndicatorMasterWidget

    demo.build_demo(ctx, teams=1, indicators=1, through_step=0)
    kasubag = _people(ctx)["kasubag"]
    signals = _signals()
    widget = IndicatorMasterWidget(ctx, kasubag, signals)
    qtbot.addWidget(widget)
    widget.show()
    widget.year.setValue(2025)
    # One indicator; the demo's three other sasaran show as rows without indicators.
    assert _indicator_rows(widget) == 1 and widget.model.rowCount() == 4
    dialog = IndicatorDialog(ctx, kasubag, 2025, parent=widget)
    qtbot.addWidget(dialog)
    dialog.name.setText("Angka kemiskinan desa")
    dialog.unit.setText("%")
    dialog.polarity.setCurrentIndex(dialog.polarity.findData("negatif"))
    assert dialog.formula.count() == 2
    dialog.target.setText("12,3,4")
    dialog.accept()
    assert "bukan angka yang valid" in dialog.error_label.text()
    assert len(formats.list_indicators(ctx)) == 1
    dialog.target.setText("7,5")
    dialog.renstra.setText("6")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    signals.data_changed.emit("format")
    assert _indicator_rows(widget) == 2
    row = widget.model.row_of(lambda i: getattr(i, "name", "") == "Angka kemiskinan desa")
    assert widget.model.data(widget.model.index(row, widget.model.COL_TARGET)) == "7,5"
    assert widget.model.data(widget.model.index(row, widget.model.COL_POLARITY)) == "Negatif"
    # Next year has no targets yet; "Salin target dari tahun lalu" fills them.
    widget.year.setValue(2026)
    assert "2 belum memiliki target 2026" in widget.status.text()
    assert widget.copy_targets() == 2
    assert widget.model.data(widget.model.index(row, widget.model.COL_TARGET)) == "7,5"


def test_summary_widget_counts(ctx, qtbot):
    from kinerja_desktop.ui.screens.kasubag_summary import KasubagSummaryWidget

    demo.build_demo(ctx, teams=2, indicators=2, through_step=6)
    widget = KasubagSummaryWidget(ctx, _people(ctx)["kasubag"], _signals())
    qtbot.addWidget(widget)
    assert widget.model.rowCount() == 2
    assert "4 dari 4 indikator diverifikasi" in widget.totals.text()
    assert all(r.verified == r.items for r in widget.model.records)
    assert ItemState.VERIFIED.label == "Diverifikasi"


def test_hidden_screen_refreshes_when_shown_again(ctx, qtbot):
    from kinerja_desktop.services import entries, submissions
    from kinerja_desktop.ui.screens.kasubag_summary import KasubagSummaryWidget

    demo.build_demo(ctx, teams=1, indicators=1, through_step=4)
    cycle = cycles.active_cycle(ctx)
    team = teams.list_teams(ctx)[0]
    signals = _signals()
    widget = KasubagSummaryWidget(ctx, _people(ctx)["kasubag"], signals)
    qtbot.addWidget(widget)
    assert widget.model.record(0).submitted == 0
    submissions.submit(ctx, team.members[0].person_id, cycle.id, team.id)
    signals.data_changed.emit("data")
    assert widget.model.record(0).submitted == 0  # hidden: nothing reloaded yet
    widget.show()
    assert widget.model.record(0).submitted == 1
    assert entries.list_team_items(ctx, cycle.id, team.id)[0].state is ItemState.SUBMITTED


def test_field_choices_of_two_kasubags_both_count(ctx, qtbot):
    """Each choice is saved as it is made: a screen loaded before another Kasubag chose a
    field saves only its own choice, keeps the other's, and then shows it."""
    from kinerja_desktop.domain.permissions import Role
    from kinerja_desktop.ui.screens import format_builder

    demo.build_demo(ctx, teams=1, indicators=1, through_step=1)
    people = _people(ctx)
    other = accounts.create_person(ctx, people["admin"], accounts.PersonInput(
        "Kasubag Kedua", "kasubag.dua", roles=frozenset({Role.KASUBAG})), "rahasia123").id
    cycle = cycles.active_cycle(ctx)
    widget = format_builder.FormatBuilderWidget(ctx, people["kasubag"], _signals())
    qtbot.addWidget(widget)
    widget.show()
    assert widget.field_combos["upaya"].currentData() == "opsional"
    formats.set_field_requirements(ctx, other, cycle.id, {"upaya": "wajib"})

    evidence = widget.field_combos["bukti_dukung"]
    evidence.setCurrentIndex(evidence.findData("wajib"))
    stored = formats.field_requirements(ctx, cycle.id)
    assert stored["bukti_dukung"] == "wajib" and stored["upaya"] == "wajib"
    assert widget.field_combos["upaya"].currentData() == "wajib"
    assert widget.fields_status.text() == "Pilihan isian tersimpan."
