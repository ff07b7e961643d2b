"""Network faults not covered by tests/test_http.py and the source tests: a slow drip, an HN fallback page
without comment nodes, per-source faults for Greenhouse, Ashby and the job lists, and the request rate of the
Firebase fallback measured on the server. Every server listens on 127.0.0.1; all bodies are GENERATED.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from marketlib.http import NetworkError, PoliteSession, ResponseTooLarge
from marketlib.snapshots import latest_by_name, list_snapshots
from marketlib.sources import FetchContext, ashby, greenhouse, speedyapply
from marketlib.sources import _joblists as jl
from marketlib.sources import hackernews as hn
from tests.conftest import MIRROR, need
from tests.loopback import (
    ARRIVAL_JITTER_SECONDS,
    FaultServer,
    SleepRecorder,
    allow_robots,
    data_files,
    loopback_settings,
    quick_session,
)

HIRING = 45093192


# ------------------------------------------------------------------------------------------ slow drip


def test_a_drip_slower_than_the_read_timeout_is_retried_then_a_network_error(project):
    with FaultServer("drip", gap=0.6, chunks=20) as server:
        settings = loopback_settings(project, max_retries=1, read_timeout_seconds=0.25)
        session, _ = quick_session(settings)
        started = time.monotonic()
        with pytest.raises(NetworkError, match="after 2 attempt"):
            session.get(server.url("/drip"))
        assert time.monotonic() - started < 5  # two attempts of ~0.25 s each, not 2 x 12 s of dripping


def test_an_endless_drip_under_the_read_timeout_is_cut_by_the_size_cap(project):
    # Each piece arrives within the read timeout, so only the size cap bounds this response (checked per
    # 64 KiB read, hence pieces of 4 KiB: the cap trips after ~0.2 s).
    with FaultServer("drip", gap=0.01, chunks=10_000, chunk=b"y" * 4096) as server:
        settings = loopback_settings(project, max_retries=0, read_timeout_seconds=1.0, max_response_bytes=4096)
        session, _ = quick_session(settings)
        with pytest.raises(ResponseTooLarge, match="more than the 4,096-byte cap"):
            session.get(server.url("/drip"))


def test_a_drip_under_the_read_timeout_is_bounded_by_a_total_deadline(project):
    with FaultServer("drip", gap=0.1, chunks=30) as server:  # 3 s in all, each gap under the 0.3 s read timeout
        session, _ = quick_session(loopback_settings(project, max_retries=0, read_timeout_seconds=0.3,
                                                     max_request_seconds=1.0))
        with pytest.raises(NetworkError, match="1-second deadline"):
            session.get(server.url("/drip"))


# ------------------------------------------------------------------------------------------ HN HTML fallback


@pytest.fixture
def hn_server():
    srv = HTTPServer(host="127.0.0.1", threaded=True)
    srv.start()
    srv.expect_request("/robots.txt").respond_with_data("", status=404)
    srv.expect_request("/api/v1/search_by_date").respond_with_json({"hits": [
        {"objectID": str(HIRING), "title": "Ask HN: Who is hiring? (September 2026)", "author": "whoishiring",
         "created_at": "2026-09-01T15:01:02Z"}], "nbPages": 1, "page": 0})
    yield srv
    srv.clear()
    if srv.is_running():
        srv.stop()


def _hn_context(project, server: HTTPServer, **overrides):
    settings = loopback_settings(project, max_retries=1, backoff_base_seconds=0.0, **overrides)
    session, _ = quick_session(settings)
    base = server.url_for("").rstrip("/")
    return FetchContext(settings, options={"algolia_base": f"{base}/api/v1", "firebase_base": f"{base}/v0",
                                           "hn_base": base, "months": 1, "via": "html", "pinned": False},
                        _session=session)


@pytest.mark.parametrize("page", [
    "<html><body><h1>Sorry.</h1><p>We're having some trouble serving your request.</p></body></html>",
    '<html><body><table class="comment-tree"><tr class="athing"><td>no comhead, no commtext</td></tr>'
    '</table><a class="morelink" href="item?id=1&p=abc">More</a></body></html>',
    '<tr class="athing comtr" id="7"><td class="ind" indent="two"></td><td><span class="commtext">Acme | '
    'ML Engineer | Remote</span></td></tr>',
])
def test_an_hn_page_without_the_expected_nodes_is_empty_not_a_crash(project, hn_server, page):
    hn_server.expect_request("/item").respond_with_data(page, content_type="text/html")
    statuses = hn.fetch(_hn_context(project, hn_server))
    thread = next(s for s in statuses if s.group.startswith("hiring"))
    parsed = hn.parse(latest_by_name("hackernews", project.raw_dir))
    if 'class="commtext"' in page:  # a malformed indent still yields the one top-level post
        assert (thread.status, thread.items, parsed["postings"].height) == ("ok", 1, 1)
    else:
        assert (thread.status, thread.items) == ("empty", 0) and "0 top-level posts" in thread.message
        assert parsed["postings"].height == 0
    assert sum(1 for r, _ in hn_server.log if r.path == "/item") == 1  # a bad "More" link is not followed


# ------------------------------------------------------------------------------------------ ATS sources

BOARD = {"greenhouse": "/v1/boards/acme/jobs", "ashby": "/posting-api/job-board/acme"}
GOOD = {"greenhouse": {"jobs": [{"id": 1, "title": "ML Engineer", "location": {"name": "Remote"}}]},
        "ashby": {"jobs": [{"id": "a1", "title": "ML Engineer", "location": "Remote", "isListed": True}]}}
MODULES = {"greenhouse": greenhouse, "ashby": ashby}


def _ats_ctx(settings, base: str):
    ctx = FetchContext(settings, options={"base_url": base, "boards": ["acme"]})
    ctx._session = PoliteSession(settings, cache=False, sleep=SleepRecorder())
    return ctx


@pytest.mark.parametrize("source", list(BOARD))
@pytest.mark.parametrize("fault", ["truncated", "html", "wrong_shape", "jobs_not_a_list", "server_error",
                                   "forbidden"])
def test_a_failed_board_is_an_error_status_and_stores_nothing(project, httpserver, source, fault):
    allow_robots(httpserver)
    path = BOARD[source]
    good = json.dumps(GOOD[source])
    respond = httpserver.expect_request(path)
    if fault == "truncated":
        respond.respond_with_data(good[: len(good) // 2], content_type="application/json")
    elif fault == "html":
        respond.respond_with_data("<html>Just a moment...</html>", content_type="text/html")
    elif fault == "wrong_shape":
        respond.respond_with_json([GOOD[source]])
    elif fault == "jobs_not_a_list":
        respond.respond_with_json({"jobs": {"1": "x"}})
    elif fault == "server_error":
        respond.respond_with_data("", status=502)
    else:
        respond.respond_with_data("", status=403)
    settings = loopback_settings(project, max_retries=1)
    (status,) = MODULES[source].fetch(_ats_ctx(settings, httpserver.url_for("")))
    expected = "blocked" if fault == "forbidden" else "error"
    assert status.status == expected and status.snapshots == [] and status.message
    assert data_files(settings.raw_dir, source) == []


@pytest.mark.parametrize("source", list(BOARD))
def test_429_with_retry_after_then_success_through_a_source(project, httpserver, source):
    allow_robots(httpserver)
    httpserver.expect_oneshot_request(BOARD[source]).respond_with_data("", status=429,
                                                                       headers={"Retry-After": "5"})
    httpserver.expect_request(BOARD[source]).respond_with_json(GOOD[source])
    settings = loopback_settings(project, max_retries=2)
    ctx = _ats_ctx(settings, httpserver.url_for(""))
    (status,) = MODULES[source].fetch(ctx)
    assert (status.status, status.items, len(status.snapshots)) == ("ok", 1, 1)
    assert ctx.session.retry_waits == [5.0]


@pytest.mark.parametrize("source", list(BOARD))
def test_a_connection_reset_board_is_an_error_and_the_next_board_still_runs(project, source):
    with FaultServer("reset") as server:
        settings = loopback_settings(project, max_retries=1)
        ctx = _ats_ctx(settings, server.url(""))
        ctx.options["boards"] = ["acme", "beta"]
        statuses = MODULES[source].fetch(ctx)
    assert [s.status for s in statuses] == ["error", "error"]  # both tried: one failure does not stop the rest
    assert all("after 2 attempt" in s.message for s in statuses), [s.message for s in statuses]
    assert data_files(settings.raw_dir, source) == []


# ------------------------------------------------------------------------------------------ job lists


def _list_ctx(project, **overrides) -> FetchContext:
    settings = loopback_settings(project, **overrides)
    session, _ = quick_session(settings)
    return FetchContext(settings, options={}, _session=session)


def test_a_job_list_download_reset_keeps_the_pinned_history(project):
    need(MIRROR / "speedyapply_ai_college_jobs")
    with FaultServer("reset") as server:
        live = (jl.LiveFile("live_README.md", server.url("/README.md"), "intern_usa"),)
        statuses = jl.fetch_joblist(_list_ctx(project, max_retries=1), speedyapply.SOURCE, live,
                                    speedyapply._count_rows)
    by_group = {s.group: s for s in statuses}
    assert by_group["live_README.md"].status == "error" and by_group["live_README.md"].snapshots == []
    assert all(s.status == "ok" for g, s in by_group.items() if g != "live_README.md")
    assert speedyapply.parse(latest_by_name("speedyapply", project.raw_dir))["postings"].height == 17749


def test_a_job_list_503_burst_then_success_is_stored(project, httpserver):
    need(MIRROR / "speedyapply_ai_college_jobs")
    allow_robots(httpserver)
    for _ in range(2):
        httpserver.expect_oneshot_request("/README.md").respond_with_data("", status=503)
    httpserver.expect_request("/README.md").respond_with_data(
        "| Company | Position | Location | Salary | Posting | Age |\n|---|---|---|---|---|---|\n"
        '| <a href="https://n.example"><strong>Newco</strong></a> | ML Intern | Austin, TX | $40/hr | '
        '<a href="https://n.example/jobs/1">x</a> | 1d |\n', content_type="text/plain")
    live = (jl.LiveFile("live_README.md", httpserver.url_for("/README.md"), "intern_usa"),)
    ctx = _list_ctx(project, max_retries=3)
    statuses = jl.fetch_joblist(ctx, speedyapply.SOURCE, live, speedyapply._count_rows)
    live_status = next(s for s in statuses if s.group == "live_README.md")
    assert (live_status.status, live_status.items, live_status.requests) == ("ok", 1, 1)
    assert len(ctx.session.retry_waits) == 2
    assert any(s.original_name == "live_README.md" for s in list_snapshots("speedyapply", project.raw_dir))


# ------------------------------------------------------------------------------------------ politeness


def test_firebase_fallback_keeps_the_host_interval_and_the_concurrency_bound(project, hn_server):
    """Algolia is down, so 12 comments come one request each from Firebase on a thread pool: the server sees
    them no closer than the host interval (less arrival jitter) and never more than max_concurrency at once,
    though each answer takes long enough for three to overlap without the bound."""
    interval, workers, answer_seconds = 0.2, 2, 0.5
    kids = list(range(8000, 8012))
    stamps: list[float] = []
    lock, in_flight, peak = threading.Lock(), [0], [0]
    hn_server.expect_request(re.compile(r"/api/v1/items/.*")).respond_with_data("down", status=503)
    story = {"id": HIRING, "type": "story", "title": "Ask HN: Who is hiring? (September 2026)", "kids": kids}
    hn_server.expect_request(f"/v0/item/{HIRING}.json").respond_with_json(story)

    def item(request: Request) -> Response:
        with lock:
            stamps.append(time.monotonic())
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(answer_seconds)
        with lock:
            in_flight[0] -= 1
        kid = int(re.search(r"(\d+)\.json$", request.path).group(1))
        return Response(json.dumps({"id": kid, "type": "comment", "time": 1788278885,
                                    "text": f"Company{kid} | ML Engineer | Remote"}), content_type="application/json")

    hn_server.expect_request(re.compile(r"/v0/item/80\d\d\.json")).respond_with_handler(item)
    settings = loopback_settings(project, max_retries=0, min_interval_seconds=interval, max_concurrency=workers,
                                 read_timeout_seconds=10.0, connect_timeout_seconds=10.0)
    base = hn_server.url_for("").rstrip("/")
    ctx = FetchContext(settings, options={"algolia_base": f"{base}/api/v1", "firebase_base": f"{base}/v0",
                                          "hn_base": base, "months": 1, "pinned": False},
                       _session=PoliteSession(settings, cache=False))  # real sleeps: the rate is measured
    statuses = hn.fetch(ctx)
    thread = next(s for s in statuses if s.group.startswith("hiring"))
    assert thread.status == "ok" and thread.items == 12 and "via firebase" in thread.message, thread.message
    gaps = [b - a for a, b in zip(sorted(stamps), sorted(stamps)[1:], strict=False)]
    assert len(stamps) == 12 and min(gaps) >= interval - ARRIVAL_JITTER_SECONDS
    assert peak[0] == workers


def test_the_drip_server_really_drips(project):
    """Guard for the tests above: the drip server sends its body in pieces, not at once."""
    with FaultServer("drip", gap=0.05, chunks=4, chunk=b"ab") as server:
        host, port = server._server.server_address[:2]
        with socket.create_connection((host, port), timeout=2) as sock:
            sock.sendall(b"GET /d HTTP/1.1\r\nHost: x\r\n\r\n")
            started, received = time.monotonic(), b""
            while True:
                part = sock.recv(1024)
                if not part:
                    break
                received += part
    assert received.endswith(b"abababab") and time.monotonic() - started >= 0.15
