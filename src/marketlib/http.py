"""The one polite HTTP session: timeouts, bounded retries with backoff, Retry-After, per-host rate limit,
robots.txt, a descriptive User-Agent, an on-disk cache, a size cap on the decoded body and guarded redirects.

Every network request of marketlib goes through `PoliteSession.get`. Failures raise a `FetchError` subclass
(`marketlib.http_errors`) whose `status` ("blocked" or "error") and `http_status` feed the per-source status
records (`describe_fetch_error`). `sleep` and `clock` are injectable so tests can assert the computed waits
without waiting.

Redirects are followed here, hop by hop, never by requests: each hop is one more request through the same
guards (its host's robots.txt and interval, the size cap, the hop limit) and every hop of one request shares
one deadline. A redirect's own body is never read. Targets are checked by `marketlib.http_redirects`.

Why the cache is used through its backend (`marketlib.http_cache`) rather than requests-cache's
`CachedSession.get`: a `CachedSession` reads the whole body into memory before we could count bytes, and it
hides whether a request went to the network; we need both (the size cap, the rate limiter and `requests_made`
act only on real sends).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import random
import socket
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.exceptions import ChunkedEncodingError

from marketlib.config import Settings
from marketlib.errors import OfflineError
from marketlib.http_body import ACCEPT_ENCODING, read_capped
from marketlib.http_cache import ResponseCache
from marketlib.http_errors import (
    BadContentError,
    BlockedError,
    FetchError,
    HTTPStatusError,
    NetworkError,
    RedirectRefused,
    ResponseTooLarge,
    describe_fetch_error,
)
from marketlib.http_redirects import NoFollowSession, check_redirect_target, next_hop, redirect_target
from marketlib.robots import RobotsRules

# The errors live in marketlib.http_errors; sources and tests import them from here too.
__all__ = ["BadContentError", "BlockedError", "FetchError", "HTTPStatusError", "NetworkError", "PoliteSession",
           "RedirectRefused", "ResponseTooLarge", "describe_fetch_error", "parse_retry_after"]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Refusals by the site itself: reported as "blocked" rather than "error".
BLOCKED_STATUSES = frozenset({401, 403, 429, 451})
# A read that fails this close to the deadline failed because of it (socket timeouts round to milliseconds).
_DEADLINE_SLACK_SECONDS = 0.05


def parse_retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None when absent/invalid."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


@dataclass
class _HostState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_allowed: float = 0.0  # clock() value before which no request may start
    last_start: float = float("-inf")  # clock() value of the latest booked request
    robots: RobotsRules | None = None
    crawl_delay: float = 0.0


@dataclass
class _Attempt:
    """One try at a URL. Every hop it follows shares one deadline (set at the first send); `url` is the hop in
    flight, so a failure is charged to the host that caused it."""

    url: str
    deadline_at: float | None = None


def _shut_down(response: requests.Response, expired: threading.Event) -> None:
    """Wake a read blocked on a slow server: shut the connection's socket down."""
    expired.set()
    connection = getattr(response.raw, "connection", None) or getattr(response.raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _is_name_resolution_error(exc: BaseException) -> bool:
    """True when the failure is DNS resolution (urllib3's NameResolutionError somewhere in the chain)."""
    return _in_chain(exc, "NameResolutionError", "Failed to resolve")


def _in_chain(exc: BaseException, type_name: str, text: str) -> bool:
    """True when an exception of that type name, or with that text, is in the cause chain."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 10:
        if type(current).__name__ == type_name or text in str(current):
            return True
        current = current.__cause__ or current.__context__ or (current.args[0] if current.args and
                                                               isinstance(current.args[0], BaseException)
                                                               else None)
        seen += 1
    return False


class PoliteSession:
    """A rate-limited, retrying, robots-obeying, caching HTTP GET client built from Settings."""

    def __init__(self, settings: Settings, *, cache: bool = True, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
                 rng: random.Random | None = None):
        self.settings = settings
        self._sleep = sleep
        self._clock = clock
        self._now = now  # wall clock, for Retry-After HTTP dates
        self._rng = rng or random.Random()
        self._session = NoFollowSession()
        self._session.headers["User-Agent"] = settings.user_agent
        self._session.headers["Accept-Encoding"] = ACCEPT_ENCODING  # what http_body can inflate under the cap
        self._cache = ResponseCache(settings.http_cache, settings.cache_expire_seconds) if cache else None
        self._hosts: dict[str, _HostState] = {}
        self._hosts_lock = threading.Lock()
        self._robots_locks: dict[str, threading.Lock] = {}
        self._count_lock = threading.Lock()
        self.requests_made = 0  # real network requests (cache hits excluded), robots.txt and every hop included
        self.retry_waits: list[float] = []  # computed waits before retries (backoff or Retry-After)
        self.robots_notes: dict[str, str] = {}  # host -> why robots.txt could not be used
        # Hosts that could not be reached at all in this session: later requests fail at once instead of
        # spending a full retry budget each (an offline machine would otherwise wait minutes per source).
        self.unreachable: dict[str, str] = {}

    # ------------------------------------------------------------------ public API

    def get(self, url: str, params: dict | None = None, headers: dict | None = None) -> requests.Response:
        """GET with cache, robots.txt, rate limit and retries; raises FetchError/OfflineError at the end."""
        prepared = self._session.prepare_request(requests.Request("GET", url, params=params, headers=headers))
        full_url = prepared.url or url
        cached = self._cache_lookup(prepared)
        if cached is not None:
            return cached
        if self.settings.offline:
            raise OfflineError(f"network access is disabled and {full_url} is not in the HTTP cache")
        self._check_robots(full_url)
        return self._fetch(prepared)

    def get_json(self, url: str, params: dict | None = None) -> tuple[object, requests.Response]:
        response = self.get(url, params=params)
        try:
            return json.loads(response.content), response
        except (UnicodeDecodeError, ValueError) as exc:
            raise BadContentError(f"{response.url} did not return valid JSON ({exc}).", url=response.url,
                                  http_status=response.status_code) from exc

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any], max_workers: int | None = None) -> list:
        """Apply fn to items on at most settings.max_concurrency threads, results in input order.

        The per-host interval still holds: every `get` waits on its host's lock and next-allowed time.
        """
        items = list(items)
        if not items:
            return []
        workers = max(1, min(max_workers or self.settings.max_concurrency, self.settings.max_concurrency,
                             len(items)))
        if workers == 1:
            return [fn(item) for item in items]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="marketlib-http") as pool:
            return list(pool.map(fn, items))

    def host_interval(self, url: str) -> float:
        """The effective minimum interval for the URL's host: settings, raised by robots.txt Crawl-delay."""
        parts = urlsplit(url)
        state = self._host(parts.netloc)
        return max(self.settings.host_interval(parts.hostname or ""), state.crawl_delay)

    def close(self) -> None:
        self._session.close()
        if self._cache is not None:
            self._cache.close()

    # ------------------------------------------------------------------ internals

    def _host(self, netloc: str) -> _HostState:
        with self._hosts_lock:
            return self._hosts.setdefault(netloc, _HostState())

    def _cache_lookup(self, prepared: requests.PreparedRequest) -> requests.Response | None:
        return self._cache.get(prepared) if self._cache is not None else None

    def _wait_turn(self, netloc: str, interval: float) -> None:
        """Block until this host may receive the next request; then book the slot after it."""
        state = self._host(netloc)
        with state.lock:
            now = self._clock()
            start = max(now, state.next_allowed)
            state.next_allowed = start + interval
            state.last_start = start
            wait = start - now
            # Sleeping while holding the host lock serialises requests to one host across threads.
            if wait > 0:
                self._sleep(wait)

    def _push_back(self, netloc: str, seconds: float) -> None:
        """Delay every next request to this host (all threads) by `seconds` from now."""
        state = self._host(netloc)
        with state.lock:
            state.next_allowed = max(state.next_allowed, self._clock() + seconds)

    def _retry_wait(self, attempt: int, response: requests.Response | None) -> float:
        cap = self.settings.backoff_max_seconds
        if response is not None:
            after = parse_retry_after(response.headers.get("Retry-After"), self._now())
            if after is not None:
                return min(after, cap)
        base = min(cap, self.settings.backoff_base_seconds * (2 ** attempt))
        return base / 2 + self._rng.uniform(0, base / 2)  # "equal jitter": spreads retries of many clients

    def _send_once(self, prepared: requests.PreparedRequest, deadline_at: float) -> requests.Response:
        """One network request, body read under the size cap and the deadline; a redirect's body unread."""
        url = prepared.url or ""
        seconds = self.settings.max_request_seconds
        overdue = NetworkError(f"{url} took longer than the {seconds:g}-second deadline.", url=url)
        remaining = deadline_at - time.monotonic()
        if remaining <= 0:
            raise overdue
        timeout = (min(self.settings.connect_timeout_seconds, remaining),
                   min(self.settings.read_timeout_seconds, remaining))
        with self._count_lock:
            self.requests_made += 1
        try:
            response = self._session.send(prepared.copy(), stream=True, timeout=timeout, allow_redirects=False)
        except (requests.ConnectionError, requests.Timeout) as exc:
            if time.monotonic() >= deadline_at - _DEADLINE_SLACK_SECONDS:
                raise overdue from exc
            raise
        if response.is_redirect:
            response.close()  # a redirect's body may be a bomb or a drip, and nothing needs it
            return response
        # The read timeout bounds each socket read only; a server dripping bytes just under it would hold us
        # for ever. A watchdog shuts the socket down when the request overruns its deadline.
        expired = threading.Event()
        watchdog = threading.Timer(max(0.0, deadline_at - time.monotonic()), _shut_down, args=(response, expired))
        watchdog.daemon = True
        watchdog.start()
        try:
            content = read_capped(response, self.settings.max_response_bytes, url)
            if expired.is_set():
                raise overdue
            response._content = content
            response._content_consumed = True
        except (requests.RequestException, OSError) as exc:
            if expired.is_set():
                raise overdue from exc
            raise
        finally:
            watchdog.cancel()
            response.close()
        return response

    def _follow(self, prepared: requests.PreparedRequest, attempt: _Attempt) -> requests.Response:
        """Send `prepared` and follow its redirects, each hop through every guard a first request passes."""
        current, url, limit = prepared, prepared.url or "", self.settings.max_redirects
        for hop in range(limit + 1):
            attempt.url = url
            netloc = urlsplit(url).netloc
            if netloc in self.unreachable:
                raise NetworkError(self.unreachable[netloc], url=url)
            self._wait_turn(netloc, self.host_interval(url))
            if attempt.deadline_at is None:  # waiting for the first turn is queueing, not the server's time
                attempt.deadline_at = time.monotonic() + self.settings.max_request_seconds
            response = self._send_once(current, attempt.deadline_at)
            target = redirect_target(self._session, response, url)
            if target is None:
                return response
            if hop == limit:
                break
            check_redirect_target(url, target, origin_url=prepared.url or "",
                                  allow_private=self.settings.allow_private_redirects)
            self._check_robots(target)
            current, url = next_hop(self._session, current, target), target
        raise NetworkError(f"{prepared.url} redirected more than {limit} times.", url=prepared.url)

    def _fetch(self, prepared: requests.PreparedRequest, attempts: int | None = None) -> requests.Response:
        attempts = attempts or self.settings.max_retries + 1
        for number in range(attempts):
            last = number == attempts - 1
            attempt = _Attempt(prepared.url or "")
            try:
                response = self._follow(prepared, attempt)
            except (requests.ConnectionError, requests.Timeout, ChunkedEncodingError) as exc:
                url, netloc = attempt.url, urlsplit(attempt.url).netloc
                if _is_name_resolution_error(exc):
                    # DNS cannot resolve the host: no network (or a wrong host). Retrying will not help.
                    self.unreachable[netloc] = f"offline: {netloc} could not be resolved (no network?)."
                    raise NetworkError(self.unreachable[netloc], url=url) from exc
                if last:
                    kind = "timed out" if isinstance(exc, requests.Timeout) else "failed"
                    if _in_chain(exc, "ConnectionRefusedError", "Connection refused"):
                        self.unreachable[netloc] = f"{netloc} refused {attempts} connection(s); not tried again."
                    raise NetworkError(f"{url} {kind} after {attempts} attempt(s): {type(exc).__name__}.",
                                       url=url) from exc
                self._back_off(netloc, number, None)
                continue
            url = attempt.url
            if response.status_code in RETRY_STATUSES and not last:
                self._back_off(urlsplit(url).netloc, number, response)
                continue
            if response.status_code >= 400:
                status = "blocked" if response.status_code in BLOCKED_STATUSES else "error"
                tries = f" after {number + 1} attempt(s)" if response.status_code in RETRY_STATUSES else ""
                raise HTTPStatusError(f"{url} answered HTTP {response.status_code}{tries}.", url=url,
                                      http_status=response.status_code, status=status)
            if self._cache is not None:
                self._cache.save(prepared, response)
            return response
        raise AssertionError("unreachable")  # the loop either returns or raises

    def _back_off(self, netloc: str, attempt: int, response: requests.Response | None) -> None:
        wait = self._retry_wait(attempt, response)
        self.retry_waits.append(wait)
        self._push_back(netloc, wait)

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.path == "/robots.txt":
            return
        state = self._host(parts.netloc)
        with self._hosts_lock:
            # One robots.txt fetch per host even when several threads arrive at once.
            robots_lock = self._robots_locks.setdefault(parts.netloc, threading.Lock())
        with robots_lock:
            if state.robots is None:
                rules = self._load_robots(f"{parts.scheme}://{parts.netloc}/robots.txt", parts.netloc)
                state.crawl_delay = rules.crawl_delay
                with state.lock:  # the robots.txt request itself was booked before we knew the delay
                    state.next_allowed = max(state.next_allowed, state.last_start + state.crawl_delay)
                state.robots = rules
        if not state.robots.can_fetch(url):
            raise BlockedError(f"robots.txt of {parts.netloc} disallows {url} for our User-Agent.", url=url)

    def _load_robots(self, robots_url: str, netloc: str) -> RobotsRules:
        """Fetch robots.txt through this session (cached, rate-limited, redirects guarded). 4xx -> allow all
        (RFC 9309); 5xx or unreachable -> allow, with a note (we still rate-limit and back off)."""
        agent = self.settings.user_agent
        prepared = self._session.prepare_request(requests.Request("GET", robots_url))
        try:
            # One attempt only: a failing robots.txt must not cost a full retry budget before the real work.
            response = self._cache_lookup(prepared)
            if response is None:
                response = self._fetch(prepared, attempts=1)
        except HTTPStatusError as exc:
            if exc.http_status is not None and exc.http_status < 500:
                return RobotsRules.allow_all(agent)
            self.robots_notes[netloc] = f"robots.txt answered HTTP {exc.http_status}; proceeding politely"
            return RobotsRules.allow_all(agent)
        except FetchError as exc:
            self.robots_notes[netloc] = f"robots.txt unreachable ({exc}); proceeding politely"
            return RobotsRules.allow_all(agent)
        return RobotsRules.parse(response.content.decode("utf-8", errors="replace"), agent)
