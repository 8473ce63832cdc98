"""Add or change a person; set a password."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.domain.input_rules import USERNAME_MAX
from kinerja_desktop.domain.permissions import ASSIGNABLE_ROLES
from kinerja_desktop.ui.common import FormDialog, NipEdit, PangkatCombo, RecordDialog
from kinerja_desktop.ui.signals import UiSession
from kinerja_desktop.ui.sizing import size_window
from kinerja_desktop.ui.widgets.text_limits import limit_line, limit_password


class PersonDialog(RecordDialog):
    """Add or change a person: name, username, NIP, pangkat, jabatan, roles, password."""

    def __init__(self, session: UiSession, person=None, parent=None) -> None:
        super().__init__("Ubah pengguna" if person else "Tambah pengguna", parent)
        self.session, self.person = session, person
        self.name = limit_line(QLineEdit(), "people.name")
        self.username = QLineEdit()
        self.username.setMaxLength(USERNAME_MAX)
        self.nip = NipEdit()
        self.pangkat = PangkatCombo()
        self.jabatan = limit_line(QLineEdit(), "people.jabatan")
        self.role_boxes = {}
        roles_row = QHBoxLayout()
        for role in ASSIGNABLE_ROLES:
            box = QCheckBox(role.label)
            self.role_boxes[role] = box
            roles_row.addWidget(box)
        self.active = QCheckBox("Akun aktif")
        self.active.setChecked(True)
        if person is not None:
            self.fill(person)
        self.form.addRow("Nama lengkap:", self.name)
        self.form.addRow("Nama pengguna:", self.username)
        self.form.addRow("NIP:", self.nip)
        self.form.addRow("Pangkat/golongan:", self.pangkat)
        self.form.addRow("Jabatan:", self.jabatan)
        self.form.addRow("Peran:", roles_row)
        self.form.addRow("", self.active)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        limit_password(self.password)
        if person is None:
            self.form.addRow("Kata sandi awal:", self.password)
        self.form.addRow("", QLabel("Peran Tim Penyusun Data diberikan lewat keanggotaan tim."))
        size_window(self, 560, self.sizeHint().height())

    def person_input(self):
        from kinerja_desktop.services.accounts import PersonInput

        nip = self.nip.nip()
        return PersonInput(self.name.text(), self.username.text(), nip or "",
                           self.pangkat.pangkat(), self.jabatan.text(),
                           frozenset(r for r, b in self.role_boxes.items() if b.isChecked()),
                           self.active.isChecked())

    def fill(self, person) -> None:
        self.name.setText(person.name)
        self.username.setText(person.username)
        self.nip.set_nip(person.nip)
        self.pangkat.set_pangkat(person.pangkat)
        self.jabatan.setText(person.jabatan)
        for role, box in self.role_boxes.items():
            box.setChecked(role in person.roles)
        self.active.setChecked(person.active)

    def read_stored(self):
        from kinerja_desktop.services import accounts

        return accounts.get_person(self.session.ctx, self.person.id)

    def adopt(self, person) -> None:
        self.person = person

    def save(self):
        from kinerja_desktop.services import accounts

        data = self.person_input()
        if self.person is None:
            return accounts.create_person(self.session.ctx, self.session.user_id, data,
                                          self.password.text())
        return accounts.update_person(self.session.ctx, self.session.user_id, self.person.id,
                                      data, expected_version=self.person.version)


class PasswordDialog(FormDialog):
    def __init__(self, session: UiSession, person, parent=None) -> None:
        super().__init__(f"Kata sandi — {person.name}", parent)
        self.session, self.person = session, person
        self.old = QLineEdit()
        self.new = QLineEdit()
        self.repeat = QLineEdit()
        for edit in (self.old, self.new, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            limit_password(edit)
        if person.id == session.user_id:
            self.form.addRow("Kata sandi lama:", self.old)
        self.form.addRow("Kata sandi baru:", self.new)
        self.form.addRow("Ulangi kata sandi baru:", self.repeat)

    def save(self):
        from kinerja_desktop.services import accounts

        if self.new.text() != self.repeat.text():
            raise ValidationError("Kata sandi baru dan ulangannya tidak sama.")
        return accounts.set_password(self.session.ctx, self.session.user_id, self.person.id,
                                     self.new.text(), self.old.text() or None)
