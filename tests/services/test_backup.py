"""Backup and restore: round trip, and every bad file refused with the data unchanged."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kinerja_desktop.db import migrate
from kinerja_desktop.paths import DataDir
from kinerja_desktop.services import backup, restore
from kinerja_desktop.services.backup import BackupError

pytestmark = pytest.mark.sqlite_only("backup and restore of the data folder's SQLite file")

FAULTS = None


@pytest.fixture(autouse=True)
def _fault_helpers(faults):
    """The shared fault helpers (tests/conftest.py) for the module-level file makers."""
    global FAULTS
    FAULTS = faults


@pytest.fixture
def demo_root(data_root: Path) -> Path:
    """A data directory with a small office, a cycle through step 4 and evidence files."""
    from kinerja_desktop.services import demo
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(data_root)
    try:
        demo.build_demo(ctx, year=2025, teams=2, indicators=2, through_step=4)
    finally:
        ctx.dispose()
    return data_root


def snapshot(root: Path) -> dict[str, str]:
    """Every file of the data directory with its hash (the locks and logs aside)."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and "log" not in path.relative_to(root).parts[:1] \
                and path.suffix != ".lock":
            out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def admin_of(root: Path) -> int:
    """The demo's administrator (restore needs one)."""
    found = backup.person_id_of(DataDir(root), "admin")
    assert found is not None
    return found


def people_and_teams(root: Path) -> tuple[list, list]:
    conn = sqlite3.connect(root / "kinerja.sqlite3")
    try:
        people = conn.execute("SELECT username, name FROM people ORDER BY id").fetchall()
        teams = conn.execute("SELECT name FROM teams ORDER BY id").fetchall()
    finally:
        conn.close()
    return people, teams


def stored_contents(root: Path) -> dict[str, bytes]:
    """Every attachment file kept in the data folder's database, by hash."""
    conn = sqlite3.connect(root / "kinerja.sqlite3")
    try:
        found: dict[str, bytes] = {}
        for sha, data in conn.execute("SELECT sha256, data FROM stored_file_chunks "
                                      "ORDER BY sha256, position"):
            found[sha] = found.get(sha, b"") + data
        return found
    finally:
        conn.close()


def test_backup_then_restore_round_trip(demo_root, tmp_path):
    from kinerja_desktop.services import accounts, teams
    from kinerja_desktop.services.integrity import run_checks
    from kinerja_desktop.services.startup import open_context

    data_dir = DataDir(demo_root)
    before = people_and_teams(demo_root)
    attachments_before = stored_contents(demo_root)
    assert attachments_before, "demo harus membuat lampiran"
    out = tmp_path / "cadangan.zip"
    info = backup.backup(data_dir, out)
    assert info.attachment_count == len(attachments_before)
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["schema_revision"] == migrate.HEAD_REVISION
        # The attachment files travel inside the database.
        assert set(zf.namelist()) == {"manifest.json", "kinerja.sqlite3"}

    # Change the data after the backup: a new team, an attachment removed.
    ctx = open_context(demo_root)
    admin = next(p.id for p in accounts.list_people(ctx) if p.username == "admin")
    teams.create_team(ctx, admin, "Tim Sesudah Cadangan", "")
    ctx.dispose()
    assert people_and_teams(demo_root) != before

    result = restore.restore(data_dir, out, actor_id=admin_of(demo_root))
    assert result.previous_data_backup is not None and result.previous_data_backup.is_file()
    assert people_and_teams(demo_root) == before
    assert stored_contents(demo_root) == attachments_before
    assert not list(demo_root.glob(".pemulihan-*")) and not list(demo_root.glob(".lama-*"))
    ctx = open_context(demo_root)
    try:
        assert run_checks(ctx).ok
    finally:
        ctx.dispose()
    # The data replaced is kept: restoring it brings the new team back.
    restore.restore(data_dir, result.previous_data_backup, actor_id=admin_of(demo_root))
    assert ("Tim Sesudah Cadangan",) in people_and_teams(demo_root)[1]


def _rewrite(source: Path, target: Path, *, manifest_edit=None, db_edit=None,
             extra: dict[str, bytes] | None = None) -> Path:
    """A copy of a backup with its manifest and/or database changed (hashes kept right)."""
    def edit(path: Path) -> None:
        conn = sqlite3.connect(path)
        db_edit(conn)
        conn.commit()
        conn.close()

    return FAULTS.rewrite_backup(source, target, manifest_edit=manifest_edit,
                          db_edit=edit if db_edit else None, extra=extra)


def _newer(path: Path, good: Path) -> Path:
    def edit_db(conn):
        conn.execute("UPDATE alembic_version SET version_num = '0099_masa_depan'")
        conn.execute("CREATE TABLE fitur_baru (id INTEGER PRIMARY KEY)")

    def edit_manifest(m):
        m["schema_revision"] = "0099_masa_depan"
        m["app_version"] = "9.0.0"

    return _rewrite(good, path, manifest_edit=edit_manifest, db_edit=edit_db)


def _foreign_db(path: Path, good: Path) -> Path:
    def edit_db(conn):
        for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT IN "
                "('alembic_version', 'sqlite_sequence')").fetchall():
            conn.execute(f'DROP TABLE "{name}"')
        conn.execute("CREATE TABLE belanja (id INTEGER PRIMARY KEY)")

    return _rewrite(good, path, db_edit=edit_db)


def _bomb(path: Path, good: Path) -> Path:
    zeros = bytes(16 * 1024 * 1024)
    name = hashlib.sha256(zeros).hexdigest()
    return _rewrite(good, path, extra={f"lampiran/{name[:2]}/{name}": zeros})


def _flipped_byte(path: Path, good: Path) -> Path:
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("kinerja.sqlite3")
    data[info.header_offset + 30 + len(info.filename) + 100] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def _stray_entry(path: Path, good: Path) -> Path:
    return _rewrite(good, path, extra={"../../luar.txt": b"x"})


def _wrong_hash(path: Path, good: Path) -> Path:
    def edit(m):
        m["files"]["kinerja.sqlite3"]["sha256"] = "0" * 64

    return _rewrite(good, path, manifest_edit=edit)


BAD_FILES = {
    "sampah": (lambda path, good: _written(path, b"bukan zip sama sekali\n" * 50),
               "bukan berkas cadangan"),
    "terpotong": (lambda path, good: _written(path, good.read_bytes()[: good.stat().st_size // 2]),
                  "terpotong"),
    "versi-lebih-baru": (_newer, "versi Kinerja Desktop yang lebih baru"),
    "bukan-basis-data-kita": (_foreign_db, "bukan basis data Kinerja Desktop"),
    "bom-zip": (_bomb, "bom ZIP"),
    "bit-rusak": (_flipped_byte, "rusak"),
    "nama-berbahaya": (_stray_entry, "tidak dikenal"),
    "hash-salah": (_wrong_hash, "hash tidak cocok"),
    "zip-tanpa-manifest": (lambda path, good: _plain_zip(path), "manifest tidak ada"),
}


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _plain_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("kinerja.sqlite3", b"SQLite format 3\x00")
    return path


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_backup_is_refused_and_nothing_changes(demo_root, tmp_path, kind):
    good = backup.backup(DataDir(demo_root), tmp_path / "baik.zip").path
    make, expected = BAD_FILES[kind]
    bad = make(tmp_path / f"{kind}.zip", good)
    before = snapshot(demo_root)
    with pytest.raises(BackupError) as refused:
        restore.restore(DataDir(demo_root), bad, actor_id=admin_of(demo_root))
    message = str(refused.value)
    assert expected in message and message.endswith("Data tidak diubah."), message
    assert snapshot(demo_root) == before
    assert not list(demo_root.glob(".pemulihan-*"))
    with pytest.raises(BackupError):
        restore.verify_backup(bad, DataDir(demo_root))


def test_cli_backup_and_refused_restore(demo_root, tmp_path):
    out = tmp_path / "cli.zip"

    def run(*args):
        return subprocess.run([sys.executable, "-m", "kinerja_desktop", "--data-dir",
                               str(demo_root), *args], capture_output=True, text=True,
                              timeout=120)

    done = run("backup", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Cadangan ditulis" in done.stdout and out.is_file()
    checked = run("restore", "--dry-run", str(out))
    assert checked.returncode == 0 and "Berkas cadangan baik" in checked.stdout
    garbage = tmp_path / "sampah.zip"
    garbage.write_text("bukan cadangan")
    before = snapshot(demo_root)
    refused = run("restore", str(garbage), "--as", "admin")
    assert refused.returncode == 1
    assert refused.stderr.startswith("Gagal: Berkas sampah.zip tidak dapat dipulihkan")
    assert "Traceback" not in refused.stderr
    assert snapshot(demo_root) == before
    restored = run("restore", str(out), "--as", "admin")
    assert restored.returncode == 0, restored.stderr
    assert "Data sebelumnya disimpan di" in restored.stdout


def test_restore_cut_short_is_finished_at_next_start(demo_root, tmp_path, monkeypatch):
    data_dir = DataDir(demo_root)
    good = backup.backup(data_dir, tmp_path / "baik.zip").path
    expected = people_and_teams(demo_root)
    conn = sqlite3.connect(demo_root / "kinerja.sqlite3")
    conn.execute("UPDATE teams SET name = name || ' (diubah)'")
    conn.commit()
    conn.close()

    real_finish = backup.finish_interrupted_restore
    calls = []

    def power_cut(source):
        calls.append(source)
        if len(calls) == 2:  # the call that would swap the files
            raise KeyboardInterrupt("listrik padam")
        return real_finish(source)

    monkeypatch.setattr(backup, "finish_interrupted_restore", power_cut)
    with pytest.raises(KeyboardInterrupt):
        restore.restore(data_dir, good, actor_id=admin_of(demo_root))
    monkeypatch.undo()
    assert (demo_root / "pemulihan-berjalan.json").exists()
    assert people_and_teams(demo_root) != expected
    # Next start: the automatic backup finishes the swap first.
    assert backup.finish_interrupted_restore(data_dir) is True
    assert people_and_teams(demo_root) == expected
    assert not (demo_root / "pemulihan-berjalan.json").exists()
    assert not list(demo_root.glob(".pemulihan-*")) and not list(demo_root.glob(".lama-*"))


def test_auto_backup_once_a_day_then_the_rotation(demo_root):
    data_dir = DataDir(demo_root)
    start = datetime(2026, 11, 1, 11, 0, tzinfo=UTC)
    first = backup.auto_backup(data_dir, now=start)
    assert first.ok and first.made is not None and first.made.is_file()
    again = backup.auto_backup(data_dir, now=start + timedelta(hours=1))
    assert again.made is None and again.ok and again.newest_good == first.made
    made = [first.made]
    for day in range(1, 10):
        made.append(backup.auto_backup(data_dir, now=start + timedelta(days=day)).made)
    kept = sorted(p.name for p in data_dir.backups.glob("otomatis-*.zip"))
    # 1 Nov 2026 is a Sunday: the 7 daily ones (4–10 Nov) and the newest of the ISO week
    # 26 Oct–1 Nov; the weeks and the month of the others are kept by the daily ones.
    assert kept == sorted(p.name for p in [made[0], *made[3:]])
    assert restore.inspect_backup(made[-1]).attachment_count > 0
    assert restore.inspect_backup(made[-1]).verified


def test_auto_backup_skips_an_empty_folder(data_root):
    assert backup.auto_backup(DataDir(data_root)).made is None
    assert not DataDir(data_root).backups.exists() or not any(DataDir(data_root).backups.iterdir())


def test_restore_over_a_ruined_database_keeps_the_ruined_files(demo_root, tmp_path):
    data_dir = DataDir(demo_root)
    good = backup.backup(data_dir, tmp_path / "baik.zip").path
    expected = people_and_teams(demo_root)
    ruined = b"rusak karena listrik padam" * 100
    (demo_root / "kinerja.sqlite3").write_bytes(ruined)
    result = restore.restore(data_dir, good)  # a ruined database has no accounts to ask
    kept = result.previous_data_backup
    assert kept is not None and kept.is_dir() and kept.name.startswith("sebelum-pemulihan-")
    assert (kept / "kinerja.sqlite3").read_bytes() == ruined
    assert people_and_teams(demo_root) == expected
