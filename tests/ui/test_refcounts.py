"""PySide6 6.12.0 loses a reference to None/True per call; the window must survive it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CHILD = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
import kinerja_desktop.ui  # applies the protection
from PySide6.QtWidgets import QApplication, QLineEdit
app = QApplication([])
edit = QLineEdit()
for i in range(N):
    edit.setText(str(i))        # returns None
    edit.textChanged.emit("x")  # returns True
    app.processEvents()
print("SELESAI", N)
"""


@pytest.mark.gui
def test_many_qt_calls_do_not_free_none_or_true():
    # 30 000 calls of each kind; without the protection CPython 3.11 aborts after ~5 000.
    proc = subprocess.run([sys.executable, "-c", CHILD.replace("N", "30000")],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "SELESAI 30000" in proc.stdout


def test_protection_is_idempotent_and_keeps_the_singletons_alive():
    from kinerja_desktop.ui.refcounts import protect_singletons

    applied = protect_singletons()
    before = sys.getrefcount(None)
    protect_singletons()
    if applied:
        assert sys.getrefcount(None) >= 1 << 60
        assert abs(sys.getrefcount(None) - before) < 1000  # not added twice
    else:
        assert sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount")
