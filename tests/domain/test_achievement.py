"""Tests for capaian, predikat and serapan (kinerja_desktop.domain.achievement)."""

import json
from decimal import Decimal

import pytest

from kinerja_desktop.domain.achievement import (
    DEFAULT_PREDIKAT_SCALE,
    Absorption,
    Achievement,
    Formula,
    Polarity,
    PredikatBand,
    PredikatScale,
    budget_absorption,
    compute_achievement,
    default_formula,
)

POS = Formula.REALISASI_PER_TARGET
NEG = Formula.DUA_TARGET_KURANG_REALISASI
INV = Formula.TARGET_PER_REALISASI


def test_default_formula():
    assert default_formula(Polarity.POSITIF) is POS
    assert default_formula(Polarity.NEGATIF) is NEG
    assert default_formula("negatif") is NEG


@pytest.mark.parametrize(
    ("formula", "text"),
    [
        (POS, "Capaian = Realisasi ÷ Target × 100%"),
        (NEG, "Capaian = (2 × Target − Realisasi) ÷ Target × 100%"),
        (INV, "Capaian = Target ÷ Realisasi × 100%"),
    ],
)
def test_describe(formula, text):
    assert formula.describe() == text


def test_formula_values_are_stable():
    assert POS.value == "realisasi/target"
    assert NEG.value == "(2×target−realisasi)/target"
    assert INV.value == "target/realisasi"


@pytest.mark.parametrize(
    ("target", "actual", "formula", "expected"),
    [
        # positive: r / t × 100
        (100, 80, POS, "80.00"),
        (75, 65, POS, "86.67"),
        (3, 2, POS, "66.67"),
        (6, 1, POS, "16.67"),
        (8, 1, POS, "12.50"),
        (100, 120, POS, "120.00"),
        (100, 0, POS, "0.00"),
        (Decimal("1"), Decimal("0.00125"), POS, "0.13"),  # 0.125 half up (not half even)
        (100, 1.005, POS, "1.01"),  # float via str: 1.005 exactly, half up
        (200, 1.01, POS, "0.51"),  # 0.505 -> 0.51
        (3, 1, POS, "33.33"),
        # negative: (2t − r) / t × 100
        (10, 8, NEG, "120.00"),
        (10, 10, NEG, "100.00"),
        (10, 12, NEG, "80.00"),
        (10, 25, NEG, "-50.00"),  # below 0 is kept
        (3, 2, NEG, "133.33"),
        (Decimal("2.5"), Decimal("3"), NEG, "80.00"),
        # negative alternative: t / r × 100
        (10, 8, INV, "125.00"),
        (10, 12, INV, "83.33"),
        (3, 2, INV, "150.00"),
        (2, 3, INV, "66.67"),
    ],
)
def test_compute_values(target, actual, formula, expected):
    result = compute_achievement(target, actual, formula)
    assert result.value == Decimal(expected)
    assert result.value.as_tuple().exponent == -2
    assert result.computable
    assert result.reason is None
    assert not result.manual
    assert result.justification is None
    assert result.formula is formula


@pytest.mark.parametrize(
    ("target", "actual", "formula", "kwargs", "reason"),
    [
        (0, 5, POS, {}, "Target bernilai 0"),
        (0, 5, NEG, {}, "Target bernilai 0"),
        (Decimal("0.00"), 5, INV, {}, "Target bernilai 0"),
        (10, None, POS, {}, "Realisasi belum diisi"),
        (None, 5, POS, {}, "Target belum diisi"),
        (10, 0, INV, {}, "Realisasi 0 (rumus target/realisasi)"),
        (10, 5, POS, {"qualitative": True}, "Indikator kualitatif"),
        (None, None, NEG, {"qualitative": True}, "Indikator kualitatif"),
    ],
)
def test_not_computable(target, actual, formula, kwargs, reason):
    result = compute_achievement(target, actual, formula, **kwargs)
    assert result.value is None
    assert not result.computable
    assert result.reason == reason
    assert result.status_label() == f"Tidak dapat dihitung: {reason}"


def test_manual_value_wins():
    result = compute_achievement(
        0, 5, POS, manual_value=Decimal("95.555"), manual_justification="  Opini WTP  "
    )
    assert result.value == Decimal("95.56")
    assert result.manual and result.computable
    assert result.justification == "Opini WTP"
    assert result.reason is None
    assert result.status_label() == "95,56% (manual)"
    assert result.formula_label() == "Capaian manual: Opini WTP"


def test_manual_for_qualitative_indicator():
    result = compute_achievement(
        None, None, POS, qualitative=True, manual_value=100, manual_justification="WTP"
    )
    assert result.value == Decimal("100.00")
    assert result.manual


@pytest.mark.parametrize("justification", [None, "", "   "])
def test_manual_requires_justification(justification):
    with pytest.raises(ValueError, match="justifikasi"):
        compute_achievement(100, 80, POS, manual_value=90, manual_justification=justification)


def test_justification_without_manual_value_is_ignored():
    result = compute_achievement(100, 80, POS, manual_justification="catatan")
    assert result.justification is None and not result.manual


def test_status_label_and_formula_label():
    result = compute_achievement(75, 65, POS)
    assert result.status_label() == "86,67%"
    assert result.formula_label() == POS.describe()
    assert compute_achievement(1000, 12345.678, POS).status_label() == "1.234,57%"
    assert compute_achievement(10, 25, NEG).status_label() == "-50,00%"


def test_nan_is_refused():
    with pytest.raises(ValueError):
        compute_achievement(float("nan"), 5, POS)


def test_achievement_is_frozen():
    result = compute_achievement(75, 65, POS)
    assert isinstance(result, Achievement)
    with pytest.raises(AttributeError):
        result.value = Decimal(1)  # type: ignore[misc]


# --- predikat -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (Decimal("120"), "Sangat Baik"),
        (Decimal("91"), "Sangat Baik"),
        (Decimal("91.00"), "Sangat Baik"),
        (Decimal("90.99"), "Baik"),
        (Decimal("90.5"), "Baik"),
        (Decimal("76"), "Baik"),
        (Decimal("75.99"), "Cukup"),
        (Decimal("66"), "Cukup"),
        (Decimal("65.99"), "Kurang"),
        (Decimal("51"), "Kurang"),
        (Decimal("50.99"), "Sangat Kurang"),
        (Decimal("50.5"), "Sangat Kurang"),
        (Decimal("50"), "Sangat Kurang"),
        (Decimal("0"), "Sangat Kurang"),
        (Decimal("-50"), "Sangat Kurang"),
        (86.67, "Baik"),
        (91, "Sangat Baik"),
        (None, None),
    ],
)
def test_default_scale(value, label):
    assert DEFAULT_PREDIKAT_SCALE.classify(value) == label


def test_scale_sorted_descending():
    scale = PredikatScale((PredikatBand("Rendah", Decimal(0)), PredikatBand("Tinggi", Decimal(80))))
    assert [b.label for b in scale.bands] == ["Tinggi", "Rendah"]
    assert scale.classify(Decimal("79.99")) == "Rendah"
    assert scale.classify(Decimal("-1")) == "Rendah"
    assert [b.minimum for b in DEFAULT_PREDIKAT_SCALE.bands] == [91, 76, 66, 51, 0]


def test_band_minimum_coerced():
    assert PredikatBand("A", 50).minimum == Decimal(50)
    assert PredikatBand("A", 50.5).minimum == Decimal("50.5")
    with pytest.raises(ValueError):
        PredikatBand("", Decimal(1))
    with pytest.raises(ValueError, match="bukan angka"):
        PredikatBand("A", "lima")


@pytest.mark.parametrize(
    "bands",
    [
        (),
        (PredikatBand("A", Decimal(1)), PredikatBand("a", Decimal(2))),
        (PredikatBand("A", Decimal(1)), PredikatBand("B", Decimal("1.0"))),
    ],
)
def test_scale_validation(bands):
    with pytest.raises(ValueError, match="predikat"):
        PredikatScale(bands)


def test_scale_json_round_trip():
    text = DEFAULT_PREDIKAT_SCALE.to_json()
    payload = json.loads(text)
    assert payload["bands"][0] == {"label": "Sangat Baik", "minimum": "91"}
    assert PredikatScale.from_json(text) == DEFAULT_PREDIKAT_SCALE
    custom = PredikatScale(
        (PredikatBand("Istimewa", Decimal("90.5")), PredikatBand("Biasa", Decimal("-10")))
    )
    assert PredikatScale.from_json(custom.to_json()) == custom


def test_scale_from_json_accepts_numbers():
    scale = PredikatScale.from_json(
        '{"bands": [{"label": "Baik", "minimum": 70}, {"label": "Kurang", "minimum": 0.5}]}'
    )
    assert scale.classify(Decimal(70)) == "Baik"
    assert scale.bands[1].minimum == Decimal("0.5")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "bukan json",
        "[]",
        "{}",
        '{"bands": []}',
        '{"bands": "x"}',
        '{"bands": [{"label": "A"}]}',
        '{"bands": [{"minimum": 1}]}',
        '{"bands": [{"label": 5, "minimum": 1}]}',
        '{"bands": [{"label": "A", "minimum": true}]}',
        '{"bands": [{"label": "A", "minimum": null}]}',
        '{"bands": [{"label": "A", "minimum": "sembilan"}]}',
        '{"bands": [{"label": "A", "minimum": "NaN"}]}',
        '{"bands": [{"label": "A", "minimum": 1}, {"label": "A", "minimum": 2}]}',
        '{"bands": [{"label": "A", "minimum": 1}, {"label": "B", "minimum": 1}]}',
        '{"bands": [{"label": " ", "minimum": 1}]}',
        '{"bands": ["A"]}',
    ],
)
def test_scale_from_bad_json(text):
    with pytest.raises(ValueError, match="predikat|Predikat"):
        PredikatScale.from_json(text)


# --- budget absorption ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("budget", "spent", "value"),
    [
        (125_000_000, 100_000_000, "80.00"),
        (Decimal("3"), Decimal("2"), "66.67"),
        (1000, 0, "0.00"),
        (1000, 1100, "110.00"),
        (800.0, 1.0, "0.13"),  # 0.125 half up
    ],
)
def test_budget_absorption(budget, spent, value):
    result = budget_absorption(budget, spent)
    assert result == Absorption(Decimal(value), None)
    assert result.computable


@pytest.mark.parametrize(
    ("budget", "spent", "reason"),
    [
        (0, 10, "Pagu bernilai 0"),
        (None, 10, "Pagu belum diisi"),
        (100, None, "Realisasi anggaran belum diisi"),
        (-5, 1, "Pagu bernilai negatif"),
    ],
)
def test_budget_absorption_not_computable(budget, spent, reason):
    result = budget_absorption(budget, spent)
    assert result.value is None
    assert result.reason == reason
    assert not result.computable
    assert result.status_label() == f"Tidak dapat dihitung: {reason}"


def test_absorption_label():
    assert budget_absorption(75, 65).status_label() == "86,67%"
