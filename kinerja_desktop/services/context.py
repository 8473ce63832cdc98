"""The service context: one data folder, where its data lives (a backend), the clock, and
the one transaction helper every service uses.

Every user action is one service function taking the context first and running in one
transaction, :meth:`ServiceContext.transaction`. That helper is where the rules of
working with several PCs at once live:

- On SQLite the transaction holds the database's write lock from its first statement;
  on PostgreSQL, workflow transitions lock their cycle (``services.cycles.lock_cycle``).
  Either way, what a transaction checked still holds when it commits.
- Every changed row a person edits (:class:`~kinerja_desktop.db.models.Versioned`) is
  stamped with who changed it and when, and its version counter goes up; a change that
  lost a race (``StaleDataError``) becomes :class:`EditConflict` naming the other change.
- A database error never reaches the user raw: constraint violations, values too long,
  a lost connection, a full disk become one Indonesian line (:func:`friendly_error`);
  the details go to the log.
- Errors worth retrying (locked, deadlock, serialization failure) become
  :class:`BusyError`; a service decorated with :func:`retry_busy` runs again, whole,
  following :data:`RETRY_POLICY`, before the user ever sees it.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Engine, event, inspect
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from kinerja_desktop.db.backends import Backend
from kinerja_desktop.db.engine import make_session_factory
from kinerja_desktop.db.models import Person, Versioned
from kinerja_desktop.domain.errors import (
    BusyError,
    ConflictError,
    DatabaseProblem,
    EditConflict,
    KinerjaError,
    ValidationError,
)
from kinerja_desktop.paths import DataDir
from kinerja_desktop.services import input_guard
from kinerja_desktop.services.changes import ChangeTracker

log = logging.getLogger("kinerja_desktop.database")

P = ParamSpec("P")
T = TypeVar("T")

#: ``session.info`` keys: who acts (set by ``services.common.load_principal``) and the
#: clock that stamps changed rows.
ACTOR = "kinerja_actor_id"
CLOCK = "kinerja_clock"
#: ``session.info`` key: (model, primary key) -> row version, of the versioned rows the
#: last flush updated or deleted (to name who won when one of them lost a race).
FLUSHED = "kinerja_flushed_versions"


@dataclass(frozen=True)
class RetryPolicy:
    """How often a service meeting :class:`BusyError` runs again, and how long it waits
    (exponential, with jitter so two PCs do not collide again in step)."""

    attempts: int = 4
    first_delay_s: float = 0.05
    max_delay_s: float = 1.0

    def delay(self, attempt: int) -> float:
        return min(self.max_delay_s, self.first_delay_s * 2 ** (attempt - 1)) \
            * (0.5 + random.random())


RETRY_POLICY = RetryPolicy()


class ServiceContext:
    """A data folder (log, settings, backups of this PC) and the database it uses.

    ``clock`` is where every "now" of the services comes from: the backend's clock by
    default (this PC for SQLite, the server for PostgreSQL); tests and the demo set
    their own.
    """

    def __init__(self, data_dir: DataDir, backend: Backend,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.data_dir = data_dir
        self.backend = backend
        self.clock: Callable[[], datetime] = clock or backend.clock()
        self.sessions: sessionmaker[Session] = make_session_factory(backend.write_engine)
        input_guard.install(self.sessions)  # text cleaned and bounded before every write
        self._readers: sessionmaker[Session] = make_session_factory(backend.engine)
        event.listen(self.sessions, "before_flush", _stamp_changes)
        #: On a server, what each transaction changed is announced to the other PCs.
        self.changes = ChangeTracker(backend, self.sessions) if backend.is_server else None
        #: Run by :meth:`dispose` after the backend (e.g. releasing the data folder's lock).
        self.closers: list[Callable[[], None]] = []

    @property
    def engine(self) -> Engine:
        return self.backend.engine

    @property
    def location(self) -> str:
        """Where the data lives, for the user: the SQLite file or the server's database."""
        return self.backend.location

    def now(self) -> datetime:
        return self.clock()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error (see the
        module docstring for what it guarantees and how errors come out)."""
        session = self.sessions()
        session.info[CLOCK] = self.now
        try:
            with session.begin():
                try:
                    yield session
                    session.flush()
                except StaleDataError:
                    raise self._edit_conflict(session) from None
        except DBAPIError as exc:
            raise friendly_error(self.backend, exc) from exc
        finally:
            session.close()

    def lock(self, session: Session, name: str) -> None:
        """Take the named lock for the rest of ``session``'s transaction (see
        :meth:`Backend.lock`): check-then-insert work that has no row to lock yet."""
        self.backend.lock(session.connection(), name)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (nothing it changes is saved); errors as in transaction()."""
        session = self._readers()
        try:
            yield session
        except DBAPIError as exc:
            raise friendly_error(self.backend, exc) from exc
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self.backend.dispose()
        closers, self.closers = self.closers, []
        for close in reversed(closers):
            close()

    def _edit_conflict(self, session: Session) -> EditConflict:
        """Who changed a row this transaction tried to update, read as committed now."""
        with self.read() as fresh:
            for (model, key), version in session.info.get(FLUSHED, {}).items():
                current = fresh.get(model, key)
                if current is None or current.row_version != version:
                    return edit_conflict(fresh, current)
        return edit_conflict(None, None)


def edit_conflict(session: Session | None, row: Versioned | None) -> EditConflict:
    """The refusal naming who last changed ``row`` and when (``row`` None: it was removed
    or cannot be told)."""
    who = "pengguna lain"
    if session is not None and row is not None and row.updated_by_id is not None:
        person = session.get(Person, row.updated_by_id)
        if person is not None:
            who = person.name
    return EditConflict(who, row.updated_at if row is not None else None)


def _stamp_changes(session: Session, _context: Any, _instances: Any) -> None:
    """Who changed each edited row, and when: every UPDATE of a versioned row says so."""
    clock = session.info.get(CLOCK)
    if clock is None:
        return
    actor = session.info.get(ACTOR)
    now = None
    flushed = session.info[FLUSHED] = {}
    for obj in session.deleted:
        if isinstance(obj, Versioned):
            flushed[(type(obj), inspect(obj).identity)] = obj.row_version
    for obj in session.dirty:
        if isinstance(obj, Versioned) and session.is_modified(obj, include_collections=False):
            flushed[(type(obj), inspect(obj).identity)] = obj.row_version
            now = now or clock()
            obj.updated_at = now
            obj.updated_by_id = actor
    for obj in session.new:
        if isinstance(obj, Versioned) and obj.updated_at is None:
            now = now or clock()
            obj.updated_at = now
            obj.updated_by_id = obj.updated_by_id or actor


# --------------------------------------------------------------------------- errors


_UNIQUE = ("23505", "unique constraint failed", "duplicate key")
_FOREIGN_KEY = ("23503", "foreign key constraint failed", "violates foreign key")
_DISK_FULL = ("53100", "database or disk is full", "no space left")
_APPEND_ONLY = "append-only"


def _matches(exc: DBAPIError, needles: tuple[str, ...]) -> bool:
    state = getattr(exc.orig, "sqlstate", None) or ""
    text = str(exc.orig).lower()
    return any(needle == state or needle in text for needle in needles)


def _where(backend: Backend) -> str:
    """The database named for the user: the SQLite file, or the server's database."""
    return f"basis data {backend.location} di server" if backend.is_server \
        else f"berkas {backend.location}"


def friendly_error(backend: Backend, exc: DBAPIError) -> KinerjaError:
    """One Indonesian line for a database error (the raw error goes to the log)."""
    log.warning("Kesalahan basis data (%s): %s", backend.location, exc, exc_info=exc)
    if backend.is_retryable(exc):
        return BusyError(f"Basis data sedang sibuk dipakai pengguna lain ({_where(backend)}); "
                         "perubahan belum disimpan. Coba lagi sebentar lagi.")
    if _APPEND_ONLY in str(exc.orig):
        return ConflictError("Log audit hanya dapat ditambah; catatan lama tidak dapat diubah "
                             "atau dihapus.")
    if isinstance(exc, IntegrityError):
        if _matches(exc, _UNIQUE):
            return ConflictError("Data yang sama baru saja disimpan oleh pengguna lain; muat "
                                 "ulang, lalu periksa kembali.")
        if _matches(exc, _FOREIGN_KEY):
            return ConflictError("Data yang dirujuk baru saja diubah atau dihapus oleh pengguna "
                                 "lain; muat ulang, lalu periksa kembali.")
        return ValidationError("Isian tidak lengkap atau tidak sah; perubahan tidak disimpan.")
    if isinstance(exc, DataError):
        return ValidationError("Isian terlalu panjang atau di luar batas yang dapat disimpan; "
                               "perubahan tidak disimpan.")
    if isinstance(exc, OperationalError):
        if _matches(exc, _DISK_FULL):
            return DatabaseProblem(f"Ruang penyimpanan basis data penuh ({_where(backend)}); "
                                   "perubahan tidak disimpan. Kosongkan ruang disk lalu coba "
                                   "lagi.")
        if backend.is_server:
            return DatabaseProblem(f"Sambungan ke server basis data {backend.location} "
                                   "terputus atau ditolak; perubahan belum disimpan. Periksa "
                                   "jaringan, lalu coba lagi.")
        return DatabaseProblem(f"Berkas basis data {backend.location} tidak dapat dipakai saat "
                               "ini; perubahan belum disimpan. Rincian ada di log.")
    return DatabaseProblem("Basis data menolak perubahan ini; perubahan tidak disimpan. "
                           "Rincian ada di log.")


def retry_busy(service: Callable[P, T]) -> Callable[P, T]:
    """Run a service again, whole, while its transaction meets :class:`BusyError`
    (:data:`RETRY_POLICY`); the last refusal reaches the caller. Only for services whose
    only effect is their transaction (nothing written outside the database)."""

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        attempt = 1
        while True:
            try:
                return service(*args, **kwargs)
            except BusyError:
                if attempt >= RETRY_POLICY.attempts:
                    raise
                time.sleep(RETRY_POLICY.delay(attempt))
                attempt += 1

    return run

