"""SOP versions: the seed installed on first run, edits saved as new versions."""

from __future__ import annotations

import dataclasses

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinerja_desktop import paths
from kinerja_desktop.db.models import Person, Sop, SopStep
from kinerja_desktop.domain.errors import EditConflict, NotFound, ValidationError
from kinerja_desktop.domain.permissions import Role, require_role
from kinerja_desktop.domain.sop import (
    SopDefinition,
    StepDefinition,
    StepKind,
    load_sop_file,
    validate_steps,
)
from kinerja_desktop.domain.timing import TimeStandard, TimeUnit
from kinerja_desktop.services.common import audit, check_lengths, load_principal
from kinerja_desktop.services.context import ServiceContext, retry_busy

SEED_FILE = "pengumpulan-data-kinerja.toml"
#: Lock taken while an SOP version is installed or saved (two first starts at once install
#: the seed once; two editors never both save "version N+1").
SOP_LOCK = "kinerja-desktop:sop"
#: The seed is installed under the same lock (copying an office to a server takes it too).
SEED_LOCK = SOP_LOCK


@dataclasses.dataclass(frozen=True)
class SopVersion:
    id: int
    version: int
    is_current: bool
    definition: SopDefinition


MAX_FLOWCHART_TITLE = 300


def seed_definition() -> SopDefinition:
    return load_sop_file(paths.resources_dir() / "sop" / SEED_FILE)


def definition_of(sop: Sop) -> SopDefinition:
    steps = tuple(
        StepDefinition(
            number=s.number,
            kind=StepKind(s.kind),
            activity=s.activity,
            executor=Role(s.executor),
            requirements=tuple(s.requirements or ()),
            time=TimeStandard(s.time_amount, TimeUnit(s.time_unit)),
            output=s.output,
            note=s.note,
        )
        for s in sorted(sop.steps, key=lambda s: s.number)
    )
    return SopDefinition(
        code=sop.code,
        name=sop.name,
        number=sop.number,
        made_on=sop.made_on,
        revised_on=sop.revised_on,
        effective_on=sop.effective_on,
        approved_by=sop.approved_by,
        organisation=sop.organisation,
        unit=sop.unit,
        sub_unit=sop.sub_unit,
        calendar_days=sop.calendar_days,
        legal_basis=tuple(sop.legal_basis or ()),
        qualifications=tuple(sop.qualifications or ()),
        related_sops=tuple(sop.related_sops or ()),
        equipment=tuple(sop.equipment or ()),
        warnings=tuple(sop.warnings or ()),
        records=tuple(sop.records or ()),
        steps=steps,
        flowchart_title=sop.flowchart_title or "",
    )


def _model_of(defn: SopDefinition, version: int, created_at, created_by_id, source: str) -> Sop:
    return Sop(
        code=defn.code,
        version=version,
        is_current=True,
        name=defn.name,
        number=defn.number,
        made_on=defn.made_on,
        revised_on=defn.revised_on,
        effective_on=defn.effective_on,
        approved_by=defn.approved_by,
        organisation=defn.organisation,
        unit=defn.unit,
        sub_unit=defn.sub_unit,
        legal_basis=list(defn.legal_basis),
        qualifications=list(defn.qualifications),
        related_sops=list(defn.related_sops),
        equipment=list(defn.equipment),
        warnings=list(defn.warnings),
        records=list(defn.records),
        calendar_days=defn.calendar_days,
        flowchart_title=defn.flowchart_title,
        source=source,
        created_at=created_at,
        created_by_id=created_by_id,
        steps=[
            SopStep(
                number=s.number,
                kind=s.kind.value,
                activity=s.activity,
                executor=s.executor.value,
                requirements=list(s.requirements),
                time_amount=s.time.amount,
                time_unit=s.time.unit.value,
                output=s.output,
                per_team=s.per_team,
                note=s.note,
            )
            for s in defn.steps
        ],
    )


@retry_busy
def install_seed_if_missing(ctx: ServiceContext) -> bool:
    """Install the seed SOP into an empty database. Returns True when installed."""
    with ctx.read() as session:
        if session.scalar(select(func.count()).select_from(Sop)):
            return False
    with ctx.transaction() as session:
        # Two PCs starting on an empty server at once: one installs, the other sees it.
        ctx.lock(session, SOP_LOCK)
        if session.scalar(select(func.count()).select_from(Sop)):
            return False
        defn = seed_definition()
        session.add(_model_of(defn, 1, ctx.now(), None, f"resources/sop/{SEED_FILE}"))
        audit(session, ctx.now(), None, "sop.pasang", "sop", defn.number,
              after={"nomor": defn.number, "versi": 1})
        return True


def _current(session: Session) -> Sop:
    sop = session.scalar(
        select(Sop).where(Sop.is_current.is_(True)).order_by(Sop.version.desc()).limit(1)
    )
    if sop is None:
        raise NotFound("Belum ada SOP terpasang.")
    return sop


def current_sop(ctx: ServiceContext) -> SopVersion:
    with ctx.read() as session:
        sop = _current(session)
        return SopVersion(sop.id, sop.version, sop.is_current, definition_of(sop))


def get_sop(ctx: ServiceContext, sop_id: int) -> SopVersion:
    with ctx.read() as session:
        sop = session.get(Sop, sop_id)
        if sop is None:
            raise NotFound("Versi SOP tidak ditemukan.")
        return SopVersion(sop.id, sop.version, sop.is_current, definition_of(sop))


def list_versions(ctx: ServiceContext) -> list[SopVersion]:
    with ctx.read() as session:
        rows = session.scalars(select(Sop).order_by(Sop.version.desc())).all()
        return [SopVersion(s.id, s.version, s.is_current, definition_of(s)) for s in rows]


@retry_busy
def save_new_version(ctx: ServiceContext, actor_id: int, defn: SopDefinition,
                     base_sop_id: int | None = None) -> SopVersion:
    """Save an edited SOP as a new version (administrator). Running cycles keep theirs.

    ``base_sop_id``: the version the editor opened; when another version was saved since,
    the save is refused naming who saved it and when (the editor keeps the changes).
    """
    if not defn.name.strip() or not defn.number.strip():
        raise ValidationError("Nama dan nomor SOP wajib diisi.")
    check_lengths(Sop, name=("Nama SOP", defn.name.strip()),
                  number=("Nomor SOP", defn.number.strip()),
                  approved_by=("Disahkan oleh", defn.approved_by.strip()),
                  organisation=("Organisasi", defn.organisation.strip()),
                  unit=("Unit", defn.unit.strip()), sub_unit=("Sub unit", defn.sub_unit.strip()))
    if len(defn.flowchart_title) > MAX_FLOWCHART_TITLE:
        raise ValidationError(f"Judul bagan alir terlalu panjang ({len(defn.flowchart_title)} "
                              f"karakter; maksimal {MAX_FLOWCHART_TITLE}).")
    validate_steps(defn.steps)
    with ctx.transaction() as session:
        principal = load_principal(session, actor_id)
        require_role(principal, Role.ADMIN, "Mengubah SOP")
        ctx.lock(session, SOP_LOCK)  # one new version at a time
        current = _current(session)
        if base_sop_id is not None and current.id != base_sop_id:
            creator = session.get(Person, current.created_by_id) \
                if current.created_by_id else None
            raise EditConflict(creator.name if creator else "pengguna lain", current.created_at)
        before = definition_of(current)
        if before == defn:
            raise ValidationError("Tidak ada perubahan pada SOP.")
        for old in session.scalars(select(Sop).where(Sop.is_current.is_(True))):
            old.is_current = False
        new = _model_of(defn, current.version + 1, ctx.now(), principal.person_id, "penyunting SOP")
        session.add(new)
        session.flush()
        audit(session, ctx.now(), principal, "sop.versi_baru", "sop", new.id,
              before={"versi": current.version}, after={"versi": new.version,
                                                         "nomor": defn.number})
        return SopVersion(new.id, new.version, True, defn)
