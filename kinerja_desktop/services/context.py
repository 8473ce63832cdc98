"""The service context: one data directory, its engine, and the clock.

Every user action is one service function taking the context first, running in
one transaction (:meth:`ServiceContext.transaction`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from kinerja_desktop.db.engine import make_engine, make_session_factory
from kinerja_desktop.paths import DataDir


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ServiceContext:
    data_dir: DataDir
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Callable[[], datetime] = field(default=utc_now)

    def now(self) -> datetime:
        return self.clock()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error."""
        session = self.sessions()
        try:
            with session.begin():
                yield session
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self.sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def open_context(root: Path, clock: Callable[[], datetime] = utc_now) -> ServiceContext:
    """Open (and migrate) the database of the data directory ``root``.

    Raises :class:`kinerja_desktop.db.migrate.DatabaseError` for a file from a newer
    version or not ours; nothing is changed in that case.
    """
    from kinerja_desktop.db import migrate

    data_dir = DataDir(root).ensure()
    migrate.upgrade(data_dir.database, data_dir.backups)
    engine = make_engine(data_dir.database)
    ctx = ServiceContext(data_dir, engine, make_session_factory(engine), clock)
    from kinerja_desktop.services import sops

    sops.install_seed_if_missing(ctx)
    return ctx


def open_existing_context(root: Path, clock: Callable[[], datetime] = utc_now) -> ServiceContext:
    """Open an existing database at head WITHOUT migrating or writing anything.

    For ``check``, ``smoke`` and ``screenshots``: a missing database, one from a newer
    version, or one still needing a migration is refused with an Indonesian message.
    """
    from kinerja_desktop.db import migrate

    data_dir = DataDir(root)
    if not data_dir.database.exists():
        raise migrate.DatabaseError(
            f"Basis data tidak ditemukan di {data_dir.root}. Buka aplikasi atau jalankan "
            "'demo' terlebih dahulu."
        )
    revision = migrate.stored_revision(data_dir.database)
    migrate.check_not_newer(revision)
    if revision != migrate.HEAD_REVISION:
        raise migrate.DatabaseError(
            f"Skema basis data (revisi {revision}) belum diperbarui; buka aplikasi sekali "
            "untuk memperbaruinya."
        )
    engine = make_engine(data_dir.database)
    return ServiceContext(data_dir, engine, make_session_factory(engine), clock)
