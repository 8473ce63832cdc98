"""An English system (LANG=C): the window, its dialogs and a whole cycle stay Indonesian.

Run in a child process (``lang_c_child.py``) so the locale of the process is really C
from its start, on the 1366×768 offscreen screen of the test configuration.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.slow]

CHILD = Path(__file__).with_name("lang_c_child.py")


def run_child(*args: str) -> dict:
    env = dict(os.environ, LANG="C", LC_ALL="C", LANGUAGE="")
    env.pop("PYTHONPATH", None)
    proc = subprocess.run([sys.executable, str(CHILD), *args], capture_output=True, text=True,
                          env=env, timeout=900, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_every_screen_and_dialog_is_indonesian_on_an_english_system(tmp_path):
    from kinerja_desktop.services import demo
    from kinerja_desktop.services.startup import open_context

    data = tmp_path / "data"
    ctx = open_context(data)
    demo.build_demo(ctx, teams=2, indicators=2, through_step=7)
    ctx.dispose()
    result = run_child("layar", str(data), str(tmp_path / "layar"))
    assert result["english"] == []
    assert result["misfits"] == []
    assert int(result["done"][0].split()[0]) >= 30
    assert result["windows"] >= 30


def test_seven_steps_from_an_empty_folder_on_an_english_system(tmp_path):
    """Set-up wizard, then four people (Ganti pengguna) take a cycle through steps 1–7."""
    result = run_child("siklus", str(tmp_path / "data"))
    assert result["errors"] == []
    assert result["done"] == ["penyiapan", "langkah 1", "langkah 2–3", "langkah 4–5",
                              "langkah 6", "langkah 7"]
    assert result["english"] == []
    assert result["misfits"] == []
    assert result["windows"] >= 25
