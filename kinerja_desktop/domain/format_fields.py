"""The fields a team fills per indicator, and which are required (format of step 2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


class Requirement(StrEnum):
    REQUIRED = "wajib"
    OPTIONAL = "opsional"
    HIDDEN = "tidak"


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str


FIELDS: tuple[FieldDef, ...] = (
    FieldDef("realisasi", "Realisasi"),
    FieldDef("anggaran", "Pagu dan realisasi anggaran"),
    FieldDef("penjelasan", "Penjelasan"),
    FieldDef("faktor_pendukung", "Faktor pendukung"),
    FieldDef("faktor_penghambat", "Faktor penghambat"),
    FieldDef("upaya", "Upaya / tindak lanjut"),
    FieldDef("bukti_dukung", "Bukti dukung"),
)
FIELD_LABELS = {f.key: f.label for f in FIELDS}

DEFAULT_REQUIREMENTS: dict[str, str] = {
    "realisasi": Requirement.REQUIRED,
    "anggaran": Requirement.OPTIONAL,
    "penjelasan": Requirement.REQUIRED,
    "faktor_pendukung": Requirement.OPTIONAL,
    "faktor_penghambat": Requirement.OPTIONAL,
    "upaya": Requirement.OPTIONAL,
    "bukti_dukung": Requirement.OPTIONAL,
}


def normalise_requirements(spec: Mapping[str, str] | None) -> dict[str, Requirement]:
    """Every field with a valid requirement; realisasi is always required."""
    try:
        key = tuple(sorted((spec or {}).items()))
        hash(key)
    except TypeError:  # a value that is not text (a damaged format): resolved uncached
        return dict(_normalise(spec))
    return dict(_normalised(key))


@lru_cache(maxsize=32)
def _normalised(spec_items: tuple) -> tuple[tuple[str, Requirement], ...]:
    """:func:`_normalise` once per format: a team's 300 items share it."""
    return _normalise(dict(spec_items))


def _normalise(spec: Mapping[str, str] | None) -> tuple[tuple[str, Requirement], ...]:
    result: dict[str, Requirement] = {}
    for f in FIELDS:
        raw = (spec or {}).get(f.key, DEFAULT_REQUIREMENTS[f.key])
        try:
            result[f.key] = Requirement(raw)
        except (ValueError, TypeError):
            result[f.key] = Requirement(DEFAULT_REQUIREMENTS[f.key])
    result["realisasi"] = Requirement.REQUIRED
    return tuple(result.items())


def item_requirements(spec: Mapping[str, str] | None,
                      overrides: Mapping[str, str] | None) -> dict[str, Requirement]:
    """One item's requirements: the format's, with the item's own choices on top.

    ``overrides`` holds only the fields the Kasubag set for this item (step 2); an
    unknown field or value there is ignored. Realisasi stays required.
    """
    merged = dict(normalise_requirements(spec))
    for key, raw in (overrides or {}).items():
        if key in merged:
            try:
                merged[key] = Requirement(raw)
            except ValueError:
                continue
    merged["realisasi"] = Requirement.REQUIRED
    return merged


@dataclass(frozen=True)
class EntryValues:
    """What a team has entered for one item (numbers already parsed)."""

    actual: float | None = None
    actual_text: str = ""
    budget: float | None = None
    spent: float | None = None
    explanation: str = ""
    supporting: str = ""
    inhibiting: str = ""
    follow_up: str = ""
    evidence_count: int = 0


def missing_fields(
    spec: Mapping[str, str] | None, values: EntryValues, *, qualitative: bool,
    overrides: Mapping[str, str] | None = None,
) -> list[str]:
    """Labels of the required fields that are still empty (``overrides``: the item's own
    requirements, see :func:`item_requirements`)."""
    return missing_under(item_requirements(spec, overrides), values, qualitative=qualitative)


def missing_under(req: Mapping[str, Requirement], values: EntryValues, *,
                  qualitative: bool) -> list[str]:
    """:func:`missing_fields` with the requirements already resolved (many items of one
    format share them: resolve once, check each)."""
    missing: list[str] = []

    def need(key: str) -> bool:
        return req[key] is Requirement.REQUIRED

    if qualitative:
        if not values.actual_text.strip():
            missing.append("Realisasi")
    elif values.actual is None:
        missing.append("Realisasi")
    if need("anggaran"):
        if values.budget is None:
            missing.append("Pagu anggaran")
        if values.spent is None:
            missing.append("Realisasi anggaran")
    for key, text in (
        ("penjelasan", values.explanation),
        ("faktor_pendukung", values.supporting),
        ("faktor_penghambat", values.inhibiting),
        ("upaya", values.follow_up),
    ):
        if need(key) and not text.strip():
            missing.append(FIELD_LABELS[key])
    if need("bukti_dukung") and values.evidence_count == 0:
        missing.append("Bukti dukung")
    return missing
