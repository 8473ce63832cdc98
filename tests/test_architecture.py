"""Layering: domain/ and services/ never import Qt; the UI never imports SQLAlchemy."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import kinerja_desktop

PACKAGE = Path(kinerja_desktop.__file__).parent


def _modules(sub: str) -> list[str]:
    return [f"kinerja_desktop.{sub}.{m.name}" for m in pkgutil.iter_modules([str(PACKAGE / sub)])]


def test_domain_and_services_import_no_pyside6():
    modules = _modules("domain") + _modules("services")
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_ui_never_touches_sqlalchemy_or_models():
    offenders = []
    for path in (PACKAGE / "ui").rglob("*.py"):
        for name in _imports(path):
            if name.startswith("sqlalchemy") or name.startswith("kinerja_desktop.db"):
                offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_domain_is_pure():
    for path in (PACKAGE / "domain").rglob("*.py"):
        for name in _imports(path):
            assert not name.startswith(("sqlalchemy", "PySide6", "kinerja_desktop.db",
                                        "kinerja_desktop.services")), f"{path.name}: {name}"


def _imported_modules(path: Path, package: str) -> set[str]:
    """Every module ``path`` imports (at the top or inside functions), with ``from X import
    name`` counted as ``X.name`` too, and relative imports resolved against ``package``."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            names.add(module)
            names.update(f"{module}.{a.name}" for a in node.names)
    return names


def test_tabs_never_import_each_other():
    """A tab gets what it needs from the main window, never from another tab."""
    tabs = PACKAGE / "ui" / "tabs"
    tab_modules = {f"kinerja_desktop.ui.tabs.{m.name}" for m in pkgutil.iter_modules([str(tabs)])}
    assert len(tab_modules) >= 5
    offenders = []
    for path in sorted(tabs.glob("*.py")):
        own = f"kinerja_desktop.ui.tabs.{path.stem}"
        for name in _imported_modules(path, "kinerja_desktop.ui.tabs") & tab_modules - {own}:
            offenders.append(f"{path.name}: {name}")
    assert offenders == []
