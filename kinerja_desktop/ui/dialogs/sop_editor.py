"""SOP editor (administrator): identity block and the seven steps, saved as a new version.

Running cycles keep the SOP version they started with; the new version applies to
cycles started afterwards.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.errors import EditConflict, KinerjaError, ValidationError
from kinerja_desktop.domain.permissions import Role
from kinerja_desktop.domain.sop import EXECUTOR_NAMES, StepDefinition
from kinerja_desktop.domain.timing import TimeStandard, TimeUnit
from kinerja_desktop.ui.common import ERROR_STYLE, label_buttons
from kinerja_desktop.ui.signals import UiSession
from kinerja_desktop.ui.sizing import size_window
from kinerja_desktop.ui.widgets.text_limits import limit_line, limit_text

STEP_COLUMNS = ("No", "Kegiatan", "Pelaksana", "Kelengkapan (satu per baris)", "Waktu",
                "Satuan", "Output", "Keterangan")
(S_NO, S_ACTIVITY, S_EXECUTOR, S_REQUIREMENTS, S_AMOUNT, S_UNIT, S_OUTPUT, S_NOTE) = range(8)

LIST_FIELDS = (
    ("legal_basis", "Dasar hukum"),
    ("qualifications", "Kualifikasi pelaksana"),
    ("related_sops", "Keterkaitan"),
    ("equipment", "Peralatan/perlengkapan"),
    ("warnings", "Peringatan"),
    ("records", "Pencatatan dan pendataan"),
)


def _parse_date(label: str, text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{label}: '{text}' bukan tanggal TTTT-BB-HH "
                              "(mis. 2017-01-09).") from None


class SopEditor(QWidget):
    """The editing widget (identity block tab and steps tab)."""

    def __init__(self, definition, parent=None) -> None:
        super().__init__(parent)
        self.original = definition
        tabs = QTabWidget()
        identity = QWidget()
        form = QFormLayout(identity)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.name = limit_line(QLineEdit(definition.name), "sops.name")
        self.number = limit_line(QLineEdit(definition.number), "sops.number")
        self.dates = {}
        for key, label in (("made_on", "Tanggal pembuatan"), ("revised_on", "Tanggal revisi"),
                           ("effective_on", "Tanggal efektif")):
            value = getattr(definition, key)
            edit = QLineEdit(value.isoformat() if value else "")
            edit.setPlaceholderText("TTTT-BB-HH (boleh kosong)")
            self.dates[key] = (label, edit)
        self.approved_by = limit_line(QLineEdit(definition.approved_by), "sops.approved_by")
        self.organisation = limit_line(QLineEdit(definition.organisation), "sops.organisation")
        self.unit = limit_line(QLineEdit(definition.unit), "sops.unit")
        self.sub_unit = limit_line(QLineEdit(definition.sub_unit), "sops.sub_unit")
        self.flowchart_title = limit_line(QLineEdit(definition.flowchart_title),
                                          "sops.flowchart_title")
        self.flowchart_title.setObjectName("judulBaganAlir")
        self.flowchart_title.setPlaceholderText(f"PROSEDUR {definition.name.upper()}")
        self.calendar_days = QCheckBox("Satuan \"hari\" berarti hari kalender (bukan hari kerja)")
        self.calendar_days.setChecked(definition.calendar_days)
        form.addRow("Nama SOP:", self.name)
        form.addRow("Nomor SOP:", self.number)
        for label, edit in self.dates.values():
            form.addRow(label + ":", edit)
        form.addRow("Disahkan oleh:", self.approved_by)
        form.addRow("Organisasi:", self.organisation)
        form.addRow("Unit:", self.unit)
        form.addRow("Sub unit:", self.sub_unit)
        form.addRow("Judul bagan alir:", self.flowchart_title)
        form.addRow("", self.calendar_days)
        self.lists: dict[str, QPlainTextEdit] = {}
        for key, label in LIST_FIELDS:
            edit = limit_text(QPlainTextEdit("\n".join(getattr(definition, key))),
                              f"sops.{key}", per_line=True)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(64)
            self.lists[key] = edit
            form.addRow(label + ":\n(satu per baris)", edit)
        # Fourteen fields are taller than a laptop screen: the identity block scrolls.
        identity_scroll = QScrollArea()
        identity_scroll.setObjectName("identitasSop")
        identity_scroll.setWidgetResizable(True)
        identity_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        identity_scroll.setWidget(identity)
        tabs.addTab(identity_scroll, "Identitas SOP")

        self.steps = QTableWidget(len(definition.steps), len(STEP_COLUMNS))
        self.steps.setObjectName("sopLangkah")
        self.steps.setHorizontalHeaderLabels(list(STEP_COLUMNS))
        self.steps.verticalHeader().setVisible(False)
        self.steps.setWordWrap(True)
        header = self.steps.horizontalHeader()
        for column, width in ((S_NO, 40), (S_ACTIVITY, 260), (S_EXECUTOR, 150),
                              (S_REQUIREMENTS, 220), (S_AMOUNT, 70), (S_UNIT, 90),
                              (S_OUTPUT, 200), (S_NOTE, 140)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(S_NOTE, QHeaderView.ResizeMode.Stretch)
        executors = {role: name for name, role in EXECUTOR_NAMES.items()}
        for row, step in enumerate(definition.steps):
            number = QTableWidgetItem(str(step.number))
            number.setFlags(Qt.ItemFlag.ItemIsEnabled)
            number.setToolTip(f"Jenis langkah: {step.kind.value} (tetap)")
            self.steps.setItem(row, S_NO, number)
            self.steps.setItem(row, S_ACTIVITY, QTableWidgetItem(step.activity))
            combo = QComboBox()
            for role in (Role.SEKRETARIS, Role.KASUBAG, Role.TIM):
                if role is Role.TIM and not step.per_team:
                    continue
                combo.addItem(role.label, executors[role])
            combo.setCurrentIndex(max(0, combo.findData(executors[step.executor])))
            self.steps.setCellWidget(row, S_EXECUTOR, combo)
            self.steps.setItem(row, S_REQUIREMENTS,
                               QTableWidgetItem("\n".join(step.requirements)))
            amount = QSpinBox()
            amount.setRange(1, 100000)
            amount.setValue(step.time.amount)
            self.steps.setCellWidget(row, S_AMOUNT, amount)
            unit = QComboBox()
            for u in TimeUnit:
                unit.addItem(u.value.capitalize(), u.value)
            unit.setCurrentIndex(unit.findData(step.time.unit.value))
            self.steps.setCellWidget(row, S_UNIT, unit)
            self.steps.setItem(row, S_OUTPUT, QTableWidgetItem(step.output))
            self.steps.setItem(row, S_NOTE, QTableWidgetItem(step.note))
        self.steps.resizeRowsToContents()
        tabs.addTab(self.steps, "Langkah dan mutu baku")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(tabs)
        self.tabs = tabs

    def _text(self, row: int, column: int) -> str:
        item = self.steps.item(row, column)
        return item.text().strip() if item else ""

    def definition(self):
        """The edited :class:`SopDefinition` (``ValidationError`` for bad input)."""
        steps = []
        for row, old in enumerate(self.original.steps):
            requirements = tuple(r.strip() for r in self._text(row, S_REQUIREMENTS).splitlines()
                                 if r.strip())
            executor = EXECUTOR_NAMES[self.steps.cellWidget(row, S_EXECUTOR).currentData()]
            try:
                time = TimeStandard(self.steps.cellWidget(row, S_AMOUNT).value(),
                                    TimeUnit(self.steps.cellWidget(row, S_UNIT).currentData()))
            except ValueError as exc:
                raise ValidationError(f"Langkah {old.number}: {exc}") from None
            steps.append(StepDefinition(old.number, old.kind, self._text(row, S_ACTIVITY),
                                        executor, requirements, time,
                                        self._text(row, S_OUTPUT), self._text(row, S_NOTE)))
        dates = {key: _parse_date(label, edit.text()) for key, (label, edit) in self.dates.items()}
        lists = {key: tuple(line.strip() for line in edit.toPlainText().splitlines()
                            if line.strip()) for key, edit in self.lists.items()}
        return replace(self.original, name=self.name.text().strip(),
                       number=self.number.text().strip(),
                       approved_by=self.approved_by.text().strip(),
                       organisation=self.organisation.text().strip(),
                       unit=self.unit.text().strip(), sub_unit=self.sub_unit.text().strip(),
                       flowchart_title=" ".join(self.flowchart_title.text().split()),
                       calendar_days=self.calendar_days.isChecked(), steps=tuple(steps),
                       **dates, **lists)


class SopEditorDialog(QDialog):
    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QDialogButtonBox

        from kinerja_desktop.services import sops

        self.session = session
        current = sops.current_sop(session.ctx)
        self.base_sop_id = current.id  # a version saved meanwhile by another PC is not overwritten
        self.setWindowTitle(f"Penyunting SOP — versi {current.version}")
        self.editor = SopEditor(current.definition)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        note = QLabel("Perubahan disimpan sebagai versi SOP baru. Siklus yang sedang berjalan "
                      "tetap memakai versi SOP saat siklus itu dimulai.")
        note.setWordWrap(True)
        buttons = label_buttons(QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                                 | QDialogButtonBox.StandardButton.Cancel))
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Simpan sebagai versi baru")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        # Shown when another administrator saved a version since this editor opened.
        self.reload_button = buttons.addButton("Muat ulang", QDialogButtonBox.ButtonRole.ResetRole)
        self.reload_button.setToolTip("Tampilkan versi SOP yang berlaku sekarang; perubahan "
                                      "Anda yang belum tersimpan dibuang.")
        self.reload_button.clicked.connect(self.reload)
        self.reload_button.hide()
        layout = QVBoxLayout(self)
        self._layout = layout
        layout.addWidget(note)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.saved = None
        size_window(self, 1200, 720)

    def accept(self) -> None:
        from kinerja_desktop.services import sops

        try:
            self.saved = sops.save_new_version(self.session.ctx, self.session.user_id,
                                               self.editor.definition(),
                                               base_sop_id=self.base_sop_id)
        except EditConflict as exc:
            newest = sops.current_sop(self.session.ctx)
            self.base_sop_id = newest.id  # a second Simpan builds on it knowingly
            self.error_label.setText(
                f"{exc} Perubahan Anda belum disimpan dan tetap ada. Tekan Muat ulang untuk "
                f"menampilkan SOP versi {newest.version}, atau Simpan sekali lagi untuk "
                f"menyimpan perubahan Anda sebagai versi {newest.version + 1} (versi "
                f"{newest.version} tetap tercatat dalam riwayat).")
            self.error_label.show()
            self.reload_button.show()
            return
        except KinerjaError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        super().accept()

    def reload(self) -> None:
        """Show the SOP version in force now (unsaved changes dropped)."""
        from kinerja_desktop.services import sops

        current = sops.current_sop(self.session.ctx)
        self.base_sop_id = current.id
        editor = SopEditor(current.definition)
        self._layout.replaceWidget(self.editor, editor)
        self.editor.deleteLater()
        self.editor = editor
        self.setWindowTitle(f"Penyunting SOP — versi {current.version}")
        self.error_label.hide()
        self.reload_button.hide()
