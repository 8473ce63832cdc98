"""The main window: menus, a tab per role held, the workflow dock and the status bar.

Other modules plug in through the public attributes: ``menu_file`` (Berkas),
``menu_cycle`` (Siklus), ``menu_data``, ``menu_help``, ``ctx``, ``current_user_id``,
``signals`` (:class:`AppSignals`; emit ``data_changed`` after every mutation),
``session`` (:class:`UiSession`, the viewed cycle), and the role tabs
(``sekretaris_tab``, ``kasubag_tab``, ``team_tab``, ``archive_tab``,
``settings_tab``; None when the user lacks the role), each with ``add_section``.
Add menu entries with :meth:`add_file_action` to keep Ganti pengguna and Keluar last.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from kinerja_desktop import APP_NAME, __version__
from kinerja_desktop.domain.permissions import Role
from kinerja_desktop.ui.common import label_buttons
from kinerja_desktop.ui.signals import CHANGE_ALL, CHANGE_CYCLE, AppSignals, UiSession
from kinerja_desktop.ui.sizing import center_on_screen, keep_inside_screen, size_window, usable_size

#: The main window's size on a large screen; smaller screens get their usable area.
PREFERRED_SIZE = (1440, 940)


def dock_height(window) -> int:
    """The workflow dock's first height: a fifth of the usable screen height, 150–270 px
    (on a 1366×768 laptop the work area above it keeps the room it needs)."""
    return max(150, min(270, usable_size(window).height() // 5))


class MainWindow(QMainWindow):
    #: Berkas ▸ Ganti pengguna… (Ctrl+L); the window shell (ui/shell.py) closes this window
    #: and asks for a log-in.
    switch_user_requested = Signal()

    def __init__(self, ctx, user_id: int, *, remember: bool = True, parent=None) -> None:
        super().__init__(parent)
        from kinerja_desktop.services import cycles, office
        from kinerja_desktop.ui.widgets.workflow_panel import WorkflowDock

        self.ctx = ctx
        self.current_user_id = user_id
        self.signals = AppSignals(self)
        self.session = UiSession(ctx, user_id, self.signals)
        self._remember = remember
        self.person = self.session.person()
        active = cycles.active_cycle(ctx)
        self.session.select_cycle(active.id if active else None)
        profile = office.get_office(ctx)
        self.office_name = f"{profile.name} {profile.regency}" if profile else ""
        self.setObjectName("jendelaUtama")
        self.setWindowTitle(f"{APP_NAME} — {self.office_name}" if profile else APP_NAME)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabPeran")
        roles = self.person.roles
        # "Siklus ditutup" (read-only) or "Dibuka kembali" notice above the tabs.
        from kinerja_desktop.ui.widgets.cycle_banner import CycleStateBanner

        self.cycle_banner = CycleStateBanner(
            self.session, may_reopen=bool({Role.ADMIN, Role.KASUBAG} & set(roles)))
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(2)
        central_layout.addWidget(self.cycle_banner)
        central_layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.sekretaris_tab = self.kasubag_tab = self.team_tab = self.settings_tab = None
        if Role.SEKRETARIS in roles:
            from kinerja_desktop.ui.tabs.sekretaris_tab import SekretarisTab

            self.sekretaris_tab = SekretarisTab(self.session)
            self.tabs.addTab(self.sekretaris_tab, "Sekretaris")
        if Role.KASUBAG in roles:
            from kinerja_desktop.ui.tabs.kasubag_tab import KasubagTab

            self.kasubag_tab = KasubagTab(self.session)
            self.tabs.addTab(self.kasubag_tab, "Kasubag")
        my_teams = []
        if self.person.team_ids:
            from kinerja_desktop.services import teams

            my_teams = teams.active_teams_among(ctx, self.person.team_ids)
        if my_teams:
            from kinerja_desktop.ui.tabs.team_tab import TeamTab

            self.team_tab = TeamTab(self.session, my_teams)
            self.tabs.addTab(self.team_tab, "Tim Penyusun")
        from kinerja_desktop.ui.tabs.archive_tab import ArchiveTab

        self.archive_tab = ArchiveTab(self.session)
        self.tabs.addTab(self.archive_tab, "Arsip")
        if Role.ADMIN in roles:
            from kinerja_desktop.ui.tabs.settings_tab import SettingsTab

            self.settings_tab = SettingsTab(self.session)
            self.tabs.addTab(self.settings_tab, "Pengaturan")

        self.workflow_dock = WorkflowDock(self.session, self)
        self.workflow_panel = self.workflow_dock.panel
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.workflow_dock)
        self.resizeDocks([self.workflow_dock], [dock_height(self)], Qt.Orientation.Vertical)

        self._build_menus()
        from kinerja_desktop.ui.live import LiveUpdates

        # Other PCs' changes on a server (nothing on this PC's own file); started last.
        self.live = LiveUpdates(ctx, self.signals, self)
        self.live.state_changed.connect(lambda _state: self._show_data_place())
        self._build_status_bar(active)
        self.signals.data_changed.connect(self._on_change)
        self.session.cycle_selected.connect(lambda _c: self._update_status())
        size_window(self, *PREFERRED_SIZE)
        center_on_screen(self)
        if remember:
            self._restore_state()
        self.live.start()
        self._open_on_what_needs_me()

    def _open_on_what_needs_me(self) -> None:
        """At log-in a team member with returned items or an open deadline starts on the
        Tim Penyusun tab, whose banner says what needs them."""
        entry = getattr(self.team_tab, "entry_section", None)
        if entry is not None and entry.attention_label.text():
            self.tabs.setCurrentWidget(self.team_tab)

    # ------------------------------------------------------------------ menus
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menu_file = bar.addMenu("&Berkas")
        self.menu_cycle = bar.addMenu("&Siklus")
        self.menu_data = bar.addMenu("&Data")
        self.menu_help = bar.addMenu("Ban&tuan")

        self.action_new_cycle = QAction("Siklus &baru…", self)
        self.action_new_cycle.triggered.connect(self.new_cycle)
        self.action_new_cycle.setVisible(Role.SEKRETARIS in self.person.roles)
        self.menu_file.addAction(self.action_new_cycle)
        self._file_separator = self.menu_file.addSeparator()
        self.action_switch_user = QAction("&Ganti pengguna…", self)
        self.action_switch_user.setObjectName("aksiGantiPengguna")
        self.action_switch_user.setShortcut(QKeySequence("Ctrl+L"))
        self.action_switch_user.setStatusTip("Kembali ke layar masuk tanpa menutup aplikasi")
        self.action_switch_user.triggered.connect(self.switch_user_requested)
        self.menu_file.addAction(self.action_switch_user)
        self.action_quit = QAction("&Keluar", self)
        self.action_quit.setShortcut(QKeySequence("Ctrl+Q"))
        self.action_quit.triggered.connect(self.close)
        self.menu_file.addAction(self.action_quit)

        self.action_refresh = QAction("&Segarkan", self)
        self.action_refresh.setShortcut(QKeySequence("F5"))
        self.action_refresh.triggered.connect(lambda: self.signals.data_changed.emit(CHANGE_ALL))
        self.menu_cycle.aboutToShow.connect(self._fill_cycle_menu)
        # The cycles are listed when the menu opens; F5 and the dock toggle work before.
        self._fill_cycle_menu(with_cycles=False)

        for text, handler in (("&Tim…", self.show_teams), ("&Pengguna…", self.show_people),
                              ("P&rogram anggaran…", self.show_programmes),
                              ("&SOP…", self.show_sop)):
            action = QAction(text, self)
            action.triggered.connect(handler)
            self.menu_data.addAction(action)

        about = QAction(f"&Tentang {APP_NAME}", self)
        about.triggered.connect(self.show_about)
        self.menu_help.addAction(about)

        # Berkas ▸ Cadangkan…/Pulihkan… and Bantuan ▸ Panduan (issue 7), Cetak… (Ctrl+P) and
        # Ekspor PDF… (issue 6), Ekspor/Impor Format Tim (Excel)… and Ekspor Excel… (issue 5):
        # their screens are imported when an entry is triggered.
        from kinerja_desktop.ui import menu_actions

        menu_actions.install_backup_actions(self)
        menu_actions.install_guide_action(self)
        menu_actions.install_print_actions(self)
        menu_actions.install_workbook_actions(self)

    def add_file_action(self, action: QAction) -> None:
        """Insert an entry in Berkas before the separator above Keluar."""
        self.menu_file.insertAction(self._file_separator, action)

    def _fill_cycle_menu(self, with_cycles: bool = True) -> None:
        from kinerja_desktop.services import cycles

        menu = self.menu_cycle
        menu.clear()
        if Role.SEKRETARIS in self.person.roles:
            menu.addAction(self.action_new_cycle)
            menu.addSeparator()
        group = QActionGroup(menu)
        for cycle in cycles.list_cycles(self.ctx) if with_cycles else ():
            state = _state_label(cycle)
            action = QAction(f"{cycle.label} ({state})", menu)
            action.setCheckable(True)
            action.setChecked(cycle.id == self.session.cycle_id)
            action.triggered.connect(lambda _c=False, cid=cycle.id: self.session.select_cycle(cid))
            group.addAction(action)
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.action_refresh)
        menu.addAction(self.workflow_dock.toggleViewAction())

    # ------------------------------------------------------------------ status bar
    def _build_status_bar(self, cycle=None) -> None:
        self.status_user = QLabel()
        self.status_roles = QLabel()
        self.status_cycle = QLabel()
        self.status_database = QLabel()
        bar = self.statusBar()
        for label in (self.status_user, self.status_roles, self.status_cycle):
            bar.addWidget(label)
        bar.addPermanentWidget(self.status_database)
        self._update_status(cycle)

    def _update_status(self, cycle=None) -> None:
        """The status bar; ``cycle`` is the viewed cycle's CycleInfo when already read."""
        from kinerja_desktop.domain.permissions import ROLE_LABELS
        from kinerja_desktop.services import cycles

        self.status_user.setText(f"Pengguna: {self.person.name}")
        roles = ", ".join(ROLE_LABELS[r] for r in Role if r in self.person.roles) or "tanpa peran"
        self.status_roles.setText(f"Peran: {roles}")
        if self.session.cycle_id is None:
            self.status_cycle.setText("Siklus: belum ada")
            cycle = None
        else:
            if cycle is None or cycle.id != self.session.cycle_id:
                cycle = cycles.get_cycle(self.ctx, self.session.cycle_id)
            state = _state_label(cycle)
            self.status_cycle.setText(f"Siklus: {cycle.label} ({state})")
        from kinerja_desktop.ui import menu_actions

        menu_actions.follow_cycle_state(self, cycle is not None and cycle.closed)
        self._show_data_place()

    def _show_data_place(self) -> None:
        """Where the data lives and, on a server, whether it answers."""
        from kinerja_desktop.ui.live import ServerState

        place, state = self.live.place, self.live.state
        text, tip, style = place.label, place.detail, ""
        if state is ServerState.ANSWERING:
            text += " · tersambung"
            style = "color: #1b5e20;"
        elif state is ServerState.CONNECTING:
            text += " · menyambung…"
        elif state is ServerState.LOST:
            text += " · tidak menjawab"
            tip += f"\n{self.live.reason}\nIsian yang sedang diketik tetap di formulir; " \
                   "aplikasi menyambung ulang sendiri."
            style = "color: #fff; background: #b71c1c; padding: 0 6px; border-radius: 3px;"
        self.status_database.setText(text)
        self.status_database.setToolTip(tip)
        self.status_database.setStyleSheet(style)

    def _on_change(self, area: str) -> None:
        from kinerja_desktop.services import cycles

        if area in (CHANGE_CYCLE, CHANGE_ALL) and self.session.cycle_id is None:
            active = cycles.active_cycle(self.ctx)
            if active is not None:
                self.session.select_cycle(active.id)
        self._update_status()

    # ------------------------------------------------------------------ actions
    def new_cycle(self) -> None:
        from kinerja_desktop.ui.dialogs.cycle import NewCycleDialog

        dialog = NewCycleDialog(self.session, self)
        if dialog.exec():
            self.session.select_cycle(dialog.result_value.id)
            self.signals.data_changed.emit(CHANGE_CYCLE)

    def _show_setting(self, title: str, factory) -> None:
        if self.settings_tab is not None:
            self.tabs.setCurrentWidget(self.settings_tab)
            self.settings_tab.show_section(title)
            return
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout

        dialog = QDialog(self)
        dialog.setWindowTitle(title)
        layout = QVBoxLayout(dialog)
        widget = factory()
        widget.refresh()
        layout.addWidget(widget)
        buttons = label_buttons(QDialogButtonBox(QDialogButtonBox.StandardButton.Close))
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        size_window(dialog, 900, 500)
        dialog.exec()

    def show_teams(self) -> None:
        from kinerja_desktop.ui.screens.teams import TeamsSection

        self._show_setting("Tim", lambda: TeamsSection(self.session, editable=False))

    def show_people(self) -> None:
        from kinerja_desktop.ui.screens.people import PeopleSection

        self._show_setting("Pengguna", lambda: PeopleSection(self.session, editable=False))

    def show_programmes(self) -> None:
        from kinerja_desktop.ui.screens.programmes import ProgrammeMasterWidget

        self._show_setting("Program anggaran", lambda: ProgrammeMasterWidget(
            self.ctx, self.current_user_id, self.signals, editable=False))

    def show_sop(self) -> None:
        from kinerja_desktop.ui.screens.sop import SopSection

        def make():
            section = SopSection(self.session)
            section.edit_button.hide()
            return section

        self._show_setting("SOP", make)

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setWindowTitle(f"Tentang {APP_NAME}")
        box.setText(f"<h3>{APP_NAME} {__version__}</h3>"
                    "<p>Aplikasi luring untuk SOP Pengumpulan Data Kinerja (bahan LKjIP)."
                    f"</p><p>{self.office_name}</p>"
                    f"<p>Folder data: {self.ctx.data_dir.root}</p>")
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.button(QMessageBox.StandardButton.Ok).setText("Tutup")
        box.exec()

    # ------------------------------------------------------------------ state
    def _restore_state(self) -> None:
        from kinerja_desktop import settings

        geometry = settings.get("window/geometry")
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
            keep_inside_screen(self)  # remembered on a larger screen, or a smaller one now
        state = settings.get("window/state")
        if not state.isEmpty():
            self.restoreState(state)
        # The tab each user last looked at: after Ganti pengguna the next user does not
        # land on the previous user's tab.
        tab = settings.get(settings.view_key("tab", self.person.username))
        for i in range(self.tabs.count()):
            if self.tabs.tabText(i) == tab:
                self.tabs.setCurrentIndex(i)
        self.workflow_panel.remember_columns()

    def save_state(self) -> None:
        from kinerja_desktop import settings

        settings.set("window/geometry", self.saveGeometry())
        settings.set("window/state", self.saveState())
        settings.set(settings.view_key("tab", self.person.username),
                     self.tabs.tabText(self.tabs.currentIndex()))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._remember:
            self.save_state()
        super().closeEvent(event)
        if event.isAccepted():
            self.live.stop()


def _state_label(cycle) -> str:
    """"ditutup, Asli", "ditutup, Revisi 1", "dibuka kembali" or "berjalan"."""
    if cycle.closed:
        return f"ditutup, {cycle.version_label}" if cycle.version_label else "ditutup"
    return "dibuka kembali" if cycle.reopened else "berjalan"
