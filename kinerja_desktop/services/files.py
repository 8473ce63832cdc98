"""Files kept in the data directory under their SHA-256 (content addressed).

The original name is kept in the database for display only; no path is ever taken
from a file name.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from kinerja_desktop.db.models import StoredFile
from kinerja_desktop.domain.errors import ValidationError
from kinerja_desktop.paths import DataDir

CHUNK = 1024 * 1024
MAX_NAME = 255


def stored_path(data_dir: DataDir, sha256: str) -> Path:
    return data_dir.attachments / sha256[:2] / sha256


def display_name(name: str) -> str:
    """The last component of a user-supplied name, trimmed, for display only."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = "".join(ch for ch in base if ch.isprintable())
    return (base or "berkas")[:MAX_NAME]


def store_file(
    session: Session, data_dir: DataDir, source: Path, max_bytes: int, now
) -> tuple[str, int]:
    """Copy ``source`` into the attachments folder; return (sha256, size).

    Refuses a missing, unreadable or too large file with an Indonesian message.
    """
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise ValidationError(f"Berkas {source.name} tidak dapat dibaca: {exc.strerror}") from None
    if not source.is_file():
        raise ValidationError(f"{source.name} bukan berkas biasa.")
    if size > max_bytes:
        raise ValidationError(
            f"Berkas {source.name} terlalu besar ({size / 1048576:.1f} MB); batasnya "
            f"{max_bytes / 1048576:.0f} MB."
        )
    if size == 0:
        raise ValidationError(f"Berkas {source.name} kosong.")
    digest = hashlib.sha256()
    data_dir.attachments.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=data_dir.attachments, prefix=".masuk-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            copied = 0
            while chunk := src.read(CHUNK):
                copied += len(chunk)
                if copied > max_bytes:
                    raise ValidationError(f"Berkas {source.name} terlalu besar.")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        target = stored_path(data_dir, sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            os.unlink(tmp_name)
        else:
            os.replace(tmp_name, target)
    except OSError as exc:
        Path(tmp_name).unlink(missing_ok=True)
        raise ValidationError(f"Berkas {source.name} tidak dapat disalin: {exc.strerror}") from None
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    if session.get(StoredFile, sha) is None:
        session.add(StoredFile(sha256=sha, size=copied, created_at=now))
        session.flush()
    return sha, copied


def copy_out(data_dir: DataDir, sha256: str, target: Path) -> None:
    """Copy a stored file to ``target`` (atomically)."""
    source = stored_path(data_dir, sha256)
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)
