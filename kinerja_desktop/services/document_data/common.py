"""What every printed document shares: the office and cycle blocks, signatories, the
fast Indonesian number and date labels, and the helpers that read them."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import Cycle, OfficeProfile, Person, PersonRole
from kinerja_desktop.domain.achievement import Absorption, Achievement, PredikatScale
from kinerja_desktop.domain.errors import NotFound
from kinerja_desktop.domain.numbers import (
    ENTERED_DECIMALS,
    format_date_long,
    format_number,
    to_decimal,
)
from kinerja_desktop.domain.people import NipError, find_pangkat, format_nip
from kinerja_desktop.domain.permissions import Role
from kinerja_desktop.domain.review import ReviewAction
from kinerja_desktop.domain.timing import WITA
from kinerja_desktop.services.record import cycle_record, scale_for

NOT_AVAILABLE = "-"
ACTION_LABELS = {
    ReviewAction.SUBMITTED.value: "Diserahkan",
    ReviewAction.RETURNED.value: "Dikembalikan",
    ReviewAction.VERIFIED.value: "Diverifikasi",
    ReviewAction.COMMENT.value: "Komentar",
    ReviewAction.CORRECTED.value: "Diperbaiki",
}



#: Column label of each executor (pelaksana) on the SOP sheet and the monitoring form.
EXECUTOR_COLUMNS = {
    Role.SEKRETARIS: "Sekretaris",
    Role.KASUBAG: "Kasubag Perencanaan, Pelaporan dan Keuangan",
    Role.TIM: "Tim Penyusun Data",
}


@dataclass(frozen=True)
class Signatory:
    """One signature block: ``title`` (e.g. the office head's title), name, pangkat, NIP."""

    title: str
    name: str
    pangkat: str  # printed form, "Pembina Tk. I, IV/b" ("" when unknown)
    nip: str  # formatted "19710817 199101 1 001" ("" for non civil servants)


@dataclass(frozen=True)
class OfficeBlock:
    """The kop surat and the head of office."""

    name: str
    regency: str
    government: str
    address: str
    postcode: str
    phone: str
    email: str
    logo: bytes | None
    logo_name: str | None
    signing_place: str
    paper_size: str  # "A4" or "F4"
    head: Signatory


@dataclass(frozen=True)
class CycleBlock:
    id: int
    year: int
    quarter: int | None
    label: str  # "Tahun 2025" / "Tahun 2025 Triwulan 1"
    status: str
    sk_number: str
    sk_date: date
    sk_date_label: str
    sk_issuer: str
    sop_id: int
    sop_version: int



# The domain formatters go through Babel (tens of microseconds per call); a document of
# thousands of indicators formats hundreds of thousands of values, so these produce
# the same text directly. tests/reports checks they agree with domain.numbers.
_CENT = Decimal("0.01")
_SWAP = str.maketrans({",": ".", ".": ","})
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def fast_number(value: Decimal | float | int, decimals: int | None = None) -> str:
    """Same text as :func:`format_number` for ``decimals`` None (at most 2) or 2."""
    if decimals not in (None, 2):
        return format_number(value, decimals)
    q = to_decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)
    if q.is_zero():
        q = abs(q)
    text = f"{q:,.2f}"
    if decimals is None:
        text = text.rstrip("0").rstrip(".")
    return text.translate(_SWAP)


def fast_money(value: Decimal | float | int) -> str:
    """Same text as :func:`format_money`: ``"Rp125.000.000,00"``."""
    q = to_decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    return f"{sign}Rp{abs(q):,.2f}".translate(_SWAP)


def fast_datetime(dt: datetime) -> str:
    """Same text as :func:`format_datetime_short`: ``"9 Jan 2017 14.05"`` (WITA)."""
    local = dt.astimezone(WITA)
    return (f"{local.day} {_MONTHS[local.month - 1]} {local.year} "
            f"{local.hour:02d}.{local.minute:02d}")


#: Stored values keep this many decimals at most (as :data:`ENTERED_DECIMALS`).
ENTERED_PLACES = Decimal(1).scaleb(-ENTERED_DECIMALS)


def to_dec(value: float | None) -> Decimal | None:
    """A stored number as the Decimal that was entered (0.6321 → 0.6321, 5.0 → 5)."""
    if value is None:
        return None
    return to_decimal(value).quantize(ENTERED_PLACES, rounding=ROUND_HALF_UP).normalize()


def fast_entered(value: Decimal) -> str:
    """Same text as :func:`format_entered` for a value from :func:`to_dec`: every
    decimal it carries (``0,6321``, ``5``, ``1.234,5``)."""
    exponent = value.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    if places == 0:
        text = f"{abs(value) if value.is_zero() else value:,.0f}"
    else:
        text = f"{value:,.{places}f}"
    return text.translate(_SWAP)


def number_label(value: Decimal | None, text: str = "") -> str:
    """A target, realisasi or Renstra value as entered, or its text, or "-"."""
    if value is not None:
        return fast_entered(value)
    return text.strip() or NOT_AVAILABLE


#: How a value that cannot be computed begins, before its reason.
NOT_COMPUTABLE = "Tidak dapat dihitung"


def achievement_text(ach: Achievement) -> str:
    """``"86,67"`` (manual: ``"86,67 (manual)"``) or ``"Tidak dapat dihitung: alasan"``."""
    if ach.value is None:
        return f"{NOT_COMPUTABLE}: {ach.reason}"
    text = fast_number(ach.value, 2)
    return f"{text} (manual)" if ach.manual else text


def absorption_text(absorption: Absorption) -> str:
    if absorption.value is None:
        return f"{NOT_COMPUTABLE}: {absorption.reason}"
    return fast_number(absorption.value, 2)


def pangkat_printed(text: str) -> str:
    found = find_pangkat(text) if text else None
    return found.printed if found else text


def nip_label(nip: str | None) -> str:
    try:
        return format_nip(nip)
    except NipError:
        return nip or ""


def signatory_of(title: str, person: Person | None) -> Signatory:
    if person is None:
        return Signatory(title, "", "", "")
    return Signatory(title, person.name, pangkat_printed(person.pangkat), nip_label(person.nip))


def office_block(session: Session, cycle: Cycle | None = None) -> OfficeBlock:
    """The kop surat and head of office; a cycle's recorded ones once frozen (step 3).

    The paper is the office's current setting: a printing choice, not the record.
    """
    row = session.get(OfficeProfile, 1)
    if row is None:
        raise NotFound("Profil kantor belum diisi; lengkapi dahulu di Pengaturan ▸ Kantor.")
    paper = row.paper_size or "A4"
    rec = cycle_record(session, cycle.id if cycle is not None else None)
    if rec is not None:
        head = Signatory(rec.head_title, rec.head_name, pangkat_printed(rec.head_pangkat),
                         nip_label(rec.head_nip))
        return OfficeBlock(rec.office_name, rec.regency, rec.government, rec.address,
                           rec.postcode, rec.phone, rec.email, rec.logo, rec.logo_name,
                           rec.signing_place, paper, head)
    head = Signatory(row.head_title, row.head_name, pangkat_printed(row.head_pangkat),
                     nip_label(row.head_nip))
    return OfficeBlock(row.name, row.regency, row.government, row.address, row.postcode,
                       row.phone, row.email, row.logo, row.logo_name, row.signing_place,
                       paper, head)


def load_cycle(session: Session, cycle_id: int) -> Cycle:
    cycle = session.get(Cycle, cycle_id)
    if cycle is None:
        raise NotFound("Siklus tidak ditemukan.")
    return cycle


def cycle_block(cycle: Cycle) -> CycleBlock:
    label = f"Tahun {cycle.year}" + (f" Triwulan {cycle.quarter}" if cycle.quarter else "")
    return CycleBlock(cycle.id, cycle.year, cycle.quarter, label, cycle.status, cycle.sk_number,
                      cycle.sk_date, format_date_long(cycle.sk_date), cycle.sk_issuer,
                      cycle.sop_id, cycle.sop.version)


def role_holder(session: Session, role: Role) -> Person | None:
    return session.scalar(
        select(Person).join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role == role.value, Person.active.is_(True)).order_by(Person.id).limit(1))


def jabatan_title(person: Person | None, fallback: str) -> str:
    return (person.jabatan.strip() if person and person.jabatan.strip() else fallback)


def load_scale(session: Session, cycle: Cycle | None = None) -> PredikatScale:
    """The predikat scale (a cycle's recorded one once frozen)."""
    return scale_for(session, cycle.id if cycle is not None else None)


def average(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"))


def local_label(dt: datetime | None) -> str:
    return fast_datetime(dt) if dt is not None else NOT_AVAILABLE




@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large document is built.

    Building the Dokumen Data Kinerja allocates hundreds of thousands of objects
    that stay alive until the end (rows, labels, wrapped lines, PDF operators); each
    automatic collection walks all of them again and finds nothing to free (about a
    fifth of the work for 3 600 indicators). Memory is still freed by reference
    counting; the collector runs again normally afterwards.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
