"""Other PCs' changes, live, without polling (server mode).

The window holds one :class:`LiveUpdates`. On a PostgreSQL server it opens a listening
connection of its own (``services.live.ChangeFeed``; the connecting happens on a worker
thread, so a server that does not answer never freezes the window). A
``QSocketNotifier`` on that connection's socket wakes the GUI thread when the server has
sent something; the pending notifications are read (never waiting) and fed into the
window's :class:`~kinerja_desktop.ui.signals.AppSignals`: first
``items_changed_elsewhere`` with the format items named, then ``data_changed`` with the
area changed (``CHANGE_ALL`` when several were). Nothing runs on a timer while the
connection is up.

When the connection is lost (the server stopped, the network dropped: the operating
system's TCP keepalives notice a silent drop), the state turns to ``LOST`` and a new
connection is tried after a growing pause (:data:`RETRY_DELAYS_MS`). A statement of the
window's own that fails the way a lost server does (a save, say, before the keepalives
tell) has the server checked at once, off the GUI thread (``services.live.
watch_failures``): no answer, and the state is ``LOST`` too. Once it is back,
everything is refreshed (``data_changed(CHANGE_ALL)``), since changes made meanwhile
were not heard. The state feeds the status bar ("whether the server answers").
"""

from __future__ import annotations

import logging
import threading
import time
from enum import Enum

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from kinerja_desktop.ui.signals import CHANGE_ALL, CHANGE_ENTRY, CHANGE_FORMAT, AppSignals

log = logging.getLogger("kinerja_desktop.live")

#: Pauses before each new attempt to reach the server (the last one repeats).
RETRY_DELAYS_MS = (250, 500, 1000, 2000, 4000, 8000, 10000)
#: Notifications arriving within this many milliseconds are handled together (a workbook
#: import on another PC is one refresh here, not one per item).
COALESCE_MS = 30


class ServerState(Enum):
    LOCAL = "lokal"          # this PC's own SQLite file: no server
    CONNECTING = "menyambung"
    ANSWERING = "menjawab"
    LOST = "terputus"


class _Connector(QObject):
    """Carries a worker thread's result to the GUI thread (queued signals)."""

    opened = Signal(object, int)  # ChangeFeed, attempt
    failed = Signal(str, int)     # Indonesian reason, attempt
    suspect = Signal()            # a statement failed as if the server were gone
    checked = Signal(object, int)  # None (answers) or the Indonesian reason, attempt


class LiveUpdates(QObject):
    """The window's ear on the server (see the module docstring)."""

    state_changed = Signal(object)  # ServerState

    def __init__(self, ctx, signals: AppSignals, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from kinerja_desktop.services import live

        self.ctx = ctx
        self.signals = signals
        self.place = live.data_place(ctx)
        self.state = ServerState.LOCAL if not self.place.is_server else ServerState.CONNECTING
        #: Why the server does not answer (Indonesian), while LOST.
        self.reason = ""
        #: Other PCs' changes received since the window opened.
        self.received = 0
        self.last_received_at: float | None = None
        self._feed = None
        self._notifier: QSocketNotifier | None = None
        self._attempt = 0        # identifies the newest connection attempt
        self._failures = 0
        self._running = False
        #: Connections made so far (more than one: it was lost and came back).
        self.connections = 0
        self._pending: list = []
        self._connector = _Connector(self)
        self._connector.opened.connect(self._opened)
        self._connector.failed.connect(self._failed)
        self._connector.suspect.connect(self._suspect)
        self._connector.checked.connect(self._checked)
        self._checking = False   # a check of the server (after a failed statement) runs
        self._unwatch = None
        #: Checks of the server made after a failed statement.
        self.checks = 0
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._connect)
        self._coalesce = QTimer(self)
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(COALESCE_MS)
        self._coalesce.timeout.connect(self._dispatch)

    # ------------------------------------------------------------------ life

    def start(self) -> None:
        """Start listening (nothing on this PC's own file)."""
        if not self.place.is_server or self._running:
            return
        from kinerja_desktop.services import live

        self._running = True
        connector = self._connector
        self._unwatch = live.watch_failures(
            self.ctx, lambda: _emit_or_forget(connector.suspect, None))
        self._connect()

    def stop(self) -> None:
        self._running = False
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None
        self._attempt += 1  # a connection still being made is closed when it arrives
        self._retry.stop()
        self._coalesce.stop()
        self._drop_feed()

    @property
    def answering(self) -> bool:
        """True on this PC's own file, or while the server's connection is up."""
        return self.state in (ServerState.LOCAL, ServerState.ANSWERING)

    def check_soon(self) -> None:
        """Something else found the server gone (a save failed): try again now instead of
        at the end of the current pause."""
        if self._running and self.state is ServerState.LOST and self._retry.isActive():
            self._retry.start(0)

    def _suspect(self) -> None:
        """A statement failed as if the server were gone: ask it now (off the GUI
        thread) rather than wait for the listening connection to notice."""
        if not self._running:
            return
        if self.state is ServerState.LOST:
            self.check_soon()
            return
        if self.state is not ServerState.ANSWERING or self._checking:
            return
        self._checking = True
        self.checks += 1
        attempt, connector, ctx = self._attempt, self._connector, self.ctx

        def work() -> None:
            from kinerja_desktop.services.live import server_answers

            try:
                reason = server_answers(ctx)
            except Exception:  # noqa: BLE001 - reported as the reason, details logged
                log.exception("Pemeriksaan server gagal")
                reason = "Pemeriksaan server gagal; rinciannya ada di log."
            _emit_or_forget(connector.checked, None, reason, attempt)

        threading.Thread(target=work, name="cek-server", daemon=True).start()

    def _checked(self, reason: str | None, attempt: int) -> None:
        self._checking = False
        if attempt != self._attempt or not self._running or reason is None:
            return  # it answers (the failure had another cause), or things moved on
        self._lost(reason)

    # ------------------------------------------------------------------ connecting

    def _set_state(self, state: ServerState) -> None:
        if state is not self.state:
            self.state = state
            self.signals.server_answering = self.answering
            self.state_changed.emit(state)
            self.signals.server_state_changed.emit(state)

    def _connect(self) -> None:
        if not self._running:
            return
        self._attempt += 1
        attempt = self._attempt
        connector = self._connector
        ctx = self.ctx

        def work() -> None:
            from kinerja_desktop.services.live import ChangeFeed, FeedLost

            try:
                feed = ChangeFeed(ctx)
            except FeedLost as exc:
                _emit_or_forget(connector.failed, None, str(exc), attempt)
            except Exception as exc:  # noqa: BLE001 - reported, then tried again
                log.exception("Sambungan pemberitahuan gagal")
                _emit_or_forget(connector.failed, None, f"Sambungan gagal ({exc}).", attempt)
            else:
                _emit_or_forget(connector.opened, feed, feed, attempt)

        threading.Thread(target=work, name="sambungan-pemberitahuan", daemon=True).start()

    def _opened(self, feed, attempt: int) -> None:
        if attempt != self._attempt or not self._running:
            feed.close()
            return
        self._feed = feed
        self._notifier = QSocketNotifier(feed.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._readable)
        self._failures = 0
        self.reason = ""
        self.connections += 1
        log.info("Mendengarkan perubahan di server %s", self.place.detail)
        # Changes committed between the window's loading (or the connection's loss) and
        # the LISTEN were not heard: refresh everything once. Before the state says the
        # server answers: a form holding what was typed meanwhile learns first whether its
        # item changed elsewhere, and only then saves (never over that change unseen).
        self.signals.items_changed_elsewhere.emit(None)
        self.signals.data_changed.emit(CHANGE_ALL)
        self._set_state(ServerState.ANSWERING)
        self._readable()  # anything that arrived with the connection itself

    def _failed(self, reason: str, attempt: int) -> None:
        if attempt != self._attempt or not self._running:
            return
        self._lost(reason)

    def _lost(self, reason: str) -> None:
        self._drop_feed()
        self.reason = reason
        if self.state is not ServerState.LOST:
            log.warning("Server tidak menjawab: %s", reason)
        self._set_state(ServerState.LOST)
        delay = RETRY_DELAYS_MS[min(self._failures, len(RETRY_DELAYS_MS) - 1)]
        self._failures += 1
        if self._running:
            self._retry.start(delay)

    def _drop_feed(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._feed is not None:
            self._feed.close()
            self._feed = None

    # ------------------------------------------------------------------ receiving

    def _readable(self) -> None:
        from kinerja_desktop.services.live import FeedLost

        if self._feed is None:
            return
        try:
            changes = self._feed.read()
        except FeedLost as exc:
            self._lost(str(exc))
            return
        if changes:
            self._pending.extend(changes)
            if not self._coalesce.isActive():
                self._coalesce.start()

    def _dispatch(self) -> None:
        changes, self._pending = self._pending, []
        if not changes:
            return
        self.received += len(changes)
        self.last_received_at = time.monotonic()
        areas = list(dict.fromkeys(c.area for c in changes))
        items = frozenset().union(*(c.item_ids for c in changes
                                    if c.area in (CHANGE_ENTRY, CHANGE_FORMAT)))
        if CHANGE_ALL in areas:
            self.signals.items_changed_elsewhere.emit(None)
            self.signals.data_changed.emit(CHANGE_ALL)
            return
        if items:
            self.signals.items_changed_elsewhere.emit(items)
        # Several areas at once (a first value also starts the team's step): one refresh
        # of what is shown, not one per area.
        self.signals.data_changed.emit(areas[0] if len(areas) == 1 else CHANGE_ALL)


def _emit_or_forget(signal, feed, *args) -> None:  # noqa: ANN001 - a bound Qt signal
    """Emit from the worker thread; the window may have gone meanwhile (close the feed)."""
    try:
        signal.emit(*args)
    except RuntimeError:  # the receiving object was deleted
        if feed is not None:
            feed.close()
