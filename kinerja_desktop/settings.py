"""Remembered UI state (window geometry, splitters, column widths, folders) and this
computer's preferences (the idle lock) on QSettings.

One registry of options, as in Picard's ``options.py``: every key is declared once
with its type and default. Business data (time standards, office profile) lives in
the database, never here. Tests point :func:`use_ini_file` at a temporary file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from kinerja_desktop import APP_ID

ORGANISATION = "Kinerja Desktop"


@dataclass(frozen=True)
class Option:
    key: str
    kind: type
    default: Any


#: Every remembered value. Per-view keys are built with :func:`view_key`: ``columns/``,
#: ``splitter/`` and ``header/`` (view states), ``folders/`` (a file chooser's last folder),
#: ``tab/`` (the main-window tab a user last looked at, per user name).
OPTIONS: dict[str, Option] = {
    o.key: o
    for o in (
        Option("window/geometry", QByteArray, QByteArray()),
        Option("window/state", QByteArray, QByteArray()),
        Option("login/last_user", str, ""),
        # Preferences of this computer (not remembered state): lock the window after so
        # many idle minutes, 0 = never.
        Option("security/lock_minutes", int, 0),
    )
}

_ini_path: Path | None = None


_store: QSettings | None = None
#: View states (column widths, splitters) changed since the last write, by key.
_pending: dict[str, Any] = {}
_quit_hooked = False


def use_ini_file(path: Path | None) -> None:
    """Store settings in ``path`` (an INI file) instead of the platform location."""
    global _ini_path, _store
    flush()
    _ini_path = path
    _store = None


def _settings() -> QSettings:
    """One QSettings per location, read once (every write goes through it)."""
    global _store
    if _store is None:
        if _ini_path is not None:
            _store = QSettings(str(_ini_path), QSettings.Format.IniFormat)
        else:
            _store = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                               ORGANISATION, APP_ID)
    return _store


def view_key(kind: str, name: str) -> str:
    """Key of a per-view value, e.g. ``view_key("columns", "arsip.dokumen")``."""
    return f"{kind}/{name}"


def _option(key: str) -> Option:
    if key in OPTIONS:
        return OPTIONS[key]
    if key.startswith(("columns/", "splitter/", "header/")):
        return Option(key, QByteArray, QByteArray())
    if key.startswith(("folders/", "tab/")):  # a file chooser's folder; a user's last tab
        return Option(key, str, "")
    raise KeyError(f"Pengaturan '{key}' tidak terdaftar.")


def get(key: str) -> Any:
    option = _option(key)
    value = _pending[key] if key in _pending else _settings().value(key, option.default)
    if value is None:
        return option.default
    if option.kind is QByteArray:
        return value if isinstance(value, QByteArray) else QByteArray(value)
    if option.kind is str:
        return str(value)
    if option.kind is int:
        try:
            return int(value)
        except (TypeError, ValueError):
            return option.default
    return value


def set(key: str, value: Any) -> None:  # noqa: A001 - mirrors QSettings.setValue
    _option(key)
    _pending.pop(key, None)
    store = _settings()
    for pending_key, pending_value in _pending.items():
        store.setValue(pending_key, pending_value)
    _pending.clear()
    store.setValue(key, value)
    store.sync()


def flush() -> None:
    """Write the view states changed since the last write."""
    if not _pending:
        return
    store = _settings()
    for key, value in _pending.items():
        store.setValue(key, value)
    _pending.clear()
    store.sync()


def _set_soon(key: str, value: Any) -> None:
    """Remember a view state; written together with others a moment later (a table
    fitting its columns resizes each one: one write, not one per column)."""
    global _quit_hooked
    from PySide6.QtCore import QCoreApplication, QTimer

    if not _pending:
        QTimer.singleShot(500, flush)
    app = QCoreApplication.instance()
    if not _quit_hooked and app is not None:
        app.aboutToQuit.connect(flush)
        _quit_hooked = True
    _pending[key] = value


def remember_header(header, name: str) -> None:
    """Restore a QHeaderView's column widths now and save them whenever they change."""
    key = view_key("header", name)
    saved = get(key)
    if not saved.isEmpty():
        header.restoreState(saved)
    header.sectionResized.connect(lambda *_: _set_soon(key, header.saveState()))


def remember_splitter(splitter, name: str) -> None:
    key = view_key("splitter", name)
    saved = get(key)
    if not saved.isEmpty():
        splitter.restoreState(saved)
    splitter.splitterMoved.connect(lambda *_: _set_soon(key, splitter.saveState()))
