"""Backups and restore of one data directory.

A backup is one ZIP file::

    manifest.json            what is inside: app version, schema revision, time, hashes
    kinerja.sqlite3          a consistent copy (SQLite backup API, or a server's rows),
                             attachment files included (they live in the database)
    lampiran/ab/ab12...      attachment files of an earlier version not yet moved into
                             the database (moved at the next start after a restore)

Restore checks everything before touching the data directory (the ZIP itself, its size
against a ZIP bomb, the manifest, every hash, PRAGMA integrity_check, the schema
revision, the tables), saves the current data as a backup, then swaps the files in with
renames. A restore interrupted by a power cut is finished on the next start
(:func:`finish_interrupted_restore`), because the staged data was already checked.
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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from kinerja_desktop import APP_ID, __version__
from kinerja_desktop.db import migrate
from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.paths import DataDir

MANIFEST = "manifest.json"
DATABASE = "kinerja.sqlite3"
ATTACHMENTS = "lampiran"
FORMAT = "kinerja-desktop-cadangan"
FORMAT_VERSION = 1
SUFFIX = ".zip"

#: Backups kept per kind (automatic, before restore, before migration).
DEFAULT_KEEP = 10
AUTO_PREFIX = "otomatis-"
BEFORE_RESTORE_PREFIX = "sebelum-pemulihan-"
BEFORE_MIGRATION_PREFIX = "sebelum-migrasi-"

#: Limits against a ZIP bomb or a file that is not ours.
MAX_ENTRIES = 200_000
MAX_MANIFEST_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024**3
MAX_RATIO = 1000  # uncompressed / compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
CHUNK = 1024 * 1024

_ATTACHMENT_NAME = re.compile(r"^lampiran/([0-9a-f]{2})/([0-9a-f]{64})$")
_RESTORE_MARKER = "pemulihan-berjalan.json"
_DB_SIDE_FILES = ("-wal", "-shm", "-journal")

#: progress(done_bytes, total_bytes)
Progress = Callable[[int, int], None]


class BackupError(ValidationError):
    """A backup that cannot be made or a file that cannot be restored (Indonesian)."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    app_version: str
    schema_revision: str
    created_at: datetime
    attachment_count: int
    total_bytes: int


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo
    #: the data that was there before (None when the folder held no database)
    previous_data_backup: Path | None


def _as_data_dir(source: object) -> DataDir:
    if isinstance(source, DataDir):
        return source
    data_dir = getattr(source, "data_dir", None)  # a ServiceContext
    if isinstance(data_dir, DataDir):
        return data_dir
    return DataDir(Path(source))  # type: ignore[arg-type]


def _stamp(now: datetime) -> str:
    return now.astimezone().strftime("%Y%m%d-%H%M%S")


def _attachment_files(data_dir: DataDir) -> list[Path]:
    if not data_dir.attachments.is_dir():
        return []
    files = []
    for folder in sorted(data_dir.attachments.iterdir()):
        if not folder.is_dir() or not re.fullmatch(r"[0-9a-f]{2}", folder.name):
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file() and re.fullmatch(r"[0-9a-f]{64}", path.name):
                files.append(path)
    return files


# --------------------------------------------------------------------------- backup


def backup(source: object, out: Path, *, progress: Progress | None = None,
           now: datetime | None = None) -> BackupInfo:
    """Write a backup of ``source`` (a ServiceContext, DataDir or folder) to ``out``.

    The ZIP is written next to ``out`` under a temporary name and renamed at the end,
    so ``out`` is never half written. Safe while the program uses the database.
    """
    data_dir = _as_data_dir(source)
    out = Path(out)
    backend = getattr(source, "backend", None)  # a ServiceContext knows where its data lives
    if backend is None:
        from kinerja_desktop.db.backends.sqlite import SqliteBackend

        backend = SqliteBackend(data_dir.database)
    if not backend.is_server and not data_dir.database.exists():
        raise BackupError(f"Tidak ada basis data untuk dicadangkan di {data_dir.root}.")
    created = now or datetime.now(UTC)
    attachments = _attachment_files(data_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kinerja-cadangan-") as tmp:
        db_copy = Path(tmp) / DATABASE
        try:
            backend.write_snapshot(db_copy)
            revision = migrate.stored_revision(db_copy)
        except (sqlite3.Error, SQLAlchemyError) as exc:
            raise BackupError(f"Basis data tidak dapat disalin: {exc}") from exc
        except migrate.DatabaseError as exc:
            raise BackupError(str(exc)) from exc
        if revision is None:
            raise BackupError("Basis data masih kosong; belum ada yang perlu dicadangkan.")
        stored = _stored_file_count(db_copy)
        sources = [(DATABASE, db_copy)] + [
            (f"{ATTACHMENTS}/{p.parent.name}/{p.name}", p) for p in attachments
        ]
        total = sum(path.stat().st_size for _, path in sources)
        fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        done = 0
        files: dict[str, dict[str, object]] = {}
        try:
            with os.fdopen(fd, "wb") as raw:
                with zipfile.ZipFile(raw, "w", allowZip64=True) as zf:
                    for name, path in sources:
                        # The database compresses well; attachments (PDF, JPEG) do not.
                        method = zipfile.ZIP_DEFLATED if name == DATABASE else zipfile.ZIP_STORED
                        info = zipfile.ZipInfo(name, date_time=created.timetuple()[:6])
                        info.compress_type = method
                        info.file_size = path.stat().st_size
                        digest = hashlib.sha256()
                        with path.open("rb") as src, zf.open(info, "w", force_zip64=True) as dst:
                            while chunk := src.read(CHUNK):
                                digest.update(chunk)
                                dst.write(chunk)
                                done += len(chunk)
                                if progress:
                                    progress(done, total)
                        files[name] = {"sha256": digest.hexdigest(), "size": info.file_size}
                    manifest = {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "app": APP_ID,
                        "app_version": __version__,
                        "schema_revision": revision,
                        "created_at": created.astimezone(UTC).isoformat(),
                        # attachment files in all: inside the database and beside it
                        "attachments": stored + len(attachments),
                        "files": files,
                    }
                    zf.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False),
                                compress_type=zipfile.ZIP_DEFLATED)
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(tmp_name, out)
        except OSError as exc:
            Path(tmp_name).unlink(missing_ok=True)
            raise BackupError(
                f"Cadangan tidak dapat ditulis ke {out}: {exc.strerror or exc}") from exc
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
    return BackupInfo(out, __version__, revision, created, stored + len(attachments), total)


def _stored_file_count(database: Path) -> int:
    """Attachment files kept inside a database copy (none before they moved there)."""
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "stored_file_chunks" not in tables:
            return 0
        return conn.execute("SELECT count(*) FROM stored_files").fetchone()[0]
    finally:
        conn.close()


def prune_backups(backups_dir: Path, prefix: str, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Delete the oldest backups named ``prefix*`` beyond the newest ``keep``."""
    if not backups_dir.is_dir():
        return []
    found = sorted(p for p in backups_dir.iterdir() if p.is_file() and p.name.startswith(prefix)
                   and not p.name.endswith(".tmp"))
    removed = found[:-keep] if keep > 0 else found
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def auto_backup(source: object, *, keep: int = DEFAULT_KEEP,
                now: datetime | None = None) -> Path | None:
    """The start-up backup: at most one per (local) day, keeping the last ``keep``.

    Returns the new file, or None when today's backup exists or there is no data yet.
    Older pre-migration copies are trimmed to ``keep`` as well.
    """
    data_dir = _as_data_dir(source)
    finish_interrupted_restore(data_dir)
    now = now or datetime.now(UTC)
    backend = getattr(source, "backend", None)
    if backend is not None and backend.is_server:
        if backend.stored_revision() is None:
            return None
    elif not data_dir.database.exists() or migrate.stored_revision(data_dir.database) is None:
        return None
    today = now.astimezone().strftime("%Y%m%d")
    data_dir.backups.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(data_dir.backups)
    if any(p.name.startswith(f"{AUTO_PREFIX}{today}") and p.suffix == SUFFIX
           for p in data_dir.backups.iterdir()):
        return None
    out = data_dir.backups / f"{AUTO_PREFIX}{_stamp(now)}{SUFFIX}"
    backup(source if backend is not None else data_dir, out, now=now)
    prune_backups(data_dir.backups, AUTO_PREFIX, keep)
    prune_backups(data_dir.backups, BEFORE_MIGRATION_PREFIX, keep)
    return out


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


def _refuse(name: str, reason: str) -> BackupError:
    return BackupError(f"Berkas {name} tidak dapat dipulihkan: {reason} Data tidak diubah.")


def _read_manifest(zf: zipfile.ZipFile, name: str) -> dict:
    try:
        info = zf.getinfo(MANIFEST)
    except KeyError:
        raise _refuse(name, "bukan cadangan Kinerja Desktop (manifest tidak ada).") from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise _refuse(name, "manifest terlalu besar.")
    try:
        manifest = json.loads(zf.read(info).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _refuse(name, "manifest bukan JSON yang sah.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT \
            or manifest.get("app") != APP_ID:
        raise _refuse(name, "bukan cadangan Kinerja Desktop.")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise _refuse(name, "versi format cadangan tidak sah.")
    revision = manifest.get("schema_revision")
    if not isinstance(revision, str):
        raise _refuse(name, "revisi skema tidak tercatat di manifest.")
    if version > FORMAT_VERSION or revision not in migrate.KNOWN_REVISIONS:
        raise _refuse(name, f"cadangan ini dibuat oleh versi Kinerja Desktop yang lebih baru "
                            f"(versi {manifest.get('app_version', '?')}, revisi skema "
                            f"{revision}). Perbarui aplikasi terlebih dahulu.")
    files = manifest.get("files")
    if not isinstance(files, dict) or DATABASE not in files:
        raise _refuse(name, "daftar berkas di manifest tidak lengkap.")
    for entry, meta in files.items():
        if not isinstance(meta, dict) or not isinstance(meta.get("sha256"), str) \
                or not isinstance(meta.get("size"), int):
            raise _refuse(name, f"keterangan berkas {entry} di manifest tidak sah.")
    return manifest


def _check_entries(zf: zipfile.ZipFile, name: str, manifest: dict) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _refuse(name, "terlalu banyak berkas di dalam arsip.")
    seen: set[str] = set()
    total = 0
    for info in infos:
        entry = info.filename
        if entry in seen:
            raise _refuse(name, f"berkas {entry} tercantum dua kali.")
        seen.add(entry)
        if entry == MANIFEST:
            continue
        if entry != DATABASE and not _ATTACHMENT_NAME.match(entry):
            raise _refuse(name, f"berisi berkas yang tidak dikenal ({entry[:80]}).")
        if info.flag_bits & 0x1:
            raise _refuse(name, "arsip terenkripsi.")
        meta = manifest["files"].get(entry)
        if meta is None or meta["size"] != info.file_size:
            raise _refuse(name, f"berkas {entry} tidak sesuai dengan manifest.")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(name, f"rasio kompresi {entry} tidak wajar (kemungkinan bom ZIP).")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise _refuse(name, "isi arsip terlalu besar.")
    missing = set(manifest["files"]) - seen
    if missing:
        raise _refuse(name, f"{len(missing)} berkas yang tercatat di manifest tidak ada "
                            f"(misalnya {sorted(missing)[0]}).")


def _check_space(staging: Path, name: str, manifest: dict) -> None:
    """The restored data (and the copy of today's data) must fit on the disk."""
    needed = sum(meta["size"] for meta in manifest["files"].values())
    free = shutil.disk_usage(staging).free
    if needed * 2 + 64 * 1024 * 1024 > free:
        raise _refuse(name, f"ruang disk tidak cukup (perlu sekitar "
                            f"{needed * 2 / 1048576:.0f} MB, tersedia {free / 1048576:.0f} MB).")


def _check_database(path: Path, name: str, revision: str) -> None:
    try:
        stored = migrate.stored_revision(path)
    except migrate.DatabaseError as exc:
        raise _refuse(name, f"basis data di dalamnya tidak sah ({exc})") from None
    if stored != revision:
        raise _refuse(name, f"revisi skema basis data ({stored}) berbeda dari manifest.")
    try:
        migrate.check_not_newer(stored)
    except migrate.NewerDatabaseError:
        raise _refuse(name, "basis data dibuat oleh versi Kinerja Desktop yang lebih baru.") \
            from None
    conn = sqlite3.connect(path)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            raise _refuse(name, f"basis data rusak (integrity_check: {rows[0]}).")
        if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise _refuse(name, "basis data memuat kunci asing yang rusak.")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if revision == migrate.HEAD_REVISION:
            from kinerja_desktop.db.models import Base

            missing = set(Base.metadata.tables) - tables
            if missing:
                raise _refuse(name, f"bukan basis data Kinerja Desktop (tabel "
                                    f"{', '.join(sorted(missing)[:3])} tidak ada).")
        # Leave a plain file behind: no -wal/-shm that could be mistaken for ours.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError as exc:
        raise _refuse(name, f"basis data rusak ({exc}).") from None
    finally:
        conn.close()


def _extract(zf: zipfile.ZipFile, name: str, manifest: dict, staging: Path,
             progress: Progress | None) -> int:
    total = sum(meta["size"] for meta in manifest["files"].values())
    done = 0
    for entry, meta in manifest["files"].items():
        target = staging / entry
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        written = 0
        with zf.open(entry) as src, target.open("wb") as dst:
            while chunk := src.read(CHUNK):
                written += len(chunk)
                if written > meta["size"]:
                    raise _refuse(name, f"berkas {entry} lebih besar dari yang tercatat.")
                digest.update(chunk)
                dst.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
            dst.flush()
            os.fsync(dst.fileno())
        if written != meta["size"] or digest.hexdigest() != meta["sha256"]:
            raise _refuse(name, f"berkas {entry} rusak (hash tidak cocok).")
        match = _ATTACHMENT_NAME.match(entry)
        if match and (match.group(2) != meta["sha256"] or match.group(1) != meta["sha256"][:2]):
            raise _refuse(name, f"lampiran {entry} tidak sesuai dengan isinya.")
    return total


def _open_zip(file: Path) -> zipfile.ZipFile:
    name = file.name
    if not file.is_file():
        raise BackupError(f"Berkas {file} tidak ditemukan. Data tidak diubah.")
    try:
        return zipfile.ZipFile(file)
    except zipfile.BadZipFile:
        raise _refuse(name, "bukan berkas cadangan Kinerja Desktop atau berkasnya terpotong "
                            "(bukan arsip ZIP yang utuh).") from None
    except (OSError, ValueError) as exc:
        raise _refuse(name, f"berkas tidak dapat dibaca ({exc}).") from None


def _info_of(file: Path, manifest: dict) -> BackupInfo:
    try:
        created = datetime.fromisoformat(str(manifest.get("created_at")))
    except ValueError:
        raise _refuse(file.name, "waktu pembuatan di manifest tidak sah.") from None
    attachments = sum(1 for entry in manifest["files"] if entry != DATABASE)
    if isinstance(manifest.get("attachments"), int) and manifest["attachments"] >= attachments:
        attachments = manifest["attachments"]
    total = sum(meta["size"] for meta in manifest["files"].values())
    return BackupInfo(file, str(manifest.get("app_version", "?")), manifest["schema_revision"],
                      created, attachments, total)


def inspect_backup(file: Path) -> BackupInfo:
    """Read and check the ZIP and its manifest (quick: nothing is extracted)."""
    file = Path(file)
    with _open_zip(file) as zf:
        try:
            manifest = _read_manifest(zf, file.name)
            _check_entries(zf, file.name, manifest)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
            raise _refuse(file.name, f"arsip rusak ({exc}).") from None
    return _info_of(file, manifest)


def verify_backup(file: Path, *, progress: Progress | None = None) -> BackupInfo:
    """The full check restore makes, without changing anything."""
    file = Path(file)
    with tempfile.TemporaryDirectory(prefix="kinerja-periksa-") as tmp:
        return _stage(file, Path(tmp), progress)


def _stage(file: Path, staging: Path, progress: Progress | None) -> BackupInfo:
    with _open_zip(file) as zf:
        try:
            manifest = _read_manifest(zf, file.name)
            _check_entries(zf, file.name, manifest)
            _check_space(staging, file.name, manifest)
            _extract(zf, file.name, manifest, staging, progress)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error) as exc:
            raise _refuse(file.name, f"arsip rusak atau terpotong ({exc}).") from None
        except OSError as exc:
            raise _refuse(file.name, f"isi arsip tidak dapat dibaca ({exc}).") from None
    _check_database(staging / DATABASE, file.name, manifest["schema_revision"])
    (staging / ATTACHMENTS).mkdir(exist_ok=True)
    return _info_of(file, manifest)


# --------------------------------------------------------------------------- restore


def _keep_current(data_dir: DataDir, now: datetime) -> Path | None:
    """Save what is in the data directory now; a database beyond repair is kept as files."""
    if not data_dir.database.exists():
        return None
    out = data_dir.backups / f"{BEFORE_RESTORE_PREFIX}{_stamp(now)}{SUFFIX}"
    try:
        backup(data_dir, out, now=now)
        return out
    except BackupError:
        pass
    folder = data_dir.backups / f"{BEFORE_RESTORE_PREFIX}{_stamp(now)}"
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in ("", *_DB_SIDE_FILES):
        source = data_dir.database.with_name(data_dir.database.name + suffix)
        if source.exists():
            shutil.copy2(source, folder / source.name)
    if data_dir.attachments.is_dir():
        shutil.copytree(data_dir.attachments, folder / ATTACHMENTS, dirs_exist_ok=True)
    return folder


def restore(target: object, file: Path, *, progress: Progress | None = None,
            now: datetime | None = None) -> RestoreResult:
    """Replace the data of ``target`` (DataDir or folder) with the backup ``file``.

    Everything is checked first; a bad file raises :class:`BackupError` and nothing
    changes. The program must not have the database open (dispose the context first).
    """
    data_dir = _as_data_dir(target)
    file = Path(file).resolve()
    now = now or datetime.now(UTC)
    data_dir.root.mkdir(parents=True, exist_ok=True)
    finish_interrupted_restore(data_dir)
    staging = Path(tempfile.mkdtemp(dir=data_dir.root, prefix=".pemulihan-"))
    try:
        info = _stage(file, staging, progress)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        data_dir.backups.mkdir(parents=True, exist_ok=True)
        previous = _keep_current(data_dir, now)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"Data saat ini tidak dapat dicadangkan ({exc.strerror or exc}); "
                          "pemulihan dibatalkan. Data tidak diubah.") from exc
    old = Path(tempfile.mkdtemp(dir=data_dir.root, prefix=".lama-"))
    from kinerja_desktop.atomic import atomic_write_text

    atomic_write_text(data_dir.root / _RESTORE_MARKER,
                      json.dumps({"staging": staging.name, "old": old.name}))
    finish_interrupted_restore(data_dir)
    return RestoreResult(info, previous)


def finish_interrupted_restore(source: object) -> bool:
    """Complete a restore whose swap was cut short (idempotent). True if one was pending.

    The staged data was fully checked before the marker was written, so finishing
    forward is always right. Called by :func:`restore` itself and at start-up.
    """
    data_dir = _as_data_dir(source)
    marker = data_dir.root / _RESTORE_MARKER
    if not marker.exists():
        _remove_leftovers(data_dir)
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


def _remove_leftovers(data_dir: DataDir) -> None:
    """Staging folders of a restore that stopped before its swap began, or after it ended."""
    if not data_dir.root.is_dir():
        return
    for path in data_dir.root.iterdir():
        if path.is_dir() and path.name.startswith((".pemulihan-", ".lama-")):
            shutil.rmtree(path, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def default_backup_name(now: datetime | None = None) -> str:
    """A file name for a manual backup: ``kinerja-cadangan-20261124-0930.zip``."""
    now = now or datetime.now(UTC)
    return f"kinerja-cadangan-{now.astimezone().strftime('%Y%m%d-%H%M')}{SUFFIX}"
