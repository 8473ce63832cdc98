"""What every command module shares: the Indonesian argparse parser, exit codes, the
one-line error, and opening the data folder named on the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A failure reported as one line (Indonesian)."""


@dataclass(frozen=True)
class Command:
    """One subcommand: adds its arguments to its parser, runs, returns the exit code."""

    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def no_arguments(_parser: argparse.ArgumentParser) -> None:
    """For commands that take no argument of their own."""


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


class Parser(argparse.ArgumentParser):
    """argparse with Indonesian titles, help and usage errors (exit code 2)."""

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


def data_root(args: argparse.Namespace) -> Path:
    """The data folder: ``--data-dir`` or the user's default."""
    if args.data_dir:
        return Path(args.data_dir).expanduser().resolve()
    from kinerja_desktop.paths import default_data_dir

    return default_data_dir()


def database_url(args: argparse.Namespace) -> str | None:
    """The server given with ``--database-url`` (None: the data folder's SQLite file)."""
    return getattr(args, "database_url", None) or None


def writer_lock(args: argparse.Namespace, purpose: str):
    """The data folder's writer lock, held for a command that changes data (released by the
    caller). A second writer waits briefly, then gets one line naming who holds it."""
    from kinerja_desktop.locking import DataFolderLock
    from kinerja_desktop.paths import DataDir

    return DataFolderLock(DataDir(data_root(args)), purpose).acquire()


def open_ctx(args: argparse.Namespace, purpose: str | None = None):
    """Open the database (migrating it, after a backup where the engine needs one) for a
    command that may write: the writer lock is held until the context is disposed."""
    from kinerja_desktop.services.startup import open_context

    command = getattr(args, "command", None) or "perintah"
    lock = writer_lock(args, purpose or f"perintah {command}")
    try:
        ctx = open_context(data_root(args), database_url=database_url(args))
    except BaseException:
        lock.release()
        raise
    ctx.closers.append(lock.release)
    return ctx


def existing_ctx(args: argparse.Namespace):
    """Open an existing database at head without migrating or writing anything (no lock:
    never a writer)."""
    from kinerja_desktop.services.startup import open_existing_context

    return open_existing_context(data_root(args), database_url=database_url(args))


def out_path(text: str, allowed: tuple[str, ...]) -> Path:
    """An output file with one of the ``allowed`` suffixes in an existing folder."""
    path = Path(text).expanduser()
    if path.suffix.lower() not in allowed:
        raise CliError(f"Berkas keluaran '{path.name}' harus berakhiran "
                       + " atau ".join(allowed) + ".")
    if path.parent and not path.parent.exists():
        raise CliError(f"Folder '{path.parent}' tidak ada.")
    return path
