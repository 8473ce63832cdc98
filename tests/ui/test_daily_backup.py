"""A window left open for days still makes the day's automatic backup (ui/daily_backup.py),
on a worker thread, never in the way of someone typing; damaged data gets the start-up
warning once. Runs on both engines (on a server the office's backup)."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QLineEdit, QMessageBox

from kinerja_desktop.services import backup, server_backup
from kinerja_desktop.ui.daily_backup import AFTER_MIDNIGHT_MS, DailyBackupTimer, local_day
from kinerja_desktop.ui.instance import AT_DAILY_BACKUP, wait_for_auto_backup

pytestmark = pytest.mark.gui


@pytest.fixture
def shell(ctx, clock, qtbot):
    """What the timer needs of the window's shell: the data, a shown window, the lock."""
    window = QLineEdit()  # the window: something the user types into
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return SimpleNamespace(ctx=ctx, window=window, locked=False)


@pytest.fixture
def timer(shell, clock):
    made = DailyBackupTimer(shell, clock=clock, quiet_ms=300)
    yield made
    made.stop()
    wait_for_auto_backup(60)


def _automatic(ctx) -> list[str]:
    return sorted(p.name for p in ctx.data_dir.backups.glob(f"{backup.AUTO_PREFIX}*.zip"))


def test_the_window_makes_the_days_backup_after_midnight(timer, shell, clock, qtbot):
    ctx = shell.ctx
    assert timer.settled_day == local_day(clock())  # the start-up backup's day
    assert not timer.check() and timer.runs == 0
    clock.advance(hours=3)
    assert not timer.check()
    clock.advance(days=1)
    with qtbot.waitSignal(timer.ran, timeout=60_000) as ran:
        assert timer.check()
    made = ran.args[0].made
    assert made is not None and made.exists()
    assert made.name.startswith(f"{backup.AUTO_PREFIX}{clock().astimezone():%Y%m%d}-")
    assert timer.settled_day == local_day(clock())
    # Every look later that day finds it settled: nothing runs.
    clock.advance(hours=2)
    assert not timer.check() and timer.runs == 1
    assert _automatic(ctx) == [made.name]


def test_the_window_looks_again_just_after_midnight(timer, clock):
    start = datetime.combine(local_day(clock()), datetime.min.time()).astimezone()
    clock.current = start + timedelta(hours=23, minutes=58)
    timer.start()
    remaining = timer.midnight.remainingTime()
    assert abs(remaining - (2 * 60_000 + AFTER_MIDNIGHT_MS)) < 5_000
    assert timer.timer.isActive() and timer.timer.interval() == 5 * 60_000


def test_the_backup_never_holds_up_the_user(timer, shell, clock, qtbot, monkeypatch):
    """A slow backup runs beside the window: the user keeps typing, the window answers."""
    release = threading.Event()
    calls = []

    def slow(ctx, now=None):
        calls.append(threading.current_thread().name)
        release.wait(30)
        return backup.AutoBackupResult(None)

    monkeypatch.setattr(server_backup, "daily_backup", slow)
    clock.advance(days=1)
    assert timer.check()
    qtbot.keyClicks(shell.window, "Realisasi 87,5")
    assert shell.window.text() == "Realisasi 87,5"
    assert timer.running and not timer.check()  # one at a time
    release.set()
    qtbot.waitUntil(lambda: not timer.running, timeout=10_000)
    assert calls == ["cadangan-otomatis-harian"]


def test_nothing_runs_without_a_window(timer, shell, clock):
    clock.advance(days=1)
    shell.window.hide()  # log-in, Ganti pengguna, a restore: no window shown
    assert not timer.check()
    shell.window = None
    assert not timer.check() and timer.runs == 0


def test_under_the_idle_lock_the_backup_is_made_and_its_warning_waits(timer, shell, clock,
                                                                      qtbot, monkeypatch):
    """The office PC locked overnight still makes the day's backup; a warning about
    damaged data waits until the lock is gone."""
    damaged = backup.AutoBackupResult(None, ("PRAGMA integrity_check: halaman 3 rusak",))
    monkeypatch.setattr(server_backup, "daily_backup", lambda ctx, now=None: damaged)
    shell.locked = True
    clock.advance(days=1)
    with qtbot.waitSignal(timer.ran, timeout=10_000):
        assert timer.check()
    qtbot.wait(800)  # more than the quiet interval: still nothing over the lock
    assert not shell.window.findChildren(QMessageBox, "peringatanDataRusak")
    shell.locked = False
    qtbot.waitUntil(lambda: bool(shell.window.findChildren(QMessageBox, "peringatanDataRusak")),
                    timeout=5_000)


def test_a_failure_is_logged_once_and_tried_again(timer, clock, qtbot, monkeypatch, caplog):
    def broken(ctx, now=None):
        raise OSError("disk penuh")

    monkeypatch.setattr(server_backup, "daily_backup", broken)
    caplog.set_level(logging.INFO, logger="kinerja_desktop.backup")
    clock.advance(days=1)
    for _ in range(2):
        with qtbot.waitSignal(timer.ran, timeout=10_000) as ran:
            assert timer.check()
        assert isinstance(ran.args[0], OSError)
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in errors] == ["Cadangan otomatis harian gagal: disk penuh"]
    assert "gagal lagi: disk penuh" in caplog.text
    assert timer.settled_day != local_day(clock())  # not settled: the next look tries again


def test_damaged_data_warns_once_when_the_user_stops_typing(timer, shell, clock, qtbot,
                                                           monkeypatch):
    damaged = backup.AutoBackupResult(None, ("PRAGMA integrity_check: halaman 7 rusak",),
                                      None)
    monkeypatch.setattr(server_backup, "daily_backup", lambda ctx, now=None: damaged)
    window = shell.window

    def boxes() -> list[QMessageBox]:
        return [b for b in window.findChildren(QMessageBox, "peringatanDataRusak")
                if b.isVisible()]

    clock.advance(days=1)
    with qtbot.waitSignal(timer.ran, timeout=10_000):
        assert timer.check()
    # The user is typing: the box waits (each key press restarts the quiet interval).
    window.setFocus()
    for _ in range(4):
        qtbot.keyClicks(window, "x")
        qtbot.wait(150)
        assert boxes() == []
    assert window.text().endswith("xxxx")
    qtbot.waitUntil(lambda: len(boxes()) == 1, timeout=5_000)
    box = boxes()[0]
    assert box.text().startswith(AT_DAILY_BACKUP)
    assert "halaman 7 rusak" in box.text() and "TIDAK dibuat" in box.text()
    box.close()
    # Settled for the day: no second run, no second box.
    clock.advance(hours=1)
    assert not timer.check()
    qtbot.wait(500)
    assert boxes() == []
