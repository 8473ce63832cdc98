"""Team entry (steps 4–5): one table per team, a detail form, drafts saved as you type.

Numbers are typed the Indonesian way and parsed strictly (``"4.25"`` is refused with a
message and never saved). Capaian and predikat follow every keystroke, with the
formula shown. Serahkan hands in the team's data; a returned item shows its reason.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.achievement import (
    DEFAULT_PREDIKAT_SCALE,
)
from kinerja_desktop.domain.errors import EditConflict, KinerjaError, ValidationError
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.ui.common import (
    ask_yes_no,
    fmt_dt,
    run_action,
    show_error,
)
from kinerja_desktop.ui.dialogs.text import TextDialog
from kinerja_desktop.ui.models.performance_data import TeamEntryTableModel, target_text
from kinerja_desktop.ui.screens.entry_form import EntryForm, show_locked
from kinerja_desktop.ui.signals import (
    CHANGE_CYCLE,
    CHANGE_ENTRY,
    CHANGE_FORMAT,
    CHANGE_OFFICE,
    CHANGE_TEAMS,
)
from kinerja_desktop.ui.widgets.changed_notice import INFO, WARNING
from kinerja_desktop.ui.widgets.hint_line import HintLine
from kinerja_desktop.ui.widgets.performance_data import LazyRefresh, default_cycle_id
from kinerja_desktop.ui.widgets.tables import hide_columns_when_narrow, record_table

AUTOSAVE_MS = 700
OK_STYLE = "color: #1b5e20;"
SUBMITTED_STYLE = ("background: #e8f5e9; color: #1b5e20; border: 1px solid #66bb6a; "
                   "border-radius: 4px; padding: 6px;")
ATTENTION_STYLE = ("background: #e3f2fd; color: #0d3c61; border: 1px solid #64b5f6; "
                   "border-radius: 3px; padding: 0 4px;")


def save_bytes_dialog(parent: QWidget, title: str, suggested: str, data_source) -> Path | None:
    """Ask where to save a PDF and write it atomically; returns the path or None."""
    from kinerja_desktop.atomic import write_chosen_file
    from kinerja_desktop.ui.dialogs.files import save_file

    path = save_file(parent, title, suggested, "Berkas PDF (*.pdf)", purpose="pdf")
    if path is None:
        return None
    ok, data = run_action(parent, data_source)
    if not ok:
        return None
    if not run_action(parent, lambda: write_chosen_file(path, data))[0]:
        return None
    return path


def open_evidence(ctx, evidence) -> Path:
    """Copy a stored evidence file (from the database) to a temporary folder under its
    display name and open it. A file missing or damaged in the database raises a
    :class:`KinerjaError` with the Indonesian reason."""
    import tempfile

    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    from kinerja_desktop.services.files import copy_out, display_name

    folder = Path(tempfile.mkdtemp(prefix="bukti-"))
    target = folder / display_name(evidence.original_name)
    copy_out(ctx, evidence.sha256, target)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
    return target


class TeamEntryWidget(EntryForm, LazyRefresh, QWidget):
    """The Tim Penyusun's table and form for one cycle."""

    REFRESH_AREAS = (CHANGE_ENTRY, CHANGE_FORMAT, CHANGE_OFFICE, CHANGE_CYCLE, CHANGE_TEAMS)

    def __init__(self, ctx, user_id: int, signals, parent: QWidget | None = None,
                 team_id: int | None = None) -> None:
        """``team_id`` pins the widget to one team (one section per team); without it,
        a combo box offers the user's teams (or every team, read-only, to a non-member)."""
        super().__init__(parent)
        self.ctx, self.user_id, self.signals = ctx, user_id, signals
        self.cycle_id: int | None = default_cycle_id(ctx)
        self.fixed_team_id = team_id
        self.team_id: int | None = team_id
        self.member_teams: frozenset[int] = frozenset()
        self.delivered_teams: frozenset[int] = frozenset()  # step 4 ready (format received)
        self._shown_editable = False
        self.cycle_closed = False  # the viewed cycle is closed: nothing may change
        self.scale = DEFAULT_PREDIKAT_SCALE
        self.current = None  # the ItemView shown in the form (its version: what was loaded)
        self._loading = False
        self._dirty = False
        #: Someone else saved the item shown while this form held changes: the form keeps
        #: what was typed until the user reloads or saves it over the other change.
        self.conflict: EditConflict | None = None
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_now)
        self._build()
        self._build_changed_elsewhere()
        signals.data_changed.connect(self._on_data_changed)
        self.refresh()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        team_caption = QLabel("Tim:")
        top.addWidget(team_caption)
        self.team_combo = QComboBox()
        self.team_combo.setMinimumWidth(260)
        self.team_combo.currentIndexChanged.connect(self._team_chosen)
        top.addWidget(self.team_combo)
        if self.fixed_team_id is not None:  # the section's title names the team
            team_caption.hide()
            self.team_combo.hide()
        self.progress_label = QLabel()
        top.addWidget(self.progress_label)
        # What needs the member, in the same row (it takes no height from the form).
        self.attention_label = HintLine(1)
        self.attention_label.setObjectName("perluPerhatian")
        self.attention_label.setStyleSheet(ATTENTION_STYLE)
        policy = self.attention_label.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the buttons beside it never move
        self.attention_label.setSizePolicy(policy)
        self.attention_label.hide()
        top.addWidget(self.attention_label, 1)
        self.submit_button = QPushButton("Serahkan")
        self.submit_button.setToolTip("Serahkan data tim (langkah 5); semua isian wajib harus "
                                      "terisi.")
        self.submit_button.clicked.connect(self.submit)
        top.addWidget(self.submit_button)
        self.programmes_button = QPushButton("Anggaran program…")
        self.programmes_button.setToolTip("Pagu dan realisasi anggaran per program tim pada "
                                          "siklus ini.")
        self.programmes_button.clicked.connect(self.show_programmes)
        top.addWidget(self.programmes_button)
        self.receipt_button: QPushButton | None = None
        if self._documents_have("receipt_pdf"):
            self.receipt_button = QPushButton("Tanda terima (PDF)…")
            self.receipt_button.clicked.connect(self.save_receipt)
            top.addWidget(self.receipt_button)
        outer.addLayout(top)
        self._opened_on_returned = False
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        outer.addWidget(self.message)

        # The indicators beside the form (a laptop screen is wider than it is tall): the
        # list keeps at least eight rows and the form is whole at 1366×768.
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("isianTimPemisah")
        self.splitter.setChildrenCollapsible(False)
        self.model = TeamEntryTableModel(self)
        self.model.saver = self._save_actual_from_table
        self.model.can_edit = self._editable
        self.model.input_rejected.connect(self._show_error_message)
        self.table = record_table(self.model, TeamEntryTableModel.COL_NAME)
        self.table.setObjectName("tabelIsianTim")
        self.table.setWordWrap(False)  # one line per indicator; the name's tooltip is whole
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        # Long texts (why no capaian, what is missing) are cut; their tooltips are whole.
        for column, width in ((TeamEntryTableModel.COL_ACHIEVEMENT, 110),
                              (TeamEntryTableModel.COL_MISSING, 120)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        # Shown for the selected indicator in the form anyway: hidden first when narrow.
        hide_columns_when_narrow(self.table, (
            TeamEntryTableModel.COL_EVIDENCE, TeamEntryTableModel.COL_PREDIKAT,
            TeamEntryTableModel.COL_UNIT, TeamEntryTableModel.COL_TARGET,
            TeamEntryTableModel.COL_MISSING), stretch_minimum=180)
        self.table.setEditTriggers(QTableView.EditTrigger.DoubleClicked
                                   | QTableView.EditTrigger.EditKeyPressed
                                   | QTableView.EditTrigger.AnyKeyPressed)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self._build_form())
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)
        outer.addWidget(self.splitter, 1)
        self._splitter_sized = False
        self._chain_tab_order()

    # ------------------------------------------------------------------ data

    def show_programmes(self) -> None:
        """The team's programmes of the viewed cycle, in a dialog over the entry screen."""
        from kinerja_desktop.ui.screens.programmes import programmes_dialog

        if self.team_id is not None:
            programmes_dialog(self, self.ctx, self.user_id, self.signals,
                              [(self.team_id, self.team_combo.currentText())],
                              self.cycle_id).exec()

    def set_cycle(self, cycle_id: int | None) -> None:
        self.save_now()
        self.change_cycle(cycle_id)

    def refresh(self) -> None:
        """Reload teams and items from the services (keeps the selection)."""
        from kinerja_desktop.services import accounts, cycles, office

        if self.refresh_blocked():
            return
        if self._dirty:
            self.save_now()
        self.scale = office.predikat_scale(self.ctx, self.cycle_id)
        person = accounts.get_person(self.ctx, self.user_id)
        self.member_teams = person.team_ids
        team_rows = []
        self.delivered_teams = frozenset()
        self.cycle_closed = False
        if self.cycle_id is not None:
            all_teams = cycles.list_cycle_teams(self.ctx, self.cycle_id)
            self.delivered_teams = frozenset(t.id for t in all_teams if t.delivered)
            self.cycle_closed = cycles.get_cycle(self.ctx, self.cycle_id).closed
            mine = [t for t in all_teams if t.id in person.team_ids]
            team_rows = mine or all_teams
            if self.fixed_team_id is not None:
                team_rows = [t for t in all_teams if t.id == self.fixed_team_id]
        self._loading = True
        previous = self.team_id
        self.team_combo.clear()
        for team in team_rows:
            suffix = "" if team.id in person.team_ids else " (hanya lihat)"
            self.team_combo.addItem(team.name + suffix, team.id)
        index = self.team_combo.findData(previous) if previous is not None else -1
        self.team_combo.setCurrentIndex(index if index >= 0 else (0 if team_rows else -1))
        self._loading = False
        self.team_id = self.team_combo.currentData()
        if self.cycle_id is None:
            self.progress_label.setText("Belum ada siklus pengumpulan data.")
        elif not team_rows:
            cycle = cycles.get_cycle(self.ctx, self.cycle_id)
            self.progress_label.setText(
                f"{cycle.label}: format belum berisi indikator"
                + (" untuk tim ini." if self.fixed_team_id is not None else "."))
        self._load_items()

    def _team_chosen(self) -> None:
        if self._loading:
            return
        if self._must_answer_notice():
            self._loading = True
            self.team_combo.setCurrentIndex(self.team_combo.findData(self.team_id))
            self._loading = False
            return
        self.save_now()
        self.team_id = self.team_combo.currentData()
        self._load_items()

    def _load_items(self) -> None:
        from kinerja_desktop.services import entries

        selected = self.current.item_id if self.current else None
        attention = self._show_attention()
        if not self._opened_on_returned and attention is not None \
                and attention.first_returned_item_id is not None:
            # At log-in the entry opens on the first item the verifier returned.
            self._opened_on_returned = True
            selected = attention.first_returned_item_id
        if self.cycle_id is None or self.team_id is None:
            self.model.set_records([])
        else:
            self.model.set_records(entries.list_team_items(self.ctx, self.cycle_id, self.team_id))
        row = self.model.row_of(lambda v: v.item_id == selected) if selected else None
        if row is None and self.model.rowCount():
            row = 0
        previous = self.current
        self.current = None
        self._loading = True
        if row is not None:
            self.table.selectRow(row)
        self._loading = False
        record = self.model.record(row) if row is not None else None
        if (record is not None and previous is not None and record == previous
                and self._editable(record) == self._shown_editable):
            self.current = record  # unchanged: keep the form (cursor, text) as it is
        elif ((self.conflict is not None or self._held is not None) and record is not None
              and previous is not None and record.item_id == previous.item_id):
            self.current = previous  # what the user typed stays until they choose
        else:
            self._show_item(record)
        self._update_progress()

    def _show_attention(self):
        """The banner of what needs the user in this team now; returns its TeamAttention."""
        from kinerja_desktop.services import attention

        found = None
        if self.cycle_id is not None and self.team_id in self.member_teams:
            found = next((a for a in attention.for_member(self.ctx, self.user_id,
                                                          self.cycle_id)
                          if a.team_id == self.team_id), None)
        lines = found.lines() if found is not None and found.needs_action else []
        self.attention_label.setText("Perlu perhatian Anda: " + " · ".join(lines)
                                     if lines else "")
        self.attention_label.setVisible(bool(lines))
        return found

    def _update_progress(self) -> None:
        if not self.model.records:
            self.submit_button.setEnabled(False)
            return
        records = self.model.records
        complete = sum(1 for r in records if not r.missing)
        states = [r.state for r in records]
        parts = [f"{complete}/{len(records)} indikator lengkap"]
        for state in (ItemState.SUBMITTED, ItemState.RETURNED, ItemState.VERIFIED):
            if states.count(state):
                parts.append(f"{states.count(state)} {state.label.lower()}")
        if self.team_id not in self.delivered_teams:
            parts.append("format belum disampaikan kepada tim ini (langkah 3): belum dapat "
                         "diisi")
        self.progress_label.setText(" · ".join(parts))
        mine = self.team_id in self.member_teams and self.team_id in self.delivered_teams
        can_submit = mine and (ItemState.DRAFT in states or ItemState.RETURNED in states)
        self.submit_button.setEnabled(can_submit)
        self.submit_button.setText("Serahkan ulang" if ItemState.DRAFT not in states
                                   and ItemState.RETURNED in states else "Serahkan")
        if self.receipt_button is not None:
            self.receipt_button.setEnabled(any(s is not ItemState.DRAFT for s in states))

    def _row_changed(self, current, _previous) -> None:
        if self._loading or not current.isValid():
            return
        record = self.model.record(current.row())
        if self.current is not None and record.item_id == self.current.item_id:
            return
        if self.conflict is not None and self.current is not None:
            # Leaving would drop what was typed: stay until the user reloads or saves it.
            held = self.model.row_of(lambda v: v.item_id == self.current.item_id)
            if held is not None:
                QTimer.singleShot(0, lambda: self._select_row(held))
                return
        elif self._must_answer_notice():
            row = self.model.row_of(lambda v: v.item_id == self.current.item_id)
            self._loading = True
            self.table.selectRow(row)
            self._loading = False
            return
        self.save_now()
        row = self.model.row_of(lambda v: v.item_id == record.item_id)
        self._show_item(self.model.record(row) if row is not None else None)

    # ------------------------------------------------------------------ form

    def _editable(self, view) -> bool:
        return (view is not None and not self.cycle_closed and view.state.editable
                and view.team_id in self.member_teams and view.team_id in self.delivered_teams)

    def _select_row(self, row: int) -> None:
        self._loading = True
        self.table.selectRow(row)
        self._loading = False

    def _show_item(self, view) -> None:
        self._loading = True
        self.current = view
        self._dirty = False
        self.conflict = None
        self._held = None
        self._notice_info = ""
        editable = self._shown_editable = self._editable(view)
        if view is None:
            self.title.setText("Pilih indikator pada tabel")
            self.subtitle.clear()
            self.returned_banner.hide()
        else:
            self.title.setText(view.indicator_name)
            unit = f" {view.unit}" if view.unit and view.unit != "%" else view.unit
            self.subtitle.setText(f"Sasaran: {view.objective_name}\nTarget: "
                                  f"{target_text(view)}{unit} · Status: {view.state.label}")
            if view.state is ItemState.RETURNED and view.last_return_reason:
                self.returned_banner.setText("Dikembalikan oleh verifikator. Alasan: "
                                             + view.last_return_reason)
                self.returned_banner.show()
            else:
                self.returned_banner.hide()
            values = view.values
            self.actual_edit.setVisible(not view.qualitative)
            self.actual_text_edit.setVisible(view.qualitative)
            self.actual_edit.set_value(values.actual)
            self.actual_text_edit.setText(values.actual_text)
            self.manual_edit.set_value(values.manual_achievement)
            self.justification_edit.setText(values.manual_justification)
            self.plausibility_box.set_note(values.plausibility_note)
            self.budget_edit.set_value(values.budget)
            self._show_format_budget(view, editable)
            self.spent_edit.set_value(values.spent)
            keys = {"penjelasan": values.explanation, "faktor_pendukung": values.supporting,
                    "faktor_penghambat": values.inhibiting, "upaya": values.follow_up}
            for key, (_caption, edit) in self.text_edits.items():
                edit.setPlainText(keys[key])
            self._apply_requirements(dict(view.requirements))
            self._fill_lists(view)
        if view is None:
            self.format_budget_note.clear()
            self.plausibility_box.set_note("")
        inputs = [self.actual_edit, self.actual_text_edit, self.manual_edit,
                  self.justification_edit, self.budget_edit, self.spent_edit]
        inputs += [edit for _caption, edit in self.text_edits.values()]
        for edit, hint in self._hints.items():
            edit.setPlaceholderText(hint if editable else "")
        if not editable:
            self.budget_edit.setPlaceholderText("")
        for edit in inputs:
            if edit.isReadOnly() != (not editable):
                edit.setReadOnly(not editable)
                show_locked(edit, not editable)
        self.attach_button.setEnabled(editable)
        self.remove_evidence_button.setEnabled(editable)
        self.comment_button.setEnabled(view is not None and view.team_id in self.member_teams
                                       and not self.cycle_closed)
        self.form_status.setText("" if view is None or editable else
                                 "Data ini tidak dapat diubah: " + (
                                     "siklus sudah ditutup (catatan resmi)." if self.cycle_closed
                                     else "bukan tim Anda." if view.team_id not in
                                     self.member_teams
                                     else "format belum disampaikan kepada tim ini (langkah 3 "
                                     "belum selesai)." if view.team_id not in self.delivered_teams
                                     else f"berstatus {view.state.label.lower()}."))
        self.form_status.setStyleSheet("")
        self._loading = False
        self._update_notice()
        self._update_preview()

    def _entry_input(self):
        """What the form holds, as an EntryInput; ValidationError for bad numbers."""
        from kinerja_desktop.services.entries import EntryInput

        errors = self._number_errors()
        if errors:
            raise ValidationError("\n".join(errors))
        view = self.current

        def as_float(value: Decimal | None) -> float | None:
            return float(value) if value is not None else None

        texts = {k: e.toPlainText() for k, (_c, e) in self.text_edits.items()}
        return EntryInput(
            actual=None if view.qualitative else as_float(self.actual_edit.value()),
            actual_text=self.actual_text_edit.text() if view.qualitative else "",
            budget=as_float(self.budget_edit.value()),
            spent=as_float(self.spent_edit.value()),
            explanation=texts["penjelasan"], supporting=texts["faktor_pendukung"],
            inhibiting=texts["faktor_penghambat"], follow_up=texts["upaya"],
            manual_achievement=as_float(self.manual_edit.value()),
            manual_justification=self.justification_edit.text(),
            plausibility_note=self.plausibility_box.note(),
        )

    def save_now(self) -> bool:
        """Save the draft in the form now (also run by the autosave timer). True if saved."""
        from kinerja_desktop.services import entries

        self.autosave.stop()
        if (not self._dirty or self.current is None or self.conflict is not None
                or self._held is not None):
            return False
        if not self.signals_server_answering():
            self._tell_server_gone()
            return False
        try:
            data = self._entry_input()
            if data.manual_achievement is not None and not data.manual_justification.strip():
                raise ValidationError("Capaian manual memerlukan alasan (justifikasi).")
            updated = entries.save_entry(self.ctx, self.user_id, self.current.item_id, data,
                                         expected_version=self.current.version)
        except EditConflict as exc:
            self._enter_conflict(exc)
            return False
        except KinerjaError as exc:
            self._show_error_message(f"{exc}\nIsian ini belum disimpan.")
            return False
        self._dirty = False
        self._notice_info = ""
        self._update_notice()
        self._replace_row(updated)
        self.form_status.setText(f"Draf tersimpan {fmt_dt(updated.updated_at)}.")
        self.form_status.setStyleSheet(OK_STYLE)
        self._announce()
        return True

    def _enter_conflict(self, exc: EditConflict) -> None:
        """Another PC saved this item since the form loaded it: say so calmly, keep what
        was typed, and let the user choose."""
        self.conflict = exc
        self._update_notice()
        self.form_status.setText("Isian belum disimpan.")
        self.form_status.setStyleSheet("")

    def reload_after_conflict(self) -> None:
        """Muat ulang: show the item as saved now (what was typed here is dropped)."""
        from kinerja_desktop.services import entries

        if self.current is None:
            return
        ok, fresh = run_action(self, lambda: entries.get_item(self.ctx, self.current.item_id))
        if ok:
            self._replace_row(fresh)
            self._show_item(fresh)
            self.form_status.setText("Data terbaru telah dimuat.")
            self.form_status.setStyleSheet(OK_STYLE)

    def save_mine_after_conflict(self) -> bool:
        """Simpan isian saya: save what the form holds over the other change (the user has
        read who made it)."""
        from kinerja_desktop.services import entries

        if self.current is None or self.conflict is None:
            return False
        ok, fresh = run_action(self, lambda: entries.get_item(self.ctx, self.current.item_id))
        if not ok:
            return False
        self.current = fresh  # the version now stored: this save replaces it knowingly
        self.conflict = None
        self._held = None  # the same change, heard from the server too
        self._dirty = True
        saved = self.save_now()
        self._update_notice()
        return saved

    def _replace_row(self, updated) -> None:
        row = self.model.row_of(lambda v: v.item_id == updated.item_id)
        if row is not None:
            self.model.replace(row, updated)
        if self.current is not None and self.current.item_id == updated.item_id:
            self.current = updated
        self._update_progress()

    def _announce(self) -> None:
        self.announce(CHANGE_ENTRY)

    def _save_actual_from_table(self, view, number: Decimal | None):
        """Table edit of Realisasi: saved at once (other fields kept)."""
        from kinerja_desktop.services import entries

        if not self._editable(view):
            return None
        self.save_now()
        if self.conflict is not None:
            return None
        fresh = self.model.record(self.model.row_of(lambda v: v.item_id == view.item_id))
        data = replace(fresh.values, actual=float(number) if number is not None else None)
        try:
            updated = entries.save_entry(self.ctx, self.user_id, view.item_id, data,
                                         expected_version=fresh.version)
        except EditConflict as exc:
            # Keep the number typed in the table: in the form, beside the message.
            row = self.model.row_of(lambda v: v.item_id == view.item_id)
            if row is not None:
                self._select_row(row)
            self._show_item(fresh)
            self._loading = True
            self.actual_edit.set_value(number)
            self._loading = False
            self._dirty = True
            self._enter_conflict(exc)
            return None
        except KinerjaError as exc:
            show_error(self, exc)
            return None
        if self.current is not None and self.current.item_id == updated.item_id:
            self._show_item(updated)
        self._announce()
        QTimer.singleShot(0, self._update_progress)
        return updated

    # ------------------------------------------------------------------ actions

    def _choose_evidence(self) -> None:
        from kinerja_desktop.ui.dialogs.files import open_file

        path = open_file(self, "Lampirkan bukti dukung", purpose="bukti")
        if path is not None:
            self.attach_file(path)

    def attach_file(self, path: Path) -> bool:
        from kinerja_desktop.services import entries

        if self.current is None:
            return False
        self.save_now()
        ok, updated = run_action(self, lambda: entries.attach_evidence(
            self.ctx, self.user_id, self.current.item_id, path))
        if ok:
            self._replace_row(updated)
            self._show_item(updated)
            self._announce()
        return ok

    def _selected_evidence(self):
        item = self.evidence_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _open_evidence(self) -> None:
        evidence = self._selected_evidence()
        if evidence is None:
            show_error(self, ValidationError("Pilih berkas bukti dukung dahulu."))
            return
        run_action(self, lambda: open_evidence(self.ctx, evidence))

    def _remove_evidence(self) -> None:
        from kinerja_desktop.services import entries

        evidence = self._selected_evidence()
        if evidence is None:
            show_error(self, ValidationError("Pilih berkas bukti dukung yang akan dihapus."))
            return
        if not ask_yes_no(self, "Hapus lampiran",
                          f"Hapus lampiran {evidence.original_name} dari indikator ini?"):
            return
        ok, updated = run_action(self, lambda: entries.remove_evidence(
            self.ctx, self.user_id, evidence.id))
        if ok:
            self._replace_row(updated)
            self._show_item(updated)
            self._announce()

    def _add_comment(self) -> None:
        from kinerja_desktop.services import verification

        if self.current is None:
            return
        item_id = self.current.item_id
        dialog = TextDialog("Tambah catatan", "Catatan untuk verifikator, masuk ke riwayat "
                            "indikator ini:", lambda text: verification.add_comment(
                                self.ctx, self.user_id, item_id, text), parent=self,
                            field="item_reviews.comment")
        if dialog.exec():
            self._replace_row(dialog.result_value)
            self._show_item(dialog.result_value)
            self._announce()

    def submit(self) -> None:
        """Serahkan: confirm, hand in, and show the frozen version (and its receipt)."""
        from kinerja_desktop.services import submissions

        if self.cycle_id is None or self.team_id is None:
            return
        if self._dirty and not self.save_now():
            return
        if not ask_yes_no(self, "Serahkan data",
                          "Serahkan data tim ini? Setelah diserahkan, data dibekukan dan hanya "
                          "butir yang dikembalikan verifikator yang dapat diubah."):
            return
        ok, info = run_action(self, lambda: submissions.submit(
            self.ctx, self.user_id, self.cycle_id, self.team_id))
        if not ok:
            return
        self.last_submission = info
        self.signals.data_changed.emit(CHANGE_ENTRY)
        self.refresh()
        self.show_submission(info)

    def show_submission(self, info) -> None:
        """The frozen version just handed in: time, counts, hash, what changed."""
        from html import escape

        lines = [f"<b>Data {escape(info.team_name)} diserahkan</b> (versi {info.version}) pada "
                 f"{fmt_dt(info.submitted_at)}: {info.item_count} indikator, "
                 f"{info.evidence_count} berkas bukti dukung.",
                 f"Kode pengaman (SHA-256): <tt>{info.snapshot_sha256}</tt>"]
        if info.changes:
            changed = "; ".join(f"{escape(c.indicator)}: {escape(c.field)}"
                                for c in info.changes[:12])
            lines.append(f"Perubahan sejak versi sebelumnya: {changed}")
        if self.receipt_button is not None:
            lines.append("Tanda terima dapat disimpan atau dicetak dengan tombol "
                         "<i>Tanda terima (PDF)…</i>.")
        self.message.setText("<br>".join(lines))
        self.message.setStyleSheet(SUBMITTED_STYLE)
        self.message.show()

    def save_receipt(self) -> None:
        from kinerja_desktop.services import submissions

        if self.cycle_id is None or self.team_id is None:
            return
        info = submissions.latest_for_team(self.ctx, self.cycle_id, self.team_id)
        if info is None:
            show_error(self, ValidationError("Data tim ini belum pernah diserahkan."))
            return
        self._save_receipt_of(info.id, info.team_name, info.version)

    def _save_receipt_of(self, submission_id: int, team_name: str, version: int) -> None:
        from kinerja_desktop.services import documents

        save_bytes_dialog(self, "Simpan tanda terima", f"Tanda terima {team_name} v{version}.pdf",
                          lambda: documents.receipt_pdf(self.ctx, submission_id))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._splitter_sized:
            self._splitter_sized = True
            self._size_splitter()

    def _size_splitter(self) -> None:
        """First split: the form as wide as it wants (at most 55 %), the table the rest;
        later the user's own split is remembered."""
        from kinerja_desktop import settings

        total = self.splitter.width()
        scroll = self.form_scroll
        wanted = (scroll.widget().sizeHint().width()
                  + scroll.verticalScrollBar().sizeHint().width() + 4)
        form = min(wanted, round(total * 0.55))
        self.splitter.setSizes([total - form, form])
        settings.remember_splitter(self.splitter, "isian_tim")

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.save_now()
        super().hideEvent(event)

    # ------------------------------------------------------------------ other PCs

    def _build_changed_elsewhere(self) -> None:
        """What the window's live updates tell this form, said in the form's one notice
        (under its fields; see :meth:`_update_notice`)."""
        self._held = None  # the newer stored ItemView while the user's typing is kept
        self._notice_info = ""  # a message with nothing to choose (Tutup)
        self.notice.reload_requested.connect(self._notice_reload)
        self.notice.keep_mine_requested.connect(self._notice_keep_mine)
        self.notice.dismissed.connect(self._notice_dismissed)
        self.signals.items_changed_elsewhere.connect(self._items_changed_elsewhere)
        self.signals.server_state_changed.connect(self._server_state_changed)

    def signals_server_answering(self) -> bool:
        return getattr(self.signals, "server_answering", True)

    def _update_notice(self) -> None:
        """The one notice says what matters most now: the server gone while typing waits,
        else a save that lost a race, else the item changed elsewhere, else a message
        with nothing to choose; nothing otherwise."""
        from html import escape

        notice = self.notice
        waiting = self.conflict is not None or self._held is not None
        if not self.signals_server_answering() and (self._dirty or waiting):
            then = ("pilih <b>Muat ulang</b> atau <b>Simpan isian saya</b> begitu server "
                    "menjawab lagi." if waiting else "isian disimpan otomatis begitu server "
                    "menjawab lagi.")
            notice.tell("Server basis data tidak menjawab. Isian Anda belum disimpan dan tetap "
                        f"di formulir; {then}", closable=False, tone=WARNING)
        elif self.conflict is not None:
            notice.tell(f"{escape(str(self.conflict))} Isian Anda di formulir ini belum "
                        "disimpan dan tetap ada: <b>Muat ulang</b> menampilkan data terbaru "
                        "(isian Anda dibuang); <b>Simpan isian saya</b> menggantikan perubahan "
                        "itu.", reload=True, keep_mine=True)
        elif self._held is not None:
            notice.tell("Indikator ini baru saja diubah di komputer lain. Isian Anda belum "
                        "disimpan dan tetap di formulir. <b>Muat ulang</b> menampilkan data "
                        "terbaru (isian Anda dibuang); <b>Simpan isian saya</b> menggantikan "
                        "perubahan itu.", reload=True, keep_mine=True)
        elif self._notice_info:
            notice.tell(self._notice_info, tone=INFO)
        else:
            notice.hide()

    def _notice_reload(self) -> None:
        if self.conflict is not None:
            self.reload_after_conflict()
        else:
            self.reload_current()

    def _notice_keep_mine(self) -> None:
        if self.conflict is not None:
            self.save_mine_after_conflict()
        else:
            self.keep_mine()

    def _notice_dismissed(self) -> None:
        self._notice_info = ""

    def _items_changed_elsewhere(self, item_ids) -> None:
        """Another PC changed these items (None: any may have changed). The form's item
        among them: a form without typing shows the new data; typing is kept, never
        overwritten, and the notice asks what to do."""
        from kinerja_desktop.services import entries

        view = self.current
        if view is None or (item_ids is not None and view.item_id not in item_ids):
            return
        try:
            fresh = entries.get_item(self.ctx, view.item_id)
        except KinerjaError:
            return  # removed, or the server went away: the refresh that follows says so
        if fresh == (self._held or view):
            return
        if self._dirty or self._held is not None or self.conflict is not None:
            self.autosave.stop()
            self._held = fresh
            self._update_notice()
            return
        self._replace_row(fresh)
        self._show_item(fresh)  # nothing typed: nothing lost
        self._notice_info = ("Indikator ini baru saja diubah di komputer lain; yang tampil "
                             "sudah data terbaru.")
        self._update_notice()

    def reload_current(self) -> None:
        """Muat ulang: the stored data replaces the form (the notice's choice)."""
        from kinerja_desktop.services import entries

        if self.current is None:
            return
        ok, fresh = run_action(self, lambda: entries.get_item(self.ctx, self.current.item_id))
        if not ok:
            return
        self.autosave.stop()
        self._replace_row(fresh)
        self._show_item(fresh)  # also forgets the held version and hides the notice

    def keep_mine(self) -> bool:
        """Simpan isian saya: save the typing over the other PC's change, knowingly (the
        save carries the version of that change, so only a third change stops it)."""
        held, self._held = self._held, None
        if held is not None and self.current is not None:
            self.current = replace(self.current, version=held.version)
        self._dirty = True
        saved = self.save_now()
        self._update_notice()
        return saved

    def _must_answer_notice(self) -> bool:
        """True (and the notice draws attention) while typing waits for the user's answer."""
        if self._held is None:
            return False
        self.notice.draw_attention()
        return True

    def _tell_server_gone(self) -> None:
        self.form_status.setText("Isian belum disimpan.")
        self.form_status.setStyleSheet("")
        self._update_notice()

    def _server_state_changed(self, _state) -> None:
        if not self.signals_server_answering():
            if self._dirty:
                self.autosave.stop()
        elif self._dirty and self._held is None and self.conflict is None:
            if self.save_now():  # back: what was typed meanwhile is saved now
                self._notice_info = "Server menjawab lagi; isian Anda telah disimpan."
        self._update_notice()


def _format_items(ctx, cycle_id: int):
    from kinerja_desktop.services import formats

    return formats.format_items(ctx, cycle_id)
