"""Plug the performance-data screens into the role tabs (``RoleTab.add_section``).

The widgets take ``(ctx, user_id, signals)``; here they also follow the cycle the
window shows (``UiSession.cycle_selected``).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

FORMAT_SECTION = "Format (langkah 2)"
VERIFY_SECTION = "Verifikasi (langkah 6)"
#: Section titles on the Kasubag tab, in order.
KASUBAG_SECTIONS = ("Ringkasan tim", "Master indikator", FORMAT_SECTION, VERIFY_SECTION)
TEAM_SECTION = "Isian data (langkah 4–5)"


def _follow_cycle(widget: QWidget, session) -> QWidget:
    if session.cycle_id is not None:
        widget.set_cycle(session.cycle_id)  # type: ignore[attr-defined]
    session.cycle_selected.connect(widget.set_cycle)  # type: ignore[attr-defined]
    return widget


def add_kasubag_sections(tab, session) -> dict[str, QWidget]:
    """Summary, indicator master, format builder and verification desk on the Kasubag tab."""
    from kinerja_desktop.ui.screens.format_builder import FormatBuilderWidget
    from kinerja_desktop.ui.screens.indicator_master import IndicatorMasterWidget
    from kinerja_desktop.ui.screens.kasubag_summary import KasubagSummaryWidget
    from kinerja_desktop.ui.screens.verification_desk import VerificationDeskWidget

    widgets: dict[str, QWidget] = {}
    for title, cls in zip(KASUBAG_SECTIONS, (KasubagSummaryWidget, IndicatorMasterWidget,
                                             FormatBuilderWidget, VerificationDeskWidget),
                          strict=True):
        widget = _follow_cycle(cls(session.ctx, session.user_id, session.signals), session)
        tab.add_section(title, widget)
        widgets[title] = widget
    return widgets


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
        widget = _follow_cycle(TeamEntryWidget(session.ctx, session.user_id, session.signals),
                               session)
        tab.add_section(TEAM_SECTION, widget)
        return widget

    def build(team_id: int) -> QWidget:
        return _follow_cycle(TeamEntryWidget(session.ctx, session.user_id, session.signals,
                                             team_id=team_id), session)

    titles = team_section_titles(teams)
    first = build(teams[0].id)
    tab.add_section(titles[0], first)
    for team, title in zip(teams[1:], titles[1:], strict=True):
        tab.add_section(title, lambda team_id=team.id: build(team_id))
    return first
