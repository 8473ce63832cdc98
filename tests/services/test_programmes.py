"""Budget programmes (issue 14 item 3): the master, the indicator's programme, and the
pagu and realisasi each team fills per cycle (refused once the cycle is closed, a stale
form refused with who and when, every change in the audit log)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from kinerja_desktop.db.models import AuditEntry, CycleProgramme
from kinerja_desktop.domain.errors import (
    ConflictError,
    EditConflict,
    PermissionDenied,
    ValidationError,
)
from kinerja_desktop.services import accounts, cycles, demo, formats, programmes, teams
from kinerja_desktop.services.common import CycleClosedError


def _people(ctx) -> dict[str, int]:
    return {p.username: p.id for p in accounts.list_people(ctx)}


def _actions(ctx, action: str) -> list[tuple[str | None, dict | None, dict | None]]:
    with ctx.read() as session:
        return list(session.execute(select(AuditEntry.entity_id, AuditEntry.before,
                                           AuditEntry.after)
                                    .where(AuditEntry.action == action)
                                    .order_by(AuditEntry.id)).tuples())


def _member(ctx, team_id: int) -> int:
    return next(t for t in teams.list_teams(ctx) if t.id == team_id).members[-1].person_id


def test_master_create_edit_delete_and_assign_to_an_indicator(ctx):
    demo.build_demo(ctx, teams=2, indicators=2, through_step=0)
    people = _people(ctx)
    kasubag, admin = people["kasubag"], people["admin"]
    team = teams.list_teams(ctx)[1]
    before = {p.id for p in programmes.list_programmes(ctx)}

    made = programmes.create_programme(ctx, admin, programmes.ProgrammeInput(
        " 2.13.09 ", "  Program   Uji Coba ", team.id, ("Kegiatan A", " ", "Kegiatan B")))
    assert (made.code, made.name, made.team_id, made.activities) == (
        "2.13.09", "Program Uji Coba", team.id, ("Kegiatan A", "Kegiatan B"))
    assert made.team_name == team.name

    # Bad input: one Indonesian line, nothing stored.
    for bad, message in ((programmes.ProgrammeInput("", " ", team.id), "wajib diisi"),
                         (programmes.ProgrammeInput("9", "Program X", None), "Tim"),
                         (programmes.ProgrammeInput("x" * 41, "Program Y", team.id),
                          "terlalu panjang"),
                         (programmes.ProgrammeInput("2.13.09", "Program Lain", team.id),
                          "sudah dipakai")):
        with pytest.raises((ValidationError, ConflictError), match=message):
            programmes.create_programme(ctx, kasubag, bad)
    assert {p.id for p in programmes.list_programmes(ctx)} == before | {made.id}

    # A team member may not keep the master.
    with pytest.raises(PermissionDenied):
        programmes.create_programme(ctx, _member(ctx, team.id),
                                    programmes.ProgrammeInput("1", "Program Z", team.id))

    edited = programmes.update_programme(ctx, kasubag, made.id, programmes.ProgrammeInput(
        "2.13.10", "Program Uji Coba Diubah", team.id, ()))
    assert (edited.code, edited.name, edited.activities) == ("2.13.10",
                                                             "Program Uji Coba Diubah", ())

    # The indicator master assigns an indicator to (at most) one programme.
    indicator = formats.list_indicators(ctx)[0]
    data = formats.IndicatorInput(objective_id=indicator.objective_id, name=indicator.name,
                                  unit=indicator.unit, polarity=indicator.polarity,
                                  team_id=indicator.team_id, programme_id=made.id)
    assert formats.update_indicator(ctx, kasubag, indicator.id, data).programme_id == made.id
    counted = next(p for p in programmes.list_programmes(ctx) if p.id == made.id)
    assert counted.indicator_count == 1
    # KEEP_PROGRAMME (the default) leaves the assignment as it is.
    kept = formats.update_indicator(ctx, kasubag, indicator.id,
                                    replace(data, programme_id=formats.KEEP_PROGRAMME,
                                            name=indicator.name + " (ubah)"))
    assert kept.programme_id == made.id

    # Deleting a programme no cycle used removes it; its indicators have no programme.
    assert programmes.delete_programme(ctx, admin, made.id) is True
    assert made.id not in {p.id for p in programmes.list_programmes(ctx, include_inactive=True)}
    assert formats.get_indicator(ctx, indicator.id)[0].programme_id is None

    assert [e[0] for e in _actions(ctx, "program.buat")][-1] == str(made.id)
    (_id, before_edit, after_edit), = [a for a in _actions(ctx, "program.ubah")
                                       if a[0] == str(made.id)]
    assert before_edit["kode"] == "2.13.09" and after_edit["kode"] == "2.13.10"
    (_id, deleted_before, deleted_after), = [a for a in _actions(ctx, "program.hapus")
                                             if a[0] == str(made.id)]
    assert deleted_before["indikator"] == [indicator.id] and deleted_after["dihapus"] is True
    changes = [a for a in _actions(ctx, "indikator.ubah") if a[0] == str(indicator.id)]
    assert indicator.programme_id is not None  # the demo's, under the team's programme
    assert changes[0][1]["programme_id"] == indicator.programme_id
    assert changes[0][2]["programme_id"] == made.id


def test_team_fills_its_programmes_per_cycle_until_the_cycle_closes(ctx):
    demo.build_demo(ctx, teams=2, indicators=2, through_step=3)
    people = _people(ctx)
    cycle = cycles.active_cycle(ctx)
    team_a, team_b = teams.list_teams(ctx)[:2]
    member_a, member_b = _member(ctx, team_a.id), _member(ctx, team_b.id)

    # Step 3 recorded each team's programmes in the cycle (code and name copied).
    views = programmes.cycle_programmes(ctx, cycle.id, team_a.id)
    assert [v.label for v in views] == ["2.13.02 Program Penataan Desa",
                                        "2.13.04 Program Administrasi Pemerintahan Desa"]
    assert all(v.row_id is not None and v.budget is None and v.version == 0 for v in views)

    first = views[0]
    saved = programmes.save_programme_figures(ctx, member_a, cycle.id, first.programme_id,
                                              1_500_000_000.0, 1_200_000_000.0, first.version)
    assert (saved.budget, saved.spent, saved.absorption.value) == (1.5e9, 1.2e9, 80)
    assert saved.version != 0

    # Only the responsible team fills it; amounts are checked like the entry form's.
    with pytest.raises(PermissionDenied):
        programmes.save_programme_figures(ctx, member_b, cycle.id, first.programme_id, 1.0, 1.0)
    for budget, spent in ((-1.0, None), (None, 2e15), (float("nan"), None)):
        with pytest.raises(ValidationError):
            programmes.save_programme_figures(ctx, member_a, cycle.id, first.programme_id,
                                              budget, spent, saved.version)

    # A form holding the figures from before the save is refused with who and when.
    with pytest.raises(EditConflict, match="telah diubah oleh"):
        programmes.save_programme_figures(ctx, member_a, cycle.id, first.programme_id,
                                          9.0, 9.0, first.version)
    assert programmes.cycle_programmes(ctx, cycle.id, team_a.id)[0].budget == 1.5e9

    # The master changes later; the cycle keeps the name it recorded.
    kasubag = people["kasubag"]
    programmes.update_programme(ctx, kasubag, first.programme_id, programmes.ProgrammeInput(
        "2.13.02", "Program Penataan Desa (nama baru)", team_a.id))
    assert programmes.cycle_programmes(ctx, cycle.id, team_a.id)[0].name == \
        "Program Penataan Desa"
    # A programme added to the master after step 3 is offered to the team and recorded
    # when first saved.
    late = programmes.create_programme(ctx, kasubag, programmes.ProgrammeInput(
        "2.13.06", "Program Tambahan", team_a.id))
    offered = [v for v in programmes.cycle_programmes(ctx, cycle.id, team_a.id)
               if v.programme_id == late.id]
    assert offered and offered[0].row_id is None
    recorded = programmes.save_programme_figures(ctx, member_a, cycle.id, late.id, 10.0, 5.0, 0)
    assert recorded.row_id is not None and recorded.name == "Program Tambahan"
    # Deleting a programme a cycle recorded retires it: the cycle keeps its row.
    assert programmes.delete_programme(ctx, kasubag, late.id) is False
    assert late.id in {v.programme_id for v in programmes.cycle_programmes(ctx, cycle.id)}
    assert late.id not in {p.id for p in programmes.list_programmes(ctx)}

    log = [a for a in _actions(ctx, "program.anggaran") if a[0] == str(saved.row_id)]
    assert len(log) == 1
    assert log[0][1]["pagu"] is None and log[0][2] == {"pagu": 1.5e9, "realisasi": 1.2e9,
                                                        "serapan": 80.0}


def test_closed_cycle_refuses_programme_figures(ctx):
    demo.build_demo(ctx, teams=2, indicators=2, through_step=7)
    cycle = cycles.list_cycles(ctx)[0]
    team = teams.list_teams(ctx)[0]
    views = programmes.cycle_programmes(ctx, cycle.id, team.id)
    assert views and all(v.budget is not None and not v.editable for v in views)
    with pytest.raises(CycleClosedError, match="sudah ditutup"):
        programmes.save_programme_figures(ctx, _member(ctx, team.id), cycle.id,
                                          views[0].programme_id, 1.0, 1.0, views[0].version)
    with ctx.read() as session:
        stored = session.scalars(select(CycleProgramme.budget)
                                 .where(CycleProgramme.id == views[0].row_id)).one()
    assert stored == views[0].budget
