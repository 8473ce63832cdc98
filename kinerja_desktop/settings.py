"""Remembered UI state (window geometry, splitters, column widths) on QSettings.

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


#: Every remembered value. Per-view keys are built with :func:`view_key`.
OPTIONS: dict[str, Option] = {
    o.key: o
    for o in (
        Option("window/geometry", QByteArray, QByteArray()),
        Option("window/state", QByteArray, QByteArray()),
        Option("window/tab", str, ""),
        Option("login/last_user", str, ""),
    )
}

_ini_path: Path | None = None


def use_ini_file(path: Path | None) -> None:
    """Store settings in ``path`` (an INI file) instead of the platform location."""
    global _ini_path
    _ini_path = path


def _settings() -> QSettings:
    if _ini_path is not None:
        return QSettings(str(_ini_path), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APP_ID)


def view_key(kind: str, name: str) -> str:
    """Key of a per-view value, e.g. ``view_key("columns", "arsip.dokumen")``."""
    return f"{kind}/{name}"


def _option(key: str) -> Option:
    if key in OPTIONS:
        return OPTIONS[key]
    if key.startswith(("columns/", "splitter/", "header/")):
        return Option(key, QByteArray, QByteArray())
    raise KeyError(f"Pengaturan '{key}' tidak terdaftar.")


def get(key: str) -> Any:
    option = _option(key)
    value = _settings().value(key, option.default)
    if value is None:
        return option.default
    if option.kind is QByteArray:
        return value if isinstance(value, QByteArray) else QByteArray(value)
    if option.kind is str:
        return str(value)
    return value


def set(key: str, value: Any) -> None:  # noqa: A001 - mirrors QSettings.setValue
    _option(key)
    store = _settings()
    store.setValue(key, value)
    store.sync()


def remember_header(header, name: str) -> None:
    """Restore a QHeaderView's column widths now and save them whenever they change."""
    key = view_key("header", name)
    saved = get(key)
    if not saved.isEmpty():
        header.restoreState(saved)
    header.sectionResized.connect(lambda *_: set(key, header.saveState()))


def remember_splitter(splitter, name: str) -> None:
    key = view_key("splitter", name)
    saved = get(key)
    if not saved.isEmpty():
        splitter.restoreState(saved)
    splitter.splitterMoved.connect(lambda *_: set(key, splitter.saveState()))
