"""``smoke`` and ``screenshots OUTDIR``: the window opened, or rendered, from the current data.

Neither command writes to the data directory or to the user's remembered window
settings; Qt and the services load inside the run functions. ``screenshots`` draws on
the display, or on a 1366×768 offscreen screen when there is none (``--screen`` sets
another size), and fails when a window does not fit the screen's available area.
"""

from __future__ import annotations

import argparse
import os
import re
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


#: The screen ``screenshots`` draws on when there is no display: an office laptop.
DEFAULT_SCREEN = (1366, 768)


def _screen_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{3,5})\s*[x×]\s*(\d{3,5})\s*", text.lower())
    if match is None:
        raise argparse.ArgumentTypeError(
            f"ukuran layar '{text}' tidak dikenal; tulis LEBARxTINGGI, mis. 1366x768")
    return int(match.group(1)), int(match.group(2))


def _offscreen_screen(size: tuple[int, int], folder: Path) -> None:
    """Draw on Qt's offscreen platform with one screen of ``size`` pixels (the plugin's
    configfile option; without it the offscreen screen is 800×600)."""
    import json

    width, height = size
    config = folder / "layar.json"
    config.write_text(json.dumps({"screens": [{
        "name": f"layar-{width}x{height}", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def _has_display() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("offscreen"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) and not platform


def _screenshot_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("outdir", metavar="OUTDIR", help="folder tujuan berkas PNG")
    p.add_argument("--screen", type=_screen_size, metavar="LEBARxTINGGI",
                   help="gambar pada layar maya sebesar ini (bawaan: layar yang ada, atau "
                        "1366x768 bila tidak ada layar)")


def run_screenshots(args: argparse.Namespace) -> int:
    """Photograph every screen and dialog; fails when a window does not fit the screen."""
    with tempfile.TemporaryDirectory(prefix="kinerja-layar-") as tmp:
        if args.screen is not None or not _has_display():
            _offscreen_screen(args.screen or DEFAULT_SCREEN, Path(tmp))
        _headless()
        from kinerja_desktop.app import make_application

        ctx = _read_only_context(args)
        try:
            _private_settings(Path(tmp))
            app = make_application()
            area = app.primaryScreen().availableGeometry()
            screen = f"{area.width()}×{area.height()}"
            from kinerja_desktop.ui.screenshots import render_screens

            run = render_screens(ctx, Path(args.outdir).expanduser().resolve())
        finally:
            ctx.dispose()
    for path in run.written:
        print(path)
    print(f"{len(run.written)} gambar disimpan (layar {screen}).")
    if run.misfits:
        raise CliError(f"{len(run.misfits)} jendela tidak muat di layar {screen}: "
                       + "; ".join(run.misfits))
    return EXIT_OK


COMMANDS = {
    "smoke": Command(no_arguments, run_smoke),
    "screenshots": Command(_screenshot_args, run_screenshots),
}
