"""Integrity and consistency checks (``kinerja-desktop check [--repair]``).

:func:`check_data_folder` never raises for damaged data: it lists what it found. First
the database file itself (:mod:`kinerja_desktop.db.health`: integrity, foreign keys, the
schema the migrations make, a broken table definition), then, only if the file is sound,
the consistency of the records (:func:`run_checks`), then the attachments folder
(missing, damaged and orphaned files) and the state of restores and backups.

``--repair`` (:func:`quarantine_orphans`) moves orphaned attachment files, which nothing
in the database refers to, into ``karantina/<time>/``, and writes the audit log; it
refuses to touch anything while the database itself is damaged.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from kinerja_desktop.db import health as db_health
from kinerja_desktop.db import migrate
from kinerja_desktop.db.models import (
    Cycle,
    Evidence,
    FormatItem,
    StepRun,
    StoredFile,
    Submission,
)
from kinerja_desktop.domain.errors import ConflictError
from kinerja_desktop.domain.review import ItemState
from kinerja_desktop.paths import DataDir
from kinerja_desktop.services.common import audit
from kinerja_desktop.services.context import ServiceContext
from kinerja_desktop.services.files import legacy_files, verify_stored_files

#: Orphans listed one by one at most; the rest are counted.
MAX_LISTED = 50
REPAIR_HINT = "Jalankan 'kinerja-desktop check --repair' untuk memindahkannya ke karantina."


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: attachment files nothing refers to (and copies cut short), relative to the data folder
    orphans: list[Path] = field(default_factory=list)
    #: files moved to quarantine by --repair
    quarantined: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --------------------------------------------------------------------------- the whole folder


def check_data_folder(root: Path, *, clock: Callable[[], datetime] | None = None
                      ) -> CheckReport:
    """Everything ``check`` reports, for a data folder whose database may be damaged."""
    data_dir = DataDir(Path(root))
    report = CheckReport()
    if not data_dir.database.exists():
        report.problems.append(f"Basis data tidak ditemukan di {data_dir.root}. Buka aplikasi "
                               "atau jalankan 'demo' terlebih dahulu.")
        return report
    checked = db_health.check_sqlite_file(data_dir.database)
    report.problems.extend(checked.problems)
    sound = checked.ok
    if sound:
        report.notes.append("PRAGMA integrity_check: ok")
        report.notes.append("PRAGMA foreign_key_check: ok")
        report.notes.append("Skema sama dengan yang dibuat migrasi (tabel, kolom, indeks, "
                            "pemicu).")
    revision = checked.revision
    if revision is not None and revision not in migrate.KNOWN_REVISIONS:
        report.problems.append(f"Basis data ini dibuat oleh versi Kinerja Desktop yang lebih "
                               f"baru (revisi skema {revision}); perbarui aplikasi.")
        sound = False
    elif sound and revision != migrate.HEAD_REVISION:
        report.notes.append(f"Skema basis data (revisi {revision}) belum diperbarui; buka "
                            "aplikasi sekali untuk memperbaruinya.")
        sound = False
    if sound:
        from kinerja_desktop.db.backends.sqlite import SqliteBackend

        ctx = ServiceContext(data_dir, SqliteBackend(data_dir.database), clock)
        try:
            _record_checks(ctx, report)
        except Exception as exc:  # noqa: BLE001 - a damaged record is a finding, not a crash
            from kinerja_desktop.system_messages import describe_failure

            report.problems.append("Pemeriksaan catatan terhenti: "
                                   f"{describe_failure(exc, data_dir.database) or exc}")
        finally:
            ctx.dispose()
    _file_checks(data_dir, report, sound=checked.ok)
    _check_safety(data_dir, report)
    return report


def run_checks(ctx: ServiceContext) -> CheckReport:
    """The checks of an open database: for the SQLite file everything
    :func:`check_data_folder` does; for a server its engine's own checks and the records."""
    if not ctx.backend.is_server:
        return check_data_folder(ctx.data_dir.root, clock=ctx.clock)
    report = CheckReport()
    try:
        with ctx.engine.connect() as conn:
            engine_checks = ctx.backend.integrity_checks(conn)
        report.problems.extend(engine_checks.problems)
        report.notes.extend(engine_checks.notes)
        _record_checks(ctx, report)
        with ctx.read() as session:  # the attachment files live in the database
            stored = verify_stored_files(session)
            report.problems.extend(stored.problems)
            report.notes.append(f"Lampiran diperiksa: {stored.checked}")
    except Exception as exc:  # noqa: BLE001 - a finding, not a crash
        from kinerja_desktop.system_messages import describe_failure

        report.problems.append("Pemeriksaan terhenti: "
                               f"{describe_failure(exc, ctx.backend.location) or exc}")
    legacy = legacy_files(ctx.data_dir.attachments)
    if legacy:
        report.notes.append(f"Folder lampiran lama berisi {len(legacy)} berkas milik data SQLite "
                            "komputer ini; tidak dipakai oleh server.")
    _check_safety(ctx.data_dir, report)
    return report


# --------------------------------------------------------------------------- records


def _record_checks(ctx: ServiceContext, report: CheckReport) -> None:
    with ctx.read() as session:
        known = set(session.scalars(select(StoredFile.sha256)))
        for run in session.scalars(select(StepRun)):
            where = f"siklus {run.cycle_id} langkah {run.step_number}" + \
                (f" tim {run.team_id}" if run.team_id else "")
            if run.started_at and run.ready_at and run.started_at < run.ready_at:
                report.problems.append(f"{where}: dimulai sebelum siap")
            if run.finished_at and run.started_at and run.finished_at < run.started_at:
                report.problems.append(f"{where}: selesai sebelum dimulai (jam komputer "
                                       "pernah mundur?)")
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
        for ev in session.scalars(select(Evidence)):
            if ev.sha256 not in known:
                report.problems.append(f"Bukti dukung {ev.original_name}: berkas tidak tercatat")


# --------------------------------------------------------------------------- files


def find_orphans(data_dir: DataDir, known: set[str]) -> list[Path]:
    """Files in an earlier version's ``lampiran/`` that nothing refers to, and copies cut
    short (``.masuk-*``). Since attachments live in the database nothing new lands there."""
    found: list[Path] = []
    if not data_dir.attachments.is_dir():
        return found
    for path in sorted(data_dir.attachments.rglob("*")):
        if path.is_file() and path.name not in known:
            found.append(path)
    return found


def _stored_hashes(data_dir: DataDir) -> set[str] | None:
    try:
        conn = sqlite3.connect(f"file:{data_dir.database}?mode=ro", uri=True)
        try:
            return {r[0] for r in conn.execute("SELECT sha256 FROM stored_files")}
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def _file_checks(data_dir: DataDir, report: CheckReport, *, sound: bool) -> None:
    """Every attachment file whole (in the database, or an earlier version's beside it);
    orphans only from a sound database (a damaged one may have lost the rows)."""
    from kinerja_desktop.services.backup import _sqlite_file_contents

    try:
        problems, beside, count = _sqlite_file_contents(data_dir.database, data_dir)
    except sqlite3.Error as exc:
        report.notes.append(f"Lampiran tidak diperiksa: daftar lampiran di basis data tidak "
                            f"dapat dibaca ({exc}).")
        return
    report.problems.extend(problems)
    report.notes.append(f"Lampiran diperiksa: {count}")
    if beside:
        report.notes.append(f"Folder lampiran lama berisi {len(beside)} berkas yang belum "
                            "dipindahkan ke basis data; buka aplikasi sekali untuk "
                            "memindahkannya.")
    known = _stored_hashes(data_dir) if sound else None
    if known is None:
        return
    _report_orphans(data_dir, report, find_orphans(data_dir, known))


def _report_orphans(data_dir: DataDir, report: CheckReport, orphans: list[Path]) -> None:
    report.orphans = orphans
    for path in orphans[:MAX_LISTED]:
        kind = "salinan lampiran yang terputus" if path.name.startswith(".masuk-") else \
            "berkas lampiran yatim (tidak tercatat)"
        report.problems.append(f"{kind[:1].upper()}{kind[1:]}: "
                               f"{path.relative_to(data_dir.root)}")
    if len(orphans) > MAX_LISTED:
        report.problems.append(f"… dan {len(orphans) - MAX_LISTED} berkas yatim lainnya.")
    if orphans:
        report.notes.append(REPAIR_HINT)


def _check_safety(data_dir: DataDir, report: CheckReport) -> None:
    """Restore state and backups: an unfinished restore, the newest (good) backup."""
    from kinerja_desktop.services import backup

    if (data_dir.root / "pemulihan-berjalan.json").exists():
        report.problems.append("Pemulihan dari cadangan belum selesai; buka aplikasi sekali "
                               "untuk menuntaskannya.")
    found = backup.list_backups(data_dir)
    if found:
        newest = datetime.fromtimestamp(found[0].stat().st_mtime)
        report.notes.append(f"Cadangan terbaru: {found[0].name} "
                            f"({newest:%Y-%m-%d %H:%M}); {len(found)} cadangan di "
                            f"{data_dir.backups}")
        good = backup.newest_good_backup(data_dir)
        report.notes.append(f"Cadangan baik terbaru (diperiksa saat dibuat): {good.name}"
                            if good else "Belum ada cadangan yang diperiksa saat dibuat.")
    else:
        report.notes.append("Belum ada cadangan di folder cadangan.")
    if report.problems:
        report.notes.append(backup.restore_hint(data_dir))


# --------------------------------------------------------------------------- repair


def quarantine_orphans(ctx: ServiceContext, actor_name: str = "perintah check --repair"
                       ) -> list[Path]:
    """Move the orphaned attachment files to ``karantina/<time>/`` (audited).

    Refused while the database itself is damaged: which files are orphans is only known
    from a sound database. Needs the writer lock (no attachment is being added). Returns
    the new places of the moved files.
    """
    data_dir = ctx.data_dir
    checked = db_health.check_sqlite_file(data_dir.database)
    if not checked.ok:
        raise ConflictError("Perbaikan tidak dijalankan: basis data sendiri rusak. Pulihkan "
                            "dahulu dari cadangan yang baik.")
    moved: list[Path] = []
    with ctx.transaction() as session:
        known = set(session.scalars(select(StoredFile.sha256)))
        orphans = find_orphans(data_dir, known)
        if not orphans:
            return moved
        stamp = ctx.now().astimezone().strftime("%Y%m%d-%H%M%S")
        folder = data_dir.quarantine / stamp
        pairs: list[tuple[Path, Path]] = []
        try:
            for path in orphans:
                target = folder / path.relative_to(data_dir.root)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
                pairs.append((path, target))
            audit(session, ctx.now(), None, "lampiran.karantina", "stored_file", None,
                  after={"folder": str(folder),
                         "berkas": [str(t.relative_to(folder)) for _, t in pairs]},
                  actor_name=actor_name)
            session.flush()
        except BaseException:
            for source, target in reversed(pairs):  # nothing moved without its audit entry
                os.replace(target, source)
            raise
        moved = [t for _, t in pairs]
    return moved
