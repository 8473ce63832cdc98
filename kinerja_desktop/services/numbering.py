"""Nomor of the berita acara verifikasi and the tanda terima: the office's template per kind
of document (a setting), and a running number per year and kind, assigned once and
stored, so every reprint carries the same Nomor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import DocumentNumber, Setting
from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.domain.numbering import check_template, render_number
from kinerja_desktop.domain.permissions import Role
from kinerja_desktop.domain.timing import WITA
from kinerja_desktop.services.common import audit, load_principal
from kinerja_desktop.services.context import ServiceContext

RECEIPT = "tanda_terima"
VERIFICATION_RECORD = "berita_acara"
KIND_LABELS = {RECEIPT: "Tanda terima", VERIFICATION_RECORD: "Berita acara verifikasi"}
DEFAULT_TEMPLATES = {
    RECEIPT: "050/{urut}/TT/DPMD/{bulan romawi}/{tahun}",
    VERIFICATION_RECORD: "050/{urut}/BA/DPMD/{bulan romawi}/{tahun}",
}


def _key(kind: str) -> str:
    return f"nomor_dokumen.{kind}"


@dataclass(frozen=True)
class NumberTemplate:
    kind: str
    label: str
    template: str


def template_in(session: Session, kind: str) -> str:
    row = session.get(Setting, _key(kind))
    return row.value if row is not None else DEFAULT_TEMPLATES[kind]


def number_templates(ctx: ServiceContext) -> list[NumberTemplate]:
    """The template of each kind of numbered document (the default until changed)."""
    with ctx.read() as session:
        return [NumberTemplate(kind, label, template_in(session, kind))
                for kind, label in KIND_LABELS.items()]


def save_number_template(ctx: ServiceContext, actor_id: int, kind: str,
                         template: str) -> NumberTemplate:
    """Pengaturan ▸ Kantor: change a template (administrator). Numbers already given keep
    their text; the next number of the year continues the same running count."""
    if kind not in KIND_LABELS:
        raise ValidationError(f"Jenis dokumen '{kind}' tidak bernomor.")
    text = check_template(template)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        if not principal.has(Role.ADMIN):
            from kinerja_desktop.domain.errors import PermissionDenied

            raise PermissionDenied("Pola nomor dokumen hanya dapat diubah oleh Administrator.")
        row = session.get(Setting, _key(kind))
        before = row.value if row is not None else DEFAULT_TEMPLATES[kind]
        if row is None:
            row = Setting(key=_key(kind), value=text)
            session.add(row)
        row.value = text
        audit(session, ctx.now(), principal, "pengaturan.nomor_dokumen", "setting", _key(kind),
              before={"pola": before}, after={"pola": text})
        return NumberTemplate(kind, KIND_LABELS[kind], text)


def receipt_subject(submission_id: int) -> str:
    return f"{RECEIPT}:penyerahan:{submission_id}"


def verification_subject(cycle_id: int, team_id: int | None) -> str:
    return f"{VERIFICATION_RECORD}:siklus:{cycle_id}:tim:{team_id if team_id else 'semua'}"


def number_of(session: Session, subject: str) -> str:
    """The Nomor given to ``subject``, "" when none has been given yet."""
    return session.scalar(select(DocumentNumber.number)
                          .where(DocumentNumber.subject == subject)) or ""


def ensure_number(session: Session, now: datetime, kind: str, subject: str,
                  cycle_id: int | None, document_date: date) -> str:
    """The Nomor of ``subject``; the next running number of the document's year and kind is
    given (and stored) the first time."""
    existing = number_of(session, subject)
    if existing:
        return existing
    year = document_date.year
    last = session.scalar(select(func.max(DocumentNumber.sequence))
                          .where(DocumentNumber.kind == kind, DocumentNumber.year == year))
    sequence = (last or 0) + 1
    number = render_number(template_in(session, kind), sequence, document_date)
    session.add(DocumentNumber(kind=kind, year=year, sequence=sequence, number=number,
                               subject=subject, cycle_id=cycle_id,
                               document_date=document_date, assigned_at=now))
    session.flush()
    audit(session, now, None, "dokumen.nomor", "document_number", subject,
          after={"jenis": kind, "tahun": year, "urut": sequence, "nomor": number})
    return number


def local_date(moment: datetime) -> date:
    return moment.astimezone(WITA).date()
