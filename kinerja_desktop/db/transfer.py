"""Copy every row of the schema from one connection to another (any two engines), and
compare what two databases hold.

Used for a server's backup snapshot (PostgreSQL → an SQLite file), for moving an office
onto a server (``copy-database``: SQLite → PostgreSQL) and for restoring a backup onto a
server. Both sides must be at the same schema revision; the target's tables must be
empty. Rows are streamed in batches, tables in dependency order, primary keys kept as
they are. :func:`fingerprints` gives each table's row count and a content hash that is
the same on either engine for the same rows, so a copy can be checked table by table.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, func, select

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
    """Tables of the schema that hold rows, with their counts."""
    found = {}
    for table in Base.metadata.sorted_tables:
        count = connection.execute(select(func.count()).select_from(table)).scalar_one()
        if count:
            found[table.name] = count
    return found
