"""Child process for test_single_instance: takes the data directory's lock and waits.

Prints ``TERKUNCI`` once the lock is held, then waits for a line on stdin (or SIGKILL).
"""

from __future__ import annotations

import sys
from pathlib import Path

from kinerja_desktop.paths import DataDir
from kinerja_desktop.ui.instance import InstanceLock


def main() -> None:
    lock = InstanceLock(DataDir(Path(sys.argv[1]))).acquire()
    print("TERKUNCI", flush=True)
    sys.stdin.readline()
    lock.release()


if __name__ == "__main__":
    main()
