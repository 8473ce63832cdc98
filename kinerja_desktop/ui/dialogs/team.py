"""Add or change a team: name, bidang, members and lead."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QListWidget, QListWidgetItem

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.ui.common import RecordDialog
from kinerja_desktop.ui.signals import UiSession
from kinerja_desktop.ui.sizing import size_window
from kinerja_desktop.ui.widgets.text_limits import limit_line


class TeamDialog(RecordDialog):
    """A team: name, bidang, active, members and lead."""

    def __init__(self, session: UiSession, team=None, parent=None) -> None:
        super().__init__("Ubah tim" if team else "Tambah tim", parent)
        from kinerja_desktop.services import accounts

        self.session, self.team = session, team
        self.name = limit_line(QLineEdit(), "teams.name")
        self.bidang = limit_line(QLineEdit(), "teams.bidang")
        self.active = QCheckBox("Tim aktif")
        self.active.setChecked(True)
        self.members = QListWidget()
        self.lead = QComboBox()
        self.lead.addItem("— tanpa ketua —", None)
        for person in accounts.list_people(session.ctx):
            item = QListWidgetItem(person.name)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.members.addItem(item)
            self.lead.addItem(person.name, person.id)
        if team is not None:
            self.fill(team)
        self.form.addRow("Nama tim:", self.name)
        self.form.addRow("Bidang:", self.bidang)
        self.form.addRow("", self.active)
        self.form.addRow("Anggota:", self.members)
        self.form.addRow("Ketua tim:", self.lead)
        size_window(self, 520, 520)

    def fill(self, team) -> None:
        self.name.setText(team.name)
        self.bidang.setText(team.bidang)
        self.active.setChecked(team.active)
        member_ids = {m.person_id for m in team.members}
        for i in range(self.members.count()):
            item = self.members.item(i)
            item.setCheckState(Qt.CheckState.Checked
                               if item.data(Qt.ItemDataRole.UserRole) in member_ids
                               else Qt.CheckState.Unchecked)
        lead = next((m.person_id for m in team.members if m.is_lead), None)
        self.lead.setCurrentIndex(max(0, self.lead.findData(lead)))

    def read_stored(self):
        from kinerja_desktop.services import teams

        return teams.get_team(self.session.ctx, self.team.id)

    def adopt(self, team) -> None:
        self.team = team

    def member_ids(self) -> list[int]:
        return [self.members.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.members.count())
                if self.members.item(i).checkState() == Qt.CheckState.Checked]

    def save(self):
        from kinerja_desktop.services import teams

        ctx, actor = self.session.ctx, self.session.user_id
        lead = self.lead.currentData()
        members = self.member_ids()
        if lead is not None and lead not in members:
            raise ValidationError("Ketua tim harus salah satu anggota yang dicentang.")
        if self.team is None:
            team = teams.create_team(ctx, actor, self.name.text(), self.bidang.text())
        else:
            team = teams.update_team(ctx, actor, self.team.id, self.name.text(),
                                     self.bidang.text(), self.active.isChecked(),
                                     expected_version=self.team.version)
        # Saved: when the member list below is refused, Simpan again changes this team
        # (it neither adds a second one nor trips over its own change).
        self.team = team
        return teams.set_members(ctx, actor, team.id, members, lead,
                                 expected_version=team.version)
