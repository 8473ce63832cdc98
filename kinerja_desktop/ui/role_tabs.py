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

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.ui.common import fmt_date, fmt_dt, run_action, status_colour
from kinerja_desktop.ui.models import records
from kinerja_desktop.ui.models.workflow import team_step_model
from kinerja_desktop.ui.signals import (
    CHANGE_CYCLE,
    UiSession,
)


class _LazySection(QWidget):
    """A section page built by its factory the first time it is shown or asked for."""

    def __init__(self, factory: Callable[[], QWidget]) -> None:
        super().__init__()
        self._factory: Callable[[], QWidget] | None = factory
        self.content: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def build(self) -> QWidget:
        if self.content is None:
            factory, self._factory = self._factory, None
            self.content = factory()
            self.content._needs_refresh = True  # type: ignore[attr-defined]
            self.layout().addWidget(self.content)
        return self.content


class RoleTab(QWidget):
    """A tab of one role: sections in an inner QTabWidget."""

    def __init__(self, session: UiSession, name: str, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName(name)
        self.sections = QTabWidget()
        self.sections.setDocumentMode(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.sections)
        self._dirty = False
        session.signals.data_changed.connect(self._on_change)
        session.cycle_selected.connect(lambda _c: self._on_change(CHANGE_CYCLE))
        self.sections.currentChanged.connect(lambda _i: self._refresh_current())

    #: Titles in the order they appear, whoever adds them; others follow, as added.
    SECTION_ORDER: tuple[str, ...] = ()

    def _rank(self, title: str) -> int:
        order = self.SECTION_ORDER
        return order.index(title) if title in order else len(order)

    def add_section(self, title: str, widget: QWidget | Callable[[], QWidget]) -> int:
        """Add a section page (placed by ``SECTION_ORDER``); returns its index.

        ``widget`` is the page, or a factory building it the first time the page is
        shown (or asked for with :meth:`section`), so start-up builds only what is
        visible. ``widget.refresh()`` is called if present, when the page is shown.
        """
        rank = self._rank(title)
        position = next((i for i in range(self.sections.count())
                         if self._rank(self.sections.tabText(i)) > rank), self.sections.count())
        page = widget if isinstance(widget, QWidget) else _LazySection(widget)
        index = self.sections.insertTab(position, page, title)
        # Filled when first shown, so start-up only queries what is visible.
        page._needs_refresh = True  # type: ignore[attr-defined]
        if self.isVisible():
            self._refresh_current()
        return index

    def _built(self, i: int) -> QWidget | None:
        """Section ``i``'s widget, or None while a lazy section is not built yet."""
        page = self.sections.widget(i)
        return page.content if isinstance(page, _LazySection) else page

    def _section_widget(self, i: int) -> QWidget:
        page = self.sections.widget(i)
        return page.build() if isinstance(page, _LazySection) else page

    def section(self, title: str) -> QWidget | None:
        """The section titled ``title`` (built now if it was not yet)."""
        for i in range(self.sections.count()):
            if self.sections.tabText(i) == title:
                return self._section_widget(i)
        return None

    def show_section(self, title: str) -> None:
        for i in range(self.sections.count()):
            if self.sections.tabText(i) == title:
                self.sections.setCurrentIndex(i)

    def _on_change(self, _area: str) -> None:
        for i in range(self.sections.count()):
            widget = self._built(i)
            if widget is not None:
                widget._needs_refresh = True  # type: ignore[attr-defined]
        if self.isVisible():
            self._refresh_current()

    def _refresh_current(self) -> None:
        index = self.sections.currentIndex()
        if index < 0 or (self._built(index) is None and not self.isVisible()):
            return  # a lazy section is built when its page is first shown
        widget = self._section_widget(index)
        if getattr(widget, "_needs_refresh", False):
            widget._needs_refresh = False  # type: ignore[attr-defined]
            if hasattr(widget, "refresh"):
                widget.refresh()

    def refresh_all(self) -> None:
        for i in range(self.sections.count()):
            widget = self._section_widget(i)
            widget._needs_refresh = False  # type: ignore[attr-defined]
            if hasattr(widget, "refresh"):
                widget.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self._refresh_current()


def make_table(model, name: str, stretch: int | None = None) -> QTableView:
    """A row-selecting table; column ``stretch`` takes the spare width (else the last)."""
    from PySide6.QtWidgets import QHeaderView

    from kinerja_desktop import settings

    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setDefaultSectionSize(130)
    header.setMinimumSectionSize(50)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    settings.remember_header(header, name)
    return table


def fit_columns_once(table: QTableView, widest: int = 320) -> None:
    """Fit the columns to their text the first time the table has rows (the stretch
    column keeps the spare width); later the user's own widths are left alone."""
    from PySide6.QtWidgets import QHeaderView

    if getattr(table, "_fitted", False) or not table.model().rowCount():
        return
    table._fitted = True  # type: ignore[attr-defined]
    header = table.horizontalHeader()
    for column in range(table.model().columnCount()):
        if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch:
            continue
        table.resizeColumnToContents(column)
        header.resizeSection(column, min(header.sectionSize(column) + 8, widest))


def selected_record(table: QTableView):
    index = table.currentIndex()
    if not index.isValid():
        return None
    return table.model().record(index.row())


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
        text = f"Langkah {step.number} ({step.executor.label}): <b>{step.timing.status.label}</b>"
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

        if self.step_no == 7:  # step 7's output: compile and archive the document first
            from kinerja_desktop.ui.printing.actions import compile_for_step

            if not compile_for_step(self, self.session):
                return
        ok, _ = run_action(self, lambda: cycles.finish_step(
            self.session.ctx, self.session.user_id, self.session.cycle_id, self.step_no))
        if ok:
            self.session.changed(CHANGE_CYCLE)


def current_workflow(session: UiSession):
    from kinerja_desktop.services import cycles

    if session.cycle_id is None:
        return None
    return cycles.workflow(session.ctx, session.cycle_id, session.user_id)


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
        from kinerja_desktop.ui.cycle_dialogs import NewCycleDialog

        dialog = NewCycleDialog(self.session, self)
        if dialog.exec():
            self.session.select_cycle(dialog.result_value.id)
            self.session.changed(CHANGE_CYCLE)

    def edit_sk(self) -> None:
        from kinerja_desktop.services import cycles
        from kinerja_desktop.ui.cycle_dialogs import EditSkDialog

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


class DocumentsList(QWidget):
    """Documents of a cycle from the archive, with Simpan salinan…"""

    def __init__(self, session: UiSession, name: str, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = records.documents_model(self)
        self.table = make_table(self.model, name, stretch=1)
        self.save_button = QPushButton("Simpan salinan…")
        self.save_button.clicked.connect(self.save_copy)
        self.open_button = QPushButton("Buka / Cetak…")  # issue 6: reopen and reprint
        self.open_button.clicked.connect(self.open_selected)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.open_button)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

    def show_cycle(self, cycle_id: int | None) -> None:
        from kinerja_desktop.services import documents

        self.model.set_records(documents.list_documents(self.session.ctx, cycle_id)
                               if cycle_id is not None else [])
        fit_columns_once(self.table)
        self.save_button.setEnabled(bool(self.model.records))
        self.open_button.setEnabled(bool(self.model.records))

    def open_selected(self) -> None:
        from kinerja_desktop.ui.printing.actions import open_document_preview

        doc = selected_record(self.table)
        if doc is not None:
            open_document_preview(self, self.session.ctx, doc.id)

    def save_copy(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from kinerja_desktop.atomic import atomic_write_bytes
        from kinerja_desktop.services import documents

        doc = selected_record(self.table)
        if doc is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Simpan salinan dokumen", doc.file_name)
        if not name:
            return
        ok, content = run_action(self, lambda: documents.document_content(self.session.ctx,
                                                                          doc.id))
        if ok:
            atomic_write_bytes(Path(name), content)


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
    """Pengaturan (administrator): the screens of ``ui/admin.py`` and the SOP editor,
    each built (and its module imported) when its section is first shown."""

    def __init__(self, session: UiSession, parent=None) -> None:
        super().__init__(session, "tabPengaturan", parent)

        def admin_section(name: str, *args) -> Callable[[], QWidget]:
            def build() -> QWidget:
                from kinerja_desktop.ui import admin

                return getattr(admin, name)(session, *args)

            return build

        self.add_section("Profil kantor", admin_section("OfficeSection"))
        self.add_section("Pengguna", admin_section("PeopleSection", True))
        self.add_section("Tim", admin_section("TeamsSection", True))
        self.add_section("Skala predikat", admin_section("PredikatSection"))
        self.add_section("Hari libur kantor", admin_section("DaysOffSection"))
        self.add_section("SOP", self._sop_section)

    def _sop_section(self) -> QWidget:
        from kinerja_desktop.ui.sop_editor import SopSection

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
