"""The compiled Dokumen Data Kinerja (step 7) as an Excel workbook.

The same tables as the compiled PDF (``reports.compiled_report``), one sheet per table:
A. Ringkasan, A. Sebaran Predikat, B. Pengukuran, C. Capaian per Sasaran (with a bar
chart), D. Antartahun, E. Analisis, F. Anggaran, G. Verifikasi and G. Pengembalian.
Numbers are real numbers (not text) with the ``#,##0.00`` format (Excel shows
``1.234,56`` under Indonesian settings); a value that cannot be computed leaves its cell
empty and says why in the Keterangan column; counts are whole numbers (``#,##0``) and
times real Excel dates shown the Indonesian way. Header rows are frozen, columns sized, and
every text from the database is written as text (never a formula). Every sheet prints
like the PDF (``spreadsheets.print_setup``): the office's paper, the PDF's margins,
portrait or landscape by its width, one page wide, header rows repeated, title in the
header and "Halaman X dari Y" in the footer.

Input: :class:`kinerja_desktop.services.document_data.compiled_report.CompiledReportData`;
openpyxl is imported inside the function.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from kinerja_desktop.spreadsheets.format_workbook import NUMBER_FORMAT, row_height, set_text
from kinerja_desktop.spreadsheets.print_setup import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    excel_datetime,
    prepare_for_print,
)

TITLE_ROWS = 3
HEADER_ROW = 5
INTEGER_FORMAT = "#,##0"


def entered_format(value: Decimal | float | int) -> str:
    """The number format showing ``value`` as entered: "5" (a count), "0,6321"."""
    from kinerja_desktop.domain.numbers import entered_decimals

    places = min(entered_decimals(value), 6)
    return INTEGER_FORMAT + ("." + "0" * places if places else "")


def _num(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)


class _Sheet:
    """One table on its own sheet: title block, header row(s), rows, widths, frozen header."""

    def __init__(self, wb, title: str, heading: str, data, columns: list[tuple[str, float, str]],
                 header_rows: list[list[str]] | None = None) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
        from openpyxl.utils import get_column_letter

        self.ws = wb.create_sheet(title)
        self.columns = columns
        self.kinds = [kind for _h, _w, kind in columns]
        thin = Side(style="thin", color="999999")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.bold = Font(bold=True)
        lines = (heading, _title_line(data),
                 f"{data.office.name} {data.office.regency}".strip())
        for r, text in enumerate(lines, start=1):
            cell = self.ws.cell(row=r, column=1)
            set_text(cell, text)
            cell.font = Font(bold=r == 1, size=13 if r == 1 else 11)
        headers = header_rows or [[h for h, _w, _k in columns]]
        fill = PatternFill("solid", fgColor="D9E2F3")
        for offset, header in enumerate(headers):
            for c, text in enumerate(header, start=1):
                cell = self.ws.cell(row=HEADER_ROW + offset, column=c)
                if text:
                    set_text(cell, text)
                cell.font = self.bold
                cell.fill = fill
                cell.border = self.border
                cell.alignment = Alignment(wrap_text=True, horizontal="center",
                                           vertical="center")
        for offset, header in enumerate(headers):
            self.ws.row_dimensions[HEADER_ROW + offset].height = row_height(
                [(t, w) for t, (_h, w, _k) in zip(header, columns, strict=True)]) * 1.1
        for c, (_h, width, _k) in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(c)].width = width
        self.first_data_row = HEADER_ROW + len(headers)
        self.row = self.first_data_row
        self.ws.freeze_panes = self.ws.cell(row=self.first_data_row, column=1)
        # Printed from Excel on the office's paper like the PDF: margins, one page wide,
        # the header rows on every page, title in the header, page numbers in the footer.
        prepare_for_print(self.ws, data.office.paper_size, title=_title_line(data),
                          footer=f"{data.office.name} {data.office.regency}".strip(),
                          title_rows=f"{HEADER_ROW}:{self.first_data_row - 1}")
        if data.draft:  # printed from Excel as well, every page says it is a draft
            header = self.ws.oddHeader.center
            header.text = f"DRAF — {data.status_label} — belum ditutup".replace("&", "&&")
            header.size, header.color = 10, "9A1A1A"

    def add(self, values: list, bold: bool = False, fill=None) -> None:
        self.ws.row_dimensions[self.row].height = row_height(
            [(v, w) for v, (_h, w, _k) in zip(values, self.columns, strict=True)
             if isinstance(v, str)])
        for c, (value, kind) in enumerate(zip(values, self.kinds, strict=True), start=1):
            cell = self.ws.cell(row=self.row, column=c)
            cell.border = self.border
            cell.alignment = self.wrap
            if bold:
                cell.font = self.bold
            if fill is not None:
                cell.fill = fill
            if value is None or value == "":
                continue
            if isinstance(value, str):
                set_text(cell, value)
                continue
            if isinstance(value, date):  # a real Excel date, shown the Indonesian way
                cell.value = excel_datetime(value)
                cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) \
                    else DATE_FORMAT
                continue
            cell.value = float(value) if isinstance(value, Decimal) else value
            if kind == "entered":  # a target or realisasi: as many decimals as entered
                cell.number_format = entered_format(value)
            else:
                cell.number_format = {"int": INTEGER_FORMAT, "year": "0"}.get(kind,
                                                                             NUMBER_FORMAT)
        self.row += 1

    def finish(self, note: str = "") -> None:
        from openpyxl.utils import get_column_letter

        last = self.row - 1
        if last >= self.first_data_row:
            self.ws.auto_filter.ref = (f"A{self.first_data_row - 1}:"
                                       f"{get_column_letter(len(self.columns))}{last}")
        if note:
            set_text(self.ws.cell(row=self.row + 1, column=1), note)


def _title_line(data) -> str:
    """"DOKUMEN DATA KINERJA TAHUN 2025", with "— REVISI 1" or "— DRAF (status)"."""
    line = f"{data.title} {data.subtitle}".strip()
    if data.draft:
        return f"{line} — DRAF ({data.status_label}; belum ditutup)"
    if data.version_label:
        return f"{line} — {data.version_label.upper()}"
    return line


def render_compiled_workbook(data) -> bytes:
    """The compiled report's tables as .xlsx bytes (``data``: CompiledReportData)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    _summary(wb, data)
    _predikat(wb, data)
    _measurement(wb, data)
    _objectives(wb, data)
    _comparison(wb, data)
    _analysis(wb, data)
    _budget(wb, data)
    _verification(wb, data)
    _returned(wb, data)
    wb.properties.creator = "Kinerja Desktop"
    wb.properties.title = f"{data.title} {data.subtitle}".strip()
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _summary(wb, data) -> None:
    sm = data.summary
    sheet = _Sheet(wb, "A. Ringkasan", "A. Ringkasan Capaian Kinerja", data,
                   [("Uraian", 60, "text"), ("Jumlah / Nilai", 18, "number"),
                    ("Keterangan", 30, "text")])
    sheet.add(["Jumlah indikator kinerja", sm.indicator_count, ""])
    sheet.add(["Indikator yang mencapai target (capaian ≥ 100%)", sm.reached_count, ""])
    sheet.add(["Indikator yang belum mencapai target", sm.not_reached_count, ""])
    sheet.add(["Indikator yang capaiannya tidak dapat dihitung", sm.not_computable_count, ""])
    sheet.add(["Rata-rata capaian (%)", _num(sm.average_value),
               sm.average_predikat if sm.average_value is not None else sm.average_label])
    for r in range(sheet.first_data_row, sheet.first_data_row + 4):
        sheet.ws.cell(row=r, column=2).number_format = INTEGER_FORMAT
    sheet.finish()


def _predikat(wb, data) -> None:
    from kinerja_desktop.domain.numbers import format_number

    sheet = _Sheet(wb, "A. Sebaran Predikat", "Sebaran Predikat Capaian", data,
                   [("Predikat", 22, "text"), ("Capaian minimal (%)", 18, "number"),
                    ("Rentang capaian (%)", 24, "text"), ("Jumlah indikator", 16, "int")])
    bands = list(data.predikat_scale.bands)
    for i, (label, count) in enumerate(data.summary.predikat_counts):
        band = bands[i]
        if i == 0:
            span = f"≥ {format_number(band.minimum)}"
        elif i == len(bands) - 1:
            span = f"< {format_number(bands[i - 1].minimum)}"
        else:
            span = f"{format_number(band.minimum)} s.d. < {format_number(bands[i - 1].minimum)}"
        sheet.add([label, band.minimum if i < len(bands) - 1 else None, span, count])
    sheet.finish()


def _measurement(wb, data) -> None:
    sheet = _Sheet(wb, "B. Pengukuran", "B. Pengukuran Kinerja per Sasaran Strategis", data,
                   [("No", 6, "int"), ("Sasaran Strategis", 34, "text"),
                    ("Indikator Kinerja", 44, "text"), ("Satuan", 11, "text"),
                    ("Target", 13, "entered"), ("Realisasi", 13, "entered"),
                    ("Capaian (%)", 13, "number"), ("Predikat", 14, "text"),
                    ("Tim", 26, "text"), ("Keterangan", 40, "text")])
    for section in data.objectives:
        for item in section.items:
            notes = []
            target = item.target_value if item.target_value is not None else item.target_label
            actual = item.actual_value if item.actual_value is not None else item.actual_label
            if item.achievement_value is None:
                notes.append(item.achievement_label)
            elif item.achievement.manual:
                notes.append(item.achievement.formula_label())
            sheet.add([item.number, section.name, item.name, item.unit,
                       None if target == "-" else target, None if actual == "-" else actual,
                       item.achievement_value, item.predikat or "", item.team_name,
                       "; ".join(n for n in notes if n)])
    sheet.finish("Capaian dihitung dengan rumus masing-masing indikator (positif: realisasi ÷ "
                 "target × 100%; negatif: (2 × target − realisasi) ÷ target × 100%).")


def _objectives(wb, data) -> None:
    from openpyxl.chart import BarChart, Reference

    sheet = _Sheet(wb, "C. Capaian per Sasaran", "C. Capaian per Sasaran Strategis", data,
                   [("Kode", 10, "text"), ("Sasaran Strategis", 60, "text"),
                    ("Rata-rata capaian (%)", 18, "number"), ("Predikat", 16, "text"),
                    ("Jumlah indikator", 14, "int")])
    for index, section in enumerate(data.objectives, start=1):
        sheet.add([section.code or f"SS{index}", section.name, _num(section.average_value),
                   section.predikat if section.average_value is not None
                   else section.average_label, len(section.items)])
    last = sheet.row - 1
    sheet.finish()
    if last >= sheet.first_data_row:
        chart = BarChart()
        chart.type = "bar"
        chart.title = "Rata-rata capaian per sasaran strategis (%)"
        chart.y_axis.title = "Capaian (%)"
        chart.legend = None
        chart.add_data(Reference(sheet.ws, min_col=3, min_row=sheet.first_data_row - 1,
                                 max_row=last), titles_from_data=True)
        chart.set_categories(Reference(sheet.ws, min_col=1, min_row=sheet.first_data_row,
                                       max_row=last))
        chart.height = max(6.0, 1.5 * (last - sheet.first_data_row + 1) + 3)
        chart.width = 18
        sheet.ws.add_chart(chart, f"G{HEADER_ROW}")


def _comparison(wb, data) -> None:
    from kinerja_desktop.services.document_data.earlier_years import years_with_achievement

    earlier = data.previous_years
    with_capaian = years_with_achievement(earlier, (item.history for item in data.items))
    columns = [("No", 6, "int"), ("Indikator Kinerja", 44, "text"), ("Satuan", 11, "text")]
    top = ["No", "Indikator Kinerja", "Satuan"]
    sub = ["", "", ""]
    spans = []
    for year, capaian in (*zip(earlier, with_capaian, strict=True), (data.cycle.year, True)):
        columns.append((f"Realisasi {year}", 13, "entered"))
        top.append(f"Tahun {year}")
        sub.append("Realisasi")
        if capaian:  # a year known only by its realisasi gets no capaian column
            spans.append(len(columns))
            columns.append((f"Capaian {year} (%)", 13, "number"))
            top.append("")
            sub.append("Capaian (%)")
    columns += [("Target Renstra", 14, "entered"), ("Tahun Renstra", 10, "year"),
                ("Capaian thd. Renstra (%)", 15, "number")]
    top += ["Target Renstra", "Tahun Renstra", "Capaian thd. Renstra (%)"]
    sub += ["", "", ""]
    sheet = _Sheet(wb, "D. Antartahun", "D. Perbandingan Antartahun dan Kemajuan terhadap "
                   "Renstra", data, columns, header_rows=[top, sub])
    ws = sheet.ws
    for c in (1, 2, 3, len(columns) - 2, len(columns) - 1, len(columns)):
        ws.merge_cells(start_row=HEADER_ROW, start_column=c, end_row=HEADER_ROW + 1, end_column=c)
    for c in spans:
        ws.merge_cells(start_row=HEADER_ROW, start_column=c, end_row=HEADER_ROW, end_column=c + 1)
    for item in data.items:
        row = [item.number, item.name, item.unit]
        for prev, capaian in zip(item.history, with_capaian, strict=True):
            row.append(_value_or_label(prev.actual_value, prev.actual_label))
            if capaian:
                row.append(_value_or_label(prev.achievement_value, prev.achievement_label))
        row += [_value_or_label(item.actual_value, item.actual_label),
                item.achievement_value]
        row += [_value_or_label(item.renstra.target_value, item.renstra.target_label),
                item.renstra.year, _value_or_label(item.renstra.progress_value,
                                                   item.renstra.progress_label)]
        sheet.add(row)
    sheet.finish("" if earlier else
                 f"Data realisasi tahun-tahun sebelum {data.cycle.year} tidak tersedia untuk "
                 "diperbandingkan.")


def _value_or_label(value, label: str):
    if value is not None:
        return value
    return None if label in ("", "-") else label


def _analysis(wb, data) -> None:
    sheet = _Sheet(wb, "E. Analisis", "E. Analisis Capaian per Indikator", data,
                   [("No", 6, "int"), ("Indikator Kinerja", 40, "text"),
                    ("Penjelasan", 44, "text"), ("Faktor Pendukung", 34, "text"),
                    ("Faktor Penghambat", 34, "text"), ("Upaya / Tindak Lanjut", 34, "text")])
    for item in data.items:
        sheet.add([item.number, item.name, item.explanation, item.supporting, item.inhibiting,
                   item.follow_up])
    sheet.finish()


def _budget(wb, data) -> None:
    """No | Program | Pagu | Realisasi | Serapan: one row per programme, and the total."""
    from openpyxl.styles import PatternFill

    sheet = _Sheet(wb, "F. Anggaran", "F. Realisasi Anggaran per Program", data,
                   [("No", 6, "int"), ("Program", 60, "text"), ("Pagu (Rp)", 20, "number"),
                    ("Realisasi (Rp)", 20, "number"), ("Serapan (%)", 12, "number"),
                    ("Keterangan", 30, "text")])
    for row in data.budget_rows:
        sheet.add([row.number, row.label, row.budget_value, row.spent_value,
                   row.absorption.value,
                   "" if row.absorption.value is not None else row.absorption_label])
    total = data.budget_total
    if data.budget_rows:
        sheet.add(["", "JUMLAH", total.budget_value, total.spent_value, total.absorption.value,
                   "" if total.absorption.value is not None else total.absorption_label],
                  bold=True, fill=PatternFill("solid", fgColor="EDEDED"))
    sheet.finish(data.budget_empty_label)


def _verification(wb, data) -> None:
    sheet = _Sheet(wb, "G. Verifikasi", "G. Catatan Verifikasi per Tim", data,
                   [("Tim", 30, "text"), ("Jumlah butir", 12, "int"),
                    ("Diverifikasi", 12, "int"), ("Pernah dikembalikan", 14, "int"),
                    ("Verifikator", 30, "text"), ("Terakhir diverifikasi", 22, "datetime"),
                    ("Jumlah penyerahan", 14, "int")])
    for team in data.verification.teams:
        sheet.add([team.team_name, team.item_count, team.verified_count, team.returned_count,
                   ", ".join(team.verifiers), team.last_verified_at or team.last_verified_label,
                   team.submission_count])
    sheet.finish()


def _returned(wb, data) -> None:
    sheet = _Sheet(wb, "G. Pengembalian", "Butir yang Dikembalikan untuk Klarifikasi", data,
                   [("Waktu", 22, "datetime"), ("Tim", 28, "text"),
                    ("Indikator Kinerja", 44, "text"),
                    ("Oleh", 28, "text"), ("Alasan", 50, "text")])
    for event in data.verification.returned:
        sheet.add([event.at, event.team_name, event.indicator_name, event.person,
                   event.comment])
    sheet.finish("" if data.verification.returned else "Tidak ada butir yang dikembalikan.")
