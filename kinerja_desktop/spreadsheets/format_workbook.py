"""The team workbook of step 3: one protected Excel file per team (export side).

Layout (``LAYOUT_VERSION`` 1), shared with :mod:`kinerja_desktop.spreadsheets.importer`:

* sheet ``Petunjuk``: instructions in Indonesian;
* sheet ``Data Kinerja``: a title block (rows 1–4), the column headers in row
  ``HEADER_ROW`` and one row per format item from ``FIRST_ROW``. Structure cells (number,
  objective, indicator, unit, polarity, target, status) are locked by sheet protection
  (no password: it prevents accidental edits; deliberate edits are caught by the
  checksum); the input cells (yellow) are unlocked and carry data validation. Items the
  team may no longer change (submitted, verified) and fields the format does not ask for
  are locked and grey;
* sheet ``_identitas`` (state ``veryHidden``): key/value rows with the cycle, year, team,
  office, format version (``FormatSpec.version``), export time and the items (id, row,
  fingerprint of its locked cells), closed by a SHA-256 checksum over all of it. The
  checksum detects edits of the identifiers or of the locked cells; it is not a secret
  signature, and every value is validated against the database on import anyway.

Text that starts with ``=``, ``+``, ``-`` or ``@`` is always written as a text cell
(with Excel's quote prefix), never as a formula. openpyxl is imported inside functions.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from kinerja_desktop.domain.input_rules import MAX_MAGNITUDE, xml_safe
from kinerja_desktop.domain.input_rules import MAX_MANUAL_ACHIEVEMENT as _MAX_MANUAL

LAYOUT_VERSION = 2  # 2: the installation's id in the identity
APP_MARK = "Kinerja Desktop"
SHEET_HELP = "Petunjuk"
SHEET_DATA = "Data Kinerja"
SHEET_ID = "_identitas"
HEADER_ROW = 6
FIRST_ROW = 7
ITEMS_MARK = "butir"
CHECKSUM_KEY = "checksum"
_CHECKSUM_SALT = "kinerja-desktop/format-tim/v1"

#: Largest number accepted in a numeric cell (absolute value): the bounds every entrance
#: shares (kinerja_desktop.domain.input_rules).
MAX_NUMBER = MAX_MAGNITUDE
#: Manual achievement range (percent).
MAX_MANUAL_ACHIEVEMENT = _MAX_MANUAL

NUMBER_FORMAT = "#,##0.00"  # Excel shows it with the user's separators (1.234,56 in id-ID)
TEXT_FORMAT = "@"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    #: "structure" (locked), "number", "money", "percent", "text", "actual" or "status"
    kind: str
    #: format_fields key deciding whether the team is asked for it (None: always)
    field: str | None = None


COLUMNS: tuple[Column, ...] = (
    Column("no", "No", 5, "structure"),
    Column("objective", "Sasaran Strategis", 28, "structure"),
    Column("indicator", "Indikator Kinerja", 40, "structure"),
    Column("unit", "Satuan", 11, "structure"),
    Column("polarity", "Sifat Indikator", 20, "structure"),
    Column("target", "Target", 13, "structure"),
    Column("actual", "Realisasi", 15, "actual", "realisasi"),
    Column("budget", "Pagu Anggaran (Rp)", 19, "money", "anggaran"),
    Column("spent", "Realisasi Anggaran (Rp)", 19, "money", "anggaran"),
    Column("explanation", "Penjelasan", 40, "text", "penjelasan"),
    Column("supporting", "Faktor Pendukung", 32, "text", "faktor_pendukung"),
    Column("inhibiting", "Faktor Penghambat", 32, "text", "faktor_penghambat"),
    Column("follow_up", "Upaya / Tindak Lanjut", 32, "text", "upaya"),
    Column("manual_achievement", "Capaian Manual (%)", 14, "percent"),
    Column("manual_justification", "Alasan Capaian Manual", 32, "text"),
    Column("status", "Status", 16, "status"),
)
COLUMN_INDEX = {c.key: i + 1 for i, c in enumerate(COLUMNS)}
INPUT_KEYS = ("actual", "budget", "spent", "explanation", "supporting", "inhibiting",
              "follow_up", "manual_achievement", "manual_justification")
#: Locked cells whose content is part of each row's fingerprint.
FINGERPRINT_KEYS = ("indicator", "unit", "polarity", "target")

POLARITY_LABELS = {
    "positif": "Positif (makin tinggi makin baik)",
    "negatif": "Negatif (makin rendah makin baik)",
}

#: Known qualitative scales: a list validation is offered when the target is one of them.
QUALITATIVE_SCALES: tuple[tuple[str, ...], ...] = (
    ("AA", "A", "BB", "B", "CC", "C", "D"),          # predikat SAKIP
    ("WTP", "WDP", "TW", "TMP"),                     # opini BPK
)

_FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class WorkbookItem:
    item_id: int
    objective: str
    indicator: str
    unit: str
    polarity: str
    formula_label: str
    qualitative: bool
    target: float | None
    target_text: str
    #: current values by input key (EntryInput field names)
    values: dict
    state_label: str
    editable: bool
    #: This item's own field requirements when they differ from the format's (step 2).
    requirements: dict | None = None


@dataclass(frozen=True)
class TeamWorkbookData:
    cycle_id: int
    year: int
    cycle_label: str
    team_id: int
    team_name: str
    office_name: str
    format_version: int
    exported_at: datetime
    exported_by: str
    #: format_fields key -> "wajib" | "opsional" | "tidak"
    requirements: dict
    items: tuple[WorkbookItem, ...]
    max_text: int = 4000
    max_short_text: int = 200
    extra: dict = field(default_factory=dict)
    #: the exporting installation (settings.installation_id): a file from another is refused
    installation_id: str = ""
    #: the office's paper ("A4"/"F4"): the data sheet prints on it
    paper_size: str = "A4"
    #: the team's programmes of the cycle (programme_sheet.WorkbookProgramme), if any
    programmes: tuple = ()


# --------------------------------------------------------------------------- shared helpers


def workbook_file_name(year: int, team_name: str) -> str:
    """``Format Data Kinerja 2025 - Tim Bidang Pemerintahan Desa.xlsx`` (safe on Windows)."""
    safe = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', " ", team_name)
    safe = re.sub(r"\s+", " ", safe).strip(" .") or "Tim"
    return f"Format Data Kinerja {year} - {safe[:80]}.xlsx"


def canonical(value: object) -> str:
    """A stable text form of a cell value for fingerprints (numbers as floats)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return f"bool:{value}"
    if isinstance(value, int | float):
        return repr(float(value))
    return xml_safe(str(value)).strip()  # as the cell holds it


def target_cell_value(item: WorkbookItem) -> object:
    return target_value(item.target, item.target_text, item.qualitative)


def target_value(target: float | None, target_text: str, qualitative: bool) -> object:
    if target is not None and not qualitative:
        return float(target)
    return target_text or ("" if target is None else target)


def locked_cells(indicator: str, unit: str, polarity: str, target: object) -> dict[str, object]:
    """The locked cells of an item's row as the export writes them (fingerprinted)."""
    return {"indicator": indicator, "unit": unit,
            "polarity": POLARITY_LABELS.get(polarity, polarity), "target": target}


def row_fingerprint(cells: dict[str, object]) -> str:
    text = "\x1f".join(canonical(cells.get(k)) for k in FINGERPRINT_KEYS)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def identity_checksum(pairs: list[tuple[str, str]]) -> str:
    """SHA-256 over the identity rows (everything on the hidden sheet but the checksum)."""
    payload = json.dumps([_CHECKSUM_SALT, *[[k, v] for k, v in pairs]], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def item_row(index: int) -> int:
    return FIRST_ROW + index


def asked(requirements: dict, column: Column) -> bool:
    return column.field is None or requirements.get(column.field, "opsional") != "tidak"


def column_letter(key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(COLUMN_INDEX[key])


# --------------------------------------------------------------------------- export


def set_text(cell, text: str) -> None:
    """Write ``text`` as a text cell, never a formula (quote prefix for =, +, -, @).

    Characters an .xlsx cannot hold (a vertical tab in text stored before the input
    rules) are left out, so no stored text can make a workbook impossible to write.
    """
    text = xml_safe(text)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True


def _write(cell, value: object) -> None:
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value


def render_team_workbook(data: TeamWorkbookData) -> bytes:
    """The team's workbook as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    wb = Workbook()
    help_ws = wb.active
    help_ws.title = SHEET_HELP
    ws = wb.create_sheet(SHEET_DATA)
    id_ws = wb.create_sheet(SHEET_ID)
    _write_help(help_ws, data)
    _write_items(ws, data)
    if data.programmes:
        _write_programmes(wb, data)
        wb.move_sheet(id_ws, offset=len(wb.sheetnames) - 1 - wb.index(id_ws))
    _write_identity(id_ws, data)
    id_ws.sheet_state = "veryHidden"
    wb.active = 1
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.creator = APP_MARK
    wb.properties.title = f"Format Data Kinerja {data.year} - {data.team_name}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _write_help(ws, data: TeamWorkbookData) -> None:
    from openpyxl.styles import Alignment, Font

    required = [c.header for c in COLUMNS
                if c.field and data.requirements.get(c.field) == "wajib"]
    lines = [
        (f"PETUNJUK PENGISIAN FORMAT DATA KINERJA TAHUN {data.year}", True),
        (f"{data.office_name}", False),
        (f"Tim: {data.team_name}", False),
        ("", False),
        ("1. Isi data pada lembar 'Data Kinerja', hanya pada sel berwarna kuning.", False),
        ("2. Sel berwarna abu-abu dan judul kolom dikunci; jangan menambah, menghapus, "
         "atau memindahkan baris.", False),
        ("3. Realisasi, pagu, dan realisasi anggaran diisi dengan angka (bukan rumus). "
         "Pemisah ribuan dan desimal mengikuti pengaturan Excel (misalnya 1.234,56).", False),
        ("4. Indikator kualitatif (target berupa teks) diisi realisasinya dengan teks, "
         "misalnya predikat 'B'.", False),
        ("5. Capaian manual hanya diisi bila capaian tidak dapat dihitung dengan rumus; "
         "wajib disertai alasan.", False),
        ("6. Bukti dukung tidak dapat dilampirkan di berkas ini; lampirkan melalui "
         "aplikasi Kinerja Desktop.", False),
        ("7. Jangan mengubah nama berkas sebelum diserahkan. Berkas akan diperiksa saat "
         "diimpor; tidak ada data yang berubah bila ada kesalahan.", False),
        ("8. Butir berstatus Diserahkan atau Diverifikasi tidak dapat diubah lagi.", False),
        *([("9. Pagu dan realisasi anggaran setiap program tim diisi pada lembar "
            "'Anggaran Program' (satu baris per program).", False)] if data.programmes else []),
        ("", False),
        ("Kolom wajib: " + (", ".join(required) if required else "Realisasi"), False),
        (f"Diekspor: {data.exported_at.strftime('%d-%m-%Y %H:%M')} UTC oleh "
         f"{data.exported_by}", False),
    ]
    width = 72
    for r, (text, bold) in enumerate(lines, start=1):
        cell = ws.cell(row=r, column=1)
        set_text(cell, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = row_height([(text, width)])
        if bold:
            cell.font = Font(bold=True, size=13)
            ws.row_dimensions[r].height = 20
    ws.column_dimensions["A"].width = width
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True


def row_height(texts: list[tuple[str, float]]) -> float:
    """Points for a row whose wrapped cells hold ``(text, column width)``."""
    lines = 1
    for text, width in texts:
        per_line = max(1, int(width * 0.95))
        count = sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n"))
        lines = max(lines, count)
    return 15.0 * min(lines, 30) + 2


def _write_items(ws, data: TeamWorkbookData) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from kinerja_desktop.spreadsheets.print_setup import prepare_for_print

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    input_fill = PatternFill("solid", fgColor="FFF7CC")
    locked_fill = PatternFill("solid", fgColor="EDEDED")
    header_fill = PatternFill("solid", fgColor="D9E2F3")
    unlocked = Protection(locked=False)
    wrap = Alignment(wrap_text=True, vertical="top")
    last_col = get_column_letter(len(COLUMNS))

    for r, text in enumerate((
        f"FORMAT PENGUMPULAN DATA KINERJA {data.cycle_label.upper()}",
        data.office_name,
        f"Tim: {data.team_name}",
        "Isi hanya sel berwarna kuning. Kolom bertanda * wajib diisi.",
    ), start=1):
        cell = ws.cell(row=r, column=1)
        set_text(cell, text)
        cell.font = Font(bold=r == 1, size=13 if r == 1 else 11)
        ws.merge_cells(f"A{r}:{last_col}{r}")

    for c, col in enumerate(COLUMNS, start=1):
        header = col.header
        if col.field and data.requirements.get(col.field) == "wajib":
            header += " *"
        if not asked(data.requirements, col):
            header += " (tidak diminta)"
        cell = ws.cell(row=HEADER_ROW, column=c)
        set_text(cell, header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = col.width
    ws.row_dimensions[HEADER_ROW].height = 32

    def validation(**kwargs) -> DataValidation:
        dv = DataValidation(allow_blank=True, showErrorMessage=True, showInputMessage=True,
                            errorTitle="Isian tidak sah", **kwargs)
        ws.add_data_validation(dv)
        return dv

    dv_number = validation(type="decimal", operator="between", formula1=str(-MAX_NUMBER),
                           formula2=str(MAX_NUMBER), error="Isi dengan angka, bukan teks "
                           "atau rumus.", promptTitle="Realisasi", prompt="Isi dengan angka.")
    dv_money = validation(type="decimal", operator="between", formula1="0",
                          formula2=str(MAX_NUMBER), error="Isi dengan angka rupiah yang tidak "
                          "negatif.", promptTitle="Anggaran", prompt="Angka rupiah, tanpa 'Rp'.")
    dv_percent = validation(type="decimal", operator="between", formula1="0",
                            formula2=str(MAX_MANUAL_ACHIEVEMENT),
                            error=f"Capaian manual harus 0 sampai {MAX_MANUAL_ACHIEVEMENT:.0f}.",
                            promptTitle="Capaian manual",
                            prompt="Hanya bila capaian tidak dapat dihitung; isi juga alasannya.")
    dv_text = validation(type="textLength", operator="lessThanOrEqual",
                         formula1=str(data.max_text),
                         error=f"Teks terlalu panjang (maksimal {data.max_text} karakter).")
    dv_short = validation(type="textLength", operator="lessThanOrEqual",
                          formula1=str(data.max_short_text),
                          error=f"Teks terlalu panjang (maksimal {data.max_short_text} "
                                "karakter).", promptTitle="Realisasi (teks)",
                          prompt="Indikator kualitatif: isi dengan teks.")
    list_validations: dict[tuple[str, ...], DataValidation] = {}

    for index, item in enumerate(data.items):
        row = item_row(index)
        structure = {
            "no": index + 1,
            "objective": item.objective,
            "indicator": item.indicator,
            "unit": item.unit,
            "polarity": POLARITY_LABELS.get(item.polarity, item.polarity),
            "target": target_cell_value(item),
            "status": item.state_label if item.editable else f"{item.state_label} (terkunci)",
        }
        shown = [(structure.get(col.key, item.values.get(col.key)) or "", col.width)
                 for col in COLUMNS]
        ws.row_dimensions[row].height = row_height([(str(t), w) for t, w in shown])
        for c, col in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=row, column=c)
            cell.border = border
            cell.alignment = wrap
            if col.key in structure:
                _write(cell, structure[col.key])
                cell.fill = locked_fill
                if col.key == "target" and isinstance(structure["target"], float):
                    cell.number_format = NUMBER_FORMAT
                continue
            value = item.values.get(col.key)
            if col.key == "actual" and item.qualitative:
                value = item.values.get("actual_text") or None
            if value is not None and value != "":
                _write(cell, value)
            open_cell = item.editable and asked(item.requirements or data.requirements, col)
            cell.fill = input_fill if open_cell else locked_fill
            if open_cell:
                cell.protection = unlocked
            ref = cell.coordinate
            if col.kind == "actual" and item.qualitative:
                cell.number_format = TEXT_FORMAT
                scale = next((s for s in QUALITATIVE_SCALES
                              if item.target_text.strip().upper() in s), None)
                if scale is not None:
                    if scale not in list_validations:
                        list_validations[scale] = validation(
                            type="list", formula1='"' + ",".join(scale) + '"',
                            errorStyle="warning", promptTitle="Realisasi (teks)",
                            prompt="Pilih dari daftar atau ketik teks.",
                            error="Nilai tidak ada dalam daftar; tetap gunakan?")
                    list_validations[scale].add(ref)
                else:
                    dv_short.add(ref)
            elif col.kind == "actual":
                cell.number_format = NUMBER_FORMAT
                dv_number.add(ref)
            elif col.kind == "money":
                cell.number_format = NUMBER_FORMAT
                dv_money.add(ref)
            elif col.kind == "percent":
                cell.number_format = NUMBER_FORMAT
                dv_percent.add(ref)
            elif col.kind == "text":
                cell.number_format = TEXT_FORMAT
                dv_text.add(ref)
    for dv in (dv_number, dv_money, dv_percent, dv_text, dv_short):
        if not dv.sqref.ranges:
            ws.data_validations.dataValidation.remove(dv)

    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=COLUMN_INDEX["actual"])
    prepare_for_print(ws, data.paper_size, landscape=True,
                      title=f"Format Data Kinerja {data.cycle_label} — {data.team_name}",
                      footer=data.office_name, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    protection = ws.protection
    protection.sheet = True
    protection.formatColumns = False  # people may widen columns and rows
    protection.formatRows = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


def _write_programmes(wb, data) -> None:
    """The budget sheet of ``data`` (a TeamWorkbookData with programmes), before the
    identity sheet."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from kinerja_desktop.spreadsheets.programme_sheet import (
        COLUMNS,
        FIRST_ROW,
        HEADER_ROW,
        INPUT_KEYS,
        SHEET,
        programme_row,
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


def identity_pairs(data: TeamWorkbookData) -> list[tuple[str, str]]:
    pairs = [
        ("aplikasi", APP_MARK),
        ("versi_berkas", str(LAYOUT_VERSION)),
        ("instalasi", data.installation_id),
        ("siklus_id", str(data.cycle_id)),
        ("tahun", str(data.year)),
        ("siklus", data.cycle_label),
        ("tim_id", str(data.team_id)),
        ("tim", data.team_name),
        ("kantor", data.office_name),
        ("versi_format", str(data.format_version)),
        ("diekspor_pada", data.exported_at.isoformat()),
        ("diekspor_oleh", data.exported_by),
        ("jumlah_butir", str(len(data.items))),
    ]
    pairs = [(key, xml_safe(value)) for key, value in pairs]  # as written to the sheet
    for index, item in enumerate(data.items):
        cells = locked_cells(item.indicator, item.unit, item.polarity, target_cell_value(item))
        pairs.append((ITEMS_MARK, f"{item.item_id}|{item_row(index)}|{row_fingerprint(cells)}"))
    if data.programmes:  # files of a team without programmes keep their identity as before
        from kinerja_desktop.spreadsheets import programme_sheet

        pairs.extend((k, xml_safe(v)) for k, v in programme_sheet.identity_pairs(data.programmes))
    return pairs


def _write_identity(ws, data: TeamWorkbookData) -> None:
    pairs = identity_pairs(data)
    for r, (key, value) in enumerate(pairs, start=1):
        set_text(ws.cell(row=r, column=1), key)
        set_text(ws.cell(row=r, column=2), value)
    set_text(ws.cell(row=len(pairs) + 1, column=1), CHECKSUM_KEY)
    set_text(ws.cell(row=len(pairs) + 1, column=2), identity_checksum(pairs))
    ws.protection.sheet = True
