"""Every dialog editing a stored record meets another PC's save calmly: it names who saved
and when, keeps what was typed, and offers Muat ulang (the stored data) or a second Simpan
(replacing that change knowingly)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from kinerja_desktop.domain.permissions import Role
from kinerja_desktop.services import accounts, cycles, demo, formats, teams

pytestmark = pytest.mark.gui

PASSWORD = "rahasia123"


def _person(ctx, admin: int, name: str, login: str, role: Role) -> int:
    return accounts.create_person(ctx, admin, accounts.PersonInput(
        name, login, roles=frozenset({role})), PASSWORD).id


def _save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def _refused(dialog, who: str) -> None:
    assert not dialog.result()
    text = dialog.error_label.text()
    assert text.startswith(f"Data ini telah diubah oleh {who} pada "), text
    assert "WITA; muat ulang." in text and "Isian Anda belum disimpan" in text
    assert dialog.reload_button.isVisibleTo(dialog)


def _retype(qtbot, edit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


@pytest.mark.parametrize("then", ["muat_ulang", "simpan_lagi"])
def test_person_dialog(qtbot, ctx, small_office, then):
    from kinerja_desktop.ui.dialogs.person import PersonDialog
    from kinerja_desktop.ui.signals import UiSession

    person = accounts.get_person(ctx, small_office.sekretaris)
    dialog = PersonDialog(UiSession(ctx, small_office.admin), person)
    qtbot.addWidget(dialog)
    assert not dialog.reload_button.isVisibleTo(dialog)
    _retype(qtbot, dialog.name, "Sekretaris Dinas, S.Sos")
    other = _person(ctx, small_office.admin, "Admin Kedua", "admin.dua", Role.ADMIN)
    accounts.update_person(ctx, other, person.id, accounts.PersonInput(
        "Sekretaris Dinas, M.Si", person.username, jabatan="Sekretaris",
        roles=person.roles - {Role.TIM}), expected_version=person.version)
    _save(qtbot, dialog)
    _refused(dialog, "Admin Kedua")
    assert dialog.name.text() == "Sekretaris Dinas, S.Sos"  # kept
    assert accounts.get_person(ctx, person.id).name == "Sekretaris Dinas, M.Si"
    if then == "muat_ulang":
        qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
        assert dialog.name.text() == "Sekretaris Dinas, M.Si"
        assert dialog.jabatan.text() == "Sekretaris"
        assert dialog.error_label.isHidden() and not dialog.reload_button.isVisibleTo(dialog)
        assert not dialog.result()
    else:
        _save(qtbot, dialog)
        assert dialog.result()
        stored = accounts.get_person(ctx, person.id)
        assert stored.name == "Sekretaris Dinas, S.Sos" and stored.jabatan == ""


@pytest.mark.parametrize("then", ["muat_ulang", "simpan_lagi"])
def test_team_dialog(qtbot, ctx, small_office, then):
    from kinerja_desktop.ui.dialogs.team import TeamDialog
    from kinerja_desktop.ui.signals import UiSession

    team = teams.get_team(ctx, small_office.team_a)
    dialog = TeamDialog(UiSession(ctx, small_office.admin), team)
    qtbot.addWidget(dialog)
    _retype(qtbot, dialog.name, "Tim Bidang A Baru")
    other = _person(ctx, small_office.admin, "Admin Kedua", "admin.dua", Role.ADMIN)
    teams.set_members(ctx, other, team.id, [small_office.member_a],
                      lead_id=small_office.member_a, expected_version=team.version)
    _save(qtbot, dialog)
    _refused(dialog, "Admin Kedua")
    assert dialog.name.text() == "Tim Bidang A Baru"
    assert set(dialog.member_ids()) == {small_office.member_a, small_office.member_a2}
    if then == "muat_ulang":
        dialog.reload()
        assert dialog.name.text() == "Tim Bidang A"
        assert dialog.member_ids() == [small_office.member_a]
    else:
        _save(qtbot, dialog)
        assert dialog.result()
        stored = teams.get_team(ctx, team.id)
        assert stored.name == "Tim Bidang A Baru"
        assert {m.person_id for m in stored.members} == {small_office.member_a,
                                                         small_office.member_a2}


def test_new_team_refused_members_saves_once(qtbot, ctx, small_office, monkeypatch):
    """A new team saved but its member list refused: Simpan again changes that team, it
    does not add a second one."""
    from kinerja_desktop.ui.dialogs.team import TeamDialog
    from kinerja_desktop.ui.signals import UiSession

    dialog = TeamDialog(UiSession(ctx, small_office.admin))
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Tim Bidang C")
    dialog.members.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.lead.setCurrentIndex(dialog.lead.findData(small_office.member_b))
    _save(qtbot, dialog)
    assert "Ketua tim harus salah satu anggota" in dialog.error_label.text()
    assert [t.name for t in teams.list_teams(ctx)].count("Tim Bidang C") == 0
    dialog.lead.setCurrentIndex(0)
    original = teams.set_members
    calls = []

    def refuse_once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            from kinerja_desktop.domain.errors import ValidationError

            raise ValidationError("Daftar anggota ditolak.")
        return original(*args, **kwargs)

    monkeypatch.setattr(teams, "set_members", refuse_once)
    _save(qtbot, dialog)
    assert dialog.error_label.text() == "Daftar anggota ditolak."
    _save(qtbot, dialog)
    assert dialog.result()
    assert [t.name for t in teams.list_teams(ctx)].count("Tim Bidang C") == 1


@pytest.mark.parametrize("then", ["muat_ulang", "simpan_lagi"])
def test_sk_dialog(qtbot, ctx, small_office, then):
    from kinerja_desktop.ui.dialogs.cycle import EditSkDialog
    from kinerja_desktop.ui.signals import UiSession

    cycle = cycles.start_cycle(ctx, small_office.sekretaris, 2025, "800/1/Itprov/2026",
                               date(2026, 1, 5), "Inspektur")
    dialog = EditSkDialog(UiSession(ctx, small_office.sekretaris), cycle)
    qtbot.addWidget(dialog)
    _retype(qtbot, dialog.sk.number, "800/2/Itprov/2026")
    other = _person(ctx, small_office.admin, "Sekretaris Pengganti", "sek.dua", Role.SEKRETARIS)
    cycles.update_sk(ctx, other, cycle.id, "800/9/Itprov/2026", date(2026, 1, 7), "Inspektur",
                     expected_version=cycle.version)
    _save(qtbot, dialog)
    _refused(dialog, "Sekretaris Pengganti")
    assert dialog.sk.number.text() == "800/2/Itprov/2026"
    if then == "muat_ulang":
        dialog.reload()
        assert dialog.sk.number.text() == "800/9/Itprov/2026"
        assert dialog.sk.date.value() == date(2026, 1, 7)
    else:
        _save(qtbot, dialog)
        assert dialog.result()
        assert cycles.get_cycle(ctx, cycle.id).sk_number == "800/2/Itprov/2026"


@pytest.mark.parametrize("then", ["muat_ulang", "simpan_lagi"])
def test_objective_and_indicator_dialogs(qtbot, ctx, small_office, then):
    from kinerja_desktop.ui.screens.indicator_master import IndicatorDialog, ObjectiveDialog

    other = _person(ctx, small_office.admin, "Kasubag Kedua", "kasubag.dua", Role.KASUBAG)
    objective = formats.list_objectives(ctx)[0]
    dialog = ObjectiveDialog(ctx, small_office.kasubag, objective)
    qtbot.addWidget(dialog)
    _retype(qtbot, dialog.name, "Meningkatnya kemandirian desa")
    formats.update_objective(ctx, other, objective.id, "Meningkatnya tata kelola desa", "SS1",
                             expected_version=objective.version)
    _save(qtbot, dialog)
    _refused(dialog, "Kasubag Kedua")

    indicator, target = formats.get_indicator(ctx, small_office.indicators[0], 2025)
    assert target is not None and target.target == 80.0
    ind_dialog = IndicatorDialog(ctx, small_office.kasubag, 2025, indicator, target)
    qtbot.addWidget(ind_dialog)
    ind_dialog.target.setText("85")
    formats.set_target(ctx, other, indicator.id, 2025, 90.0, expected_version=target.version)
    _save(qtbot, ind_dialog)
    _refused(ind_dialog, "Kasubag Kedua")
    assert ind_dialog.target.text() == "85"

    if then == "muat_ulang":
        dialog.reload()
        assert dialog.name.text() == "Meningkatnya tata kelola desa"
        ind_dialog.reload()
        assert ind_dialog.target.value() == 90
    else:
        _save(qtbot, dialog)
        _save(qtbot, ind_dialog)
        assert dialog.result() and ind_dialog.result()
        assert formats.get_objective(ctx, objective.id).name == "Meningkatnya kemandirian desa"
        assert formats.get_indicator(ctx, indicator.id, 2025)[1].target == 85.0


@pytest.mark.parametrize("then", ["muat_ulang", "simpan_lagi"])
def test_format_item_dialog(qtbot, ctx, then):
    from kinerja_desktop.ui.screens.format_builder import FormatItemDialog

    demo.build_demo(ctx, teams=1, indicators=1, through_step=1)
    people = {p.username: p.id for p in accounts.list_people(ctx)}
    admin = next(p.id for p in accounts.list_people(ctx) if Role.ADMIN in p.roles)
    kasubag, other = people["kasubag"], _person(ctx, admin, "Kasubag Kedua", "kasubag.dua",
                                                Role.KASUBAG)
    cycle = cycles.active_cycle(ctx)
    indicator = formats.list_indicators(ctx)[0]
    item = formats.add_to_format(ctx, kasubag, cycle.id, indicator.id, target=10.0)
    dialog = FormatItemDialog(ctx, kasubag, item)
    qtbot.addWidget(dialog)
    dialog.budget.setText("1.500.000")
    formats.update_format_item(ctx, other, item.id, item.team_id, 12.0, "", 2_000_000.0,
                               expected_version=item.version)
    _save(qtbot, dialog)
    _refused(dialog, "Kasubag Kedua")
    assert dialog.budget.value() == 1_500_000
    if then == "muat_ulang":
        dialog.reload()
        assert dialog.budget.value() == 2_000_000 and dialog.target_number.value() == 12
    else:
        _save(qtbot, dialog)
        assert dialog.result()
        stored = formats.get_format_item(ctx, item.id)
        assert stored.budget == 1_500_000.0 and stored.target == 10.0


def test_removed_meanwhile_offers_no_reload(qtbot, ctx):
    """The format item was taken out of the format meanwhile: the refusal says so, and
    there is nothing to reload."""
    from kinerja_desktop.domain.errors import EditConflict
    from kinerja_desktop.ui.screens.format_builder import FormatItemDialog

    demo.build_demo(ctx, teams=1, indicators=1, through_step=1)
    kasubag = next(p.id for p in accounts.list_people(ctx) if p.username == "kasubag")
    cycle = cycles.active_cycle(ctx)
    item = formats.add_to_format(ctx, kasubag, cycle.id, formats.list_indicators(ctx)[0].id)
    dialog = FormatItemDialog(ctx, kasubag, item)
    qtbot.addWidget(dialog)
    formats.remove_from_format(ctx, kasubag, item.id)
    dialog.edit_conflict(EditConflict("Kasubag Program", None))
    assert dialog.error_label.text() == ("Data ini telah diubah oleh Kasubag Program pada "
                                         "baru saja; muat ulang. Butir format tidak ditemukan.")
    assert not dialog.reload_button.isVisibleTo(dialog)


def test_proposed_dates_come_from_the_datas_clock(qtbot, ctx, clock, small_office):
    """"Today" in a new cycle's SK, the year of its data and a new day off are the data's
    clock's (the server's, when the data lives on one), in WITA: not this PC's."""
    from datetime import UTC, datetime

    from kinerja_desktop.ui.dialogs.cycle import NewCycleDialog
    from kinerja_desktop.ui.screens.office import DaysOffSection
    from kinerja_desktop.ui.signals import UiSession

    clock.current = datetime(2031, 2, 28, 17, 30, tzinfo=UTC)  # 1 March 01:30 WITA
    session = UiSession(ctx, small_office.sekretaris)
    dialog = NewCycleDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.year.value() == 2030
    assert dialog.sk.date.value() == date(2031, 3, 1)
    days_off = DaysOffSection(UiSession(ctx, small_office.admin))
    qtbot.addWidget(days_off)
    assert days_off.day.value() == date(2031, 3, 1)
