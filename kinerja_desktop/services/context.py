"""The service context: one data folder, where its data lives (a backend), the clock.

Every user action is one service function taking the context first, running in
one transaction (:meth:`ServiceContext.transaction`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from kinerja_desktop.db.backends import Backend, backend_for
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


def open_context(root: Path, clock: Callable[[], datetime] | None = None,
                 database_url: str | None = None) -> ServiceContext:
    """Open (and migrate) the database of the data folder ``root``, or the server at
    ``database_url`` (the data folder then keeps only this PC's log, settings, backups).

    Raises :class:`kinerja_desktop.db.migrate.DatabaseError` for a database from a newer
    version, not ours, or a server that cannot be reached; nothing is changed then.
    """
    from kinerja_desktop.db import migrate

    data_dir = DataDir(root).ensure()
    backend = backend_for(data_dir, database_url)
    try:
        migrate.upgrade(backend, data_dir.backups)
        ctx = ServiceContext(data_dir, backend, clock)
        from kinerja_desktop.services import sops

        sops.install_seed_if_missing(ctx)
    except BaseException:
        backend.dispose()
        raise
    return ctx


def open_existing_context(root: Path, clock: Callable[[], datetime] | None = None,
                          database_url: str | None = None) -> ServiceContext:
    """Open an existing database at head WITHOUT migrating or writing anything.

    For ``check``, ``smoke`` and ``screenshots``: a missing database, one from a newer
    version, or one still needing a migration is refused with an Indonesian message.
    """
    from kinerja_desktop.db import migrate

    data_dir = DataDir(root)
    backend = backend_for(data_dir, database_url)
    try:
        if not backend.exists():
            raise migrate.DatabaseError(
                f"Basis data tidak ditemukan di {data_dir.root}. Buka aplikasi atau jalankan "
                "'demo' terlebih dahulu."
            )
        revision = backend.stored_revision()
        if revision is None and backend.is_server:
            raise migrate.DatabaseError(
                f"Basis data {backend.location} masih kosong. Buka aplikasi atau jalankan "
                "'demo' terlebih dahulu."
            )
        migrate.check_not_newer(revision)
        if revision != migrate.HEAD_REVISION:
            raise migrate.DatabaseError(
                f"Skema basis data (revisi {revision}) belum diperbarui; buka aplikasi sekali "
                "untuk memperbaruinya."
            )
        return ServiceContext(data_dir, backend, clock)
    except BaseException:
        backend.dispose()
        raise
