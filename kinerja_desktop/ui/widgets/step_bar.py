"""The status of one whole-office step with its Mulai / Selesaikan buttons, and the
workflow of the cycle the window shows."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from kinerja_desktop.ui.common import run_action, status_colour
from kinerja_desktop.ui.signals import CHANGE_CYCLE, UiSession


class StepBar(QWidget):
    """Status of one whole-office step with its Mulai / Selesaikan buttons."""

    def __init__(self, session: UiSession, step_no: int, finish_text: str, parent=None) -> None:
        super().__init__(parent)
        self.session, self.step_no = session, step_no
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.start_button = QPushButton("Mulai")
        self.finish_button = QPushButton(finish_text)
        self.start_button.clicked.connect(self._start)
        self.finish_button.clicked.connect(self._finish)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.start_button)
        layout.addWidget(self.finish_button)

    def show_step(self, step) -> None:
        if step is None:
            self.label.setText("")
            self.start_button.hide()
            self.finish_button.hide()
            return
        text = (f"Langkah {step.number} ({step.executor.label}): "
                f"<b>{escape(step.timing.status_text)}</b>")
        if step.missing and step.ready_at:
            text += "<br>Kelengkapan belum ada: " + "; ".join(step.missing)
        self.label.setText(text)
        self.label.setStyleSheet(f"background: {status_colour(step.timing.status)}; "
                                 "padding: 4px; border-radius: 3px;")
        self.start_button.setVisible(step.can_start)
        self.finish_button.setVisible(step.can_finish)

    def _start(self) -> None:
        from kinerja_desktop.services import cycles

        ok, _ = run_action(self, lambda: cycles.start_step(
            self.session.ctx, self.session.user_id, self.session.cycle_id, self.step_no))
        if ok:
            self.session.changed(CHANGE_CYCLE)

    def _finish(self) -> None:
        from kinerja_desktop.services import cycles

        if self.step_no == 7:  # draft preview, confirmation, then the cycle is closed
            from kinerja_desktop.ui.printing.actions import finish_compilation

            finish_compilation(self, self.session)
            return
        ok, _ = run_action(self, lambda: cycles.finish_step(
            self.session.ctx, self.session.user_id, self.session.cycle_id, self.step_no))
        if ok:
            self.session.changed(CHANGE_CYCLE)


def current_workflow(session: UiSession):
    from kinerja_desktop.services import workflow

    if session.cycle_id is None:
        return None
    return workflow.workflow(session.ctx, session.cycle_id, session.user_id)


def current_step(session: UiSession, step_no: int):
    """One step of the viewed cycle (None without a cycle), computed alone."""
    from kinerja_desktop.services import workflow

    if session.cycle_id is None:
        return None
    return workflow.step_view(session.ctx, session.cycle_id, step_no, session.user_id)
