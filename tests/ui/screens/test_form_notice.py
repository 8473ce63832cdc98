"""The one notice of the team entry and of the verification desk: an item changed on
another PC, a save that lost a race, the server gone. One message at a time in one place,
in view, with *Muat ulang* where it applies; what was typed is never lost."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QLabel

from kinerja_desktop.services import accounts, cycles, demo, entries, teams
from kinerja_desktop.ui.live import ServerState
from kinerja_desktop.ui.widgets.changed_notice import FormNotice

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def office(ctx):
    demo.build_demo(ctx, teams=2, indicators=10, through_step=3)
    people = {p.username: p.id for p in accounts.list_people(ctx)}
    team = teams.list_teams(ctx)[0]
    return ctx, people, team


def _entry(ctx, qtbot, user_id, size=(1366, 640)):
    from kinerja_desktop.ui.screens.team_entry import TeamEntryWidget
    from kinerja_desktop.ui.signals import AppSignals

    signals = AppSignals()
    widget = TeamEntryWidget(ctx, user_id, signals)
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, signals


def _server(signals, answering: bool) -> None:
    """What ui/live.py does when the server stops or starts answering."""
    signals.server_answering = answering
    signals.server_state_changed.emit(ServerState.ANSWERING if answering else ServerState.LOST)


def _shown_notices(widget) -> list[FormNotice]:
    return [n for n in widget.findChildren(FormNotice) if n.isVisible()]


def _other_pc_saves(ctx, who, item_id, **values) -> None:
    stored = entries.get_item(ctx, item_id)
    entries.save_entry(ctx, who, item_id, replace(stored.values, **values),
                       expected_version=stored.version)


def _in_view(widget, notice) -> bool:
    """The whole notice lies inside the widget's visible area."""
    QApplication.processEvents()
    top_left = notice.mapTo(widget, QPoint(0, 0))
    return QRect(QPoint(0, 0), widget.size()).contains(QRect(top_left, notice.size()))


def _positions(entry) -> list[QPoint]:
    QApplication.processEvents()
    QApplication.processEvents()
    fields = [entry.actual_edit, entry.manual_edit, entry.budget_edit, entry.spent_edit,
              *(edit for _c, edit in entry.text_edits.values())]
    return [w.mapTo(entry, QPoint(0, 0)) for w in fields]


def test_a_race_then_the_same_change_heard_is_one_notice(office, qtbot):
    """The save loses the race, then the server's notification of that change arrives:
    one notice, not two banners; Simpan isian saya saves the typing over it."""
    ctx, people, team = office
    lead, member = team.members[0].person_id, team.members[-1].person_id
    entry, signals = _entry(ctx, qtbot, member)
    item = entry.current.item_id
    before = _positions(entry)
    explanation = entry.text_edits["penjelasan"][1]
    qtbot.keyClicks(explanation, "Isian dari PC saya.")
    _other_pc_saves(ctx, lead, item, explanation="Isian dari PC ketua.")
    assert not entry.save_now()
    signals.items_changed_elsewhere.emit(frozenset({item}))
    assert _shown_notices(entry) == [entry.notice]
    assert not [label for label in entry.findChildren(QLabel)
                if label.isVisible() and "diubah" in label.text()
                and not entry.notice.isAncestorOf(label)]
    notice = entry.notice
    assert notice.text.text().startswith("Data ini telah diubah oleh ")
    assert notice.reload_button.isVisible() and notice.keep_button.isVisible()
    assert not notice.close_button.isVisible()
    assert _in_view(entry, notice)
    assert _positions(entry) == before  # showing it moved no field
    notice.keep_button.click()
    assert not notice.isVisible()
    assert entries.get_item(ctx, item).values.explanation == "Isian dari PC saya."


def test_the_server_gone_is_said_in_the_same_notice(office, qtbot):
    ctx, people, team = office
    lead, member = team.members[0].person_id, team.members[-1].person_id
    entry, signals = _entry(ctx, qtbot, member)
    item = entry.current.item_id
    notice = entry.notice
    _server(signals, answering=False)
    assert not notice.isVisible()  # nothing typed: nothing to say
    entry.actual_edit.clear()
    qtbot.keyClicks(entry.actual_edit, "55,5")
    assert not entry.save_now()
    assert _shown_notices(entry) == [notice] and _in_view(entry, notice)
    assert notice.text.text().startswith("Server basis data tidak menjawab. Isian Anda belum "
                                         "disimpan dan tetap di formulir")
    # Muat ulang cannot help while the server is gone; the message stays while it lasts.
    assert not notice.reload_button.isVisible() and not notice.close_button.isVisible()
    assert entry.form_status.text() == "Isian belum disimpan."
    assert "tidak menjawab" not in entry.form_status.text()  # said once, in the notice

    # Meanwhile another PC's change is heard (the server answers that PC): still one
    # notice, and it says what to choose once the server is back.
    _other_pc_saves(ctx, lead, item, actual=88.0)
    signals.items_changed_elsewhere.emit(frozenset({item}))
    assert _shown_notices(entry) == [notice]
    assert "Muat ulang" in notice.text.text() and "tidak menjawab" in notice.text.text()
    _server(signals, answering=True)
    assert notice.reload_button.isVisible() and notice.keep_button.isVisible()
    assert "diubah di komputer lain" in notice.text.text()
    assert entry.actual_edit.text() == "55,5"
    notice.reload_button.click()
    assert entry.actual_edit.text() == "88" and not notice.isVisible()


def test_typing_kept_while_the_server_was_gone_is_saved_and_said(office, qtbot):
    ctx, _people, team = office
    entry, signals = _entry(ctx, qtbot, team.members[-1].person_id)
    item = entry.current.item_id
    _server(signals, answering=False)
    entry.actual_edit.clear()
    qtbot.keyClicks(entry.actual_edit, "12,5")
    entry.save_now()
    assert "tidak menjawab" in entry.notice.text.text()
    _server(signals, answering=True)
    assert entries.get_item(ctx, item).values.actual == 12.5
    assert entry.notice.text.text() == "Server menjawab lagi; isian Anda telah disimpan."
    assert entry.notice.close_button.isVisible()
    entry.notice.close_button.click()
    assert not entry.notice.isVisible()


def test_the_notice_is_in_view_on_a_small_screen(office, qtbot):
    """At 1280×720 the form scrolls; its notice never hides below the fold."""
    ctx, _people, team = office
    entry, signals = _entry(ctx, qtbot, team.members[-1].person_id, size=(1280, 560))
    qtbot.keyClicks(entry.text_edits["upaya"][1], "Pendampingan")
    _server(signals, answering=False)
    entry.save_now()
    assert _in_view(entry, entry.notice)
    assert entry.form_scroll.verticalScrollBar().value() == 0  # the fields did not scroll


def test_the_desk_says_the_server_is_gone_in_its_one_notice(ctx, qtbot):
    from kinerja_desktop.ui.screens.verification_desk import VerificationDeskWidget
    from kinerja_desktop.ui.signals import AppSignals

    demo.build_demo(ctx, teams=2, indicators=2, through_step=5)
    people = {p.username: p.id for p in accounts.list_people(ctx)}
    assert cycles.active_cycle(ctx) is not None
    signals = AppSignals()
    desk = VerificationDeskWidget(ctx, people["kasubag"], signals)
    qtbot.addWidget(desk)
    desk.resize(1366, 640)
    desk.show()
    qtbot.waitUntil(lambda: desk.current is not None)
    item = desk.current.item_id
    from kinerja_desktop.services import verification

    verification.return_item(ctx, people["kasubag"], item, "Bukti dukung belum lengkap")
    signals.items_changed_elsewhere.emit(frozenset({item}))
    notice = desk.notice
    assert _shown_notices(desk) == [notice] and notice.reload_button.isVisible()
    _server(signals, answering=False)
    assert _shown_notices(desk) == [notice]
    assert notice.text.text().startswith("Server basis data tidak menjawab.")
    assert not notice.reload_button.isVisible()
    _server(signals, answering=True)
    assert "diubah di komputer lain" in notice.text.text() and notice.reload_button.isVisible()
    notice.reload_button.click()
    assert not notice.isVisible() and desk.current.state.label == "Dikembalikan"
