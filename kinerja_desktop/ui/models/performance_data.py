"""Table models of the performance-data screens (indicators, format, entry, verification,
summary). Each is a QAbstractTableModel with column constants and a headers tuple, and
passes ``qtmodeltester.check``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal

from kinerja_desktop.domain import input_rules
from kinerja_desktop.domain.achievement import Polarity
from kinerja_desktop.domain.numbers import (
    NumberFormatError,
    format_number,
    format_percent,
    parse_number,
)
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.ui.common import fmt_dt, status_colour, status_symbol
from kinerja_desktop.ui.models.records import RecordTableModel

STATE_COLOURS = {
    ItemState.DRAFT: "#eceff1",
    ItemState.SUBMITTED: "#e3f2fd",
    ItemState.RETURNED: "#ffcdd2",
    ItemState.VERIFIED: "#c8e6c9",
}
MISSING_COLOUR = "#ffe0b2"
WARNING_COLOUR = "#fff3cd"
WARNING_UNEXPLAINED_COLOUR = "#ffd54f"


def warning_text(item: Any) -> str:
    """``"⚠ 2, dengan catatan"``, ``"⚠ 1, tanpa catatan"`` or ``"–"`` for an ItemView."""
    if not item.warnings:
        return "–"
    return f"⚠ {len(item.warnings)}, " + ("tanpa catatan" if item.needs_note
                                           else "dengan catatan")


def warning_tooltip(item: Any) -> str:
    if not item.warnings:
        return "Tidak ada peringatan kewajaran."
    note = item.values.plausibility_note.strip()
    return ("\n".join(f"⚠ {w.message}" for w in item.warnings)
            + (f"\nCatatan tim: {note}" if note else "\nTim belum memberi catatan."))


def num(value: float | Decimal | None) -> str:
    return format_number(value) if value is not None else "–"


def target_text(record: Any) -> str:
    """Target of a format item or item view: text for qualitative indicators."""
    if record.qualitative:
        return record.target_text or "–"
    return num(record.target)


def polarity_label(polarity: Polarity | str) -> str:
    return "Positif" if Polarity(polarity) is Polarity.POSITIF else "Negatif"


class _RecordModel(RecordTableModel):
    """Rows of frozen records described by ``HEADERS`` and ``_display`` (see the base)."""

    def __init__(self, parent=None) -> None:
        super().__init__((), parent)


# --------------------------------------------------------------------------- indicator master


@dataclass(frozen=True)
class ObjectiveOnly:
    """A strategic objective without indicators yet: still a row of the indicator master,
    so a new sasaran is visible (and editable) before its first indicator."""

    objective_id: int
    objective_name: str
    code: str


class IndicatorTableModel(_RecordModel):
    """Rows of :class:`services.formats.IndicatorInfo`, with the chosen year's target, and
    an :class:`ObjectiveOnly` row for each sasaran that has no indicator yet."""

    HEADERS = ("Sasaran strategis", "Kode", "Indikator", "Satuan", "Polaritas", "Rumus",
               "Tim", "Target", "Target Renstra", "Sumber data", "Kewajaran")
    (COL_OBJECTIVE, COL_CODE, COL_NAME, COL_UNIT, COL_POLARITY, COL_FORMULA, COL_TEAM,
     COL_TARGET, COL_RENSTRA, COL_SOURCE, COL_RULES) = range(len(HEADERS))
    RIGHT_ALIGNED = frozenset({COL_TARGET, COL_RENSTRA})

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.targets: dict[int, Any] = {}
        self.year: int | None = None

    def set_data(self, indicators: Sequence[Any], targets: dict[int, Any], year: int) -> None:
        self.beginResetModel()
        self.records = list(indicators)
        self.targets = dict(targets)
        self.year = year
        self.endResetModel()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and section == self.COL_TARGET and self.year):
            return f"Target {self.year}"
        return super().headerData(section, orientation, role)

    def _target(self, ind: Any) -> str:
        target = self.targets.get(ind.id)
        if target is None:
            return "belum diisi"
        if ind.qualitative:
            return target.target_text or "belum diisi"
        return num(target.target) if target.target is not None else "belum diisi"

    def _display(self, ind: Any, column: int) -> str:
        if column == self.COL_OBJECTIVE:
            return ind.objective_name
        if isinstance(ind, ObjectiveOnly):
            if column == self.COL_CODE:
                return ind.code or "–"
            return "(belum ada indikator)" if column == self.COL_NAME else ""
        if column == self.COL_CODE:
            return ind.code or "–"
        if column == self.COL_NAME:
            return ind.name + ("" if ind.active else " (nonaktif)")
        if column == self.COL_UNIT:
            return ind.unit or "–"
        if column == self.COL_POLARITY:
            return polarity_label(ind.polarity)
        if column == self.COL_FORMULA:
            return "Kualitatif" if ind.qualitative else ind.formula.value
        if column == self.COL_TEAM:
            return ind.team_name or "belum ditetapkan"
        if column == self.COL_TARGET:
            return self._target(ind)
        if column == self.COL_RENSTRA:
            text = ind.renstra_target_text if ind.qualitative else num(ind.renstra_target)
            return f"{text or '–'}" + (f" ({ind.renstra_year})" if ind.renstra_year else "")
        if column == self.COL_RULES:
            return ind.plausibility.describe()
        return ind.data_source or "–"

    def _tooltip(self, ind: Any, column: int) -> str:
        if isinstance(ind, ObjectiveOnly):
            return (f"Sasaran {ind.objective_name} belum memiliki indikator; pilih baris ini "
                    "lalu Tambah indikator.")
        if column == self.COL_FORMULA:
            return "Indikator kualitatif: capaian tidak dihitung dengan rumus" \
                if ind.qualitative else ind.formula.describe()
        return self._display(ind, column)

    def _background(self, ind: Any, column: int) -> str | None:
        if isinstance(ind, ObjectiveOnly):
            return MISSING_COLOUR if column == self.COL_NAME else None
        if column == self.COL_TEAM and ind.team_id is None:
            return MISSING_COLOUR
        if column == self.COL_TARGET and self._target(ind) == "belum diisi":
            return MISSING_COLOUR
        return None


# --------------------------------------------------------------------------- format builder


class FormatTableModel(_RecordModel):
    """Rows of :class:`services.formats.FormatItemInfo` (the cycle's format).

    Target and Pagu are typed in the table while the format may change: an edit is
    parsed strictly as an Indonesian number (a refused text emits
    :attr:`input_rejected` and changes nothing) and handed to :attr:`saver`, whose
    returned FormatItemInfo replaces the row.
    """

    HEADERS = ("Sasaran strategis", "Indikator", "Satuan", "Polaritas", "Target", "Pagu",
               "Tim", "Isian khusus", "Status")
    (COL_OBJECTIVE, COL_NAME, COL_UNIT, COL_POLARITY, COL_TARGET, COL_BUDGET, COL_TEAM,
     COL_FIELDS, COL_STATE) = range(len(HEADERS))
    RIGHT_ALIGNED = frozenset({COL_TARGET, COL_BUDGET})
    EDITABLE = frozenset({COL_TARGET, COL_BUDGET})

    input_rejected = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        #: Step 2 finished: the rows say "Final", and nothing is editable.
        self.format_final = False
        self.editable = False
        self.saver: Callable[[Any, int, Any], Any] | None = None

    def _display(self, item: Any, column: int) -> str:
        if column == self.COL_OBJECTIVE:
            return item.objective_name
        if column == self.COL_NAME:
            return item.indicator_name
        if column == self.COL_UNIT:
            return item.unit or "–"
        if column == self.COL_POLARITY:
            return "Kualitatif" if item.qualitative else polarity_label(item.polarity)
        if column == self.COL_TARGET:
            text = target_text(item)
            return "belum diisi" if text == "–" else text
        if column == self.COL_BUDGET:
            return num(item.budget)
        if column == self.COL_TEAM:
            return item.team_name or "belum ditetapkan"
        if column == self.COL_FIELDS:
            return fields_label(item.fields)
        return self.state_label(item)

    def state_label(self, item: Any) -> str:
        """"Draf format" while step 2 runs; once final, "Final" until the team hands in."""
        if not self.format_final:
            return "Draf format"
        return "Final" if item.state is ItemState.DRAFT else item.state.label

    def _tooltip(self, item: Any, column: int) -> str:
        if column in self.EDITABLE and self.editable:
            return self._display(item, column) + " — klik dua kali atau ketik untuk mengubah"
        return self._display(item, column)

    def _background(self, item: Any, column: int) -> str | None:
        if column == self.COL_TEAM and item.team_id is None:
            return MISSING_COLOUR
        if column == self.COL_TARGET and self._display(item, column) == "belum diisi":
            return MISSING_COLOUR
        if column == self.COL_STATE:
            return STATE_COLOURS[item.state]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if (index.isValid() and self.editable and self.saver is not None
                and index.column() in self.EDITABLE):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.EditRole and index.isValid():
            item = self.records[index.row()]
            if index.column() == self.COL_TARGET:
                return item.target_text if item.qualitative else (
                    format_number(item.target) if item.target is not None else "")
            if index.column() == self.COL_BUDGET:
                return format_number(item.budget) if item.budget is not None else ""
        return super().data(index, role)

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.EditRole or not index.isValid() or self.saver is None
                or not self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        item = self.records[index.row()]
        text = str(value or "").strip()
        if index.column() == self.COL_TARGET and item.qualitative:
            parsed: Any = text
        else:
            rule = input_rules.TARGET if index.column() == self.COL_TARGET else replace(
                input_rules.BUDGET, label="Pagu")
            try:
                parsed = parse_number(text, allow_negative=index.column() == self.COL_TARGET) \
                    if text else None
            except NumberFormatError as exc:
                self.input_rejected.emit(f"{rule.label}: {exc}")
                return False
            problem = input_rules.number_problem(parsed, rule)
            if problem is not None:  # the bounds every entrance shares
                self.input_rejected.emit(problem)
                return False
        updated = self.saver(item, index.column(), parsed)
        if updated is None:
            return False
        self.records[index.row()] = updated
        self.dataChanged.emit(self.index(index.row(), 0),
                              self.index(index.row(), len(self.HEADERS) - 1))
        return True


def fields_label(fields: Any) -> str:
    """The item's own field requirements in words ("Bukti dukung wajib"), "–" if none."""
    from kinerja_desktop.domain.format_fields import FIELD_LABELS

    words = {"wajib": "wajib", "opsional": "opsional", "tidak": "tidak diminta"}
    return "; ".join(f"{FIELD_LABELS.get(k, k)} {words.get(v, v)}"
                     for k, v in fields) or "–"


# --------------------------------------------------------------------------- team entry


class TeamEntryTableModel(_RecordModel):
    """Rows of :class:`services.entries.ItemView` for one team; Realisasi is editable.

    An edit is parsed strictly as an Indonesian number; a refused text emits
    :attr:`input_rejected` with the message and changes nothing. An accepted value is
    handed to :attr:`saver` (the widget's call to the service), whose returned
    ItemView replaces the row.
    """

    HEADERS = ("Indikator", "Satuan", "Target", "Realisasi", "Capaian", "Predikat", "Bukti",
               "Kelengkapan", "Status")
    (COL_NAME, COL_UNIT, COL_TARGET, COL_ACTUAL, COL_ACHIEVEMENT, COL_PREDIKAT, COL_EVIDENCE,
     COL_MISSING, COL_STATE) = range(len(HEADERS))
    RIGHT_ALIGNED = frozenset({COL_TARGET, COL_ACTUAL, COL_ACHIEVEMENT, COL_EVIDENCE})

    input_rejected = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.saver: Callable[[Any, Decimal | None], Any] | None = None
        #: Whether the viewer may change an item now (team member, format delivered,
        #: state editable); without it only the item's state decides.
        self.can_edit: Callable[[Any], bool] | None = None

    def _display(self, item: Any, column: int) -> str:
        if column == self.COL_NAME:
            return item.indicator_name
        if column == self.COL_UNIT:
            return item.unit or "–"
        if column == self.COL_TARGET:
            return target_text(item)
        if column == self.COL_ACTUAL:
            if item.qualitative:
                return item.values.actual_text or "–"
            return num(item.values.actual)
        if column == self.COL_ACHIEVEMENT:
            return ("⚠ " if item.warnings else "") + item.achievement.status_label()
        if column == self.COL_PREDIKAT:
            return item.predikat or "–"
        if column == self.COL_EVIDENCE:
            return str(len(item.evidence))
        if column == self.COL_MISSING:
            return "Lengkap" if not item.missing else "Belum: " + ", ".join(item.missing)
        return item.state.label

    def _tooltip(self, item: Any, column: int) -> str:
        if column == self.COL_NAME:
            return f"{item.objective_name}\n{item.indicator_name}"
        if column == self.COL_ACHIEVEMENT:
            return item.achievement.formula_label() + (
                "\n\n" + warning_tooltip(item) if item.warnings else "")
        if column == self.COL_STATE and item.state is ItemState.RETURNED:
            return f"Dikembalikan: {item.last_return_reason}"
        return self._display(item, column)

    def _background(self, item: Any, column: int) -> str | None:
        if column == self.COL_STATE:
            return STATE_COLOURS[item.state]
        if column == self.COL_MISSING and item.missing:
            return MISSING_COLOUR
        if column == self.COL_ACHIEVEMENT and item.warnings:
            return WARNING_UNEXPLAINED_COLOUR if item.needs_note else WARNING_COLOUR
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base
        item = self.records[index.row()]
        if (index.column() == self.COL_ACTUAL and not item.qualitative
                and item.state.editable and self.saver is not None
                and (self.can_edit is None or self.can_edit(item))):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.EditRole or not index.isValid()
                or index.column() != self.COL_ACTUAL or self.saver is None):
            return False
        item = self.records[index.row()]
        text = str(value or "").strip()
        try:
            number = parse_number(text) if text else None
        except NumberFormatError as exc:
            self.input_rejected.emit(str(exc))
            return False
        problem = input_rules.number_problem(number, input_rules.ACTUAL)
        if problem is not None:  # the bounds every entrance shares
            self.input_rejected.emit(problem)
            return False
        updated = self.saver(item, number)
        if updated is None:
            return False
        self.replace(index.row(), updated)
        return True

    def replace(self, row: int, record: Any) -> None:
        self.records[row] = record
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))


# --------------------------------------------------------------------------- verification


class VerificationTableModel(_RecordModel):
    """Rows of :class:`services.entries.ItemView` on the Kasubag's verification desk."""

    HEADERS = ("Indikator", "Target", "Realisasi", "Capaian", "Predikat", "Kewajaran", "Bukti",
               "Status", "Catatan terakhir")
    (COL_NAME, COL_TARGET, COL_ACTUAL, COL_ACHIEVEMENT, COL_PREDIKAT, COL_WARNINGS,
     COL_EVIDENCE, COL_STATE, COL_NOTE) = range(len(HEADERS))
    RIGHT_ALIGNED = frozenset({COL_TARGET, COL_ACTUAL, COL_ACHIEVEMENT, COL_EVIDENCE})

    def _display(self, item: Any, column: int) -> str:
        if column == self.COL_NAME:
            return item.indicator_name
        if column == self.COL_TARGET:
            return target_text(item) + (f" {item.unit}" if item.unit and item.unit != "%"
                                        else item.unit)
        if column == self.COL_ACTUAL:
            if item.qualitative:
                return item.values.actual_text or "–"
            return num(item.values.actual)
        if column == self.COL_ACHIEVEMENT:
            return item.achievement.status_label()
        if column == self.COL_PREDIKAT:
            return item.predikat or "–"
        if column == self.COL_WARNINGS:
            return warning_text(item)
        if column == self.COL_EVIDENCE:
            return str(len(item.evidence))
        if column == self.COL_STATE:
            return item.state.label
        last = item.history[-1] if item.history else None
        if last is None or not last.comment:
            return "–"
        return f"{last.action_label}: {last.comment}"

    def _tooltip(self, item: Any, column: int) -> str:
        if column == self.COL_ACHIEVEMENT:
            return item.achievement.formula_label()
        if column == self.COL_WARNINGS:
            return warning_tooltip(item)
        if column == self.COL_NOTE:
            return "\n".join(f"{fmt_dt(h.at)} · {h.person} · {h.action_label}"
                             + (f": {h.comment}" if h.comment else "") for h in item.history)
        return self._display(item, column)

    def _background(self, item: Any, column: int) -> str | None:
        if column == self.COL_STATE:
            return STATE_COLOURS[item.state]
        if column == self.COL_WARNINGS and item.warnings:
            return WARNING_UNEXPLAINED_COLOUR if item.needs_note else WARNING_COLOUR
        return None


# --------------------------------------------------------------------------- summary


class SummaryTableModel(_RecordModel):
    """Rows of :class:`services.summary.TeamSummary` for the Kasubag tab."""

    HEADERS = ("Tim", "Indikator", "Terisi lengkap", "Diserahkan", "Dikembalikan",
               "Diverifikasi", "Bukti dukung", "Versi", "Pengisian (langkah 4)",
               "Penyerahan (langkah 5)", "Verifikasi (langkah 6)")
    (COL_TEAM, COL_ITEMS, COL_FILLED, COL_SUBMITTED, COL_RETURNED, COL_VERIFIED, COL_EVIDENCE,
     COL_VERSIONS, COL_STEP4, COL_STEP5, COL_STEP6) = range(len(HEADERS))
    RIGHT_ALIGNED = frozenset({COL_ITEMS, COL_FILLED, COL_SUBMITTED, COL_RETURNED,
                               COL_VERIFIED, COL_EVIDENCE, COL_VERSIONS})
    STEP_COLUMNS = {COL_STEP4: 4, COL_STEP5: 5, COL_STEP6: 6}

    def _display(self, team: Any, column: int) -> str:
        counts = {
            self.COL_ITEMS: team.items, self.COL_FILLED: team.filled,
            self.COL_SUBMITTED: team.submitted, self.COL_RETURNED: team.returned,
            self.COL_VERIFIED: team.verified, self.COL_VERSIONS: team.versions,
        }
        if column == self.COL_TEAM:
            return team.team_name
        if column in counts:
            return str(counts[column])
        if column == self.COL_EVIDENCE:
            coverage = team.evidence_coverage
            if coverage is None:
                return "–"
            return f"{team.with_evidence}/{team.items} ({format_percent(Decimal(coverage * 100))})"
        step = team.time(self.STEP_COLUMNS[column])
        symbol = status_symbol(step.status)
        if step.used == "-":
            return f"{symbol} {step.status_text}"
        flag = " (waktu tercatat mundur)" if step.clock_skew else ""
        return f"{symbol} {step.used} / {step.standard}{flag}"

    def _tooltip(self, team: Any, column: int) -> str:
        if column in self.STEP_COLUMNS:
            step = team.time(self.STEP_COLUMNS[column])
            deadline = f"\nBatas waktu: {fmt_dt(step.deadline)}" if step.deadline else ""
            return (f"{step.status_text}\nMutu baku: {step.standard}\nTerpakai: {step.used}"
                    f"{deadline}")
        return self._display(team, column)

    def _background(self, team: Any, column: int) -> str | None:
        if column in self.STEP_COLUMNS:
            return status_colour(team.time(self.STEP_COLUMNS[column]).status)
        if column == self.COL_RETURNED and team.returned:
            return STATE_COLOURS[ItemState.RETURNED]
        if column == self.COL_VERIFIED and team.items and team.verified == team.items:
            return STATE_COLOURS[ItemState.VERIFIED]
        return None
