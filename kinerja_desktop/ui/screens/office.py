"""The office settings (Pengaturan): profile and letterhead, predikat scale, days off.

:class:`OfficeForm` also serves the set-up wizard.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
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
from kinerja_desktop.domain.numbering import MAX_TEMPLATE
from kinerja_desktop.domain.numbers import format_number
from kinerja_desktop.ui.common import (
    DateEdit,
    NipEdit,
    PangkatCombo,
    fmt_date,
    run_action,
    show_status,
    today,
)
from kinerja_desktop.ui.signals import CHANGE_OFFICE, UiSession
from kinerja_desktop.ui.widgets.text_limits import limit_line

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
            edit = limit_line(QLineEdit(getattr(info, key) or ""), f"office_profile.{key}")
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
        from kinerja_desktop.ui.dialogs.files import open_file

        path = open_file(self, "Pilih logo kop surat", "Gambar (*.png *.jpg *.jpeg)",
                         purpose="logo")
        if path is not None:
            self.set_logo_file(path)

    def set_logo_file(self, path) -> None:
        data = path.read_bytes()
        if QPixmap().loadFromData(data) is False:
            raise ValidationError(f"Berkas {path.name} bukan gambar PNG/JPEG yang dapat dibaca.")
        self.logo, self.logo_name = data, path.name
        self._show_logo()

    def fill(self, info) -> None:
        """Show ``info`` (the profile as stored now) in the fields."""
        for key, edit in self.fields.items():
            edit.setText(getattr(info, key) or "")
        self.head_pangkat.set_pangkat(info.head_pangkat)
        self.head_nip.set_nip(info.head_nip)
        self.paper.setCurrentIndex(max(0, self.paper.findData(info.paper_size)))
        self.logo, self.logo_name = info.logo, info.logo_name
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
        # Shown when another administrator saved the profile since this form loaded it.
        self.reload_button = QPushButton("Muat ulang")
        self.reload_button.setToolTip("Tampilkan profil yang tersimpan sekarang; isian di "
                                      "formulir ini dibuang.")
        self.reload_button.clicked.connect(self.reload)
        self.reload_button.hide()
        inner = QWidget()
        inner.setMaximumWidth(960)  # long lines of short fields are hard to read
        layout = QVBoxLayout(inner)
        layout.addWidget(self.form)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.reload_button)
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
        """Save the profile over the version this form loaded; when another administrator
        saved since, say who and when, keep the fields, and offer to reload (saving again
        then replaces their change knowingly)."""
        from kinerja_desktop.domain.errors import EditConflict, KinerjaError
        from kinerja_desktop.services import office

        try:
            self.base = office.save_office(self.session.ctx, self.session.user_id,
                                           self.form.info(self.base),
                                           expected_version=self.base.version)
        except EditConflict as exc:
            stored = office.get_office(self.session.ctx)
            if stored is not None:  # a second Simpan replaces it knowingly
                self.base = replace(self.base, version=stored.version)
            show_status(self.message, f"{exc} Isian Anda belum disimpan dan tetap ada; tekan "
                                      "Simpan sekali lagi untuk menggantinya.", ok=False)
            self.reload_button.show()
            return
        except KinerjaError as exc:
            show_status(self.message, str(exc), ok=False)
            return
        self.reload_button.hide()
        show_status(self.message, "Profil kantor tersimpan.", ok=True)
        self.session.changed(CHANGE_OFFICE)

    def reload(self) -> None:
        from kinerja_desktop.services import office

        self.base = office.get_office(self.session.ctx) or office.SEED_OFFICE
        self.form.fill(self.base)
        self.reload_button.hide()
        show_status(self.message, "Profil kantor terbaru telah dimuat.", ok=True)


class PredikatSection(QWidget):
    """The predikat scale: lower bound (%) of each band."""

    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(parent)
        from kinerja_desktop.services import office

        self.session = session
        self.scale, self.version = office.predikat_setting(session.ctx)
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
        # Shown when another administrator saved the scale since this form loaded it.
        self.reload_button = QPushButton("Muat ulang")
        self.reload_button.setToolTip("Tampilkan skala yang tersimpan sekarang; isian di "
                                      "formulir ini dibuang.")
        self.reload_button.clicked.connect(self.reload)
        self.reload_button.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Batas bawah capaian (%) setiap predikat. Nilai di bawah batas "
                                "terendah mendapat predikat terakhir."))
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.reload_button)
        row.addWidget(save)
        layout.addLayout(row)
        layout.addStretch(1)

    def save(self) -> None:
        """Save over the version this form loaded; when another administrator saved since,
        say who and when, keep the fields, and offer to reload (saving again then replaces
        their change knowingly)."""
        from kinerja_desktop.domain.errors import EditConflict, KinerjaError
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
            self.version = office.save_predikat_scale(
                self.session.ctx, self.session.user_id, scale, expected_version=self.version)
        except EditConflict as exc:
            _stored, self.version = office.predikat_setting(self.session.ctx)
            show_status(self.message, f"{exc} Isian Anda belum disimpan dan tetap ada; tekan "
                                      "Simpan sekali lagi untuk menggantinya.", ok=False)
            self.reload_button.show()
            return
        except (KinerjaError, ValueError) as exc:
            show_status(self.message, str(exc), ok=False)
            return
        self.scale = scale
        self.reload_button.hide()
        show_status(self.message, "Skala predikat tersimpan.", ok=True)
        self.session.changed(CHANGE_OFFICE)

    def reload(self) -> None:
        from kinerja_desktop.services import office

        stored, self.version = office.predikat_setting(self.session.ctx)
        # The bands' labels are fixed; only their lower bounds are edited here.
        self.scale = stored
        for band, edit in zip(stored.bands, self.edits, strict=True):
            edit.setText(format_number(band.minimum))
        self.reload_button.hide()
        show_status(self.message, "Skala predikat terbaru telah dimuat.", ok=True)


class NumberingSection(QWidget):
    """The Nomor templates of the berita acara verifikasi and the tanda terima, with an
    example of the number each gives."""

    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(parent)
        from kinerja_desktop.services import numbering

        self.session = session
        self.edits: dict[str, QLineEdit] = {}
        self.examples: dict[str, QLabel] = {}
        form = QFormLayout()
        for info in numbering.number_templates(session.ctx):
            edit = QLineEdit(info.template)
            edit.setMaxLength(MAX_TEMPLATE)
            edit.setObjectName(f"polaNomor_{info.kind}")
            example = QLabel()
            example.setWordWrap(True)  # a long message never widens the window
            example.setObjectName(f"contohNomor_{info.kind}")
            edit.textChanged.connect(lambda _t, kind=info.kind: self._show_example(kind))
            self.edits[info.kind], self.examples[info.kind] = edit, example
            form.addRow(f"{info.label}:", edit)
            form.addRow("", example)
            self._show_example(info.kind)
        self.message = QLabel()
        self.message.setWordWrap(True)
        save = QPushButton("Simpan pola nomor")
        save.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Nomor dokumen dibentuk dari pola: {urut} nomor urut per tahun dan jenis dokumen, "
            "{bulan romawi} bulan dalam angka Romawi, {bulan} bulan dua angka, {tahun} tahun. "
            "Nomor yang sudah diberikan tidak berubah.")
        intro.setWordWrap(True)  # on a 1280×720 screen the window stays on the screen
        layout.addWidget(intro)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(save)
        layout.addLayout(row)
        layout.addStretch(1)

    def _show_example(self, kind: str) -> None:
        from datetime import date

        from kinerja_desktop.domain.numbering import render_number

        try:
            example = render_number(self.edits[kind].text(), 17, date(2026, 2, 5))
        except ValidationError as exc:
            self.examples[kind].setText(str(exc))
            return
        self.examples[kind].setText(f"Contoh: {example}")

    def save(self) -> None:
        from kinerja_desktop.domain.errors import KinerjaError
        from kinerja_desktop.domain.numbering import check_template
        from kinerja_desktop.services import numbering

        try:
            for kind, edit in self.edits.items():  # every pattern checked before any is saved
                try:
                    check_template(edit.text())
                except ValidationError as exc:
                    raise ValidationError(f"{numbering.KIND_LABELS[kind]}: {exc}") from None
            for kind, edit in self.edits.items():
                numbering.save_number_template(self.session.ctx, self.session.user_id, kind,
                                               edit.text())
        except KinerjaError as exc:
            show_status(self.message, str(exc), ok=False)
            return
        show_status(self.message, "Pola nomor dokumen tersimpan.", ok=True)
        self.session.changed(CHANGE_OFFICE)


class DaysOffSection(QWidget):
    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.list = QListWidget()
        self.day = DateEdit(today(session.ctx))
        self.description = limit_line(QLineEdit(), "office_days_off.description")
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
