"""The Linux bundle: PyInstaller builds it from installer/kinerja-desktop.spec and it starts.

Slow (about half a minute to build here): marked ``slow``. Skipped when PyInstaller is
not installed (``pip install -e ".[build]"``) or not on Linux.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="bundel Linux"),
    pytest.mark.sqlite_only("the Linux bundle runs on its data folder's SQLite file"),
]

REPO = Path(__file__).resolve().parents[2]


def _size_mb(path: Path) -> float:
    """Bytes on disk; PyInstaller links some libraries twice (symbolic links count once)."""
    return sum(f.stat().st_size for f in path.rglob("*")
               if f.is_file() and not f.is_symlink()) / 1048576


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    pytest.importorskip("PyInstaller", reason="PyInstaller tidak terpasang (extra 'build')")
    base = tmp_path_factory.mktemp("bundel")
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(base / "dist"), "--workpath", str(base / "work"),
         str(REPO / "installer" / "kinerja-desktop.spec")],
        cwd=REPO, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-4000:]
    folder = base / "dist" / "kinerja-desktop"
    print(f"\nBundel dibangun dalam {time.perf_counter() - started:.0f} detik, "
          f"{_size_mb(folder):.1f} MB")
    return folder


def run(bundle: Path, *args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)
    return subprocess.run([str(bundle / "kinerja-desktop"), *args], capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=bundle.parent)


def test_babel_locales_are_trimmed(bundle):
    locale_data = next(bundle.rglob("babel/locale-data"))
    names = sorted(p.name for p in locale_data.iterdir())
    assert "id.dat" in names and "en.dat" in names and "root.dat" in names
    assert "fr.dat" not in names and len(names) <= 8
    assert _size_mb(locale_data) < 2


def test_the_installer_builds_with_server_support():
    """build-windows.ps1 and build.sh install only the ``build`` extra: it must bring the
    PostgreSQL driver, or an installed PC could never use the office server."""
    import tomllib

    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"]["optional-dependencies"]
    assert set(extras["server"]) <= set(extras["build"])
    script = (REPO / "installer" / "build-windows.ps1").read_text(encoding="utf-8")
    assert '-e ".[build]"' in script


def test_the_bundle_holds_the_postgresql_driver(bundle):
    """psycopg and its libpq travel with the bundle (server mode from the installed program)."""
    assert next(bundle.rglob("psycopg_binary/pq*"), None) is not None
    assert next(bundle.rglob("libpq*"), None) is not None


def test_indonesian_qt_translation_is_bundled(bundle):
    """The compiled translation ships (the program loads it from resources/translations);
    its .ts source does not."""
    found = sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("qtbase_id.*"))
    assert [f.rsplit("/", 2)[-2:] for f in found] == [["translations", "qtbase_id.qm"]]
    assert "resources/translations/" in found[0]


def test_bundle_runs_demo_check_backup_and_smoke(bundle, tmp_path):
    from kinerja_desktop import __version__

    version = run(bundle, "--version")
    assert version.returncode == 0 and __version__ in version.stdout

    data = tmp_path / "data"
    demo = run(bundle, "--data-dir", str(data), "demo", "--year", "2025", "--through-step", "3",
               "--teams", "1", "--indicators", "1")
    assert demo.returncode == 0, demo.stderr  # migrations and the SOP seed come from the bundle
    check = run(bundle, "--data-dir", str(data), "check")
    assert check.returncode == 0 and "tidak ada masalah" in check.stdout, check.stdout
    out = tmp_path / "cadangan.zip"
    made = run(bundle, "--data-dir", str(data), "backup", "--out", str(out))
    assert made.returncode == 0 and out.is_file(), made.stderr

    # reportlab, Pillow and the fonts under resources/ are in the bundle.
    sheet = tmp_path / "sop.pdf"
    printed = run(bundle, "--data-dir", str(data), "sop-sheet", "--out", str(sheet))
    assert printed.returncode == 0, printed.stderr
    assert sheet.read_bytes().startswith(b"%PDF")
    # openpyxl (imported lazily by the program) is in the bundle too.
    conn = sqlite3.connect(data / "kinerja.sqlite3")
    team = conn.execute("SELECT name FROM teams ORDER BY id").fetchone()[0]
    conn.close()
    workbook = tmp_path / "format.xlsx"
    exported = run(bundle, "--data-dir", str(data), "export-format", "--year", "2025",
                   "--team", team, "--out", str(workbook))
    assert exported.returncode == 0, exported.stderr
    assert workbook.read_bytes().startswith(b"PK")

    smoke = run(bundle, "--data-dir", str(data), "smoke")
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    assert "Jendela utama tampil" in smoke.stdout
