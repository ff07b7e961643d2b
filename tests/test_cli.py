import subprocess
import sys

from marketlib.sources import registry


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "marketlib.cli", *args], capture_output=True, text=True, env=env)


def test_unknown_source_exits_2_with_one_sentence(project):
    import os

    result = run_cli("fetch", "nonexistent", env=dict(os.environ))
    assert result.returncode == 2
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert len(lines) <= 2 and "Traceback" not in result.stderr
    assert "nonexistent" in result.stderr
    for name in registry():
        assert name in result.stderr


def test_sources_lists_every_source(project):
    import os

    result = run_cli("sources", env=dict(os.environ) | {"COLUMNS": "250"})
    assert result.returncode == 0, result.stderr
    for name, _src in registry().items():
        assert name in result.stdout
