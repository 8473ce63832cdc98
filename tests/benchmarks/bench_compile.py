"""Benchmark: compile the Dokumen Data Kinerja for 12 teams × 300 indicators.

A script, not a collected test:

    /work/venv/bin/python tests/benchmarks/bench_compile.py [--keep DIR]

The data is built once (the demo's office, people, teams and objectives through the
services, then 3 600 indicators with their format items, entries, reviews and
submissions by bulk insert: the service-by-service demo needs minutes at this size).
Then the whole command ``kinerja-desktop report --year Y --out F.pdf`` runs as a child
process and its wall time and peak memory (max RSS) are printed, followed by the
in-process phases (gather data, render, archive). Target: under 2 s and under 250 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

TEAMS = 12
INDICATORS = 300
YEAR = 2025


def build(root: Path) -> None:
    from sqlalchemy import insert, select

    from kinerja_desktop.db.models import (
        FormatItem,
        Indicator,
        IndicatorTarget,
        ItemEntry,
        ItemReview,
        Objective,
        StepRun,
        Submission,
        Team,
    )
    from kinerja_desktop.services import accounts, cycles, demo
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(root)
    demo.build_demo(ctx, year=YEAR, teams=TEAMS, indicators=1, through_step=0)
    people = {p.username: p.id for p in accounts.list_people(ctx)}
    sekretaris, kasubag = people["sekretaris"], people["kasubag"]
    cycle = cycles.start_cycle(ctx, sekretaris, YEAR, "800/12/Itprov/I/2026",
                               ctx.now().date() - timedelta(days=30),
                               "Inspektur Provinsi Sulawesi Selatan")
    cycles.finish_step(ctx, sekretaris, cycle.id, 1)
    plan = demo._team_plan(TEAMS, INDICATORS)
    rng = random.Random(7)
    now = ctx.now()
    with ctx.transaction() as session:
        team_ids = list(session.scalars(select(Team.id).order_by(Team.id)))
        objective_ids = list(session.scalars(select(Objective.id).order_by(Objective.id)))
        members = {}
        for team_id in team_ids:
            members[team_id] = next(p.id for p in accounts.list_people(ctx)
                                    if team_id in p.team_ids)
        indicator_rows, target_rows = [], []
        next_id = (session.scalar(select(Indicator.id).order_by(Indicator.id.desc())) or 0) + 1
        item_rows, entry_rows, review_rows, run_rows, sub_rows = [], [], [], [], []
        item_id = 1
        for t, (team_id, (_name, _bidang, _people, inds)) in enumerate(
                zip(team_ids, plan, strict=True)):
            snapshot_items = []
            for k, ind in enumerate(inds):
                ind_id = next_id
                next_id += 1
                indicator_rows.append(dict(
                    id=ind_id, objective_id=objective_ids[ind.objective], code=f"IK{ind_id}",
                    name=ind.name, unit=ind.unit, polarity=ind.polarity.value,
                    formula="realisasi/target" if ind.polarity.value == "positif"
                    else "(2×target−realisasi)/target",
                    qualitative=False, data_source=ind.source, team_id=team_id,
                    renstra_target=ind.renstra, renstra_target_text="", renstra_year=YEAR + 1,
                    position=k, active=True))
                target_rows.append(dict(indicator_id=ind_id, year=YEAR, target=ind.target,
                                        target_text=""))
                actual = round((ind.target or 0) * rng.choice((0.78, 0.86, 0.93, 1.0, 1.1)), 2)
                budget = float(rng.choice((75, 120, 150, 210)) * 1_000_000)
                item_rows.append(dict(id=item_id, cycle_id=cycle.id, indicator_id=ind_id,
                                      team_id=team_id, position=k, target=ind.target,
                                      target_text="", budget=budget))
                entry_rows.append(dict(
                    item_id=item_id, actual=actual, actual_text="", budget=budget,
                    spent=round(budget * rng.uniform(0.82, 0.99), -3),
                    explanation=demo.EXPLANATIONS[k % 3], supporting=demo.SUPPORTING[k % 3],
                    inhibiting=demo.INHIBITING[k % 3], follow_up=demo.FOLLOW_UP[k % 3],
                    manual_achievement=None, manual_justification="", state="diverifikasi",
                    updated_at=now, updated_by_id=members[team_id]))
                review_rows.append(dict(item_id=item_id, at=now, person_id=members[team_id],
                                        action="diserahkan", comment="Versi 1"))
                if k == 1:
                    review_rows.append(dict(item_id=item_id, at=now, person_id=kasubag,
                                            action="dikembalikan",
                                            comment="Mohon lengkapi rekapitulasi <kecamatan>."))
                review_rows.append(dict(item_id=item_id, at=now, person_id=kasubag,
                                        action="diverifikasi", comment=""))
                snapshot_items.append({"item_id": item_id, "indicator": ind.name})
                item_id += 1
            sub_rows.append(dict(cycle_id=cycle.id, team_id=team_id, version=1,
                                 submitted_at=now, submitted_by_id=members[team_id],
                                 snapshot={"items": snapshot_items},
                                 snapshot_sha256=f"{t:064d}", evidence_count=0))
            for step in (3, 4, 5, 6):
                run_rows.append(dict(cycle_id=cycle.id, step_number=step, team_id=team_id,
                                     ready_at=now, started_at=now, finished_at=now,
                                     started_by_id=kasubag, finished_by_id=kasubag, note=""))
        run_rows.append(dict(cycle_id=cycle.id, step_number=2, team_id=None, ready_at=now,
                             started_at=now, finished_at=now, started_by_id=kasubag,
                             finished_by_id=kasubag, note=""))
        run_rows.append(dict(cycle_id=cycle.id, step_number=7, team_id=None, ready_at=now,
                             note=""))
        session.execute(insert(Indicator), indicator_rows)
        session.execute(insert(IndicatorTarget), target_rows)
        session.execute(insert(FormatItem), item_rows)
        session.execute(insert(ItemEntry), entry_rows)
        session.execute(insert(ItemReview), review_rows)
        session.execute(insert(Submission), sub_rows)
        session.query(StepRun).filter(StepRun.cycle_id == cycle.id,
                                      StepRun.step_number == 2).delete()
        session.execute(insert(StepRun), run_rows)
    ctx.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="DIR", help="build (or reuse) the data in DIR")
    args = parser.parse_args()
    tmp = None
    if args.keep:
        root = Path(args.keep)
    else:
        tmp = tempfile.mkdtemp(prefix="bench-compile-")
        root = Path(tmp) / "data"
    try:
        if not (root / "kinerja.sqlite3").exists():
            started = time.perf_counter()
            build(root)
            print(f"data dibangun: {TEAMS} tim × {INDICATORS} indikator "
                  f"dalam {time.perf_counter() - started:.1f} s")
        out = root.parent / "dokumen-data-kinerja.pdf"
        for run in (1, 2):
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
            started = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "kinerja_desktop", "--data-dir", str(root), "report",
                 "--year", str(YEAR), "--out", str(out)], capture_output=True, text=True)
            wall = time.perf_counter() - started
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
            if proc.returncode != 0:
                print(proc.stderr)
                return 1
            note = "" if peak > before else " (puncak sama dengan proses sebelumnya)"
            print(f"proses utuh 'report' ke-{run}: {wall:.2f} s (CPU {cpu:.2f} s), "
                  f"memori puncak {peak / 1024:.0f} MB{note}, "
                  f"{out.stat().st_size / 1024:.0f} KB")
        print(f"beban mesin (loadavg 1 menit): {os.getloadavg()[0]:.2f} pada {os.cpu_count()} inti")
        from pypdf import PdfReader

        print(f"halaman: {len(PdfReader(str(out)).pages)}")
        phases(root)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def phases(root: Path) -> None:
    """The same work in process, phase by phase (and the archiving of step 7)."""
    started = time.perf_counter()
    from kinerja_desktop.reports.compiled_report import render_compiled_report
    from kinerja_desktop.services import accounts, cycles, documents
    from kinerja_desktop.services.document_data.compiled_report import compiled_report_data
    from kinerja_desktop.services.startup import open_context

    ctx = open_context(root)
    opened = time.perf_counter()
    cycle = cycles.find_cycle(ctx, YEAR)
    data = compiled_report_data(ctx, cycle.id)
    gathered = time.perf_counter()
    pdf = render_compiled_report(data)
    rendered = time.perf_counter()
    kasubag = next(p.id for p in accounts.list_people(ctx) if p.username == "kasubag")
    documents.compile_and_close(ctx, kasubag, cycle.id)  # step 7: final, archived, closed
    archived = time.perf_counter()
    reprint = documents.compiled_report_pdf(ctx, cycle.id)  # the archived bytes
    reprinted = time.perf_counter()
    other = documents.compiled_report_pdf(ctx, cycle.id, "F4")  # the record on F4
    relaid = time.perf_counter()
    ctx.dispose()
    print(f"dalam proses: impor+buka {opened - started:.2f} s, data "
          f"{gathered - opened:.2f} s ({len(data.items)} indikator), render draf "
          f"{rendered - gathered:.2f} s ({len(pdf) / 1024:.0f} KB), kompilasi+arsip+tutup "
          f"{archived - rendered:.2f} s, cetak ulang arsip {reprinted - archived:.2f} s "
          f"({len(reprint) / 1024:.0f} KB), kertas F4 {relaid - reprinted:.2f} s "
          f"({len(other) / 1024:.0f} KB)")


if __name__ == "__main__":
    raise SystemExit(main())
