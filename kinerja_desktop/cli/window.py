"""``smoke`` and ``screenshots OUTDIR``: the window opened, or rendered, from the current data.

Neither command writes to the data directory or to the user's remembered window
settings; Qt and the services load inside the run functions.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from kinerja_desktop.cli.base import EXIT_OK, CliError, Command, existing_ctx, no_arguments


def _headless() -> None:
    """Offscreen Qt when there is no display; hide that platform's sizing notices."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                 or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode, _context, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def _read_only_context(args: argparse.Namespace):
    """The data directory's database, only if it exists and is at head (nothing written)."""
    return existing_ctx(args)


def _private_settings(directory: Path) -> None:
    from kinerja_desktop import settings

    settings.use_ini_file(directory / "pengaturan.ini")


# --------------------------------------------------------------------------- smoke


def run_smoke(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    from kinerja_desktop.app import make_application, preload_core

    preload_core()
    _headless()
    from PySide6.QtCore import QTimer

    from kinerja_desktop.domain.permissions import Role
    from kinerja_desktop.ui.main_window import MainWindow

    ctx = _read_only_context(args)
    try:
        from kinerja_desktop.services import accounts

        admin = accounts.first_with_role(ctx, Role.ADMIN)
        if admin is None:
            raise CliError("Belum ada administrator; jalankan penyiapan awal terlebih dahulu.")
        with tempfile.TemporaryDirectory(prefix="kinerja-smoke-") as tmp:
            _private_settings(Path(tmp))
            app = make_application()
            window = MainWindow(ctx, admin.id, remember=False)
            window.show()
            shown: list[bool] = []

            def idle() -> None:
                shown.append(window.isVisible())
                app.quit()

            QTimer.singleShot(0, idle)
            app.exec()
            if not shown or not shown[0]:
                raise CliError("Jendela utama tidak tampil.")
            if not window.workflow_panel.is_loaded:
                raise CliError("Panel alur kerja tidak dapat dimuat.")
            print(f"Jendela utama tampil dan siap sebagai {admin.name} "
                  f"({time.perf_counter() - started:.2f} detik).", flush=True)
            window.close()
        return EXIT_OK
    finally:
        ctx.dispose()


# --------------------------------------------------------------------------- screenshots


def _screenshot_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("outdir", metavar="OUTDIR", help="folder tujuan berkas PNG")


def run_screenshots(args: argparse.Namespace) -> int:
    _headless()
    from kinerja_desktop.app import make_application

    ctx = _read_only_context(args)
    try:
        with tempfile.TemporaryDirectory(prefix="kinerja-layar-") as tmp:
            _private_settings(Path(tmp))
            make_application()
            from kinerja_desktop.ui.screenshots import render_screens

            written = render_screens(ctx, Path(args.outdir).expanduser().resolve())
    finally:
        ctx.dispose()
    for path in written:
        print(path)
    print(f"{len(written)} gambar disimpan.")
    return EXIT_OK


COMMANDS = {
    "smoke": Command(no_arguments, run_smoke),
    "screenshots": Command(_screenshot_args, run_screenshots),
}
