"""libpq's password file (pgpass): where a PC keeps its PostgreSQL passwords.

The PostgreSQL convention, read by libpq itself whenever a URL names no password:
``~/.pgpass`` on Linux, ``%APPDATA%\\postgresql\\pgpass.conf`` on Windows, or the file
named by the ``PGPASSFILE`` environment variable. One line per server account::

    hostname:port:database:username:password

``*`` matches anything in the first four fields; ``:`` and ``\\`` inside a field are
escaped with a backslash. libpq ignores the file on Linux when others may read it
(it must be mode 0600).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DEFAULT_PORT = 5432


def pgpass_path() -> Path:
    """Where libpq looks for the password file on this PC."""
    named = os.environ.get("PGPASSFILE")
    if named:
        return Path(named).expanduser()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def escape(field: str) -> str:
    return field.replace("\\", "\\\\").replace(":", "\\:")


def split_line(line: str) -> list[str]:
    """The fields of one pgpass line (escapes resolved)."""
    fields: list[str] = []
    current: list[str] = []
    chars = iter(line)
    for char in chars:
        if char == "\\":
            current.append(next(chars, ""))
        elif char == ":" and len(fields) < 4:
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
    fields.append("".join(current))
    return fields


def pgpass_line(host: str, port: int | None, database: str, user: str, password: str) -> str:
    """One line of the password file for an account."""
    return ":".join(escape(part) for part in (
        host, str(port or DEFAULT_PORT), database, user)) + ":" + escape(password)


def find_password(host: str | None, port: int | None, database: str, user: str,
                  path: Path | None = None) -> str | None:
    """The password libpq would use for this account, from the password file (first
    matching line, as libpq reads it); None when the file or a matching line is absent."""
    path = path or pgpass_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    wanted = (host or "localhost", str(port or DEFAULT_PORT), database, user)
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = split_line(line)
        if len(fields) != 5:
            continue
        if all(have in ("*", want) for have, want in zip(fields[:4], wanted, strict=True)):
            return fields[4]
    return None
