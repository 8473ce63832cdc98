"""The Dokumen Data Kinerja (step 7): measurement by objective, summary, earlier
years, Renstra progress, budget, and the verification record it includes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import (
    Cycle,
    CycleProgramme,
    FormatItem,
    Indicator,
    ItemEntry,
    Objective,
    RecordVersion,
)
from kinerja_desktop.domain.achievement import (
    Absorption,
    Achievement,
    Formula,
    PredikatScale,
    budget_absorption,
    compute_achievement,
)
from kinerja_desktop.domain.numbers import format_date_long, to_decimal
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.services.common import CLOSED
from kinerja_desktop.services.context import ServiceContext
from kinerja_desktop.services.document_data.common import (
    ENTERED_PLACES,
    NOT_AVAILABLE,
    CycleBlock,
    OfficeBlock,
    absorption_text,
    achievement_text,
    average,
    cycle_block,
    fast_entered,
    fast_money,
    fast_number,
    load_cycle,
    load_scale,
    office_block,
    paused_gc,
)
from kinerja_desktop.services.document_data.earlier_years import (
    PreviousYearValue,
    compared_years,
    thaw,
)
from kinerja_desktop.services.document_data.verification_record import (
    VerificationRecordData,
    verification_record,
)
from kinerja_desktop.services.earlier_years import actuals_before
from kinerja_desktop.services.record import Columns, join_facts


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
    formula_marker: str = ""  # "R/T", "(2T−R)/T", "T/R", "Manual" or "Kualitatif"


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
    """One programme of the cycle's budget table (its pagu counted once)."""

    number: int
    code: str
    programme_name: str
    team_name: str
    budget_value: Decimal | None
    budget_label: str
    spent_value: Decimal | None
    spent_label: str
    absorption: Absorption
    absorption_label: str  # "86,67" or the reason

    @property
    def label(self) -> str:
        """"2.13.02 Program Penataan Desa"."""
        return f"{self.code} {self.programme_name}".strip()


@dataclass(frozen=True)
class BudgetTotal:
    budget_value: Decimal
    budget_label: str
    spent_value: Decimal
    spent_label: str
    absorption: Absorption
    absorption_label: str


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
    generated_at: datetime  # the closing time of a closed cycle, else the time of printing
    signing_date_label: str  # "9 Januari 2017"
    #: Before closing (step 7) the document is a draft: DRAF, status, no signature.
    draft: bool = False
    status_label: str = ""  # "9 dari 13 indikator diverifikasi"
    revision: int | None = None  # None for a draft; 0 for the first closing
    version_label: str = ""  # "" for the first closing, "Revisi 1", "Revisi 2", ...
    #: What the budget section says when the cycle has no programme (official wording).
    budget_empty_label: str = ""

    @property
    def items(self) -> tuple[ItemRow, ...]:
        return tuple(item for section in self.objectives for item in section.items)




# Indicator, objective and team as the cycle's record has them (services.record).
_ITEM_COLUMNS = (
    FormatItem.id, FormatItem.target, FormatItem.target_text, FormatItem.budget,
    FormatItem.team_id,
    Indicator.id, Columns.indicator_code, Columns.indicator_name, Columns.unit,
    Columns.polarity, Columns.formula, Columns.qualitative, Columns.renstra_target,
    Columns.renstra_target_text, Columns.renstra_year,
    Objective.id, Columns.objective_code, Columns.objective_name,
    ItemEntry.id, ItemEntry.actual, ItemEntry.actual_text, ItemEntry.budget, ItemEntry.spent,
    ItemEntry.explanation, ItemEntry.supporting, ItemEntry.inhibiting, ItemEntry.follow_up,
    ItemEntry.manual_achievement, ItemEntry.manual_justification, ItemEntry.state,
    Columns.team_name,
)
_ROW_TEAM_ID = 4  # position of FormatItem.team_id in _ITEM_COLUMNS
_ROW_STATE = 29  # position of ItemEntry.state (None without an entry)


def _item_rows(session: Session, cycle_id: int) -> list[tuple]:
    """One plain tuple per format item of a cycle (the columns of ``_ITEM_COLUMNS``), in
    document order: objective order, then format order. Entry columns are None for an
    item without an entry, the team name None for an item without a team."""
    query = (
        join_facts(select(*_ITEM_COLUMNS).select_from(FormatItem))
        .outerjoin(ItemEntry, ItemEntry.item_id == FormatItem.id)
        .where(FormatItem.cycle_id == cycle_id)
        .order_by(Columns.objective_position, Objective.id, FormatItem.position, FormatItem.id)
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
        """As :func:`number_label` for a value from :func:`_rounded` (as entered)."""
        if value is None:
            return text.strip() or NOT_AVAILABLE
        label = self._numbers.get(value)
        if label is None:
            label = self._numbers[value] = fast_entered(value)
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
    """As :func:`to_dec`, from the exact Decimal."""
    return None if exact is None else exact.quantize(ENTERED_PLACES, ROUND_HALF_UP).normalize()


def _previous(session: Session, cycle: Cycle, indicator_ids: set[int], labels: _Labels,
              as_of: datetime | None = None, typed_years: bool = True
              ) -> tuple[tuple[int, ...], dict[tuple[int, int], PreviousYearValue]]:
    """The last three earlier years with data, and per (indicator, year) its value: the
    realisasi of that year's cycle in the application when it holds one, else the
    realisasi typed in the indicator master (unless ``typed_years`` is False). For a final
    document (``as_of`` its closing) only the cycles that existed when it was closed
    count."""
    query = select(Cycle.id, Cycle.year).where(Cycle.year < cycle.year,
                                               Cycle.quarter.is_(None))
    if as_of is not None:
        query = query.where(Cycle.created_at <= as_of)
    earlier = session.execute(query).all()
    typed = actuals_before(session, indicator_ids, cycle.year) if typed_years else {}
    years = compared_years((year for _id, year in earlier), (year for _i, year in typed))
    values: dict[tuple[int, int], PreviousYearValue] = {}
    for old_id, old_year in earlier:
        if old_year not in years:
            continue
        for (_item_id, target, _tt, _b, _team_id, ind_id, _code, _name, _unit, _pol, formula,
             qualitative, _rt, _rtt, _ry, _oid, _ocode, _oname, entry_id, actual_f,
             actual_text, _eb, _es, _ex, _sup, _inh, _fol, manual, justification, _state,
             _team) in _item_rows(session, old_id):
            if ind_id not in indicator_ids or entry_id is None:
                continue
            if actual_f is None and not (actual_text or "").strip() and manual is None:
                continue  # nothing realised in that cycle: a typed value may stand in
            actual_exact = labels.exact(actual_f)
            ach = compute_achievement(
                labels.exact(target), actual_exact, labels.formula(formula),
                qualitative=qualitative, manual_value=manual,
                manual_justification=justification or None)
            actual = _rounded(actual_exact)
            values[(ind_id, old_year)] = PreviousYearValue(
                old_year, actual, labels.number(actual, actual_text),
                ach.value, labels.achievement(ach))
    for (ind_id, year), (actual_f, actual_text) in typed.items():
        if year in years and (ind_id, year) not in values:
            actual = _rounded(labels.exact(actual_f))
            values[(ind_id, year)] = PreviousYearValue(
                year, actual, labels.number(actual, actual_text), None, NOT_AVAILABLE)
    return years, values


@dataclass(frozen=True)
class Closing:
    """One closing of a cycle (step 7 finished): the version a final document prints."""

    revision: int  # 0 for the first closing, N for "Revisi N"
    closed_at: datetime
    signed_on: date | None  # chosen when compiling; None: the day of closing (WITA)
    #: The comparison with earlier years it printed (``earlier_years.freeze``); None
    #: while compiling it, and for closings made before it was kept.
    earlier_years: dict | None = None
    #: Closed before the comparison was frozen (and before earlier-year realisasi could
    #: be typed): it compared with the earlier cycles only, and still does.
    before_freezing: bool = False

    @property
    def version_label(self) -> str:
        return f"Revisi {self.revision}" if self.revision else ""

    @property
    def signing_date(self) -> date | datetime:
        return self.signed_on or self.closed_at


def latest_closing(session: Session, cycle: Cycle) -> Closing | None:
    """The closing a closed cycle prints (None while it is open: a draft)."""
    if cycle.status != CLOSED:
        return None
    version = session.scalar(select(RecordVersion).where(RecordVersion.cycle_id == cycle.id)
                             .order_by(RecordVersion.revision.desc()).limit(1))
    if version is None:  # closed before versions were kept and never compiled
        return Closing(0, cycle.finished_at or cycle.created_at, None, before_freezing=True)
    return Closing(version.revision, version.closed_at, version.signed_on,
                   version.earlier_years, before_freezing=version.earlier_years is None)


def compiled_report_data(ctx: ServiceContext, cycle_id: int,
                         closing: Closing | None = None) -> CompiledReportData:
    """All content of the Dokumen Data Kinerja of a cycle: the final document of its
    ``closing`` (default: its latest one when closed), else a draft."""
    with paused_gc():
        return _compiled_report_data(ctx, cycle_id, closing)


def _compiled_report_data(ctx: ServiceContext, cycle_id: int,
                          closing: Closing | None) -> CompiledReportData:
    now = ctx.now()
    with ctx.read() as session:
        cycle = load_cycle(session, cycle_id)
        return build_compiled_report(session, cycle, closing or latest_closing(session, cycle),
                                     now)


def no_programmes_sentence(cycle: Cycle) -> str:
    """The budget section of a cycle without programmes, as an official document says it."""
    period = f"Tahun Anggaran {cycle.year}" + (f" Triwulan {cycle.quarter}"
                                               if cycle.quarter else "")
    return (f"Pada {period} tidak terdapat pagu dan realisasi anggaran per program yang "
            "dilaporkan.")


def _budget_rows(session: Session, cycle_id: int, labels: _Labels) -> list[BudgetRow]:
    """The cycle's programmes as it recorded them (code, name, pagu, realisasi): one row
    per programme, so a pagu is counted once however many indicators it funds."""
    rows = session.execute(
        select(CycleProgramme.code, CycleProgramme.name, CycleProgramme.team_name,
               CycleProgramme.budget, CycleProgramme.spent)
        .where(CycleProgramme.cycle_id == cycle_id)
        .order_by(CycleProgramme.code, CycleProgramme.position, CycleProgramme.id)).all()
    result = []
    for number_, (code, name, team_name, budget_f, spent_f) in enumerate(rows, start=1):
        budget, spent = _rounded(labels.exact(budget_f)), _rounded(labels.exact(spent_f))
        absorption = budget_absorption(budget, spent)
        result.append(BudgetRow(number_, code, name, team_name, budget, labels.money(budget),
                                spent, labels.money(spent), absorption,
                                labels.absorption(absorption)))
    return result


def build_compiled_report(session: Session, cycle: Cycle, closing: Closing | None,
                          now: datetime) -> CompiledReportData:
    """The document's content read in ``session`` (the closing transaction of step 7
    reads it in its own); final for a ``closing``, else a draft printed at ``now``."""
    with paused_gc():
        office = office_block(session, cycle)
        block = cycle_block(cycle)
        if closing is not None:
            now = closing.closed_at  # a final document shows its closing, on any day
        scale = load_scale(session, cycle)
        labels = _Labels(scale)
        rows = _item_rows(session, cycle.id)
        indicator_ids = {row[5] for row in rows}
        if closing is not None and closing.earlier_years is not None:
            years, previous = thaw(closing.earlier_years)  # as the closing printed it
        else:
            years, previous = _previous(
                session, cycle, indicator_ids, labels,
                closing.closed_at if closing is not None else None,
                typed_years=closing is None or not closing.before_freezing)
        missing_years = {y: PreviousYearValue(y, None, NOT_AVAILABLE, None, NOT_AVAILABLE)
                         for y in years}
        no_renstra = RenstraProgress(None, NOT_AVAILABLE, None, None, NOT_AVAILABLE)
        exact, number = labels.exact, labels.number

        sections: list[ObjectiveSection] = []
        budget_rows = _budget_rows(session, cycle.id, labels)
        current: list[ItemRow] = []
        current_obj: tuple[int, str, str] | None = None
        number_ = 0

        def close_section() -> None:
            if current_obj is None:
                return
            avg = average([r.achievement_value for r in current
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
                budget, spent, absorption, history, renstra,
                formula_marker=ach.marker(qualitative))
            current.append(row)
        close_section()

        all_items = [r for s in sections for r in s.items]
        computable = [r for r in all_items if r.achievement_value is not None]
        counts = defaultdict(int)
        for r in computable:
            counts[r.predikat] += 1
        avg = average([r.achievement_value for r in computable])
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
        verification = verification_record(session, office, cycle, block, None, now,
                                     [(row[_ROW_TEAM_ID], row[_ROW_STATE]) for row in rows])
        title_suffix = f"TAHUN {cycle.year}" + (f" TRIWULAN {cycle.quarter}"
                                                 if cycle.quarter else "")
        verified = sum(1 for row in rows if row[_ROW_STATE] == ItemState.VERIFIED.value)
        status = f"{verified} dari {len(rows)} indikator diverifikasi"
        signing = closing.signing_date if closing is not None else now
        return CompiledReportData(
            office, block, "DOKUMEN DATA KINERJA", title_suffix, summary, tuple(sections),
            years, tuple(budget_rows), total, verification, scale, now,
            format_date_long(signing), draft=closing is None, status_label=status,
            revision=closing.revision if closing is not None else None,
            version_label=closing.version_label if closing is not None else "",
            budget_empty_label="" if budget_rows else no_programmes_sentence(cycle))
