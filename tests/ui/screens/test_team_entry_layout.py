"""The team entry on a 1366×768 laptop: eight rows and the whole form, fields that stay
put while the user types, Tab in the order of the form."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from kinerja_desktop.services import accounts, demo, teams

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def member_window(ctx, qtbot):
    """The main window of a team member whose team has ten indicators (format delivered)."""
    from kinerja_desktop.ui.main_window import MainWindow

    demo.build_demo(ctx, teams=2, indicators=10, through_step=3)
    team = teams.list_teams(ctx)[0]
    member = team.members[-1].person_id
    assert accounts.get_person(ctx, member).team_ids == frozenset({team.id})
    window = MainWindow(ctx, member, remember=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    entry = window.team_tab.entry_section
    assert entry.model.rowCount() == 10
    return window, entry


def inputs(entry) -> list[QWidget]:
    return [entry.actual_edit, entry.manual_edit, entry.justification_edit, entry.budget_edit,
            entry.spent_edit, entry.attach_button]


def test_eight_rows_and_the_whole_form_at_1366x768(member_window, qtbot):
    from kinerja_desktop.ui.sizing import outside_screen

    window, entry = member_window
    qtbot.waitUntil(lambda: outside_screen(window) == "", timeout=2000)
    table = entry.table
    last = table.rowViewportPosition(7) + table.rowHeight(7)
    assert last <= table.viewport().height(), "kurang dari 8 baris indikator terlihat"
    scroll = entry.form_scroll
    assert scroll.verticalScrollBar().maximum() == 0, "formulir tidak tampil utuh"
    assert scroll.horizontalScrollBar().maximum() == 0
    viewport = scroll.viewport()
    for widget in inputs(entry) + [edit for _c, edit in entry.text_edits.values()]:
        assert widget.isVisible()
        top_left = widget.mapTo(viewport, QPoint(0, 0))
        bottom_right = widget.mapTo(viewport, widget.rect().bottomRight())
        assert viewport.rect().contains(top_left) and viewport.rect().contains(bottom_right), (
            widget.objectName() or type(widget).__name__)
    # The columns that matter to pick an indicator stay; the name keeps room to be read.
    header = table.horizontalHeader()
    for column in (entry.model.COL_NAME, entry.model.COL_ACTUAL, entry.model.COL_STATE):
        assert not header.isSectionHidden(column)
    assert header.sectionSize(entry.model.COL_NAME) >= 180


def positions(entry) -> list[QPoint]:
    QApplication.processEvents()  # the layout is redone on a posted event
    QApplication.processEvents()
    widgets = inputs(entry) + [edit for _c, edit in entry.text_edits.values()]
    return [w.mapTo(entry, QPoint(0, 0)) for w in widgets] + [
        QPoint(w.width(), w.height()) for w in widgets]


def test_fields_never_move_while_typing(member_window, qtbot):
    _window, entry = member_window
    entry.table.selectRow(0)
    before = positions(entry)
    # A refused number (error line, red border), a formula of two lines, a manual
    # capaian without its reason, a pagu note and saved-draft messages.
    for edit, text in ((entry.actual_edit, "4.25"), (entry.actual_edit, "85,5"),
                       (entry.manual_edit, "90"), (entry.budget_edit, "abc"),
                       (entry.budget_edit, "1.500.000"), (entry.spent_edit, "1.250.000")):
        edit.clear()
        qtbot.keyClicks(edit, text)
        assert positions(entry) == before, f"bidang bergeser setelah mengetik {text!r}"
    assert entry.save_now() or entry.form_status.text()
    assert positions(entry) == before
    # Another indicator: the fields are where they were.
    entry.table.selectRow(3)
    assert positions(entry) == before


def test_tab_follows_the_form(member_window):
    _window, entry = member_window
    entry.table.selectRow(0)
    texts = [edit for _caption, edit in entry.text_edits.values()]
    expected = [entry.actual_edit, entry.manual_edit, entry.justification_edit,
                entry.budget_edit, entry.spent_edit, entry.evidence_list, entry.attach_button,
                entry.remove_evidence_button, *texts, entry.history_list, entry.comment_button]
    chain, widget = [], entry.table
    for _ in range(200):
        widget = widget.nextInFocusChain()
        if widget is entry.table or len(chain) == len(expected):
            break
        takes_tab = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        if takes_tab and widget.isVisible() and widget.isEnabled() and (
                isinstance(widget, (QLineEdit, QPlainTextEdit, QAbstractButton))
                or widget in expected):
            chain.append(widget)
    assert chain == expected
