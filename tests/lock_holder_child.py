"""Child process for the lock tests: takes a data folder's lock, then waits.

``python lock_holder_child.py DIR [writer|swap]`` prints ``TERKUNCI`` once the lock is
held (and ``QT`` if anything imported Qt, which the lock must not), then waits for a
line on stdin (or SIGKILL) and releases it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kinerja_desktop.locking import DataFolderLock
from kinerja_desktop.paths import DataDir


def main() -> None:
    mode = sys.argv[2] if len(sys.argv) > 2 else "writer"
    data_dir = DataDir(Path(sys.argv[1]))
    if mode == "swap":
        lock = DataFolderLock(data_dir, "memulihkan data", swap=True).acquire()
    else:
        lock = DataFolderLock(data_dir, "jendela aplikasi terbuka").acquire()
    qt = any(name.startswith(("PySide6", "shiboken6")) for name in sys.modules)
    print("QT" if qt else "TERKUNCI", flush=True)
    sys.stdin.readline()
    lock.release()


if __name__ == "__main__":
    main()
