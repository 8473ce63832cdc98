"""The workflow panel: every SOP step of the viewed cycle, live, in a dock.

One row per step (no, kegiatan, pelaksana, kelengkapan, waktu standar, waktu
terpakai, batas waktu in WITA, status as colour *and* text); steps 3–6 show team
progress ("4/6 tim") and expand to one row per team. The data is fetched from the
service once per change (:attr:`AppSignals.data_changed`); a timer recomputes the
timing in memory every 30 s from that data, so the database is never polled.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.sop import StepKind
from kinerja_desktop.domain.timing import WorkCalendar
from kinerja_desktop.ui.common import run_action
from kinerja_desktop.ui.models.workflow import (
    COL_ACTION,
    COL_ACTIVITY,
    COL_DEADLINE,
    COL_EXECUTOR,
    COL_NO,
    COL_REQUIREMENTS,
    COL_STANDARD,
    COL_STATUS,
    COL_TEAMS,
    COL_USED,
    Row,
    WorkflowModel,
)
from kinerja_desktop.ui.signals import CHANGE_CYCLE, UiSession

RETIME_INTERVAL_MS = 30_000

_HINTS = {
    StepKind.SUBMIT: "Diselesaikan dengan Serahkan di tab Tim Penyusun.",
    StepKind.VERIFY: "Selesai otomatis setelah semua indikator tim diverifikasi (tab Kasubag).",
}


def no_cycle_hint(session: UiSession) -> str:
    """What to do when there is no cycle yet, for the user looking: only the Sekretaris
    has Berkas ▸ Siklus baru…, so only the Sekretaris is sent there."""
    from kinerja_desktop.domain.permissions import Role

    if Role.SEKRETARIS in session.person().roles:
        return ("Belum ada siklus pengumpulan data. Mulailah dengan Berkas ▸ Siklus baru… "
                "dan SK Inspektur (langkah 1).")
    return ("Belum ada siklus pengumpulan data. Siklus dimulai oleh Sekretaris (Berkas ▸ "
            "Siklus baru… di jendelanya) dengan SK Inspektur.")


def fetch_workflow(session: UiSession, cycle_id: int):
    """(WorkflowView, WorkCalendar) from the services: pure data, no widgets."""
    from kinerja_desktop.services import workflow

    view = workflow.workflow(session.ctx, cycle_id, session.user_id)
    return view, view.calendar


class WrappingDelegate(QStyledItemDelegate):
    """Sizes a row to the wrapped text of its column (QTreeView alone keeps one line)."""

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:  # noqa: N802
        base = super().sizeHint(option, index)
        text = index.data() or ""
        width = self.tree.header().sectionSize(index.column()) - 8
        if width <= 0 or not text:
            return base
        bounds = self.tree.fontMetrics().boundingRect(
            QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), text)
        return QSize(base.width(), max(base.height(), bounds.height() + 6))


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
        # The full Kegiatan stays readable: long texts wrap onto more lines.
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setItemDelegateForColumn(COL_ACTIVITY, WrappingDelegate(self.tree))
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((COL_NO, 48), (COL_ACTIVITY, 250), (COL_EXECUTOR, 130),
                              (COL_REQUIREMENTS, 210), (COL_STANDARD, 96), (COL_USED, 116),
                              (COL_DEADLINE, 160), (COL_STATUS, 150), (COL_TEAMS, 52),
                              (COL_ACTION, 130)):
            header.resizeSection(column, width)
        # Row heights follow the Kegiatan column's width.
        header.sectionResized.connect(
            lambda column, _old, _new: self.tree.doItemsLayout() if column == COL_ACTIVITY
            else None)
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
            self.title.setText(no_cycle_hint(self.session))
            self._update_buttons()
            self.is_loaded = True
            self.loaded.emit()
            return
        view, calendar = fetch_workflow(self.session, cycle_id)
        self._show(view, calendar)

    def _show(self, view, calendar: WorkCalendar) -> None:
        selected = self._selected_key()
        self.model.set_workflow(view, calendar)
        cycle = view.cycle
        state = (f"ditutup, {cycle.version_label}" if cycle.closed else
                 "dibuka kembali untuk perbaikan" if cycle.reopened else "berjalan")
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
                 + f" ({row.step.activity}): {row.timing.status_text}."]
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
        if row.step.number == 7:  # draft preview, confirmation, then the cycle is closed
            from kinerja_desktop.ui.printing.actions import finish_compilation

            finish_compilation(self, self.session)
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
