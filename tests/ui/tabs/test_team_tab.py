"""The Tim Penyusun tab: one entry section per team of the user."""

from __future__ import annotations

import pytest

from kinerja_desktop.services import accounts, cycles, demo, formats, teams

# Showing a window on the offscreen platform logs this harmless warning.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _people(ctx) -> dict[str, int]:
    return {p.username: p.id for p in accounts.list_people(ctx)}


def test_one_section_per_team_when_the_user_belongs_to_several(ctx, qtbot):
    from kinerja_desktop.ui.signals import UiSession
    from kinerja_desktop.ui.tabs.team_tab import TEAM_SECTION, TeamTab

    demo.build_demo(ctx, teams=2, indicators=2, through_step=3)
    admin = _people(ctx)["admin"]
    team_a, team_b = teams.list_teams(ctx)[:2]
    member = team_a.members[-1].person_id
    lead = next((m.person_id for m in team_b.members if m.is_lead), None)
    teams.set_members(ctx, admin, team_b.id, [m.person_id for m in team_b.members] + [member],
                      lead)
    mine = [t for t in teams.list_teams(ctx) if t.id in accounts.get_person(ctx, member).team_ids]
    assert len(mine) == 2

    session = UiSession(ctx, member)
    tab = TeamTab(session, mine)
    qtbot.addWidget(tab)
    tab.show()
    titles = [tab.sections.tabText(i) for i in range(tab.sections.count())]
    assert titles == [t.name for t in mine]
    for team in mine:
        section = tab.section(team.name)
        section.refresh()
        assert section.team_id == team.id
        assert section.team_combo.isHidden()
        assert {r.team_id for r in section.model.records} == {team.id}
        assert section.model.rowCount() == len(formats.format_items(
            ctx, cycles.active_cycle(ctx).id, team.id))
        assert section._editable(section.current)

    single = TeamTab(UiSession(ctx, team_a.members[0].person_id), [team_a])
    qtbot.addWidget(single)
    assert [single.sections.tabText(i) for i in range(single.sections.count())] == [TEAM_SECTION]
