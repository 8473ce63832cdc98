"""Team entry and verification desk, driven as a person would (pytest-qt)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kinerja_desktop.domain.numbers import format_percent
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.services import accounts, cycles, demo, entries, formats, teams

# Showing a window on the offscreen platform logs this harmless warning.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def office(ctx):
    demo.build_demo(ctx, teams=2, indicators=2, through_step=3)
    people = {p.username: p.id for p in accounts.list_people(ctx)}
    cycle = cycles.active_cycle(ctx)
    team = teams.list_teams(ctx)[0]
    return ctx, people, cycle, team


def _entry(ctx, qtbot, user_id):
    from kinerja_desktop.ui.screens.team_entry import TeamEntryWidget
    from kinerja_desktop.ui.signals import AppSignals

    signals = AppSignals()
    widget = TeamEntryWidget(ctx, user_id, signals)
    qtbot.addWidget(widget)
    widget.resize(1100, 720)
    widget.show()
    return widget, signals


def test_member_types_indonesian_number_and_sees_achievement(office, qtbot):
    ctx, people, cycle, team = office
    member = team.members[-1].person_id
    widget, _signals = _entry(ctx, qtbot, member)
    item = widget.current
    assert item is not None and item.target is not None
    target = item.target
    widget.actual_edit.clear()
    qtbot.keyClicks(widget.actual_edit, "1.234,5")
    expected = format_percent(Decimal("1234.5") / Decimal(str(target)) * 100)
    assert widget.achievement_label.text().startswith(expected)
    assert "Predikat Sangat Baik" in widget.achievement_label.text()
    assert "Realisasi ÷ Target" in widget.formula_label.text()
    qtbot.waitUntil(lambda: entries.get_item(ctx, item.item_id).values.actual == 1234.5)
    assert "Draf tersimpan" in widget.form_status.text()
    assert widget.model.record(0).values.actual == 1234.5

    # "4.25" is ambiguous: a message, no achievement, nothing saved.
    widget.actual_edit.clear()
    qtbot.keyClicks(widget.actual_edit, "4.25")
    assert "bukan angka yang valid" in widget.form_status.text()
    assert "belum disimpan" in widget.form_status.text()
    assert widget.achievement_label.text() == "–"
    assert widget.save_now() is False
    assert entries.get_item(ctx, item.item_id).values.actual == 1234.5

    # Typing in the table cell is parsed the same way.
    index = widget.model.index(1, widget.model.COL_ACTUAL)
    assert not widget.model.setData(index, "12,3,4")
    assert "bukan angka yang valid" in widget.form_status.text()
    assert widget.model.setData(index, "7,5")
    second = widget.model.record(1)
    assert entries.get_item(ctx, second.item_id).values.actual == 7.5


def test_kasubag_returns_item_and_member_sees_reason(office, qtbot, tmp_path: Path):
    from kinerja_desktop.ui.screens.verification_desk import VerificationDeskWidget

    ctx, people, cycle, team = office
    member, lead = team.members[-1].person_id, team.members[0].person_id
    for item in formats.format_items(ctx, cycle.id, team.id):
        entries.save_entry(ctx, member, item.id, entries.EntryInput(
            actual=10.0, explanation="Penjelasan", supporting="Pendukung",
            inhibiting="Penghambat", follow_up="Upaya"))
    entry, signals = _entry(ctx, qtbot, lead)
    qtbot.waitUntil(lambda: entry.submit_button.isEnabled())
    from kinerja_desktop.services import submissions

    submissions.submit(ctx, lead, cycle.id, team.id)
    signals.data_changed.emit("data")

    desk = VerificationDeskWidget(ctx, people["kasubag"], signals)
    qtbot.addWidget(desk)
    desk.resize(1100, 720)
    desk.show()
    desk.team_combo.setCurrentIndex(desk.team_combo.findData(team.id))
    desk.table.selectRow(0)
    returned_id = desk.current.item_id
    reason = "Angka realisasi berbeda dengan laporan kecamatan."
    assert desk.return_current(reason)
    assert entries.get_item(ctx, returned_id).state is ItemState.RETURNED
    assert next(v for v in desk.all_items if v.item_id == returned_id).state \
        is ItemState.RETURNED
    # The desk moved on to the next waiting item.
    assert desk.current.item_id != returned_id and desk.current.state is ItemState.SUBMITTED

    # The team tab refreshed from the app-level signal and shows the reason.
    row = entry.model.row_of(lambda v: v.item_id == returned_id)
    entry.table.selectRow(row)
    assert entry.current.item_id == returned_id
    assert entry.returned_banner.isVisible()
    assert reason in entry.returned_banner.text()
    assert not entry.actual_edit.isReadOnly()
    assert entry.submit_button.text() == "Serahkan ulang"


def test_draft_is_saved_when_the_screen_closes_and_evidence_attaches(office, qtbot,
                                                                       tmp_path: Path):
    ctx, people, cycle, team = office
    member = team.members[-1].person_id
    widget, _signals = _entry(ctx, qtbot, member)
    item_id = widget.current.item_id
    _caption, explanation = widget.text_edits["penjelasan"]
    qtbot.keyClicks(explanation, "Dihitung dari laporan kecamatan.")
    assert widget.autosave.isActive()
    widget.hide()  # closing before the autosave timer fires loses nothing
    assert entries.get_item(ctx, item_id).values.explanation == "Dihitung dari laporan kecamatan."

    widget.show()
    source = tmp_path / "laporan" / "Rekap kecamatan.pdf"
    source.parent.mkdir()
    source.write_bytes(b"%PDF-1.4 rekap")
    assert widget.attach_file(source)
    assert widget.evidence_list.count() == 1
    assert widget.evidence_list.item(0).text().startswith("Rekap kecamatan.pdf (")
    assert widget.model.data(widget.model.index(0, widget.model.COL_EVIDENCE)) == "1"


def test_evidence_opens_from_the_database_and_damage_is_told(office, qtbot, tmp_path: Path,
                                                              monkeypatch):
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtTest import QTest
    from sqlalchemy import text

    from kinerja_desktop.ui import common

    ctx, people, cycle, team = office
    widget, _signals = _entry(ctx, qtbot, team.members[-1].person_id)
    source = tmp_path / "Rekap kecamatan.pdf"
    source.write_bytes(b"%PDF-1.4 rekap dari basis data")
    assert widget.attach_file(source)
    source.unlink()  # what opens comes from the database, not from the file attached
    opened, errors = [], []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    monkeypatch.setattr(common, "show_error", lambda parent, exc, *a: errors.append(str(exc)))
    widget.evidence_list.setCurrentRow(0)
    QTest.mouseClick(widget.open_evidence_button, Qt.MouseButton.LeftButton)
    assert errors == [] and len(opened) == 1
    assert Path(opened[0]).name == "Rekap kecamatan.pdf"
    assert Path(opened[0]).read_bytes() == b"%PDF-1.4 rekap dari basis data"

    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE stored_file_chunks SET data = :bad"), {"bad": b"rusak"})
    QTest.mouseClick(widget.open_evidence_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1
    assert len(errors) == 1 and "rusak di basis data" in errors[0]


def test_return_dialog_requires_a_reason(office, qtbot):
    from kinerja_desktop.services import submissions, verification
    from kinerja_desktop.ui.dialogs.text import TextDialog

    ctx, people, cycle, team = office
    member, lead = team.members[-1].person_id, team.members[0].person_id
    item = formats.format_items(ctx, cycle.id, team.id)[0]
    for it in formats.format_items(ctx, cycle.id, team.id):
        entries.save_entry(ctx, member, it.id, entries.EntryInput(
            actual=10.0, explanation="Penjelasan", supporting="Pendukung",
            inhibiting="Penghambat", follow_up="Upaya"))
    submissions.submit(ctx, lead, cycle.id, team.id)
    dialog = TextDialog("Kembalikan", "Alasan:", lambda text: verification.return_item(
        ctx, people["kasubag"], item.id, text), minimum=5)
    qtbot.addWidget(dialog)
    dialog.text_edit.setPlainText("   ")
    dialog.accept()
    assert "wajib diisi" in dialog.error_label.text()
    assert entries.get_item(ctx, item.id).state is ItemState.SUBMITTED
    dialog.text_edit.setPlainText("Mohon lampirkan rekap.")
    dialog.accept()
    assert entries.get_item(ctx, item.id).state is ItemState.RETURNED


def test_a_save_from_another_pc_is_told_calmly_and_nothing_typed_is_lost(office, qtbot):
    """Two PCs edit one item: this form keeps the version it loaded; when the other PC
    saved first, the form says who and when, keeps what was typed, and lets the user
    reload or save theirs."""
    from PySide6.QtTest import QTest

    ctx, people, cycle, team = office
    lead, member = team.members[0].person_id, team.members[-1].person_id
    widget, signals = _entry(ctx, qtbot, member)
    item_id = widget.current.item_id
    _caption, explanation = widget.text_edits["penjelasan"]
    loaded = widget.current.version

    def other_pc_saves(text: str) -> None:
        stored = entries.get_item(ctx, item_id)
        entries.save_entry(ctx, lead, item_id, replace(stored.values, explanation=text),
                           expected_version=stored.version)

    qtbot.keyClicks(explanation, "Isian dari PC saya.")
    other_pc_saves("Isian dari PC ketua.")
    assert not widget.save_now()
    assert widget.notice.keep_button.isVisible()
    text = widget.notice.text.text()
    lead_name = next(m.name for m in team.members if m.person_id == lead)
    assert text.startswith(f"Data ini telah diubah oleh {lead_name} pada ")
    assert "WITA; muat ulang." in text and "tetap ada" in text
    assert explanation.toPlainText() == "Isian dari PC saya."
    assert entries.get_item(ctx, item_id).values.explanation == "Isian dari PC ketua."
    assert widget.current.version == loaded  # still the version this form loaded

    # A refresh from the app's change signal, or a click on another row, keeps the text.
    signals.data_changed.emit("data")
    assert explanation.toPlainText() == "Isian dari PC saya."
    assert widget.notice.keep_button.isVisible()
    widget.table.selectRow(1)
    qtbot.waitUntil(lambda: widget.table.currentIndex().row() == 0)
    assert widget.current.item_id == item_id
    assert explanation.toPlainText() == "Isian dari PC saya."

    QTest.mouseClick(widget.notice.keep_button, Qt.MouseButton.LeftButton)
    assert not widget.notice.isVisible()
    assert entries.get_item(ctx, item_id).values.explanation == "Isian dari PC saya."

    # Once more; this time the user reloads and sees the other PC's text.
    qtbot.keyClicks(explanation, " Tambahan.")
    other_pc_saves("Versi terbaru ketua.")
    assert not widget.save_now() and widget.notice.keep_button.isVisible()
    QTest.mouseClick(widget.notice.reload_button, Qt.MouseButton.LeftButton)
    assert not widget.notice.isVisible()
    assert explanation.toPlainText() == "Versi terbaru ketua."
    assert widget.current.version == entries.get_item(ctx, item_id).version


def test_a_table_edit_that_lost_a_race_keeps_the_number(office, qtbot):
    ctx, people, cycle, team = office
    lead, member = team.members[0].person_id, team.members[-1].person_id
    widget, _signals = _entry(ctx, qtbot, member)
    view = widget.model.record(0)
    stored = entries.get_item(ctx, view.item_id)
    entries.save_entry(ctx, lead, view.item_id, replace(stored.values, actual=11.0),
                       expected_version=stored.version)
    index = widget.model.index(0, widget.model.COL_ACTUAL)
    assert not widget.model.setData(index, "42,5", Qt.ItemDataRole.EditRole)
    assert widget.notice.keep_button.isVisible()
    assert widget.current.item_id == view.item_id
    assert widget.actual_edit.text() == "42,5"
    assert entries.get_item(ctx, view.item_id).values.actual == 11.0
