"""The first-run wizard: office, administrator and teams, or the demo office."""

from __future__ import annotations

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
