"""The Kasubag tab: the performance-data screens (summary, indicator master, format
builder for step 2, verification desk for step 6) with the engine-level steps 3 and 7.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kinerja_desktop.ui.common import run_action
from kinerja_desktop.ui.models.workflow import team_step_model
from kinerja_desktop.ui.screens.documents import DocumentsList
from kinerja_desktop.ui.signals import CHANGE_CYCLE, UiSession
from kinerja_desktop.ui.widgets.role_tab import RoleTab, follow_cycle
from kinerja_desktop.ui.widgets.step_bar import StepBar, current_step
from kinerja_desktop.ui.widgets.tables import fit_columns_once, make_table, selected_record

FORMAT_SECTION = "Format (langkah 2)"
VERIFY_SECTION = "Verifikasi (langkah 6)"
DISTRIBUTE_SECTION = "Penyampaian (langkah 3)"
COMPILE_SECTION = "Kompilasi (langkah 7)"
#: Section titles on the Kasubag tab, in order.
KASUBAG_SECTIONS = ("Ringkasan tim", "Master indikator", FORMAT_SECTION, VERIFY_SECTION)
PROGRAMME_SECTION = "Program anggaran"


def _screen_class(title: str) -> type[QWidget]:
    if title == FORMAT_SECTION:
        from kinerja_desktop.ui.screens.format_builder import FormatBuilderWidget

        return FormatBuilderWidget
    if title == VERIFY_SECTION:
        from kinerja_desktop.ui.screens.verification_desk import VerificationDeskWidget

        return VerificationDeskWidget
    if title == "Master indikator":
        from kinerja_desktop.ui.screens.indicator_master import IndicatorMasterWidget

        return IndicatorMasterWidget
    from kinerja_desktop.ui.screens.kasubag_summary import KasubagSummaryWidget

    return KasubagSummaryWidget


def add_performance_data_sections(tab, session) -> None:
    """Summary, indicator master, format builder and verification desk on the Kasubag tab,
    each built (and its module imported) when its section is first shown: with thousands
    of items, building the hidden screens would cost seconds."""
    for title in KASUBAG_SECTIONS:
        def build(title: str = title) -> QWidget:
            screen = _screen_class(title)(session.ctx, session.user_id, session.signals)
            return follow_cycle(screen, session)

        tab.add_section(title, build)


def programme_master(session) -> QWidget:
    """The programme master (Administrator on Pengaturan, Kasubag here)."""
    from kinerja_desktop.ui.screens.programmes import ProgrammeMasterWidget

    return ProgrammeMasterWidget(session.ctx, session.user_id, session.signals)


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
        teams = current_step(self.session, 3).teams if self.session.cycle_id else ()
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
        self.step_bar.show_step(current_step(self.session, 7))
        self.documents.show_cycle(self.session.cycle_id)


class KasubagTab(RoleTab):
    """Kasubag: the performance-data screens (issue 4) with the engine-level steps 3 and 7."""

    SECTION_ORDER = ("Ringkasan tim", "Master indikator", PROGRAMME_SECTION,
                     "Format (langkah 2)",
                     "Penyampaian (langkah 3)", "Excel Tim (langkah 3–4)",
                     "Verifikasi (langkah 6)", "Kompilasi (langkah 7)")

    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(session, "tabKasubag", parent)
        # Summary, indicator master, format builder (step 2), verification desk (step 6).
        add_performance_data_sections(self, session)
        self.add_section(PROGRAMME_SECTION, lambda: programme_master(session))
        # Steps 3 and 7 too are built when first shown (the tab opens on the summary).
        self.add_section(DISTRIBUTE_SECTION, lambda: DistributeSection(session))
        self.add_section(COMPILE_SECTION, lambda: CompileSection(session))

    @property
    def distribute_section(self) -> QWidget:
        """Step 3's section, built now if it was not yet."""
        return self.section(DISTRIBUTE_SECTION)

    @property
    def compile_section(self) -> QWidget:
        """Step 7's section, built now if it was not yet."""
        return self.section(COMPILE_SECTION)

    @property
    def format_builder(self) -> QWidget:
        """The format builder (step 2), built now if it was not yet."""
        return self.section(FORMAT_SECTION)

    @property
    def verification_desk(self) -> QWidget:
        """The verification desk (step 6), built now if it was not yet."""
        return self.section(VERIFY_SECTION)
