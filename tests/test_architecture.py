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


# --------------------------------------------------------------------------- import graph


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports, anywhere in its source (inside functions
    too), resolved to the deepest module that exists (``from pkg import mod`` is ``pkg.mod``)."""
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                candidates = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[:len(base) - node.level + 1]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                candidates = [f"{module}.{a.name}" for a in node.names] + [module]
            else:
                continue
            for candidate in candidates:
                while candidate and candidate not in files:
                    candidate = candidate.rpartition(".")[0]
                if candidate and candidate != name:
                    targets.add(candidate)
        graph[name] = targets
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_circle_finder_sees_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(graph) == [["a", "b", "c"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles():
    assert _circles(_import_graph()) == []


def test_nothing_below_imports_the_command_line_or_the_window():
    graph = _import_graph()
    lower = ("kinerja_desktop.domain", "kinerja_desktop.db", "kinerja_desktop.services",
             "kinerja_desktop.reports", "kinerja_desktop.spreadsheets")
    offenders = sorted(
        f"{module} -> {target}" for module, targets in graph.items() if module.startswith(lower)
        for target in targets if target.startswith(("kinerja_desktop.cli", "kinerja_desktop.ui"))
    )
    assert offenders == []
    importers_of_cli = sorted(m for m, targets in graph.items() if not m.startswith(
        "kinerja_desktop.cli") and any(t.startswith("kinerja_desktop.cli") for t in targets))
    assert importers_of_cli == ["kinerja_desktop.__main__"]


def test_tabs_never_import_each_other():
    """A tab gets what it needs from the main window, never from another tab."""
    graph = _import_graph()
    tabs = {m for m in graph if m.startswith("kinerja_desktop.ui.tabs.")}
    assert len(tabs) >= 5
    offenders = sorted(f"{tab} -> {other}" for tab in tabs for other in graph[tab] & tabs)
    assert offenders == []


#: Issue 10: no module over about 900 lines (a module that grows past it splits by what
#: its parts are, as backup/restore, cycles/workflow and team_entry/entry_form did).
MAX_MODULE_LINES = 900


def test_no_module_over_about_900_lines():
    sizes = {str(path.relative_to(PACKAGE.parent)): len(path.read_text(encoding="utf-8")
                                                         .splitlines())
             for path in PACKAGE.rglob("*.py")}
    assert len(sizes) > 100  # the whole package was read
    too_long = {name: lines for name, lines in sizes.items() if lines > MAX_MODULE_LINES}
    assert too_long == {}, f"modul terlalu panjang, pecah menurut bagiannya: {too_long}"
