"""Every notebook in reports.yaml runs through papermill on small generated tables; the exported HTML renders
offline in headless Chromium with each chart as an SVG, and scraped text carrying payloads stays inert.

The `report_run` fixture (one run of every report, shared with test_pages_browser.py) is in conftest.py."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
import yaml

from marketlib.report import load_config, run_reports
from tests.conftest import REPO
from tests.data.tables import write_tables
from tests.report.nbfactory import PAYLOAD_SCRIPT

NOTEBOOKS = REPO / "notebooks"
def _chart_count(executed: Path) -> int:
    nb = nbformat.read(str(executed), as_version=4)
    return sum("image/svg+xml" in out.get("data", {}) for cell in nb.cells if cell.cell_type == "code"
               for out in cell.get("outputs", []))


def test_every_notebook_runs_and_every_report_is_exported(report_run):
    ok, settings, run_dir = report_run
    summary = json.loads((run_dir / "index.json").read_text())
    failed = {r["name"]: r["error"] for r in summary if r["status"] != "ok"}
    assert ok and not failed, failed
    specs = load_config(REPO / "reports.yaml", NOTEBOOKS)
    assert {s.notebook for s in specs} == {p.name for p in NOTEBOOKS.glob("*.ipynb")}  # every notebook is run
    for spec in specs:
        page = (run_dir / f"{spec.name}.html").read_text()
        assert "<script" not in page.lower()
        assert "Content-Security-Policy" in page
        if spec.notebook != "00-claims.ipynb":  # the claims report is a table of verdicts
            assert _chart_count(run_dir / f"{spec.name}.ipynb") >= 1, spec.name
    index = (settings.reports_dir / "index.html").read_text()
    for spec in specs:
        assert f"{spec.name}.html" in index


def test_every_report_writes_its_findings_as_json(report_run):
    _ok, _settings, run_dir = report_run
    for spec in load_config(REPO / "reports.yaml", NOTEBOOKS):
        record = json.loads((run_dir / f"{spec.name}.json").read_text())
        assert record["report"] == spec.name and isinstance(record["parameters"], dict)
        assert record["findings"], spec.name  # every notebook publishes its headline figures
        for finding in record["findings"]:
            assert set(finding) == {"id", "text", "value", "unit", "low", "high", "n", "sources"}
    city = json.loads((run_dir / "city-odds-ml-engineer-entry-level.json").read_text())
    assert city["window"] == {"start": "2024-01-01", "end": "2024-12-31", "measure": "open_on_average_day"}
    assert city["parameters"]["selection"]["seniority"] == ["intern", "junior"]
    metros = {m["metro"]: m for m in city["metros"]}  # the generated Bay Area postings are internships
    assert set(metros["SF Bay Area"]) == {
        "metro", "metro_code", "openings", "professionals", "success_ratio_pct", "success_ratio_low_pct",
        "success_ratio_high_pct", "relative_odds", "is_estimate", "is_thin"}
    assert metros["SF Bay Area"]["is_estimate"] is False and metros["SF Bay Area"]["metro_code"] == "41860+41940"
    experienced = json.loads((run_dir / "city-odds-ml-engineer-experienced.json").read_text())
    assert {m["metro"]: m for m in experienced["metros"]}["Toronto, ON"]["is_estimate"] is True
    page = (run_dir / "city-odds-ml-engineer-experienced.html").read_text()
    assert "2024-01-01 to 2024-12-31" in page and "open on an average day" in page  # the window is stated
    assert "ESTIMATE" in page


def test_payloads_are_escaped_text_in_the_exported_html(report_run):
    _ok, _settings, run_dir = report_run
    page = (run_dir / "city-odds-ml-engineer-entry-level.html").read_text()
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=" in page and "<img src=x" not in page  # only as escaped text
    assert "javascript:alert" not in page


def test_bad_parameter_fails_in_the_first_cell_with_one_clear_sentence(project, tmp_path):
    write_tables(project.processed_dir)
    config = tmp_path / "bad.yaml"
    config.write_text(yaml.safe_dump({"reports": [
        {"name": "bad-role", "notebook": "01-city-odds.ipynb", "parameters": {"role_families": ["astronaut"]}},
    ]}))
    assert run_reports(config, settings=project, notebooks_dir=NOTEBOOKS) is False
    run_dir = next(p for p in project.reports_dir.iterdir() if p.is_dir())
    summary = json.loads((run_dir / "index.json").read_text())[0]
    assert summary["status"] == "failed"
    assert "astronaut" in summary["error"] and "ml_engineer" in summary["error"]  # names the valid values
    nb = nbformat.read(str(run_dir / "bad-role.ipynb"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    tags = [c.metadata.get("tags", []) for c in code]
    first_after_params = next(i for i, t in enumerate(tags) if "injected-parameters" in t) + 1
    errors = [i for i, c in enumerate(code) if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert errors == [first_after_params]
    err = next(o for o in code[first_after_params].outputs if o.output_type == "error")
    assert err.ename == "UserError"


def test_my_odds_with_an_unknown_skill_fails_with_close_matches(project, tmp_path):
    write_tables(project.processed_dir)
    config = tmp_path / "bad.yaml"
    config.write_text(yaml.safe_dump({"reports": [
        {"name": "my-odds-typo", "notebook": "07-my-odds.ipynb",
         "parameters": {"my_years": 2, "my_skills": ["Pytorh"], "my_domains": ["nlp"]}},
    ]}))
    assert run_reports(config, settings=project, notebooks_dir=NOTEBOOKS) is False
    run_dir = next(p for p in project.reports_dir.iterdir() if p.is_dir())
    summary = json.loads((run_dir / "index.json").read_text())[0]
    assert summary["status"] == "failed"
    assert "Skill 'Pytorh' is not in the skills dictionary; close matches: PyTorch" in summary["error"]


@pytest.mark.browser
def test_every_report_renders_offline_in_chromium(report_run):
    from tests.report.browser import chromium_path, inspect_page

    chromium_path()
    _ok, settings, run_dir = report_run
    for page in sorted(run_dir.glob("*.html")) + [settings.reports_dir / "index.html"]:
        seen = inspect_page(page)
        assert seen["errors"] == [], (page.name, seen["errors"])
        assert seen["blocked"] == [], (page.name, seen["blocked"])
        assert seen["pwned"] is None, page.name
        if page.name != "index.html":
            expected = _chart_count(page.with_suffix(".ipynb"))
            assert seen["svg"] == expected, (page.name, seen["svg"], expected)
    city = inspect_page(run_dir / "city-odds-ml-engineer-entry-level.html")
    assert PAYLOAD_SCRIPT in city["text"]  # shown to the reader as text, never run


def test_notebooks_are_committed_without_outputs():
    for path in NOTEBOOKS.glob("*.ipynb"):
        nb = nbformat.read(str(path), as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), path.name
        params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(params) == 1, path.name
        assert nb.metadata["kernelspec"]["name"] == "marketlib"


