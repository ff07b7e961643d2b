"""The failures a request through `PoliteSession` can end in, and their one-sentence status records."""

from __future__ import annotations

from marketlib.errors import MarketlibError, OfflineError


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
    """Connection refused/reset, timeout, truncated transfer or too many redirects (after any retries)."""


class RedirectRefused(FetchError):
    """A redirect to a scheme other than http(s), or to a private, loopback or link-local address."""


class ResponseTooLarge(FetchError):
    """The body (decompressed) is larger than settings.max_response_bytes."""


class BadContentError(FetchError):
    """The body is not what was expected (invalid or truncated JSON, an unknown Content-Encoding)."""


def describe_fetch_error(exc: BaseException) -> tuple[str, str, int | None]:
    """(status, one-sentence message, http_status) for a status record."""
    if isinstance(exc, OfflineError):
        return "error", f"offline: {exc}", None
    if isinstance(exc, FetchError):
        return exc.status, str(exc), exc.http_status
    if isinstance(exc, MarketlibError):
        return "error", str(exc), None
    return "error", f"{type(exc).__name__}: {exc}", None
