"""The Dokumen Data Kinerja: the output of SOP step 7, basis of the LKjIP."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from kinerja_desktop.domain.achievement import FORMULA_LEGEND
from kinerja_desktop.domain.numbers import format_number
from kinerja_desktop.reports.base import (
    FONT,
    FONT_BOLD,
    Renderer,
    closing_after,
    data_table,
    esc,
    heading,
    signature_block,
    title_block,
)
from kinerja_desktop.reports.fasttable import TOTAL, FastTable
from kinerja_desktop.services.document_data.common import NOT_COMPUTABLE
from kinerja_desktop.services.document_data.compiled_report import (
    CompiledReportData,
    ObjectiveSection,
)
from kinerja_desktop.services.document_data.earlier_years import years_with_achievement

CHART_FILL = colors.HexColor("#4F6D8F")
TARGET_LINE = colors.HexColor("#B03030")
BAR_LABEL_SIZE = 8


def _objective_label(section: ObjectiveSection, index: int) -> str:
    return section.code or f"SS{index}"


def no_earlier_years(year: int) -> str:
    """The comparison's sentence when no earlier year has a realisasi to compare with."""
    return (f"Data realisasi tahun-tahun sebelum {year} tidak tersedia untuk diperbandingkan; "
            f"tabel berikut memuat realisasi dan capaian tahun {year} serta kemajuan terhadap "
            "target akhir Renstra.")


def formula_legend(markers: set[str]) -> str:
    """"Rumus capaian: R/T = Realisasi ÷ Target × 100% (indikator positif); …" for the
    markers that occur in a table, in a fixed order."""
    used = [f"{marker} = {meaning}" for marker, meaning in FORMULA_LEGEND if marker in markers]
    return "Kolom Rumus: " + "; ".join(used) + "." if used else ""


def bar_label_x(bar_end: float, bar_start: float, label_width: float, line_x: float,
                gap: float = 3) -> tuple[float, bool]:
    """Where a bar's value label starts, and whether it sits inside the bar (white):
    after the bar's end unless the target line would cross it; then inside the bar
    when the bar is long enough, else just after the line."""
    x = bar_end + gap
    if x > line_x + 1 or x + label_width < line_x - 1:
        return x, False
    if bar_end - bar_start >= label_width + 2 * gap:
        return bar_end - gap - label_width, True
    return line_x + gap, False


class CompiledReportRenderer(Renderer):
    """Renders :class:`CompiledReportData` to PDF."""

    def __init__(self, data: CompiledReportData, paper: str | None = None) -> None:
        super().__init__(data.office, paper)
        self.data = data
        self.document_date = data.generated_at
        if data.draft:  # before closing: not the official record, and it says so
            self.watermark = "DRAF"
            self.page_note = f"DRAF — {data.status_label} — belum ditutup, tidak untuk " \
                             "ditandatangani"

    def title(self) -> str:
        version = f" ({self.data.version_label})" if self.data.version_label else ""
        draft = " (DRAF)" if self.data.draft else ""
        return f"Dokumen Data Kinerja {self.data.cycle.label}{version}{draft}"

    def footer(self) -> str:
        return f"{self.title()} — {self.office.name}"

    def story(self) -> list[Flowable]:
        d, s = self.data, self.s
        story: list[Flowable] = title_block(d.title, d.subtitle, s)
        if d.draft:
            story += [Paragraph(
                f"<b>DRAF</b> — {esc(d.status_label)}. Siklus belum ditutup (langkah 7 belum "
                "selesai); dokumen ini belum menjadi catatan resmi dan belum ditandatangani.",
                s["body"]), Spacer(1, 3 * mm)]
        elif d.version_label:
            story += [Paragraph(f"<b>{esc(d.version_label.upper())}</b>", s["subtitle"]),
                      Spacer(1, 3 * mm)]
        story.append(Paragraph(
            f"Dokumen ini memuat hasil pengumpulan data kinerja {esc(self.office.name)} "
            f"{esc(self.office.regency)} {esc(d.cycle.label.lower())} sebagai bahan penyusunan "
            f"Laporan Kinerja Instansi Pemerintah (LKjIP). Pengumpulan dilaksanakan "
            f"berdasarkan Surat Keputusan nomor {esc(d.cycle.sk_number)} tanggal "
            f"{esc(d.cycle.sk_date_label)}"
            + (f" dari {esc(d.cycle.sk_issuer)}" if d.cycle.sk_issuer else "") + ".",
            s["body"]))
        story += self._summary()
        story += self._measurement()
        story += self._chart()
        story += self._comparison()
        story += self._analysis()
        story += self._budget()
        parts = self._verification()
        if d.draft:  # only the closed record is signed
            return [*story, *parts]
        kept = closing_after(parts, self._closing())  # takes the last part out of ``parts``
        return [*story, *parts, kept]

    def _closing(self) -> Flowable:
        """The closing sentence and the signature block, kept on one page."""
        d, s = self.data, self.s
        closing = Paragraph(
            f"Demikian Dokumen Data Kinerja {esc(d.cycle.label.lower())} ini disusun untuk "
            "dipergunakan sebagai bahan penyusunan Laporan Kinerja Instansi Pemerintah.",
            s["body"])
        return signature_block(self.office.head, self.office.signing_place,
                               d.signing_date_label, self.frame_width, s,
                               keep_with=[Spacer(1, 3 * mm), closing])

    # ------------------------------------------------------------------ sections

    def _summary(self) -> list[Flowable]:
        d, s = self.data, self.s
        sm = d.summary
        rows = [
            ["Uraian", "Jumlah"],
            ["Jumlah indikator kinerja", str(sm.indicator_count)],
            ["Indikator yang mencapai target (capaian ≥ 100%)", str(sm.reached_count)],
            ["Indikator yang belum mencapai target", str(sm.not_reached_count)],
            ["Indikator yang capaiannya tidak dapat dihitung", str(sm.not_computable_count)],
            ["Rata-rata capaian (%)", sm.average_label
             + (f" ({sm.average_predikat})" if sm.average_predikat else "")],
        ]
        summary = data_table(rows, self.widths(0.72, 0.28), extra=[
            ("ALIGN", (1, 0), (1, -1), "CENTER")])
        bands = list(d.predikat_scale.bands)
        pred_rows: list[list] = [["Predikat", "Rentang capaian (%)", "Jumlah indikator"]]
        for i, (label, count) in enumerate(sm.predikat_counts):
            band = bands[i]
            low = format_number(band.minimum)
            if i == 0:
                span = f"≥ {low}"
            else:
                span = f"{low} s.d. < {format_number(bands[i - 1].minimum)}"
                if i == len(bands) - 1:
                    span = f"< {format_number(bands[i - 1].minimum)}"
            pred_rows.append([Paragraph(esc(label), s["cell"]), span, str(count)])
        pred = data_table(pred_rows, self.widths(0.4, 0.32, 0.28), extra=[
            ("ALIGN", (1, 0), (-1, -1), "CENTER")])
        return [
            *heading("A. Ringkasan Capaian Kinerja", s),
            summary, Spacer(1, 4 * mm),
            Paragraph("Sebaran predikat capaian indikator kinerja:", s["body_left"]),
            Spacer(1, 2 * mm), pred,
        ]

    def _header(self, rows: list[list[str]], widths: list[float],
                extra: list[tuple] | None = None, small: bool = False) -> Table:
        style = self.s["header"]
        if small:  # a table of many narrow columns
            from reportlab.lib.styles import ParagraphStyle

            style = ParagraphStyle("header_small", parent=style, fontSize=8, leading=9.5)
        header = [[Paragraph(esc(h), style) if h else "" for h in row] for row in rows]
        return data_table(header, widths, header_rows=len(rows), extra=extra or [])

    def _measurement(self) -> list[Flowable]:
        d, s = self.data, self.s
        widths = self.widths(0.05, 0.3, 0.1, 0.09, 0.09, 0.1, 0.15, 0.12)
        header = self._header([["No", "Indikator Kinerja", "Satuan", "Target", "Realisasi",
                                "Rumus", "Capaian (%)", "Predikat"]], widths)
        table = FastTable(header, widths, "CLCCCCCC", repeat_columns=(0, 1))
        markers: set[str] = set()
        for index, section in enumerate(d.objectives, start=1):
            label = _objective_label(section, index)
            table.add_group(f"Sasaran Strategis {label}: {section.name}",
                            continued=f"Sasaran Strategis {label} (lanjutan)")
            for item in section.items:
                markers.add(item.formula_marker)
                table.add_row([item.number, item.name, item.unit, item.target_label,
                               item.actual_label, item.formula_marker, item.achievement_label,
                               item.predikat or "-"])
        return [*heading("B. Pengukuran Kinerja per Sasaran Strategis", s), table,
                Spacer(1, 1 * mm),
                Paragraph(esc(formula_legend(markers)) + " Capaian yang tidak dapat dihitung "
                          "dicantumkan alasannya.", s["small"])]

    def _chart(self) -> list[Flowable]:
        d, s = self.data, self.s
        sections = list(d.objectives)
        if not sections:
            return []
        labels = [_objective_label(sec, i) for i, sec in enumerate(sections, start=1)]
        values = [float(sec.average_value) if sec.average_value is not None else 0.0
                  for sec in sections]
        top = max([120.0] + [v * 1.1 for v in values])
        bar_space = 11 * mm
        width = self.frame_width
        height = bar_space * len(sections) + 20 * mm
        drawing = Drawing(width, height, initialFontName=FONT)
        chart = HorizontalBarChart()
        chart.x, chart.y = 22 * mm, 12 * mm
        chart.width, chart.height = width - 40 * mm, bar_space * len(sections)
        chart.data = [list(reversed(values))]
        chart.categoryAxis.categoryNames = list(reversed(labels))
        chart.categoryAxis.labels.fontName = FONT_BOLD
        chart.categoryAxis.labels.fontSize = 9
        chart.valueAxis.valueMin = 0
        chart.valueAxis.valueMax = top
        chart.valueAxis.valueStep = 20 if top <= 200 else 50
        chart.valueAxis.labels.fontName = FONT
        chart.valueAxis.labels.fontSize = 8
        chart.valueAxis.labelTextFormat = lambda v: format_number(v)
        chart.bars[0].fillColor = CHART_FILL
        chart.bars[0].strokeColor = None
        drawing.add(chart)
        x100 = chart.x + chart.width * 100 / top
        drawing.add(Line(x100, chart.y, x100, chart.y + chart.height,
                         strokeColor=TARGET_LINE, strokeDashArray=[3, 2], strokeWidth=0.8))
        drawing.add(String(x100 + 2, chart.y + chart.height + 3, "Target 100%",
                           fontName=FONT, fontSize=8, fillColor=TARGET_LINE))
        # Value labels drawn here, placed so that the target line never crosses them.
        slot = chart.height / len(sections)
        for i, sec in enumerate(reversed(sections)):
            if sec.average_value is None:
                continue
            text = format_number(sec.average_value, 2)
            label_width = pdfmetrics.stringWidth(text, FONT, BAR_LABEL_SIZE)
            bar_end = chart.x + chart.width * max(float(sec.average_value), 0.0) / top
            x, inside = bar_label_x(bar_end, chart.x, label_width, x100)
            drawing.add(String(x, chart.y + (i + 0.5) * slot - BAR_LABEL_SIZE / 3, text,
                               fontName=FONT, fontSize=BAR_LABEL_SIZE,
                               fillColor=colors.white if inside else colors.black))
        drawing.add(String(chart.x + chart.width / 2, 2, "Rata-rata capaian (%)",
                           fontName=FONT, fontSize=8, textAnchor="middle"))
        legend_rows: list[list] = [[Paragraph(h, s["header"]) for h in
                                    ("Kode", "Sasaran Strategis", "Rata-rata capaian (%)",
                                     "Predikat")]]
        for label, sec in zip(labels, sections, strict=True):
            legend_rows.append([label, Paragraph(esc(sec.name), s["cell"]),
                                Paragraph(esc(sec.average_label), s["cell_center"]),
                                Paragraph(esc(sec.predikat or "-"), s["cell_center"])])
        legend = data_table(legend_rows, self.widths(0.1, 0.55, 0.18, 0.17), extra=[
            ("ALIGN", (0, 1), (0, -1), "CENTER")])
        note = Paragraph("Sasaran tanpa capaian yang dapat dihitung ditampilkan tanpa batang.",
                         s["small"]) if any(sec.average_value is None for sec in sections) \
            else Spacer(1, 0)
        title = Paragraph("C. Grafik Capaian per Sasaran Strategis", s["heading"])
        return [KeepTogether([title, drawing, note]),
                Spacer(1, 2 * mm), legend]

    def _comparison(self) -> list[Flowable]:
        d, s = self.data, self.s
        years = d.previous_years
        items = d.items
        # An earlier year known only by its realisasi (typed from an earlier LKjIP) gets
        # no capaian column: a column of dashes would only narrow the table.
        with_capaian = years_with_achievement(years, (item.history for item in items))
        header1 = ["No", "Indikator Kinerja", "Satuan"]
        header2 = ["", "", ""]
        extra: list[tuple] = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)),
                              ("SPAN", (2, 0), (2, 1))]
        col = 3
        for year, capaian in (*zip(years, with_capaian, strict=True), (d.cycle.year, True)):
            if capaian:
                header1 += [f"Tahun {year}", ""]
                header2 += ["Realisasi", "Capaian (%)"]
                extra.append(("SPAN", (col, 0), (col + 1, 0)))
                col += 2
            else:
                header1.append(f"Tahun {year}")
                header2.append("Realisasi")
                col += 1
        header1 += ["Target Renstra", "Capaian thd. Renstra (%)"]
        header2 += ["", ""]
        extra += [("SPAN", (col, 0), (col, 1)), ("SPAN", (col + 1, 0), (col + 1, 1))]
        value_cols = col - 3
        # Value columns wide enough for "Realisasi" in the (smaller) header on A4, up to
        # five of them; the indicator's name takes the rest.
        room = 1 - 0.05 - 0.095 - 0.2  # No, Satuan and the two Renstra columns
        name = max(0.17, room - 0.085 * value_cols)
        per_value = (room - name) / value_cols
        widths = self.widths(0.05, name, 0.095, *([per_value] * value_cols), 0.1, 0.1)
        table = FastTable(self._header([header1, header2], widths, extra, small=True), widths,
                          "CLC" + "C" * (value_cols + 2))
        # A capaian that cannot be computed is marked "*" in the narrow value columns and
        # its reason given once under the table (a reason in the cell broke mid-word).
        reasons: dict[str, list[str]] = {}

        def value(label: str, number: int) -> str:
            if not label.startswith(NOT_COMPUTABLE):
                return label
            reason = label.removeprefix(NOT_COMPUTABLE).strip(" :") or "tanpa alasan"
            numbers = reasons.setdefault(reason, [])
            if str(number) not in numbers:
                numbers.append(str(number))
            return "*"

        for item in items:
            row: list[object] = [item.number, item.name, item.unit]
            for prev, capaian in zip(item.history, with_capaian, strict=True):
                row += [prev.actual_label, value(prev.achievement_label, item.number)] \
                    if capaian else [prev.actual_label]
            renstra_target = item.renstra.target_label
            if item.renstra.year:
                renstra_target += f" ({item.renstra.year})"
            row += [item.actual_label, value(item.achievement_label, item.number),
                    renstra_target, value(item.renstra.progress_label, item.number)]
            table.add_row(row)
        intro = ("Perbandingan realisasi dan capaian dengan tahun sebelumnya serta kemajuan "
                 "terhadap target akhir Renstra." if years else no_earlier_years(d.cycle.year))
        notes = [Paragraph("* Capaian tidak dapat dihitung: " + "; ".join(
            f"{esc(reason)} (No {', '.join(numbers)})" for reason, numbers in reasons.items())
            + ".", s["small"])] if reasons else []
        # The heading keeps room for the intro, the two header rows and a first row.
        return [*heading("D. Perbandingan Antartahun dan Kemajuan terhadap Renstra", s,
                         room=80 * mm),
                Paragraph(intro, s["body"]), Spacer(1, 2 * mm), table, *notes]

    def _analysis(self) -> list[Flowable]:
        d, s = self.data, self.s
        widths = self.widths(0.065, 0.195, 0.195, 0.18, 0.18, 0.185)
        header = self._header([["No", "Indikator Kinerja", "Penjelasan", "Faktor Pendukung",
                                "Faktor Penghambat", "Upaya / Tindak Lanjut"]], widths)
        table = FastTable(header, widths, "CLLLLL", bold_columns=(1,), repeat_columns=(0, 1))
        for item in d.items:
            explanation = item.explanation.strip() or "-"
            if item.achievement.manual:
                explanation += f"\n{item.achievement.formula_label()}"
            table.add_row([item.number, item.name, explanation, item.supporting or "-",
                           item.inhibiting or "-", item.follow_up or "-"])
        return [*heading("E. Analisis Capaian per Indikator", s), table]

    def _budget(self) -> list[Flowable]:
        """One row per programme of the cycle (a pagu counted once), and the total."""
        d, s = self.data, self.s
        if not d.budget_rows:
            return [*heading("F. Realisasi Anggaran per Program", s),
                    Paragraph(d.budget_empty_label, s["body"])]
        widths = self.widths(0.065, 0.415, 0.19, 0.19, 0.14)
        header = self._header([["No", "Program", "Pagu (Rp)", "Realisasi (Rp)",
                                "Serapan (%)"]], widths)
        table = FastTable(header, widths, "CLRRC")
        for row in d.budget_rows:
            table.add_row([row.number, row.label, row.budget_label, row.spent_label,
                           row.absorption_label])
        t = d.budget_total
        table.add_row(["", "JUMLAH", t.budget_label, t.spent_label, t.absorption_label],
                      kind=TOTAL)
        return [*heading("F. Realisasi Anggaran per Program", s), table]

    def _verification(self) -> list[Flowable]:
        from kinerja_desktop.reports.receipts import verification_section

        return [*heading("G. Catatan Verifikasi", self.s),
                *verification_section(self, self.data.verification, all_events=False)]


def render_compiled_report(data: CompiledReportData, paper: str | None = None) -> bytes:
    """The Dokumen Data Kinerja as PDF bytes (on ``paper``, else the office's)."""
    return CompiledReportRenderer(data, paper).render()
