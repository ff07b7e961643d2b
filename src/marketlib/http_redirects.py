"""Which redirect targets `PoliteSession` may follow, and the request for the next hop.

Only http(s) targets are followed. Targets on private, loopback, link-local or otherwise non-global addresses
are refused unless `allow_private_redirects` is set: a public page must not be able to point marketlib at the
machine itself or its network (a router page, a cloud metadata service). The check resolves the name once
before the hop; a name that re-resolves differently at connect time (DNS rebinding) is not caught here.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

import requests
from requests.utils import requote_uri

from marketlib.http_errors import RedirectRefused

FOLLOWED_SCHEMES = frozenset({"http", "https"})
# Sent again on the next hop only while the host stays the same.
_SAME_HOST_ONLY = ("Authorization", "Proxy-Authorization")


def is_private_address(host: str) -> bool:
    """True when `host` (an IP literal or a name) is, or resolves to, a non-global address."""
    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return False  # unresolvable: the hop itself will fail with a clear network error
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for address in addresses:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            return True
    return False


def check_redirect_target(source_url: str, target_url: str, *, origin_url: str, allow_private: bool) -> None:
    """Raise RedirectRefused when the redirect from `source_url` to `target_url` must not be followed.

    A hop back to the host of `origin_url` (the URL the caller asked for) is not an address check's business:
    the caller chose that host."""
    parts = urlsplit(target_url)
    scheme = parts.scheme.lower()
    if scheme not in FOLLOWED_SCHEMES:
        raise RedirectRefused(f"{source_url} redirected to a {scheme or 'scheme-less'}: URL; only http and https "
                              "redirects are followed.", url=source_url)
    if parts.netloc.lower() == urlsplit(origin_url).netloc.lower():
        return
    if not allow_private and is_private_address(parts.hostname or ""):
        raise RedirectRefused(f"{source_url} redirected to {parts.hostname}, a private, loopback or link-local "
                              "address; refused (the allow_private_redirects setting allows it).", url=source_url)


class NoFollowSession(requests.Session):
    """A requests Session that leaves redirects to its caller entirely.

    `Session.send` reads a redirect's whole body even with `allow_redirects=False` (to prepare `response.next`),
    before any cap or deadline of ours applies; that machinery asks `get_redirect_target` first, so here it is
    told there is none. `redirect_target` below asks the real method."""

    def get_redirect_target(self, resp: requests.Response) -> None:
        return None


def redirect_target(session: requests.Session, response: requests.Response, current_url: str) -> str | None:
    """The absolute URL a redirect response points to, or None when the response is not a redirect."""
    location = requests.Session.get_redirect_target(session, response)
    if location is None:
        return None
    if location.startswith("//"):  # scheme-relative: keep the current scheme
        location = f"{urlsplit(current_url).scheme}:{location}"
    return requote_uri(urljoin(current_url, location))


def next_hop(session: requests.Session, current: requests.PreparedRequest, target_url: str
             ) -> requests.PreparedRequest:
    """A GET of `target_url` with the current request's headers (credentials only on the same host) and the
    session's cookies, which now include any the redirect response set."""
    headers = {k: v for k, v in current.headers.items() if k.lower() not in {"cookie", "host", "content-length"}}
    if urlsplit(target_url).netloc != urlsplit(current.url or "").netloc:
        for name in _SAME_HOST_ONLY:
            headers.pop(name, None)
    return session.prepare_request(requests.Request("GET", target_url, headers=headers))
