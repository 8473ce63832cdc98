"""Dialogs for the engine-level actions of steps 1, 2, 4 and 6.

Step 1: a new cycle with its SK (number, date, issuer, optional scanned file), or a
corrected SK. Step 2: put an indicator (existing or new) into the format. Step 4: a
team's entry for one indicator. Step 6: the reason an item goes back to the team.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from kinerja_desktop.domain.achievement import Polarity
from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.domain.numbers import NumberFormatError, format_number, parse_optional_number
from kinerja_desktop.ui.common import DateEdit, FormDialog

DEFAULT_SK_ISSUER = "Inspektur Provinsi Sulawesi Selatan"


def parse_field(label: str, text: str, allow_negative: bool = False) -> float | None:
    """An optional Indonesian number from a form field (``ValidationError`` naming it)."""
    try:
        value = parse_optional_number(text, allow_negative=allow_negative)
    except NumberFormatError as exc:
        raise ValidationError(f"{label}: {exc}") from None
    return float(value) if value is not None else None


def number_text(value: float | None) -> str:
    return format_number(value) if value is not None else ""


class FilePicker(QWidget):
    """A read-only path with Pilih… and Hapus buttons."""

    def __init__(self, caption: str, filter_text: str, parent=None) -> None:
        super().__init__(parent)
        self.caption, self.filter_text = caption, filter_text
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("(tidak ada berkas)")
        choose = QPushButton("Pilih…")
        clear = QPushButton("Hapus")
        choose.clicked.connect(self._choose)
        clear.clicked.connect(lambda: self.path_edit.clear())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.path_edit, 1)
        layout.addWidget(choose)
        layout.addWidget(clear)

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.caption, "", self.filter_text)
        if name:
            self.path_edit.setText(name)

    def path(self) -> Path | None:
        text = self.path_edit.text().strip()
        return Path(text) if text else None

    def set_path(self, path: Path | None) -> None:
        self.path_edit.setText(str(path) if path else "")


class SkFields:
    """The SK fields shared by the new-cycle and edit-SK dialogs."""

    def __init__(self, dialog: FormDialog, cycle=None) -> None:
        self.number = QLineEdit(cycle.sk_number if cycle else "")
        self.number.setPlaceholderText("mis. 800/123/Itprov/I/2026")
        self.date = DateEdit(cycle.sk_date if cycle else date.today())
        self.issuer = QLineEdit(cycle.sk_issuer if cycle else DEFAULT_SK_ISSUER)
        self.file = FilePicker("Pindaian SK", "Dokumen (*.pdf *.jpg *.jpeg *.png);;Semua (*)")
        dialog.form.addRow("Nomor SK:", self.number)
        dialog.form.addRow("Tanggal SK:", self.date)
        dialog.form.addRow("Penerbit SK:", self.issuer)
        label = "Pindaian SK (opsional):"
        if cycle is not None and cycle.sk_file_name:
            label = f"Ganti pindaian ({cycle.sk_file_name}):"
        dialog.form.addRow(label, self.file)


class NewCycleDialog(FormDialog):
    """Step 1: the Sekretaris starts a cycle with the SK Inspektur."""

    def __init__(self, session, parent=None) -> None:
        super().__init__("Siklus baru", parent, ok_text="Mulai siklus")
        self.session = session
        self.set_intro("Langkah 1: Ketua Tim Penyusun (Sekretaris) memerintahkan pengumpulan data "
                       "kinerja berdasarkan SK Inspektur. Siklus memakai versi SOP yang berlaku "
                       "saat ini.")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year - 1)
        self.quarter = QComboBox()
        self.quarter.addItem("Tahunan", None)
        for q in range(1, 5):
            self.quarter.addItem(f"Triwulan {q}", q)
        self.form.addRow("Tahun data:", self.year)
        self.form.addRow("Periode:", self.quarter)
        self.sk = SkFields(self)
        self.note = QLineEdit()
        self.form.addRow("Catatan:", self.note)
        self.resize(560, self.sizeHint().height())

    def save(self):
        from kinerja_desktop.services import cycles

        return cycles.start_cycle(
            self.session.ctx, self.session.user_id, self.year.value(), self.sk.number.text(),
            self.sk.date.value(), self.sk.issuer.text(), self.quarter.currentData(),
            self.sk.file.path(), self.note.text())


class EditSkDialog(FormDialog):
    def __init__(self, session, cycle, parent=None) -> None:
        super().__init__(f"Ubah SK — siklus {cycle.label}", parent)
        self.session, self.cycle = session, cycle
        self.set_intro("SK dapat diperbaiki selama langkah 1 belum selesai.")
        self.sk = SkFields(self, cycle)
        self.resize(560, self.sizeHint().height())

    def save(self):
        from kinerja_desktop.services import cycles

        return cycles.update_sk(self.session.ctx, self.session.user_id, self.cycle.id,
                                self.sk.number.text(), self.sk.date.value(),
                                self.sk.issuer.text(), self.sk.file.path())


class AddIndicatorDialog(FormDialog):
    """Step 2: put an indicator in the format: one from the master list, or a new one."""

    NEW = -1

    def __init__(self, session, cycle, parent=None) -> None:
        super().__init__("Tambah indikator ke format", parent, ok_text="Tambahkan")
        from kinerja_desktop.services import formats, teams

        self.session, self.cycle = session, cycle
        in_format = {i.indicator_id for i in formats.format_items(session.ctx, cycle.id)}
        self.indicators = [i for i in formats.list_indicators(session.ctx)
                           if i.id not in in_format]
        self.indicator = QComboBox()
        for ind in self.indicators:
            self.indicator.addItem(f"{ind.name} ({ind.objective_name})", ind.id)
        self.indicator.addItem("— indikator baru —", self.NEW)
        self.form.addRow("Indikator:", self.indicator)
        self.objective = QComboBox()
        for obj in formats.list_objectives(session.ctx):
            self.objective.addItem(obj.name, obj.id)
        self.new_objective = QLineEdit()
        self.new_objective.setPlaceholderText("atau tulis sasaran strategis baru")
        self.name = QLineEdit()
        self.unit = QLineEdit()
        self.polarity = QComboBox()
        self.polarity.addItem("Positif (makin tinggi makin baik)", Polarity.POSITIF)
        self.polarity.addItem("Negatif (makin rendah makin baik)", Polarity.NEGATIF)
        self.qualitative = QCheckBox("Indikator kualitatif (diisi teks, mis. opini WTP)")
        self.new_rows = (self.objective, self.new_objective, self.name, self.unit,
                         self.polarity, self.qualitative)
        self.form.addRow("Sasaran strategis:", self.objective)
        self.form.addRow("", self.new_objective)
        self.form.addRow("Nama indikator:", self.name)
        self.form.addRow("Satuan:", self.unit)
        self.form.addRow("Polaritas:", self.polarity)
        self.form.addRow("", self.qualitative)
        self.team = QComboBox()
        self.team.addItem("— ikut data indikator —", None)
        for team in teams.list_teams(session.ctx):
            self.team.addItem(team.name, team.id)
        self.target = QLineEdit()
        self.target.setPlaceholderText("angka, mis. 1.250 atau 87,5")
        self.target_text = QLineEdit()
        self.target_text.setPlaceholderText("untuk indikator kualitatif, mis. WTP")
        self.budget = QLineEdit()
        self.budget.setPlaceholderText("pagu anggaran (Rp), opsional")
        self.form.addRow("Tim penanggung jawab:", self.team)
        self.form.addRow(f"Target {cycle.year}:", self.target)
        self.form.addRow("Target (teks):", self.target_text)
        self.form.addRow("Pagu anggaran:", self.budget)
        self.indicator.currentIndexChanged.connect(self._toggle)
        self._toggle()
        self.resize(620, self.sizeHint().height())

    def _toggle(self) -> None:
        new = self.indicator.currentData() == self.NEW
        for widget in self.new_rows:
            widget.setEnabled(new)

    def save(self):
        from kinerja_desktop.services import formats

        ctx, actor = self.session.ctx, self.session.user_id
        target = parse_field("Target", self.target.text(), allow_negative=True)
        budget = parse_field("Pagu anggaran", self.budget.text())
        team_id = self.team.currentData()
        indicator_id = self.indicator.currentData()
        if indicator_id == self.NEW:
            if not self.name.text().strip():
                raise ValidationError("Nama indikator wajib diisi.")
            objective_id = self.objective.currentData()
            if self.new_objective.text().strip():
                objective_id = formats.create_objective(ctx, actor, self.new_objective.text()).id
            if objective_id is None:
                raise ValidationError("Pilih atau tulis sasaran strategis.")
            qualitative = self.qualitative.isChecked()
            if qualitative and target is not None:
                raise ValidationError("Indikator kualitatif memakai target teks, bukan angka.")
            indicator_id = formats.create_indicator(ctx, actor, formats.IndicatorInput(
                objective_id=objective_id, name=self.name.text(), unit=self.unit.text(),
                polarity=self.polarity.currentData(), qualitative=qualitative,
                team_id=team_id)).id
        return formats.add_to_format(ctx, actor, self.cycle.id, indicator_id, team_id, target,
                                     self.target_text.text() or None, budget)


class EntryDialog(FormDialog):
    """Step 4: the team's values for one indicator, and its evidence files."""

    def __init__(self, session, item, parent=None) -> None:
        super().__init__(f"Isi data — {item.indicator_name}", parent)
        self.session, self.item = session, item
        v = item.values
        target = item.target_text if item.qualitative else number_text(item.target)
        self.set_intro(f"<b>{item.indicator_name}</b><br>Sasaran: {item.objective_name}<br>"
                       f"Target: {target or '–'} {item.unit}"
                       + (f"<br><span style='color:#a61b1b'>Dikembalikan: "
                          f"{item.last_return_reason}</span>" if item.last_return_reason else ""))
        self.actual = QLineEdit(v.actual_text if item.qualitative else number_text(v.actual))
        self.actual.setPlaceholderText("teks realisasi" if item.qualitative
                                       else "angka, mis. 1.250 atau 87,5")
        self.budget = QLineEdit(number_text(v.budget))
        self.spent = QLineEdit(number_text(v.spent))
        self.explanation = self._text(v.explanation)
        self.supporting = self._text(v.supporting)
        self.inhibiting = self._text(v.inhibiting)
        self.follow_up = self._text(v.follow_up)
        self.form.addRow(f"Realisasi ({item.unit or 'teks'}):", self.actual)
        self.form.addRow("Pagu anggaran (Rp):", self.budget)
        self.form.addRow("Realisasi anggaran (Rp):", self.spent)
        self.form.addRow("Penjelasan:", self.explanation)
        self.form.addRow("Faktor pendukung:", self.supporting)
        self.form.addRow("Faktor penghambat:", self.inhibiting)
        self.form.addRow("Upaya / tindak lanjut:", self.follow_up)
        self.evidence = QLabel(self._evidence_text(item))
        self.evidence.setWordWrap(True)
        attach = QPushButton("Lampirkan bukti…")
        attach.clicked.connect(self._attach)
        row = QHBoxLayout()
        row.addWidget(self.evidence, 1)
        row.addWidget(attach)
        self.form.addRow("Bukti dukung:", row)
        self.resize(640, self.sizeHint().height())

    @staticmethod
    def _text(value: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(value)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(58)
        return edit

    @staticmethod
    def _evidence_text(item) -> str:
        if not item.evidence:
            return "(belum ada)"
        return ", ".join(e.original_name for e in item.evidence)

    def _attach(self) -> None:
        from kinerja_desktop.services import entries
        from kinerja_desktop.ui.common import run_action

        name, _ = QFileDialog.getOpenFileName(self, "Lampirkan bukti dukung", "",
                                              "Dokumen (*.pdf *.jpg *.jpeg *.png *.xlsx *.docx);;"
                                              "Semua (*)")
        if not name:
            return
        ok, view = run_action(self, lambda: entries.attach_evidence(
            self.session.ctx, self.session.user_id, self.item.item_id, Path(name)))
        if ok:
            self.item = view
            self.evidence.setText(self._evidence_text(view))

    def values(self):
        from kinerja_desktop.services.entries import EntryInput

        old = self.item.values
        if self.item.qualitative:
            actual, actual_text = None, self.actual.text().strip()
        else:
            actual, actual_text = parse_field("Realisasi", self.actual.text(), True), ""
        return EntryInput(
            actual=actual, actual_text=actual_text,
            budget=parse_field("Pagu anggaran", self.budget.text()),
            spent=parse_field("Realisasi anggaran", self.spent.text()),
            explanation=self.explanation.toPlainText(), supporting=self.supporting.toPlainText(),
            inhibiting=self.inhibiting.toPlainText(), follow_up=self.follow_up.toPlainText(),
            manual_achievement=old.manual_achievement,
            manual_justification=old.manual_justification)

    def save(self):
        from kinerja_desktop.services import entries

        return entries.save_entry(self.session.ctx, self.session.user_id, self.item.item_id,
                                  self.values())


class ReturnDialog(FormDialog):
    """Step 6: return an item to its team with a reason (required)."""

    def __init__(self, session, item, parent=None) -> None:
        super().__init__(f"Kembalikan — {item.indicator_name}", parent, ok_text="Kembalikan")
        self.session, self.item = session, item
        self.set_intro("Data dikembalikan kepada tim untuk klarifikasi atau perbaikan. "
                       "Tuliskan alasannya (minimal 5 karakter).")
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.form.addRow("Alasan:", self.reason)
        self.resize(520, 260)

    def save(self):
        from kinerja_desktop.services import verification

        return verification.return_item(self.session.ctx, self.session.user_id,
                                        self.item.item_id, self.reason.toPlainText())
