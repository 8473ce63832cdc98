"""Backups and restore of one data directory.

A backup is one ZIP file::

    manifest.json            what is inside: app version, schema revision, time, hashes,
                             and the checks the data passed before it was written
    kinerja.sqlite3          a consistent copy (SQLite backup API, or a server's rows),
                             attachment files included (they live in the database)
    lampiran/ab/ab12...      attachment files of an earlier version not yet moved into
                             the database (moved at the next start after a restore)

**Before a backup is written** the copy of the database must pass ``integrity_check``,
``foreign_key_check`` and a comparison of its schema with what the migrations create
(:mod:`kinerja_desktop.db.health`), and every attachment file must be whole: checked
in the database (size and SHA-256 of its pieces), or beside it for an earlier version's.
A damaged database is never backed up as if it were good: the manual backup is refused
with a message naming the newest good backup; the automatic
one makes nothing and deletes nothing (:func:`auto_backup`). The ZIP is read back
(every entry's CRC) before it gets its final name, so every backup in the folder was
verified when it was made; the manifest says so (``checks``).

**Retention** (:func:`apply_retention`) of the automatic backups: the newest of each of
the last 7 days with a backup, of the last 4 weeks and of the last 12 months; the newest
verified backup is never deleted; a backup made when a cycle closes
(``penutupan-siklus-…``) is never deleted automatically.

**Restore** (checking a backup before anything changes, then swapping the files) is
:mod:`kinerja_desktop.services.restore`; a swap cut short is finished on the next start
(:func:`finish_interrupted_restore`, here, because every start calls it).

Working files never leave the data folder (a copy of the database holds password
hashes): backups stage in ``.cadangan-*``, checks in ``.periksa-*``, restores in
``.pemulihan-*`` / ``.lama-*``; a run that was killed leaves them (and its half-written
ZIP, wherever it was going) to :func:`remove_leftovers` at the next start. Locks: a
restore holds the writer lock and the swap lock; a backup shares the swap lock
(:mod:`kinerja_desktop.locking`). SQLite specifics are in the functions named
``_sqlite_*``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kinerja_desktop import APP_ID, __version__, locking
from kinerja_desktop.db import health as db_health
from kinerja_desktop.db import migrate
from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.paths import DataDir
from kinerja_desktop.system_messages import describe_os_error

MANIFEST = "manifest.json"
DATABASE = "kinerja.sqlite3"
ATTACHMENTS = "lampiran"
FORMAT = "kinerja-desktop-cadangan"
FORMAT_VERSION = 1
SUFFIX = ".zip"

#: Backups kept per kind by count (before restore, before migration).
DEFAULT_KEEP = 10
AUTO_PREFIX = "otomatis-"
CLOSING_PREFIX = "penutupan-siklus-"
BEFORE_RESTORE_PREFIX = "sebelum-pemulihan-"
BEFORE_MIGRATION_PREFIX = "sebelum-migrasi-"

#: Retention of the automatic backups: distinct days, ISO weeks and months with a backup.
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12

#: Limits against a ZIP bomb or a file that is not ours.
MAX_ENTRIES = 200_000
MAX_MANIFEST_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024**3
#: One attachment (evidence, an SK scan) is at most this large, whatever a file claims.
MAX_ATTACHMENT_BYTES = 256 * 1024 * 1024
#: Uncompressed / compressed, for entries above RATIO_FLOOR. Attachments are stored
#: (PDF, JPEG do not compress); the database deflates a few times, never a thousand.
MAX_RATIO_DATABASE = 200
MAX_RATIO_ATTACHMENT = 20
RATIO_FLOOR = 1024 * 1024
#: Free space kept on the disk beyond what a restore unpacks.
DISK_MARGIN = 64 * 1024 * 1024
CHUNK = 1024 * 1024

CHECKS_PASSED = {"integrity_check": "ok", "foreign_key_check": "ok", "skema": "ok",
                 "lampiran": "ok"}

_ATTACHMENT_NAME = re.compile(r"^lampiran/([0-9a-f]{2})/([0-9a-f]{64})$")
_STAMP = re.compile(r"(\d{8}-\d{6})")
_RESTORE_MARKER = "pemulihan-berjalan.json"
_DB_SIDE_FILES = ("-wal", "-shm", "-journal")
_BACKUP_STAGING = ".cadangan-"
_CHECK_STAGING = ".periksa-"
_RESTORE_STAGING = ".pemulihan-"
_RESTORE_OLD = ".lama-"
_DESTINATION_NOTE = "tujuan.json"

#: progress(done_bytes, total_bytes)
Progress = Callable[[int, int], None]


class BackupError(ValidationError):
    """A backup that cannot be made or a file that cannot be restored (Indonesian)."""


class DamagedDataError(BackupError):
    """The data is damaged: no backup was made (``problems`` lists what was found)."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = list(problems)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    app_version: str
    schema_revision: str
    created_at: datetime
    attachment_count: int
    total_bytes: int
    #: the data passed every check when the backup was made (manifest ``checks``)
    verified: bool = False


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo
    #: the data that was there before (None when the folder held no database)
    previous_data_backup: Path | None
    #: entries of the backup that nothing in its database refers to (not unpacked)
    skipped_entries: int = 0


@dataclass(frozen=True)
class AutoBackupResult:
    """What the start-up backup did. ``problems`` non-empty: damaged data, nothing made."""

    made: Path | None
    problems: tuple[str, ...] = ()
    newest_good: Path | None = None
    removed: tuple[Path, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems


def _as_data_dir(source: object) -> DataDir:
    if isinstance(source, DataDir):
        return source
    data_dir = getattr(source, "data_dir", None)  # a ServiceContext
    if isinstance(data_dir, DataDir):
        return data_dir
    return DataDir(Path(source))  # type: ignore[arg-type]


def _stamp(now: datetime) -> str:
    return now.astimezone().strftime("%Y%m%d-%H%M%S")


def _attachment_path(data_dir: DataDir, sha256: str) -> Path:
    return data_dir.attachments / sha256[:2] / sha256


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- SQLite specifics


def _backend_of(source: object, data_dir: DataDir):
    """(backend, owned): a ServiceContext's backend, else the data folder's SQLite file."""
    backend = getattr(source, "backend", None)
    if backend is not None:
        return backend, False
    from kinerja_desktop.db.backends.sqlite import SqliteBackend

    return SqliteBackend(data_dir.database), True


def _snapshot(backend, data_dir: DataDir, target: Path) -> str | None:
    """A consistent copy of the live database as an SQLite file (the backend's snapshot:
    SQLite's backup API, or a server's rows); its schema revision."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        backend.write_snapshot(target)
        return migrate.stored_revision(target)
    except OSError as exc:
        raise BackupError(f"Cadangan tidak dapat dibuat: salinan basis data tidak dapat "
                          f"ditulis. {describe_os_error(exc, exc.filename or target)}") from exc
    except (sqlite3.Error, SQLAlchemyError) as exc:
        raise _snapshot_failure(backend, data_dir, target, exc) from exc
    except migrate.DatabaseError as exc:
        problems = (db_health.check_sqlite_file(target).problems if target.exists() else []) \
            or [str(exc)]
        raise DamagedDataError(_damage_message(data_dir, problems), problems) from exc


#: What SQLite says when the copy could not be made for a reason other than damage: the
#: disk is full, the database is locked by a writer, the folder may not be written.
_NOT_DAMAGE = ("database or disk is full", "database is locked", "database table is locked",
               "readonly database", "unable to open database file")


def _snapshot_failure(backend, data_dir: DataDir, target: Path,
                      exc: Exception) -> BackupError:
    """A snapshot that failed, as one Indonesian line: a full disk or a locked database
    is no damage (the message names the file), a server that cannot be read says so, and
    only the rest refuses the backup as damaged data."""
    import logging

    from kinerja_desktop.system_messages import describe_database_error

    logging.getLogger("kinerja_desktop.backup").warning("Salinan basis data gagal: %s", exc)
    text = str(getattr(exc, "orig", None) or exc).lower()
    if any(needle in text for needle in _NOT_DAMAGE):
        where = target if "full" in text or "readonly" in text or "unable" in text \
            else backend.location
        return BackupError(f"Cadangan tidak dapat dibuat: "
                           f"{describe_database_error(exc, where) or exc}")
    if backend.is_server and not isinstance(getattr(exc, "orig", exc), sqlite3.Error):
        return BackupError(f"Cadangan tidak dapat dibuat: basis data di server {backend.location} "
                           "tidak dapat dibaca saat ini. Periksa jaringan dan server, lalu "
                           "coba lagi; rinciannya ada di log.")
    problem = "Basis data tidak dapat disalin: " + (
        describe_database_error(exc) or "kesalahan basis data (rinciannya ada di log)")
    return DamagedDataError(_damage_message(data_dir, [problem]), [problem])


def _sqlite_file_contents(database: Path, data_dir: DataDir | None = None
                          ) -> tuple[list[str], dict[str, int], int]:
    """The attachment files of a database file: (problems, files kept beside it, count).

    Since revision 0002 a file's content lives in the database (``stored_file_chunks``):
    it is checked there, piece by piece, against its size and hash. A file recorded
    without content in the database is one of an earlier version's files beside it
    (``lampiran/ab/<sha256>``): with ``data_dir`` it must be there with its size (it goes
    into the backup beside the database); without, it is returned for the caller to find
    (a backup being restored). Messages as :func:`services.files.verify_stored_files`.
    """
    import hashlib as _hashlib

    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    problems: list[str] = []
    beside: dict[str, int] = {}
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        with_content = "stored_file_chunks" in tables
        names = "name" if with_content else "''"
        rows = conn.execute(f"SELECT sha256, size, {names} FROM stored_files ORDER BY sha256"
                            ).fetchall()
        for sha, size, name in rows:
            label = f"{name} ({sha})" if name else sha
            digest = _hashlib.sha256()
            length = 0
            if with_content:
                for (data,) in conn.execute("SELECT data FROM stored_file_chunks WHERE sha256 = ? "
                                            "ORDER BY position", (sha,)):
                    data = data if isinstance(data, bytes) else str(data).encode("utf-8")
                    digest.update(data)
                    length += len(data)
            if length == 0:
                if data_dir is None:
                    beside[sha] = int(size)
                    continue
                path = _attachment_path(data_dir, sha)
                if path.is_file() and path.stat().st_size == size:
                    beside[sha] = int(size)
                elif path.is_file():
                    problems.append(f"Berkas lampiran rusak (ukuran {path.stat().st_size} bita, "
                                    f"tercatat {size}): {label}")
                else:
                    problems.append(f"Berkas lampiran hilang: {label}")
            elif length != size:
                problems.append(f"Berkas lampiran rusak (ukuran {length} bita, tercatat "
                                f"{size}): {label}")
            elif digest.hexdigest() != sha:
                problems.append(f"Berkas lampiran rusak (hash tidak cocok): {label}")
    finally:
        conn.close()
    return problems, beside, len(rows)


def _sqlite_account_state(database: Path, actor_id: int | None) -> tuple[int, str | None]:
    """(number of accounts, name of ``actor_id`` if an active administrator, else None)."""
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        count = conn.execute("SELECT count(*) FROM people").fetchone()[0]
        if actor_id is None:
            return count, None
        row = conn.execute(
            "SELECT p.name FROM people p JOIN person_roles r ON r.person_id = p.id "
            "WHERE p.id = ? AND p.active AND r.role = 'administrator'", (actor_id,)).fetchone()
        return count, row[0] if row else None
    finally:
        conn.close()


def _sqlite_append_audit(database: Path, at: datetime, actor: str, action: str,
                         after: dict) -> None:
    """One audit entry written straight into a database file (after a restore)."""
    stamp = at.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    conn = sqlite3.connect(database, timeout=10)
    try:
        with conn:
            conn.execute(
                "INSERT INTO audit_log (at, person_id, actor, action, entity, entity_id, "
                "before, after) VALUES (?, NULL, ?, ?, 'data', NULL, NULL, ?)",
                (stamp, actor[:200], action, json.dumps(after, ensure_ascii=False)))
    finally:
        conn.close()


def person_id_of(source: object, username: str) -> int | None:
    """The id of the account ``username`` in the data folder's database (read only)."""
    data_dir = _as_data_dir(source)
    if not data_dir.database.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{data_dir.database}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT id FROM people WHERE username = ?",
                               (username.strip().lower(),)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


# --------------------------------------------------------------------------- working folders


class _Staging:
    """A working folder inside the data folder, claimed while this process uses it."""

    def __init__(self, data_dir: DataDir, prefix: str) -> None:
        data_dir.root.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(dir=data_dir.root, prefix=prefix))
        self._claim = locking.Claim(self.path)

    def note_destination(self, tmp: Path) -> None:
        """Remember the half-written file outside, for the next start to remove."""
        (self.path / _DESTINATION_NOTE).write_text(json.dumps({"sementara": str(tmp)}),
                                                   encoding="utf-8")

    def close(self) -> None:
        self._claim.release()
        shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self) -> _Staging:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def remove_leftovers(source: object, *, restores: bool = False) -> list[Path]:
    """Remove what killed runs left: staging folders (with the database copies in them),
    the half-written backup ZIP each recorded, and (``restores``, only while holding the
    writer lock) the staging folders of a restore that stopped before its swap."""
    data_dir = _as_data_dir(source)
    removed: list[Path] = []
    if not data_dir.root.is_dir():
        return removed
    for path in data_dir.root.iterdir():
        if not path.is_dir():
            continue
        if path.name.startswith((_BACKUP_STAGING, _CHECK_STAGING)):
            if not locking.abandoned(path):
                continue
            note = path / _DESTINATION_NOTE
            try:
                half = Path(json.loads(note.read_text(encoding="utf-8"))["sementara"])
                if half.name.endswith(".tmp") and half.exists():
                    half.unlink()
                    removed.append(half)
            except (OSError, ValueError, KeyError, TypeError):
                pass
        elif not (restores and path.name.startswith((_RESTORE_STAGING, _RESTORE_OLD))):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


# --------------------------------------------------------------------------- backup


def backup(source: object, out: Path, *, progress: Progress | None = None,
           now: datetime | None = None, kind: str = "manual") -> BackupInfo:
    """Write a backup of ``source`` (a ServiceContext, DataDir or folder) to ``out``.

    Refuses (:class:`DamagedDataError`) when the database or an attachment is damaged.
    The ZIP is written next to ``out`` under a temporary name, read back, and renamed at
    the end, so ``out`` is never half written. Safe while the program uses the database.
    """
    data_dir = _as_data_dir(source)
    out = Path(out)
    backend, owned = _backend_of(source, data_dir)
    if not backend.is_server and not data_dir.database.exists():
        raise BackupError(f"Tidak ada basis data untuk dicadangkan di {data_dir.root}.")
    try:
        return _backup(backend, data_dir, out, progress, now or datetime.now(UTC), kind)
    finally:
        if owned:
            backend.dispose()


def _backup(backend, data_dir: DataDir, out: Path, progress: Progress | None,
            created: datetime, kind: str) -> BackupInfo:
    remove_leftovers(data_dir)
    with locking.swapping(data_dir, shared=True), _Staging(data_dir, _BACKUP_STAGING) as staging:
        db_copy = staging.path / DATABASE
        revision = _snapshot(backend, data_dir, db_copy)
        if revision is None:
            raise BackupError("Basis data masih kosong; belum ada yang perlu dicadangkan.")
        checked = db_health.check_sqlite_file(db_copy)
        problems = list(checked.problems)
        beside: dict[str, int] = {}
        stored = 0
        if not problems:  # the attachment files: in the database, or beside it (earlier)
            problems, beside, stored = _sqlite_file_contents(db_copy, data_dir)
        if problems:
            raise DamagedDataError(_damage_message(data_dir, problems), problems)
        sources = [(DATABASE, db_copy, None)] + [
            (f"{ATTACHMENTS}/{sha[:2]}/{sha}", _attachment_path(data_dir, sha), sha)
            for sha in sorted(beside)]
        total = sum(path.stat().st_size for _, path, _ in sources)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.",
                                            suffix=".tmp")
        except OSError as exc:
            raise BackupError(_write_failure(out, exc)) from exc
        tmp = Path(tmp_name)
        try:
            staging.note_destination(tmp)
            with os.fdopen(fd, "wb") as raw:
                with zipfile.ZipFile(raw, "w", allowZip64=True) as zf:
                    files = _write_entries(zf, sources, created, total, progress, data_dir)
                    manifest = {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "app": APP_ID,
                        "app_version": __version__,
                        "schema_revision": revision,
                        "created_at": created.astimezone(UTC).isoformat(),
                        "kind": kind,
                        "checks": CHECKS_PASSED,
                        # attachment files in all: inside the database and beside it
                        "attachments": stored,
                        "files": files,
                    }
                    zf.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False),
                                compress_type=zipfile.ZIP_DEFLATED)
                raw.flush()
                os.fsync(raw.fileno())
            _read_back(tmp, out)
            os.replace(tmp, out)
            _fsync_dir(out.parent)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise BackupError(_write_failure(out, exc)) from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return BackupInfo(out, __version__, revision, created, stored, total, True)


def _write_failure(out: Path, exc: OSError) -> str:
    return f"Cadangan tidak dapat ditulis ke {out}. {describe_os_error(exc, exc.filename or out)}"


def _write_entries(zf: zipfile.ZipFile, sources, created: datetime, total: int,
                   progress: Progress | None, data_dir: DataDir) -> dict[str, dict[str, object]]:
    """The entries (the manifest comes after); attachments hashed as they are copied."""
    done = 0
    files: dict[str, dict[str, object]] = {}
    for name, path, sha in sources:
        # The database compresses well; attachments (PDF, JPEG) do not.
        info = zipfile.ZipInfo(name, date_time=created.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED if sha is None else zipfile.ZIP_STORED
        info.file_size = path.stat().st_size
        digest = hashlib.sha256()
        with path.open("rb") as src, zf.open(info, "w", force_zip64=True) as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
        if sha is not None and digest.hexdigest() != sha:
            problem = f"Berkas lampiran rusak (hash tidak cocok): {sha}"
            raise DamagedDataError(_damage_message(data_dir, [problem]), [problem])
        files[name] = {"sha256": digest.hexdigest(), "size": info.file_size}
    return files


def _read_back(tmp: Path, out: Path) -> None:
    """Every entry's CRC and the manifest, read from the disk just written."""
    try:
        with zipfile.ZipFile(tmp) as zf:
            bad = zf.testzip()
            json.loads(zf.read(MANIFEST))
    except (zipfile.BadZipFile, zlib.error, ValueError, KeyError, EOFError) as exc:
        raise BackupError(f"Cadangan yang baru ditulis ke {out} tidak terbaca kembali "
                          f"({exc}); disk atau flashdisk tujuan mungkin bermasalah.") from None
    if bad is not None:
        raise BackupError(f"Cadangan yang baru ditulis ke {out} rusak pada {bad}; disk atau "
                          "flashdisk tujuan mungkin bermasalah. Coba tujuan lain.")


# --------------------------------------------------------------------------- good backups


def _stamp_of(path: Path) -> datetime | None:
    match = _STAMP.search(path.name)
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def read_manifest_checks(path: Path) -> dict | None:
    """The ``checks`` a backup's manifest records (None when unreadable or absent)."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(MANIFEST)
            if info.file_size > MAX_MANIFEST_BYTES:
                return None
            manifest = json.loads(zf.read(info))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, zlib.error, EOFError):
        return None
    checks = manifest.get("checks") if isinstance(manifest, dict) else None
    return checks if isinstance(checks, dict) else None


def is_verified(path: Path) -> bool:
    """Made by this version's checked backup, and its ZIP still reads."""
    return read_manifest_checks(path) == CHECKS_PASSED


def _own_backups(data_dir: DataDir) -> list[tuple[datetime, Path]]:
    if not data_dir.backups.is_dir():
        return []
    found = []
    for path in data_dir.backups.iterdir():
        if path.is_file() and path.suffix == SUFFIX and path.name.startswith(
                (AUTO_PREFIX, CLOSING_PREFIX, BEFORE_RESTORE_PREFIX)):
            when = _stamp_of(path)
            if when is not None:
                found.append((when, path))
    return sorted(found, reverse=True)


def newest_good_backup(source: object) -> Path | None:
    """The newest backup in the backup folder that was verified when it was made."""
    for _when, path in _own_backups(_as_data_dir(source)):
        if is_verified(path):
            return path
    return None


def restore_hint(source: object) -> str:
    """Which backup to restore and how, in one or two Indonesian sentences."""
    data_dir = _as_data_dir(source)
    good = newest_good_backup(data_dir)
    if good is None:
        return (f"Belum ada cadangan baik di {data_dir.backups}. Salin seluruh folder data "
                f"{data_dir.root} ke tempat lain sebelum mencoba memperbaikinya, lalu hubungi "
                "pengelola aplikasi.")
    when = _stamp_of(good)
    made = f" (dibuat {when:%d-%m-%Y %H.%M})" if when else ""
    return (f"Cadangan baik terbaru: {good}{made}. Untuk memulihkannya: Administrator memilih "
            f"Berkas ▸ Pulihkan… lalu berkas itu, atau menjalankan "
            f"kinerja-desktop restore \"{good}\" --as NAMA_PENGGUNA_ADMIN.")


def _damage_message(data_dir: DataDir, problems: list[str]) -> str:
    shown = "; ".join(problems[:3])
    more = f" (dan {len(problems) - 3} masalah lain)" if len(problems) > 3 else ""
    return (f"Data di {data_dir.root} rusak; cadangan tidak dibuat agar cadangan yang baik "
            f"tidak tergantikan. Ditemukan: {shown}{more}. {restore_hint(data_dir)} "
            "Rinciannya: kinerja-desktop check.")


# --------------------------------------------------------------------------- retention


def retained(stamps: Iterable[tuple[datetime, Path]], *, daily: int = KEEP_DAILY,
             weekly: int = KEEP_WEEKLY, monthly: int = KEEP_MONTHLY) -> set[Path]:
    """The backups a daily/weekly/monthly rotation keeps: the newest of each of the last
    ``daily`` days, ``weekly`` ISO weeks and ``monthly`` months that have a backup."""
    ordered = sorted(stamps, reverse=True)
    keep: set[Path] = set()
    for count, bucket in ((daily, lambda d: d.date()),
                          (weekly, lambda d: tuple(d.isocalendar())[:2]),
                          (monthly, lambda d: (d.year, d.month))):
        seen: set[object] = set()
        for when, path in ordered:
            key = bucket(when)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.add(key)
            keep.add(path)
    return keep


def apply_retention(source: object, *, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Delete the automatic backups the rotation no longer keeps (never the newest verified
    one, never a cycle-closing one) and the oldest before-restore and before-migration
    copies beyond ``keep``. Returns what was deleted."""
    data_dir = _as_data_dir(source)
    automatic = [(when, path) for when, path in _own_backups(data_dir)
                 if path.name.startswith(AUTO_PREFIX)]
    keep_paths = retained(automatic)
    good = newest_good_backup(data_dir)
    if good is not None:
        keep_paths.add(good)
    removed = []
    for _when, path in automatic:
        if path not in keep_paths:
            path.unlink(missing_ok=True)
            removed.append(path)
    removed += prune_backups(data_dir.backups, BEFORE_RESTORE_PREFIX, keep, protect=good)
    removed += prune_backups(data_dir.backups, BEFORE_MIGRATION_PREFIX, keep, protect=good)
    return removed


def prune_backups(backups_dir: Path, prefix: str, keep: int = DEFAULT_KEEP,
                  protect: Path | None = None) -> list[Path]:
    """Delete the oldest backups named ``prefix*`` beyond the newest ``keep``."""
    if not backups_dir.is_dir():
        return []
    found = sorted((p for p in backups_dir.iterdir() if p.name.startswith(prefix)
                    and not p.name.endswith(".tmp")), key=lambda p: (_stamp_of(p) or
                                                                      datetime.min, p.name))
    removed = found[:-keep] if keep > 0 else found
    for path in removed:
        if path == protect:
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return [p for p in removed if p != protect]


def auto_backup(source: object, *, keep: int = DEFAULT_KEEP,
                now: datetime | None = None) -> AutoBackupResult:
    """The start-up backup: at most one per (local) day, then the rotation.

    The database is checked at every start. When it (or an attachment) is damaged no
    backup is made and nothing is deleted; the result lists the problems and the newest
    good backup for the warning the window shows.
    """
    data_dir = _as_data_dir(source)
    finish_interrupted_restore(data_dir)
    remove_leftovers(data_dir)
    now = now or datetime.now(UTC)
    backend = getattr(source, "backend", None)
    if backend is not None and backend.is_server:
        if backend.stored_revision() is None:
            return AutoBackupResult(None, (), newest_good_backup(data_dir))
    elif not data_dir.database.exists() or migrate.stored_revision(data_dir.database) is None:
        return AutoBackupResult(None, (), newest_good_backup(data_dir))
    today = now.astimezone().strftime("%Y%m%d")
    data_dir.backups.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(data_dir.backups)
    if any(p.name.startswith(f"{AUTO_PREFIX}{today}") and p.suffix == SUFFIX
           for p in data_dir.backups.iterdir()):
        problems = [] if backend is not None and backend.is_server else live_problems(data_dir)
        return AutoBackupResult(None, tuple(problems), newest_good_backup(data_dir))
    out = data_dir.backups / f"{AUTO_PREFIX}{_stamp(now)}{SUFFIX}"
    try:
        backup(source if backend is not None else data_dir, out, now=now, kind="otomatis")
    except DamagedDataError as exc:
        return AutoBackupResult(None, tuple(exc.problems), newest_good_backup(data_dir))
    removed = apply_retention(data_dir, keep=keep)
    return AutoBackupResult(out, (), out, tuple(removed))


def live_problems(source: object) -> list[str]:
    """The checks a backup makes, on the live database (read only) and its attachments."""
    data_dir = _as_data_dir(source)
    checked = db_health.check_sqlite_file(data_dir.database)
    if not checked.ok:
        return list(checked.problems)
    try:
        return _sqlite_file_contents(data_dir.database, data_dir)[0]
    except sqlite3.Error as exc:
        return [f"Daftar lampiran tidak dapat dibaca: {exc}"]


def cycle_closing_backup(source: object, label: str, *,
                         now: datetime | None = None) -> BackupInfo:
    """The backup made when a cycle closes; the rotation never deletes it."""
    data_dir = _as_data_dir(source)
    now = now or datetime.now(UTC)
    safe = re.sub(r"[^0-9A-Za-z]+", "-", label).strip("-") or "siklus"
    out = data_dir.backups / f"{CLOSING_PREFIX}{safe}-{_stamp(now)}{SUFFIX}"
    return backup(source, out, now=now, kind="penutupan-siklus")


def _remove_stale_temporaries(folder: Path, older_than_s: float = 3600) -> None:
    """Half-written backups of a run that was killed (never a backup still being written)."""
    import time

    limit = time.time() - older_than_s
    for path in folder.glob(".*.tmp"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


def list_backups(source: object) -> list[Path]:
    """Backups in the data directory's backup folder, newest first."""
    data_dir = _as_data_dir(source)
    if not data_dir.backups.is_dir():
        return []
    found = [p for p in data_dir.backups.iterdir() if p.is_file() and p.suffix == SUFFIX]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


# --------------------------------------------------------------------------- checking


def finish_interrupted_restore(source: object) -> bool:
    """Complete a restore whose swap was cut short (idempotent). True if one was pending.

    The staged data was fully checked before the marker was written, so finishing
    forward is always right. Called by the restore itself
    (:func:`kinerja_desktop.services.restore.restore`) and at start-up; without a pending
    restore it removes what a killed backup or check left behind.
    """
    data_dir = _as_data_dir(source)
    marker = data_dir.root / _RESTORE_MARKER
    if not marker.exists():
        remove_leftovers(data_dir, restores=locking.held_writer(data_dir) is not None)
        return False
    try:
        plan = json.loads(marker.read_text(encoding="utf-8"))
        staging = data_dir.root / Path(plan["staging"]).name
        old = data_dir.root / Path(plan["old"]).name
    except (ValueError, KeyError, TypeError, OSError):
        marker.unlink(missing_ok=True)
        return False
    old.mkdir(exist_ok=True)
    db = data_dir.database
    if (staging / DATABASE).exists():
        # The WAL and shared-memory files belong to the old database: move them first.
        for suffix in (*_DB_SIDE_FILES, ""):
            current = db.with_name(db.name + suffix)
            if current.exists():
                os.replace(current, old / current.name)
        os.replace(staging / DATABASE, db)
    if (staging / ATTACHMENTS).exists():
        if data_dir.attachments.exists():
            shutil.rmtree(old / ATTACHMENTS, ignore_errors=True)
            os.replace(data_dir.attachments, old / ATTACHMENTS)
        os.replace(staging / ATTACHMENTS, data_dir.attachments)
    _fsync_dir(data_dir.root)
    marker.unlink()
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    return True


def default_backup_name(now: datetime | None = None) -> str:
    """A file name for a manual backup: ``kinerja-cadangan-20261124-0930.zip``."""
    now = now or datetime.now(UTC)
    return f"kinerja-cadangan-{now.astimezone().strftime('%Y%m%d-%H%M')}{SUFFIX}"
