"""Child process for test_crash_kill: writes changes one transaction at a time, forever.

After each commit it prints ``OK <n>`` (flushed): that change is committed. The test
kills it with SIGKILL in the middle of the burst.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from kinerja_desktop.services import accounts, office, teams
from kinerja_desktop.services.startup import open_context


def main() -> None:
    root = Path(sys.argv[1])
    ctx = open_context(root)
    admin = next(p.id for p in accounts.list_people(ctx) if p.username == "admin")
    n = 0
    print("SIAP", flush=True)
    while True:
        office.add_day_off(ctx, admin, date(2030, 1, 1) + timedelta(days=n), f"Libur uji {n}")
        teams.create_team(ctx, admin, f"Tim Uji {n}", "Bidang Uji")
        print(f"OK {n}", flush=True)
        n += 1


if __name__ == "__main__":
    main()
