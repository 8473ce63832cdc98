"""The embedded default: one SQLite file in the data folder.

Every connection gets foreign keys, WAL, ``synchronous=FULL`` and a busy timeout.
pysqlite's own transaction handling is switched off and each transaction is begun
here: a read with ``BEGIN``, a write (connection option
:data:`~kinerja_desktop.db.backends.WRITE_OPTION`) with ``BEGIN IMMEDIATE``. A
write transaction therefore holds the file's write lock from its first statement,
so two processes writing at once run one after the other and every check a
transaction makes still holds when it commits (the SQLite form of "lock the cycle
and re-check inside the lock"). A waiting writer waits up to the busy timeout.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

from kinerja_desktop.db.backends.base import WRITE_OPTION, Backend, DatabaseError, IntegrityResult

BUSY_TIMEOUT_MS = 10_000


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Transactions are begun in _on_begin, not by pysqlite (it would begin DEFERRED
    # and only before DML, committing silently around DDL).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed change survives a power cut, not only a crash of the program.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _on_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(database: Path, *, echo: bool = False) -> Engine:
    """An engine on the file ``database`` (pragmas and transaction modes above)."""
    # hide_parameters: a failed statement's message never carries its values (a password
    # hash among them) into the log or the error dialog.
    engine = create_engine(f"sqlite:///{database}", echo=echo, hide_parameters=True)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def stored_revision(database: Path) -> str | None:
    """The Alembic revision recorded in the file (None for a new or empty file).

    Read with plain sqlite3, read-only: a database already at head costs no Alembic
    import and nothing is written.
    """
    if not database.exists() or database.stat().st_size == 0:
        return None
    uri = f"file:{database}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(f"Berkas basis data tidak dapat dibuka: {exc}") from exc
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            if tables - {"sqlite_sequence"}:
                raise DatabaseError(
                    f"Berkas {database.name} bukan basis data Kinerja Desktop "
                    "(tabel versi skema tidak ada)."
                )
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"Berkas {database.name} bukan basis data SQLite yang sah: {exc}"
        ) from exc
    finally:
        conn.close()


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy through the SQLite backup API (safe with WAL and writers)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    if tmp.exists():
        tmp.unlink()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    tmp.replace(target)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SqliteBackend(Backend):
    """The SQLite file of one data folder."""

    name = "sqlite"

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = Path(path)

    def _create_engine(self) -> Engine:
        return make_engine(self.path)

    @property
    def location(self) -> str:
        return str(self.path)

    def exists(self) -> bool:
        return self.path.exists()

    def stored_revision(self) -> str | None:
        return stored_revision(self.path)

    @contextmanager
    def migrating(self, lock_name: str) -> Iterator[Connection]:
        """SQLite's procedure for schema changes: foreign keys off (a table rebuilt by
        Alembic's batch mode may be one others refer to), one IMMEDIATE transaction,
        ``foreign_key_check`` before it commits. The connection never returns to the pool
        with foreign keys off."""
        with self.write_engine.connect() as connection:
            # Outside any transaction: inside one, SQLite ignores this pragma.
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
            try:
                with connection.begin():
                    yield connection
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseError(
                            f"Pembaruan skema akan merusak kunci asing (tabel {broken[0][0]}); "
                            "basis data tidak diubah."
                        )
            finally:
                connection.invalidate()

    def keep_before_migration(self, revision: str, backups_dir: Path, stamp: str) -> Path | None:
        backup = backups_dir / f"sebelum-migrasi-{revision}-{stamp}.sqlite3"
        copy_database(self.path, backup)
        return backup

    def lock(self, connection: Connection, name: str) -> None:
        # A write transaction began IMMEDIATE and already holds the only write lock.
        if not connection.get_execution_options().get(WRITE_OPTION, False):
            raise RuntimeError("Kunci SQLite hanya tersedia di dalam transaksi tulis.")

    def integrity_checks(self, connection: Connection) -> IntegrityResult:
        result = IntegrityResult()
        rows = [r[0] for r in connection.exec_driver_sql("PRAGMA integrity_check")]
        if rows != ["ok"]:
            result.problems.extend(f"integrity_check: {r}" for r in rows)
        else:
            result.notes.append("PRAGMA integrity_check: ok")
        fk = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        for table, rowid, parent, _ in fk:
            result.problems.append(f"Kunci asing rusak: {table} baris {rowid} → {parent}")
        if not fk:
            result.notes.append("PRAGMA foreign_key_check: ok")
        return result

    def write_snapshot(self, target: Path) -> None:
        copy_database(self.path, target)

    def clock(self) -> Callable[[], datetime]:
        return _utc_now

    def is_retryable(self, error: BaseException) -> bool:
        text = str(getattr(error, "orig", error)).lower()
        return isinstance(getattr(error, "orig", error), sqlite3.OperationalError) and (
            "database is locked" in text or "database is busy" in text
            or "database table is locked" in text
        )
