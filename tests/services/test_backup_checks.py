"""Issue 12: a damaged database is never backed up as good; the rotation always keeps a
good copy; restore refuses everything a backup can carry wrong; no leftovers."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kinerja_desktop.paths import DataDir
from kinerja_desktop.services import backup, restore
from kinerja_desktop.services.backup import BackupError, DamagedDataError

pytestmark = pytest.mark.sqlite_only("pages, schema and files of the data folder's SQLite database")

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_root(data_root: Path) -> Path:
    from kinerja_desktop.services import demo
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(data_root)
    try:
        demo.build_demo(ctx, year=2025, teams=2, indicators=2, through_step=4)
    finally:
        ctx.dispose()
    return data_root


def _admin(root: Path) -> int:
    found = backup.person_id_of(DataDir(root), "admin")
    assert found is not None
    return found


def _cli(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kinerja_desktop", "--data-dir", str(root),
                           *args], capture_output=True, text=True, timeout=120,
                          env=env)


def _snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()
            and p.relative_to(root).parts[0] != "log" and p.suffix != ".lock"}


# --------------------------------------------------------------------------- before a backup


def test_damaged_page_refuses_the_backup_and_check_lists_it(demo_root, tmp_path, faults):
    data_dir = DataDir(demo_root)
    good = backup.auto_backup(data_dir).made
    assert good is not None
    faults.damage_index(data_dir.database)
    out = tmp_path / "tujuan" / "cadangan.zip"
    with pytest.raises(DamagedDataError) as refused:
        backup.backup(data_dir, out)
    message = str(refused.value)
    assert "rusak; cadangan tidak dibuat" in message and "integrity_check" in message
    assert str(good) in message and "Berkas ▸ Pulihkan" in message
    assert not out.exists() and list(out.parent.glob("*")) == []
    assert not list(demo_root.glob(".cadangan-*"))
    cli = _cli(demo_root, "backup", "--out", str(out))
    assert cli.returncode == 1 and cli.stderr.startswith("Gagal: Data di")
    assert len(cli.stderr.strip().splitlines()) == 1 and not out.exists()
    check = _cli(demo_root, "check")
    assert check.returncode == 1 and "Traceback" not in check.stderr + check.stdout
    assert "MASALAH: integrity_check:" in check.stdout
    assert f"Cadangan baik terbaru: {good}" in check.stdout


def test_damaged_table_definition_is_found_by_check_and_refused(demo_root, tmp_path):
    import sqlite3

    data_dir = DataDir(demo_root)
    conn = sqlite3.connect(data_dir.database)
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE teams (id INTEGER PRIMARY KEY,'"
                 " WHERE name = 'teams'")
    conn.commit()
    conn.close()
    check = _cli(demo_root, "check")
    assert check.returncode == 1 and "Traceback" not in check.stdout + check.stderr
    assert "Definisi tabel di basis data rusak" in check.stdout
    with pytest.raises(DamagedDataError, match="Definisi tabel"):
        backup.backup(data_dir, tmp_path / "x.zip")


def test_schema_differences_refuse_the_backup(demo_root, tmp_path, faults):
    data_dir = DataDir(demo_root)
    faults.sql_edit("DROP TRIGGER audit_log_no_delete")(data_dir.database)
    with pytest.raises(DamagedDataError, match="audit_log_no_delete tidak ada"):
        backup.backup(data_dir, tmp_path / "x.zip")


def _first_stored(database: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(database)
    try:
        return conn.execute("SELECT min(sha256) FROM stored_files").fetchone()[0]
    finally:
        conn.close()


def test_missing_or_damaged_attachment_content_refuses_the_backup(demo_root, tmp_path, faults):
    """Attachment files live in the database: their presence and hash are database checks."""
    data_dir = DataDir(demo_root)
    victim = _first_stored(data_dir.database)
    faults.sql_edit(f"UPDATE stored_file_chunks SET data = X'00' WHERE sha256 = '{victim}'"
                    )(data_dir.database)
    with pytest.raises(DamagedDataError, match=f"Berkas lampiran rusak .*{victim}"):
        backup.backup(data_dir, tmp_path / "x.zip")
    faults.sql_edit(f"DELETE FROM stored_file_chunks WHERE sha256 = '{victim}'")(data_dir.database)
    with pytest.raises(DamagedDataError, match=f"Berkas lampiran hilang: .*{victim}"):
        backup.backup(data_dir, tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()


def test_thirty_days_of_automatic_backups_across_a_silent_damage(demo_root, faults):
    """The case of the issue: ten days after a zeroed index page every restorable copy had
    been rotated away. Now the damaged days make no backup and delete none."""
    data_dir = DataDir(demo_root)
    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # a Monday, 09:00 WITA
    made = []
    for day in range(30):
        if day == 10:
            faults.damage_index(data_dir.database)
        result = backup.auto_backup(data_dir, now=start + timedelta(days=day))
        if day < 10:
            assert result.ok and result.made is not None
            made.append(result.made)
        else:
            assert result.made is None and result.removed == ()
            assert any("integrity_check" in p for p in result.problems)
            assert result.newest_good == made[-1]
    left = sorted(data_dir.backups.glob("otomatis-*.zip"))
    assert made[-1] in left and all(backup.is_verified(p) for p in left)
    # The newest good copy restores, and the data is whole again.
    restored = restore.restore(data_dir, made[-1], actor_id=_admin(demo_root))
    assert restored.restored.verified
    check = _cli(demo_root, "check")
    assert check.returncode == 0, check.stdout


def test_retention_keeps_seven_days_four_weeks_twelve_months(tmp_path):
    start = datetime(2026, 1, 1)
    stamps = [(start + timedelta(days=d), tmp_path / f"b{d}") for d in range(400)]
    kept = sorted((start + timedelta(days=int(p.name[1:]))).strftime("%Y-%m-%d")
                  for p in backup.retained(stamps))
    # One backup a day from 1 Jan 2026 to Thursday 4 Feb 2027:
    daily = [f"2027-01-{d}" for d in (29, 30, 31)] + [f"2027-02-0{d}" for d in (1, 2, 3, 4)]
    weekly = ["2027-01-17", "2027-01-24"]  # Sundays ending the ISO weeks before the days
    monthly = ["2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30", "2026-07-31",
               "2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30", "2026-12-31"]
    assert kept == sorted(daily + weekly + monthly)


def test_retention_never_deletes_the_newest_verified_or_a_closing_backup(demo_root):
    data_dir = DataDir(demo_root)
    start = datetime(2025, 1, 6, 1, 0, tzinfo=UTC)
    closing = backup.cycle_closing_backup(data_dir, "2024", now=start - timedelta(days=1))
    first = backup.auto_backup(data_dir, now=start).made
    # Older, unverified automatic backups (an earlier version made them) around it:
    for day in range(1, 40):
        fake = data_dir.backups / f"otomatis-{(start + timedelta(days=day)):%Y%m%d}-090000.zip"
        with zipfile.ZipFile(fake, "w") as zf:
            zf.writestr("manifest.json", json.dumps({"format": "lama"}))
    removed = backup.apply_retention(data_dir)
    assert first.exists() and closing.path.exists()
    assert removed and all(p.name.startswith("otomatis-") for p in removed)
    assert backup.newest_good_backup(data_dir) == first


# --------------------------------------------------------------------------- restore


def _good(demo_root: Path, tmp_path: Path) -> Path:
    return backup.backup(DataDir(demo_root), tmp_path / "baik.zip").path


def _zero_index_in_file(path: Path) -> None:
    FAULTS.damage_index(path)


FAULTS = None


@pytest.fixture(autouse=True)
def _fault_helpers(faults):
    global FAULTS
    FAULTS = faults


RESTORE_REFUSALS = {
    "pemicu-audit-dihapus": (
        lambda f, good: dict(db_edit=f.sql_edit("DROP TRIGGER audit_log_no_update")),
        "pemicu (trigger) audit_log_no_update tidak ada"),
    "pemicu-tambahan": (
        lambda f, good: dict(db_edit=f.sql_edit(
            "CREATE TRIGGER hapus_jejak AFTER INSERT ON audit_log BEGIN SELECT 1; END")),
        "pemicu (trigger) hapus_jejak tambahan"),
    "kolom-hilang": (
        lambda f, good: dict(db_edit=f.sql_edit("ALTER TABLE teams DROP COLUMN bidang")),
        "kolom teams.bidang tidak ada"),
    "lampiran-hilang": (
        lambda f, good: dict(db_edit=f.sql_edit(
            "DELETE FROM stored_file_chunks WHERE sha256 = (SELECT min(sha256) FROM "
            "stored_files)")),
        "yang dirujuk basis data tidak ada di dalam cadangan"),
    "lampiran-rusak": (
        lambda f, good: dict(db_edit=f.sql_edit(
            "UPDATE stored_file_chunks SET data = X'00' WHERE sha256 = (SELECT min(sha256) "
            "FROM stored_files)")),
        "lampiran di dalam basis data rusak"),
    "halaman-rusak-hash-benar": (
        lambda f, good: dict(db_edit=_zero_index_in_file),
        "integrity_check"),
}


@pytest.mark.parametrize("kind", sorted(RESTORE_REFUSALS))
def test_restore_refuses_what_only_a_deep_check_finds(demo_root, tmp_path, faults, kind):
    good = _good(demo_root, tmp_path)
    make, expected = RESTORE_REFUSALS[kind]
    bad = faults.rewrite_backup(good, tmp_path / f"{kind}.zip", **make(faults, good))
    before = _snapshot(demo_root)
    with pytest.raises(BackupError) as refused:
        restore.restore(DataDir(demo_root), bad, actor_id=_admin(demo_root))
    assert expected in str(refused.value) and str(refused.value).endswith("Data tidak diubah.")
    assert _snapshot(demo_root) == before
    assert not list(demo_root.glob(".pemulihan-*")) and not list(demo_root.glob(".periksa-*"))
    dry = _cli(demo_root, "restore", "--dry-run", str(bad))
    assert dry.returncode == 1 and expected in dry.stderr


def test_amplifying_zip_is_refused_before_anything_is_unpacked(demo_root, tmp_path, faults,
                                                                monkeypatch):
    """A few kB that would unpack to 64 MiB (the issue's case: 2.8 MB → 2 GiB), as an
    attachment the database even refers to, with every hash right."""
    good = _good(demo_root, tmp_path)
    zeros = bytes(64 * 1024 * 1024)
    sha = hashlib.sha256(zeros).hexdigest()
    bad = faults.rewrite_backup(
        good, tmp_path / "bom.zip",
        db_edit=faults.sql_edit(f"INSERT INTO stored_files (sha256, size, created_at) VALUES "
                                f"('{sha}', {len(zeros)}, '2026-01-01 00:00:00.000000')"),
        extra={f"lampiran/{sha[:2]}/{sha}": (zeros, zipfile.ZIP_DEFLATED)})
    assert bad.stat().st_size < 1024 * 1024
    written = []
    real_extract = restore._extract_entry
    monkeypatch.setattr(restore, "_extract_entry",
                        lambda zf, name, entry, *a: written.append(entry) or
                        real_extract(zf, name, entry, *a))
    with pytest.raises(BackupError, match="bom ZIP"):
        restore.restore(DataDir(demo_root), bad, actor_id=_admin(demo_root))
    assert written == []


def test_restore_unpacks_no_more_than_the_free_disk_allows(demo_root, tmp_path, monkeypatch):
    import shutil

    good = _good(demo_root, tmp_path)
    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage",
                        lambda path: real(path)._replace(free=1024 * 1024))
    with pytest.raises(BackupError, match="ruang disk tidak cukup"):
        restore.restore(DataDir(demo_root), good, actor_id=_admin(demo_root))


def test_unreferenced_entries_are_not_unpacked(demo_root, tmp_path, faults):
    good = _good(demo_root, tmp_path)
    junk = b"tidak dirujuk" * 100
    sha = hashlib.sha256(junk).hexdigest()
    extra = faults.rewrite_backup(good, tmp_path / "lebih.zip",
                                  extra={f"lampiran/{sha[:2]}/{sha}": (junk, zipfile.ZIP_STORED)})
    result = restore.restore(DataDir(demo_root), extra, actor_id=_admin(demo_root))
    assert result.skipped_entries == 1
    assert not (DataDir(demo_root).attachments / sha[:2] / sha).exists()


def test_restore_needs_an_administrator(demo_root, tmp_path):
    good = _good(demo_root, tmp_path)
    before = _snapshot(demo_root)
    from kinerja_desktop.domain.errors import PermissionDenied

    member = backup.person_id_of(DataDir(demo_root), "kasubag")
    for actor in (None, member):
        with pytest.raises(PermissionDenied, match="hanya dapat dilakukan oleh Administrator"):
            restore.restore(DataDir(demo_root), good, actor_id=actor)
    assert _snapshot(demo_root) == before
    cli = _cli(demo_root, "restore", str(good))
    assert cli.returncode == 1 and "--as USERNAME" in cli.stderr
    done = restore.restore(DataDir(demo_root), good, actor_id=_admin(demo_root))
    import sqlite3

    conn = sqlite3.connect(DataDir(demo_root).database)
    row = conn.execute("SELECT actor, after FROM audit_log WHERE action = 'cadangan.pulihkan'"
                       ).fetchone()
    conn.close()
    assert row is not None and json.loads(row[1])["berkas"] == "baik.zip"
    assert done.previous_data_backup is not None


# --------------------------------------------------------------------------- leftovers


_SLOW_BACKUP = """
import sys, time
from pathlib import Path
from kinerja_desktop.services import backup
from kinerja_desktop.services import restore
def progress(done, total):
    print("MENULIS", flush=True)
    time.sleep(60)
backup.backup(Path(sys.argv[1]), Path(sys.argv[2]), progress=progress)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL needs POSIX")
def test_a_killed_backup_leaves_nothing_after_the_next_start(demo_root, tmp_path):
    target = tmp_path / "flashdisk"
    target.mkdir()
    private_tmp = tmp_path / "tmp-sistem"
    private_tmp.mkdir()
    env = dict(os.environ, PYTHONPATH=str(REPO), TMPDIR=str(private_tmp))
    child = subprocess.Popen([sys.executable, "-c", _SLOW_BACKUP, str(demo_root),
                              str(target / "cadangan.zip")], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "MENULIS", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
        child.stderr.close()
    halves = list(target.glob(".cadangan.zip.*.tmp"))
    assert len(halves) == 1, "the kill leaves a half-written file"
    staged = list(demo_root.glob(".cadangan-*"))
    assert len(staged) == 1 and (staged[0] / "kinerja.sqlite3").exists()
    # No copy of the database (with password hashes) ever went outside the data folder.
    assert list(private_tmp.rglob("*")) == []
    # The next start (its daily backup) removes both.
    started = time.monotonic()
    result = backup.auto_backup(DataDir(demo_root))
    assert result.made is not None and time.monotonic() - started < 60
    assert list(target.iterdir()) == []
    assert not list(demo_root.glob(".cadangan-*"))


def test_checking_a_backup_unpacks_it_inside_the_data_folder_only(demo_root, tmp_path,
                                                                  monkeypatch):
    import tempfile

    good = _good(demo_root, tmp_path)
    system_tmp = tmp_path / "tmp-sistem"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    seen = []
    real = restore._check_database
    monkeypatch.setattr(restore, "_check_database",
                        lambda path, *a: seen.append(path) or real(path, *a))
    info = restore.verify_backup(good, DataDir(demo_root))
    assert info.verified and seen and seen[0].is_relative_to(demo_root)
    assert list(system_tmp.iterdir()) == [] and not list(demo_root.glob(".periksa-*"))


def test_closing_a_cycle_keeps_a_backup_the_rotation_never_deletes(data_root):
    from kinerja_desktop.services import demo
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(data_root)
    try:
        demo.build_demo(ctx, year=2025, teams=1, indicators=1, through_step=7)
    finally:
        ctx.dispose()
    data_dir = DataDir(data_root)
    closing = list(data_dir.backups.glob("penutupan-siklus-2025-*.zip"))
    assert len(closing) == 1 and backup.is_verified(closing[0])
    for day in range(60):
        backup.auto_backup(data_dir, now=datetime(2027, 1, 1, tzinfo=UTC) + timedelta(days=day))
    assert closing[0].exists()
