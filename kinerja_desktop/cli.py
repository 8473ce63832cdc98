"""Command line of Kinerja Desktop (see DESIGN.md, "Command line").

Without a subcommand the window opens. Every failure prints one Indonesian line
and exits non-zero, never a traceback. Heavy modules are imported per command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kinerja_desktop import APP_NAME, __version__

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A failure reported as one line (Indonesian)."""


_ARGPARSE_MESSAGES = (
    ("the following arguments are required", "argumen berikut wajib diisi"),
    ("unrecognized arguments", "argumen tidak dikenal"),
    ("invalid int value", "bukan bilangan bulat"),
    ("invalid choice", "pilihan tidak sah"),
    ("choose from", "pilih dari"),
    ("expected one argument", "memerlukan satu nilai"),
    ("argument ", "argumen "),
)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 - argparse API
        super().add_usage(usage, actions, groups, "Pemakaian: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumen"
        self._optionals.title = "pilihan"
        self.add_argument("-h", "--help", action="help",
                          help="tampilkan bantuan ini lalu keluar")

    def error(self, message: str) -> None:  # noqa: D401 - argparse API
        for english, indonesian in _ARGPARSE_MESSAGES:
            message = message.replace(english, indonesian)
        self.print_usage(sys.stderr)
        print(f"{self.prog}: kesalahan: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


#: name -> (help, add_arguments, run(args) -> exit code). Other modules register here.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None],
                          Callable[[argparse.Namespace], int]]] = {}


def command(name: str, help_text: str, arguments: Callable[[argparse.ArgumentParser], None]):
    def register(run: Callable[[argparse.Namespace], int]):
        COMMANDS[name] = (help_text, arguments, run)
        return run

    return register


def data_root(args: argparse.Namespace) -> Path:
    if args.data_dir:
        return Path(args.data_dir).expanduser().resolve()
    from kinerja_desktop.paths import default_data_dir

    return default_data_dir()


def database_url(args: argparse.Namespace) -> str | None:
    """The server given with ``--database-url`` (None: the data folder's SQLite file)."""
    return getattr(args, "database_url", None) or None


def open_ctx(args: argparse.Namespace):
    """Open the database (migrating it, after a backup where the engine needs one)."""
    from kinerja_desktop.services.context import open_context

    return open_context(data_root(args), database_url=database_url(args))


def existing_ctx(args: argparse.Namespace):
    """Open an existing database at head without migrating or writing anything."""
    from kinerja_desktop.services.context import open_existing_context

    return open_existing_context(data_root(args), database_url=database_url(args))


# --------------------------------------------------------------------------- commands


def _demo_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, default=None, metavar="TAHUN",
                   help="tahun data (bawaan: tahun lalu)")
    p.add_argument("--teams", type=int, default=None, metavar="N",
                   help="jumlah tim (bawaan: bidang DPMD)")
    p.add_argument("--indicators", type=int, default=None, metavar="M",
                   help="jumlah indikator per tim (untuk uji skala)")
    p.add_argument("--through-step", type=int, default=7, choices=range(0, 8), metavar="K",
                   help="jalankan siklus sampai langkah K selesai (0–7, bawaan 7)")


@command("demo", "isi folder data dengan kantor contoh (DPMD Soppeng)", _demo_args)
def _run_demo(args: argparse.Namespace) -> int:
    from kinerja_desktop.services import demo

    ctx = open_ctx(args)
    try:
        summary = demo.build_demo(ctx, year=args.year, teams=args.teams,
                                  indicators=args.indicators, through_step=args.through_step)
    finally:
        ctx.dispose()
    print(summary)
    return EXIT_OK


@command("check", "periksa keutuhan basis data dan lampiran", lambda p: None)
def _run_check(args: argparse.Namespace) -> int:
    from kinerja_desktop.services.integrity import run_checks

    ctx = existing_ctx(args)
    try:
        report = run_checks(ctx)
    finally:
        ctx.dispose()
    for note in report.notes:
        print(f"  {note}")
    for problem in report.problems:
        print(f"MASALAH: {problem}")
    if report.ok:
        print("Pemeriksaan selesai: tidak ada masalah.")
        return EXIT_OK
    print(f"Pemeriksaan selesai: {len(report.problems)} masalah ditemukan.", file=sys.stderr)
    return EXIT_FAILURE


# --------------------------------------------------------------------------- entry


def build_parser() -> argparse.ArgumentParser:
    _load_command_modules()
    parser = _Parser(prog="kinerja-desktop",
                     description=f"{APP_NAME}: SOP Pengumpulan Data Kinerja.")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}",
                        help="tampilkan versi program lalu keluar")
    parser.add_argument("--data-dir", metavar="DIR",
                        help="folder data (basis data, lampiran, cadangan)")
    parser.add_argument("--database-url", metavar="URL",
                        help="server PostgreSQL sebagai ganti berkas SQLite, mis. "
                             "postgresql+psycopg://pengguna@server:5432/kinerja (kata sandi dari "
                             "berkas pgpass)")
    subparsers = parser.add_subparsers(dest="command", metavar="PERINTAH", title="perintah",
                                       parser_class=_Parser)
    for name, (help_text, arguments, run) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        arguments(sub)
        sub.set_defaults(run=run)
    return parser


def _load_command_modules() -> None:
    """Modules that add their own subcommands (imported lazily, light at import)."""
    import importlib

    for module in COMMAND_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:  # a module not yet part of this build
            if exc.name != module:
                raise


#: Modules registering extra subcommands with :func:`command`.
COMMAND_MODULES: tuple[str, ...] = (
    "kinerja_desktop.ui.commands",
    "kinerja_desktop.reports.commands",
    "kinerja_desktop.spreadsheets.commands",
    "kinerja_desktop.services.backup_commands",
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from kinerja_desktop.app import run_app

        return run_app(args)
    from kinerja_desktop.db.migrate import DatabaseError
    from kinerja_desktop.domain.errors import KinerjaError

    try:
        return args.run(args)
    except (CliError, KinerjaError, DatabaseError) as exc:
        print(f"Gagal: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("Dibatalkan.", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"Gagal: {exc.strerror or exc} ({getattr(exc, 'filename', '') or ''})",
              file=sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:  # noqa: BLE001 - one line for the user, details in the log
        _log_unexpected(args, exc)
        print(f"Gagal: kesalahan tak terduga ({type(exc).__name__}: {exc}).", file=sys.stderr)
        return EXIT_FAILURE


def _log_unexpected(args: argparse.Namespace, exc: BaseException) -> None:
    import traceback

    try:
        from kinerja_desktop.paths import DataDir

        logs = DataDir(data_root(args)).logs
        logs.mkdir(parents=True, exist_ok=True)
        with (logs / "kinerja-cli.log").open("a", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(exc)))
    except OSError:
        pass
