"""Indicator master (sasaran strategis → indikator) and the format of step 2."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

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
from kinerja_desktop.domain.format_fields import normalise_requirements
from kinerja_desktop.domain.permissions import Principal, Role, require_role
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.services.common import audit, cycle_for_change, load_principal
from kinerja_desktop.services.context import ServiceContext
from kinerja_desktop.services.record import item_facts

MAX_NAME = 500


@dataclass(frozen=True)
class ObjectiveInfo:
    id: int
    code: str
    name: str
    position: int


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


@dataclass(frozen=True)
class TargetInfo:
    indicator_id: int
    year: int
    target: float | None
    target_text: str


def _can_manage(principal: Principal) -> None:
    if not (principal.has(Role.KASUBAG) or principal.has(Role.ADMIN)):
        raise PermissionDenied("Data indikator hanya dapat diubah oleh Kasubag atau Administrator.")


def _indicator_info(ind: Indicator) -> IndicatorInfo:
    return IndicatorInfo(
        ind.id, ind.objective_id, ind.objective.name, ind.code, ind.name, ind.unit,
        Polarity(ind.polarity), Formula(ind.formula), ind.qualitative, ind.data_source,
        ind.team_id, ind.team.name if ind.team else None, ind.renstra_target,
        ind.renstra_target_text, ind.renstra_year, ind.active,
    )


# --------------------------------------------------------------------------- objectives


def list_objectives(ctx: ServiceContext) -> list[ObjectiveInfo]:
    with ctx.read() as session:
        rows = session.scalars(select(Objective).where(Objective.active.is_(True))
                               .order_by(Objective.position, Objective.id))
        return [ObjectiveInfo(o.id, o.code, o.name, o.position) for o in rows]


def create_objective(ctx: ServiceContext, actor_id: int, name: str,
                     code: str = "") -> ObjectiveInfo:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Nama sasaran strategis wajib diisi.")
    if len(name) > MAX_NAME:
        raise ValidationError(f"Nama sasaran strategis terlalu panjang (maksimal {MAX_NAME}).")
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        _can_manage(principal)
        position = (session.scalar(select(func.max(Objective.position))) or 0) + 1
        obj = Objective(name=name, code=code.strip(), position=position, active=True)
        session.add(obj)
        session.flush()
        audit(session, ctx.now(), principal, "sasaran.buat", "objective", obj.id,
              after={"nama": name, "kode": obj.code})
        return ObjectiveInfo(obj.id, obj.code, obj.name, obj.position)


def update_objective(ctx: ServiceContext, actor_id: int, objective_id: int, name: str,
                     code: str = "") -> ObjectiveInfo:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Nama sasaran strategis wajib diisi.")
    if len(name) > MAX_NAME:
        raise ValidationError(f"Nama sasaran strategis terlalu panjang (maksimal {MAX_NAME}).")
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        _can_manage(principal)
        obj = session.get(Objective, objective_id)
        if obj is None:
            raise NotFound("Sasaran strategis tidak ditemukan.")
        before = {"nama": obj.name, "kode": obj.code}
        obj.name, obj.code = name, code.strip()
        audit(session, ctx.now(), principal, "sasaran.ubah", "objective", obj.id,
              before=before, after={"nama": name, "kode": obj.code})
        return ObjectiveInfo(obj.id, obj.code, obj.name, obj.position)


# --------------------------------------------------------------------------- indicators


def _validate_indicator(data: IndicatorInput) -> Formula:
    if not " ".join(data.name.split()):
        raise ValidationError("Nama indikator wajib diisi.")
    if len(data.name) > MAX_NAME:
        raise ValidationError(f"Nama indikator terlalu panjang (maksimal {MAX_NAME} karakter).")
    formula = data.formula or default_formula(data.polarity)
    if data.polarity is Polarity.POSITIF and formula is not Formula.REALISASI_PER_TARGET:
        raise ValidationError("Indikator positif memakai rumus Realisasi ÷ Target.")
    if data.polarity is Polarity.NEGATIF and formula is Formula.REALISASI_PER_TARGET:
        raise ValidationError("Indikator negatif tidak boleh memakai rumus Realisasi ÷ Target.")
    return formula


def create_indicator(ctx: ServiceContext, actor_id: int, data: IndicatorInput) -> IndicatorInfo:
    formula = _validate_indicator(data)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        _can_manage(principal)
        if session.get(Objective, data.objective_id) is None:
            raise NotFound("Sasaran strategis tidak ditemukan.")
        if data.team_id is not None and session.get(Team, data.team_id) is None:
            raise NotFound("Tim tidak ditemukan.")
        position = (session.scalar(select(func.max(Indicator.position))) or 0) + 1
        ind = Indicator(
            objective_id=data.objective_id, code=data.code.strip(),
            name=" ".join(data.name.split()),
            unit=data.unit.strip(), polarity=data.polarity.value, formula=formula.value,
            qualitative=data.qualitative, data_source=data.data_source.strip(),
            team_id=data.team_id, renstra_target=data.renstra_target,
            renstra_target_text=data.renstra_target_text.strip(), renstra_year=data.renstra_year,
            position=position, active=True,
        )
        session.add(ind)
        session.flush()
        session.refresh(ind)
        audit(session, ctx.now(), principal, "indikator.buat", "indicator", ind.id,
              after={"nama": ind.name, "satuan": ind.unit, "polaritas": ind.polarity,
                     "rumus": ind.formula, "tim": ind.team_id})
        return _indicator_info(ind)


def update_indicator(ctx: ServiceContext, actor_id: int, indicator_id: int,
                     data: IndicatorInput) -> IndicatorInfo:
    formula = _validate_indicator(data)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        _can_manage(principal)
        ind = session.get(Indicator, indicator_id)
        if ind is None:
            raise NotFound("Indikator tidak ditemukan.")
        before = _indicator_info(ind).__dict__.copy()
        ind.objective_id, ind.code, ind.name = data.objective_id, data.code.strip(), \
            " ".join(data.name.split())
        ind.unit, ind.polarity, ind.formula = data.unit.strip(), data.polarity.value, formula.value
        ind.qualitative, ind.data_source, ind.team_id = data.qualitative, \
            data.data_source.strip(), data.team_id
        ind.renstra_target, ind.renstra_target_text = data.renstra_target, \
            data.renstra_target_text.strip()
        ind.renstra_year = data.renstra_year
        session.flush()
        session.refresh(ind)
        info = _indicator_info(ind)
        audit(session, ctx.now(), principal, "indikator.ubah", "indicator", ind.id,
              before=before, after=info.__dict__)
        return info


def list_indicators(ctx: ServiceContext, include_inactive: bool = False) -> list[IndicatorInfo]:
    with ctx.read() as session:
        query = select(Indicator).join(Indicator.objective).order_by(Objective.position,
                                                                     Indicator.position)
        if not include_inactive:
            query = query.where(Indicator.active.is_(True))
        return [_indicator_info(i) for i in session.scalars(query)]


def set_target(ctx: ServiceContext, actor_id: int, indicator_id: int, year: int,
               target: float | None, target_text: str = "") -> None:
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        _can_manage(principal)
        ind = session.get(Indicator, indicator_id)
        if ind is None:
            raise NotFound("Indikator tidak ditemukan.")
        row = session.scalar(select(IndicatorTarget).where(
            IndicatorTarget.indicator_id == indicator_id, IndicatorTarget.year == year))
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
        rows = session.scalars(select(IndicatorTarget).where(IndicatorTarget.year == year))
        return {r.indicator_id: TargetInfo(r.indicator_id, r.year, r.target, r.target_text)
                for r in rows}


def indicator_targets(ctx: ServiceContext, indicator_id: int) -> list[TargetInfo]:
    """Every yearly target of one indicator, oldest first."""
    with ctx.read() as session:
        rows = session.scalars(select(IndicatorTarget)
                               .where(IndicatorTarget.indicator_id == indicator_id)
                               .order_by(IndicatorTarget.year))
        return [TargetInfo(r.indicator_id, r.year, r.target, r.target_text) for r in rows]


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


def copy_targets_from_previous_year(ctx: ServiceContext, actor_id: int, year: int) -> int:
    """"Salin dari tahun lalu" in the indicator master: last year's targets become this
    year's where this year has none. Returns how many targets were set."""
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        _can_manage(principal)
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
    """The format may change while step 2 runs; editing starts step 2."""
    from kinerja_desktop.services import cycles

    cycle = cycle_for_change(session, cycle_id)
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


def set_field_requirements(ctx: ServiceContext, actor_id: int, cycle_id: int,
                           fields: dict[str, str]) -> dict[str, str]:
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.KASUBAG, "Menyusun format")
        _format_editable(session, ctx, principal, cycle_id)
        spec = _spec(session, cycle_id, ctx.now())
        before = dict(spec.fields)
        spec.fields = {k: v.value for k, v in normalise_requirements(fields).items()}
        spec.version += 1
        spec.updated_at = ctx.now()
        audit(session, ctx.now(), principal, "format.isian", "format", cycle_id,
              before=before, after=spec.fields)
        return dict(spec.fields)


def _item_info(item: FormatItem) -> FormatItemInfo:
    facts = item_facts(item)  # the cycle's record once the format was sent
    state = ItemState(item.entry.state) if item.entry else ItemState.DRAFT
    return FormatItemInfo(
        item.id, item.indicator_id, facts.indicator_name, facts.objective_name, facts.unit,
        Polarity(facts.polarity), Formula(facts.formula), facts.qualitative, item.team_id,
        facts.team_name if item.team_id is not None else None,
        item.target, item.target_text, item.budget, item.position, state,
        facts.data_source, facts.renstra_target, facts.renstra_target_text,
    )


def add_to_format(ctx: ServiceContext, actor_id: int, cycle_id: int, indicator_id: int,
                  team_id: int | None = None, target: float | None = None,
                  target_text: str | None = None, budget: float | None = None) -> FormatItemInfo:
    """Put an indicator in the cycle's format; team and target default from the master."""
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.KASUBAG, "Menyusun format")
        cycle = _format_editable(session, ctx, principal, cycle_id)
        ind = session.get(Indicator, indicator_id)
        if ind is None:
            raise NotFound("Indikator tidak ditemukan.")
        if session.scalar(select(FormatItem).where(FormatItem.cycle_id == cycle_id,
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
                                   .where(FormatItem.cycle_id == cycle_id)) or 0) + 1
        item = FormatItem(cycle_id=cycle_id, indicator_id=indicator_id, team_id=team_id,
                          position=position, target=target, target_text=target_text.strip(),
                          budget=budget)
        item.entry = ItemEntry(state=ItemState.DRAFT.value)
        session.add(item)
        _spec(session, cycle_id, ctx.now())
        session.flush()
        session.refresh(item)
        audit(session, ctx.now(), principal, "format.tambah", "format_item", item.id,
              after={"indikator": ind.name, "tim": team_id, "target": target})
        return _item_info(item)


def update_format_item(ctx: ServiceContext, actor_id: int, item_id: int, team_id: int | None,
                       target: float | None, target_text: str = "",
                       budget: float | None = None) -> FormatItemInfo:
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.KASUBAG, "Menyusun format")
        item = session.get(FormatItem, item_id)
        if item is None:
            raise NotFound("Butir format tidak ditemukan.")
        _format_editable(session, ctx, principal, item.cycle_id)
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


def remove_from_format(ctx: ServiceContext, actor_id: int, item_id: int) -> None:
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.KASUBAG, "Menyusun format")
        item = session.get(FormatItem, item_id)
        if item is None:
            raise NotFound("Butir format tidak ditemukan.")
        _format_editable(session, ctx, principal, item.cycle_id)
        audit(session, ctx.now(), principal, "format.hapus", "format_item", item.id,
              before={"indikator": item.indicator.name, "tim": item.team_id})
        session.delete(item)


def format_items(ctx: ServiceContext, cycle_id: int,
                 team_id: int | None = None) -> list[FormatItemInfo]:
    with ctx.read() as session:
        query = select(FormatItem).where(FormatItem.cycle_id == cycle_id)
        if team_id is not None:
            query = query.where(FormatItem.team_id == team_id)
        items = session.scalars(query.join(FormatItem.indicator).join(Indicator.objective)
                                .options(selectinload(FormatItem.indicator)
                                         .selectinload(Indicator.objective),
                                         selectinload(FormatItem.team),
                                         selectinload(FormatItem.entry),
                                         selectinload(FormatItem.record))
                                .order_by(Objective.position, FormatItem.position)).all()
        return [_item_info(i) for i in items]


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
