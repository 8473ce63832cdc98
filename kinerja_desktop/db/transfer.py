"""Copy every row of the schema from one connection to another (any two engines).

Used for a server's backup snapshot (PostgreSQL → an SQLite file). Both sides must
be at the same schema revision; the target's tables must be empty. Rows are streamed
in batches, tables in dependency order, primary keys kept as they are.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Table, select

from kinerja_desktop.db.models import Base

BATCH = 500


def copy_rows(source: Connection, target: Connection, *,
              tables: list[Table] | None = None,
              progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy the rows of ``tables`` (default: the whole schema); rows copied per table."""
    counts: dict[str, int] = {}
    for table in tables if tables is not None else Base.metadata.sorted_tables:
        keys = [column.key for column in table.columns]
        result = source.execution_options(stream_results=True, yield_per=BATCH).execute(
            select(*table.columns))
        copied = 0
        for rows in result.partitions(BATCH):
            target.execute(table.insert(), [dict(zip(keys, row, strict=True)) for row in rows])
            copied += len(rows)
            if progress is not None:
                progress(table.name, copied)
        counts[table.name] = copied
    return counts
