"""Administration of an office's PostgreSQL server (``server-init``, restore, checks).

The database an office shares has two roles besides the server's administrator:

- the **owner** (default ``<database>_owner``) owns the database, its schema and every
  table; migrations run as this role (``server-init`` connects as the administrator and
  acts as the owner, ``SET ROLE`` through the connection's ``options``);
- the **app role** (default ``<database>_app``), the account every PC uses. It may read
  and write the office's rows and nothing else: no ``CREATE`` in the schema, owns no
  table (so it cannot ``ALTER``, ``DROP`` or disable a trigger), and on the audit log
  only ``SELECT`` and ``INSERT`` (``UPDATE``, ``DELETE`` and ``TRUNCATE`` are revoked,
  and the append-only triggers refuse them for anyone else).

Roles and the database made here carry a comment starting with :data:`MARK`, so that
running ``server-init`` again recognises its own work (and re-applies the rights) and
refuses names that belong to something else. Everything here talks to the server
through SQLAlchemy on psycopg 3; passwords are sent only as SCRAM verifiers computed
on this PC (libpq's ``PQencryptPasswordConn``), never as text a server log could keep.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

from kinerja_desktop.db.backends.base import DatabaseError
from kinerja_desktop.db.backends.postgresql import (
    CONNECT_TIMEOUT_S,
    application_name,
    describe_connection_error,
    lock_key,
)
from kinerja_desktop.db.backends.postgresql_checks import DAILY_BACKUP_KEY, last_daily_backup

#: Comment prefix on the roles and the database ``server-init`` makes.
MARK = "Kinerja Desktop"
EXAMPLE_ADMIN_URL = "postgresql+psycopg://postgres@localhost:5432/postgres"
DEFAULT_DATABASE = "kinerja"
MIN_PASSWORD = 8
#: SQLSTATE insufficient_privilege
_NO_PRIVILEGE = "42501"
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

#: The server lock that decides which PC makes the office's daily backup.
DAILY_BACKUP_LOCK = "kinerja-desktop:cadangan-harian"


class PasswordNeeded(DatabaseError):
    """The server asked for a password that libpq's password file did not give."""


def owner_name(database: str) -> str:
    return f"{database}_owner"


def app_name(database: str) -> str:
    return f"{database}_app"


def check_name(name: str, what: str) -> str:
    """A database or role name: lower-case letters, digits and ``_`` (no quoting needed)."""
    if not _NAME.fullmatch(name or ""):
        raise DatabaseError(
            f"Nama {what} '{name}' tidak sah: gunakan huruf kecil, angka dan garis bawah, "
            "diawali huruf (paling banyak 63 karakter)."
        )
    return name


def parse_admin_url(text_url: str) -> URL:
    """The administrator's URL (the database defaults to ``postgres``); no password."""
    try:
        url = make_url(text_url.strip())
    except ArgumentError:
        raise DatabaseError(f"URL admin tidak sah. Contoh: {EXAMPLE_ADMIN_URL}") from None
    if url.get_backend_name() != "postgresql":
        raise DatabaseError(f"URL admin harus untuk server PostgreSQL, misalnya "
                            f"{EXAMPLE_ADMIN_URL}")
    if "+" in url.drivername and url.get_driver_name() != "psycopg":
        raise DatabaseError(f"Gunakan pengandar psycopg: {EXAMPLE_ADMIN_URL}")
    if url.password:
        raise DatabaseError(
            "Jangan menulis kata sandi di URL admin: PostgreSQL membacanya dari berkas kata "
            "sandinya (pgpass) atau dari variabel PGPASSWORD, atau ditanyakan di terminal."
        )
    if not url.username:
        raise DatabaseError(f"URL admin tidak menyebut nama penggunanya: {EXAMPLE_ADMIN_URL}")
    return url.set(drivername="postgresql+psycopg", database=url.database or "postgres")


def _is_auth_failure(error: BaseException) -> bool:
    lowered = str(getattr(error, "orig", error)).lower()
    return "password authentication failed" in lowered or "no password supplied" in lowered \
        or "fe_sendauth" in lowered


def admin_engine(url: URL, password: str | None = None, *, database: str | None = None,
                 role: str | None = None) -> Engine:
    """An engine in autocommit (``CREATE DATABASE`` needs it) without a pool.

    ``database`` connects to another database of the same server; ``role`` acts as that
    role from the first statement (``SET ROLE`` through the startup ``options``).
    """
    if database is not None:
        url = url.set(database=database)
    if password is not None:
        url = url.set(password=password)
    connect_args: dict[str, object] = {"connect_timeout": CONNECT_TIMEOUT_S,
                                       "application_name": application_name("server-init")}
    if role is not None:
        connect_args["options"] = f"-c role={check_name(role, 'peran')}"
    return create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT",
                         connect_args=connect_args)


def connect(engine: Engine, location: str) -> Connection:
    """A connection, or one Indonesian line (:class:`PasswordNeeded` for a password)."""
    try:
        return engine.connect()
    except OperationalError as exc:
        if _is_auth_failure(exc):
            raise PasswordNeeded(describe_connection_error(exc, location)) from None
        raise DatabaseError(describe_connection_error(exc, location)) from None


def location_of(url: URL) -> str:
    host = url.host or "localhost"
    port = f":{url.port}" if url.port else ""
    return f"{host}{port}/{url.database}"


def is_privilege_error(error: BaseException) -> bool:
    orig = getattr(error, "orig", error) if isinstance(error, DBAPIError) else error
    return getattr(orig, "sqlstate", None) == _NO_PRIVILEGE


# --------------------------------------------------------------------------- the administrator


@dataclass(frozen=True)
class AdminRights:
    user: str
    superuser: bool
    create_database: bool
    create_role: bool
    server_version: int

    @property
    def enough(self) -> bool:
        return self.superuser or (self.create_database and self.create_role)


def admin_rights(conn: Connection) -> AdminRights:
    row = conn.execute(text(
        "SELECT current_user, rolsuper, rolcreatedb, rolcreaterole, "
        "current_setting('server_version_num')::int "
        "FROM pg_roles WHERE rolname = current_user")).one()
    return AdminRights(row[0], row[1], row[2], row[3], row[4])


def require_admin_rights(rights: AdminRights) -> None:
    if not rights.enough:
        missing = [what for what, have in (("membuat basis data (CREATEDB)",
                                            rights.create_database),
                                           ("membuat peran (CREATEROLE)", rights.create_role))
                   if not have]
        raise DatabaseError(
            f"Pengguna {rights.user} tidak berhak {' dan '.join(missing)}. Jalankan "
            "server-init dengan URL admin milik superuser PostgreSQL (misalnya postgres)."
        )


# --------------------------------------------------------------------------- roles, database


def role_state(conn: Connection, name: str) -> str:
    """``absent``, ``ours`` (made by server-init) or ``foreign``."""
    row = conn.execute(text(
        "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = :n"),
        {"n": name}).first()
    if row is None:
        return "absent"
    return "ours" if (row[0] or "").startswith(MARK) else "foreign"


def database_state(conn: Connection, name: str, owner: str) -> str:
    """``absent``, ``ours`` (made by server-init for ``owner``) or ``foreign``."""
    row = conn.execute(text(
        "SELECT pg_get_userbyid(datdba), shobj_description(oid, 'pg_database') "
        "FROM pg_database WHERE datname = :n"), {"n": name}).first()
    if row is None:
        return "absent"
    return "ours" if row[0] == owner and (row[1] or "").startswith(MARK) else "foreign"


def database_owner(conn: Connection, name: str) -> str | None:
    return conn.execute(text("SELECT pg_get_userbyid(datdba) FROM pg_database "
                             "WHERE datname = :n"), {"n": name}).scalar()


def scram_verifier(conn: Connection, role: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password`` for ``role``, computed by libpq here:
    the password itself never travels to the server or into its log."""
    pgconn = conn.connection.dbapi_connection.pgconn  # type: ignore[union-attr]
    verifier = pgconn.encrypt_password(password.encode("utf-8"), role.encode("utf-8"),
                                       b"scram-sha-256")
    return verifier.decode("ascii")


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def create_role(conn: Connection, name: str, password: str, comment: str) -> None:
    verifier = scram_verifier(conn, name, password)
    # Driver-level statements: the literals hold ':' and '%', which are no parameters.
    conn.exec_driver_sql(f"CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                         f"NOREPLICATION PASSWORD {_literal(verifier)}")
    conn.exec_driver_sql(f"COMMENT ON ROLE {name} IS {_literal(comment)}")


def set_password(conn: Connection, name: str, password: str) -> None:
    conn.exec_driver_sql(f"ALTER ROLE {name} PASSWORD "
                         f"{_literal(scram_verifier(conn, name, password))}")


def may_act_as(conn: Connection, role: str) -> bool:
    return bool(conn.execute(text("SELECT pg_has_role(current_user, :r, 'MEMBER')"),
                             {"r": role}).scalar())


def grant_membership(conn: Connection, role: str, user: str) -> None:
    """Let ``user`` act as ``role`` (a non-superuser administrator making a database
    owned by ``role`` needs it)."""
    conn.execute(text(f'GRANT {role} TO "{user}"'))


def create_database(conn: Connection, name: str, owner: str, comment: str) -> None:
    conn.execute(text(f"CREATE DATABASE {name} OWNER {owner} TEMPLATE template0 "
                      "ENCODING 'UTF8'"))
    conn.exec_driver_sql(f"COMMENT ON DATABASE {name} IS {_literal(comment)}")


def secure_database(conn: Connection, name: str, owner: str, app: str) -> None:
    """Only the owner and the app role may connect (nobody else, not PUBLIC)."""
    conn.execute(text(f"REVOKE ALL ON DATABASE {name} FROM PUBLIC"))
    conn.execute(text(f"GRANT CONNECT, TEMPORARY ON DATABASE {name} TO {owner}, {app}"))


def grant_app_rights(conn: Connection, owner: str, app: str) -> None:
    """On a connection to the office's database acting as its owner: the app role's
    rights on every table there is now and every table a later migration makes."""
    for statement in (
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {app}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {app}",
        # The audit log only grows; the schema's version is the owner's business.
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM {app}, PUBLIC",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {app}, PUBLIC",
    ):
        conn.execute(text(statement))


def let_owner_see_sessions(conn: Connection, owner: str) -> None:
    """The owner (who restores) sees where other connections come from and since when."""
    conn.execute(text(f"GRANT pg_read_all_stats TO {owner}"))


def install_amcheck(conn: Connection, owner: str, app: str) -> bool:
    """amcheck (index checks for ``check``) when the server has it; needs a superuser."""
    available = conn.execute(text(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'amcheck'")).first()
    if available is None:
        return False
    conn.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION bt_index_check(regclass) TO {owner}, {app}"))
    return True


# --------------------------------------------------------------------------- sessions, keeping out


@dataclass(frozen=True)
class ServerSession:
    """Another connection to the office's database (another PC, or a tool)."""

    pid: int
    user: str
    application: str
    client: str
    since: datetime | None

    @property
    def label(self) -> str:
        who = self.application or "aplikasi tanpa nama"
        where = f" dari {self.client}" if self.client else ""
        since = f", sejak {self.since.astimezone():%d-%m-%Y %H.%M}" if self.since else ""
        return f"{who} (pengguna {self.user}{where}{since})"


def other_sessions(conn: Connection) -> list[ServerSession]:
    """Client connections to this database other than ``conn`` itself."""
    rows = conn.execute(text(
        "SELECT a.pid, coalesce(r.rolname, ''), coalesce(a.application_name, ''), "
        "coalesce(host(a.client_addr), ''), a.backend_start "
        "FROM pg_stat_activity a LEFT JOIN pg_roles r ON r.oid = a.usesysid "
        "WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() "
        # Without pg_read_all_stats another role's backend_type reads NULL: count it.
        "AND a.usesysid IS NOT NULL AND coalesce(a.backend_type, 'client backend') = "
        "'client backend' ORDER BY a.backend_start NULLS LAST, a.pid")).all()
    return [ServerSession(*row) for row in rows]


def connect_grantees(conn: Connection) -> list[str]:
    """Who may connect to this database besides superusers (``PUBLIC`` for everyone)."""
    rows = conn.execute(text(
        "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END "
        "FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a "
        "WHERE d.datname = current_database() AND a.privilege_type = 'CONNECT'")).all()
    return sorted({row[0] for row in rows})


def _quoted_role(name: str) -> str:
    return "PUBLIC" if name == "PUBLIC" else '"' + name.replace('"', '""') + '"'


def keep_out(conn: Connection) -> list[str]:
    """Revoke CONNECT on this database from everyone but the current user (committed
    at once: new connections are refused from now on). Returns whom to let in again."""
    me = conn.execute(text("SELECT current_user, current_database()")).one()
    grantees = [g for g in connect_grantees(conn) if g != me[0]]
    if not conn.execute(text("SELECT has_database_privilege(current_database(), 'CONNECT')")
                        ).scalar():
        raise DatabaseError(f"Pengguna {me[0]} tidak berhak menyambung ke basis data {me[1]}.")
    database = '"' + me[1].replace('"', '""') + '"'
    for grantee in grantees:
        conn.execute(text(f"REVOKE CONNECT ON DATABASE {database} FROM {_quoted_role(grantee)}"))
    conn.commit()
    return grantees


def let_in(conn: Connection, grantees: list[str]) -> None:
    """Give back the CONNECT right :func:`keep_out` took (committed)."""
    name = conn.execute(text("SELECT current_database()")).scalar_one()
    database = '"' + name.replace('"', '""') + '"'
    for grantee in grantees:
        conn.execute(text(f"GRANT CONNECT ON DATABASE {database} TO {_quoted_role(grantee)}"))
    conn.commit()


def owns_the_tables(conn: Connection) -> tuple[bool, str, str]:
    """(may act as the tables' owner, current user, the owner of the audit log)."""
    row = conn.execute(text(
        "SELECT pg_has_role(current_user, c.relowner, 'USAGE') "
        "OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), "
        "current_user, pg_get_userbyid(c.relowner) FROM pg_class c "
        "WHERE c.oid = 'public.audit_log'::regclass")).one()
    return bool(row[0]), row[1], row[2]


# --------------------------------------------------------------------------- sequences


def serial_sequences(conn: Connection) -> list[tuple[str, str, str]]:
    """(table, column, sequence) of every table of the schema with a generated id."""
    from kinerja_desktop.db.models import Base

    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                    {"t": table.name, "c": column.name}).scalar()
            if sequence:
                found.append((table.name, column.name, sequence))
    return found


def sequences_not_settable(conn: Connection) -> list[str]:
    """Sequences the current user may not set (``setval`` needs UPDATE on them)."""
    return [sequence for _t, _c, sequence in serial_sequences(conn)
            if not conn.execute(text("SELECT has_sequence_privilege(:s, 'UPDATE')"),
                                {"s": sequence}).scalar()]


def reset_sequences(conn: Connection) -> None:
    """After rows were copied in with their ids: each sequence continues after the
    highest id (an empty table's starts at 1)."""
    for table, column, sequence in serial_sequences(conn):
        conn.execute(text(
            f'SELECT setval(:s, coalesce((SELECT max("{column}") FROM "{table}"), 0) + 1, '
            "false)"), {"s": sequence})


# --------------------------------------------------------------------------- daily backup


@dataclass
class DailyBackupTurn:
    """Whose turn it is to make the office's daily backup (see :func:`daily_backup_turn`)."""

    mine: bool
    day: str
    last: dict[str, str] = field(default_factory=dict)
    _conn: Connection | None = None

    def record(self, by: str, file_name: str) -> None:
        """Note (committed) that the backup of :attr:`day` was made, by whom and where."""
        assert self._conn is not None and self.mine
        value = json.dumps({"tanggal": self.day, "oleh": by, "berkas": file_name})
        self._conn.execute(text(
            "INSERT INTO settings (key, value) VALUES (:k, :v) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
            {"k": DAILY_BACKUP_KEY, "v": value})
        self._conn.commit()


@contextmanager
def daily_backup_turn(engine: Engine, day: str) -> Iterator[DailyBackupTurn]:
    """Decide which PC makes the office's backup of ``day`` (``YYYY-MM-DD``).

    The PC that gets the server lock (``pg_try_advisory_lock``, held on its own
    connection until the block ends) and finds no backup recorded for ``day`` has the
    turn; every other PC starting meanwhile, or later that day, has not.
    """
    with engine.connect() as conn:
        key = lock_key(DAILY_BACKUP_LOCK)
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
        conn.commit()
        if not got:
            yield DailyBackupTurn(False, day)
            return
        try:
            last = last_daily_backup(conn)
            conn.commit()
            yield DailyBackupTurn(last.get("tanggal") != day, day, last, conn)
        finally:
            conn.rollback()
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            conn.commit()
