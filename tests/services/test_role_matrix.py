"""Every action a role may not take is refused by the service (role × action matrix)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from kinerja_desktop.domain.errors import KinerjaError, PermissionDenied
from kinerja_desktop.services import (
    accounts,
    cycles,
    entries,
    formats,
    sops,
    submissions,
    teams,
    verification,
)
from kinerja_desktop.services import (
    office as office_service,
)

ROLES = ("admin", "sekretaris", "kasubag", "anggota_a", "ketua_a", "anggota_b")


@pytest.fixture
def state(ctx, clock, office):
    """A cycle where team A has handed in its data (step 6 ready for team A)."""
    cycle = cycles.start_cycle(ctx, office.sekretaris, 2025, "800/1", date(2026, 1, 9))
    cycles.finish_step(ctx, office.sekretaris, cycle.id, 1)
    for ind in office.indicators:
        formats.add_to_format(ctx, office.kasubag, cycle.id, ind)
    cycles.finish_step(ctx, office.kasubag, cycle.id, 2)
    team_a, team_b = office.teams[0], office.teams[1]
    for team in (team_a, team_b):
        cycles.finish_step(ctx, office.kasubag, cycle.id, 3, team)
    lead_a, member_a = office.members[team_a]
    items_a = formats.format_items(ctx, cycle.id, team_a)
    for item in items_a:
        entries.save_entry(ctx, member_a, item.id,
                           entries.EntryInput(actual=70.0, explanation="Sesuai laporan."))
    cycles.finish_step(ctx, member_a, cycle.id, 4, team_a)
    submissions.submit(ctx, lead_a, cycle.id, team_a)
    items_b = formats.format_items(ctx, cycle.id, team_b)
    people = {"admin": office.admin, "sekretaris": office.sekretaris, "kasubag": office.kasubag,
              "anggota_a": member_a, "ketua_a": lead_a, "anggota_b": office.members[team_b][1]}
    return dict(cycle=cycle, team_a=team_a, team_b=team_b, items_a=items_a, items_b=items_b,
                people=people)


def _actions(ctx, office, s):
    cycle, team_a, team_b = s["cycle"], s["team_a"], s["team_b"]
    current = sops.current_sop(ctx).definition
    return {
        "mulai siklus (langkah 1)": (
            {"sekretaris"},
            lambda who: cycles.start_cycle(ctx, who, 2024, "800/9", date(2025, 1, 9))),
        "selesaikan langkah 1": (
            {"sekretaris"}, lambda who: cycles.finish_step(ctx, who, cycle.id, 1)),
        "ubah SK": ({"sekretaris"}, lambda who: cycles.update_sk(
            ctx, who, cycle.id, "800/2", date(2026, 1, 9), "Inspektur")),
        "susun format (langkah 2)": (
            {"kasubag"}, lambda who: formats.set_field_requirements(ctx, who, cycle.id, {})),
        "selesaikan langkah 2": (
            {"kasubag"}, lambda who: cycles.finish_step(ctx, who, cycle.id, 2)),
        "sampaikan format (langkah 3)": (
            {"kasubag"}, lambda who: cycles.finish_step(ctx, who, cycle.id, 3, office.teams[2])),
        "isi data tim A (langkah 4)": (
            {"anggota_a", "ketua_a"},
            lambda who: entries.save_entry(ctx, who, s["items_a"][0].id,
                                           entries.EntryInput(actual=1.0))),
        "isi data tim B (langkah 4)": (
            {"anggota_b"},
            lambda who: entries.save_entry(ctx, who, s["items_b"][0].id,
                                           entries.EntryInput(actual=1.0))),
        "serahkan data tim A (langkah 5)": (
            {"anggota_a", "ketua_a"}, lambda who: submissions.submit(ctx, who, cycle.id, team_a)),
        "serahkan data tim B (langkah 5)": (
            {"anggota_b"}, lambda who: submissions.submit(ctx, who, cycle.id, team_b)),
        "verifikasi (langkah 6)": (
            {"kasubag"}, lambda who: verification.verify_item(ctx, who, s["items_a"][0].id)),
        "kembalikan (langkah 6)": (
            {"kasubag"}, lambda who: verification.return_item(
                ctx, who, s["items_a"][1].id, "Mohon dilengkapi buktinya.")),
        "kompilasi (langkah 7)": (
            {"kasubag"}, lambda who: cycles.start_step(ctx, who, cycle.id, 7)),
        "tambah pengguna": ({"admin"}, lambda who: accounts.create_person(
            ctx, who, accounts.PersonInput("Orang Baru", "orang.baru"), "rahasia123")),
        "tambah tim": ({"admin"}, lambda who: teams.create_team(ctx, who, "Tim Baru")),
        "ubah profil kantor": ({"admin"}, lambda who: office_service.save_office(
            ctx, who, office_service.SEED_OFFICE)),
        "ubah SOP": ({"admin"}, lambda who: sops.save_new_version(
            ctx, who, dataclasses.replace(current, name=current.name + " (revisi)"))),
        "ubah indikator": ({"kasubag", "admin"}, lambda who: formats.create_objective(
            ctx, who, "Sasaran baru")),
    }


def test_role_action_matrix(ctx, office, state):
    refused, allowed = [], []
    for action, (may, call) in _actions(ctx, office, state).items():
        for role in ROLES:
            who = state["people"][role]
            try:
                call(who)
            except PermissionDenied:
                refused.append((action, role))
                assert role not in may, f"{role} wrongly refused: {action}"
            except KinerjaError:
                # Refused for another reason (state): the permission check has passed.
                assert role in may, f"{role} passed the permission check of: {action}"
            else:
                allowed.append((action, role))
                assert role in may, f"{role} was allowed: {action}"
    # Every role outside an action's set was refused by permission, not by chance.
    expected = sum(len(ROLES) - len(may) for may, _ in _actions(ctx, office, state).values())
    assert len(refused) == expected


def test_verifier_is_never_the_submitter(ctx, office, state):
    from kinerja_desktop.domain.permissions import Role

    lead_a = state["people"]["ketua_a"]
    accounts.update_person(ctx, office.admin, lead_a, accounts.PersonInput(
        "Ketua Tim 1", "ketua1", roles=frozenset({Role.KASUBAG})))
    with pytest.raises(PermissionDenied, match="penyerah data"):
        verification.verify_item(ctx, lead_a, state["items_a"][0].id)
