"""What may be typed, pasted or imported: text hygiene, length limits and numeric bounds.

One place for every entrance: the services (their final guard, before anything is
written), the window's fields (``maxLength``), the workbook import and the command line.

**Text.** :func:`clean_text` removes control characters other than newline and tab (a
vertical tab pasted from Word once made a year's Excel report impossible to write), lone
surrogates and the non-characters XML cannot hold, and turns every line break into
``\\n``; single-line fields lose their line breaks and tabs too. Every text column has a
rule (:data:`TEXT_RULES`: its Indonesian label and its limit); for a column of bounded
size the limit is that size (``tests/domain/test_input_rules.py`` keeps the two equal
and fails on a new column without a rule).

**Numbers.** Every accepted value must compute and print: a pagu of 0,000000001 with a
realisasi anggaran of 10^15 once made a team's data impossible to list (the serapan
overflowed). A value is at most 10^15 in size and, unless it is zero, at least 10^-6
(:data:`MIN_NONZERO`), so that capaian and serapan stay below 10^23 % and compute in the
Decimal context of :mod:`kinerja_desktop.domain.achievement`; and it has at most
:data:`MAX_SIGNIFICANT` significant digits, what a stored number (a double) keeps exactly
and what Excel shows, so that what was typed is what is stored and printed. One rule,
:func:`number_problem`, for the window's fields, the workbook import and the services.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from kinerja_desktop.domain.errors import ValidationError

# --------------------------------------------------------------------------- text

#: Lengths shared by the columns and the fields (characters).
CODE_MAX = 30
SHORT_MAX = 60
PANGKAT_MAX = 80
PLACE_MAX = 120
NAME_MAX = 200
TITLE_MAX = 300
FILE_NAME_MAX = 255
LONG_NAME_MAX = 500  # a strategic objective or an indicator
NOTE_MAX = 2000  # a step's note, a reason, a comment, an SOP text
TEXT_MAX = 4000  # what a team writes per indicator
LIST_ITEM_MAX = 1000  # one line of an SOP list (legal basis, equipment, …)
USERNAME_MAX = 40


@dataclass(frozen=True)
class TextRule:
    label: str
    limit: int
    multiline: bool = False


def clean_text(value: str, *, multiline: bool = True) -> str:
    """``value`` without control characters (newline and tab kept when ``multiline``),
    lone surrogates and non-characters; line breaks as ``\\n``; outer spaces trimmed."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x85", "\n")
    kept = []
    for ch in text:
        if ch in "\n\t":
            kept.append(ch if multiline else " ")
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs"):
            continue
        code = ord(ch)
        if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
            continue  # non-characters: no XML (xlsx) or PDF text can hold them
        kept.append(ch)
    return "".join(kept).strip()


def xml_safe(value: str) -> str:
    """``value`` with only what XML (an .xlsx cell) cannot hold removed, nothing else
    changed: for writing text stored before these rules (or not typed by people)."""
    return "".join(ch for ch in value if ch in "\n\t\r" or (
        unicodedata.category(ch) not in ("Cc", "Cs") and not 0xFDD0 <= ord(ch) <= 0xFDEF
        and (ord(ch) & 0xFFFE) != 0xFFFE))


def check_text(value: str, label: str, limit: int, *, multiline: bool = False) -> str:
    """The cleaned text, or :class:`ValidationError` when it is longer than ``limit``."""
    text = clean_text(value, multiline=multiline)
    if len(text) > limit:
        raise ValidationError(f"{label} terlalu panjang ({len(text)} karakter; maksimal "
                              f"{limit}). Persingkat isinya.")
    return text


def check_field(table_column: str, value: str) -> str:
    """:func:`check_text` with the rule of ``"table.column"`` (see :data:`TEXT_RULES`)."""
    rule = TEXT_RULES[table_column]
    return check_text(value, rule.label, rule.limit, multiline=rule.multiline)


def limit_of(table_column: str) -> int:
    """The length limit of a field (for a window's ``maxLength``)."""
    return TEXT_RULES[table_column].limit


def _r(label: str, limit: int, multiline: bool = False) -> TextRule:
    return TextRule(label, limit, multiline)


#: Every text column people fill in, by "table.column": label and limit.
TEXT_RULES: dict[str, TextRule] = {
    "office_profile.name": _r("Nama kantor", NAME_MAX),
    "office_profile.regency": _r("Kabupaten/kota", PLACE_MAX),
    "office_profile.government": _r("Nama pemerintah daerah", NAME_MAX),
    "office_profile.address": _r("Alamat", TITLE_MAX),
    "office_profile.postcode": _r("Kode pos", 10),
    "office_profile.phone": _r("Telepon", SHORT_MAX),
    "office_profile.email": _r("Surel", PLACE_MAX),
    "office_profile.logo_name": _r("Nama berkas logo", NAME_MAX),
    "office_profile.head_title": _r("Jabatan kepala kantor", TITLE_MAX),
    "office_profile.head_name": _r("Nama kepala kantor", NAME_MAX),
    "office_profile.head_pangkat": _r("Pangkat kepala kantor", PANGKAT_MAX),
    "office_profile.head_nip": _r("NIP kepala kantor", 18),
    "office_profile.signing_place": _r("Tempat penandatanganan", PLACE_MAX),
    "office_days_off.description": _r("Keterangan hari libur", NAME_MAX),
    "people.name": _r("Nama", NAME_MAX),
    "people.nip": _r("NIP", 18),
    "people.pangkat": _r("Pangkat/golongan", PANGKAT_MAX),
    "people.jabatan": _r("Jabatan", NAME_MAX),
    "people.username": _r("Nama pengguna", SHORT_MAX),
    "teams.name": _r("Nama tim", NAME_MAX),
    "teams.bidang": _r("Bidang", NAME_MAX),
    "objectives.code": _r("Kode sasaran", CODE_MAX),
    "objectives.name": _r("Nama sasaran strategis", LONG_NAME_MAX, True),
    "indicators.code": _r("Kode indikator", CODE_MAX),
    "indicators.name": _r("Nama indikator", LONG_NAME_MAX, True),
    "indicators.unit": _r("Satuan", SHORT_MAX),
    "indicators.data_source": _r("Sumber data", NOTE_MAX, True),
    "indicators.renstra_target_text": _r("Target Renstra (teks)", NAME_MAX),
    "indicator_targets.target_text": _r("Target (teks)", NAME_MAX),
    "format_items.target_text": _r("Target (teks)", NAME_MAX),
    "sops.name": _r("Nama SOP", NAME_MAX),
    "sops.number": _r("Nomor SOP", SHORT_MAX),
    "sops.approved_by": _r("Disahkan oleh", NAME_MAX),
    "sops.organisation": _r("Nama organisasi", NAME_MAX),
    "sops.unit": _r("Unit kerja", NAME_MAX),
    "sops.sub_unit": _r("Sub unit kerja", NAME_MAX),
    "sops.source": _r("Sumber SOP", NAME_MAX),
    "sops.legal_basis": _r("Dasar hukum", LIST_ITEM_MAX, True),
    "sops.qualifications": _r("Kualifikasi pelaksana", LIST_ITEM_MAX, True),
    "sops.related_sops": _r("Keterkaitan", LIST_ITEM_MAX, True),
    "sops.equipment": _r("Peralatan/perlengkapan", LIST_ITEM_MAX, True),
    "sops.warnings": _r("Peringatan", LIST_ITEM_MAX, True),
    "sops.records": _r("Pencatatan dan pendataan", LIST_ITEM_MAX, True),
    "sop_steps.activity": _r("Kegiatan", NOTE_MAX, True),
    "sop_steps.requirements": _r("Kelengkapan", LIST_ITEM_MAX, True),
    "sop_steps.output": _r("Output", NOTE_MAX, True),
    "sop_steps.note": _r("Keterangan langkah", NOTE_MAX, True),
    "cycles.sk_number": _r("Nomor SK", PLACE_MAX),
    "cycles.sk_issuer": _r("Penerbit SK", NAME_MAX),
    "cycles.sk_file_name": _r("Nama berkas SK", FILE_NAME_MAX),
    "cycles.note": _r("Catatan siklus", NOTE_MAX, True),
    "step_runs.note": _r("Catatan langkah", NOTE_MAX, True),
    "item_entries.actual_text": _r("Realisasi (teks)", NAME_MAX),
    "item_entries.explanation": _r("Penjelasan", TEXT_MAX, True),
    "item_entries.supporting": _r("Faktor pendukung", TEXT_MAX, True),
    "item_entries.inhibiting": _r("Faktor penghambat", TEXT_MAX, True),
    "item_entries.follow_up": _r("Upaya / tindak lanjut", TEXT_MAX, True),
    "item_entries.manual_justification": _r("Alasan capaian manual", TEXT_MAX, True),
    "item_reviews.comment": _r("Catatan verifikasi", NOTE_MAX, True),
    "evidence.original_name": _r("Nama berkas bukti dukung", FILE_NAME_MAX),
    "stored_files.name": _r("Nama berkas", FILE_NAME_MAX),
    "workbook_imports.file_name": _r("Nama berkas buku kerja", FILE_NAME_MAX),
    "documents.title": _r("Judul dokumen", TITLE_MAX),
    "documents.file_name": _r("Nama berkas dokumen", FILE_NAME_MAX),
    "audit_log.actor": _r("Nama pelaku", NAME_MAX),
    "sops.flowchart_title": _r("Judul bagan alir", TITLE_MAX),
    "item_entries.plausibility_note": _r("Catatan kewajaran", 500, True),
    "indicator_actuals.actual_text": _r("Realisasi (teks)", NAME_MAX),
    "record_versions.reopen_reason": _r("Alasan membuka kembali", NOTE_MAX, True),
    "programmes.code": _r("Kode program", 40),
    "programmes.name": _r("Nama program", LONG_NAME_MAX, True),
}

#: Text columns the program itself fills (codes, hashes, states, JSON records): no label,
#: their column size still bounds them.
INTERNAL_TEXT: frozenset[str] = frozenset({
    "office_profile.paper_size", "people.password_hash", "person_roles.role",
    "settings.key", "settings.value", "stored_files.sha256", "stored_files.mime",
    "stored_file_chunks.sha256", "audit_log.action", "audit_log.entity",
    "audit_log.entity_id", "audit_log.before", "audit_log.after", "indicators.polarity",
    "indicators.formula", "sops.code", "cycles.status", "cycles.sk_file_sha256",
    "sop_steps.kind", "sop_steps.executor", "sop_steps.time_unit", "documents.kind",
    "documents.sha256", "format_specs.fields", "submissions.snapshot",
    "submissions.snapshot_sha256", "workbook_imports.file_sha256", "evidence.sha256",
    "item_entries.state", "item_reviews.action",
    # JSON the program builds from checked choices
    "indicators.plausibility", "format_items.fields", "programmes.activities",
    # the cycle's frozen record and the programmes of a cycle: copies of checked values
    "cycle_records.office_name", "cycle_records.regency", "cycle_records.government",
    "cycle_records.address", "cycle_records.postcode", "cycle_records.phone",
    "cycle_records.email", "cycle_records.logo_name", "cycle_records.signing_place",
    "cycle_records.head_title", "cycle_records.head_name", "cycle_records.head_pangkat",
    "cycle_records.head_nip", "cycle_records.predikat_scale", "item_records.objective_code",
    "item_records.objective_name", "item_records.indicator_code",
    "item_records.indicator_name", "item_records.unit", "item_records.polarity",
    "item_records.formula", "item_records.data_source", "item_records.renstra_target_text",
    "item_records.team_name", "cycle_programmes.code", "cycle_programmes.name",
    "cycle_programmes.team_name", "cycle_programmes.activities",
    # numbers and monitoring choices the program makes (templates live in settings)
    "document_numbers.kind", "document_numbers.number", "document_numbers.subject",
    "monitoring_records.semester", "monitoring_records.assessor_name",
    "monitoring_records.assessor_title", "monitoring_records.assessor_pangkat",
    "monitoring_records.assessor_nip", "record_versions.paper_size",
    # the comparison with earlier years a closing printed (frozen copies of checked values)
    "record_versions.earlier_years",
})


# --------------------------------------------------------------------------- numbers

#: The largest size of any number people enter (10^15, a quadrillion rupiah).
MAX_MAGNITUDE = 1e15
#: The smallest size of a number other than zero (smaller ones make capaian overflow).
MIN_NONZERO = 1e-6
#: The most significant digits a number may have (a double keeps 15 exactly; Excel shows 15).
MAX_SIGNIFICANT = 15
#: A manual capaian in percent.
MAX_MANUAL_ACHIEVEMENT = 1000.0


@dataclass(frozen=True)
class NumberRule:
    label: str
    minimum: float
    maximum: float


ACTUAL = NumberRule("Realisasi", -MAX_MAGNITUDE, MAX_MAGNITUDE)
TARGET = NumberRule("Target", -MAX_MAGNITUDE, MAX_MAGNITUDE)
RENSTRA_TARGET = NumberRule("Target Renstra", -MAX_MAGNITUDE, MAX_MAGNITUDE)
BUDGET = NumberRule("Pagu anggaran", 0.0, MAX_MAGNITUDE)
SPENT = NumberRule("Realisasi anggaran", 0.0, MAX_MAGNITUDE)
MANUAL_ACHIEVEMENT = NumberRule("Capaian manual", 0.0, MAX_MANUAL_ACHIEVEMENT)


#: Every number column people fill in, by "table.column".
NUMBER_RULES: dict[str, NumberRule] = {
    "indicators.renstra_target": RENSTRA_TARGET,
    "indicator_targets.target": TARGET,
    "format_items.target": TARGET,
    "format_items.budget": BUDGET,
    "item_entries.actual": ACTUAL,
    "indicator_actuals.actual": ACTUAL,
    "item_entries.budget": BUDGET,
    "item_entries.spent": SPENT,
    "item_entries.manual_achievement": MANUAL_ACHIEVEMENT,
    "cycle_programmes.budget": BUDGET,
    "cycle_programmes.spent": SPENT,
}


def _plain(number: float) -> str:
    """A bound or a value as Indonesian text; tiny ones with all their decimals."""
    from kinerja_desktop.domain.numbers import format_number

    if number and abs(number) < 0.01:
        text = format(Decimal(repr(number)).normalize(), "f")
        return text.replace(".", ",")
    return format_number(number)


def significant_digits(value: float | Decimal | int) -> int:
    """How many significant digits ``value`` has as written: a Decimal (typed text) as
    typed, trailing zeros not counted (``1.000,50`` → 4); a float by its shortest exact
    decimal form (``0.1`` → 1; a third computed in Excel, ``0.3333333333333333`` → 16)."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(
        value, float) else value)
    if not exact.is_finite() or exact.is_zero():
        return 0 if exact.is_zero() else len(exact.as_tuple().digits)
    return len(exact.normalize().as_tuple().digits)


def number_problem(value: float | Decimal | int | None, rule: NumberRule) -> str | None:
    """Why ``value`` cannot be accepted for ``rule`` (Indonesian), or None when it can."""
    if value is None:
        return None
    if isinstance(value, bool):
        return f"{rule.label} harus berupa angka."
    if isinstance(value, Decimal) and not value.is_finite():
        return f"{rule.label} bukan angka yang sah."
    number = float(value)
    if not math.isfinite(number):
        return f"{rule.label} bukan angka yang sah."
    if number < rule.minimum or number > rule.maximum:
        return (f"{rule.label} di luar rentang yang diizinkan ({_plain(rule.minimum)} sampai "
                f"{_plain(rule.maximum)}).")
    if number != 0 and abs(number) < MIN_NONZERO:
        return (f"{rule.label} terlalu kecil ({_plain(number)}); isi 0 atau angka paling "
                f"sedikit {_plain(MIN_NONZERO)}.")
    digits = significant_digits(value)
    if digits > MAX_SIGNIFICANT:
        return (f"{rule.label} terlalu rinci ({digits} angka penting; paling banyak "
                f"{MAX_SIGNIFICANT}). Bulatkan angkanya.")
    return None


def check_number(value: float | Decimal | int | None, rule: NumberRule) -> None:
    """:class:`ValidationError` when ``value`` is outside ``rule`` (None passes)."""
    problem = number_problem(value, rule)
    if problem is not None:
        raise ValidationError(problem)
