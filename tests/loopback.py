"""Helpers for HTTP tests on 127.0.0.1: settings for a loopback run, a sleep recorder, fixture handlers, a
generated gzip bomb and a raw TCP server for faults an HTTP framework cannot produce (connection reset, stalled,
truncated or dripping bodies, redirects with hostile bodies).
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
import time
import zlib
from functools import lru_cache
from pathlib import Path

from werkzeug.wrappers import Request, Response

from marketlib.config import Settings
from marketlib.http import PoliteSession
from marketlib.snapshots import META_SUFFIX


def loopback_settings(project: Settings, **overrides) -> Settings:
    """The `project` settings with the network on, no waiting between requests and small retry numbers."""
    values = dict(offline=False, min_interval_seconds=0.0, host_min_interval_seconds={}, max_retries=3,
                  backoff_base_seconds=0.5, backoff_max_seconds=8.0, connect_timeout_seconds=2.0,
                  read_timeout_seconds=2.0)
    values.update(overrides)
    return project.with_overrides(**values)


class SleepRecorder:
    """Stands in for time.sleep: records each wait and returns at once."""

    def __init__(self):
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def quick_session(settings: Settings, *, cache: bool = False,
                  **kwargs) -> tuple[PoliteSession, SleepRecorder]:
    sleeper = SleepRecorder()
    return PoliteSession(settings, cache=cache, sleep=sleeper, **kwargs), sleeper


def allow_robots(httpserver, body: str | None = None) -> None:
    """Answer /robots.txt: 404 (allow all) unless a body is given."""
    if body is None:
        httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    else:
        httpserver.expect_request("/robots.txt").respond_with_data(body, content_type="text/plain")


def serve_file(httpserver, path: str, file: Path, *, query_string=None,
               content_type: str = "application/json") -> None:
    httpserver.expect_request(path, query_string=query_string).respond_with_data(
        Path(file).read_bytes(), content_type=content_type)


def requests_to(httpserver, path: str) -> int:
    return sum(1 for request, _ in httpserver.log if request.path == path)


# A session spaces the moments it sends; a server notes arrivals, which a loaded machine delays by tens of ms.
# A measured gap may shrink by this much, never to the ~1 ms of unspaced requests.
ARRIVAL_JITTER_SECONDS = 0.08


def timed_handler(stamps: list[float], body: bytes = b"{}", content_type: str = "application/json"):
    """A handler that notes the server-side arrival time of each request."""

    def handler(request: Request) -> Response:
        stamps.append(time.monotonic())
        return Response(body, content_type=content_type)

    return handler


def snapshot_files(raw_dir: Path, source: str) -> list[Path]:
    """Data files and sidecars a source left under raw_dir (temp files included)."""
    base = Path(raw_dir) / source
    return sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else []


def data_files(raw_dir: Path, source: str) -> list[Path]:
    return [p for p in snapshot_files(raw_dir, source) if not p.name.endswith(META_SUFFIX)]


@lru_cache(maxsize=4)
def gzip_bomb(inflated_bytes: int) -> bytes:
    """A GENERATED gzip body of zeros: about a thousandth of `inflated_bytes` on the wire."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = [packer.compress(block) for _ in range(inflated_bytes // len(block))]
    return b"".join(parts) + packer.flush()


class FaultServer:
    """A raw HTTP/1.1 server on 127.0.0.1 whose non-robots requests get one fault:

    - "reset": close the connection with a TCP RST before answering,
    - "stall": read the request, then send nothing for `stall_seconds` (read timeout on the client),
    - "truncate": promise Content-Length 1000 and send 100 bytes, then close,
    - "drip": answer 200 and send `chunk` bytes `chunks` times, `gap` seconds apart (no Content-Length),
    - "bomb": answer 200 with a gzip body inflating to `bomb_bytes`,
    - "ok": answer 200 with `body`.

    Paths in `redirects` answer 302 to their Location instead, with an empty body, or `redirect_body` "drip"
    (as above) or "bomb". `answer_delay` holds every non-robots answer back that long. /robots.txt answers
    `robots`, or 404 when None. `hits` counts requests per path, `arrivals` notes (monotonic time, path) of each
    request on the server's side. Use as a context manager.
    """

    def __init__(self, fault: str, stall_seconds: float = 3.0, *, gap: float = 0.1, chunks: int = 10,
                 chunk: bytes = b"x", redirects: dict[str, str] | None = None, redirect_body: str = "",
                 robots: str | None = None, answer_delay: float = 0.0, body: bytes = b"ok",
                 bomb_bytes: int = 64 * 1024 * 1024):
        self.fault = fault
        self.stall_seconds = stall_seconds
        self.gap, self.chunks, self.chunk = gap, chunks, chunk
        self.redirects, self.redirect_body = redirects or {}, redirect_body
        self.robots, self.answer_delay, self.body = robots, answer_delay, body
        self.bomb = gzip_bomb(bomb_bytes) if "bomb" in (fault, redirect_body) else b""
        self.hits: dict[str, int] = {}
        self.arrivals: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = self.request.recv(4096)
                    if not chunk:
                        return
                    data += chunk
                path = data.split(b" ", 2)[1].decode().split("?")[0]
                with outer._lock:
                    outer.hits[path] = outer.hits.get(path, 0) + 1
                    outer.arrivals.append((time.monotonic(), path))
                try:
                    outer._answer(self.request, path)
                except OSError:  # the client gave up: that is often the point
                    return

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _answer(self, sock: socket.socket, path: str) -> None:
        if path == "/robots.txt":
            if self.robots is None:
                sock.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            else:
                text = self.robots.encode()
                sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                             b"Connection: close\r\n\r\n%s" % (len(text), text))
            return
        if self.answer_delay and self._stop.wait(self.answer_delay):
            return
        if path in self.redirects:
            self._redirect(sock, self.redirects[path])
        else:
            self._fault(sock)

    def _redirect(self, sock: socket.socket, location: str) -> None:
        head = b"HTTP/1.1 302 Found\r\nLocation: %s\r\nConnection: close\r\n" % location.encode()
        if self.redirect_body == "drip":
            sock.sendall(head + b"Content-Type: text/plain\r\n\r\n")
            self._drip(sock)
        elif self.redirect_body == "bomb":
            sock.sendall(head + b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(self.bomb)
                         + self.bomb)
        else:
            sock.sendall(head + b"Content-Length: 0\r\n\r\n")

    def _drip(self, sock: socket.socket) -> None:
        for _ in range(self.chunks):
            if self._stop.wait(self.gap):
                return
            sock.sendall(self.chunk)

    def _fault(self, sock: socket.socket) -> None:
        if self.fault == "reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
        elif self.fault == "stall":
            self._stop.wait(self.stall_seconds)
        elif self.fault == "truncate":
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n"
                         b"Connection: close\r\n\r\n" + b"[" + b"1," * 49 + b"1")
        elif self.fault == "drip":
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n")
            self._drip(sock)
        elif self.fault == "bomb":
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n"
                         b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(self.bomb) + self.bomb)
        elif self.fault == "ok":
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                         b"Connection: close\r\n\r\n" % len(self.body) + self.body)

    def url(self, path: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
