"""``demo`` and ``check``: fill the data folder with an example office, or examine it."""

from __future__ import annotations

import argparse
import sys

from kinerja_desktop.cli.base import (
    EXIT_FAILURE,
    EXIT_OK,
    Command,
    existing_ctx,
    no_arguments,
    open_ctx,
)


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

    ctx = open_ctx(args)
    try:
        summary = demo.build_demo(ctx, year=args.year, teams=args.teams,
                                  indicators=args.indicators, through_step=args.through_step)
    finally:
        ctx.dispose()
    print(summary)
    return EXIT_OK


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




COMMANDS = {
    "demo": Command(_demo_args, _run_demo),
    "check": Command(no_arguments, _run_check),
}
