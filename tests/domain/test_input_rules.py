"""The one place for input rules: text hygiene, length limits that agree with the
columns, numeric bounds that keep every accepted value computable."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja_desktop.domain import input_rules as rules
from kinerja_desktop.domain.errors import ValidationError


def test_control_characters_are_removed_newline_and_tab_kept():
    pasted = "Baris satu\x0bbaris\x0c dua\r\nbaris\x00 tiga\x07\tkolom\u2028akhir\ud800\uffff"
    assert rules.clean_text(pasted) == "Baris satubaris dua\nbaris tiga\tkolom\nakhir"
    assert rules.clean_text(pasted, multiline=False) == \
        "Baris satubaris dua baris tiga kolom akhir"
    assert rules.clean_text("  Tim Bidang 1 \x1b[31m ") == "Tim Bidang 1 [31m"
    assert rules.clean_text("Nilai ≥ 91 — Sangat Baik 😀") == "Nilai ≥ 91 — Sangat Baik 😀"


def test_length_limit_message_names_the_field():
    assert rules.check_field("teams.name", " Tim\x0b A ") == "Tim A"
    with pytest.raises(ValidationError, match=r"Nama tim terlalu panjang \(201 karakter; "
                                              r"maksimal 200\)"):
        rules.check_field("teams.name", "x" * 201)


def test_every_text_column_has_a_rule_and_bounded_columns_agree():
    """A new text column fails here until it gets a rule (or is declared internal)."""
    from sqlalchemy import JSON, String, Text

    from kinerja_desktop.db.models import Base

    unclassified, disagree = [], []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSON):
                continue
            key = f"{table.name}.{column.name}"
            rule = rules.TEXT_RULES.get(key)
            if rule is None:
                if key not in rules.INTERNAL_TEXT:
                    unclassified.append(key)
                continue
            length = getattr(column.type, "length", None)
            if length is not None and length != rule.limit:
                disagree.append(f"{key}: kolom {length}, aturan {rule.limit}")
    assert unclassified == [] and disagree == []
    assert not set(rules.TEXT_RULES) & rules.INTERNAL_TEXT


@pytest.mark.parametrize("value, rule, problem", [
    (1e-9, rules.BUDGET, "terlalu kecil"),
    (-1e-9, rules.TARGET, "terlalu kecil"),
    (1e-9, rules.TARGET, "terlalu kecil"),  # the target of 1e-9
    (1e-9, rules.RENSTRA_TARGET, "terlalu kecil"),
    (1 / 3, rules.ACTUAL, "terlalu rinci (16 angka penting"),  # a third computed in Excel
    (0.1 + 0.2, rules.SPENT, "terlalu rinci (17 angka penting"),
    (Decimal("999999999999999.9"), rules.BUDGET, "terlalu rinci (16 angka penting"),
    (Decimal("0.1234567890123456"), rules.TARGET, "terlalu rinci"),
    (Decimal("NaN"), rules.ACTUAL, "bukan angka"),
    (1e15 + 1e3, rules.SPENT, "di luar rentang"),
    (-1, rules.BUDGET, "di luar rentang"),
    (float("nan"), rules.ACTUAL, "bukan angka"),
    (True, rules.ACTUAL, "harus berupa angka"),
    (1000.5, rules.MANUAL_ACHIEVEMENT, "di luar rentang"),
])
def test_numbers_outside_the_bounds_are_refused(value, rule, problem):
    assert problem in rules.number_problem(value, rule)
    with pytest.raises(ValidationError):
        rules.check_number(value, rule)


@pytest.mark.parametrize("value", [0, 0.0, 1e-6, -1e-6, 1e15, Decimal("123.45"), None,
                                   123456789012345.0, 1234567890.12345, 0.1,
                                   Decimal("1000.500000"), Decimal("1E+15"), 10**15])
def test_numbers_inside_the_bounds_pass(value):
    assert rules.number_problem(value, rules.ACTUAL) is None


@pytest.mark.parametrize("value, digits", [(0.1, 1), (1 / 3, 16), (Decimal("1000.50"), 5),
                                           (1e15, 1), (Decimal("0"), 0), (86.67, 4),
                                           (123456789012345, 15)])
def test_significant_digits_count_what_was_written(value, digits):
    assert rules.significant_digits(value) == digits


def test_every_number_of_15_digits_is_stored_and_printed_as_typed():
    """15 significant digits survive the double a column stores, whatever the size."""
    import random

    rng = random.Random(15)
    for _ in range(2000):
        digits = str(rng.randrange(10**14, 10**15))
        point = rng.randrange(9, 16)  # 10^-6 <= value < 10^15
        typed = Decimal(digits).scaleb(point - 15)
        assert rules.number_problem(typed, rules.ACTUAL) is None
        stored = float(typed)
        assert rules.number_problem(stored, rules.ACTUAL) is None  # the services agree
        assert Decimal(repr(stored)) == typed.normalize()


def test_the_extremes_the_bounds_allow_still_compute_and_print():
    from kinerja_desktop.domain.achievement import (
        Formula,
        budget_absorption,
        compute_achievement,
    )
    from kinerja_desktop.domain.numbers import format_money, format_percent

    tiny, huge = rules.MIN_NONZERO, rules.MAX_MAGNITUDE
    for formula in Formula:
        for target, actual in ((tiny, huge), (huge, tiny), (-tiny, huge), (tiny, -huge)):
            result = compute_achievement(target, actual, formula)
            assert result.status_label()  # a value or a reason; never an exception
    serapan = budget_absorption(tiny, huge)
    assert serapan.value is not None and format_percent(serapan.value).endswith("%")
    assert format_money(huge) == "Rp1.000.000.000.000.000,00"


@pytest.mark.parametrize("target, actual", [(1e-9, 1e15), (1e-300, 1e300), (1e300, 1e-300),
                                            (5e-324, 1.7e308)])
def test_values_stored_before_the_bounds_never_raise(target, actual):
    """The issue's case: such data once made a team's list impossible to show."""
    from kinerja_desktop.domain.achievement import (
        Formula,
        budget_absorption,
        compute_achievement,
    )

    for formula in Formula:
        assert compute_achievement(target, actual, formula).status_label()  # never raises
    overflowing = compute_achievement(target, actual, Formula.REALISASI_PER_TARGET)
    assert overflowing.value is None and "di luar batas" in overflowing.status_label()
    assert "di luar batas" in budget_absorption(target, actual).status_label()
