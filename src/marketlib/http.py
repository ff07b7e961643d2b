"""The one polite HTTP session: timeouts, bounded retries with backoff, Retry-After, per-host rate limit,
robots.txt, a descriptive User-Agent, an on-disk cache, a response-size cap and a redirect cap.

Every network request of marketlib goes through `PoliteSession.get`. Failures raise a `FetchError` subclass
whose `status` ("blocked" or "error") and `http_status` feed the per-source status records
(`describe_fetch_error`). `sleep` and `clock` are injectable so tests can assert the computed waits without
waiting.

Why the cache is used through its backend (requests-cache's `SQLiteCache`) rather than `CachedSession.get`:
a `CachedSession` reads the whole body into memory before we could count bytes, and it hides whether a request
went to the network; we need both (the size cap, the rate limiter and `requests_made` act only on real sends).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import math
import random
import re
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.exceptions import ChunkedEncodingError

from marketlib.config import Settings
from marketlib.errors import MarketlibError, OfflineError

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Refusals by the site itself: reported as "blocked" rather than "error".
BLOCKED_STATUSES = frozenset({401, 403, 429, 451})
MAX_REDIRECTS = 10
_FRACTIONAL_DELAY = re.compile(r"^(\s*crawl-delay\s*:\s*)(\d*\.\d+)", re.IGNORECASE)
CHUNK_BYTES = 64 * 1024


class FetchError(MarketlibError):
    """A request that finally failed; `status` is "blocked" or "error"."""

    status = "error"

    def __init__(self, message: str, *, url: str | None = None, http_status: int | None = None,
                 status: str | None = None):
        super().__init__(message)
        self.url = url
        self.http_status = http_status
        if status is not None:
            self.status = status


class BlockedError(FetchError):
    """robots.txt disallows the URL for our User-Agent; no request was sent."""

    status = "blocked"


class HTTPStatusError(FetchError):
    """The server answered with an error status (after any retries)."""


class NetworkError(FetchError):
    """Connection refused/reset, timeout, truncated transfer or a redirect loop (after any retries)."""


class ResponseTooLarge(FetchError):
    """The body is larger than settings.max_response_bytes."""


class BadContentError(FetchError):
    """The body is not what was expected (invalid or truncated JSON)."""


def describe_fetch_error(exc: BaseException) -> tuple[str, str, int | None]:
    """(status, one-sentence message, http_status) for a status record."""
    if isinstance(exc, OfflineError):
        return "error", f"offline: {exc}", None
    if isinstance(exc, FetchError):
        return exc.status, str(exc), exc.http_status
    if isinstance(exc, MarketlibError):
        return "error", str(exc), None
    return "error", f"{type(exc).__name__}: {exc}", None


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
    robots: urllib.robotparser.RobotFileParser | None = None
    robots_checked: bool = False
    crawl_delay: float = 0.0


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


def _allow_all() -> urllib.robotparser.RobotFileParser:
    parser = urllib.robotparser.RobotFileParser()
    parser.parse([])
    return parser


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
        self._session = requests.Session()
        self._session.headers["User-Agent"] = settings.user_agent
        self._session.max_redirects = MAX_REDIRECTS
        self._cache = None
        if cache:
            from requests_cache import SQLiteCache

            settings.http_cache.parent.mkdir(parents=True, exist_ok=True)
            self._cache = SQLiteCache(settings.http_cache, wal=True)
        self._hosts: dict[str, _HostState] = {}
        self._hosts_lock = threading.Lock()
        self._robots_locks: dict[str, threading.Lock] = {}
        self._count_lock = threading.Lock()
        self.requests_made = 0  # real network requests (cache hits excluded), robots.txt included
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
        if self._cache is None:
            return None
        response = self._cache.get_response(self._cache.create_key(prepared))
        if response is None or response.is_expired or response.status_code != 200:
            return None
        return response

    def _cache_store(self, prepared: requests.PreparedRequest, response: requests.Response) -> None:
        if self._cache is None or response.status_code != 200:
            return
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.settings.cache_expire_seconds)
        try:
            self._cache.save_response(response, self._cache.create_key(prepared), expires=expires)
        except Exception as exc:  # noqa: BLE001 - a cache write failure must not fail the fetch
            log.warning("could not cache %s: %s", response.url, exc)

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

    def _send_once(self, prepared: requests.PreparedRequest) -> requests.Response:
        """One network request, body read under the size cap and the total deadline."""
        limit = self.settings.max_response_bytes
        timeout = (self.settings.connect_timeout_seconds, self.settings.read_timeout_seconds)
        deadline = self.settings.max_request_seconds
        with self._count_lock:
            self.requests_made += 1
        response = self._session.send(prepared.copy(), stream=True, timeout=timeout, allow_redirects=True)
        # The read timeout bounds each socket read only; a server dripping bytes just under it would hold us
        # for ever. A watchdog shuts the socket down when the whole request overruns its deadline.
        expired = threading.Event()
        watchdog = threading.Timer(deadline, _shut_down, args=(response, expired))
        watchdog.daemon = True
        watchdog.start()
        try:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise ResponseTooLarge(f"{prepared.url} declares {int(declared):,} bytes, over the "
                                       f"{limit:,}-byte cap.", url=prepared.url,
                                       http_status=response.status_code)
            chunks, total = [], 0
            for chunk in response.iter_content(CHUNK_BYTES):
                total += len(chunk)
                if total > limit:
                    raise ResponseTooLarge(f"{prepared.url} sent more than the {limit:,}-byte cap.",
                                           url=prepared.url, http_status=response.status_code)
                chunks.append(chunk)
            if expired.is_set():
                raise NetworkError(f"{prepared.url} took longer than the {deadline:g}-second deadline.",
                                   url=prepared.url)
            response._content = b"".join(chunks)
            response._content_consumed = True
        except (requests.RequestException, OSError) as exc:
            if expired.is_set():
                raise NetworkError(f"{prepared.url} took longer than the {deadline:g}-second deadline.",
                                   url=prepared.url) from exc
            raise
        finally:
            watchdog.cancel()
            response.close()
        return response

    def _fetch(self, prepared: requests.PreparedRequest, attempts: int | None = None) -> requests.Response:
        url = prepared.url or ""
        netloc = urlsplit(url).netloc
        attempts = attempts or self.settings.max_retries + 1
        if netloc in self.unreachable:
            raise NetworkError(self.unreachable[netloc], url=url)
        for attempt in range(attempts):
            self._wait_turn(netloc, self.host_interval(url))
            last = attempt == attempts - 1
            try:
                response = self._send_once(prepared)
            except requests.TooManyRedirects as exc:
                raise NetworkError(f"{url} redirected more than {MAX_REDIRECTS} times.", url=url) from exc
            except (requests.ConnectionError, requests.Timeout, ChunkedEncodingError) as exc:
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
                self._back_off(netloc, attempt, None)
                continue
            if response.status_code in RETRY_STATUSES and not last:
                self._back_off(netloc, attempt, response)
                continue
            if response.status_code >= 400:
                status = "blocked" if response.status_code in BLOCKED_STATUSES else "error"
                tries = f" after {attempt + 1} attempt(s)" if response.status_code in RETRY_STATUSES else ""
                raise HTTPStatusError(f"{url} answered HTTP {response.status_code}{tries}.", url=url,
                                      http_status=response.status_code, status=status)
            self._cache_store(prepared, response)
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
            if not state.robots_checked:
                state.robots = self._load_robots(f"{parts.scheme}://{parts.netloc}/robots.txt", parts.netloc)
                delay = state.robots.crawl_delay(self.settings.user_agent)
                state.crawl_delay = float(delay) if delay else 0.0
                state.robots_checked = True
                with state.lock:  # the robots.txt request itself was booked before we knew the delay
                    state.next_allowed = max(state.next_allowed, state.last_start + state.crawl_delay)
        if state.robots is not None and not state.robots.can_fetch(self.settings.user_agent, url):
            raise BlockedError(f"robots.txt of {parts.netloc} disallows {url} for our User-Agent.", url=url)

    def _load_robots(self, robots_url: str, netloc: str) -> urllib.robotparser.RobotFileParser:
        """Fetch robots.txt through this session (cached, rate-limited). 4xx -> allow all (RFC 9309);
        5xx or unreachable -> allow, with a note (we still rate-limit and back off)."""
        prepared = self._session.prepare_request(requests.Request("GET", robots_url))
        try:
            # One attempt only: a failing robots.txt must not cost a full retry budget before the real work.
            response = self._cache_lookup(prepared)
            if response is None:
                response = self._fetch(prepared, attempts=1)
        except HTTPStatusError as exc:
            if exc.http_status is not None and exc.http_status < 500:
                return _allow_all()
            self.robots_notes[netloc] = f"robots.txt answered HTTP {exc.http_status}; proceeding politely"
            return _allow_all()
        except FetchError as exc:
            self.robots_notes[netloc] = f"robots.txt unreachable ({exc}); proceeding politely"
            return _allow_all()
        parser = urllib.robotparser.RobotFileParser(robots_url)
        lines = response.content.decode("utf-8", errors="replace").splitlines()
        # urllib.robotparser ignores fractional Crawl-delay values; round them up (the polite direction).
        parser.parse([_FRACTIONAL_DELAY.sub(lambda m: f"{m[1]}{math.ceil(float(m[2]))}", line)
                      for line in lines])
        return parser
