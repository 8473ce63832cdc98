"""Property: arbitrary cell values never crash the importer nor reach the DB unvalidated."""

from __future__ import annotations

import math
from datetime import datetime

from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from kinerja_desktop.services import entries, workbooks
from kinerja_desktop.services.entries import MAX_SHORT_TEXT, MAX_TEXT
from kinerja_desktop.spreadsheets import format_workbook as fw

text = st.text(max_size=60).filter(lambda s: not ILLEGAL_CHARACTERS_RE.search(s))
cell_value = st.one_of(
    st.none(),
    text,
    st.sampled_from(["=1+1", "=SUM(A1:A3)", "+62", "-5", "@x", "1.234,5", "4.25", "1e5",
                     "  12  ", "x" * (MAX_TEXT + 1), "-0", "100%"]),
    st.integers(min_value=-10**18, max_value=10**18),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2100, 1, 1)),
)
INPUT_COLUMNS = [fw.COLUMN_INDEX[k] for k in fw.INPUT_KEYS]


#: The issue's overflow: Pagu 0,000000001 with Realisasi anggaran 10^15 (both inside the
#: range accepted then) imported, and the team's data could no longer be listed.
OVERFLOW = [None, "0,000000001", 1e15, None, None, None, None, None, None]
#: A third computed in Excel and pasted as a value: 16 significant digits, more than a
#: stored number keeps exactly (refused, like the window refuses it).
TOO_PRECISE = [1 / 3, None, None, None, None, None, None, None, None]
#: 15 significant digits at both ends of the range: accepted, stored as typed.
FIFTEEN_DIGITS = [123456789012.345, "0,000001", "999.999.999.999.999", None, None, None,
                  None, None, None]


@seed(20261202)
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@example(values=[OVERFLOW])
@example(values=[TOO_PRECISE])
@example(values=[FIFTEEN_DIGITS])
@example(values=[[1e15, 1e-6, 1e15, "Naik turun", None, None, None, None, None]])
@given(values=st.lists(st.lists(cell_value, min_size=len(INPUT_COLUMNS),
                                max_size=len(INPUT_COLUMNS)), min_size=1, max_size=3))
def test_arbitrary_cells_never_crash_nor_bypass_validation(fresh_state, xl, tmp_path, values):
    state = fresh_state()  # a fresh database for every example
    content = workbooks.export_team_workbook(state.ctx, state.kasubag, state.cycle_id,
                                             state.team_id)
    book = xl.load(content)
    ws = book[fw.SHEET_DATA]
    rows = xl.item_rows(ws)
    for row, row_values in zip(rows, values, strict=False):
        for column, value in zip(INPUT_COLUMNS, row_values, strict=True):
            ws.cell(row, column).value = value
    path = xl.save(book, tmp_path / "acak.xlsx")
    before = [i.values for i in entries.list_team_items(state.ctx, state.cycle_id,
                                                         state.team_id)]

    report = workbooks.import_workbook(state.ctx, state.member, path)

    # Whatever happened, the team's data can be listed: every value computes and prints.
    after = entries.list_team_items(state.ctx, state.cycle_id, state.team_id)
    for item in after:
        assert item.achievement.status_label() and item.absorption.status_label()
    if values == [OVERFLOW]:
        assert not report.ok and any("terlalu kecil" in e.message for e in report.errors)
    if values == [TOO_PRECISE]:
        assert not report.ok and any("terlalu rinci (16 angka penting" in e.message
                                     for e in report.errors)
    if values == [FIFTEEN_DIGITS]:
        assert report.ok, report.errors
        stored = after[0].values
        assert (stored.actual, stored.budget, stored.spent) == (123456789012.345, 1e-6,
                                                                999999999999999.0)
    if not report.ok:
        assert not report.applied
        assert [i.values for i in after] == before  # all or nothing
        assert all(e.message for e in report.errors)
        return
    for item in after:
        v = item.values
        for number in (v.actual, v.budget, v.spent, v.manual_achievement):
            assert number is None or (isinstance(number, float) and math.isfinite(number))
        assert v.actual is None or abs(v.actual) <= fw.MAX_NUMBER
        assert v.budget is None or 0 <= v.budget <= fw.MAX_NUMBER
        assert v.spent is None or 0 <= v.spent <= fw.MAX_NUMBER
        assert v.manual_achievement is None or (
            0 <= v.manual_achievement <= fw.MAX_MANUAL_ACHIEVEMENT
            and v.manual_justification.strip())
        assert len(v.actual_text) <= MAX_SHORT_TEXT
        for t in (v.explanation, v.supporting, v.inhibiting, v.follow_up,
                  v.manual_justification):
            assert isinstance(t, str) and len(t) <= MAX_TEXT and t == t.strip()
    # what was imported is exactly what the cells said (numbers as numbers)
    for row, row_values, item in zip(rows, values, after, strict=False):
        actual = row_values[0]
        if isinstance(actual, int | float) and not isinstance(actual, bool):
            # The cell holds what openpyxl wrote: 16 significant digits ("%.16g").
            assert item.values.actual == float(f"{actual:.16g}"), (row, actual)
        if actual is None:
            assert item.values.actual is None
