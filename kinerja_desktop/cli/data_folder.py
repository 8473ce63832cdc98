"""``demo`` and ``check``: fill the data folder with an example office, or examine it."""

from __future__ import annotations

import argparse
import sys

from kinerja_desktop.cli.base import (
    EXIT_FAILURE,
    EXIT_OK,
    CliError,
    Command,
    data_root,
    database_url,
    existing_ctx,
    open_ctx,
    writer_lock,
)
from kinerja_desktop.domain.errors import KinerjaError


def _demo_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, default=None, metavar="TAHUN",
                   help="tahun data (bawaan: tahun lalu)")
    p.add_argument("--teams", type=int, default=None, metavar="N",
                   help="jumlah tim (bawaan: bidang DPMD)")
    p.add_argument("--indicators", type=int, default=None, metavar="M",
                   help="jumlah indikator per tim (untuk uji skala)")
    p.add_argument("--through-step", type=int, default=7, choices=range(0, 8), metavar="K",
                   help="jalankan siklus sampai langkah K selesai (0–7, bawaan 7)")


def _run_demo(args: argparse.Namespace) -> int:
    from kinerja_desktop.services import demo

    ctx = open_ctx(args, "mengisi data contoh (demo)")
    try:
        summary = demo.build_demo(ctx, year=args.year, teams=args.teams,
                                  indicators=args.indicators, through_step=args.through_step)
    finally:
        ctx.dispose()
    print(summary)
    return EXIT_OK


def _check_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--repair", action="store_true",
                   help="pindahkan berkas lampiran yatim ke folder karantina (tercatat di log "
                        "audit); basis data yang rusak tidak diubah")


def _run_check(args: argparse.Namespace) -> int:
    from kinerja_desktop.services import integrity

    root = data_root(args)
    if database_url(args):  # a server: its own checks and the records
        if args.repair:
            raise CliError("--repair hanya untuk folder data SQLite (lampiran dalam folder).")
        ctx = existing_ctx(args)
        try:
            return _print_report(integrity.run_checks(ctx))
        finally:
            ctx.dispose()
    lock = writer_lock(args, "memperbaiki data (check --repair)") if args.repair else None
    try:
        report = integrity.check_data_folder(root)
        if args.repair and report.orphans:
            report = _repair(args, report)
    finally:
        if lock is not None:
            lock.release()
    return _print_report(report)


def _print_report(report) -> int:
    for note in report.notes:
        print(f"  {note}")
    for moved in report.quarantined:
        print(f"DIPINDAHKAN ke karantina: {moved}")
    for problem in report.problems:
        print(f"MASALAH: {problem}")
    if report.ok:
        print("Pemeriksaan selesai: tidak ada masalah.")
        return EXIT_OK
    print(f"Pemeriksaan selesai: {len(report.problems)} masalah ditemukan.", file=sys.stderr)
    return EXIT_FAILURE


def _repair(args: argparse.Namespace, report):
    from kinerja_desktop.services import integrity
    from kinerja_desktop.services.startup import open_existing_context

    root = data_root(args)
    try:
        ctx = open_existing_context(root)
    except Exception as exc:  # noqa: BLE001 - a damaged database: report, never crash
        report.problems.append(f"Perbaikan tidak dijalankan: basis data tidak dapat dibuka "
                               f"({exc}).")
        return report
    try:
        moved = integrity.quarantine_orphans(ctx)
    except KinerjaError as exc:
        report.problems.append(str(exc))
        return report
    finally:
        ctx.dispose()
    fresh = integrity.check_data_folder(root)
    fresh.quarantined = moved
    return fresh


COMMANDS = {
    "demo": Command(_demo_args, _run_demo),
    "check": Command(_check_args, _run_check),
}
