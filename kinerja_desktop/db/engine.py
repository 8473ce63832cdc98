"""Session factories (never an engine at import time).

Engines come from a :class:`kinerja_desktop.db.backends.Backend`; ``make_engine``
stays here for callers holding a plain SQLite file path.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from kinerja_desktop.db.backends.sqlite import BUSY_TIMEOUT_MS, make_engine

__all__ = ["BUSY_TIMEOUT_MS", "make_engine", "make_session_factory"]


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
