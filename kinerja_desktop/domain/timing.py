"""Time-standard engine (*mutu baku waktu*) for SOP steps.

All datetimes handled here must be timezone-aware (stored in UTC). Working-day
arithmetic is done on local dates in WITA (UTC+8, Kabupaten Soppeng; Indonesia has
no daylight saving time).

Working time ("Hari") is measured per local day: for every WITA day between start
and end, the part of that 24-hour day lying inside ``[start, end]`` counts if the day
is a working day, and nothing counts otherwise. Started Friday 10:00 WITA, one
working day therefore ends Monday 10:00 WITA.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum
from functools import cache
from types import MappingProxyType

from babel.numbers import format_decimal

__all__ = [
    "CLOCK_SKEW_NOTE",
    "NEAR_LIMIT_FRACTION",
    "OFFICE_DAY_OFF_NAME",
    "WITA",
    "StepStatus",
    "StepTiming",
    "TimeStandard",
    "TimeUnit",
    "WorkCalendar",
    "evaluate",
    "format_duration",
]

WITA = timezone(timedelta(hours=8), "WITA")
"""Waktu Indonesia Tengah (UTC+8), the local time of Kabupaten Soppeng."""

NEAR_LIMIT_FRACTION = 0.8
"""Share of the standard from which a running step is *mendekati batas*."""

OFFICE_DAY_OFF_NAME = "Libur kantor"

_ONE_DAY = timedelta(days=1)
_ONE_MINUTE = timedelta(minutes=1)


class TimeUnit(StrEnum):
    """Unit of a time standard."""

    MENIT = "menit"
    JAM = "jam"
    HARI = "hari"


@dataclass(frozen=True)
class TimeStandard:
    """A step's time standard, e.g. ``60 Menit`` or ``1 Hari``."""

    amount: int
    unit: TimeUnit

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise ValueError(
                f"Besaran mutu baku waktu harus bilangan bulat, bukan {self.amount!r}."
            )
        if self.amount <= 0:
            raise ValueError(f"Besaran mutu baku waktu harus lebih dari 0, tertulis {self.amount}.")
        try:
            unit = TimeUnit(self.unit)
        except ValueError:
            raise ValueError(
                f"Satuan waktu '{self.unit}' tidak dikenal; gunakan menit, jam atau hari."
            ) from None
        object.__setattr__(self, "unit", unit)

    def label(self) -> str:
        """Display text such as ``"60 Menit"``, ``"2 Jam"`` or ``"60 Hari"``."""
        return f"{self.amount} {self.unit.value.capitalize()}"

    def as_timedelta(self) -> timedelta:
        """Wall-clock length of a menit/jam standard (ValueError for hari)."""
        if self.unit is TimeUnit.MENIT:
            return timedelta(minutes=self.amount)
        if self.unit is TimeUnit.JAM:
            return timedelta(hours=self.amount)
        raise ValueError("Mutu baku dalam hari dihitung dengan kalender kerja, bukan durasi tetap.")

    _PATTERN = re.compile(r"^\s*(\d+)\s*(menit|jam|hari)\s*$", re.IGNORECASE)

    @classmethod
    def parse(cls, text: str) -> TimeStandard:
        """Parse ``"60 Menit"``, ``"60 menit"``, ``"2 jam"``, ``"1 Hari"`` (case-insensitive)."""
        match = cls._PATTERN.match(text or "")
        if match is None:
            raise ValueError(
                f"Mutu baku waktu '{text}' tidak dikenali. "
                "Gunakan format seperti '60 Menit', '2 Jam' atau '1 Hari'."
            )
        return cls(int(match.group(1)), TimeUnit(match.group(2).lower()))

    def __str__(self) -> str:
        return self.label()


class StepStatus(StrEnum):
    """Timing status of one step run."""

    BELUM_SIAP = "belum siap"
    SIAP = "siap"
    BERJALAN = "berjalan"
    MENDEKATI_BATAS = "mendekati batas"
    MELEWATI_BATAS = "melewati batas"
    SELESAI_TEPAT_WAKTU = "selesai tepat waktu"
    SELESAI_TERLAMBAT = "selesai terlambat"

    @property
    def label(self) -> str:
        """Capitalised display text, e.g. ``"Mendekati batas"``."""
        return self.value.capitalize()

    @property
    def is_finished(self) -> bool:
        return self in (StepStatus.SELESAI_TEPAT_WAKTU, StepStatus.SELESAI_TERLAMBAT)


def _require_aware(value: datetime, name: str = "Waktu") -> None:
    if not isinstance(value, datetime):
        raise ValueError(f"{name} harus berupa tanggal dan jam, bukan {value!r}.")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} ({value.isoformat(sep=' ')}) tidak memiliki zona waktu; "
            "gunakan waktu UTC yang bertanda zona waktu."
        )


#: Indonesian holidays and cuti bersama generated from the pinned ``holidays`` package
#: (``python -m kinerja_desktop.domain.holiday_table``); a test keeps it equal to the
#: library. Importing ``holidays`` loads every country (~0.3 s), too slow for start-up.
HOLIDAY_TABLE = "calendar/libur-nasional-id.json"


@cache
def _holiday_table() -> dict[int, dict[date, str]]:
    import json

    from kinerja_desktop.paths import resources_dir

    try:
        raw = json.loads((resources_dir() / HOLIDAY_TABLE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {
        int(year): {date.fromisoformat(d): name for d, name in days.items()}
        for year, days in raw.get("years", {}).items()
    }


def library_holidays(year: int) -> dict[date, str]:
    """National holidays and cuti bersama straight from the ``holidays`` package."""
    import holidays

    found = holidays.country_holidays(
        "ID", language="id", years=year, categories=("public", "government")
    )
    return dict(found.items())


@cache
def _national_holidays(year: int) -> Mapping[date, str]:
    """National holidays and cuti bersama of one year, with Indonesian names (cached)."""
    table = _holiday_table()
    days = table[year] if year in table else library_holidays(year)
    return MappingProxyType(days)


class WorkCalendar:
    """Which days count as working days, and working-day arithmetic on WITA dates.

    Working days are Monday to Friday, minus Indonesian national holidays and
    *cuti bersama* (``holidays`` package, categories public and government) and minus
    the office's own days off. With ``calendar_days=True`` every day counts.
    """

    def __init__(self, office_days_off: Iterable[date] = (), calendar_days: bool = False) -> None:
        self._office_days_off = frozenset(office_days_off)
        self._calendar_days = bool(calendar_days)

    @property
    def office_days_off(self) -> frozenset[date]:
        return self._office_days_off

    @property
    def calendar_days(self) -> bool:
        return self._calendar_days

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(office_days_off={sorted(self._office_days_off)!r}, "
            f"calendar_days={self._calendar_days!r})"
        )

    def is_working_day(self, d: date) -> bool:
        """True if ``d`` (a WITA local date) counts as a working day."""
        if isinstance(d, datetime):
            d = d.date()
        if self._calendar_days:
            return True
        if d.weekday() >= 5:
            return False
        if d in self._office_days_off:
            return False
        return d not in _national_holidays(d.year)

    def holiday_name(self, d: date) -> str | None:
        """National holiday / cuti bersama name, ``"Libur kantor"``, or None."""
        if isinstance(d, datetime):
            d = d.date()
        name = _national_holidays(d.year).get(d)
        if name is not None:
            return name
        if d in self._office_days_off:
            return OFFICE_DAY_OFF_NAME
        return None

    def working_time(self, start: datetime, end: datetime) -> timedelta:
        """Exact working time in ``[start, end]`` (a day of work = ``timedelta(days=1)``).

        Signed: returns the negated value when ``end`` is before ``start``.
        """
        _require_aware(start, "Waktu mulai")
        _require_aware(end, "Waktu akhir")
        if end < start:
            return -self.working_time(end, start)
        if self._calendar_days:
            return end - start
        local_start = start.astimezone(WITA)
        local_end = end.astimezone(WITA)
        total = timedelta(0)
        day = local_start.date()
        while day <= local_end.date():
            if self.is_working_day(day):
                day_start = datetime.combine(day, time(0), WITA)
                day_end = day_start + _ONE_DAY
                overlap = min(local_end, day_end) - max(local_start, day_start)
                if overlap > timedelta(0):
                    total += overlap
            day += _ONE_DAY
        return total

    def working_days_used(self, start: datetime, end: datetime) -> float:
        """Working days elapsed between ``start`` and ``end`` (fractional, signed)."""
        return self.working_time(start, end) / _ONE_DAY

    def add_working_days(self, start: datetime, days: float) -> datetime:
        """The moment at which ``days`` working days have elapsed since ``start`` (UTC).

        Non-working days are skipped entirely, so a deadline never lies inside one.
        A deadline that ends exactly at midnight closing a working day is returned as
        that midnight (the end of the working day), even if the next day is off.
        """
        _require_aware(start, "Waktu mulai")
        if isinstance(days, bool) or not math.isfinite(days):
            raise ValueError(f"Jumlah hari kerja tidak valid: {days!r}.")
        if days < 0:
            raise ValueError(f"Jumlah hari kerja tidak boleh negatif, tertulis {days}.")
        remaining = timedelta(days=days)
        if self._calendar_days or remaining == timedelta(0):
            return (start + remaining).astimezone(UTC)
        current = start.astimezone(WITA)
        while True:
            day = current.date()
            day_end = datetime.combine(day + _ONE_DAY, time(0), WITA)
            if self.is_working_day(day):
                available = day_end - current
                if remaining <= available:
                    return (current + remaining).astimezone(UTC)
                remaining -= available
            current = day_end


CLOCK_SKEW_NOTE = "waktu tercatat mundur: jam komputer tidak selaras"
"""Shown next to a timing whose recorded times run backwards (see StepTiming.clock_skew)."""


def flagged_status(status: StepStatus, clock_skew: bool) -> str:
    """``status``'s label, flagged with :data:`CLOCK_SKEW_NOTE` when the recorded times
    run backwards."""
    return f"{status.label} ({CLOCK_SKEW_NOTE})" if clock_skew else status.label


@dataclass(frozen=True)
class StepTiming:
    """Result of :func:`evaluate` for one step run."""

    status: StepStatus
    waiting: timedelta | None
    work: timedelta | None
    used: float | None
    used_fraction: float | None
    deadline: datetime | None
    #: A recorded time lies before the one it follows (started before ready, finished
    #: before started, finished without a start): a PC's clock was wrong when it was
    #: recorded. The backwards interval counts as zero; the timing is shown flagged.
    clock_skew: bool = False

    @property
    def status_text(self) -> str:
        """The status label, flagged when the recorded times run backwards."""
        return flagged_status(self.status, self.clock_skew)

    def used_label(self, unit: TimeUnit, *, calendar_days: bool = False) -> str:
        """``used`` as Indonesian text in ``unit`` (``"-"`` when not started).

        Under a day, a day-standard step also reads in jam and menit ("2 jam 5 menit",
        not "0,09 hari kerja").
        """
        if self.used is None:
            return "-"
        if TimeUnit(unit) is TimeUnit.HARI and self.used < 1:
            return _format_wall_clock(timedelta(days=self.used))
        return format_duration(self.used, unit, calendar_days=calendar_days)

    def natural_used_label(self, unit: TimeUnit, *, calendar_days: bool = False) -> str:
        """Time used against the standard in natural units (``"5 jam"``, ``"3 hari kerja"``;
        working time for a standard in days), ``"-"`` when not started."""
        if self.used is None:
            return "-"
        if TimeUnit(unit) is TimeUnit.HARI:
            word = "hari" if calendar_days else "hari kerja"
            return natural_duration(timedelta(days=self.used), day_word=word)
        return natural_duration(timedelta(minutes=self.used) if TimeUnit(unit) is TimeUnit.MENIT
                                else timedelta(hours=self.used))

    def waiting_label(self) -> str:
        """Waiting time (siap → mulai) in natural units, ``"-"`` when unknown."""
        if self.waiting is None:
            return "-"
        return natural_duration(self.waiting)


def evaluate(
    standard: TimeStandard,
    ready_at: datetime | None,
    started_at: datetime | None,
    finished_at: datetime | None,
    now: datetime,
    calendar: WorkCalendar,
) -> StepTiming:
    """Evaluate a step run against its time standard at moment ``now``.

    The clock starts at ``started_at``; ``waiting`` is ``started_at - ready_at``.
    A running step whose ``now`` lies before ``started_at`` (clock skew) counts as
    zero time used. Times recorded out of order (a start before ready, a finish before
    the start, a finish without a start: a PC's clock was wrong) never raise: the
    backwards interval counts as zero and the result has ``clock_skew`` set. Raises
    ValueError only for naive datetimes.
    """
    _require_aware(now, "Waktu sekarang")
    for value, name in (
        (ready_at, "Waktu siap"),
        (started_at, "Waktu mulai"),
        (finished_at, "Waktu selesai"),
    ):
        if value is not None:
            _require_aware(value, name)
    skew = False
    if finished_at is not None and started_at is None:
        started_at, skew = finished_at, True
    if started_at is not None and ready_at is not None and started_at < ready_at:
        skew = True
    if finished_at is not None and started_at is not None and finished_at < started_at:
        finished_at, skew = started_at, True

    if started_at is None:
        status = StepStatus.SIAP if ready_at is not None else StepStatus.BELUM_SIAP
        return StepTiming(status, None, None, None, None, None)

    waiting = max(started_at - ready_at, timedelta(0)) if ready_at is not None else None
    end = finished_at if finished_at is not None else max(now, started_at)
    work = end - started_at

    if standard.unit is TimeUnit.HARI:
        used_time = calendar.working_time(started_at, end)
        limit = timedelta(days=standard.amount)
        used = used_time / _ONE_DAY
        deadline = calendar.add_working_days(started_at, standard.amount)
    else:
        used_time = work
        limit = standard.as_timedelta()
        unit_length = _ONE_MINUTE if standard.unit is TimeUnit.MENIT else timedelta(hours=1)
        used = used_time / unit_length
        deadline = (started_at + limit).astimezone(UTC)
    fraction = used_time / limit

    if finished_at is not None:
        status = (
            StepStatus.SELESAI_TEPAT_WAKTU if used_time <= limit else StepStatus.SELESAI_TERLAMBAT
        )
    elif used_time > limit:
        status = StepStatus.MELEWATI_BATAS
    elif _near_limit(used_time, limit):
        status = StepStatus.MENDEKATI_BATAS
    else:
        status = StepStatus.BERJALAN
    return StepTiming(status, waiting, work, used, fraction, deadline, skew)


def aggregate_status(statuses: Sequence[StepStatus]) -> StepStatus:
    """The status of a per-team step from its teams' statuses, told honestly.

    All finished: finished (late when any team was late). Otherwise the most urgent
    open status (melewati, then mendekati batas); a step where any team has started or
    finished is *berjalan*, never back to siap or belum siap; else siap when any team
    may start, else belum siap (also without teams).
    """
    if statuses and all(s.is_finished for s in statuses):
        late = StepStatus.SELESAI_TERLAMBAT in statuses
        return StepStatus.SELESAI_TERLAMBAT if late else StepStatus.SELESAI_TEPAT_WAKTU
    for urgent in (StepStatus.MELEWATI_BATAS, StepStatus.MENDEKATI_BATAS):
        if urgent in statuses:
            return urgent
    if any(s is StepStatus.BERJALAN or s.is_finished for s in statuses):
        return StepStatus.BERJALAN
    if StepStatus.SIAP in statuses:
        return StepStatus.SIAP
    return StepStatus.BELUM_SIAP


def _near_limit(used_time: timedelta, limit: timedelta) -> bool:
    """Exact ``used/limit >= NEAR_LIMIT_FRACTION`` on microseconds (no float drift)."""
    ratio = Decimal(str(NEAR_LIMIT_FRACTION))
    used_us = Decimal(used_time // timedelta(microseconds=1))
    limit_us = Decimal(limit // timedelta(microseconds=1))
    return used_us >= ratio * limit_us


def format_duration(
    value: timedelta | float | int | Decimal,
    unit: TimeUnit | None = None,
    *,
    calendar_days: bool = False,
) -> str:
    """Indonesian text for a duration.

    - ``timedelta`` (``unit`` ignored) or a number of ``MENIT``/``JAM``: a wall-clock
      breakdown such as ``"45 menit"``, ``"1 jam 30 menit"``, ``"2 hari 3 jam"``.
    - A number of ``HARI``: ``"12,5 hari kerja"``, or ``"12,5 hari"`` when
      ``calendar_days`` is set (up to 2 decimals).

    Values are rounded *up* (to the whole minute, or to 0,01 day) so the text never
    understates time used: a step shown as ``"60 menit"`` of a 60-minute standard is
    on time, ``"61 menit"`` is late. Negative values get a leading ``"-"``.
    """
    if isinstance(value, timedelta):
        return _format_wall_clock(value)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"Durasi tidak valid: {value!r}.")
    if unit is None:
        raise ValueError("Satuan waktu wajib diisi untuk durasi berupa angka.")
    unit = TimeUnit(unit)
    amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"Durasi tidak valid: {value!r}.")
    if unit is TimeUnit.MENIT:
        return _format_wall_clock(timedelta(minutes=float(amount)))
    if unit is TimeUnit.JAM:
        return _format_wall_clock(timedelta(hours=float(amount)))
    sign = "-" if amount < 0 else ""
    rounded = abs(amount).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
    text = format_decimal(rounded, format="#,##0.##", locale="id")
    suffix = "hari" if calendar_days else "hari kerja"
    if rounded == 0:
        sign = ""
    return f"{sign}{text} {suffix}"


def natural_duration(td: timedelta, *, day_word: str = "hari") -> str:
    """A duration in the unit a reader expects: ``"16 menit"``, ``"5 jam"``,
    ``"5 jam 10 menit"``, ``"3 hari kerja"``, ``"3 hari kerja 4 jam"``.

    Under a day it is hours and minutes; from a day on, days (``day_word``: "hari" or
    "hari kerja") and whole hours, minutes dropped. Rounded up, so the text never
    understates the time. A negative duration gets a leading ``"-"``.
    """
    sign = "-" if td < timedelta(0) else ""
    magnitude = abs(td)
    minutes = -(-magnitude // _ONE_MINUTE)
    if minutes < 24 * 60:
        return sign + _format_wall_clock(timedelta(minutes=minutes))
    hours = -(-minutes // 60)
    days, hours = divmod(hours, 24)
    text = f"{days} {day_word}" + (f" {hours} jam" if hours else "")
    return sign + text


def _format_wall_clock(td: timedelta) -> str:
    sign = "-" if td < timedelta(0) else ""
    magnitude = abs(td)
    minutes = -(-magnitude // _ONE_MINUTE)  # ceiling division on timedeltas
    if minutes == 0:
        return "0 menit"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} hari")
    if hours:
        parts.append(f"{hours} jam")
    if mins:
        parts.append(f"{mins} menit")
    return sign + " ".join(parts)
