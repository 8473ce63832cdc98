"""Compile the program's Qt translation: resources/translations/*.ts -> *.qm (pyside6-lrelease).

Run from the repository root after editing a .ts file, and commit both files:

    python installer/build_translations.py

The .qm files are committed so that running from a checkout and building the bundle
need no Qt tools; tests/installer/test_translations.py fails when a .qm is older than its
.ts. lrelease refuses unfinished or invalid messages (accelerators, place markers).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"


def lrelease() -> str:
    """The pyside6-lrelease next to this Python, or on PATH."""
    scripts = Path(sys.executable).parent
    for name in ("pyside6-lrelease", "pyside6-lrelease.exe"):
        if (scripts / name).is_file():
            return str(scripts / name)
    found = shutil.which("pyside6-lrelease")
    if found is None:
        raise SystemExit("pyside6-lrelease tidak ditemukan; pasang PySide6 (pip install -e .).")
    return found


def compile_ts(ts: Path, qm: Path) -> None:
    """Compile one .ts file into ``qm``; stops on an unfinished or invalid message."""
    proc = subprocess.run([lrelease(), "-silent", "-fail-on-unfinished", "-fail-on-invalid",
                           str(ts), "-qm", str(qm)], capture_output=True, text=True)
    if proc.returncode != 0 or not qm.is_file():
        raise SystemExit(f"{ts.name} tidak dapat dikompilasi:\n{proc.stdout}{proc.stderr}")


def main() -> int:
    sources = sorted(TRANSLATIONS.glob("*.ts"))
    for ts in sources:
        compile_ts(ts, ts.with_suffix(".qm"))
        print(f"{ts.with_suffix('.qm').relative_to(ROOT)}")
    print(f"{len(sources)} terjemahan dikompilasi.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
