"""Migrations on both engines: empty → head with no autogenerate difference (what
``alembic check`` checks), newer or foreign databases refused, migration and seeding
done once when several processes start together."""

from __future__ import annotations

import hashlib
import multiprocessing
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from kinerja_desktop.db import migrate
from kinerja_desktop.db.backends import backend_for
from kinerja_desktop.paths import DataDir


def test_head_constant_matches_scripts():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_current_head() == migrate.HEAD_REVISION
    assert {r.revision for r in script.walk_revisions()} == set(migrate.KNOWN_REVISIONS)


@pytest.fixture
def empty_backend(tmp_path, databases):
    """A backend on an empty database of the session's engine."""
    url = databases.fresh(empty=True)
    (tmp_path / "data").mkdir()
    backend = backend_for(DataDir(tmp_path / "data"), url)
    yield backend
    backend.dispose()
    databases.drop(url)


def test_empty_database_upgrades_to_head_without_difference(empty_backend, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from kinerja_desktop.db.models import Base

    assert empty_backend.stored_revision() is None
    result = migrate.upgrade(empty_backend, tmp_path / "backups")
    assert result.previous is None and result.current == migrate.HEAD_REVISION
    assert result.backup is None
    assert empty_backend.stored_revision() == migrate.HEAD_REVISION
    with empty_backend.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
        assert diff == []
        if empty_backend.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    # At head, a second upgrade does nothing.
    assert migrate.upgrade(empty_backend, tmp_path / "backups").backup is None


def test_audit_log_is_append_only(ctx):
    from kinerja_desktop.services import office

    office.save_office(ctx, None, office.SEED_OFFICE)
    with ctx.engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() >= 1
    statements = ["UPDATE audit_log SET action='x'", "DELETE FROM audit_log"]
    if ctx.backend.name == "postgresql":
        statements.append("TRUNCATE audit_log")
    for statement in statements:
        with pytest.raises(Exception, match="append-only"), ctx.engine.begin() as conn:
            conn.execute(text(statement))
    with ctx.engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() >= 1


def _mark_newer(backend):
    with backend.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num='9999_dari_masa_depan'"))
    backend.dispose()


def _fingerprint(backend) -> str:
    """What a refused open must leave unchanged: every row of every table."""
    from kinerja_desktop.db.models import Base

    digest = hashlib.sha256()
    with backend.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
        digest.update(str(conn.execute(text("SELECT version_num FROM alembic_version"))
                          .scalar()).encode())
    backend.dispose()
    return digest.hexdigest()


def test_newer_database_is_refused_and_untouched(data_root, database_url, db_args, ctx):
    backend = backend_for(DataDir(data_root), database_url)
    ctx.dispose()
    _mark_newer(backend)
    before = _fingerprint(backend)
    file_before = hashlib.sha256(backend.path.read_bytes()).hexdigest() \
        if backend.name == "sqlite" else None
    backups = sorted((data_root / "cadangan").iterdir())
    with pytest.raises(migrate.NewerDatabaseError, match="lebih baru"):
        migrate.upgrade(backend, data_root / "cadangan")
    proc = subprocess.run([sys.executable, "-m", "kinerja_desktop", "--data-dir", str(data_root),
                           *db_args, "check"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    # SQLite: listed as a problem (check never stops on a database); a server: one line.
    assert "lebih baru" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    if file_before is not None:
        assert hashlib.sha256(backend.path.read_bytes()).hexdigest() == file_before
    assert _fingerprint(backend) == before
    assert sorted((data_root / "cadangan").iterdir()) == backups


@pytest.mark.sqlite_only("the copy kept before migrating is a copy of the SQLite file")
def test_old_database_is_copied_before_migrating(tmp_path, monkeypatch):
    db = tmp_path / "k.sqlite3"
    migrate.upgrade(db, tmp_path / "b")
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE catatan (x)")
    conn.execute("INSERT INTO catatan VALUES ('isi lama')")
    # Pretend the file is one revision behind: the copy must be made before upgrading.
    conn.execute("UPDATE alembic_version SET version_num='0000_lama'")
    conn.commit()
    conn.close()
    monkeypatch.setattr(migrate, "KNOWN_REVISIONS", ("0000_lama", "0001_initial"))
    calls = []
    import alembic.command

    monkeypatch.setattr(alembic.command, "upgrade", lambda cfg, rev: calls.append(rev))
    result = migrate.upgrade(db, tmp_path / "b")
    assert calls == ["head"] and result.previous == "0000_lama"
    assert result.backup is not None and result.backup.exists()
    copy = sqlite3.connect(result.backup)
    assert copy.execute("SELECT x FROM catatan").fetchone() == ("isi lama",)
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0000_lama",)
    copy.close()


@pytest.mark.sqlite_only("SQLite numbers its automatic UNIQUE indexes in creation order")
def test_migrated_schema_is_the_same_every_time():
    """The schema check compares a data folder with a freshly migrated database: a
    migration whose result depends on object identities (the order in which Alembic's
    batch mode gives a rebuilt table its UNIQUE constraints) would report damage on a
    healthy folder about every other run."""
    from kinerja_desktop.db.health import _migrated_schema

    seen = set()
    for _ in range(12):
        schema = _migrated_schema("head")
        seen.add(repr(sorted(schema.items())))
    assert len(seen) == 1
    assert "index:sqlite_autoindex_people_2" in seen.pop()


@pytest.mark.sqlite_only("SQLite numbers its automatic UNIQUE indexes in creation order")
def test_downgrade_gives_back_the_earlier_schema():
    """Head, then down to the previous revision: exactly the schema that revision makes
    (an earlier version's data folder, as the evidence migration tests build it)."""
    from alembic import command
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    from kinerja_desktop.db.health import _migrated_schema, sqlite_schema

    previous = migrate.KNOWN_REVISIONS[-2]
    expected = _migrated_schema(previous)
    for _ in range(4):
        engine = create_engine("sqlite://", poolclass=StaticPool)
        try:
            with engine.begin() as connection:
                command.upgrade(migrate.alembic_config(connection), "head")
                command.downgrade(migrate.alembic_config(connection), previous)
            with engine.connect() as connection:
                assert sqlite_schema(connection.connection.dbapi_connection) == expected
        finally:
            engine.dispose()


@pytest.mark.sqlite_only("a file that is not an SQLite database")
def test_foreign_file_is_refused(tmp_path):
    db = tmp_path / "lain.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE pelanggan (nama)")
    conn.commit()
    conn.close()
    with pytest.raises(migrate.DatabaseError, match="bukan basis data Kinerja Desktop"):
        migrate.upgrade(db, tmp_path / "b")
    garbage = tmp_path / "sampah.sqlite3"
    garbage.write_bytes(b"ini bukan sqlite" * 100)
    with pytest.raises(migrate.DatabaseError):
        migrate.upgrade(garbage, tmp_path / "b")


def test_foreign_database_is_refused_untouched(empty_backend, tmp_path):
    with empty_backend.engine.begin() as conn:
        conn.execute(text("CREATE TABLE pelanggan (nama VARCHAR(20))"))
        conn.execute(text("INSERT INTO pelanggan VALUES ('isi lama')"))
    with pytest.raises(migrate.DatabaseError, match="bukan basis data Kinerja Desktop"):
        migrate.upgrade(empty_backend, tmp_path / "b")
    with empty_backend.engine.connect() as conn:
        assert conn.execute(text("SELECT nama FROM pelanggan")).scalar() == "isi lama"
        assert not conn.dialect.has_table(conn, "alembic_version")


def _first_start(root: str, url: str | None, barrier, results) -> None:
    """A child process: open the data folder (migrate + seed) as the window would."""
    from kinerja_desktop.services.startup import open_context

    barrier.wait(timeout=60)
    try:
        open_context(Path(root), database_url=url).dispose()
        results.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the parent as text
        results.put(f"{type(exc).__name__}: {exc}")


def test_two_first_starts_at_once_migrate_and_seed_once(tmp_path, databases):
    """Two PCs (processes) open one empty database at the same moment."""
    from kinerja_desktop.db.models import AuditEntry, Sop
    from kinerja_desktop.services.startup import open_existing_context

    url = databases.fresh(empty=True)
    root = tmp_path / "data"
    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(3), spawn.Queue()
    children = [spawn.Process(target=_first_start, args=(str(root), url, barrier, results))
                for _ in range(3)]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=180) for _ in children]
    for child in children:
        child.join(timeout=60)
    assert outcomes == ["ok"] * 3
    ctx = open_existing_context(root, database_url=url)
    try:
        with ctx.read() as session:
            assert session.scalar(select(func.count()).select_from(Sop)) == 1
            assert session.scalar(select(func.count()).select_from(AuditEntry)
                                  .where(AuditEntry.action == "sop.pasang")) == 1
    finally:
        ctx.dispose()
        databases.drop(url)


@pytest.mark.sqlite_only("walks one SQLite file down and up again")
def test_documents_revision_gives_the_seeded_sop_its_flowchart_title(tmp_path):
    import alembic.command

    from kinerja_desktop.db.backends.sqlite import make_engine
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(tmp_path / "data")
    db = ctx.backend.path
    ctx.dispose()
    engine = make_engine(db)
    with engine.begin() as conn:
        alembic.command.downgrade(migrate.alembic_config(conn), "0002_file_contents")
    with engine.begin() as conn:
        columns = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(sops)")]
        assert "flowchart_title" not in columns
    with engine.begin() as conn:
        alembic.command.upgrade(migrate.alembic_config(conn), "head")
    with engine.connect() as conn:
        titles = conn.exec_driver_sql("SELECT number, flowchart_title FROM sops").all()
    engine.dispose()
    assert titles == [("25/DPMD/I/2017", "MEKANISME PENGUMPULAN DATA KINERJA LAPORAN KINERJA "
                                          "DINAS PEMBERDAYAAN MASYARAKAT DAN DESA TAHUN 2017")]
