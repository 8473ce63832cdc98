"""Is a database file sound? Integrity, foreign keys, and the schema the migrations make.

Used before every backup (a damaged database is never backed up as if it were good),
by restore on the file it is about to put in place, by ``check`` and at start-up. Every
function here takes a *path* and opens its own read-only connection, so a damaged file
(a zeroed page, a broken table definition) is reported, never raised.

The reference schema is what the Alembic migrations create at the file's revision: an
empty in-memory database is migrated once per revision and process and described the
same way as the file (:func:`sqlite_schema`). Tables and their columns (type, NOT NULL,
default, primary key), foreign keys, indexes (columns, unique, partial condition),
triggers and views are compared; a missing column, a dropped audit trigger or an extra
trigger is each one problem.

The functions named ``sqlite_*`` are specific to the SQLite backend; a server backend
describes its schema through its own catalogue and compares the same way.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

#: integrity_check lines reported at most (a badly damaged file gives thousands).
MAX_INTEGRITY_LINES = 20

Schema = dict[str, tuple]


@dataclass
class Health:
    """What a database check found. ``problems`` are Indonesian, one line each."""

    problems: list[str] = field(default_factory=list)
    revision: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _normalise_sql(sql: str | None) -> str:
    if not sql:
        return ""
    text = re.sub(r"\s+", " ", sql).strip().rstrip(";")
    return re.sub(r"\s*([(),])\s*", r"\1", text).lower()


def sqlite_schema(conn: sqlite3.Connection) -> Schema:
    """A comparable description of every table, index, trigger and view (SQLite)."""
    described: Schema = {}
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    for kind, name, table, sql in rows:
        if name.startswith("sqlite_") and kind == "table":
            continue  # sqlite_sequence, sqlite_stat*: kept by SQLite itself
        if kind == "table":
            columns = tuple(
                (r[1], (r[2] or "").upper(), bool(r[3]), r[4], r[5], r[6])
                for r in conn.execute(f'PRAGMA table_xinfo("{name}")'))
            foreign = tuple(sorted(
                (r[2], r[3], r[4], r[5], r[6]) for r in
                conn.execute(f'PRAGMA foreign_key_list("{name}")')))
            described[f"table:{name}"] = (columns, foreign)
        elif kind == "index":
            columns = tuple(r[2] for r in conn.execute(f'PRAGMA index_info("{name}")'))
            flags = next(((bool(r[2]), r[3], bool(r[4])) for r in
                          conn.execute(f'PRAGMA index_list("{table}")') if r[1] == name),
                         (False, "", False))
            where = _normalise_sql(sql).partition(" where ")[2]
            described[f"index:{name}"] = (table, columns, flags, where)
        else:  # trigger, view
            described[f"{kind}:{name}"] = (table, _normalise_sql(sql))
    return described


_KIND_LABELS = {"table": "Tabel", "index": "Indeks", "trigger": "Pemicu (trigger)",
                "view": "Tampilan (view)"}


def compare_schema(found: Schema, expected: Schema) -> list[str]:
    """Indonesian problems, one per difference (empty when equal)."""
    problems: list[str] = []
    for key in sorted(expected.keys() - found.keys()):
        kind, _, name = key.partition(":")
        problems.append(f"Skema: {_KIND_LABELS[kind].lower()} {name} tidak ada.")
    for key in sorted(found.keys() - expected.keys()):
        kind, _, name = key.partition(":")
        problems.append(f"Skema: {_KIND_LABELS[kind].lower()} {name} tambahan, tidak dibuat "
                        "oleh migrasi Kinerja Desktop.")
    for key in sorted(found.keys() & expected.keys()):
        if found[key] == expected[key]:
            continue
        kind, _, name = key.partition(":")
        if kind == "table":
            problems.extend(_compare_table(name, found[key], expected[key]))
        else:
            problems.append(f"Skema: definisi {_KIND_LABELS[kind].lower()} {name} berbeda dari "
                            "yang dibuat migrasi.")
    return problems


def _compare_table(name: str, found: tuple, expected: tuple) -> list[str]:
    problems = []
    have = {c[0]: c for c in found[0]}
    want = {c[0]: c for c in expected[0]}
    for column in want.keys() - have.keys():
        problems.append(f"Skema: kolom {name}.{column} tidak ada.")
    for column in have.keys() - want.keys():
        problems.append(f"Skema: kolom {name}.{column} tambahan, tidak dibuat oleh migrasi.")
    for column in have.keys() & want.keys():
        if have[column] != want[column]:
            problems.append(f"Skema: kolom {name}.{column} berbeda (tipe, NOT NULL, nilai "
                            "bawaan atau kunci) dari yang dibuat migrasi.")
    if not problems and [c[0] for c in found[0]] != [c[0] for c in expected[0]]:
        problems.append(f"Skema: urutan kolom tabel {name} berbeda dari yang dibuat migrasi.")
    if found[1] != expected[1]:
        problems.append(f"Skema: kunci asing tabel {name} berbeda dari yang dibuat migrasi.")
    return sorted(problems)


_EXPECTED: dict[str, Schema] = {}
_EXPECTED_GUARD = threading.Lock()


def expected_schema(revision: str) -> Schema:
    """The schema the migrations create at ``revision`` (cached per process)."""
    with _EXPECTED_GUARD:
        if revision not in _EXPECTED:
            _EXPECTED[revision] = _migrated_schema(revision)
        return _EXPECTED[revision]


def _migrated_schema(revision: str) -> Schema:
    from alembic import command
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    from kinerja_desktop.db.migrate import alembic_config

    engine = create_engine("sqlite://", poolclass=StaticPool)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
        with engine.connect() as connection:
            return sqlite_schema(connection.connection.dbapi_connection)
    finally:
        engine.dispose()


def _open_read_only(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    return conn


def check_sqlite_file(path: Path, *, revision: str | None = None) -> Health:
    """integrity_check, foreign_key_check and the schema of the SQLite file ``path``.

    ``revision`` is the schema revision the file should have (a backup's manifest);
    by default the revision stored in the file. Never raises for a damaged file.
    """
    from kinerja_desktop.db import migrate

    health = Health(revision=revision)
    path = Path(path)
    if not path.is_file():
        health.problems.append(f"Berkas basis data {path} tidak ada.")
        return health
    try:
        conn = _open_read_only(path)
    except sqlite3.Error as exc:
        health.problems.append(f"Berkas basis data tidak dapat dibuka: {exc}.")
        return health
    try:
        _sqlite_checks(conn, health, revision, migrate)
    except sqlite3.DatabaseError as exc:
        health.problems.append(_damage_line(exc))
    finally:
        conn.close()
    return health


def _damage_line(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "malformed database schema" in text:
        return f"Definisi tabel di basis data rusak ({text})."
    if "file is not a database" in text:
        return "Berkas ini bukan basis data SQLite atau kepalanya rusak (file is not a database)."
    return f"Basis data rusak dan tidak dapat dibaca seluruhnya ({text})."


def _sqlite_checks(conn: sqlite3.Connection, health: Health, revision: str | None,
                   migrate) -> None:
    # Reading the schema first: a broken table definition fails here, before anything else.
    tables = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table'").fetchall()}
    stored = None
    if "alembic_version" in tables:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        stored = row[0] if row else None
    if stored is None:
        health.problems.append("Basis data tidak memuat revisi skema Kinerja Desktop.")
    elif revision is not None and stored != revision:
        health.problems.append(f"Revisi skema basis data ({stored}) berbeda dari yang "
                               f"diharapkan ({revision}).")
    health.revision = stored if revision is None else revision
    try:
        lines = [r[0] for r in conn.execute(
            f"PRAGMA integrity_check({MAX_INTEGRITY_LINES + 1})").fetchall()]
    except sqlite3.DatabaseError as exc:
        lines = [f"pemeriksaan terhenti, halaman basis data rusak ({exc})"]
    if lines != ["ok"]:
        shown = lines[:MAX_INTEGRITY_LINES]
        health.problems.extend(f"integrity_check: {line}" for line in shown)
        if len(lines) > MAX_INTEGRITY_LINES:
            health.problems.append("integrity_check: … dan kerusakan lainnya.")
    try:
        broken = conn.execute("PRAGMA foreign_key_check").fetchmany(MAX_INTEGRITY_LINES + 1)
    except sqlite3.DatabaseError as exc:
        health.problems.append(f"foreign_key_check: pemeriksaan terhenti ({exc})")
        broken = []
    for table, rowid, parent, _ in broken[:MAX_INTEGRITY_LINES]:
        health.problems.append(f"Kunci asing rusak: {table} baris {rowid} → {parent}")
    if len(broken) > MAX_INTEGRITY_LINES:
        health.problems.append("Kunci asing rusak: … dan baris lainnya.")
    if stored is None or stored not in migrate.KNOWN_REVISIONS:
        return  # a newer or foreign file: its schema cannot be compared here
    health.problems.extend(compare_schema(sqlite_schema(conn), expected_schema(stored)))
