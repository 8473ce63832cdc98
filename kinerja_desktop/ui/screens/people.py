"""Users (Pengaturan ▸ Pengguna, Data ▸ Pengguna, the set-up wizard).

Without the administrator role the list is read-only (the services refuse changes anyway).
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kinerja_desktop.ui.dialogs.person import PasswordDialog, PersonDialog
from kinerja_desktop.ui.models import records
from kinerja_desktop.ui.signals import CHANGE_PEOPLE, UiSession
from kinerja_desktop.ui.widgets.tables import fit_columns_once, make_table, selected_record


class PeopleSection(QWidget):
    def __init__(self, session: UiSession, editable: bool, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = records.people_model(self)
        self.table = make_table(self.model, "pengaturan.pengguna", stretch=4)
        self.add_button = QPushButton("Tambah pengguna…")
        self.edit_button = QPushButton("Ubah…")
        self.password_button = QPushButton("Atur kata sandi…")
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.password_button.clicked.connect(self.password)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        row = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.password_button):
            b.setVisible(editable)
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.editable = editable

    def refresh(self) -> None:
        from kinerja_desktop.services import accounts

        self.model.set_records(accounts.list_people(self.session.ctx))
        fit_columns_once(self.table, widest=480)  # whole names, however long

    def add(self) -> None:
        if PersonDialog(self.session, None, self).exec():
            self.session.changed(CHANGE_PEOPLE)

    def edit(self) -> None:
        person = selected_record(self.table)
        if self.editable and person is not None and \
                PersonDialog(self.session, person, self).exec():
            self.session.changed(CHANGE_PEOPLE)

    def password(self) -> None:
        person = selected_record(self.table)
        if person is not None and PasswordDialog(self.session, person, self).exec():
            self.session.changed(CHANGE_PEOPLE)
