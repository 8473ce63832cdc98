"""The Sekretaris tab: the cycle and its SK (step 1), and every team's progress.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kinerja_desktop.ui.common import fmt_date, fmt_dt, status_colour
from kinerja_desktop.ui.models import records
from kinerja_desktop.ui.signals import CHANGE_CYCLE, UiSession
from kinerja_desktop.ui.widgets.role_tab import RoleTab
from kinerja_desktop.ui.widgets.step_bar import StepBar, current_step, current_workflow
from kinerja_desktop.ui.widgets.tables import fit_columns_once, make_table


class CycleSection(QWidget):
    """Step 1: the cycle and its SK; new cycle, SK correction, the order to collect."""

    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.new_button = QPushButton("Siklus baru…")
        self.edit_button = QPushButton("Ubah SK…")
        self.new_button.clicked.connect(self.new_cycle)
        self.edit_button.clicked.connect(self.edit_sk)
        self.step_bar = StepBar(session, 1, "Perintahkan pengumpulan (selesaikan langkah 1)")
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.step_bar)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def refresh(self) -> None:
        from kinerja_desktop.services import cycles

        # The cycle and its step 1 only: the whole workflow is the panel's to read.
        every = cycles.list_cycles(self.session.ctx) if self.session.cycle_id else []
        c = next((x for x in every if x.id == self.session.cycle_id), None)
        if c is None:
            self.info.setText("<p>Belum ada siklus. Mulailah siklus baru dengan SK Inspektur "
                              "(langkah 1).</p>")
            self.step_bar.show_step(None)
            self.edit_button.hide()
            return
        running = [x for x in every if x.status != "selesai"]
        self.info.setText(
            f"<h3>Siklus {c.label}</h3><table cellpadding='3'>"
            f"<tr><td>Nomor SK</td><td><b>{c.sk_number}</b></td></tr>"
            f"<tr><td>Tanggal SK</td><td>{fmt_date(c.sk_date)}</td></tr>"
            f"<tr><td>Penerbit</td><td>{c.sk_issuer or '–'}</td></tr>"
            f"<tr><td>Pindaian SK</td><td>{c.sk_file_name or 'tidak dilampirkan'}</td></tr>"
            f"<tr><td>Versi SOP</td><td>{c.sop_version}</td></tr>"
            f"<tr><td>Dimulai</td><td>{fmt_dt(c.created_at)}</td></tr>"
            f"<tr><td>Siklus berjalan</td><td>{len(running)}</td></tr></table>")
        step1 = current_step(self.session, 1)
        self.step_bar.show_step(step1)
        self.edit_button.setVisible(step1.finished_at is None and step1.can_finish)

    def new_cycle(self) -> None:
        from kinerja_desktop.ui.dialogs.cycle import NewCycleDialog

        dialog = NewCycleDialog(self.session, self)
        if dialog.exec():
            self.session.select_cycle(dialog.result_value.id)
            self.session.changed(CHANGE_CYCLE)

    def edit_sk(self) -> None:
        from kinerja_desktop.services import cycles
        from kinerja_desktop.ui.dialogs.cycle import EditSkDialog

        if self.session.cycle_id is None:
            return
        cycle = cycles.get_cycle(self.session.ctx, self.session.cycle_id)
        if EditSkDialog(self.session, cycle, self).exec():
            self.session.changed(CHANGE_CYCLE)


class ProgressSection(QWidget):
    """Per-team progress of the viewed cycle (read-only overview for the Sekretaris)."""

    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = records.RecordTableModel((
            records.Column("Tim", lambda r: r[0]),
            *(records.Column(f"Langkah {n}", (lambda r, k=n - 3: r[1][k].timing.status_text),
                            background=(lambda r, k=n - 3: status_colour(r[1][k].timing.status)))
              for n in range(3, 7)),
        ), self)
        self.table = make_table(self.model, "sekretaris.kemajuan")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Kemajuan setiap tim pada langkah 3–6:"))
        layout.addWidget(self.table)

    def refresh(self) -> None:
        view = current_workflow(self.session)
        rows = []
        if view is not None:
            per_team = [view.step(n) for n in range(3, 7)]
            for i, team in enumerate(per_team[0].teams):
                rows.append((team.team_name, tuple(s.teams[i] for s in per_team)))
        self.model.set_records(rows)
        fit_columns_once(self.table)


class SekretarisTab(RoleTab):
    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(session, "tabSekretaris", parent)
        self.cycle_section = CycleSection(session)
        self.add_section("Siklus dan SK", self.cycle_section)
        self.add_section("Kemajuan tim", ProgressSection(session))
