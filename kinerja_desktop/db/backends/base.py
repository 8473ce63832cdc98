"""The interface every engine implements (see :mod:`kinerja_desktop.db.backends`)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine


#: Execution option marking a connection that will write. SQLite begins such a
#: transaction IMMEDIATE (it takes the database's write lock at BEGIN, so every
#: check it makes stays true until it commits); PostgreSQL ignores it.
WRITE_OPTION = "kinerja_write"


class DatabaseError(Exception):
    """A database that cannot be used; the message is for the user (Indonesian)."""


@dataclass
class IntegrityResult:
    """What an engine's own integrity checks found (Indonesian lines)."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Backend(ABC):
    """One place where the data lives (see the module docstring)."""

    #: "sqlite" or "postgresql"
    name: ClassVar[str]

    def __init__(self) -> None:
        self._engine: Engine | None = None

    # ----------------------------------------------------------------- engine

    @property
    def engine(self) -> Engine:
        """The engine (created on first use)."""
        if self._engine is None:
            self._engine = self._create_engine()
        return self._engine

    @property
    def write_engine(self) -> Engine:
        """The same engine (same pool) with :data:`WRITE_OPTION` set."""
        return self.engine.execution_options(**{WRITE_OPTION: True})

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @abstractmethod
    def _create_engine(self) -> Engine: ...

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the data lives, for messages: the file, or ``host:port/database``."""

    @property
    def is_server(self) -> bool:
        return self.name != "sqlite"

    # ----------------------------------------------------------------- migrations

    @abstractmethod
    def exists(self) -> bool:
        """True when the database has been created (it may still be empty)."""

    @abstractmethod
    def stored_revision(self) -> str | None:
        """The Alembic revision recorded in the database (None when empty).

        Raises :class:`DatabaseError` for a database that is not ours or cannot be read.
        """

    @contextmanager
    def migrating(self, lock_name: str) -> Iterator[Connection]:
        """A connection in one write transaction holding the lock ``lock_name``, for
        Alembic. Committed when the block ends without error."""
        with self.write_engine.begin() as connection:
            self.lock(connection, lock_name)
            yield connection

    def keep_before_migration(self, revision: str, backups_dir: Path, stamp: str) -> Path | None:
        """Keep what a migration could damage; return the copy (None: nothing to keep)."""
        return None

    @abstractmethod
    def lock(self, connection: Connection, name: str) -> None:
        """Take the lock called ``name``, held until ``connection``'s transaction ends.

        Migrations, first-run seeding and the first administrator take one, so two
        PCs starting at the same moment do the work once.
        """

    # ----------------------------------------------------------------- checks, copies

    @abstractmethod
    def integrity_checks(self, connection: Connection) -> IntegrityResult: ...

    @abstractmethod
    def write_snapshot(self, target: Path) -> None:
        """A consistent copy of the whole database as an SQLite file at ``target``.

        Safe while other connections write. ``target`` must not exist yet.
        """

    # ----------------------------------------------------------------- time, errors

    @abstractmethod
    def clock(self) -> Callable[[], datetime]:
        """The clock every "now" of the services comes from (aware UTC)."""

    @abstractmethod
    def is_retryable(self, error: BaseException) -> bool:
        """True for a failure that the same transaction, run again, may not meet
        (a lock held too long, a deadlock, a serialization failure)."""
