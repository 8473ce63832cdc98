"""``check`` finds what a crash or a careless hand can do to the data directory."""

from __future__ import annotations

import pytest


@pytest.fixture
def office_ctx(ctx):
    from kinerja_desktop.services import demo

    demo.build_demo(ctx, year=2025, teams=2, indicators=1, through_step=4)
    return ctx


def stored_files(ctx) -> list[str]:
    """The stored files' hashes (their content lives in the database)."""
    from sqlalchemy import select

    from kinerja_desktop.db.models import StoredFile

    with ctx.read() as session:
        return list(session.scalars(select(StoredFile.sha256).order_by(StoredFile.sha256)))


def damage(ctx, sql: str, sha256: str) -> None:
    from sqlalchemy import text

    with ctx.engine.begin() as conn:
        conn.execute(text(sql), {"sha": sha256})


def test_clean_data_passes_and_reports_backups(office_ctx):
    from kinerja_desktop.services import backup
    from kinerja_desktop.services.integrity import run_checks

    report = run_checks(office_ctx)
    assert report.ok, report.problems
    assert f"Lampiran diperiksa: {len(stored_files(office_ctx))}" in report.notes
    assert "Belum ada cadangan di folder cadangan." in report.notes
    backup.auto_backup(office_ctx)
    assert any(n.startswith("Cadangan terbaru: otomatis-") for n in run_checks(office_ctx).notes)


def test_damaged_and_missing_file_contents_are_problems(office_ctx):
    from kinerja_desktop.services.integrity import run_checks

    files = stored_files(office_ctx)
    assert len(files) >= 2
    damaged, missing = files[0], files[1]
    from sqlalchemy import text

    with office_ctx.engine.begin() as conn:
        conn.execute(text("UPDATE stored_file_chunks SET data = :bad WHERE sha256 = :sha"),
                     {"bad": b"rusak", "sha": damaged})
    damage(office_ctx, "DELETE FROM stored_file_chunks WHERE sha256 = :sha", missing)
    problems = run_checks(office_ctx).problems
    assert any("rusak (ukuran" in p and damaged in p for p in problems)
    assert any("hilang" in p and missing in p for p in problems)
    assert len(problems) == 2


def test_flipped_content_and_unfinished_restore_are_problems(office_ctx):
    from kinerja_desktop.services import files
    from kinerja_desktop.services.integrity import run_checks

    target = stored_files(office_ctx)[0]
    with office_ctx.read() as session:
        content = b"".join(files.iter_content(session, target))
    flipped = bytes([content[0] ^ 0xFF]) + content[1:]
    from sqlalchemy import text

    with office_ctx.engine.begin() as conn:
        conn.execute(text("DELETE FROM stored_file_chunks WHERE sha256 = :sha"), {"sha": target})
        conn.execute(text("INSERT INTO stored_file_chunks (sha256, position, data) "
                          "VALUES (:sha, 0, :data)"), {"sha": target, "data": flipped})
    (office_ctx.data_dir.root / "pemulihan-berjalan.json").write_text("{}")
    problems = run_checks(office_ctx).problems
    assert any("hash tidak cocok" in p and target in p for p in problems)
    assert any("Pemulihan dari cadangan belum selesai" in p for p in problems)


@pytest.mark.sqlite_only("a careless hand edits the SQLite file with foreign keys off")
def test_foreign_key_damage_is_a_problem(office_ctx):
    import sqlite3

    from kinerja_desktop.services.integrity import run_checks

    conn = sqlite3.connect(office_ctx.backend.path)  # foreign keys are off by default
    conn.execute("UPDATE team_members SET person_id = 99999 "
                 "WHERE rowid = (SELECT min(rowid) FROM team_members)")
    conn.commit()
    conn.close()
    problems = run_checks(office_ctx).problems
    assert any(p.startswith("Kunci asing rusak: team_members") for p in problems)


_SLOW_ATTACH = """
import sys, time
from pathlib import Path
from sqlalchemy.orm import Session
from kinerja_desktop.services import entries
from kinerja_desktop.services.startup import open_context

real = Session.execute


def slow(self, statement, *args, **kwargs):
    result = real(self, statement, *args, **kwargs)
    if "stored_file_chunks" in str(statement):
        print("MENULIS", flush=True)
        time.sleep(120)
    return result


Session.execute = slow
ctx = open_context(Path(sys.argv[1]), database_url=sys.argv[5] or None)
entries.attach_evidence(ctx, int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
"""


@pytest.mark.slow
def test_a_kill_while_attaching_leaves_no_orphan_and_check_stays_clean(data_root, tmp_path,
                                                                       database_url, db_args):
    """Issue 12 item 5 against the evidence-in-the-database design: the file's pieces are
    written in the transaction of its record, so a SIGKILL in the middle leaves nothing."""
    import os
    import signal
    import subprocess
    import sys

    from sqlalchemy import func, select

    from kinerja_desktop.db.models import Evidence, StoredFile, StoredFileChunk
    from kinerja_desktop.services import demo, entries
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(data_root, database_url=database_url)
    demo.build_demo(ctx, year=2025, teams=1, indicators=1, through_step=3)
    from kinerja_desktop.services import accounts, cycles

    cycle = cycles.active_cycle(ctx)
    member = next(p for p in accounts.list_people(ctx) if p.team_ids)
    item = entries.list_team_items(ctx, cycle.id, next(iter(member.team_ids)))[0]

    def counts():
        with ctx.read() as session:
            return tuple(session.scalar(select(func.count()).select_from(m))
                         for m in (StoredFile, StoredFileChunk, Evidence))

    before = counts()
    ctx.dispose()
    evidence = tmp_path / "bukti-besar.pdf"
    evidence.write_bytes(b"%PDF-1.4\n" + os.urandom(5 * 1024 * 1024))
    env = dict(os.environ, PYTHONPATH=str(__import__("pathlib").Path(__file__).parents[2]))
    child = subprocess.Popen([sys.executable, "-c", _SLOW_ATTACH, str(data_root), str(member.id),
                              str(item.item_id), str(evidence), database_url or ""], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "MENULIS", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
        child.stderr.close()
    ctx = open_context(data_root, database_url=database_url)
    try:
        assert counts() == before
    finally:
        ctx.dispose()
    proc = subprocess.run([sys.executable, "-m", "kinerja_desktop", "--data-dir", str(data_root),
                           *db_args, "check"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "yatim" not in proc.stdout and not (data_root / "lampiran").exists()


@pytest.mark.sqlite_only("files in the data folder of an SQLite office")
def test_orphans_of_an_earlier_layout_are_quarantined_with_an_audit_entry(data_root, tmp_path):
    """What a kill while attaching left in earlier versions: check reports it (exit 1),
    check --repair moves it to karantina/ and writes the audit log, then check is clean."""
    import json
    import sqlite3
    import subprocess
    import sys

    from kinerja_desktop.services import demo
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(data_root)
    demo.build_demo(ctx, year=2025, teams=1, indicators=1, through_step=0)
    ctx.dispose()
    orphan = data_root / "lampiran" / "ab" / ("ab" + "1" * 62)
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"tidak tercatat")
    cut = data_root / "lampiran" / ".masuk-x1y2"
    cut.write_bytes(b"setengah")

    def check(*extra):
        return subprocess.run([sys.executable, "-m", "kinerja_desktop", "--data-dir",
                               str(data_root), "check", *extra], capture_output=True, text=True,
                              timeout=120)

    found = check()
    assert found.returncode == 1
    assert f"yatim (tidak tercatat): lampiran/ab/{orphan.name}" in found.stdout
    assert "Salinan lampiran yang terputus: lampiran/.masuk-x1y2" in found.stdout
    assert "check --repair" in found.stdout
    repaired = check("--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert repaired.stdout.count("DIPINDAHKAN ke karantina") == 2
    moved = sorted(p.name for p in (data_root / "karantina").rglob("*") if p.is_file())
    assert moved == sorted([orphan.name, cut.name]) and not orphan.exists()
    conn = sqlite3.connect(data_root / "kinerja.sqlite3")
    row = conn.execute("SELECT after FROM audit_log WHERE action = 'lampiran.karantina'").fetchone()
    conn.close()
    assert row is not None and len(json.loads(row[0])["berkas"]) == 2
    assert check().returncode == 0
