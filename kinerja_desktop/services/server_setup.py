"""Putting an office on a PostgreSQL server: ``server-init`` and ``copy-database``.

:func:`init_server` makes (or brings up to date) the database, its owner role and the
app role every PC uses, with only the rights the app needs (see
:mod:`kinerja_desktop.db.server`), and migrates the schema as the owner. It never seeds
data: the database stays empty, ready for :func:`copy_office` or for the first PC.

:func:`copy_office` moves an office kept in a data folder's SQLite file onto an empty
server database: every table with its ids (sequences continue after them), the audit
log, evidence files and archived documents (all in the database), in one transaction,
then compares the two table by table (row counts and content hashes) and compares the
Dokumen Data Kinerja each of them prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kinerja_desktop.db import migrate
from kinerja_desktop.db import server as admin
from kinerja_desktop.db.backends import DatabaseError
from kinerja_desktop.paths import DataDir

#: password_for(role, exists) -> the password to set, or None (keep it / none found)
PasswordSource = Callable[[str, bool], str | None]
#: progress(table, rows copied so far)
CopyProgress = Callable[[str, int], None]


@dataclass(frozen=True)
class ServerInitResult:
    host: str
    port: int
    database: str
    owner: str
    app_user: str
    created: tuple[str, ...]
    """What was made this time (database, roles); empty when everything existed."""
    passwords_set: tuple[str, ...]
    revision: str
    amcheck: bool
    notes: tuple[str, ...] = ()


def _password(source: PasswordSource, role: str, exists: bool) -> str | None:
    password = source(role, exists)
    if password is None:
        if exists:
            return None
        raise DatabaseError(
            f"Kata sandi untuk pengguna server {role} belum ada. Tulis di berkas kata sandi "
            "PostgreSQL (pgpass) baris host:port:basisdata:" + role + ":katasandi, atau "
            "jalankan server-init di terminal untuk mengetiknya."
        )
    if len(password) < admin.MIN_PASSWORD:
        raise DatabaseError(f"Kata sandi untuk {role} terlalu pendek (minimal "
                            f"{admin.MIN_PASSWORD} karakter).")
    if ":" in password or "\\" in password:
        # Allowed by PostgreSQL, but easy to get wrong in the pgpass file of every PC.
        raise DatabaseError(f"Kata sandi untuk {role} jangan memuat ':' atau '\\'.")
    return password


def init_server(admin_url: str, passwords: PasswordSource, *, database: str | None = None,
                owner: str | None = None, app_user: str | None = None,
                admin_password: str | None = None,
                backups_dir: Path | None = None) -> ServerInitResult:
    """Create or update the office's database on the server of ``admin_url``.

    Refuses, before changing anything, an administrator without the rights, names that
    belong to something else (a database or role not made by ``server-init``) and
    missing passwords for roles still to be made. Running it again is safe: it re-applies
    the rights, sets the passwords it is given, and migrates to this version's schema.
    """
    url = admin.parse_admin_url(admin_url)
    database = admin.check_name(database or admin.DEFAULT_DATABASE, "basis data")
    owner = admin.check_name(owner or admin.owner_name(database), "pemilik")
    app_user = admin.check_name(app_user or admin.app_name(database), "pengguna aplikasi")
    if owner == app_user:
        raise DatabaseError("Pemilik basis data dan pengguna aplikasi harus dua nama berbeda.")
    where = admin.location_of(url)
    engine = admin.admin_engine(url, admin_password)
    created: list[str] = []
    passwords_set: list[str] = []
    notes: list[str] = []
    try:
        with admin.connect(engine, where) as conn:
            rights = admin.admin_rights(conn)
            admin.require_admin_rights(rights)
            if rights.server_version < 150000:
                raise DatabaseError("Server PostgreSQL versi 15 atau lebih baru diperlukan.")
            states = {role: admin.role_state(conn, role) for role in (owner, app_user)}
            for role, state in states.items():
                if state == "foreign":
                    option = "--app-user" if role == app_user else "--owner-user"
                    raise DatabaseError(
                        f"Pengguna (peran) {role} sudah ada di server dan bukan buatan Kinerja "
                        f"Desktop; pilih nama lain dengan {option}. Server tidak diubah.")
            db_state = admin.database_state(conn, database, owner)
            if db_state == "foreign":
                raise DatabaseError(
                    f"Basis data {database} sudah ada di server dan bukan milik Kinerja Desktop "
                    f"(pemiliknya {admin.database_owner(conn, database)}); pilih nama lain "
                    "dengan --database. Server tidak diubah.")
            wanted = {role: _password(passwords, role, states[role] == "ours")
                      for role in (owner, app_user)}
            for role, comment in ((owner, f"{admin.MARK}: pemilik basis data {database} "
                                          "(menjalankan migrasi)"),
                                  (app_user, f"{admin.MARK}: pengguna aplikasi basis data "
                                             f"{database}")):
                password = wanted[role]
                if states[role] == "absent":
                    assert password is not None
                    admin.create_role(conn, role, password, comment)
                    created.append(f"pengguna {role}")
                    passwords_set.append(role)
                elif password is not None:
                    admin.set_password(conn, role, password)
                    passwords_set.append(role)
            if not rights.superuser and not admin.may_act_as(conn, owner):
                admin.grant_membership(conn, owner, rights.user)
            if db_state == "absent":
                admin.create_database(conn, database, owner,
                                      f"{admin.MARK}: data kinerja kantor")
                created.insert(0, f"basis data {database}")
            admin.secure_database(conn, database, owner, app_user)
        revision = _migrate_as_owner(url, admin_password, database, owner, backups_dir)
        owner_engine = admin.admin_engine(url, admin_password, database=database, role=owner)
        try:
            with admin.connect(owner_engine, where) as conn:
                admin.grant_app_rights(conn, owner, app_user)
        finally:
            owner_engine.dispose()
        amcheck = False
        if rights.superuser:
            with admin.connect(engine, where) as conn:
                admin.let_owner_see_sessions(conn, owner)
            db_engine = admin.admin_engine(url, admin_password, database=database)
            try:
                with admin.connect(db_engine, where) as conn:
                    amcheck = admin.install_amcheck(conn, owner, app_user)
            finally:
                db_engine.dispose()
        if not amcheck:
            notes.append("amcheck tidak dipasang (perlu superuser dan paket contrib "
                         "PostgreSQL); 'check' melewati pemeriksaan indeks.")
    except DatabaseError:
        raise
    except Exception as exc:
        if admin.is_privilege_error(exc):
            raise DatabaseError(
                f"Pengguna admin tidak berhak melakukan langkah ini di server {where}: "
                f"{str(getattr(exc, 'orig', exc)).splitlines()[0]}") from None
        raise
    finally:
        engine.dispose()
    port = url.port or int(url.query.get("port") or 5432)  # type: ignore[arg-type]
    return ServerInitResult(url.host or "localhost", port, database, owner,
                            app_user, tuple(created), tuple(passwords_set), revision, amcheck,
                            tuple(notes))


def _migrate_as_owner(url, admin_password: str | None, database: str, owner: str,
                      backups_dir: Path | None) -> str:
    """Bring the schema to this version's head, the administrator acting as the owner
    (so every table belongs to the owner)."""
    from kinerja_desktop.db.backends.postgresql import PostgresBackend

    target = url.set(database=database)
    if admin_password is not None:
        target = target.set(password=admin_password)
    target = target.update_query_dict({"options": f"-c role={owner}"})
    backend = PostgresBackend(target)
    try:
        result = migrate.upgrade(backend, backups_dir or Path("."))
    finally:
        backend.dispose()
    return result.current


def pgpass_lines(result: ServerInitResult, server_host: str | None = None) -> list[str]:
    """The pgpass lines a PC needs (the password left for the reader to fill in)."""
    host = server_host or result.host
    return [f"{host}:{result.port}:{result.database}:{role}:KATA-SANDI-{role.upper()}"
            for role in (result.app_user, result.owner)]


def pg_hba_line(result: ServerInitResult, network: str = "192.168.1.0/24") -> str:
    return f"host {result.database} {result.app_user},{result.owner} {network} scram-sha-256"


# --------------------------------------------------------------------------- copy-database


@dataclass(frozen=True)
class TableCopy:
    name: str
    rows: int
    same: bool


@dataclass
class CopyResult:
    location: str
    tables: list[TableCopy] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    """One line per cycle: which Dokumen Data Kinerja was compared and how."""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)


def _refuse_target(location: str, reason: str) -> DatabaseError:
    return DatabaseError(f"Tidak disalin ke {location}: {reason} Data tidak diubah.")


def copy_office(data_root: Path, to_url: str, *,
                progress: CopyProgress | None = None) -> CopyResult:
    """Copy the office of the data folder ``data_root`` (its SQLite file) to the empty
    server database at ``to_url``, then check the copy. Raises DatabaseError, changing
    nothing, for a target that is not empty, not ours or may not be written."""
    from kinerja_desktop.db.backends.postgresql import PostgresBackend, parse_server_url
    from kinerja_desktop.db.transfer import (
        copy_rows,
        fingerprints,
        non_empty_tables,
        remove_rows_made_by_migrations,
    )
    from kinerja_desktop.services.sops import SEED_LOCK
    from kinerja_desktop.services.startup import open_context

    data_dir = DataDir(Path(data_root))
    if not data_dir.database.exists():
        raise DatabaseError(f"Tidak ada basis data SQLite untuk disalin di {data_dir.root}.")
    target = PostgresBackend(parse_server_url(to_url))
    where = target.location
    try:
        revision = target.stored_revision()
        migrate.check_not_newer(revision)
        source = open_context(data_dir.root)  # at head, earlier lampiran/ moved in
    except BaseException:
        target.dispose()
        raise
    result = CopyResult(where)
    try:
        if revision != migrate.HEAD_REVISION:
            migrate.upgrade(target, data_dir.backups)
        with source.engine.connect() as src, target.write_engine.connect() as dst:
            with src.begin():  # one snapshot of the office for the copy and its check
                with dst.begin():
                    # The lock a PC seeding an empty database takes: either the copy or
                    # that PC's seed comes first, never both.
                    target.lock(dst, SEED_LOCK)
                    filled = non_empty_tables(dst)
                    if filled:
                        name, rows = next(iter(filled.items()))
                        raise _refuse_target(where, f"basis data tujuan tidak kosong (tabel "
                                             f"{name} berisi {rows} baris, {len(filled)} tabel "
                                             "berisi data); copy-database hanya menyalin ke "
                                             "basis data yang kosong.")
                    locked = admin.sequences_not_settable(dst)
                    if locked:
                        _may, user, owner = admin.owns_the_tables(dst)
                        raise _refuse_target(where, f"pengguna {user} tidak berhak mengatur "
                                             f"nomor urut ({locked[0]}); jalankan "
                                             "copy-database sebagai pemilik basis data "
                                             f"({owner}).")
                    # The office keeps its own installation id (its workbooks carry it).
                    remove_rows_made_by_migrations(dst)
                    copy_rows(src, dst, progress=progress)
                    admin.reset_sequences(dst)
                expected = fingerprints(src)
        with target.engine.connect() as dst:
            copied = fingerprints(dst)
        for name, want in expected.items():
            have = copied[name]
            result.tables.append(TableCopy(name, have.rows, have == want))
            if have != want:
                result.problems.append(f"Tabel {name}: {want.rows} baris di SQLite, {have.rows} "
                                       "di server, isinya berbeda")
        _compare_documents(source, target, data_dir, result)
    finally:
        source.dispose()
        target.dispose()
    return result


def _compare_documents(source, target, data_dir: DataDir, result: CopyResult) -> None:
    """Each cycle's Dokumen Data Kinerja, as each database prints it: the archived bytes
    of a compiled cycle, the document's values otherwise (same clock on both sides)."""
    from kinerja_desktop.services import cycles, documents
    from kinerja_desktop.services.context import ServiceContext

    moment = datetime.now(UTC)
    copied = ServiceContext(data_dir, target, clock=lambda: moment)
    source.clock = lambda: moment
    for cycle in cycles.list_cycles(source):
        label = cycles.cycle_label(cycle.year, cycle.quarter)
        archived = documents.list_documents(source, cycle.id, "dokumen_data_kinerja")
        if archived:
            for doc in archived:
                ours = documents.document_content(source, doc.id)
                theirs = documents.document_content(copied, doc.id)
                if ours != theirs:
                    result.problems.append(f"Dokumen arsip '{doc.title}' berbeda di server")
            result.documents.append(f"Dokumen Data Kinerja {label}: {len(archived)} dokumen "
                                    "arsip sama persis (SHA-256)")
        if _printed(source, cycle.id) != _printed(copied, cycle.id):
            result.problems.append(f"Isi Dokumen Data Kinerja {label} berbeda di server")
        else:
            result.documents.append(f"Dokumen Data Kinerja {label}: isi yang dicetak sama")


def _printed(ctx, cycle_id: int) -> object:
    """What the Dokumen Data Kinerja of a cycle holds, or the refusal it gets."""
    from kinerja_desktop.domain.errors import KinerjaError
    from kinerja_desktop.services.document_data.compiled_report import compiled_report_data

    try:
        return compiled_report_data(ctx, cycle_id)
    except KinerjaError as exc:
        return (type(exc).__name__, str(exc))
