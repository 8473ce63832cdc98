"""Regenerate ``resources/calendar/libur-nasional-id.json`` from the ``holidays`` package.

Run after upgrading ``holidays``: ``python -m kinerja_desktop.domain.holiday_table``.
"""

from __future__ import annotations

import json
import sys

FIRST_YEAR, LAST_YEAR = 2015, 2040


def build_table() -> dict:
    import holidays

    from kinerja_desktop.domain.timing import library_holidays

    return {
        "source": f"holidays {holidays.__version__}, country_holidays('ID', language='id', "
        "categories=('public', 'government'))",
        "years": {
            str(year): {d.isoformat(): name for d, name in sorted(library_holidays(year).items())}
            for year in range(FIRST_YEAR, LAST_YEAR + 1)
        },
    }


def main() -> int:
    from kinerja_desktop.atomic import atomic_write_text
    from kinerja_desktop.domain.timing import HOLIDAY_TABLE
    from kinerja_desktop.paths import resources_dir

    target = resources_dir() / HOLIDAY_TABLE
    atomic_write_text(target, json.dumps(build_table(), ensure_ascii=False, indent=1) + "\n")
    print(f"Ditulis: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
