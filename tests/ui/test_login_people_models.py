"""Log-in refusals, NIP validation in the person form, and every table model."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def try_login(qtbot, dialog, username: str, password: str) -> str:
    dialog.username.clear()
    dialog.password.clear()
    qtbot.keyClicks(dialog.username, username)
    qtbot.keyClicks(dialog.password, password)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    return dialog.message.text()


def test_wrong_password_then_lock_out(qtbot, ctx, small_office):
    from kinerja_desktop.ui.dialogs.login import LoginDialog

    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    message = try_login(qtbot, dialog, "kasubag", "salah-sandi")
    assert message == "Nama pengguna atau kata sandi salah. Sisa percobaan: 4."
    assert dialog.person is None and not dialog.result()
    for _ in range(3):
        try_login(qtbot, dialog, "kasubag", "salah-sandi")
    message = try_login(qtbot, dialog, "kasubag", "salah-sandi")
    assert "Akun dikunci selama 5 menit" in message
    # Even the right password is refused while locked, with the time left.
    message = try_login(qtbot, dialog, "kasubag", "rahasia123")
    assert "dikunci sementara" in message and "menit" in message
    assert dialog.person is None
    # Five minutes later the right password works.
    real = ctx.clock
    ctx.clock = lambda: real() + timedelta(minutes=6)
    try_login(qtbot, dialog, "kasubag", "rahasia123")
    assert dialog.person is not None and dialog.person.id == small_office.kasubag


def test_unknown_user_gets_calm_message(qtbot, ctx, small_office):
    from kinerja_desktop.ui.dialogs.login import LoginDialog

    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    assert try_login(qtbot, dialog, "tidakada", "apapun123") == \
        "Nama pengguna atau kata sandi salah. Silakan coba lagi."


def test_invalid_nip_rejected_with_message(qtbot, ctx, small_office):
    from kinerja_desktop.services import accounts
    from kinerja_desktop.ui.dialogs.person import PersonDialog
    from kinerja_desktop.ui.signals import UiSession

    before = len(accounts.list_people(ctx))
    dialog = PersonDialog(UiSession(ctx, small_office.admin))
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Andi Baso")
    qtbot.keyClicks(dialog.username, "andi.baso")
    qtbot.keyClicks(dialog.nip, "19711317 199101 1 001")  # month 13
    qtbot.keyClicks(dialog.password, "rahasia123")
    dialog.pangkat.setCurrentIndex(dialog.pangkat.findData("Penata Muda (III/a)"))
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "tanggal lahir" in dialog.error_label.text()
    assert not dialog.result()
    assert len(accounts.list_people(ctx)) == before

    dialog.nip.clear()
    qtbot.keyClicks(dialog.nip, "197108171991011001")
    dialog.nip.editingFinished.emit()
    assert dialog.nip.text() == "19710817 199101 1 001"
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.result()
    created = dialog.result_value
    assert created.nip == "197108171991011001" and created.pangkat == "Penata Muda (III/a)"


def test_pangkat_offers_the_17_grades(qtbot):
    from kinerja_desktop.domain.people import PANGKAT
    from kinerja_desktop.ui.common import PangkatCombo

    combo = PangkatCombo()
    qtbot.addWidget(combo)
    assert combo.count() == 18  # "none" + 17 grades
    assert [combo.itemData(i) for i in range(1, 18)] == [p.label for p in PANGKAT]


def test_every_table_model(qtmodeltester, ctx):
    """All models, filled from a demo office carried through step 6."""
    from kinerja_desktop.services import accounts, cycles, demo, documents
    from kinerja_desktop.services import teams as teams_service
    from kinerja_desktop.ui.models.records import (
        cycles_model,
        documents_model,
        people_model,
        teams_model,
    )
    from kinerja_desktop.ui.models.workflow import WorkflowModel, team_step_model

    demo.build_demo(ctx, teams=2, indicators=2, through_step=6)
    cycle = cycles.active_cycle(ctx)
    view = cycles.workflow(ctx, cycle.id, None)
    filled = [
        (people_model(), accounts.list_people(ctx)),
        (teams_model(), teams_service.list_teams(ctx)),
        (cycles_model(), cycles.list_cycles(ctx)),
        (documents_model(), documents.list_documents(ctx)),
        (team_step_model(), view.step(3).teams),
    ]
    for model, records in filled:
        model.set_records(records)
        qtmodeltester.check(model)
    assert all(m.rowCount() for m, _ in filled[:3])

    from kinerja_desktop.ui.signals import UiSession
    from kinerja_desktop.ui.tabs.sekretaris_tab import ProgressSection

    session = UiSession(ctx, accounts.list_people(ctx)[0].id)
    session.select_cycle(cycle.id)
    progress = ProgressSection(session)
    progress.refresh()
    assert progress.model.rowCount() == 2
    qtmodeltester.check(progress.model)

    from kinerja_desktop.domain.timing import WorkCalendar

    workflow = WorkflowModel()
    workflow.set_workflow(view, WorkCalendar())
    assert workflow.rowCount() == 7 and workflow.rowCount(workflow.index(2, 0)) == 2
    qtmodeltester.check(workflow)
    workflow.retime(view.now + timedelta(minutes=5))
    qtmodeltester.check(workflow)
    empty = WorkflowModel()
    qtmodeltester.check(empty)
