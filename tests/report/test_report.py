"""The report runner: papermill with YAML parameters, safe offline HTML, index with failures marked."""

import json

import pytest
import yaml

from marketlib.errors import UserError
from marketlib.report import CSP, load_config, run_reports, sanitize_html
from tests.report.nbfactory import write_demo_notebook


@pytest.fixture
def demo(project, tmp_path):
    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    write_demo_notebook(nb_dir / "demo.ipynb")
    config = tmp_path / "reports.yaml"
    config.write_text(yaml.safe_dump({"reports": [
        {"name": "demo-ok", "notebook": "demo.ipynb", "parameters": {"n_bars": 3, "label": "Openings"}},
        {"name": "demo-bad", "notebook": "demo.ipynb", "parameters": {"n_bars": 0}},
    ]}))
    return project, nb_dir, config


def test_run_reports_marks_failure_and_writes_index(demo):
    settings, nb_dir, config = demo
    ok = run_reports(config, settings=settings, notebooks_dir=nb_dir, workers=2)
    assert ok is False  # one report fails: non-zero exit for the CLI
    index = (settings.reports_dir / "index.html").read_text()
    assert "demo-ok" in index and "FAILED" in index and "n_bars must be at least 1." in index
    run_dir = next(p for p in settings.reports_dir.iterdir() if p.is_dir())
    summary = {r["name"]: r for r in json.loads((run_dir / "index.json").read_text())}
    assert summary["demo-ok"]["status"] == "ok" and summary["demo-bad"]["status"] == "failed"
    page = (run_dir / "demo-ok.html").read_text()
    assert "<svg" in page  # the chart is pre-rendered, no JavaScript needed
    assert "<script" not in page.lower()
    assert CSP in page
    assert "&lt;script&gt;window.__pwned" in page  # scraped text stays text
    assert "javascript:" not in page
    assert 'rel="noopener noreferrer nofollow"' in page
    assert not list(run_dir.glob(".tmp-*"))
    params = yaml.safe_load((run_dir / "demo-ok.params.yaml").read_text())
    assert params == {"n_bars": 3, "label": "Openings"}


def test_sanitize_html_drops_active_content():
    page = ('<html><head><script src="https://cdn.example/x.js"></script></head><body>'
            '<a href="javascript:alert(1)">x</a><a href="data:text/html,hi">y</a>'
            '<a href="https://ok.example">z</a><div onclick="evil()">d</div><iframe src="https://e"></iframe>'
            '</body></html>')
    clean = sanitize_html(page)
    assert "<script" not in clean and "iframe" not in clean and "onclick" not in clean
    assert "javascript:" not in clean and "data:text/html" not in clean
    assert 'href="https://ok.example"' in clean and "nofollow" in clean
    assert "Content-Security-Policy" in clean


@pytest.mark.parametrize("text, message", [
    ("reports:\n  - {name: ../x, notebook: demo.ipynb}\n", "not allowed"),
    ("reports:\n  - {name: x, notebook: /etc/passwd}\n", "not allowed"),
    ("reports:\n  - {name: x, notebook: missing.ipynb}\n", "is not in"),
    ("reports:\n  - {name: x, notebook: demo.ipynb, parameters: {a: !!python/object:object {}}}\n",
     "not valid YAML"),
    ("reports:\n  - {name: x, notebook: demo.ipynb, parameters: [1, 2]}\n", "must be a mapping"),
    ("reports: []\n", "non-empty"),
])
def test_config_rejects_unsafe_entries(demo, tmp_path, text, message):
    _settings, nb_dir, _config = demo
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(UserError, match=message):
        load_config(bad, nb_dir)


@pytest.mark.browser
def test_exported_html_renders_offline_and_payloads_stay_inert(demo):
    from tests.report.browser import chromium_path, inspect_page

    chromium_path()
    settings, nb_dir, config = demo
    run_reports(config, settings=settings, notebooks_dir=nb_dir, only=["demo-ok"])
    run_dir = next(p for p in settings.reports_dir.iterdir() if p.is_dir())
    seen = inspect_page(run_dir / "demo-ok.html")
    assert seen["svg"] == 1
    assert seen["errors"] == [] and seen["blocked"] == []
    assert seen["pwned"] is None
    assert "<script>window.__pwned = 1</script>" in seen["text"]  # shown as text
    index = inspect_page(settings.reports_dir / "index.html")
    assert index["errors"] == [] and index["blocked"] == []


def test_only_updates_one_entry_and_keeps_the_others(demo):
    settings, nb_dir, config = demo
    run_reports(config, settings=settings, notebooks_dir=nb_dir, workers=2)
    assert run_reports(config, settings=settings, notebooks_dir=nb_dir, only=["demo-ok"]) is True
    index = (settings.reports_dir / "index.html").read_text()
    assert "demo-ok" in index and "demo-bad" in index  # the report not re-run keeps its entry
    summary = {r["name"]: r for r in json.loads((settings.reports_dir / "index.json").read_text())}
    assert set(summary) == {"demo-ok", "demo-bad"}
    assert summary["demo-bad"]["status"] == "failed"


def test_pages_open_with_their_findings_and_the_index_is_a_front_page(demo):
    from bs4 import BeautifulSoup

    settings, nb_dir, config = demo
    run_reports(config, settings=settings, notebooks_dir=nb_dir, only=["demo-ok"])
    run_dir = next(p for p in settings.reports_dir.iterdir() if p.is_dir())
    record = json.loads((run_dir / "demo-ok.json").read_text())
    assert record["findings"][0]["value"] == 3
    soup = BeautifulSoup((run_dir / "demo-ok.html").read_text(), "lxml")
    after_title = soup.find("h1").find_next_sibling()
    assert after_title.name == "section" and "marketlib-findings" in after_title["class"]
    assert "The demo drew 3 bars for Openings." in after_title.get_text()
    assert "window 2026-01-01 – 2026-06-30" in after_title.get_text() and "n = 3" in after_title.get_text()
    method = after_title.find_next_sibling()
    assert method.name == "details" and "Method, parameters and caveats" in method.summary.get_text()
    front = BeautifulSoup((settings.reports_dir / "index.html").read_text(), "lxml")
    assert "The demo drew 3 bars for Openings." in front.find("section", class_="question").get_text()
    assert front.find("img", class_="thumb")["src"].startswith("data:image/svg+xml;base64,")
    assert front.find("h2", string="Run log") is not None


def test_an_unknown_parameter_key_fails_before_any_notebook_runs(demo, tmp_path):
    import os
    import subprocess
    import sys

    settings, nb_dir, _config = demo
    bad = tmp_path / "typo.yaml"
    bad.write_text("reports:\n  - {name: demo-typo, notebook: demo.ipynb, parameters: {nbars: 3}}\n")
    with pytest.raises(UserError) as err:
        load_config(bad, nb_dir)
    assert "unknown parameter 'nbars' (did you mean n_bars?); valid parameters are: n_bars, label." in str(err.value)
    (settings.root / "notebooks").mkdir()
    write_demo_notebook(settings.root / "notebooks" / "demo.ipynb")
    proc = subprocess.run([sys.executable, "-m", "marketlib.cli", "report", "--config", str(bad)],
                          capture_output=True, text=True, env=dict(os.environ))
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "demo-typo" in lines[0] and "'nbars'" in lines[0] and "n_bars, label" in lines[0]
    assert not (settings.reports_dir / "index.json").exists()  # nothing ran


def test_a_failing_notebook_says_one_sentence_and_nothing_else(demo, tmp_path):
    import subprocess
    import sys

    import nbformat

    from marketlib.notebook_run import ERROR_MARK

    _settings, nb_dir, _config = demo
    params = tmp_path / "p.yaml"
    params.write_text("n_bars: 0\n")
    out = tmp_path / "out.ipynb"
    proc = subprocess.run([sys.executable, "-m", "marketlib.notebook_run", str(nb_dir / "demo.ipynb"), str(out),
                           str(params), str(nb_dir)], capture_output=True, text=True)
    assert proc.returncode == 1
    # no papermill parse warnings, no ipykernel plain-TCP warning: only the sentence
    assert [line for line in proc.stderr.splitlines() if line.strip()] == [ERROR_MARK + "n_bars must be at least 1."]
    errors = [o for c in nbformat.read(str(out), as_version=4).cells if c.cell_type == "code"
              for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert [e["traceback"] for e in errors] == [["UserError: n_bars must be at least 1."]]  # no frames shown


def test_imported_postings_reach_a_city_odds_report(project, tmp_path):
    """README "Your own postings in the reports": import a JobSpy CSV, build, report with `sources: [NAME]`."""
    import os
    import shutil
    import subprocess
    import sys

    from marketlib.build import build
    from tests.conftest import REPO
    from tests.test_imports import ROWS, _jobspy_csv

    env = dict(os.environ)
    given = _jobspy_csv(tmp_path / "jobs.csv", ROWS)
    imported = subprocess.run([sys.executable, "-m", "marketlib.cli", "import", str(given), "--as", "my-search"],
                              capture_output=True, text=True, env=env)
    assert imported.returncode == 0, imported.stderr
    assert not build(["postings"], settings=project).source_errors
    (project.root / "notebooks").mkdir()
    shutil.copy(REPO / "notebooks" / "01-city-odds.ipynb", project.root / "notebooks")
    config = tmp_path / "my-reports.yaml"
    config.write_text(yaml.safe_dump({"reports": [
        {"name": "city-odds-my-search", "title": "City odds in my own search", "notebook": "01-city-odds.ipynb",
         # no dates: a named source is measured over the days it covers (the README's example as written)
         "parameters": {"role_families": ["ml_engineer", "data_scientist"], "sources": ["my-search"]}}]}))
    proc = subprocess.run([sys.executable, "-m", "marketlib.cli", "report", "--config", str(config),
                           "--only", "city-odds-my-search"], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    run_dir = next(p for p in project.reports_dir.iterdir() if p.is_dir())
    page = (run_dir / "city-odds-my-search.html").read_text()
    assert "Openings come from my-search (2)" in page  # the two imported postings, nothing else
    assert "Acme" in page and "Beta" in page  # in the employers table
    assert "<strong>my-search</strong>" in page  # credited in "Sources and licenses"
    record = json.loads((run_dir / "city-odds-my-search.json").read_text())
    assert record["report_parameters"]["sources"] == ["my-search"]


def test_marketlib_notebook_runs_one_notebook_by_hand(demo, tmp_path):
    """README "Running one notebook by hand": a typo key stops before the kernel starts, a bad value is one
    sentence on stderr (no traceback, no kernel warnings), a good run writes the executed notebook."""
    import subprocess
    import sys

    _settings, nb_dir, _config = demo

    def run(text: str):
        params = tmp_path / "p.yaml"
        params.write_text(text)
        return subprocess.run([sys.executable, "-m", "marketlib.cli", "notebook", str(nb_dir / "demo.ipynb"),
                               str(tmp_path / "out.ipynb"), "-f", str(params)], capture_output=True, text=True)

    typo = run("nbars: 2\n")
    assert typo.returncode == 2 and "'nbars'" in typo.stderr and "n_bars, label" in typo.stderr
    assert not (tmp_path / "out.ipynb").exists()
    bad = run("n_bars: 0\n")
    assert bad.returncode == 1
    assert [line for line in bad.stderr.splitlines() if line.strip()] == ["n_bars must be at least 1."]
    good = run("n_bars: 2\n")
    assert good.returncode == 0, good.stderr
    assert good.stderr.strip().splitlines() == [f"Wrote {tmp_path / 'out.ipynb'}"]  # no kernel warnings
    assert (tmp_path / "out.ipynb").is_file()


def test_an_unchanged_report_is_not_executed_again(demo):
    settings, nb_dir, config = demo
    run_reports(config, settings=settings, notebooks_dir=nb_dir, workers=2)
    run_reports(config, settings=settings, notebooks_dir=nb_dir, workers=2)
    summary = {r["name"]: r for r in json.loads((settings.reports_dir / "index.json").read_text())}
    assert summary["demo-ok"]["cached_from"] and summary["demo-ok"]["status"] == "ok"
    assert summary["demo-bad"]["cached_from"] == ""  # a failed report is never cached: it runs again
    assert "cached: nothing it depends on changed" in (settings.reports_dir / "index.html").read_text()
    run_reports(config, settings=settings, notebooks_dir=nb_dir, workers=2, use_cache=False)
    summary = {r["name"]: r for r in json.loads((settings.reports_dir / "index.json").read_text())}
    assert summary["demo-ok"]["cached_from"] == ""
    nb = nb_dir / "demo.ipynb"
    nb.write_text(nb.read_text().replace("how many bars to draw", "how many bars"))  # the notebook changed
    run_reports(config, settings=settings, notebooks_dir=nb_dir, workers=2)
    summary = {r["name"]: r for r in json.loads((settings.reports_dir / "index.json").read_text())}
    assert summary["demo-ok"]["cached_from"] == ""
