"""The team entry's form: its fields in two columns, what each item requires, the
form's one notice (under the scrolling fields), and the live preview of capaian,
predikat and plausibility (a part of
:class:`kinerja_desktop.ui.screens.team_entry.TeamEntryWidget`, which loads, saves and
acts on the items)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.achievement import budget_absorption, compute_achievement
from kinerja_desktop.domain.format_fields import Requirement
from kinerja_desktop.domain.input_rules import MANUAL_ACHIEVEMENT
from kinerja_desktop.domain.numbers import format_money, format_number
from kinerja_desktop.domain.plausibility import check_plausibility
from kinerja_desktop.ui.common import ERROR_STYLE, bold, fmt_dt, heading
from kinerja_desktop.ui.widgets.changed_notice import FormNotice
from kinerja_desktop.ui.widgets.hint_line import HintLine, steady_height
from kinerja_desktop.ui.widgets.number_edit import NUMBER_HINT, NumberEdit
from kinerja_desktop.ui.widgets.plausibility import PlausibilityBox
from kinerja_desktop.ui.widgets.text_limits import limit_line, limit_text

#: The text fields of the form and the columns (and limits) they fill.
_COLUMNS = {"penjelasan": "explanation", "faktor_pendukung": "supporting",
            "faktor_penghambat": "inhibiting", "upaya": "follow_up"}

RETURNED_STYLE = ("background: #ffcdd2; color: #5d0f0f; border: 1px solid #a61b1b; "
                  "border-radius: 4px; padding: 6px;")
#: Inputs of an item the user cannot change look locked (grey), not only refuse edits.
LOCKED_BACKGROUND = "#e6e9eb"
LOCKED_TEXT = "#505a60"
FORMAT_BUDGET_STYLE = "color: #455a64; font-style: italic;"


def show_locked(edit: QWidget, locked: bool) -> None:
    """An input the user cannot change looks locked: grey field, muted text. Through the
    field's palette, not a style sheet on the form: a sheet there sends every widget of
    the form through Qt's style-sheet style (about 15 ms more to show the team entry)."""
    if not locked:
        edit.setPalette(QPalette())  # nothing set: the application's colours again
        return
    palette = QPalette(edit.palette())
    palette.setColor(QPalette.ColorRole.Base, QColor(LOCKED_BACKGROUND))
    palette.setColor(QPalette.ColorRole.Text, QColor(LOCKED_TEXT))
    edit.setPalette(palette)


class EntryForm:
    """The form half of the team entry screen (mixed into ``TeamEntryWidget``)."""

    def _build_form(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setObjectName("formIsianTim")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.setSpacing(3)
        self.returned_banner = QLabel()
        self.returned_banner.setWordWrap(True)
        self.returned_banner.setStyleSheet(RETURNED_STYLE)
        self.returned_banner.hide()
        layout.addWidget(self.returned_banner)
        self.title = heading("Pilih indikator pada tabel")
        self.title.setWordWrap(True)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.title)
        self.subtitle = HintLine(2)
        layout.addWidget(self.subtitle)

        columns = QHBoxLayout()
        columns.setSpacing(12)
        left_column = QVBoxLayout()
        left = QFormLayout()
        left.setVerticalSpacing(3)
        self.actual_edit = NumberEdit("Realisasi", allow_negative=True)
        self.actual_text_edit = limit_line(QLineEdit(), "item_entries.actual_text")
        self.actual_text_edit.setPlaceholderText("mis. B, WTP")
        actual_box = QHBoxLayout()
        actual_box.addWidget(self.actual_edit)
        actual_box.addWidget(self.actual_text_edit)
        self.actual_label = QLabel("Realisasi")
        left.addRow(self.actual_label, actual_box)
        self.achievement_label = bold(HintLine(2))
        self.achievement_label.setText("–")
        left.addRow("Capaian", self.achievement_label)
        # The formula (or why there is none) on two reserved lines across the column.
        self.formula_label = HintLine(2)
        self.formula_label.setStyleSheet("color: #455a64;")
        left.addRow(self.formula_label)
        self.manual_edit = NumberEdit("Capaian manual", allow_negative=True,
                                      rule=MANUAL_ACHIEVEMENT)
        self.manual_edit.setPlaceholderText("kosongkan bila dihitung dengan rumus")
        left.addRow("Capaian manual (%)", self.manual_edit)
        self.justification_edit = limit_line(QLineEdit(),
                                             "item_entries.manual_justification")
        self.justification_edit.setPlaceholderText("wajib bila capaian diisi manual")
        left.addRow("Alasan capaian manual", self.justification_edit)
        self.budget_edit = NumberEdit("Pagu anggaran")
        self.spent_edit = NumberEdit("Realisasi anggaran")
        self.budget_label = QLabel("Pagu anggaran (Rp)")
        self.spent_label = QLabel("Realisasi anggaran (Rp)")
        left.addRow(self.budget_label, self.budget_edit)
        self.format_budget_note = HintLine(1)
        self.format_budget_note.setStyleSheet(FORMAT_BUDGET_STYLE)
        left.addRow("", self.format_budget_note)
        left.addRow(self.spent_label, self.spent_edit)
        self.absorption_label = HintLine(2)  # "Tidak dapat dihitung: Pagu belum diisi" wraps
        self.absorption_label.setText("–")
        left.addRow("Serapan anggaran", self.absorption_label)
        left_column.addLayout(left)

        right_column = QVBoxLayout()
        right = QFormLayout()
        right.setVerticalSpacing(3)
        # Level with the realisasi: warnings of the values typed (a box of fixed height, so
        # nothing below moves) and the short note that explains them.
        self.plausibility_box = PlausibilityBox()
        self.plausibility_box.note_edited.connect(self._edited)
        right.addRow(self.plausibility_box)
        self.text_edits: dict[str, tuple[QLabel, QPlainTextEdit]] = {}
        for key, label in (("penjelasan", "Penjelasan"), ("faktor_pendukung", "Faktor pendukung"),
                           ("faktor_penghambat", "Faktor penghambat"),
                           ("upaya", "Upaya / tindak lanjut")):
            edit = limit_text(QPlainTextEdit(), f"item_entries.{_COLUMNS[key]}")
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 10)
            edit.setTabChangesFocus(True)
            caption = QLabel(label)
            right.addRow(caption, edit)
            self.text_edits[key] = (caption, edit)
            edit.textChanged.connect(self._edited)
        right_column.addLayout(right)

        self.evidence_box = QGroupBox("Bukti dukung")
        ev_layout = QVBoxLayout(self.evidence_box)
        ev_layout.setContentsMargins(6, 4, 6, 6)
        self.evidence_list = QListWidget()
        self.evidence_list.setMaximumHeight(self.evidence_list.fontMetrics().lineSpacing() * 2
                                            + 6)
        ev_layout.addWidget(self.evidence_list)
        ev_buttons = QHBoxLayout()
        self.attach_button = QPushButton("Lampirkan berkas…")
        self.attach_button.clicked.connect(self._choose_evidence)
        self.open_evidence_button = QPushButton("Buka")
        self.open_evidence_button.clicked.connect(self._open_evidence)
        self.remove_evidence_button = QPushButton("Hapus lampiran")
        self.remove_evidence_button.clicked.connect(self._remove_evidence)
        for button in (self.attach_button, self.open_evidence_button,
                       self.remove_evidence_button):
            ev_buttons.addWidget(button)
        ev_buttons.addStretch(1)
        ev_layout.addLayout(ev_buttons)
        left_column.addWidget(self.evidence_box)
        history_box = QGroupBox("Riwayat dan catatan")
        hist_layout = QVBoxLayout(history_box)
        hist_layout.setContentsMargins(6, 4, 6, 6)
        self.history_list = QListWidget()
        self.history_list.setWordWrap(True)
        self.history_list.setMaximumHeight(self.evidence_list.maximumHeight())
        hist_layout.addWidget(self.history_list)
        self.comment_button = QPushButton("Tambah catatan…")
        self.comment_button.clicked.connect(self._add_comment)
        hist_layout.addWidget(self.comment_button, 0, Qt.AlignmentFlag.AlignLeft)
        right_column.addWidget(history_box)
        left_column.addStretch(1)
        right_column.addStretch(1)
        columns.addLayout(left_column, 1)
        columns.addLayout(right_column, 1)
        layout.addLayout(columns)

        # Saved/refused messages: two reserved lines under the form, never above a field.
        self.form_status = HintLine(2)
        layout.addWidget(self.form_status)
        layout.addStretch(1)
        scroll.setWidget(body)
        self.form_scroll = scroll

        for edit in (self.actual_edit, self.manual_edit, self.budget_edit, self.spent_edit):
            edit.textChanged.connect(self._edited)
        # Read-only fields get a border from the style sheet; their height must not change.
        steady_height(self.actual_text_edit, self.justification_edit)
        # Typing hints, cleared while the item is locked (they would invite typing).
        self._hints = {edit: edit.placeholderText()
                       for edit in (self.actual_edit, self.actual_text_edit, self.manual_edit,
                                    self.justification_edit, self.spent_edit)}
        self.actual_text_edit.textChanged.connect(self._edited)
        self.justification_edit.textChanged.connect(self._edited)
        # The form's one notice (changed elsewhere, a save that lost a race, the server
        # gone) sits under the scrolling fields: always in view, and showing it moves no
        # field under the user's cursor (the fields' area only gets shorter).
        pane = QWidget()
        pane.setObjectName("panelFormIsian")
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(scroll, 1)
        self.notice = FormNotice()
        column.addWidget(self.notice)
        return pane

    def _chain_tab_order(self) -> None:
        """Tab goes down the form as it reads: the table, the figures, the evidence, then
        the texts and the note."""
        chain = [self.table, self.actual_edit, self.actual_text_edit, self.manual_edit,
                 self.justification_edit, self.budget_edit, self.spent_edit,
                 self.evidence_list, self.attach_button, self.open_evidence_button,
                 self.remove_evidence_button]
        chain += [edit for _caption, edit in self.text_edits.values()]
        chain += [self.history_list, self.comment_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    @staticmethod
    def _documents_have(name: str) -> bool:
        from kinerja_desktop.services import documents

        return hasattr(documents, name)

    def _show_format_budget(self, view, editable: bool) -> None:
        """Say where the pagu comes from: the format's (Kasubag, step 2) or the team's."""
        budget = view.format_budget
        self.budget_edit.setPlaceholderText(
            f"kosong = pagu format {format_number(budget)}" if budget is not None
            else NUMBER_HINT)
        if budget is None:
            self.format_budget_note.clear()
            return
        if view.budget_from_format:
            text = "Pagu dari format (Kasubag)" + ("; dapat diubah bila berbeda."
                                                   if editable else ".")
        else:
            text = f"Pagu pada format: {format_money(budget)}."
        self.format_budget_note.setText(text)

    def _apply_requirements(self, requirements: dict[str, str]) -> None:
        def caption(text: str, key: str) -> str:
            return text + (" *" if requirements.get(key) == Requirement.REQUIRED else "")

        self.actual_label.setText("Realisasi *")
        budget_mode = requirements.get("anggaran", Requirement.OPTIONAL)
        for label, edit, text in ((self.budget_label, self.budget_edit, "Pagu anggaran (Rp)"),
                                  (self.spent_label, self.spent_edit,
                                   "Realisasi anggaran (Rp)")):
            label.setText(caption(text, "anggaran"))
            label.setVisible(budget_mode != Requirement.HIDDEN)
            edit.setVisible(budget_mode != Requirement.HIDDEN)
        if budget_mode == Requirement.HIDDEN:
            self.format_budget_note.clear()
        for key, (label, edit) in self.text_edits.items():
            base = label.text().rstrip(" *")
            label.setText(caption(base, key))
            hidden = requirements.get(key) == Requirement.HIDDEN
            label.setVisible(not hidden)
            edit.setVisible(not hidden)
        self.evidence_box.setTitle(caption("Bukti dukung", "bukti_dukung"))
        self.evidence_box.setVisible(requirements.get("bukti_dukung") != Requirement.HIDDEN)

    def _fill_lists(self, view) -> None:
        self.evidence_list.clear()
        for ev in view.evidence:
            size = format_number(Decimal(ev.size) / 1024, 1)
            item = QListWidgetItem(f"{ev.original_name} ({size} KB)")
            item.setData(Qt.ItemDataRole.UserRole, ev)
            item.setToolTip(f"SHA-256: {ev.sha256}\nDilampirkan {fmt_dt(ev.added_at)}")
            self.evidence_list.addItem(item)
        self.open_evidence_button.setEnabled(bool(view.evidence))
        self.history_list.clear()
        for h in view.history:
            text = f"{fmt_dt(h.at)} · {h.person} · {h.action_label}"
            self.history_list.addItem(text + (f": {h.comment}" if h.comment else ""))
        if not view.history:
            self.history_list.addItem("Belum ada riwayat.")

    def _edited(self) -> None:
        if self._loading or not self._editable(self.current):
            return
        self._dirty = True
        self._update_preview()
        if self._held is None:  # else the notice asks first (changed elsewhere)
            self.autosave.start()

    def _number_errors(self) -> list[str]:
        edits = [self.manual_edit, self.budget_edit, self.spent_edit]
        if self.current is not None and not self.current.qualitative:
            edits.insert(0, self.actual_edit)
        return [e.error() for e in edits if e.error()]

    def _update_preview(self) -> None:
        """Capaian, predikat and serapan recomputed from what is typed right now."""
        view = self.current
        if view is None:
            self.achievement_label.setText("–")
            self.formula_label.clear()
            self.absorption_label.setText("–")
            self.plausibility_box.show_warnings(())
            return
        errors = self._number_errors()
        if errors:
            self._show_error_message("\n".join(errors) + "\nIsian ini belum disimpan.")
            self.achievement_label.setText("–")
            self.plausibility_box.show_warnings((), self._shown_editable)
            return
        if self.form_status.styleSheet() == ERROR_STYLE:
            self.form_status.clear()
            self.form_status.setStyleSheet("")
        actual = None if view.qualitative else self.actual_edit.value()
        manual = self.manual_edit.value()
        justification = self.justification_edit.text().strip()
        if manual is not None and not justification:
            self.achievement_label.setText("Capaian manual memerlukan alasan")
            self.formula_label.setText("Isi alasan capaian manual, atau kosongkan capaian "
                                       "manual untuk memakai rumus.")
            self.plausibility_box.show_warnings((), self._shown_editable)
            return
        achievement = compute_achievement(view.target, actual, view.formula,
                                          qualitative=view.qualitative, manual_value=manual,
                                          manual_justification=justification or None)
        predikat = self.scale.classify(achievement.value)
        self.achievement_label.setText(achievement.status_label()
                                       + (f" · Predikat {predikat}" if predikat else ""))
        formula = achievement.formula_label()
        if achievement.computable and not achievement.manual and actual is not None:
            formula += (f"  (Realisasi {format_number(actual)}, Target "
                        f"{format_number(view.target)})")
        self.formula_label.setText(formula)
        budget = self.budget_edit.value()
        if budget is None and view.format_budget is not None:
            budget = Decimal(str(view.format_budget))  # an empty pagu is the format's
        absorption = budget_absorption(budget, self.spent_edit.value())
        self.absorption_label.setText(absorption.status_label())
        self.plausibility_box.show_warnings(check_plausibility(
            unit=view.unit, actual=actual, achievement=achievement.value, budget=budget,
            spent=self.spent_edit.value(), last_year_actual=view.last_year_actual,
            last_year=view.last_year, rules=view.rules, qualitative=view.qualitative,
            manual_achievement=achievement.manual), self._shown_editable)

    def _show_error_message(self, message: str) -> None:
        self.form_status.setText(message)
        self.form_status.setStyleSheet(ERROR_STYLE)
