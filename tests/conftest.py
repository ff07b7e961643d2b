"""Shared fixtures: an isolated project root per test, the shared mirror and fixtures, a loopback server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from marketlib.config import get_settings

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
MIRROR = SHARED / "data"
FIXTURES = SHARED / "fixtures"


def need(path: Path) -> Path:
    """Skip the test when the shared mirror or fixtures are not next to the repository."""
    if not path.exists():
        pytest.skip(f"{path} is not available (the shared mirror sits next to the repository)")
    return path


def seed_project(root: Path) -> Path:
    """A project root holding the repository's marketlib.toml and committed reference figures."""
    reference = root / "data" / "raw" / "reference"
    reference.mkdir(parents=True, exist_ok=True)
    for committed in (REPO / "data" / "raw" / "reference").glob("*.csv"):
        (reference / committed.name).write_bytes(committed.read_bytes())
    (root / "marketlib.toml").write_text((REPO / "marketlib.toml").read_text())
    return root


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A fresh project root (own data/ and reports/) that still reads the real mirror; network off."""
    root = seed_project(tmp_path / "project")
    monkeypatch.setenv("MARKETLIB_ROOT", str(root))
    monkeypatch.setenv("MARKETLIB_MIRROR_DIRS", str(MIRROR))
    monkeypatch.setenv("MARKETLIB_FIXTURES_DIRS", str(FIXTURES))
    monkeypatch.setenv("MARKETLIB_OFFLINE", "1")
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def pytest_collection_modifyitems(config, items):
    if os.environ.get("MARKETLIB_LIVE") == "1":
        return
    skip_live = pytest.mark.skip(reason="live network test; set MARKETLIB_LIVE=1 to run")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip_live)
