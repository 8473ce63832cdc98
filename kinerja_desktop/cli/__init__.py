"""Command line of Kinerja Desktop (see DESIGN.md, "Command line").

Without a subcommand the window opens. Every failure prints one Indonesian line and
exits non-zero, never a traceback.

The registry :data:`COMMANDS` names each subcommand's module and summary, as pip's
``commands_dict`` does: a command's module (and what it imports) is loaded only when
that command runs or shows its own help. Each module holds a ``COMMANDS`` dict of
:class:`~kinerja_desktop.cli.base.Command` (arguments, run). Nothing in the package
imports this one; only ``kinerja_desktop.__main__`` does.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NamedTuple

from kinerja_desktop import APP_NAME, __version__
from kinerja_desktop.cli.base import (
    EXIT_FAILURE,
    CliError,
    Command,
    Parser,
    data_root,
    database_url,
)


class CommandInfo(NamedTuple):
    module: str
    summary: str


#: name -> where the command lives and its one-line summary (also its description).
COMMANDS: dict[str, CommandInfo] = {
    "demo": CommandInfo("kinerja_desktop.cli.data_folder",
                        "isi folder data dengan kantor contoh (DPMD Soppeng)"),
    "check": CommandInfo("kinerja_desktop.cli.data_folder",
                         "periksa keutuhan basis data dan lampiran"),
    "smoke": CommandInfo("kinerja_desktop.cli.window",
                         "buka jendela utama sebagai administrator pertama, lalu keluar"),
    "screenshots": CommandInfo("kinerja_desktop.cli.window",
                               "simpan gambar setiap layar utama (PNG) dari data saat ini"),
    "report": CommandInfo("kinerja_desktop.cli.documents",
                          "buat Dokumen Data Kinerja suatu tahun (PDF atau Excel)"),
    "sop-sheet": CommandInfo("kinerja_desktop.cli.documents",
                             "cetak lembar SOP (format PermenPAN-RB 35/2012) ke PDF"),
    "sop-monitoring": CommandInfo("kinerja_desktop.cli.documents",
                                  "cetak formulir Monitoring Pelaksanaan SOP suatu tahun ke PDF"),
    "receipt": CommandInfo("kinerja_desktop.cli.documents",
                           "cetak tanda terima penyerahan data satu tim ke PDF"),
    "verification-record": CommandInfo("kinerja_desktop.cli.documents",
                                       "cetak berita acara verifikasi (semua tim atau satu tim) "
                                       "ke PDF"),
    "export-format": CommandInfo("kinerja_desktop.cli.workbooks",
                                 "ekspor format data kinerja satu tim ke Excel (.xlsx)"),
    "import-format": CommandInfo("kinerja_desktop.cli.workbooks",
                                 "impor buku kerja tim (.xlsx) dengan laporan pemeriksaan"),
    "backup": CommandInfo("kinerja_desktop.cli.backup",
                          "cadangkan basis data dan lampiran ke satu berkas"),
    "restore": CommandInfo("kinerja_desktop.cli.backup",
                           "pulihkan data dari berkas cadangan (data lama dicadangkan dulu)"),
    "server-init": CommandInfo("kinerja_desktop.cli.server",
                               "siapkan basis data kantor di server PostgreSQL (pemilik, "
                               "pengguna aplikasi, hak, skema)"),
    "copy-database": CommandInfo("kinerja_desktop.cli.server",
                                 "salin kantor dari berkas SQLite ke basis data server yang "
                                 "kosong, lalu periksa salinannya"),
}

#: Global options that take a value (skipped when looking for the command's name).
_GLOBAL_WITH_VALUE = ("--data-dir", "--database-url")


def load_command(name: str) -> Command:
    """The command's arguments and run function (its module imported now)."""
    return importlib.import_module(COMMANDS[name].module).COMMANDS[name]


def _chosen(argv: Sequence[str]) -> str | None:
    """The subcommand named in ``argv``, if any (global options come before it)."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in _GLOBAL_WITH_VALUE:
            skip = True
        elif not token.startswith("-"):
            return token if token in COMMANDS else None
    return None


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the ``chosen`` command's module is imported for its arguments."""
    parser = Parser(prog="kinerja-desktop",
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
                                       parser_class=Parser)
    for name, info in COMMANDS.items():
        sub = subparsers.add_parser(name, help=info.summary, description=info.summary)
        if name == chosen:
            command = load_command(name)
            command.arguments(sub)
            sub.set_defaults(run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(_chosen(argv)).parse_args(argv)
    if args.command is None:
        from kinerja_desktop.app import run_app

        return run_app(data_root(args), database_url(args))
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
    except Exception as exc:  # noqa: BLE001 - one line for the user, details in the log
        from kinerja_desktop.paths import DataDir
        from kinerja_desktop.system_messages import describe_failure

        known = describe_failure(exc, DataDir(data_root(args)).database)
        if known is not None:  # disk full, database locked, permission denied, …
            print(f"Gagal: {known}", file=sys.stderr)
            return EXIT_FAILURE
        _log_unexpected(args, exc)
        from kinerja_desktop.logging_setup import scrub

        print(scrub(f"Gagal: kesalahan tak terduga ({type(exc).__name__}: {exc})."),
              file=sys.stderr)
        return EXIT_FAILURE


def _log_unexpected(args: argparse.Namespace, exc: BaseException) -> None:
    import traceback

    try:
        from kinerja_desktop.paths import DataDir

        logs = DataDir(data_root(args)).logs
        logs.mkdir(parents=True, exist_ok=True)
        from kinerja_desktop.logging_setup import scrub

        with (logs / "kinerja-cli.log").open("a", encoding="utf-8") as fh:
            fh.write(scrub("".join(traceback.format_exception(exc))))
    except OSError:
        pass
