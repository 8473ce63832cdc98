"""The hand-written Indonesian number format equals Babel's for locale ``id``."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from kinerja_desktop.domain.numbers import _round, format_money, format_number

numbers = st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=4,
                      allow_nan=False, allow_infinity=False)


@given(numbers, st.sampled_from([None, 0, 1, 2, 3]))
def test_format_number_matches_babel(value: Decimal, decimals: int | None) -> None:
    if decimals is None:
        expected = format_decimal(_round(value, 2), format="#,##0.##", locale="id")
    else:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        expected = format_decimal(_round(value, decimals), format=pattern, locale="id")
    assert format_number(value, decimals) == expected


@given(numbers)
def test_format_money_matches_babel(value: Decimal) -> None:
    amount = _round(value, 2)
    expected = ("-" if amount < 0 else "") + "Rp" + format_decimal(abs(amount),
                                                                   format="#,##0.00",
                                                                   locale="id")
    assert format_money(value) == expected


def test_examples() -> None:
    assert format_number(Decimal("1234567.891")) == "1.234.567,89"
    assert format_number(12.5) == "12,5" and format_number(1000) == "1.000"
    assert format_number(Decimal("-0.001")) == "0" and format_number(-4250) == "-4.250"
    assert format_number(12.5, 2) == "12,50" and format_number(7, 0) == "7"
    assert format_money(-1500) == "-Rp1.500,00"
