"""Archive of generated documents (compiled report, receipts, records), with SHA-256, and
the closing of a cycle: step 7 compiles the Dokumen Data Kinerja, archives it and closes
the cycle in one transaction; every later print of a closed cycle is the archived file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from kinerja_desktop.db.models import Document, Person, RecordVersion
from kinerja_desktop.domain.errors import (
    ConflictError,
    IncompleteError,
    NotFound,
    ValidationError,
)
from kinerja_desktop.services.common import audit, load_principal
from kinerja_desktop.services.context import ServiceContext, retry_busy

PAPER_SIZES = ("A4", "F4")
#: How far after today a signing date chosen at step 7 may lie.
MAX_SIGNING_AHEAD = timedelta(days=31)

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
    #: For a Dokumen Data Kinerja of a closing: "Asli", "Revisi 1", ...; else "".
    version_label: str = ""


def version_label(revision: int | None) -> str:
    if revision is None:
        return ""
    return f"Revisi {revision}" if revision else "Asli"


def _info(doc: Document, size: int, creator: str, revision: int | None = None
          ) -> DocumentInfo:
    return DocumentInfo(doc.id, doc.cycle_id, doc.kind, KIND_LABELS.get(doc.kind, doc.kind),
                        doc.title, doc.file_name, doc.sha256, size, doc.created_at, creator,
                        version_label(revision))


@retry_busy
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
                       func.length(Document.content), Person.name,
                       RecordVersion.revision).outerjoin(
            Person, Person.id == Document.created_by_id).outerjoin(
            RecordVersion, RecordVersion.document_id == Document.id)
        if cycle_id is not None:
            query = query.where(Document.cycle_id == cycle_id)
        if kind is not None:
            query = query.where(Document.kind == kind)
        rows = session.execute(query.order_by(Document.created_at.desc(), Document.id.desc()))
        return [DocumentInfo(r[0], r[1], r[2], KIND_LABELS.get(r[2], r[2]), r[3], r[4], r[5],
                             r[7] or 0, r[6], r[8] or "", version_label(r[9])) for r in rows]


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


@dataclass(frozen=True)
class VersionInfo:
    """One closing of a cycle: its archived Dokumen Data Kinerja and, once reopened, why."""

    cycle_id: int
    revision: int
    label: str  # "Asli", "Revisi 1", ...
    document_id: int | None
    sha256: str
    closed_at: datetime
    closed_by: str
    signed_on: date | None
    paper_size: str
    reopened_at: datetime | None
    reopened_by: str
    reopen_reason: str


def record_versions(ctx: ServiceContext, cycle_id: int) -> list[VersionInfo]:
    """Every closing of a cycle, oldest first."""
    with ctx.read() as session:
        names = dict(session.execute(select(Person.id, Person.name)).all())
        rows = session.execute(
            select(RecordVersion, Document.sha256)
            .outerjoin(Document, Document.id == RecordVersion.document_id)
            .where(RecordVersion.cycle_id == cycle_id)
            .order_by(RecordVersion.revision)).all()
        return [VersionInfo(v.cycle_id, v.revision, version_label(v.revision), v.document_id,
                            sha or "", v.closed_at, names.get(v.closed_by_id, ""), v.signed_on,
                            v.paper_size, v.reopened_at, names.get(v.reopened_by_id, ""),
                            v.reopen_reason)
                for v, sha in rows]


def compiled_file_name(year: int, quarter: int | None = None, revision: int = 0,
                       draft: bool = False) -> str:
    return (f"Dokumen Data Kinerja {year}" + (f" TW{quarter}" if quarter else "")
            + (f" Revisi {revision}" if revision else "") + (" DRAF" if draft else "")
            + ".pdf")


def _check_paper(paper: str | None) -> None:
    if paper is not None and paper not in PAPER_SIZES:
        raise ValidationError(f"Ukuran kertas '{paper}' tidak dikenal; pilih A4 atau F4.")


def compiled_report_content(ctx: ServiceContext, cycle_id: int, paper: str | None = None):
    """The Dokumen Data Kinerja's content as printed now, on ``paper`` (default: the
    archived paper of a closed cycle, else the office's): the final document of the
    cycle's latest closing once closed (the same on any day), else a draft."""
    from kinerja_desktop.services.document_data.compiled_report import compiled_report_data

    _check_paper(paper)
    data = compiled_report_data(ctx, cycle_id)
    if paper is None and not data.draft:
        paper = _archived(ctx, cycle_id)[0]
    if paper is not None and paper != data.office.paper_size:
        data = replace(data, office=replace(data.office, paper_size=paper))
    return data


def _archived(ctx: ServiceContext, cycle_id: int) -> tuple[str | None, int | None]:
    """(paper, document id) of a cycle's latest closing; (None, None) while open."""
    from kinerja_desktop.db.models import Cycle
    from kinerja_desktop.services.common import CLOSED

    with ctx.read() as session:
        cycle = session.get(Cycle, cycle_id)
        if cycle is None:
            raise NotFound("Siklus tidak ditemukan.")
        if cycle.status != CLOSED:
            return None, None
        version = session.scalar(select(RecordVersion).where(RecordVersion.cycle_id == cycle_id)
                                 .order_by(RecordVersion.revision.desc()).limit(1))
        if version is None:
            return None, None
        return version.paper_size, version.document_id


def compiled_report_pdf(ctx: ServiceContext, cycle_id: int, paper: str | None = None) -> bytes:
    """The Dokumen Data Kinerja of a cycle as printed (not archived again).

    A closed cycle gives its archived file, byte for byte, on its archived paper; on
    the other paper the same record (content, date, version) laid out again, the same
    bytes on every print. An open cycle gives a draft (DRAF, no signature).
    """
    from kinerja_desktop.reports.compiled_report import render_compiled_report

    _check_paper(paper)
    archived_paper, document_id = _archived(ctx, cycle_id)
    if document_id is not None and paper in (None, archived_paper):
        return document_content(ctx, document_id)
    return render_compiled_report(compiled_report_content(ctx, cycle_id, paper))


def _check_signing_date(signing_date: date | None, today: date, verified_on: date | None
                        ) -> None:
    from kinerja_desktop.domain.numbers import format_date_long

    if signing_date is None:
        return
    if verified_on is not None and signing_date < verified_on:
        raise ValidationError(
            f"Tanggal penandatanganan ({format_date_long(signing_date)}) tidak boleh sebelum "
            f"verifikasi selesai ({format_date_long(verified_on)}).")
    if signing_date > today + MAX_SIGNING_AHEAD:
        raise ValidationError(
            f"Tanggal penandatanganan ({format_date_long(signing_date)}) terlalu jauh ke "
            "depan (paling lambat 31 hari dari hari ini).")


@retry_busy
def compile_and_close(ctx: ServiceContext, actor_id: int, cycle_id: int,
                      signing_date: date | None = None) -> DocumentInfo:
    """Step 7, "Selesaikan kompilasi": the Kasubag compiles the final Dokumen Data Kinerja
    (dated ``signing_date``, else the day of closing; "Revisi N" after a reopening),
    archives it with its SHA-256, finishes step 7 and closes the cycle, all in one
    transaction. Refused while a team's data is not verified, and once closed."""
    from kinerja_desktop.db.models import StepRun
    from kinerja_desktop.domain.timing import WITA
    from kinerja_desktop.reports.compiled_report import render_compiled_report
    from kinerja_desktop.services.common import ensure_open, lock_cycle
    from kinerja_desktop.services.cycles import (
        COMPILED_KIND,
        closing_backup,
        cycle_label,
        finish_step_in,
    )
    from kinerja_desktop.services.document_data.common import NOT_AVAILABLE
    from kinerja_desktop.services.document_data.compiled_report import (
        Closing,
        build_compiled_report,
    )
    from kinerja_desktop.services.document_data.earlier_years import freeze
    from kinerja_desktop.services.office import get_office

    office = get_office(ctx)
    paper = office.paper_size if office is not None else "A4"
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        # A transition: under the cycle's lock, refused once closed (a second Kasubag
        # compiling at the same moment waits, then finds the cycle closed).
        cycle = lock_cycle(session, cycle_id)
        ensure_open(cycle)
        label = cycle_label(cycle.year, cycle.quarter)
        verified = session.scalars(select(StepRun.finished_at).where(
            StepRun.cycle_id == cycle.id, StepRun.step_number == 6)).all()
        verified_on = max(verified).astimezone(WITA).date() \
            if verified and all(verified) else None
        _check_signing_date(signing_date, ctx.now().astimezone(WITA).date(), verified_on)
        revision = session.scalar(select(func.count()).select_from(RecordVersion)
                                  .where(RecordVersion.cycle_id == cycle.id)) or 0
        note = "Dokumen Data Kinerja dikompilasi" + (f" (Revisi {revision})" if revision else "")
        try:
            run = finish_step_in(session, ctx, principal, cycle, 7, None, note)
        except IncompleteError as exc:
            raise IncompleteError("Dokumen Data Kinerja belum dapat dikompilasi",
                                  exc.missing) from None
        if run.finished_at is None:
            raise ConflictError("Langkah 7 tidak dapat diselesaikan.")
        closing = Closing(revision, run.finished_at, signing_date)
        data = build_compiled_report(session, cycle, closing, run.finished_at)
        data = replace(data, office=replace(data.office, paper_size=paper))
        content = render_compiled_report(data)
        title = f"Dokumen Data Kinerja {label}" + (f" (Revisi {revision})" if revision else "")
        doc = Document(cycle_id=cycle.id, kind=COMPILED_KIND, title=title,
                       file_name=compiled_file_name(cycle.year, cycle.quarter, revision),
                       content=content, sha256=hashlib.sha256(content).hexdigest(),
                       created_at=run.finished_at, created_by_id=principal.person_id)
        session.add(doc)
        session.flush()
        # What the document compared with is frozen with it: later edits of earlier-year
        # values (or of an earlier cycle) apply to later documents only.
        earlier = freeze(data.previous_years,
                         ((item.indicator_id, item.history) for item in data.items),
                         NOT_AVAILABLE)
        session.add(RecordVersion(cycle_id=cycle.id, revision=revision, document_id=doc.id,
                                  closed_at=run.finished_at, closed_by_id=principal.person_id,
                                  signed_on=signing_date, paper_size=paper, reopen_reason="",
                                  earlier_years=earlier))
        audit(session, run.finished_at, principal, "siklus.tutup", "cycle", cycle.id,
              after={"revisi": revision, "dokumen": doc.id, "sha256": doc.sha256,
                     "ukuran": len(content), "tanggal_tanda_tangan": signing_date,
                     "kertas": paper})
        session.flush()
        closed = _info(doc, len(content), principal.name, revision)
        backup_label = f"{cycle.year}" + (f"-triwulan-{cycle.quarter}" if cycle.quarter else "") \
            + (f"-revisi-{revision}" if revision else "")
    closing_backup(ctx, backup_label)  # after the commit; a failure never undoes the closing
    return closed


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
