"""The day's automatic backup for a window left open for days (the office PC that runs
overnight), not only the one made when the program starts.

:class:`DailyBackupTimer` looks at the date every few minutes and just after midnight,
on this PC's clock and without touching the database (a glance, never a wait). When the
date is one whose backup it has not yet settled, the daily-backup service runs on a
worker thread (``services.server_backup.daily_backup``: on SQLite the data folder's
backup through its own connection; on a server the office's, which a server lock gives
to one PC per office per day). The GUI thread only receives the result.

Damaged data gets the warning the start-up check gives, once for that day, and only
when the user has stopped typing for a moment (the box never takes the keyboard from
someone in the middle of a word). A backup that fails otherwise is logged, once at
error level for the day, and tried again at the next look. Nothing runs while no window
is shown (log-in, Ganti pengguna, a restore with the window closed); under the idle lock
(the office PC at night) the backup is made and its warning waits for the unlock. A
restore waits for a backup still running.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal

from kinerja_desktop.ui.idle import IdleWatcher

log = logging.getLogger("kinerja_desktop.backup")

#: How often the window looks at the date.
CHECK_MS = 5 * 60_000
#: How long after midnight the date-change look comes (clocks that differ a little).
AFTER_MIDNIGHT_MS = 60_000
#: The warning waits until nobody has pressed a key or moved the mouse this long.
QUIET_MS = 3_000


def local_day(moment: datetime) -> date:
    """The day ``moment`` falls on at this PC (the day the backup services name files by)."""
    return moment.astimezone().date()


def _utc_now() -> datetime:
    return datetime.now(UTC)


class _Carrier(QObject):
    """Carries the worker's result to the GUI thread (a queued signal)."""

    done = Signal(object, object)  # the day, AutoBackupResult or the exception raised


class DailyBackupTimer(QObject):
    """The daily backup of a window left open (see the module docstring).

    ``shell`` gives :attr:`ctx` (the data the window shows), :attr:`window` (None while
    nobody is logged in) and :attr:`locked` (the idle lock covers the screen).
    """

    #: After each run, in the GUI thread: its AutoBackupResult or the exception.
    ran = Signal(object)

    def __init__(self, shell, *, check_ms: int = CHECK_MS, quiet_ms: int = QUIET_MS,
                 clock: Callable[[], datetime] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        #: This PC's clock (tests set their own); the service uses the context's.
        self.clock = clock or _utc_now
        #: The day whose backup is settled: made, made by another PC, or not to be made
        #: (damaged data). The start-up backup takes care of the day the program starts.
        self.settled_day: date = local_day(self.clock())
        self.runs = 0
        self._thread: threading.Thread | None = None
        self._failed_day: date | None = None
        self._warned_day: date | None = None
        self._pending_warning = None  # (result, data_dir) waiting for a quiet moment
        self._carrier = _Carrier(self)
        self._carrier.done.connect(self._done)
        self.timer = QTimer(self)
        self.timer.setInterval(check_ms)
        self.timer.timeout.connect(self.check)
        self.midnight = QTimer(self)
        self.midnight.setSingleShot(True)
        self.midnight.timeout.connect(self.check)
        self.quiet = IdleWatcher(self)
        self._quiet_ms = quiet_ms
        self.quiet.idle.connect(self._warn_now)

    def start(self) -> None:
        """Look every few minutes and after midnight (idempotent)."""
        if not self.timer.isActive():
            self.timer.start()
            self._arm_midnight()

    def stop(self) -> None:
        self.timer.stop()
        self.midnight.stop()
        self.quiet.set_interval(0)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _arm_midnight(self) -> None:
        now = self.clock().astimezone()
        tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(),
                                    now.tzinfo)
        self.midnight.start(int((tomorrow - now).total_seconds() * 1000) + AFTER_MIDNIGHT_MS)

    def check(self) -> bool:
        """Start the day's backup on a worker thread if its day is not settled yet and a
        window is shown; True when it started. Returns at once."""
        self._arm_midnight()
        window = self.shell.window
        if self.running or window is None or not window.isVisible():
            return False
        if local_day(self.clock()) == self.settled_day:
            return False
        ctx = self.shell.ctx
        carrier = self._carrier

        def work() -> None:
            from kinerja_desktop.services import server_backup

            now = ctx.now()
            try:
                outcome = server_backup.daily_backup(ctx, now=now)
            except Exception as exc:  # noqa: BLE001 - logged in the GUI thread, tried again
                outcome = exc
            try:
                carrier.done.emit(local_day(now), outcome)
            except RuntimeError:  # the window's shell is gone (the program ends)
                pass

        from kinerja_desktop.ui.instance import track_backup

        self.runs += 1
        self._thread = threading.Thread(target=work, name="cadangan-otomatis-harian",
                                        daemon=True)
        track_backup(self._thread)
        self._thread.start()
        return True

    def _done(self, day: date, outcome: object) -> None:
        if isinstance(outcome, BaseException):
            if self._failed_day != day:
                log.error("Cadangan otomatis harian gagal: %s", outcome, exc_info=outcome)
            else:
                log.warning("Cadangan otomatis harian gagal lagi: %s", outcome)
            self._failed_day = day
        else:
            self.settled_day = day
            if outcome.made is not None:
                log.info("Cadangan otomatis harian: %s", outcome.made)
            if outcome.problems:
                log.error("Data rusak; cadangan otomatis tidak dibuat dan tidak ada cadangan "
                          "yang dihapus: %s", "; ".join(outcome.problems))
                if self._warned_day != day:
                    self._warned_day = day
                    self._pending_warning = (outcome, self.shell.ctx.data_dir)
                    self.quiet.set_interval(self._quiet_ms)
        self.ran.emit(outcome)

    def _warn_now(self) -> None:
        """A quiet moment: the warning, over the window (else wait for the next one)."""
        if self._pending_warning is None:
            self.quiet.set_interval(0)
            return
        window = self.shell.window
        if window is None or not window.isVisible() or self.shell.locked:
            self.quiet.set_interval(self._quiet_ms)  # after the log-in, after the lock
            return
        from kinerja_desktop.ui.instance import AT_DAILY_BACKUP, show_damage_warning

        (result, data_dir), self._pending_warning = self._pending_warning, None
        self.quiet.set_interval(0)
        show_damage_warning(window, result, data_dir, AT_DAILY_BACKUP)
