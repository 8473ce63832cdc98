"""The app-level signal: after every mutation one emission says what changed.

Views connect to :attr:`AppSignals.data_changed` and refresh themselves (Anki's
``operation_did_execute``). The argument names the area: one of the ``CHANGE_*``
constants below; a view that does not care about an area may ignore it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kinerja_desktop.services import changes

# The areas are the ones the server announces other PCs' changes with (services/changes).
CHANGE_CYCLE = changes.CYCLE          # a cycle was started, a step started or finished
CHANGE_FORMAT = changes.FORMAT        # format items, targets, field requirements
CHANGE_ENTRY = changes.ENTRY          # team entries, evidence, submission, verification
CHANGE_PEOPLE = changes.PEOPLE        # people, roles, passwords
CHANGE_TEAMS = changes.TEAMS
CHANGE_OFFICE = changes.OFFICE        # office profile, predikat scale, days off
CHANGE_SOP = changes.SOP
CHANGE_DOCUMENTS = changes.DOCUMENTS
CHANGE_PREFERENCES = "preferensi"  # this computer's preferences (the idle lock)
CHANGE_ALL = changes.ALL              # e.g. after a restore, or back in touch with the server


class AppSignals(QObject):
    """One instance per main window (``MainWindow.signals``).

    In server mode ``ui/live.py`` feeds it other PCs' changes too: first
    :attr:`items_changed_elsewhere` (so an open form can tell its user), then
    ``data_changed`` once per area changed.
    """

    data_changed = Signal(str)
    #: Format items another PC changed: a frozenset of ids, or None when any may have
    #: changed (the connection to the server was lost and is back).
    items_changed_elsewhere = Signal(object)
    #: Whether the server answers (a ``ui.live.ServerState``), for the status bar and forms.
    server_state_changed = Signal(object)
    #: False while the server does not answer (forms keep what is typed, and say so).
    server_answering = True


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
