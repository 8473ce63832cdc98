"""The comparison with earlier years in the Dokumen Data Kinerja, and its frozen copy.

Per indicator and earlier year the document prints the realisasi (and capaian) of the
earlier cycle in the application when that cycle holds the indicator's realisasi,
otherwise the realisasi typed in the indicator master for that year
(``services.earlier_years``). A closing (step 7) freezes what it printed in its
``RecordVersion.earlier_years``: later edits of earlier-year values, or of an earlier
cycle reopened for correction, never change a closed year's document.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

#: How many earlier years the comparison shows at most.
MAX_YEARS = 3


@dataclass(frozen=True)
class PreviousYearValue:
    year: int
    actual_value: Decimal | None
    actual_label: str
    achievement_value: Decimal | None
    achievement_label: str


def compared_years(cycle_years: Iterable[int], typed_years: Iterable[int]) -> tuple[int, ...]:
    """The (at most three) latest earlier years with a cycle or a typed realisasi."""
    return tuple(sorted({*cycle_years, *typed_years})[-MAX_YEARS:])


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def freeze(years: tuple[int, ...], rows: Iterable[tuple[int, Iterable[PreviousYearValue]]],
           missing_label: str) -> dict[str, Any]:
    """The comparison as JSON: ``rows`` holds (indicator id, its values per year); a value
    with nothing to print (``missing_label`` and no number) is left out."""
    values = []
    for indicator_id, history in rows:
        for v in history:
            if (v.actual_value is None and v.achievement_value is None
                    and v.actual_label == missing_label
                    and v.achievement_label == missing_label):
                continue
            values.append([indicator_id, v.year, _text(v.actual_value), v.actual_label,
                           _text(v.achievement_value), v.achievement_label])
    return {"tahun": list(years), "nilai": values}


def thaw(frozen: Mapping[str, Any]
         ) -> tuple[tuple[int, ...], dict[tuple[int, int], PreviousYearValue]]:
    """The years and values a closing froze (see :func:`freeze`)."""
    years = tuple(int(y) for y in frozen.get("tahun", ()))
    values = {}
    for indicator_id, year, actual, actual_label, achievement, achievement_label in \
            frozen.get("nilai", ()):
        values[(int(indicator_id), int(year))] = PreviousYearValue(
            int(year), _number(actual), actual_label, _number(achievement), achievement_label)
    return years, values


def years_with_achievement(years: tuple[int, ...], histories: Iterable[Iterable[PreviousYearValue]],
                           missing_label: str = "-") -> tuple[bool, ...]:
    """Per earlier year, whether any indicator has a capaian to print for it (a year known
    only by realisasi typed from an earlier LKjIP has none: its tables show no capaian
    column for it)."""
    found = [False] * len(years)
    for history in histories:
        for i, value in enumerate(history):
            if value.achievement_label not in ("", missing_label):
                found[i] = True
    return tuple(found)
