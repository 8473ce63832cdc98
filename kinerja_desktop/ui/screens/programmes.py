"""Budget programmes in the window: the programme master (Administrator, Kasubag) and the
team's pagu and realisasi per programme for the viewed cycle (Tim Penyusun)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.errors import EditConflict, KinerjaError
from kinerja_desktop.domain.input_rules import BUDGET, SPENT
from kinerja_desktop.domain.numbers import format_money
from kinerja_desktop.ui.common import (
    ERROR_STYLE,
    FormDialog,
    ask_yes_no,
    heading,
    run_action,
)
from kinerja_desktop.ui.models.records import Column, RecordTableModel
from kinerja_desktop.ui.signals import CHANGE_ENTRY, CHANGE_FORMAT
from kinerja_desktop.ui.widgets.number_edit import NumberEdit
from kinerja_desktop.ui.widgets.tables import record_table, selected_record

MASTER_SECTION = "Program anggaran"


def _money(value) -> str:
    return format_money(value) if value is not None else "–"


class ProgrammeDialog(FormDialog):
    """Add or change a programme of the master."""

    def __init__(self, ctx, user_id: int, programme=None, parent: QWidget | None = None) -> None:
        super().__init__("Ubah program" if programme else "Tambah program", parent)
        from kinerja_desktop.services import teams

        self.ctx, self.user_id, self.programme = ctx, user_id, programme
        self.code = QLineEdit(programme.code if programme else "")
        self.code.setPlaceholderText("mis. 2.13.02")
        self.name = QLineEdit(programme.name if programme else "")
        self.name.setPlaceholderText("mis. Program Penataan Desa")
        self.name.setMinimumWidth(480)
        self.team = QComboBox()
        self.team.addItem("— pilih tim —", None)
        for team in teams.list_teams(ctx):
            self.team.addItem(team.name, team.id)
        if programme is not None:
            self.team.setCurrentIndex(max(self.team.findData(programme.team_id), 0))
        self.activities = QPlainTextEdit("\n".join(programme.activities) if programme else "")
        self.activities.setPlaceholderText("Satu kegiatan per baris (boleh kosong)")
        self.activities.setFixedHeight(90)
        self.form.addRow("Kode program", self.code)
        self.form.addRow("Nama program", self.name)
        self.form.addRow("Tim penanggung jawab", self.team)
        self.form.addRow("Kegiatan", self.activities)

    def save(self):
        from kinerja_desktop.services import programmes

        data = programmes.ProgrammeInput(
            self.code.text(), self.name.text(), self.team.currentData(),
            tuple(self.activities.toPlainText().splitlines()))
        if self.programme is None:
            return programmes.create_programme(self.ctx, self.user_id, data)
        return programmes.update_programme(self.ctx, self.user_id, self.programme.id, data)


class ProgrammeMasterWidget(QWidget):
    """The programme master: code, name, responsible team, kegiatan, indicators."""

    def __init__(self, ctx, user_id: int, signals, parent: QWidget | None = None,
                 editable: bool = True) -> None:
        super().__init__(parent)
        self.ctx, self.user_id, self.signals = ctx, user_id, signals
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Program anggaran"))
        intro = QLabel("Program (Permendagri 90/2019) dengan tim penanggung jawabnya. Setiap "
                       "indikator dapat dimasukkan ke satu program melalui Master indikator; "
                       "pagu dan realisasi diisi tim per siklus.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Tambah program…")
        self.edit_button = QPushButton("Ubah program…")
        self.delete_button = QPushButton("Hapus program")
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
            button.setVisible(editable)  # the Data menu shows the master read-only
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.model = RecordTableModel((
            Column("Kode", lambda p: p.code),
            Column("Program", lambda p: p.name),
            Column("Tim penanggung jawab", lambda p: p.team_name or "–"),
            Column("Kegiatan", lambda p: "; ".join(p.activities) or "–"),
            Column("Indikator", lambda p: str(p.indicator_count), align_right=True),
        ), self)
        self.table = record_table(self.model, 1)
        if editable:
            self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._buttons())
        layout.addWidget(self.table, 1)
        self.status = QLabel()
        layout.addWidget(self.status)

    def set_cycle(self, _cycle_id: int | None) -> None:
        """The master does not depend on the viewed cycle."""

    def refresh(self) -> None:
        from kinerja_desktop.services import programmes

        rows = programmes.list_programmes(self.ctx)
        self.model.set_records(rows)
        self.status.setText(f"{len(rows)} program" if rows else
                            "Belum ada program. Tambahkan program sesuai DPA kantor.")
        self._buttons()

    def _buttons(self) -> None:
        chosen = selected_record(self.table) is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def _changed(self) -> None:
        self.signals.data_changed.emit(CHANGE_FORMAT)

    def add(self) -> None:
        if ProgrammeDialog(self.ctx, self.user_id, parent=self).exec():
            self._changed()

    def edit(self) -> None:
        programme = selected_record(self.table)
        if programme is not None and ProgrammeDialog(self.ctx, self.user_id, programme,
                                                     self).exec():
            self._changed()

    def delete(self) -> None:
        from kinerja_desktop.services import programmes

        programme = selected_record(self.table)
        if programme is None or not ask_yes_no(
                self, "Hapus program",
                f"Hapus {programme.label}? Indikatornya tidak lagi termasuk program mana pun; "
                "siklus yang sudah mencatat program ini tetap menyimpannya."):
            return
        ok, _ = run_action(self, lambda: programmes.delete_programme(self.ctx, self.user_id,
                                                                     programme.id))
        if ok:
            self._changed()


class TeamProgrammesWidget(QWidget):
    """The team's programmes of the viewed cycle: pagu and realisasi, one at a time.
    ``teams``: (id, name) of the teams offered (a chooser when more than one)."""

    def __init__(self, ctx, user_id: int, signals, teams, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.user_id, self.signals = ctx, user_id, signals
        self.cycle_id: int | None = None
        self._loaded_version: dict[int, int] = {}
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading("Pagu dan realisasi anggaran per program"))
        top.addStretch(1)
        self.team_combo = QComboBox()
        for team_id, name in teams:
            self.team_combo.addItem(name, team_id)
        self.team_combo.setVisible(len(teams) > 1)
        self.team_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(self.team_combo)
        layout.addLayout(top)
        self.model = RecordTableModel((
            Column("Kode", lambda v: v.code),
            Column("Program", lambda v: v.name),
            Column("Pagu", lambda v: _money(v.budget), align_right=True),
            Column("Realisasi", lambda v: _money(v.spent), align_right=True),
            Column("Serapan", lambda v: v.absorption.status_label() if v.budget is not None
                   else "–", align_right=True),
        ), self)
        self.table = record_table(self.model, 1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        layout.addWidget(self.table, 1)
        form = QHBoxLayout()
        self.budget_edit = NumberEdit("Pagu anggaran", rule=BUDGET)
        self.spent_edit = NumberEdit("Realisasi anggaran", rule=SPENT)
        self.save_button = QPushButton("Simpan anggaran program")
        self.save_button.clicked.connect(self.save)
        self.reload_button = QPushButton("Muat ulang")
        self.reload_button.clicked.connect(self.refresh)
        self.reload_button.hide()
        form.addWidget(QLabel("Pagu (Rp)"))
        form.addWidget(self.budget_edit, 1)
        form.addWidget(QLabel("Realisasi (Rp)"))
        form.addWidget(self.spent_edit, 1)
        form.addWidget(self.save_button)
        form.addWidget(self.reload_button)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

    @property
    def team_id(self) -> int | None:
        return self.team_combo.currentData()

    def set_cycle(self, cycle_id: int | None) -> None:
        self.cycle_id = cycle_id
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        from kinerja_desktop.services import programmes

        if self.cycle_id is None or self.team_id is None:
            self.model.set_records([])
            self._say("Belum ada siklus yang dipilih.")
            self._show_current()
            return
        current = selected_record(self.table)
        views = programmes.cycle_programmes(self.ctx, self.cycle_id, self.team_id)
        self.model.set_records(views)
        self.reload_button.hide()
        if not views:
            self._say("Tim ini belum memiliki program pada siklus ini (program ditetapkan di "
                      "Master program; format harus sudah disampaikan).")
        else:
            self._say(self._summary(views))
        row = next((i for i, v in enumerate(views)
                    if current is not None and v.programme_id == current.programme_id), 0)
        if views:
            self.table.selectRow(row)
        self._show_current()

    @staticmethod
    def _summary(views) -> str:
        empty = sum(1 for v in views if v.budget is None)
        text = f"{len(views)} program"
        if empty:
            text += f" · {empty} belum diisi pagunya"
        if views and not views[0].editable:
            text += " · siklus sudah ditutup: hanya dapat dilihat"
        return text

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")

    def _show_current(self) -> None:
        view = selected_record(self.table)
        editable = view is not None and view.editable
        for widget in (self.budget_edit, self.spent_edit, self.save_button):
            widget.setEnabled(editable)
        self.budget_edit.set_value(view.budget if view else None)
        self.spent_edit.set_value(view.spent if view else None)
        if view is not None:
            self._loaded_version[view.programme_id] = view.version

    def save(self) -> None:
        from kinerja_desktop.services import programmes

        view = selected_record(self.table)
        if view is None or self.cycle_id is None:
            return
        try:
            budget, spent = self.budget_edit.value(), self.spent_edit.value()
            saved = programmes.save_programme_figures(
                self.ctx, self.user_id, self.cycle_id, view.programme_id,
                float(budget) if budget is not None else None,
                float(spent) if spent is not None else None,
                self._loaded_version.get(view.programme_id, view.version))
        except EditConflict as exc:
            self.reload_button.show()
            self._say(f"{exc} Isian Anda belum disimpan; tekan Muat ulang untuk melihat data "
                      "yang tersimpan.", error=True)
            return
        except KinerjaError as exc:
            self._say(str(exc), error=True)
            return
        self.signals.data_changed.emit(CHANGE_ENTRY)
        self.refresh()
        self._say(f"Tersimpan: {saved.label} — pagu {_money(saved.budget)}, realisasi "
                  f"{_money(saved.spent)}.")


def programmes_dialog(parent: QWidget, ctx, user_id: int, signals, teams,
                      cycle_id: int | None):
    """A dialog holding :class:`TeamProgrammesWidget` for ``cycle_id`` (opened from the
    team's entry screen); its widget is ``dialog.programmes``."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox

    from kinerja_desktop.ui.common import label_buttons
    from kinerja_desktop.ui.sizing import size_window

    dialog = QDialog(parent)
    dialog.setWindowTitle("Anggaran program")
    layout = QVBoxLayout(dialog)
    dialog.programmes = TeamProgrammesWidget(ctx, user_id, signals, teams)
    dialog.programmes.cycle_id = cycle_id
    dialog.programmes.refresh()
    layout.addWidget(dialog.programmes)
    buttons = label_buttons(QDialogButtonBox(QDialogButtonBox.StandardButton.Close))
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    size_window(dialog, 1000, 480)
    return dialog
