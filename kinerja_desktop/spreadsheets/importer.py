"""Reading a team workbook back (step 4): file checks, then cell-by-cell validation.

Nothing here touches the database: :func:`read_team_workbook` returns what the file says
and every problem found, each with its sheet and cell; the service
(:mod:`kinerja_desktop.services.workbooks`) matches it against the database and applies
it through the same rules as typing (``services.entries``).

File checks, in this order, before openpyxl sees the file (limits below):

* size: files above ``MAX_FILE_BYTES`` (10 MB) are refused unread; a team workbook of
  a few hundred indicators is well under 1 MB;
* signature: an OLE/CFB file (``D0 CF 11 E0``) is either a password-protected workbook
  (it holds an ``EncryptedPackage`` stream) or an old Excel 97–2003 ``.xls``; a file that
  is not a zip is reported as text/CSV when it looks like text, else as "not an xlsx";
* zip: a truncated or corrupted archive (``zipfile.BadZipFile``, CRC errors) is refused;
  a zip bomb is refused from the central directory alone (declared sizes), before
  anything is decompressed: more than ``MAX_ZIP_ENTRIES`` (500) entries, more than
  ``MAX_UNCOMPRESSED_BYTES`` (50 MB) in total, or an entry larger than 1 MB compressed
  more than ``MAX_RATIO`` (100) to 1. Python's zipfile never inflates an entry beyond
  its declared size, so the declared sizes bound what openpyxl can unpack;
* content: the zip must hold ``[Content_Types].xml`` and ``xl/workbook.xml``.

Cells are read with ``data_only=False``: a formula is reported at its cell and its
cached value is never used.

Reading is bounded: the size a sheet declares (``<dimension ref="A1:XFD1048576">``) is
never trusted, only the format's columns (and a few beyond, to find filled extra ones)
are read, every row the sheet really holds is read (a filled row beyond the declared
size is found), and the whole reading stops after :data:`READ_SECONDS` or when the
caller cancels. At most :data:`MAX_REPORTED` problems are kept; the rest are counted.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import time as clock
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from kinerja_desktop.domain.errors import Cancelled, ValidationError
from kinerja_desktop.spreadsheets import format_workbook as fw
from kinerja_desktop.spreadsheets.programme_sheet import MARK as PROGRAMME_MARK

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 500
MAX_RATIO = 100
RATIO_MIN_BYTES = 1024 * 1024
#: Reading a workbook stops after this many seconds (a legitimate one takes a fraction).
READ_SECONDS = 4.0
#: Columns read beyond the format's, to find text typed next to it.
EXTRA_COLUMNS = 4
#: Problems listed one by one; the others are counted.
MAX_REPORTED = 100

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURE = b"PK\x03\x04"


class WorkbookFileError(ValidationError):
    """The file cannot be read as a team workbook at all; nothing was changed."""


@dataclass(frozen=True)
class Problem:
    sheet: str
    cell: str
    message: str

    def describe(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.sheet and self.cell else self.sheet
        return f"[{where}] {self.message}" if where else self.message


@dataclass
class ParsedWorkbook:
    file_name: str
    sha256: str
    size: int
    identity: dict = field(default_factory=dict)
    items: list[tuple[int, int, str]] = field(default_factory=list)  # (item id, row, fingerprint)
    #: (programme id, row, fingerprint) of the budget sheet, and its rows
    programmes: list[tuple[int, int, str]] = field(default_factory=list)
    programme_rows: dict[int, dict] = field(default_factory=dict)
    rows: dict[int, dict] = field(default_factory=dict)  # row -> {key: raw cell}
    problems: list[Problem] = field(default_factory=list)
    #: problems found beyond the first MAX_REPORTED (counted, not kept)
    more_problems: int = 0

    def error(self, sheet: str, cell: str, message: str) -> None:
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(Problem(sheet, cell, message))
        else:
            self.more_problems += 1

    def int_value(self, key: str) -> int | None:
        try:
            return int(self.identity.get(key, ""))
        except ValueError:
            return None


@dataclass(frozen=True)
class RawCell:
    value: object
    data_type: str
    coordinate: str


# --------------------------------------------------------------------------- file checks


def read_file(path: Path) -> bytes:
    """The file's bytes after the size check (raises WorkbookFileError)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise WorkbookFileError(f"Berkas {path.name} tidak ditemukan.") from exc
    if path.is_dir():
        raise WorkbookFileError(f"{path.name} adalah folder, bukan berkas Excel.")
    if size > MAX_FILE_BYTES:
        raise WorkbookFileError(
            f"Berkas {path.name} terlalu besar ({size / 1024 / 1024:.1f} MB; maksimal "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB). Format data kinerja tim jauh lebih kecil; "
            "pastikan berkas yang dipilih benar.")
    if size == 0:
        raise WorkbookFileError(f"Berkas {path.name} kosong (0 byte).")
    return path.read_bytes()


def check_container(data: bytes, name: str) -> zipfile.ZipFile:
    """An open zip after the signature and zip-bomb checks (raises WorkbookFileError)."""
    if data.startswith(OLE_SIGNATURE[:4]):
        if "EncryptedPackage".encode("utf-16-le") in data or \
                "EncryptionInfo".encode("utf-16-le") in data:
            raise WorkbookFileError(
                f"Berkas {name} dilindungi kata sandi (terenkripsi). Buka di Excel, hapus "
                "kata sandi pembukaan berkas (File ▸ Info ▸ Protect Workbook), simpan, lalu "
                "impor kembali.")
        raise WorkbookFileError(
            f"Berkas {name} berformat Excel lama (.xls, Excel 97–2003). Gunakan berkas .xlsx "
            "hasil ekspor Kinerja Desktop; bila perlu, simpan ulang sebagai .xlsx.")
    if not data.startswith(ZIP_SIGNATURE):
        if _looks_like_text(data):
            raise WorkbookFileError(
                f"Berkas {name} berisi teks biasa (misalnya CSV), bukan buku kerja Excel "
                ".xlsx, meskipun namanya berakhiran .xlsx.")
        raise WorkbookFileError(f"Berkas {name} bukan buku kerja Excel (.xlsx).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise WorkbookFileError(
            f"Berkas {name} rusak atau terpotong (arsip .xlsx tidak dapat dibaca). Minta "
            "tim mengirim ulang berkasnya.") from exc
    if len(infos) > MAX_ZIP_ENTRIES:
        raise WorkbookFileError(
            f"Berkas {name} ditolak: berisi {len(infos)} bagian (maksimal {MAX_ZIP_ENTRIES}).")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookFileError(
            f"Berkas {name} ditolak: isinya {total / 1024 / 1024:.0f} MB setelah dibuka "
            f"(maksimal {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB); kemungkinan bom zip.")
    for info in infos:
        if info.file_size > RATIO_MIN_BYTES and \
                info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise WorkbookFileError(
                f"Berkas {name} ditolak: bagian {info.filename} dimampatkan lebih dari "
                f"{MAX_RATIO}:1; kemungkinan bom zip.")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise WorkbookFileError(
            f"Berkas {name} adalah arsip zip, tetapi bukan buku kerja Excel (.xlsx).")
    try:
        bad = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError,
            NotImplementedError) as exc:
        raise WorkbookFileError(f"Berkas {name} rusak (isi arsip tidak dapat dibaca).") from exc
    if bad is not None:
        raise WorkbookFileError(f"Berkas {name} rusak (bagian {bad} tidak utuh).")
    return archive


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        try:
            sample.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return True


# --------------------------------------------------------------------------- reading


class _Budget:
    """The time a reading may take, and the caller's cancel button."""

    def __init__(self, name: str, seconds: float, cancelled: Callable[[], bool] | None) -> None:
        self.name = name
        self.seconds = seconds
        self.deadline = clock.monotonic() + seconds
        self.cancelled = cancelled
        self.steps = 0

    def check(self) -> None:
        self.steps += 1
        if self.steps % 256 != 1:
            return
        if self.cancelled is not None and self.cancelled():
            raise Cancelled("Impor dibatalkan; tidak ada data yang diubah.")
        if clock.monotonic() > self.deadline:
            raise WorkbookFileError(
                f"Berkas {self.name} ditolak: isinya tidak selesai dibaca dalam "
                f"{self.seconds:.0f} detik (jauh lebih besar atau rumit daripada format data "
                "kinerja tim). Pastikan berkas yang dipilih benar, atau ekspor ulang formatnya.")


def read_team_workbook(path: Path, *, cancelled: Callable[[], bool] | None = None,
                       seconds: float = READ_SECONDS) -> ParsedWorkbook:
    """Check and read the file; raises WorkbookFileError when it is no workbook at all,
    or :class:`Cancelled` when ``cancelled()`` turns true while reading."""
    data = read_file(path)
    return read_team_workbook_bytes(data, path.name, cancelled=cancelled, seconds=seconds)


def read_team_workbook_bytes(data: bytes, name: str, *,
                             cancelled: Callable[[], bool] | None = None,
                             seconds: float = READ_SECONDS) -> ParsedWorkbook:
    budget = _Budget(name, seconds, cancelled)
    archive = check_container(data, name)
    archive.close()
    parsed = ParsedWorkbook(name, hashlib.sha256(data).hexdigest(), len(data))
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False,
                           keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise WorkbookFileError(
            f"Berkas {name} tidak dapat dibuka sebagai buku kerja Excel ({type(exc).__name__})."
        ) from exc
    try:
        if fw.SHEET_ID not in wb.sheetnames:
            parsed.error(fw.SHEET_ID, "", "Lembar identitas tidak ditemukan: berkas ini bukan "
                         "hasil ekspor Kinerja Desktop, atau identitasnya dihapus.")
            return parsed
        _read_identity(wb[fw.SHEET_ID], parsed, budget)
        if fw.SHEET_DATA not in wb.sheetnames:
            parsed.error(fw.SHEET_DATA, "", f"Lembar '{fw.SHEET_DATA}' tidak ditemukan.")
            return parsed
        _read_items(wb[fw.SHEET_DATA], parsed, budget)
        _read_programmes(wb, parsed, budget)
    except (WorkbookFileError, Cancelled):
        raise
    except Exception as exc:  # noqa: BLE001 - malformed XML inside a valid zip
        raise WorkbookFileError(
            f"Berkas {name} rusak: isi lembar kerja tidak dapat dibaca ({type(exc).__name__})."
        ) from exc
    finally:
        wb.close()
    return parsed


def _present_rows(ws, min_row: int, max_col: int):
    """``(row number, cells)`` for the rows the sheet's XML really holds, from ``min_row``,
    each with exactly ``max_col`` cells: never the declared size, and a row numbered a
    million costs one row, not a million (openpyxl's iter_rows fills every gap). Uses the
    read-only sheet's own parser (openpyxl 3.1, pinned in pyproject.toml)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = ws.parent
    with ws._get_source() as source:
        parser = WorkSheetParser(source, ws._shared_strings, data_only=book.data_only,
                                 epoch=book.epoch, date_formats=book._date_formats,
                                 timedelta_formats=book._timedelta_formats)
        for number, row in parser.parse():
            if number >= min_row:
                yield number, ws._get_row(row, 1, max_col)


def _text_of(value: object) -> str:
    return "" if value is None else str(value)


def _read_identity(ws, parsed: ParsedWorkbook, budget: _Budget) -> None:
    pairs: list[tuple[str, str]] = []
    checksum = None
    checksum_cell = ""
    for _number, row in _present_rows(ws, 1, 2):  # never the declared size
        budget.check()
        key_cell, value_cell = (row + (None, None))[:2]
        key = _text_of(getattr(key_cell, "value", None)).strip()
        value = _text_of(getattr(value_cell, "value", None))
        if not key:
            continue
        if getattr(value_cell, "data_type", "s") == "f" or getattr(key_cell, "data_type",
                                                                     "s") == "f":
            parsed.error(fw.SHEET_ID, getattr(value_cell, "coordinate", ""),
                         "Identitas berkas berisi rumus; identitas telah diubah.")
            continue
        if key == fw.CHECKSUM_KEY:
            checksum = value.strip()
            checksum_cell = getattr(value_cell, "coordinate", "")
            continue
        pairs.append((key, value))
    if not pairs:
        parsed.error(fw.SHEET_ID, "A1", "Identitas berkas kosong; berkas tidak dapat dicocokkan.")
        return
    for key, value in pairs:
        if key in (fw.ITEMS_MARK, PROGRAMME_MARK):
            parts = value.split("|")
            listed = parsed.items if key == fw.ITEMS_MARK else parsed.programmes
            try:
                listed.append((int(parts[0]), int(parts[1]), parts[2]))
            except (ValueError, IndexError):
                parsed.error(fw.SHEET_ID, "", f"Daftar {key} pada identitas rusak ('{value}').")
        else:
            parsed.identity[key] = value
    if checksum is None:
        parsed.error(fw.SHEET_ID, "", "Checksum identitas tidak ada; identitas telah diubah.")
    elif checksum != fw.identity_checksum(pairs):
        parsed.error(fw.SHEET_ID, checksum_cell, "Checksum identitas tidak cocok: identitas "
                     "atau struktur berkas telah diubah di luar aplikasi.")
    for key in ("versi_berkas", "instalasi", "siklus_id", "tahun", "tim_id", "kantor",
                "versi_format", "diekspor_pada", "jumlah_butir"):
        if key not in parsed.identity:
            parsed.error(fw.SHEET_ID, "", f"Identitas '{key}' tidak ada dalam berkas.")
    version = parsed.identity.get("versi_berkas")
    if version is not None and version != str(fw.LAYOUT_VERSION):
        parsed.error(fw.SHEET_ID, "", f"Versi berkas {version} tidak dikenal (aplikasi ini "
                     f"membaca versi {fw.LAYOUT_VERSION}). Ekspor ulang format dari aplikasi.")
    count = parsed.int_value("jumlah_butir")
    if count is not None and count != len(parsed.items):
        parsed.error(fw.SHEET_ID, "", "Jumlah butir pada identitas tidak cocok dengan daftar "
                     "butirnya.")


def _read_programmes(wb, parsed: ParsedWorkbook, budget: _Budget) -> None:
    """The budget sheet's rows, when the identity lists programmes."""
    from kinerja_desktop.spreadsheets import programme_sheet as ps

    if not parsed.programmes:
        return
    if ps.SHEET not in wb.sheetnames:
        parsed.error(ps.SHEET, "", f"Lembar '{ps.SHEET}' tidak ditemukan.")
        return

    def rows():
        for row in _present_rows(wb[ps.SHEET], ps.HEADER_ROW, len(ps.COLUMNS) + EXTRA_COLUMNS):
            budget.check()
            yield row

    _read_programme_rows(parsed, rows())


def _read_programme_rows(parsed: ParsedWorkbook, rows) -> None:
    """The programme rows of the sheet into ``parsed.programme_rows`` (row -> {key: cell});
    headers changed or rows added are reported as problems. ``rows``: the sheet's present
    rows (``importer._present_rows``)."""
    from kinerja_desktop.spreadsheets.programme_sheet import COLUMNS, HEADER_ROW, SHEET

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


def _read_items(ws, parsed: ParsedWorkbook, budget: _Budget) -> None:
    n_cols = len(fw.COLUMNS)
    expected_rows = {row for _id, row, _fp in parsed.items}
    last_item_row = max(expected_rows, default=fw.FIRST_ROW - 1)
    # The format's columns and a few more: never the 16 384 a sheet may declare.
    max_col = n_cols + EXTRA_COLUMNS
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(c) for c in range(1, max_col + 1)]
    # Every row the sheet holds, also beyond its declared size, and only those.
    header_seen = False
    for row_no, cells in _present_rows(ws, fw.HEADER_ROW, max_col):
        budget.check()
        if row_no == fw.HEADER_ROW:
            header_seen = True
            _check_headers(cells, parsed)
            continue
        raw: dict[str, RawCell] = {}
        for index, cell in enumerate(cells):
            value = getattr(cell, "value", None)
            data_type = getattr(cell, "data_type", "n")
            coordinate = f"{letters[index]}{row_no}"
            if index >= n_cols:
                if value not in (None, ""):
                    parsed.error(fw.SHEET_DATA, coordinate,
                                 "Kolom tambahan di luar format; hapus isinya.")
                continue
            raw[fw.COLUMNS[index].key] = RawCell(value, data_type, coordinate)
        if row_no in expected_rows:
            parsed.rows[row_no] = raw
        elif any(c.value not in (None, "") for c in raw.values()):
            where = "setelah" if row_no > last_item_row else "di antara"
            first = next(c for c in raw.values() if c.value not in (None, ""))
            parsed.error(fw.SHEET_DATA, first.coordinate,
                         f"Baris tambahan {where} butir format (baris {row_no}); format tidak "
                         "boleh ditambah baris. Hapus baris ini.")
    if not header_seen:
        _check_headers((None,) * n_cols, parsed)


def _check_headers(cells, parsed: ParsedWorkbook) -> None:
    for index, col in enumerate(fw.COLUMNS):
        if index >= len(cells):
            break
        text = _text_of(getattr(cells[index], "value", None))
        if not text.startswith(col.header):
            parsed.error(fw.SHEET_DATA, f"{fw.column_letter(col.key)}{fw.HEADER_ROW}",
                         f"Judul kolom diubah (seharusnya '{col.header}').")


# --------------------------------------------------------------------------- cell values


def number_from_cell(cell: RawCell, *, rule, label: str) -> tuple[float | None, str | None]:
    """(value, problem message) for a numeric input cell, bounded by ``rule`` (a
    :class:`kinerja_desktop.domain.input_rules.NumberRule`: the window's bounds too)."""
    from dataclasses import replace

    from kinerja_desktop.domain.input_rules import number_problem
    from kinerja_desktop.domain.numbers import NumberFormatError, parse_number

    value = cell.value
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")
                                 and cell.data_type != "s"):
        return None, f"{label} berisi rumus ({_short(value)}); isi dengan angka, bukan rumus."
    if cell.data_type == "e":
        return None, f"{label} berisi galat Excel ({_short(value)}); isi dengan angka."
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, f"{label} berisi nilai benar/salah; isi dengan angka."
    if isinstance(value, datetime | date | time):
        return None, f"{label} berisi tanggal/waktu; isi dengan angka."
    if isinstance(value, int | float):
        typed: object = value
    elif isinstance(value, str):
        if not value.strip():
            return None, None
        try:
            typed = parse_number(value)  # its digits as typed count, not the float's
        except NumberFormatError as exc:
            return None, f"{label}: {exc}"
    else:
        return None, f"{label} berisi nilai yang tidak dikenal; isi dengan angka."
    problem = number_problem(typed, replace(rule, label=label))
    if problem is not None:
        return None, problem
    return float(typed), None


def text_from_cell(cell: RawCell, *, limit: int, label: str) -> tuple[str | None, str | None]:
    """(text, problem message) for a text input cell."""
    from kinerja_desktop.domain.numbers import format_date_long, format_number

    value = cell.value
    if cell.data_type == "f":
        return None, f"{label} berisi rumus ({_short(value)}); isi dengan teks biasa."
    if cell.data_type == "e":
        return None, f"{label} berisi galat Excel ({_short(value)})."
    if value is None:
        text = ""
    elif isinstance(value, bool):
        return None, f"{label} berisi nilai benar/salah; isi dengan teks."
    elif isinstance(value, datetime):
        text = format_date_long(value.date())
    elif isinstance(value, date):
        text = format_date_long(value)
    elif isinstance(value, time):
        return None, f"{label} berisi waktu; isi dengan teks."
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            return None, f"{label} bukan teks yang sah."
        text = format_number(value) if abs(value) < fw.MAX_NUMBER else repr(value)
    else:
        text = _unescape_ooxml(str(value))
    from kinerja_desktop.domain.errors import ValidationError
    from kinerja_desktop.domain.input_rules import check_text

    try:  # control characters (a vertical tab pasted from Word) go; the length is bounded
        return check_text(text, label, limit, multiline=True), None
    except ValidationError as exc:
        return None, str(exc)


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape_ooxml(text: str) -> str:
    """Excel writes characters XML cannot hold as ``_xHHHH_`` (a vertical tab is
    ``_x000B_``); read them as the characters they stand for (then cleaned)."""
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _short(value: object) -> str:
    text = _text_of(value)
    return text if len(text) <= 40 else text[:37] + "..."
