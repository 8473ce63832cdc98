"""CLI: ``export-format`` and ``import-format`` (team workbooks in Excel).

``--as USERNAME`` chooses the acting account (the command line has no log-in):

* ``export-format`` defaults to the first active Kasubag (the executor of step 3);
* ``import-format`` defaults to the lead (else the first member) of the team named in the
  workbook, since only a team's members may enter its data. Pass ``--as`` with another
  account (e.g. the Kasubag) together with ``--dry-run`` to check a file without changing
  anything.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kinerja_desktop.cli.base import (
    EXIT_FAILURE,
    EXIT_OK,
    CliError,
    Command,
    existing_ctx,
    open_ctx,
)


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, required=True, metavar="TAHUN", help="tahun siklus")
    p.add_argument("--quarter", type=int, default=None, help="triwulan (bila siklus triwulanan)")
    p.add_argument("--team", required=True, metavar="NAMA", help="nama tim (persis seperti di "
                   "aplikasi)")
    p.add_argument("--out", required=True, metavar="BERKAS.xlsx", help="berkas keluaran")
    p.add_argument("--as", dest="as_user", metavar="USERNAME",
                   help="akun yang melakukan ekspor (bawaan: Kasubag pertama)")


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="BERKAS.xlsx", help="buku kerja tim yang sudah diisi")
    p.add_argument("--dry-run", action="store_true",
                   help="hanya periksa dan tampilkan laporan; tidak ada data yang diubah")
    p.add_argument("--as", dest="as_user", metavar="USERNAME",
                   help="akun yang mengimpor (bawaan: ketua tim dalam berkas)")


def _person_by_username(ctx, username: str) -> int:
    from kinerja_desktop.services import accounts

    for person in accounts.list_people(ctx):
        if person.username == username:
            return person.id
    raise CliError(f"Akun '{username}' tidak ditemukan.")


def _first_kasubag(ctx) -> int:
    from kinerja_desktop.domain.permissions import Role
    from kinerja_desktop.services import accounts

    for person in accounts.list_people(ctx):
        if person.active and Role.KASUBAG in person.roles:
            return person.id
    raise CliError("Belum ada akun Kasubag; gunakan --as USERNAME.")


def _run_export(args: argparse.Namespace) -> int:
    from kinerja_desktop.atomic import write_chosen_file
    from kinerja_desktop.services import cycles, teams, workbooks

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise CliError("Berkas keluaran harus berakhiran .xlsx.")
    ctx = open_ctx(args, "mengekspor format tim (export-format)")
    try:
        actor = _person_by_username(ctx, args.as_user) if args.as_user else _first_kasubag(ctx)
        cycle = cycles.find_cycle(ctx, args.year, args.quarter)
        team = next((t for t in teams.list_teams(ctx) if t.name == args.team), None)
        if team is None:
            names = ", ".join(t.name for t in teams.list_teams(ctx))
            raise CliError(f"Tim '{args.team}' tidak ditemukan. Tim yang ada: {names}.")
        content = workbooks.export_team_workbook(ctx, actor, cycle.id, team.id)
        write_chosen_file(out, content)
    finally:
        ctx.dispose()
    print(f"Format {team.name} tahun {args.year} diekspor ke {out} ({len(content):,} byte)."
          .replace(",", "."))
    return EXIT_OK


def _run_import(args: argparse.Namespace) -> int:
    from kinerja_desktop.services import workbooks

    path = Path(args.file)
    # A dry run changes nothing: it runs beside an open window, without the writer lock.
    ctx = existing_ctx(args) if args.dry_run else \
        open_ctx(args, "mengimpor buku kerja (import-format)")
    try:
        if args.as_user:
            actor = _person_by_username(ctx, args.as_user)
        else:
            actor = workbooks.default_importer(ctx, path)
            if actor is None:
                raise CliError("Tim dalam berkas tidak dikenali atau tidak beranggota; gunakan "
                               "--as USERNAME.")
        report = workbooks.import_workbook(ctx, actor, path, dry_run=args.dry_run)
    finally:
        ctx.dispose()
    for line in report.lines():
        print(line)
    if not report.valid:
        print(f"Impor ditolak: {report.error_count} kesalahan.", file=sys.stderr)
        return EXIT_FAILURE
    if report.permission_problem and not args.dry_run:
        print(f"Impor ditolak: {report.permission_problem}", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK  # a dry run says whether the file is valid; who may apply it is a note


COMMANDS = {
    "export-format": Command(_export_args, _run_export),
    "import-format": Command(_import_args, _run_import),
}
