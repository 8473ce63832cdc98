"""One writer per data folder: an operating-system lock on a file in the folder (no Qt).

Two lock files live in the data folder:

* ``kinerja.lock`` (:attr:`DataDir.lock_file`), the **writer lock**: held by the window
  for as long as it is open and by every command that changes data (``demo``,
  ``import-format``, ``export-format``, the document commands, ``restore``,
  ``check --repair``). A second writer waits briefly (:data:`DEFAULT_WAIT_S`), then gets
  one Indonesian line naming the folder and the process that holds it.
* ``kinerja-tukar.lock`` (:attr:`DataDir.swap_lock_file`), the **swap lock**: a restore
  holds it exclusively while it checks and swaps the files; a backup holds it shared
  while it copies its snapshot. So a backup never copies half-swapped data, and backing
  up while the window is open still works (the window's writer lock does not stop it).

The locks are ``flock`` (POSIX) or ``msvcrt.locking`` (Windows) locks: the operating
system drops them when their process ends, however it ends, so a lock left behind by a
killed program never blocks the next one. The file keeps the holder's process id, host
and purpose for the message; it is removed on a clean release.

Within one process the writer lock is re-entrant through :func:`writing` (the window
holds it; a restore started from the window takes it again without waiting for
itself). A second :class:`DataFolderLock` object in the same process is refused, as a
second window on the same folder would be.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from kinerja_desktop.domain.errors import KinerjaError
from kinerja_desktop.paths import DataDir

#: How long a second writer waits for the lock before it is told who holds it.
DEFAULT_WAIT_S = 3.0
_POLL_S = 0.05
#: Windows locks a byte beyond the text, so the holder's details stay readable.
_WINDOWS_LOCK_OFFSET = 1 << 20


class DataFolderBusy(KinerjaError):
    """Another process (or another part of this one) holds the data folder's lock."""

    def __init__(self, message: str, pid: int | None = None, host: str | None = None) -> None:
        super().__init__(message)
        self.pid = pid
        self.host = host


# Locks held by this process, by (lock file, shared); guarded for the backup thread.
_HELD: dict[Path, DataFolderLock] = {}
_HELD_GUARD = threading.RLock()


def _os_lock(fd: int, shared: bool) -> bool:
    """Try once, without blocking. True when the lock is ours."""
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _os_unlock(fd: int) -> None:
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def read_holder(path: Path) -> tuple[int, str, str]:
    """(pid, host, purpose) written in a lock file; (0, "", "") when unknown."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 0, "", ""
    try:
        pid = int(lines[0]) if lines else 0
    except ValueError:
        pid = 0
    host = lines[1] if len(lines) > 1 else ""
    purpose = lines[2] if len(lines) > 2 else ""
    return pid, host, purpose


class DataFolderLock:
    """One lock on one data folder; :meth:`acquire` raises :class:`DataFolderBusy`.

    ``purpose`` is a few Indonesian words shown to whoever waits ("jendela aplikasi",
    "impor buku kerja"). ``shared`` locks are only taken on the swap lock by backups.
    """

    def __init__(self, data_dir: DataDir, purpose: str = "menulis data", *,
                 swap: bool = False, shared: bool = False) -> None:
        self.data_dir = data_dir
        self.purpose = purpose
        self.swap = swap
        self.shared = shared
        self.path = data_dir.swap_lock_file if swap else data_dir.lock_file
        self._fd: int | None = None
        self._users = 0
        # True when taken by writing()/swapping(): released when its last user leaves.
        self._owned_by_context = False

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, wait_s: float = DEFAULT_WAIT_S) -> DataFolderLock:
        """Take the lock, waiting up to ``wait_s`` seconds for another holder to finish."""
        key = self._key()
        with _HELD_GUARD:
            if key in _HELD:
                raise self._busy(os.getpid(), socket.gethostname(), _HELD[key].purpose)
        deadline = time.monotonic() + max(0.0, wait_s)
        while True:
            fd = self._try_once()
            if fd is not None:
                break
            if time.monotonic() >= deadline:
                pid, host, purpose = read_holder(self.path)
                raise self._busy(pid, host, purpose)
            time.sleep(_POLL_S)
        self._fd = fd
        if not self.shared:
            self._write_holder(fd)
        with _HELD_GUARD:
            _HELD[key] = self
        return self

    def _key(self) -> Path:
        return self.path.resolve() if self.path.parent.exists() else self.path.absolute()

    def _try_once(self) -> int | None:
        try:
            self.data_dir.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            from kinerja_desktop.system_messages import describe_os_error

            raise DataFolderBusy(
                f"Folder data {self.data_dir.root} tidak dapat dikunci: "
                f"{describe_os_error(exc, self.path)} Periksa folder data, lalu coba lagi."
            ) from None
        if not _os_lock(fd, self.shared):
            os.close(fd)
            return None
        # The previous holder may have removed the file between our open and our lock:
        # then we locked a file nobody else will ever see. Start again on the new one.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(self.path))
        except FileNotFoundError:
            same = False
        if not same:
            _os_unlock(fd)
            os.close(fd)
            return self._try_once()
        return fd

    def _write_holder(self, fd: int) -> None:
        text = (f"{os.getpid()}\n{socket.gethostname()}\n{self.purpose}\n"
                f"{datetime.now(UTC).isoformat(timespec='seconds')}\n").encode()
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, text)

    def _busy(self, pid: int, host: str, purpose: str) -> DataFolderBusy:
        who = (f"proses {pid} di komputer {host or 'ini'}" if pid else "program lain")
        doing = f": {purpose}" if purpose else ""
        if self.swap:
            text = (f"Folder data {self.data_dir.root} sedang dipulihkan dari cadangan "
                    f"({who}{doing}). Tunggu sampai pemulihan selesai, lalu coba lagi.")
        else:
            text = (f"Folder data {self.data_dir.root} sedang dipakai untuk menulis oleh "
                    f"Kinerja Desktop ({who}{doing}). Hanya satu program boleh mengubah data "
                    "dalam satu folder: tutup program itu atau tunggu sampai selesai, lalu "
                    "coba lagi.")
        return DataFolderBusy(text, pid or None, host or None)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with _HELD_GUARD:
            if _HELD.get(self._key()) is self:
                del _HELD[self._key()]
        try:
            if not self.shared:
                # Remove the file while still holding the lock; a waiting process notices
                # (see _try_once) and locks the new file instead.
                try:
                    os.unlink(self.path)
                except OSError:
                    pass
            _os_unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> DataFolderLock:
        return self.acquire()

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _held(lock: DataFolderLock) -> DataFolderLock | None:
    with _HELD_GUARD:
        return _HELD.get(lock._key())


def held_writer(data_dir: DataDir) -> DataFolderLock | None:
    """The writer lock of ``data_dir`` if this process holds it."""
    return _held(DataFolderLock(data_dir))


@contextmanager
def writing(data_dir: DataDir, purpose: str = "menulis data",
            wait_s: float = DEFAULT_WAIT_S) -> Iterator[DataFolderLock]:
    """Hold the writer lock for the block; re-entrant within this process."""
    with _hold(DataFolderLock(data_dir, purpose), wait_s) as lock:
        yield lock


@contextmanager
def swapping(data_dir: DataDir, *, shared: bool,
             wait_s: float = DEFAULT_WAIT_S) -> Iterator[DataFolderLock]:
    """The swap lock: exclusive for a restore, shared for a backup's snapshot.

    Re-entrant within this process (a restore makes its "before" backup while it holds
    the lock; the window's automatic and manual backups may overlap).
    """
    purpose = "membuat cadangan" if shared else "memulihkan data"
    with _hold(DataFolderLock(data_dir, purpose, swap=True, shared=shared), wait_s) as lock:
        yield lock


# Serialises taking and leaving nested locks within this process (never held by release()).
_NESTING = threading.Lock()


@contextmanager
def _hold(lock: DataFolderLock, wait_s: float) -> Iterator[DataFolderLock]:
    with _NESTING:
        existing = _held(lock)
        if existing is None:
            lock.acquire(wait_s)
            lock._owned_by_context = True
            existing = lock
        existing._users += 1
    try:
        yield existing
    finally:
        with _NESTING:
            existing._users -= 1
            if existing._users == 0 and existing._owned_by_context:
                existing.release()


def release_all() -> None:
    """Release every lock this process holds (before starting a new copy, at exit)."""
    with _HELD_GUARD:
        held = list(_HELD.values())
    for lock in held:
        lock.release()


# --------------------------------------------------------------------------- claims


class Claim:
    """Marks a working folder (a backup's or a restore's staging) as in use by this process.

    The claim is an exclusive lock on a file in the folder; when the process ends, however
    it ends, the operating system drops it, and :func:`abandoned` then says the folder and
    whatever it records may be removed.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / ".kunci"
        self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _os_lock(self._fd, False):  # a new folder of ours: never contended
            os.close(self._fd)
            self._fd = None
            raise DataFolderBusy(f"Folder kerja {folder} sedang dipakai proses lain.")

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                _os_unlock(fd)
            finally:
                os.close(fd)


def abandoned(folder: Path) -> bool:
    """True when no running process claims ``folder`` (see :class:`Claim`)."""
    path = folder / ".kunci"
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        # Made by an older version, or a moment ago and not yet claimed: give it a minute.
        try:
            return time.time() - folder.stat().st_mtime > 60
        except OSError:
            return False
    except OSError:
        return False
    try:
        if not _os_lock(fd, False):
            return False
        _os_unlock(fd)
        return True
    finally:
        os.close(fd)
