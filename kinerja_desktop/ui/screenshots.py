"""Screenshots of the window: every tab and section, the workflow panel, the SOP editor.

Rendered from the current data by ``kinerja-desktop screenshots`` (the command line
wraps :func:`render_screens`); nothing is written to the data directory.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from kinerja_desktop.domain.errors import KinerjaError
from kinerja_desktop.services import accounts


def _grab(widget, path: Path, written: list[Path]) -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    if not widget.grab().save(str(path), "PNG"):
        raise KinerjaError(f"Gambar {path.name} tidak dapat disimpan.")
    written.append(path)


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def render_screens(ctx, outdir: Path) -> list[Path]:
    """Render login, every tab and section, the workflow panel and the SOP editor."""
    from PySide6.QtWidgets import QApplication

    from kinerja_desktop.domain.permissions import Role
    from kinerja_desktop.services import accounts, office
    from kinerja_desktop.ui.dialogs.login import LoginDialog
    from kinerja_desktop.ui.dialogs.sop_editor import SopEditorDialog
    from kinerja_desktop.ui.main_window import MainWindow
    from kinerja_desktop.ui.signals import UiSession

    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    profile = office.get_office(ctx)
    login = LoginDialog(ctx, f"{profile.name} {profile.regency}" if profile else "")
    login.username.setText("kasubag")
    login.show()
    _grab(login, outdir / "01-masuk.png", written)
    login.close()

    viewers = []
    for role in (Role.SEKRETARIS, Role.KASUBAG, Role.ADMIN):
        person = accounts.first_with_role(ctx, role)
        if person is not None and person.id not in [v.id for v in viewers]:
            viewers.append(person)
    member = next((p for p in sorted(accounts.list_people(ctx), key=lambda p: p.id)
                   if p.team_ids and p.active), None)
    if member is not None:
        viewers.append(member)
    number = 2
    seen_tabs: set[str] = set()
    for person in viewers:
        window = MainWindow(ctx, person.id, remember=False)
        window.resize(1440, 940)
        window.show()
        QApplication.processEvents()
        for t in range(window.tabs.count()):
            title = window.tabs.tabText(t)
            if title in seen_tabs:
                continue
            seen_tabs.add(title)
            window.tabs.setCurrentIndex(t)
            tab = window.tabs.widget(t)
            for s in range(tab.sections.count()):
                tab.sections.setCurrentIndex(s)
                name = f"{number:02d}-{_slug(title)}-{_slug(tab.sections.tabText(s))}.png"
                _grab(window, outdir / name, written)
                number += 1
        if Role.KASUBAG in person.roles:
            panel = window.workflow_panel
            panel.resize(1400, 420)
            _grab(panel, outdir / f"{number:02d}-alur-kerja.png", written)
            number += 1
        window.close()

    admin = accounts.first_with_role(ctx, Role.ADMIN)
    if admin is not None:
        editor = SopEditorDialog(UiSession(ctx, admin.id))
        editor.show()
        _grab(editor, outdir / f"{number:02d}-penyunting-sop-identitas.png", written)
        editor.editor.tabs.setCurrentIndex(1)
        _grab(editor, outdir / f"{number + 1:02d}-penyunting-sop-langkah.png", written)
        editor.close()
        number += 2
    written.append(running_example(outdir / f"{number:02d}-alur-kerja-berjalan.png"))
    return written


def running_example(path: Path) -> Path:
    """The workflow panel with running and late steps, from a scratch demo office.

    Used when the current data has nothing running (e.g. a finished demo cycle):
    the demo is built in a temporary folder through step 5, then the Kasubag starts
    verifying two teams, so step 6 runs (late against today's date) while step 2 shows
    a step finished late.
    """
    from datetime import timedelta

    from PySide6.QtWidgets import QApplication

    from kinerja_desktop.domain.permissions import Role
    from kinerja_desktop.services import cycles, demo
    from kinerja_desktop.services.startup import open_context
    from kinerja_desktop.ui.signals import UiSession
    from kinerja_desktop.ui.widgets.workflow_panel import WorkflowPanel

    with tempfile.TemporaryDirectory(prefix="kinerja-contoh-") as tmp:
        ctx = open_context(Path(tmp))
        try:
            demo.build_demo(ctx, through_step=5)
            kasubag = accounts.first_with_role(ctx, Role.KASUBAG)
            cycle = cycles.active_cycle(ctx)
            view = cycles.workflow(ctx, cycle.id, kasubag.id)
            last = max(t.finished_at for t in view.step(5).teams)
            real_clock = ctx.clock
            ctx.clock = lambda: last + timedelta(hours=20)
            for team in view.step(6).teams[:2]:
                cycles.start_step(ctx, kasubag.id, cycle.id, 6, team.team_id)
            ctx.clock = real_clock
            session = UiSession(ctx, kasubag.id)
            session.select_cycle(cycle.id)
            panel = WorkflowPanel(session)
            panel.resize(1400, 470)
            panel.show()
            panel.select(6, view.step(6).teams[0].team_id)
            QApplication.processEvents()
            if not panel.grab().save(str(path), "PNG"):
                raise KinerjaError(f"Gambar {path.name} tidak dapat disimpan.")
            panel.close()
            panel.deleteLater()
            QApplication.processEvents()
        finally:
            ctx.dispose()
    return path
