"""The app-level signal: after every mutation one emission says what changed.

Views connect to :attr:`AppSignals.data_changed` and refresh themselves (Anki's
``operation_did_execute``). The argument names the area: one of the ``CHANGE_*``
constants below; a view that does not care about an area may ignore it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

CHANGE_CYCLE = "siklus"        # a cycle was started, a step started or finished
CHANGE_FORMAT = "format"       # format items, targets, field requirements
CHANGE_ENTRY = "data"          # team entries, evidence, submission, verification
CHANGE_PEOPLE = "pengguna"     # people, roles, passwords
CHANGE_TEAMS = "tim"
CHANGE_OFFICE = "kantor"       # office profile, predikat scale, days off
CHANGE_SOP = "sop"
CHANGE_DOCUMENTS = "dokumen"
CHANGE_PREFERENCES = "preferensi"  # this computer's preferences (the idle lock)
CHANGE_ALL = "semua"           # e.g. after a restore


class AppSignals(QObject):
    """One instance per main window (``MainWindow.signals``)."""

    data_changed = Signal(str)


class UiSession(QObject):
    """Who is logged in, on which database, looking at which cycle.

    Tabs and dialogs receive this instead of the main window, so they never import
    each other. ``changed(area)`` is the one call a view makes after a mutation.
    """

    cycle_selected = Signal(object)  # cycle id or None

    def __init__(self, ctx, user_id: int, signals: AppSignals | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.user_id = user_id
        self.signals = signals or AppSignals()
        self._cycle_id: int | None = None

    @property
    def cycle_id(self) -> int | None:
        return self._cycle_id

    def select_cycle(self, cycle_id: int | None) -> None:
        if cycle_id != self._cycle_id:
            self._cycle_id = cycle_id
            self.cycle_selected.emit(cycle_id)

    def changed(self, area: str) -> None:
        self.signals.data_changed.emit(area)

    def person(self):
        from kinerja_desktop.services import accounts

        return accounts.get_person(self.ctx, self.user_id)
