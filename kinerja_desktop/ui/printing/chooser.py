""":class:`DocumentChooser` picks the document to print (Dokumen Data Kinerja, Lembar SOP,
Monitoring Pelaksanaan SOP, Berita Acara Verifikasi, Tanda Terima) as a
:class:`DocumentRequest`; :func:`produce` makes its PDF (on a worker thread).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.errors import KinerjaError


@dataclass(frozen=True)
class DocumentRequest:
    """What to produce: ``kind`` (documents.KIND_LABELS key) and its subject."""

    kind: str
    cycle_id: int | None = None
    submission_id: int | None = None
    team_id: int | None = None
    sop_id: int | None = None  # Lembar SOP of one version (current when None)


def produce(ctx, request: DocumentRequest) -> tuple[bytes, str, str]:
    """(pdf bytes, title, file name) for a request. Runs on a worker thread."""
    from kinerja_desktop.services import cycles, documents

    label = ""
    if request.cycle_id is not None:
        label = cycles.get_cycle(ctx, request.cycle_id).label
    if request.kind == "dokumen_data_kinerja":
        return (documents.compiled_report_pdf(ctx, request.cycle_id),
                f"Dokumen Data Kinerja {label}", f"Dokumen Data Kinerja {label}.pdf")
    if request.kind == "lembar_sop":
        return documents.sop_sheet_pdf(ctx, request.sop_id), "Lembar SOP", "Lembar SOP.pdf"
    if request.kind == "monitoring_sop":
        return (documents.monitoring_pdf(ctx, request.cycle_id),
                f"Monitoring Pelaksanaan SOP {label}", f"Monitoring SOP {label}.pdf")
    if request.kind == "berita_acara":
        return (documents.verification_record_pdf(ctx, request.cycle_id, request.team_id),
                f"Berita Acara Verifikasi {label}", f"Berita Acara Verifikasi {label}.pdf")
    if request.kind == "tanda_terima":
        return (documents.receipt_pdf(ctx, request.submission_id),
                f"Tanda Terima {label}", f"Tanda Terima {label}.pdf")
    raise KinerjaError(f"Jenis dokumen '{request.kind}' tidak dikenal.")


class DocumentChooser(QDialog):
    """Pick the document to print or export, for the cycle shown in the window."""

    CHOICES = (
        ("dokumen_data_kinerja", "Dokumen Data Kinerja", True),
        ("monitoring_sop", "Monitoring Pelaksanaan SOP", True),
        ("berita_acara", "Berita Acara Verifikasi", True),
        ("tanda_terima", "Tanda Terima penyerahan data", True),
        ("lembar_sop", "Lembar SOP (format PermenPAN-RB 35/2012)", False),
    )

    def __init__(self, ctx, cycle_id: int | None, ok_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from kinerja_desktop.services import cycles, submissions, teams

        self.setObjectName("pilihDokumen")
        self.setWindowTitle("Pilih dokumen")
        self.ctx, self.cycle_id = ctx, cycle_id
        layout = QVBoxLayout(self)
        if cycle_id is not None:
            cycle = cycles.get_cycle(ctx, cycle_id)
            layout.addWidget(QLabel(f"Siklus: <b>{cycle.label}</b>"))
        else:
            layout.addWidget(QLabel("Belum ada siklus; hanya Lembar SOP yang dapat dicetak."))
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for kind, label, needs_cycle in self.CHOICES:
            radio = QRadioButton(label)
            radio.setEnabled(cycle_id is not None or not needs_cycle)
            self.group.addButton(radio)
            self.radios[kind] = radio
            layout.addWidget(radio)
            if kind == "berita_acara":
                self.team_combo = QComboBox()
                self.team_combo.addItem("Semua tim", None)
                for team in teams.list_teams(ctx):
                    self.team_combo.addItem(team.name, team.id)
                layout.addWidget(self._indented(self.team_combo))
            if kind == "tanda_terima":
                self.submission_combo = QComboBox()
                subs = submissions.list_submissions(ctx, cycle_id) if cycle_id else []
                for sub in subs:
                    self.submission_combo.addItem(
                        f"{sub.team_name} — versi {sub.version}", sub.id)
                radio.setEnabled(bool(subs))
                layout.addWidget(self._indented(self.submission_combo))
        first = next(r for r in self.radios.values() if r.isEnabled())
        first.setChecked(True)
        buttons = QDialogButtonBox()
        ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton("Batal", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _indented(widget: QWidget) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(24, 0, 0, 0)
        row.addWidget(widget, 1)
        return box

    def select(self, kind: str) -> None:
        self.radios[kind].setChecked(True)

    def request(self) -> DocumentRequest:
        kind = next(k for k, r in self.radios.items() if r.isChecked())
        if kind == "lembar_sop":
            return DocumentRequest(kind)
        if kind == "berita_acara":
            return DocumentRequest(kind, self.cycle_id, team_id=self.team_combo.currentData())
        if kind == "tanda_terima":
            return DocumentRequest(kind, self.cycle_id,
                                   submission_id=self.submission_combo.currentData())
        return DocumentRequest(kind, self.cycle_id)
