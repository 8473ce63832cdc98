"""The service context: one data directory, its engine, and the clock.

Every user action is one service function taking the context first, running in
one transaction (:meth:`ServiceContext.transaction`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from kinerja_desktop.paths import DataDir


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ServiceContext:
    data_dir: DataDir
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Callable[[], datetime] = field(default=utc_now)
    #: Run by :meth:`dispose` after the engine (e.g. releasing the data folder's lock).
    closers: list[Callable[[], None]] = field(default_factory=list)

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
        closers, self.closers = self.closers, []
        for close in reversed(closers):
            close()
