"""Start-up to a shown, idle main window vs a bare PySide6 window + ``import sqlalchemy.orm``.

Run: ``python tests/benchmarks/bench_startup.py [--runs N]``. Each figure is the
median wall time of N fresh interpreter processes (offscreen Qt), measured side by
side on the same machine; the target is app ≤ 1.5 × baseline. The app run is the
``smoke`` command on a demo data directory built once beforehand.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASELINE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
import sqlalchemy.orm  # noqa: F401
app = QApplication(sys.argv)
window = QMainWindow()
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""

TARGET = 1.5


def _run(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    repo = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(repo))
    # An installed copy has bytecode (pip byte-compiles, the bundle ships .pyc), so the
    # source tree is byte-compiled first, as site-packages already is; without this, a
    # PYTHONDONTWRITEBYTECODE environment would charge the app a compile on every run.
    import compileall

    compileall.compile_dir(str(repo / "kinerja_desktop"), quiet=1)
    with tempfile.TemporaryDirectory(prefix="kinerja-bench-") as tmp:
        data = Path(tmp) / "data"
        subprocess.run([sys.executable, "-m", "kinerja_desktop", "--data-dir", str(data),
                        "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        app_cmd = [sys.executable, "-m", "kinerja_desktop", "--data-dir", str(data), "smoke"]
        base_cmd = [sys.executable, "-c", BASELINE]
        _run(base_cmd, env)  # warm the file cache for both
        _run(app_cmd, env)
        base, app = [], []
        for _ in range(args.runs):  # interleaved: same machine load for both
            base.append(_run(base_cmd, env))
            app.append(_run(app_cmd, env))
    b, a = statistics.median(base), statistics.median(app)
    print(f"Jendela PySide6 kosong + import sqlalchemy.orm: {b:.3f} detik (median {args.runs})")
    print(f"Kinerja Desktop sampai jendela utama tampil:   {a:.3f} detik (median {args.runs})")
    print(f"Rasio: {a / b:.2f} × (batas {TARGET} ×) — {'LULUS' if a / b <= TARGET else 'GAGAL'}")
    return 0 if a / b <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
