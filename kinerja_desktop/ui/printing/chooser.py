""":class:`DocumentChooser` picks the document to print (Dokumen Data Kinerja, Lembar SOP,
Monitoring Pelaksanaan SOP, Berita Acara Verifikasi, Tanda Terima) and its paper as a
:class:`DocumentRequest`; for the monitoring form it also asks the monitoring date,
semester and assessor. :func:`produce` makes the PDF (on a worker thread).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
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
    paper: str | None = None  # "A4" or "F4"; None: the office's paper
    # the monitoring form: date, semester and assessor chosen (kept for reprints)
    monitoring_date: date | None = None
    semester: str | None = None
    assessor_id: int | None = None
    actor_id: int | None = None  # who chose them


def produce(ctx, request: DocumentRequest) -> tuple[bytes, str, str]:
    """(pdf bytes, title, file name) for a request. Runs on a worker thread."""
    from kinerja_desktop.services import cycles, documents, monitoring

    label = ""
    paper = request.paper
    if request.cycle_id is not None:
        label = cycles.get_cycle(ctx, request.cycle_id).label
    if request.kind == "dokumen_data_kinerja":
        return (documents.compiled_report_pdf(ctx, request.cycle_id, paper),
                f"Dokumen Data Kinerja {label}", f"Dokumen Data Kinerja {label}.pdf")
    if request.kind == "lembar_sop":
        return (documents.sop_sheet_pdf(ctx, request.sop_id, paper), "Lembar SOP",
                "Lembar SOP.pdf")
    if request.kind == "monitoring_sop":
        semester = request.semester
        if request.monitoring_date is not None:
            chosen = monitoring.choose_monitoring(ctx, request.actor_id, request.cycle_id,
                                                  request.monitoring_date, request.semester,
                                                  request.assessor_id)
            semester = chosen.semester
        return (documents.monitoring_pdf(ctx, request.cycle_id, paper, semester),
                f"Monitoring Pelaksanaan SOP {label}", f"Monitoring SOP {label}.pdf")
    if request.kind == "berita_acara":
        return (documents.verification_record_pdf(ctx, request.cycle_id, request.team_id,
                                                  paper),
                f"Berita Acara Verifikasi {label}", f"Berita Acara Verifikasi {label}.pdf")
    if request.kind == "tanda_terima":
        return (documents.receipt_pdf(ctx, request.submission_id, paper),
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
                 parent: QWidget | None = None, actor_id: int | None = None) -> None:
        super().__init__(parent)
        from kinerja_desktop.services import cycles, office, submissions, teams

        self.setObjectName("pilihDokumen")
        self.setWindowTitle("Pilih dokumen")
        self.ctx, self.cycle_id, self.actor_id = ctx, cycle_id, actor_id
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
            if kind == "monitoring_sop":
                layout.addWidget(self._indented(self._monitoring_fields()))
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
        self.paper_combo = QComboBox()
        self.paper_combo.setObjectName("kertas")
        self.paper_combo.addItem("A4 (210 × 297 mm)", "A4")
        self.paper_combo.addItem("F4/Folio (215 × 330 mm)", "F4")
        info = office.get_office(ctx)
        self.paper_combo.setCurrentIndex(max(0, self.paper_combo.findData(
            info.paper_size if info else "A4")))
        paper_row = QHBoxLayout()
        paper_row.addWidget(QLabel("Ukuran kertas:"))
        paper_row.addWidget(self.paper_combo, 1)
        layout.addLayout(paper_row)
        buttons = QDialogButtonBox()
        ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton("Batal", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _monitoring_fields(self) -> QWidget:
        """Tanggal monitoring, semester and penilai: the monitoring already chosen for the
        cycle, else today, its semester and the Sekretaris (Ketua Tim Penyusun)."""
        from kinerja_desktop.services import monitoring
        from kinerja_desktop.ui.common import DateEdit

        box = QWidget()
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        self.monitoring_date = DateEdit()
        self.monitoring_date.setObjectName("tanggalMonitoring")
        self.semester_combo = QComboBox()
        self.semester_combo.setObjectName("semesterMonitoring")
        for key, label in monitoring.SEMESTER_LABELS.items():
            self.semester_combo.addItem(label, key)
        self.assessor_combo = QComboBox()
        self.assessor_combo.setObjectName("penilaiMonitoring")
        for person_id, label in monitoring.assessors(self.ctx):
            self.assessor_combo.addItem(label, person_id)
        self.monitoring_date.dateChanged.connect(self._date_changed)
        if self.cycle_id is not None:
            proposal = monitoring.proposed_choice(self.ctx, self.cycle_id)
            self.monitoring_date.set_date(proposal.monitoring_date)
            self.semester_combo.setCurrentIndex(self.semester_combo.findData(proposal.semester))
            index = self.assessor_combo.findData(proposal.assessor_id)
            if index >= 0:
                self.assessor_combo.setCurrentIndex(index)
        form.addRow("Tanggal monitoring:", self.monitoring_date)
        form.addRow("Semester:", self.semester_combo)
        form.addRow("Penilai:", self.assessor_combo)
        return box

    def _date_changed(self) -> None:
        from kinerja_desktop.services.monitoring import semester_of

        self.semester_combo.setCurrentIndex(
            self.semester_combo.findData(semester_of(self.monitoring_date.value())))

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
        paper = self.paper_combo.currentData()
        if kind == "lembar_sop":
            return DocumentRequest(kind, paper=paper)
        if kind == "berita_acara":
            return DocumentRequest(kind, self.cycle_id, team_id=self.team_combo.currentData(),
                                   paper=paper)
        if kind == "tanda_terima":
            return DocumentRequest(kind, self.cycle_id,
                                   submission_id=self.submission_combo.currentData(),
                                   paper=paper)
        if kind == "monitoring_sop":
            return DocumentRequest(kind, self.cycle_id, paper=paper,
                                   monitoring_date=self.monitoring_date.value(),
                                   semester=self.semester_combo.currentData(),
                                   assessor_id=self.assessor_combo.currentData(),
                                   actor_id=self.actor_id)
        return DocumentRequest(kind, self.cycle_id, paper=paper)
