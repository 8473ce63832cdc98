"""The indicator master as an Excel sheet: a template the app exports (with the office's
indicators, if any) and the reading of a filled one (step 2, day one of an office).

Nothing here touches the database. :func:`render_indicator_template` writes the
template; :func:`read_indicator_workbook` checks the file the way team workbooks are
checked (size, signature, zip bomb, formulas) and returns one row of raw cells per
indicator with every problem found at its cell. The service
(:mod:`kinerja_desktop.services.indicator_import`) validates the values against the
office's data and applies them all or nothing. openpyxl is imported inside functions.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from kinerja_desktop.spreadsheets.importer import (
    Problem,
    RawCell,
    WorkbookFileError,
    check_container,
    read_file,
)

SHEET_HELP = "Petunjuk"
SHEET_DATA = "Indikator"
HEADER_ROW = 4
FIRST_ROW = 5
MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    required: bool = False
    #: A column a file may leave out (an older template): the realisasi of earlier years.
    optional: bool = False


#: How many earlier years the template carries a realisasi column for.
EARLIER_YEARS = 3


def earlier_key(year: int) -> str:
    return f"earlier_{year}"


def earlier_years(year: int) -> tuple[int, ...]:
    """The earlier years whose realisasi the template for ``year`` carries."""
    return tuple(range(year - EARLIER_YEARS, year))


def columns(year: int) -> tuple[Column, ...]:
    """The template's columns; the target column names the year, the optional last ones
    the earlier years whose realisasi they hold."""
    return base_columns(year) + tuple(
        Column(earlier_key(y), f"Realisasi {y}", 14, optional=True) for y in earlier_years(year))


def base_columns(year: int) -> tuple[Column, ...]:
    return (
        Column("objective_code", "Kode Sasaran", 12),
        Column("objective", "Sasaran Strategis", 40, True),
        Column("code", "Kode Indikator", 12),
        Column("name", "Indikator Kinerja", 48, True),
        Column("unit", "Satuan", 12),
        Column("polarity", "Polaritas", 12),
        Column("formula", "Rumus Capaian", 30),
        Column("qualitative", "Kualitatif", 11),
        Column("team", "Tim Penanggung Jawab", 30),
        Column("target", f"Target {year}", 14),
        Column("renstra", "Target Akhir Renstra", 16),
        Column("renstra_year", "Tahun Akhir Renstra", 14),
        Column("source", "Sumber Data", 30),
    )


POLARITY_WORDS = ("Positif", "Negatif")
PAPERS = ("A4", "F4")
YES_NO = ("Ya", "Tidak")


@dataclass(frozen=True)
class TemplateRow:
    """One indicator written into the template (the office's current master)."""

    objective_code: str
    objective: str
    code: str
    name: str
    unit: str
    polarity: str
    formula: str
    qualitative: bool
    team: str
    target: float | str | None
    renstra: float | str | None
    renstra_year: int | None
    source: str
    #: Realisasi of the earlier years (oldest first; a number, a text, or None).
    earlier: tuple[float | str | None, ...] = ()


@dataclass(frozen=True)
class TemplateData:
    office_name: str
    year: int
    teams: tuple[str, ...]
    formulas: tuple[str, ...]
    rows: tuple[TemplateRow, ...] = ()
    paper_size: str = "A4"  # the office's paper: the sheet prints on it


@dataclass
class ParsedIndicators:
    file_name: str
    sha256: str
    size: int
    year: int | None = None
    rows: list[tuple[int, dict[str, RawCell]]] = field(default_factory=list)
    #: The earlier years whose realisasi column the file carries.
    earlier: tuple[int, ...] = ()
    problems: list[Problem] = field(default_factory=list)

    def error(self, cell: str, message: str) -> None:
        self.problems.append(Problem(SHEET_DATA, cell, message))


def render_indicator_template(data: TemplateData) -> bytes:
    """The .xlsx template: instructions, then one row per indicator (yellow = to fill)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from kinerja_desktop.spreadsheets.print_setup import prepare_for_print

    wb = Workbook()
    help_ws = wb.active
    help_ws.title = SHEET_HELP
    lines = [
        ("Templat Master Indikator Kinerja — Kinerja Desktop", True),
        (data.office_name, False),
        ("", False),
        ("1. Isi satu baris per indikator pada lembar 'Indikator', mulai baris "
         f"{FIRST_ROW}. Jangan mengubah judul kolom pada baris {HEADER_ROW}.", False),
        ("2. Wajib: Sasaran Strategis dan Indikator Kinerja. Sasaran yang belum ada dibuat; "
         "indikator dengan sasaran dan nama yang sama dengan yang sudah ada diperbarui.", False),
        ("3. Polaritas: Positif (makin tinggi makin baik) atau Negatif. Rumus boleh "
         "dikosongkan (mengikuti polaritas); pilihan rumus ada pada daftar di sel.", False),
        ("4. Kualitatif: Ya untuk indikator seperti opini BPK (target berupa teks, mis. WTP).",
         False),
        ("5. Angka ditulis cara Indonesia (1.234,5) atau sebagai angka Excel. Rumus Excel "
         "tidak diterima.", False),
        ("6. Tim Penanggung Jawab harus sama dengan nama tim di aplikasi; boleh kosong.",
         False),
        ("7. Berkas diperiksa seluruhnya sebelum disimpan: bila ada satu kesalahan, tidak "
         "ada yang berubah, dan laporan menyebut sel yang salah.", False),
        (f"8. Kolom Realisasi {data.year - EARLIER_YEARS} sampai Realisasi {data.year - 1} "
         "(boleh dikosongkan): realisasi tahun-tahun sebelumnya dari LKjIP terdahulu, untuk "
         "perbandingan antartahun. Sel kosong tidak mengubah nilai yang sudah tersimpan.",
         False),
    ]
    for row, (text, bold) in enumerate(lines, start=1):
        cell = help_ws.cell(row=row, column=1, value=text)
        cell.font = Font(bold=bold, size=13 if row == 1 else 11)
    help_ws.column_dimensions["A"].width = 120
    if data.teams:
        help_ws.cell(row=len(lines) + 2, column=1, value="Tim yang ada: "
                     + "; ".join(data.teams))

    ws = wb.create_sheet(SHEET_DATA)
    wb.active = 1
    cols = columns(data.year)
    ws.cell(row=1, column=1, value="MASTER INDIKATOR KINERJA").font = Font(bold=True, size=13)
    ws.cell(row=2, column=1, value=f"{data.office_name} — target tahun {data.year}")
    header_fill = PatternFill("solid", fgColor="D9E2F3")
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, col in enumerate(cols, start=1):
        cell = ws.cell(row=HEADER_ROW, column=index,
                       value=col.header + (" *" if col.required else ""))
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(index)].width = col.width
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=1)
    prepare_for_print(ws, data.paper_size, landscape=True,
                      title=f"Master Indikator Kinerja — target tahun {data.year}",
                      footer=data.office_name, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    last = FIRST_ROW + max(len(data.rows), 200) - 1
    for row_no, item in enumerate(data.rows, start=FIRST_ROW):
        values = (item.objective_code, item.objective, item.code, item.name, item.unit,
                  item.polarity, item.formula, "Ya" if item.qualitative else "Tidak",
                  item.team, item.target, item.renstra, item.renstra_year, item.source,
                  *item.earlier)
        for index, value in enumerate(values, start=1):
            if value not in (None, ""):
                _write(ws.cell(row=row_no, column=index), value)
    for row_no in range(FIRST_ROW, last + 1):
        for index in range(1, len(cols) + 1):
            ws.cell(row=row_no, column=index).fill = input_fill

    def letter(key: str) -> str:
        return get_column_letter(next(i for i, c in enumerate(cols, start=1) if c.key == key))

    for key, options in (("polarity", POLARITY_WORDS), ("qualitative", YES_NO),
                         ("formula", data.formulas), ("team", data.teams)):
        listed = '"' + ",".join(o.replace(",", " ") for o in options) + '"'
        if not options or len(listed) > 255:  # Excel's limit for a list in a cell rule
            continue
        validation = DataValidation(type="list", formula1=listed, allow_blank=True,
                                    showErrorMessage=True, errorTitle="Isian tidak sah",
                                    error="Pilih dari daftar.")
        validation.add(f"{letter(key)}{FIRST_ROW}:{letter(key)}{last}")
        ws.add_data_validation(validation)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _write(cell, value) -> None:
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True
    else:
        cell.value = value


def read_indicator_workbook(path: Path, year: int) -> ParsedIndicators:
    """Check and read the file; raises WorkbookFileError when it is no workbook at all."""
    data = read_file(path)
    archive = check_container(data, path.name)
    archive.close()
    parsed = ParsedIndicators(path.name, hashlib.sha256(data).hexdigest(), len(data), year)
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False,
                           keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise WorkbookFileError(
            f"Berkas {path.name} tidak dapat dibuka sebagai buku kerja Excel "
            f"({type(exc).__name__}).") from exc
    cols = columns(year)
    try:
        if SHEET_DATA not in wb.sheetnames:
            parsed.error("", f"Lembar '{SHEET_DATA}' tidak ditemukan: berkas ini bukan "
                         "templat master indikator Kinerja Desktop.")
            return parsed
        ws = wb[SHEET_DATA]
        letters = [get_column_letter(c) for c in range(1, len(cols) + 1)]
        for row_no, cells in enumerate(ws.iter_rows(min_row=HEADER_ROW,
                                                    max_col=len(cols) + 3),
                                       start=HEADER_ROW):
            if row_no == HEADER_ROW:
                cols = _check_headers(cells, cols, parsed)
                if parsed.problems:
                    return parsed
                letters = [get_column_letter(c) for c in range(1, len(cols) + 1)]
                continue
            if row_no >= FIRST_ROW + MAX_ROWS:
                parsed.error(f"A{row_no}", f"Terlalu banyak baris (maksimal {MAX_ROWS}).")
                break
            raw: dict[str, RawCell] = {}
            for index, cell in enumerate(cells):
                value = getattr(cell, "value", None)
                if index >= len(cols):
                    if value not in (None, ""):
                        parsed.error(f"{get_column_letter(index + 1)}{row_no}",
                                     "Kolom tambahan di luar templat; hapus isinya.")
                    continue
                raw[cols[index].key] = RawCell(value, getattr(cell, "data_type", "n"),
                                               f"{letters[index]}{row_no}")
            if any(c.value not in (None, "") and not (isinstance(c.value, str)
                                                      and not c.value.strip())
                   for c in raw.values()):
                parsed.rows.append((row_no, raw))
    except WorkbookFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - malformed XML inside a valid zip
        raise WorkbookFileError(
            f"Berkas {path.name} rusak: isi lembar kerja tidak dapat dibaca "
            f"({type(exc).__name__}).") from exc
    finally:
        wb.close()
    if not parsed.rows and not parsed.problems:
        parsed.error(f"A{FIRST_ROW}", "Tidak ada indikator dalam berkas.")
    return parsed


def _check_headers(cells, cols: tuple[Column, ...], parsed: ParsedIndicators
                   ) -> tuple[Column, ...]:
    """The columns the file carries (the optional earlier years only when present)."""
    from openpyxl.utils import get_column_letter

    present: list[Column] = []
    for index, col in enumerate(cols):
        value = getattr(cells[index], "value", None) if index < len(cells) else None
        text = "" if value is None else str(value).strip()
        if col.optional and not text and all(
                getattr(c, "value", None) in (None, "") for c in cells[index:len(cols)]):
            break  # an older template, without the earlier years
        if not text.startswith(col.header):
            parsed.error(f"{get_column_letter(index + 1)}{HEADER_ROW}",
                         f"Judul kolom seharusnya '{col.header}' (berkas bukan templat master "
                         f"indikator tahun {parsed.year}, atau kolomnya diubah).")
        present.append(col)
    parsed.earlier = tuple(int(c.header.rsplit(" ", 1)[1]) for c in present if c.optional)
    return tuple(present)
