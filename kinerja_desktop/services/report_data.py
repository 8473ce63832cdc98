"""Everything a printed document needs, gathered from the database into frozen dataclasses.

The renderers (``kinerja_desktop.reports``, reportlab) and the Excel export
(``kinerja_desktop.spreadsheets.compiled_workbook``, openpyxl) consume these
dataclasses; neither touches the ORM. This API is kept stable.

Entry points (each opens one read session; no permission check: reading is open to
every logged-in user, the actions that archive documents check roles themselves):

- :func:`compiled_report_data` (ctx, cycle_id) -> :class:`CompiledReportData`:
  the Dokumen Data Kinerja (step 7).
- :func:`sop_sheet_data` (ctx, sop_id=None) -> :class:`SopSheetData` (current SOP when None).
- :func:`monitoring_data` (ctx, cycle_id) -> :class:`MonitoringData`: step timings.
- :func:`receipt_data` (ctx, submission_id) -> :class:`ReceiptData`: tanda terima.
- :func:`verification_record_data` (ctx, cycle_id, team_id=None) ->
  :class:`VerificationRecordData`: berita acara verifikasi.

Conventions:

- Numbers are ``Decimal`` (or None) next to a ready-to-print Indonesian ``*_label``
  (``"86,67"``, ``"1.234,5"``, ``"Rp125.000.000,00"``). Labels never print a silent
  0: a value that cannot be computed prints its reason (``"Tidak dapat dihitung:
  Target bernilai 0"``) and its ``*_value`` is None.
- Times are aware UTC datetimes; ``*_label`` texts are WITA local time.
- ``CompiledReportData.objectives`` holds the measurement table grouped by sasaran
  strategis (objective order, then format order); items are numbered 1..n through
  the whole document (``ItemRow.number``).
- ``ItemRow.history`` has one :class:`PreviousYearValue` per year in
  ``CompiledReportData.previous_years`` (oldest first; at most three earlier yearly
  cycles), with ``"-"`` labels where the indicator was not in that year's format.
- ``ItemRow.renstra`` is the progress against the Renstra end target (same formula as
  the indicator's achievement, realisasi of this year against the Renstra target).
- ``budget_rows`` lists every item with a pagu or realisasi anggaran; ``budget_total``
  sums them (serapan of the sums).
- ``verification`` is the verification record of the cycle (every review event of
  every item, per team summaries).
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import (
    Cycle,
    FormatItem,
    Indicator,
    ItemEntry,
    ItemReview,
    Objective,
    OfficeProfile,
    Person,
    PersonRole,
    Sop,
    StepRun,
    Submission,
    Team,
)
from kinerja_desktop.domain.achievement import (
    Absorption,
    Achievement,
    Formula,
    PredikatScale,
    budget_absorption,
    compute_achievement,
)
from kinerja_desktop.domain.errors import NotFound
from kinerja_desktop.domain.numbers import (
    format_date_long,
    format_number,
    to_decimal,
)
from kinerja_desktop.domain.people import NipError, find_pangkat, format_nip
from kinerja_desktop.domain.permissions import Role
from kinerja_desktop.domain.review import ItemState, ReviewAction
from kinerja_desktop.domain.sop import SopDefinition
from kinerja_desktop.domain.timing import WITA, StepStatus, evaluate, format_duration
from kinerja_desktop.services.context import ServiceContext

__all__ = [
    "BudgetRow",
    "BudgetTotal",
    "CompiledReportData",
    "CycleBlock",
    "ItemRow",
    "MonitoringData",
    "ObjectiveSection",
    "OfficeBlock",
    "PreviousYearValue",
    "ReceiptData",
    "ReceiptItem",
    "RenstraProgress",
    "ReportSummary",
    "ReviewEvent",
    "Signatory",
    "SopSheetData",
    "StepTimingRow",
    "TeamVerification",
    "VerificationRecordData",
    "compiled_report_data",
    "paused_gc",
    "monitoring_data",
    "receipt_data",
    "sop_sheet_data",
    "verification_record_data",
]

NOT_AVAILABLE = "-"
ACTION_LABELS = {
    ReviewAction.SUBMITTED.value: "Diserahkan",
    ReviewAction.RETURNED.value: "Dikembalikan",
    ReviewAction.VERIFIED.value: "Diverifikasi",
    ReviewAction.COMMENT.value: "Komentar",
    ReviewAction.CORRECTED.value: "Diperbaiki",
}


# --------------------------------------------------------------------------- blocks


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


@dataclass(frozen=True)
class PreviousYearValue:
    year: int
    actual_value: Decimal | None
    actual_label: str
    achievement_value: Decimal | None
    achievement_label: str


@dataclass(frozen=True)
class RenstraProgress:
    target_value: Decimal | None
    target_label: str  # "-" when the indicator has no Renstra target
    year: int | None
    progress_value: Decimal | None
    progress_label: str  # "86,67" or "Tidak dapat dihitung: ..." or "-"


@dataclass(frozen=True)
class ItemRow:
    """One indicator of the cycle with its data, achievement and analysis."""

    item_id: int
    number: int
    indicator_id: int
    code: str
    name: str
    unit: str
    team_id: int | None
    team_name: str
    polarity: str
    qualitative: bool
    formula_label: str
    target_value: Decimal | None
    target_label: str
    actual_value: Decimal | None
    actual_label: str
    achievement: Achievement
    achievement_value: Decimal | None
    achievement_label: str  # "86,67" (no % sign: the column says "(%)") or the reason
    predikat: str  # "" when not computable
    reached: bool | None  # achievement >= 100; None when not computable
    state: str
    state_label: str
    explanation: str
    supporting: str
    inhibiting: str
    follow_up: str
    budget_value: Decimal | None
    spent_value: Decimal | None
    absorption: Absorption
    history: tuple[PreviousYearValue, ...]
    renstra: RenstraProgress


@dataclass(frozen=True)
class ObjectiveSection:
    id: int
    code: str
    name: str
    items: tuple[ItemRow, ...]
    average_value: Decimal | None  # mean of the computable achievements
    average_label: str
    predikat: str


@dataclass(frozen=True)
class ReportSummary:
    indicator_count: int
    computable_count: int
    reached_count: int
    not_reached_count: int
    not_computable_count: int
    predikat_counts: tuple[tuple[str, int], ...]  # every band of the scale, highest first
    average_value: Decimal | None
    average_label: str
    average_predikat: str


@dataclass(frozen=True)
class BudgetRow:
    number: int
    objective_name: str
    indicator_name: str
    team_name: str
    budget_value: Decimal | None
    budget_label: str
    spent_value: Decimal | None
    spent_label: str
    absorption: Absorption
    absorption_label: str  # "86,67" or the reason


@dataclass(frozen=True)
class BudgetTotal:
    budget_value: Decimal
    budget_label: str
    spent_value: Decimal
    spent_label: str
    absorption: Absorption
    absorption_label: str


@dataclass(frozen=True)
class ReviewEvent:
    at: datetime
    at_label: str
    team_name: str
    indicator_name: str
    person: str
    action: str
    action_label: str
    comment: str


@dataclass(frozen=True)
class TeamVerification:
    team_id: int
    team_name: str
    item_count: int
    verified_count: int
    returned_count: int  # items returned at least once
    verifiers: tuple[str, ...]
    last_verified_at: datetime | None
    last_verified_label: str
    submission_count: int
    last_submission_sha256: str


@dataclass(frozen=True)
class VerificationRecordData:
    office: OfficeBlock
    cycle: CycleBlock
    team_id: int | None  # None: every team
    teams: tuple[TeamVerification, ...]
    events: tuple[ReviewEvent, ...]
    returned: tuple[ReviewEvent, ...]  # the "dikembalikan" events with their reasons
    verifier: Signatory
    acknowledger: Signatory  # "Mengetahui": Sekretaris (Ketua Tim Penyusun), else head
    generated_at: datetime
    signing_date_label: str


@dataclass(frozen=True)
class CompiledReportData:
    office: OfficeBlock
    cycle: CycleBlock
    title: str  # "DOKUMEN DATA KINERJA"
    subtitle: str  # "TAHUN 2025"
    summary: ReportSummary
    objectives: tuple[ObjectiveSection, ...]
    previous_years: tuple[int, ...]
    budget_rows: tuple[BudgetRow, ...]
    budget_total: BudgetTotal
    verification: VerificationRecordData
    predikat_scale: PredikatScale
    generated_at: datetime
    signing_date_label: str  # "9 Januari 2017"

    @property
    def items(self) -> tuple[ItemRow, ...]:
        return tuple(item for section in self.objectives for item in section.items)


@dataclass(frozen=True)
class SopSheetData:
    office: OfficeBlock
    sop_id: int
    sop_version: int
    definition: SopDefinition
    made_on_label: str
    revised_on_label: str
    effective_on_label: str
    executors: tuple[tuple[str, str], ...]  # swimlanes: (role value, column label)


@dataclass(frozen=True)
class StepTimingRow:
    step_number: int
    activity: str
    executor_label: str
    team_name: str  # "" for steps done once
    standard_label: str  # "60 Menit"
    ready_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    started_label: str
    finished_label: str
    used_label: str  # "1 jam 25 menit", "12,5 hari kerja", "-"
    status: StepStatus
    status_label: str
    ok: bool | None  # finished on time; None when not finished
    note: str
    done_by: str


@dataclass(frozen=True)
class MonitoringData:
    office: OfficeBlock
    cycle: CycleBlock
    sop_name: str
    sop_number: str
    steps: tuple[tuple[int, str, str], ...]  # (number, kegiatan, mutu baku waktu)
    rows: tuple[StepTimingRow, ...]
    evaluator: Signatory  # Kasubag (else head)
    generated_at: datetime
    signing_date_label: str


@dataclass(frozen=True)
class ReceiptItem:
    number: int
    indicator_name: str
    unit: str
    target_label: str
    actual_label: str
    achievement_label: str
    evidence_count: int


@dataclass(frozen=True)
class ReceiptData:
    office: OfficeBlock
    cycle: CycleBlock
    submission_id: int
    team_name: str
    version: int
    submitted_at: datetime
    submitted_label: str
    snapshot_sha256: str
    item_count: int
    evidence_count: int
    items: tuple[ReceiptItem, ...]
    change_count: int
    submitter: Signatory  # "Yang menyerahkan"
    receiver: Signatory  # "Yang menerima" (Kasubag)
    signing_date_label: str


# --------------------------------------------------------------------------- helpers

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


_Q4 = Decimal("0.0001")


def _dec(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return to_decimal(value).quantize(_Q4).normalize()


def _num_label(value: Decimal | None, text: str = "") -> str:
    if value is not None:
        return fast_number(value)
    return text.strip() or NOT_AVAILABLE


def achievement_text(ach: Achievement) -> str:
    """``"86,67"`` (manual: ``"86,67 (manual)"``) or ``"Tidak dapat dihitung: alasan"``."""
    if ach.value is None:
        return f"Tidak dapat dihitung: {ach.reason}"
    text = fast_number(ach.value, 2)
    return f"{text} (manual)" if ach.manual else text


def absorption_text(absorption: Absorption) -> str:
    if absorption.value is None:
        return f"Tidak dapat dihitung: {absorption.reason}"
    return fast_number(absorption.value, 2)


def _pangkat_printed(text: str) -> str:
    found = find_pangkat(text) if text else None
    return found.printed if found else text


def _nip_label(nip: str | None) -> str:
    try:
        return format_nip(nip)
    except NipError:
        return nip or ""


def _signatory(title: str, person: Person | None) -> Signatory:
    if person is None:
        return Signatory(title, "", "", "")
    return Signatory(title, person.name, _pangkat_printed(person.pangkat), _nip_label(person.nip))


def _office(session: Session) -> OfficeBlock:
    row = session.get(OfficeProfile, 1)
    if row is None:
        raise NotFound("Profil kantor belum diisi; lengkapi dahulu di Pengaturan ▸ Kantor.")
    head = Signatory(row.head_title, row.head_name, _pangkat_printed(row.head_pangkat),
                     _nip_label(row.head_nip))
    return OfficeBlock(row.name, row.regency, row.government, row.address, row.postcode,
                       row.phone, row.email, row.logo, row.logo_name, row.signing_place,
                       row.paper_size or "A4", head)


def _cycle(session: Session, cycle_id: int) -> Cycle:
    cycle = session.get(Cycle, cycle_id)
    if cycle is None:
        raise NotFound("Siklus tidak ditemukan.")
    return cycle


def _cycle_block(cycle: Cycle) -> CycleBlock:
    label = f"Tahun {cycle.year}" + (f" Triwulan {cycle.quarter}" if cycle.quarter else "")
    return CycleBlock(cycle.id, cycle.year, cycle.quarter, label, cycle.status, cycle.sk_number,
                      cycle.sk_date, format_date_long(cycle.sk_date), cycle.sk_issuer,
                      cycle.sop_id, cycle.sop.version)


def _role_holder(session: Session, role: Role) -> Person | None:
    return session.scalar(
        select(Person).join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role == role.value, Person.active.is_(True)).order_by(Person.id).limit(1))


def _jabatan_title(person: Person | None, fallback: str) -> str:
    return (person.jabatan.strip() if person and person.jabatan.strip() else fallback)


def _load_scale(session: Session) -> PredikatScale:
    from kinerja_desktop.db.models import Setting
    from kinerja_desktop.domain.achievement import DEFAULT_PREDIKAT_SCALE

    row = session.get(Setting, "predikat_scale")
    return PredikatScale.from_json(row.value) if row else DEFAULT_PREDIKAT_SCALE


def _average(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"))


def _local_label(dt: datetime | None) -> str:
    return fast_datetime(dt) if dt is not None else NOT_AVAILABLE


# --------------------------------------------------------------------------- compiled report


_ITEM_COLUMNS = (
    FormatItem.id, FormatItem.target, FormatItem.target_text, FormatItem.budget,
    FormatItem.team_id,
    Indicator.id, Indicator.code, Indicator.name, Indicator.unit, Indicator.polarity,
    Indicator.formula, Indicator.qualitative, Indicator.renstra_target,
    Indicator.renstra_target_text, Indicator.renstra_year,
    Objective.id, Objective.code, Objective.name,
    ItemEntry.id, ItemEntry.actual, ItemEntry.actual_text, ItemEntry.budget, ItemEntry.spent,
    ItemEntry.explanation, ItemEntry.supporting, ItemEntry.inhibiting, ItemEntry.follow_up,
    ItemEntry.manual_achievement, ItemEntry.manual_justification, ItemEntry.state,
    Team.name,
)
_ROW_TEAM_ID = 4  # position of FormatItem.team_id in _ITEM_COLUMNS
_ROW_STATE = 29  # position of ItemEntry.state (None without an entry)


def _item_rows(session: Session, cycle_id: int) -> list[tuple]:
    """One plain tuple per format item of a cycle (the columns of ``_ITEM_COLUMNS``), in
    document order: objective order, then format order. Entry columns are None for an
    item without an entry, the team name None for an item without a team."""
    query = (
        select(*_ITEM_COLUMNS)
        .select_from(FormatItem)
        .join(Indicator, Indicator.id == FormatItem.indicator_id)
        .join(Objective, Objective.id == Indicator.objective_id)
        .outerjoin(ItemEntry, ItemEntry.item_id == FormatItem.id)
        .outerjoin(Team, Team.id == FormatItem.team_id)
        .where(FormatItem.cycle_id == cycle_id)
        .order_by(Objective.position, Objective.id, FormatItem.position, FormatItem.id)
    )
    # Core execution: plain rows without the ORM's per-row result processing.
    return [tuple(row) for row in session.connection().execute(query)]


class _Labels:
    """Conversions and labels of one document, each computed once per distinct value.

    A document of thousands of indicators repeats the same targets, percentages and
    amounts many times; Decimal arithmetic and formatting are done once per value.
    """

    def __init__(self, scale: PredikatScale) -> None:
        self.scale = scale
        self._exact: dict[float, Decimal] = {}
        self._numbers: dict[Decimal, str] = {}
        self._money: dict[Decimal, str] = {}
        self._percent: dict[Decimal, str] = {}
        self._predikat: dict[Decimal, str] = {}
        self._formulas: dict[str, Formula] = {}
        self._states: dict[str, str] = {}

    def exact(self, value: float | None) -> Decimal | None:
        """The stored number as Decimal (as :func:`compute_achievement` converts it)."""
        if value is None:
            return None
        result = self._exact.get(value)
        if result is None:
            result = self._exact[value] = to_decimal(value)
        return result

    def number(self, value: Decimal | None, text: str = "") -> str:
        """As :func:`_num_label` for a value already rounded by :func:`_dec`."""
        if value is None:
            return text.strip() or NOT_AVAILABLE
        label = self._numbers.get(value)
        if label is None:
            label = self._numbers[value] = fast_number(value)
        return label

    def money(self, value: Decimal | None) -> str:
        if value is None:
            return NOT_AVAILABLE
        label = self._money.get(value)
        if label is None:
            label = self._money[value] = fast_money(value)
        return label

    def achievement(self, ach: Achievement) -> str:
        """As :func:`achievement_text`."""
        if ach.value is None or ach.manual:
            return achievement_text(ach)
        label = self._percent.get(ach.value)
        if label is None:
            label = self._percent[ach.value] = fast_number(ach.value, 2)
        return label

    def absorption(self, absorption: Absorption) -> str:
        """As :func:`absorption_text`."""
        if absorption.value is None:
            return absorption_text(absorption)
        label = self._percent.get(absorption.value)
        if label is None:
            label = self._percent[absorption.value] = fast_number(absorption.value, 2)
        return label

    def predikat(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        label = self._predikat.get(value)
        if label is None:
            label = self._predikat[value] = self.scale.classify(value) or ""
        return label

    def formula(self, text: str) -> Formula:
        formula = self._formulas.get(text)
        if formula is None:
            formula = self._formulas[text] = Formula(text)
        return formula

    def state(self, value: str) -> str:
        label = self._states.get(value)
        if label is None:
            label = self._states[value] = ItemState(value).label
        return label


def _rounded(exact: Decimal | None) -> Decimal | None:
    """As :func:`_dec`, from the exact Decimal."""
    return None if exact is None else exact.quantize(_Q4).normalize()


def _previous(session: Session, cycle: Cycle, indicator_ids: set[int], labels: _Labels
              ) -> tuple[tuple[int, ...], dict[tuple[int, int], PreviousYearValue]]:
    earlier = session.execute(
        select(Cycle.id, Cycle.year).where(Cycle.year < cycle.year, Cycle.quarter.is_(None))
        .order_by(Cycle.year.desc()).limit(3)).all()
    years = tuple(sorted(year for _id, year in earlier))
    values: dict[tuple[int, int], PreviousYearValue] = {}
    for old_id, old_year in earlier:
        for (_item_id, target, _tt, _b, _team_id, ind_id, _code, _name, _unit, _pol, formula,
             qualitative, _rt, _rtt, _ry, _oid, _ocode, _oname, entry_id, actual_f,
             actual_text, _eb, _es, _ex, _sup, _inh, _fol, manual, justification, _state,
             _team) in _item_rows(session, old_id):
            if ind_id not in indicator_ids:
                continue
            has_entry = entry_id is not None
            actual_exact = labels.exact(actual_f) if has_entry else None
            ach = compute_achievement(
                labels.exact(target), actual_exact, labels.formula(formula),
                qualitative=qualitative, manual_value=manual if has_entry else None,
                manual_justification=(justification or None) if has_entry else None)
            actual = _rounded(actual_exact)
            values[(ind_id, old_year)] = PreviousYearValue(
                old_year, actual, labels.number(actual, actual_text if has_entry else ""),
                ach.value, labels.achievement(ach))
    return years, values


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


def compiled_report_data(ctx: ServiceContext, cycle_id: int) -> CompiledReportData:
    """All content of the Dokumen Data Kinerja of a cycle."""
    with paused_gc():
        return _compiled_report_data(ctx, cycle_id)


def _compiled_report_data(ctx: ServiceContext, cycle_id: int) -> CompiledReportData:
    now = ctx.now()
    with ctx.read() as session:
        office = _office(session)
        cycle = _cycle(session, cycle_id)
        block = _cycle_block(cycle)
        scale = _load_scale(session)
        labels = _Labels(scale)
        rows = _item_rows(session, cycle.id)
        indicator_ids = {row[5] for row in rows}
        years, previous = _previous(session, cycle, indicator_ids, labels)
        missing_years = {y: PreviousYearValue(y, None, NOT_AVAILABLE, None, NOT_AVAILABLE)
                         for y in years}
        no_renstra = RenstraProgress(None, NOT_AVAILABLE, None, None, NOT_AVAILABLE)
        exact, number, money = labels.exact, labels.number, labels.money

        sections: list[ObjectiveSection] = []
        budget_rows: list[BudgetRow] = []
        current: list[ItemRow] = []
        current_obj: tuple[int, str, str] | None = None
        number_ = 0

        def close_section() -> None:
            if current_obj is None:
                return
            avg = _average([r.achievement_value for r in current
                            if r.achievement_value is not None])
            sections.append(ObjectiveSection(
                current_obj[0], current_obj[1], current_obj[2], tuple(current), avg,
                fast_number(avg, 2) if avg is not None else NOT_AVAILABLE,
                scale.classify(avg) or ""))

        for (item_id, item_target, target_text, item_budget, team_id, ind_id, code, name, unit,
             polarity, formula_text, qualitative, renstra_target, renstra_text, renstra_year,
             obj_id, obj_code, obj_name, entry_id, actual_f, actual_text, entry_budget, spent_f,
             explanation, supporting, inhibiting, follow_up, manual, justification, state,
             team_name) in rows:
            if current_obj is None or obj_id != current_obj[0]:
                close_section()
                current = []
                current_obj = (obj_id, obj_code, obj_name)
            number_ += 1
            has_entry = entry_id is not None
            formula = labels.formula(formula_text)
            target_exact = exact(item_target)
            actual_exact = exact(actual_f) if has_entry else None
            justification = (justification or None) if has_entry else None
            ach = compute_achievement(
                target_exact, actual_exact, formula, qualitative=qualitative,
                manual_value=manual if has_entry else None, manual_justification=justification)
            target = _rounded(target_exact)
            actual = _rounded(actual_exact)
            budget = _rounded(exact(entry_budget if has_entry and entry_budget is not None
                                    else item_budget))
            spent = _rounded(exact(spent_f)) if has_entry else None
            absorption = budget_absorption(budget, spent)
            if renstra_target is not None or renstra_text.strip():
                r_ach = compute_achievement(
                    exact(renstra_target), actual_exact, formula, qualitative=qualitative,
                    manual_justification=justification)
                r_target = _rounded(exact(renstra_target))
                renstra = RenstraProgress(
                    r_target, number(r_target, renstra_text), renstra_year,
                    r_ach.value, labels.achievement(r_ach))
            else:
                renstra = no_renstra
            history = tuple(previous.get((ind_id, y)) or missing_years[y] for y in years)
            if not has_entry:
                state = "draf"
                actual_text = explanation = supporting = inhibiting = follow_up = ""
            row = ItemRow(
                item_id, number_, ind_id, code, name, unit, team_id,
                team_name or "", polarity, qualitative, ach.formula_label(),
                target, number(target, target_text),
                actual, number(actual, actual_text),
                ach, ach.value, labels.achievement(ach), labels.predikat(ach.value),
                None if ach.value is None else ach.value >= 100,
                state, labels.state(state),
                explanation, supporting, inhibiting, follow_up,
                budget, spent, absorption, history, renstra)
            current.append(row)
            if budget is not None or spent is not None:
                budget_rows.append(BudgetRow(
                    len(budget_rows) + 1, obj_name, name, team_name or "",
                    budget, money(budget), spent, money(spent),
                    absorption, labels.absorption(absorption)))
        close_section()

        all_items = [r for s in sections for r in s.items]
        computable = [r for r in all_items if r.achievement_value is not None]
        counts = defaultdict(int)
        for r in computable:
            counts[r.predikat] += 1
        avg = _average([r.achievement_value for r in computable])
        summary = ReportSummary(
            len(all_items), len(computable), sum(1 for r in computable if r.reached),
            sum(1 for r in computable if not r.reached), len(all_items) - len(computable),
            tuple((band.label, counts.get(band.label, 0)) for band in scale.bands),
            avg, fast_number(avg, 2) if avg is not None else NOT_AVAILABLE,
            scale.classify(avg) or "")
        total_budget = sum((r.budget_value for r in budget_rows if r.budget_value is not None),
                           Decimal(0))
        total_spent = sum((r.spent_value for r in budget_rows if r.spent_value is not None),
                          Decimal(0))
        total_abs = budget_absorption(total_budget, total_spent)
        total = BudgetTotal(total_budget, fast_money(total_budget), total_spent,
                            fast_money(total_spent), total_abs, absorption_text(total_abs))
        verification = _verification(session, office, cycle, block, None, now,
                                     [(row[_ROW_TEAM_ID], row[_ROW_STATE]) for row in rows])
        title_suffix = f"TAHUN {cycle.year}" + (f" TRIWULAN {cycle.quarter}"
                                                 if cycle.quarter else "")
        return CompiledReportData(
            office, block, "DOKUMEN DATA KINERJA", title_suffix, summary, tuple(sections),
            years, tuple(budget_rows), total, verification, scale, now, format_date_long(now))


# --------------------------------------------------------------------------- verification


def _verification(session: Session, office: OfficeBlock, cycle: Cycle, block: CycleBlock,
                  team_id: int | None, now: datetime,
                  item_states: list[tuple[int | None, str | None]] | None = None
                  ) -> VerificationRecordData:
    """The verification record; ``item_states`` (team id, entry state or None) of every
    item of the cycle when the caller already read them (every team only)."""
    query = (
        select(ItemReview.at, ItemReview.item_id, ItemReview.action, ItemReview.comment,
               FormatItem.team_id, Indicator.name, Person.name)
        .join(FormatItem, FormatItem.id == ItemReview.item_id)
        .join(Indicator, Indicator.id == FormatItem.indicator_id)
        .outerjoin(Person, Person.id == ItemReview.person_id)
        .where(FormatItem.cycle_id == cycle.id)
        .order_by(ItemReview.at, ItemReview.id)
    )
    if team_id is not None:
        query = query.where(FormatItem.team_id == team_id)
    team_names: dict[int, str] = {}
    order: dict[int, tuple[int, str]] = {}
    for tid, name, position in session.execute(select(Team.id, Team.name, Team.position)):
        team_names[tid] = name
        order[tid] = (position, name)
    events: list[ReviewEvent] = []
    per_team: dict[int, dict] = {}
    if item_states is None or team_id is not None:
        item_query = select(FormatItem.team_id, ItemEntry.state).outerjoin(
            ItemEntry, ItemEntry.item_id == FormatItem.id).where(FormatItem.cycle_id == cycle.id)
        if team_id is not None:
            item_query = item_query.where(FormatItem.team_id == team_id)
        item_states = session.execute(item_query).all()
    for tid, state in item_states:
        if tid is None:
            continue
        info = per_team.setdefault(tid, {"items": 0, "verified": 0, "returned": set(),
                                         "verifiers": [], "last": None})
        info["items"] += 1
        if state == "diverifikasi":
            info["verified"] += 1
    at_labels: dict[datetime, str] = {}  # many events share a time (bulk verification)
    rows = session.connection().execute(query)  # Core rows: no ORM result processing
    for at, item_id, action, comment, tid, ind_name, person_name in rows:
        at_label = at_labels.get(at)
        if at_label is None:
            at_label = at_labels[at] = fast_datetime(at)
        events.append(ReviewEvent(
            at, at_label, team_names.get(tid, ""), ind_name, person_name or "",
            action, ACTION_LABELS.get(action, action), comment))
        if tid is None or tid not in per_team:
            continue
        info = per_team[tid]
        if action == ReviewAction.RETURNED:
            info["returned"].add(item_id)
        elif action == ReviewAction.VERIFIED:
            if person_name and person_name not in info["verifiers"]:
                info["verifiers"].append(person_name)
            info["last"] = at
    subs: dict[int, list[str]] = defaultdict(list)  # snapshot hashes by version
    for sub_team, sha in session.execute(
            select(Submission.team_id, Submission.snapshot_sha256)
            .where(Submission.cycle_id == cycle.id).order_by(Submission.version)):
        subs[sub_team].append(sha)
    teams = tuple(
        TeamVerification(
            tid, team_names.get(tid, ""), info["items"], info["verified"], len(info["returned"]),
            tuple(info["verifiers"]), info["last"], _local_label(info["last"]),
            len(subs.get(tid, [])), subs[tid][-1] if subs.get(tid) else "")
        for tid, info in sorted(per_team.items(), key=lambda kv: order.get(kv[0], (0, "")))
    )
    kasubag = _role_holder(session, Role.KASUBAG)
    sekretaris = _role_holder(session, Role.SEKRETARIS)
    verifier = _signatory(_jabatan_title(kasubag, "Kepala Sub Bagian Perencanaan, Pelaporan "
                                                  "dan Keuangan"), kasubag)
    acknowledger = (_signatory(_jabatan_title(sekretaris, "Sekretaris"), sekretaris)
                    if sekretaris else office.head)
    # A record of completed verification carries the day it was completed, not the day
    # it happens to be printed; while items are still open it is dated today.
    finished = [t.last_verified_at for t in teams]
    if teams and all(t.verified_count == t.item_count for t in teams) and all(finished):
        now = max(finished)
    return VerificationRecordData(
        office, block, team_id, teams, tuple(events),
        tuple(e for e in events if e.action == ReviewAction.RETURNED), verifier, acknowledger,
        now, format_date_long(now))


def verification_record_data(ctx: ServiceContext, cycle_id: int,
                             team_id: int | None = None) -> VerificationRecordData:
    """The berita acara verifikasi of a cycle (of one team when ``team_id`` is given)."""
    now = ctx.now()
    with ctx.read() as session:
        office = _office(session)
        cycle = _cycle(session, cycle_id)
        if team_id is not None and session.get(Team, team_id) is None:
            raise NotFound("Tim tidak ditemukan.")
        return _verification(session, office, cycle, _cycle_block(cycle), team_id, now)


# --------------------------------------------------------------------------- SOP


EXECUTOR_COLUMNS = {
    Role.SEKRETARIS: "Sekretaris",
    Role.KASUBAG: "Kasubag Perencanaan, Pelaporan dan Keuangan",
    Role.TIM: "Tim Penyusun Data",
}


def sop_sheet_data(ctx: ServiceContext, sop_id: int | None = None) -> SopSheetData:
    """The SOP sheet of one SOP version (the current one when ``sop_id`` is None)."""
    from kinerja_desktop.services.sops import definition_of

    with ctx.read() as session:
        office = _office(session)
        if sop_id is None:
            sop = session.scalar(select(Sop).where(Sop.is_current.is_(True))
                                 .order_by(Sop.id.desc()).limit(1))
        else:
            sop = session.get(Sop, sop_id)
        if sop is None:
            raise NotFound("SOP tidak ditemukan.")
        defn = definition_of(sop)
        lanes: list[tuple[str, str]] = []
        for role in (Role.SEKRETARIS, Role.KASUBAG, Role.TIM):
            if any(s.executor is role for s in defn.steps):
                lanes.append((role.value, EXECUTOR_COLUMNS[role]))
        for step in defn.steps:
            if step.executor.value not in [v for v, _ in lanes]:
                lanes.append((step.executor.value, step.executor.label))

        def label(d: date | None) -> str:
            return format_date_long(d) if d else NOT_AVAILABLE

        return SopSheetData(office, sop.id, sop.version, defn, label(defn.made_on),
                            label(defn.revised_on), label(defn.effective_on), tuple(lanes))


# --------------------------------------------------------------------------- monitoring


def monitoring_data(ctx: ServiceContext, cycle_id: int) -> MonitoringData:
    """Standard vs actual time of every step (per team for steps 3–6) of a cycle."""
    from kinerja_desktop.db.models import OfficeDayOff
    from kinerja_desktop.domain.timing import WorkCalendar
    from kinerja_desktop.services.sops import definition_of

    now = ctx.now()
    with ctx.read() as session:
        office = _office(session)
        cycle = _cycle(session, cycle_id)
        defn = definition_of(cycle.sop)
        calendar = WorkCalendar(office_days_off=session.scalars(select(OfficeDayOff.day)).all(),
                                calendar_days=cycle.sop.calendar_days)
        runs = session.scalars(select(StepRun).where(StepRun.cycle_id == cycle.id)).all()
        team_order = {t.id: (t.position, t.name) for t in session.scalars(select(Team))}
        names = dict(session.execute(select(Person.id, Person.name)).all())
        by_step: dict[int, list[StepRun]] = defaultdict(list)
        for run in runs:
            by_step[run.step_number].append(run)
        rows: list[StepTimingRow] = []
        for step in defn.steps:
            step_runs = sorted(by_step.get(step.number, []),
                               key=lambda r: team_order.get(r.team_id, (0, "")))
            if not step_runs:
                timing = evaluate(step.time, None, None, None, now, calendar)
                rows.append(StepTimingRow(
                    step.number, step.activity, EXECUTOR_COLUMNS.get(step.executor,
                                                                     step.executor.label),
                    "", step.time.label(), None, None, None, NOT_AVAILABLE, NOT_AVAILABLE,
                    NOT_AVAILABLE, timing.status, timing.status.label, None, "", ""))
                continue
            for run in step_runs:
                timing = evaluate(step.time, run.ready_at, run.started_at, run.finished_at,
                                  now, calendar)
                used = NOT_AVAILABLE
                if timing.used is not None:
                    used = (format_duration(timing.work) if step.time.unit.value != "hari"
                            else timing.used_label(step.time.unit,
                                                   calendar_days=calendar.calendar_days))
                ok = None if not timing.status.is_finished else \
                    timing.status is StepStatus.SELESAI_TEPAT_WAKTU
                who = names.get(run.finished_by_id) or names.get(run.started_by_id) or ""
                rows.append(StepTimingRow(
                    step.number, step.activity,
                    EXECUTOR_COLUMNS.get(step.executor, step.executor.label),
                    team_order.get(run.team_id, (0, ""))[1] if run.team_id else "",
                    step.time.label(), run.ready_at, run.started_at, run.finished_at,
                    _local_label(run.started_at), _local_label(run.finished_at), used,
                    timing.status, timing.status.label, ok, run.note, who))
        kasubag = _role_holder(session, Role.KASUBAG)
        evaluator = (_signatory(_jabatan_title(kasubag, "Kepala Sub Bagian Perencanaan, "
                                                        "Pelaporan dan Keuangan"), kasubag)
                     if kasubag else office.head)
        return MonitoringData(
            office, _cycle_block(cycle), defn.name, defn.number,
            tuple((s.number, s.activity, s.time.label()) for s in defn.steps), tuple(rows),
            evaluator, now, format_date_long(now))


# --------------------------------------------------------------------------- receipt


def receipt_data(ctx: ServiceContext, submission_id: int) -> ReceiptData:
    """The tanda terima of one submission (a frozen version of a team's data)."""
    now = ctx.now()
    with ctx.read() as session:
        office = _office(session)
        sub = session.get(Submission, submission_id)
        if sub is None:
            raise NotFound("Penyerahan data tidak ditemukan.")
        cycle = _cycle(session, sub.cycle_id)
        team = session.get(Team, sub.team_id)
        submitter = session.get(Person, sub.submitted_by_id)
        kasubag = _role_holder(session, Role.KASUBAG)
        items = []
        for n, row in enumerate(sub.snapshot.get("items", []), start=1):
            target = _dec(row.get("target"))
            actual = _dec(row.get("actual"))
            ach = row.get("achievement")
            if ach is not None:
                ach_label = fast_number(Decimal(ach), 2)
            else:
                ach_label = "Tidak dapat dihitung"
            items.append(ReceiptItem(
                n, row.get("indicator", ""), row.get("unit", ""),
                _num_label(target, row.get("target_text", "")),
                _num_label(actual, row.get("actual_text", "")), ach_label,
                len(row.get("evidence") or [])))
        previous = session.scalar(
            select(Submission).where(Submission.cycle_id == sub.cycle_id,
                                     Submission.team_id == sub.team_id,
                                     Submission.version < sub.version)
            .order_by(Submission.version.desc()).limit(1))
        from kinerja_desktop.services.submissions import diff_snapshots

        changes = diff_snapshots(previous.snapshot if previous else None, sub.snapshot)
        return ReceiptData(
            office, _cycle_block(cycle), sub.id, team.name if team else "", sub.version,
            sub.submitted_at, fast_datetime(sub.submitted_at), sub.snapshot_sha256,
            len(items), sub.evidence_count, tuple(items), len(changes),
            _signatory(f"Ketua {team.name}" if team else "Tim Penyusun Data", submitter),
            _signatory(_jabatan_title(kasubag, "Kepala Sub Bagian Perencanaan, Pelaporan "
                                               "dan Keuangan"), kasubag),
            format_date_long(sub.submitted_at.astimezone(WITA).date() if sub.submitted_at
                             else now))
