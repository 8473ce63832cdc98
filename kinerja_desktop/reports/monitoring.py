"""The "Monitoring Pelaksanaan SOP" form filled from the times recorded in a cycle,
followed by the six evaluation criteria (PermenPAN-RB 35/2012) to tick."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from kinerja_desktop.domain.timing import StepStatus
from kinerja_desktop.reports.base import (
    Renderer,
    data_table,
    esc,
    heading,
    key_value_table,
    signature_block,
    title_block,
)
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

    def __init__(self, data: MonitoringData) -> None:
        super().__init__(data.office)
        self.data = data

    def title(self) -> str:
        return f"Monitoring Pelaksanaan SOP {self.data.cycle.label}"

    def story(self) -> list[Flowable]:
        d, s = self.data, self.s
        cs, cc = s["cell"], s["cell_center"]
        story: list[Flowable] = title_block("MONITORING PELAKSANAAN SOP",
                                            d.sop_name.upper(), s)
        story.append(key_value_table([
            ("Nama SOP", d.sop_name.title()),
            ("Nomor SOP", d.sop_number),
            ("Siklus pengumpulan", f"{d.cycle.label} (SK nomor {d.cycle.sk_number} tanggal "
                                   f"{d.cycle.sk_date_label})"),
            ("Penilai", d.evaluator.name or "-"),
        ], self.widths(0.2, 0.8), s))
        story.append(Spacer(1, 4 * mm))
        header1 = ["No", "Prosedur", "Tim", "Mutu Baku Waktu", "Waktu Pelaksanaan", "",
                   "Waktu Terpakai", "Penilaian", "", "Catatan Hasil Penilaian",
                   "Tindakan yang Harus Diambil", "Paraf Penilai"]
        header2 = ["", "", "", "", "Mulai", "Selesai", "", "Berjalan dengan baik",
                   "Tidak berjalan dengan baik", "", "", ""]
        rows: list[list] = [[Paragraph(h, s["header"]) for h in header1],
                            [Paragraph(h, s["header"]) for h in header2]]
        extra: list[tuple] = [("SPAN", (4, 0), (5, 0)), ("SPAN", (7, 0), (8, 0))]
        for col in (0, 1, 2, 3, 6, 9, 10, 11):
            extra.append(("SPAN", (col, 0), (col, 1)))
        previous = None
        for row in d.rows:
            first = row.step_number != previous
            previous = row.step_number
            note, action = assessment(row)
            good = TICK if row.ok is True else ""
            bad = TICK if row.ok is False or row.status is StepStatus.MELEWATI_BATAS else ""
            rows.append([
                str(row.step_number) if first else "",
                Paragraph(esc(row.activity), cs) if first else "",
                Paragraph(esc(row.team_name or "-"), cs),
                Paragraph(esc(row.standard_label), cc),
                Paragraph(esc(row.started_label), cc),
                Paragraph(esc(row.finished_label), cc),
                Paragraph(esc(row.used_label), cc),
                good, bad,
                Paragraph(esc(note), cs), Paragraph(esc(action), cs), "",
            ])
        extra += [("ALIGN", (0, 2), (0, -1), "CENTER"), ("ALIGN", (7, 2), (8, -1), "CENTER"),
                  ("FONT", (7, 2), (8, -1), "KinerjaSerif-Bold", 12)]
        story.append(data_table(
            rows, self.widths(0.03, 0.15, 0.1, 0.06, 0.07, 0.07, 0.065, 0.055, 0.055, 0.17,
                              0.12, 0.055), header_rows=2, extra=extra))
        story.append(Spacer(1, 1 * mm))
        story.append(Paragraph(
            "Waktu dalam WITA. Langkah 3 sampai 6 dinilai untuk setiap Tim Penyusun Data. "
            "Satuan hari dihitung sebagai hari kerja kecuali SOP menetapkan hari kalender.",
            s["small"]))
        story += heading("EVALUASI PENERAPAN SOP", s, room=70 * mm)
        crit: list[list] = [[Paragraph(h, s["header"]) for h in
                             ("No", "Penilaian terhadap penerapan SOP", "Ya", "Tidak",
                              "Catatan")]]
        for i, text in enumerate(EVALUATION_CRITERIA, start=1):
            crit.append([str(i), Paragraph(esc(text), cs), "", "", ""])
        story.append(data_table(crit, self.widths(0.05, 0.5, 0.08, 0.08, 0.29), extra=[
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("TOPPADDING", (0, 1), (-1, -1), 5), ("BOTTOMPADDING", (0, 1), (-1, -1), 6)]))
        story.append(signature_block(d.evaluator, self.office.signing_place,
                                     d.signing_date_label, self.frame_width, s,
                                     caption="Penilai,"))
        return story


def render_monitoring(data: MonitoringData) -> bytes:
    return MonitoringRenderer(data).render()
