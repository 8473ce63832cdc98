"""The team workbook's budget sheet: the team's programmes with their pagu and realisasi.

Sheet ``Anggaran Program`` (written only when the team has programmes in the cycle):
a title block, the headers in row ``HEADER_ROW`` and one row per programme from
``FIRST_ROW``: No, Kode, Program (locked, grey) and Pagu, Realisasi (yellow inputs with
the same number validation as the data sheet's money cells). The identity sheet lists
each programme as ``program`` = "id|row|fingerprint of code and name", inside the
checksum, so a row moved or a locked cell changed is caught on import.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

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
    from kinerja_desktop.spreadsheets.format_workbook import canonical

    text = "\x1f".join((canonical(code), canonical(name)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def identity_pairs(programmes: tuple[WorkbookProgramme, ...]) -> list[tuple[str, str]]:
    return [(MARK, f"{p.programme_id}|{programme_row(i)}|{fingerprint(p.code, p.name)}")
            for i, p in enumerate(programmes)]


def write_sheet(wb, data) -> None:
    """The budget sheet of ``data`` (a TeamWorkbookData with programmes), before the
    identity sheet."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from kinerja_desktop.spreadsheets.format_workbook import (
        MAX_NUMBER,
        NUMBER_FORMAT,
        row_height,
        set_text,
    )

    ws = wb.create_sheet(SHEET)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    input_fill = PatternFill("solid", fgColor="FFF7CC")
    locked_fill = PatternFill("solid", fgColor="EDEDED")
    wrap = Alignment(wrap_text=True, vertical="top")
    last = get_column_letter(len(COLUMNS))
    for r, text in enumerate((
        f"PAGU DAN REALISASI ANGGARAN PER PROGRAM {data.cycle_label.upper()}",
        data.office_name,
        f"Tim: {data.team_name}",
        "Isi pagu dan realisasi anggaran setiap program pada sel berwarna kuning (angka "
        "rupiah, tanpa 'Rp').",
    ), start=1):
        cell = ws.cell(row=r, column=1)
        set_text(cell, text)
        cell.font = Font(bold=r == 1, size=13 if r == 1 else 11)
        ws.merge_cells(f"A{r}:{last}{r}")
    for c, (_key, header, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=c)
        set_text(cell, header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E2F3")
        cell.border = border
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[HEADER_ROW].height = 32
    money = DataValidation(type="decimal", operator="between", formula1="0",
                           formula2=str(MAX_NUMBER), allow_blank=True, showErrorMessage=True,
                           errorTitle="Isian tidak sah", showInputMessage=True,
                           error="Isi dengan angka rupiah yang tidak negatif.",
                           promptTitle="Anggaran", prompt="Angka rupiah, tanpa 'Rp'.")
    ws.add_data_validation(money)
    for index, p in enumerate(data.programmes):
        row = programme_row(index)
        values = {"no": index + 1, "code": p.code, "name": p.name, "budget": p.budget,
                  "spent": p.spent}
        ws.row_dimensions[row].height = row_height([(p.name, COLUMNS[2][2])])
        for c, (key, _header, _width) in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=row, column=c)
            cell.border = border
            cell.alignment = wrap
            value = values[key]
            if isinstance(value, str):
                set_text(cell, value)
            elif value is not None:
                cell.value = value
            if key in INPUT_KEYS:
                cell.number_format = NUMBER_FORMAT
                if p.editable:
                    cell.fill = input_fill
                    cell.protection = Protection(locked=False)
                    money.add(cell.coordinate)
                else:
                    cell.fill = locked_fill
            else:
                cell.fill = locked_fill
    if not money.sqref.ranges:
        ws.data_validations.dataValidation.remove(money)
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=4)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    protection = ws.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False


def read_sheet(ws, parsed, rows) -> None:
    """The programme rows of the sheet into ``parsed.programme_rows`` (row -> {key: cell});
    headers changed or rows added are reported as problems. ``rows``: the sheet's present
    rows (``importer._present_rows``)."""
    from kinerja_desktop.spreadsheets.importer import RawCell

    expected = {row for _id, row, _fp in parsed.programmes}
    for row_no, cells in rows:
        if row_no == HEADER_ROW:
            for index, (_key, header, _w) in enumerate(COLUMNS):
                value = getattr(cells[index], "value", None) if index < len(cells) else None
                if not str(value or "").startswith(header):
                    parsed.error(SHEET, f"{chr(65 + index)}{HEADER_ROW}",
                                 f"Judul kolom diubah (seharusnya '{header}').")
            continue
        raw = {}
        for index, cell in enumerate(cells):
            coordinate = f"{chr(65 + index)}{row_no}"
            value = getattr(cell, "value", None)
            if index >= len(COLUMNS):
                if value not in (None, ""):
                    parsed.error(SHEET, coordinate, "Kolom tambahan di luar format; hapus "
                                 "isinya.")
                continue
            raw[COLUMNS[index][0]] = RawCell(value, getattr(cell, "data_type", "n"),
                                             coordinate)
        if row_no in expected:
            parsed.programme_rows[row_no] = raw
        elif any(c.value not in (None, "") for c in raw.values()):
            first = next(c for c in raw.values() if c.value not in (None, ""))
            parsed.error(SHEET, first.coordinate, f"Baris tambahan (baris {row_no}); daftar "
                         "program tidak boleh ditambah baris. Hapus baris ini.")
