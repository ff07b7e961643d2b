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


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A fresh project root (own data/ and reports/) that still reads the real mirror; network off."""
    root = tmp_path / "project"
    (root / "data" / "raw" / "reference").mkdir(parents=True)
    ref = REPO / "data" / "raw" / "reference"
    for f in ref.glob("*.csv"):
        (root / "data" / "raw" / "reference" / f.name).write_bytes(f.read_bytes())
    (root / "marketlib.toml").write_text((REPO / "marketlib.toml").read_text())
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
