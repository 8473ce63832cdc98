"""The role tabs: Sekretaris, Kasubag, Tim Penyusun, Arsip, Pengaturan.

Each tab is a :class:`RoleTab`: a QTabWidget of sections added with
:meth:`RoleTab.add_section` (a widget, or a factory that builds it when the section
is first shown), placed by the tab's ``SECTION_ORDER``. The Kasubag and
Tim Penyusun tabs carry the performance-data screens (``perf_sections``: format
builder, verification desk, team entry) next to the engine-level steps 3 and 7. A section with a
``refresh()`` method is refreshed after every change while visible, and on show
when something changed while it was hidden.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from kinerja_desktop.ui.common import fmt_date, fmt_dt, run_action, status_colour
from kinerja_desktop.ui.models import records
from kinerja_desktop.ui.models.workflow import team_step_model
from kinerja_desktop.ui.screens.documents import DocumentsList
from kinerja_desktop.ui.signals import CHANGE_CYCLE, UiSession
from kinerja_desktop.ui.widgets.role_tab import RoleTab
from kinerja_desktop.ui.widgets.step_bar import StepBar, current_workflow
from kinerja_desktop.ui.widgets.tables import fit_columns_once, make_table, selected_record

# --------------------------------------------------------------------------- Sekretaris


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

        view = current_workflow(self.session)
        if view is None:
            self.info.setText("<p>Belum ada siklus. Mulailah siklus baru dengan SK Inspektur "
                              "(langkah 1).</p>")
            self.step_bar.show_step(None)
            self.edit_button.hide()
            return
        c = view.cycle
        running = [x for x in cycles.list_cycles(self.session.ctx) if x.status != "selesai"]
        self.info.setText(
            f"<h3>Siklus {c.label}</h3><table cellpadding='3'>"
            f"<tr><td>Nomor SK</td><td><b>{c.sk_number}</b></td></tr>"
            f"<tr><td>Tanggal SK</td><td>{fmt_date(c.sk_date)}</td></tr>"
            f"<tr><td>Penerbit</td><td>{c.sk_issuer or '–'}</td></tr>"
            f"<tr><td>Pindaian SK</td><td>{c.sk_file_name or 'tidak dilampirkan'}</td></tr>"
            f"<tr><td>Versi SOP</td><td>{c.sop_version}</td></tr>"
            f"<tr><td>Dimulai</td><td>{fmt_dt(c.created_at)}</td></tr>"
            f"<tr><td>Siklus berjalan</td><td>{len(running)}</td></tr></table>")
        step1 = view.step(1)
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
            *(records.Column(f"Langkah {n}", (lambda r, k=n - 3: r[1][k].timing.status.label),
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


# --------------------------------------------------------------------------- Kasubag


class DistributeSection(QWidget):
    """Step 3: the format goes to each team (Mulai, then Sampaikan)."""

    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = team_step_model(self)
        self.table = make_table(self.model, "kasubag.penyampaian", stretch=4)
        self.table.selectionModel().currentChanged.connect(lambda *_: self._update_send())
        self.send_button = QPushButton("Sampaikan format ke tim terpilih")
        self.send_all_button = QPushButton("Sampaikan ke semua tim yang siap")
        self.send_button.clicked.connect(self.send_selected)
        self.send_all_button.clicked.connect(self.send_all)
        buttons = QHBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.send_all_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Langkah 3: format yang telah ditetapkan disampaikan kepada "
                                "setiap Tim Penyusun Data."))
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        view = current_workflow(self.session)
        teams = view.step(3).teams if view else ()
        self.model.set_records(teams)
        fit_columns_once(self.table)
        self.send_all_button.setEnabled(any(t.finished_at is None and t.ready_at is not None
                                            and (t.can_finish or t.can_start) for t in teams))
        self._update_send()

    def _update_send(self) -> None:
        team = selected_record(self.table)
        self.send_button.setEnabled(bool(team and team.finished_at is None
                                         and (team.can_finish or team.can_start)))

    def _send(self, team) -> bool:
        from kinerja_desktop.services import cycles

        def act() -> None:
            if team.started_at is None:
                cycles.start_step(self.session.ctx, self.session.user_id,
                                  self.session.cycle_id, 3, team.team_id)
            cycles.finish_step(self.session.ctx, self.session.user_id, self.session.cycle_id,
                               3, team.team_id)

        ok, _ = run_action(self, act)
        return ok

    def send_selected(self) -> None:
        team = selected_record(self.table)
        if team is not None and self._send(team):
            self.session.changed(CHANGE_CYCLE)

    def send_all(self) -> None:
        sent = False
        for team in list(self.model.records):
            if team.finished_at is None and team.ready_at is not None:
                if not self._send(team):
                    break
                sent = True
        if sent:
            self.session.changed(CHANGE_CYCLE)


class CompileSection(QWidget):
    """Step 7: start and finish the compilation; the cycle's documents."""

    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.step_bar = StepBar(session, 7, "Selesaikan kompilasi (langkah 7)")
        self.documents = DocumentsList(session, "kasubag.dokumen")
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_bar)
        layout.addWidget(QLabel("Dokumen siklus ini dalam arsip:"))
        layout.addWidget(self.documents, 1)

    def refresh(self) -> None:
        view = current_workflow(self.session)
        self.step_bar.show_step(view.step(7) if view else None)
        self.documents.show_cycle(self.session.cycle_id)


class KasubagTab(RoleTab):
    """Kasubag: the performance-data screens (issue 4) with the engine-level steps 3 and 7."""

    SECTION_ORDER = ("Ringkasan tim", "Master indikator", "Format (langkah 2)",
                     "Penyampaian (langkah 3)", "Excel Tim (langkah 3–4)",
                     "Verifikasi (langkah 6)", "Kompilasi (langkah 7)")

    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(session, "tabKasubag", parent)
        from kinerja_desktop.ui import perf_sections

        # Summary, indicator master, format builder (step 2), verification desk (step 6).
        self.perf_sections = perf_sections.add_kasubag_sections(self, session)
        self.format_builder = self.perf_sections[perf_sections.FORMAT_SECTION]
        self.verification_desk = self.perf_sections[perf_sections.VERIFY_SECTION]
        self.distribute_section = DistributeSection(session)
        self.compile_section = CompileSection(session)
        self.add_section("Penyampaian (langkah 3)", self.distribute_section)
        self.add_section("Kompilasi (langkah 7)", self.compile_section)


# --------------------------------------------------------------------------- Tim Penyusun


class TeamTab(RoleTab):
    """Tim Penyusun: the entry table and form (steps 4–5) for the user's teams."""

    def __init__(self, session: UiSession, teams, parent=None) -> None:
        super().__init__(session, "tabTim", parent)
        self.teams = tuple(teams)
        from kinerja_desktop.ui import perf_sections

        self.entry_section = perf_sections.add_team_section(self, session)


# --------------------------------------------------------------------------- Arsip


class ArchiveTab(RoleTab):
    """Every cycle (earlier and current) with its archived documents."""

    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(session, "tabArsip", parent)
        page = QWidget()
        self.cycles_model = records.cycles_model(page)
        self.cycles_table = make_table(self.cycles_model, "arsip.siklus")
        self.documents = DocumentsList(session, "arsip.dokumen")
        self.show_button = QPushButton("Tampilkan di panel alur kerja")
        self.show_button.clicked.connect(self.show_in_panel)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Siklus:"))
        left_layout.addWidget(self.cycles_table, 1)
        left_layout.addWidget(self.show_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("Dokumen siklus terpilih:"))
        right_layout.addWidget(self.documents, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("arsip.pemisah")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        from kinerja_desktop import settings

        settings.remember_splitter(self.splitter, "arsip")
        page.refresh = self.refresh  # type: ignore[attr-defined]
        self.add_section("Siklus dan dokumen", page)
        self._selecting = False
        self.cycles_table.selectionModel().currentChanged.connect(
            lambda *_: None if self._selecting else self._show_documents())

    def refresh(self) -> None:
        from kinerja_desktop.services import cycles

        selected = selected_record(self.cycles_table)
        self.cycles_model.set_records(cycles.list_cycles(self.session.ctx))
        wanted = selected.id if selected else self.session.cycle_id
        self._selecting = True  # one documents query, after the row is selected
        try:
            for row, c in enumerate(self.cycles_model.records):
                if c.id == wanted:
                    self.cycles_table.selectRow(row)
        finally:
            self._selecting = False
        self._show_documents()

    def _show_documents(self) -> None:
        cycle = selected_record(self.cycles_table)
        self.documents.show_cycle(cycle.id if cycle else None)
        self.show_button.setEnabled(cycle is not None)

    def show_in_panel(self) -> None:
        cycle = selected_record(self.cycles_table)
        if cycle is not None:
            self.session.select_cycle(cycle.id)


# --------------------------------------------------------------------------- Pengaturan


class SettingsTab(RoleTab):
    """Pengaturan (administrator): the office, people, team, predikat, days-off and SOP
    screens, each built (and its module imported) when its section is first shown."""

    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(session, "tabPengaturan", parent)
        self.add_section("Profil kantor", self._office_section)
        self.add_section("Pengguna", self._people_section)
        self.add_section("Tim", self._teams_section)
        self.add_section("Skala predikat", self._predikat_section)
        self.add_section("Hari libur kantor", self._days_off_section)
        self.add_section("SOP", self._sop_section)

    def _office_section(self) -> QWidget:
        from kinerja_desktop.ui.screens.office import OfficeSection

        return OfficeSection(self.session)

    def _people_section(self) -> QWidget:
        from kinerja_desktop.ui.screens.people import PeopleSection

        return PeopleSection(self.session, True)

    def _teams_section(self) -> QWidget:
        from kinerja_desktop.ui.screens.teams import TeamsSection

        return TeamsSection(self.session, True)

    def _predikat_section(self) -> QWidget:
        from kinerja_desktop.ui.screens.office import PredikatSection

        return PredikatSection(self.session)

    def _days_off_section(self) -> QWidget:
        from kinerja_desktop.ui.screens.office import DaysOffSection

        return DaysOffSection(self.session)

    def _sop_section(self) -> QWidget:
        from kinerja_desktop.ui.screens.sop import SopSection

        return SopSection(self.session)

    @property
    def people_section(self) -> QWidget:
        return self.section("Pengguna")

    @property
    def teams_section(self) -> QWidget:
        return self.section("Tim")

    @property
    def sop_section(self) -> QWidget:
        return self.section("SOP")
