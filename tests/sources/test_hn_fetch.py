"""Hacker News fetch against a real HTTP server on 127.0.0.1 (pytest-httpserver, threaded so that concurrent
Firebase requests really overlap). All thread contents here are GENERATED test data, not recordings."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from marketlib.build import build, load_table
from marketlib.snapshots import latest_by_name, list_snapshots
from marketlib.sources import FetchContext
from marketlib.sources import hackernews as hn
from tests.loopback import loopback_settings, quick_session

HIRING, SEEKERS, FREELANCE = 45093192, 45093191, 45093190
SAME_MINUTE = "2026-09-01T15:01:02Z"


@pytest.fixture
def server():
    srv = HTTPServer(host="127.0.0.1", threaded=True)
    srv.start()
    srv.expect_request("/robots.txt").respond_with_data("", status=404)
    yield srv
    srv.clear()
    if srv.is_running():
        srv.stop()


def _context(project, server: HTTPServer, **options):
    settings = loopback_settings(project, max_retries=1, backoff_base_seconds=0.0, max_concurrency=3)
    session, sleeper = quick_session(settings)
    base = server.url_for("").rstrip("/")
    opts = {"algolia_base": f"{base}/api/v1", "firebase_base": f"{base}/v0", "hn_base": base, "months": 1,
            "pinned": False}  # the live fetch only (test_hn_archive fetches the pinned files)
    opts.update(options)
    return FetchContext(settings, options=opts, _session=session), sleeper


def _hits() -> dict:
    """Generated search result: three same-minute whoishiring titles for Sept 2026 and a decoy."""
    titles = [
        (FREELANCE, "Ask HN: Freelancer? Seeking freelancer? (September 2026)"),
        (SEEKERS, "Ask HN: Who wants to be hired? (September 2026)"),
        (HIRING, "Ask HN: Who is hiring? (September 2026)"),
        (45000001, "Ask HN: Who is hiring? (August 2026)"),
        (45000002, "Ask HN: Who is hiring? (September 2026) – thread for part-timers"),
    ]
    return {
        "hits": [
            {"objectID": str(i), "title": t, "author": "whoishiring", "created_at": SAME_MINUTE}
            for i, t in titles
        ],
        "nbPages": 1,
        "page": 0,
    }


def generated_post(i: int) -> str:
    roles = "ML Engineer, Data Scientist" if i % 10 == 0 else "Backend Engineer"
    return (
        f"Company{i} | {roles} | Berlin, Germany | Full-time | €{60 + i % 30}-{90 + i % 30}k"
        f"<p>Generated body {i} &#x27;quoted&#x27;."
    )


def generated_algolia_thread(thread_id: int, posts: int) -> dict:
    children = [
        {
            "id": thread_id * 1000 + i,
            "type": "comment",
            "author": f"user{i}",
            "created_at": "2026-09-01T16:00:00.000Z",
            "text": generated_post(i),
            "children": [],
        }
        for i in range(posts)
    ]
    return {"id": thread_id, "type": "story", "title": "generated", "children": children}


def _path_count(server: HTTPServer, path: str) -> int:
    return sum(1 for request, _ in server.log if request.path == path)


def test_discovery_picks_the_hiring_and_seekers_threads_and_fetches_each_in_one_request(project, server):
    server.expect_request("/api/v1/search_by_date").respond_with_json(_hits())
    server.expect_request(f"/api/v1/items/{HIRING}").respond_with_json(generated_algolia_thread(HIRING, 12))
    server.expect_request(f"/api/v1/items/{SEEKERS}").respond_with_json(generated_algolia_thread(SEEKERS, 5))
    ctx, _ = _context(project, server)
    statuses = hn.SOURCE.run_fetch(ctx)

    discovery, *threads = statuses
    assert discovery.status == "ok" and discovery.items == 2
    assert [t.group for t in threads] == [
        f"seekers 2026-09 (thread {SEEKERS})",
        f"hiring 2026-09 (thread {HIRING})",
    ]
    assert all(t.status == "ok" for t in threads)
    assert _path_count(server, f"/api/v1/items/{HIRING}") == 1  # the whole thread in one request
    assert _path_count(server, f"/api/v1/items/{FREELANCE}") == 0
    assert _path_count(server, "/api/v1/items/45000002") == 0  # near-miss title is not a monthly thread
    query = next(r for r, _ in server.log if r.path == "/api/v1/search_by_date").args
    assert query["tags"] == "story,author_whoishiring"
    out = hn.parse(latest_by_name("hackernews", project.raw_dir))
    seekers = out["seekers"].row(0, named=True)
    assert (seekers["seekers"], seekers["hiring_posts"], seekers["thread_id"]) == (5, 12, str(SEEKERS))


def test_600_post_generated_thread_is_fetched_parsed_and_written(project, server):
    server.expect_request("/api/v1/search_by_date").respond_with_json(_hits())
    server.expect_request(f"/api/v1/items/{HIRING}").respond_with_json(generated_algolia_thread(HIRING, 600))
    server.expect_request(f"/api/v1/items/{SEEKERS}").respond_with_json(generated_algolia_thread(SEEKERS, 40))
    ctx, _ = _context(project, server)
    statuses = hn.fetch(ctx)
    hiring = next(s for s in statuses if s.group.startswith("hiring"))
    assert hiring.items == 600 and hiring.requests == 1 and len(hiring.snapshots) == 1

    out = hn.parse(latest_by_name("hackernews", project.raw_dir))
    postings = out["postings"]
    assert postings.height == 600 + 60  # every 10th generated post names two roles
    assert postings.get_column("source_posting_id").n_unique() == 660
    assert postings.get_column("salary_currency").unique().to_list() == ["EUR"]

    result = build(["seekers"], settings=ctx.settings)
    assert {t.table: t.status for t in result.tables}["seekers"] == "built"
    table = load_table("seekers", ctx.settings).row(0, named=True)
    assert (table["seekers"], table["hiring_posts"], table["thread_id"]) == (40, 600, str(SEEKERS))


def _firebase_server(server: HTTPServer, kids: dict[int, dict | None], peak: list[int]) -> None:
    """Algolia answers 503; Firebase serves the user, the stories and the generated kids (slowly, counting
    how many kid requests are in flight at once)."""
    server.expect_request(re.compile(r"/api/v1/.*")).respond_with_data("unavailable", status=503)
    server.expect_request("/v0/user/whoishiring.json").respond_with_json(
        {"id": "whoishiring", "submitted": [FREELANCE, SEEKERS, HIRING, 45000001]}
    )
    stories = {
        FREELANCE: {
            "id": FREELANCE,
            "type": "story",
            "title": "Ask HN: Freelancer? Seeking freelancer? (September 2026)",
        },
        SEEKERS: {
            "id": SEEKERS,
            "type": "story",
            "title": "Ask HN: Who wants to be hired? (September 2026)",
            "kids": [9001, 9002],
        },
        HIRING: {
            "id": HIRING,
            "type": "story",
            "title": "Ask HN: Who is hiring? (September 2026)",
            "kids": list(kids),
        },
        45000001: {"id": 45000001, "type": "story", "title": "Ask HN: Who is hiring? (August 2026)"},
    }
    kids = {
        **kids,
        9001: {"id": 9001, "type": "comment", "text": "Location: A", "time": 1788278885},
        9002: {"id": 9002, "type": "comment", "text": "Location: B", "time": 1788278885},
    }
    lock, in_flight = threading.Lock(), [0]

    def item(request: Request) -> Response:
        item_id = int(re.search(r"(\d+)\.json$", request.path).group(1))
        if item_id in stories:
            return Response(json.dumps(stories[item_id]), content_type="application/json")
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.02)  # keep the request open so that concurrent ones overlap
        with lock:
            in_flight[0] -= 1
        return Response(json.dumps(kids[item_id]), content_type="application/json")

    server.expect_request(re.compile(r"/v0/item/\d+\.json")).respond_with_handler(item)


def test_algolia_503_falls_back_to_firebase_with_bounded_concurrency(project, server):
    kids: dict[int, dict | None] = {
        7000 + i: {
            "id": 7000 + i,
            "type": "comment",
            "by": f"u{i}",
            "time": 1788278885 + i,
            "text": generated_post(i + 1),
        }
        for i in range(40)
    }
    kids[7000] = {"id": 7000, "deleted": True, "type": "comment", "time": 1788278885}
    kids[7001] = {**kids[7001], "dead": True}
    peak = [0]
    _firebase_server(server, kids, peak)
    ctx, _ = _context(project, server)
    statuses = hn.fetch(ctx)

    discovery = statuses[0]
    assert discovery.status == "ok" and discovery.message.startswith("firebase")
    hiring = next(s for s in statuses if s.group.startswith("hiring"))
    assert hiring.status == "ok" and "via firebase" in hiring.message and "algolia failed" in hiring.message
    assert hiring.items == 38 and "1 deleted, 1 dead" in hiring.message
    assert _path_count(server, f"/api/v1/items/{HIRING}") == 2  # first try + one retry (max_retries=1)
    assert ctx.session.retry_waits  # a retry wait was computed (zero here: backoff_base_seconds=0)
    assert 2 <= peak[0] <= ctx.settings.max_concurrency

    out = hn.parse(latest_by_name("hackernews", project.raw_dir))
    assert out.drop_counts() == {"deleted": 1, "dead": 1}
    assert out["postings"].get_column("source_posting_id").str.replace(r"#\d$", "").n_unique() == 38
    names = {s.original_name for s in list_snapshots("hackernews", project.raw_dir)}
    assert {f"thread-{HIRING}-firebase-story.json", f"thread-{HIRING}-firebase-kids.jsonl"} <= names


def test_html_pages_are_the_last_fallback_and_follow_the_more_link(project, server):
    from tests.sources.test_hackernews import hn_page

    server.expect_request(re.compile(r"/api/v1/.*")).respond_with_data("down", status=503)
    server.expect_request(re.compile(r"/v0/.*")).respond_with_data("down", status=500)
    page1 = hn_page(
        [{"id": 1, "text": generated_post(1)}, {"id": 2, "text": "a reply", "indent": 1}],
        more=f"item?id={HIRING}&p=2",
    )
    page2 = hn_page([{"id": 3, "text": generated_post(3)}, {"id": 4, "text": None, "head": "[flagged]"}])
    server.expect_request("/item", query_string=f"id={HIRING}").respond_with_data(
        page1, content_type="text/html"
    )
    server.expect_request("/item", query_string=f"id={HIRING}&p=2").respond_with_data(
        page2, content_type="text/html"
    )
    ctx, _ = _context(project, server, via="auto")
    fetcher = hn._Fetcher(ctx)
    thread = hn.Thread(str(HIRING), "Ask HN: Who is hiring? (September 2026)", "hiring", dt.date(2026, 9, 1))
    status = fetcher.fetch_thread(thread)
    assert status.status == "ok" and "via html" in status.message and "2 page(s)" in status.message
    assert status.items == 2 and "1 flagged" in status.message
    out = hn.parse(latest_by_name("hackernews", project.raw_dir))
    assert sorted(out["postings"].get_column("source_posting_id").to_list()) == ["1", "3"]


def test_every_method_refused_gives_a_blocked_status(project, server):
    server.expect_request(re.compile(r"/api/v1/.*")).respond_with_data("no", status=403)
    server.expect_request(re.compile(r"/v0/.*")).respond_with_data("no", status=403)
    server.expect_request("/item").respond_with_data("no", status=403)
    ctx, _ = _context(project, server)
    statuses = hn.fetch(ctx)
    assert [(s.group, s.status, s.http_status) for s in statuses] == [("discovery", "blocked", 403)]
    thread = hn.Thread(str(HIRING), "t", "hiring", dt.date(2026, 9, 1))
    status = hn._Fetcher(ctx).fetch_thread(thread)
    assert status.status == "blocked" and status.http_status == 403 and status.snapshots == []
