"""Achievement (*capaian*), predikat scales and budget absorption (*serapan*).

Values are percentages as Decimals rounded to 2 decimals, half up. Cases that a
formula cannot compute (target 0, missing values, qualitative indicators) carry an
explicit Indonesian reason instead of a silent 0.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from enum import StrEnum

from .numbers import format_percent, to_decimal

__all__ = [
    "DEFAULT_PREDIKAT_SCALE",
    "FORMULA_LEGEND",
    "Absorption",
    "Achievement",
    "Formula",
    "Polarity",
    "PredikatBand",
    "PredikatScale",
    "budget_absorption",
    "compute_achievement",
    "default_formula",
]

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")

REASON_QUALITATIVE = "Indikator kualitatif"
REASON_TARGET_MISSING = "Target belum diisi"
REASON_ACTUAL_MISSING = "Realisasi belum diisi"
REASON_TARGET_ZERO = "Target bernilai 0"
REASON_ACTUAL_ZERO = "Realisasi 0 (rumus target/realisasi)"
REASON_OUT_OF_RANGE = "Nilai di luar batas yang dapat dihitung (periksa angka yang diisi)"

#: Percentages at or beyond this size are not computed (inputs inside the bounds of
#: domain.input_rules stay below 10^23; values stored before those bounds may not).
_LIMIT = Decimal(10) ** 24
_TINY = 1 / _LIMIT  # computed once: every capaian and serapan checks its inputs against it
#: Precision of every computation here: ample for any bounded input, exact to the cent.
_PRECISION = 60


class Polarity(StrEnum):
    """Direction of an indicator: higher is better (positif) or lower is better (negatif)."""

    POSITIF = "positif"
    NEGATIF = "negatif"


class Formula(StrEnum):
    """Achievement formula, chosen per indicator and shown next to every value."""

    REALISASI_PER_TARGET = "realisasi/target"
    DUA_TARGET_KURANG_REALISASI = "(2×target−realisasi)/target"
    TARGET_PER_REALISASI = "target/realisasi"

    def describe(self) -> str:
        """Indonesian description, e.g. ``"Capaian = Realisasi ÷ Target × 100%"``."""
        return _DESCRIPTIONS[self]

    @property
    def marker(self) -> str:
        """The short mark printed beside each value in tables: ``"R/T"``,
        ``"(2T−R)/T"`` or ``"T/R"`` (explained by :data:`FORMULA_LEGEND`)."""
        return _MARKERS[self]


_DESCRIPTIONS = {
    Formula.REALISASI_PER_TARGET: "Capaian = Realisasi ÷ Target × 100%",
    Formula.DUA_TARGET_KURANG_REALISASI: "Capaian = (2 × Target − Realisasi) ÷ Target × 100%",
    Formula.TARGET_PER_REALISASI: "Capaian = Target ÷ Realisasi × 100%",
}
_MARKERS = {
    Formula.REALISASI_PER_TARGET: "R/T",
    Formula.DUA_TARGET_KURANG_REALISASI: "(2T−R)/T",
    Formula.TARGET_PER_REALISASI: "T/R",
}
#: Marker of an achievement entered by hand (with its justification).
MANUAL_MARKER = "Manual"
#: Marker of a qualitative indicator (no formula applies).
QUALITATIVE_MARKER = "Kualitatif"
#: What every marker means, in the order printed under a table.
FORMULA_LEGEND: tuple[tuple[str, str], ...] = (
    ("R/T", "Realisasi ÷ Target × 100% (indikator positif)"),
    ("(2T−R)/T", "(2 × Target − Realisasi) ÷ Target × 100% (indikator negatif)"),
    ("T/R", "Target ÷ Realisasi × 100% (indikator negatif)"),
    (MANUAL_MARKER, "capaian ditetapkan tim dengan alasan yang tercantum"),
    (QUALITATIVE_MARKER, "indikator kualitatif, capaian tidak dihitung dengan rumus"),
)


def default_formula(p: Polarity) -> Formula:
    """Positif: realisasi/target; negatif: (2×target−realisasi)/target."""
    if Polarity(p) is Polarity.POSITIF:
        return Formula.REALISASI_PER_TARGET
    return Formula.DUA_TARGET_KURANG_REALISASI


def _percent(value: Decimal) -> Decimal:
    with localcontext(prec=_PRECISION):
        rounded = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded.is_zero() else rounded


def _out_of_range(*values: Decimal | None) -> bool:
    for v in values:
        if v is not None and v:
            size = abs(v)
            if size >= _LIMIT or size < _TINY:
                return True
    return False


def _optional_decimal(value: float | Decimal | int | None) -> Decimal | None:
    return None if value is None else to_decimal(value)


@dataclass(frozen=True)
class Achievement:
    """A computed (or manual) achievement.

    Invariant: ``value is None`` ⇔ ``not computable`` ⇔ ``reason is not None``.
    A manual value counts as computable (it has a value) and carries its
    ``justification``.
    """

    value: Decimal | None
    computable: bool
    reason: str | None
    manual: bool
    justification: str | None
    formula: Formula

    def status_label(self) -> str:
        """``"86,67%"``, ``"86,67% (manual)"`` or ``"Tidak dapat dihitung: <alasan>"``."""
        if self.value is None:
            return f"Tidak dapat dihitung: {self.reason}"
        text = format_percent(self.value)
        return f"{text} (manual)" if self.manual else text

    def marker(self, qualitative: bool = False) -> str:
        """The formula's mark (:attr:`Formula.marker`), ``"Manual"`` for a manual value,
        ``"Kualitatif"`` for a qualitative indicator."""
        if self.manual:
            return MANUAL_MARKER
        if qualitative:
            return QUALITATIVE_MARKER
        return self.formula.marker

    def formula_label(self) -> str:
        """Text to show next to the value: the formula, or that it was entered manually."""
        if self.manual:
            return f"Capaian manual: {self.justification}"
        return self.formula.describe()


def compute_achievement(
    target: float | Decimal | None,
    actual: float | Decimal | None,
    formula: Formula,
    *,
    qualitative: bool = False,
    manual_value: float | Decimal | None = None,
    manual_justification: str | None = None,
) -> Achievement:
    """Compute the achievement percentage of an indicator.

    A manual value (which needs a non-empty justification, else ValueError) wins
    over the formula. Otherwise qualitative indicators, missing target/actual, target
    0 and (for target/realisasi) actual 0 are not computable and carry a reason.
    Results of the negative formula may fall below 0 (realisasi above twice the
    target); they are kept as they are, not clipped. A justification given without a
    manual value is ignored.
    """
    formula = Formula(formula)
    if manual_value is not None:
        justification = (manual_justification or "").strip()
        if not justification:
            raise ValueError("Capaian manual wajib disertai justifikasi.")
        manual = to_decimal(manual_value)
        if _out_of_range(manual):
            return Achievement(None, False, REASON_OUT_OF_RANGE, False, None, formula)
        return Achievement(_percent(manual), True, None, True, justification, formula)

    def not_computable(reason: str) -> Achievement:
        return Achievement(None, False, reason, False, None, formula)

    if qualitative:
        return not_computable(REASON_QUALITATIVE)
    t = _optional_decimal(target)
    r = _optional_decimal(actual)
    if t is None:
        return not_computable(REASON_TARGET_MISSING)
    if r is None:
        return not_computable(REASON_ACTUAL_MISSING)
    if t.is_zero():
        return not_computable(REASON_TARGET_ZERO)
    if formula is Formula.TARGET_PER_REALISASI and r.is_zero():
        return not_computable(REASON_ACTUAL_ZERO)
    if _out_of_range(t, r):
        return not_computable(REASON_OUT_OF_RANGE)
    with localcontext(prec=_PRECISION):
        if formula is Formula.REALISASI_PER_TARGET:
            raw = r * _HUNDRED / t
        elif formula is Formula.DUA_TARGET_KURANG_REALISASI:
            raw = (2 * t - r) * _HUNDRED / t
        else:
            raw = t * _HUNDRED / r
    if abs(raw) >= _LIMIT:
        return not_computable(REASON_OUT_OF_RANGE)
    return Achievement(_percent(raw), True, None, False, None, formula)


@dataclass(frozen=True)
class PredikatBand:
    """One band of a predikat scale: ``label`` applies from ``minimum`` percent (inclusive)."""

    label: str
    minimum: Decimal

    def __post_init__(self) -> None:
        if not isinstance(self.label, str) or not self.label.strip():
            raise ValueError("Nama predikat tidak boleh kosong.")
        object.__setattr__(self, "label", self.label.strip())
        try:
            minimum = to_decimal(self.minimum)
        except (TypeError, ValueError):
            raise ValueError(
                f"Batas bawah predikat '{self.label}' bukan angka: {self.minimum!r}."
            ) from None
        object.__setattr__(self, "minimum", minimum)


@dataclass(frozen=True)
class PredikatScale:
    """A predikat scale (a setting; regencies differ).

    Bands are half-open: a value gets the label of the highest band whose minimum it
    reaches (``value >= minimum``). The lowest band also catches everything below its
    minimum, including negative values. Bands are stored sorted by minimum, highest
    first.
    """

    bands: tuple[PredikatBand, ...]

    def __post_init__(self) -> None:
        bands = tuple(self.bands)
        if not bands:
            raise ValueError("Skala predikat harus memiliki paling sedikit satu predikat.")
        for band in bands:
            if not isinstance(band, PredikatBand):
                raise ValueError(f"Unsur skala predikat tidak valid: {band!r}.")
        labels = [band.label.casefold() for band in bands]
        if len(set(labels)) != len(labels):
            raise ValueError("Nama predikat dalam satu skala tidak boleh sama.")
        minimums = [band.minimum for band in bands]
        if len(set(minimums)) != len(minimums):
            raise ValueError("Batas bawah predikat dalam satu skala tidak boleh sama.")
        ordered = tuple(sorted(bands, key=lambda band: band.minimum, reverse=True))
        object.__setattr__(self, "bands", ordered)

    def classify(self, value: Decimal | float | int | None) -> str | None:
        """Predikat label for an achievement percentage; None for None."""
        if value is None:
            return None
        number = to_decimal(value)
        for band in self.bands:
            if number >= band.minimum:
                return band.label
        return self.bands[-1].label

    def to_json(self) -> str:
        """JSON text ``{"bands": [{"label": ..., "minimum": "91"}, ...]}``."""
        payload = {
            "bands": [{"label": band.label, "minimum": str(band.minimum)} for band in self.bands]
        }
        return json.dumps(payload, ensure_ascii=False)

    @classmethod
    def from_json(cls, s: str) -> PredikatScale:
        """Inverse of :meth:`to_json`; minimums may be JSON numbers or strings."""
        try:
            payload = json.loads(s)
        except (TypeError, ValueError):
            raise ValueError("Data skala predikat bukan JSON yang valid.") from None
        if not isinstance(payload, dict) or not isinstance(payload.get("bands"), list):
            raise ValueError("Data skala predikat harus berisi daftar 'bands'.")
        bands = []
        for index, item in enumerate(payload["bands"], start=1):
            if not isinstance(item, dict) or "label" not in item or "minimum" not in item:
                raise ValueError(f"Predikat ke-{index} harus memiliki 'label' dan 'minimum'.")
            label, minimum = item["label"], item["minimum"]
            if not isinstance(label, str):
                raise ValueError(f"Nama predikat ke-{index} harus berupa teks.")
            if isinstance(minimum, bool) or not isinstance(minimum, int | float | str):
                raise ValueError(f"Batas bawah predikat ke-{index} harus berupa angka.")
            try:
                number = to_decimal(minimum)
            except (TypeError, ValueError, InvalidOperation):
                raise ValueError(
                    f"Batas bawah predikat ke-{index} bukan angka: {minimum!r}."
                ) from None
            bands.append(PredikatBand(label, number))
        return cls(tuple(bands))


DEFAULT_PREDIKAT_SCALE = PredikatScale(
    (
        PredikatBand("Sangat Baik", Decimal(91)),
        PredikatBand("Baik", Decimal(76)),
        PredikatBand("Cukup", Decimal(66)),
        PredikatBand("Kurang", Decimal(51)),
        PredikatBand("Sangat Kurang", Decimal(0)),
    )
)
"""≥ 91 Sangat Baik, ≥ 76 Baik, ≥ 66 Cukup, ≥ 51 Kurang, below 51 Sangat Kurang.

With decimals the bands are half-open, so 90,99 is Baik and 50,5 is Sangat Kurang.
"""


@dataclass(frozen=True)
class Absorption:
    """Budget absorption (*serapan*) in percent, or None with an Indonesian reason."""

    value: Decimal | None
    reason: str | None

    @property
    def computable(self) -> bool:
        return self.value is not None

    def status_label(self) -> str:
        """``"86,67%"`` or ``"Tidak dapat dihitung: <alasan>"``."""
        if self.value is None:
            return f"Tidak dapat dihitung: {self.reason}"
        return format_percent(self.value)


def budget_absorption(budget: float | Decimal | None, spent: float | Decimal | None) -> Absorption:
    """Serapan = realisasi anggaran ÷ pagu × 100, rounded to 2 decimals half up."""
    b = _optional_decimal(budget)
    s = _optional_decimal(spent)
    if b is None:
        return Absorption(None, "Pagu belum diisi")
    if b.is_zero():
        return Absorption(None, "Pagu bernilai 0")
    if b < 0:
        return Absorption(None, "Pagu bernilai negatif")
    if s is None:
        return Absorption(None, "Realisasi anggaran belum diisi")
    if _out_of_range(b, s):
        return Absorption(None, REASON_OUT_OF_RANGE)
    with localcontext(prec=_PRECISION):
        raw = s * _HUNDRED / b
    if abs(raw) >= _LIMIT:
        return Absorption(None, REASON_OUT_OF_RANGE)
    return Absorption(_percent(raw), None)
