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
    from kinerja_desktop.ui.format_builder import FormatBuilderWidget
    from kinerja_desktop.ui.indicator_master import IndicatorMasterWidget
    from kinerja_desktop.ui.kasubag_summary import KasubagSummaryWidget
    from kinerja_desktop.ui.verification_desk import VerificationDeskWidget

    widgets: dict[str, QWidget] = {}
    for title, cls in zip(KASUBAG_SECTIONS, (KasubagSummaryWidget, IndicatorMasterWidget,
                                             FormatBuilderWidget, VerificationDeskWidget),
                          strict=True):
        widget = _follow_cycle(cls(session.ctx, session.user_id, session.signals), session)
        tab.add_section(title, widget)
        widgets[title] = widget
    return widgets


def add_team_section(tab, session) -> QWidget:
    """The team entry table and form on the Tim Penyusun tab."""
    from kinerja_desktop.ui.team_entry import TeamEntryWidget

    widget = _follow_cycle(TeamEntryWidget(session.ctx, session.user_id, session.signals),
                           session)
    tab.add_section(TEAM_SECTION, widget)
    return widget
