"""The Tim Penyusun tab: the entry table and form (steps 4–5), one section per team of
the user.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kinerja_desktop.ui.signals import UiSession
from kinerja_desktop.ui.widgets.role_tab import RoleTab, follow_cycle

TEAM_SECTION = "Isian data (langkah 4–5)"


def team_section_titles(teams) -> list[str]:
    """Section titles on the Tim Penyusun tab for the user's ``teams``: one section
    (:data:`TEAM_SECTION`, with a team chooser) for a single team, else one per team,
    titled with the team's name."""
    if len(teams) <= 1:
        return [TEAM_SECTION]
    return [team.name for team in teams]


def add_team_section(tab, session) -> QWidget:
    """The team entry table and form on the Tim Penyusun tab: one section per team the
    user belongs to (a single section when only one). Returns the first section's widget;
    the other teams' sections are built when first shown."""
    from kinerja_desktop.ui.screens.team_entry import TeamEntryWidget

    teams = list(getattr(tab, "teams", ()) or ())
    if len(teams) <= 1:
        widget = follow_cycle(TeamEntryWidget(session.ctx, session.user_id, session.signals),
                              session)
        tab.add_section(TEAM_SECTION, widget)
        return widget

    def build(team_id: int) -> QWidget:
        return follow_cycle(TeamEntryWidget(session.ctx, session.user_id, session.signals,
                                            team_id=team_id), session)

    titles = team_section_titles(teams)
    first = build(teams[0].id)
    tab.add_section(titles[0], first)
    for team, title in zip(teams[1:], titles[1:], strict=True):
        tab.add_section(title, lambda team_id=team.id: build(team_id))
    return first


class TeamTab(RoleTab):
    """Tim Penyusun: the entry table and form (steps 4–5) for the user's teams."""

    def __init__(self, session: UiSession, teams, parent=None) -> None:
        super().__init__(session, "tabTim", parent)
        self.teams = tuple(teams)
        self.entry_section = add_team_section(self, session)
