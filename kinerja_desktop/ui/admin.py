"""Pengaturan (administrator): office profile, users, teams, predikat scale, days off, SOP.

The people and team sections also serve the Data menu; without the administrator
role they are read-only (the services refuse changes anyway).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.domain.numbers import format_number
from kinerja_desktop.domain.permissions import ASSIGNABLE_ROLES
from kinerja_desktop.ui.common import (
    DateEdit,
    FormDialog,
    NipEdit,
    PangkatCombo,
    fmt_date,
    run_action,
    show_status,
)
from kinerja_desktop.ui.models import records
from kinerja_desktop.ui.signals import CHANGE_OFFICE, CHANGE_PEOPLE, CHANGE_TEAMS, UiSession
from kinerja_desktop.ui.widgets.tables import fit_columns_once, make_table, selected_record

# --------------------------------------------------------------------------- people


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
        self.resize(560, self.sizeHint().height())

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


# --------------------------------------------------------------------------- teams


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
        self.resize(520, 520)

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


# --------------------------------------------------------------------------- office


class OfficeForm(QWidget):
    """The office profile fields (used by the wizard and by Pengaturan)."""

    def __init__(self, info, parent=None) -> None:
        super().__init__(parent)
        self.logo: bytes | None = info.logo
        self.logo_name: str | None = info.logo_name
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for key, label in (("name", "Nama kantor"), ("regency", "Kabupaten/kota"),
                           ("government", "Pemerintah"), ("address", "Alamat"),
                           ("postcode", "Kode pos"), ("phone", "Telepon"), ("email", "E-mail"),
                           ("head_title", "Jabatan kepala"), ("head_name", "Nama kepala"),
                           ("signing_place", "Tempat penandatanganan")):
            edit = QLineEdit(getattr(info, key) or "")
            self.fields[key] = edit
            form.addRow(label + ":", edit)
        self.head_pangkat = PangkatCombo()
        self.head_pangkat.set_pangkat(info.head_pangkat)
        self.head_nip = NipEdit()
        self.head_nip.set_nip(info.head_nip)
        self.paper = QComboBox()
        self.paper.addItem("A4 (210 × 297 mm)", "A4")
        self.paper.addItem("F4/Folio (215 × 330 mm)", "F4")
        self.paper.setCurrentIndex(max(0, self.paper.findData(info.paper_size)))
        form.addRow("Pangkat kepala:", self.head_pangkat)
        form.addRow("NIP kepala:", self.head_nip)
        form.addRow("Ukuran kertas:", self.paper)
        self.logo_preview = QLabel()
        self.logo_preview.setFixedSize(64, 64)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setStyleSheet("border: 1px solid #b0bec5;")
        self.logo_label = QLabel()
        choose = QPushButton("Pilih logo…")
        choose.clicked.connect(self.choose_logo)
        row = QHBoxLayout()
        row.addWidget(self.logo_preview)
        row.addWidget(self.logo_label, 1)
        row.addWidget(choose)
        form.addRow("Logo kop surat:", row)
        self._show_logo()

    def _show_logo(self) -> None:
        if self.logo:
            pixmap = QPixmap()
            pixmap.loadFromData(self.logo)
            self.logo_preview.setPixmap(pixmap.scaled(
                60, 60, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
            self.logo_label.setText(self.logo_name or "logo")
        else:
            self.logo_preview.clear()
            self.logo_label.setText("(belum ada logo)")

    def choose_logo(self) -> None:
        from pathlib import Path

        name, _ = QFileDialog.getOpenFileName(self, "Pilih logo kop surat", "",
                                              "Gambar (*.png *.jpg *.jpeg)")
        if name:
            self.set_logo_file(Path(name))

    def set_logo_file(self, path) -> None:
        data = path.read_bytes()
        if QPixmap().loadFromData(data) is False:
            raise ValidationError(f"Berkas {path.name} bukan gambar PNG/JPEG yang dapat dibaca.")
        self.logo, self.logo_name = data, path.name
        self._show_logo()

    def info(self, base):
        values = {k: e.text() for k, e in self.fields.items()}
        return replace(base, **values, head_pangkat=self.head_pangkat.pangkat(),
                       head_nip=self.head_nip.nip(), paper_size=self.paper.currentData(),
                       logo=self.logo, logo_name=self.logo_name)


class OfficeSection(QWidget):
    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(parent)
        from kinerja_desktop.services import office

        self.session = session
        self.base = office.get_office(session.ctx) or office.SEED_OFFICE
        self.form = OfficeForm(self.base)
        self.message = QLabel()
        self.message.setWordWrap(True)
        save = QPushButton("Simpan profil kantor")
        save.clicked.connect(self.save)
        inner = QWidget()
        inner.setMaximumWidth(960)  # long lines of short fields are hard to read
        layout = QVBoxLayout(inner)
        layout.addWidget(self.form)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(save)
        layout.addLayout(row)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def save(self) -> None:
        from kinerja_desktop.domain.errors import KinerjaError
        from kinerja_desktop.services import office

        try:
            self.base = office.save_office(self.session.ctx, self.session.user_id,
                                           self.form.info(self.base))
        except KinerjaError as exc:
            show_status(self.message, str(exc), ok=False)
            return
        show_status(self.message, "Profil kantor tersimpan.", ok=True)
        self.session.changed(CHANGE_OFFICE)


class PredikatSection(QWidget):
    """The predikat scale: lower bound (%) of each band."""

    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(parent)
        from kinerja_desktop.services import office

        self.session = session
        self.scale = office.predikat_scale(session.ctx)
        self.edits: list[QLineEdit] = []
        form = QFormLayout()
        for band in self.scale.bands:
            edit = QLineEdit(format_number(band.minimum))
            self.edits.append(edit)
            form.addRow(f"{band.label} mulai dari (%):", edit)
        self.message = QLabel()
        self.message.setWordWrap(True)
        save = QPushButton("Simpan skala predikat")
        save.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Batas bawah capaian (%) setiap predikat. Nilai di bawah batas "
                                "terendah mendapat predikat terakhir."))
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(save)
        layout.addLayout(row)
        layout.addStretch(1)

    def save(self) -> None:
        from kinerja_desktop.domain.errors import KinerjaError
        from kinerja_desktop.domain.numbers import NumberFormatError, parse_number
        from kinerja_desktop.services import office

        try:
            bands = []
            for band, edit in zip(self.scale.bands, self.edits, strict=True):
                try:
                    minimum = parse_number(edit.text())
                except NumberFormatError as exc:
                    raise ValidationError(f"{band.label}: {exc}") from None
                bands.append(replace(band, minimum=minimum))
            scale = replace(self.scale, bands=tuple(bands))
            office.save_predikat_scale(self.session.ctx, self.session.user_id, scale)
        except (KinerjaError, ValueError) as exc:
            show_status(self.message, str(exc), ok=False)
            return
        self.scale = scale
        show_status(self.message, "Skala predikat tersimpan.", ok=True)
        self.session.changed(CHANGE_OFFICE)


class DaysOffSection(QWidget):
    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.list = QListWidget()
        self.day = DateEdit()
        self.description = QLineEdit()
        self.description.setPlaceholderText("keterangan, mis. HUT Kabupaten Soppeng")
        add = QPushButton("Tambah")
        remove = QPushButton("Hapus yang dipilih")
        add.clicked.connect(self.add)
        remove.clicked.connect(self.remove)
        row = QHBoxLayout()
        row.addWidget(self.day)
        row.addWidget(self.description, 1)
        row.addWidget(add)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Hari libur kantor (di luar libur nasional dan cuti bersama) "
                                "tidak dihitung sebagai hari kerja."))
        layout.addLayout(row)
        layout.addWidget(self.list, 1)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignRight)

    def refresh(self) -> None:
        from kinerja_desktop.services import office

        self.list.clear()
        for day, description in office.office_days_off(self.session.ctx):
            item = QListWidgetItem(f"{fmt_date(day)} — {description or 'libur kantor'}")
            item.setData(Qt.ItemDataRole.UserRole, day)
            self.list.addItem(item)

    def add(self) -> None:
        from kinerja_desktop.services import office

        ok, _ = run_action(self, lambda: office.add_day_off(
            self.session.ctx, self.session.user_id, self.day.value(), self.description.text()))
        if ok:
            self.description.clear()
            self.session.changed(CHANGE_OFFICE)

    def remove(self) -> None:
        from kinerja_desktop.services import office

        item = self.list.currentItem()
        if item is None:
            return
        day = item.data(Qt.ItemDataRole.UserRole)
        ok, _ = run_action(self, lambda: office.remove_day_off(
            self.session.ctx, self.session.user_id, day))
        if ok:
            self.session.changed(CHANGE_OFFICE)
