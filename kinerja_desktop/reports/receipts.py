"""Tanda terima (hand-in receipt) and berita acara verifikasi, plus the verification tables
that the compiled document shares with the berita acara."""

from __future__ import annotations

from babel.dates import format_date
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from kinerja_desktop.domain.numbers import format_number
from kinerja_desktop.domain.timing import WITA
from kinerja_desktop.reports.base import (
    KeepTableTail,
    Renderer,
    closing_after,
    data_table,
    esc,
    hash_groups,
    heading,
    key_value_table,
    signature_pair,
    title_block,
)
from kinerja_desktop.services.document_data.receipt import ReceiptData
from kinerja_desktop.services.document_data.verification_record import (
    ReviewEvent,
    VerificationRecordData,
)


def team_summary_table(r: Renderer, v: VerificationRecordData) -> Flowable:
    """Per team: indicators, verified, returned, verifiers, last verification, versions."""
    s = r.s
    cs, cc = s["cell"], s["cell_center"]
    rows: list[list] = [[Paragraph(h, s["header"]) for h in
                         ("Tim Penyusun Data", "Jumlah Indikator", "Diverifikasi",
                          "Pernah Dikembalikan", "Verifikator", "Terakhir Diverifikasi",
                          "Versi Penyerahan")]]
    for team in v.teams:
        rows.append([Paragraph(esc(team.team_name), cs), str(team.item_count),
                     str(team.verified_count), str(team.returned_count),
                     Paragraph(esc(", ".join(team.verifiers) or "-"), cs),
                     Paragraph(esc(team.last_verified_label), cc),
                     str(team.submission_count)])
    total_items = sum(t.item_count for t in v.teams)
    total_verified = sum(t.verified_count for t in v.teams)
    total_returned = sum(t.returned_count for t in v.teams)
    rows.append([Paragraph("<b>JUMLAH</b>", cs), str(total_items), str(total_verified),
                 str(total_returned), "", "", ""])
    return data_table(rows, r.widths(0.2, 0.1, 0.12, 0.15, 0.17, 0.13, 0.13), extra=[
        ("ALIGN", (1, 1), (3, -1), "CENTER"), ("ALIGN", (6, 1), (6, -1), "CENTER"),
        ("FONT", (0, -1), (-1, -1), "KinerjaSerif-Bold", 9)])


def events_table(r: Renderer, events: tuple[ReviewEvent, ...], with_action: bool) -> Flowable:
    """Review events: time, team, indicator, (action,) reason/comment, by whom."""
    s = r.s
    cs, cc = s["cell"], s["cell_center"]
    head = ["Waktu", "Tim", "Indikator Kinerja"]
    head += ["Tindakan", "Catatan", "Oleh"] if with_action else ["Alasan Pengembalian", "Oleh"]
    rows: list[list] = [[Paragraph(h, s["header"]) for h in head]]
    for e in events:
        row = [Paragraph(esc(e.at_label), cc), Paragraph(esc(e.team_name), cs),
               Paragraph(esc(e.indicator_name), cs)]
        if with_action:
            row.append(Paragraph(esc(e.action_label), cc))
        row += [Paragraph(esc(e.comment or "-"), cs), Paragraph(esc(e.person), cs)]
        rows.append(row)
    fractions = (0.12, 0.16, 0.24, 0.13, 0.21, 0.14) if with_action else \
        (0.13, 0.17, 0.25, 0.3, 0.15)
    return data_table(rows, r.widths(*fractions))


def verification_section(r: Renderer, v: VerificationRecordData,
                         all_events: bool) -> list[Flowable]:
    s = r.s
    parts: list[Flowable] = [team_summary_table(r, v)]
    if v.returned:
        parts += [Spacer(1, 3 * mm),
                  Paragraph("Data yang dikembalikan untuk diperbaiki:", s["body_left"]),
                  Spacer(1, 2 * mm), events_table(r, v.returned, with_action=False)]
    else:
        parts += [Spacer(1, 2 * mm),
                  Paragraph("Tidak ada data yang dikembalikan selama verifikasi.", s["body"])]
    if all_events and v.events:
        parts += [*heading("Riwayat penyerahan dan verifikasi:", s, style="subheading"),
                  events_table(r, v.events, with_action=True)]
    return parts


def _weekday(d) -> str:
    return format_date(d, "EEEE", locale="id")


class ReceiptRenderer(Renderer):
    """Tanda terima of one submission: who handed in what, when, with its hash."""

    def __init__(self, data: ReceiptData, paper: str | None = None) -> None:
        super().__init__(data.office, paper)
        self.data = data
        self.document_date = data.submitted_at

    def title(self) -> str:
        return f"Tanda Terima Data Kinerja {self.data.team_name} ({self.data.cycle.label})"

    def story(self) -> list[Flowable]:
        d, s = self.data, self.s
        local = d.submitted_at.astimezone(WITA)
        story: list[Flowable] = title_block("TANDA TERIMA", "PENYERAHAN DATA KINERJA", s,
                                            number=d.number)
        story.append(Paragraph(
            f"Pada hari ini {esc(_weekday(local.date()))}, tanggal {esc(d.signing_date_label)}, "
            f"telah diterima data kinerja {esc(d.cycle.label.lower())} dengan rincian sebagai "
            "berikut:", s["body"]))
        story.append(Spacer(1, 3 * mm))
        story.append(key_value_table([
            ("Diserahkan oleh", f"{d.submitter.name} ({d.team_name})"),
            ("Diterima oleh", d.receiver.name or "-"),
            ("Waktu penyerahan", d.submitted_label),
            ("Versi penyerahan", f"{d.version}" + (
                f" (perbaikan; {d.change_count} perubahan dari versi sebelumnya)"
                if d.version > 1 else "")),
            ("Jumlah indikator", str(d.item_count)),
            ("Jumlah bukti dukung", str(d.evidence_count)),
            ("Kode pengaman (SHA-256)",
             Paragraph(esc(hash_groups(d.snapshot_sha256)), s["mono"])),
        ], self.widths(0.3, 0.7), s))
        story.append(Spacer(1, 4 * mm))
        cs, cc = s["cell"], s["cell_center"]
        rows: list[list] = [[Paragraph(h, s["header"]) for h in
                             ("No", "Indikator Kinerja", "Satuan", "Target", "Realisasi",
                              "Capaian (%)", "Bukti Dukung")]]
        for item in d.items:
            rows.append([str(item.number), Paragraph(esc(item.indicator_name), cs),
                         Paragraph(esc(item.unit), cc), Paragraph(esc(item.target_label), cc),
                         Paragraph(esc(item.actual_label), cc),
                         Paragraph(esc(item.achievement_label), cc),
                         format_number(item.evidence_count)])
        table = data_table(rows, self.widths(0.06, 0.36, 0.1, 0.11, 0.11, 0.15, 0.11),
                           extra=[("ALIGN", (0, 1), (0, -1), "CENTER"),
                                  ("ALIGN", (-1, 1), (-1, -1), "CENTER")])
        closing = [
            Spacer(1, 3 * mm),
            Paragraph("Kode pengaman di atas dihitung dari isi data yang diserahkan; perubahan "
                      "data sesudah penyerahan menghasilkan kode yang berbeda.", s["small"]),
            Spacer(1, 3 * mm),
            Paragraph("Demikian tanda terima ini dibuat untuk dipergunakan sebagaimana "
                      "mestinya.", s["body"]),
        ]
        # A short list of the warnings, kept with the closing it is part of.
        closing[:0] = plausibility_section(self, d)
        story.append(KeepTableTail(table, [signature_pair(
            d.submitter, d.receiver, self.office.signing_place, d.signing_date_label,
            self.frame_width, s, "Yang Menyerahkan,", "Yang Menerima,", keep_with=closing)]))
        return story


#: The receipt lists the warnings of this many indicators, then counts the rest.
RECEIPT_WARNED_ITEMS = 8


def plausibility_section(r: Renderer, d: ReceiptData) -> list[Flowable]:
    """The handed-in values that drew a plausibility warning, with the team's notes: a
    short list (the first :data:`RECEIPT_WARNED_ITEMS` indicators); empty without any."""
    s = r.s
    if not d.warnings:
        return []
    cs, cc = s["cell"], s["cell_center"]
    rows: list[list] = [[Paragraph(h, s["header"]) for h in
                         ("No", "Indikator Kinerja", "Peringatan", "Catatan Tim")]]
    by_item: dict[int, list] = {}
    for w in d.warnings:  # one row per indicator, its warnings listed in it
        by_item.setdefault(w.number, []).append(w)
    for number, warnings in list(by_item.items())[:RECEIPT_WARNED_ITEMS]:
        note = warnings[0].note
        rows.append([Paragraph(str(number), cc), Paragraph(esc(warnings[0].indicator_name), cs),
                     Paragraph("<br/>".join("• " + esc(w.message) for w in warnings), cs),
                     Paragraph(esc(note) if note else "<i>tanpa catatan</i>", cs)])
    parts: list[Flowable] = [
        Spacer(1, 3 * mm),
        Paragraph(f"Peringatan kewajaran data ({len(d.warnings)} pada {len(by_item)} "
                  "indikator): nilai berikut sah tetapi tidak lazim; tim menyerahkannya "
                  "dengan catatan berikut.", s["body_left"]),
        Spacer(1, 2 * mm),
        data_table(rows, r.widths(0.06, 0.3, 0.38, 0.26))]
    rest = len(by_item) - RECEIPT_WARNED_ITEMS
    if rest > 0:
        parts.append(Paragraph(f"… dan {rest} indikator lain berperingatan; rinciannya ada di "
                               "meja verifikasi.", s["small"]))
    return parts


class VerificationRecordRenderer(Renderer):
    """Berita acara verifikasi of a cycle (or of one team)."""

    def __init__(self, data: VerificationRecordData, paper: str | None = None) -> None:
        super().__init__(data.office, paper)
        self.data = data
        self.document_date = data.generated_at
        if data.draft:  # its signatures would certify a verification not yet finished
            self.watermark = "DRAF"
            self.page_note = f"DRAF — {data.status_label} — verifikasi belum selesai"

    def title(self) -> str:
        draft = " (DRAF)" if self.data.draft else ""
        return f"Berita Acara Verifikasi Data Kinerja {self.data.cycle.label}{draft}"

    def story(self) -> list[Flowable]:
        v, s = self.data, self.s
        local = v.generated_at.astimezone(WITA)
        subject = "Tim Penyusun Data"
        if v.team_id is not None and v.teams:
            subject = v.teams[0].team_name
        story: list[Flowable] = title_block("BERITA ACARA VERIFIKASI DATA KINERJA",
                                            v.cycle.label.upper(), s, number=v.number)
        if v.draft:
            story += [Paragraph(
                f"<b>DRAF</b> — {esc(v.status_label)}. Verifikasi belum selesai; berita acara "
                "ini belum dapat ditandatangani.", s["body"]), Spacer(1, 3 * mm)]
        story.append(Paragraph(
            f"Pada hari ini {esc(_weekday(local.date()))}, tanggal {esc(v.signing_date_label)}, "
            f"bertempat di {esc(self.office.name)} {esc(self.office.regency)}, telah "
            f"dilaksanakan verifikasi, klarifikasi dan evaluasi kesesuaian data kinerja "
            f"{esc(v.cycle.label.lower())} yang diserahkan oleh {esc(subject)}, sesuai "
            f"Standar Operasional Prosedur Pengumpulan Data Kinerja, dengan hasil sebagai "
            "berikut:", s["body"]))
        story.append(Spacer(1, 3 * mm))
        parts = verification_section(self, v, all_events=True)
        if v.draft:  # unfinished verification: nothing to certify, no signatures
            return [*story, *parts]
        closing = [Spacer(1, 4 * mm),
                   Paragraph("Demikian berita acara ini dibuat dengan sebenarnya untuk "
                             "dipergunakan sebagaimana mestinya.", s["body"])]
        signature = signature_pair(v.acknowledger, v.verifier, self.office.signing_place,
                                   v.signing_date_label, self.frame_width, s,
                                   "Mengetahui,", "Yang Melakukan Verifikasi,",
                                   keep_with=closing)
        kept = closing_after(parts, signature)  # takes the last part out of ``parts``
        return [*story, *parts, kept]


def render_receipt(data: ReceiptData, paper: str | None = None) -> bytes:
    return ReceiptRenderer(data, paper).render()


def render_verification_record(data: VerificationRecordData, paper: str | None = None) -> bytes:
    return VerificationRecordRenderer(data, paper).render()
