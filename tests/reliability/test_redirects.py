"""Redirects inside the guards: every hop of a request passes the size cap, the one deadline, its host's
robots.txt and interval, the hop limit and the target checks, and is counted. Servers listen on 127.0.0.1 (the
raw FaultServer) and on localhost (pytest-httpserver), so a hop between them changes host; bodies are GENERATED.
"""

from __future__ import annotations

import time
import tracemalloc

import pytest
from werkzeug.wrappers import Response

from marketlib.http import BlockedError, NetworkError, PoliteSession, RedirectRefused, ResponseTooLarge
from marketlib.http_redirects import is_private_address
from tests.loopback import ARRIVAL_JITTER_SECONDS, FaultServer, allow_robots, loopback_settings, quick_session

MB = 1024 * 1024


def _redirect(httpserver, path: str, location: str) -> None:
    httpserver.expect_request(path).respond_with_response(Response("", status=302, headers={"Location": location}))


def _peak_bytes_during(call) -> tuple[int, object]:
    """Peak Python memory allocated while `call` runs (bytes objects included), and what it returned/raised."""
    tracemalloc.start()
    try:
        try:
            outcome = call()
        except Exception as exc:  # noqa: BLE001 - the caller asserts on it
            outcome = exc
        return tracemalloc.get_traced_memory()[1], outcome
    finally:
        tracemalloc.stop()


def _gaps(arrivals: list[tuple[float, str]], path: str) -> list[float]:
    stamps = [at for at, p in arrivals if p == path]
    return [b - a for a, b in zip(stamps, stamps[1:], strict=False)]


# ------------------------------------------------------------------------------------------ hostile bodies


def test_a_gzip_bomb_in_a_302_body_is_never_read(project):
    # 64 MiB of zeros in ~64 KiB of gzip behind the 302; a client that reads redirect bodies inflates it all.
    with FaultServer("ok", redirects={"/go": "/landing"}, redirect_body="bomb") as server:
        session, _ = quick_session(loopback_settings(project, max_response_bytes=MB))
        peak, response = _peak_bytes_during(lambda: session.get(server.url("/go")))
    assert not isinstance(response, Exception), response
    assert response.content == b"ok" and response.url.endswith("/landing")
    assert peak < 4 * MB, f"{peak:,} bytes allocated"
    assert server.hits == {"/robots.txt": 1, "/go": 1, "/landing": 1}


def test_a_gzip_bomb_after_a_redirect_is_cut_at_the_size_cap(project):
    with FaultServer("bomb", redirects={"/go": "/bomb"}) as server:
        session, _ = quick_session(loopback_settings(project, max_retries=0, max_response_bytes=MB))
        peak, outcome = _peak_bytes_during(lambda: session.get(server.url("/go")))
    assert isinstance(outcome, ResponseTooLarge) and "more than the 1,048,576-byte cap" in str(outcome)
    assert peak < 6 * MB, f"{peak:,} bytes allocated for a 1 MiB cap"
    assert session.requests_made == 3  # robots.txt, the 302, the bomb


def test_a_dripping_302_body_does_not_hold_the_request(project):
    # The 302's body drips a byte every 0.2 s for 10 s; nothing needs it, so nothing waits for it.
    with FaultServer("ok", redirects={"/go": "/landing"}, redirect_body="drip", gap=0.2, chunks=50) as server:
        session, _ = quick_session(loopback_settings(project, max_retries=0, max_request_seconds=5.0))
        started = time.monotonic()
        response = session.get(server.url("/go"))
        elapsed = time.monotonic() - started
    assert response.content == b"ok" and elapsed < 3.0, elapsed  # (reading the drip would take 10 s)


def _seconds_until_the_deadline_cuts(project, url: str) -> float:
    """Seconds until a GET of `url`, with a 1 s read timeout and a 1 s deadline, fails on the deadline."""
    session, _ = quick_session(loopback_settings(project, max_retries=0, read_timeout_seconds=1.0,
                                                 max_request_seconds=1.0))
    started = time.monotonic()
    with pytest.raises(NetworkError, match="1-second deadline"):
        session.get(url)
    return time.monotonic() - started


def test_one_deadline_spans_every_hop(project):
    # Each hop answers after 0.4 s, well inside the 1 s read timeout; four hops take 1.6 s, over the 1 s deadline.
    hops = {"/a": "/b", "/b": "/c", "/c": "/d", "/d": "/e"}
    with FaultServer("ok", redirects=hops, answer_delay=0.4) as server:
        elapsed = _seconds_until_the_deadline_cuts(project, server.url("/a"))
    assert 0.9 <= elapsed < 2.5, elapsed
    assert server.hits.get("/e", 0) == 0 and server.hits["/c"] == 1


def test_a_drip_after_a_redirect_is_cut_at_the_deadline_counted_from_the_first_hop(project):
    # The 302 takes 0.3 s, the landing page 0.3 s and then drips for 0.6 s: each alone fits a 1 s deadline,
    # together they take 1.2 s.
    with FaultServer("drip", redirects={"/go": "/drip"}, answer_delay=0.3, gap=0.1, chunks=6) as server:
        elapsed = _seconds_until_the_deadline_cuts(project, server.url("/go"))
    assert 0.9 <= elapsed < 2.5, elapsed
    assert server.hits["/drip"] == 1


# ------------------------------------------------------------------------------------------ loops and hosts


def test_a_redirect_loop_is_bounded_counted_and_spaced_by_the_host_interval(project):
    interval = 0.3
    with FaultServer("ok", redirects={"/loop": "/loop"}) as server:
        settings = loopback_settings(project, min_interval_seconds=interval, max_redirects=3)
        session = PoliteSession(settings, cache=False)  # real sleeps: the spacing is measured on the server
        with pytest.raises(NetworkError, match="redirected more than 3 times"):
            session.get(server.url("/loop"))
    assert server.hits["/loop"] == 4  # the request and 3 redirects followed, then the limit
    assert session.requests_made == 5  # robots.txt + every hop
    gaps = _gaps(server.arrivals, "/loop")
    assert len(gaps) == 3 and min(gaps) >= interval - ARRIVAL_JITTER_SECONDS, gaps


def test_a_cross_host_hop_reads_that_hosts_robots_and_is_refused_when_it_disallows(project, httpserver):
    allow_robots(httpserver)
    with FaultServer("ok", robots="User-agent: *\nDisallow: /private\n") as other:
        _redirect(httpserver, "/go", other.url("/private/jobs"))
        session, _ = quick_session(loopback_settings(project, allow_private_redirects=True))
        with pytest.raises(BlockedError, match="disallows"):
            session.get(httpserver.url_for("/go"))
    assert other.hits == {"/robots.txt": 1}  # its robots.txt was read, the disallowed path never requested


def test_a_cross_host_hop_keeps_that_hosts_interval_and_every_hop_is_counted(project, httpserver):
    allow_robots(httpserver)
    with FaultServer("ok") as other:
        _redirect(httpserver, "/go", other.url("/landing"))
        settings = loopback_settings(project, allow_private_redirects=True, min_interval_seconds=0.0,
                                     host_min_interval_seconds={"127.0.0.1": 0.4})
        session = PoliteSession(settings, cache=False)  # real sleeps
        for _ in range(3):
            assert session.get(httpserver.url_for("/go")).content == b"ok"
    gaps = _gaps(other.arrivals, "/landing")
    assert len(gaps) == 2 and min(gaps) >= 0.4 - ARRIVAL_JITTER_SECONDS, gaps
    assert other.hits["/robots.txt"] == 1
    assert session.requests_made == 2 + 3 * 2  # both robots.txt files, then two hops per get


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://127.0.0.1/jobs.csv", "gopher://example.com/"])
def test_a_redirect_to_another_scheme_is_refused(project, httpserver, location):
    allow_robots(httpserver)
    _redirect(httpserver, "/go", location)
    session, _ = quick_session(loopback_settings(project, allow_private_redirects=True))
    with pytest.raises(RedirectRefused, match="only http and https"):
        session.get(httpserver.url_for("/go"))
    assert session.requests_made == 2


def test_a_redirect_to_a_private_address_is_refused_unless_allowed(project, httpserver):
    allow_robots(httpserver)
    with FaultServer("ok") as private:
        _redirect(httpserver, "/go", private.url("/admin"))
        session, _ = quick_session(loopback_settings(project))  # allow_private_redirects is off by default
        with pytest.raises(RedirectRefused, match="private, loopback or link-local") as info:
            session.get(httpserver.url_for("/go"))
        assert info.value.status == "error" and private.hits == {}  # not even its robots.txt
        allowed, _ = quick_session(loopback_settings(project, allow_private_redirects=True))
        assert allowed.get(httpserver.url_for("/go")).content == b"ok"
    assert private.hits == {"/robots.txt": 1, "/admin": 1}


def test_a_redirect_back_to_the_requested_host_needs_no_setting(project, httpserver):
    allow_robots(httpserver)
    _redirect(httpserver, "/old", "/new")
    httpserver.expect_request("/new").respond_with_data("moved")
    session, _ = quick_session(loopback_settings(project))
    assert session.get(httpserver.url_for("/old")).text == "moved"


@pytest.mark.parametrize(("host", "private"), [
    ("127.0.0.1", True), ("10.1.2.3", True), ("172.16.5.4", True), ("192.168.1.1", True),
    ("169.254.169.254", True), ("0.0.0.0", True), ("100.64.0.1", True), ("224.0.0.1", True), ("::1", True),
    ("fe80::1", True), ("fc00::1", True), ("::ffff:127.0.0.1", True), ("[::1]", True), ("localhost", True),
    ("93.184.215.14", False), ("8.8.8.8", False), ("2606:4700:4700::1111", False),
])
def test_private_address_classification(host, private):
    assert is_private_address(host) is private


def test_a_retryable_status_after_a_redirect_backs_off_and_retries_the_whole_chain(project, httpserver):
    allow_robots(httpserver)
    _redirect(httpserver, "/go", "/flaky")
    httpserver.expect_oneshot_request("/flaky").respond_with_data("", status=503, headers={"Retry-After": "3"})
    httpserver.expect_request("/flaky").respond_with_data("fine")
    session, sleeper = quick_session(loopback_settings(project, max_retries=1))
    assert session.get(httpserver.url_for("/go")).text == "fine"
    assert session.retry_waits == [3.0] and any(2.5 <= w <= 3.0 for w in sleeper.waits)
    assert session.requests_made == 1 + 2 * 2  # robots.txt, then /go and /flaky twice
