"""The service context: one data folder, where its data lives (a backend), the clock.

Every user action is one service function taking the context first, running in
one transaction (:meth:`ServiceContext.transaction`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from kinerja_desktop.db.backends import Backend
from kinerja_desktop.db.engine import make_session_factory
from kinerja_desktop.paths import DataDir


class ServiceContext:
    """A data folder (log, settings, backups of this PC) and the database it uses.

    ``clock`` is where every "now" of the services comes from: the backend's clock by
    default (this PC for SQLite, the server for PostgreSQL); tests and the demo set
    their own.
    """

    def __init__(self, data_dir: DataDir, backend: Backend,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.data_dir = data_dir
        self.backend = backend
        self.clock: Callable[[], datetime] = clock or backend.clock()
        self.sessions: sessionmaker[Session] = make_session_factory(backend.write_engine)
        self._readers: sessionmaker[Session] = make_session_factory(backend.engine)
        #: Run by :meth:`dispose` after the backend (e.g. releasing the data folder's lock).
        self.closers: list[Callable[[], None]] = []

    @property
    def engine(self) -> Engine:
        return self.backend.engine

    def now(self) -> datetime:
        return self.clock()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error.

        On SQLite it holds the database's write lock from its first statement to its
        end, so what it checked still holds when it commits.
        """
        session = self.sessions()
        try:
            with session.begin():
                yield session
        finally:
            session.close()

    def lock(self, session: Session, name: str) -> None:
        """Take the named lock for the rest of ``session``'s transaction (see
        :meth:`Backend.lock`): check-then-insert work that has no row to lock yet."""
        self.backend.lock(session.connection(), name)

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self._readers()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self.backend.dispose()
        closers, self.closers = self.closers, []
        for close in reversed(closers):
            close()

