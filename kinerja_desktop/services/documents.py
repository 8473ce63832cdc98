"""Archive of generated documents (compiled report, receipts, records), with SHA-256."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from kinerja_desktop.db.models import Document, Person
from kinerja_desktop.domain.errors import IncompleteError, NotFound, ValidationError
from kinerja_desktop.services.common import audit, load_principal
from kinerja_desktop.services.context import ServiceContext

KIND_LABELS = {
    "dokumen_data_kinerja": "Dokumen Data Kinerja",
    "tanda_terima": "Tanda Terima",
    "berita_acara": "Berita Acara Verifikasi",
    "lembar_sop": "Lembar SOP",
    "monitoring_sop": "Monitoring Pelaksanaan SOP",
}


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    cycle_id: int | None
    kind: str
    kind_label: str
    title: str
    file_name: str
    sha256: str
    size: int
    created_at: datetime
    created_by: str


def _info(doc: Document, size: int, creator: str) -> DocumentInfo:
    return DocumentInfo(doc.id, doc.cycle_id, doc.kind, KIND_LABELS.get(doc.kind, doc.kind),
                        doc.title, doc.file_name, doc.sha256, size, doc.created_at, creator)


def archive(ctx: ServiceContext, actor_id: int, cycle_id: int | None, kind: str, title: str,
            file_name: str, content: bytes) -> DocumentInfo:
    """Keep a generated document in the database with its hash, time and author."""
    if kind not in KIND_LABELS:
        raise ValidationError(f"Jenis dokumen '{kind}' tidak dikenal.")
    if not content:
        raise ValidationError("Dokumen kosong tidak diarsipkan.")
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        doc = Document(cycle_id=cycle_id, kind=kind, title=title, file_name=file_name,
                       content=content, sha256=hashlib.sha256(content).hexdigest(),
                       created_at=ctx.now(), created_by_id=principal.person_id)
        session.add(doc)
        session.flush()
        audit(session, ctx.now(), principal, "dokumen.arsip", "document", doc.id,
              after={"jenis": kind, "judul": title, "sha256": doc.sha256,
                     "ukuran": len(content)})
        return _info(doc, len(content), principal.name)


def list_documents(ctx: ServiceContext, cycle_id: int | None = None,
                   kind: str | None = None) -> list[DocumentInfo]:
    with ctx.read() as session:
        query = select(Document.id, Document.cycle_id, Document.kind, Document.title,
                       Document.file_name, Document.sha256, Document.created_at,
                       func.length(Document.content), Person.name).outerjoin(
            Person, Person.id == Document.created_by_id)
        if cycle_id is not None:
            query = query.where(Document.cycle_id == cycle_id)
        if kind is not None:
            query = query.where(Document.kind == kind)
        rows = session.execute(query.order_by(Document.created_at.desc(), Document.id.desc()))
        return [DocumentInfo(r[0], r[1], r[2], KIND_LABELS.get(r[2], r[2]), r[3], r[4], r[5],
                             r[7] or 0, r[6], r[8] or "") for r in rows]


def document_content(ctx: ServiceContext, document_id: int) -> bytes:
    """The stored bytes, checked against the recorded SHA-256."""
    with ctx.read() as session:
        doc = session.get(Document, document_id)
        if doc is None:
            raise NotFound("Dokumen tidak ditemukan di arsip.")
        if hashlib.sha256(doc.content).hexdigest() != doc.sha256:
            raise ValidationError(f"Dokumen '{doc.title}' rusak: hash tidak cocok.")
        return doc.content


# --------------------------------------------------------------------------- rendering
# The renderers import reportlab; they are imported inside each function so that this
# module stays cheap to import at start-up.


def compiled_report_pdf(ctx: ServiceContext, cycle_id: int, paper: str | None = None) -> bytes:
    """The Dokumen Data Kinerja of a cycle as PDF bytes (not archived); ``paper`` "A4" or
    "F4" (None: the office's paper)."""
    from kinerja_desktop.reports.compiled_report import render_compiled_report
    from kinerja_desktop.services.document_data.compiled_report import compiled_report_data

    return render_compiled_report(compiled_report_data(ctx, cycle_id), paper)


def compiled_file_name(year: int, quarter: int | None = None) -> str:
    return f"Dokumen Data Kinerja {year}" + (f" TW{quarter}" if quarter else "") + ".pdf"


def compile_and_archive(ctx: ServiceContext, actor_id: int, cycle_id: int) -> DocumentInfo:
    """Step 7: the Kasubag compiles the Dokumen Data Kinerja; it is archived with its
    SHA-256, the time and the user. Refused while a team's data is not verified."""
    from kinerja_desktop.db.models import Cycle
    from kinerja_desktop.domain.permissions import Role, require_role
    from kinerja_desktop.domain.sop import StepKind
    from kinerja_desktop.services.cycles import cycle_label, missing_requirements
    from kinerja_desktop.services.sops import definition_of

    with ctx.read() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.KASUBAG, "Mengompilasi Dokumen Data Kinerja")
        cycle = session.get(Cycle, cycle_id)
        if cycle is None:
            raise NotFound("Siklus tidak ditemukan.")
        step = next((s for s in definition_of(cycle.sop).steps if s.kind is StepKind.COMPILE),
                    None)
        if step is not None:
            missing = missing_requirements(session, cycle, step, None)
            if missing:
                raise IncompleteError("Dokumen Data Kinerja belum dapat dikompilasi", missing)
        year, quarter = cycle.year, cycle.quarter
    content = compiled_report_pdf(ctx, cycle_id)
    return archive(ctx, actor_id, cycle_id, "dokumen_data_kinerja",
                   f"Dokumen Data Kinerja {cycle_label(year, quarter)}",
                   compiled_file_name(year, quarter), content)


def receipt_pdf(ctx: ServiceContext, submission_id: int, paper: str | None = None) -> bytes:
    """The tanda terima of one submission as PDF bytes (its Nomor given at submission;
    a submission from before numbering gets the next one now)."""
    from kinerja_desktop.reports.receipts import render_receipt
    from kinerja_desktop.services.document_data.receipt import ensure_receipt_number, receipt_data

    ensure_receipt_number(ctx, submission_id)
    return render_receipt(receipt_data(ctx, submission_id), paper)


def verification_record_pdf(ctx: ServiceContext, cycle_id: int, team_id: int | None = None,
                            paper: str | None = None) -> bytes:
    """The berita acara verifikasi of a cycle (of one team when ``team_id`` is given); its
    Nomor is given on the first print after verification is complete."""
    from kinerja_desktop.reports.receipts import render_verification_record
    from kinerja_desktop.services.document_data.verification_record import (
        ensure_verification_number,
        verification_record_data,
    )

    ensure_verification_number(ctx, cycle_id, team_id)
    return render_verification_record(verification_record_data(ctx, cycle_id, team_id), paper)


def sop_sheet_pdf(ctx: ServiceContext, sop_id: int | None = None,
                  paper: str | None = None) -> bytes:
    """The SOP sheet (PermenPAN-RB 35/2012 layout) of an SOP version (current when None)."""
    from kinerja_desktop.reports.sop_sheet import render_sop_sheet
    from kinerja_desktop.services.document_data.sop_sheet import sop_sheet_data

    return render_sop_sheet(sop_sheet_data(ctx, sop_id), paper)


def monitoring_pdf(ctx: ServiceContext, cycle_id: int, paper: str | None = None,
                   semester: str | None = None) -> bytes:
    """The "Monitoring Pelaksanaan SOP" form of a cycle as PDF bytes, under the monitoring
    chosen for ``semester`` (else the latest chosen). The first print of a cycle with no
    monitoring chosen keeps the proposal (today, the Sekretaris), so reprints match."""
    from kinerja_desktop.reports.monitoring import render_monitoring
    from kinerja_desktop.services import monitoring
    from kinerja_desktop.services.document_data.monitoring import monitoring_data

    with ctx.read() as session:
        stored = monitoring.stored_choice(session, cycle_id, semester)
    if stored is None:
        if semester is not None:
            raise NotFound(f"Monitoring semester {semester} belum ditetapkan; pilih tanggal "
                           "monitoringnya dahulu.")
        proposal = monitoring.proposed_choice(ctx, cycle_id)
        monitoring.choose_monitoring(ctx, None, cycle_id, proposal.monitoring_date,
                                     proposal.semester, proposal.assessor_id)
    return render_monitoring(monitoring_data(ctx, cycle_id, semester), paper)
