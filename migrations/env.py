"""Alembic environment: uses the connection handed over in ``config.attributes``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from kinerja_desktop.db.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or "sqlite:///kinerja.sqlite3"
    engine = create_engine(url)
    with engine.begin() as conn:
        _configure(conn)


if context.is_offline_mode():
    raise SystemExit("Migrasi luring (offline) tidak didukung.")
run_migrations_online()
