"""The window holds the same Qt-free writer lock as every writing command."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kinerja_desktop.locking import DataFolderBusy, DataFolderLock
from kinerja_desktop.paths import DataDir
from kinerja_desktop.ui.instance import AlreadyRunningError, InstanceLock


def test_the_window_lock_is_the_writer_lock(data_root):
    window = InstanceLock(DataDir(data_root)).acquire()
    try:
        assert AlreadyRunningError is DataFolderBusy
        with pytest.raises(AlreadyRunningError, match="jendela aplikasi terbuka"):
            InstanceLock(DataDir(data_root)).acquire(wait_s=0)
        with pytest.raises(DataFolderBusy):
            DataFolderLock(DataDir(data_root), "impor").acquire(wait_s=0)
    finally:
        window.release()
    assert not DataDir(data_root).lock_file.exists()


def test_cli_restore_refused_while_the_window_runs(data_root, tmp_path):
    from kinerja_desktop.services import backup, demo
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(data_root)
    demo.build_demo(ctx, year=2025, teams=1, indicators=1, through_step=0)
    ctx.dispose()
    out = backup.backup(DataDir(data_root), tmp_path / "c.zip").path
    before = (data_root / "kinerja.sqlite3").read_bytes()
    window = InstanceLock(DataDir(data_root)).acquire()
    try:
        proc = subprocess.run([sys.executable, "-m", "kinerja_desktop", "--data-dir",
                               str(data_root), "restore", str(out), "--as", "admin"],
                              capture_output=True, text=True, timeout=120)
    finally:
        window.release()
    assert proc.returncode == 1
    assert "jendela aplikasi terbuka" in proc.stderr and "Data tidak diubah" in proc.stderr
    assert (data_root / "kinerja.sqlite3").read_bytes() == before
