"""Backup, restore and the daily backup on an office server: one backup format for both
engines, restore refused while other PCs are connected and closed to them while it runs,
the office's daily backup made once, by one PC."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, select

from kinerja_desktop.db.models import AuditEntry, Base
from kinerja_desktop.paths import DataDir
from kinerja_desktop.services import backup, restore, server_backup


def rows_of(engine_or_ctx, skip_audit_after: int | None = None) -> dict[str, list]:
    engine = getattr(engine_or_ctx, "engine", engine_or_ctx)
    with engine.connect() as conn:
        found = {t.name: sorted(map(tuple, conn.execute(select(t))), key=repr)
                 for t in Base.metadata.sorted_tables}
    if skip_audit_after is not None:
        found["audit_log"] = [r for r in found["audit_log"] if r[0] <= skip_audit_after]
    return found


def last_audit_id(ctx) -> int:
    with ctx.engine.connect() as conn:
        return conn.execute(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)
                            ).scalar_one()


def test_backups_cross_engines_both_ways(server_offices, sqlite_office, tmp_path):
    """SQLite office → backup → restored onto a server → its backup → restored into a new
    SQLite folder: the same rows all along (plus the audit entry of the restore)."""
    from kinerja_desktop.services.startup import open_existing_context

    init = server_offices.init()
    from_sqlite = backup.backup(DataDir(sqlite_office), tmp_path / "dari-sqlite.zip")
    result = server_backup.restore_to_server(tmp_path / "admin",
                                             server_offices.url(init, init.owner),
                                             from_sqlite.path)
    assert result.previous_data_backup is None  # the new database held nothing
    office = open_existing_context(sqlite_office)
    server = open_existing_context(tmp_path / "pc", database_url=server_offices.url(init))
    try:
        original = rows_of(office)
        assert rows_of(server, skip_audit_after=last_audit_id(office)) == original
        with server.read() as session:
            entry = session.execute(select(AuditEntry.action, AuditEntry.entity_id)
                                    .order_by(AuditEntry.id.desc()).limit(1)).one()
        assert tuple(entry) == ("cadangan.pulihkan", "dari-sqlite.zip")
        assert result.rows == sum(len(v) for v in original.values())

        from_server = backup.backup(server, tmp_path / "dari-server.zip")
        names = set(zipfile.ZipFile(from_server.path).namelist())
        assert names == set(zipfile.ZipFile(from_sqlite.path).namelist()) \
            == {backup.MANIFEST, backup.DATABASE}
        restore.restore(DataDir(tmp_path / "pulih"), from_server.path)
        restored = open_existing_context(tmp_path / "pulih")
        try:
            # Both restores add their own audit entry after the data they brought.
            assert rows_of(restored, skip_audit_after=last_audit_id(server)) == rows_of(server)
        finally:
            restored.dispose()
    finally:
        office.dispose()
        server.dispose()


def test_restore_onto_a_server_keeps_its_data_first(server_offices, sqlite_office, tmp_path):
    from kinerja_desktop.services.startup import open_existing_context

    init = server_offices.init()
    owner_url = server_offices.url(init, init.owner)
    file = backup.backup(DataDir(sqlite_office), tmp_path / "kantor.zip").path
    server_backup.restore_to_server(tmp_path / "admin", owner_url, file)
    again = server_backup.restore_to_server(tmp_path / "admin", owner_url, file)
    kept = again.previous_data_backup
    assert kept is not None and kept.parent == DataDir(tmp_path / "admin").backups
    restore.restore(DataDir(tmp_path / "lama"), kept)
    before = open_existing_context(tmp_path / "lama")
    try:
        with before.read() as session:
            actions = list(session.scalars(select(AuditEntry.action)))
        # The first restore onto the server, and this restore of what it held after it.
        assert actions.count("cadangan.pulihkan") == 2
    finally:
        before.dispose()


def test_restore_is_refused_while_another_pc_is_connected(server_offices, sqlite_office,
                                                          tmp_path):
    from kinerja_desktop.db.transfer import fingerprints

    init = server_offices.init()
    owner_url = server_offices.url(init, init.owner)
    file = backup.backup(DataDir(sqlite_office), tmp_path / "kantor.zip").path
    server_backup.restore_to_server(tmp_path / "admin", owner_url, file)
    engine = create_engine(owner_url)
    with engine.connect() as conn:
        before = fingerprints(conn)
    engine.dispose()  # this test's own connection would count as another PC's
    other = psycopg.connect(host="127.0.0.1", port=server_offices.cluster.port,
                            user=init.app_user, dbname=init.database,
                            application_name="Kinerja Desktop PC-KASUBAG/kasubag")
    try:
        with pytest.raises(server_backup.OtherPcsConnected,
                           match="1 sambungan lain .* Kinerja Desktop PC-KASUBAG/kasubag "
                                 f"\\(pengguna {init.app_user}.*Data tidak diubah"):
            server_backup.restore_to_server(tmp_path / "admin", owner_url, file)
    finally:
        other.close()
    with engine.connect() as conn:
        assert fingerprints(conn) == before
    engine.dispose()
    # The command line says the same in one line.
    other = psycopg.connect(host="127.0.0.1", port=server_offices.cluster.port,
                            user=init.app_user, dbname=init.database,
                            application_name="Kinerja Desktop PC-BIDANG/budi")
    try:
        proc = subprocess.run([sys.executable, "-m", "kinerja_desktop", "--data-dir",
                               str(tmp_path / "admin"), "--database-url", owner_url,
                               "restore", str(file)], capture_output=True, text=True,
                              timeout=180)
    finally:
        other.close()
    assert proc.returncode == 1
    assert proc.stderr.startswith("Gagal: Pemulihan ditolak: 1 sambungan lain")
    assert "PC-BIDANG/budi" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    # Once that PC has closed, the same command restores and names the kept data.
    proc = subprocess.run([sys.executable, "-m", "kinerja_desktop", "--data-dir",
                           str(tmp_path / "admin"), "--database-url", owner_url,
                           "restore", str(file)], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert f"dipulihkan dari {file.name}" in lines[0]
    kept = sorted(DataDir(tmp_path / "admin").backups.glob(
        f"{backup.BEFORE_RESTORE_PREFIX}*{backup.SUFFIX}"))
    assert len(kept) == 1 and lines[1] == f"Data server sebelumnya disimpan di {kept[0]}."


def test_restore_keeps_the_pcs_out_while_it_runs(server_offices, sqlite_office, tmp_path):
    init = server_offices.init()
    file = backup.backup(DataDir(sqlite_office), tmp_path / "kantor.zip").path
    knocks: list[str] = []

    def knock() -> None:
        with pytest.raises(psycopg.OperationalError) as refused:
            psycopg.connect(host="127.0.0.1", port=server_offices.cluster.port,
                            user=init.app_user, dbname=init.database).close()
        knocks.append(str(refused.value))

    server_backup.restore_to_server(tmp_path / "admin", server_offices.url(init, init.owner),
                                    file, before_replace=knock)
    assert len(knocks) == 1 and "permission denied for database" in knocks[0]
    psycopg.connect(host="127.0.0.1", port=server_offices.cluster.port, user=init.app_user,
                    dbname=init.database).close()  # let in again afterwards
    # The PCs' role may not restore at all.
    with pytest.raises(backup.BackupError, match=f"sebagai pemilik basis data \\({init.owner}\\)"
                                                 f", bukan {init.app_user}"):
        server_backup.restore_to_server(tmp_path / "admin", server_offices.url(init), file)


def test_a_failed_restore_leaves_the_server_as_it_was(server_offices, sqlite_office, tmp_path):
    from kinerja_desktop.db.transfer import fingerprints

    init = server_offices.init()
    owner_url = server_offices.url(init, init.owner)
    file = backup.backup(DataDir(sqlite_office), tmp_path / "kantor.zip").path
    server_backup.restore_to_server(tmp_path / "admin", owner_url, file)
    engine = create_engine(owner_url)
    with engine.connect() as conn:
        before = fingerprints(conn)
    engine.dispose()

    def power_cut() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        server_backup.restore_to_server(tmp_path / "admin", owner_url, file,
                                        before_replace=power_cut)
    with engine.connect() as conn:
        assert fingerprints(conn) == before
    engine.dispose()
    psycopg.connect(host="127.0.0.1", port=server_offices.cluster.port, user=init.app_user,
                    dbname=init.database).close()


def _pc(root: Path, url: str) -> subprocess.Popen[str]:
    child = Path(__file__).with_name("daily_backup_child.py")
    return subprocess.Popen([sys.executable, str(child), str(root), url],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _all_at_once(pcs: list[subprocess.Popen[str]]) -> list[str]:
    for pc in pcs:
        assert pc.stdout.readline().strip() == "SIAP", pc.stderr.read()
    for pc in pcs:
        pc.stdin.write("mulai\n")
        pc.stdin.flush()
    answers = [pc.stdout.readline().strip() for pc in pcs]
    for pc in pcs:
        assert pc.wait(timeout=120) == 0, pc.stderr.read()
    return answers


def test_daily_backup_is_made_once_for_the_office_by_one_pc(server_offices, sqlite_office,
                                                             tmp_path):
    from kinerja_desktop.services.startup import open_existing_context

    init = server_offices.init()
    file = backup.backup(DataDir(sqlite_office), tmp_path / "kantor.zip").path
    server_backup.restore_to_server(tmp_path / "admin", server_offices.url(init, init.owner),
                                    file)
    url = server_offices.url(init)
    roots = [tmp_path / "pc1", tmp_path / "pc2"]
    answers = _all_at_once([_pc(root, url) for root in roots])
    made = [a for a in answers if a != "-"]
    assert len(made) == 1, answers
    files = [p for root in roots for p in DataDir(root).backups.glob("otomatis-*.zip")]
    assert [str(p) for p in files] == made
    restore.verify_backup(files[0], tmp_path / "periksa")
    ctx = open_existing_context(roots[1], database_url=url)
    try:
        # Later that day nobody makes another; the row says who made it.
        assert server_backup.office_daily_backup(ctx) is None
        with ctx.engine.connect() as conn:
            from kinerja_desktop.db.backends.postgresql_checks import last_daily_backup

            last = last_daily_backup(conn)
        assert last["berkas"] == files[0].name and last["oleh"].startswith("Kinerja Desktop ")
        # The next day, the first PC makes it.
        tomorrow = ctx.now() + timedelta(days=1)
        made_tomorrow = server_backup.office_daily_backup(ctx, now=tomorrow)
        assert made_tomorrow is not None and made_tomorrow.parent == DataDir(roots[1]).backups
        assert server_backup.office_daily_backup(ctx, now=tomorrow) is None
    finally:
        ctx.dispose()


def test_daily_backup_waits_for_the_pc_holding_the_lock(ctx, tmp_path):
    """A PC finding the server lock taken (another PC is making it) makes nothing; on
    SQLite the office backup is not this function's business."""
    from sqlalchemy import text

    from kinerja_desktop.db.backends.postgresql import lock_key
    from kinerja_desktop.db.server import DAILY_BACKUP_LOCK

    if not ctx.backend.is_server:
        assert server_backup.office_daily_backup(ctx) is None
        return
    with ctx.engine.connect() as holder:
        holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": lock_key(DAILY_BACKUP_LOCK)})
        assert server_backup.office_daily_backup(ctx) is None
        holder.execute(text("SELECT pg_advisory_unlock(:k)"),
                       {"k": lock_key(DAILY_BACKUP_LOCK)})
    made = server_backup.office_daily_backup(ctx)
    assert made is not None and made.exists()


def test_the_window_is_told_the_restore_command_for_its_server(server_offices, tmp_path):
    from kinerja_desktop.services.startup import open_context

    init = server_offices.init()
    ctx = open_context(tmp_path / "pc", database_url=server_offices.url(init))
    try:
        text = server_backup.restore_instructions(ctx)
    finally:
        ctx.dispose()
    assert f"kinerja-desktop --database-url postgresql+psycopg://{init.owner}@127.0.0.1:" \
           f"{server_offices.cluster.port}/{init.database} restore BERKAS.zip" in text
    assert "semua komputer" in text
