"""Backup and restore of an office's PostgreSQL server (the backup format is the one of
:mod:`kinerja_desktop.services.backup`: a ZIP with its manifest and the office's rows as
an SQLite file, restorable onto either engine).

- :func:`office_daily_backup`: the automatic backup, once a day for the whole office, not
  once per PC. A server lock (``pg_try_advisory_lock``) and a row recording the day decide
  which PC makes it; the file goes into that PC's backup folder and the row names it.
- :func:`daily_backup`: the day's backup for a window left open for days, on either
  engine (the data folder's on SQLite, the office's on a server).
- :func:`restore_to_server`: the backup is checked and unpacked first (everything
  :func:`restore.restore` checks, then migrated to this version's schema in a temporary
  folder); refused while other PCs are connected (named from ``pg_stat_activity``);
  the server's current data is kept as a backup; new connections are refused while it
  runs (CONNECT revoked, given back afterwards); the rows are replaced in one
  transaction and compared table by table before it commits, so a failure leaves the
  server as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from kinerja_desktop.db import migrate
from kinerja_desktop.db import server as admin
from kinerja_desktop.paths import DataDir
from kinerja_desktop.services import backup, restore
from kinerja_desktop.services.context import ServiceContext


def office_daily_backup(ctx: ServiceContext, *, keep: int = backup.DEFAULT_KEEP,
                        now: datetime | None = None) -> Path | None:
    """The office's automatic backup of today, made by this PC if it is its turn.

    None on SQLite (each data folder makes its own, :func:`backup.auto_backup`), on an
    empty server database, and when another PC is making or has made today's backup.
    """
    if not ctx.backend.is_server or ctx.backend.stored_revision() is None:
        return None
    from kinerja_desktop.db.backends.postgresql import application_name

    now = now or ctx.now()
    day = now.astimezone().strftime("%Y-%m-%d")
    with admin.daily_backup_turn(ctx.engine, day) as turn:
        if not turn.mine:
            return None
        ctx.data_dir.backups.mkdir(parents=True, exist_ok=True)
        out = ctx.data_dir.backups / (f"{backup.AUTO_PREFIX}"
                                      f"{now.astimezone().strftime('%Y%m%d-%H%M%S')}"
                                      f"{backup.SUFFIX}")
        backup.backup(ctx, out, now=now, kind="otomatis")
        turn.record(application_name(), out.name)
    backup.apply_retention(ctx.data_dir, keep=keep)
    return out


def daily_backup(ctx: ServiceContext, *, keep: int = backup.DEFAULT_KEEP,
                 now: datetime | None = None) -> backup.AutoBackupResult:
    """The automatic backup of the day ``now`` falls on, for a window left open past
    midnight (it asks every few minutes and when the date changes).

    On SQLite the data folder's own (:func:`backup.auto_backup` on the folder, with its own
    connection: at most one a day, damaged data makes none and is listed); on a server
    the office's (:func:`office_daily_backup`: one PC per office per day, under the
    server's lock). Damaged data on the server comes back as problems too.
    """
    now = now or ctx.now()
    if not ctx.backend.is_server:
        return backup.auto_backup(ctx.data_dir, keep=keep, now=now)
    try:
        made = office_daily_backup(ctx, keep=keep, now=now)
    except backup.DamagedDataError as exc:
        return backup.AutoBackupResult(None, tuple(exc.problems),
                                       backup.newest_good_backup(ctx.data_dir))
    return backup.AutoBackupResult(made, (), backup.newest_good_backup(ctx.data_dir))


def restore_instructions(ctx: ServiceContext) -> str | None:
    """Why the window does not restore an office server itself, and the command that does
    (None on SQLite, where the window restores the data folder).

    A restore onto the server replaces every PC's data, must run as the database's owner
    and only while no PC is connected, this one included.
    """
    if not ctx.backend.is_server:
        return None
    url = ctx.backend.url
    with ctx.engine.connect() as conn:
        owner = conn.execute(text("SELECT pg_get_userbyid(datdba) FROM pg_database "
                                  "WHERE datname = current_database()")).scalar_one()
    host = url.host or "localhost"
    port = f":{url.port}" if url.port else ""
    return (f"Data kantor ini ada di server {ctx.backend.location} dan dipakai semua komputer. "
            "Pemulihan dari cadangan dijalankan oleh administrator server setelah Kinerja "
            "Desktop ditutup di semua komputer (komputer ini juga), dengan perintah:\n\n"
            f"kinerja-desktop --database-url postgresql+psycopg://{owner}@{host}{port}/"
            f"{url.database} restore BERKAS.zip\n\nPemulihan itu ditolak selama masih ada "
            "komputer yang tersambung, dan menyimpan data server saat ini sebagai cadangan "
            "lebih dulu.")


@dataclass(frozen=True)
class ServerRestoreResult:
    restored: backup.BackupInfo
    location: str
    #: the server's data before the restore (None when it held none)
    previous_data_backup: Path | None
    rows: int


class OtherPcsConnected(backup.BackupError):
    """Restore refused: other PCs are connected (``sessions`` names them)."""

    def __init__(self, message: str, sessions: list[admin.ServerSession]) -> None:
        super().__init__(message)
        self.sessions = sessions


def _refuse_connected(location: str, sessions: list[admin.ServerSession]) -> OtherPcsConnected:
    names = "; ".join(s.label for s in sessions)
    return OtherPcsConnected(
        f"Pemulihan ditolak: {len(sessions)} sambungan lain masih terbuka ke basis data "
        f"{location}: {names}. Tutup Kinerja Desktop di komputer itu, lalu ulangi. "
        "Data tidak diubah.", sessions)


def restore_to_server(data_root: Path, database_url: str, file: Path, *,
                      progress: backup.Progress | None = None,
                      now: datetime | None = None,
                      before_replace: Callable[[], None] | None = None) -> ServerRestoreResult:
    """Replace the office's data on the server at ``database_url`` with the backup
    ``file`` (see the module docstring). Must run as the database's owner.

    ``before_replace`` runs while others are kept out, just before the rows are
    replaced (tests use it to knock on the door).
    """
    from kinerja_desktop.db.backends.postgresql import (
        PostgresBackend,
        application_name,
        parse_server_url,
    )
    from kinerja_desktop.services.startup import open_context

    data_dir = DataDir(Path(data_root)).ensure()
    target = PostgresBackend(parse_server_url(database_url))
    where = target.location
    now = now or datetime.now(UTC)
    try:
        revision = target.stored_revision()
        migrate.check_not_newer(revision)
        with restore.unpacked(file, data_dir, progress=progress) as (info, staging):
            # The backup's schema brought to this version's, earlier lampiran/ moved in.
            staged = open_context(staging)
            try:
                if revision != migrate.HEAD_REVISION:
                    migrate.upgrade(target, data_dir.backups)
                with target.engine.connect() as conn:
                    may, user, owner = admin.owns_the_tables(conn)
                    if not may:
                        raise backup.BackupError(
                            f"Pemulihan ke server harus dijalankan sebagai pemilik basis data "
                            f"({owner}), bukan {user}: --database-url postgresql+psycopg://"
                            f"{owner}@… Data tidak diubah.")
                    sessions = admin.other_sessions(conn)
                    if sessions:
                        raise _refuse_connected(where, sessions)
                previous = None
                with target.engine.connect() as conn:
                    from kinerja_desktop.db.transfer import non_empty_tables

                    holds_data = bool(non_empty_tables(conn))
                if holds_data:
                    previous = data_dir.backups / (
                        f"{backup.BEFORE_RESTORE_PREFIX}"
                        f"{now.astimezone().strftime('%Y%m%d-%H%M%S')}{backup.SUFFIX}")
                    backup.backup(ServiceContext(data_dir, target), previous, now=now,
                                  kind="sebelum-pemulihan")
                target.engine.dispose()  # no connection of ours but the one below
                rows = _replace(target, staged, info, file, application_name(),
                                before_replace)
            finally:
                staged.dispose()
    finally:
        target.dispose()
    return ServerRestoreResult(info, where, previous, rows)


def _replace(target, staged: ServiceContext, info: backup.BackupInfo, file: Path,
             who: str, before_replace: Callable[[], None] | None) -> int:
    from kinerja_desktop.db.models import AuditEntry, Base
    from kinerja_desktop.db.transfer import copy_rows, fingerprints

    tables = Base.metadata.sorted_tables
    with target.engine.connect() as conn:
        grantees = admin.keep_out(conn)
        try:
            sessions = admin.other_sessions(conn)
            if sessions:  # someone connected between the first look and the door closing
                raise _refuse_connected(target.location, sessions)
            if before_replace is not None:
                before_replace()
            target.lock(conn, migrate.MIGRATION_LOCK)
            # The append-only triggers stop TRUNCATE too; switched off only inside this
            # transaction (nobody else can see the table meanwhile: TRUNCATE locks it).
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables)
                              + " RESTART IDENTITY"))
            conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
            with staged.engine.connect() as src, src.begin():
                counts = copy_rows(src, conn)
                expected = fingerprints(src)
            admin.reset_sequences(conn)
            if fingerprints(conn) != expected:
                raise backup.BackupError("Pemulihan dibatalkan: isi server setelah disalin tidak "
                                         "sama dengan isi cadangan. Data tidak diubah.")
            conn.execute(AuditEntry.__table__.insert().values(
                at=conn.execute(text("SELECT clock_timestamp()")).scalar_one(),
                person_id=None, actor=who[:200], action="cadangan.pulihkan",
                entity="cadangan", entity_id=file.name[:60], before=None,
                after={"berkas": file.name, "dibuat": info.created_at.isoformat(),
                       "versi_aplikasi": info.app_version,
                       "revisi_skema": info.schema_revision}))
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            _let_in(target, conn, grantees)
    return sum(counts.values())


def _let_in(target, conn, grantees: list[str]) -> None:
    """Give the CONNECT right back, on a new connection if this one broke meanwhile
    (otherwise every PC stays out until ``server-init`` runs again)."""
    from sqlalchemy.exc import DBAPIError

    try:
        admin.let_in(conn, grantees)
    except DBAPIError:
        with target.engine.connect() as fresh:
            admin.let_in(fresh, grantees)
