"""Tests for Indonesian number parsing/formatting (kinerja_desktop.domain.numbers)."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja_desktop.domain.numbers import (
    NumberFormatError,
    format_date_long,
    format_datetime_short,
    format_money,
    format_number,
    format_percent,
    parse_number,
    parse_optional_number,
    to_decimal,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234", "1234"),
        ("1.234", "1234"),
        ("1.234.567", "1234567"),
        ("1.234,5", "1234.5"),
        ("1234,56", "1234.56"),
        ("0,5", "0.5"),
        ("-3,2", "-3.2"),
        ("  12 ", "12"),
        ("4.250", "4250"),  # a thousands group, never 4,25
        ("0", "0"),
        ("-0", "0"),
        ("007", "7"),
        ("12.345.678,901", "12345678.901"),
        ("999.999", "999999"),
        ("\t5,0\n", "5.0"),
    ],
)
def test_parse_valid(text, expected):
    result = parse_number(text)
    assert result == Decimal(expected)
    assert isinstance(result, Decimal)


def test_parse_keeps_decimal_places_and_no_negative_zero():
    assert str(parse_number("5,50")) == "5.50"
    assert str(parse_number("-0,0")) == "0.0"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("4.25", "Ambigu"),
        ("1.23", "Ambigu"),
        ("1.2345", "kelompok tepat 3 angka"),
        ("12345.678", "kelompok tepat 3 angka"),
        ("1.234.56", "kelompok tepat 3 angka"),
        ("0.500", "tidak boleh diawali 0"),
        ("12,3,4", "koma hanya boleh"),
        ("1,234.5", "format angka Inggris"),
        ("abc", "karakter yang tidak diizinkan"),
        ("", "Angka belum diisi"),
        ("   ", "Angka belum diisi"),
        (",5", "diawali angka"),
        ("1e5", "'e'"),
        ("--1", "tanda minus"),
        ("1-", "tanda minus"),
        ("1 234", "spasi"),
        ("100%", "'%'"),
        ("+5", "'+'"),
        ("12,", "diakhiri"),
        ("12.", "diakhiri"),
        ("1..234", "berurutan"),
        ("-", "tidak ada angka"),
        ("١٢", "karakter yang tidak diizinkan"),  # Arabic-Indic digits
    ],
)
def test_parse_invalid(text, fragment):
    with pytest.raises(NumberFormatError) as info:
        parse_number(text)
    message = str(info.value)
    assert fragment.lower() in message.lower()
    if text.strip():
        assert f"'{text.strip()}'" in message  # names the text
    assert isinstance(info.value, ValueError)


def test_parse_ambiguous_suggests_comma():
    with pytest.raises(NumberFormatError, match=r"\(4,25\)"):
        parse_number("4.25")


def test_parse_disallow_negative():
    assert parse_number("3,2", allow_negative=False) == Decimal("3.2")
    for text in ("-3,2", "-0"):
        with pytest.raises(NumberFormatError, match="tidak boleh negatif"):
            parse_number(text, allow_negative=False)


def test_parse_optional():
    assert parse_optional_number("") is None
    assert parse_optional_number("   ") is None
    assert parse_optional_number(None) is None
    assert parse_optional_number("1.234,5") == Decimal("1234.5")
    with pytest.raises(NumberFormatError):
        parse_optional_number("4.25")
    with pytest.raises(NumberFormatError):
        parse_optional_number("-1", allow_negative=False)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False))
def test_format_then_parse_round_trip(value):
    assert parse_number(format_number(value, 2)) == value


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (Decimal("1234567.89"), None, "1.234.567,89"),
        (Decimal("1234567.891"), None, "1.234.567,89"),
        (Decimal("12.5"), None, "12,5"),
        (Decimal("12.50"), None, "12,5"),
        (1000, None, "1.000"),
        (Decimal("1E+3"), None, "1.000"),
        (0, None, "0"),
        (Decimal("-1234.5"), None, "-1.234,5"),
        (Decimal("0.125"), None, "0,13"),  # half up
        (Decimal("-1234.005"), 2, "-1.234,01"),  # half up, not babel's half even
        (Decimal("12.5"), 2, "12,50"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("-0.001"), 2, "0,00"),  # no negative zero
        (1.005, 2, "1,01"),  # floats via str()
        (0.1 + 0.2, None, "0,3"),
        (Decimal("12345678901234567890.12"), None, "12.345.678.901.234.567.890,12"),
    ],
)
def test_format_number(value, decimals, text):
    assert format_number(value, decimals) == text


def test_format_number_rejects_bad_input():
    with pytest.raises(ValueError):
        format_number(Decimal("1"), -1)
    with pytest.raises(ValueError):
        format_number(float("nan"))
    with pytest.raises(TypeError):
        format_number(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_number(True)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("86.67"), "86,67%"),
        (Decimal("86.665"), "86,67%"),
        (100, "100,00%"),
        (Decimal("1234.5"), "1.234,50%"),
        (Decimal("-50"), "-50,00%"),
        (0, "0,00%"),
    ],
)
def test_format_percent(value, text):
    assert format_percent(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (125_000_000, "Rp125.000.000,00"),
        (Decimal("1500.5"), "Rp1.500,50"),
        (Decimal("-1500"), "-Rp1.500,00"),
        (0, "Rp0,00"),
        (Decimal("0.005"), "Rp0,01"),
    ],
)
def test_format_money(value, text):
    assert format_money(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (date(2017, 1, 9), "9 Januari 2017"),
        (date(2017, 8, 17), "17 Agustus 2017"),
        (date(2025, 12, 31), "31 Desember 2025"),
        (date(2017, 5, 1), "1 Mei 2017"),
        # an aware datetime is converted to WITA first: 20:00 UTC = 04:00 next day WITA
        (datetime(2017, 1, 8, 20, 0, tzinfo=UTC), "9 Januari 2017"),
    ],
)
def test_format_date_long(value, text):
    assert format_date_long(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2017, 1, 9, 6, 5, tzinfo=UTC), "9 Jan 2017 14.05"),
        (datetime(2017, 8, 16, 20, 30, tzinfo=UTC), "17 Agu 2017 04.30"),
        (datetime(2017, 5, 9, 14, 5, tzinfo=timezone(timedelta(hours=8))), "9 Mei 2017 14.05"),
        (datetime(2017, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=7))), "1 Jan 2018 00.00"),
    ],
)
def test_format_datetime_short(value, text):
    assert format_datetime_short(value) == text


def test_format_datetime_short_refuses_naive():
    with pytest.raises(ValueError, match="zona waktu"):
        format_datetime_short(datetime(2017, 1, 9, 14, 5))


def test_to_decimal():
    assert to_decimal(1.1) == Decimal("1.1")
    assert to_decimal("2.50") == Decimal("2.50")
    assert to_decimal(3) == Decimal(3)
    with pytest.raises(ValueError):
        to_decimal("1,5")
    with pytest.raises(ValueError):
        to_decimal(Decimal("Infinity"))


@pytest.mark.parametrize("value", [1e300, -1.7e308, 3.66e-259, 123456789012345678901234567890.0])
def test_numbers_of_any_size_print(value):
    """A value stored before the bounds (up to a float's 10^308) still prints; Decimal's
    default 28 digits would refuse to round it (the plausibility check formats it too)."""
    from kinerja_desktop.domain.numbers import (
        entered_decimals,
        format_entered,
        format_money,
        format_number,
        format_percent,
    )

    for text in (format_number(value), format_number(value, 2), format_percent(value),
                 format_money(value), format_entered(value)):
        assert text and "E" not in text
    assert 0 <= entered_decimals(value) <= 6
    whole = format_number(value, 0).replace(".", "").lstrip("-")
    size = Decimal(value).adjusted() + 1 if abs(value) >= 1 else 1
    assert len(whole) == size
