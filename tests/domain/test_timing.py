"""Tests for the time-standard engine (kinerja_desktop.domain.timing)."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinerja_desktop.domain.timing import (
    NEAR_LIMIT_FRACTION,
    WITA,
    StepStatus,
    StepTiming,
    TimeStandard,
    TimeUnit,
    WorkCalendar,
    evaluate,
    format_duration,
)


def wita(*args: int) -> datetime:
    """An aware datetime given in WITA local time."""
    return datetime(*args, tzinfo=WITA)


CAL = WorkCalendar()
MENIT_60 = TimeStandard(60, TimeUnit.MENIT)
HARI_60 = TimeStandard(60, TimeUnit.HARI)


# --- TimeStandard -------------------------------------------------------------------


def test_wita_is_utc_plus_8():
    assert WITA.utcoffset(None) == timedelta(hours=8)
    assert wita(2017, 1, 9, 8, 0).astimezone(UTC) == datetime(2017, 1, 9, 0, 0, tzinfo=UTC)
    assert NEAR_LIMIT_FRACTION == 0.8


@pytest.mark.parametrize(
    ("amount", "unit", "label"),
    [
        (60, TimeUnit.MENIT, "60 Menit"),
        (2, TimeUnit.JAM, "2 Jam"),
        (60, TimeUnit.HARI, "60 Hari"),
        (1, TimeUnit.HARI, "1 Hari"),
        (120, TimeUnit.MENIT, "120 Menit"),
    ],
)
def test_label(amount, unit, label):
    standard = TimeStandard(amount, unit)
    assert standard.label() == label
    assert str(standard) == label
    assert TimeStandard.parse(label) == standard


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("60 Menit", TimeStandard(60, TimeUnit.MENIT)),
        ("60 menit", TimeStandard(60, TimeUnit.MENIT)),
        ("60 MENIT", TimeStandard(60, TimeUnit.MENIT)),
        ("1 Hari", TimeStandard(1, TimeUnit.HARI)),
        ("2 jam", TimeStandard(2, TimeUnit.JAM)),
        ("  30   Menit ", TimeStandard(30, TimeUnit.MENIT)),
        ("60menit", TimeStandard(60, TimeUnit.MENIT)),
    ],
)
def test_parse_valid(text, expected):
    assert TimeStandard.parse(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "Menit", "60", "60 detik", "0 Menit", "-5 Menit", "1,5 Jam", "satu hari", "60 Menit x"],
)
def test_parse_invalid(text):
    with pytest.raises(ValueError, match="Mutu baku waktu|lebih dari 0"):
        TimeStandard.parse(text)


@pytest.mark.parametrize("amount", [0, -1, 1.5, True, "60"])
def test_invalid_amount(amount):
    with pytest.raises(ValueError, match="Besaran mutu baku waktu"):
        TimeStandard(amount, TimeUnit.MENIT)


def test_unit_string_coerced_and_bad_unit_rejected():
    assert TimeStandard(5, "menit").unit is TimeUnit.MENIT
    with pytest.raises(ValueError, match="Satuan waktu"):
        TimeStandard(5, "minggu")


def test_as_timedelta():
    assert MENIT_60.as_timedelta() == timedelta(hours=1)
    assert TimeStandard(2, TimeUnit.JAM).as_timedelta() == timedelta(hours=2)
    with pytest.raises(ValueError):
        HARI_60.as_timedelta()


# --- WorkCalendar ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2017, 8, 16), True),  # Wednesday
        (date(2017, 8, 17), False),  # Hari Kemerdekaan (Thursday)
        (date(2017, 8, 18), True),  # Friday
        (date(2017, 8, 19), False),  # Saturday
        (date(2017, 8, 20), False),  # Sunday
        (date(2017, 9, 1), False),  # Idul Adha (Friday)
        (date(2017, 6, 27), False),  # cuti bersama Idul Fitri (Tuesday)
        (date(2025, 8, 18), False),  # cuti bersama Hari Kemerdekaan 2025 (Monday)
        (date(2025, 8, 19), True),
        (date(2025, 12, 25), False),  # Natal
    ],
)
def test_is_working_day(day, working):
    assert CAL.is_working_day(day) is working


def test_calendar_days_counts_every_day():
    cal = WorkCalendar(calendar_days=True)
    assert cal.calendar_days
    for day in (date(2017, 8, 17), date(2017, 8, 19), date(2017, 8, 20)):
        assert cal.is_working_day(day)


def test_office_day_off():
    cal = WorkCalendar(office_days_off=[date(2017, 8, 16)])
    assert cal.office_days_off == frozenset({date(2017, 8, 16)})
    assert not cal.is_working_day(date(2017, 8, 16))
    assert CAL.is_working_day(date(2017, 8, 16))


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2017, 8, 17), "Hari Kemerdekaan Republik Indonesia"),
        (date(2017, 1, 1), "Tahun Baru Masehi"),
        (date(2017, 6, 27), "Cuti Bersama Hari Raya Idul Fitri"),
        (date(2017, 8, 16), "Libur kantor"),
        (date(2017, 8, 19), None),  # plain Saturday
        (date(2017, 8, 15), None),
    ],
)
def test_holiday_name(day, name):
    cal = WorkCalendar(office_days_off={date(2017, 8, 16)})
    assert cal.holiday_name(day) == name


# --- working_days_used / add_working_days ---------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # same working day, 6 hours
        (wita(2017, 8, 15, 8), wita(2017, 8, 15, 14), 0.25),
        # Friday 10:00 -> Monday 10:00 is exactly one working day
        (wita(2017, 8, 11, 10), wita(2017, 8, 14, 10), 1.0),
        # Friday 10:00 -> Saturday 12:00: only Friday's remaining 14 h count
        (wita(2017, 8, 11, 10), wita(2017, 8, 12, 12), 14 / 24),
        # Wednesday 08:00 -> Friday 08:00 across the 17 August holiday: 16 h + 8 h
        (wita(2017, 8, 16, 8), wita(2017, 8, 18, 8), 1.0),
        # Wednesday 08:00 -> Thursday 17 August 20:00: the holiday adds nothing
        (wita(2017, 8, 16, 8), wita(2017, 8, 17, 20), 16 / 24),
        # whole weekend
        (wita(2017, 8, 19, 0), wita(2017, 8, 21, 0), 0.0),
        # equal instants
        (wita(2017, 8, 15, 8), wita(2017, 8, 15, 8), 0.0),
        # reversed order is negative
        (wita(2017, 8, 14, 10), wita(2017, 8, 11, 10), -1.0),
    ],
)
def test_working_days_used_table(start, end, expected):
    assert CAL.working_days_used(start, end) == pytest.approx(expected)


def test_working_days_used_is_measured_in_wita_dates():
    # 16:00 UTC Friday = 00:00 WITA Saturday: nothing of that span is a working day in WITA.
    start = datetime(2017, 8, 11, 16, 0, tzinfo=UTC)
    end = datetime(2017, 8, 13, 15, 0, tzinfo=UTC)  # Sunday 23:00 WITA
    assert CAL.working_days_used(start, end) == 0.0
    # Another zone in the input gives the same result for the same instants.
    plus_seven = timezone(timedelta(hours=7))
    assert CAL.working_days_used(
        wita(2017, 8, 11, 10).astimezone(plus_seven), wita(2017, 8, 14, 10).astimezone(plus_seven)
    ) == pytest.approx(1.0)


def test_working_days_used_calendar_mode():
    cal = WorkCalendar(calendar_days=True)
    assert cal.working_days_used(wita(2017, 8, 11, 10), wita(2017, 8, 14, 10)) == 3.0


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (wita(2017, 8, 11, 10), 1, wita(2017, 8, 14, 10)),  # Friday -> Monday
        (wita(2017, 8, 14, 10), 1, wita(2017, 8, 15, 10)),
        (wita(2017, 8, 14, 10), 0.5, wita(2017, 8, 14, 22)),
        # Wednesday + 5 skips 17 August (Thu) and the weekend
        (wita(2017, 8, 16, 8), 5, wita(2017, 8, 24, 8)),
        # started on a Saturday: the clock runs from Monday 00:00
        (wita(2017, 8, 19, 10), 1, wita(2017, 8, 22, 0)),
        (wita(2017, 8, 19, 10), 1.5, wita(2017, 8, 22, 12)),
        # ends exactly at the midnight closing Friday: stays there
        (wita(2017, 8, 18, 0), 1, wita(2017, 8, 19, 0)),
        # zero days returns the start itself
        (wita(2017, 8, 19, 10), 0, wita(2017, 8, 19, 10)),
    ],
)
def test_add_working_days_table(start, days, expected):
    result = CAL.add_working_days(start, days)
    assert result == expected
    assert result.utcoffset() == timedelta(0)


def test_add_working_days_sixty_days_across_holidays_2017():
    # Hand count from Monday 7 Aug 2017: holidays 17 Aug (Thu), 1 Sep (Fri, Idul Adha),
    # 21 Sep (Thu, Tahun Baru Islam) and weekends skipped -> the 60th working day after
    # 7 Aug is Thursday 2 Nov 2017.
    start = wita(2017, 8, 7, 8)
    deadline = CAL.add_working_days(start, 60)
    assert deadline == wita(2017, 11, 2, 8)
    assert deadline == datetime(2017, 11, 2, 0, 0, tzinfo=UTC)
    assert CAL.working_days_used(start, deadline) == pytest.approx(60)
    # Calendar-day mode: plain 60 days.
    assert WorkCalendar(calendar_days=True).add_working_days(start, 60) == wita(2017, 10, 6, 8)


def test_add_working_days_office_day_off():
    cal = WorkCalendar(office_days_off=[date(2017, 8, 16)])
    # Tue 15 08:00: 2/3 of Tue, Wed off, Thu holiday, Fri 1, Mon 1, then 8 h on Tue 22.
    assert cal.add_working_days(wita(2017, 8, 15, 8), 3) == wita(2017, 8, 22, 8)
    assert CAL.add_working_days(wita(2017, 8, 15, 8), 3) == wita(2017, 8, 21, 8)


def test_add_working_days_rejects_negative():
    with pytest.raises(ValueError, match="negatif"):
        CAL.add_working_days(wita(2017, 8, 15, 8), -1)


def test_deadline_never_inside_non_working_day():
    for hour in range(0, 24, 3):
        for offset in range(0, 14):
            start = wita(2017, 8, 7, hour) + timedelta(days=offset)
            for days in (0.25, 1, 2.5, 5):
                deadline = CAL.add_working_days(start, days).astimezone(WITA)
                if deadline.time() != datetime.min.time():
                    assert CAL.is_working_day(deadline.date()), (start, days, deadline)
                else:
                    # midnight: the end of the previous day, which must be a working day
                    assert CAL.is_working_day(deadline.date() - timedelta(days=1))


aware_datetimes = st.datetimes(
    min_value=datetime(2016, 1, 1), max_value=datetime(2027, 12, 31)
).map(lambda dt: dt.replace(tzinfo=UTC))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=aware_datetimes,
    days=st.floats(min_value=0, max_value=90, allow_nan=False, allow_infinity=False),
    office_off=st.sets(
        st.dates(min_value=date(2016, 1, 1), max_value=date(2028, 6, 30)), max_size=10
    ),
    calendar_days=st.booleans(),
)
def test_add_then_measure_is_identity(start, days, office_off, calendar_days):
    cal = WorkCalendar(office_days_off=office_off, calendar_days=calendar_days)
    deadline = cal.add_working_days(start, days)
    assert deadline >= start
    assert cal.working_days_used(start, deadline) == pytest.approx(days, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(
    start=aware_datetimes, span=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=120))
)
def test_measure_then_add_is_at_or_before_end(start, span):
    end = start + span
    used = CAL.working_days_used(start, end)
    back = CAL.add_working_days(start, used)
    # The deadline for the measured amount is the earliest instant reaching it: never
    # after ``end`` and equal to it unless ``end`` lies in a non-working stretch.
    assert back <= end + timedelta(microseconds=1)
    assert CAL.working_days_used(back, end) == pytest.approx(0, abs=1e-9)


@pytest.mark.parametrize(
    "call",
    [
        lambda: CAL.working_days_used(datetime(2017, 8, 15, 8), wita(2017, 8, 16, 8)),
        lambda: CAL.working_days_used(wita(2017, 8, 15, 8), datetime(2017, 8, 16, 8)),
        lambda: CAL.add_working_days(datetime(2017, 8, 15, 8), 1),
    ],
)
def test_calendar_refuses_naive(call):
    with pytest.raises(ValueError, match="zona waktu"):
        call()


# --- evaluate -----------------------------------------------------------------------


def test_not_ready_and_ready():
    now = wita(2017, 8, 15, 9)
    result = evaluate(MENIT_60, None, None, None, now, CAL)
    assert result == StepTiming(StepStatus.BELUM_SIAP, None, None, None, None, None)
    result = evaluate(MENIT_60, wita(2017, 8, 15, 8), None, None, now, CAL)
    assert result.status is StepStatus.SIAP
    assert result.waiting is None and result.used is None and result.deadline is None


@pytest.mark.parametrize(
    ("elapsed", "status", "fraction"),
    [
        (timedelta(0), StepStatus.BERJALAN, 0.0),
        (timedelta(minutes=30), StepStatus.BERJALAN, 0.5),
        (timedelta(minutes=47, seconds=59), StepStatus.BERJALAN, (47 * 60 + 59) / 3600),
        (timedelta(minutes=48), StepStatus.MENDEKATI_BATAS, 0.8),
        (timedelta(minutes=60), StepStatus.MENDEKATI_BATAS, 1.0),
        (timedelta(minutes=60, seconds=1), StepStatus.MELEWATI_BATAS, 3601 / 3600),
        (timedelta(minutes=61), StepStatus.MELEWATI_BATAS, 61 / 60),
    ],
)
def test_minutes_running(elapsed, status, fraction):
    ready = wita(2017, 1, 9, 8, 0)
    start = wita(2017, 1, 9, 8, 10)
    result = evaluate(MENIT_60, ready, start, None, start + elapsed, CAL)
    assert result.status is status
    assert result.waiting == timedelta(minutes=10)
    assert result.work == elapsed
    assert result.used == pytest.approx(elapsed.total_seconds() / 60)
    assert result.used_fraction == pytest.approx(fraction)
    assert result.deadline == datetime(2017, 1, 9, 1, 10, tzinfo=UTC)
    assert result.deadline.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("work", "status"),
    [
        (timedelta(minutes=45), StepStatus.SELESAI_TEPAT_WAKTU),
        (timedelta(minutes=60), StepStatus.SELESAI_TEPAT_WAKTU),
        (timedelta(minutes=60, seconds=1), StepStatus.SELESAI_TERLAMBAT),
        (timedelta(minutes=95), StepStatus.SELESAI_TERLAMBAT),
    ],
)
def test_minutes_finished(work, status):
    start = wita(2017, 1, 9, 8, 0)
    # ``now`` long after the finish: the finish time is what counts.
    result = evaluate(MENIT_60, start, start, start + work, wita(2017, 1, 20, 8), CAL)
    assert result.status is status
    assert result.status.is_finished
    assert result.work == work
    assert result.waiting == timedelta(0)


def test_hours_standard():
    standard = TimeStandard(2, TimeUnit.JAM)
    start = wita(2017, 1, 9, 8, 0)
    result = evaluate(standard, None, start, None, start + timedelta(minutes=90), CAL)
    assert result.status is StepStatus.BERJALAN
    assert result.used == pytest.approx(1.5)
    assert result.used_fraction == pytest.approx(0.75)
    assert result.waiting is None
    assert result.deadline == start + timedelta(hours=2)


def test_minutes_ignore_weekends():
    # Minute standards use the wall clock: a Friday 23:30 start runs over midnight.
    start = wita(2017, 8, 18, 23, 30)
    result = evaluate(MENIT_60, None, start, None, wita(2017, 8, 19, 0, 45), CAL)
    assert result.used == pytest.approx(75)
    assert result.status is StepStatus.MELEWATI_BATAS


@pytest.mark.parametrize(
    ("now", "status", "used"),
    [
        (wita(2017, 8, 7, 8), StepStatus.BERJALAN, 0.0),
        # Sat 14 Oct 12:00: 46 days by Fri 13 08:00 plus the rest of that Friday
        (wita(2017, 10, 14, 12), StepStatus.BERJALAN, 46 + 16 / 24),
        (wita(2017, 10, 17, 7, 59), StepStatus.BERJALAN, 48 - 1 / (24 * 60)),
        (wita(2017, 10, 17, 8), StepStatus.MENDEKATI_BATAS, 48.0),
        (wita(2017, 11, 2, 8), StepStatus.MENDEKATI_BATAS, 60.0),
        (wita(2017, 11, 2, 8, 1), StepStatus.MELEWATI_BATAS, 60 + 1 / (24 * 60)),
    ],
)
def test_sixty_working_days_running(now, status, used):
    start = wita(2017, 8, 7, 8)
    ready = wita(2017, 8, 4, 15)  # Friday afternoon
    result = evaluate(HARI_60, ready, start, None, now, CAL)
    assert result.status is status
    assert result.used == pytest.approx(used)
    assert result.used_fraction == pytest.approx(used / 60)
    assert result.deadline == wita(2017, 11, 2, 8)
    assert result.waiting == timedelta(days=2, hours=17)
    assert result.work == now - start


@pytest.mark.parametrize(
    ("finished", "status"),
    [
        (wita(2017, 11, 2, 8), StepStatus.SELESAI_TEPAT_WAKTU),
        # 1 Nov 08:00 completes day 59, so 17:00 the same day is still on time.
        (wita(2017, 11, 1, 17), StepStatus.SELESAI_TEPAT_WAKTU),
        (wita(2017, 11, 2, 9), StepStatus.SELESAI_TERLAMBAT),
        (wita(2017, 11, 6, 8), StepStatus.SELESAI_TERLAMBAT),
    ],
)
def test_sixty_working_days_finished(finished, status):
    start = wita(2017, 8, 7, 8)
    result = evaluate(HARI_60, start, start, finished, wita(2018, 1, 1), CAL)
    assert result.status is status


def test_one_day_step_over_weekend_on_time():
    # Step 7 (1 Hari) started Friday 10:00, finished Monday 09:00: on time.
    standard = TimeStandard(1, TimeUnit.HARI)
    start = wita(2017, 8, 11, 10)
    result = evaluate(standard, None, start, wita(2017, 8, 14, 9), wita(2017, 8, 20), CAL)
    assert result.status is StepStatus.SELESAI_TEPAT_WAKTU
    assert result.used == pytest.approx(23 / 24)
    assert result.deadline == wita(2017, 8, 14, 10)
    assert result.work == timedelta(days=2, hours=23)


def test_calendar_day_setting_changes_status():
    standard = TimeStandard(1, TimeUnit.HARI)
    start = wita(2017, 8, 11, 10)
    finish = wita(2017, 8, 14, 9)
    cal = WorkCalendar(calendar_days=True)
    result = evaluate(standard, None, start, finish, finish, cal)
    assert result.status is StepStatus.SELESAI_TERLAMBAT
    assert result.used == pytest.approx(71 / 24)
    assert result.deadline == wita(2017, 8, 12, 10)


def test_office_day_off_extends_deadline():
    standard = TimeStandard(3, TimeUnit.HARI)
    start = wita(2017, 8, 15, 8)
    now = wita(2017, 8, 21, 20)
    plain = evaluate(standard, None, start, None, now, CAL)
    with_off = evaluate(
        standard, None, start, None, now, WorkCalendar(office_days_off=[date(2017, 8, 16)])
    )
    assert plain.deadline == wita(2017, 8, 21, 8)
    assert plain.status is StepStatus.MELEWATI_BATAS
    assert with_off.deadline == wita(2017, 8, 22, 8)
    assert with_off.used == pytest.approx(2 / 3 + 1 + 20 / 24)
    assert with_off.status is StepStatus.MENDEKATI_BATAS


def test_now_before_start_counts_zero():
    start = wita(2017, 1, 9, 8, 0)
    result = evaluate(MENIT_60, None, start, None, start - timedelta(minutes=5), CAL)
    assert result.status is StepStatus.BERJALAN
    assert result.used == 0
    assert result.work == timedelta(0)


@pytest.mark.parametrize(
    ("ready", "started", "finished", "status", "waiting", "work"),
    [
        # Started an hour "before" it was ready: no waiting, running a day later.
        (wita(2017, 1, 9, 9), wita(2017, 1, 9, 8), None, StepStatus.MELEWATI_BATAS,
         timedelta(0), timedelta(hours=16)),
        # Finished an hour "before" it started: no work, finished on time.
        (None, wita(2017, 1, 9, 9), wita(2017, 1, 9, 8), StepStatus.SELESAI_TEPAT_WAKTU,
         None, timedelta(0)),
        # Finished without a recorded start.
        (None, None, wita(2017, 1, 9, 8), StepStatus.SELESAI_TEPAT_WAKTU, None, timedelta(0)),
    ],
)
def test_times_out_of_order_are_flagged_never_raised(ready, started, finished, status,
                                                     waiting, work):
    """A PC whose clock was wrong recorded times out of order: shown, flagged, counted 0."""
    result = evaluate(MENIT_60, ready, started, finished, wita(2017, 1, 10), CAL)
    assert result.clock_skew
    assert (result.status, result.waiting, result.work) == (status, waiting, work)
    assert result.status_text == f"{status.label} (waktu tercatat mundur: jam komputer " \
        "tidak selaras)"
    in_order = evaluate(MENIT_60, wita(2017, 1, 9, 8), wita(2017, 1, 9, 9),
                        wita(2017, 1, 9, 10), wita(2017, 1, 10), CAL)
    assert not in_order.clock_skew and in_order.status_text == in_order.status.label


@pytest.mark.parametrize("position", range(4))
def test_evaluate_refuses_naive(position):
    args = [wita(2017, 1, 9, 8), wita(2017, 1, 9, 9), wita(2017, 1, 9, 10), wita(2017, 1, 9, 11)]
    args[position] = args[position].replace(tzinfo=None)
    with pytest.raises(ValueError, match="zona waktu"):
        evaluate(MENIT_60, *args, CAL)


# --- format_duration ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "calendar_days", "text"),
    [
        (timedelta(minutes=45), None, False, "45 menit"),
        (timedelta(minutes=90), None, False, "1 jam 30 menit"),
        (timedelta(hours=2), None, False, "2 jam"),
        (timedelta(days=2, hours=3), None, False, "2 hari 3 jam"),
        (timedelta(days=1, minutes=5), None, False, "1 hari 5 menit"),
        (timedelta(0), None, False, "0 menit"),
        (timedelta(seconds=1), None, False, "1 menit"),  # rounded up
        (timedelta(minutes=60, seconds=1), None, False, "1 jam 1 menit"),
        (timedelta(minutes=-90), None, False, "-1 jam 30 menit"),
        (45, TimeUnit.MENIT, False, "45 menit"),
        (90.0, TimeUnit.MENIT, False, "1 jam 30 menit"),
        (59.5, TimeUnit.MENIT, False, "1 jam"),
        (1.5, TimeUnit.JAM, False, "1 jam 30 menit"),
        (12.5, TimeUnit.HARI, False, "12,5 hari kerja"),
        (12.5, TimeUnit.HARI, True, "12,5 hari"),
        (3, TimeUnit.HARI, True, "3 hari"),
        (60, TimeUnit.HARI, False, "60 hari kerja"),
        (46 + 16 / 24, TimeUnit.HARI, False, "46,67 hari kerja"),
        (60.001, TimeUnit.HARI, False, "60,01 hari kerja"),  # rounded up
        (0, TimeUnit.HARI, False, "0 hari kerja"),
        (1234, TimeUnit.HARI, True, "1.234 hari"),
    ],
)
def test_format_duration(value, unit, calendar_days, text):
    assert format_duration(value, unit, calendar_days=calendar_days) == text


def test_format_duration_needs_unit_for_numbers():
    with pytest.raises(ValueError, match="Satuan"):
        format_duration(5)
    with pytest.raises(TypeError):
        format_duration("5 menit", TimeUnit.MENIT)


def test_used_label():
    start = wita(2017, 1, 9, 8, 0)
    result = evaluate(MENIT_60, None, start, None, start + timedelta(minutes=90), CAL)
    assert result.used_label(TimeUnit.MENIT) == "1 jam 30 menit"
    not_started = evaluate(MENIT_60, None, None, None, start, CAL)
    assert not_started.used_label(TimeUnit.MENIT) == "-"
    days = evaluate(HARI_60, None, wita(2017, 8, 7, 8), None, wita(2017, 10, 14, 12), CAL)
    assert days.used_label(TimeUnit.HARI) == "46,67 hari kerja"


def test_status_labels():
    assert StepStatus.MENDEKATI_BATAS.label == "Mendekati batas"
    assert StepStatus.SELESAI_TEPAT_WAKTU == "selesai tepat waktu"
    assert not StepStatus.BERJALAN.is_finished
