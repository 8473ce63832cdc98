"""``kinerja-desktop backup --out FILE`` and ``kinerja-desktop restore FILE``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kinerja_desktop.cli.base import (
    EXIT_OK,
    CliError,
    Command,
    data_root,
    database_url,
    existing_ctx,
)
from kinerja_desktop.domain.errors import PermissionDenied


def _backup_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, metavar="BERKAS",
                   help="berkas cadangan yang ditulis (.zip)")


def _restore_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="BERKAS", help="berkas cadangan (.zip) yang dipulihkan")
    p.add_argument("--dry-run", dest="verify_only", action="store_true",
                   help="hanya periksa berkas cadangan, tanpa memulihkan")
    p.add_argument("--as", dest="as_user", metavar="USERNAME",
                   help="akun administrator yang memulihkan (wajib bila data saat ini "
                        "memiliki akun)")


def _size(total: int) -> str:
    from kinerja_desktop.domain.numbers import format_number

    return f"{format_number(total / 1048576, 1)} MB"


def _run_backup(args: argparse.Namespace) -> int:
    from kinerja_desktop.paths import DataDir
    from kinerja_desktop.services import backup

    out = Path(args.out).expanduser().resolve()
    if out.is_dir():
        out = out / backup.default_backup_name()
    if database_url(args):
        ctx = existing_ctx(args)
        try:
            info = backup.backup(ctx, out)
        finally:
            ctx.dispose()
    else:
        info = backup.backup(DataDir(data_root(args)), out)
    print(f"Cadangan ditulis: {info.path} (revisi skema {info.schema_revision}, "
          f"{info.attachment_count} lampiran, {_size(info.total_bytes)}).")
    return EXIT_OK


def _run_restore(args: argparse.Namespace) -> int:
    from kinerja_desktop.locking import DataFolderBusy
    from kinerja_desktop.paths import DataDir
    from kinerja_desktop.services import backup, restore

    data_dir = DataDir(data_root(args))
    file = Path(args.file).expanduser()
    if args.verify_only:
        info = restore.verify_backup(file, data_dir)
        print(f"Berkas cadangan baik: dibuat {info.created_at:%Y-%m-%d %H:%M} UTC oleh versi "
              f"{info.app_version}, {info.attachment_count} lampiran.")
        return EXIT_OK
    if database_url(args):
        # The server's owner role is the authority there (see services.server_backup).
        return _restore_to_server(args, file)
    actor_id = None
    if args.as_user:
        actor_id = backup.person_id_of(data_dir, args.as_user)
        if actor_id is None:
            raise CliError(f"Akun '{args.as_user}' tidak ditemukan di data saat ini. Data "
                           "tidak diubah.")
    try:
        # The service takes the writer lock: never a swap under a running window.
        result = restore.restore(data_dir, file, actor_id=actor_id)
    except DataFolderBusy as exc:
        raise CliError(f"{exc} Data tidak diubah.") from None
    except PermissionDenied as exc:
        hint = "" if args.as_user else " Sebutkan akun administrator dengan --as USERNAME."
        raise CliError(f"{exc}{hint}") from None
    print(f"Data dipulihkan dari {file.name} (dibuat {result.restored.created_at:%Y-%m-%d %H:%M} "
          f"UTC, {result.restored.attachment_count} lampiran).")
    if result.previous_data_backup is not None:
        print(f"Data sebelumnya disimpan di {result.previous_data_backup}.")
    else:
        print("Folder data sebelumnya belum berisi basis data.")
    if result.skipped_entries:
        print(f"{result.skipped_entries} berkas di dalam cadangan tidak dirujuk basis data dan "
              "tidak dipulihkan.")
    sys.stdout.flush()
    return EXIT_OK


def _restore_to_server(args: argparse.Namespace, file: Path) -> int:
    from kinerja_desktop.services import server_backup

    result = server_backup.restore_to_server(data_root(args), database_url(args), file)
    print(f"Data di server {result.location} dipulihkan dari {file.name} (dibuat "
          f"{result.restored.created_at:%Y-%m-%d %H:%M} UTC, {result.rows} baris, "
          f"{result.restored.attachment_count} lampiran).")
    if result.previous_data_backup is not None:
        print(f"Data server sebelumnya disimpan di {result.previous_data_backup}.")
    else:
        print("Basis data server sebelumnya belum berisi data.")
    return EXIT_OK


COMMANDS = {
    "backup": Command(_backup_args, _run_backup),
    "restore": Command(_restore_args, _run_restore),
}
