"""Where the data lives: "Di komputer ini" (the default) or "Server kantor (PostgreSQL)".

:class:`DataLocationForm` is the one form for it, used by the first-run wizard's page,
by Pengaturan ▸ Lokasi data (:class:`DataLocationSection`) and by the dialog offered when
the server does not answer at start-up (:class:`DataLocationDialog`). *Uji koneksi* runs
off the GUI thread and answers in one Indonesian line. The password typed here goes into
libpq's password file when the choice is saved, never into the app's settings.

A changed location takes effect when the window opens again: *Buka ulang sekarang*
closes the window and the program opens the data at the new location
(:data:`restart_requested`, read by ``app.run_app``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.errors import KinerjaError
from kinerja_desktop.ui.common import label_buttons, show_status

#: Set when the user asked to open the data at its new location now (``app.run_app``
#: opens the window again instead of ending the program).
restart_requested = False

LOCAL_TEXT = "Di komputer ini"
#: The server fields' widest extent (pixels), and the start-up dialog's width.
FORM_MAX_WIDTH = 620
SERVER_TEXT = "Server kantor (PostgreSQL)"


class _Outcome(QObject):
    done = Signal(object, object)  # result, error


def run_off_thread(parent: QObject, work: Callable[[], Any],
                   done: Callable[[Any, BaseException | None], None]) -> None:
    """Run ``work`` on a worker thread; ``done(result, error)`` runs on the GUI thread.
    The worker never touches a widget."""
    outcome = _Outcome(parent)

    def finished(result: Any, error: BaseException | None) -> None:
        outcome.deleteLater()
        done(result, error)

    outcome.done.connect(finished)

    def run() -> None:
        try:
            result, error = work(), None
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            result, error = None, exc
        try:
            outcome.done.emit(result, error)
        except RuntimeError:  # the form was closed meanwhile
            pass

    threading.Thread(target=run, name="kinerja-latar", daemon=True).start()


def wait_off_thread(parent: QObject, work: Callable[[], Any]) -> Any:
    """Run ``work`` on a worker thread while the window stays responsive; its result, or
    its exception raised here."""
    loop = QEventLoop()
    box: dict[str, Any] = {}

    def done(result: Any, error: BaseException | None) -> None:
        box.update(result=result, error=error)
        loop.quit()

    run_off_thread(parent, work, done)
    if "error" not in box:
        loop.exec()
    if box["error"] is not None:
        raise box["error"]
    return box["result"]


class DataLocationForm(QWidget):
    """The choice, the server's address, the password and *Uji koneksi*."""

    #: The outcome of *Uji koneksi*: (succeeded, message).
    tested = Signal(bool, str)

    def __init__(self, location=None, parent: QWidget | None = None) -> None:
        """``location`` is a ``services.data_location.DataLocation`` (None: this PC)."""
        super().__init__(parent)
        from kinerja_desktop.services.data_location import DEFAULT_DATABASE, DEFAULT_PORT

        self.local_radio = QRadioButton(LOCAL_TEXT)
        self.local_radio.setObjectName("lokasiKomputerIni")
        self.server_radio = QRadioButton(SERVER_TEXT)
        self.server_radio.setObjectName("lokasiServer")
        group = QButtonGroup(self)
        group.addButton(self.local_radio)
        group.addButton(self.server_radio)
        local_hint = QLabel("Data tersimpan di folder data komputer ini. Cocok untuk kantor "
                            "yang mengerjakan semuanya di satu komputer.")
        server_hint = QLabel("Semua komputer kantor memakai satu basis data di server "
                             "PostgreSQL di jaringan kantor; perubahan dari satu komputer "
                             "langsung tampil di komputer lain.")
        for hint in (local_hint, server_hint):
            hint.setWordWrap(True)
            hint.setIndent(24)
            hint.setStyleSheet("color: #455a64;")

        self.host = QLineEdit()
        self.host.setObjectName("serverAlamat")
        self.host.setPlaceholderText("mis. 192.168.1.10 atau server-kantor")
        self.port = QSpinBox()
        self.port.setObjectName("serverPort")
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.port.setGroupSeparatorShown(False)
        self.database = QLineEdit(DEFAULT_DATABASE)
        self.database.setObjectName("serverBasisData")
        self.user = QLineEdit()
        self.user.setObjectName("serverPengguna")
        self.password = QLineEdit()
        self.password.setObjectName("serverKataSandi")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        # What a server connection takes: a host name (253), PostgreSQL names (63), a
        # password kept in pgpass (none stored by the app).
        self.host.setMaxLength(253)
        self.database.setMaxLength(63)
        self.user.setMaxLength(63)
        self.password.setMaxLength(256)
        self.password.setPlaceholderText("kosongkan bila sudah tersimpan di komputer ini")
        form = QFormLayout()
        form.addRow("Alamat server:", self.host)
        form.addRow("Port:", self.port)
        form.addRow("Nama basis data:", self.database)
        form.addRow("Pengguna server:", self.user)
        form.addRow("Kata sandi:", self.password)
        self.password_hint = password_hint = QLabel(
            "Kata sandi disimpan di berkas kata sandi PostgreSQL komputer ini (pgpass), tidak "
            "di pengaturan aplikasi.")
        password_hint.setWordWrap(True)
        password_hint.setStyleSheet("color: #455a64;")
        form.addRow("", password_hint)
        self.server_box = QWidget()
        self.server_box.setLayout(form)
        # Readable on a wide window: an address needs no 1 300-pixel field.
        self.server_box.setMaximumWidth(FORM_MAX_WIDTH)
        self.port.setMaximumWidth(self.port.fontMetrics().horizontalAdvance("655350") + 48)

        self.test_button = QPushButton("Uji koneksi")
        self.test_button.setObjectName("ujiKoneksi")
        self.test_button.clicked.connect(self.test_connection)
        self.result = QLabel()
        self.result.setObjectName("hasilUjiKoneksi")
        self.result.setWordWrap(True)
        # Two reserved lines: a result never moves what is under the pointer.
        self.result.setMinimumHeight(self.result.fontMetrics().lineSpacing() * 2 + 4)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.result, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.local_radio)
        layout.addWidget(local_hint)
        layout.addWidget(self.server_radio)
        layout.addWidget(server_hint)
        layout.addWidget(self.server_box)
        layout.addLayout(test_row)
        layout.addStretch(1)
        self.local_radio.toggled.connect(self._choice_changed)
        self.testing = False
        self.set_location(location)

    def set_location(self, location) -> None:
        server = location.server if location is not None else None
        if server is not None:
            self.host.setText(server.host)
            self.port.setValue(server.port)
            self.database.setText(server.database)
            self.user.setText(server.user)
        self.server_radio.setChecked(server is not None)
        self.local_radio.setChecked(server is None)
        self._choice_changed()

    def uses_server(self) -> bool:
        return self.server_radio.isChecked()

    def _choice_changed(self) -> None:
        server = self.uses_server()
        self.server_box.setEnabled(server)
        self.test_button.setEnabled(server and not self.testing)
        self.result.clear()

    def address(self):
        """The server's address as typed (ValidationError names the bad field)."""
        from kinerja_desktop.services.data_location import ServerAddress

        return ServerAddress(self.host.text(), self.port.value(), self.database.text(),
                             self.user.text()).checked()

    # ------------------------------------------------------------------ testing

    def test_connection(self) -> None:
        """Uji koneksi: connect once, off the GUI thread; the answer shows below."""
        from kinerja_desktop.services import data_location

        try:
            address = self.address()
        except KinerjaError as exc:
            self._show_result(False, str(exc))
            return
        password = self.password.text()
        self.testing = True
        self.test_button.setEnabled(False)
        self.result.setStyleSheet("")
        self.result.setText(f"Menghubungi {address.label}…")
        run_off_thread(self, lambda: data_location.check_server(address, password),
                       self._tested)

    def _tested(self, found, error: BaseException | None) -> None:
        self.testing = False
        self.test_button.setEnabled(self.uses_server())
        if error is None:
            self._show_result(True, found.message)
        elif isinstance(error, KinerjaError):
            self._show_result(False, str(error))
        else:
            self._show_result(False, f"Uji koneksi gagal: {error}")

    def _show_result(self, ok: bool, message: str) -> None:
        show_status(self.result, message, ok)
        self.tested.emit(ok, message)

    # ------------------------------------------------------------------ saving

    def check_and_save(self, root: Path):
        """Save the choice for the data folder ``root``. For a server, connect first
        (waiting off the GUI thread) and write the password file; the ServerCheck, or
        None for this PC's own file. A refusal raises KinerjaError, nothing saved."""
        from kinerja_desktop.services import data_location

        if not self.uses_server():
            data_location.use_this_computer(root)
            return None
        address = self.address()
        password = self.password.text()
        self.result.setStyleSheet("")
        self.result.setText(f"Menghubungi {address.label}…")
        try:
            found = wait_off_thread(self, lambda: data_location.check_server(address, password))
        except KinerjaError as exc:
            self._show_result(False, str(exc))
            raise
        data_location.use_server(root, address, password)
        self.password.clear()
        self._show_result(True, found.message)
        return found


class DataLocationSection(QWidget):
    """Pengaturan ▸ Lokasi data: where this PC's data lives, changed for the next opening
    (or at once with *Buka ulang sekarang*)."""

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from kinerja_desktop.services import data_location, live

        self.session = session
        self.root = session.ctx.data_dir.root
        place = live.data_place(session.ctx)
        self.intro = intro = QLabel(
            f"Komputer ini sekarang memakai: <b>{place.label}</b> ({place.detail}). "
            "Pengaturan ini berlaku untuk komputer ini saja; log dan pengaturan komputer ini "
            "tetap di folder datanya.")
        intro.setWordWrap(True)
        try:
            location = data_location.read_location(self.root)
        except KinerjaError:
            location = None
        self.form = DataLocationForm(location)
        self.save_button = QPushButton("Simpan")
        self.save_button.setObjectName("simpanLokasiData")
        self.save_button.clicked.connect(self.save)
        self.restart_button = QPushButton("Buka ulang sekarang")
        self.restart_button.setObjectName("bukaUlang")
        self.restart_button.clicked.connect(self.restart)
        self.restart_button.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.restart_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def save(self) -> bool:
        try:
            self.form.check_and_save(self.root)
        except KinerjaError as exc:
            show_status(self.status, f"Belum disimpan: {exc}", False)
            return False
        where = SERVER_TEXT if self.form.uses_server() else LOCAL_TEXT
        show_status(self.status, f"Tersimpan: {where}. Berlaku saat aplikasi dibuka lagi.",
                    True)
        self.restart_button.show()
        return True

    def restart(self) -> None:
        """Close the window (drafts saved) and open the data at its new location."""
        global restart_requested
        restart_requested = True
        self.window().close()


class DataLocationDialog(QDialog):
    """Offered when the data cannot be opened at start-up: change where it lives."""

    def __init__(self, root: Path, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QDialogButtonBox

        from kinerja_desktop.services import data_location

        self.root = root
        self.setWindowTitle("Lokasi data")
        self.setMinimumWidth(FORM_MAX_WIDTH + 40)  # the password's hint wraps, never clipped
        reason = QLabel(message)
        reason.setWordWrap(True)
        reason.setStyleSheet("color: #a61b1b;")
        try:
            location = data_location.read_location(root)
        except KinerjaError:
            location = None
        self.form = DataLocationForm(location)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = label_buttons(QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(reason)
        layout.addWidget(self.form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        try:
            self.form.check_and_save(self.root)
        except KinerjaError as exc:
            show_status(self.status, f"Belum disimpan: {exc}", False)
            return
        self.accept()
