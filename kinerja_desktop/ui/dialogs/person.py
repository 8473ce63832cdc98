"""Add or change a person; set a password."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.domain.permissions import ASSIGNABLE_ROLES
from kinerja_desktop.ui.common import FormDialog, NipEdit, PangkatCombo
from kinerja_desktop.ui.signals import UiSession
from kinerja_desktop.ui.sizing import size_window


class PersonDialog(FormDialog):
    """Add or change a person: name, username, NIP, pangkat, jabatan, roles, password."""

    def __init__(self, session: UiSession, person=None, parent=None) -> None:
        super().__init__("Ubah pengguna" if person else "Tambah pengguna", parent)
        self.session, self.person = session, person
        self.name = QLineEdit(person.name if person else "")
        self.username = QLineEdit(person.username if person else "")
        self.nip = NipEdit()
        self.nip.set_nip(person.nip if person else None)
        self.pangkat = PangkatCombo()
        self.pangkat.set_pangkat(person.pangkat if person else "")
        self.jabatan = QLineEdit(person.jabatan if person else "")
        self.role_boxes = {}
        roles_row = QHBoxLayout()
        for role in ASSIGNABLE_ROLES:
            box = QCheckBox(role.label)
            box.setChecked(bool(person and role in person.roles))
            self.role_boxes[role] = box
            roles_row.addWidget(box)
        self.active = QCheckBox("Akun aktif")
        self.active.setChecked(person.active if person else True)
        self.form.addRow("Nama lengkap:", self.name)
        self.form.addRow("Nama pengguna:", self.username)
        self.form.addRow("NIP:", self.nip)
        self.form.addRow("Pangkat/golongan:", self.pangkat)
        self.form.addRow("Jabatan:", self.jabatan)
        self.form.addRow("Peran:", roles_row)
        self.form.addRow("", self.active)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
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

    def save(self):
        from kinerja_desktop.services import accounts

        data = self.person_input()
        if self.person is None:
            return accounts.create_person(self.session.ctx, self.session.user_id, data,
                                          self.password.text())
        return accounts.update_person(self.session.ctx, self.session.user_id, self.person.id,
                                      data)


class PasswordDialog(FormDialog):
    def __init__(self, session: UiSession, person, parent=None) -> None:
        super().__init__(f"Kata sandi — {person.name}", parent)
        self.session, self.person = session, person
        self.old = QLineEdit()
        self.new = QLineEdit()
        self.repeat = QLineEdit()
        for edit in (self.old, self.new, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
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
