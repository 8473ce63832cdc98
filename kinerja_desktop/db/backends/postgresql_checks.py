"""The checks ``check`` runs on a PostgreSQL server beyond its constraints and the audit
triggers (:meth:`PostgresBackend.integrity_checks`): the schema against the migrations,
foreign keys row by row, indexes with amcheck when installed, who could change the audit
log, and the office's last daily backup.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from kinerja_desktop.db.backends.base import IntegrityResult

#: The row (in ``settings``) recording the office's last daily backup: which day, which
#: PC made it, and the file's name in that PC's backup folder.
DAILY_BACKUP_KEY = "cadangan_harian_kantor"


def last_daily_backup(conn: Connection) -> dict[str, str]:
    """The row recording the office's last daily backup ({} when none was made)."""
    value = conn.execute(text("SELECT value FROM settings WHERE key = :k"),
                         {"k": DAILY_BACKUP_KEY}).scalar()
    try:
        found = json.loads(value) if value else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def schema_differences(conn: Connection) -> list[str]:
    """What differs between the server's tables and what the migrations make."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from kinerja_desktop.db.models import Base

    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return [repr(diff)[:200] for diff in compare_metadata(context, Base.metadata)]


def orphan_rows(conn: Connection) -> list[str]:
    """Rows whose foreign key points at nothing (possible only if someone loaded data
    with the checks switched off)."""
    from kinerja_desktop.db.models import Base

    problems = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            local = [c.name for c in fk.columns]
            remote = [e.column.name for e in fk.elements]
            parent = fk.elements[0].column.table.name
            join = " AND ".join(f'p."{r}" = t."{c}"' for c, r in zip(local, remote, strict=True))
            not_null = " AND ".join(f't."{c}" IS NOT NULL' for c in local)
            count = conn.execute(text(
                f'SELECT count(*) FROM "{table.name}" t WHERE {not_null} AND NOT EXISTS '
                f'(SELECT 1 FROM "{parent}" p WHERE {join})')).scalar()
            if count:
                problems.append(f"Kunci asing rusak: {count} baris {table.name} "
                                f"({', '.join(local)}) tanpa baris {parent}")
    return problems


def amcheck_problems(conn: Connection) -> tuple[list[str], str]:
    """Index checks with amcheck when it is installed: (problems, note)."""
    installed = conn.execute(text(
        "SELECT 1 FROM pg_extension WHERE extname = 'amcheck'")).first()
    if installed is None:
        return [], "amcheck tidak terpasang di basis data ini; pemeriksaan indeks dilewati"
    allowed = conn.execute(text(
        "SELECT has_function_privilege('bt_index_check(regclass)', 'EXECUTE')")).scalar()
    if not allowed:
        return [], "amcheck terpasang tetapi pengguna ini tidak berhak menjalankannya"
    indexes = conn.execute(text(
        "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND a.amname = 'btree' AND i.indisvalid "
        "ORDER BY 1")).scalars().all()
    problems = []
    for index in indexes:
        try:
            with conn.begin_nested():
                conn.execute(text("SELECT bt_index_check(CAST(:i AS regclass))"), {"i": index})
        except DBAPIError as exc:
            problems.append(f"Indeks {index} rusak (amcheck): "
                            f"{str(getattr(exc, 'orig', exc)).splitlines()[0]}")
    return problems, f"amcheck: {len(indexes)} indeks diperiksa"


def audit_log_writers(conn: Connection) -> list[str]:
    """Roles (not superusers, not the table's owner) that may connect and could change
    or empty the audit log: its rights were widened by hand."""
    return list(conn.execute(text(
        "SELECT r.rolname FROM pg_roles r, pg_class c "
        "WHERE c.oid = 'public.audit_log'::regclass AND NOT r.rolsuper "
        "AND r.oid <> c.relowner AND r.rolname NOT LIKE 'pg\\_%' "
        "AND has_database_privilege(r.oid, current_database(), 'CONNECT') "
        "AND (has_table_privilege(r.oid, c.oid, 'UPDATE') "
        "OR has_table_privilege(r.oid, c.oid, 'DELETE') "
        "OR has_table_privilege(r.oid, c.oid, 'TRUNCATE')) ORDER BY 1")).scalars())


def server_checks(conn: Connection) -> IntegrityResult:
    """The checks that make sense on PostgreSQL beyond constraints and triggers:
    the schema against the migrations, foreign keys row by row, indexes (amcheck),
    who could change the audit log, and the office's last daily backup."""
    result = IntegrityResult()
    differences = schema_differences(conn)
    if differences:
        result.problems.extend(f"Skema berbeda dari migrasi: {d}" for d in differences[:10])
    else:
        result.notes.append("Skema sama dengan hasil migrasi")
    orphans = orphan_rows(conn)
    result.problems.extend(orphans)
    if not orphans:
        result.notes.append("Kunci asing: semua baris merujuk baris yang ada")
    problems, note = amcheck_problems(conn)
    result.problems.extend(problems)
    result.notes.append(note)
    for role in audit_log_writers(conn):
        result.problems.append(f"Pengguna {role} berhak mengubah atau mengosongkan log audit; "
                               "jalankan server-init lagi untuk memulihkan hak-haknya")
    last = last_daily_backup(conn)
    if last:
        result.notes.append(f"Cadangan harian kantor terakhir: {last.get('tanggal', '?')} oleh "
                            f"{last.get('oleh', '?')} ({last.get('berkas', '?')})")
    else:
        result.notes.append("Cadangan harian kantor belum pernah dibuat")
    return result
