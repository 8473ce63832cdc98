"""Operating-system and database failures as one Indonesian line naming the file.

The operating system speaks the language it was installed in ("No space left on
device") and SQLite speaks English ("database or disk is full"); neither reaches the
user as it is. :func:`describe_failure` turns such an exception (an ``OSError``, an
``sqlite3`` error or an SQLAlchemy error wrapping one, anywhere in its chain) into one
sentence, or returns None for anything else. Used by the command line, the error dialog
and the services that write files. No Qt, no SQLAlchemy import.
"""

from __future__ import annotations

import errno
from pathlib import Path

_OS_REASONS = {
    errno.ENOSPC: "disk penuh (tidak ada ruang tersisa)",
    getattr(errno, "EDQUOT", -2): "kuota disk pengguna ini sudah habis",
    errno.EACCES: "izin ditolak (akun ini tidak boleh mengakses berkas itu)",
    errno.EPERM: "tindakan tidak diizinkan oleh sistem operasi",
    errno.EROFS: "disk hanya dapat dibaca (misalnya flashdisk terkunci)",
    errno.ENOENT: "berkas atau folder tidak ditemukan",
    errno.EEXIST: "berkas sudah ada",
    errno.EISDIR: "yang dipilih adalah folder, bukan berkas",
    errno.ENOTDIR: "salah satu bagian jalurnya bukan folder",
    errno.EIO: "kesalahan baca/tulis perangkat keras (disk atau flashdisk bermasalah)",
    errno.ENAMETOOLONG: "nama atau jalur berkas terlalu panjang",
    errno.EMFILE: "terlalu banyak berkas terbuka",
    errno.EBUSY: "berkas sedang dipakai program lain",
    getattr(errno, "ETXTBSY", -3): "berkas sedang dipakai program lain",
    errno.EFBIG: "berkas terlalu besar untuk disk ini",
    errno.ENODEV: "perangkatnya tidak tersedia (flashdisk dicabut?)",
    errno.ENXIO: "perangkatnya tidak tersedia (flashdisk dicabut?)",
}
# Windows reports some of these only as winerror codes.
_WINERROR_REASONS = {
    39: _OS_REASONS[errno.ENOSPC],  # ERROR_HANDLE_DISK_FULL
    112: _OS_REASONS[errno.ENOSPC],  # ERROR_DISK_FULL
    32: _OS_REASONS[errno.EBUSY],  # ERROR_SHARING_VIOLATION
    33: _OS_REASONS[errno.EBUSY],  # ERROR_LOCK_VIOLATION
    5: _OS_REASONS[errno.EACCES],  # ERROR_ACCESS_DENIED
}

#: (text SQLite puts in its message, Indonesian reason). First match wins.
_SQLITE_REASONS = (
    ("database or disk is full", "basis data atau disk penuh; kosongkan ruang disk, lalu "
                                 "ulangi"),
    ("database is locked", "basis data sedang dikunci oleh program lain; tunggu sebentar, "
                           "lalu ulangi"),
    ("database table is locked", "basis data sedang dikunci oleh program lain; tunggu "
                                 "sebentar, lalu ulangi"),
    ("disk i/o error", "kesalahan baca/tulis disk saat mengakses basis data"),
    ("database disk image is malformed", "basis data rusak; jalankan 'kinerja-desktop check' "
                                         "dan pulihkan dari cadangan terbaru yang baik"),
    ("malformed database schema", "definisi tabel di basis data rusak; pulihkan dari "
                                  "cadangan terbaru yang baik"),
    ("file is not a database", "berkas itu bukan basis data atau sudah rusak"),
    ("unable to open database file", "berkas basis data tidak dapat dibuka (folder tidak ada "
                                     "atau izin ditolak)"),
    ("attempt to write a readonly database", "basis data hanya dapat dibaca (izin menulis "
                                             "ditolak)"),
    ("readonly database", "basis data hanya dapat dibaca (izin menulis ditolak)"),
)


def describe_os_error(exc: OSError, path: Path | str | None = None) -> str:
    """``"Disk penuh (tidak ada ruang tersisa): /media/x/cadangan.zip."``-like sentence."""
    reason = _OS_REASONS.get(exc.errno or -1) or \
        _WINERROR_REASONS.get(getattr(exc, "winerror", None) or -1)
    if reason is None:
        reason = f"kesalahan sistem operasi nomor {exc.errno}" if exc.errno else \
            "kesalahan sistem operasi"
    where = path or exc.filename
    sentence = reason[:1].upper() + reason[1:]
    return f"{sentence}: {where}." if where else f"{sentence}."


def _chain(exc: BaseException):
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.extend([getattr(current, "orig", None), current.__cause__, current.__context__])


def describe_database_error(exc: BaseException, database: Path | str | None = None) -> str | None:
    """An Indonesian sentence for a known SQLite failure in ``exc``'s chain, else None."""
    import sqlite3

    for current in _chain(exc):
        if not isinstance(current, sqlite3.Error):
            continue
        text = str(current).lower()
        for needle, reason in _SQLITE_REASONS:
            if needle in text:
                sentence = reason[:1].upper() + reason[1:]
                return f"{sentence} (berkas {database})." if database else f"{sentence}."
    return None


def user_text(exc: BaseException, database: Path | str | None = None) -> str:
    """What the user reads for ``exc``: a refusal's own Indonesian message, or the one
    line of :func:`describe_failure` for an OS or database failure, never the English
    text the operating system or SQLite wrote (an unknown failure keeps its text)."""
    from kinerja_desktop.domain.errors import KinerjaError

    if isinstance(exc, KinerjaError):
        return str(exc)
    return describe_failure(exc, database) or str(exc)


def describe_failure(exc: BaseException, database: Path | str | None = None) -> str | None:
    """One Indonesian line for an OS or database failure anywhere in ``exc``'s chain."""
    found = describe_database_error(exc, database)
    if found is not None:
        return found
    for current in _chain(exc):
        if isinstance(current, OSError) and (current.errno or getattr(current, "winerror",
                                                                        None)):
            return describe_os_error(current)
    return None
