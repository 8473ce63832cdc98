"""The team's programmes in its workbook: what the export writes on the budget sheet and
how the import reads them back, under the same rules as the window
(``programmes.apply_programme_in``), inside the import's one transaction: any error in
the file and nothing changes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kinerja_desktop.db.models import Cycle, Team
from kinerja_desktop.domain.errors import KinerjaError
from kinerja_desktop.domain.input_rules import NUMBER_RULES
from kinerja_desktop.domain.permissions import Principal
from kinerja_desktop.services import programmes
from kinerja_desktop.services.context import ServiceContext


def export_rows(session: Session, cycle: Cycle, team_id: int) -> tuple:
    """The team's programmes of the cycle as the budget sheet shows them."""
    from kinerja_desktop.spreadsheets.programme_sheet import WorkbookProgramme

    return tuple(WorkbookProgramme(v.programme_id, v.code, v.name, v.budget, v.spent,
                                   v.editable)
                 for v in programmes.cycle_programmes_in(session, cycle, team_id))


def import_rows(session: Session, ctx: ServiceContext, principal: Principal, state,
                cycle: Cycle, team: Team, member: bool) -> list[str]:
    """Check (and, for a team member, apply) the budget sheet of ``state.parsed``;
    problems go to ``state.error``. Returns the labels of the programmes changed."""
    from kinerja_desktop.spreadsheets import importer
    from kinerja_desktop.spreadsheets import programme_sheet as ps

    parsed = state.parsed
    current = {v.programme_id: v for v in programmes.cycle_programmes_in(session, cycle,
                                                                         team.id)}
    seen: set[int] = set()
    changed: list[str] = []
    for programme_id, row, fingerprint in parsed.programmes:
        view = current.get(programme_id)
        if view is None or programme_id in seen:
            state.error(ps.SHEET, f"A{row}", f"Baris {row} berisi program yang bukan program "
                        "tim ini dalam siklus ini; ekspor ulang format.")
            continue
        seen.add(programme_id)
        if fingerprint != ps.fingerprint(view.code, view.name):
            state.error(ps.SHEET, f"C{row}", f"Baris {row}: program '{view.label}' di basis "
                        "data tidak sama dengan yang tercatat pada berkas; ekspor ulang format.")
            continue
        raw = parsed.programme_rows.get(row)
        if raw is None:
            state.error(ps.SHEET, f"A{row}", f"Baris {row} ('{view.label}') hilang dari berkas.")
            continue
        shown = (raw["code"].value if "code" in raw else None,
                 raw["name"].value if "name" in raw else None)
        if ps.fingerprint(shown[0] or "", shown[1] or "") != fingerprint:
            state.error(ps.SHEET, f"B{row}", f"Sel terkunci pada baris {row} (kode atau nama "
                        "program) telah diubah.")
            continue
        values = {}
        for key, label in (("budget", "Pagu anggaran"), ("spent", "Realisasi anggaran")):
            value, problem = importer.number_from_cell(
                raw[key], rule=NUMBER_RULES[f"cycle_programmes.{key}"], label=label)
            if problem:
                state.error(ps.SHEET, raw[key].coordinate, problem)
                break
            values[key] = value
        else:
            if (values["budget"], values["spent"]) == (view.budget, view.spent):
                continue
            if not view.editable:
                state.error(ps.SHEET, f"D{row}", f"Baris {row} ('{view.label}'): siklus sudah "
                            "ditutup; pagu dan realisasi tidak dapat diubah.")
                continue
            if member:
                try:
                    programmes.apply_programme_in(session, ctx, principal, cycle,
                                                  programme_id, values["budget"],
                                                  values["spent"])
                except KinerjaError as exc:
                    state.error(ps.SHEET, f"D{row}:E{row}", f"Baris {row} ('{view.label}'): "
                                f"{exc}")
                    continue
            changed.append(view.label)
    missing = [v.label for pid, v in current.items() if pid not in seen and parsed.programmes]
    for label in missing:
        state.error(ps.SHEET, "", f"Program '{label}' tidak ada dalam berkas (baris hilang).")
    return changed
