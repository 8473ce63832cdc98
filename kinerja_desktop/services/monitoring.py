"""The monitoring of a cycle's SOP run ("Monitoring Pelaksanaan SOP", every semester): the
monitoring date, its semester and the assessor, chosen once and kept, so that every
reprint of the form carries the same header and signature."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import Cycle, MonitoringRecord, Person, PersonRole
from kinerja_desktop.domain.errors import NotFound, PermissionDenied, ValidationError
from kinerja_desktop.domain.numbers import format_date_long
from kinerja_desktop.domain.permissions import Role
from kinerja_desktop.domain.timing import WITA
from kinerja_desktop.services.common import audit, load_principal
from kinerja_desktop.services.context import ServiceContext

SEMESTERS = ("I", "II")
SEMESTER_LABELS = {"I": "Semester I (Januari–Juni)", "II": "Semester II (Juli–Desember)"}


def semester_of(day: date) -> str:
    """"I" for January–June, "II" for July–December."""
    return "I" if day.month <= 6 else "II"


@dataclass(frozen=True)
class MonitoringChoice:
    """What the monitoring form prints in its header and signature."""

    cycle_id: int
    semester: str
    monitoring_date: date
    assessor_id: int | None
    assessor_name: str
    assessor_title: str
    assessor_pangkat: str
    assessor_nip: str | None
    stored: bool  # False: a proposal (nothing chosen yet)

    @property
    def date_label(self) -> str:
        return format_date_long(self.monitoring_date)

    @property
    def semester_label(self) -> str:
        return SEMESTER_LABELS[self.semester]


def _roles(session: Session, person_id: int) -> set[str]:
    return set(session.scalars(select(PersonRole.role).where(PersonRole.person_id == person_id)))


def _assessor_title(session: Session, person: Person) -> str:
    """The assessor's jabatan; the Sekretaris assesses as Ketua Tim Penyusun."""
    title = person.jabatan.strip()
    if Role.SEKRETARIS.value in _roles(session, person.id):
        return f"{title or 'Sekretaris'} selaku Ketua Tim Penyusun"
    return title


def _sekretaris(session: Session) -> Person | None:
    return session.scalar(
        select(Person).join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role == Role.SEKRETARIS.value, Person.active.is_(True))
        .order_by(Person.id).limit(1))


def _choice(row: MonitoringRecord) -> MonitoringChoice:
    return MonitoringChoice(row.cycle_id, row.semester, row.monitoring_date, row.assessor_id,
                            row.assessor_name, row.assessor_title, row.assessor_pangkat,
                            row.assessor_nip, True)


def stored_choice(session: Session, cycle_id: int,
                  semester: str | None = None) -> MonitoringChoice | None:
    """The monitoring chosen for the cycle (of ``semester``, else the latest chosen)."""
    query = select(MonitoringRecord).where(MonitoringRecord.cycle_id == cycle_id)
    if semester is not None:
        query = query.where(MonitoringRecord.semester == semester)
    row = session.scalar(query.order_by(MonitoringRecord.monitoring_date.desc(),
                                        MonitoringRecord.id.desc()).limit(1))
    return _choice(row) if row is not None else None


def proposed_choice(ctx: ServiceContext, cycle_id: int) -> MonitoringChoice:
    """What the print dialog offers: the monitoring already chosen, else today (WITA), its
    semester and the Sekretaris (Ketua Tim Penyusun) as assessor."""
    with ctx.read() as session:
        if session.get(Cycle, cycle_id) is None:
            raise NotFound("Siklus tidak ditemukan.")
        stored = stored_choice(session, cycle_id)
        if stored is not None:
            return stored
        today = ctx.now().astimezone(WITA).date()
        person = _sekretaris(session)
        return MonitoringChoice(
            cycle_id, semester_of(today), today, person.id if person else None,
            person.name if person else "", _assessor_title(session, person) if person else "",
            person.pangkat if person else "", person.nip if person else None, False)


def choose_monitoring(ctx: ServiceContext, actor_id: int | None, cycle_id: int,
                      monitoring_date: date, semester: str | None = None,
                      assessor_id: int | None = None) -> MonitoringChoice:
    """Keep the monitoring date, semester (from the date when None) and assessor (the
    Sekretaris when None) of a cycle's monitoring. ``actor_id`` None: an administrator on
    the command line. A semester that does not hold the date is refused."""
    if semester is not None and semester not in SEMESTERS:
        raise ValidationError(f"Semester '{semester}' tidak dikenal; pilih I atau II.")
    if semester is not None and semester != semester_of(monitoring_date):
        raise ValidationError(
            f"Tanggal monitoring {format_date_long(monitoring_date)} jatuh pada semester "
            f"{semester_of(monitoring_date)}, bukan semester {semester} "
            f"(I: Januari–Juni, II: Juli–Desember).")
    semester = semester or semester_of(monitoring_date)
    with ctx.transaction() as session:
        principal = None
        if actor_id is not None:
            principal = load_principal(session, actor_id)
            if not (principal.has(Role.SEKRETARIS) or principal.has(Role.KASUBAG)
                    or principal.has(Role.ADMIN)):
                raise PermissionDenied("Monitoring SOP ditetapkan oleh Sekretaris, Kasubag atau "
                                       "Administrator.")
        cycle = session.get(Cycle, cycle_id)
        if cycle is None:
            raise NotFound("Siklus tidak ditemukan.")
        person = session.get(Person, assessor_id) if assessor_id is not None \
            else _sekretaris(session)
        if assessor_id is not None and (person is None or not person.active):
            raise NotFound("Penilai tidak ditemukan di antara pengguna aktif.")
        title = _assessor_title(session, person) if person else ""
        row = session.scalar(select(MonitoringRecord).where(
            MonitoringRecord.cycle_id == cycle_id, MonitoringRecord.semester == semester))
        before = None
        if row is None:
            row = MonitoringRecord(cycle_id=cycle_id, semester=semester)
            session.add(row)
        else:
            before = {"tanggal": row.monitoring_date.isoformat(), "penilai": row.assessor_name}
        row.monitoring_date = monitoring_date
        row.assessor_id = person.id if person else None
        row.assessor_name = person.name if person else ""
        row.assessor_title = title
        row.assessor_pangkat = person.pangkat if person else ""
        row.assessor_nip = person.nip if person else None
        row.updated_at = ctx.now()
        row.updated_by_id = principal.person_id if principal else None
        session.flush()
        audit(session, ctx.now(), principal, "monitoring.tetapkan", "monitoring_record", row.id,
              before=before, after={"siklus": cycle_id, "semester": semester,
                                    "tanggal": monitoring_date.isoformat(),
                                    "penilai": row.assessor_name},
              actor_name=None if principal else "baris perintah")
        return _choice(row)


def assessors(ctx: ServiceContext) -> list[tuple[int, str]]:
    """Active people who may assess (id, "Nama — jabatan"), the Sekretaris first."""
    with ctx.read() as session:
        sekretaris = _sekretaris(session)
        people = session.scalars(select(Person).where(Person.active.is_(True))
                                 .order_by(Person.name)).all()
        ordered = sorted(people, key=lambda p: (sekretaris is None or p.id != sekretaris.id,
                                                p.name))
        return [(p.id, f"{p.name} — {p.jabatan}" if p.jabatan else p.name) for p in ordered]
