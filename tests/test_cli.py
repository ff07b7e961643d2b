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


def test_an_option_no_chosen_source_declares_exits_2_naming_theirs(project):
    import os

    result = run_cli("fetch", "aijobs", "--months", "3", env=dict(os.environ))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--months is not an option of aijobs" in result.stderr
    assert not (project.raw_dir / "aijobs").exists()  # nothing fetched after a bad command line


def test_source_options_reach_only_the_sources_that_declare_them(project):
    from marketlib.fetch import choose_sources, source_options, split_arguments

    names, given = split_arguments(["jobspy", "lever", "--search", "ml engineer", "--results=5",
                                    "--page-limit", "20"])
    assert (names, given) == (["jobspy", "lever"], {"search": "ml engineer", "results": "5", "page_limit": "20"})
    options = source_options(choose_sources(names, False), given)
    assert options == {"jobspy": {"search": "ml engineer", "results": 5}, "lever": {"page_limit": 20}}


def test_a_source_option_of_the_wrong_kind_is_one_sentence(project):
    import os

    result = run_cli("fetch", "hackernews", "--months", "three", env=dict(os.environ))
    assert result.returncode == 2
    assert "The option --months takes a whole number, not 'three'." in result.stderr


def test_fetch_writes_a_status_file_that_sources_reads_back(project):
    import os

    env = dict(os.environ) | {"COLUMNS": "250"}
    assert run_cli("fetch", "reference", env=env).returncode == 0
    from marketlib.fetch import last_status

    assert last_status(project, "reference").endswith(" ok")
    listing = run_cli("sources", env=env)
    assert last_status(project, "reference") in listing.stdout
    assert "--months" in listing.stdout  # the options each source declares are listed


def test_a_plain_clean_does_not_load_what_only_tables_and_colour_need(tmp_path):
    """Start-up guard: rich (tables, progress) and numpy are imported on first use, and a 1-row clean uses
    neither; its result line and notes are plain text."""
    one = tmp_path / "one.csv"
    one.write_text("title,company,location,description\nML Engineer,Acme,\"Austin, TX\",Build models.\n")
    probe = ("import runpy, sys\n"
             "sys.argv = ['marketlib', 'clean', sys.argv[1], '-o', sys.argv[2]]\n"
             "try:\n    runpy.run_module('marketlib.cli', run_name='__main__')\n"
             "finally:\n"
             "    print(sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'numpy'}), file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", probe, str(one), str(tmp_path / "one.parquet")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Cleaned 1 rows into {tmp_path / 'one.parquet'}."
    assert result.stderr.strip().splitlines()[-1] == "[]"
