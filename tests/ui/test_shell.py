"""Ganti pengguna (Berkas, Ctrl+L) without restarting, and the optional idle lock."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import PASSWORD

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def shell(ctx, qtbot, monkeypatch):
    """A window shell whose log-ins answer with the ids queued in ``shell.logins``.

    Its windows are not given to qtbot: the shell deletes them itself (Ganti pengguna)."""
    from kinerja_desktop.ui.shell import WindowShell

    made = WindowShell(ctx)
    made.logins = []
    monkeypatch.setattr(made, "ask_login", lambda: made.logins.pop(0))
    yield made
    if made.window is not None and shiboken6.isValid(made.window):
        made.window.close()
        made.window.deleteLater()
    made.idle.set_interval(0)


def visible_windows() -> list:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_switch_user_from_the_file_menu(shell, qtbot, small_office):
    o = small_office
    shell.logins.append(o.kasubag)
    assert shell.start()
    first = shell.window
    action = first.action_switch_user
    assert action.shortcut() == QKeySequence("Ctrl+L")
    assert action in first.menu_file.actions()
    assert first.menu_file.actions()[-1] is first.action_quit  # Keluar stays last
    assert first.person.id == o.kasubag and first.kasubag_tab is not None

    shell.logins.append(o.member_a)
    with qtbot.waitSignal(shell.window_opened, timeout=5000) as opened:
        action.trigger()
    second = opened.args[0]
    # Nothing of the first user's window is left: a new window, built for the new user.
    qtbot.waitUntil(lambda: not shiboken6.isValid(first))
    assert second is shell.window and second.person.id == o.member_a
    assert second.kasubag_tab is None and second.team_tab is not None
    assert "Anggota A1" in second.status_user.text()
    assert visible_windows() == [second]


def test_switch_keeps_the_typed_draft_and_a_cancelled_login_ends(shell, qtbot, ctx):
    from kinerja_desktop.services import accounts, demo, entries, teams

    demo.build_demo(ctx, teams=1, indicators=2, through_step=3)
    team = teams.list_teams(ctx)[0]
    member = team.members[-1].person_id
    admin = next(p.id for p in accounts.list_people(ctx) if p.username == "admin")
    shell.logins.append(member)
    assert shell.start()
    window = shell.window
    entry = window.team_tab.entry_section
    item = entry.current
    entry.actual_edit.clear()
    qtbot.keyClicks(entry.actual_edit, "77,5")  # switched before the autosave ran
    shell.logins.append(admin)
    with qtbot.waitSignal(shell.window_opened, timeout=5000):
        window.action_switch_user.trigger()
    assert entries.get_item(ctx, item.item_id).values.actual == 77.5

    ended = []
    shell.finished.connect(lambda: ended.append(True))
    shell.logins.append(None)  # Batal at the log-in
    shell.window.action_switch_user.trigger()
    assert ended == [True]
    assert shell.window is None
    assert visible_windows() == []


def test_idle_lock_asks_the_same_users_password(shell, qtbot, ctx, small_office, monkeypatch):
    from kinerja_desktop import settings
    from kinerja_desktop.ui.dialogs.lock import Curtain, LockDialog

    settings.set("security/lock_minutes", 5)
    shell.logins.append(small_office.kasubag)
    assert shell.start()
    window = shell.window
    assert shell.idle.timer.isActive() and shell.idle.timer.interval() == 5 * 60_000
    seen = {}

    def answer(dialog):
        seen["curtains"] = len(window.findChildren(Curtain))
        seen["modal"] = dialog.windowModality()
        dialog.reject()  # Esc does not unlock
        assert dialog.isVisible() or not dialog.result()
        qtbot.keyClicks(dialog.password, "salah123")
        dialog.unlock_button.click()
        seen["wrong"] = dialog.message.text()
        assert dialog.result() != dialog.DialogCode.Accepted
        qtbot.keyClicks(dialog.password, PASSWORD)
        dialog.unlock_button.click()
        return dialog.result()

    monkeypatch.setattr(LockDialog, "exec", answer)
    shell.idle.set_interval(30)  # half a minute is too long to wait for in a test
    with qtbot.waitSignal(shell.idle.idle, timeout=3000):
        pass
    assert seen["curtains"] == 1
    assert seen["modal"] == Qt.WindowModality.ApplicationModal
    assert "salah" in seen["wrong"].lower() or "kata sandi" in seen["wrong"].lower()
    qtbot.waitUntil(lambda: window.findChildren(Curtain) == [])
    assert shell.window is window and not shell.locked
    assert shell.idle.timer.isActive()  # watching again


def test_lock_offers_switching_user(shell, qtbot, ctx, small_office, monkeypatch):
    from kinerja_desktop.ui.dialogs.lock import LockDialog

    shell.logins.append(small_office.kasubag)
    assert shell.start()
    first = shell.window
    assert first.person.id == small_office.kasubag
    monkeypatch.setattr(LockDialog, "exec", lambda d: (d.switch_button.click(), d.result())[1])
    shell.logins.append(small_office.sekretaris)
    with qtbot.waitSignal(shell.window_opened, timeout=5000) as opened:
        shell.lock()
    assert opened.args[0].person.id == small_office.sekretaris


def test_lock_setting_in_pengaturan_applies_at_once(shell, qtbot, ctx, small_office):
    from kinerja_desktop import settings

    shell.logins.append(small_office.admin)
    assert shell.start()
    window = shell.window
    assert not shell.idle.timer.isActive()  # 0 = never
    window.tabs.setCurrentWidget(window.settings_tab)
    window.settings_tab.show_section("Kunci otomatis")
    section = window.settings_tab.section("Kunci otomatis")
    assert section.minutes.text() == "Tidak pernah"
    section.minutes.setValue(10)
    section.save_button.click()
    assert settings.get("security/lock_minutes") == 10
    assert "10 menit" in section.status.text()
    assert shell.idle.timer.isActive() and shell.idle.timer.interval() == 600_000
    section.minutes.setValue(0)
    section.save_button.click()
    assert not shell.idle.timer.isActive()


def test_the_window_looks_for_the_days_backup_across_user_switches(shell, qtbot, small_office):
    """The shell's daily backup timer starts with the first window and survives Ganti
    pengguna (a window left open overnight makes the day's backup, ui/daily_backup.py)."""
    o = small_office
    timer = shell.daily_backup
    assert not timer.timer.isActive()
    shell.logins.append(o.kasubag)
    assert shell.start()
    assert timer.timer.isActive() and timer.midnight.isActive()
    shell.logins.append(o.member_a)
    with qtbot.waitSignal(shell.window_opened, timeout=5000):
        shell.window.action_switch_user.trigger()
    assert shell.daily_backup is timer and timer.timer.isActive()
    timer.stop()
