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
