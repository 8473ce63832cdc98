"""The SOP sheet in the PermenPAN-RB 35/2012 layout: identity page, then the flowchart.

The flowchart is one flowable that draws its own ruled table: No, Kegiatan, one
swimlane column per pelaksana with drawn symbols (rounded terminator for the first
and last step, boxes for activities, arrows between lanes), the mutu baku columns
(Kelengkapan, Waktu, Output) and Keterangan. When it does not fit on a page it splits
between steps with a pair of off-page connectors.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from kinerja_desktop.domain.sop import StepDefinition
from kinerja_desktop.reports.base import (
    FONT,
    FONT_BOLD,
    HEADER_FILL,
    Renderer,
    balanced_paragraph,
    esc,
    fitted,
    printed_name,
)
from kinerja_desktop.services.document_data.sop_sheet import SopSheetData

PAD = 3
MIN_ROW = 17 * mm
SYMBOL_H = 9 * mm
#: A flowchart cell's text is shortened with "…" beyond this height (a row must fit a page).
MAX_CELL_HEIGHT = 95 * mm


@dataclass(frozen=True)
class _Row:
    index: int
    step: StepDefinition
    cells: tuple[Paragraph, ...]  # No, Kegiatan, Kelengkapan, Waktu, Output, Keterangan


class SopFlowchart(Flowable):
    """The flowchart table of an SOP (or a page's share of its rows)."""

    def __init__(self, rows: list[_Row], total: int, lanes: tuple[tuple[str, str], ...],
                 widths: list[float], header: list[Paragraph], lane_header: list[Paragraph],
                 connector_in: str = "", connector_out: str = "") -> None:
        super().__init__()
        self.rows = rows
        self.total = total
        self.lanes = lanes
        self.col_widths = widths  # No, Kegiatan, lanes..., Kelengkapan, Waktu, Output, Ket
        self.header = header
        self.lane_header = lane_header
        self.connector_in = connector_in
        self.connector_out = connector_out
        self._heights: list[float] = []
        self._header_heights = (0.0, 0.0)

    # ------------------------------------------------------------------ geometry
    def _text_columns(self) -> list[int]:
        n = len(self.lanes)
        return [0, 1, 2 + n, 3 + n, 4 + n, 5 + n]

    def _measure(self) -> None:
        cols = self._text_columns()
        heights = []
        for row in self.rows:
            h = MIN_ROW
            for para, col in zip(row.cells, cols, strict=True):
                _w, ph = para.wrap(self.col_widths[col] - 2 * PAD, 10_000)
                h = max(h, ph + 2 * PAD + 2)
            heights.append(h)
        self._heights = heights
        h1 = max(p.wrap(self._span_width(i), 1000)[1] for i, p in enumerate(self.header))
        h2 = max(p.wrap(self.col_widths[2 + i] - 2 * PAD, 1000)[1]
                 for i, p in enumerate(self.lane_header))
        self._header_heights = (h1 + 2 * PAD + 2, h2 + 2 * PAD + 2)

    def _span_width(self, header_index: int) -> float:
        n = len(self.lanes)
        spans = [(0, 1), (1, 2), (2, 2 + n), (2 + n, 5 + n), (5 + n, 6 + n)]
        a, b = spans[header_index]
        return sum(self.col_widths[a:b]) - 2 * PAD

    def _connector_room(self) -> float:
        return (10 * mm if self.connector_in else 0) + (10 * mm if self.connector_out else 0)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._measure()
        self.width = sum(self.col_widths)
        self.height = sum(self._header_heights) + sum(self._heights) + self._connector_room()
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        if self.height <= avail_height:
            return [self]
        used = sum(self._header_heights) + (10 * mm if self.connector_in else 0) + 10 * mm
        fit = 0
        for h in self._heights:
            if used + h > avail_height:
                break
            used += h
            fit += 1
        if fit == 0 or fit == len(self.rows):
            return []
        label = chr(ord("A") + self.rows[fit - 1].index) if self.rows[fit - 1].index < 26 \
            else str(self.rows[fit - 1].index)
        first = SopFlowchart(self.rows[:fit], self.total, self.lanes, self.col_widths,
                             self.header, self.lane_header, self.connector_in, label)
        rest = SopFlowchart(self.rows[fit:], self.total, self.lanes, self.col_widths,
                            self.header, self.lane_header, label, self.connector_out)
        return [first, rest]

    # ------------------------------------------------------------------ drawing
    def _x(self, col: int) -> float:
        return sum(self.col_widths[:col])

    def _lane_of(self, step: StepDefinition) -> int:
        keys = [k for k, _ in self.lanes]
        return keys.index(step.executor.value) if step.executor.value in keys else 0

    def draw(self) -> None:
        c: Canvas = self.canv
        n = len(self.lanes)
        total_w = sum(self.col_widths)
        h1, h2 = self._header_heights
        top = self.height
        # header
        c.setFillColor(HEADER_FILL)
        c.rect(0, top - h1 - h2, total_w, h1 + h2, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.setLineWidth(0.6)
        spans = [(0, 1, True), (1, 2, True), (2, 2 + n, False), (2 + n, 5 + n, False),
                 (5 + n, 6 + n, True)]
        for para, (a, b, tall) in zip(self.header, spans, strict=True):
            x0, x1 = self._x(a), self._x(b)
            height = h1 + h2 if tall else h1
            _w, ph = para.wrap(x1 - x0 - 2 * PAD, 1000)
            para.drawOn(c, x0 + PAD, top - (height + ph) / 2)
            c.rect(x0, top - height, x1 - x0, height)
        sub = [*self.lane_header]
        sub_cols = [2 + i for i in range(n)]
        mutu = [Paragraph(t, self.header[0].style) for t in ("Kelengkapan", "Waktu", "Output")]
        for para, col in zip([*sub, *mutu], [*sub_cols, 2 + n, 3 + n, 4 + n], strict=True):
            x0, w = self._x(col), self.col_widths[col]
            _w, ph = para.wrap(w - 2 * PAD, 1000)
            para.drawOn(c, x0 + PAD, top - h1 - (h2 + ph) / 2)
            c.rect(x0, top - h1 - h2, w, h2)
        # body
        y = top - h1 - h2 - (10 * mm if self.connector_in else 0)
        body_top = y
        centres: list[tuple[float, float, float]] = []  # (x, y, half height)
        text_cols = self._text_columns()
        for row, h in zip(self.rows, self._heights, strict=True):
            for col in range(len(self.col_widths)):
                c.rect(self._x(col), y - h, self.col_widths[col], h)
            for para, col in zip(row.cells, text_cols, strict=True):
                para.wrap(self.col_widths[col] - 2 * PAD, 10_000)
                para.drawOn(c, self._x(col) + PAD, y - PAD - para.height)
            lane = self._lane_of(row.step)
            cx = self._x(2 + lane) + self.col_widths[2 + lane] / 2
            cy = y - h / 2
            centres.append((cx, cy, SYMBOL_H / 2))
            self._symbol(c, row, cx, cy, self.col_widths[2 + lane])
            y -= h
        if self.connector_in:
            # Rule the gap above the first row so the lanes stay continuous.
            for col in range(len(self.col_widths)):
                c.rect(self._x(col), body_top, self.col_widths[col], 10 * mm)
        if self.connector_out:
            for col in range(len(self.col_widths)):
                c.rect(self._x(col), y - 10 * mm, self.col_widths[col], 10 * mm)
        # arrows
        c.setLineWidth(0.9)
        for (x0, y0, hh0), (x1, y1, hh1) in zip(centres, centres[1:], strict=False):
            start_y = y0 - hh0
            end_y = y1 + hh1
            if abs(x0 - x1) < 0.5:
                c.line(x0, start_y, x1, end_y)
            else:
                # Turn inside the source row, clear of the ruled row boundary.
                mid = start_y - 2.5 * mm
                path = c.beginPath()
                path.moveTo(x0, start_y)
                path.lineTo(x0, mid)
                path.lineTo(x1, mid)
                path.lineTo(x1, end_y)
                c.drawPath(path, stroke=1, fill=0)
            self._arrowhead(c, x1, end_y)
        if self.connector_in and centres:
            x, cy, hh = centres[0]
            cy_conn = body_top + 5 * mm
            self._connector(c, x, cy_conn, self.connector_in)
            c.line(x, cy_conn - 3.5 * mm, x, cy + hh)
            self._arrowhead(c, x, cy + hh)
        if self.connector_out and centres:
            x, cy, hh = centres[-1]
            cy_conn = y - 5 * mm
            c.line(x, cy - hh, x, cy_conn + 3.5 * mm)
            self._arrowhead(c, x, cy_conn + 3.5 * mm)
            self._connector(c, x, cy_conn, self.connector_out)

    def _symbol(self, c: Canvas, row: _Row, cx: float, cy: float, lane_width: float) -> None:
        w = min(lane_width - 6 * mm, 26 * mm)
        h = SYMBOL_H
        c.saveState()
        c.setFillColor(colors.white)
        c.setLineWidth(1)
        if row.index == 0 or row.index == self.total - 1:
            c.roundRect(cx - w / 2, cy - h / 2, w, h, h / 2, stroke=1, fill=1)
        else:
            c.rect(cx - w / 2, cy - h / 2, w, h, stroke=1, fill=1)
        c.setFillColor(colors.black)
        c.setFont(FONT_BOLD, 9)
        c.drawCentredString(cx, cy - 3, str(row.step.number))
        c.restoreState()

    @staticmethod
    def _arrowhead(c: Canvas, x: float, y: float) -> None:
        path = c.beginPath()
        path.moveTo(x, y)
        path.lineTo(x - 2.2, y + 5)
        path.lineTo(x + 2.2, y + 5)
        path.close()
        c.saveState()
        c.setFillColor(colors.black)
        c.drawPath(path, stroke=0, fill=1)
        c.restoreState()

    @staticmethod
    def _connector(c: Canvas, x: float, y: float, label: str) -> None:
        """Off-page connector: a small pentagon pointing down, with its letter."""
        w, h = 7 * mm, 7 * mm
        path = c.beginPath()
        path.moveTo(x - w / 2, y + h / 2)
        path.lineTo(x + w / 2, y + h / 2)
        path.lineTo(x + w / 2, y - h / 6)
        path.lineTo(x, y - h / 2)
        path.lineTo(x - w / 2, y - h / 6)
        path.close()
        c.saveState()
        c.setFillColor(colors.white)
        c.drawPath(path, stroke=1, fill=1)
        c.setFillColor(colors.black)
        c.setFont(FONT_BOLD, 8)
        c.drawCentredString(x, y - 1, label)
        c.restoreState()


class SopSheetRenderer(Renderer):
    """The SOP sheet (landscape): identity page, then the flowchart."""

    orientation = "landscape"
    left_margin = 20 * mm
    right_margin = 15 * mm
    top_margin = 18 * mm
    bottom_margin = 20 * mm
    letterhead = False

    def __init__(self, data: SopSheetData, paper: str | None = None) -> None:
        super().__init__(data.office, paper)
        self.data = data

    def title(self) -> str:
        return f"SOP {self.data.definition.name.title()}"

    def footer(self) -> str:
        d = self.data.definition
        return f"SOP nomor {d.number} — {d.name.title()} (versi {self.data.sop_version})"

    def story(self) -> list[Flowable]:
        return [*self._identity(), PageBreak(), *self._flowchart()]

    # ------------------------------------------------------------------ identity page
    def _identity(self) -> list[Flowable]:
        d, s, office = self.data.definition, self.s, self.office
        cs = s["cell"]
        half = self.frame_width / 2
        logo: Flowable = Spacer(1, 1)
        if office.logo:
            from reportlab.platypus import Image

            try:
                import io

                logo = Image(io.BytesIO(office.logo), width=22 * mm, height=22 * mm,
                             kind="proportional")
            except Exception:  # noqa: BLE001 - a broken logo must not stop the sheet
                logo = Spacer(1, 1)
        org = d.organisation or f"{office.name} {office.regency}"
        left = [logo, Spacer(1, 2 * mm),
                Paragraph(f"<b>{esc(org.upper())}</b>", s["sign"]), Spacer(1, 3 * mm),
                Paragraph(f"<b>{esc(d.unit.upper())}</b>", s["sign"]),
                Paragraph(esc(d.sub_unit.upper()), s["sign"])]
        head = office.head
        approved = [balanced_paragraph((d.approved_by or head.title).upper(), cs,
                                       half * 0.68 - 12),
                    Spacer(1, 14 * mm),
                    Paragraph(f"<b><u>{esc(printed_name(head.name))}</u></b>", cs)]
        if head.pangkat:
            approved.append(Paragraph(f"Pangkat : {esc(head.pangkat)}", cs))
        if head.nip:
            approved.append(Paragraph(f"NIP. {esc(head.nip)}", cs))
        right_rows = [
            ["Nomor SOP", Paragraph(esc(d.number), cs)],
            ["Tanggal Pembuatan", Paragraph(esc(self.data.made_on_label), cs)],
            ["Tanggal Revisi", Paragraph(esc(self.data.revised_on_label), cs)],
            ["Tanggal Efektif", Paragraph(esc(self.data.effective_on_label), cs)],
            ["Disahkan oleh", approved],
            ["Nama SOP", Paragraph(f"<b>{esc(d.name.upper())}</b>", cs)],
        ]
        right = Table(right_rows, colWidths=[half * 0.32, half * 0.68])
        right.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("FONT", (0, 0), (-1, -1), FONT, 9),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        top = Table([[left, right]], colWidths=[half, half])
        top.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), FONT, 9),
            ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
            ("LINEAFTER", (0, 0), (0, 0), 0.8, colors.black),
            ("VALIGN", (0, 0), (0, 0), "MIDDLE"),
            ("ALIGN", (0, 0), (0, 0), "CENTER"),
            ("LEFTPADDING", (1, 0), (1, 0), 0), ("RIGHTPADDING", (1, 0), (1, 0), 0),
            ("TOPPADDING", (1, 0), (1, 0), 0), ("BOTTOMPADDING", (1, 0), (1, 0), 0),
        ]))

        def listing(items: tuple[str, ...]) -> list[Flowable]:
            if not items:
                return [Paragraph("-", cs)]
            return [Paragraph(f"{i}. {esc(text)}", cs) for i, text in enumerate(items, 1)]

        pairs = [
            ("Dasar Hukum:", d.legal_basis, "Kualifikasi Pelaksana:", d.qualifications),
            ("Keterkaitan:", d.related_sops, "Peralatan/Perlengkapan:", d.equipment),
            ("Peringatan:", d.warnings, "Pencatatan dan Pendataan:", d.records),
        ]
        rows = []
        for l_title, l_items, r_title, r_items in pairs:
            rows.append([Paragraph(f"<b>{l_title}</b>", cs), Paragraph(f"<b>{r_title}</b>", cs)])
            rows.append([listing(l_items), listing(r_items)])
        lists = Table(rows, colWidths=[half, half])
        style = [("FONT", (0, 0), (-1, -1), FONT, 9),
                 ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                 ("LINEAFTER", (0, 0), (0, -1), 0.8, colors.black),
                 ("VALIGN", (0, 0), (-1, -1), "TOP")]
        for r in range(0, len(rows), 2):
            style.append(("LINEABOVE", (0, r), (-1, r), 0.5, colors.black))
            style.append(("BACKGROUND", (0, r), (-1, r), HEADER_FILL))
        lists.setStyle(TableStyle(style))
        return [Paragraph("STANDAR OPERASIONAL PROSEDUR", s["title"]), Spacer(1, 3 * mm),
                top, lists]

    # ------------------------------------------------------------------ flowchart
    def _flowchart(self) -> list[Flowable]:
        d, s = self.data.definition, self.s
        lanes = self.data.executors
        n = len(lanes)
        cs, cc = s["cell"], s["cell_center"]
        lane_fraction = 0.33 / max(n, 1)
        fractions = [0.035, 0.2] + [lane_fraction] * n + [0.13, 0.07, 0.14, 0.095]
        widths = self.widths(*fractions)
        header = [Paragraph(t, s["header"]) for t in
                  ("No", "Kegiatan", "Pelaksana", "Mutu Baku", "Keterangan")]
        lane_header = [Paragraph(esc(label), s["header"]) for _key, label in lanes]
        rows = []
        for i, step in enumerate(d.steps):
            note = step.note or ("Dilaksanakan untuk setiap Tim Penyusun Data"
                                 if step.per_team else "")
            def fit(text: str, col: int) -> Paragraph:  # a row never taller than a page
                return fitted(text, cs, widths[col] - 2 * PAD, MAX_CELL_HEIGHT)

            rows.append(_Row(i, step, (
                Paragraph(str(step.number), cc),
                fit(step.activity, 1),
                fit("\n".join(step.requirements), 2 + n) if step.requirements else
                Paragraph("-", cs),
                Paragraph(esc(step.time.label()), cc),
                fit(step.output, 4 + n),
                fit(note, 5 + n),
            )))
        title = balanced_paragraph(d.flowchart_title or f"PROSEDUR {d.name.upper()}",
                                   s["subtitle"], self.frame_width * 0.8, bold=True)
        legend = Paragraph("Simbol: persegi bersudut bulat = mulai/selesai; persegi = "
                           "kegiatan; panah = alur ke kegiatan berikutnya; segi lima = "
                           "penghubung antarhalaman.", s["small"])
        return [title, Spacer(1, 3 * mm),
                SopFlowchart(rows, len(rows), lanes, widths, header, lane_header),
                Spacer(1, 2 * mm), legend]


def render_sop_sheet(data: SopSheetData, paper: str | None = None) -> bytes:
    """The SOP sheet as PDF bytes (on ``paper``, else the office's)."""
    return SopSheetRenderer(data, paper).render()
