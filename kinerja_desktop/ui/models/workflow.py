"""The workflow panel's model: every SOP step of a cycle, with one child row per team on
the per-team steps 3–6, and the per-team step table of the role tabs.

:class:`WorkflowModel` is a two-level QAbstractItemModel; its timing is recomputed in
memory (:meth:`WorkflowModel.retime`) from the data fetched once per change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from kinerja_desktop.domain.timing import (
    StepTiming,
    TimeStandard,
    WorkCalendar,
    aggregate_status,
    evaluate,
)
from kinerja_desktop.ui.common import fmt_dt, status_colour, status_symbol
from kinerja_desktop.ui.models.records import Column, RecordTableModel

_ROOT = QModelIndex()

COLUMNS = ("No", "Kegiatan", "Pelaksana", "Kelengkapan", "Waktu standar", "Waktu terpakai",
           "Batas waktu (WITA)", "Status", "Tim", "Tindakan")
(COL_NO, COL_ACTIVITY, COL_EXECUTOR, COL_REQUIREMENTS, COL_STANDARD, COL_USED, COL_DEADLINE,
 COL_STATUS, COL_TEAMS, COL_ACTION) = range(len(COLUMNS))
TIMED_COLUMNS = (COL_USED, COL_DEADLINE, COL_STATUS)

#: Role giving the :class:`Row` behind an index.
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass
class Row:
    """One panel row: a step (``team`` None) or one team of a per-team step."""

    step: Any  # services.workflow.StepView
    team: Any | None  # services.workflow.TeamStepView
    timing: StepTiming

    @property
    def can_start(self) -> bool:
        return (self.team or self.step).can_start

    @property
    def can_finish(self) -> bool:
        return (self.team or self.step).can_finish

    @property
    def missing(self) -> tuple[str, ...]:
        return (self.team or self.step).missing

    @property
    def team_id(self) -> int | None:
        return self.team.team_id if self.team else None

    def action_text(self) -> str:
        if self.step.per_team and self.team is None:
            starts = sum(1 for t in self.step.teams if t.can_start)
            finishes = sum(1 for t in self.step.teams if t.can_finish)
            parts = [f"Mulai ({starts} tim)" if starts else "",
                     f"Selesaikan ({finishes} tim)" if finishes else ""]
            return ", ".join(p for p in parts if p)
        parts = ["Mulai" if self.can_start else "", "Selesaikan" if self.can_finish else ""]
        return ", ".join(p for p in parts if p)


class WorkflowModel(QAbstractItemModel):
    """Two-level tree: steps, and under steps 3–6 one row per team."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.view = None
        self.steps: list[Row] = []
        self.children: list[list[Row]] = []
        self._standards: list[TimeStandard] = []
        self._calendar = WorkCalendar()
        self.now: datetime = datetime.now(UTC)

    # ------------------------------------------------------------------ data
    def set_workflow(self, view, calendar: WorkCalendar) -> None:
        """Show a :class:`WorkflowView` (None: no cycle)."""
        self.beginResetModel()
        self.view = view
        self._calendar = calendar
        self.steps, self.children, self._standards = [], [], []
        if view is not None:
            self.now = view.now
            for step in view.steps:
                self.steps.append(Row(step, None, step.timing))
                self.children.append([Row(step, t, t.timing) for t in step.teams])
                self._standards.append(TimeStandard.parse(step.time_label))
        self.endResetModel()

    def retime(self, now: datetime) -> None:
        """Recompute timing at ``now`` from the data already fetched (no database)."""
        if self.view is None:
            return
        self.now = now
        for i, row in enumerate(self.steps):
            standard = self._standards[i]
            for child in self.children[i]:
                t = child.team
                child.timing = evaluate(standard, t.ready_at, t.started_at, t.finished_at, now,
                                        self._calendar)
            if row.step.per_team:
                kids = self.children[i]
                if kids and not all(c.team.finished_at for c in kids):
                    status = aggregate_status([c.timing.status for c in kids])
                    open_kids = [c.timing for c in kids
                                 if c.team.started_at and not c.team.finished_at]
                    worst = max(open_kids or [c.timing for c in kids],
                                key=lambda tm: tm.used_fraction or 0)
                    row.timing = StepTiming(status, worst.waiting, worst.work, worst.used,
                                            worst.used_fraction, worst.deadline,
                                            any(c.timing.clock_skew for c in kids))
            else:
                s = row.step
                row.timing = evaluate(standard, s.ready_at, s.started_at, s.finished_at, now,
                                      self._calendar)
        if self.steps:
            self.dataChanged.emit(self.index(0, COL_USED),
                                  self.index(len(self.steps) - 1, COL_STATUS))
            for i, kids in enumerate(self.children):
                if kids:
                    parent = self.index(i, 0)
                    self.dataChanged.emit(self.index(0, COL_USED, parent),
                                          self.index(len(kids) - 1, COL_STATUS, parent))

    def row_at(self, index: QModelIndex | QPersistentModelIndex) -> Row | None:
        if not index.isValid():
            return None
        parent_no = index.internalId()
        if parent_no == 0:
            return self.steps[index.row()]
        return self.children[parent_no - 1][index.row()]

    # ------------------------------------------------------------------ structure
    def index(self, row: int, column: int,
              parent: QModelIndex | QPersistentModelIndex = _ROOT) -> QModelIndex:
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self.steps):
                return QModelIndex()
            return self.createIndex(row, column, 0)
        if parent.internalId() != 0 or parent.row() >= len(self.children):
            return QModelIndex()
        if row >= len(self.children[parent.row()]):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index=_ROOT):  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        if not parent.isValid():
            return len(self.steps)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self.children[parent.row()])
        return 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None

    # ------------------------------------------------------------------ cells
    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.BackgroundRole and column == COL_STATUS:
            return QBrush(QColor(status_colour(row.timing.status)))
        if role == Qt.ItemDataRole.BackgroundRole and column == COL_REQUIREMENTS and row.missing:
            return QBrush(QColor("#ffe0b2"))
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_STATUS:
            return QBrush(QColor("#1b1b1b"))
        if role == ROW_ROLE:
            return row
        if role == STATUS_ROLE:
            return row.timing.status
        return None

    def _text(self, row: Row, column: int) -> str:
        step, team = row.step, row.team
        if column == COL_NO:
            return str(step.number) if team is None else ""
        if column == COL_ACTIVITY:
            return step.activity if team is None else team.team_name
        if column == COL_EXECUTOR:
            return step.executor.label if team is None else (
                team.finished_by or team.started_by or "")
        if column == COL_REQUIREMENTS:
            if not step.requirements:
                return "–"
            if team is not None:
                return "✔ Ada" if team.present else "✖ Belum ada"
            return "; ".join(("✔ " if r.present else "✖ ") + r.label
                             + (f" ({r.detail})" if step.per_team and not r.present else "")
                             for r in step.requirements)
        if column == COL_STANDARD:
            return step.time_label if team is None else ""
        if column == COL_USED:
            standard = self._standards[step.number - 1]
            return row.timing.used_label(standard.unit,
                                         calendar_days=self._calendar.calendar_days)
        if column == COL_DEADLINE:
            return fmt_dt(row.timing.deadline) if row.timing.deadline else "–"
        if column == COL_STATUS:
            label = row.timing.status_text
            if team is None and step.per_team and not row.timing.status.is_finished:
                done = sum(1 for t in step.teams if t.finished_at)
                if done:
                    label += f" · {done}/{len(step.teams)} tim selesai"
            return f"{status_symbol(row.timing.status)} {label}"
        if column == COL_TEAMS:
            return step.progress_label if team is None else ""
        if column == COL_ACTION:
            return row.action_text()
        return ""

    def _tooltip(self, row: Row, column: int) -> str:
        if column == COL_REQUIREMENTS:
            lines = [self._presence(row)]
            if row.missing:
                lines.append("Belum dapat diselesaikan:")
                lines += [f"• {m}" for m in row.missing]
            return "\n".join(line for line in lines if line)
        if column == COL_ACTIVITY:
            return f"{row.step.activity}\nOutput: {row.step.output}"
        return self._text(row, column)

    @staticmethod
    def _presence(row: Row) -> str:
        """Which kelengkapan exists, and why not when it does not."""
        if row.team is not None:
            labels = ", ".join(r.label for r in row.step.requirements)
            if row.team.present:
                return f"Ada: {labels}"
            return f"Belum ada: {labels}" + (f" ({row.team.present_detail})"
                                             if row.team.present_detail else "")
        parts = []
        for r in row.step.requirements:
            state = "Ada" if r.present else "Belum ada"
            parts.append(f"{state}: {r.label}" + (f" ({r.detail})" if r.detail else ""))
        return "\n".join(parts)


def team_step_model(parent=None) -> RecordTableModel:
    """Teams of one per-team step: status (coloured), ready, finished, kelengkapan."""
    return RecordTableModel((
        Column("Tim", lambda t: t.team_name),
        Column("Status", lambda t: t.timing.status_text,
               background=lambda t: status_colour(t.timing.status)),
        Column("Siap", lambda t: fmt_dt(t.ready_at)),
        Column("Selesai", lambda t: fmt_dt(t.finished_at)),
        Column("Kelengkapan", lambda t: "; ".join(t.missing) or "Lengkap"),
    ), parent)
