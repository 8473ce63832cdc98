"""The window holds the same Qt-free writer lock as every writing command."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kinerja_desktop.locking import DataFolderBusy, DataFolderLock
from kinerja_desktop.paths import DataDir
from kinerja_desktop.ui.instance import AlreadyRunningError, InstanceLock

pytestmark = pytest.mark.sqlite_only("the data folder's lock file, not the database")


@pytest.fixture
def stop_logging():
    from kinerja_desktop.logging_setup import stop_logging

    yield
    stop_logging()


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


@pytest.mark.gui
def test_the_window_warns_at_start_up_naming_the_newest_good_backup(qtbot, data_root, faults,
                                                                    stop_logging):
    from PySide6.QtWidgets import QMessageBox, QWidget

    from kinerja_desktop.services import backup, demo
    from kinerja_desktop.services.startup import open_context
    from kinerja_desktop.ui import instance
    from kinerja_desktop.ui.dialogs import error as error_dialog

    ctx = open_context(data_root)
    demo.build_demo(ctx, year=2025, teams=1, indicators=1, through_step=2)
    ctx.dispose()
    data_dir = DataDir(data_root)
    good = backup.auto_backup(data_dir).made
    faults.damage_index(data_dir.database)
    try:
        assert instance.start_guarded(data_root) is not None
        instance.wait_for_auto_backup(60)
        watcher = instance.backup_watcher()
        window = QWidget()
        qtbot.addWidget(window)
        shown = []
        watcher.when_done(lambda result: (shown.append(result),
                                          instance.show_damage_warning(window, result,
                                                                       data_dir)))
        qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
        box = window.findChild(QMessageBox, "peringatanDataRusak")
        assert box is not None and box.isVisible()
        assert "integrity_check" in box.text() and str(good) in box.text()
        assert "Berkas ▸ Pulihkan" in box.text() and "TIDAK dibuat" in box.text()
        box.close()
    finally:
        instance.release_held_locks()
        error_dialog.uninstall_excepthook()
    assert [p.name for p in data_dir.backups.glob("otomatis-*.zip")] == [good.name]
