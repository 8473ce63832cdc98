"""Reading, checking and restoring a backup made by :mod:`kinerja_desktop.services.backup`.

**Restore** checks everything before touching the data directory: the ZIP (entries,
sizes against the manifest, compression ratios against a ZIP bomb), the database
(hash, integrity, foreign keys, the schema exactly as the migrations make it at its
revision, every attachment file in it whole), then every earlier-version attachment file
the database refers to but does not hold (present in the backup, size and hash as
recorded; entries nothing refers to are not unpacked), with the unpacked size bounded by
the manifest and by the free disk. Only an administrator may restore over data that has
accounts. The current data is kept as a backup, then the files are swapped with renames;
a swap cut short is finished on the next start
(:func:`kinerja_desktop.services.backup.finish_interrupted_restore`). The restore is
written to the restored audit log. The backup format, its constants and the working
folders are :mod:`kinerja_desktop.services.backup`'s.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from kinerja_desktop import APP_ID, locking
from kinerja_desktop.db import health as db_health
from kinerja_desktop.db import migrate
from kinerja_desktop.domain.errors import PermissionDenied
from kinerja_desktop.paths import DataDir
from kinerja_desktop.services import backup as backups
from kinerja_desktop.services.backup import (
    _ATTACHMENT_NAME,
    _CHECK_STAGING,
    _DB_SIDE_FILES,
    _RESTORE_MARKER,
    _RESTORE_OLD,
    _RESTORE_STAGING,
    ATTACHMENTS,
    BEFORE_RESTORE_PREFIX,
    CHECKS_PASSED,
    CHUNK,
    DATABASE,
    DISK_MARGIN,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MAX_ATTACHMENT_BYTES,
    MAX_ENTRIES,
    MAX_MANIFEST_BYTES,
    MAX_RATIO_ATTACHMENT,
    MAX_RATIO_DATABASE,
    MAX_TOTAL_BYTES,
    RATIO_FLOOR,
    SUFFIX,
    BackupError,
    BackupInfo,
    Progress,
    RestoreResult,
    _as_data_dir,
    _sqlite_account_state,
    _sqlite_append_audit,
    _sqlite_file_contents,
    _Staging,
    _stamp,
)


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
                or not isinstance(meta.get("size"), int) or meta["size"] < 0:
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
        attachment = _ATTACHMENT_NAME.match(entry)
        if entry != DATABASE and not attachment:
            raise _refuse(name, f"berisi berkas yang tidak dikenal ({entry[:80]}).")
        if info.flag_bits & 0x1:
            raise _refuse(name, "arsip terenkripsi.")
        meta = manifest["files"].get(entry)
        if meta is None or meta["size"] != info.file_size:
            raise _refuse(name, f"berkas {entry} tidak sesuai dengan manifest.")
        limit = MAX_RATIO_ATTACHMENT if attachment else MAX_RATIO_DATABASE
        if info.file_size > RATIO_FLOOR and info.file_size > limit * max(info.compress_size, 1):
            raise _refuse(name, f"rasio kompresi {entry} tidak wajar (kemungkinan bom ZIP).")
        if attachment and info.file_size > MAX_ATTACHMENT_BYTES:
            raise _refuse(name, f"lampiran {entry} terlalu besar "
                                f"({info.file_size / 1048576:.0f} MB).")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise _refuse(name, "isi arsip terlalu besar.")
    missing = set(manifest["files"]) - seen
    if missing:
        raise _refuse(name, f"{len(missing)} berkas yang tercatat di manifest tidak ada "
                            f"(misalnya {sorted(missing)[0]}).")


def _check_space(staging: Path, name: str, needed: int) -> None:
    """``needed`` bytes unpacked (and as much again for the copy of today's data) must fit."""
    free = shutil.disk_usage(staging).free
    if needed * 2 + DISK_MARGIN > free:
        raise _refuse(name, f"ruang disk tidak cukup (perlu sekitar "
                            f"{(needed * 2 + DISK_MARGIN) / 1048576:.0f} MB, tersedia "
                            f"{free / 1048576:.0f} MB).")


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
    checked = db_health.check_sqlite_file(path, revision=revision)
    if not checked.ok:
        tables_missing = [p for p in checked.problems if p.startswith("Skema: tabel ")
                          and p.endswith("tidak ada.")]
        if len(tables_missing) >= 3:
            raise _refuse(name, "bukan basis data Kinerja Desktop (tabel-tabelnya tidak ada).")
        shown = "; ".join(checked.problems[:3])
        more = f" (dan {len(checked.problems) - 3} lainnya)" if len(checked.problems) > 3 else ""
        raise _refuse(name, f"basis data di dalamnya rusak atau tidak sesuai: {shown}{more}.")
    for suffix in _DB_SIDE_FILES:  # leave one plain file for the swap
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _extract_entry(zf: zipfile.ZipFile, name: str, entry: str, meta: dict, staging: Path,
                   counter: list[int], total: int, progress: Progress | None) -> None:
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
            counter[0] += len(chunk)
            if progress:
                progress(counter[0], total)
        dst.flush()
        os.fsync(dst.fileno())
    if written != meta["size"] or digest.hexdigest() != meta["sha256"]:
        raise _refuse(name, f"berkas {entry} rusak (hash tidak cocok).")


def _wanted_attachments(name: str, manifest: dict, referenced: dict[str, int]) -> list[str]:
    """The attachment entries to unpack: exactly the files the database refers to but does
    not hold (an earlier version's), each present with the recorded size and a name equal
    to its hash. They go to ``lampiran/``, moved into the database at the next start."""
    wanted = []
    for sha, size in sorted(referenced.items()):
        entry = f"{ATTACHMENTS}/{sha[:2]}/{sha}"
        meta = manifest["files"].get(entry)
        if meta is None:
            raise _refuse(name, f"lampiran {sha} yang dirujuk basis data tidak ada di dalam "
                                "cadangan.")
        if meta["size"] != size or meta["sha256"] != sha:
            raise _refuse(name, f"lampiran {sha} di dalam cadangan tidak sesuai dengan yang "
                                "tercatat di basis data (ukuran atau hash).")
        if size > MAX_ATTACHMENT_BYTES:
            raise _refuse(name, f"lampiran {sha} terlalu besar ({size / 1048576:.0f} MB).")
        wanted.append(entry)
    return wanted


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


def _info_of(file: Path, manifest: dict, attachments: int | None = None) -> BackupInfo:
    try:
        created = datetime.fromisoformat(str(manifest.get("created_at")))
    except ValueError:
        raise _refuse(file.name, "waktu pembuatan di manifest tidak sah.") from None
    if attachments is None:
        attachments = sum(1 for entry in manifest["files"] if entry != DATABASE)
        if isinstance(manifest.get("attachments"), int) and manifest["attachments"] >= attachments:
            attachments = manifest["attachments"]  # inside the database and beside it
    total = sum(meta["size"] for meta in manifest["files"].values())
    return BackupInfo(file, str(manifest.get("app_version", "?")), manifest["schema_revision"],
                      created, attachments, total, manifest.get("checks") == CHECKS_PASSED)


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


def verify_backup(file: Path, data_dir: object, *,
                  progress: Progress | None = None) -> BackupInfo:
    """The full check restore makes, without changing anything.

    The backup is unpacked into a working folder inside ``data_dir`` (its database holds
    password hashes: no copy goes to the system's temporary folder), then removed.
    """
    file = Path(file)
    with _Staging(_as_data_dir(data_dir), _CHECK_STAGING) as staging:
        info, _skipped = _stage(file, staging.path, progress)
        return info


@contextmanager
def unpacked(file: Path, data_dir: object, *, progress: Progress | None = None
             ) -> Iterator[tuple[BackupInfo, Path]]:
    """The backup checked as :func:`restore` checks it and unpacked into a working folder
    inside ``data_dir`` laid out as a data folder (its database and any earlier-version
    ``lampiran/``), removed afterwards. For restoring onto a server."""
    with _Staging(_as_data_dir(data_dir), _CHECK_STAGING) as staging:
        info, _skipped = _stage(Path(file), staging.path, progress)
        yield info, staging.path


def _stage(file: Path, staging: Path, progress: Progress | None) -> tuple[BackupInfo, int]:
    """Unpack and check ``file`` into ``staging``: (what it holds, entries not unpacked)."""
    with _open_zip(file) as zf:
        try:
            manifest = _read_manifest(zf, file.name)
            _check_entries(zf, file.name, manifest)
            files = manifest["files"]
            _check_space(staging, file.name, files[DATABASE]["size"])
            counter = [0]
            _extract_entry(zf, file.name, DATABASE, files[DATABASE], staging, counter,
                           files[DATABASE]["size"], progress)
            _check_database(staging / DATABASE, file.name, manifest["schema_revision"])
            try:
                problems, beside, stored = _sqlite_file_contents(staging / DATABASE)
            except sqlite3.Error as exc:
                raise _refuse(file.name, f"lampiran di dalam basis data tidak terbaca "
                                         f"({exc}).") from None
            if problems:
                more = f" (dan {len(problems) - 3} lainnya)" if len(problems) > 3 else ""
                raise _refuse(file.name, f"lampiran di dalam basis data rusak: "
                                         f"{'; '.join(problems[:3])}{more}.")
            wanted = _wanted_attachments(file.name, manifest, beside)
            total = files[DATABASE]["size"] + sum(files[e]["size"] for e in wanted)
            _check_space(staging, file.name, total - files[DATABASE]["size"])
            for entry in wanted:
                _extract_entry(zf, file.name, entry, files[entry], staging, counter, total,
                               progress)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error) as exc:
            raise _refuse(file.name, f"arsip rusak atau terpotong ({exc}).") from None
        except OSError as exc:
            from kinerja_desktop.system_messages import describe_os_error

            raise _refuse(file.name, f"isi arsip tidak dapat dibaca atau ditulis "
                                     f"({describe_os_error(exc)})") from None
    (staging / ATTACHMENTS).mkdir(exist_ok=True)
    skipped = sum(1 for entry in files if entry != DATABASE) - len(wanted)
    return _info_of(file, manifest, stored), skipped


# --------------------------------------------------------------------------- restore


def _keep_current(data_dir: DataDir, now: datetime) -> Path | None:
    """Save what is in the data directory now; damaged data is kept as plain files."""
    if not data_dir.database.exists():
        return None
    out = data_dir.backups / f"{BEFORE_RESTORE_PREFIX}{_stamp(now)}{SUFFIX}"
    try:
        backups.backup(data_dir, out, now=now, kind="sebelum-pemulihan")
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


def _require_admin(data_dir: DataDir, actor_id: int | None) -> str:
    """The restoring administrator's name; "" when the current data has no accounts
    (a new folder, or a database too damaged to read: nothing left to protect)."""
    if not data_dir.database.exists():
        return ""
    try:
        count, name = _sqlite_account_state(data_dir.database, actor_id)
    except sqlite3.Error:
        return ""
    if count == 0:
        return ""
    if name is None:
        raise PermissionDenied("Pemulihan data dari cadangan hanya dapat dilakukan oleh "
                               "Administrator. Data tidak diubah.")
    return name


def restore(target: object, file: Path, *, actor_id: int | None = None,
            progress: Progress | None = None, now: datetime | None = None) -> RestoreResult:
    """Replace the data of ``target`` (DataDir or folder) with the backup ``file``.

    ``actor_id`` must be an active administrator of the current data (when it has any
    accounts). Everything is checked first; a bad file raises :class:`BackupError` and
    nothing changes. Takes the writer lock (re-entrant for the window that holds it) and
    the swap lock; the program must have closed its database (dispose the context).
    """
    data_dir = _as_data_dir(target)
    file = Path(file).resolve()
    now = now or datetime.now(UTC)
    data_dir.root.mkdir(parents=True, exist_ok=True)
    with locking.writing(data_dir, "memulihkan data"), \
            locking.swapping(data_dir, shared=False):
        backups.finish_interrupted_restore(data_dir)
        actor_name = _require_admin(data_dir, actor_id)
        staging = Path(tempfile.mkdtemp(dir=data_dir.root, prefix=_RESTORE_STAGING))
        try:
            info, skipped = _stage(file, staging, progress)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        try:
            data_dir.backups.mkdir(parents=True, exist_ok=True)
            previous = _keep_current(data_dir, now)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            from kinerja_desktop.system_messages import describe_os_error

            raise BackupError(f"Data saat ini tidak dapat dicadangkan ("
                              f"{describe_os_error(exc)}); pemulihan dibatalkan. Data tidak "
                              "diubah.") from exc
        old = Path(tempfile.mkdtemp(dir=data_dir.root, prefix=_RESTORE_OLD))
        from kinerja_desktop.atomic import atomic_write_text

        atomic_write_text(data_dir.root / _RESTORE_MARKER,
                          json.dumps({"staging": staging.name, "old": old.name}))
        backups.finish_interrupted_restore(data_dir)
        try:
            _sqlite_append_audit(data_dir.database, now, actor_name or "pemulihan tanpa akun",
                                 "cadangan.pulihkan",
                                 {"berkas": file.name, "dibuat": info.created_at.isoformat(),
                                  "versi": info.app_version, "lampiran": info.attachment_count,
                                  "data_sebelumnya": str(previous) if previous else None})
        except sqlite3.Error:
            import logging

            logging.getLogger(__name__).warning("Pemulihan tidak dapat dicatat di log audit",
                                                exc_info=True)
    return RestoreResult(info, previous, skipped)
