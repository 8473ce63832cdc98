"""A process killed (SIGKILL) during a burst of writes leaves a sound database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("crash_writer_child.py")

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL needs POSIX"),
    pytest.mark.sqlite_only("what a killed writer leaves in the SQLite file (WAL, synchronous)"),
]


def test_sigkill_mid_burst_keeps_every_reported_commit(data_root):
    from kinerja_desktop.services import demo
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(data_root)
    demo.build_demo(ctx, year=2025, teams=1, indicators=1, through_step=0)
    ctx.dispose()

    env = dict(os.environ, PYTHONPATH=str(REPO))
    child = subprocess.Popen([sys.executable, str(CHILD), str(data_root)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    committed: list[int] = []
    try:
        assert child.stdout.readline().strip() == "SIAP", child.stderr.read()
        while len(committed) < 25:
            line = child.stdout.readline()
            assert line.startswith("OK "), f"anak berhenti: {line!r} {child.stderr.read()}"
            committed.append(int(line.split()[1]))
        # The child is between two statements of its next transaction (or inside one).
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        committed.extend(int(rest.split()[1]) for rest in child.stdout.read().splitlines()
                         if rest.startswith("OK "))
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL

    from kinerja_desktop.services import office, teams
    from kinerja_desktop.services.integrity import run_checks

    ctx = open_context(data_root)
    try:
        report = run_checks(ctx)
        assert report.ok, report.problems
        assert "PRAGMA integrity_check: ok" in report.notes
        days = {day for day, _ in office.office_days_off(ctx)}
        names = {t.name for t in teams.list_teams(ctx, include_inactive=True)}
    finally:
        ctx.dispose()
    for n in committed:
        assert date(2030, 1, 1) + timedelta(days=n) in days
        assert f"Tim Uji {n}" in names
    # Nothing half-written: each change is a day off and a team, written in two
    # transactions, so at most one team is missing for the last day written.
    uji_days = {d for d in days if d >= date(2030, 1, 1)}
    uji_teams = {n for n in names if n.startswith("Tim Uji ")}
    assert len(uji_days) - len(uji_teams) in (0, 1)
