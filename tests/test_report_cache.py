"""report_cache: a report's key follows everything it depends on; a hit restores the earlier run's files."""

from __future__ import annotations

import os

from marketlib.report_cache import ReportCache


def _setup(project):
    project.processed_dir.mkdir(parents=True, exist_ok=True)
    (project.processed_dir / "postings.parquet").write_bytes(b"v1")
    notebook = project.root / "nb.ipynb"
    notebook.write_text('{"cells": []}')
    return notebook


def test_key_changes_with_parameters_notebook_tables_and_settings(project):
    notebook = _setup(project)
    base = ReportCache(project).key("skills", "Skills", {"top_n": 10}, notebook)
    assert ReportCache(project).key("skills", "Skills", {"top_n": 10}, notebook) == base  # nothing changed
    assert ReportCache(project).key("skills", "Skills", {"top_n": 11}, notebook) != base
    notebook.write_text('{"cells": [1]}')
    assert ReportCache(project).key("skills", "Skills", {"top_n": 10}, notebook) != base
    notebook.write_text('{"cells": []}')
    table = project.processed_dir / "postings.parquet"
    table.write_bytes(b"v2")  # a rebuild rewrites the table
    os.utime(table, ns=(1, 1))
    assert ReportCache(project).key("skills", "Skills", {"top_n": 10}, notebook) != base
    table.write_bytes(b"v1")
    toml = project.root / "marketlib.toml"
    toml.write_text(toml.read_text() + "\n# changed\n")
    assert ReportCache(project).key("skills", "Skills", {"top_n": 10}, notebook) != base


def test_a_hit_needs_the_same_key_and_the_files_and_restores_them(project):
    notebook = _setup(project)
    cache = ReportCache(project)
    key = cache.key("skills", "", {}, notebook)
    old_dir = project.reports_dir / "2026-11-30"
    old_dir.mkdir(parents=True)
    for name in ("skills.html", "skills.json"):
        (old_dir / name).write_text(name)
    cache.store("skills", key, "2026-11-30", ["skills.html", "skills.json"])
    assert cache.lookup("skills", "another key") is None
    record = cache.lookup("skills", key)
    assert record is not None
    today = project.reports_dir / "2026-12-02"
    today.mkdir()
    cache.restore(record, today)
    assert (today / "skills.html").read_text() == "skills.html"
    (old_dir / "skills.json").unlink()  # an earlier run's file gone: no hit
    assert cache.lookup("skills", key) is None


def test_key_follows_an_environment_override_of_the_settings(project, monkeypatch):
    from marketlib.config import get_settings

    notebook = _setup(project)
    base = ReportCache(project).key("skills", "", {}, notebook)
    monkeypatch.setenv("MARKETLIB_MIN_COUNT", "7")
    get_settings.cache_clear()
    overridden = get_settings()
    assert overridden.min_count == 7
    assert ReportCache(overridden).key("skills", "", {}, notebook) != base
