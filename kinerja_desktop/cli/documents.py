"""CLI subcommands for printed documents: ``report``, ``sop-sheet``, ``sop-monitoring``,
``receipt`` and ``verification-record``. Each printing command takes ``--paper A4|F4``;
without it the document is laid out on the office's paper (Pengaturan ▸ Kantor).
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


def paper_argument(p: argparse.ArgumentParser,
                   default_text: str = "pengaturan kertas kantor") -> None:
    """``--paper A4|F4`` (default: the office's paper setting)."""
    p.add_argument("--paper", choices=("A4", "F4"), type=str.upper, default=None,
                   metavar="A4|F4",
                   help=f"ukuran kertas A4 atau F4 (bawaan: {default_text})")


def _team_id(ctx, name: str) -> int:
    """The id of the team called ``name`` (exactly as in Data ▸ Tim)."""
    from kinerja_desktop.services import teams

    every = teams.list_teams(ctx, include_inactive=True)
    team = next((t for t in every if t.name == name), None)
    if team is None:
        names = ", ".join(t.name for t in every) or "-"
        raise CliError(f"Tim '{name}' tidak ditemukan. Tim yang ada: {names}.")
    return team.id


def _report_args(p: argparse.ArgumentParser) -> None:
    _cycle_args(p)
    p.add_argument("--out", required=True, metavar="BERKAS",
                   help="berkas keluaran .pdf (atau .xlsx untuk buku kerja Excel)")
    paper_argument(p, "kertas arsip untuk tahun yang ditutup, selain itu pengaturan "
                      "kertas kantor")


def _write(path: Path, data: bytes) -> None:
    from kinerja_desktop.atomic import write_chosen_file

    write_chosen_file(path, data)
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
    paper_argument(p)


def _run_sop_sheet(args: argparse.Namespace) -> int:
    path = out_path(args.out, (".pdf",))
    ctx = open_ctx(args)
    try:
        from kinerja_desktop.services import documents

        data = documents.sop_sheet_pdf(ctx, paper=args.paper)
    finally:
        ctx.dispose()
    _write(path, data)
    return EXIT_OK


def _date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' bukan tanggal TTTT-BB-HH (misalnya 2026-07-10)") from None


def _monitoring_args(p: argparse.ArgumentParser) -> None:
    _cycle_args(p)
    p.add_argument("--out", required=True, metavar="BERKAS", help="berkas keluaran .pdf")
    p.add_argument("--date", type=_date, default=None, metavar="TTTT-BB-HH",
                   help="tanggal monitoring (disimpan; bawaan: yang sudah ditetapkan, atau "
                        "hari ini)")
    p.add_argument("--semester", choices=("I", "II"), type=str.upper, default=None,
                   metavar="I|II", help="semester monitoring (bawaan: semester tanggalnya)")
    paper_argument(p)


def _run_monitoring(args: argparse.Namespace) -> int:
    path = out_path(args.out, (".pdf",))
    ctx = open_ctx(args)
    try:
        from kinerja_desktop.services import cycles, documents, monitoring

        cycle = cycles.find_cycle(ctx, args.year, args.quarter)
        semester = args.semester
        if args.date is not None:
            chosen = monitoring.choose_monitoring(ctx, None, cycle.id, args.date, args.semester)
            semester = chosen.semester
        data = documents.monitoring_pdf(ctx, cycle.id, paper=args.paper, semester=semester)
    finally:
        ctx.dispose()
    _write(path, data)
    return EXIT_OK


def _receipt_args(p: argparse.ArgumentParser) -> None:
    _cycle_args(p)
    p.add_argument("--team", required=True, metavar="NAMA",
                   help="nama tim (persis seperti di Data ▸ Tim)")
    p.add_argument("--version", type=int, default=None, metavar="N",
                   help="versi penyerahan (bawaan: versi terakhir)")
    p.add_argument("--out", required=True, metavar="BERKAS", help="berkas keluaran .pdf")
    paper_argument(p)


def _run_receipt(args: argparse.Namespace) -> int:
    path = out_path(args.out, (".pdf",))
    ctx = open_ctx(args)
    try:
        from kinerja_desktop.services import cycles, documents, submissions

        cycle = cycles.find_cycle(ctx, args.year, args.quarter)
        team_id = _team_id(ctx, args.team)
        subs = submissions.list_submissions(ctx, cycle.id, team_id)
        if not subs:
            raise CliError(f"{args.team} belum menyerahkan data {cycle.label.lower()}.")
        if args.version is None:
            chosen = subs[-1]
        else:
            chosen = next((sub for sub in subs if sub.version == args.version), None)
            if chosen is None:
                versions = ", ".join(str(sub.version) for sub in subs)
                raise CliError(f"Penyerahan versi {args.version} dari {args.team} tidak ada; "
                               f"versi yang ada: {versions}.")
        data = documents.receipt_pdf(ctx, chosen.id, paper=args.paper)
    finally:
        ctx.dispose()
    _write(path, data)
    return EXIT_OK


def _verification_args(p: argparse.ArgumentParser) -> None:
    _cycle_args(p)
    p.add_argument("--team", default=None, metavar="NAMA",
                   help="hanya satu tim (bawaan: semua tim)")
    p.add_argument("--out", required=True, metavar="BERKAS", help="berkas keluaran .pdf")
    paper_argument(p)


def _run_verification(args: argparse.Namespace) -> int:
    path = out_path(args.out, (".pdf",))
    ctx = open_ctx(args)
    try:
        from kinerja_desktop.services import cycles, documents

        cycle = cycles.find_cycle(ctx, args.year, args.quarter)
        team_id = _team_id(ctx, args.team) if args.team is not None else None
        data = documents.verification_record_pdf(ctx, cycle.id, team_id, paper=args.paper)
    finally:
        ctx.dispose()
    _write(path, data)
    return EXIT_OK


COMMANDS = {
    "report": Command(_report_args, _run_report),
    "sop-sheet": Command(_sop_args, _run_sop_sheet),
    "sop-monitoring": Command(_monitoring_args, _run_monitoring),
    "receipt": Command(_receipt_args, _run_receipt),
    "verification-record": Command(_verification_args, _run_verification),
}
