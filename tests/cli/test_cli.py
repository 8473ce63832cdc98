"""The command line: demo, check, version, one-line errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kinerja_desktop import __version__


def run(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "kinerja_desktop", *args], capture_output=True,
                          text=True, timeout=timeout)


def test_version():
    proc = run("--version")
    assert proc.returncode == 0 and __version__ in proc.stdout


def test_demo_through_step_7_then_check(tmp_path, db_args):
    root = str(tmp_path / "data")
    proc = run("--data-dir", root, *db_args, "demo", "--through-step", "7")
    assert proc.returncode == 0, proc.stderr
    assert "sampai langkah 7" in proc.stdout
    proc = run("--data-dir", root, *db_args, "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "tidak ada masalah" in proc.stdout
    again = run("--data-dir", root, *db_args, "demo")
    assert again.returncode == 1
    assert again.stderr.strip().startswith("Gagal:") and "Traceback" not in again.stderr


@pytest.mark.parametrize("step", [0, 3, 5])
def test_demo_stops_at_the_requested_step(ctx, step):
    from kinerja_desktop.services import cycles, demo, workflow

    demo.build_demo(ctx, year=2024, through_step=step)
    active = cycles.active_cycle(ctx)
    if step == 0:
        assert active is None
        return
    view = workflow.workflow(ctx, active.id)
    assert all(s.finished_at for s in view.steps[:step])
    assert view.step(step + 1).finished_at is None


def test_demo_scale_options(ctx):
    from kinerja_desktop.services import demo, teams

    text = demo.build_demo(ctx, year=2024, teams=6, indicators=3, through_step=2)
    assert "6 tim, 18 indikator" in text
    assert len(teams.list_teams(ctx)) == 6


def test_check_reports_a_missing_attachment(tmp_path, db_args):
    root = tmp_path / "data"
    assert run("--data-dir", str(root), *db_args, "demo", "--through-step", "4").returncode == 0
    from sqlalchemy import text

    from kinerja_desktop.db.backends import backend_for
    from kinerja_desktop.paths import DataDir

    assert not (root / "lampiran").exists()  # attachments live in the database
    backend = backend_for(DataDir(root), db_args[1] if db_args else None)
    with backend.engine.begin() as conn:
        conn.execute(text("DELETE FROM stored_file_chunks WHERE sha256 = "
                          "(SELECT min(sha256) FROM stored_files)"))
    backend.dispose()
    proc = run("--data-dir", str(root), *db_args, "check")
    assert proc.returncode == 1
    assert "Berkas lampiran hilang" in proc.stdout


def test_usage_error_is_indonesian():
    proc = run("demo", "--through-step", "9")
    assert proc.returncode == 2 and "kesalahan" in proc.stderr
