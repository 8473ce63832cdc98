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
        cycles,
        documents,
        office,
        sops,
        teams,
    )


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
    """Open the window on the data folder ``root`` (and the server at ``database_url``, when
    given); returns the exit code."""
    from PySide6.QtWidgets import QMessageBox

    from kinerja_desktop.db.migrate import DatabaseError
    from kinerja_desktop.domain.errors import KinerjaError

    preload_core()
    app = make_application()
    # Safe operation (issue 7, ui/instance.py): one copy per data directory, the log file,
    # the error dialog, the daily automatic backup; all before the database is opened.
    from kinerja_desktop.ui.instance import backup_watcher, show_damage_warning, start_guarded

    if start_guarded(root) is None:
        return 1
    try:
        from kinerja_desktop.services.startup import open_context

        ctx = open_context(root, database_url=database_url)
    except Exception as exc:  # noqa: BLE001 - a damaged or locked file: say it, name a backup
        from kinerja_desktop.paths import DataDir
        from kinerja_desktop.services.backup import restore_hint
        from kinerja_desktop.system_messages import describe_failure

        if isinstance(exc, (DatabaseError, KinerjaError)):
            text = str(exc)
        else:
            text = describe_failure(exc, database_url or DataDir(root).database)
            if text is None:
                raise
        hint = "" if database_url else f"\n\n{restore_hint(root)}"
        box = QMessageBox(QMessageBox.Icon.Critical, "Basis data tidak dapat dibuka",
                          f"{text}{hint}", QMessageBox.StandardButton.Ok)
        box.button(QMessageBox.StandardButton.Ok).setText("Tutup")
        box.exec()
        return 1
    from kinerja_desktop.ui.instance import start_office_backup

    start_office_backup(ctx)
    try:
        from kinerja_desktop.ui.shell import WindowShell

        shell = WindowShell(ctx)
        shell.finished.connect(app.quit)
        if not shell.start():  # set-up or log-in cancelled
            return 0
        watcher = backup_watcher()
        if watcher is not None:  # damaged data found at start-up: say which backup to restore
            watcher.when_done(lambda result: show_damage_warning(shell.window, result,
                                                                 ctx.data_dir))
        return app.exec()
    finally:
        ctx.dispose()
