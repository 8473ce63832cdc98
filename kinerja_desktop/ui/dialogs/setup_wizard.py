"""First-run setup on an empty data directory.

Pages: welcome (with "Muat data contoh"), office profile prefilled from
:data:`services.office.SEED_OFFICE` with a logo from a file, the administrator
account, then teams and users with their roles. On a new data folder it first asks
where the data lives (:class:`DataLocationPage`): this PC, or the office's server,
which may already hold the office (then the wizard ends and the log-in follows).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWizard, QWizardPage

from kinerja_desktop import APP_NAME
from kinerja_desktop.domain.errors import KinerjaError, ValidationError
from kinerja_desktop.domain.input_rules import USERNAME_MAX
from kinerja_desktop.ui.common import ERROR_STYLE, NipEdit, PangkatCombo
from kinerja_desktop.ui.sizing import size_window
from kinerja_desktop.ui.widgets.text_limits import limit_line, limit_password


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


class WelcomePage(QWizardPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.setTitle(f"Selamat datang di {APP_NAME}")
        text = QLabel(
            "Folder data ini masih kosong. Penyiapan awal mengisi profil kantor, membuat akun "
            "administrator, lalu tim dan pengguna.<br><br>Ingin melihat-lihat dulu? "
            "<b>Muat data contoh</b> mengisi folder ini dengan kantor contoh (DPMD Kabupaten "
            "Soppeng, beberapa tim dan satu siklus lengkap). Semua akun contoh memakai kata "
            "sandi <b>demo12345</b>.")
        text.setWordWrap(True)
        self.demo_button = QPushButton("Muat data contoh")
        self.demo_button.clicked.connect(wizard.load_demo)
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.demo_button)
        layout.addWidget(self.error)
        layout.addStretch(1)


class DataLocationPage(QWizardPage):
    """Di komputer ini (the default) or Server kantor (PostgreSQL); shown first on a new
    data folder. Choosing a server opens it (the wizard continues there)."""

    def __init__(self, wizard: SetupWizard, root) -> None:
        super().__init__()
        from kinerja_desktop.ui.screens.data_location import DataLocationForm

        self.root = root
        self.setTitle("Lokasi data")
        self.setSubTitle("Di mana data kantor disimpan? Dapat diubah kemudian di Pengaturan "
                         "▸ Lokasi data.")
        self.form = DataLocationForm(None)
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.error)

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        wizard = self.wizard()
        if wizard.joined_office:  # accept() below validates this page once more
            return True
        try:
            found = self.form.check_and_save(self.root)
            wizard.open_chosen(self.root, server=found is not None)
        except KinerjaError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        self.error.hide()
        if found is not None and found.has_office:
            wizard.joined_office = True
            wizard.accept()
            return False
        return True


class OfficePage(QWizardPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        from kinerja_desktop.services import office
        from kinerja_desktop.ui.screens.office import OfficeForm

        self.setTitle("Profil kantor")
        self.setSubTitle("Dipakai pada kop surat dan blok tanda tangan. Dapat diubah kemudian "
                         "di Pengaturan.")
        self.form = OfficeForm(office.SEED_OFFICE)
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.error)

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        from kinerja_desktop.services import office

        try:
            self.wizard().office_info = self.form.info(office.SEED_OFFICE)
        except KinerjaError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        self.error.hide()
        return True


class AdminPage(QWizardPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        from PySide6.QtWidgets import QFormLayout

        self.setTitle("Akun administrator")
        self.setSubTitle("Administrator mengatur kantor, pengguna, tim dan SOP.")
        self.name = limit_line(QLineEdit(), "people.name")
        self.username = QLineEdit("admin")
        self.username.setMaxLength(USERNAME_MAX)
        self.nip = NipEdit()
        self.pangkat = PangkatCombo()
        self.jabatan = limit_line(QLineEdit(), "people.jabatan")
        self.password = QLineEdit()
        self.repeat = QLineEdit()
        for edit in (self.password, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            limit_password(edit)
        form = QFormLayout()
        form.addRow("Nama lengkap:", self.name)
        form.addRow("Nama pengguna:", self.username)
        form.addRow("NIP:", self.nip)
        form.addRow("Pangkat/golongan:", self.pangkat)
        form.addRow("Jabatan:", self.jabatan)
        form.addRow("Kata sandi:", self.password)
        form.addRow("Ulangi kata sandi:", self.repeat)
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        wizard = self.wizard()
        try:
            wizard.create_admin(self)
        except KinerjaError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        self.error.hide()
        return True


class PeoplePage(QWizardPage):
    """Teams and users, added with the administrator's rights."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.setTitle("Tim dan pengguna")
        self.setSubTitle("Tambahkan pengguna (Sekretaris, Kasubag, anggota tim) lalu tim "
                         "beserta anggotanya. Dapat dilengkapi kemudian di Pengaturan.")
        self.layout_ = QVBoxLayout(self)
        self.sections = None

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        from PySide6.QtWidgets import QTabWidget

        from kinerja_desktop.ui.screens.people import PeopleSection
        from kinerja_desktop.ui.screens.teams import TeamsSection

        if self.sections is not None:
            return
        session = self.wizard().session
        self.sections = QTabWidget()
        self.people = PeopleSection(session, editable=True)
        self.teams = TeamsSection(session, editable=True)
        self.people.refresh()
        self.teams.refresh()
        self.sections.addTab(self.people, "Pengguna")
        self.sections.addTab(self.teams, "Tim")
        session.signals.data_changed.connect(lambda _a: (self.people.refresh(),
                                                         self.teams.refresh()))
        self.layout_.addWidget(self.sections)


class SetupWizard(QWizard):
    """On success :attr:`admin` (PersonInfo) is set, or :attr:`demo_loaded` is True, or
    :attr:`joined_office` (the chosen server already holds the office: log in there).

    ``location_root`` (a new data folder) adds the first page asking where the data
    lives; :attr:`ctx` is then the context of the place chosen.
    """

    def __init__(self, ctx, parent=None, *, location_root=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.joined_office = False
        self.admin = None
        self.session = None
        self.office_info = None
        self.demo_loaded = False
        self.setWindowTitle(f"Penyiapan awal — {APP_NAME}")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        for button, text in ((QWizard.WizardButton.BackButton, "< Kembali"),
                             (QWizard.WizardButton.NextButton, "Lanjut >"),
                             (QWizard.WizardButton.FinishButton, "Selesai"),
                             (QWizard.WizardButton.CancelButton, "Batal")):
            self.setButtonText(button, text)
        self.welcome = WelcomePage(self)
        self.office_page = OfficePage(self)
        self.admin_page = AdminPage(self)
        self.people_page = PeoplePage(self)
        self.location_page = None
        if location_root is not None:
            self.location_page = DataLocationPage(self, location_root)
            self.addPage(self.location_page)
        for page in (self.welcome, self.office_page, self.admin_page, self.people_page):
            self.addPage(page)
        size_window(self, 760, 640)

    def create_admin(self, page: AdminPage) -> None:
        from kinerja_desktop.services import accounts, office
        from kinerja_desktop.ui.signals import UiSession

        if page.password.text() != page.repeat.text():
            raise ValidationError("Kata sandi dan ulangannya tidak sama.")
        if self.admin is None:
            nip = page.nip.nip()
            self.admin = accounts.create_first_admin(self.ctx, accounts.PersonInput(
                page.name.text(), page.username.text(), nip or "", page.pangkat.pangkat(),
                page.jabatan.text()), page.password.text())
            self.session = UiSession(self.ctx, self.admin.id)
        office.save_office(self.ctx, self.admin.id, self.office_info)

    def open_chosen(self, root, server: bool) -> None:
        """Continue where the data was just chosen to live (a server is migrated when
        empty): its context replaces the one held, which is closed. Choosing this PC again
        after going back from a server reopens this PC's file."""
        from kinerja_desktop.services import data_location, live
        from kinerja_desktop.ui.screens.data_location import wait_off_thread

        if not server and not live.data_place(self.ctx).is_server:
            return
        ctx = wait_off_thread(self, lambda: data_location.open_chosen(root))
        previous, self.ctx = self.ctx, ctx
        previous.dispose()
        if server:  # the empty file made before the server was chosen is not kept
            data_location.discard_unused_file(root)

    def load_demo(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        from kinerja_desktop.services import demo

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            demo.build_demo(self.ctx)
        except KinerjaError as exc:
            self.welcome.error.setText(str(exc))
            self.welcome.error.show()
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.demo_loaded = True
        self.accept()
