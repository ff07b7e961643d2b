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


def test_fetch_exit_codes_offline_source_fails_others_continue(project):
    """A network source with no mirror reports `error: offline`, the mirror source still lands: exit 1."""
    import os

    env = dict(os.environ) | {"COLUMNS": "250"}
    result = run_cli("fetch", "lever", "aijobs", "--offline", env=env)
    assert result.returncode == 1, result.stderr
    assert "offline" in result.stdout and "Some sources failed: lever." in result.stderr
    assert list((project.raw_dir / "aijobs").glob("*/salaries_2025-01-19.csv"))
    ok = run_cli("fetch", "aijobs", "--offline", env=env)
    assert ok.returncode == 0, ok.stderr
