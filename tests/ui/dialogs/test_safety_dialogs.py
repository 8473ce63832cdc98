"""Berkas ▸ Cadangkan…/Pulihkan…, Bantuan ▸ Panduan, the error dialog and the log file."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

# The offscreen platform cannot size or raise native windows; harmless, absent on a desktop.
pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")]


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path):
    from kinerja_desktop import settings

    settings.use_ini_file(tmp_path / "pengaturan.ini")
    yield
    settings.use_ini_file(None)


@pytest.fixture
def office(ctx):
    """The demo office (small) with evidence files; returns the person ids by user name."""
    from kinerja_desktop.services import accounts, demo

    demo.build_demo(ctx, year=2025, teams=1, indicators=2, through_step=4)
    return {p.username: p.id for p in accounts.list_people(ctx)}


@pytest.fixture
def dialogs(monkeypatch):
    """Message boxes answered without a person: records what they said."""
    from kinerja_desktop.ui.dialogs import backup as backup_dialogs

    said: dict[str, list] = {"info": [], "error": [], "asked": []}
    monkeypatch.setattr(backup_dialogs, "inform",
                        lambda parent, title, text: said["info"].append(text))
    monkeypatch.setattr(backup_dialogs, "show_error",
                        lambda parent, exc, title="": said["error"].append(str(exc)))

    def ask(parent, title, text):
        said["asked"].append(text)
        return said.get("answer", True)

    monkeypatch.setattr(backup_dialogs, "ask_yes_no", ask)
    return said


def open_window(qtbot, ctx, user_id):
    from kinerja_desktop.ui.main_window import MainWindow

    window = MainWindow(ctx, user_id, remember=False)
    qtbot.addWidget(window)
    window.show()
    return window


def team_names(root: Path) -> list[str]:
    conn = sqlite3.connect(root / "kinerja.sqlite3")
    try:
        return [r[0] for r in conn.execute("SELECT name FROM teams ORDER BY id")]
    finally:
        conn.close()


def menu_texts(menu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def test_menus_have_backup_restore_and_guide(qtbot, ctx, office):
    window = open_window(qtbot, ctx, office["admin"])
    file_menu = menu_texts(window.menu_file)
    assert "Cadangkan…" in file_menu and "Pulihkan…" in file_menu
    assert file_menu[-1] == "Keluar"
    assert menu_texts(window.menu_help)[0] == "Panduan"
    member = next(u for u in office if u not in ("admin", "sekretaris", "kasubag"))
    other = open_window(qtbot, ctx, office[member])
    assert other.action_backup.isVisible() and not other.action_restore.isVisible()


def test_backup_from_the_menu_then_restore_and_restart(qtbot, ctx, office, dialogs, tmp_path):
    from kinerja_desktop.services import teams
    from kinerja_desktop.ui.dialogs import backup as backup_dialogs

    window = open_window(qtbot, ctx, office["admin"])
    target = tmp_path / "salinan" / "cadangan-kantor"
    written = backup_dialogs.make_backup(window, target=target)
    assert written == target  # the dialog adds .zip only when chosen from the file dialog
    assert written.is_file()
    assert "Cadangan tersimpan di" in dialogs["info"][-1]

    before = team_names(ctx.data_dir.root)
    teams.create_team(ctx, office["admin"], "Tim Setelah Cadangan", "")
    restarted = []
    assert backup_dialogs.restore_backup(window, source=written,
                                         restart=lambda: restarted.append(True))
    assert restarted == [True]
    assert not window.isVisible()
    assert "Semua data saat ini akan diganti" in dialogs["asked"][-1]
    assert "Data telah dipulihkan" in dialogs["info"][-1]
    assert team_names(ctx.data_dir.root) == before
    assert list(ctx.data_dir.backups.glob("sebelum-pemulihan-*.zip"))


def test_restore_of_a_bad_file_refuses_and_keeps_the_window(qtbot, ctx, office, dialogs,
                                                            tmp_path):
    from kinerja_desktop.ui.dialogs import backup as backup_dialogs

    window = open_window(qtbot, ctx, office["admin"])
    bad = tmp_path / "bukan.zip"
    bad.write_bytes(b"PK\x03\x04 terpotong")
    before = team_names(ctx.data_dir.root)
    restarted = []
    assert not backup_dialogs.restore_backup(window, source=bad,
                                             restart=lambda: restarted.append(True))
    assert "tidak dapat dipulihkan" in dialogs["error"][-1]
    assert dialogs["asked"] == [] and restarted == []
    assert window.isVisible()
    assert team_names(ctx.data_dir.root) == before


def test_restore_declined_changes_nothing(qtbot, ctx, office, dialogs, tmp_path):
    from kinerja_desktop.services import backup
    from kinerja_desktop.ui.dialogs import backup as backup_dialogs

    window = open_window(qtbot, ctx, office["admin"])
    good = backup.backup(ctx, tmp_path / "baik.zip").path
    dialogs["answer"] = False
    assert not backup_dialogs.restore_backup(window, source=good, restart=pytest.fail)
    assert window.isVisible()
    assert not list(ctx.data_dir.backups.glob("sebelum-pemulihan-*"))


def test_only_an_administrator_may_restore(qtbot, ctx, office, dialogs, tmp_path):
    from kinerja_desktop.services import backup
    from kinerja_desktop.ui.dialogs import backup as backup_dialogs

    window = open_window(qtbot, ctx, office["kasubag"])
    good = backup.backup(ctx, tmp_path / "baik.zip").path
    assert not backup_dialogs.restore_backup(window, source=good, restart=pytest.fail)
    assert "Hanya Administrator" in dialogs["error"][-1]


def test_guide_opens_from_bantuan_and_names_the_screens(qtbot, ctx, office):
    window = open_window(qtbot, ctx, office["admin"])
    window.action_guide.trigger()
    dialog = window.guide_dialog
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.browser.toPlainText()
    for words in ("Langkah 1", "Siklus baru…", "Format (langkah 2)", "Tim Penyusun",
                  "Verifikasi (langkah 6)", "Berkas ▸ Cetak", "Arsip", "Cadangkan…",
                  "Pulihkan…"):
        assert words in text, words
    window.action_guide.trigger()  # a second F1 raises the same dialog
    assert window.guide_dialog is dialog


@pytest.fixture
def stop_logging():
    from kinerja_desktop.logging_setup import stop_logging

    yield
    stop_logging()


def test_error_dialog_logs_and_shows_a_friendly_message(qtbot, data_root, monkeypatch,
                                                        stop_logging):
    from kinerja_desktop.logging_setup import setup_logging
    from kinerja_desktop.paths import DataDir
    from kinerja_desktop.ui.dialogs import error as error_dialog

    log_file = setup_logging(DataDir(data_root))
    shown = []

    class Box:
        def __init__(self, parent, exc, log, details):
            self.args = (exc, log, details)

        def text(self):
            return error_dialog.friendly_text(self.args[0], self.args[1])

        def exec(self):
            shown.append(self.args)

    error_dialog.install_excepthook(log_file)
    try:
        with monkeypatch.context() as patch:
            patch.setattr(error_dialog, "error_box", Box)
            try:
                raise RuntimeError("contoh kegagalan")
            except RuntimeError as exc:
                error_dialog.handle_exception(type(exc), exc, exc.__traceback__)
            qtbot.waitUntil(lambda: bool(shown))
    finally:
        error_dialog.uninstall_excepthook()
    exc, log, details = shown[0]
    assert isinstance(exc, RuntimeError) and log == log_file
    assert "contoh kegagalan" in details
    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = log_file.read_text(encoding="utf-8")
    assert "Kesalahan tak terduga" in logged and "RuntimeError: contoh kegagalan" in logged
    text = error_dialog.friendly_text(exc, log_file)
    assert text.startswith("Maaf, terjadi kesalahan") and str(log_file) in text
    box = error_dialog.error_box(None, exc, log_file, details)
    qtbot.addWidget(box)
    box.show()
    assert box.close_button.text() == "Tutup" and box.details.isHidden()
    qtbot.mouseClick(box.toggle_button, Qt.MouseButton.LeftButton)
    assert box.details.isVisible() and box.details.toPlainText() == details
    assert box.toggle_button.text() == "Sembunyikan rincian"
    qtbot.mouseClick(box.close_button, Qt.MouseButton.LeftButton)
    assert not box.isVisible()


def test_start_guarded_takes_the_lock_and_makes_the_daily_backup(qtbot, ctx, office,
                                                                 stop_logging):
    from kinerja_desktop.ui import instance
    from kinerja_desktop.ui.dialogs import error as error_dialog

    data_dir = ctx.data_dir
    try:
        lock = instance.start_guarded(data_dir.root)
        assert lock is not None and lock.held
        instance.wait_for_auto_backup(60)
        assert len(list(data_dir.backups.glob("otomatis-*.zip"))) == 1
        assert (data_dir.logs / "kinerja.log").exists()
        with pytest.raises(instance.AlreadyRunningError):
            instance.InstanceLock(data_dir).acquire()
    finally:
        instance.release_held_locks()
        error_dialog.uninstall_excepthook()
    assert not data_dir.lock_file.exists()


def test_relaunch_releases_the_lock_and_starts_the_same_command(qtbot, data_root, monkeypatch):
    import sys

    from kinerja_desktop.paths import DataDir
    from kinerja_desktop.ui import instance
    from kinerja_desktop.ui.dialogs import backup as backup_dialogs

    started, quit_called = [], []
    monkeypatch.setattr(backup_dialogs.QProcess, "startDetached",
                        lambda program, args: started.append((program, list(args))) or True)
    monkeypatch.setattr(backup_dialogs.QApplication, "quit", lambda: quit_called.append(True))
    monkeypatch.setattr(sys, "argv", ["kinerja-desktop", "--data-dir", str(data_root)])
    lock = instance.InstanceLock(DataDir(data_root)).acquire()
    backup_dialogs.relaunch()
    assert not lock.held and not DataDir(data_root).lock_file.exists()
    assert started == [(sys.executable, ["-m", "kinerja_desktop", "--data-dir", str(data_root)])]
    assert quit_called == [True]


def test_on_an_office_server_the_window_names_the_restore_command(qtbot, ctx, office, dialogs,
                                                                   tmp_path, monkeypatch):
    """Restoring a server replaces every PC's data: the window says who does it and how,
    and changes nothing (services.server_backup.restore_instructions, tested on the server)."""
    from kinerja_desktop.services import backup, server_backup
    from kinerja_desktop.ui.dialogs import backup as backup_dialogs

    window = open_window(qtbot, ctx, office["admin"])
    good = backup.backup(ctx, tmp_path / "baik.zip").path
    assert server_backup.restore_instructions(ctx) is None  # SQLite: the window restores
    monkeypatch.setattr(server_backup, "restore_instructions",
                        lambda context: "Data kantor ini ada di server uji.")
    before = team_names(ctx.data_dir.root)
    assert not backup_dialogs.restore_backup(window, source=good, restart=pytest.fail)
    assert dialogs["error"] == ["Data kantor ini ada di server uji."]
    assert dialogs["asked"] == [] and window.isVisible()
    assert team_names(ctx.data_dir.root) == before
