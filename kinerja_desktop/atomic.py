"""Atomic file writes: a temporary file in the same folder, fsync, then rename.

A crash or power cut leaves either the old file or the new one, never half a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes 0600 files; give the result the usual permissions (umask applied).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_chosen_file(path: Path, data: bytes) -> None:
    """:func:`atomic_write_bytes` for a file the user chose (an export, a printed
    document): a failure becomes :class:`~kinerja_desktop.domain.errors.FileProblem`,
    one Indonesian line naming ``path`` (never the operating system's English text)."""
    from kinerja_desktop.domain.errors import FileProblem
    from kinerja_desktop.system_messages import describe_os_error

    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise FileProblem(f"Berkas tidak dapat disimpan. {describe_os_error(exc, path)}") \
            from exc


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))
