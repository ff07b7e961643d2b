"""Reading a response body under a size cap that counts decompressed bytes.

requests decodes gzip/deflate inside urllib3, where one compressed read can inflate a thousandfold before our
count sees it (a 1 MB gzip bomb is a gigabyte). So the body is streamed raw (`decode_content=False`) and
inflated here with zlib's `max_length`: memory never holds more than the cap plus one read.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import requests
from requests.exceptions import ChunkedEncodingError, ContentDecodingError
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError, SSLError

from marketlib.http_errors import BadContentError, ResponseTooLarge

CHUNK_BYTES = 64 * 1024
# The encodings `read_capped` can inflate; sent as Accept-Encoding so servers offer nothing else.
ACCEPT_ENCODING = "gzip, deflate"


class _Inflater:
    """gzip or deflate pieces in, at most `room` bytes out per call (the rest stays in zlib's input)."""

    def __init__(self, encoding: str):
        self._gzip = encoding in {"gzip", "x-gzip"}
        self._first = True
        self._new()

    def _new(self, wbits: int | None = None) -> None:
        self._wbits = wbits or (16 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS)
        self._zlib = zlib.decompressobj(self._wbits)

    def inflate(self, data: bytes, room: int) -> bytes:
        try:
            out = self._zlib.decompress(data, room)
        except zlib.error:
            if self._gzip or not self._first:
                raise
            self._new(-zlib.MAX_WBITS)  # "deflate" sent without its zlib header, as some servers do
            out = self._zlib.decompress(data, room)
        self._first = False
        # A gzip body may hold several members; each ends the current decompressor.
        while self._zlib.eof and self._zlib.unused_data and len(out) < room:
            rest = self._zlib.unused_data
            self._new(self._wbits)
            out += self._zlib.decompress(rest, room - len(out))
        return out


def _raw_pieces(response: requests.Response) -> Iterator[bytes]:
    """The body as sent, with urllib3's errors turned into the requests errors callers already handle."""
    try:
        yield from response.raw.stream(CHUNK_BYTES, decode_content=False)
    except ProtocolError as exc:
        raise ChunkedEncodingError(exc) from exc
    except DecodeError as exc:
        raise ContentDecodingError(exc) from exc
    except ReadTimeoutError as exc:
        raise requests.ConnectionError(exc) from exc
    except SSLError as exc:
        raise requests.exceptions.SSLError(exc) from exc


def read_capped(response: requests.Response, limit: int, url: str) -> bytes:
    """The decoded body; ResponseTooLarge as soon as the sent or the decoded bytes pass `limit`."""
    too_large = ResponseTooLarge(f"{url} sent more than the {limit:,}-byte cap.", url=url,
                                 http_status=response.status_code)
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ResponseTooLarge(f"{url} declares {int(declared):,} bytes, over the {limit:,}-byte cap.", url=url,
                               http_status=response.status_code)
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in {"identity", "", "gzip", "x-gzip", "deflate"}:
        raise BadContentError(f"{url} sent Content-Encoding {encoding!r}, which marketlib does not decode.",
                              url=url, http_status=response.status_code)
    inflater = _Inflater(encoding) if encoding not in {"identity", ""} else None
    pieces, sent, decoded = [], 0, 0
    for piece in _raw_pieces(response):
        sent += len(piece)
        if sent > limit:
            raise too_large
        if inflater is not None:
            try:
                piece = inflater.inflate(piece, limit - decoded + 1)
            except zlib.error as exc:
                raise BadContentError(f"{url} sent a body that does not decode as {encoding} ({exc}).",
                                      url=url, http_status=response.status_code) from exc
        decoded += len(piece)
        if decoded > limit:
            raise too_large
        pieces.append(piece)
    return b"".join(pieces)
