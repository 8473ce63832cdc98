"""Child process for the once-a-day office backup test: one "PC" on a server.

Opens its own data folder on the server, prints ``SIAP`` (flushed), waits for a line on
stdin (the test releases every PC at once), makes the office's daily backup if it is
its turn, and prints the file made or ``-``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kinerja_desktop.services import server_backup
from kinerja_desktop.services.startup import open_existing_context


def main() -> None:
    ctx = open_existing_context(Path(sys.argv[1]), database_url=sys.argv[2])
    try:
        ctx.engine.connect().close()  # connected before the start, as an open window is
        print("SIAP", flush=True)
        sys.stdin.readline()
        made = server_backup.office_daily_backup(ctx)
        print(made if made is not None else "-", flush=True)
    finally:
        ctx.dispose()


if __name__ == "__main__":
    main()
