"""Screenshots of the window and its dialogs, each checked against the screen it opens on.

``kinerja-desktop screenshots`` wraps :func:`render_screens`. From the current data
(read only): the log-in, every tab and section of each role, the workflow panel, the
new-cycle dialog with its date picker open, the SOP editor, person and team dialogs,
the Berkas menu, the print chooser, preview and Qt's print dialog, the guide and
"Tentang". From a scratch office built in a temporary folder (so nothing of the user's
data changes): the confirm dialogs, a workbook import report, the Excel export, the
backup and restore dialogs (with Qt's own file dialog), Ganti pengguna and the idle
lock, the return reason, the running workflow; from an empty temporary folder: every
page of the set-up wizard.

Dialogs are opened by the program's own code (a menu action, a button); a watcher
takes each modal dialog as it appears, photographs it and answers it (usually Batal).
Every window photographed is checked with :func:`sizing.outside_screen`; the misfits
are returned so the command can fail.
"""

from __future__ import annotations

import contextlib
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kinerja_desktop.domain.errors import KinerjaError
from kinerja_desktop.services import accounts

#: Called with every window photographed and its capture name (the LANG=C test reads
#: the texts of those windows through it).
WindowHook = Callable[[Any, str], None]


@dataclass
class ScreenshotRun:
    written: list[Path] = field(default_factory=list)
    #: "name: why" for every window that does not fit the screen's available area.
    misfits: list[str] = field(default_factory=list)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _settle() -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()


class _Camera:
    """Numbers, saves and checks the captures."""

    def __init__(self, outdir: Path, on_window: WindowHook | None) -> None:
        self.outdir = outdir
        self.on_window = on_window
        self.run = ScreenshotRun()

    def shot(self, widget, name: str, *extras) -> None:
        """Save ``widget`` (and the windows in ``extras``, drawn where they are on top of
        it: a popup, a menu, a dialog) and check that each window fits its screen."""
        from PySide6.QtGui import QColor, QImage, QPainter

        from kinerja_desktop.ui.sizing import outside_screen

        _settle()
        label = f"{len(self.run.written) + 1:02d}-{_slug(name)}"
        for window in {id(w.window()): w.window() for w in (widget, *extras)}.values():
            problem = outside_screen(window)
            if problem:
                self.run.misfits.append(f"{label}: {window.windowTitle() or name}: {problem}")
            if self.on_window is not None:
                self.on_window(window, label)
        if extras:
            parts = [widget, *extras]
            area = widget.geometry()
            for part in extras:
                area = area.united(part.geometry())
            image = QImage(area.size(), QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(QColor("white"))
            painter = QPainter(image)
            for part in parts:
                painter.drawPixmap(part.geometry().topLeft() - area.topLeft(), part.grab())
            painter.end()
        else:
            image = widget.grab()
        path = self.outdir / f"{label}.png"
        if not image.save(str(path), "PNG"):
            raise KinerjaError(f"Gambar {path.name} tidak dapat disimpan.")
        self.run.written.append(path)


class _ModalWatcher:
    """Runs ``trigger``; each modal dialog it opens goes to the next handler, which
    photographs and answers it. Progress dialogs are left to finish by themselves."""

    def __init__(self, camera: _Camera) -> None:
        self.camera = camera

    def run(self, name: str, trigger: Callable[[], Any],
            *handlers: Callable[[Any], None]) -> Any:
        import shiboken6
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QProgressDialog

        pending = list(handlers)
        handled: set[int] = set()
        busy = [False]
        problems: list[str] = []

        def poll() -> None:
            widget = QApplication.activeModalWidget()
            if busy[0] or widget is None or not widget.isVisible():
                return
            key = shiboken6.getCppPointer(widget)[0]
            if key in handled or isinstance(widget, QProgressDialog):
                return
            handled.add(key)
            busy[0] = True
            try:
                if not pending:
                    problems.append(f"{name}: dialog tak terduga '{widget.windowTitle()}'")
                    widget.reject()
                    return
                try:
                    pending.pop(0)(widget)
                except Exception as exc:  # noqa: BLE001 - reported, the run must not hang
                    problems.append(f"{name}: {exc}")
                if shiboken6.isValid(widget) and widget.isVisible():
                    # The handler's answer did not close it: never leave the run waiting.
                    problems.append(f"{name}: '{widget.windowTitle()}' tidak tertutup")
                    widget.reject()
            finally:
                busy[0] = False

        timer = QTimer()
        timer.setInterval(25)
        timer.timeout.connect(poll)
        timer.start()
        try:
            result = trigger()
        finally:
            timer.stop()
        if pending:
            problems.append(f"{name}: {len(pending)} dialog tidak muncul")
        if problems:
            raise KinerjaError("Gambar layar gagal: " + "; ".join(problems))
        return result


def _shoot_and(camera: _Camera, name: str, answer: str = "reject") -> Callable[[Any], None]:
    """A handler: photograph the dialog, then answer it (reject = Batal/Tidak)."""

    def handle(dialog) -> None:
        camera.shot(dialog, name)
        getattr(dialog, answer)()

    return handle


def _wait(condition: Callable[[], bool], what: str, seconds: float = 30.0) -> None:
    """Run the event loop until ``condition()`` holds (one loop, checked every 20 ms:
    no busy loop of processEvents calls)."""
    import time

    from PySide6.QtCore import QEventLoop, QTimer

    if condition():
        return
    deadline = time.monotonic() + seconds
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(20)

    def check() -> None:
        if condition() or time.monotonic() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if not condition():
        raise KinerjaError(f"Gambar layar gagal: {what} tidak selesai.")


def _close(widget) -> None:
    from PySide6.QtWidgets import QApplication

    widget.close()
    widget.deleteLater()
    QApplication.processEvents()


@contextlib.contextmanager
def _scratch_office(through_step: int | None) -> Iterator[Any]:
    """A context on a temporary data folder: the demo office through ``through_step``
    (None: an empty folder, as on first start)."""
    from kinerja_desktop.services import demo
    from kinerja_desktop.services.startup import open_context

    with tempfile.TemporaryDirectory(prefix="kinerja-contoh-") as tmp:
        ctx = open_context(Path(tmp) / "data")
        try:
            if through_step is not None:
                demo.build_demo(ctx, through_step=through_step)
            yield ctx
        finally:
            ctx.dispose()


def _person_with(ctx, role):
    return accounts.first_with_role(ctx, role)


def _team_member(ctx, lead: bool = False):
    from kinerja_desktop.services import teams

    team = teams.list_teams(ctx)[0]
    members = sorted(team.members, key=lambda m: not m.is_lead)
    return accounts.get_person(ctx, members[0 if lead else -1].person_id)


def render_screens(ctx, outdir: Path, on_window: WindowHook | None = None) -> ScreenshotRun:
    """Photograph the window and its dialogs (see the module's docstring)."""
    outdir.mkdir(parents=True, exist_ok=True)
    camera = _Camera(outdir, on_window)
    watcher = _ModalWatcher(camera)
    _login(camera, ctx)
    _role_windows(camera, watcher, ctx)
    with _scratch_office(3) as office:
        _work_dialogs(camera, watcher, office, Path(tempfile.mkdtemp(prefix="kinerja-berkas-")))
    with _scratch_office(None) as empty:
        _setup_wizard(camera, empty)
    running_example(camera)
    return camera.run


# --------------------------------------------------------------------------- current data


def _login(camera: _Camera, ctx) -> None:
    from kinerja_desktop.services import office
    from kinerja_desktop.ui.dialogs.login import LoginDialog

    profile = office.get_office(ctx)
    login = LoginDialog(ctx, f"{profile.name} {profile.regency}" if profile else "")
    login.username.setText("kasubag")
    login.show()
    camera.shot(login, "masuk")
    _close(login)


def _role_windows(camera: _Camera, watcher: _ModalWatcher, ctx) -> None:
    """Each role's tabs and sections, and the dialogs that change nothing until saved."""
    from PySide6.QtCore import Qt

    from kinerja_desktop.domain.permissions import Role
    from kinerja_desktop.ui.main_window import MainWindow

    viewers = []
    for role in (Role.SEKRETARIS, Role.KASUBAG, Role.ADMIN):
        person = _person_with(ctx, role)
        if person is not None and person.id not in [v.id for v in viewers]:
            viewers.append(person)
    member = next((p for p in sorted(accounts.list_people(ctx), key=lambda p: p.id)
                   if p.team_ids and p.active), None)
    if member is not None:
        viewers.append(member)
    seen_tabs: set[str] = set()
    for person in viewers:
        window = MainWindow(ctx, person.id, remember=False)
        window.show()
        _settle()
        for t in range(window.tabs.count()):
            title = window.tabs.tabText(t)
            if title in seen_tabs:
                continue
            seen_tabs.add(title)
            window.tabs.setCurrentIndex(t)
            tab = window.tabs.widget(t)
            for s in range(tab.sections.count()):
                tab.sections.setCurrentIndex(s)
                camera.shot(window, f"{title} {tab.sections.tabText(s)}")
        if Role.KASUBAG in person.roles:
            window.resizeDocks([window.workflow_dock], [380], Qt.Orientation.Vertical)
            camera.shot(window.workflow_dock, "alur-kerja")
        if Role.SEKRETARIS in person.roles:
            _new_cycle(camera, watcher, window)
        if Role.ADMIN in person.roles:
            _admin_dialogs(camera, watcher, window)
        _close(window)


def _new_cycle(camera: _Camera, watcher: _ModalWatcher, window) -> None:
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    def fill(dialog) -> None:
        camera.shot(dialog, "siklus-baru")
        edit = dialog.sk.date
        arrow = QPointF(edit.width() - 6, edit.height() / 2)  # a click on the drop-down arrow
        QApplication.sendEvent(edit, QMouseEvent(
            QEvent.Type.MouseButtonPress, arrow, edit.mapToGlobal(arrow),
            Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier))
        _settle()
        popup = edit.calendarWidget().window()
        if not popup.isVisible():
            raise KinerjaError("Gambar layar gagal: kalender tanggal SK tidak terbuka.")
        camera.shot(dialog, "siklus-baru-kalender", popup)
        popup.close()
        dialog.reject()

    watcher.run("Siklus baru", window.action_new_cycle.trigger, fill)


def _admin_dialogs(camera: _Camera, watcher: _ModalWatcher, window) -> None:
    from kinerja_desktop.ui.dialogs.guide import GuideDialog
    from kinerja_desktop.ui.dialogs.person import PersonDialog
    from kinerja_desktop.ui.dialogs.sop_editor import SopEditorDialog
    from kinerja_desktop.ui.dialogs.team import TeamDialog

    menu = window.menu_file
    menu.popup(window.mapToGlobal(window.menuBar().geometry().bottomLeft()))
    camera.shot(window, "menu-berkas", menu)
    menu.close()

    editor = SopEditorDialog(window.session, window)
    editor.show()
    camera.shot(editor, "penyunting-sop-identitas")
    editor.editor.tabs.setCurrentIndex(1)
    camera.shot(editor, "penyunting-sop-langkah")
    _close(editor)
    for dialog, name in ((PersonDialog(window.session, None, window), "tambah-pengguna"),
                         (TeamDialog(window.session, None, window), "tambah-tim"),
                         (GuideDialog(window), "panduan")):
        dialog.show()
        camera.shot(dialog, name)
        _close(dialog)
    watcher.run("Tentang", window.show_about, _shoot_and(camera, "tentang", "accept"))
    _printing(camera, watcher, window)


def _printing(camera: _Camera, watcher: _ModalWatcher, window) -> None:
    """Berkas ▸ Cetak…: the chooser, the preview of the SOP sheet and Qt's print dialog."""
    from kinerja_desktop.ui.printing.actions import print_dialog

    def choose(chooser) -> None:
        camera.shot(chooser, "pilih-dokumen")
        chooser.select("lembar_sop")
        chooser.accept()

    preview = watcher.run("Cetak", lambda: print_dialog(window), choose)
    if preview is None:
        raise KinerjaError("Gambar layar gagal: pratinjau cetak tidak terbuka.")
    camera.shot(preview, "pratinjau-cetak")
    if sys.platform.startswith("linux"):  # elsewhere the print dialog is the system's own
        watcher.run("Dialog cetak", preview.print_document,
                    _shoot_and(camera, "dialog-cetak"))
    _close(preview)


# --------------------------------------------------------------------------- scratch office


def _work_dialogs(camera: _Camera, watcher: _ModalWatcher, ctx, folder: Path) -> None:
    """Dialogs that lead to a change, answered Batal (or run on the scratch office)."""
    from kinerja_desktop.domain.permissions import Role
    from kinerja_desktop.ui.dialogs import workbooks
    from kinerja_desktop.ui.main_window import MainWindow

    lead = _team_member(ctx, lead=True)
    member = MainWindow(ctx, lead.id, remember=False)
    member.show()
    entry = member.team_tab.entry_section
    watcher.run("Serahkan", entry.submit, _shoot_and(camera, "konfirmasi-serahkan"))
    watcher.run("Catatan", entry._add_comment, _shoot_and(camera, "tambah-catatan"))

    kasubag = MainWindow(ctx, _person_with(ctx, Role.KASUBAG).id, remember=False)
    kasubag.show()
    watcher.run("Ekspor format", lambda: workbooks.export_formats(kasubag),
                _shoot_and(camera, "ekspor-format-tim"))
    workbook = _filled_workbook(ctx, kasubag, folder, lead)
    _close(kasubag)
    report = workbooks.import_format(member, workbook)
    _wait(lambda: report.report is not None, "pemeriksaan buku kerja")
    camera.shot(report, "laporan-impor-format")
    _close(report)
    _lock_and_switch(camera, watcher, ctx, member, lead)
    _close(member)

    admin = MainWindow(ctx, _person_with(ctx, Role.ADMIN).id, remember=False)
    admin.show()
    _backup_and_restore(camera, watcher, admin, folder)
    _close(admin)


def _filled_workbook(ctx, kasubag_window, folder: Path, lead) -> Path:
    """The lead's team workbook, exported by the Kasubag, with realisasi typed in."""
    import io

    from openpyxl import load_workbook

    from kinerja_desktop.services import workbooks
    from kinerja_desktop.spreadsheets import format_workbook as fw

    team_id = next(iter(lead.team_ids))
    cycle_id = kasubag_window.session.cycle_id
    content = workbooks.export_team_workbook(ctx, kasubag_window.current_user_id, cycle_id,
                                             team_id)
    book = load_workbook(io.BytesIO(content))
    sheet = book[fw.SHEET_DATA]
    row = fw.FIRST_ROW
    while sheet.cell(row=row, column=fw.COLUMN_INDEX["indicator"]).value:
        sheet.cell(row=row, column=fw.COLUMN_INDEX["actual"]).value = 80 + row
        sheet.cell(row=row, column=fw.COLUMN_INDEX["explanation"]).value = (
            "Dihitung dari laporan bulanan kecamatan.")
        row += 1
    path = folder / "format-tim-terisi.xlsx"
    book.save(path)
    return path


def _lock_and_switch(camera: _Camera, watcher: _ModalWatcher, ctx, window, person) -> None:
    """The idle lock over a covered window, then Ganti pengguna from the Berkas menu."""
    from kinerja_desktop.ui.dialogs.lock import Curtain, LockDialog
    from kinerja_desktop.ui.shell import WindowShell

    curtain = Curtain(window)
    lock = LockDialog(ctx, person, 10, window)
    lock.show()
    camera.shot(window, "kunci-layar", lock)
    lock.done(0)
    _close(lock)
    _close(curtain)

    shell = WindowShell(ctx)
    shell.open_window(person.id)
    watcher.run("Ganti pengguna", shell.window.action_switch_user.trigger,
                _shoot_and(camera, "ganti-pengguna-masuk"))
    shell.idle.set_interval(0)


def _backup_and_restore(camera: _Camera, watcher: _ModalWatcher, window, folder: Path) -> None:
    from kinerja_desktop.ui.dialogs.backup import make_backup, restore_backup

    target = folder / "cadangan-contoh.zip"

    def save_here(dialog) -> None:
        camera.shot(dialog, "dialog-berkas-simpan-cadangan")
        _choose_file(dialog, target)

    watcher.run("Cadangkan", lambda: make_backup(window), save_here,
                _shoot_and(camera, "cadangan-selesai", "accept"))

    def open_it(dialog) -> None:
        camera.shot(dialog, "dialog-berkas-buka-cadangan")
        _choose_file(dialog, target)

    watcher.run("Pulihkan", lambda: restore_backup(window, restart=lambda: None), open_it,
                _shoot_and(camera, "konfirmasi-pulihkan"))


def _choose_file(dialog, path: Path) -> None:
    """Pick ``path`` in Qt's file dialog as a user would: its folder, then its name typed
    in the name field."""
    from PySide6.QtWidgets import QLineEdit

    dialog.setDirectory(str(path.parent))
    name_field = dialog.findChild(QLineEdit, "fileNameEdit")
    name_field.setText(path.name)
    _wait(lambda: [Path(p) for p in dialog.selectedFiles()] == [path],
          f"memilih {path.name}", seconds=10)
    dialog.accept()


def _setup_wizard(camera: _Camera, ctx) -> None:
    from kinerja_desktop.ui.dialogs.setup_wizard import SetupWizard

    wizard = SetupWizard(ctx)
    wizard.show()
    names = ("penyiapan-1-selamat-datang", "penyiapan-2-profil-kantor",
             "penyiapan-3-administrator", "penyiapan-4-tim-dan-pengguna")
    for number, name in enumerate(names):
        if number == 2:
            page = wizard.admin_page
            page.name.setText("Administrator Kantor")
            for edit in (page.password, page.repeat):
                edit.setText("rahasia-contoh-1")
        camera.shot(wizard, name)
        if number < len(names) - 1:
            wizard.next()
            _settle()
            if wizard.currentPage() is not [wizard.welcome, wizard.office_page,
                                            wizard.admin_page, wizard.people_page][number + 1]:
                raise KinerjaError(f"Gambar layar gagal: halaman penyiapan {number + 2} "
                                   "tidak terbuka.")
    _close(wizard)


def running_example(camera: _Camera) -> None:
    """The Kasubag at step 6 of a scratch office: the return-reason dialog, and the
    workflow panel with running and late steps.

    The demo is built through step 5, then the Kasubag starts verifying two teams, so
    step 6 runs (late against today's date) while step 2 shows a step finished late.
    """
    from datetime import timedelta

    from kinerja_desktop.domain.permissions import Role
    from kinerja_desktop.services import cycles, workflow
    from kinerja_desktop.ui.main_window import MainWindow
    from kinerja_desktop.ui.signals import UiSession
    from kinerja_desktop.ui.widgets.workflow_panel import WorkflowPanel

    watcher = _ModalWatcher(camera)
    with _scratch_office(5) as ctx:
        kasubag = _person_with(ctx, Role.KASUBAG)
        cycle = cycles.active_cycle(ctx)
        view = workflow.workflow(ctx, cycle.id, kasubag.id)
        last = max(t.finished_at for t in view.step(5).teams)
        real_clock = ctx.clock
        ctx.clock = lambda: last + timedelta(hours=20)
        for team in view.step(6).teams[:2]:
            cycles.start_step(ctx, kasubag.id, cycle.id, 6, team.team_id)
        ctx.clock = real_clock

        window = MainWindow(ctx, kasubag.id, remember=False)
        window.show()
        tab = window.kasubag_tab
        tab.show_section("Verifikasi (langkah 6)")
        desk = tab.verification_desk
        desk.table.selectRow(0)
        watcher.run("Kembalikan", desk.return_button.click,
                    _shoot_and(camera, "alasan-dikembalikan"))
        _close(window)

        session = UiSession(ctx, kasubag.id)
        session.select_cycle(cycle.id)
        panel = WorkflowPanel(session)
        panel.setWindowTitle("Alur kerja SOP")
        from kinerja_desktop.ui.sizing import size_window

        size_window(panel, 1340, 470)
        panel.show()
        panel.select(6, view.step(6).teams[0].team_id)
        camera.shot(panel, "alur-kerja-berjalan")
        _close(panel)
