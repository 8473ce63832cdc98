"""Schema migrations at start-up, on either engine, under a lock.

:func:`upgrade` reads the stored revision first (cheap: a database already at head
costs no Alembic import), then, when there is work, takes the backend's migration
lock inside one write transaction, reads the revision again (another PC may have
migrated meanwhile), keeps a copy where the engine needs one, and upgrades. Two PCs
starting together therefore migrate once. A revision this program does not know
means the database was written by a newer version: it is refused and left untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kinerja_desktop import paths
from kinerja_desktop.db.backends.base import Backend, DatabaseError
from kinerja_desktop.db.backends.sqlite import SqliteBackend, copy_database, stored_revision

__all__ = [
    "HEAD_REVISION", "KNOWN_REVISIONS", "DatabaseError", "MigrationResult", "NewerDatabaseError",
    "alembic_config", "check_not_newer", "copy_database", "stored_revision", "upgrade",
]

#: Head revision of ``migrations/versions`` (a test keeps this equal to Alembic's head).
HEAD_REVISION = "0004_i14_years"
KNOWN_REVISIONS = ("0001_initial", "0002_file_contents", "0003_installation_id",
                   "0003_row_versions", "0003_plausibility_item_fields", "0003_cycle_record",
                   "0003_documents_programmes", "0004_i14_years")
#: Name of the lock migrations and first-run seeding take.
MIGRATION_LOCK = "kinerja-desktop:migrasi"


class NewerDatabaseError(DatabaseError):
    pass


@dataclass(frozen=True)
class MigrationResult:
    previous: str | None
    current: str
    backup: Path | None


def check_not_newer(revision: str | None) -> None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerDatabaseError(
            f"Basis data ini dibuat oleh versi Kinerja Desktop yang lebih baru (revisi skema "
            f"{revision}). Perbarui aplikasi; basis data tidak diubah."
        )


def alembic_config(connection: object | None = None):  # -> alembic.config.Config
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(paths.migrations_dir()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(target: Backend | Path, backups_dir: Path) -> MigrationResult:
    """Bring the database to head; ``target`` is a backend or an SQLite file's path."""
    backend = SqliteBackend(target) if isinstance(target, Path) else target
    owned = backend is not target
    try:
        previous = backend.stored_revision()
        check_not_newer(previous)
        if previous == HEAD_REVISION:
            return MigrationResult(previous, HEAD_REVISION, None)
        from alembic import command
        from alembic.migration import MigrationContext

        with backend.migrating(MIGRATION_LOCK) as connection:
            previous = MigrationContext.configure(connection).get_current_revision()
            check_not_newer(previous)
            if previous == HEAD_REVISION:
                return MigrationResult(previous, HEAD_REVISION, None)
            backup = None
            if previous is not None:
                stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
                backup = backend.keep_before_migration(previous, backups_dir, stamp)
            command.upgrade(alembic_config(connection), "head")
        return MigrationResult(previous, HEAD_REVISION, backup)
    finally:
        if owned:
            backend.dispose()
