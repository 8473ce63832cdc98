"""Performance data services: format rules, entry, submission, verification, summary."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from kinerja_desktop.db.models import Setting, StoredFile
from kinerja_desktop.domain.errors import (
    ConflictError,
    IncompleteError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.services import (
    accounts,
    cycles,
    demo,
    entries,
    files,
    formats,
    submissions,
    summary,
    teams,
    verification,
    workflow,
)


def _people(ctx) -> dict[str, int]:
    return {p.username: p.id for p in accounts.list_people(ctx)}


@pytest.fixture
def office(ctx):
    """Two teams of two indicators each; the cycle carried through step 3."""
    demo.build_demo(ctx, teams=2, indicators=2, through_step=3)
    people = _people(ctx)
    cycle = cycles.active_cycle(ctx)
    team_list = teams.list_teams(ctx)
    return ctx, people, cycle, team_list


def _full_entry(item: formats.FormatItemInfo, actual: float = 42.0) -> entries.EntryInput:
    return entries.EntryInput(
        actual=actual, budget=100_000_000.0, spent=90_000_000.0,
        explanation="Data dari laporan kecamatan.", supporting="Dukungan camat.",
        inhibiting="Laporan desa terlambat.", follow_up="Pendampingan intensif.")


def _fill_team(ctx, member: int, cycle_id: int, team_id: int) -> list[formats.FormatItemInfo]:
    items = formats.format_items(ctx, cycle_id, team_id)
    for item in items:
        entries.save_entry(ctx, member, item.id, _full_entry(item))
    return items


# --------------------------------------------------------------------------- step 2 rules


def test_step_two_refuses_empty_format_missing_team_and_missing_target(ctx):
    demo.build_demo(ctx, teams=1, indicators=2, through_step=1)
    people = _people(ctx)
    kasubag = people["kasubag"]
    cycle = cycles.active_cycle(ctx)
    cycles.start_step(ctx, kasubag, cycle.id, 2)
    with pytest.raises(IncompleteError) as empty:
        cycles.finish_step(ctx, kasubag, cycle.id, 2)
    assert any("format belum berisi indikator" in m for m in empty.value.missing)

    first, second = formats.list_indicators(ctx)
    item = formats.add_to_format(ctx, kasubag, cycle.id, first.id)
    assert item.team_id == first.team_id and item.target is not None
    no_target = formats.add_to_format(ctx, kasubag, cycle.id, second.id)
    formats.update_format_item(ctx, kasubag, no_target.id, None, None)
    with pytest.raises(IncompleteError) as err:
        cycles.finish_step(ctx, kasubag, cycle.id, 2)
    assert f"Indikator '{second.name}' belum ditetapkan timnya" in err.value.missing
    assert f"Indikator '{second.name}' belum memiliki target" in err.value.missing
    assert not any(first.name in m for m in err.value.missing)

    formats.update_format_item(ctx, kasubag, no_target.id, first.team_id, 12.5)
    cycles.finish_step(ctx, kasubag, cycle.id, 2)
    assert workflow.workflow(ctx, cycle.id).step(2).finished_at is not None


def test_indicator_master_targets_and_copy_from_last_year(ctx):
    demo.build_demo(ctx, teams=1, indicators=2, through_step=0)
    kasubag = _people(ctx)["kasubag"]
    indicator = formats.list_indicators(ctx)[0]
    year = 2025
    assert formats.targets_for_year(ctx, year)[indicator.id].target is not None
    assert formats.targets_for_year(ctx, year + 1) == {}
    assert formats.copy_targets_from_previous_year(ctx, kasubag, year + 1) == 2
    copied = formats.targets_for_year(ctx, year + 1)[indicator.id]
    assert copied.target == formats.targets_for_year(ctx, year)[indicator.id].target
    # A second copy adds nothing and never overwrites a target already set.
    formats.set_target(ctx, kasubag, indicator.id, year + 1, 99.0)
    assert formats.copy_targets_from_previous_year(ctx, kasubag, year + 1) == 0
    assert formats.targets_for_year(ctx, year + 1)[indicator.id].target == 99.0
    with pytest.raises(NotFound):
        formats.copy_targets_from_previous_year(ctx, kasubag, 2040)
    assert [t.year for t in formats.indicator_targets(ctx, indicator.id)] == [2025, 2026]
    objective = formats.list_objectives(ctx)[0]
    renamed = formats.update_objective(ctx, kasubag, objective.id, "  Sasaran   baru ", "SS9")
    assert (renamed.name, renamed.code) == ("Sasaran baru", "SS9")
    retired = formats.set_indicator_active(ctx, kasubag, indicator.id, False)
    assert not retired.active
    assert indicator.id not in {i.id for i in formats.list_indicators(ctx)}


def test_copy_format_from_previous_year(ctx):
    demo.build_demo(ctx, teams=1, indicators=2, through_step=7)
    people = _people(ctx)
    previous = cycles.active_cycle(ctx)
    new = cycles.start_cycle(ctx, people["sekretaris"], previous.year + 1, "800/1/2026",
                             previous.sk_date)
    cycles.finish_step(ctx, people["sekretaris"], new.id, 1)
    assert formats.copy_from_previous_year(ctx, people["kasubag"], new.id) == 2
    old_items = formats.format_items(ctx, previous.id)
    new_items = formats.format_items(ctx, new.id)
    assert [i.indicator_id for i in new_items] == [i.indicator_id for i in old_items]
    assert [i.team_id for i in new_items] == [i.team_id for i in old_items]
    assert formats.field_requirements(ctx, new.id) == formats.field_requirements(ctx, previous.id)


# --------------------------------------------------------------------------- entry


def test_draft_save_evidence_and_predikat(office, tmp_path: Path):
    ctx, people, cycle, team_list = office
    team = team_list[0]
    member = team.members[-1].person_id
    item = formats.format_items(ctx, cycle.id, team.id)[1]
    view = entries.save_entry(ctx, member, item.id, entries.EntryInput(actual=item.target))
    assert view.state is ItemState.DRAFT
    assert view.achievement.value is not None and view.predikat == "Sangat Baik"
    assert view.absorption is not None and not view.absorption.computable
    assert "Penjelasan" in view.missing

    source = tmp_path / "sub dir" / "rekap.pdf"
    source.parent.mkdir()
    source.write_bytes(b"%PDF-1.4 rekap")
    view = entries.attach_evidence(ctx, member, item.id, source)
    evidence = view.evidence[-1]
    assert evidence.original_name == "rekap.pdf"
    copy = tmp_path / "salinan.pdf"
    files.copy_out(ctx, evidence.sha256, copy)
    assert copy.read_bytes() == b"%PDF-1.4 rekap"
    with pytest.raises(ConflictError):
        entries.attach_evidence(ctx, member, item.id, source)
    # A name carrying a path (as from another PC) is shown by its last part only.
    odd = tmp_path / "..\\..\\Windows\\laporan akhir.pdf"
    odd.write_bytes(b"%PDF-1.4 akhir")
    view = entries.attach_evidence(ctx, member, item.id, odd)
    assert view.evidence[-1].original_name == "laporan akhir.pdf"
    with ctx.read() as session:
        assert sorted(session.scalars(select(StoredFile.sha256))) == \
            sorted(e.sha256 for e in view.evidence)
    assert not ctx.data_dir.attachments.exists()

    with ctx.transaction() as session:
        session.add(Setting(key="evidence_max_bytes", value="10"))
    big = tmp_path / "besar.pdf"
    big.write_bytes(b"x" * 11)
    with pytest.raises(ValidationError, match="terlalu besar"):
        entries.attach_evidence(ctx, member, item.id, big)
    assert len(entries.get_item(ctx, item.id).evidence) == len(view.evidence)

    outsider = team_list[1].members[0].person_id
    with pytest.raises(PermissionDenied):
        entries.save_entry(ctx, outsider, item.id, entries.EntryInput(actual=1.0))
    with pytest.raises(ValidationError, match="justifikasi"):
        entries.save_entry(ctx, member, item.id,
                           entries.EntryInput(actual=1.0, manual_achievement=90.0))


# --------------------------------------------------------------------------- submission


def test_submit_refused_when_required_fields_missing(office):
    ctx, people, cycle, team_list = office
    team = team_list[0]
    member = team.members[-1].person_id
    items = formats.format_items(ctx, cycle.id, team.id)
    entries.save_entry(ctx, member, items[0].id, _full_entry(items[0]))
    entries.save_entry(ctx, member, items[1].id, entries.EntryInput(actual=3.0))
    with pytest.raises(IncompleteError) as err:
        submissions.submit(ctx, team.members[0].person_id, cycle.id, team.id)
    assert str(err.value).startswith("Data belum dapat diserahkan")
    assert len(err.value.missing) == 1
    assert err.value.missing[0].startswith(items[1].indicator_name)
    assert "Penjelasan" in err.value.missing[0] and "Faktor pendukung" in err.value.missing[0]
    assert submissions.list_submissions(ctx, cycle.id, team.id) == []
    assert all(i.state is ItemState.DRAFT for i in entries.list_team_items(ctx, cycle.id, team.id))


def test_submit_return_resubmit_verify_cycle(office):
    ctx, people, cycle, team_list = office
    kasubag = people["kasubag"]
    team = team_list[0]
    lead, member = team.members[0].person_id, team.members[-1].person_id
    items = _fill_team(ctx, member, cycle.id, team.id)

    first = submissions.submit(ctx, lead, cycle.id, team.id)
    assert first.version == 1 and first.item_count == 2 and len(first.snapshot_sha256) == 64
    assert first.changes == ()
    flow = workflow.workflow(ctx, cycle.id)
    team_view = {t.team_id: t for t in flow.step(5).teams}[team.id]
    assert team_view.finished_at is not None
    assert all(v.state is ItemState.SUBMITTED
               for v in entries.list_team_items(ctx, cycle.id, team.id))
    with pytest.raises(ConflictError):
        submissions.submit(ctx, lead, cycle.id, team.id)
    with pytest.raises(ConflictError):
        entries.save_entry(ctx, member, items[0].id, _full_entry(items[0], 1.0))

    with pytest.raises(ValidationError, match="wajib"):
        verification.return_item(ctx, kasubag, items[0].id, "   ")
    assert entries.get_item(ctx, items[0].id).state is ItemState.SUBMITTED
    reason = "Angka realisasi berbeda dengan laporan kecamatan."
    returned = verification.return_item(ctx, kasubag, items[0].id, reason)
    assert returned.state is ItemState.RETURNED and returned.last_return_reason == reason
    verification.verify_item(ctx, kasubag, items[1].id)
    with pytest.raises(ConflictError):
        verification.verify_item(ctx, kasubag, items[0].id)

    # The team sees the reason, corrects only the returned item and resubmits.
    view = entries.list_team_items(ctx, cycle.id, team.id)[0]
    assert view.state is ItemState.RETURNED and view.last_return_reason == reason
    with pytest.raises(ConflictError):
        entries.save_entry(ctx, member, items[1].id, _full_entry(items[1], 1.0))
    entries.save_entry(ctx, member, items[0].id, replace(view.values, actual=43.5))
    second = submissions.submit(ctx, lead, cycle.id, team.id)
    assert second.version == 2 and second.snapshot_sha256 != first.snapshot_sha256
    changed = {(c.indicator, c.field, c.before, c.after) for c in second.changes}
    assert (items[0].indicator_name, "Realisasi", 42.0, 43.5) in changed
    assert len(second.changes) == 1
    assert submissions.get_submission(ctx, second.id).changes == second.changes
    assert submissions.latest_for_team(ctx, cycle.id, team.id).version == 2

    verification.verify_item(ctx, kasubag, items[0].id, "Sudah sesuai.")
    flow = workflow.workflow(ctx, cycle.id)
    assert {t.team_id: t for t in flow.step(6).teams}[team.id].finished_at is not None
    assert flow.step(7).ready_at is None  # the other team is not verified yet
    history = [h.action_label for h in entries.get_item(ctx, items[0].id).history]
    assert history == ["Diserahkan", "Dikembalikan", "Diserahkan ulang", "Diverifikasi"]


def test_step_six_completes_when_every_team_is_verified(office):
    ctx, people, cycle, team_list = office
    kasubag = people["kasubag"]
    for team in team_list:
        _fill_team(ctx, team.members[-1].person_id, cycle.id, team.id)
        submissions.submit(ctx, team.members[0].person_id, cycle.id, team.id)
    for team in team_list:
        for item in formats.format_items(ctx, cycle.id, team.id):
            verification.verify_item(ctx, kasubag, item.id)
    flow = workflow.workflow(ctx, cycle.id)
    assert flow.step(6).teams_done == 2 and flow.step(7).ready_at is not None


def test_verifier_cannot_be_the_submitter(office):
    ctx, people, cycle, team_list = office
    kasubag = people["kasubag"]
    team = team_list[0]
    admin = people["admin"]
    ids = [m.person_id for m in team.members] + [kasubag]
    teams.set_members(ctx, admin, team.id, ids, lead_id=team.members[0].person_id)
    items = _fill_team(ctx, team.members[-1].person_id, cycle.id, team.id)
    submissions.submit(ctx, kasubag, cycle.id, team.id)
    with pytest.raises(PermissionDenied, match="Verifikator"):
        verification.verify_item(ctx, kasubag, items[0].id)
    with pytest.raises(PermissionDenied, match="Verifikator"):
        verification.return_item(ctx, kasubag, items[0].id, "Mohon diperiksa kembali.")
    assert entries.get_item(ctx, items[0].id).state is ItemState.SUBMITTED
    # A team member may not verify either: step 6 belongs to the Kasubag.
    with pytest.raises(PermissionDenied):
        verification.verify_item(ctx, team.members[-1].person_id, items[0].id)


def test_comments_go_into_the_history(office):
    ctx, people, cycle, team_list = office
    team = team_list[0]
    item = formats.format_items(ctx, cycle.id, team.id)[0]
    verification.add_comment(ctx, people["kasubag"], item.id, "Mohon lampirkan rekap.")
    view = verification.add_comment(ctx, team.members[0].person_id, item.id, "Baik, segera.")
    assert [(h.action_label, h.comment) for h in view.history] == [
        ("Komentar", "Mohon lampirkan rekap."), ("Komentar", "Baik, segera.")]
    with pytest.raises(PermissionDenied):
        verification.add_comment(ctx, team_list[1].members[0].person_id, item.id, "Halo")
    with pytest.raises(ValidationError):
        verification.add_comment(ctx, people["kasubag"], item.id, "  ")


def test_summary_counts_per_team(office, tmp_path: Path):
    ctx, people, cycle, team_list = office
    kasubag = people["kasubag"]
    team, other = team_list
    items = _fill_team(ctx, team.members[-1].person_id, cycle.id, team.id)
    (tmp_path / "bukti.pdf").write_bytes(b"%PDF bukti")
    entries.attach_evidence(ctx, team.members[-1].person_id, items[0].id, tmp_path / "bukti.pdf")
    submissions.submit(ctx, team.members[0].person_id, cycle.id, team.id)
    verification.return_item(ctx, kasubag, items[0].id, "Mohon diklarifikasi.")
    result = summary.cycle_summary(ctx, cycle.id)
    by_team = {t.team_id: t for t in result.teams}
    first = by_team[team.id]
    assert (first.items, first.filled, first.submitted, first.returned, first.verified) == \
        (2, 2, 1, 1, 0)
    assert first.versions == 1 and first.time(5).status.is_finished
    assert first.evidence_coverage == 0.5
    assert first.time(6).used != "-" and "hari" in first.time(6).standard.lower()
    second = by_team[other.id]
    assert (second.items, second.filled, second.submitted, second.versions) == (2, 0, 0, 0)
    assert second.evidence_coverage == 0.0 and second.time(6).used == "-"
    assert not result.all_verified and result.items == 4
    # The verification desk's clock reads one team's step alone: the same figures.
    now = ctx.now()
    whole = summary.cycle_summary(ctx, cycle.id, now=now)
    for team_summary in whole.teams:
        for number in summary.TEAM_STEPS:
            assert summary.team_step_time(ctx, cycle.id, team_summary.team_id, number,
                                          now=now) == team_summary.time(number)


def test_achievement_rules_in_the_team_view(ctx):
    from decimal import Decimal

    from kinerja_desktop.domain.achievement import PredikatBand, PredikatScale
    from kinerja_desktop.services import office

    demo.build_demo(ctx, teams=1, indicators=2, through_step=1)
    people = _people(ctx)
    kasubag, admin = people["kasubag"], people["admin"]
    cycle = cycles.active_cycle(ctx)
    team = teams.list_teams(ctx)[0]
    first, second = formats.list_indicators(ctx)
    objective = formats.list_objectives(ctx)[0]
    qualitative = formats.create_indicator(ctx, kasubag, formats.IndicatorInput(
        objective_id=objective.id, name="Opini BPK", unit="kategori", qualitative=True,
        team_id=team.id))
    zero = formats.add_to_format(ctx, kasubag, cycle.id, first.id)
    normal = formats.add_to_format(ctx, kasubag, cycle.id, second.id)
    opinion = formats.add_to_format(ctx, kasubag, cycle.id, qualitative.id, target_text="WTP")
    formats.update_format_item(ctx, kasubag, zero.id, team.id, 0.0)
    formats.update_format_item(ctx, kasubag, normal.id, team.id, 80.0)
    cycles.finish_step(ctx, kasubag, cycle.id, 2)
    cycles.finish_step(ctx, kasubag, cycle.id, 3, team.id)
    member = team.members[-1].person_id

    view = entries.save_entry(ctx, member, zero.id, entries.EntryInput(actual=5.0))
    assert view.achievement.status_label() == "Tidak dapat dihitung: Target bernilai 0"
    assert view.predikat is None
    view = entries.save_entry(ctx, member, zero.id, entries.EntryInput(
        actual=5.0, manual_achievement=100.0, manual_justification="Kegiatan baru tahun ini."))
    assert view.achievement.status_label() == "100,00% (manual)" and view.predikat == "Sangat Baik"
    view = entries.save_entry(ctx, member, opinion.id, entries.EntryInput(actual_text="WTP"))
    assert view.achievement.reason == "Indikator kualitatif"
    assert view.missing == ("Penjelasan",)
    with pytest.raises(ValidationError, match="kualitatif"):
        entries.save_entry(ctx, member, opinion.id, entries.EntryInput(actual=1.0))
    view = entries.save_entry(ctx, member, normal.id, entries.EntryInput(
        actual=70.0, budget=200_000_000.0, spent=150_000_000.0))
    assert view.achievement.value == Decimal("87.50") and view.predikat == "Baik"
    assert view.absorption.status_label() == "75,00%"

    # The office edits its predikat scale: the cycle keeps the scale recorded when its
    # format was sent (step 3), so the same 87,50% stays "Baik" here.
    office.save_predikat_scale(ctx, admin, PredikatScale((
        PredikatBand("Sangat Baik", Decimal(85)), PredikatBand("Baik", Decimal(70)),
        PredikatBand("Kurang", Decimal(0)))))
    assert office.predikat_scale(ctx).classify(Decimal("87.50")) == "Sangat Baik"
    assert entries.get_item(ctx, normal.id).predikat == "Baik"
    listed = {v.item_id: v for v in entries.list_team_items(ctx, cycle.id, team.id)}
    assert listed[normal.id].predikat == "Baik" and listed[zero.id].predikat == "Sangat Baik"


def test_draft_stays_editable_after_filling_is_finished_until_handed_in(office):
    ctx, people, cycle, team_list = office
    team = team_list[0]
    member = team.members[-1].person_id
    items = _fill_team(ctx, member, cycle.id, team.id)
    cycles.finish_step(ctx, member, cycle.id, 4, team.id)
    view = entries.save_entry(ctx, member, items[0].id, _full_entry(items[0], 50.0))
    assert view.values.actual == 50.0 and view.state is ItemState.DRAFT
    info = submissions.submit(ctx, member, cycle.id, team.id)
    assert info.snapshot["items"][0]["actual"] == 50.0
    with pytest.raises(ConflictError, match="Diserahkan"):
        entries.save_entry(ctx, member, items[0].id, _full_entry(items[0], 51.0))
