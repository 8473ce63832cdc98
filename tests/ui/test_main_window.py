"""The main window: the Siklus menu filled when it opens, the status bar, the window state
remembered, and the read-only Data menu without the administrator role."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_cycle_menu_lists_cycles_when_opened_and_status_names_the_cycle(qtbot, ctx):
    from kinerja_desktop.domain.permissions import Role
    from kinerja_desktop.services import accounts, demo
    from kinerja_desktop.ui.main_window import MainWindow

    demo.build_demo(ctx, teams=2, indicators=1, through_step=2)
    admin = accounts.first_with_role(ctx, Role.ADMIN)
    window = MainWindow(ctx, admin.id, remember=False)
    qtbot.addWidget(window)
    texts = [a.text() for a in window.menu_cycle.actions()]
    assert "&Segarkan" in texts and not any("Tahun" in t for t in texts)
    assert window.action_refresh.shortcut().toString() == "F5"
    assert "Siklus: Tahun" in window.status_cycle.text()
    assert "(berjalan)" in window.status_cycle.text()
    window.menu_cycle.aboutToShow.emit()
    cycle_actions = [a for a in window.menu_cycle.actions() if a.text().startswith("Tahun")]
    assert len(cycle_actions) == 1 and cycle_actions[0].isChecked()
    assert window.action_refresh in window.menu_cycle.actions()


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
    assert titles == ["Profil kantor", "Pengguna", "Tim", "Program anggaran", "Skala predikat",
                      "Hari libur kantor", "Penomoran dokumen", "SOP", "Kunci otomatis",
                      "Lokasi data"]
    menus = [a.text() for a in again.menu_file.actions() if not a.isSeparator()]
    assert menus[0] == "Siklus &baru…" and menus[-1] == "&Keluar"  # others insert between
    again.close()


def test_data_menu_is_read_only_without_admin(qtbot, ctx, small_office, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from kinerja_desktop.ui.main_window import MainWindow
    from kinerja_desktop.ui.screens.people import PeopleSection
    from kinerja_desktop.ui.screens.programmes import ProgrammeMasterWidget
    from kinerja_desktop.ui.screens.sop import SopSection
    from kinerja_desktop.ui.screens.teams import TeamsSection

    window = MainWindow(ctx, small_office.kasubag, remember=False)
    qtbot.addWidget(window)
    kinds = (PeopleSection, TeamsSection, SopSection, ProgrammeMasterWidget)
    sections = []
    monkeypatch.setattr(QDialog, "exec", lambda d: sections.append(
        next(w for w in d.children() if isinstance(w, kinds))) or 0)
    texts = {a.text(): a for a in window.menu_data.actions()}
    for text in ("&Tim…", "&Pengguna…", "&SOP…", "P&rogram anggaran…"):
        texts[text].trigger()
    teams, people, sop, programmes = sections
    assert not programmes.add_button.isVisibleTo(programmes)
    assert teams.model.rowCount() == 2 and not teams.add_button.isVisibleTo(teams)
    assert people.model.rowCount() == 6 and not people.add_button.isVisibleTo(people)
    assert sop.versions.count() == 1 and not sop.edit_button.isVisibleTo(sop)
    assert window.settings_tab is None
