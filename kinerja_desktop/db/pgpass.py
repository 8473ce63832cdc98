"""libpq's password file (pgpass): where a PostgreSQL password lives, never in our settings.

The PostgreSQL convention (libpq's "The Password File"): ``PGPASSFILE`` when set, else
``%APPDATA%\\postgresql\\pgpass.conf`` on Windows and ``~/.pgpass`` elsewhere; one line
per server ``hostname:port:database:username:password``, ``:`` and ``\\`` inside a field
escaped with ``\\``. On POSIX libpq ignores the file unless only its owner may read it, so
it is always written with mode 0600. libpq then finds the password by itself whenever this
PC connects (the app, the listener, every command).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

DEFAULT_PORT = 5432


def password_file() -> Path:
    """Where libpq looks for passwords on this PC (for this user)."""
    explicit = os.environ.get("PGPASSFILE")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        appdata = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(appdata) / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def escape(field: str) -> str:
    """A field as written in the file (``\\`` and ``:`` escaped with a backslash)."""
    return field.replace("\\", "\\\\").replace(":", "\\:")


def split_line(line: str) -> list[str] | None:
    """The unescaped fields of one line; None for a comment, a blank or a broken line."""
    if not line.strip() or line.lstrip().startswith("#"):
        return None
    fields, current, i = [], [], 0
    while i < len(line):
        char = line[i]
        if char == "\\" and i + 1 < len(line):
            current.append(line[i + 1])
            i += 2
            continue
        if char == ":" and len(fields) < 4:
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    fields.append("".join(current))
    return fields if len(fields) == 5 else None


def make_line(host: str, port: int | None, database: str, user: str, password: str) -> str:
    return ":".join(escape(f) for f in (host, str(port or DEFAULT_PORT), database, user,
                                        password))


def store_password(host: str, port: int | None, database: str, user: str, password: str,
                   path: Path | None = None) -> Path:
    """Write (or replace) the password of ``user`` on ``host:port/database``; returns the file.

    The one line with exactly these four fields is replaced in place, every other line
    (comments, other servers, wildcards) is kept; the file is replaced atomically.
    """
    if any(c in password for c in "\r\n"):
        raise ValueError("Kata sandi tidak boleh berisi baris baru.")
    path = path or password_file()
    key = [host, str(port or DEFAULT_PORT), database, user]
    new_line = make_line(host, port, database, user, password)
    lines: list[str] = []
    if path.exists():
        lines = path.read_text(encoding="utf-8").splitlines()
    replaced = False
    kept: list[str] = []
    for line in lines:
        fields = split_line(line)
        if fields is not None and fields[:4] == key:
            if not replaced:
                kept.append(new_line)
                replaced = True
            continue  # a second line for the same key would never be read: drop it
        kept.append(line)
    if not replaced:
        kept.append(new_line)
    _write_private(path, "\n".join(kept) + "\n")
    return path


def stored_password(host: str, port: int | None, database: str, user: str,
                    path: Path | None = None) -> str | None:
    """The password libpq would take for this server, as it matches (first line wins,
    ``*`` matches any value); None when there is none."""
    path = path or password_file()
    if not path.exists():
        return None
    key = [host, str(port or DEFAULT_PORT), database, user]
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = split_line(line)
        if fields is not None and all(f in ("*", k) for f, k in zip(fields[:4], key,
                                                                     strict=True)):
            return fields[4]
    return None


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` atomically, readable by the owner only (libpq's requirement)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:  # mkstemp creates the file with mode 0600
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        if sys.platform != "win32":
            os.chmod(path, 0o600)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
