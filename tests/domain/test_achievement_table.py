"""Hand-computed achievement cases and number input, as the issue lists them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja_desktop.domain.achievement import (
    DEFAULT_PREDIKAT_SCALE,
    Formula,
    compute_achievement,
)
from kinerja_desktop.domain.numbers import NumberFormatError, parse_number

POS = Formula.REALISASI_PER_TARGET
NEG = Formula.DUA_TARGET_KURANG_REALISASI
INV = Formula.TARGET_PER_REALISASI


# target, actual, formula, capaian (%) computed by hand, predikat on the default scale
CASES = [
    (100, 100, POS, "100.00", "Sangat Baik"),
    (75, 58.5, POS, "78.00", "Baik"),           # 58,5 / 75 = 0,78
    (3, 2, POS, "66.67", "Cukup"),              # 66,666… rounds half up
    (3, 1, POS, "33.33", "Sangat Kurang"),
    (200, 181, POS, "90.50", "Baik"),           # 90,50 < 91
    (200, 182, POS, "91.00", "Sangat Baik"),    # boundary 91 inclusive
    (8, 6, POS, "75.00", "Cukup"),              # 75 < 76
    (100, 76, POS, "76.00", "Baik"),
    (100, 51, POS, "51.00", "Kurang"),
    (100, 50.99, POS, "50.99", "Sangat Kurang"),
    (7.5, 6.75, NEG, "110.00", "Sangat Baik"),  # (15 − 6,75) / 7,5
    (7.5, 7.5, NEG, "100.00", "Sangat Baik"),
    (7.5, 9, NEG, "80.00", "Baik"),             # (15 − 9) / 7,5
    (10, 25, NEG, "-50.00", "Sangat Kurang"),   # kept below 0, not clipped
    (20, 25, INV, "80.00", "Baik"),             # 20 / 25
    (0.3, 0.2, POS, "66.67", "Cukup"),
    (1, 0.005, POS, "0.50", "Sangat Kurang"),   # 0,5 exactly
    (3, 0.0001, POS, "0.00", "Sangat Kurang"),  # 0,00333… rounds to 0,00 (no -0)
]


@pytest.mark.parametrize(("target", "actual", "formula", "value", "predikat"), CASES)
def test_hand_computed_achievement_and_predikat(target, actual, formula, value, predikat):
    result = compute_achievement(target, actual, formula)
    assert result.computable and result.reason is None
    assert result.value == Decimal(value)
    assert DEFAULT_PREDIKAT_SCALE.classify(result.value) == predikat


@pytest.mark.parametrize(("target", "actual", "formula", "qualitative", "reason"), [
    (0, 5, POS, False, "Target bernilai 0"),
    (0, 0, NEG, False, "Target bernilai 0"),
    (None, 5, POS, False, "Target belum diisi"),
    (10, None, POS, False, "Realisasi belum diisi"),
    (10, 0, INV, False, "Realisasi 0 (rumus target/realisasi)"),
    (None, None, POS, True, "Indikator kualitatif"),
])
def test_not_computable_gets_an_explicit_status(target, actual, formula, qualitative, reason):
    result = compute_achievement(target, actual, formula, qualitative=qualitative)
    assert result.value is None and not result.computable
    assert result.status_label() == f"Tidak dapat dihitung: {reason}"
    assert DEFAULT_PREDIKAT_SCALE.classify(result.value) is None


def test_manual_achievement_needs_a_justification():
    manual = compute_achievement(0, 5, POS, manual_value=95, manual_justification="Target 0 "
                                 "karena kegiatan baru; capaian dinilai dari laporan.")
    assert manual.value == Decimal("95.00") and manual.manual
    assert manual.status_label() == "95,00% (manual)"
    assert manual.formula_label().startswith("Capaian manual: Target 0")
    with pytest.raises(ValueError):
        compute_achievement(0, 5, POS, manual_value=95, manual_justification="  ")


@pytest.mark.parametrize(("text", "value"), [
    ("1.234,5", "1234.5"), ("1234,5", "1234.5"), ("1.234.567", "1234567"), ("0,5", "0.5"),
    ("4.250", "4250"), ("  85,25 ", "85.25"), ("-3,2", "-3.2"), ("100", "100"),
])
def test_number_input_valid(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", [
    "4.25", "12,3,4", "abc", "1,234.5", "1.2345", "0.500", ",5", "1e5", "100%", "", "1 234",
    "--1",
])
def test_number_input_ambiguous_or_invalid_is_refused(text):
    with pytest.raises(NumberFormatError):
        parse_number(text)
