"""First-run wizard, remembered window state, live timing, and the smoke/screenshots commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_wizard_sets_up_office_admin_and_team(qtbot, ctx, tmp_path):
    from kinerja_desktop.services import accounts, office, teams
    from kinerja_desktop.ui.dialogs.setup_wizard import SetupWizard
    from kinerja_desktop.ui.dialogs.team import TeamDialog
    from kinerja_desktop.ui.icon import render_icon

    wizard = SetupWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    form = wizard.office_page.form
    assert form.fields["name"].text() == "Dinas Pemberdayaan Masyarakat dan Desa"
    assert form.fields["signing_place"].text() == "Watansoppeng"
    assert form.head_nip.text() == "19710817 199101 1 001"
    assert form.head_pangkat.pangkat() == "Pembina Tingkat I (IV/b)"
    logo = tmp_path / "logo.png"
    render_icon(32).save(str(logo))
    form.set_logo_file(logo)
    wizard.next()
    assert wizard.currentPage() is wizard.office_page
    wizard.next()
    page = wizard.admin_page
    qtbot.keyClicks(page.name, "Muhammad Rizal")
    qtbot.keyClicks(page.nip, "12345")
    qtbot.keyClicks(page.password, "rahasia123")
    qtbot.keyClicks(page.repeat, "rahasia123")
    wizard.next()
    assert wizard.currentPage() is page
    assert "18 digit" in page.error.text()
    assert accounts.count_people(ctx) == 0
    page.nip.clear()
    wizard.next()
    assert wizard.currentPage() is wizard.people_page
    saved = office.get_office(ctx)
    assert saved.signing_place == "Watansoppeng" and saved.logo == logo.read_bytes()
    people = wizard.people_page

    def make_team(dialog):
        qtbot.keyClicks(dialog.name, "Tim Bidang Pemerintahan Desa")
        dialog.members.item(0).setCheckState(Qt.CheckState.Checked)
        dialog.accept()
        return dialog.result()

    TeamDialog.exec = make_team
    try:
        qtbot.mouseClick(people.teams.add_button, Qt.MouseButton.LeftButton)
    finally:
        del TeamDialog.exec
    assert [t.name for t in teams.list_teams(ctx)] == ["Tim Bidang Pemerintahan Desa"]
    assert people.teams.model.rowCount() == 1
    wizard.accept()
    assert wizard.admin.username == "admin"


def test_wizard_loads_demo(qtbot, ctx):
    from kinerja_desktop.services import accounts
    from kinerja_desktop.ui.dialogs.setup_wizard import SetupWizard

    wizard = SetupWizard(ctx)
    qtbot.addWidget(wizard)
    qtbot.mouseClick(wizard.welcome.demo_button, Qt.MouseButton.LeftButton)
    assert wizard.demo_loaded
    assert accounts.count_people(ctx) > 5


def test_geometry_and_columns_remembered(qtbot, ctx, small_office):
    from kinerja_desktop import settings
    from kinerja_desktop.ui.main_window import MainWindow

    window = MainWindow(ctx, small_office.admin)
    qtbot.addWidget(window)
    window.show()
    window.resize(700, 520)  # the offscreen screen is small
    saved_size = window.size()
    window.tabs.setCurrentIndex(window.tabs.indexOf(window.settings_tab))
    window.workflow_panel.tree.header().resizeSection(1, 345)
    window.close()
    assert not settings.get("window/geometry").isEmpty()
    again = MainWindow(ctx, small_office.admin)
    qtbot.addWidget(again)
    again.show()
    assert again.size() == saved_size
    assert again.tabs.currentWidget() is again.settings_tab
    assert again.workflow_panel.tree.header().sectionSize(1) == 345
    titles = [again.settings_tab.sections.tabText(i)
              for i in range(again.settings_tab.sections.count())]
    assert titles == ["Profil kantor", "Pengguna", "Tim", "Skala predikat",
                      "Hari libur kantor", "SOP"]
    menus = [a.text() for a in again.menu_file.actions() if not a.isSeparator()]
    assert menus[0] == "Siklus &baru…" and menus[-1] == "&Keluar"  # others insert between
    again.close()


def test_panel_time_runs_without_database(qtbot, ctx, small_office, monkeypatch):
    """The 30-second timer recomputes time used from data already fetched."""
    from datetime import timedelta

    from kinerja_desktop.services import cycles
    from kinerja_desktop.ui.models.workflow import COL_STATUS, COL_USED
    from kinerja_desktop.ui.signals import UiSession
    from kinerja_desktop.ui.widgets.workflow_panel import WorkflowPanel

    start = ctx.now()
    cycle = cycles.start_cycle(ctx, small_office.sekretaris, 2025, "800/1/I/2026", start.date())
    session = UiSession(ctx, small_office.sekretaris)
    session.select_cycle(cycle.id)
    panel = WorkflowPanel(session)
    qtbot.addWidget(panel)
    assert panel.timer.isActive() and panel.timer.interval() == 30_000
    model = panel.model

    def forbidden(*_a, **_k):
        raise AssertionError("database queried by the timer")

    monkeypatch.setattr(cycles, "workflow", forbidden)
    monkeypatch.setattr(ctx, "clock", lambda: start + timedelta(minutes=50))
    panel.timer.timeout.emit()
    assert model.data(model.index(0, COL_USED)) == "50 menit"
    assert "Mendekati batas" in model.data(model.index(0, COL_STATUS))
    monkeypatch.setattr(ctx, "clock", lambda: start + timedelta(minutes=75))
    panel.timer.timeout.emit()
    assert "Melewati batas" in model.data(model.index(0, COL_STATUS))


def test_smoke_and_screenshots_commands(qtbot, data_root, tmp_path, capsys):
    from kinerja_desktop.cli import main
    from kinerja_desktop.services import demo
    from kinerja_desktop.services.context import open_context

    ctx = open_context(data_root)
    demo.build_demo(ctx, teams=2, indicators=2, through_step=7)
    ctx.dispose()
    before = sorted(p.name for p in data_root.rglob("*"))
    size = (data_root / "kinerja.sqlite3").stat().st_mtime_ns
    assert main(["--data-dir", str(data_root), "smoke"]) == 0
    assert "Jendela utama tampil" in capsys.readouterr().out
    out = tmp_path / "layar"
    assert main(["--data-dir", str(data_root), "screenshots", str(out)]) == 0
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) >= 5
    assert len({p.read_bytes() for p in pngs}) == len(pngs)
    names = " ".join(p.name for p in pngs)
    for part in ("masuk", "sekretaris", "kasubag", "tim-penyusun", "arsip", "pengaturan",
                 "alur-kerja", "penyunting-sop"):
        assert part in names
    assert sorted(p.name for p in data_root.rglob("*")) == before
    assert (data_root / "kinerja.sqlite3").stat().st_mtime_ns == size


def test_smoke_refuses_missing_database(tmp_path: Path, capsys):
    from kinerja_desktop.cli import main

    assert main(["--data-dir", str(tmp_path / "kosong"), "smoke"]) == 1
    assert "Basis data tidak ditemukan" in capsys.readouterr().err


def test_sop_editor_saves_new_version(qtbot, ctx, small_office):
    from kinerja_desktop.services import cycles, sops
    from kinerja_desktop.ui.dialogs.sop_editor import S_ACTIVITY, S_AMOUNT, SopEditorDialog
    from kinerja_desktop.ui.signals import UiSession

    running = cycles.start_cycle(ctx, small_office.sekretaris, 2025, "800/1/I/2026",
                                 ctx.now().date())
    refused = SopEditorDialog(UiSession(ctx, small_office.kasubag))
    qtbot.addWidget(refused)
    refused.editor.steps.cellWidget(1, S_AMOUNT).setValue(90)
    refused.accept()
    assert "Administrator" in refused.error_label.text()
    assert sops.current_sop(ctx).version == 1

    dialog = SopEditorDialog(UiSession(ctx, small_office.admin))
    qtbot.addWidget(dialog)
    dialog.editor.steps.cellWidget(1, S_AMOUNT).setValue(90)
    dialog.editor.steps.item(0, S_ACTIVITY).setText("Sekretaris memerintahkan pengumpulan data")
    dialog.editor.dates["revised_on"][1].setText("9-1-2026")
    dialog.accept()
    assert "TTTT-BB-HH" in dialog.error_label.text()
    dialog.editor.dates["revised_on"][1].setText("2026-11-24")
    dialog.accept()
    current = sops.current_sop(ctx)
    assert current.version == 2
    assert current.definition.step(2).time.amount == 90
    assert current.definition.step(1).activity == "Sekretaris memerintahkan pengumpulan data"
    assert cycles.get_cycle(ctx, running.id).sop_version == 1


def test_data_menu_is_read_only_without_admin(qtbot, ctx, small_office, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from kinerja_desktop.ui.main_window import MainWindow
    from kinerja_desktop.ui.screens.people import PeopleSection
    from kinerja_desktop.ui.screens.sop import SopSection
    from kinerja_desktop.ui.screens.teams import TeamsSection

    window = MainWindow(ctx, small_office.kasubag, remember=False)
    qtbot.addWidget(window)
    kinds = (PeopleSection, TeamsSection, SopSection)
    sections = []
    monkeypatch.setattr(QDialog, "exec", lambda d: sections.append(
        next(w for w in d.children() if isinstance(w, kinds))) or 0)
    texts = {a.text(): a for a in window.menu_data.actions()}
    for text in ("&Tim…", "&Pengguna…", "&SOP…"):
        texts[text].trigger()
    teams, people, sop = sections
    assert teams.model.rowCount() == 2 and not teams.add_button.isVisibleTo(teams)
    assert people.model.rowCount() == 6 and not people.add_button.isVisibleTo(people)
    assert sop.versions.count() == 1 and not sop.edit_button.isVisibleTo(sop)
    assert window.settings_tab is None
