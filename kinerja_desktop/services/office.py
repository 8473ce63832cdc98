"""The office profile (kop surat, head of office) and business settings."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select

from kinerja_desktop.db.models import OfficeDayOff, OfficeProfile, Setting
from kinerja_desktop.domain.achievement import DEFAULT_PREDIKAT_SCALE, PredikatScale
from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.domain.people import NipError, find_pangkat, normalize_nip
from kinerja_desktop.domain.permissions import Role, require_role
from kinerja_desktop.services.common import audit, check_lengths, check_version, load_principal
from kinerja_desktop.services.context import ServiceContext, retry_busy
from kinerja_desktop.services.record import scale_for

PAPER_SIZES = ("A4", "F4")
MAX_LOGO_BYTES = 2 * 1024 * 1024
#: Lock taken while the first-run setup saves the profile.
FIRST_PROFILE_LOCK = "kinerja-desktop:profil-pertama"


@dataclass(frozen=True)
class OfficeInfo:
    name: str
    regency: str
    government: str = ""
    address: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    logo: bytes | None = None
    logo_name: str | None = None
    head_title: str = ""
    head_name: str = ""
    head_pangkat: str = ""
    head_nip: str | None = None
    signing_place: str = ""
    paper_size: str = "A4"
    #: The profile's row version as read (pass it back to ``save_office``); not a field
    #: of the profile itself.
    version: int = 0


#: What the first-run wizard offers, from the seed SOP (editable there).
SEED_OFFICE = OfficeInfo(
    name="Dinas Pemberdayaan Masyarakat dan Desa",
    regency="Kabupaten Soppeng",
    government="Pemerintah Kabupaten Soppeng",
    address="Jl. Salotungo, Watansoppeng",
    postcode="90811",
    head_title="Kepala Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Soppeng",
    head_name="Andi Agus Mongki, S.IP., M.Si",
    head_pangkat="Pembina Tingkat I (IV/b)",
    head_nip="197108171991011001",
    signing_place="Watansoppeng",
)


def _validate(info: OfficeInfo) -> OfficeInfo:
    if not info.name.strip():
        raise ValidationError("Nama kantor wajib diisi.")
    if not info.regency.strip():
        raise ValidationError("Nama kabupaten/kota wajib diisi.")
    if not info.signing_place.strip():
        raise ValidationError("Tempat penandatanganan wajib diisi.")
    if info.paper_size not in PAPER_SIZES:
        raise ValidationError("Ukuran kertas harus A4 atau F4.")
    if info.email and ("@" not in info.email or " " in info.email.strip()):
        raise ValidationError(f"Alamat e-mail '{info.email}' tidak sah.")
    if info.logo is not None and len(info.logo) > MAX_LOGO_BYTES:
        raise ValidationError("Berkas logo terlalu besar (maksimal 2 MB).")
    try:
        nip = normalize_nip(info.head_nip or "")
    except NipError as exc:
        raise ValidationError(f"NIP kepala kantor: {exc}") from None
    pangkat = ""
    if info.head_pangkat.strip():
        found = find_pangkat(info.head_pangkat)
        if found is None:
            raise ValidationError(f"Pangkat/golongan '{info.head_pangkat}' tidak dikenal.")
        pangkat = found.label
    cleaned = replace(info, head_nip=nip, head_pangkat=pangkat,
                      **{k: getattr(info, k).strip() for k in _TEXT_FIELDS})
    check_lengths(OfficeProfile, **{k: (_LABELS[k], getattr(cleaned, k)) for k in _TEXT_FIELDS},
                  logo_name=("Nama berkas logo", cleaned.logo_name))
    return cleaned


_TEXT_FIELDS = ("name", "regency", "government", "address", "postcode", "phone", "email",
                "head_title", "head_name", "signing_place")
_LABELS = {"name": "Nama kantor", "regency": "Kabupaten/kota", "government": "Pemerintah daerah",
           "address": "Alamat", "postcode": "Kode pos", "phone": "Telepon", "email": "E-mail",
           "head_title": "Jabatan kepala kantor", "head_name": "Nama kepala kantor",
           "signing_place": "Tempat penandatanganan"}
#: OfficeInfo fields stored in the profile row (``version`` is the row's version).
_STORED = tuple(f for f in OfficeInfo.__dataclass_fields__ if f != "version")


def get_office(ctx: ServiceContext) -> OfficeInfo | None:
    with ctx.read() as session:
        row = session.get(OfficeProfile, 1)
        if row is None:
            return None
        return get_office_row(row)


def is_initialised(ctx: ServiceContext) -> bool:
    return get_office(ctx) is not None


@retry_busy
def save_office(ctx: ServiceContext, actor_id: int | None, info: OfficeInfo,
                expected_version: int | None = None) -> OfficeInfo:
    """Save the profile. ``actor_id`` None only during first-run setup (no profile yet).
    ``expected_version``: :attr:`OfficeInfo.version` as the form loaded it."""
    info = _validate(info)
    with ctx.transaction() as session:
        if actor_id is None:
            # First-run setup on two PCs at once: the second sees the first's profile.
            ctx.lock(session, FIRST_PROFILE_LOCK)
        row = session.get(OfficeProfile, 1)
        principal = None
        if actor_id is not None:
            principal = load_principal(session, actor_id)
            require_role(principal, Role.ADMIN, "Mengubah profil kantor")
        elif row is not None:
            raise ValidationError("Profil kantor hanya dapat diubah oleh administrator.")
        before = None
        if row is None:
            row = OfficeProfile(id=1)
            session.add(row)
        else:
            check_version(session, row, expected_version)
            before = {k: getattr(row, k) for k in _STORED if k != "logo"}
        for key in _STORED:
            setattr(row, key, getattr(info, key))
        row.updated_at = ctx.now()
        after = {k: getattr(info, k) for k in _STORED if k != "logo"}
        audit(session, ctx.now(), principal, "kantor.simpan", "office", 1, before=before,
              after=after, actor_name=None if principal else "penyiapan awal")
        session.flush()
        return replace(info, version=row.row_version)


def get_office_row(row: OfficeProfile) -> OfficeInfo:
    return OfficeInfo(**{f: getattr(row, f) for f in _STORED}, version=row.row_version)


# --------------------------------------------------------------------------- settings

PREDIKAT_KEY = "predikat_scale"
EVIDENCE_LIMIT_KEY = "evidence_max_bytes"
DEFAULT_EVIDENCE_LIMIT = 20 * 1024 * 1024


def predikat_scale(ctx: ServiceContext, cycle_id: int | None = None) -> PredikatScale:
    """The office's predikat scale; with ``cycle_id`` the one that cycle recorded at step 3
    (the office's until then)."""
    with ctx.read() as session:
        return scale_for(session, cycle_id)


def predikat_setting(ctx: ServiceContext) -> tuple[PredikatScale, int]:
    """The predikat scale and the version a form editing it holds (0: never saved)."""
    with ctx.read() as session:
        row = session.get(Setting, PREDIKAT_KEY)
        if row is None:
            return DEFAULT_PREDIKAT_SCALE, 0
        return PredikatScale.from_json(row.value), row.row_version


@retry_busy
def save_predikat_scale(ctx: ServiceContext, actor_id: int, scale: PredikatScale,
                        expected_version: int | None = None) -> int:
    """Save the predikat scale (administrator); returns its new version.
    ``expected_version``: the version the form loaded (:func:`predikat_setting`); a save
    made meanwhile on another PC is refused, naming who made it."""
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.ADMIN, "Mengubah skala predikat")
        ctx.lock(session, f"kinerja-desktop:pengaturan:{PREDIKAT_KEY}")
        row = session.get(Setting, PREDIKAT_KEY)
        before = json.loads(row.value) if row else None
        if row is None:
            row = Setting(key=PREDIKAT_KEY, value="")
            session.add(row)
        else:
            check_version(session, row, expected_version)
        row.value = scale.to_json()
        audit(session, ctx.now(), principal, "pengaturan.predikat", "setting", PREDIKAT_KEY,
              before={"skala": before}, after={"skala": json.loads(row.value)})
        session.flush()
        return row.row_version


def evidence_limit(ctx: ServiceContext) -> int:
    with ctx.read() as session:
        row = session.get(Setting, EVIDENCE_LIMIT_KEY)
        return int(row.value) if row else DEFAULT_EVIDENCE_LIMIT


def office_days_off(ctx: ServiceContext) -> list[tuple[date, str]]:
    with ctx.read() as session:
        return [(d.day, d.description) for d in
                session.scalars(select(OfficeDayOff).order_by(OfficeDayOff.day))]


@retry_busy
def add_day_off(ctx: ServiceContext, actor_id: int, day: date, description: str) -> None:
    check_lengths(OfficeDayOff, description=("Keterangan", description.strip()))
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.ADMIN, "Menetapkan hari libur kantor")
        if session.scalar(select(OfficeDayOff).where(OfficeDayOff.day == day)):
            raise ValidationError(f"Tanggal {day.isoformat()} sudah ditetapkan sebagai libur.")
        session.add(OfficeDayOff(day=day, description=description.strip()))
        audit(session, ctx.now(), principal, "pengaturan.libur_kantor", "day_off", day,
              after={"tanggal": day, "keterangan": description})


@retry_busy
def remove_day_off(ctx: ServiceContext, actor_id: int, day: date) -> None:
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.ADMIN, "Menghapus hari libur kantor")
        row = session.scalar(select(OfficeDayOff).where(OfficeDayOff.day == day))
        if row is None:
            raise ValidationError("Tanggal itu bukan hari libur kantor.")
        session.delete(row)
        audit(session, ctx.now(), principal, "pengaturan.hapus_libur_kantor", "day_off", day,
              before={"tanggal": day, "keterangan": row.description})
