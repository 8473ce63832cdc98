"""The "Monitoring Pelaksanaan SOP" form filled from the times recorded in a cycle,
followed by the six evaluation criteria (PermenPAN-RB 35/2012) to tick."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from kinerja_desktop.domain.timing import StepStatus
from kinerja_desktop.reports.base import (
    Renderer,
    data_table,
    esc,
    key_value_table,
    signature_block,
    title_block,
)
from kinerja_desktop.reports.fasttable import FastTable
from kinerja_desktop.services.document_data.monitoring import MonitoringData, StepTimingRow

TICK = "√"

EVALUATION_CRITERIA = (
    "Mampu mendorong peningkatan kinerja",
    "Mudah dipahami",
    "Mudah dilaksanakan",
    "Semua orang dapat menjalankan perannya masing-masing",
    "Mampu mengatasi permasalahan yang berkaitan dengan proses",
    "Mampu menjawab kebutuhan peningkatan kinerja organisasi",
)


def assessment(row: StepTimingRow) -> tuple[str, str]:
    """(catatan hasil penilaian, tindakan yang harus diambil) for one step run."""
    standard = f"mutu baku {row.standard_label.lower()}"
    if row.status is StepStatus.SELESAI_TEPAT_WAKTU:
        note = f"Selesai tepat waktu: {row.used_label} dari {standard}."
        action = "Pertahankan pelaksanaan sesuai SOP."
    elif row.status is StepStatus.SELESAI_TERLAMBAT:
        note = f"Selesai terlambat: {row.used_label} dari {standard}."
        action = ("Telusuri penyebab keterlambatan; tinjau kembali mutu baku waktu atau "
                  "pembagian tugas.")
    elif row.status is StepStatus.MELEWATI_BATAS:
        note = f"Belum selesai dan melewati batas: {row.used_label} dari {standard}."
        action = "Segera selesaikan langkah ini dan laporkan kendalanya kepada atasan."
    elif row.status in (StepStatus.BERJALAN, StepStatus.MENDEKATI_BATAS):
        note = f"{row.status_label}: {row.used_label} dari {standard}."
        action = "Pantau sampai selesai."
    else:
        note = f"{row.status_label}; langkah belum dimulai."
        action = "Mulai setelah langkah sebelumnya selesai."
    if row.clock_skew:
        note += (" Waktu yang tercatat mundur (jam komputer yang mencatatnya tidak selaras); "
                 "selang yang mundur dihitung nol.")
        action += " Selaraskan jam komputer pencatat."
    if row.note:
        note += f" Catatan pelaksana: {row.note}"
    return note, action


class MonitoringRenderer(Renderer):
    orientation = "landscape"
    left_margin = 20 * mm
    right_margin = 15 * mm

    def __init__(self, data: MonitoringData, paper: str | None = None) -> None:
        super().__init__(data.office, paper)
        self.data = data

    def title(self) -> str:
        return f"Monitoring Pelaksanaan SOP {self.data.cycle.label}"

    def _header(self, widths: list[float]) -> Table:
        s = self.s
        top = ["No", "Prosedur", "Tim", "Mutu Baku Waktu", "Waktu Pelaksanaan (WITA)", "", "",
               "Waktu Tunggu", "Waktu Kerja", "Penilaian", "", "Catatan Hasil Penilaian",
               "Tindakan yang Harus Diambil", "Paraf Penilai"]
        sub = ["", "", "", "", "Siap", "Mulai", "Selesai", "", "", "Berjalan dengan baik",
               "Tidak berjalan dengan baik", "", "", ""]
        rows = [[Paragraph(h, s["header"]) if h else "" for h in top],
                [Paragraph(h, s["header"]) if h else "" for h in sub]]
        extra: list[tuple] = [("SPAN", (4, 0), (6, 0)), ("SPAN", (9, 0), (10, 0))]
        for col in (0, 1, 2, 3, 7, 8, 11, 12, 13):
            extra.append(("SPAN", (col, 0), (col, 1)))
        return data_table(rows, widths, header_rows=2, extra=extra)

    def _steps_table(self) -> FastTable:
        d = self.data
        widths = self.widths(0.027, 0.12, 0.085, 0.05, 0.058, 0.058, 0.058, 0.055, 0.055,
                             0.062, 0.062, 0.135, 0.11, 0.045)
        table = FastTable(self._header(widths), widths, "CLLCCCCCCCCLLC",
                          repeat_columns=(0, 1))
        previous = None
        for row in d.rows:
            first = row.step_number != previous
            previous = row.step_number
            note, action = assessment(row)
            good = TICK if row.ok is True else ""
            bad = TICK if row.ok is False or row.status is StepStatus.MELEWATI_BATAS else ""
            cells = [str(row.step_number) if first else "", row.activity if first else "",
                     row.team_name or "-", row.standard_label, row.ready_label,
                     row.started_label, row.finished_label, row.waiting_label, row.used_label,
                     good, bad, note, action, ""]
            # A step continued on the next page shows its No and Prosedur again there.
            carry = [str(row.step_number), row.activity] + [""] * 12
            table.add_row(cells, carry=carry)
        return table

    def story(self) -> list[Flowable]:
        d, s = self.data, self.s
        story: list[Flowable] = title_block("MONITORING PELAKSANAAN SOP",
                                            d.sop_name.upper(), s)
        story.append(key_value_table([
            ("Nama SOP", d.sop_name.title()),
            ("Nomor SOP", d.sop_number),
            ("Siklus pengumpulan", f"{d.cycle.label} (SK nomor {d.cycle.sk_number} tanggal "
                                   f"{d.cycle.sk_date_label})"),
            ("Tanggal monitoring", d.signing_date_label),
            ("Semester", d.semester_label or "-"),
            ("Penilai", ", ".join(p for p in (d.evaluator.name, d.evaluator.title) if p) or "-"),
        ], self.widths(0.2, 0.8), s))
        story.append(Spacer(1, 4 * mm))
        story.append(self._steps_table())
        story.append(Spacer(1, 1 * mm))
        story.append(Paragraph(
            "Waktu tunggu: sejak langkah siap dikerjakan (langkah sebelumnya selesai) sampai "
            "dimulai. Waktu kerja: sejak dimulai sampai selesai, dibandingkan dengan mutu baku. "
            "Langkah 3 sampai 6 dinilai untuk setiap Tim Penyusun Data. Satuan hari dihitung "
            "sebagai hari kerja kecuali SOP menetapkan hari kalender.", s["small"]))
        body, centre = s["body_left"], s["sign"]
        crit: list[list] = [[Paragraph(f"<b>{h}</b>", centre) for h in
                             ("No", "Penilaian terhadap penerapan SOP", "Ya", "Tidak",
                              "Catatan")]]
        for i, text in enumerate(EVALUATION_CRITERIA, start=1):
            crit.append([Paragraph(str(i), centre), Paragraph(esc(text), body), "", "", ""])
        criteria = data_table(crit, self.widths(0.05, 0.5, 0.08, 0.08, 0.29), extra=[
            ("TOPPADDING", (0, 1), (-1, -1), 4), ("BOTTOMPADDING", (0, 1), (-1, -1), 5)])
        story.append(signature_block(d.evaluator, self.office.signing_place,
                                     d.signing_date_label, self.frame_width, s,
                                     caption="Penilai,",
                                     keep_with=[Paragraph("EVALUASI PENERAPAN SOP", s["heading"]),
                                                criteria]))
        return story


def render_monitoring(data: MonitoringData, paper: str | None = None) -> bytes:
    return MonitoringRenderer(data, paper).render()
