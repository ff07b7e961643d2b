"""Response bodies decoded under the size cap (marketlib.http_body), served on 127.0.0.1; bodies are GENERATED."""

from __future__ import annotations

import gzip
import zlib

import pytest

from marketlib.http import BadContentError, ResponseTooLarge
from tests.loopback import allow_robots, loopback_settings, quick_session

TEXT = b'{"jobs": [' + b",".join(b'{"id": %d}' % i for i in range(2000)) + b"]}"


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(("encoding", "body"), [
    ("gzip", gzip.compress(TEXT)),
    ("x-gzip", gzip.compress(TEXT)),
    ("gzip", gzip.compress(TEXT[:5000]) + gzip.compress(TEXT[5000:])),  # two gzip members
    ("deflate", zlib.compress(TEXT)),  # zlib-wrapped, as the standard says
    ("deflate", _raw_deflate(TEXT)),  # headerless, as some servers send it
    ("identity", TEXT),
])
def test_encoded_bodies_are_decoded(project, httpserver, encoding, body):
    allow_robots(httpserver)
    httpserver.expect_request("/enc").respond_with_data(body, headers={"Content-Encoding": encoding})
    session, _ = quick_session(loopback_settings(project))
    assert session.get(httpserver.url_for("/enc")).content == TEXT


def test_the_cap_counts_decoded_bytes_not_bytes_on_the_wire(project, httpserver):
    allow_robots(httpserver)
    small_on_the_wire = gzip.compress(bytes(200_000))
    assert len(small_on_the_wire) < 1000
    httpserver.expect_request("/z").respond_with_data(small_on_the_wire, headers={"Content-Encoding": "gzip"})
    session, _ = quick_session(loopback_settings(project, max_response_bytes=100_000, max_retries=0))
    with pytest.raises(ResponseTooLarge, match="more than the 100,000-byte cap"):
        session.get(httpserver.url_for("/z"))


def test_only_decodable_encodings_are_asked_for_and_others_are_bad_content(project, httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/asked", headers={"Accept-Encoding": "gzip, deflate"}).respond_with_data("fine")
    httpserver.expect_request("/br").respond_with_data(b"\x0b\x02\x80", headers={"Content-Encoding": "br"})
    httpserver.expect_request("/broken").respond_with_data(b"not gzip at all", headers={"Content-Encoding": "gzip"})
    session, _ = quick_session(loopback_settings(project, max_retries=0))
    assert session.get(httpserver.url_for("/asked")).text == "fine"
    with pytest.raises(BadContentError, match="Content-Encoding 'br'"):
        session.get(httpserver.url_for("/br"))
    with pytest.raises(BadContentError, match="does not decode as gzip"):
        session.get(httpserver.url_for("/broken"))
