"""The compiled-dictionary cache: built once per input content, rebuilt when an input changes or the cache is bad."""

from __future__ import annotations

import json
import os

import polars as pl
import pytest

from marketlib import compiled


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MARKETLIB_CACHE_DIR", str(tmp_path / "cache"))
    compiled._file_digest.cache_clear()
    compiled._known_digests.cache_clear()
    yield tmp_path / "cache"
    compiled._file_digest.cache_clear()
    compiled._known_digests.cache_clear()


def _counting_build(value: str):
    calls = []

    def build() -> pl.DataFrame:
        calls.append(1)
        return pl.DataFrame({"key": [value]})

    return build, calls


def _new_process():
    """What a fresh process remembers: only the files in the cache directory."""
    compiled._file_digest.cache_clear()
    compiled._known_digests.cache_clear()


def test_a_second_run_reads_the_compiled_frame_and_a_changed_input_compiles_afresh(cache, tmp_path):
    source = tmp_path / "places.csv"
    source.write_text("a\n")
    build, calls = _counting_build("first")
    assert compiled.cached_frame("t", [source], build)["key"].to_list() == ["first"]
    _new_process()
    assert compiled.cached_frame("t", [source], build)["key"].to_list() == ["first"] and len(calls) == 1

    source.write_text("ab\n")  # new content (and size): a new key, so the builder runs again
    _new_process()
    rebuilt, again = _counting_build("second")
    assert compiled.cached_frame("t", [source], rebuilt)["key"].to_list() == ["second"] and len(again) == 1
    assert len(list(cache.glob("t-*.arrow"))) == 1  # the copy of the old content is removed


def test_a_remembered_digest_is_used_only_while_size_and_time_match(cache, tmp_path, monkeypatch):
    source = tmp_path / "cities.json"
    source.write_text("[1]")
    first = compiled.content_key("t", [source])
    remembered = json.loads((cache / compiled.DIGESTS_FILE).read_text())
    assert list(remembered.values())[0][:2] == [source.stat().st_size, source.stat().st_mtime_ns]

    hashed = []
    real_digest = compiled.hashlib.file_digest
    monkeypatch.setattr(compiled.hashlib, "file_digest", lambda *a: hashed.append(1) or real_digest(*a))
    _new_process()
    assert compiled.content_key("t", [source]) == first and hashed == []  # from the remembered digest

    stat = source.stat()
    source.write_text("[2]")  # same size: only the time tells it changed
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    _new_process()
    assert compiled.content_key("t", [source]) != first and hashed == [1]


def test_a_damaged_cache_costs_only_the_rebuild(cache, tmp_path):
    source = tmp_path / "places.csv"
    source.write_text("a\n")
    build, calls = _counting_build("x")
    compiled.cached_frame("t", [source], build)
    for path in cache.iterdir():
        path.write_bytes(b"not parquet, not json")
    _new_process()
    assert compiled.cached_frame("t", [source], build)["key"].to_list() == ["x"] and len(calls) == 2


def test_an_unwritable_cache_directory_still_gives_the_frame(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("MARKETLIB_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot be created
    _new_process()
    source = tmp_path / "places.csv"
    source.write_text("a\n")
    build, calls = _counting_build("x")
    assert compiled.cached_frame("t", [source], build)["key"].to_list() == ["x"]
    _new_process()
    assert compiled.cached_frame("t", [source], build)["key"].to_list() == ["x"] and len(calls) == 2
    _new_process()
