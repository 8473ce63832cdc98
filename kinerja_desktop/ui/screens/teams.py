"""Teams and their members (Pengaturan ▸ Tim, Data ▸ Tim, the set-up wizard).

Without the administrator role the list is read-only (the services refuse changes anyway).
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kinerja_desktop.ui.dialogs.team import TeamDialog
from kinerja_desktop.ui.models import records
from kinerja_desktop.ui.signals import CHANGE_TEAMS, UiSession
from kinerja_desktop.ui.widgets.tables import fit_columns_once, make_table, selected_record


class TeamsSection(QWidget):
    def __init__(self, session: UiSession, editable: bool, parent=None) -> None:
        super().__init__(parent)
        self.session, self.editable = session, editable
        self.model = records.teams_model(self)
        self.table = make_table(self.model, "pengaturan.tim", stretch=2)
        self.add_button = QPushButton("Tambah tim…")
        self.edit_button = QPushButton("Ubah…")
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        row = QHBoxLayout()
        for b in (self.add_button, self.edit_button):
            b.setVisible(editable)
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        from kinerja_desktop.services import teams

        self.model.set_records(teams.list_teams(self.session.ctx, include_inactive=True))
        fit_columns_once(self.table, widest=480)  # whole names, however long

    def add(self) -> None:
        if TeamDialog(self.session, None, self).exec():
            self.session.changed(CHANGE_TEAMS)

    def edit(self) -> None:
        team = selected_record(self.table)
        if self.editable and team is not None and TeamDialog(self.session, team, self).exec():
            self.session.changed(CHANGE_TEAMS)
