"""Log-in refusals: a wrong password locks the account out, an unknown user is told calmly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

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
    assert message == "Nama pengguna atau kata sandi salah. Silakan coba lagi."
    assert dialog.person is None and not dialog.result()
    for _ in range(3):
        try_login(qtbot, dialog, "kasubag", "salah-sandi")
    message = try_login(qtbot, dialog, "kasubag", "salah-sandi")
    assert "Terlalu banyak percobaan masuk yang gagal" in message and "5 menit" in message
    assert "akun" not in message.lower()  # it does not confirm that an account exists
    # Even the right password is refused while locked, with the time left.
    message = try_login(qtbot, dialog, "kasubag", "rahasia123")
    assert "Terlalu banyak percobaan" in message and "menit" in message
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


def test_first_window_costs_paid_while_the_dialog_waits(qtbot, ctx, small_office, monkeypatch):
    """Shown, the dialog does the first window's one-time work (ui/warmup.py) once, after
    it is painted; the person can type meanwhile."""
    from kinerja_desktop.ui import warmup
    from kinerja_desktop.ui.dialogs.login import LoginDialog

    calls = []
    monkeypatch.setattr(warmup, "warm_up", lambda: calls.append("qt"))
    monkeypatch.setattr(warmup, "_data_done", None)
    real_steps = warmup.data_steps
    monkeypatch.setattr(warmup, "data_steps", lambda c: [
        lambda s=s: (calls.append("data"), s()) for s in real_steps(c)])
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    assert not calls  # nothing before the dialog is shown
    dialog.show()
    qtbot.waitUntil(lambda: calls == ["qt"] + ["data"] * 4)
    dialog.hide()
    dialog.show()
    qtbot.wait(100)
    assert calls == ["qt"] + ["data"] * 4
    assert warmup.data_steps(ctx) == []  # this data was read once already
    assert try_login(qtbot, dialog, "kasubag", "rahasia123") == ""
    assert dialog.person is not None


def test_warm_up_runs_once(qapp):
    from kinerja_desktop.ui import warmup

    warmup.warm_up()
    assert warmup._done
    warmup.warm_up()  # returns at once


def test_data_warm_up_reads_without_failing(ctx, small_office, monkeypatch, caplog):
    import logging

    from kinerja_desktop.ui import warmup

    monkeypatch.setattr(warmup, "_data_done", None)
    with caplog.at_level(logging.INFO, logger="kinerja_desktop.ui.warmup"):
        warmup.warm_data(ctx)
    assert not caplog.records  # no step skipped
    assert warmup.data_steps(ctx) == []
