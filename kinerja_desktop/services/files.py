"""Files kept in the database under their SHA-256 (content addressed): evidence (bukti
dukung) and scanned SK files.

A file's content is written in pieces of :data:`CHUNK` bytes (``stored_file_chunks``)
inside the caller's transaction, in the same transaction as the row that refers to it:
a crash, a killed program or a refused save never leaves a file without its record, nor
a record without its file, and every PC of an office server reaches every file. Memory
stays bounded by one piece, writing and reading alike. The same content is stored once.

Data folders of earlier versions kept files under ``lampiran/ab/ab12…``:
:func:`import_legacy_files` moves them into the database at start-up, each checked
against its hash, and renames the folder (nothing is deleted).

The original name is kept for display only; no path is ever taken from a file name.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import exists, func, insert, select
from sqlalchemy.orm import Session

from kinerja_desktop.db.models import StoredFile, StoredFileChunk
from kinerja_desktop.domain.errors import FileProblem, NotFound, ValidationError
from kinerja_desktop.services.context import ServiceContext

CHUNK = 1024 * 1024
MAX_NAME = 255
#: Pieces fetched per round trip when a file is read back (one: memory stays ~1 piece).
_READ_BATCH = 1
LEGACY_NOTE = "BACA-SAYA.txt"


def display_name(name: str) -> str:
    """The last component of a user-supplied name, trimmed, for display only."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = "".join(ch for ch in base if ch.isprintable())
    return (base or "berkas")[:MAX_NAME]


def _cannot(path: Path, verb: str, exc: OSError) -> str:
    """"Berkas x.pdf tidak dapat dibaca. Izin ditolak (…): /home/…/x.pdf." — in
    Indonesian, never the operating system's own (English) words."""
    from kinerja_desktop.system_messages import describe_os_error

    return f"Berkas {path.name} tidak dapat {verb}. {describe_os_error(exc, path)}"


def _megabytes(size: int) -> str:
    return f"{size / 1048576:.1f}".replace(".", ",")


def _measure(source: Path, max_bytes: int) -> tuple[str, int]:
    """(sha256, size) of a readable regular file within the limit, read in pieces."""
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise FileProblem(_cannot(source, "dibaca", exc)) from None
    if not source.is_file():
        raise ValidationError(f"{source.name} bukan berkas biasa.")
    if size > max_bytes:
        raise ValidationError(
            f"Berkas {source.name} terlalu besar ({_megabytes(size)} MB); batasnya "
            f"{max_bytes // 1048576} MB. Perkecil berkasnya (misalnya pindai ulang dengan "
            "resolusi lebih rendah) lalu lampirkan lagi."
        )
    if size == 0:
        raise ValidationError(f"Berkas {source.name} kosong.")
    digest = hashlib.sha256()
    read = 0
    try:
        with source.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                read += len(chunk)
                if read > max_bytes:
                    raise ValidationError(f"Berkas {source.name} terlalu besar.")
                digest.update(chunk)
    except OSError as exc:
        raise FileProblem(_cannot(source, "dibaca", exc)) from None
    return digest.hexdigest(), read


def has_content(session: Session, sha256: str) -> bool:
    return bool(session.scalar(select(exists().where(StoredFileChunk.sha256 == sha256))))


def _write_content(session: Session, sha256: str, size: int, source: Path) -> None:
    digest = hashlib.sha256()
    written = 0
    try:
        with source.open("rb") as fh:
            position = 0
            while chunk := fh.read(CHUNK):
                written += len(chunk)
                if written > size:
                    break
                digest.update(chunk)
                # Core insert: the piece is not kept in the session after it is sent.
                session.execute(insert(StoredFileChunk),
                                {"sha256": sha256, "position": position, "data": chunk})
                position += 1
    except OSError as exc:
        raise FileProblem(_cannot(source, "dibaca", exc)) from None
    if written != size or digest.hexdigest() != sha256:
        raise ValidationError(f"Berkas {source.name} berubah ketika sedang dibaca; tutup program "
                              "yang membukanya, lalu lampirkan lagi.")


def store_file(session: Session, ctx: ServiceContext, source: Path, max_bytes: int,
               now: datetime) -> tuple[str, int]:
    """Store ``source`` in the database inside the caller's transaction; (sha256, size).

    Refuses a missing, unreadable, empty or too large file with an Indonesian message.
    A file already stored is not stored twice (a record whose content is missing gets
    it back).
    """
    sha, size = _measure(source, max_bytes)
    # Two PCs storing the same content at once: one writes it, the other finds it.
    ctx.lock(session, f"kinerja-desktop:berkas:{sha}")
    if session.get(StoredFile, sha) is None:
        mime = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        session.add(StoredFile(sha256=sha, size=size, created_at=now,
                               name=display_name(source.name), mime=mime[:100]))
        session.flush()
    if not has_content(session, sha):
        _write_content(session, sha, size, source)
    return sha, size


def iter_content(session: Session, sha256: str) -> Iterator[bytes]:
    """The pieces of a stored file in order (streamed; nothing held but one batch)."""
    result = session.execute(
        select(StoredFileChunk.data).where(StoredFileChunk.sha256 == sha256)
        .order_by(StoredFileChunk.position),
        execution_options={"stream_results": True, "yield_per": _READ_BATCH},
    )
    for data in result.scalars():
        # A hand-edited SQLite file can hold text where bytes belong: checked, not crashed.
        yield data if isinstance(data, bytes) else str(data).encode("utf-8")


def copy_out(ctx: ServiceContext, sha256: str, target: Path) -> None:
    """Write a stored file to ``target`` (atomically), checked against its hash."""
    tmp = target.with_name(f".{target.name}.tmp")
    with ctx.read() as session:
        stored = session.get(StoredFile, sha256)
        if stored is None:
            raise NotFound("Berkas lampiran tidak ditemukan di basis data.")
        expected, name = stored.size, stored.name or sha256[:12]
        digest = hashlib.sha256()
        size = 0
        try:
            with tmp.open("wb") as out:
                for data in iter_content(session, sha256):
                    digest.update(data)
                    size += len(data)
                    out.write(data)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise FileProblem(_cannot(target, "ditulis", exc)) from None
    if size != expected or digest.hexdigest() != sha256:
        tmp.unlink(missing_ok=True)
        what = "tidak ada" if size == 0 else "rusak"
        raise ValidationError(f"Isi berkas lampiran {name} {what} di basis "
                              "data; jalankan pemeriksaan (check) dan pulihkan dari cadangan.")
    try:
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FileProblem(_cannot(target, "ditulis", exc)) from None


@dataclass
class FileCheck:
    """What :func:`verify_stored_files` found (Indonesian lines)."""

    problems: list[str] = field(default_factory=list)
    checked: int = 0


def verify_stored_files(session: Session) -> FileCheck:
    """Every stored file's content present, of its size and hash (read piece by piece)."""
    result = FileCheck()
    for stored in session.scalars(select(StoredFile).order_by(StoredFile.sha256)):
        result.checked += 1
        label = f"{stored.name} ({stored.sha256})" if stored.name else stored.sha256
        digest = hashlib.sha256()
        size = 0
        for data in iter_content(session, stored.sha256):
            digest.update(data)
            size += len(data)
        if size == 0:
            result.problems.append(f"Berkas lampiran hilang: {label}")
        elif size != stored.size:
            result.problems.append(f"Berkas lampiran rusak (ukuran {size} bita, tercatat "
                                   f"{stored.size}): {label}")
        elif digest.hexdigest() != stored.sha256:
            result.problems.append(f"Berkas lampiran rusak (hash tidak cocok): {label}")
    return result


# --------------------------------------------------------------------------- legacy folder


@dataclass(frozen=True)
class LegacyImport:
    imported: int
    missing: tuple[str, ...]
    damaged: tuple[str, ...]
    #: where the old folder went (None: left in place)
    moved_to: Path | None


def legacy_files(folder: Path) -> list[Path]:
    """Files of the old ``lampiran/ab/ab12…`` layout (anything else is not ours)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*/*") if p.is_file())


def import_legacy_files(ctx: ServiceContext) -> LegacyImport | None:
    """Move the files of an old data folder's ``lampiran/`` into the database.

    Each stored file whose content is not yet in the database is read from
    ``lampiran/ab/<sha256>``, checked against its hash and size, and stored in its own
    transaction (a crash resumes at the next start). On an SQLite data folder the old
    folder is then renamed ``lampiran-lama-<time>`` with a note; on a server the folder
    belongs to this PC's own SQLite data and stays. Returns None when there was nothing.
    """
    folder = ctx.data_dir.attachments
    if not folder.is_dir():
        return None
    files = legacy_files(folder)
    if not files:
        _remove_empty(folder)
        return None
    with ctx.read() as session:
        needing = list(session.scalars(
            select(StoredFile.sha256).where(~exists().where(
                StoredFileChunk.sha256 == StoredFile.sha256))))
    imported, missing, damaged = 0, [], []
    for sha in needing:
        path = folder / sha[:2] / sha
        if not path.is_file():
            missing.append(sha)
            continue
        with ctx.transaction() as session:
            stored = session.get(StoredFile, sha)
            try:
                found, size = _measure(path, max(stored.size, 1))
            except (ValidationError, FileProblem):
                found, size = "", -1
            if found != sha or size != stored.size:
                damaged.append(sha)
                continue
            if not has_content(session, sha):
                _write_content(session, sha, size, path)
                imported += 1
    moved_to = None
    if not ctx.backend.is_server:
        moved_to = _set_aside(ctx, folder, imported, missing, damaged)
    from kinerja_desktop.services.common import audit

    with ctx.transaction() as session:  # the move itself is part of the record
        audit(session, ctx.now(), None, "lampiran.pindah_ke_basis_data", "stored_file", None,
              after={"dipindahkan": imported, "hilang": missing, "rusak": damaged,
                     "folder_lama": str(moved_to) if moved_to else None},
              actor_name="sistem (pembaruan versi)")
    return LegacyImport(imported, tuple(missing), tuple(damaged), moved_to)


def _set_aside(ctx: ServiceContext, folder: Path, imported: int, missing: list[str],
               damaged: list[str]) -> Path:
    stamp = ctx.now().astimezone().strftime("%Y%m%d-%H%M%S")
    target = folder.with_name(f"lampiran-lama-{stamp}")
    os.replace(folder, target)
    lines = [
        "Folder ini berisi lampiran (bukti dukung, pindaian SK) dari versi Kinerja Desktop",
        "sebelumnya. Sejak versi ini lampiran disimpan di dalam basis data.",
        f"{imported} berkas telah disalin ke basis data dan diperiksa dengan SHA-256-nya.",
        "Folder ini tidak dipakai lagi; simpan sampai Anda yakin, lalu boleh dihapus.",
    ]
    if damaged:
        lines.append("Berkas berikut rusak (hash tidak cocok) dan tidak disalin:")
        lines += [f"  {sha[:2]}/{sha}" for sha in damaged]
    if missing:
        lines.append("Berkas berikut tercatat tetapi tidak ada di folder lama:")
        lines += [f"  {sha}" for sha in missing]
    (target / LEGACY_NOTE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def _remove_empty(folder: Path) -> None:
    """An empty ``lampiran/`` of an earlier version (or its empty sub-folders) goes."""
    for sub in sorted(folder.iterdir()) if folder.is_dir() else []:
        if sub.is_dir() and not any(sub.iterdir()):
            sub.rmdir()
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()


def stored_file_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(StoredFile)) or 0
