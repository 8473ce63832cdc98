"""``check`` finds what a crash or a careless hand can do to the data directory."""

from __future__ import annotations

import pytest


@pytest.fixture
def office_ctx(ctx):
    from kinerja_desktop.services import demo

    demo.build_demo(ctx, year=2025, teams=2, indicators=1, through_step=4)
    return ctx


def attachment_files(ctx):
    return sorted(p for p in ctx.data_dir.attachments.glob("*/*") if p.is_file())


def test_clean_data_passes_and_reports_backups(office_ctx):
    from kinerja_desktop.services import backup
    from kinerja_desktop.services.integrity import run_checks

    report = run_checks(office_ctx)
    assert report.ok, report.problems
    assert "Belum ada cadangan di folder cadangan." in report.notes
    backup.auto_backup(office_ctx)
    assert any(n.startswith("Cadangan terbaru: otomatis-") for n in run_checks(office_ctx).notes)


def test_damaged_missing_and_orphaned_files_are_problems(office_ctx):
    from kinerja_desktop.services.integrity import run_checks

    files = attachment_files(office_ctx)
    assert len(files) >= 2
    damaged, missing = files[0], files[1]
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"!")
    missing.unlink()
    orphan = office_ctx.data_dir.attachments / "ab" / ("ab" + "0" * 62)
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"tidak tercatat")
    problems = run_checks(office_ctx).problems
    assert any("hash tidak cocok" in p and damaged.name in p for p in problems)
    assert any("hilang" in p and missing.name in p for p in problems)
    assert any("yatim" in p and orphan.name in p for p in problems)


def test_truncated_attachment_and_unfinished_restore_are_problems(office_ctx):
    from kinerja_desktop.services.integrity import run_checks

    target = attachment_files(office_ctx)[0]
    target.write_bytes(target.read_bytes()[:10])
    (office_ctx.data_dir.root / "pemulihan-berjalan.json").write_text("{}")
    problems = run_checks(office_ctx).problems
    assert any("ukuran 10 bita" in p for p in problems)
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
