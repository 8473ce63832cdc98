"""How soon another PC hears a change: commit on one context → ``data_changed`` on another.

Run: ``python tests/benchmarks/bench_live.py [--saves N] [--url URL]``. Two "PCs" (two
data folders, two contexts) on one server database; one saves a team entry N times
through the service, the other listens as the window does (``ui.live.LiveUpdates``:
the listening connection, the QSocketNotifier, the GUI thread's event loop, offscreen Qt).
Prints p50/p95/max of the time from the save's return (the commit) to the other PC's
``data_changed`` emission, and the same for the raw notification (socket readable).
Without ``--url`` a private PostgreSQL server is started (as the tests do).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--saves", type=int, default=100)
    parser.add_argument("--url", help="an empty database on a server (no password in it)")
    args = parser.parse_args()
    repo = Path(__file__).resolve().parents[2]
    sys.path[:0] = [str(repo), str(repo / "tests")]
    cluster = None
    url = args.url
    if url is None:
        from conftest import PgCluster

        cluster = PgCluster()
        cluster.execute('CREATE DATABASE "bench_live"')
        url = cluster.url("bench_live")
    try:
        return _run(url, args.saves)
    finally:
        if cluster is not None:
            cluster.stop()


def _run(url: str, saves: int) -> int:
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    from kinerja_desktop.services import cycles as cycle_service
    from kinerja_desktop.services import demo, entries, teams
    from kinerja_desktop.services.startup import open_context
    from kinerja_desktop.ui import live
    from kinerja_desktop.ui.signals import AppSignals

    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 - the event loop
    base = Path(tempfile.mkdtemp(prefix="bench-live-"))
    pc1 = open_context(base / "pc1", database_url=url)
    demo.build_demo(pc1, teams=2, indicators=4, through_step=3)
    pc1.clock = pc1.backend.clock()
    pc2 = open_context(base / "pc2", database_url=url)
    signals = AppSignals()
    listener = live.LiveUpdates(pc2, signals)
    heard: list[float] = []
    readable: list[float] = []
    signals.data_changed.connect(lambda _area: heard.append(time.perf_counter()))
    original = listener._readable

    def stamped() -> None:
        readable.append(time.perf_counter())
        original()

    listener._readable = stamped  # type: ignore[method-assign]
    listener.start()
    loop = QEventLoop()

    def wait_until(condition, timeout_s: float = 10) -> bool:
        deadline = time.perf_counter() + timeout_s
        while not condition() and time.perf_counter() < deadline:
            QTimer.singleShot(1, loop.quit)
            loop.exec()
        return condition()

    if not wait_until(lambda: listener.state is live.ServerState.ANSWERING):
        print(f"Server tidak menjawab: {listener.reason}")
        return 1
    wait_until(lambda: bool(heard))  # the refresh after connecting
    cycle = cycle_service.active_cycle(pc1)
    team = teams.list_teams(pc1)[0]
    member = team.members[-1].person_id
    items = entries.list_team_items(pc1, cycle.id, team.id)
    to_event, to_socket = [], []
    for n in range(saves):
        item = items[n % len(items)]
        heard.clear()
        readable.clear()
        data = item.values.__class__(**{**item.values.__dict__, "actual": float(n)})
        entries.save_entry(pc1, member, item.item_id, data)
        committed = time.perf_counter()
        if not wait_until(lambda: bool(heard), 5):
            print(f"Perubahan ke-{n + 1} tidak terdengar dalam 5 detik.")
            return 1
        to_event.append(heard[0] - committed)
        to_socket.append(readable[0] - committed)
    listener.stop()
    listener.deleteLater()
    signals.deleteLater()
    pc1.dispose()
    pc2.dispose()
    for label, values in (("soket terbaca", to_socket), ("data_changed", to_event)):
        ms = [v * 1000 for v in values]
        print(f"{label:>14}: p50 {statistics.median(ms):6.1f} ms · p95 "
              f"{_percentile(ms, 0.95):6.1f} ms · maks {max(ms):6.1f} ms ({len(ms)} simpan)")
    print(f"latency_p95_ms={_percentile([v * 1000 for v in to_event], 0.95):.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
