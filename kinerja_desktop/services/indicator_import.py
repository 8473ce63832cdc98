"""The indicator master from Excel (step 2 on day one): export a template, import it back.

All or nothing, like the team workbooks: the file is read and every row validated
(required cells, polarity and formula, team names, numbers written the Indonesian way,
no formulas, no duplicates); only when nothing is wrong are the objectives, indicators
and targets of the year written, in ONE transaction, each audited. A row whose
sasaran and indicator name match an existing indicator updates it; other rows create.
``dry_run`` reports what would happen and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from kinerja_desktop.db.models import (
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    Objective,
    OfficeProfile,
    Team,
)
from kinerja_desktop.domain.achievement import Formula, Polarity, default_formula
from kinerja_desktop.domain.errors import PermissionDenied
from kinerja_desktop.domain.permissions import Principal, Role
from kinerja_desktop.services.common import audit, load_principal
from kinerja_desktop.services.context import ServiceContext

MAX_NAME = 500
MAX_SHORT = 200


@dataclass(frozen=True)
class ImportLine:
    cell: str
    message: str

    def describe(self) -> str:
        return f"[Indikator!{self.cell}] {self.message}" if self.cell else self.message


@dataclass(frozen=True)
class IndicatorImportReport:
    file_name: str
    file_sha256: str
    year: int
    errors: tuple[ImportLine, ...]
    created_objectives: tuple[str, ...]
    created: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: int
    dry_run: bool
    applied: bool

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        """The report as Indonesian text lines (dialog and tests)."""
        out = [f"Berkas: {self.file_name} (SHA-256 {self.file_sha256[:16]}…), target tahun "
               f"{self.year}"]
        if self.errors:
            out.append(f"{len(self.errors)} kesalahan:")
            out.extend(f"  KESALAHAN {e.describe()}" for e in self.errors)
            out.append("Tidak ada data yang diubah: perbaiki kesalahan di atas lalu impor ulang.")
            return out
        verb = "dibuat" if self.applied else "akan dibuat"
        if self.created_objectives:
            out.append(f"{len(self.created_objectives)} sasaran strategis {verb}:")
            out.extend(f"  {name}" for name in self.created_objectives)
        out.append(f"{len(self.created)} indikator {verb}, {len(self.updated)} "
                   f"{'diperbarui' if self.applied else 'akan diperbarui'}, {self.unchanged} "
                   "tidak berubah.")
        out.extend(f"  baru: {name}" for name in self.created)
        out.extend(f"  diperbarui: {name}" for name in self.updated)
        if self.applied:
            out.append("Impor selesai.")
        else:
            out.append("Pemeriksaan selesai (uji coba): belum ada data yang diubah.")
        return out


@dataclass
class _Row:
    row: int
    objective_code: str
    objective: str
    code: str
    name: str
    unit: str
    polarity: Polarity
    formula: Formula
    qualitative: bool
    team_id: int | None
    target: float | None
    target_text: str
    renstra: float | None
    renstra_text: str
    renstra_year: int | None
    source: str
    #: Realisasi of earlier years given in the file (year → (number, text)); an empty
    #: cell leaves the stored value as it is.
    earlier: dict[int, tuple[float | None, str]] = field(default_factory=dict)


@dataclass
class _State:
    errors: list[ImportLine] = field(default_factory=list)

    def error(self, cell: str, message: str) -> None:
        self.errors.append(ImportLine(cell, message))


class _Rollback(Exception):
    """Raised inside the transaction to discard it (dry run)."""


def _require_manager(principal: Principal) -> None:
    if not (principal.has(Role.KASUBAG) or principal.has(Role.ADMIN)):
        raise PermissionDenied("Master indikator hanya dapat diubah oleh Kasubag atau "
                               "Administrator.")


def _office_name(session) -> str:
    office = session.get(OfficeProfile, 1)
    return f"{office.name} {office.regency}".strip() if office else ""


def _formula_key(text: str) -> str:
    """"Capaian = Target ÷ Realisasi × 100%", "Target ÷ Realisasi" and "target/realisasi"
    all read the same."""
    key = "".join(text.casefold().replace("capaian =", "").replace("× 100%", "").split())
    return key.replace("÷", "/").replace("x", "×").replace("-", "−")


def _formula_words() -> dict[str, Formula]:
    words = {}
    for formula in Formula:
        words[_formula_key(formula.value)] = formula
        words[_formula_key(formula.describe())] = formula
    return words


def template(ctx: ServiceContext, actor_id: int, year: int) -> bytes:
    """The .xlsx template with the office's active indicators and their targets of ``year``
    (empty rows to fill when the office has none yet)."""
    from kinerja_desktop.spreadsheets import indicator_workbook as iw

    with ctx.read() as session:
        _require_manager(load_principal(session, actor_id))
        teams = tuple(session.scalars(select(Team.name).where(Team.active.is_(True))
                                      .order_by(Team.position, Team.name)))
        targets = {t.indicator_id: t for t in session.scalars(
            select(IndicatorTarget).where(IndicatorTarget.year == year))}
        earlier_years = iw.earlier_years(year)
        typed = {(a.indicator_id, a.year): a for a in session.scalars(
            select(IndicatorActual).where(IndicatorActual.year.in_(earlier_years)))}
        rows = []
        for ind, objective, team in session.execute(
                select(Indicator, Objective, Team.name)
                .join(Objective, Objective.id == Indicator.objective_id)
                .outerjoin(Team, Team.id == Indicator.team_id)
                .where(Indicator.active.is_(True))
                .order_by(Objective.position, Indicator.position)):
            target = targets.get(ind.id)
            rows.append(iw.TemplateRow(
                objective.code, objective.name, ind.code, ind.name, ind.unit,
                "Positif" if ind.polarity == Polarity.POSITIF.value else "Negatif",
                Formula(ind.formula).describe().removeprefix("Capaian = "), ind.qualitative,
                team or "",
                (target.target_text if ind.qualitative else target.target) if target else None,
                ind.renstra_target_text if ind.qualitative else ind.renstra_target,
                ind.renstra_year, ind.data_source,
                tuple(_typed_cell(typed.get((ind.id, y)), ind.qualitative)
                      for y in earlier_years)))
        office = session.get(OfficeProfile, 1)
        data = iw.TemplateData(_office_name(session), year, teams,
                               tuple(f.describe().removeprefix("Capaian = ") for f in Formula),
                               tuple(rows), office.paper_size if office is not None
                               and office.paper_size in iw.PAPERS else "A4")
    return iw.render_indicator_template(data)


def _typed_cell(actual: IndicatorActual | None, qualitative: bool) -> float | str | None:
    if actual is None:
        return None
    return (actual.actual_text or None) if qualitative else actual.actual


def import_indicators(ctx: ServiceContext, actor_id: int, path: Path | str, year: int,
                      dry_run: bool = False) -> IndicatorImportReport:
    """Validate an indicator master workbook and (unless ``dry_run`` or any error) apply
    it, all or nothing. Raises :class:`WorkbookFileError` for a file that is no workbook
    at all (nothing is changed then)."""
    from kinerja_desktop.domain.errors import ValidationError
    from kinerja_desktop.spreadsheets.indicator_workbook import read_indicator_workbook

    if not 2000 <= year <= 2100:
        raise ValidationError(f"Tahun {year} tidak sah.")
    parsed = read_indicator_workbook(Path(path), year)
    state = _State([ImportLine(p.cell, p.message) for p in parsed.problems])
    created_objectives: list[str] = []
    created: list[str] = []
    updated: list[str] = []
    unchanged = 0
    applied = False
    try:
        with ctx.transaction() as session:
            principal = load_principal(session, actor_id)
            _require_manager(principal)
            teams = {name.casefold(): team_id for team_id, name in
                     session.execute(select(Team.id, Team.name))}
            rows = [r for r in (_validate(state, row, cells, teams, parsed.earlier)
                                for row, cells in parsed.rows) if r is not None]
            _no_duplicates(state, rows)
            if state.errors:
                raise _Rollback
            objectives = {o.name.casefold(): o for o in session.scalars(select(Objective))}
            position = session.scalar(select(func.max(Objective.position))) or 0
            ind_position = session.scalar(select(func.max(Indicator.position))) or 0
            now = ctx.now()
            for row in rows:
                objective = objectives.get(row.objective.casefold())
                if objective is None:
                    position += 1
                    objective = Objective(name=row.objective, code=row.objective_code,
                                          position=position, active=True)
                    session.add(objective)
                    session.flush()
                    objectives[row.objective.casefold()] = objective
                    created_objectives.append(row.objective)
                    audit(session, now, principal, "sasaran.buat", "objective", objective.id,
                          after={"nama": objective.name, "kode": objective.code,
                                 "sumber": parsed.file_name})
                elif not objective.active:
                    objective.active = True
                existing = session.scalar(select(Indicator).where(
                    Indicator.objective_id == objective.id,
                    func.lower(Indicator.name) == row.name.casefold()))
                values = {
                    "code": row.code, "unit": row.unit, "polarity": row.polarity.value,
                    "formula": row.formula.value, "qualitative": row.qualitative,
                    "data_source": row.source, "team_id": row.team_id,
                    "renstra_target": row.renstra, "renstra_target_text": row.renstra_text,
                    "renstra_year": row.renstra_year, "active": True,
                }
                if existing is None:
                    ind_position += 1
                    indicator = Indicator(objective_id=objective.id, name=row.name,
                                          position=ind_position, **values)
                    session.add(indicator)
                    session.flush()
                    created.append(row.name)
                    audit(session, now, principal, "indikator.buat", "indicator", indicator.id,
                          after={"nama": row.name, **values, "sumber": parsed.file_name})
                else:
                    indicator = existing
                    before = {k: getattr(indicator, k) for k in values}
                    target_before = _target_of(session, indicator.id, year)
                    earlier_same = _earlier_unchanged(session, indicator.id, row.earlier)
                    if before == values and target_before == (row.target, row.target_text) \
                            and earlier_same:
                        unchanged += 1
                        continue
                    if before != values or target_before != (row.target, row.target_text):
                        for key, value in values.items():
                            setattr(indicator, key, value)
                        audit(session, now, principal, "indikator.ubah", "indicator",
                              indicator.id, before=before,
                              after={**values, "sumber": parsed.file_name})
                    updated.append(row.name)
                _set_target(session, indicator.id, year, row.target, row.target_text)
                _set_earlier(session, now, principal, indicator, row.earlier, parsed.file_name)
            audit(session, now, principal, "indikator.impor_excel", "indicator", None,
                  after={"berkas": parsed.file_name, "sha256": parsed.sha256, "tahun": year,
                         "sasaran_baru": len(created_objectives), "baru": len(created),
                         "diperbarui": len(updated)})
            if dry_run:
                raise _Rollback
            applied = True
    except _Rollback:
        applied = False
    return IndicatorImportReport(parsed.file_name, parsed.sha256, year, tuple(state.errors),
                                 tuple(created_objectives), tuple(created), tuple(updated),
                                 unchanged, dry_run, applied)


def _earlier_unchanged(session, indicator_id: int,
                       given: dict[int, tuple[float | None, str]]) -> bool:
    if not given:
        return True
    stored = {a.year: (a.actual, a.actual_text) for a in session.scalars(
        select(IndicatorActual).where(IndicatorActual.indicator_id == indicator_id))}
    return all(stored.get(y) == value for y, value in given.items())


def _set_earlier(session, now, principal: Principal, indicator: Indicator,
                 given: dict[int, tuple[float | None, str]], file_name: str) -> None:
    """Store the earlier years' realisasi the file gives (audited like the master's)."""
    from kinerja_desktop.services.earlier_years import audited_values, store_values

    if not given:
        return
    session.flush()
    before, after = store_values(session, indicator, given)
    if after:
        audit(session, now, principal, "indikator.realisasi_sebelumnya", "indicator",
              indicator.id, before=audited_values(before),
              after={**audited_values(after), "sumber": file_name})


def _target_of(session, indicator_id: int, year: int) -> tuple[float | None, str]:
    row = session.scalar(select(IndicatorTarget).where(
        IndicatorTarget.indicator_id == indicator_id, IndicatorTarget.year == year))
    return (row.target, row.target_text) if row else (None, "")


def _set_target(session, indicator_id: int, year: int, target: float | None,
                text: str) -> None:
    if target is None and not text:
        return
    row = session.scalar(select(IndicatorTarget).where(
        IndicatorTarget.indicator_id == indicator_id, IndicatorTarget.year == year))
    if row is None:
        session.add(IndicatorTarget(indicator_id=indicator_id, year=year, target=target,
                                    target_text=text))
    else:
        row.target, row.target_text = target, text


def _validate(state: _State, row_no: int, cells: dict, teams: dict[str, int],
              earlier_years: tuple[int, ...] = ()) -> _Row | None:
    """The row's values, or None after reporting its problems at their cells."""
    from dataclasses import replace

    from kinerja_desktop.domain.input_rules import ACTUAL, RENSTRA_TARGET, TARGET, NumberRule
    from kinerja_desktop.spreadsheets.importer import number_from_cell, text_from_cell
    from kinerja_desktop.spreadsheets.indicator_workbook import earlier_key

    errors_before = len(state.errors)

    def text(key: str, label: str, limit: int = MAX_SHORT) -> str:
        value, problem = text_from_cell(cells[key], limit=limit, label=label)
        if problem:
            state.error(cells[key].coordinate, problem)
            return ""
        return " ".join((value or "").split())

    objective = text("objective", "Sasaran Strategis", MAX_NAME)
    name = text("name", "Indikator Kinerja", MAX_NAME)
    for key, value, label in (("objective", objective, "Sasaran Strategis"),
                              ("name", name, "Indikator Kinerja")):
        if not value and not any(e.cell == cells[key].coordinate for e in state.errors):
            state.error(cells[key].coordinate, f"{label} wajib diisi.")
    objective_code = text("objective_code", "Kode Sasaran", 30)
    code = text("code", "Kode Indikator", 30)
    unit = text("unit", "Satuan", 60)
    source = text("source", "Sumber Data", MAX_NAME)
    polarity_word = text("polarity", "Polaritas").casefold()
    polarity = {"": Polarity.POSITIF, "positif": Polarity.POSITIF,
                "negatif": Polarity.NEGATIF}.get(polarity_word)
    if polarity is None:
        state.error(cells["polarity"].coordinate, "Polaritas harus Positif atau Negatif.")
        polarity = Polarity.POSITIF
    formula_word = text("formula", "Rumus Capaian")
    formula = default_formula(polarity)
    if formula_word:
        chosen = _formula_words().get(_formula_key(formula_word))
        if chosen is None:
            state.error(cells["formula"].coordinate,
                        f"Rumus '{formula_word}' tidak dikenal; pilih dari daftar di sel.")
        elif polarity is Polarity.POSITIF and chosen is not Formula.REALISASI_PER_TARGET:
            state.error(cells["formula"].coordinate,
                        "Indikator positif memakai rumus Realisasi ÷ Target.")
        elif polarity is Polarity.NEGATIF and chosen is Formula.REALISASI_PER_TARGET:
            state.error(cells["formula"].coordinate,
                        "Indikator negatif tidak boleh memakai rumus Realisasi ÷ Target.")
        else:
            formula = chosen
    qualitative_word = text("qualitative", "Kualitatif").casefold()
    if qualitative_word not in ("", "ya", "tidak"):
        state.error(cells["qualitative"].coordinate, "Kualitatif harus Ya atau Tidak.")
    qualitative = qualitative_word == "ya"
    team_name = text("team", "Tim Penanggung Jawab")
    team_id = None
    if team_name:
        team_id = teams.get(team_name.casefold())
        if team_id is None:
            state.error(cells["team"].coordinate,
                        f"Tim '{team_name}' tidak ada di aplikasi; tulis nama tim persis "
                        "seperti di Data ▸ Tim, atau kosongkan.")
    target = renstra = None
    target_text = renstra_text = ""
    if qualitative:
        target_text = text("target", "Target")
        renstra_text = text("renstra", "Target Akhir Renstra")
    else:
        for key, label in (("target", "Target"), ("renstra", "Target Akhir Renstra")):
            rule = TARGET if key == "target" else RENSTRA_TARGET
            value, problem = number_from_cell(cells[key], rule=rule, label=label)
            if problem:
                state.error(cells[key].coordinate, problem)
            elif key == "target":
                target = value
            else:
                renstra = value
    renstra_year = None
    year_rule = NumberRule("Tahun Akhir Renstra", 2000, 2100)
    year_value, problem = number_from_cell(cells["renstra_year"], rule=year_rule,
                                           label=year_rule.label)
    if problem:
        state.error(cells["renstra_year"].coordinate, problem)
    elif year_value is not None:
        if year_value != int(year_value):
            state.error(cells["renstra_year"].coordinate,
                        "Tahun Akhir Renstra harus bilangan bulat, mis. 2026.")
        renstra_year = int(year_value)
    earlier: dict[int, tuple[float | None, str]] = {}
    for year in earlier_years:
        cell = cells[earlier_key(year)]
        label = f"Realisasi {year}"
        if qualitative:
            value = text(earlier_key(year), label)
            if value:
                earlier[year] = (None, value)
            continue
        number, problem = number_from_cell(cell, rule=replace(ACTUAL, label=label),
                                           label=label)
        if problem:
            state.error(cell.coordinate, problem)
        elif number is not None:
            earlier[year] = (float(number), "")
    if len(state.errors) > errors_before:
        return None
    return _Row(row_no, objective_code, objective, code, name, unit, polarity, formula,
                qualitative, team_id, target, target_text, renstra, renstra_text, renstra_year,
                source, earlier)


def _no_duplicates(state: _State, rows: list[_Row]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row.objective.casefold(), row.name.casefold())
        if key in seen:
            state.error(f"D{row.row}", f"Indikator '{row.name}' pada sasaran ini sudah ada di "
                        f"baris {seen[key]}; hapus salah satunya.")
        else:
            seen[key] = row.row
