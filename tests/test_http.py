"""PoliteSession against real servers on 127.0.0.1 (pytest-httpserver and a raw fault server)."""

from __future__ import annotations

import datetime as dt
import email.utils
import threading

import pytest
from werkzeug.wrappers import Response

from marketlib.errors import OfflineError
from marketlib.http import (
    BadContentError,
    BlockedError,
    FetchError,
    HTTPStatusError,
    NetworkError,
    PoliteSession,
    ResponseTooLarge,
    describe_fetch_error,
    parse_retry_after,
)
from tests.loopback import (
    ARRIVAL_JITTER_SECONDS,
    FaultServer,
    allow_robots,
    loopback_settings,
    quick_session,
    requests_to,
    timed_handler,
)

NOW = dt.datetime(2026, 9, 1, 12, 0, 0, tzinfo=dt.UTC)


def test_429_retry_after_seconds_is_waited_then_succeeds(project, httpserver):
    allow_robots(httpserver)
    httpserver.expect_oneshot_request("/jobs").respond_with_data("slow down", status=429,
                                                                 headers={"Retry-After": "7"})
    httpserver.expect_request("/jobs").respond_with_json({"jobs": []})
    session, sleeper = quick_session(loopback_settings(project))
    body, response = session.get_json(httpserver.url_for("/jobs"))
    assert body == {"jobs": []} and response.status_code == 200
    assert session.retry_waits == [7.0]
    assert any(6.5 <= w <= 7.0 for w in sleeper.waits)  # the rate limiter slept the Retry-After
    assert requests_to(httpserver, "/jobs") == 2
    assert session.requests_made == 3  # robots.txt + 2


def test_429_retry_after_http_date_and_cap(project, httpserver):
    allow_robots(httpserver)
    when = email.utils.format_datetime(NOW + dt.timedelta(seconds=30), usegmt=True)
    httpserver.expect_oneshot_request("/a").respond_with_data("", status=429, headers={"Retry-After": when})
    httpserver.expect_oneshot_request("/a").respond_with_data("", status=429, headers={"Retry-After": "3600"})
    httpserver.expect_request("/a").respond_with_data("ok")
    session, sleeper = quick_session(loopback_settings(project, backoff_max_seconds=45.0), now=lambda: NOW)
    assert session.get(httpserver.url_for("/a")).text == "ok"
    assert session.retry_waits == [30.0, 45.0]  # the HTTP date, then 3600 s capped at backoff_max_seconds
    assert max(sleeper.waits) <= 45.0 + 30.0 + 0.01
    assert requests_to(httpserver, "/a") == 3


def test_parse_retry_after_forms():
    assert parse_retry_after("120", NOW) == 120.0
    assert parse_retry_after("Tue, 01 Sep 2026 12:00:10 GMT", NOW) == 10.0
    assert parse_retry_after("Tue, 01 Sep 2026 11:00:00 GMT", NOW) == 0.0  # in the past: no wait
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after(None, NOW) is None


def test_503_burst_then_success_with_exponential_jittered_backoff(project, httpserver):
    allow_robots(httpserver)
    for _ in range(3):
        httpserver.expect_oneshot_request("/b").respond_with_data("busy", status=503)
    httpserver.expect_request("/b").respond_with_data("fine")
    settings = loopback_settings(project, max_retries=3, backoff_base_seconds=1.0)
    session, _ = quick_session(settings)
    assert session.get(httpserver.url_for("/b")).text == "fine"
    assert requests_to(httpserver, "/b") == 4
    assert len(session.retry_waits) == 3
    for attempt, wait in enumerate(session.retry_waits):
        full = 1.0 * 2**attempt
        assert full / 2 <= wait <= full  # equal jitter


def test_503_forever_gives_up_after_max_retries_plus_one(project, httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/c").respond_with_data("down", status=503)
    session, _ = quick_session(loopback_settings(project, max_retries=2))
    with pytest.raises(HTTPStatusError) as info:
        session.get(httpserver.url_for("/c"))
    assert info.value.http_status == 503 and info.value.status == "error"
    assert requests_to(httpserver, "/c") == 3
    status, message, code = describe_fetch_error(info.value)
    assert (status, code) == ("error", 503) and "3 attempt" in message


def test_404_and_403_are_not_retried(project, httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/missing").respond_with_data("no", status=404)
    httpserver.expect_request("/forbidden").respond_with_data("no", status=403)
    session, sleeper = quick_session(loopback_settings(project))
    with pytest.raises(HTTPStatusError) as missing:
        session.get(httpserver.url_for("/missing"))
    with pytest.raises(HTTPStatusError) as forbidden:
        session.get(httpserver.url_for("/forbidden"))
    assert (missing.value.status, missing.value.http_status) == ("error", 404)
    assert (forbidden.value.status, forbidden.value.http_status) == ("blocked", 403)
    assert requests_to(httpserver, "/missing") == 1 and requests_to(httpserver, "/forbidden") == 1
    assert session.retry_waits == []


def test_connection_reset_is_retried_then_network_error(project):
    with FaultServer("reset") as server:
        session, _ = quick_session(loopback_settings(project, max_retries=2))
        with pytest.raises(NetworkError) as info:
            session.get(server.url("/jobs"))
    assert server.hits["/jobs"] == 3
    assert info.value.status == "error" and info.value.http_status is None


def test_read_timeout_is_a_network_error(project):
    with FaultServer("stall", stall_seconds=3.0) as server:
        settings = loopback_settings(project, max_retries=1, read_timeout_seconds=0.3)
        session, _ = quick_session(settings)
        with pytest.raises(NetworkError, match="timed out"):
            session.get(server.url("/slow"))
    assert server.hits["/slow"] == 2


def test_truncated_transfer_is_retried_then_network_error(project):
    with FaultServer("truncate") as server:
        session, _ = quick_session(loopback_settings(project, max_retries=1))
        with pytest.raises(NetworkError):
            session.get_json(server.url("/cut"))
    assert server.hits["/cut"] == 2


def test_truncated_and_invalid_json_are_bad_content(project, httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/cut.json").respond_with_data('{"jobs": [{"id": 1}, {"id": 2',
                                                             content_type="application/json")
    httpserver.expect_request("/html").respond_with_data("<html>maintenance</html>", content_type="text/html")
    session, _ = quick_session(loopback_settings(project))
    for path in ("/cut.json", "/html"):
        with pytest.raises(BadContentError) as info:
            session.get_json(httpserver.url_for(path))
        assert info.value.status == "error" and info.value.http_status == 200
        assert requests_to(httpserver, path) == 1  # a bad body is not retried


def test_redirect_loop_is_a_bounded_network_error(project, httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/loop").respond_with_response(
        Response("", status=302, headers={"Location": "/loop"}))
    settings = loopback_settings(project)
    session, _ = quick_session(settings)
    with pytest.raises(NetworkError, match=f"redirected more than {settings.max_redirects} times"):
        session.get(httpserver.url_for("/loop"))
    assert requests_to(httpserver, "/loop") == settings.max_redirects + 1


def test_oversized_responses_are_refused(project, httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000)

    def chunked(_request):  # no Content-Length: the cap must count streamed bytes
        return Response((b"y" * 500 for _ in range(10)), direct_passthrough=True)

    httpserver.expect_request("/stream").respond_with_handler(chunked)
    session, _ = quick_session(loopback_settings(project, max_response_bytes=1000))
    with pytest.raises(ResponseTooLarge, match="declares 5,000"):
        session.get(httpserver.url_for("/big"))
    with pytest.raises(ResponseTooLarge, match="more than"):
        session.get(httpserver.url_for("/stream"))
    assert requests_to(httpserver, "/big") == 1 and requests_to(httpserver, "/stream") == 1


def test_robots_disallow_blocks_without_touching_the_path(project, httpserver):
    allow_robots(httpserver, "User-agent: *\nDisallow: /private\n")
    httpserver.expect_request("/private/jobs").respond_with_data("secret")
    httpserver.expect_request("/public").respond_with_data("hello")
    session, _ = quick_session(loopback_settings(project))
    with pytest.raises(BlockedError) as info:
        session.get(httpserver.url_for("/private/jobs"))
    assert describe_fetch_error(info.value)[0] == "blocked"
    assert session.get(httpserver.url_for("/public")).text == "hello"
    assert requests_to(httpserver, "/private/jobs") == 0
    assert requests_to(httpserver, "/robots.txt") == 1  # fetched once per host


def test_robots_for_our_agent_only(project, httpserver):
    allow_robots(httpserver, "User-agent: marketlib\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    httpserver.expect_request("/x").respond_with_data("x")
    session, _ = quick_session(loopback_settings(project))
    with pytest.raises(BlockedError):
        session.get(httpserver.url_for("/x"))
    assert requests_to(httpserver, "/x") == 0


def test_robots_server_error_allows_with_a_note(project, httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("oops", status=500)
    httpserver.expect_request("/ok").respond_with_data("ok")
    session, _ = quick_session(loopback_settings(project))
    assert session.get(httpserver.url_for("/ok")).text == "ok"
    assert "HTTP 500" in next(iter(session.robots_notes.values()))
    assert requests_to(httpserver, "/robots.txt") == 1  # robots.txt is not retried


def test_crawl_delay_spaces_requests_on_the_server_clock(project, httpserver):
    allow_robots(httpserver, "User-agent: *\nCrawl-delay: 1\n")
    stamps: list[float] = []
    httpserver.expect_request("/t").respond_with_handler(timed_handler(stamps))
    session = PoliteSession(loopback_settings(project, min_interval_seconds=0.0), cache=False)
    for _ in range(3):
        session.get(httpserver.url_for("/t"))
    assert session.host_interval(httpserver.url_for("/t")) == 1.0
    gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    assert len(gaps) == 2 and min(gaps) >= 1.0 - ARRIVAL_JITTER_SECONDS


def test_fractional_crawl_delay_is_honoured(project, httpserver):
    allow_robots(httpserver, "User-agent: *\nCrawl-delay: 0.5\n")
    httpserver.expect_request("/f").respond_with_data("f")
    session, sleeper = quick_session(loopback_settings(project), clock=lambda: 0.0)
    session.get(httpserver.url_for("/f"))
    session.get(httpserver.url_for("/f"))
    assert session.host_interval(httpserver.url_for("/f")) == 0.5
    assert sleeper.waits == [0.5, 1.0]  # after robots.txt: 0.5 s, then 1 s (the fake clock stands still)


def test_min_interval_uses_injected_clock(project, httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/i").respond_with_data("i")
    fake_now = [100.0]
    session, sleeper = quick_session(loopback_settings(project, min_interval_seconds=2.0),
                                     clock=lambda: fake_now[0])
    for _ in range(3):
        session.get(httpserver.url_for("/i"))
    # robots.txt at t=100, then /i at 102, 104, 106 (the fake clock stands still while we "sleep").
    assert sleeper.waits == [2.0, 4.0, 6.0]


def test_host_interval_setting_per_host(project, httpserver):
    allow_robots(httpserver)
    settings = loopback_settings(project, min_interval_seconds=0.0,
                                 host_min_interval_seconds={"localhost": 0.5})
    session, _ = quick_session(settings)
    assert session.host_interval(httpserver.url_for("/x")) == 0.5
    assert session.host_interval("https://elsewhere.example/x") == 0.0


def test_map_is_bounded_and_still_spaces_requests(project, httpserver):
    allow_robots(httpserver)
    stamps: list[float] = []
    httpserver.expect_request("/m").respond_with_handler(timed_handler(stamps, b"m"))
    interval = 0.25
    settings = loopback_settings(project, min_interval_seconds=interval, max_concurrency=3)
    session = PoliteSession(settings, cache=False)
    threads: set[str] = set()

    def work(i):
        threads.add(threading.current_thread().name)
        return i, session.get(httpserver.url_for("/m"), params={"i": i}).text

    results = session.map(work, range(5), max_workers=10)
    assert results == [(i, "m") for i in range(5)]
    assert 1 <= len(threads) <= 3  # max_workers is capped by settings.max_concurrency
    gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    assert len(stamps) == 5 and min(gaps) >= interval - ARRIVAL_JITTER_SECONDS
    assert stamps[-1] - stamps[0] >= 4 * interval - ARRIVAL_JITTER_SECONDS


def test_cache_hit_makes_no_request_and_errors_are_not_cached(project, httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/cached").respond_with_json({"n": 1})
    httpserver.expect_request("/gone").respond_with_data("", status=404)
    settings = loopback_settings(project)
    session = PoliteSession(settings, cache=True, sleep=lambda s: None)
    assert session.get_json(httpserver.url_for("/cached"))[0] == {"n": 1}
    made = session.requests_made
    again = PoliteSession(settings, cache=True, sleep=lambda s: None)  # a new process would see the same
    assert again.get_json(httpserver.url_for("/cached"))[0] == {"n": 1}
    assert again.requests_made == 0 and requests_to(httpserver, "/cached") == 1 and made == 2
    for _ in range(2):
        with pytest.raises(HTTPStatusError):
            session.get(httpserver.url_for("/gone"))
    assert requests_to(httpserver, "/gone") == 2
    assert settings.http_cache.is_file()


def test_offline_uses_cache_or_raises(project, httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/c").respond_with_data("cached body")
    online = PoliteSession(loopback_settings(project), cache=True, sleep=lambda s: None)
    online.get(httpserver.url_for("/c"))
    offline = PoliteSession(loopback_settings(project, offline=True), cache=True)
    assert offline.get(httpserver.url_for("/c")).text == "cached body"
    with pytest.raises(OfflineError) as info:
        offline.get(httpserver.url_for("/never"))
    status, message, code = describe_fetch_error(info.value)
    assert status == "error" and message.startswith("offline: ") and code is None
    assert offline.requests_made == 0 and requests_to(httpserver, "/never") == 0


def test_user_agent_is_sent(project, httpserver):
    allow_robots(httpserver)
    agent = "marketlib-test/9 (+contact)"
    httpserver.expect_request("/ua", headers={"User-Agent": agent}).respond_with_data("ua")
    session, _ = quick_session(loopback_settings(project, user_agent="marketlib-test/9 (+contact)"))
    assert session.get(httpserver.url_for("/ua")).text == "ua"


def test_describe_fetch_error_other_exceptions():
    assert describe_fetch_error(ValueError("bad")) == ("error", "ValueError: bad", None)
    err = FetchError("x", url="u", http_status=418, status="blocked")
    assert describe_fetch_error(err) == ("blocked", "x", 418)


def test_unresolvable_host_fails_fast_once_per_session(project, monkeypatch):
    """An offline machine: DNS fails. One attempt, no backoff, and later requests to that host are not sent."""
    import requests

    settings = loopback_settings(project)
    session, sleeper = quick_session(settings)
    sent = []

    def no_dns(prepared, **_kwargs):
        sent.append(prepared.url)
        raise requests.ConnectionError("Failed to resolve 'jobs.example.test' ([Errno -2] Name or service not known)")

    monkeypatch.setattr(session._session, "send", no_dns)
    for page in range(3):
        with pytest.raises(NetworkError, match="offline: jobs.example.test could not be resolved"):
            session.get(f"https://jobs.example.test/api/{page}")
    # robots.txt is the one request sent; after it the host is known unreachable and nothing more is sent
    assert sent == ["https://jobs.example.test/robots.txt"]
    assert sleeper.waits == [] or all(w == 0 for w in sleeper.waits)
    assert describe_fetch_error(NetworkError("offline: x could not be resolved"))[0] == "error"
