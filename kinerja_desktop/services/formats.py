"""Indicator master (sasaran strategis → indikator) and the format of step 2."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import (
    Cycle,
    FormatItem,
    FormatSpec,
    Indicator,
    IndicatorTarget,
    ItemEntry,
    Objective,
    StepRun,
    Team,
)
from kinerja_desktop.domain.achievement import Formula, Polarity, default_formula
from kinerja_desktop.domain.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from kinerja_desktop.domain.format_fields import FIELDS, Requirement, normalise_requirements
from kinerja_desktop.domain.permissions import Principal, Role, require_role
from kinerja_desktop.domain.plausibility import DEFAULT_RULES, PlausibilityRules
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.services import programmes, record
from kinerja_desktop.services.common import (
    audit,
    check_lengths,
    check_version,
    ensure_open,
    load_principal,
    lock_cycle,
    lock_cycle_of_item,
    one_line,
)
from kinerja_desktop.services.context import ServiceContext, retry_busy
from kinerja_desktop.services.items import ItemRow
from kinerja_desktop.services.record import item_facts

MAX_NAME = 500
#: ``IndicatorInput(programme_id=KEEP_PROGRAMME)`` leaves the indicator's programme as it is.
KEEP_PROGRAMME = -1


@dataclass(frozen=True)
class ObjectiveInfo:
    id: int
    code: str
    name: str
    position: int
    version: int = 0


@dataclass(frozen=True)
class IndicatorInput:
    objective_id: int
    name: str
    unit: str = ""
    polarity: Polarity = Polarity.POSITIF
    formula: Formula | None = None
    qualitative: bool = False
    data_source: str = ""
    team_id: int | None = None
    renstra_target: float | None = None
    renstra_target_text: str = ""
    renstra_year: int | None = None
    code: str = ""
    #: The plausibility rules' settings (None: keep the indicator's, or the defaults).
    plausibility: PlausibilityRules | None = None
    #: The budget programme (None: none; :data:`KEEP_PROGRAMME`: unchanged).
    programme_id: int | None = KEEP_PROGRAMME


@dataclass(frozen=True)
class IndicatorInfo:
    id: int
    objective_id: int
    objective_name: str
    code: str
    name: str
    unit: str
    polarity: Polarity
    formula: Formula
    qualitative: bool
    data_source: str
    team_id: int | None
    team_name: str | None
    renstra_target: float | None
    renstra_target_text: str
    renstra_year: int | None
    active: bool
    plausibility: PlausibilityRules = DEFAULT_RULES
    #: The indicator's row version: what a form saving it passes back.
    version: int = 0
    #: The budget programme it belongs to (at most one).
    programme_id: int | None = None


@dataclass(frozen=True)
class FormatItemInfo:
    id: int
    indicator_id: int
    indicator_name: str
    objective_name: str
    unit: str
    polarity: Polarity
    formula: Formula
    qualitative: bool
    team_id: int | None
    team_name: str | None
    target: float | None
    target_text: str
    budget: float | None
    position: int
    state: ItemState
    data_source: str = ""
    renstra_target: float | None = None
    renstra_target_text: str = ""
    #: Field requirements set for this item alone (field key → wajib/opsional/tidak).
    fields: tuple[tuple[str, str], ...] = ()
    objective_id: int | None = None
    #: The item's row version: what a form saving it passes back.
    version: int = 0


@dataclass(frozen=True)
class TargetInfo:
    indicator_id: int
    year: int
    target: float | None
    target_text: str
    version: int = 0


def _target_info(row: IndicatorTarget) -> TargetInfo:
    return TargetInfo(row.indicator_id, row.year, row.target, row.target_text, row.row_version)


def _can_manage(principal: Principal) -> None:
    if not (principal.has(Role.KASUBAG) or principal.has(Role.ADMIN)):
        raise PermissionDenied("Data indikator hanya dapat diubah oleh Kasubag atau Administrator.")


def _rules(ind: Indicator) -> PlausibilityRules:
    try:
        return PlausibilityRules.from_json(ind.plausibility)
    except ValueError:
        return DEFAULT_RULES


def _audited(info: IndicatorInfo) -> dict:
    """An indicator as the audit log stores it (JSON values only)."""
    audited = {**info.__dict__, "plausibility": info.plausibility.to_json()}
    audited.pop("version")
    return audited


def _indicator_info(ind: Indicator) -> IndicatorInfo:
    return IndicatorInfo(
        ind.id, ind.objective_id, ind.objective.name, ind.code, ind.name, ind.unit,
        Polarity(ind.polarity), Formula(ind.formula), ind.qualitative, ind.data_source,
        ind.team_id, ind.team.name if ind.team else None, ind.renstra_target,
        ind.renstra_target_text, ind.renstra_year, ind.active, _rules(ind), ind.row_version,
        ind.programme_id,
    )


# --------------------------------------------------------------------------- objectives


def list_objectives(ctx: ServiceContext) -> list[ObjectiveInfo]:
    with ctx.read() as session:
        rows = session.scalars(select(Objective).where(Objective.active.is_(True))
                               .order_by(Objective.position, Objective.id))
        return [ObjectiveInfo(o.id, o.code, o.name, o.position, o.row_version) for o in rows]


def get_objective(ctx: ServiceContext, objective_id: int) -> ObjectiveInfo:
    with ctx.read() as session:
        obj = session.get(Objective, objective_id)
        if obj is None:
            raise NotFound("Sasaran strategis tidak ditemukan.")
        return ObjectiveInfo(obj.id, obj.code, obj.name, obj.position, obj.row_version)


def _check_objective(name: str, code: str) -> None:
    if not name:
        raise ValidationError("Nama sasaran strategis wajib diisi.")
    if len(name) > MAX_NAME:
        raise ValidationError(f"Nama sasaran strategis terlalu panjang (maksimal {MAX_NAME}).")
    check_lengths(Objective, code=("Kode sasaran strategis", code.strip()))


@retry_busy
def create_objective(ctx: ServiceContext, actor_id: int, name: str,
                     code: str = "") -> ObjectiveInfo:
    name, code = one_line(name), one_line(code)
    _check_objective(name, code)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        _can_manage(principal)
        position = (session.scalar(select(func.max(Objective.position))) or 0) + 1
        obj = Objective(name=name, code=code.strip(), position=position, active=True)
        session.add(obj)
        session.flush()
        audit(session, ctx.now(), principal, "sasaran.buat", "objective", obj.id,
              after={"nama": name, "kode": obj.code})
        return ObjectiveInfo(obj.id, obj.code, obj.name, obj.position, obj.row_version)


@retry_busy
def update_objective(ctx: ServiceContext, actor_id: int, objective_id: int, name: str,
                     code: str = "", expected_version: int | None = None) -> ObjectiveInfo:
    name, code = one_line(name), one_line(code)
    _check_objective(name, code)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        _can_manage(principal)
        obj = session.get(Objective, objective_id)
        if obj is None:
            raise NotFound("Sasaran strategis tidak ditemukan.")
        check_version(session, obj, expected_version)
        before = {"nama": obj.name, "kode": obj.code}
        obj.name, obj.code = name, code.strip()
        audit(session, ctx.now(), principal, "sasaran.ubah", "objective", obj.id,
              before=before, after={"nama": name, "kode": obj.code})
        session.flush()
        return ObjectiveInfo(obj.id, obj.code, obj.name, obj.position, obj.row_version)


# --------------------------------------------------------------------------- indicators


def _validate_indicator(data: IndicatorInput) -> Formula:
    if not " ".join(data.name.split()):
        raise ValidationError("Nama indikator wajib diisi.")
    if len(data.name) > MAX_NAME:
        raise ValidationError(f"Nama indikator terlalu panjang (maksimal {MAX_NAME} karakter).")
    check_lengths(Indicator, code=("Kode indikator", data.code.strip()),
                  unit=("Satuan", data.unit.strip()),
                  renstra_target_text=("Target akhir Renstra (teks)",
                                       data.renstra_target_text.strip()))
    formula = data.formula or default_formula(data.polarity)
    if data.polarity is Polarity.POSITIF and formula is not Formula.REALISASI_PER_TARGET:
        raise ValidationError("Indikator positif memakai rumus Realisasi ÷ Target.")
    if data.polarity is Polarity.NEGATIF and formula is Formula.REALISASI_PER_TARGET:
        raise ValidationError("Indikator negatif tidak boleh memakai rumus Realisasi ÷ Target.")
    return formula


@retry_busy
def create_indicator(ctx: ServiceContext, actor_id: int, data: IndicatorInput) -> IndicatorInfo:
    formula = _validate_indicator(data)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        _can_manage(principal)
        if session.get(Objective, data.objective_id) is None:
            raise NotFound("Sasaran strategis tidak ditemukan.")
        if data.team_id is not None and session.get(Team, data.team_id) is None:
            raise NotFound("Tim tidak ditemukan.")
        programme_id = None if data.programme_id == KEEP_PROGRAMME else data.programme_id
        programmes.programme_of(session, programme_id)
        position = (session.scalar(select(func.max(Indicator.position))) or 0) + 1
        ind = Indicator(
            objective_id=data.objective_id, code=data.code.strip(),
            name=" ".join(data.name.split()),
            unit=data.unit.strip(), polarity=data.polarity.value, formula=formula.value,
            qualitative=data.qualitative, data_source=data.data_source.strip(),
            team_id=data.team_id, renstra_target=data.renstra_target,
            renstra_target_text=data.renstra_target_text.strip(), renstra_year=data.renstra_year,
            position=position, active=True,
            plausibility=data.plausibility.to_json() if data.plausibility else None,
            programme_id=programme_id,
        )
        session.add(ind)
        session.flush()
        session.refresh(ind)
        audit(session, ctx.now(), principal, "indikator.buat", "indicator", ind.id,
              after={"nama": ind.name, "satuan": ind.unit, "polaritas": ind.polarity,
                     "rumus": ind.formula, "tim": ind.team_id, "program": ind.programme_id})
        return _indicator_info(ind)


@retry_busy
def update_indicator(ctx: ServiceContext, actor_id: int, indicator_id: int,
                     data: IndicatorInput, expected_version: int | None = None) -> IndicatorInfo:
    formula = _validate_indicator(data)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        _can_manage(principal)
        ind = session.get(Indicator, indicator_id)
        if ind is None:
            raise NotFound("Indikator tidak ditemukan.")
        check_version(session, ind, expected_version)
        before = _audited(_indicator_info(ind))
        ind.objective_id, ind.code, ind.name = data.objective_id, data.code.strip(), \
            " ".join(data.name.split())
        ind.unit, ind.polarity, ind.formula = data.unit.strip(), data.polarity.value, formula.value
        ind.qualitative, ind.data_source, ind.team_id = data.qualitative, \
            data.data_source.strip(), data.team_id
        ind.renstra_target, ind.renstra_target_text = data.renstra_target, \
            data.renstra_target_text.strip()
        ind.renstra_year = data.renstra_year
        if data.plausibility is not None:
            ind.plausibility = data.plausibility.to_json()
        if data.programme_id != KEEP_PROGRAMME:
            if data.programme_id != ind.programme_id:
                programmes.programme_of(session, data.programme_id)
            ind.programme_id = data.programme_id
        session.flush()
        session.refresh(ind)
        info = _indicator_info(ind)
        audit(session, ctx.now(), principal, "indikator.ubah", "indicator", ind.id,
              before=before, after=_audited(info))
        return info


def list_indicators(ctx: ServiceContext, include_inactive: bool = False) -> list[IndicatorInfo]:
    """Every (active) indicator in master order; one Core query (thousands of rows)."""
    query = (select(Indicator.id, Indicator.objective_id, Objective.name, Indicator.code,
                    Indicator.name, Indicator.unit, Indicator.polarity, Indicator.formula,
                    Indicator.qualitative, Indicator.data_source, Indicator.team_id, Team.name,
                    Indicator.renstra_target, Indicator.renstra_target_text,
                    Indicator.renstra_year, Indicator.active, Indicator.plausibility,
                    Indicator.row_version, Indicator.programme_id)
             .join(Objective, Objective.id == Indicator.objective_id)
             .outerjoin(Team, Team.id == Indicator.team_id)
             .order_by(Objective.position, Indicator.position))
    if not include_inactive:
        query = query.where(Indicator.active.is_(True))
    with ctx.read() as session:
        result = []
        for (ind_id, objective_id, objective, code, name, unit, polarity, formula, qualitative,
             source, team_id, team, renstra, renstra_text, renstra_year, active,
             plausibility, version, programme_id) in session.execute(query):
            try:
                rules = PlausibilityRules.from_json(plausibility)
            except ValueError:
                rules = DEFAULT_RULES
            result.append(IndicatorInfo(
                ind_id, objective_id, objective, code, name, unit, Polarity(polarity),
                Formula(formula), qualitative, source, team_id, team, renstra, renstra_text,
                renstra_year, active, rules, version, programme_id))
        return result


@retry_busy
def set_target(ctx: ServiceContext, actor_id: int, indicator_id: int, year: int,
               target: float | None, target_text: str = "",
               expected_version: int | None = None) -> None:
    """Set an indicator's yearly target. ``expected_version``: the target's version the
    form loaded (0: there was none)."""
    check_lengths(IndicatorTarget, target_text=("Target (teks)", target_text.strip()))
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        _can_manage(principal)
        ind = session.get(Indicator, indicator_id)
        if ind is None:
            raise NotFound("Indikator tidak ditemukan.")
        # Two PCs setting the first target of a year at once: one row, the second waits.
        ctx.lock(session, f"kinerja-desktop:target:{indicator_id}:{year}")
        row = session.scalar(select(IndicatorTarget).where(
            IndicatorTarget.indicator_id == indicator_id, IndicatorTarget.year == year))
        if row is not None:
            check_version(session, row, expected_version)
        elif expected_version:
            raise ConflictError("Target ini baru saja dihapus oleh pengguna lain; muat ulang.")
        before = {"target": row.target, "target_teks": row.target_text} if row else None
        if row is None:
            row = IndicatorTarget(indicator_id=indicator_id, year=year)
            session.add(row)
        row.target, row.target_text = target, target_text.strip()
        audit(session, ctx.now(), principal, "indikator.target", "indicator", indicator_id,
              before=before, after={"tahun": year, "target": target, "target_teks": target_text})


def targets_for_year(ctx: ServiceContext, year: int) -> dict[int, TargetInfo]:
    """The yearly targets set in the indicator master, by indicator id."""
    with ctx.read() as session:
        rows = session.execute(
            select(IndicatorTarget.indicator_id, IndicatorTarget.target,
                   IndicatorTarget.target_text, IndicatorTarget.row_version)
            .where(IndicatorTarget.year == year))
        return {ind: TargetInfo(ind, year, target, text, version)
                for ind, target, text, version in rows}


def indicator_targets(ctx: ServiceContext, indicator_id: int) -> list[TargetInfo]:
    """Every yearly target of one indicator, oldest first."""
    with ctx.read() as session:
        rows = session.scalars(select(IndicatorTarget)
                               .where(IndicatorTarget.indicator_id == indicator_id)
                               .order_by(IndicatorTarget.year))
        return [_target_info(r) for r in rows]


def get_indicator(ctx: ServiceContext, indicator_id: int,
                  year: int | None = None) -> tuple[IndicatorInfo, TargetInfo | None]:
    """One indicator as stored now, with its target of ``year`` (None: not set)."""
    with ctx.read() as session:
        ind = session.get(Indicator, indicator_id)
        if ind is None:
            raise NotFound("Indikator tidak ditemukan.")
        row = target_for(session, indicator_id, year) if year is not None else None
        return _indicator_info(ind), _target_info(row) if row is not None else None


@retry_busy
def set_indicator_active(ctx: ServiceContext, actor_id: int, indicator_id: int,
                         active: bool) -> IndicatorInfo:
    """Retire an indicator (kept for past years) or bring it back."""
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        _can_manage(principal)
        ind = session.get(Indicator, indicator_id)
        if ind is None:
            raise NotFound("Indikator tidak ditemukan.")
        before = ind.active
        ind.active = active
        audit(session, ctx.now(), principal, "indikator.aktif", "indicator", ind.id,
              before={"aktif": before}, after={"aktif": active})
        session.flush()
        return _indicator_info(ind)


@retry_busy
def copy_targets_from_previous_year(ctx: ServiceContext, actor_id: int, year: int) -> int:
    """"Salin dari tahun lalu" in the indicator master: last year's targets become this
    year's where this year has none. Returns how many targets were set."""
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        _can_manage(principal)
        ctx.lock(session, f"kinerja-desktop:target-tahun:{year}")
        previous = {r.indicator_id: r for r in session.scalars(
            select(IndicatorTarget).where(IndicatorTarget.year == year - 1))}
        if not previous:
            raise NotFound(f"Tidak ada target tahun {year - 1} untuk disalin.")
        existing = set(session.scalars(select(IndicatorTarget.indicator_id)
                                       .where(IndicatorTarget.year == year)))
        added = 0
        for ind_id, old in previous.items():
            ind = session.get(Indicator, ind_id)
            if ind_id in existing or ind is None or not ind.active:
                continue
            session.add(IndicatorTarget(indicator_id=ind_id, year=year, target=old.target,
                                        target_text=old.target_text))
            added += 1
        audit(session, ctx.now(), principal, "indikator.salin_target", "indicator", None,
              after={"dari_tahun": year - 1, "ke_tahun": year, "jumlah": added})
        return added


def target_for(session: Session, indicator_id: int, year: int) -> IndicatorTarget | None:
    return session.scalar(select(IndicatorTarget).where(
        IndicatorTarget.indicator_id == indicator_id, IndicatorTarget.year == year))


# --------------------------------------------------------------------------- format (step 2)


def _format_editable(session: Session, ctx: ServiceContext, principal: Principal,
                     cycle_id: int) -> Cycle:
    """The format may change while step 2 runs; editing starts step 2. Locks the cycle
    (finishing step 2 checks the format under the same lock)."""
    from kinerja_desktop.services import cycles

    cycle = lock_cycle(session, cycle_id)
    ensure_open(cycle)
    run = session.scalar(select(StepRun).where(StepRun.cycle_id == cycle_id,
                                               StepRun.step_number == 2))
    if run is None:
        raise ConflictError("Format belum dapat disusun: langkah 1 belum selesai.")
    if run.finished_at is not None:
        raise ConflictError("Format sudah final (langkah 2 selesai) dan tidak dapat diubah.")
    cycles.start_step_in(session, ctx, principal, cycle, 2, None)
    return cycle


def _spec(session: Session, cycle_id: int, now) -> FormatSpec:
    spec = session.scalar(select(FormatSpec).where(FormatSpec.cycle_id == cycle_id))
    if spec is None:
        spec = FormatSpec(cycle_id=cycle_id, version=1,
                          fields={k: v.value for k, v in normalise_requirements(None).items()},
                          updated_at=now)
        session.add(spec)
        session.flush()
    return spec


def field_requirements(ctx: ServiceContext, cycle_id: int) -> dict[str, str]:
    with ctx.read() as session:
        spec = session.scalar(select(FormatSpec).where(FormatSpec.cycle_id == cycle_id))
        fields = normalise_requirements(spec.fields if spec else None)
        return {k: v.value for k, v in fields.items()}


@retry_busy
def set_field_requirements(ctx: ServiceContext, actor_id: int, cycle_id: int,
                           fields: dict[str, str]) -> dict[str, str]:
    """Set what the teams must fill in; returns every field's requirement as stored now.

    Fields not named in ``fields`` keep their stored choice, so two Kasubags choosing
    different fields at once (each choice saved as it is made) both count."""
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.KASUBAG, "Menyusun format")
        _format_editable(session, ctx, principal, cycle_id)
        spec = _spec(session, cycle_id, ctx.now())
        before = dict(spec.fields)
        merged = {**spec.fields, **fields}
        spec.fields = {k: v.value for k, v in normalise_requirements(merged).items()}
        spec.version += 1
        spec.updated_at = ctx.now()
        audit(session, ctx.now(), principal, "format.isian", "format", cycle_id,
              before=before, after=spec.fields)
        return dict(spec.fields)


def _item_info(item: FormatItem | ItemRow) -> FormatItemInfo:
    facts = item_facts(item)  # the cycle's record once the format was sent
    state = ItemState(item.entry.state) if item.entry else ItemState.DRAFT
    return FormatItemInfo(
        item.id, item.indicator_id, facts.indicator_name, facts.objective_name, facts.unit,
        Polarity(facts.polarity), Formula(facts.formula), facts.qualitative, item.team_id,
        facts.team_name if item.team_id is not None else None,
        item.target, item.target_text, item.budget, item.position, state,
        facts.data_source, facts.renstra_target, facts.renstra_target_text,
        tuple(sorted((item.fields or {}).items())), facts.objective_id, item.row_version,
    )


def _add_in(session: Session, ctx: ServiceContext, principal: Principal, cycle: Cycle,
            indicator_id: int, team_id: int | None = None, target: float | None = None,
            target_text: str | None = None, budget: float | None = None) -> FormatItem:
    """Put one indicator in the format inside the caller's transaction (audited)."""
    ind = session.get(Indicator, indicator_id)
    if ind is None:
        raise NotFound("Indikator tidak ditemukan.")
    if session.scalar(select(FormatItem.id).where(FormatItem.cycle_id == cycle.id,
                                                  FormatItem.indicator_id == indicator_id)):
        raise ConflictError(f"Indikator '{ind.name}' sudah ada dalam format.")
    if team_id is None:
        team_id = ind.team_id
    if team_id is not None and session.get(Team, team_id) is None:
        raise NotFound("Tim tidak ditemukan.")
    yearly = target_for(session, indicator_id, cycle.year)
    if target is None and yearly is not None:
        target = yearly.target
    if target_text is None:
        target_text = yearly.target_text if yearly else ""
    position = (session.scalar(select(func.max(FormatItem.position))
                               .where(FormatItem.cycle_id == cycle.id)) or 0) + 1
    item = FormatItem(cycle_id=cycle.id, indicator_id=indicator_id, team_id=team_id,
                      position=position, target=target, target_text=target_text.strip(),
                      budget=budget)
    item.entry = ItemEntry(state=ItemState.DRAFT.value)
    session.add(item)
    session.flush()
    audit(session, ctx.now(), principal, "format.tambah", "format_item", item.id,
          after={"indikator": ind.name, "tim": team_id, "target": target})
    return item


@retry_busy
def add_to_format(ctx: ServiceContext, actor_id: int, cycle_id: int, indicator_id: int,
                  team_id: int | None = None, target: float | None = None,
                  target_text: str | None = None, budget: float | None = None) -> FormatItemInfo:
    """Put an indicator in the cycle's format; team and target default from the master."""
    if target_text is not None:
        check_lengths(FormatItem, target_text=("Target (teks)", target_text.strip()))
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.KASUBAG, "Menyusun format")
        cycle = _format_editable(session, ctx, principal, cycle_id)
        item = _add_in(session, ctx, principal, cycle, indicator_id, team_id, target,
                       target_text, budget)
        _spec(session, cycle_id, ctx.now())
        session.flush()
        session.refresh(item)
        return _item_info(item)


@retry_busy
def add_many_to_format(ctx: ServiceContext, actor_id: int, cycle_id: int,
                       indicator_ids: list[int]) -> int:
    """Put several indicators in the format at once (one transaction, each audited);
    team and target come from the master. Returns how many were added."""
    if not indicator_ids:
        raise ValidationError("Belum ada indikator yang dipilih.")
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.KASUBAG, "Menyusun format")
        cycle = _format_editable(session, ctx, principal, cycle_id)
        for indicator_id in dict.fromkeys(indicator_ids):
            _add_in(session, ctx, principal, cycle, indicator_id)
        _spec(session, cycle_id, ctx.now())
        return len(dict.fromkeys(indicator_ids))


#: ``update_format_items(team_id=KEEP_TEAM)`` leaves each item's team as it is.
KEEP_TEAM = -1
#: In ``update_format_items(fields=...)``: the item follows the format's choice again.
FOLLOW_FORMAT = "format"


@retry_busy
def update_format_items(ctx: ServiceContext, actor_id: int, item_ids: list[int], *,
                        team_id: int | None = KEEP_TEAM,
                        fields: dict[str, str] | None = None) -> int:
    """Set the team and/or field requirements of many format items in one action.

    ``team_id``: the team (None: no team yet; :data:`KEEP_TEAM`: unchanged).
    ``fields``: field key → "wajib" / "opsional" / "tidak" for these items alone, or
    :data:`FOLLOW_FORMAT` to follow the format's choice again; fields not named stay as
    they are. Realisasi is always required. One transaction; each item audited on its
    own. Returns how many items changed.
    """
    if not item_ids:
        raise ValidationError("Belum ada indikator yang dipilih.")
    known = {f.key for f in FIELDS}
    for key, value in (fields or {}).items():
        if key not in known:
            raise ValidationError(f"Isian '{key}' tidak dikenal.")
        if value != FOLLOW_FORMAT and value not in {r.value for r in Requirement}:
            raise ValidationError(f"Pilihan '{value}' untuk isian {key} tidak dikenal.")
        if key == "realisasi" and value not in (FOLLOW_FORMAT, Requirement.REQUIRED.value):
            raise ValidationError("Realisasi selalu wajib diisi.")
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.KASUBAG, "Menyusun format")
        items = session.scalars(select(FormatItem).where(FormatItem.id.in_(item_ids))).all()
        if len(items) != len(set(item_ids)):
            raise NotFound("Sebagian butir format tidak ditemukan; segarkan layar (F5).")
        if len({i.cycle_id for i in items}) != 1:
            raise ValidationError("Butir yang dipilih berasal dari siklus yang berbeda.")
        _format_editable(session, ctx, principal, items[0].cycle_id)
        if team_id not in (KEEP_TEAM, None) and session.get(Team, team_id) is None:
            raise NotFound("Tim tidak ditemukan.")
        changed = 0
        for item in items:
            before = {"tim": item.team_id, "isian": dict(item.fields or {})}
            overrides = dict(item.fields or {})
            for key, value in (fields or {}).items():
                if value == FOLLOW_FORMAT or key == "realisasi":
                    overrides.pop(key, None)
                else:
                    overrides[key] = value
            new_team = item.team_id if team_id == KEEP_TEAM else team_id
            after = {"tim": new_team, "isian": overrides}
            if after == before:
                continue
            item.team_id, item.fields = new_team, (overrides or None)
            audit(session, ctx.now(), principal, "format.ubah", "format_item", item.id,
                  before=before, after=after)
            changed += 1
        return changed


@retry_busy
def update_format_item(ctx: ServiceContext, actor_id: int, item_id: int, team_id: int | None,
                       target: float | None, target_text: str = "",
                       budget: float | None = None,
                       expected_version: int | None = None) -> FormatItemInfo:
    """Change a format item's team, target or pagu while step 2 runs.
    ``expected_version``: :attr:`FormatItemInfo.version` as the form loaded it."""
    check_lengths(FormatItem, target_text=("Target (teks)", target_text.strip()))
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.KASUBAG, "Menyusun format")
        cycle = lock_cycle_of_item(session, item_id)
        _format_editable(session, ctx, principal, cycle.id)
        item = session.get(FormatItem, item_id)
        if item is None:
            raise NotFound("Butir format tidak ditemukan.")
        check_version(session, item, expected_version)
        if team_id is not None and session.get(Team, team_id) is None:
            raise NotFound("Tim tidak ditemukan.")
        before = {"tim": item.team_id, "target": item.target, "target_teks": item.target_text,
                  "pagu": item.budget}
        item.team_id, item.target, item.target_text, item.budget = team_id, target, \
            target_text.strip(), budget
        session.flush()
        session.refresh(item)
        audit(session, ctx.now(), principal, "format.ubah", "format_item", item.id, before=before,
              after={"tim": team_id, "target": target, "target_teks": target_text, "pagu": budget})
        return _item_info(item)


@retry_busy
def remove_from_format(ctx: ServiceContext, actor_id: int, item_id: int) -> None:
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.KASUBAG, "Menyusun format")
        cycle = lock_cycle_of_item(session, item_id)
        _format_editable(session, ctx, principal, cycle.id)
        item = session.get(FormatItem, item_id)
        if item is None:
            raise NotFound("Butir format tidak ditemukan.")
        audit(session, ctx.now(), principal, "format.hapus", "format_item", item.id,
              before={"indikator": item.indicator.name, "tim": item.team_id})
        session.delete(item)


def format_items(ctx: ServiceContext, cycle_id: int,
                 team_id: int | None = None) -> list[FormatItemInfo]:
    """The cycle's format (one team's with ``team_id``) in one Core query: the format
    builder lists every team's items, thousands in a large office."""
    facts = record.Columns  # the cycle's record once the format was sent, else the master
    query = (record.join_facts(
        select(FormatItem.id, Indicator.id, facts.indicator_name, facts.objective_name,
               facts.unit, facts.polarity, facts.formula, facts.qualitative,
               FormatItem.team_id, facts.team_name, FormatItem.target, FormatItem.target_text,
               FormatItem.budget, FormatItem.position, ItemEntry.state,
               facts.data_source, facts.renstra_target, facts.renstra_target_text,
               FormatItem.fields, Indicator.objective_id, FormatItem.row_version)
        .select_from(FormatItem))
             .outerjoin(ItemEntry, ItemEntry.item_id == FormatItem.id)
             .where(FormatItem.cycle_id == cycle_id)
             .order_by(facts.objective_position, FormatItem.position))
    if team_id is not None:
        query = query.where(FormatItem.team_id == team_id)
    polarities = {p.value: p for p in Polarity}
    formulas = {f.value: f for f in Formula}
    states = {s.value: s for s in ItemState}
    with ctx.read() as session:
        return [FormatItemInfo(
            item_id, ind_id, name, objective, unit, polarities[polarity], formulas[formula],
            qualitative, team, team_name, target, target_text, budget, position,
            states[state or ItemState.DRAFT.value], source, renstra, renstra_text,
            tuple(sorted((fields or {}).items())), objective_id, version)
            for (item_id, ind_id, name, objective, unit, polarity, formula, qualitative, team,
                 team_name, target, target_text, budget, position, state, source, renstra,
                 renstra_text, fields, objective_id, version) in session.execute(query)]


def format_final(ctx: ServiceContext, cycle_id: int) -> bool:
    """True once step 2 finished: the format no longer changes."""
    with ctx.read() as session:
        return bool(session.scalar(select(func.count()).select_from(StepRun).where(
            StepRun.cycle_id == cycle_id, StepRun.step_number == 2,
            StepRun.finished_at.is_not(None))))


def get_format_item(ctx: ServiceContext, item_id: int) -> FormatItemInfo:
    with ctx.read() as session:
        item = session.get(FormatItem, item_id)
        if item is None:
            raise NotFound("Butir format tidak ditemukan.")
        return _item_info(item)


@retry_busy
def copy_from_previous_year(ctx: ServiceContext, actor_id: int, cycle_id: int) -> int:
    """"Salin dari tahun lalu": the previous cycle's indicators and teams, with this
    year's targets where set (else last year's). Returns how many were added."""
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.KASUBAG, "Menyusun format")
        cycle = _format_editable(session, ctx, principal, cycle_id)
        previous = session.scalar(select(Cycle).where(Cycle.year < cycle.year)
                                  .order_by(Cycle.year.desc(), Cycle.id.desc()).limit(1))
        if previous is None:
            raise NotFound("Tidak ada siklus tahun sebelumnya untuk disalin.")
        existing = set(session.scalars(select(FormatItem.indicator_id)
                                       .where(FormatItem.cycle_id == cycle_id)))
        old_items = session.scalars(select(FormatItem).where(FormatItem.cycle_id == previous.id)
                                    .order_by(FormatItem.position)).all()
        position = (session.scalar(select(func.max(FormatItem.position))
                                   .where(FormatItem.cycle_id == cycle_id)) or 0)
        added = 0
        for old in old_items:
            if old.indicator_id in existing or not old.indicator.active:
                continue
            yearly = target_for(session, old.indicator_id, cycle.year)
            position += 1
            item = FormatItem(
                cycle_id=cycle_id, indicator_id=old.indicator_id, team_id=old.team_id,
                position=position,
                target=yearly.target if yearly else old.target,
                target_text=(yearly.target_text if yearly else old.target_text),
                budget=old.budget,
            )
            item.entry = ItemEntry(state=ItemState.DRAFT.value)
            session.add(item)
            added += 1
        old_spec = session.scalar(select(FormatSpec).where(FormatSpec.cycle_id == previous.id))
        spec = _spec(session, cycle_id, ctx.now())
        if old_spec is not None:
            spec.fields = dict(old_spec.fields)
        audit(session, ctx.now(), principal, "format.salin_tahun_lalu", "format", cycle_id,
              after={"dari_tahun": previous.year, "jumlah": added})
        return added
