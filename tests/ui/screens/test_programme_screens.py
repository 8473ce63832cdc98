"""Budget programmes in the window (issue 14 item 3): the master section, the indicator's
programme in the indicator form, and the team filling its programmes' pagu and realisasi
(bad input one Indonesian line and nothing saved; a stale save refused; a closed cycle
read-only)."""

from __future__ import annotations

import pytest

from kinerja_desktop.services import accounts, cycles, demo, formats, programmes, teams

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _people(ctx) -> dict[str, int]:
    return {p.username: p.id for p in accounts.list_people(ctx)}


def test_master_section_adds_a_programme_and_the_indicator_form_assigns_it(ctx, qtbot):
    from kinerja_desktop.ui.screens.indicator_master import IndicatorDialog
    from kinerja_desktop.ui.screens.programmes import ProgrammeDialog, ProgrammeMasterWidget
    from kinerja_desktop.ui.signals import AppSignals

    demo.build_demo(ctx, teams=2, indicators=2, through_step=0)
    kasubag = _people(ctx)["kasubag"]
    widget = ProgrammeMasterWidget(ctx, kasubag, AppSignals())
    qtbot.addWidget(widget)
    widget.refresh()
    assert widget.model.rowCount() == len(programmes.list_programmes(ctx)) == 3
    assert not widget.edit_button.isEnabled()

    team = teams.list_teams(ctx)[1]
    dialog = ProgrammeDialog(ctx, kasubag, parent=widget)
    qtbot.addWidget(dialog)
    dialog.code.setText("2.13.06")
    dialog.name.setText("Program Percontohan Desa")
    dialog.accept()  # no team chosen: one line, nothing stored
    assert "Tim penanggung jawab" in dialog.error_label.text()
    assert len(programmes.list_programmes(ctx)) == 3
    dialog.team.setCurrentIndex(dialog.team.findData(team.id))
    dialog.activities.setPlainText("Kegiatan satu\n\nKegiatan dua")
    dialog.accept()
    made = dialog.result_value
    assert (made.name, made.team_id, made.activities) == (
        "Program Percontohan Desa", team.id, ("Kegiatan satu", "Kegiatan dua"))
    widget.refresh()
    assert widget.model.rowCount() == 4

    indicator = formats.list_indicators(ctx)[0]
    form = IndicatorDialog(ctx, kasubag, 2025, indicator, None)
    qtbot.addWidget(form)
    assert form.programme.currentData() == indicator.programme_id
    form.programme.setCurrentIndex(form.programme.findData(made.id))
    form.accept()
    assert form.error_label.isHidden(), form.error_label.text()
    assert formats.get_indicator(ctx, indicator.id)[0].programme_id == made.id


def test_team_fills_pagu_and_realisasi_of_its_programmes(ctx, qtbot):
    from kinerja_desktop.ui.screens.programmes import TeamProgrammesWidget
    from kinerja_desktop.ui.signals import AppSignals

    demo.build_demo(ctx, teams=2, indicators=2, through_step=3)
    cycle = cycles.active_cycle(ctx)
    team = teams.list_teams(ctx)[0]
    member = team.members[-1].person_id
    widget = TeamProgrammesWidget(ctx, member, AppSignals(), [(team.id, team.name)])
    qtbot.addWidget(widget)
    widget.set_cycle(cycle.id)
    widget.refresh()
    assert widget.model.rowCount() == 2 and widget.team_combo.isHidden()
    assert "2 belum diisi pagunya" in widget.message.text()
    first = widget.model.records[0]

    widget.budget_edit.setText("1.500.000,x")
    widget.save()
    assert "Pagu anggaran" in widget.message.text()
    assert programmes.cycle_programmes(ctx, cycle.id, team.id)[0].budget is None

    widget.budget_edit.setText("1.500.000.000")
    widget.spent_edit.setText("1.200.000.000,5")
    widget.save()
    stored = programmes.cycle_programmes(ctx, cycle.id, team.id)[0]
    assert (stored.budget, stored.spent) == (1.5e9, 1_200_000_000.5)
    assert "Tersimpan" in widget.message.text()
    assert widget.model.records[0].absorption.value is not None

    # Someone else saves meanwhile: this form's save is refused, nothing overwritten.
    other = team.members[0].person_id
    programmes.save_programme_figures(ctx, other, cycle.id, first.programme_id, 7.0, 7.0,
                                      stored.version)
    widget.budget_edit.setText("9")
    widget.save()
    assert "telah diubah oleh" in widget.message.text() and widget.reload_button.isVisibleTo(
        widget)
    assert programmes.cycle_programmes(ctx, cycle.id, team.id)[0].budget == 7.0
    widget.reload_button.click()
    assert widget.budget_edit.text() == "7"


def test_a_closed_cycle_shows_the_programmes_read_only(ctx, qtbot):
    from kinerja_desktop.ui.screens.programmes import TeamProgrammesWidget
    from kinerja_desktop.ui.signals import AppSignals

    demo.build_demo(ctx, teams=2, indicators=2, through_step=7)
    cycle = cycles.list_cycles(ctx)[0]
    team = teams.list_teams(ctx)[0]
    widget = TeamProgrammesWidget(ctx, team.members[0].person_id, AppSignals(),
                                  [(team.id, team.name)])
    qtbot.addWidget(widget)
    widget.set_cycle(cycle.id)
    widget.refresh()
    assert widget.model.rowCount() == 2
    assert not widget.save_button.isEnabled() and not widget.budget_edit.isEnabled()
    assert "siklus sudah ditutup" in widget.message.text()


def test_the_entry_screen_opens_its_teams_programmes(ctx, qtbot, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from kinerja_desktop.ui.screens.team_entry import TeamEntryWidget
    from kinerja_desktop.ui.signals import AppSignals

    demo.build_demo(ctx, teams=2, indicators=2, through_step=3)
    cycle = cycles.active_cycle(ctx)
    team = teams.list_teams(ctx)[1]
    entry = TeamEntryWidget(ctx, team.members[-1].person_id, AppSignals())
    qtbot.addWidget(entry)
    entry.set_cycle(cycle.id)
    entry.refresh()
    opened = []
    monkeypatch.setattr(QDialog, "exec", lambda d: opened.append(d) or 0)
    entry.programmes_button.click()
    (dialog,) = opened
    shown = dialog.programmes
    assert shown.team_id == team.id and shown.cycle_id == cycle.id
    assert [v.label for v in shown.model.records] == [
        v.label for v in programmes.cycle_programmes(ctx, cycle.id, team.id)]
    assert shown.model.rowCount() == 1  # the demo's Usaha Ekonomi Desa programme
