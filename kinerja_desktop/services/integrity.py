"""Integrity and consistency checks (``kinerja-desktop check``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from kinerja_desktop.db.models import (
    Cycle,
    Evidence,
    FormatItem,
    StepRun,
    StoredFile,
    Submission,
)
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.services.context import ServiceContext
from kinerja_desktop.services.files import legacy_files, verify_stored_files


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def run_checks(ctx: ServiceContext) -> CheckReport:
    report = CheckReport()
    with ctx.engine.connect() as conn:
        engine_checks = ctx.backend.integrity_checks(conn)
    report.problems.extend(engine_checks.problems)
    report.notes.extend(engine_checks.notes)

    with ctx.read() as session:
        stored = verify_stored_files(session)
        report.problems.extend(stored.problems)
        report.notes.append(f"Lampiran diperiksa: {stored.checked}")
        legacy = legacy_files(ctx.data_dir.attachments)
        if legacy:
            report.notes.append(f"Folder lampiran lama berisi {len(legacy)} berkas yang belum "
                                "dipindahkan ke basis data; buka aplikasi sekali untuk "
                                "memindahkannya.")

        for run in session.scalars(select(StepRun)):
            where = f"siklus {run.cycle_id} langkah {run.step_number}" + \
                (f" tim {run.team_id}" if run.team_id else "")
            if run.started_at and run.ready_at and run.started_at < run.ready_at:
                report.problems.append(f"{where}: dimulai sebelum siap")
            if run.finished_at and run.started_at and run.finished_at < run.started_at:
                report.problems.append(f"{where}: selesai sebelum dimulai")
            if run.finished_at and not run.started_at:
                report.problems.append(f"{where}: selesai tanpa waktu mulai")
            if 3 <= run.step_number <= 6 and run.team_id is None:
                report.problems.append(f"{where}: langkah per tim tanpa tim")
        for cycle in session.scalars(select(Cycle)):
            runs = {(r.step_number, r.team_id): r for r in cycle.step_runs}
            if cycle.status == "selesai":
                seven = runs.get((7, None))
                if seven is None or seven.finished_at is None:
                    report.problems.append(f"Siklus {cycle.year}: selesai tetapi langkah 7 belum")
            for number, team_id in runs:
                if number > 1:
                    prev_key = (number - 1, team_id if number - 1 >= 3 else None)
                    if number == 3:
                        prev_key = (2, None)
                    if number == 7:
                        continue
                    prev = runs.get(prev_key)
                    if prev is None or prev.finished_at is None:
                        report.problems.append(
                            f"Siklus {cycle.year}: langkah {number} siap padahal langkah "
                            f"{number - 1} belum selesai")
        for item in session.scalars(select(FormatItem)):
            state = item.entry.state if item.entry else ItemState.DRAFT.value
            if state not in {s.value for s in ItemState}:
                report.problems.append(f"Butir {item.id}: status tidak dikenal '{state}'")
            if state in (ItemState.SUBMITTED, ItemState.VERIFIED) and item.team_id is not None:
                has_sub = session.scalar(select(Submission.id).where(
                    Submission.cycle_id == item.cycle_id, Submission.team_id == item.team_id
                ).limit(1))
                if has_sub is None:
                    report.problems.append(f"Butir {item.id}: berstatus {state} tanpa penyerahan")
        known = set(session.scalars(select(StoredFile.sha256)))
        for ev in session.scalars(select(Evidence)):
            if ev.sha256 not in known:
                report.problems.append(f"Bukti dukung {ev.original_name}: berkas tidak tercatat")
    _check_safety(ctx, report)
    return report


def _check_safety(ctx: ServiceContext, report: CheckReport) -> None:
    """Restore state and backups (issue 7): an unfinished restore, the newest backup."""
    from datetime import datetime

    from kinerja_desktop.services import backup

    root = ctx.data_dir.root
    if (root / "pemulihan-berjalan.json").exists():
        report.problems.append("Pemulihan dari cadangan belum selesai; buka aplikasi sekali "
                               "untuk menuntaskannya.")
    leftovers = [p.name for p in ctx.data_dir.attachments.glob(".masuk-*")] \
        if ctx.data_dir.attachments.exists() else []
    if leftovers:
        report.notes.append(f"Sisa salinan lampiran yang terputus (aman dihapus): "
                            f"{len(leftovers)} berkas")
    found = backup.list_backups(ctx.data_dir)
    if found:
        newest = datetime.fromtimestamp(found[0].stat().st_mtime)
        report.notes.append(f"Cadangan terbaru: {found[0].name} "
                            f"({newest:%Y-%m-%d %H:%M}); {len(found)} cadangan di "
                            f"{ctx.data_dir.backups}")
    else:
        report.notes.append("Belum ada cadangan di folder cadangan.")
