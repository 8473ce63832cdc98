"""Plausibility warnings: values that are valid but unlikely (DOMAIN.md, "Plausibility").

A warning never blocks and never changes a value: the entering user acknowledges it
with a short note, and the warning travels with the item (entry screen, workbook
import report, verification desk, receipt). The rules are pure functions of the
item's values, its indicator's unit and settings, and last year's realisasi.

Default rules, each editable per indicator through :class:`PlausibilityRules`:

* unit "%" and realisasi outside 0–100 (an indicator such as a growth rate may be
  allowed above 100);
* a count unit (desa, orang, kegiatan, dokumen, kasus, …) with a fraction or a
  negative value;
* capaian above 150 % or below 0 %;
* realisasi anggaran above pagu (serapan above 100 %);
* realisasi differing by more than half from last year's realisasi.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from .numbers import format_money, format_number, format_percent, to_decimal

__all__ = [
    "COUNT_UNITS",
    "DEFAULT_RULES",
    "MAX_NOTE",
    "PlausibilityRules",
    "PlausibilityWarning",
    "WarningKind",
    "check_plausibility",
    "is_count_unit",
    "is_percent_unit",
    "warnings_from_json",
]

#: Longest acknowledgement note (a short explanation, not a report).
MAX_NOTE = 500

#: Units counted in whole things: a fraction or a negative number of them is unlikely.
COUNT_UNITS = frozenset({
    "desa", "kelurahan", "kecamatan", "orang", "jiwa", "kk", "keluarga", "rumah tangga",
    "kegiatan", "dokumen", "kasus", "unit", "buah", "kali", "laporan", "paket", "kelompok",
    "lembaga", "bumdes", "kader", "peserta", "sekolah", "titik", "lokasi", "produk",
    "perdes", "regulasi", "aplikasi", "sistem", "pasar", "posyandu", "koperasi",
})

_HUNDRED = Decimal(100)


class WarningKind(StrEnum):
    """Which rule a warning comes from (stable codes, stored in snapshots)."""

    PERCENT_RANGE = "persen"
    COUNT = "bilangan_bulat"
    ACHIEVEMENT = "capaian"
    BUDGET = "anggaran"
    LAST_YEAR = "tahun_lalu"


@dataclass(frozen=True)
class PlausibilityWarning:
    kind: WarningKind
    message: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind.value, "message": self.message}


def _dec(value: object, name: str) -> Decimal:
    try:
        return to_decimal(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, InvalidOperation):
        raise ValueError(f"{name} pada aturan kewajaran bukan angka: {value!r}.") from None


@dataclass(frozen=True)
class PlausibilityRules:
    """The rules' settings for one indicator (the defaults suit most indicators).

    ``percent_above_100``: a "%" indicator whose realisasi may exceed 100 (growth
    rates). ``min_achievement``/``max_achievement``: the plausible capaian range in
    percent. ``max_change``: the largest plausible change from last year's realisasi,
    as a fraction (0,5 = half). ``whole_numbers``: True/False forces the count rule on
    or off; None decides from the unit (:data:`COUNT_UNITS`). ``enabled`` False turns
    every rule off for the indicator.
    """

    percent_above_100: bool = False
    min_achievement: Decimal = Decimal(0)
    max_achievement: Decimal = Decimal(150)
    max_change: Decimal = Decimal("0.5")
    whole_numbers: bool | None = None
    enabled: bool = True

    def __post_init__(self) -> None:
        low = _dec(self.min_achievement, "Batas bawah capaian")
        high = _dec(self.max_achievement, "Batas atas capaian")
        change = _dec(self.max_change, "Batas perubahan dari tahun lalu")
        if low >= high:
            raise ValueError("Batas bawah capaian harus lebih kecil daripada batas atasnya.")
        if change <= 0:
            raise ValueError("Batas perubahan dari tahun lalu harus lebih dari 0%.")
        object.__setattr__(self, "min_achievement", low)
        object.__setattr__(self, "max_achievement", high)
        object.__setattr__(self, "max_change", change)

    @property
    def is_default(self) -> bool:
        return self == DEFAULT_RULES

    def to_json(self) -> dict[str, object] | None:
        """The settings that differ from the defaults (None when all are default)."""
        if self.is_default:
            return None
        result: dict[str, object] = {}
        for key in ("percent_above_100", "whole_numbers", "enabled"):
            if getattr(self, key) != getattr(DEFAULT_RULES, key):
                result[key] = getattr(self, key)
        for key in ("min_achievement", "max_achievement", "max_change"):
            if getattr(self, key) != getattr(DEFAULT_RULES, key):
                result[key] = str(getattr(self, key))
        return result

    @classmethod
    def from_json(cls, data: dict | None) -> PlausibilityRules:
        """Inverse of :meth:`to_json`; unknown keys are ignored, None gives the defaults."""
        if not data:
            return DEFAULT_RULES
        if not isinstance(data, dict):
            raise ValueError("Aturan kewajaran harus berupa objek JSON.")
        kwargs: dict[str, object] = {}
        for key in ("percent_above_100", "enabled"):
            if key in data:
                kwargs[key] = bool(data[key])
        if "whole_numbers" in data:
            value = data["whole_numbers"]
            kwargs["whole_numbers"] = None if value is None else bool(value)
        for key in ("min_achievement", "max_achievement", "max_change"):
            if key in data:
                kwargs[key] = _dec(data[key], key)
        return cls(**kwargs)  # type: ignore[arg-type]

    def describe(self) -> str:
        """One Indonesian line naming what differs from the defaults ("bawaan")."""
        if self.is_default:
            return "bawaan"
        if not self.enabled:
            return "tidak diperiksa"
        parts = []
        if self.percent_above_100:
            parts.append("boleh > 100%")
        if (self.min_achievement, self.max_achievement) != (DEFAULT_RULES.min_achievement,
                                                            DEFAULT_RULES.max_achievement):
            parts.append(f"capaian {format_number(self.min_achievement)}–"
                         f"{format_number(self.max_achievement)}%")
        if self.max_change != DEFAULT_RULES.max_change:
            parts.append(f"perubahan ≤ {format_number(self.max_change * _HUNDRED)}%")
        if self.whole_numbers is not None:
            parts.append("bilangan bulat" if self.whole_numbers else "boleh pecahan")
        return ", ".join(parts)


DEFAULT_RULES = PlausibilityRules()


def _unit_key(unit: str) -> str:
    return " ".join(unit.casefold().split())


def is_percent_unit(unit: str) -> bool:
    return _unit_key(unit) in ("%", "persen", "persentase")


def is_count_unit(unit: str) -> bool:
    """True for units counted in whole things ("desa", "orang", "12 kegiatan" is not)."""
    key = _unit_key(unit)
    return key in COUNT_UNITS or (bool(key) and key.split()[0] in COUNT_UNITS)


def _optional(value: float | Decimal | int | None) -> Decimal | None:
    return None if value is None else to_decimal(value)


def check_plausibility(
    *,
    unit: str,
    actual: float | Decimal | None,
    achievement: Decimal | None,
    budget: float | Decimal | None = None,
    spent: float | Decimal | None = None,
    last_year_actual: float | Decimal | None = None,
    last_year: int | None = None,
    rules: PlausibilityRules = DEFAULT_RULES,
    qualitative: bool = False,
    manual_achievement: bool = False,
) -> tuple[PlausibilityWarning, ...]:
    """Every warning the item's values raise, in a fixed order (empty when plausible).

    ``achievement`` is the computed capaian in percent (None when not computable); a
    manual capaian is justified already and is not checked. Qualitative indicators have
    no numbers to check except the budget.
    """
    if not rules.enabled:
        return ()
    warnings: list[PlausibilityWarning] = []
    value = None if qualitative else _optional(actual)
    shown_unit = unit.strip()
    if value is not None and is_percent_unit(unit):
        if value < 0 or (value > _HUNDRED and not rules.percent_above_100):
            allowed = "di bawah 0%" if rules.percent_above_100 else "di luar 0–100%"
            warnings.append(PlausibilityWarning(
                WarningKind.PERCENT_RANGE,
                f"Realisasi {format_number(value)}% {allowed} untuk satuan persen."))
    whole = rules.whole_numbers if rules.whole_numbers is not None else is_count_unit(unit)
    if value is not None and whole and (value < 0 or value != value.to_integral_value()):
        problem = "negatif" if value < 0 else "berupa pecahan"
        warnings.append(PlausibilityWarning(
            WarningKind.COUNT,
            f"Realisasi {format_number(value)} {shown_unit} {problem}; satuan ini biasanya "
            "dihitung dengan bilangan bulat."))
    if achievement is not None and not manual_achievement and not qualitative and (
            achievement > rules.max_achievement or achievement < rules.min_achievement):
        side = "di atas" if achievement > rules.max_achievement else "di bawah"
        bound = rules.max_achievement if side == "di atas" else rules.min_achievement
        warnings.append(PlausibilityWarning(
            WarningKind.ACHIEVEMENT,
            f"Capaian {format_percent(achievement)} {side} {format_percent(bound)}; periksa "
            "realisasi dan target."))
    pagu, used = _optional(budget), _optional(spent)
    if pagu is not None and used is not None and pagu > 0 and used > pagu:
        warnings.append(PlausibilityWarning(
            WarningKind.BUDGET,
            f"Realisasi anggaran {format_money(used)} melebihi pagu {format_money(pagu)} "
            f"(serapan {format_percent(used * _HUNDRED / pagu)})."))
    previous = _optional(last_year_actual)
    if value is not None and previous is not None and previous != 0:
        change = abs(value - previous) / abs(previous)
        if change > rules.max_change:
            year = f" tahun {last_year}" if last_year else " tahun lalu"
            warnings.append(PlausibilityWarning(
                WarningKind.LAST_YEAR,
                f"Realisasi {format_number(value)} berbeda {format_percent(change * _HUNDRED)} "
                f"dari realisasi{year} ({format_number(previous)}); lebih dari "
                f"{format_percent(rules.max_change * _HUNDRED)}."))
    return tuple(warnings)


def warnings_from_json(rows: object) -> tuple[PlausibilityWarning, ...]:
    """Warnings as stored in a submission snapshot (unknown kinds are kept as text)."""
    result = []
    for row in rows if isinstance(rows, list) else ():
        if not isinstance(row, dict) or not isinstance(row.get("message"), str):
            continue
        try:
            kind = WarningKind(row.get("kind"))
        except ValueError:
            kind = WarningKind.ACHIEVEMENT
        result.append(PlausibilityWarning(kind, row["message"]))
    return tuple(result)

