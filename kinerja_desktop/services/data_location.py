"""Where this PC's data lives: its data folder's SQLite file (the default) or the office's
PostgreSQL server.

The choice is a setting of this PC, kept in the data folder (``lokasi-data.json``: the
server's URL, never a password) next to this PC's log and settings. The window and every
command use it when no ``--database-url`` is given. The password goes into libpq's own
password file (:mod:`kinerja_desktop.db.pgpass`), where every connection of this PC finds
it; the app never stores it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from kinerja_desktop.domain.errors import KinerjaError, ValidationError
from kinerja_desktop.paths import DataDir

THIS_COMPUTER = "komputer-ini"
SERVER = "server"
DEFAULT_PORT = 5432
DEFAULT_DATABASE = "kinerja"
MINIMUM_SERVER_VERSION = 15
#: What PostgreSQL accepts as a name without quoting, within its 63 bytes.
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$.-]{0,62}$")
_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._:-]{0,252})$")


class ConnectionFailed(KinerjaError):
    """The server could not be used (the message says why, in Indonesian)."""


@dataclass(frozen=True)
class ServerAddress:
    """The office server as this PC reaches it (no password)."""

    host: str
    port: int = DEFAULT_PORT
    database: str = DEFAULT_DATABASE
    user: str = ""

    def checked(self) -> ServerAddress:
        """The address with spaces trimmed; ValidationError naming the first bad field."""
        address = ServerAddress(self.host.strip(), self.port, self.database.strip(),
                                self.user.strip())
        if not address.host:
            raise ValidationError("Isi alamat server (nama komputer atau alamat IP).")
        if not _HOST.match(address.host):
            raise ValidationError(f"Alamat server '{address.host}' tidak sah; tulis nama "
                                  "komputer atau alamat IP saja, mis. 192.168.1.10.")
        if not 1 <= address.port <= 65535:
            raise ValidationError("Port server harus antara 1 dan 65535 (bawaan PostgreSQL: "
                                  "5432).")
        for value, label in ((address.database, "Nama basis data"),
                             (address.user, "Nama pengguna server")):
            if not value:
                raise ValidationError(f"{label} wajib diisi.")
            if not _NAME.match(value):
                raise ValidationError(f"{label} '{value}' tidak sah: huruf, angka, garis bawah "
                                      "atau tanda hubung, diawali huruf, paling banyak 63.")
        return address

    @property
    def url(self) -> str:
        """``postgresql+psycopg://user@host:port/database`` (no password, ever)."""
        from sqlalchemy.engine import URL

        return URL.create("postgresql+psycopg", username=self.user, host=self.host,
                          port=self.port, database=self.database).render_as_string(
                              hide_password=False)

    @property
    def label(self) -> str:
        return f"{self.host}/{self.database}"

    @classmethod
    def from_url(cls, url: str) -> ServerAddress:
        from kinerja_desktop.db.backends.base import DatabaseError
        from kinerja_desktop.db.backends.postgresql import parse_server_url

        try:
            parsed = parse_server_url(url)
        except DatabaseError as exc:
            raise ValidationError(str(exc)) from None
        return cls(parsed.host or "localhost", parsed.port or DEFAULT_PORT,
                   parsed.database or "", parsed.username or "")


@dataclass(frozen=True)
class DataLocation:
    """This PC's choice: ``server`` None means the data folder's own SQLite file."""

    server: ServerAddress | None = None
    #: False when nothing was chosen yet (a new data folder): the first-run wizard asks.
    chosen: bool = True

    @property
    def database_url(self) -> str | None:
        return self.server.url if self.server is not None else None


def read_location(root: Path) -> DataLocation:
    """This data folder's choice (not chosen yet: this PC's own file, ``chosen`` False)."""
    path = DataDir(root).location_file
    if not path.exists():
        return DataLocation(None, chosen=False)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        kind = stored["lokasi"]
        if kind == THIS_COMPUTER:
            return DataLocation(None)
        if kind == SERVER:
            return DataLocation(ServerAddress.from_url(stored["url"]))
        raise ValueError(kind)
    except (OSError, ValueError, KeyError, TypeError, ValidationError) as exc:
        raise ValidationError(
            f"Berkas pengaturan lokasi data {path} rusak ({exc}); pilih lokasi data lagi "
            "(Pengaturan ▸ Lokasi data) atau hapus berkas itu untuk memakai data di komputer "
            "ini.") from None


def stored_database_url(root: Path) -> str | None:
    """The server this data folder uses (None: its own SQLite file)."""
    return read_location(root).database_url


def use_this_computer(root: Path) -> None:
    """From now on this PC uses its data folder's SQLite file."""
    _write(root, {"lokasi": THIS_COMPUTER})


def use_server(root: Path, address: ServerAddress, password: str = "") -> Path | None:
    """From now on this PC uses ``address``; a ``password`` given is written to libpq's
    password file (returned), replacing an earlier one for the same server and user."""
    from kinerja_desktop.db import pgpass

    address = address.checked()
    written = None
    if password:
        try:
            written = pgpass.store_password(address.host, address.port, address.database,
                                            address.user, password)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        except OSError as exc:
            raise ValidationError(f"Berkas kata sandi PostgreSQL tidak dapat ditulis "
                                  f"({exc.strerror or exc}).") from None
    _write(root, {"lokasi": SERVER, "url": address.url})
    return written


def _write(root: Path, content: dict[str, str]) -> None:
    from kinerja_desktop.atomic import atomic_write_text

    data_dir = DataDir(root)
    data_dir.root.mkdir(parents=True, exist_ok=True)
    atomic_write_text(data_dir.location_file,
                      json.dumps(content, ensure_ascii=False, indent=2) + "\n")


@dataclass(frozen=True)
class ServerCheck:
    """What "Uji koneksi" found: one Indonesian message, and whether the server already
    holds an office (people to log in)."""

    message: str
    has_office: bool


def check_server(address: ServerAddress, password: str = "") -> ServerCheck:
    """Connect once to ``address`` (with ``password`` when given, else the password file)
    and say whether this PC can use it. Blocks up to a few seconds: run it off the GUI
    thread. :class:`ConnectionFailed` or ValidationError otherwise."""
    from kinerja_desktop.db import migrate
    from kinerja_desktop.db.backends.base import DatabaseError
    from kinerja_desktop.db.backends.postgresql import parse_server_url, probe

    address = address.checked()
    try:
        found = probe(parse_server_url(address.url), password or None)
        migrate.check_not_newer(found.revision)
    except DatabaseError as exc:
        raise ConnectionFailed(str(exc)) from None
    except ImportError:
        raise ConnectionFailed("Pengandar PostgreSQL (psycopg) belum terpasang di komputer "
                               "ini; pasang Kinerja Desktop dengan dukungan server.") from None
    major = int(re.match(r"\d+", found.server_version).group())
    if major < MINIMUM_SERVER_VERSION:
        raise ConnectionFailed(f"Server memakai PostgreSQL {found.server_version}; diperlukan "
                               f"versi {MINIMUM_SERVER_VERSION} atau lebih baru.")
    head = f"Tersambung ke PostgreSQL {found.server_version} di {address.label} sebagai " \
           f"{found.user}."
    if found.revision != migrate.HEAD_REVISION and not found.may_change_schema:
        work = "disiapkan" if found.revision is None else "diperbarui untuk versi aplikasi ini"
        raise ConnectionFailed(
            f"{head} Basis data itu perlu {work}, tetapi pengguna {found.user} tidak berhak "
            "mengubah skema. Minta administrator server menjalankan 'kinerja-desktop "
            "server-init' (sebagai pemilik basis data), lalu uji lagi.")
    if found.revision is None:
        return ServerCheck(f"{head} Basis data masih kosong; disiapkan saat pertama dibuka.",
                           False)
    update = "" if found.revision == migrate.HEAD_REVISION else \
        " Skemanya diperbarui saat pertama dibuka dengan versi ini."
    if found.people == 0:
        return ServerCheck(f"{head} Basis data Kinerja Desktop belum berisi pengguna; penyiapan "
                           f"awal dilanjutkan di sini.{update}", False)
    return ServerCheck(f"{head} Berisi data kantor ({found.people} pengguna).{update}", True)


def open_chosen(root: Path):
    """Open (and migrate) the data where this folder's setting says it lives: the
    ServiceContext, or :class:`ConnectionFailed` saying why not (nothing changed)."""
    from kinerja_desktop.db.backends.base import DatabaseError
    from kinerja_desktop.services.startup import open_context

    try:
        return open_context(root, database_url=stored_database_url(root))
    except DatabaseError as exc:
        raise ConnectionFailed(str(exc)) from None


def discard_unused_file(root: Path) -> bool:
    """Remove the data folder's SQLite file when nobody ever used it (no person, no cycle):
    the first start made it before this PC chose the office's server. True if removed;
    a file holding anything is always kept."""
    from sqlalchemy import func, select

    from kinerja_desktop.db.backends import backend_for
    from kinerja_desktop.db.models import Cycle, Person

    data_dir = DataDir(root)
    if not data_dir.database.exists():
        return False
    backend = backend_for(data_dir)
    try:
        with backend.engine.connect() as conn:
            used = conn.scalar(select(func.count()).select_from(Person)) or \
                conn.scalar(select(func.count()).select_from(Cycle))
    except Exception:  # noqa: BLE001 - not readable as ours: certainly not ours to delete
        return False
    finally:
        backend.dispose()
    if used:
        return False
    for suffix in ("", "-wal", "-shm"):
        data_dir.database.with_name(data_dir.database.name + suffix).unlink(missing_ok=True)
    return True
