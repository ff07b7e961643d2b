"""JobSpy importer. The result rows below are generated test data laid out in JobSpy's real 34 columns
(read from the shared fixture columns.json); no JobSpy output is recorded anywhere we may use."""

from __future__ import annotations

import datetime as dt
import json
import sys
import types

import pandas as pd
import polars as pl
import pytest

from marketlib import schemas
from marketlib.errors import UserError
from marketlib.snapshots import latest_by_name
from marketlib.sources import FetchContext, jobspy, registry
from tests.conftest import FIXTURES, need
from tests.loopback import data_files, loopback_settings


def _columns() -> list[str]:
    return [c["name"] for c in json.loads(need(FIXTURES / "jobspy" / "columns.json").read_text())["columns"]]


def generated_jobspy_frame() -> pd.DataFrame:
    """Generated test rows shaped like scrape_jobs output (datetime.date dates, NaN amounts, None cells)."""
    rows = [
        {"id": "in-8f1c", "site": "indeed", "job_url": "https://www.indeed.com/viewjob?jk=8f1c",
         "title": "Machine Learning Engineer", "company": "Example Robotics", "location": "Seattle, WA, US",
         "date_posted": dt.date(2026, 9, 14), "job_type": "fulltime", "interval": "yearly",
         "min_amount": 150000.0, "max_amount": 190000.0, "currency": "USD", "is_remote": False,
         "description": "Build **ranking** models. 3+ years of Python.",
         "company_num_employees": "1,001 to 5,000"},
        {"id": "li-42", "site": "linkedin", "job_url": "https://www.linkedin.com/jobs/view/42",
         "title": "Senior Data Scientist", "company": "Example Bank", "location": "Remote",
         "date_posted": None, "job_type": "contract, fulltime", "interval": "hourly",
         "min_amount": 80.0, "max_amount": float("nan"), "currency": "USD", "is_remote": True,
         "description": None, "company_num_employees": None},
        {"id": "gd-7", "site": "glassdoor", "job_url": "https://www.glassdoor.co.uk/job-listing/7",
         "title": "NLP Research Scientist", "company": "Example Labs", "location": "London, England, UK",
         "date_posted": dt.date(2026, 9, 1), "job_type": None, "interval": None,
         "min_amount": float("nan"), "max_amount": float("nan"), "currency": None, "is_remote": None,
         "description": "LLM evaluation.", "company_num_employees": "10,000+"},
    ]
    frame = pd.DataFrame(rows)
    for column in _columns():
        if column not in frame.columns:
            frame[column] = None
    return frame[_columns()]


def test_import_maps_every_field():
    frame = jobspy.import_jobspy_frame(generated_jobspy_frame())
    assert frame.schema == pl.Schema(schemas.RAW_POSTING_COLUMNS)
    seattle, remote, london = frame.rows(named=True)
    assert seattle["location_raw"] == "Seattle, WA, US"
    assert remote["location_raw"] == "Remote" and london["location_raw"] == "London, England, UK"
    salary = ("salary_min", "salary_max", "salary_currency", "salary_period")
    assert tuple(seattle[c] for c in salary) == (150000.0, 190000.0, "USD", "year")
    assert (remote["salary_min"], remote["salary_max"], remote["salary_period"]) == (80.0, None, "hour")
    assert london["salary_min"] is None and london["salary_currency"] is None
    assert [r["is_remote_hint"] for r in (seattle, remote, london)] == [False, True, None]
    assert [r["employment_type"] for r in (seattle, remote, london)] == ["full_time", "contract", None]
    assert seattle["posted_date"] == dt.date(2026, 9, 14) and remote["posted_date"] is None
    assert seattle["company_size"] == "1,001 to 5,000"
    assert seattle["url"] == "https://www.indeed.com/viewjob?jk=8f1c"
    assert seattle["source_posting_id"] == "in-8f1c" and seattle["source"] == "jobspy"
    assert seattle["snapshot_id"] == "jobspy/import/frame"
    assert remote["description"] is None and "ranking" in seattle["description"]


def test_import_from_csv_path_and_polars_agree(tmp_path):
    pandas_frame = generated_jobspy_frame()
    path = tmp_path / "jobs.csv"
    pandas_frame.to_csv(path, index=False)
    from_pandas = jobspy.import_jobspy_frame(pandas_frame).drop("snapshot_id")
    from_csv = jobspy.import_jobspy_frame(path).drop("snapshot_id")
    from_polars = jobspy.import_jobspy_frame(pl.read_csv(path, infer_schema=False)).drop("snapshot_id")
    assert from_csv.equals(from_pandas) and from_polars.equals(from_pandas)
    assert jobspy.import_jobspy_frame(path)["snapshot_id"][0] == "jobspy/import/jobs.csv"


def test_import_rejects_non_jobspy_input(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(UserError, match="job_url"):
        jobspy.import_jobspy_frame(other)
    with pytest.raises(UserError, match="does not exist"):
        jobspy.import_jobspy_frame(tmp_path / "missing.csv")
    with pytest.raises(UserError):
        jobspy.import_jobspy_frame(42)


def test_fetch_without_jobspy_installed_says_how_to_install(project, monkeypatch):
    monkeypatch.setattr(jobspy.importlib.util, "find_spec", lambda name: None)
    ctx = FetchContext(loopback_settings(project), options={"search": "ml engineer", "location": "Seattle"})
    (status,) = jobspy.fetch(ctx)
    assert status.status == "error" and "pip install 'marketlib[jobspy]'" in status.message
    assert data_files(project.raw_dir, "jobspy") == []


def test_fetch_with_scraper_stores_csv_and_parse_reads_it(project, monkeypatch):
    calls = []

    def scrape_jobs(**kwargs):  # a stand-in for python-jobspy returning the generated rows
        calls.append(kwargs)
        return generated_jobspy_frame()

    monkeypatch.setitem(sys.modules, "jobspy", types.SimpleNamespace(scrape_jobs=scrape_jobs))
    monkeypatch.setattr(jobspy.importlib.util, "find_spec", lambda name: object())
    settings = loopback_settings(project)
    ctx = FetchContext(settings, options={"search": "machine learning engineer", "location": "Seattle, WA",
                                          "results": 3, "sites": "indeed,linkedin"})
    (status,) = jobspy.fetch(ctx)
    assert (status.status, status.items) == ("ok", 3)
    assert calls == [{"search_term": "machine learning engineer", "location": "Seattle, WA",
                      "results_wanted": 3, "site_name": ["indeed", "linkedin"], "country_indeed": "USA"}]
    snaps = latest_by_name("jobspy", settings.raw_dir)
    assert list(snaps) == ["jobs-machine-learning-engineer-seattle-wa.csv"]
    frame = jobspy.parse(snaps)["postings"]
    assert frame.height == 3 and frame["snapshot_id"][0] == snaps[list(snaps)[0]].snapshot_id
    assert frame["fetched_at"].null_count() == 0


def test_fetch_offline_and_bad_options(project):
    (status,) = jobspy.fetch(FetchContext(project, options={"search": "ml"}))
    assert status.status == "error" and status.message.startswith("offline: ")
    with pytest.raises(UserError, match="search"):
        jobspy.fetch(FetchContext(project, options={}))
    with pytest.raises(UserError, match="results"):
        jobspy.fetch(FetchContext(project, options={"search": "ml", "results": 0}))


def test_jobspy_is_registered_but_not_in_fetch_all():
    source = registry()["jobspy"]
    assert source.in_fetch_all is False and source.tables == ("postings",)
    assert jobspy.parse({})["postings"].height == 0
