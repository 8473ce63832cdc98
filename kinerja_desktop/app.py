"""Start the window: data directory, QApplication, first-run setup, log-in, main window."""

from __future__ import annotations

import sys
from pathlib import Path


def preload_core() -> None:
    """Import the Qt-free layers the main window uses before PySide6 is first imported.

    PySide6 installs an import hook that, for every module imported after it, reads
    the module's source to see whether it mentions PySide6 (``__feature__`` support);
    for SQLAlchemy, the models and the services that is a few hundred files read at
    each start. Imported first, they are never scanned. The import order is all that
    changes: nothing runs and nothing is opened.
    """
    import sqlite3  # noqa: F401 - loaded by the engine's first connection

    import sqlalchemy.dialects.sqlite  # noqa: F401 - loaded by create_engine

    import kinerja_desktop.domain.numbers  # noqa: F401 - babel, for the window's dates
    import kinerja_desktop.services.startup  # noqa: F401 - SQLAlchemy, the models, the SOP
    from kinerja_desktop.services import (  # noqa: F401
        accounts,
        attention,
        cycles,
        documents,
        entries,
        formats,
        live,
        office,
        sops,
        submissions,
        summary,
        teams,
        verification,
        workflow,
    )


#: New container objects between two young garbage collections (Python's default: 700).
GC_YOUNG_THRESHOLD = 10_000


def freeze_long_lived() -> None:
    """Keep the objects made at start-up (modules, classes, SQLAlchemy's mappings, Qt's
    wrappers: some 90 000) out of the garbage collector's full passes.

    They live as long as the program; a full pass walks every tracked object and, at
    this size, pauses the window 60–90 ms on whichever screen happens to be opening
    (measured in ``tests/benchmarks/bench_screens.py``). ``gc.freeze`` moves them to a
    generation the collector does not scan; what the screens make later is collected
    as before, a young collection every :data:`GC_YOUNG_THRESHOLD` new objects. Call
    once, at start-up: the modules every main window needs (its tabs,
    the workflow panel, the team entry most users work in) are imported first, so that
    they are frozen too and the first window after the log-in does not wait for them.
    """
    import gc

    import kinerja_desktop.settings  # noqa: F401 - every module below lives as long as we do
    import kinerja_desktop.ui.live  # noqa: F401
    import kinerja_desktop.ui.main_window  # noqa: F401
    import kinerja_desktop.ui.menu_actions  # noqa: F401
    import kinerja_desktop.ui.screens.kasubag_summary  # noqa: F401
    import kinerja_desktop.ui.screens.team_entry  # noqa: F401
    import kinerja_desktop.ui.shell  # noqa: F401
    import kinerja_desktop.ui.tabs.archive_tab  # noqa: F401
    import kinerja_desktop.ui.tabs.kasubag_tab  # noqa: F401
    import kinerja_desktop.ui.tabs.sekretaris_tab  # noqa: F401
    import kinerja_desktop.ui.tabs.settings_tab  # noqa: F401
    import kinerja_desktop.ui.tabs.team_tab  # noqa: F401
    import kinerja_desktop.ui.widgets.cycle_banner  # noqa: F401
    import kinerja_desktop.ui.widgets.workflow_panel  # noqa: F401

    gc.freeze()
    # A screen of 300 items makes many short-lived objects (rows, views, wrappers). At
    # Python's default, a young collection every 700 new objects, one walk of the 12 × 300
    # screens benchmark made 126 collections (68 ms) and a full pass that paused one
    # screen 17–45 ms; every 10 000 objects, it made 5 (11 ms) and no full pass. Garbage
    # is still collected, in fewer, larger young collections.
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def make_application(argv: list[str] | None = None):
    """The QApplication with name, organisation and icon (reused when one exists), in
    Indonesian whatever the system language (locale and Qt's own strings) before any
    widget exists, its windows kept inside the screen."""
    from PySide6.QtWidgets import QApplication

    from kinerja_desktop import APP_NAME
    from kinerja_desktop.ui.icon import app_icon
    from kinerja_desktop.ui.language import install_indonesian
    from kinerja_desktop.ui.sizing import install_screen_guard

    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    install_indonesian(app)
    install_screen_guard(app)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setWindowIcon(app_icon())
    return app


def run_app(root: Path, database_url: str | None = None) -> int:
    """Open the window on the data folder ``root``, its data where the folder's setting says
    (or at ``database_url``, when given); returns the exit code."""
    preload_core()
    app = make_application()
    freeze_long_lived()
    # Safe operation (issue 7, ui/instance.py): one copy per data directory, the log file,
    # the error dialog, the daily automatic backup; all before the database is opened.
    from kinerja_desktop.ui.instance import backup_watcher, show_damage_warning, start_guarded

    if start_guarded(root) is None:
        return 1
    from kinerja_desktop.ui.instance import start_office_backup
    from kinerja_desktop.ui.screens import data_location as location_screen
    from kinerja_desktop.ui.shell import WindowShell

    first = True
    while True:
        location_screen.restart_requested = False
        ctx = open_data(root, database_url)
        if ctx is None:
            return 1
        start_office_backup(ctx)  # on a server: the office's daily backup, once for all PCs
        shell = WindowShell(ctx)
        try:
            shell.finished.connect(app.quit)
            # set-up or log-in cancelled: the end (the wizard may have moved the data: the
            # shell holds the context it opened)
            if not shell.start(root if ask_location(root, database_url) else None):
                return 0
            if shell.ctx is not ctx:  # the set-up moved the data to the office's server
                start_office_backup(shell.ctx)
            watcher = backup_watcher() if first else None
            first = False
            if watcher is not None:  # damaged data found at start-up: say which backup
                watcher.when_done(lambda result, s=shell: show_damage_warning(
                    s.window, result, s.ctx.data_dir))
            code = app.exec()
        finally:
            shell.ctx.dispose()
        # Pengaturan ▸ Lokasi data ▸ Buka ulang sekarang: the data at its new place.
        if not location_screen.restart_requested:
            return code
        shell.deleteLater()


def ask_location(root: Path, database_url: str | None) -> bool:
    """True on a data folder whose data location was never chosen (the wizard asks)."""
    from kinerja_desktop.domain.errors import KinerjaError
    from kinerja_desktop.services.data_location import read_location

    if database_url:
        return False
    try:
        return not read_location(root).chosen
    except KinerjaError:
        return False


def open_data(root: Path, database_url: str | None):
    """The context of the data folder's data; when it cannot be opened, say why and offer
    to try again or (without ``--database-url``) to change where the data lives. None:
    the user gave up."""
    from PySide6.QtWidgets import QMessageBox

    from kinerja_desktop.db.migrate import DatabaseError
    from kinerja_desktop.domain.errors import KinerjaError
    from kinerja_desktop.paths import DataDir
    from kinerja_desktop.services.backup import restore_hint
    from kinerja_desktop.services.data_location import stored_database_url
    from kinerja_desktop.services.startup import open_context
    from kinerja_desktop.system_messages import describe_failure

    while True:
        url = database_url
        try:
            url = database_url or stored_database_url(root)
            return open_context(root, database_url=url)
        except Exception as exc:  # noqa: BLE001 - a damaged or locked file: say it, name a backup
            if isinstance(exc, (DatabaseError, KinerjaError)):
                text = str(exc)
            else:
                text = describe_failure(exc, url or DataDir(root).database)
                if text is None:
                    raise
        hint = "" if url else f"\n\n{restore_hint(root)}"
        box = QMessageBox(QMessageBox.Icon.Critical, "Basis data tidak dapat dibuka",
                          f"{text}{hint}",
                          QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Close)
        box.button(QMessageBox.StandardButton.Retry).setText("Coba lagi")
        box.button(QMessageBox.StandardButton.Close).setText("Tutup")
        change = None
        if not database_url:  # the folder's own setting: it can be changed here
            change = box.addButton("Ubah lokasi data…", QMessageBox.ButtonRole.ActionRole)
        box.exec()
        clicked = box.clickedButton()
        if change is not None and clicked is change:
            from kinerja_desktop.ui.screens.data_location import DataLocationDialog

            DataLocationDialog(root, text).exec()
        elif clicked is not box.button(QMessageBox.StandardButton.Retry):
            return None
