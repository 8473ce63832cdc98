"""Civil-servant data: pangkat/golongan and NIP (Nomor Induk Pegawai)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = [
    "PANGKAT",
    "NipError",
    "Pangkat",
    "find_pangkat",
    "format_nip",
    "nip_birth_date",
    "nip_cpns_start",
    "nip_gender",
    "normalize_nip",
]


@dataclass(frozen=True)
class Pangkat:
    """A civil-service rank: ``Pangkat("Pembina Tingkat I", "IV/b", "Pembina Tk. I")``."""

    name: str
    golongan: str
    short: str

    @property
    def label(self) -> str:
        """``"Pembina Tingkat I (IV/b)"``."""
        return f"{self.name} ({self.golongan})"

    @property
    def printed(self) -> str:
        """Form used on signed documents: ``"Pembina Tk. I, IV/b"``."""
        return f"{self.short}, {self.golongan}"

    @property
    def rank(self) -> int:
        """Position in :data:`PANGKAT`, 1 (Juru Muda, I/a) to 17 (Pembina Utama, IV/e)."""
        return PANGKAT.index(self) + 1


def _pangkat(name: str, golongan: str) -> Pangkat:
    return Pangkat(name, golongan, name.replace("Tingkat I", "Tk. I"))


PANGKAT: tuple[Pangkat, ...] = (
    _pangkat("Juru Muda", "I/a"),
    _pangkat("Juru Muda Tingkat I", "I/b"),
    _pangkat("Juru", "I/c"),
    _pangkat("Juru Tingkat I", "I/d"),
    _pangkat("Pengatur Muda", "II/a"),
    _pangkat("Pengatur Muda Tingkat I", "II/b"),
    _pangkat("Pengatur", "II/c"),
    _pangkat("Pengatur Tingkat I", "II/d"),
    _pangkat("Penata Muda", "III/a"),
    _pangkat("Penata Muda Tingkat I", "III/b"),
    _pangkat("Penata", "III/c"),
    _pangkat("Penata Tingkat I", "III/d"),
    _pangkat("Pembina", "IV/a"),
    _pangkat("Pembina Tingkat I", "IV/b"),
    _pangkat("Pembina Utama Muda", "IV/c"),
    _pangkat("Pembina Utama Madya", "IV/d"),
    _pangkat("Pembina Utama", "IV/e"),
)


def _name_key(text: str) -> str:
    text = text.casefold()
    text = re.sub(r"\btk\b\.?", " tingkat ", text)
    return " ".join(text.split())


def _golongan_key(text: str) -> str | None:
    match = re.fullmatch(r"\s*(iv|iii|ii|i)\s*/\s*([a-e])\s*", text.casefold())
    return f"{match.group(1)}/{match.group(2)}" if match else None


_BY_NAME = {_name_key(p.name): p for p in PANGKAT}
_BY_GOLONGAN = {p.golongan.casefold(): p for p in PANGKAT}
_COMBINED = re.compile(
    r"^(?P<name>.*?)[\s,;(\-–]+(?P<gol>(?:iv|iii|ii|i)\s*/\s*[a-e])\s*\)?\s*$", re.IGNORECASE
)


def find_pangkat(text: str | None) -> Pangkat | None:
    """Find a pangkat by name, short name, golongan or both (case-insensitive).

    Accepts ``"Pembina Tk. I"``, ``"Pembina Tingkat I"``, ``"IV/b"``,
    ``"Pembina Tingkat I, IV/b"`` and ``"Pembina Tk. I (IV/b)"``. Returns None when
    nothing matches or when name and golongan contradict each other.
    """
    if not text or not text.strip():
        return None
    gol = _golongan_key(text)
    if gol is not None:
        return _BY_GOLONGAN.get(gol)
    found = _BY_NAME.get(_name_key(text))
    if found is not None:
        return found
    match = _COMBINED.match(text.strip())
    if match is None:
        return None
    by_gol = _BY_GOLONGAN.get(_golongan_key(match.group("gol")) or "")
    by_name = _BY_NAME.get(_name_key(match.group("name").strip(" ,;-–(")))
    if by_gol is not None and by_gol == by_name:
        return by_gol
    return None


class NipError(ValueError):
    """An invalid NIP; the message (Indonesian) names the faulty part."""


_MIN_BIRTH_YEAR = 1940


def normalize_nip(text: str | None, *, today: date | None = None) -> str | None:
    """Validate a NIP and return its 18 digits; empty text gives None.

    Spaces are removed. Checked: 18 digits; digits 1–8 a real birth date
    (YYYYMMDD, year 1940 to this year, not in the future); digits 9–14 a real
    CPNS start YYYYMM (month 1–12, year at least birth year + 15 and at most next
    year); digit 15 gender 1 or 2; digits 16–18 a serial other than 000.
    ``today`` defaults to the current date (for tests).
    """
    if text is None:
        return None
    nip = re.sub(r"\s+", "", str(text))
    if not nip:
        return None
    if not re.fullmatch(r"[0-9]+", nip):
        raise NipError(f"NIP '{text.strip()}' hanya boleh berisi angka.")
    if len(nip) != 18:
        raise NipError(f"NIP harus 18 digit, tertulis {len(nip)} digit ('{nip}').")
    today = today or date.today()

    birth_text = nip[:8]
    try:
        birth = date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:8]))
    except ValueError:
        raise NipError(
            f"Digit 1–8 NIP (tanggal lahir '{birth_text}') bukan tanggal yang valid."
        ) from None
    if birth > today:
        raise NipError(f"Tanggal lahir pada NIP ({birth_text}) berada di masa depan.")
    if not _MIN_BIRTH_YEAR <= birth.year <= today.year:
        raise NipError(
            f"Tahun lahir pada NIP ({birth.year}) di luar rentang {_MIN_BIRTH_YEAR}–{today.year}."
        )

    cpns_text = nip[8:14]
    cpns_year, cpns_month = int(cpns_text[:4]), int(cpns_text[4:6])
    if not 1 <= cpns_month <= 12:
        raise NipError(f"Digit 13–14 NIP (bulan TMT CPNS '{cpns_text[4:6]}') harus 01 sampai 12.")
    if cpns_year < birth.year + 15:
        raise NipError(
            f"Digit 9–12 NIP (tahun TMT CPNS {cpns_year}) terlalu dekat dengan tahun lahir "
            f"{birth.year}; paling awal {birth.year + 15}."
        )
    if cpns_year > today.year + 1:
        raise NipError(
            f"Digit 9–12 NIP (tahun TMT CPNS {cpns_year}) melewati tahun {today.year + 1}."
        )

    gender = nip[14]
    if gender not in "12":
        raise NipError(
            f"Digit ke-15 NIP (jenis kelamin) harus 1 (laki-laki) atau 2 (perempuan), "
            f"tertulis {gender}."
        )
    if nip[15:] == "000":
        raise NipError("Digit 16–18 NIP (nomor urut) tidak boleh 000.")
    return nip


def _require_nip(nip: str) -> str:
    normalized = normalize_nip(nip)
    if normalized is None:
        raise NipError("NIP belum diisi.")
    return normalized


def format_nip(nip: str | None) -> str:
    """``"19710817 199101 1 001"``; empty input gives ``""``. Raises NipError if invalid."""
    normalized = normalize_nip(nip)
    if normalized is None:
        return ""
    return f"{normalized[:8]} {normalized[8:14]} {normalized[14]} {normalized[15:]}"


def nip_birth_date(nip: str) -> date:
    """Birth date encoded in digits 1–8."""
    n = _require_nip(nip)
    return date(int(n[:4]), int(n[4:6]), int(n[6:8]))


def nip_cpns_start(nip: str) -> date:
    """First day of the CPNS start month encoded in digits 9–14."""
    n = _require_nip(nip)
    return date(int(n[8:12]), int(n[12:14]), 1)


def nip_gender(nip: str) -> str:
    """``"Laki-laki"`` (digit 15 = 1) or ``"Perempuan"`` (2)."""
    return "Laki-laki" if _require_nip(nip)[14] == "1" else "Perempuan"
