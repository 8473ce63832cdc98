"""Opening a data folder: migrate it (after a backup), install the seed SOP, the context.

Above :mod:`services.context` and :mod:`services.sops`, so that the context itself
depends on no service module.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from kinerja_desktop.db.engine import make_engine, make_session_factory
from kinerja_desktop.paths import DataDir
from kinerja_desktop.services import sops
from kinerja_desktop.services.context import ServiceContext, utc_now


def open_context(root: Path, clock: Callable[[], datetime] = utc_now) -> ServiceContext:
    """Open (and migrate) the database of the data directory ``root``.

    Raises :class:`kinerja_desktop.db.migrate.DatabaseError` for a file from a newer
    version or not ours; nothing is changed in that case.
    """
    from kinerja_desktop.db import migrate

    data_dir = DataDir(root).ensure()
    migrate.upgrade(data_dir.database, data_dir.backups)
    engine = make_engine(data_dir.database)
    ctx = ServiceContext(data_dir, engine, make_session_factory(engine), clock)
    sops.install_seed_if_missing(ctx)
    return ctx


def open_existing_context(root: Path, clock: Callable[[], datetime] = utc_now) -> ServiceContext:
    """Open an existing database at head WITHOUT migrating or writing anything.

    For ``check``, ``smoke`` and ``screenshots``: a missing database, one from a newer
    version, or one still needing a migration is refused with an Indonesian message.
    """
    from kinerja_desktop.db import migrate

    data_dir = DataDir(root)
    if not data_dir.database.exists():
        raise migrate.DatabaseError(
            f"Basis data tidak ditemukan di {data_dir.root}. Buka aplikasi atau jalankan "
            "'demo' terlebih dahulu."
        )
    revision = migrate.stored_revision(data_dir.database)
    migrate.check_not_newer(revision)
    if revision != migrate.HEAD_REVISION:
        raise migrate.DatabaseError(
            f"Skema basis data (revisi {revision}) belum diperbarui; buka aplikasi sekali "
            "untuk memperbaruinya."
        )
    engine = make_engine(data_dir.database)
    return ServiceContext(data_dir, engine, make_session_factory(engine), clock)
