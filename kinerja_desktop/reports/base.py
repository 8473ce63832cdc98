"""Building blocks shared by every printed document (reportlab).

One set of components, used by the compiled Dokumen Data Kinerja, the SOP sheet, the
SOP monitoring form, the tanda terima and the berita acara verifikasi:

- fonts registered from ``resources/fonts`` with ``registerFontFamily`` (so ``<b>``
  and ``<i>`` work) and embedded in every PDF;
- a stylesheet of named paragraph styles (:func:`styles`);
- :func:`esc`: every user string goes through it before entering a Paragraph;
- :class:`Renderer`: page geometry (A4 or F4, portrait or landscape), the kop surat
  drawn on the first page from the office profile (logo included), a numbered
  canvas printing "Halaman X dari Y" on every page, a "DRAF" watermark and a note at
  the top of every page for drafts; ``render() -> bytes``, deterministic (the same
  data gives the same bytes on any day: reportlab's invariant mode, the document's own
  date as creation date);
- :func:`data_table` (header rows repeated on every page, column widths as
  fractions of the frame) and :func:`signature_block` / :func:`signature_pair`.

reportlab is imported here; this module is only imported lazily (never at app start).
"""

from __future__ import annotations

import io
from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kinerja_desktop.paths import resources_dir
from kinerja_desktop.services.document_data.common import OfficeBlock, Signatory, paused_gc

FONT = "KinerjaSerif"
FONT_BOLD = "KinerjaSerif-Bold"
FONT_ITALIC = "KinerjaSerif-Italic"
FONT_BOLD_ITALIC = "KinerjaSerif-BoldItalic"
FONT_MONO = "KinerjaMono"  # hashes: every character the same width
_FONT_FILES = {
    FONT: "LiberationSerif-Regular.ttf",
    FONT_BOLD: "LiberationSerif-Bold.ttf",
    FONT_ITALIC: "LiberationSerif-Italic.ttf",
    FONT_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
    FONT_MONO: "LiberationMono-Regular.ttf",
}

F4 = (215 * mm, 330 * mm)
PAGE_SIZES = {"A4": A4, "F4": F4}
PAPERS = tuple(PAGE_SIZES)

GRID = colors.HexColor("#000000")
HEADER_FILL = colors.HexColor("#D9D9D9")
GROUP_FILL = colors.HexColor("#EFEFEF")

_fonts_registered = False


def register_fonts() -> None:
    """Register the serif family once per process (embedded in every PDF)."""
    global _fonts_registered
    if _fonts_registered:
        return
    folder = resources_dir() / "fonts"
    for name, file_name in _FONT_FILES.items():
        path = folder / file_name
        if not path.is_file():
            raise FileNotFoundError(f"Berkas huruf {path} tidak ditemukan; pasang ulang aplikasi.")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic=FONT_BOLD_ITALIC)
    # Page streams stay zlib-compressed but binary: the pure-Python ASCII85 step cost
    # seconds on large documents and adds nothing for a file saved or printed locally.
    from reportlab import rl_config

    rl_config.useA85 = 0
    _fonts_registered = True


def esc(text: object) -> str:
    """User text made safe for a Paragraph: <, >, &, quotes escaped; newlines kept."""
    value = "" if text is None else str(text)
    value = escape(value, {'"': "&quot;", "'": "&#39;"})
    return value.replace("\r\n", "\n").replace("\n", "<br/>")


def styles() -> dict[str, ParagraphStyle]:
    """The named paragraph styles of every document."""
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=14, alignment=TA_JUSTIFY)
    sheet = {
        "body": base,
        "body_left": ParagraphStyle("body_left", parent=base, alignment=TA_LEFT),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=14,
                                leading=18, alignment=TA_CENTER, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontName=FONT_BOLD, fontSize=12,
                                   leading=15, alignment=TA_CENTER),
        "heading": ParagraphStyle("heading", parent=base, fontName=FONT_BOLD, fontSize=12,
                                  leading=15, spaceBefore=10, spaceAfter=5, alignment=TA_LEFT),
        "subheading": ParagraphStyle("subheading", parent=base, fontName=FONT_BOLD,
                                     fontSize=11, leading=14, spaceBefore=6, spaceAfter=3,
                                     alignment=TA_LEFT),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11, alignment=TA_LEFT),
        "cell_center": ParagraphStyle("cell_center", fontName=FONT, fontSize=9, leading=11,
                                      alignment=TA_CENTER),
        "cell_right": ParagraphStyle("cell_right", fontName=FONT, fontSize=9, leading=11,
                                     alignment=TA_RIGHT),
        "cell_bold": ParagraphStyle("cell_bold", fontName=FONT_BOLD, fontSize=9, leading=11,
                                    alignment=TA_LEFT),
        "header": ParagraphStyle("header", fontName=FONT_BOLD, fontSize=9, leading=11,
                                 alignment=TA_CENTER),
        "small": ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10,
                                alignment=TA_LEFT),
        "sign": ParagraphStyle("sign", fontName=FONT, fontSize=11, leading=14,
                               alignment=TA_CENTER),
        "sign_left": ParagraphStyle("sign_left", fontName=FONT, fontSize=11, leading=14,
                                    alignment=TA_LEFT),
        "mono": ParagraphStyle("mono", fontName=FONT_MONO, fontSize=9.5, leading=14,
                               alignment=TA_LEFT),
    }
    return sheet


def hash_groups(digest: str, size: int = 8) -> str:
    """A hexadecimal digest in groups of ``size`` ("3f2a9c1b 77d0…"), so that a line
    breaks only between groups."""
    return " ".join(digest[i:i + size] for i in range(0, len(digest), size))


def cell(text: object, style: ParagraphStyle) -> Paragraph:
    """A table cell from user text (escaped)."""
    return Paragraph(esc(text), style)


ELLIPSIS = "…"


def fitted(text: object, style: ParagraphStyle, width: float, max_height: float) -> Paragraph:
    """User text as a paragraph at most ``max_height`` tall at ``width``: shortened with
    "…" when longer, so that no length of text can make a row taller than a page."""
    value = "" if text is None else str(text)
    paragraph = Paragraph(esc(value), style)
    if paragraph.wrap(width, 1e9)[1] <= max_height:
        return paragraph
    low, high = 0, len(value)
    while low < high:  # the longest start of the text that fits with its "…"
        middle = (low + high + 1) // 2
        if Paragraph(esc(value[:middle].rstrip() + ELLIPSIS), style).wrap(width, 1e9)[1] \
                <= max_height:
            low = middle
        else:
            high = middle - 1
    return Paragraph(esc(value[:low].rstrip() + ELLIPSIS), style)


# --------------------------------------------------------------------------- canvas


FOOTER_SIZE = 8.5
FOOTER_RULE = 0.4


class NumberedCanvas(pdfcanvas.Canvas):
    """Draws "Halaman X dari Y" on every page once the page count is known."""

    footer_text = ""
    #: The PDF's creation date ("D:20260205083000+00'00'"); reportlab's fixed one if "".
    creation_date = ""

    def __init__(self, *args, **kwargs) -> None:
        # Never reference the non-embedded standard Helvetica, even in the page set-up.
        kwargs["initialFontName"] = FONT
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict] = []
        if self.creation_date:
            stamp = self.creation_date
            self.setDateFormatter(lambda *_parts: stamp)

    def showPage(self) -> None:  # noqa: N802 - reportlab API
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        fixed: dict[tuple[float, float], str] = {}  # per page size
        for state in self._saved_pages:
            self.__dict__.update(state)
            size = tuple(self._pagesize)
            if size not in fixed:
                fixed[size] = self._footer_fixed()
            self._code.append(fixed[size] + self._footer_text_ops(
                f"Halaman {self._pageNumber} dari {total}", right_aligned=True) + "\nQ")
            super().showPage()
        super().save()

    # The footer is the same on every page but for its page number: its operators are
    # written directly (the ones reportlab's drawString writes), the fixed part once.

    def _footer_fixed(self) -> str:
        """Grey rule and the footer text; the graphics state is left open ("q")."""
        width = self._pagesize[0]
        left, right = self._footer_margins
        grey = fp_str(colors.grey.red, colors.grey.green, colors.grey.blue)
        parts = ["q", f"{grey} RG", f"{fp_str(FOOTER_RULE)} w",
                 f"n {fp_str(left, 14 * mm)} m {fp_str(width - right, 14 * mm)} l S"]
        if self.footer_text:
            parts.append(self._footer_text_ops(self.footer_text))
        return "\n".join(parts) + "\n"

    def _footer_text_ops(self, text: str, right_aligned: bool = False) -> str:
        left, right = self._footer_margins
        x = left
        if right_aligned:
            x = self._pagesize[0] - right - pdfmetrics.stringWidth(text, FONT, FOOTER_SIZE)
        font = pdfmetrics.getFont(FONT)
        ops = [f"BT 1 0 0 1 {fp_str(x, 10 * mm)} Tm"]
        current = None
        for subset, chunk in font.splitString(text, self._doc):
            if subset != current:
                ops.append(f"{font.getSubsetInternalName(subset, self._doc)} "
                           f"{fp_str(FOOTER_SIZE)} Tf {fp_str(FOOTER_SIZE * 1.2)} TL")
                current = subset
            ops.append(f"({self._escape(chunk)}) Tj")
        ops.append("T* ET")
        return " ".join(ops)


def _canvas_class(footer: str, margins: tuple[float, float],
                  created: datetime | None = None) -> type[NumberedCanvas]:
    stamp = f"D:{created.astimezone(UTC):%Y%m%d%H%M%S}+00'00'" if created else ""
    return type("DocumentCanvas", (NumberedCanvas,),
                {"footer_text": footer, "_footer_margins": margins, "creation_date": stamp})


# --------------------------------------------------------------------------- letterhead


LETTERHEAD_HEIGHT = 30 * mm


def _fit_font(text: str, font: str, size: float, width: float, minimum: float = 9) -> float:
    while size > minimum and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def draw_letterhead(c: pdfcanvas.Canvas, office: OfficeBlock, left: float, right: float,
                    top: float) -> None:
    """Kop surat: logo at left, centred capitals, address lines, thick-thin double rule."""
    logo_size = 24 * mm
    text_left = left
    if office.logo:
        try:
            image = ImageReader(io.BytesIO(office.logo))
            iw, ih = image.getSize()
            scale = min(logo_size / iw, logo_size / ih)
            w, h = iw * scale, ih * scale
            c.drawImage(image, left, top - 2 * mm - h, w, h, mask="auto")
            text_left = left + logo_size + 2 * mm
        except Exception:  # noqa: BLE001 - a broken logo must not stop the document
            text_left = left
    centre = (text_left + right) / 2
    width = right - text_left
    government = (office.government or f"Pemerintah {office.regency}").upper()
    name = office.name.upper()
    lines = [(government, FONT_BOLD, 14), (name, FONT_BOLD, 16)]
    address = ", ".join(p for p in (office.address, office.postcode and
                                    f"Kode Pos {office.postcode}") if p)
    contact = "  ".join(p for p in (office.phone and f"Telepon {office.phone}",
                                    office.email and f"E-mail: {office.email}") if p)
    y = top - 6 * mm
    for text, font, size in lines:
        size = _fit_font(text, font, size, width)
        c.setFont(font, size)
        c.drawCentredString(centre, y, text)
        y -= size + 3
    for text in (address, contact):
        if text:
            size = _fit_font(text, FONT, 10, width, 7)
            c.setFont(FONT, size)
            c.drawCentredString(centre, y, text)
            y -= size + 2
    rule_y = max(y + 2 * mm, top - LETTERHEAD_HEIGHT + 2 * mm)
    if office.logo and text_left > left:
        rule_y = min(rule_y, top - logo_size - 4 * mm)
    c.setStrokeColor(colors.black)
    c.setLineWidth(2.2)
    c.line(left, rule_y, right, rule_y)
    c.setLineWidth(0.6)
    c.line(left, rule_y - 2.2, right, rule_y - 2.2)


# --------------------------------------------------------------------------- renderer


class Renderer(ABC):
    """One document: page geometry, kop surat on page 1, numbered footer.

    Subclasses set ``orientation`` and implement :meth:`story` and :meth:`footer`.
    """

    orientation = "portrait"
    left_margin = 30 * mm
    right_margin = 20 * mm
    top_margin = 20 * mm
    bottom_margin = 20 * mm
    letterhead = True
    #: Drawn large across every page ("DRAF" for a draft); empty for a final document.
    watermark = ""
    #: A small line at the top of every page (a draft's status); empty for none.
    page_note = ""
    #: The document's own date: the PDF's creation date (None: reportlab's fixed date).
    document_date: datetime | None = None

    def __init__(self, office: OfficeBlock, paper: str | None = None) -> None:
        """``paper``: "A4" or "F4"; None lays the document out on the office's paper."""
        register_fonts()
        self.office = office
        if paper is not None and paper not in PAGE_SIZES:
            raise ValueError(f"Ukuran kertas '{paper}' tidak dikenal; pilih A4 atau F4.")
        self.paper = paper or (office.paper_size if office.paper_size in PAGE_SIZES else "A4")
        size = PAGE_SIZES[self.paper]
        self.pagesize = landscape(size) if self.orientation == "landscape" else size
        self.s = styles()

    # geometry
    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - self.left_margin - self.right_margin

    def widths(self, *fractions: float) -> list[float]:
        """Column widths as fractions of the frame width (normalised to sum 1)."""
        total = sum(fractions)
        return [self.frame_width * f / total for f in fractions]

    @abstractmethod
    def title(self) -> str:
        """The document title, used in the footer and the PDF metadata."""

    def footer(self) -> str:
        return self.title()

    @abstractmethod
    def story(self) -> list[Flowable]:
        """The flowables of the document body."""

    def _on_first(self, c: pdfcanvas.Canvas, doc: BaseDocTemplate) -> None:
        self._on_every(c, doc)
        if self.letterhead:
            draw_letterhead(c, self.office, self.left_margin,
                            self.pagesize[0] - self.right_margin,
                            self.pagesize[1] - self.top_margin + 8 * mm)

    def _on_every(self, c: pdfcanvas.Canvas, doc: BaseDocTemplate) -> None:
        """Watermark and page note, drawn before the page's content (so under it)."""
        width, height = self.pagesize
        if self.watermark:
            c.saveState()
            c.setFillColor(colors.HexColor("#D2D2D2"))
            c.setFont(FONT_BOLD, min(width, height) / 3.2)
            c.translate(width / 2, height / 2)
            c.rotate(50)
            c.drawCentredString(0, -min(width, height) / 10, self.watermark)
            c.restoreState()
        if self.page_note:
            c.saveState()
            c.setFillColor(colors.HexColor("#9A1A1A"))
            size = _fit_font(self.page_note, FONT_BOLD, 9, self.frame_width, 6)
            c.setFont(FONT_BOLD, size)
            c.drawCentredString(self.left_margin + self.frame_width / 2, height - 8 * mm,
                                self.page_note)
            c.restoreState()

    def render(self) -> bytes:
        """The PDF as bytes."""
        buffer = io.BytesIO()
        width, height = self.pagesize
        doc = BaseDocTemplate(
            buffer, pagesize=self.pagesize, leftMargin=self.left_margin,
            rightMargin=self.right_margin, topMargin=self.top_margin,
            bottomMargin=self.bottom_margin, title=self.title(),
            author=self.office.name, creator="Kinerja Desktop", subject=self.footer(),
            initialFontName=FONT, invariant=1,
        )
        body_height = height - self.top_margin - self.bottom_margin
        kop = LETTERHEAD_HEIGHT - 8 * mm if self.letterhead else 0
        first = Frame(self.left_margin, self.bottom_margin, self.frame_width,
                      body_height - kop, id="first", leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0)
        later = Frame(self.left_margin, self.bottom_margin, self.frame_width, body_height,
                      id="later", leftPadding=0, rightPadding=0, topPadding=0,
                      bottomPadding=0)
        doc.addPageTemplates([
            PageTemplate("FirstPage", [first], onPage=self._on_first,
                         autoNextPageTemplate="OtherPages"),
            PageTemplate("OtherPages", [later], onPage=self._on_every),
        ])
        with paused_gc():
            doc.build(self.story(), canvasmaker=_canvas_class(
                self.footer(), (self.left_margin, self.right_margin), self.document_date))
            _release(doc)
        return buffer.getvalue()


def _release(doc: BaseDocTemplate) -> None:
    """Drop what a finished document holds (pages, flowables, the data through the page
    callbacks). The template, its canvas and the PDF objects refer to each other, so
    without this everything waits for the cyclic garbage collector."""
    canv = getattr(doc, "canv", None)
    if canv is not None:
        pdf = getattr(canv, "_doc", None)
        if pdf is not None:
            pdf.__dict__.clear()
        canv.__dict__.clear()
    doc.__dict__.clear()


# --------------------------------------------------------------------------- tables


def table_style(header_rows: int = 1, extra: Sequence[tuple] = ()) -> TableStyle:
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
            ("FONT", (0, 0), (-1, header_rows - 1), FONT_BOLD, 9),
        ]
    commands += list(extra)
    return TableStyle(commands)


def data_table(rows: list[list], widths: list[float], header_rows: int = 1,
               extra: Sequence[tuple] = ()) -> Table:
    """A ruled table whose header rows repeat on every page. A row taller than a page (a
    long explanation in a narrow column) splits across pages instead of stopping the
    document (``splitInRow``)."""
    table = LongTable(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT",
                      splitInRow=1)
    table.setStyle(table_style(header_rows, extra))
    return table


def key_value_table(pairs: Sequence[tuple[str, str | Flowable]], widths: list[float],
                    s: dict[str, ParagraphStyle]) -> Table:
    """Unruled "Label : value" lines (text values are user text, escaped; a flowable
    value is placed as it is)."""
    rows = [[Paragraph(esc(k), s["body_left"]), Paragraph(":", s["body_left"]),
             v if isinstance(v, Flowable) else Paragraph(esc(v), s["body_left"])]
            for k, v in pairs]
    table = Table(rows, colWidths=[widths[0], 4 * mm, widths[1] - 4 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 11),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table


# --------------------------------------------------------------------------- closing


class KeepTableTail(Flowable):
    """A table followed by the document's closing (text and signature block): the last
    ``rows`` rows of the table always share a page with the closing, so no page holds a
    signature block without the text it signs.

    It never draws itself: :meth:`split` hands the frame the table (or its two parts)
    and the closing flowables, arranged so that they fit.
    """

    def __init__(self, table: Flowable, tail: Sequence[Flowable], rows: int = 2) -> None:
        super().__init__()
        self.table = table
        self.tail = list(tail)
        self.rows = rows

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # Always "too tall", so that the frame asks split() how to lay it out.
        self.width = avail_width
        self.height = avail_height + 1
        return self.width, self.height

    def _tail_height(self, avail_width: float) -> float:
        from reportlab.platypus.flowables import _listWrapOn

        flat: list[Flowable] = []
        for flowable in self.tail:  # a KeepTogether reports no useful height of its own
            flat.extend(getattr(flowable, "_content", None) or [flowable])
        return _listWrapOn(flat, avail_width, self.canv)[1]

    def _height_before_last_rows(self, avail_width: float, avail_height: float) -> float:
        """Height of the table without its last ``rows`` rows (header included)."""
        table = self.table
        table.wrap(avail_width, avail_height)
        if hasattr(table, "_header_h"):  # a FastTable: rows of plain text
            kept = table.rows[:-self.rows] if len(table.rows) > self.rows else []
            return table._header_h(avail_width) + sum(r.height for r in kept)
        heights = list(getattr(table, "_rowHeights", []) or [])
        return sum(heights[:-self.rows]) if len(heights) > self.rows else 0.0

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        at_top = bool(getattr(getattr(getattr(self.canv, "_doctemplate", None), "frame", None),
                              "_atTop", False))
        _w, table_h = self.table.wrap(avail_width, avail_height)
        tail_h = self._tail_height(avail_width)
        if table_h + tail_h <= avail_height:
            return [self.table, *self.tail]
        # Split the table so that its last rows go on with the closing.
        room = min(avail_height, self._height_before_last_rows(avail_width, avail_height))
        parts = self.table.split(avail_width, room) if room > 0 else []
        # (a part that still does not fit: rows taller than a page, split inside a row)
        if len(parts) == 2 and parts[0].wrap(avail_width, avail_height)[1] <= avail_height:
            return [parts[0], KeepTableTail(parts[1], self.tail, self.rows)]
        if at_top:  # nothing better possible: lay everything out as it comes
            parts = self.table.split(avail_width, avail_height)  # rows taller than a page
            if len(parts) == 2:
                return [parts[0], KeepTableTail(parts[1], self.tail, self.rows)]
            return [self.table, *self.tail]
        return []  # start the table on the next page


# --------------------------------------------------------------------------- signatures


def _is_name_prefix(word: str) -> bool:
    """An academic or religious title written before the name: "Drs.", "H.", "Hj.",
    "Dr.", "Ir.", "Prof.", "dr." (a short word ending in a full stop)."""
    return word.endswith(".") and 1 < len(word) <= 6 and word[:-1].replace(".", "").isalpha()


def printed_name(name: str) -> str:
    """The name in capitals; titles before it ("Drs. H.", "Hj.") and after the first
    comma ("S.E., M.Si") keep their case: "Drs. H. ANDI MAPPASESSU, M.Si"."""
    head, sep, titles = name.partition(",")
    words = head.split()
    prefixes: list[str] = []
    while len(words) > 1 and _is_name_prefix(words[0]):
        prefixes.append(words.pop(0))
    printed = " ".join([*prefixes, *(w.upper() for w in words)])
    return printed + (sep + titles if sep else "")


def balanced_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` in as few lines as fit ``width``, the breaks chosen so that the lines are
    as even as possible: "KEPALA DINAS PEMBERDAYAAN / MASYARAKAT DAN DESA / KABUPATEN
    SOPPENG" rather than leaving "SOPPENG" alone on the last line."""
    words = text.split()
    if not words:
        return []
    space = pdfmetrics.stringWidth(" ", font, size)
    widths = [pdfmetrics.stringWidth(w, font, size) for w in words]

    def line_width(i: int, j: int) -> float:
        return sum(widths[i:j]) + space * (j - i - 1)

    # fewest lines, greedily
    count, used = 1, -space
    for w in widths:
        if used + space + w > width and used > 0:
            count += 1
            used = w
        else:
            used += space + w
    if count == 1:
        return [" ".join(words)]
    n = len(words)
    # best[k][j]: the smallest sum of squared line widths setting words[:j] in k lines
    # (for a fixed total, the most even lines)
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(count + 1)]
    back = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for k in range(1, count + 1):
        for j in range(1, n + 1):
            for i in range(k - 1, j):
                if best[k - 1][i] == inf:
                    continue
                w = line_width(i, j)
                if w > width and j - i > 1:
                    continue
                cost = best[k - 1][i] + w * w
                if cost < best[k][j]:
                    best[k][j], back[k][j] = cost, i
    if best[count][n] == inf:
        return [" ".join(words)]
    lines: list[str] = []
    j = n
    for k in range(count, 0, -1):
        i = back[k][j]
        lines.append(" ".join(words[i:j]))
        j = i
    return list(reversed(lines))


def balanced_paragraph(text: str, style: ParagraphStyle, width: float,
                       bold: bool = False) -> Paragraph:
    """A Paragraph of ``text`` broken by :func:`balanced_lines` (escaped)."""
    font = FONT_BOLD if bold else style.fontName
    lines = balanced_lines(text, font, style.fontSize, width)
    body = "<br/>".join(esc(line) for line in lines)
    return Paragraph(f"<b>{body}</b>" if bold else body, style)


def _signature_cells(sig: Signatory, s: dict[str, ParagraphStyle], place_date: str | None,
                     caption: str | None, width: float) -> list[Flowable]:
    style = s["sign"]
    parts: list[Flowable] = []
    if place_date:
        parts.append(Paragraph(esc(place_date), style))
    if caption:
        parts.append(Paragraph(esc(caption), style))
    if sig.title:
        parts.append(balanced_paragraph(sig.title.upper(), style, width - 4))
    parts.append(Spacer(1, 22 * mm))
    name = printed_name(sig.name) if sig.name else "(" + "." * 40 + ")"
    parts.append(Paragraph(f"<b><u>{esc(name)}</u></b>", style))
    if sig.pangkat:
        parts.append(Paragraph(f"Pangkat : {esc(sig.pangkat)}", style))
    if sig.nip:
        parts.append(Paragraph(f"NIP. {esc(sig.nip)}", style))
    return parts


def signature_block(sig: Signatory, place: str, date_label: str, width: float,
                    s: dict[str, ParagraphStyle], caption: str | None = None,
                    keep_with: Sequence[Flowable] = ()) -> Flowable:
    """Right-aligned block: "Watansoppeng, 9 Januari 2017", title, room to sign, NAME, NIP.

    ``keep_with``: the closing text printed just before the block; they move to the next
    page together, so a page never holds a signature without text above it. To keep the
    last rows of a table with them too, wrap the table and this block in
    :class:`KeepTableTail`.
    """
    place_date = f"{place}, {date_label}" if place else date_label
    inner = Table([[_signature_cells(sig, s, place_date, caption, width * 0.5)]],
                  colWidths=[width * 0.5])
    inner.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 11),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    outer = Table([["", inner]], colWidths=[width * 0.5, width * 0.5])
    outer.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 11),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([*keep_with, Spacer(1, 8 * mm), outer])


def signature_pair(left: Signatory, right: Signatory, place: str, date_label: str,
                   width: float, s: dict[str, ParagraphStyle], left_caption: str,
                   right_caption: str, keep_with: Sequence[Flowable] = ()) -> Flowable:
    """Two blocks side by side; the place and date head the right one. ``keep_with``
    as in :func:`signature_block`."""
    place_date = f"{place}, {date_label}" if place else date_label
    left_cells = [Paragraph("&nbsp;", s["sign"])] + _signature_cells(
        left, s, None, left_caption, width * 0.5 - 4)
    right_cells = _signature_cells(right, s, place_date, right_caption, width * 0.5 - 4)
    table = Table([[left_cells, right_cells]], colWidths=[width * 0.5, width * 0.5])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 11),
                               ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 2),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))
    return KeepTogether([*keep_with, Spacer(1, 8 * mm), table])


def closing_after(parts: list[Flowable], closing: Flowable) -> Flowable:
    """The last flowable of ``parts`` (taken out) kept with ``closing``: a table's last
    rows through :class:`KeepTableTail`, anything else whole."""
    last = parts.pop()
    if isinstance(last, Table) or type(last).__name__ == "FastTable":
        return KeepTableTail(last, [closing])
    return KeepTogether([last, closing])


def heading(text: str, s: dict[str, ParagraphStyle], room: float = 45 * mm,
            style: str = "heading") -> list[Flowable]:
    """A section heading that never sits alone at the foot of a page."""
    return [CondPageBreak(room), Paragraph(esc(text), s[style])]


def title_block(title: str, subtitle: str, s: dict[str, ParagraphStyle],
                number: str | None = None) -> list[Flowable]:
    """Title, subtitle and, for a numbered document, "Nomor : …" (dots to fill in by hand
    while ``number`` is "", e.g. before verification is complete)."""
    parts: list[Flowable] = [Spacer(1, 4 * mm), Paragraph(esc(title), s["title"])]
    if subtitle:
        parts.append(Paragraph(esc(subtitle), s["subtitle"]))
    if number is not None:
        parts.append(Paragraph(f"Nomor : {esc(number) if number else '.' * 40}", s["sign"]))
    parts.append(Spacer(1, 5 * mm))
    return parts
