"""Team workbooks at scale: export and import of 12 team workbooks × 50 items.

Run: ``python tests/benchmarks/bench_workbooks.py [--teams 12] [--indicators 50]``.
A demo office is built through step 3 in a temporary folder (not timed); then every
team's workbook is exported (timed), filled with openpyxl as a person would (not timed)
and imported by a team member (timed, each a full validation plus one transaction).
Target: the whole import (all teams) under 1 s on the development machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

TARGET_SECONDS = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=12)
    parser.add_argument("--indicators", type=int, default=50)
    args = parser.parse_args()

    import io

    from openpyxl import load_workbook

    from kinerja_desktop.services import accounts, cycles, demo, teams, workbooks
    from kinerja_desktop.services.startup import open_context
    from kinerja_desktop.spreadsheets import format_workbook as fw

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ctx = open_context(root / "data")
        started = time.perf_counter()
        demo.build_demo(ctx, teams=args.teams, indicators=args.indicators, through_step=3)
        print(f"Data contoh ({args.teams} tim × {args.indicators} indikator) dibuat dalam "
              f"{time.perf_counter() - started:.1f} s (tidak dihitung).")
        kasubag = next(p.id for p in accounts.list_people(ctx) if p.username == "kasubag")
        cycle = cycles.list_cycles(ctx)[0]
        team_list = teams.list_teams(ctx)

        export_times, files = [], []
        for team in team_list:
            t0 = time.perf_counter()
            content = workbooks.export_team_workbook(ctx, kasubag, cycle.id, team.id)
            export_times.append(time.perf_counter() - t0)
            book = load_workbook(io.BytesIO(content))
            ws = book[fw.SHEET_DATA]
            for k, row in enumerate(range(fw.FIRST_ROW, fw.FIRST_ROW + args.indicators)):
                ws.cell(row, 7).value = 40 + k % 60
                ws.cell(row, 8).value = 150_000_000
                ws.cell(row, 9).value = 120_500_000
                ws.cell(row, 10).value = f"Penjelasan indikator {k + 1}."
                ws.cell(row, 11).value = "Dukungan pendamping desa."
                ws.cell(row, 12).value = "Akses ke desa terpencil."
                ws.cell(row, 13).value = "Pendampingan intensif."
            path = root / fw.workbook_file_name(cycle.year, team.name)
            book.save(path)
            files.append((team, path, len(content)))

        import_times, changed = [], 0
        cpu0 = time.process_time()
        for team, path, _size in files:
            member = team.members[-1].person_id
            t0 = time.perf_counter()
            report = workbooks.import_workbook(ctx, member, path)
            import_times.append(time.perf_counter() - t0)
            if not report.ok:
                print("\n".join(report.lines()))
                return 1
            changed += report.items_changed
        import_cpu = time.process_time() - cpu0
        ctx.dispose()

    total_import = sum(import_times)
    print(f"Ekspor: {len(files)} berkas, total {sum(export_times):.3f} s, median "
          f"{statistics.median(export_times) * 1000:.0f} ms/berkas, ukuran median "
          f"{statistics.median(s for _t, _p, s in files) / 1024:.0f} KB")
    print(f"Impor : {len(files)} berkas, {changed} butir disimpan, total {total_import:.3f} s, "
          f"median {statistics.median(import_times) * 1000:.0f} ms/berkas, "
          f"maks {max(import_times) * 1000:.0f} ms; waktu CPU proses {import_cpu:.3f} s")
    load = _load_average()
    if load is not None:
        print(f"Beban mesin (load average 1 menit): {load:.2f} pada {_cpus()} CPU")
    verdict = "TERCAPAI" if total_import < TARGET_SECONDS else "TIDAK TERCAPAI"
    print(f"Target impor seluruh berkas < {TARGET_SECONDS:.0f} s: {verdict}")
    return 0 if total_import < TARGET_SECONDS else 1


def _load_average() -> float | None:
    import os

    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    raise SystemExit(main())
