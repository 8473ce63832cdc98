"""Start-up lookups: the first person holding a role, the workflow's own calendar."""

from __future__ import annotations

from datetime import date

from kinerja_desktop.domain.permissions import Role
from kinerja_desktop.services import accounts, cycles, demo, office, sops, workflow


def _reference_first(ctx, role):
    """The slow way: every person, filtered and sorted in Python."""
    people = sorted((p for p in accounts.list_people(ctx) if p.active and role in p.roles),
                    key=lambda p: p.id)
    return people[0] if people else None


def test_first_with_role_matches_the_full_list(ctx):
    demo.build_demo(ctx, teams=2, indicators=1, through_step=1)
    for role in Role:
        found = accounts.first_with_role(ctx, role)
        assert found is not None
        assert found == _reference_first(ctx, role)
        assert role in found.roles


def test_first_with_role_skips_inactive_and_reports_none(ctx):
    assert accounts.first_with_role(ctx, Role.ADMIN) is None
    demo.build_demo(ctx, teams=2, indicators=1, through_step=1)
    first = accounts.first_with_role(ctx, Role.ADMIN)
    second = accounts.create_person(
        ctx, first.id,
        accounts.PersonInput("Admin Kedua", "admin.kedua", roles=frozenset({Role.ADMIN})),
        "rahasia123")
    accounts.update_person(
        ctx, second.id, first.id,
        accounts.PersonInput(first.name, first.username, first.nip or "", first.pangkat,
                             first.jabatan, first.roles - {Role.TIM}, active=False))
    assert accounts.first_with_role(ctx, Role.ADMIN).id == second.id


def test_workflow_carries_the_calendar_it_was_timed_with(ctx):
    demo.build_demo(ctx, teams=2, indicators=1, through_step=2)
    cycle = cycles.active_cycle(ctx)
    admin = accounts.first_with_role(ctx, Role.ADMIN)
    office.add_day_off(ctx, admin.id, date(2030, 1, 2), "Hari jadi kantor")
    view = workflow.workflow(ctx, cycle.id, admin.id)
    defn = sops.get_sop(ctx, cycle.sop_id).definition
    days_off = {d for d, _ in office.office_days_off(ctx)}
    assert view.calendar.calendar_days == defn.calendar_days
    assert view.calendar.office_days_off == days_off == {date(2030, 1, 2)}
    assert [s.number for s in view.steps] == list(range(1, 8))
    assert view.step(1).finished_at is not None and view.step(2).finished_at is not None
