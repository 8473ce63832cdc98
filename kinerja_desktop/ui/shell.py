"""The main window's life in one run of the program: set-up or log-in, the window,
Ganti pengguna (Berkas, Ctrl+L), the optional lock after idle minutes, and the day's
automatic backup while the window stays open (ui/daily_backup.py).

Ganti pengguna closes the window the way Keluar does (drafts saved, window state
remembered), deletes it with everything it held (tabs, dialogs, the viewed cycle) and
asks for a log-in; the new user gets a main window built for them. Cancelling that
log-in ends the program. The lock (Pengaturan ▸ Kunci otomatis, per computer) covers
every window after the chosen idle minutes and asks the same user's password, or lets
someone else log in.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog

from kinerja_desktop.ui.daily_backup import DailyBackupTimer
from kinerja_desktop.ui.idle import IdleWatcher


def lock_minutes() -> int:
    from kinerja_desktop import settings

    return max(0, settings.get("security/lock_minutes"))


class WindowShell(QObject):
    """Holds the main window: :meth:`start`, :meth:`switch_user`, :meth:`lock`."""

    window_opened = Signal(object)  # the new MainWindow
    finished = Signal()  # nobody logged in after Ganti pengguna: the program ends

    def __init__(self, ctx, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.window = None
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock)
        self.locked = False
        #: The day's automatic backup while the window stays open for days.
        self.daily_backup = DailyBackupTimer(self, parent=self)

    # ------------------------------------------------------------------ opening

    def office_name(self) -> str:
        from kinerja_desktop.services import office

        profile = office.get_office(self.ctx)
        return f"{profile.name} {profile.regency}" if profile else ""

    def start(self, location_root=None) -> bool:
        """Set-up on an empty database, else log-in; then the window. False if cancelled.

        ``location_root`` (a data folder whose data location was never chosen): the set-up
        first asks where the data lives; :attr:`ctx` is then the context it opened."""
        from kinerja_desktop.services import accounts

        if accounts.count_people(self.ctx) == 0:
            from kinerja_desktop.ui.dialogs.setup_wizard import SetupWizard

            wizard = SetupWizard(self.ctx, location_root=location_root)
            accepted = wizard.exec()
            self.ctx = wizard.ctx
            if not accepted and not wizard.demo_loaded:
                return False
            if wizard.admin is not None and not wizard.demo_loaded:
                self.open_window(wizard.admin.id)
                return True
        user_id = self.ask_login()
        if user_id is None:
            return False
        self.open_window(user_id)
        return True

    def ask_login(self) -> int | None:
        from kinerja_desktop.ui.dialogs.login import LoginDialog

        login = LoginDialog(self.ctx, self.office_name())
        login.setObjectName("dialogMasuk")
        accepted = login.exec()
        person = login.person
        login.deleteLater()
        return person.id if accepted and person is not None else None

    def open_window(self, user_id: int):
        from kinerja_desktop.ui.main_window import MainWindow

        window = MainWindow(self.ctx, user_id)
        window.switch_user_requested.connect(self.switch_user)
        window.signals.data_changed.connect(lambda _area: self.apply_lock_setting())
        self.window = window
        window.show()
        self.apply_lock_setting()
        self.daily_backup.start()
        self.window_opened.emit(window)
        return window

    def apply_lock_setting(self) -> None:
        self.idle.set_interval(lock_minutes() * 60_000 if self.window is not None else 0)

    # ------------------------------------------------------------------ switching user

    def close_window(self) -> bool:
        """Close every window of the user (dialogs first); False if the main window refused."""
        window = self.window
        if window is None:
            return True
        self._reject_dialogs()
        if not window.close():
            return False
        self.window = None
        self.idle.set_interval(0)
        window.deleteLater()
        return True

    def _reject_dialogs(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if widget is not self.window and widget.isVisible() and isinstance(widget, QDialog):
                widget.reject()

    def switch_user(self) -> None:
        """Ganti pengguna: close the window, log in, a new window for whoever logged in."""
        app = QApplication.instance()
        quit_on_close = app.quitOnLastWindowClosed()
        app.setQuitOnLastWindowClosed(False)  # the log-in comes after the last window
        try:
            if not self.close_window():
                return
            user_id = self.ask_login()
        finally:
            app.setQuitOnLastWindowClosed(quit_on_close)
        if user_id is None:
            self.finished.emit()
            return
        self.open_window(user_id)

    # ------------------------------------------------------------------ the idle lock

    def lock(self) -> None:
        """Cover every window and ask the user's password (or let someone else log in)."""
        from kinerja_desktop.ui.dialogs.lock import Curtain, LockDialog

        if self.window is None or self.locked:
            return
        self.locked = True
        self.idle.pause()
        popup = QApplication.activePopupWidget()
        if popup is not None:  # an open menu or calendar would stay above the curtain
            popup.close()
        curtains = [Curtain(w) for w in QApplication.topLevelWidgets()
                    if w.isVisible() and w.isWindow() and w.windowType() != Qt.WindowType.Popup]
        dialog = LockDialog(self.ctx, self.window.person, lock_minutes(), self.window)
        try:
            outcome = dialog.exec()
        finally:
            self.locked = False
            for curtain in curtains:
                curtain.deleteLater()
            dialog.deleteLater()
        if outcome == LockDialog.SWITCH_USER:
            # Dialogs open below the lock end first (their callers see "Batal"), then the
            # window closes and the log-in opens.
            self._reject_dialogs()
            QTimer.singleShot(0, self.switch_user)
        else:
            self.idle.resume()
