"""Property: arbitrary cell values never crash the importer nor reach the DB unvalidated."""

from __future__ import annotations

import math
from datetime import datetime

from hypothesis import HealthCheck, given, settings
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


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(values=st.lists(st.lists(cell_value, min_size=len(INPUT_COLUMNS),
                                max_size=len(INPUT_COLUMNS)), min_size=1, max_size=3))
def test_arbitrary_cells_never_crash_nor_bypass_validation(state, xl, tmp_path, values):
    if not hasattr(state, "content"):
        state.content = workbooks.export_team_workbook(state.ctx, state.kasubag,
                                                       state.cycle_id, state.team_id)
    book = xl.load(state.content)
    ws = book[fw.SHEET_DATA]
    rows = xl.item_rows(ws)
    for row, row_values in zip(rows, values, strict=False):
        for column, value in zip(INPUT_COLUMNS, row_values, strict=True):
            ws.cell(row, column).value = value
    path = xl.save(book, tmp_path / "acak.xlsx")
    before = [i.values for i in entries.list_team_items(state.ctx, state.cycle_id,
                                                         state.team_id)]

    report = workbooks.import_workbook(state.ctx, state.member, path)

    after = entries.list_team_items(state.ctx, state.cycle_id, state.team_id)
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
