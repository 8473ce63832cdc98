"""Choosing where the data lives: the first-run wizard's page and Pengaturan ▸ Lokasi data,
with Uji koneksi against a real server (a role that must give its password) and the
password going into libpq's password file, never into the app's settings."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt

from kinerja_desktop.services import accounts, data_location, live
from kinerja_desktop.services.startup import open_context

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

USER = "pegawai_kantor"
PASSWORD = "Sandi:Kantor\\2026"


@pytest.fixture(scope="module")
def password_server(server_databases):
    """The server, with a role that logs in with a password (scram-sha-256)."""
    cluster = server_databases.cluster
    if not getattr(cluster, "_kinerja_password_user", False):
        cluster.allow_password_login(USER, PASSWORD)
        cluster._kinerja_password_user = True
    return server_databases


@pytest.fixture
def pgpass(tmp_path, monkeypatch):
    path = tmp_path / "pgpass.conf"
    monkeypatch.setenv("PGPASSFILE", str(path))
    return path


@pytest.fixture
def server_db(password_server):
    url = password_server.fresh(empty=True)
    yield url
    password_server.drop(url)


def _choose(qtbot, radio) -> None:
    """Click a radio button on its circle (its centre may lie beyond its text)."""
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
    assert radio.isChecked()


def _fill(qtbot, form, url, password: str) -> None:
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    database = url.rsplit("/", 1)[1]
    _choose(qtbot, form.server_radio)
    for edit, text in ((form.host, "127.0.0.1"), (form.database, database), (form.user, USER),
                       (form.password, password)):
        edit.clear()
        qtbot.keyClicks(edit, text)
    form.port.setValue(port)


def _wizard(qtbot, root):
    from kinerja_desktop.ui.dialogs.setup_wizard import SetupWizard

    ctx = open_context(root)
    wizard = SetupWizard(ctx, location_root=root)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_wizard_asks_where_the_data_lives_tests_the_connection_and_moves_there(
        qtbot, tmp_path, server_db, pgpass):
    root = tmp_path / "pc"
    wizard = _wizard(qtbot, root)
    page = wizard.location_page
    assert wizard.currentPage() is page
    form = page.form
    assert form.local_radio.isChecked() and not form.server_box.isEnabled()

    _fill(qtbot, form, server_db, "salah")
    qtbot.mouseClick(form.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.testing, timeout=10_000)
    assert "kata sandi ditolak; periksa kata sandi yang diketik" in form.result.text()
    assert "salah" not in form.result.text()
    wizard.next()  # refused: nothing saved, still on the page
    assert wizard.currentPage() is page and "kata sandi ditolak" in page.error.text()
    assert not (root / "lokasi-data.json").exists() and not pgpass.exists()

    form.password.clear()
    qtbot.keyClicks(form.password, PASSWORD)
    qtbot.mouseClick(form.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.testing, timeout=10_000)
    assert form.result.text().startswith("Tersambung ke PostgreSQL 15")
    assert "masih kosong" in form.result.text()

    wizard.next()
    assert wizard.currentPage() is wizard.welcome
    # The wizard now works on the server (migrated on the way); the password went into
    # the password file, escaped, and the setting holds the URL without it.
    assert live.data_place(wizard.ctx).is_server
    port = server_db.rsplit(":", 1)[1].split("/")[0]
    database = server_db.rsplit("/", 1)[1]
    assert pgpass.read_text() == (f"127.0.0.1:{port}:{database}:{USER}:"
                                  "Sandi\\:Kantor\\\\2026\n")
    stored = (root / "lokasi-data.json").read_text()
    assert "Sandi" not in stored
    assert json.loads(stored)["url"] == f"postgresql+psycopg://{USER}@127.0.0.1:{port}/{database}"
    assert accounts.count_people(wizard.ctx) == 0
    # The empty file the first start made on this PC is gone; log and settings stay.
    assert not (root / "kinerja.sqlite3").exists() and (root / "log").is_dir()
    wizard.ctx.dispose()


def test_wizard_on_a_server_that_holds_the_office_goes_to_log_in(qtbot, tmp_path, server_db,
                                                                 pgpass):
    office_pc = open_context(tmp_path / "pc-pertama", database_url=server_db)
    accounts.create_first_admin(office_pc, accounts.PersonInput("Admin", "admin"), "rahasia123")
    office_pc.dispose()
    wizard = _wizard(qtbot, tmp_path / "pc-kedua")
    _fill(qtbot, wizard.location_page.form, server_db, PASSWORD)
    wizard.next()
    assert wizard.location_page.error.text() == ""
    assert wizard.result() == wizard.DialogCode.Accepted and wizard.joined_office
    assert accounts.count_people(wizard.ctx) == 1
    wizard.ctx.dispose()


def test_this_computer_is_the_default_and_keeps_the_wizard_on_its_file(qtbot, tmp_path):
    root = tmp_path / "pc"
    wizard = _wizard(qtbot, root)
    before = wizard.ctx
    wizard.next()
    assert wizard.currentPage() is wizard.welcome and wizard.ctx is before
    assert data_location.read_location(root).chosen
    assert data_location.stored_database_url(root) is None
    wizard.ctx.dispose()


def test_settings_switch_to_the_server_and_back(qtbot, ctx, small_office, server_db, pgpass):
    from kinerja_desktop.ui.main_window import MainWindow
    from kinerja_desktop.ui.screens import data_location as screen

    window = MainWindow(ctx, small_office.admin, remember=False)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.settings_tab)
    window.settings_tab.show_section("Lokasi data")
    section = window.settings_tab.section("Lokasi data")
    assert "<b>Data: komputer ini</b>" in section.intro.text()
    form = section.form
    assert form.local_radio.isChecked()
    _fill(qtbot, form, server_db, PASSWORD)
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Tersimpan" in section.status.text(), timeout=10_000)
    root = ctx.data_dir.root
    assert data_location.stored_database_url(root).endswith(server_db.rsplit("/", 1)[1])
    assert section.restart_button.isVisible() and form.password.text() == ""

    _choose(qtbot, form.local_radio)
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    assert "Tersimpan: Di komputer ini" in section.status.text()
    assert data_location.read_location(root).chosen
    assert data_location.stored_database_url(root) is None

    screen.restart_requested = False
    qtbot.mouseClick(section.restart_button, Qt.MouseButton.LeftButton)
    assert screen.restart_requested and not window.isVisible()
    screen.restart_requested = False


def test_a_bad_address_is_named_before_any_connection(qtbot):
    from kinerja_desktop.ui.screens.data_location import DataLocationForm

    form = DataLocationForm(None)
    qtbot.addWidget(form)
    form.show()
    _choose(qtbot, form.server_radio)
    qtbot.keyClicks(form.host, "server kantor")
    qtbot.keyClicks(form.user, "tim")
    qtbot.mouseClick(form.test_button, Qt.MouseButton.LeftButton)
    assert "tidak sah" in form.result.text() and not form.testing


def test_the_start_up_dialog_shows_every_line_and_a_port_sized_for_a_port(qtbot, tmp_path):
    """Offered when the server does not answer at start-up: the reason and the password's
    hint are read whole, the fields keep a readable width, the dialog fits the screen."""
    from kinerja_desktop.ui.screens.data_location import FORM_MAX_WIDTH, DataLocationDialog

    dialog = DataLocationDialog(tmp_path, "Server basis data 127.0.0.1:1/kinerja tidak dapat "
                                "dipakai: server tidak menerima sambungan (belum berjalan "
                                "atau port salah).")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    hint = dialog.form.password_hint
    assert hint.height() >= hint.heightForWidth(hint.width())
    assert dialog.form.server_box.width() <= FORM_MAX_WIDTH
    assert dialog.form.port.width() < 160
    screen = dialog.screen().availableGeometry()
    assert screen.contains(dialog.frameGeometry())
