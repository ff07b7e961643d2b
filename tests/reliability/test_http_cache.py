"""A damaged on-disk HTTP cache is moved aside with one warning and replaced by a fresh one; fetching goes on.
Servers listen on 127.0.0.1; the damaged files are GENERATED here."""

from __future__ import annotations

import logging

import pytest

from marketlib.http import PoliteSession
from marketlib.sources import FetchContext, greenhouse
from tests.loopback import allow_robots, loopback_settings, requests_to

BODY = b"j" * 300_000  # large enough to live on SQLite overflow pages that a truncation cuts off


def _moved_aside(settings) -> list:
    """The moved database files (SQLite's -wal/-shm files, when there were any, move beside them)."""
    moved = settings.http_cache.parent.glob(f"{settings.http_cache.name}.corrupt-*")
    return sorted(p for p in moved if not p.name.endswith(("-wal", "-shm")))


def _cache_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "HTTP cache" in r.getMessage()]


def _fill_then_truncate(settings, url: str) -> None:
    session = PoliteSession(settings, sleep=lambda s: None)
    assert session.get(url).content == BODY
    session.close()
    data = settings.http_cache.read_bytes()
    settings.http_cache.write_bytes(data[: len(data) // 3])
    for sidecar in ("-wal", "-shm"):
        settings.http_cache.with_name(settings.http_cache.name + sidecar).unlink(missing_ok=True)


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_cache_is_moved_aside_and_the_fetch_goes_on(project, httpserver, caplog, damage):
    allow_robots(httpserver)
    httpserver.expect_request("/jobs").respond_with_data(BODY)
    settings = loopback_settings(project)
    settings.http_cache.parent.mkdir(parents=True, exist_ok=True)
    if damage == "garbage":
        settings.http_cache.write_bytes(b"\x00not a database\xff" * 500)
    else:
        _fill_then_truncate(settings, httpserver.url_for("/jobs"))
    damaged = settings.http_cache.read_bytes()
    before = requests_to(httpserver, "/jobs")

    with caplog.at_level(logging.WARNING):
        session = PoliteSession(settings, sleep=lambda s: None)
        assert session.get(httpserver.url_for("/jobs")).content == BODY
    assert requests_to(httpserver, "/jobs") == before + 1  # the damaged copy was not served
    (moved,) = _moved_aside(settings)
    assert moved.read_bytes() == damaged  # kept for inspection, byte for byte
    (warning,) = _cache_warnings(caplog)
    assert "damaged" in warning and moved.name in warning and "\n" not in warning
    session.close()

    fresh = PoliteSession(settings, sleep=lambda s: None)  # the fresh cache works: a hit, no request
    assert fresh.get(httpserver.url_for("/jobs")).content == BODY and fresh.requests_made == 0


def test_a_network_source_still_fetches_with_a_cache_full_of_garbage(project, httpserver, caplog):
    allow_robots(httpserver)
    httpserver.expect_request("/v1/boards/acme/jobs").respond_with_json(
        {"jobs": [{"id": 1, "title": "ML Engineer", "location": {"name": "Remote"}}]})
    settings = loopback_settings(project)
    settings.http_cache.parent.mkdir(parents=True, exist_ok=True)
    settings.http_cache.write_bytes(b"garbage" * 1000)
    ctx = FetchContext(settings, options={"base_url": httpserver.url_for(""), "boards": ["acme"]})
    with caplog.at_level(logging.WARNING):
        (status,) = greenhouse.fetch(ctx)  # the context opens the default, cached session
    assert (status.status, status.items) == ("ok", 1), status.message
    assert len(_moved_aside(settings)) == 1 and len(_cache_warnings(caplog)) == 1
