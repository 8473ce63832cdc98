"""Page setup of the exported workbooks: printed from Excel like the PDFs are.

The office's paper (A4, or F4 as Excel's Folio: 8½ × 13 in, the F4 of Indonesian
offices), the PDFs' margins (3 cm left, 2 cm others; ``reports.base.Renderer``), one page
wide and as many pages tall as needed, the header rows repeated on every page, a header
with the document's title and a footer with "Halaman X dari Y". Dates are real Excel
dates shown the Indonesian way ("6 Februari 2026 10.00" under any Excel language).
"""

from __future__ import annotations

from datetime import date, datetime

from kinerja_desktop.domain.timing import WITA

#: Excel's paperSize codes: 9 = A4 (210 × 297 mm), 14 = Folio (8½ × 13 in ≈ F4).
PAPER_CODES = {"A4": 9, "F4": 14}
INCH_MM = 25.4
#: The PDFs' margins (mm), and where Excel prints its header and footer.
MARGINS_MM = {"left": 30, "right": 20, "top": 20, "bottom": 20, "header": 8, "footer": 8}
#: Dates and times in Indonesian whatever Excel's language ([$-421] = id-ID).
DATE_FORMAT = "[$-421]d mmmm yyyy"
DATETIME_FORMAT = "[$-421]d mmmm yyyy hh.mm"
PAGE_NUMBERS = "Halaman &P dari &N"
#: A sheet this wide (in Excel's character widths) or less prints portrait.
PORTRAIT_WIDTH = 110


def escape(text: str) -> str:
    """Text for an Excel header or footer (where "&" starts a code)."""
    return text.replace("&", "&&")


def prepare_for_print(ws, paper: str, *, title: str, footer: str = "",
                      landscape: bool | None = None, title_rows: str | None = None) -> None:
    """Set up ``ws`` for printing on ``paper`` ("A4"/"F4"): margins, one page wide,
    ``title_rows`` ("5:6") on every page, ``title`` in the header, ``footer`` and the page
    numbers in the footer. ``landscape`` None: by the width of the sheet's columns."""
    from openpyxl.worksheet.page import PageMargins

    if paper not in PAPER_CODES:
        raise ValueError(f"Ukuran kertas '{paper}' tidak dikenal; pilih A4 atau F4.")
    if landscape is None:
        landscape = sheet_width(ws) > PORTRAIT_WIDTH
    setup = ws.page_setup
    setup.paperSize = PAPER_CODES[paper]
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = False
    ws.page_margins = PageMargins(**{k: v / INCH_MM for k, v in MARGINS_MM.items()})
    if title_rows:
        ws.print_title_rows = title_rows
    for part, text, size in ((ws.oddHeader.left, escape(title), 9),
                             (ws.oddFooter.left, escape(footer), 8),
                             (ws.oddFooter.right, PAGE_NUMBERS, 8)):
        if text:
            part.text = text
            part.size = size


def sheet_width(ws) -> float:
    """The sum of the sheet's column widths (Excel's default for unset columns)."""
    from openpyxl.utils import get_column_letter

    total = 0.0
    for index in range(1, (ws.max_column or 0) + 1):
        dimension = ws.column_dimensions.get(get_column_letter(index))
        total += dimension.width if dimension is not None and dimension.width else 8.43
    return total


def excel_datetime(moment: datetime | date) -> datetime | date:
    """An aware time as the naive WITA time Excel stores (a date stays a date)."""
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(WITA)
        return moment.replace(tzinfo=None, microsecond=0)
    return moment
