"""Plausibility rules: warn on valid but unlikely values, never change them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja_desktop.domain.plausibility import (
    DEFAULT_RULES,
    PlausibilityRules,
    WarningKind,
    check_plausibility,
    is_count_unit,
    warnings_from_json,
)


def kinds(**kwargs) -> list[WarningKind]:
    kwargs.setdefault("achievement", None)
    return [w.kind for w in check_plausibility(**kwargs)]


def test_plausible_values_raise_nothing():
    assert check_plausibility(unit="%", actual=86.5, achievement=Decimal("96.11"),
                              budget=150_000_000, spent=142_000_000, last_year_actual=80,
                              last_year=2024) == ()
    assert kinds(unit="desa", actual=12, achievement=Decimal(120)) == []


def test_percent_outside_0_100_and_the_growth_rate_setting():
    # The case: 914,3 typed on a "%" indicator (achievement 962,42 %).
    warnings = check_plausibility(unit="%", actual=914.3, achievement=Decimal("962.42"))
    assert [w.kind for w in warnings] == [WarningKind.PERCENT_RANGE, WarningKind.ACHIEVEMENT]
    assert "914,3% di luar 0–100%" in warnings[0].message
    assert "962,42%" in warnings[1].message
    assert kinds(unit="%", actual=-2, achievement=None) == [WarningKind.PERCENT_RANGE]
    growth = PlausibilityRules(percent_above_100=True)
    assert kinds(unit="%", actual=112, achievement=Decimal(100), rules=growth) == []
    assert kinds(unit="%", actual=-1, achievement=None, rules=growth) == \
        [WarningKind.PERCENT_RANGE]


def test_count_units_with_fraction_or_negative():
    assert is_count_unit("desa") and is_count_unit("Orang") and is_count_unit("kegiatan")
    assert not is_count_unit("%") and not is_count_unit("nilai") and not is_count_unit("")
    assert kinds(unit="desa", actual=12.5) == [WarningKind.COUNT]
    assert kinds(unit="orang", actual=-3) == [WarningKind.COUNT]
    assert kinds(unit="desa", actual=4250) == []
    # Per indicator: an index in "poin" may be declared whole, a count may allow fractions.
    assert kinds(unit="poin", actual=2.5,
                 rules=PlausibilityRules(whole_numbers=True)) == [WarningKind.COUNT]
    assert kinds(unit="desa", actual=2.5, rules=PlausibilityRules(whole_numbers=False)) == []


def test_achievement_bounds_and_manual_capaian():
    assert kinds(unit="", actual=1, achievement=Decimal("150.01")) == [WarningKind.ACHIEVEMENT]
    assert kinds(unit="", actual=1, achievement=Decimal(150)) == []
    assert kinds(unit="", actual=1, achievement=Decimal("-0.5")) == [WarningKind.ACHIEVEMENT]
    assert kinds(unit="", actual=1, achievement=Decimal(400), manual_achievement=True) == []
    wide = PlausibilityRules(max_achievement=Decimal(300))
    assert kinds(unit="", actual=1, achievement=Decimal(250), rules=wide) == []


def test_budget_above_pagu():
    warnings = check_plausibility(unit="", actual=None, achievement=None,
                                  budget=100_000_000, spent=125_000_000)
    assert [w.kind for w in warnings] == [WarningKind.BUDGET]
    assert "Rp125.000.000,00 melebihi pagu Rp100.000.000,00 (serapan 125,00%)" \
        in warnings[0].message
    assert kinds(unit="", actual=None, budget=100, spent=100) == []
    assert kinds(unit="", actual=None, budget=None, spent=100) == []


def test_change_from_last_year():
    warnings = check_plausibility(unit="kegiatan", actual=4250, achievement=None,
                                  last_year_actual=40, last_year=2024)
    assert [w.kind for w in warnings] == [WarningKind.LAST_YEAR]
    assert "tahun 2024 (40)" in warnings[0].message
    assert kinds(unit="", actual=60, last_year_actual=40) == []  # exactly half: fine
    assert kinds(unit="", actual=19, last_year_actual=40) == [WarningKind.LAST_YEAR]
    assert kinds(unit="", actual=5, last_year_actual=0) == []  # no base to compare
    assert kinds(unit="", actual=100, last_year_actual=40,
                 rules=PlausibilityRules(max_change=Decimal(2))) == []


def test_qualitative_and_disabled_rules():
    assert kinds(unit="%", actual=900, achievement=Decimal(900), qualitative=True) == []
    off = PlausibilityRules(enabled=False)
    assert kinds(unit="%", actual=900, achievement=Decimal(900), rules=off) == []


def test_rules_round_trip_and_validation():
    assert DEFAULT_RULES.to_json() is None
    assert PlausibilityRules.from_json(None) == DEFAULT_RULES
    rules = PlausibilityRules(percent_above_100=True, max_achievement=Decimal(200),
                              max_change=Decimal("0.75"), whole_numbers=False)
    data = rules.to_json()
    assert data == {"percent_above_100": True, "whole_numbers": False,
                    "max_achievement": "200", "max_change": "0.75"}
    assert PlausibilityRules.from_json(data) == rules
    assert "boleh > 100%" in rules.describe() and DEFAULT_RULES.describe() == "bawaan"
    with pytest.raises(ValueError, match="Batas bawah capaian"):
        PlausibilityRules(min_achievement=Decimal(200))
    with pytest.raises(ValueError, match="lebih dari 0%"):
        PlausibilityRules(max_change=Decimal(0))


def test_warnings_from_snapshot_json():
    stored = [w.to_json() for w in check_plausibility(unit="%", actual=914.3,
                                                      achievement=Decimal("962.42"))]
    restored = warnings_from_json(stored)
    assert [w.kind for w in restored] == [WarningKind.PERCENT_RANGE, WarningKind.ACHIEVEMENT]
    assert warnings_from_json(None) == () and warnings_from_json([{"x": 1}]) == ()
