"""Copy every row of the schema from one connection to another (any two engines), and
compare what two databases hold.

Used for a server's backup snapshot (PostgreSQL → an SQLite file), for moving an office
onto a server (``copy-database``: SQLite → PostgreSQL) and for restoring a backup onto a
server. Both sides must be at the same schema revision; the target's tables must be
empty (:func:`remove_rows_made_by_migrations` clears what a new database holds). Rows are
streamed in batches, tables in dependency order, primary keys kept as they are.
:func:`fingerprints` gives each table's row count and a content hash that is the same on
either engine for the same rows, so a copy can be checked table by table.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, func, select, tuple_

from kinerja_desktop.db.models import Base

BATCH = 500


def copy_rows(source: Connection, target: Connection, *,
              tables: list[Table] | None = None,
              progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy the rows of ``tables`` (default: the whole schema); rows copied per table."""
    counts: dict[str, int] = {}
    for table in tables if tables is not None else Base.metadata.sorted_tables:
        keys = [column.key for column in table.columns]
        # Per statement: Connection.execution_options() would change the connection.
        result = source.execute(select(*table.columns),
                                execution_options={"stream_results": True, "yield_per": BATCH})
        copied = 0
        for rows in result.partitions(BATCH):
            target.execute(table.insert(), [dict(zip(keys, row, strict=True)) for row in rows])
            copied += len(rows)
            if progress is not None:
                progress(table.name, copied)
        counts[table.name] = copied
    return counts


@dataclass(frozen=True)
class TableFingerprint:
    """How many rows a table holds and a SHA-256 of their content, the same on either
    engine for the same rows (values as the models read them, rows in key order)."""

    rows: int
    sha256: str


def _canonical(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"b": hashlib.sha256(bytes(value)).hexdigest()}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return {"f": value.hex()}
    if isinstance(value, Decimal):
        return {"d": str(value)}
    return value


def fingerprint(connection: Connection, table: Table) -> TableFingerprint:
    """The fingerprint of one table as ``connection`` sees it (in its transaction).

    Rows are put in primary-key order here, not by the database: the two engines sort
    text differently.
    """
    keys = [c.key for c in table.columns]
    primary = [keys.index(c.key) for c in table.primary_key.columns]
    digests: list[tuple[tuple, bytes]] = []
    result = connection.execute(select(*table.columns),
                                execution_options={"stream_results": True, "yield_per": BATCH})
    for rows in result.partitions(BATCH):
        for row in rows:
            encoded = json.dumps([_canonical(v) for v in row], sort_keys=True,
                                 ensure_ascii=False, separators=(",", ":"))
            digests.append((tuple(row[i] for i in primary),
                            hashlib.sha256(encoded.encode("utf-8")).digest()))
    digests.sort(key=lambda pair: pair[0])
    total = hashlib.sha256()
    for _key, digest in digests:
        total.update(digest)
    return TableFingerprint(len(digests), total.hexdigest())


def fingerprints(connection: Connection,
                 tables: list[Table] | None = None) -> dict[str, TableFingerprint]:
    """Fingerprints of ``tables`` (default: the whole schema), by table name."""
    return {table.name: fingerprint(connection, table)
            for table in (tables if tables is not None else Base.metadata.sorted_tables)}


def non_empty_tables(connection: Connection) -> dict[str, int]:
    """Tables of the schema that hold office data, with their counts of such rows: the
    rows the migrations themselves write into every new database (see
    :func:`rows_made_by_migrations`) are not counted."""
    made = rows_made_by_migrations()
    found = {}
    for table in Base.metadata.sorted_tables:
        count = connection.execute(select(func.count()).select_from(table)).scalar_one()
        if count and table.name in made:
            count -= connection.execute(
                select(func.count()).select_from(table).where(_made_here(table, made))
            ).scalar_one()
        if count:
            found[table.name] = count
    return found


@functools.lru_cache(maxsize=1)
def rows_made_by_migrations() -> dict[str, frozenset[tuple]]:
    """Primary keys, by table, of the rows the migrations write into every new database
    (the installation id in ``settings``, for one): what a new, empty database already
    holds. Read once from a database migrated for the purpose in a temporary folder."""
    import tempfile
    from pathlib import Path

    from kinerja_desktop.db import migrate
    from kinerja_desktop.db.backends.sqlite import SqliteBackend

    with tempfile.TemporaryDirectory(prefix="kinerja-skema-") as folder:
        backend = SqliteBackend(Path(folder) / "baru.sqlite3")
        try:
            migrate.upgrade(backend, Path(folder))
            with backend.engine.connect() as conn:
                made = {}
                for table in Base.metadata.sorted_tables:
                    keys = frozenset(tuple(row) for row in conn.execute(
                        select(*table.primary_key.columns)))
                    if keys:
                        made[table.name] = keys
        finally:
            backend.dispose()
    return made


def _made_here(table: Table, made: dict[str, frozenset[tuple]]):
    """The condition matching ``table``'s rows that a migration made (by primary key)."""
    columns = list(table.primary_key.columns)
    keys = list(made.get(table.name, ()))
    if len(columns) == 1:
        return columns[0].in_([key[0] for key in keys])
    return tuple_(*columns).in_(keys)


def remove_rows_made_by_migrations(connection: Connection) -> int:
    """Delete the rows the migrations wrote into a new database (before the rows of an
    office are copied in with their own values); how many were deleted."""
    made = rows_made_by_migrations()
    removed = 0
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in made:
            removed += connection.execute(table.delete().where(_made_here(table, made))
                                          ).rowcount
    return removed
