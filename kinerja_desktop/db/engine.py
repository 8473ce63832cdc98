"""Engine and session factory for the SQLite database (never created at import)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 10_000


def _install_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed change survives a power cut, not only a crash of the program.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def make_engine(database: Path, *, echo: bool = False) -> Engine:
    """An engine on ``database`` with foreign keys on, WAL and a busy timeout."""
    # hide_parameters: a failed statement's message never carries its values (a password
    # hash among them) into the log or the error dialog.
    engine = create_engine(f"sqlite:///{database}", echo=echo, future=True,
                           hide_parameters=True)
    event.listen(engine, "connect", _install_pragmas)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, future=True)
