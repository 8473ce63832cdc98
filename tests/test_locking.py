"""One writer per data folder, with real processes: the Qt-free lock every writer takes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kinerja_desktop import locking
from kinerja_desktop.locking import DataFolderBusy, DataFolderLock
from kinerja_desktop.paths import DataDir

pytestmark = pytest.mark.sqlite_only("the data folder's lock files, with the SQLite data folder")

REPO = Path(__file__).resolve().parents[1]
CHILD = Path(__file__).with_name("lock_holder_child.py")


def _holder(root: Path, mode: str = "writer") -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    child = subprocess.Popen([sys.executable, str(CHILD), str(root), mode], env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    line = child.stdout.readline().strip()
    assert line == "TERKUNCI", (line, child.stderr.read())
    return child


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.kill()
    child.wait(timeout=30)
    for stream in (child.stdin, child.stdout, child.stderr):
        stream.close()


@pytest.fixture
def holder(data_root):
    """A second process holding the writer lock of ``data_root`` (imports no Qt)."""
    child = _holder(data_root)
    yield child
    _stop(child)


def _cli(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kinerja_desktop", "--data-dir", str(root),
                           *args], capture_output=True, text=True, timeout=timeout)


def test_a_second_writer_waits_briefly_then_is_told_who_writes(data_root, holder):
    started = time.monotonic()
    with pytest.raises(DataFolderBusy) as refused:
        DataFolderLock(DataDir(data_root), "impor buku kerja").acquire(wait_s=0.4)
    assert time.monotonic() - started >= 0.4
    message = str(refused.value)
    assert str(data_root) in message and f"proses {holder.pid}" in message
    assert "jendela aplikasi terbuka" in message and "tutup program itu" in message
    assert refused.value.pid == holder.pid
    # Another data folder is not affected.
    with DataFolderLock(DataDir(data_root.parent / "lain")) as other:
        assert other.held


def test_the_waiting_writer_gets_the_lock_once_the_holder_finishes(data_root, holder):
    threading.Timer(0.3, lambda: (holder.stdin.write("selesai\n"), holder.stdin.flush())).start()
    lock = DataFolderLock(DataDir(data_root), "impor").acquire(wait_s=20)
    try:
        assert lock.held
        assert DataDir(data_root).lock_file.read_text().split("\n")[0] == str(os.getpid())
    finally:
        lock.release()
    assert holder.wait(timeout=30) == 0
    assert not DataDir(data_root).lock_file.exists()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL needs POSIX")
def test_the_lock_of_a_killed_writer_never_blocks(data_root, holder):
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    lock_file = DataDir(data_root).lock_file
    assert lock_file.read_text().split("\n")[0] == str(holder.pid), "left behind by the kill"
    started = time.monotonic()
    lock = DataFolderLock(DataDir(data_root)).acquire(wait_s=5)
    try:
        assert lock.held and time.monotonic() - started < 1
        assert lock_file.read_text().split("\n")[0] == str(os.getpid())
    finally:
        lock.release()


def test_nested_writing_in_one_process_and_a_second_lock_object_refused(data_root):
    data_dir = DataDir(data_root)
    with locking.writing(data_dir, "jendela") as outer:
        with locking.writing(data_dir, "pemulihan") as inner:
            assert inner is outer and outer.held
        assert outer.held, "the inner block must not release the outer holder's lock"
        with pytest.raises(DataFolderBusy):
            DataFolderLock(data_dir).acquire(wait_s=0)
    assert locking.held_writer(data_dir) is None and not data_dir.lock_file.exists()


@pytest.fixture
def demo_root(data_root):
    from kinerja_desktop.services import demo
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(data_root)
    try:
        demo.build_demo(ctx, year=2025, teams=1, indicators=1, through_step=4)
    finally:
        ctx.dispose()
    return data_root


@pytest.mark.slow
def test_writing_commands_are_refused_while_another_process_writes(demo_root, tmp_path):
    """The case of the issue: a restore under a running writer. Every writing command
    waits briefly, then says who writes; the data does not change. A backup still runs."""
    from kinerja_desktop.services import backup

    good = backup.backup(DataDir(demo_root), tmp_path / "baik.zip").path
    workbook = tmp_path / "tim.xlsx"
    exported = _cli(demo_root, "export-format", "--year", "2025", "--team",
                    "Tim Bidang Pemerintahan Desa", "--out", str(workbook))
    assert exported.returncode == 0, exported.stderr
    database = (demo_root / "kinerja.sqlite3")
    child = _holder(demo_root)
    try:
        before = database.read_bytes()
        for args in (("restore", str(good), "--as", "admin"), ("import-format", str(workbook)),
                     ("demo",), ("check", "--repair"),
                     ("export-format", "--year", "2025", "--team",
                      "Tim Bidang Pemerintahan Desa", "--out", str(tmp_path / "lagi.xlsx"))):
            started = time.monotonic()
            refused = _cli(demo_root, *args)
            assert refused.returncode == 1, (args, refused.stdout, refused.stderr)
            line = refused.stderr.strip()
            assert line.startswith("Gagal: Folder data") and f"proses {child.pid}" in line, args
            assert len(line.splitlines()) == 1 and "Traceback" not in line
            assert time.monotonic() - started >= locking.DEFAULT_WAIT_S, args
        assert database.read_bytes() == before
        assert not (tmp_path / "lagi.xlsx").exists()
        # Reading commands and the backup's snapshot run beside the writer.
        assert _cli(demo_root, "backup", "--out", str(tmp_path / "b.zip")).returncode == 0
        assert _cli(demo_root, "import-format", str(workbook), "--dry-run").returncode == 0
        assert _cli(demo_root, "check").returncode == 0
    finally:
        _stop(child)
    assert _cli(demo_root, "restore", str(good), "--as", "admin").returncode == 0


def test_backup_waits_for_a_restore_swapping_the_files(demo_root, tmp_path):
    from kinerja_desktop.services import backup

    child = _holder(demo_root, "swap")
    try:
        with pytest.raises(DataFolderBusy, match="sedang dipulihkan"):
            with locking.swapping(DataDir(demo_root), shared=True, wait_s=0.2):
                pass
        refused = _cli(demo_root, "backup", "--out", str(tmp_path / "c.zip"))
        assert refused.returncode == 1 and "sedang dipulihkan" in refused.stderr
    finally:
        _stop(child)
    assert backup.backup(DataDir(demo_root), tmp_path / "c.zip").verified
