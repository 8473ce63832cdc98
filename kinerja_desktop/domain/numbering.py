"""The Nomor of official documents, built from the office's template (DOMAIN.md, "Numbering
of documents"): ``"050/{urut}/DPMD/{bulan romawi}/{tahun}"`` → ``"050/17/DPMD/II/2018"``.

Placeholders: ``{urut}`` (the running number of the year and kind, required),
``{bulan romawi}`` (I … XII), ``{bulan}`` (01 … 12) and ``{tahun}`` (four digits).
"""

from __future__ import annotations

import re
from datetime import date

from .errors import ValidationError

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
PLACEHOLDERS = ("{urut}", "{bulan romawi}", "{bulan}", "{tahun}")
MAX_TEMPLATE = 100
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def check_template(template: str) -> str:
    """The template with surrounding spaces removed; ValidationError (Indonesian) when it
    lacks ``{urut}``, names an unknown placeholder or is too long."""
    text = template.strip()
    if not text:
        raise ValidationError("Pola nomor wajib diisi, misalnya 050/{urut}/DPMD/{bulan romawi}/"
                              "{tahun}.")
    if len(text) > MAX_TEMPLATE:
        raise ValidationError(f"Pola nomor terlalu panjang ({len(text)} karakter; maksimal "
                              f"{MAX_TEMPLATE}).")
    unknown = [p for p in _PLACEHOLDER.findall(text) if p not in PLACEHOLDERS]
    if unknown:
        raise ValidationError(f"Pola nomor memuat {', '.join(unknown)} yang tidak dikenal; "
                              f"gunakan {', '.join(PLACEHOLDERS)}.")
    if "{urut}" not in text:
        raise ValidationError("Pola nomor harus memuat {urut} (nomor urut per tahun).")
    if "{" in _PLACEHOLDER.sub("", text) or "}" in _PLACEHOLDER.sub("", text):
        raise ValidationError("Kurung kurawal pada pola nomor hanya untuk {urut}, "
                              "{bulan romawi}, {bulan} dan {tahun}.")
    return text


def render_number(template: str, sequence: int, day: date) -> str:
    """The Nomor for running number ``sequence`` of a document dated ``day``."""
    if sequence < 1:
        raise ValueError("Nomor urut dimulai dari 1.")
    text = check_template(template)
    return (text.replace("{urut}", str(sequence))
            .replace("{bulan romawi}", ROMAN_MONTHS[day.month - 1])
            .replace("{bulan}", f"{day.month:02d}")
            .replace("{tahun}", str(day.year)))
