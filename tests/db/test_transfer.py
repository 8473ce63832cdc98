"""What a new database already holds: the rows the migrations write (the installation id)
are not office data; a copy or a server's backup replaces them with the office's own."""

from __future__ import annotations

from sqlalchemy import func, select

from kinerja_desktop.db import migrate, transfer
from kinerja_desktop.db.backends.sqlite import SqliteBackend
from kinerja_desktop.db.models import Base, Setting


def test_a_new_database_holds_no_office_only_what_the_migrations_wrote(tmp_path):
    backend = SqliteBackend(tmp_path / "baru.sqlite3")
    try:
        migrate.upgrade(backend, tmp_path)
        made = transfer.rows_made_by_migrations()
        with backend.engine.begin() as conn:
            for table in Base.metadata.sorted_tables:
                keys = {tuple(row) for row in conn.execute(select(*table.primary_key.columns))}
                assert keys == set(made.get(table.name, ())), table.name
            assert transfer.non_empty_tables(conn) == {}
            assert transfer.remove_rows_made_by_migrations(conn) == sum(map(len, made.values()))
            assert all(conn.execute(select(func.count()).select_from(table)).scalar_one() == 0
                       for table in Base.metadata.sorted_tables)
    finally:
        backend.dispose()


def test_only_the_rows_a_migration_made_are_left_out_and_removed(ctx, monkeypatch):
    monkeypatch.setattr(transfer, "rows_made_by_migrations",
                        lambda: {"settings": frozenset({("uji.dari_migrasi",)})})
    with ctx.engine.begin() as conn:
        conn.execute(Setting.__table__.insert(), [{"key": "uji.dari_migrasi", "value": "1"},
                                                   {"key": "uji.data_kantor", "value": "2"}])
        total = conn.execute(select(func.count()).select_from(Setting)).scalar_one()
        assert transfer.non_empty_tables(conn)["settings"] == total - 1
        assert transfer.remove_rows_made_by_migrations(conn) == 1
        left = set(conn.scalars(select(Setting.key)))
    assert "uji.data_kantor" in left and "uji.dari_migrasi" not in left
    assert len(left) == total - 1
