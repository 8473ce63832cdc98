"""Fixtures of the service tests that need an office on SQLite next to a server."""

from __future__ import annotations

from pathlib import Path

import pytest

YEAR = 2025


@pytest.fixture(scope="session")
def sqlite_office(tmp_path_factory) -> Path:
    """A demo office in a data folder's SQLite file (whatever engine the session tests),
    its cycle closed: step 7 done and the Dokumen Data Kinerja archived. Read only."""
    from kinerja_desktop.services import demo
    from kinerja_desktop.services.startup import open_context

    root = tmp_path_factory.mktemp("kantor-sqlite") / "data"
    ctx = open_context(root)
    try:
        demo.build_demo(ctx, year=YEAR, teams=2, indicators=3, through_step=7)
    finally:
        ctx.dispose()
    return root
