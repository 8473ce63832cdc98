"""The workflow panel: every SOP step of the viewed cycle, live, in a dock.

One row per step (no, kegiatan, pelaksana, kelengkapan, waktu standar, waktu
terpakai, batas waktu in WITA, status as colour *and* text); steps 3–6 show team
progress ("4/6 tim") and expand to one row per team. The data is fetched from the
service once per change (:attr:`AppSignals.data_changed`); a timer recomputes the
timing in memory every 30 s from that data, so the database is never polled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.sop import StepKind
from kinerja_desktop.domain.timing import (
    StepStatus,
    StepTiming,
    TimeStandard,
    WorkCalendar,
    evaluate,
)
from kinerja_desktop.ui.common import fmt_dt, run_action, status_colour, status_symbol
from kinerja_desktop.ui.signals import CHANGE_CYCLE, UiSession

_ROOT = QModelIndex()
RETIME_INTERVAL_MS = 30_000

COLUMNS = ("No", "Kegiatan", "Pelaksana", "Kelengkapan", "Waktu standar", "Waktu terpakai",
           "Batas waktu (WITA)", "Status", "Tim", "Tindakan")
(COL_NO, COL_ACTIVITY, COL_EXECUTOR, COL_REQUIREMENTS, COL_STANDARD, COL_USED, COL_DEADLINE,
 COL_STATUS, COL_TEAMS, COL_ACTION) = range(len(COLUMNS))
TIMED_COLUMNS = (COL_USED, COL_DEADLINE, COL_STATUS)

#: Role giving the :class:`Row` behind an index.
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2

_SEVERITY = {
    StepStatus.SELESAI_TEPAT_WAKTU: 0, StepStatus.SELESAI_TERLAMBAT: 1,
    StepStatus.BELUM_SIAP: 2, StepStatus.SIAP: 3, StepStatus.BERJALAN: 4,
    StepStatus.MENDEKATI_BATAS: 5, StepStatus.MELEWATI_BATAS: 6,
}

_HINTS = {
    StepKind.SUBMIT: "Diselesaikan dengan Serahkan di tab Tim Penyusun.",
    StepKind.VERIFY: "Selesai otomatis setelah semua indikator tim diverifikasi (tab Kasubag).",
}


@dataclass
class Row:
    """One panel row: a step (``team`` None) or one team of a per-team step."""

    step: Any  # services.cycles.StepView
    team: Any | None  # services.cycles.TeamStepView
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
                    row.timing = max((c.timing for c in kids),
                                     key=lambda tm: _SEVERITY[tm.status])
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
            if team is not None:
                return "Lengkap" if not team.missing else f"Kurang: {len(team.missing)} hal"
            if not step.requirements:
                return "–"
            return "; ".join(("✔ " if r.present else "✖ ") + r.label for r in step.requirements)
        if column == COL_STANDARD:
            return step.time_label if team is None else ""
        if column == COL_USED:
            standard = self._standards[step.number - 1]
            return row.timing.used_label(standard.unit,
                                         calendar_days=self._calendar.calendar_days)
        if column == COL_DEADLINE:
            return fmt_dt(row.timing.deadline) if row.timing.deadline else "–"
        if column == COL_STATUS:
            return f"{status_symbol(row.timing.status)} {row.timing.status.label}"
        if column == COL_TEAMS:
            return step.progress_label if team is None else ""
        if column == COL_ACTION:
            return row.action_text()
        return ""

    def _tooltip(self, row: Row, column: int) -> str:
        if column == COL_REQUIREMENTS and row.missing:
            return "Belum lengkap:\n" + "\n".join(f"• {m}" for m in row.missing)
        if column == COL_ACTIVITY:
            return f"{row.step.activity}\nOutput: {row.step.output}"
        return self._text(row, column)


def fetch_workflow(session: UiSession, cycle_id: int):
    """(WorkflowView, WorkCalendar) from the services: pure data, no widgets."""
    from kinerja_desktop.services import cycles

    view = cycles.workflow(session.ctx, cycle_id, session.user_id)
    return view, view.calendar


class WorkflowPanel(QWidget):
    """Tree, detail line and the Mulai / Selesaikan buttons for the selected row.

    Data is fetched synchronously right after the change that caused it (one
    service call); :attr:`loaded` is emitted whenever the panel shows fresh data.
    """

    loaded = Signal()

    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.is_loaded = False
        self.model = WorkflowModel(self)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.tree = QTreeView()
        self.tree.setObjectName("alurKerja")
        self.tree.setModel(self.model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((COL_NO, 48), (COL_ACTIVITY, 250), (COL_EXECUTOR, 130),
                              (COL_REQUIREMENTS, 210), (COL_STANDARD, 96), (COL_USED, 116),
                              (COL_DEADLINE, 160), (COL_STATUS, 150), (COL_TEAMS, 52),
                              (COL_ACTION, 130)):
            header.resizeSection(column, width)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.start_button = QPushButton("Mulai")
        self.finish_button = QPushButton("Selesaikan")
        self.start_button.clicked.connect(self.start_selected)
        self.finish_button.clicked.connect(self.finish_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.detail, 1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.finish_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.timer = QTimer(self)
        self.timer.setInterval(RETIME_INTERVAL_MS)
        self.timer.timeout.connect(self.retime)
        self.timer.start()
        session.signals.data_changed.connect(lambda _area: self.refresh())
        session.cycle_selected.connect(lambda _cid: self.refresh())
        self.refresh()

    def remember_columns(self) -> None:
        from kinerja_desktop import settings

        settings.remember_header(self.tree.header(), "alur_kerja")

    def retime(self) -> None:
        self.model.retime(self.session.ctx.now())

    def refresh(self) -> None:
        """Fetch the workflow once from the service (after a change, never on a timer)."""
        cycle_id = self.session.cycle_id
        if cycle_id is None:
            self.model.set_workflow(None, WorkCalendar())
            self.title.setText("Belum ada siklus pengumpulan data. Sekretaris memulainya "
                               "dengan Berkas ▸ Siklus baru… dan SK Inspektur.")
            self._update_buttons()
            self.is_loaded = True
            self.loaded.emit()
            return
        view, calendar = fetch_workflow(self.session, cycle_id)
        self._show(view, calendar)

    def _show(self, view, calendar: WorkCalendar) -> None:
        selected = self._selected_key()
        self.model.set_workflow(view, calendar)
        state = "selesai" if view.cycle.status == "selesai" else "berjalan"
        self.title.setText(f"<b>Siklus {view.cycle.label}</b> ({state}) — SOP versi "
                           f"{view.cycle.sop_version}; SK {view.cycle.sk_number}")
        for i, kids in enumerate(self.model.children):
            if kids and any(not c.team.finished_at and c.team.ready_at for c in kids):
                self.tree.expand(self.model.index(i, 0))
        self._restore_selection(selected)
        self._update_buttons()
        self.is_loaded = True
        self.loaded.emit()

    def _selected_key(self) -> tuple[int, int | None] | None:
        row = self.model.row_at(self.tree.currentIndex())
        return (row.step.number, row.team_id) if row else None

    def _restore_selection(self, key) -> None:
        if key is None:
            return
        for i, row in enumerate(self.model.steps):
            if row.step.number != key[0]:
                continue
            index = self.model.index(i, 0)
            if key[1] is not None:
                for j, child in enumerate(self.model.children[i]):
                    if child.team_id == key[1]:
                        index = self.model.index(j, 0, index)
            self.tree.setCurrentIndex(index)

    def selected_row(self) -> Row | None:
        return self.model.row_at(self.tree.currentIndex())

    def select(self, step_no: int, team_id: int | None = None) -> None:
        self._restore_selection((step_no, team_id))
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.selected_row()
        single = row is not None and (row.team is not None or not row.step.per_team)
        self.start_button.setVisible(bool(single and row.can_start))
        self.finish_button.setVisible(bool(single and row.can_finish))
        if row is None:
            self.detail.setText("Pilih satu langkah untuk melihat rinciannya."
                                if self.model.steps else "")
            return
        parts = [f"Langkah {row.step.number}"
                 + (f" — {row.team.team_name}" if row.team else "")
                 + f": {row.timing.status.label}."]
        if row.step.per_team and row.team is None:
            parts.append("Pilih baris tim untuk bertindak.")
        if row.missing:
            parts.append("Kelengkapan belum ada: " + "; ".join(row.missing) + ".")
        hint = _HINTS.get(row.step.kind)
        if hint and row.team is not None and row.team.ready_at and not row.team.finished_at:
            parts.append(hint)
        self.detail.setText(" ".join(parts))

    def start_selected(self) -> None:
        from kinerja_desktop.services import cycles

        row = self.selected_row()
        if row is None or not row.can_start:
            return
        ok, _ = run_action(self, lambda: cycles.start_step(
            self.session.ctx, self.session.user_id, self.session.cycle_id, row.step.number,
            row.team_id))
        if ok:
            self.session.changed(CHANGE_CYCLE)

    def finish_selected(self) -> None:
        from kinerja_desktop.services import cycles

        row = self.selected_row()
        if row is None or not row.can_finish:
            return
        if row.step.number == 7:  # step 7's output: compile and archive the document first
            from kinerja_desktop.ui.printing import compile_for_step

            if not compile_for_step(self, self.session):
                return
        ok, _ = run_action(self, lambda: cycles.finish_step(
            self.session.ctx, self.session.user_id, self.session.cycle_id, row.step.number,
            row.team_id))
        if ok:
            self.session.changed(CHANGE_CYCLE)


class WorkflowDock(QDockWidget):
    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__("Alur kerja SOP", parent)
        self.setObjectName("dockAlurKerja")
        self.panel = WorkflowPanel(session, self)
        self.setWidget(self.panel)
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
