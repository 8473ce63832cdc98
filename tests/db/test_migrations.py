"""Migrations: empty → head with no autogenerate difference; newer databases refused."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys

import pytest

from kinerja_desktop.db import migrate
from kinerja_desktop.db.engine import make_engine
from kinerja_desktop.paths import DataDir


def test_head_constant_matches_scripts():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_current_head() == migrate.HEAD_REVISION
    assert {r.revision for r in script.walk_revisions()} == set(migrate.KNOWN_REVISIONS)


def test_empty_database_upgrades_to_head_without_difference(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from kinerja_desktop.db.models import Base

    db = tmp_path / "k.sqlite3"
    result = migrate.upgrade(db, tmp_path / "backups")
    assert result.previous is None and result.current == migrate.HEAD_REVISION
    assert migrate.stored_revision(db) == migrate.HEAD_REVISION
    engine = make_engine(db)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
        assert diff == []
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_audit_log_is_append_only(ctx):
    from sqlalchemy import text

    from kinerja_desktop.services import office

    office.save_office(ctx, None, office.SEED_OFFICE)
    with ctx.engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() >= 1
    for statement in ("UPDATE audit_log SET action='x'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), ctx.engine.begin() as conn:
            conn.execute(text(statement))


def _mark_newer(db):
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num='9999_dari_masa_depan'")
    conn.commit()
    conn.close()


def test_newer_database_is_refused_and_untouched(tmp_path):
    root = tmp_path / "data"
    data_dir = DataDir(root).ensure()
    migrate.upgrade(data_dir.database, data_dir.backups)
    _mark_newer(data_dir.database)
    before = hashlib.sha256(data_dir.database.read_bytes()).hexdigest()
    with pytest.raises(migrate.NewerDatabaseError, match="lebih baru"):
        migrate.upgrade(data_dir.database, data_dir.backups)
    proc = subprocess.run([sys.executable, "-m", "kinerja_desktop", "--data-dir", str(root),
                           "check"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "MASALAH: Basis data ini dibuat oleh versi Kinerja Desktop yang lebih baru" in \
        proc.stdout and "Traceback" not in proc.stdout + proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert hashlib.sha256(data_dir.database.read_bytes()).hexdigest() == before
    assert list(data_dir.backups.iterdir()) == []


def test_old_database_is_copied_before_migrating(tmp_path, monkeypatch):
    db = tmp_path / "k.sqlite3"
    migrate.upgrade(db, tmp_path / "b")
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE catatan (x)")
    conn.execute("INSERT INTO catatan VALUES ('isi lama')")
    conn.commit()
    conn.close()
    # Pretend the file is one revision behind: the copy must be made before upgrading.
    monkeypatch.setattr(migrate, "stored_revision", lambda _db: "0000_lama")
    monkeypatch.setattr(migrate, "KNOWN_REVISIONS", ("0000_lama", "0001_initial"))
    calls = []
    import alembic.command

    monkeypatch.setattr(alembic.command, "upgrade", lambda cfg, rev: calls.append(rev))
    result = migrate.upgrade(db, tmp_path / "b")
    assert calls == ["head"] and result.backup is not None and result.backup.exists()
    copy = sqlite3.connect(result.backup)
    assert copy.execute("SELECT x FROM catatan").fetchone() == ("isi lama",)
    copy.close()


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
