"""Where the data lives: one small interface, one implementation per engine.

Everything that differs between the embedded SQLite file (the default, in the data
folder) and a PostgreSQL server on the office LAN sits behind :class:`Backend`:

- the engine (SQLite: pragmas and write transactions that begin IMMEDIATE;
  PostgreSQL: psycopg 3, imported only when such a URL is used);
- reading the stored Alembic revision without migrating;
- what is kept before a migration (SQLite: a copy of the file; PostgreSQL: nothing,
  its DDL is transactional and a failed migration leaves no trace);
- named locks held until the end of a transaction (SQLite: the write lock every
  write transaction takes; PostgreSQL: ``pg_advisory_xact_lock``);
- integrity checks (``PRAGMA integrity_check`` / constraint and trigger checks);
- a consistent snapshot of the whole database as an SQLite file (the backup format);
- the clock (SQLite: this PC; PostgreSQL: the server's ``now()``);
- which database errors are worth retrying (locked, deadlock, serialization).

Pick one with :func:`backend_for`. A backend owns its engine (created on first use,
released by :meth:`Backend.dispose`). Code above ``db`` never asks which engine it is
talking to except through this interface.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kinerja_desktop.db.backends.base import (
    WRITE_OPTION,
    Backend,
    DatabaseError,
    IntegrityResult,
)

if TYPE_CHECKING:
    from kinerja_desktop.paths import DataDir

__all__ = ["WRITE_OPTION", "Backend", "DatabaseError", "IntegrityResult", "backend_for"]


def backend_for(data_dir: DataDir, database_url: str | None = None) -> Backend:
    """The backend of a data folder: its SQLite file, or the server at ``database_url``."""
    if not database_url:
        from kinerja_desktop.db.backends.sqlite import SqliteBackend

        return SqliteBackend(data_dir.database)
    from kinerja_desktop.db.backends.postgresql import PostgresBackend, parse_server_url

    return PostgresBackend(parse_server_url(database_url))
