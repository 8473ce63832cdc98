"""The SOP sheet in the PermenPAN-RB 35/2012 layout: identity block and swimlanes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from kinerja_desktop.db.models import Sop
from kinerja_desktop.domain.errors import NotFound
from kinerja_desktop.domain.numbers import format_date_long
from kinerja_desktop.domain.permissions import Role
from kinerja_desktop.domain.sop import SopDefinition
from kinerja_desktop.services.context import ServiceContext
from kinerja_desktop.services.document_data.common import (
    EXECUTOR_COLUMNS,
    NOT_AVAILABLE,
    OfficeBlock,
    office_block,
)


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




def sop_sheet_data(ctx: ServiceContext, sop_id: int | None = None) -> SopSheetData:
    """The SOP sheet of one SOP version (the current one when ``sop_id`` is None)."""
    from kinerja_desktop.services.sops import definition_of

    with ctx.read() as session:
        office = office_block(session)
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
