"""One running copy per data directory; a lock left by a crashed run does not block."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kinerja_desktop.paths import DataDir
from kinerja_desktop.ui.instance import AlreadyRunningError, InstanceLock

REPO = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("lock_holder_child.py")


pytestmark = pytest.mark.sqlite_only("the data folder's lock file, not the database")


@pytest.fixture
def holder(data_root):
    """A second process holding the lock of ``data_root``."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    child = subprocess.Popen([sys.executable, str(CHILD), str(data_root)], env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    line = child.stdout.readline().strip()
    assert line == "TERKUNCI", child.stderr.read()
    yield child
    if child.poll() is None:
        child.kill()
    child.wait(timeout=30)
    for stream in (child.stdin, child.stdout, child.stderr):
        stream.close()


def test_second_instance_is_refused_with_a_clear_message(data_root, holder):
    with pytest.raises(AlreadyRunningError) as refused:
        InstanceLock(DataDir(data_root)).acquire()
    message = str(refused.value)
    assert "sudah berjalan" in message and str(data_root) in message
    assert refused.value.pid == holder.pid
    # Another data directory is not affected.
    other = InstanceLock(DataDir(data_root.parent / "lain")).acquire()
    assert other.held
    other.release()


def test_lock_is_free_again_after_a_clean_exit(data_root, holder):
    holder.stdin.write("selesai\n")
    holder.stdin.flush()
    assert holder.wait(timeout=30) == 0
    assert not DataDir(data_root).lock_file.exists()
    with InstanceLock(DataDir(data_root)) as lock:
        assert lock.held


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL needs POSIX")
def test_stale_lock_of_a_killed_run_is_recovered(data_root, holder):
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    lock_file = DataDir(data_root).lock_file
    assert lock_file.exists(), "the killed process leaves its lock file behind"
    assert lock_file.read_text().split("\n")[0] == str(holder.pid)
    lock = InstanceLock(DataDir(data_root)).acquire()
    try:
        assert lock.held
        assert lock_file.read_text().split("\n")[0] == str(os.getpid())
    finally:
        lock.release()


def test_lock_in_this_process_refuses_a_second_one(data_root):
    first = InstanceLock(DataDir(data_root)).acquire()
    try:
        with pytest.raises(AlreadyRunningError):
            InstanceLock(DataDir(data_root)).acquire()
    finally:
        first.release()
    assert not DataDir(data_root).lock_file.exists()


def test_cli_restore_refused_while_the_program_runs(data_root, holder, tmp_path):
    from kinerja_desktop.services import backup, demo
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(data_root)
    demo.build_demo(ctx, year=2025, teams=1, indicators=1, through_step=0)
    ctx.dispose()
    out = backup.backup(DataDir(data_root), tmp_path / "c.zip").path
    before = (data_root / "kinerja.sqlite3").read_bytes()
    proc = subprocess.run([sys.executable, "-m", "kinerja_desktop", "--data-dir", str(data_root),
                           "restore", str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "sudah berjalan" in proc.stderr and "Tutup program itu dahulu" in proc.stderr
    assert (data_root / "kinerja.sqlite3").read_bytes() == before
