"""Helpers for HTTP tests on 127.0.0.1: settings for a loopback run, a sleep recorder, fixture handlers and a
raw TCP server for faults an HTTP framework cannot produce (connection reset, stalled or truncated bodies).
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
import time
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


class FaultServer:
    """A raw HTTP/1.1 server on 127.0.0.1 whose non-robots requests get one fault:

    - "reset": close the connection with a TCP RST before answering,
    - "stall": read the request, then send nothing for `stall_seconds` (read timeout on the client),
    - "truncate": promise Content-Length 1000 and send 100 bytes, then close,
    - "drip": answer 200 and send `chunk` bytes `chunks` times, `gap` seconds apart (no Content-Length).

    /robots.txt answers 404. `hits` counts requests per path. Use as a context manager.
    """

    def __init__(self, fault: str, stall_seconds: float = 3.0, *, gap: float = 0.1, chunks: int = 10,
                 chunk: bytes = b"x"):
        self.fault = fault
        self.stall_seconds = stall_seconds
        self.gap, self.chunks, self.chunk = gap, chunks, chunk
        self.hits: dict[str, int] = {}
        self._stop = threading.Event()
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
                outer.hits[path] = outer.hits.get(path, 0) + 1
                if path == "/robots.txt":
                    self.request.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                                         b"Connection: close\r\n\r\n")
                    return
                outer._fault(self.request)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

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
            try:
                for _ in range(self.chunks):
                    if self._stop.wait(self.gap):
                        return
                    sock.sendall(self.chunk)
            except OSError:  # the client gave up: that is the point
                return

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
