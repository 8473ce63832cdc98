"""Opening a data folder: migrate it (after a backup where needed), install the seed SOP,
move an earlier version's attachment files into the database, the context.

Above :mod:`services.context` and :mod:`services.sops`, so that the context itself
depends on no service module.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from kinerja_desktop.db.backends import backend_for
from kinerja_desktop.paths import DataDir
from kinerja_desktop.services import files, sops
from kinerja_desktop.services.context import ServiceContext


def open_context(root: Path, clock: Callable[[], datetime] | None = None,
                 database_url: str | None = None) -> ServiceContext:
    """Open (and migrate) the database of the data folder ``root``, or the server at
    ``database_url`` (the data folder then keeps only this PC's log, settings, backups).

    Raises :class:`kinerja_desktop.db.migrate.DatabaseError` for a database from a newer
    version, not ours, or a server that cannot be reached; nothing is changed then.
    """
    from kinerja_desktop.db import migrate

    data_dir = DataDir(root).ensure()
    backend = backend_for(data_dir, database_url)
    try:
        migrate.upgrade(backend, data_dir.backups)
        ctx = ServiceContext(data_dir, backend, clock)
        sops.install_seed_if_missing(ctx)
        files.import_legacy_files(ctx)
    except BaseException:
        backend.dispose()
        raise
    return ctx


def open_existing_context(root: Path, clock: Callable[[], datetime] | None = None,
                          database_url: str | None = None) -> ServiceContext:
    """Open an existing database at head WITHOUT migrating or writing anything.

    For ``check``, ``smoke`` and ``screenshots``: a missing database, one from a newer
    version, or one still needing a migration is refused with an Indonesian message.
    """
    from kinerja_desktop.db import migrate

    data_dir = DataDir(root)
    backend = backend_for(data_dir, database_url)
    try:
        if not backend.exists():
            raise migrate.DatabaseError(
                f"Basis data tidak ditemukan di {data_dir.root}. Buka aplikasi atau jalankan "
                "'demo' terlebih dahulu."
            )
        revision = backend.stored_revision()
        if revision is None and backend.is_server:
            raise migrate.DatabaseError(
                f"Basis data {backend.location} masih kosong. Buka aplikasi atau jalankan "
                "'demo' terlebih dahulu."
            )
        migrate.check_not_newer(revision)
        if revision != migrate.HEAD_REVISION:
            raise migrate.DatabaseError(
                f"Skema basis data (revisi {revision}) belum diperbarui; buka aplikasi sekali "
                "untuk memperbaruinya."
            )
        return ServiceContext(data_dir, backend, clock)
    except BaseException:
        backend.dispose()
        raise
