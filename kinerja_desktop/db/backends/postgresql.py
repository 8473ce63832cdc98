"""An office's PostgreSQL server (``postgresql+psycopg://user@host:port/database``).

psycopg 3 is imported by SQLAlchemy only when an engine of this backend first
connects, so the SQLite default never loads it. The password is never part of the
URL: libpq reads it from its password file (``~/.pgpass``, on Windows
``%APPDATA%\\postgresql\\pgpass.conf``), the PostgreSQL convention.

- Locks: ``pg_advisory_xact_lock`` on a key derived from the lock's name.
- Migrations need no copy first: PostgreSQL's DDL is transactional, so a migration
  that fails leaves the database as it was.
- The clock is the server's (``clock_timestamp()``), so two PCs whose clocks
  disagree still record times in one order.
- Other PCs hear of each change through ``NOTIFY`` on the channel :data:`NOTIFY_CHANNEL`,
  sent inside the changing transaction (delivered only if it commits) and received by a
  :class:`ServerListener`: one autocommit psycopg connection that ``LISTEN``s.
"""

from __future__ import annotations

import hashlib
import logging
import select
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from kinerja_desktop.db.backends.base import Backend, DatabaseError, IntegrityResult, Listener

EXAMPLE_URL = "postgresql+psycopg://pengguna@server:5432/kinerja"
log = logging.getLogger("kinerja_desktop.database")

CONNECT_TIMEOUT_S = 10
#: How often the server's clock is read again (in between, this PC's monotonic clock
#: carries it forward, so a change of this PC's wall clock changes nothing).
CLOCK_RESYNC_S = 60.0
#: Triggers that keep the audit log append-only (created by the first migration).
AUDIT_TRIGGERS = ("audit_log_no_change", "audit_log_no_truncate")
#: SQLSTATEs worth running the transaction again for: serialization failure,
#: deadlock detected, lock not available.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
#: The channel every change is announced on.
NOTIFY_CHANNEL = "kinerja"
#: PostgreSQL's limit for one notification's payload is 8000 bytes.
MAX_NOTIFY_PAYLOAD = 7900
#: TCP keepalives on the listening connection: a server that vanished without closing the
#: connection (a cable pulled, a switch off) is noticed within about 15 seconds, by the
#: operating system, without the program asking anything.
LISTENER_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 6, "keepalives_interval": 3,
                       "keepalives_count": 3}


def parse_server_url(text_url: str) -> URL:
    """Check a ``--database-url``; the URL with the psycopg driver, or DatabaseError."""
    try:
        url = make_url(text_url.strip())
    except ArgumentError:
        raise DatabaseError(f"URL basis data tidak sah. Contoh: {EXAMPLE_URL}") from None
    if url.get_backend_name() != "postgresql":
        raise DatabaseError(
            f"URL basis data harus untuk server PostgreSQL (contoh: {EXAMPLE_URL}); basis data "
            "SQLite di komputer ini dipilih dengan --data-dir."
        )
    if "+" in url.drivername and url.get_driver_name() != "psycopg":
        raise DatabaseError(f"Gunakan pengandar psycopg: {EXAMPLE_URL}")
    if url.password:
        raise DatabaseError(
            "Jangan menulis kata sandi di URL basis data. Simpan kata sandinya di berkas kata "
            "sandi PostgreSQL (pgpass), lalu tulis URL tanpa kata sandi, misalnya "
            f"{EXAMPLE_URL}"
        )
    if not url.database:
        raise DatabaseError(f"URL basis data tidak menyebut nama basis datanya: {EXAMPLE_URL}")
    return url.set(drivername="postgresql+psycopg")


def application_name(program: str = "Kinerja Desktop") -> str:
    """How this PC's connections show in ``pg_stat_activity``: the program, the computer
    and the person signed in to it (a restore names the PCs still connected)."""
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name in the environment (a service)
        user = "?"
    name = f"{program} {socket.gethostname()}/{user}"
    # PostgreSQL keeps at most 63 bytes, and only printable ASCII.
    name = "".join(c if " " <= c <= "~" else "?" for c in name)
    return name[:63]


def describe_connection_error(error: BaseException, location: str,
                              password_typed: bool = False) -> str:
    """One Indonesian line for a failed connection (never libpq's English text);
    ``password_typed``: the password was typed just now, not taken from pgpass."""
    text_error = str(getattr(error, "orig", error))
    lowered = text_error.lower()
    if "password authentication failed" in lowered and password_typed:
        reason = "kata sandi ditolak; periksa kata sandi yang diketik"
    elif "password authentication failed" in lowered or "no password supplied" in lowered:
        reason = "kata sandi ditolak atau tidak ada; periksa berkas kata sandi PostgreSQL (pgpass)"
    elif "server closed the connection" in lowered or "terminating connection" in lowered:
        reason = "server memutus sambungan (dihentikan, dimulai ulang, atau jaringan terputus)"
    elif "does not exist" in lowered and "database" in lowered:
        reason = "basis data itu tidak ada di server"
    elif "does not exist" in lowered and "role" in lowered:
        reason = "nama pengguna itu tidak dikenal server"
    elif "no pg_hba.conf entry" in lowered:
        reason = "server tidak mengizinkan komputer ini (pg_hba.conf)"
    elif "timeout" in lowered or "timed out" in lowered:
        reason = "server tidak menjawab dalam batas waktu"
    elif "could not translate host name" in lowered or "name or service not known" in lowered:
        reason = "nama server tidak dikenal"
    elif "connection refused" in lowered or "is the server running" in lowered:
        reason = "server tidak menerima sambungan (belum berjalan atau port salah)"
    elif "permission denied for database" in lowered:
        reason = ("pengguna ini tidak (lagi) berhak menyambung ke basis data itu (bukan "
                  "pengguna basis data itu, atau basis data sedang dipulihkan dari cadangan: "
                  "coba lagi beberapa saat lagi atau hubungi administrator server)")
    elif "too many" in lowered and "connection" in lowered:
        reason = "server sedang menerima terlalu banyak sambungan"
    else:
        reason = "sambungan gagal"
    return f"Server basis data {location} tidak dapat dipakai: {reason}."


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for ``name``."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big", signed=True)


class ServerClock:
    """The server's ``clock_timestamp()``, read at most every :data:`CLOCK_RESYNC_S` and
    carried forward in between with this PC's monotonic clock.

    When the server does not answer, "now" goes on from the last reading (or, before the
    first one, from this PC's clock) and the server is asked again a resync interval
    later: a timer asking for the time never fails, nor waits on the network each time.
    """

    def __init__(self, engine: Engine, resync_s: float = CLOCK_RESYNC_S) -> None:
        self._engine = engine
        self._resync_s = resync_s
        self._lock = threading.Lock()
        self._base: datetime | None = None
        self._at = 0.0
        self._next_read = 0.0

    def __call__(self) -> datetime:
        with self._lock:
            mono = time.monotonic()
            if mono >= self._next_read:
                self._read_server()
                mono = time.monotonic()
            if self._base is None:  # the server has never answered
                return datetime.now(UTC)
            return self._base + timedelta(seconds=mono - self._at)

    def _read_server(self) -> None:
        try:
            with self._engine.connect() as conn:
                asked = time.monotonic()
                server = conn.execute(text("SELECT clock_timestamp()")).scalar_one()
                answered = time.monotonic()
        except DBAPIError as exc:
            log.warning("Jam server tidak dapat dibaca; memakai %s: %s",
                        "bacaan terakhir" if self._base is not None else "jam komputer ini",
                        exc.orig)
            self._next_read = time.monotonic() + self._resync_s
            return
        # The server read its clock somewhere in between: take the middle.
        self._base, self._at = server.astimezone(UTC), (asked + answered) / 2
        self._next_read = answered + self._resync_s


class PostgresBackend(Backend):
    """A database on a PostgreSQL server."""

    name = "postgresql"

    def __init__(self, url: URL) -> None:
        super().__init__()
        self.url = url
        self._clock: ServerClock | None = None

    def _create_engine(self) -> Engine:
        return create_engine(
            self.url,
            pool_pre_ping=True,
            hide_parameters=True,  # no value (a password hash) in an error's message
            connect_args={"connect_timeout": CONNECT_TIMEOUT_S,
                          "application_name": application_name()},
        )

    @property
    def location(self) -> str:
        host = self.url.host or "localhost"
        port = f":{self.url.port}" if self.url.port else ""
        return f"{host}{port}/{self.url.database}"

    def _connect(self) -> Connection:
        try:
            return self.engine.connect()
        except OperationalError as exc:
            raise DatabaseError(describe_connection_error(exc, self.location)) from None

    def exists(self) -> bool:
        self._connect().close()
        return True

    def stored_revision(self) -> str | None:
        with self._connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if "alembic_version" not in tables:
                if tables:
                    raise DatabaseError(
                        f"Basis data {self.location} bukan basis data Kinerja Desktop (tabel "
                        "versi skema tidak ada) dan tidak kosong; pilih basis data yang kosong."
                    )
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    @contextmanager
    def migrating(self, lock_name: str) -> Iterator[Connection]:
        """As the base class, after checking that this user may change the schema: on a
        server set up by ``server-init`` only the owner role may, the PCs' role not."""
        with super().migrating(lock_name) as connection:
            may, user = connection.execute(text(
                "SELECT has_schema_privilege('public', 'CREATE'), current_user")).one()
            if not may:
                raise DatabaseError(
                    f"Skema basis data {self.location} perlu diperbarui untuk versi aplikasi "
                    f"ini, tetapi pengguna {user} tidak berhak mengubah skema. Minta "
                    "administrator server menjalankan 'kinerja-desktop server-init' sekali "
                    "lagi (memperbarui skema sebagai pemilik basis data); data tidak diubah."
                )
            yield connection

    def lock(self, connection: Connection, name: str) -> None:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(name)})

    def integrity_checks(self, connection: Connection) -> IntegrityResult:
        result = IntegrityResult()
        version = connection.execute(text("SHOW server_version")).scalar()
        invalid = connection.execute(text(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE NOT convalidated AND connamespace = 'public'::regnamespace"
        )).all()
        for table, name in invalid:
            result.problems.append(f"Batasan {name} pada tabel {table} belum divalidasi")
        triggers = dict(connection.execute(text(
            "SELECT tgname, tgenabled FROM pg_trigger "
            "WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal"
        )).all())
        for trigger in AUDIT_TRIGGERS:
            if trigger not in triggers:
                result.problems.append(f"Pemicu {trigger} (log audit hanya-tambah) tidak ada")
            elif triggers[trigger] == "D":
                result.problems.append(f"Pemicu {trigger} (log audit hanya-tambah) dinonaktifkan")
        if not result.problems:
            result.notes.append(f"PostgreSQL {version}: batasan dan pemicu log audit utuh")
        from kinerja_desktop.db.backends.postgresql_checks import server_checks

        more = server_checks(connection)
        result.problems.extend(more.problems)
        result.notes.extend(more.notes)
        return result

    def write_snapshot(self, target: Path) -> None:
        from kinerja_desktop.db import migrate
        from kinerja_desktop.db.backends.sqlite import SqliteBackend
        from kinerja_desktop.db.transfer import copy_rows, remove_rows_made_by_migrations

        revision = self.stored_revision()
        if revision != migrate.HEAD_REVISION:
            raise DatabaseError(
                f"Basis data {self.location} (revisi skema {revision}) belum diperbarui; "
                "buka aplikasi sekali untuk memperbaruinya."
            )
        copy = SqliteBackend(target)
        try:
            migrate.upgrade(copy, target.parent)
            # One consistent view of the server's data for the whole copy.
            with self._connect() as source:
                source = source.execution_options(isolation_level="REPEATABLE READ",
                                                  postgresql_readonly=True)
                with source.begin(), copy.write_engine.begin() as sink:
                    remove_rows_made_by_migrations(sink)  # the server's own rows come in
                    copy_rows(source, sink)
        finally:
            copy.dispose()

    def clock(self) -> Callable[[], datetime]:
        if self._clock is None:
            self._clock = ServerClock(self.engine)
        return self._clock

    def is_retryable(self, error: BaseException) -> bool:
        orig = getattr(error, "orig", error) if isinstance(error, DBAPIError) else error
        return getattr(orig, "sqlstate", None) in RETRYABLE_SQLSTATES

    def dispose(self) -> None:
        super().dispose()
        self._clock = None


    # ----------------------------------------------------------------- other PCs

    def announce(self, connection: Connection, messages: Sequence[str]) -> None:
        if messages:
            connection.execute(
                text("SELECT pg_notify(:channel, m) FROM unnest(CAST(:messages AS text[])) AS m"),
                {"channel": NOTIFY_CHANNEL, "messages": list(messages)},
            )

    def open_listener(self) -> ServerListener:
        return ServerListener.connect(self.url, self.location)

    def ping(self, timeout_s: float = 3) -> None:
        import psycopg

        try:
            with psycopg.connect(**connect_params(self.url, timeout_s), autocommit=True,
                                 application_name=application_name("Kinerja Desktop (cek)")) \
                    as conn:
                conn.execute("SELECT 1")
        except psycopg.Error as exc:
            raise DatabaseError(describe_connection_error(exc, self.location)) from None


def connect_params(url: URL, timeout_s: float = CONNECT_TIMEOUT_S) -> dict[str, object]:
    """libpq parameters for a direct psycopg connection to ``url`` (the password, if any,
    comes from the password file, never from here)."""
    params: dict[str, object] = {"dbname": url.database, "connect_timeout": max(1, int(timeout_s))}
    if url.host:
        params["host"] = url.host
    if url.port:
        params["port"] = url.port
    if url.username:
        params["user"] = url.username
    for key, value in url.query.items():
        params[key] = value if isinstance(value, str) else value[-1]
    return params


class ServerListener(Listener):
    """One autocommit psycopg connection that ``LISTEN``s on :data:`NOTIFY_CHANNEL`."""

    def __init__(self, connection, location: str) -> None:  # noqa: ANN001 - psycopg.Connection
        self._conn = connection
        self.location = location
        self._ended = False
        # A server ending the connection (shut down, restarted, an administrator) first
        # sends a FATAL message, which libpq hands over as a notice.
        connection.add_notice_handler(self._on_notice)

    def _on_notice(self, diagnostic) -> None:  # noqa: ANN001 - psycopg.errors.Diagnostic
        if diagnostic.severity_nonlocalized in ("FATAL", "PANIC"):
            self._ended = True

    @classmethod
    def connect(cls, url: URL, location: str) -> ServerListener:
        import psycopg

        try:
            conn = psycopg.connect(
                **connect_params(url), **LISTENER_KEEPALIVES, autocommit=True,
                application_name=application_name("Kinerja Desktop (pemberitahuan)"))
        except psycopg.Error as exc:
            raise DatabaseError(describe_connection_error(exc, location)) from None
        try:
            conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        except psycopg.Error as exc:
            conn.close()
            raise DatabaseError(describe_connection_error(exc, location)) from None
        return cls(conn, location)

    def fileno(self) -> int:
        return self._conn.fileno()

    def pending(self) -> list[str]:
        import psycopg

        received: list[str] = []
        try:
            # A server ending the connection first sends its reason, which reads without
            # error; the end of the connection is read on the next pass. So read while the
            # socket still has something (a few passes at most, never waiting).
            for _ in range(4):
                received += [n.payload for n in self._conn.notifies(timeout=0)
                             if n.channel == NOTIFY_CHANNEL]
                if not select.select([self._conn.fileno()], [], [], 0)[0]:
                    break
        except (psycopg.Error, OSError, ValueError) as exc:
            raise DatabaseError(describe_connection_error(exc, self.location)) from None
        if self._ended:
            raise DatabaseError(f"Server basis data {self.location} memutus sambungan (server "
                                "dihentikan atau dimulai ulang).")
        return received

    def close(self) -> None:
        self._conn.close()


@dataclass(frozen=True)
class ServerProbe:
    """What a test connection found (see :func:`probe`)."""

    server_version: str
    user: str
    #: None: the database is empty (it is prepared when first opened); else the schema
    #: revision of Kinerja Desktop it holds.
    revision: str | None
    people: int
    #: Whether this user may create the schema or bring it up to date (``server-init``
    #: leaves that to the owner role; the PCs' role may not).
    may_change_schema: bool = True


def probe(url: URL, password: str | None = None, timeout_s: float = 5) -> ServerProbe:
    """Connect once to ``url`` (with ``password`` when given, else libpq's password file)
    and say what is there; :class:`DatabaseError` with one Indonesian line otherwise."""
    import psycopg

    host = url.host or "localhost"
    location = f"{host}{f':{url.port}' if url.port else ''}/{url.database}"
    params = connect_params(url, timeout_s)
    if password:
        params["password"] = password
    try:
        with psycopg.connect(
                **params, autocommit=True,
                application_name=application_name("Kinerja Desktop (uji koneksi)")) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
            user, may_change_schema = conn.execute(
                "SELECT current_user, has_schema_privilege('public', 'CREATE')").fetchone()
            tables = {r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
            revision = people = None
            if "alembic_version" in tables:
                revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = revision[0] if revision else None
                if "people" in tables:
                    people = conn.execute("SELECT count(*) FROM people").fetchone()[0]
    except psycopg.Error as exc:
        raise DatabaseError(describe_connection_error(exc, location, bool(password))) from None
    if revision is None and tables - {"alembic_version"}:
        raise DatabaseError(
            f"Basis data {location} bukan basis data Kinerja Desktop (tabel versi skema tidak "
            "ada) dan tidak kosong; pilih basis data yang kosong.")
    return ServerProbe(version, user, revision, people or 0, bool(may_change_schema))
