"""The load benchmark bench_server.py: its lost-update count, and a short run on the
test cluster so the benchmark keeps working as the services change."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).with_name("bench_server.py")


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_server", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_save_overwritten_unseen_is_a_lost_update():
    lost_updates = _bench_module().lost_updates
    # Two PCs open item 1 with the same values and both are told "saved": one is lost.
    assert lost_updates([(1, "u1-1", "awal"), (1, "u2-1", "awal")], {1: "u2-1"}) == 1
    # The second form was opened on top of the first save: nothing lost.
    assert lost_updates([(1, "u1-1", "awal"), (1, "u2-1", "u1-1")], {1: "u2-1"}) == 0
    # A chain of three on one item, and another item untouched since its save.
    assert lost_updates([(1, "u1-1", "awal"), (1, "u2-1", "u1-1"), (1, "u1-2", "u2-1"),
                         (2, "u3-1", "awal")], {1: "u1-2", 2: "u3-1"}) == 0
    # An acknowledged save that is not in the data at all (the item shows its old text).
    assert lost_updates([(1, "u1-1", "awal")], {1: "awal"}) == 1
    # A refused save is never acknowledged, so never counted.
    assert lost_updates([], {1: "awal"}) == 0


@pytest.mark.slow
def test_a_short_run_on_the_server_prints_its_figures(server_offices):
    type(server_offices.cluster).databases_made += 1  # the benchmark makes its own database
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--admin-url", server_offices.admin_url, "--users", "3",
         "--seconds", "2", "--think-ms", "50", "--teams", "2", "--indicators", "2"],
        capture_output=True, text=True, timeout=600)
    out = proc.stdout
    assert proc.returncode in (0, 1), proc.stderr  # 1: a target missed on a busy machine
    assert "Pengguna: 3 proses (1 anggota tim mengisi, 1 anggota tim yang sudah menyerahkan, " \
           "1 verifikator)" in out, out + proc.stderr
    figures = dict(re.findall(r"^(\w+)=([\d.]+)$", out, re.MULTILINE))
    assert set(figures) == {"throughput", "saves_acknowledged", "conflicts", "errors",
                            "lost_updates", "p95_save_ms"}, out
    assert figures["errors"] == "0" and "galat:" not in out, out
    assert out.rstrip().splitlines()[-2:] == [f"lost_updates={figures['lost_updates']}",
                                              f"p95_save_ms={figures['p95_save_ms']}"]
    # The benchmark drops its database and roles again.
    import psycopg

    with psycopg.connect(server_offices.admin_url.replace("postgresql+psycopg", "postgresql")
                         ) as conn:
        left = conn.execute("SELECT count(*) FROM pg_database WHERE datname LIKE "
                            "'kinerja_bench_%' UNION ALL SELECT count(*) FROM pg_roles "
                            "WHERE rolname LIKE 'kinerja_bench_%'").fetchall()
    assert left == [(0,), (0,)]
