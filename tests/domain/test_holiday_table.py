"""The shipped holiday table equals what the pinned ``holidays`` package says."""

from __future__ import annotations

import json

from kinerja_desktop.domain import holiday_table, timing
from kinerja_desktop.paths import resources_dir


def test_table_matches_the_library():
    shipped = json.loads((resources_dir() / timing.HOLIDAY_TABLE).read_text(encoding="utf-8"))
    assert shipped == holiday_table.build_table()


def test_calendar_uses_table_and_falls_back_to_library():
    from datetime import date

    cal = timing.WorkCalendar()
    assert cal.holiday_name(date(2025, 8, 17)) is not None
    assert cal.holiday_name(date(2050, 8, 17)) is not None  # outside the table: the library
    assert not cal.is_working_day(date(2017, 6, 27))  # cuti bersama
