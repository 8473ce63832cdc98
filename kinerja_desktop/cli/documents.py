"""CLI subcommands for printed documents: ``report``, ``sop-sheet``, ``sop-monitoring``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kinerja_desktop.cli.base import EXIT_OK, CliError, Command, open_ctx, out_path

WORKBOOK_MODULE = "kinerja_desktop.spreadsheets.compiled_workbook"


def _cycle_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, required=True, metavar="TAHUN",
                   help="tahun siklus pengumpulan")
    p.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), default=None,
                   help="triwulan (untuk siklus triwulanan)")


def _report_args(p: argparse.ArgumentParser) -> None:
    _cycle_args(p)
    p.add_argument("--out", required=True, metavar="BERKAS",
                   help="berkas keluaran .pdf (atau .xlsx untuk buku kerja Excel)")
    p.add_argument("--paper", choices=("A4", "F4"), default=None, metavar="A4|F4",
                   help="ukuran kertas (bawaan: kertas arsip untuk tahun yang ditutup, "
                        "selain itu pengaturan kantor)")


def _write(path: Path, data: bytes) -> None:
    from kinerja_desktop.atomic import atomic_write_bytes

    atomic_write_bytes(path, data)
    print(f"Tersimpan: {path} ({len(data):,} byte)".replace(",", "."))


def _run_report(args: argparse.Namespace) -> int:
    path = out_path(args.out, (".pdf", ".xlsx"))
    ctx = open_ctx(args)
    try:
        from kinerja_desktop.services import cycles, documents

        cycle = cycles.find_cycle(ctx, args.year, args.quarter)
        if path.suffix.lower() == ".xlsx":
            import importlib

            try:
                module = importlib.import_module(WORKBOOK_MODULE)
            except ModuleNotFoundError as exc:
                if exc.name != WORKBOOK_MODULE:
                    raise
                raise CliError("Ekspor Excel Dokumen Data Kinerja belum tersedia pada versi "
                               "ini; gunakan berkas .pdf.") from None
            data = module.render_compiled_workbook(
                documents.compiled_report_content(ctx, cycle.id, args.paper))
        else:
            # A closed year: the archived document; before closing: a DRAF.
            data = documents.compiled_report_pdf(ctx, cycle.id, args.paper)
    finally:
        ctx.dispose()
    _write(path, data)
    return EXIT_OK


def _sop_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, metavar="BERKAS", help="berkas keluaran .pdf")


def _run_sop_sheet(args: argparse.Namespace) -> int:
    path = out_path(args.out, (".pdf",))
    ctx = open_ctx(args)
    try:
        from kinerja_desktop.services import documents

        data = documents.sop_sheet_pdf(ctx)
    finally:
        ctx.dispose()
    _write(path, data)
    return EXIT_OK


def _monitoring_args(p: argparse.ArgumentParser) -> None:
    _cycle_args(p)
    p.add_argument("--out", required=True, metavar="BERKAS", help="berkas keluaran .pdf")


def _run_monitoring(args: argparse.Namespace) -> int:
    path = out_path(args.out, (".pdf",))
    ctx = open_ctx(args)
    try:
        from kinerja_desktop.services import cycles, documents

        cycle = cycles.find_cycle(ctx, args.year, args.quarter)
        data = documents.monitoring_pdf(ctx, cycle.id)
    finally:
        ctx.dispose()
    _write(path, data)
    return EXIT_OK


COMMANDS = {
    "report": Command(_report_args, _run_report),
    "sop-sheet": Command(_sop_args, _run_sop_sheet),
    "sop-monitoring": Command(_monitoring_args, _run_monitoring),
}
