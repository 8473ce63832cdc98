"""Schema migrations at start-up, with a copy of the file saved first.

The stored Alembic revision is read with plain sqlite3 so that a database already
at head costs no Alembic import. A revision this program does not know means the
file was written by a newer version: it is refused and left untouched.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kinerja_desktop import paths

#: Head revision of ``migrations/versions`` (a test keeps this equal to Alembic's head).
HEAD_REVISION = "0002_cycle_record"
KNOWN_REVISIONS = ("0001_initial", "0002_cycle_record")


class DatabaseError(Exception):
    """A database that cannot be used; the message is for the user (Indonesian)."""


class NewerDatabaseError(DatabaseError):
    pass


@dataclass(frozen=True)
class MigrationResult:
    previous: str | None
    current: str
    backup: Path | None


def stored_revision(database: Path) -> str | None:
    """The Alembic revision recorded in ``database`` (None for a new or empty file)."""
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


def check_not_newer(revision: str | None) -> None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerDatabaseError(
            f"Basis data ini dibuat oleh versi Kinerja Desktop yang lebih baru (revisi skema "
            f"{revision}). Perbarui aplikasi; berkas tidak diubah."
        )


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy through the SQLite backup API (safe with WAL)."""
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


def alembic_config(connection: object | None = None):  # -> alembic.config.Config
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(paths.migrations_dir()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(database: Path, backups_dir: Path) -> MigrationResult:
    """Bring ``database`` to head, saving a copy first when it already holds data."""
    previous = stored_revision(database)
    check_not_newer(previous)
    if previous == HEAD_REVISION:
        return MigrationResult(previous, HEAD_REVISION, None)
    backup = None
    if previous is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        backup = backups_dir / f"sebelum-migrasi-{previous}-{stamp}.sqlite3"
        copy_database(database, backup)
    from alembic import command

    from kinerja_desktop.db.engine import make_engine

    engine = make_engine(database)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    finally:
        engine.dispose()
    return MigrationResult(previous, HEAD_REVISION, backup)
