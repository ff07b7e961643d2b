import json
import os
import subprocess
import sys
import textwrap

import pytest

from marketlib.errors import UnsafeNameError
from marketlib.snapshots import (
    META_SUFFIX,
    check_name,
    corrupt_snapshots,
    latest,
    latest_by_name,
    list_snapshots,
    write_snapshot,
)


def test_write_creates_file_and_sidecar(project):
    snap = write_snapshot("demo", "a.json", data=b'{"x": 1}', url="https://example.org/a", license="CC0",
                          params={"q": "ml"}, http_status=200)
    assert snap.path.read_bytes() == b'{"x": 1}'
    meta = json.loads(snap.path.with_name(snap.name + META_SUFFIX).read_text())
    for key in ("source", "url", "fetched_at", "sha256", "bytes", "license", "params", "http_status",
                "marketlib_version"):
        assert key in meta
    assert meta["bytes"] == 8 and meta["params"] == {"q": "ml"} and meta["http_status"] == 200
    assert snap.path.parent.parent.name == "demo"
    assert snap.snapshot_id == f"demo/{snap.date}/a.json"


def test_same_bytes_reused_different_bytes_suffixed(project):
    first = write_snapshot("demo", "a.json", data=b"one")
    again = write_snapshot("demo", "a.json", data=b"one")
    assert again.path == first.path
    second = write_snapshot("demo", "a.json", data=b"two")
    assert second.path != first.path and second.name == "a-2.json"
    assert first.path.read_bytes() == b"one"  # never overwritten
    assert latest("demo").path == second.path
    assert latest("demo", "a.json").read_bytes() == b"two"


def test_corrupt_snapshot_detected_and_skipped(project):
    good = write_snapshot("demo", "a.json", data=b"one")
    bad = write_snapshot("demo", "a.json", data=b"two")
    bad.path.write_bytes(b"tampered")
    assert [s.name for s in corrupt_snapshots("demo")] == [bad.name]
    assert latest("demo").path == good.path
    assert [s.name for s in list_snapshots("demo")] == [good.name]
    assert latest_by_name("demo")["a.json"].path == good.path


def test_latest_none_when_empty(project):
    assert latest("nothing") is None
    assert latest_by_name("nothing") == {}


@pytest.mark.parametrize("name", ["..", "../x", "/etc/passwd", "a/b", "a\x00b", "", ".hidden", "a\\b",
                                  "x" * 300, "a..b"])
def test_unsafe_names_rejected(project, name):
    with pytest.raises(UnsafeNameError):
        check_name(name)
    with pytest.raises(UnsafeNameError):
        write_snapshot(name, "ok.json", data=b"1")
    with pytest.raises(UnsafeNameError):
        write_snapshot("demo", name, data=b"1")


def test_interrupted_write_leaves_previous_intact(project, tmp_path):
    """A writer killed mid-way leaves no visible partial file and the previous snapshot untouched."""
    first = write_snapshot("demo", "big.bin", data=b"previous")
    script = textwrap.dedent("""
        import os, marketlib.atomic as atomic
        real_write = None
        class Boom(Exception): pass
        import marketlib.snapshots as s
        orig = atomic.atomic_open
        import contextlib
        @contextlib.contextmanager
        def dying(path):
            with orig(path) as fh:
                fh.write(b"partial" * 1000)
                fh.flush()
                os._exit(9)  # simulate kill -9 in the middle of the write
                yield fh
        s.atomic_open = dying
        s.write_snapshot("demo", "big.bin", data=b"new content")
    """)
    env = dict(os.environ)
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True)
    assert result.returncode == 9
    snaps = list_snapshots("demo")
    assert [s.name for s in snaps] == [first.name]
    assert latest("demo").read_bytes() == b"previous"
    visible = [p.name for p in first.path.parent.iterdir() if not p.name.startswith(".tmp-")]
    assert sorted(visible) == ["big.bin", "big.bin" + META_SUFFIX]
    # The next run sweeps the leftover temp file and completes.
    from marketlib.atomic import sweep_temp_files

    assert sweep_temp_files(project.raw_dir) >= 1
    assert write_snapshot("demo", "big.bin", data=b"new content").read_bytes() == b"new content"
    assert not list(project.raw_dir.rglob(".tmp-*"))
