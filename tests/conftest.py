"""Top-level test configuration: offscreen Qt before any QApplication, fresh data dirs."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    """A fresh, empty data directory for each test."""
    root = tmp_path / "data"
    root.mkdir()
    return root


@pytest.fixture
def ctx(data_root: Path):
    """A service context on a fresh database migrated to head."""
    from kinerja_desktop.services.context import open_context

    context = open_context(data_root)
    yield context
    context.dispose()
