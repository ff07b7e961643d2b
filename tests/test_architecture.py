"""The floors of ARCHITECTURE.md, enforced: an AST check of every import in src/marketlib, and no file I/O in
clean/ (reading the package's own dictionaries excepted)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "marketlib"

# Module (or package) -> floor. Top-level modules are listed one by one, so a new one must be placed here.
FLOORS = {
    "marketlib": "base", "marketlib.errors": "base", "marketlib.config": "base", "marketlib.atomic": "base",
    "marketlib.schemas": "base", "marketlib.compiled": "base", "marketlib.params": "base",
    "marketlib.clean.values": "base", "marketlib.csv_blocks": "base", "marketlib.cores": "base",
    "marketlib.snapshots": "data", "marketlib.storage": "data", "marketlib.http": "data",
    "marketlib.http_body": "data", "marketlib.http_cache": "data", "marketlib.http_errors": "data",
    "marketlib.http_redirects": "data", "marketlib.robots": "data", "marketlib.lock": "data",
    "marketlib.clean": "clean",
    "marketlib.sources": "sources",
    "marketlib.build": "build", "marketlib.fetch": "build", "marketlib.cleanfile": "build",
    "marketlib.userclean": "build", "marketlib.userinput": "build", "marketlib.imports": "build",
    "marketlib.hn_items": "build", "marketlib.scaleout": "build", "marketlib.tables": "analysis",
    "marketlib.metrics": "analysis", "marketlib.charts": "analysis", "marketlib.chart_theme": "analysis",
    "marketlib.notebook": "analysis",
    "marketlib.analysis": "analysis",
    "marketlib.report": "app", "marketlib.report_cache": "app", "marketlib.cli": "app", "marketlib.pages": "app",
    "marketlib.sanitize": "app", "marketlib.notebook_run": "app", "marketlib.notebook_workers": "app",
    "marketlib.screenshots": "app",
    "marketlib.chart_layout": "analysis",
}
# Every submodule of these packages shares the package's floor.
PACKAGES = ("marketlib.clean", "marketlib.sources", "marketlib.analysis", "marketlib.scaleout")
# Floor -> the floors it may import. Analysis reads processed tables (storage) and never sources or the build.
MAY_IMPORT = {
    "base": {"base"},
    "data": {"base", "data"},
    "clean": {"base", "clean"},
    "sources": {"base", "data", "clean", "sources"},
    "build": {"base", "data", "clean", "sources", "build"},
    "analysis": {"base", "data", "clean", "analysis"},
    "app": {"base", "data", "clean", "sources", "build", "analysis", "app"},
}
# Imports that break a rule and are being moved, as (module, target) pairs; empty now that analysis reads the
# published figures, the source catalog and the HN monthly series as processed tables.
PENDING: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def floor_of(module: str) -> str | None:
    if module in FLOORS:
        return FLOORS[module]
    for package in PACKAGES:
        if module.startswith(package + "."):
            return FLOORS[package]
    return None


def imported_modules(tree: ast.AST, module: str) -> set[str]:
    """Every marketlib module `module` imports, at the top or inside functions; `from marketlib import x`
    counts as importing marketlib.x when x is a module."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import
                base = ".".join(module.split(".")[:-node.level] + ([base] if base else []))
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if floor_of(candidate) and _is_module(candidate) else base)
    return {m for m in found if m == "marketlib" or m.startswith("marketlib.")}


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def import_violations(source: str, module: str) -> list[str]:
    importer = floor_of(module)
    problems = []
    for target in sorted(imported_modules(ast.parse(source), module)):
        floor = floor_of(target)
        if floor is None:
            problems.append(f"{module} imports {target}, which has no floor")
        elif floor not in MAY_IMPORT[importer] and (module, target) not in PENDING:
            problems.append(f"{module} ({importer}) imports {target} ({floor})")
    return problems


def _modules():
    return sorted((module_name(p), p) for p in PACKAGE.rglob("*.py"))


def test_every_module_has_a_floor():
    assert [m for m, _ in _modules() if floor_of(m) is None] == []


def test_no_import_reaches_a_floor_it_may_not():
    problems = [p for m, path in _modules() for p in import_violations(path.read_text("utf-8"), m)]
    assert problems == []


def test_pending_exceptions_still_exist():
    """An exception whose import is gone must leave PENDING, so the rule is whole again."""
    actual = {(m, t) for m, path in _modules() for t in imported_modules(ast.parse(path.read_text("utf-8")), m)}
    assert PENDING <= actual


def test_the_import_check_catches_an_upward_import():
    assert import_violations("from marketlib.sources import registry\n", "marketlib.clean.roles") == [
        "marketlib.clean.roles (clean) imports marketlib.sources (sources)"]
    assert import_violations("def f():\n    from marketlib import build\n", "marketlib.analysis.skills") == [
        "marketlib.analysis.skills (analysis) imports marketlib.build (build)"]
    assert import_violations("from marketlib.storage import load_table\n", "marketlib.analysis.skills") == []


# ------------------------------------------------------------------------------------------ no I/O in clean/

IO_NAMES = {"open"}
IO_ATTRIBUTES = {"read_text", "read_bytes", "write_text", "write_bytes", "unlink", "mkdir", "rmdir", "touch",
                 "makedirs", "iterdir"}
IO_PREFIXES = ("read_", "scan_", "write_", "sink_")  # polars: read_csv, scan_parquet, write_parquet ...


def _mentions_resource(node: ast.AST, resources: set[str]) -> bool:
    """The expression is built from the package's own files: importlib.resources.files(...) or __file__."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            if (isinstance(func, ast.Name) and func.id == "files") or \
                    (isinstance(func, ast.Attribute) and func.attr == "files"):
                return True
        if isinstance(sub, ast.Attribute) and sub.attr == "__file__":
            return True
        if isinstance(sub, ast.Name) and sub.id in resources:
            return True
    return False


def _resource_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    while True:
        grown = {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
                 and _mentions_resource(node.value, names) for t in node.targets if isinstance(t, ast.Name)}
        if grown <= names:
            return names
        names |= grown


def io_calls(source: str) -> list[str]:
    """File reads and writes in `source`, except of package data (dictionaries shipped with the code)."""
    tree = ast.parse(source)
    resources = _resource_names(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in IO_NAMES:
            name = func.id
        elif isinstance(func, ast.Attribute) and (func.attr in IO_ATTRIBUTES or func.attr.startswith(IO_PREFIXES)):
            name = func.attr
        else:
            continue
        if not _mentions_resource(node, resources):
            found.append(f"line {node.lineno}: {name}")
    return found


def test_clean_does_no_file_io():
    problems = {m: io_calls(p.read_text("utf-8")) for m, p in _modules() if m.startswith("marketlib.clean.")}
    assert {m: calls for m, calls in problems.items() if calls} == {}


@pytest.mark.parametrize("source, expected", [
    ("import polars as pl\ndef f(path):\n    return pl.read_parquet(path)\n", ["line 3: read_parquet"]),
    ("def f(frame, path):\n    frame.write_parquet(path)\n", ["line 2: write_parquet"]),
    ("def f(p):\n    return open(p).read()\n", ["line 2: open"]),
    ("def f(p):\n    return p.read_text('utf-8')\n", ["line 2: read_text"]),
    # the package's own dictionaries may be read
    ("from importlib import resources\nT = resources.files('marketlib').joinpath('x.csv').read_text()\n", []),
    ("from importlib.resources import files\nimport polars as pl\n_DATA = files('marketlib') / 'data'\n"
     "def f(name):\n    return pl.read_csv(_DATA / name)\n", []),
])
def test_the_io_check_flags_file_access_but_not_package_data(source, expected):
    assert io_calls(source) == expected
