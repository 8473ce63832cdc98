"""Other PCs' changes as they are committed (server mode), and where the data lives.

:class:`ChangeFeed` holds the listening connection of one window: opening it connects
(blocking: do it off the GUI thread); afterwards the window waits for :meth:`fileno` to
become readable and takes :meth:`ChangeFeed.read`, which never blocks. Its own context's
changes are left out (the window refreshed for them already).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from kinerja_desktop.db.backends import DatabaseError, Listener
from kinerja_desktop.domain.errors import KinerjaError
from kinerja_desktop.services.changes import Change
from kinerja_desktop.services.context import ServiceContext

log = logging.getLogger("kinerja_desktop.live")


class FeedLost(KinerjaError):
    """The listening connection failed or was lost (the message says why, in Indonesian)."""


@dataclass(frozen=True)
class DataPlace:
    """Where a context's data lives, for the status bar."""

    is_server: bool
    #: "Data: komputer ini" or "Server: host/database"
    label: str
    #: The SQLite file, or the server's ``host:port/database``.
    detail: str


def data_place(ctx: ServiceContext) -> DataPlace:
    backend = ctx.backend
    if not backend.is_server:
        return DataPlace(False, "Data: komputer ini", backend.location)
    url = backend.url  # type: ignore[attr-defined] - the server backend's URL
    return DataPlace(True, f"Server: {url.host or 'localhost'}/{url.database}",
                     f"{backend.location} sebagai {url.username or 'pengguna bawaan'}")


def watch_failures(ctx: ServiceContext, failed: Callable[[], None]) -> Callable[[], None]:
    """Call ``failed()`` whenever a statement or a new connection of ``ctx`` fails the way a
    server that went away does (an operational error: connection refused, closed, timed
    out), from whichever thread met it. A stale pooled connection replaced on checkout
    (the pre-ping) is no failure; nor is a refused value. Returns the function that stops
    watching."""
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    engine = ctx.backend.engine

    def on_error(context) -> None:  # noqa: ANN001 - sqlalchemy ExceptionContext
        if context.is_pre_ping:
            return
        if context.is_disconnect or isinstance(context.sqlalchemy_exception, OperationalError):
            try:
                failed()
            except Exception:  # noqa: BLE001 - the statement's own error is the one to raise
                log.exception("Pemberitahuan kegagalan sambungan gagal")

    event.listen(engine, "handle_error", on_error)

    def stop() -> None:
        if event.contains(engine, "handle_error", on_error):
            event.remove(engine, "handle_error", on_error)

    return stop


def server_answers(ctx: ServiceContext, timeout_s: float = 3) -> str | None:
    """None when the database answers now (on a connection of its own; blocks up to
    ``timeout_s``: call it off the GUI thread), else why not, in Indonesian."""
    try:
        ctx.backend.ping(timeout_s)
    except DatabaseError as exc:
        return str(exc)
    return None


class ChangeFeed:
    """The changes other PCs commit, from one listening connection of its own."""

    def __init__(self, ctx: ServiceContext) -> None:
        if ctx.changes is None:
            raise FeedLost("Data di komputer ini: tidak ada komputer lain yang didengar.")
        self.origin = ctx.changes.origin
        try:
            self._listener: Listener = ctx.backend.open_listener()
        except DatabaseError as exc:
            raise FeedLost(str(exc)) from None

    def fileno(self) -> int:
        return self._listener.fileno()

    def read(self) -> list[Change]:
        """Other PCs' changes received so far, in order (never blocks); :class:`FeedLost`
        when the connection is gone."""
        try:
            received = self._listener.pending()
        except DatabaseError as exc:
            raise FeedLost(str(exc)) from None
        changes = (Change.parse(message) for message in received)
        return [c for c in changes if c is not None and c.origin != self.origin]

    def close(self) -> None:
        try:
            self._listener.close()
        except Exception:  # noqa: BLE001 - closing a lost connection may fail; it is gone
            pass
