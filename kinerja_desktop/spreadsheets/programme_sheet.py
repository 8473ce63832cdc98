"""The team workbook's budget sheet: the team's programmes with their pagu and realisasi.

Sheet ``Anggaran Program`` (written only when the team has programmes in the cycle):
a title block, the headers in row ``HEADER_ROW`` and one row per programme from
``FIRST_ROW``: No, Kode, Program (locked, grey) and Pagu, Realisasi (yellow inputs with
the same number validation as the data sheet's money cells). The identity sheet lists
each programme as ``program`` = "id|row|fingerprint of code and name", inside the
checksum, so a row moved or a locked cell changed is caught on import. The sheet is
written by ``format_workbook`` and read by ``importer``; this module holds what both share.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from kinerja_desktop.domain.input_rules import xml_safe

SHEET = "Anggaran Program"
MARK = "program"
HEADER_ROW = 6
FIRST_ROW = 7
#: (key, header, width); "budget" and "spent" are the team's inputs.
COLUMNS = (("no", "No", 5), ("code", "Kode", 12), ("name", "Program", 60),
           ("budget", "Pagu Anggaran (Rp)", 22), ("spent", "Realisasi Anggaran (Rp)", 22))
INPUT_KEYS = ("budget", "spent")


@dataclass(frozen=True)
class WorkbookProgramme:
    programme_id: int
    code: str
    name: str
    budget: float | None
    spent: float | None
    editable: bool = True


def programme_row(index: int) -> int:
    return FIRST_ROW + index


def fingerprint(code: str, name: str) -> str:
    """Of the locked code and name, as the cells hold them (``format_workbook.canonical``
    of text)."""
    text = "\x1f".join(xml_safe(str(v or "")).strip() for v in (code, name))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def identity_pairs(programmes: tuple[WorkbookProgramme, ...]) -> list[tuple[str, str]]:
    return [(MARK, f"{p.programme_id}|{programme_row(i)}|{fingerprint(p.code, p.name)}")
            for i, p in enumerate(programmes)]
