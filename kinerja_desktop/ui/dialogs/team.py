"""Add or change a team: name, bidang, members and lead."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QListWidget, QListWidgetItem

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.ui.common import FormDialog
from kinerja_desktop.ui.signals import UiSession
from kinerja_desktop.ui.sizing import size_window


class TeamDialog(FormDialog):
    """A team: name, bidang, active, members and lead."""

    def __init__(self, session: UiSession, team=None, parent=None) -> None:
        super().__init__("Ubah tim" if team else "Tambah tim", parent)
        from kinerja_desktop.services import accounts

        self.session, self.team = session, team
        self.name = QLineEdit(team.name if team else "")
        self.bidang = QLineEdit(team.bidang if team else "")
        self.active = QCheckBox("Tim aktif")
        self.active.setChecked(team.active if team else True)
        self.members = QListWidget()
        member_ids = {m.person_id for m in team.members} if team else set()
        self.lead = QComboBox()
        self.lead.addItem("— tanpa ketua —", None)
        for person in accounts.list_people(session.ctx):
            item = QListWidgetItem(person.name)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if person.id in member_ids
                               else Qt.CheckState.Unchecked)
            self.members.addItem(item)
            self.lead.addItem(person.name, person.id)
        lead = next((m.person_id for m in team.members if m.is_lead), None) if team else None
        self.lead.setCurrentIndex(max(0, self.lead.findData(lead)))
        self.form.addRow("Nama tim:", self.name)
        self.form.addRow("Bidang:", self.bidang)
        self.form.addRow("", self.active)
        self.form.addRow("Anggota:", self.members)
        self.form.addRow("Ketua tim:", self.lead)
        size_window(self, 520, 520)

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
                                     self.bidang.text(), self.active.isChecked())
        return teams.set_members(ctx, actor, team.id, members, lead)
