"""Fetching the job lists: pinned history from the mirror, today's raw file from a server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt

from marketlib.snapshots import latest_by_name, list_snapshots
from marketlib.sources import FetchContext, jobright, speedyapply
from marketlib.sources import _joblists as jl
from tests.conftest import MIRROR, need
from tests.loopback import allow_robots, loopback_settings, quick_session

# Hand-written test list: one posting the mirror's union already holds (Tesla, first seen 2024-09-10) and one new.
TODAY = """### FAANG+
| Company | Position | Location | Salary | Posting | Age |
|---|---|---|---|---|---|
| <a href="https://www.tesla.com"><strong>Tesla</strong></a> | Internship - AI Engineer - Export & Inference \
- Winter/Spring 2025 | Palo Alto, CA | $47/hr | <a href="https://www.tesla.com/careers/search/job/226985">x</a> | 9d |
| <a href="https://n.example"><strong>Newco</strong></a> | ML Intern | Austin, TX | $40/hr | \
<a href="https://n.example/jobs/1">x</a> | 1d |
"""
KNOWN = "https://www.tesla.com/careers/search/job/226985"


def _ctx(project, httpserver, **options) -> FetchContext:
    settings = loopback_settings(project, max_retries=0)
    session, _sleeps = quick_session(settings)
    return FetchContext(settings, options=options, _session=session)


def test_live_fetch_stores_todays_list_and_extends_the_history(project, httpserver):
    need(MIRROR / "speedyapply_ai_college_jobs")
    allow_robots(httpserver)
    httpserver.expect_request("/README.md").respond_with_data(TODAY, content_type="text/plain")
    live = (jl.LiveFile("live_README.md", httpserver.url_for("/README.md"), "intern_usa"),)
    statuses = jl.fetch_joblist(_ctx(project, httpserver), speedyapply.SOURCE, live, speedyapply._count_rows)

    by_group = {s.group: s for s in statuses}
    assert {s.status for s in statuses} == {"ok"}
    assert by_group["live_README.md"].items == 2 and by_group["live_README.md"].http_status == 200
    assert set(by_group) == {f.name for f in speedyapply.SOURCE.files} | {"live_README.md"}

    out = speedyapply.parse(latest_by_name("speedyapply", project.raw_dir))
    postings = out["postings"]
    assert postings.height == 17749 + 1  # the union plus the one new posting
    rows = {r["url"]: r for r in postings.filter(
        postings.get_column("url").is_in([KNOWN, "https://n.example/jobs/1"])).iter_rows(named=True)}
    fetched = list_snapshots("speedyapply", project.raw_dir)[-1].fetched_at
    assert rows[KNOWN]["first_seen_at"] == dt.datetime(2024, 9, 11, 1, 0, 49, tzinfo=dt.UTC)  # from the union
    assert rows[KNOWN]["last_seen_at"] == fetched  # seen again today
    assert rows[KNOWN]["posted_date"] == dt.date(2024, 9, 10)  # the union's earlier estimate wins
    assert rows["https://n.example/jobs/1"]["first_seen_at"] == fetched
    assert rows["https://n.example/jobs/1"]["salary_min"] == 40.0


def test_live_fetch_http_error_is_an_error_status_and_no_snapshot(project, httpserver):
    need(MIRROR / "jobright_data_analysis_newgrad")
    allow_robots(httpserver)
    httpserver.expect_request("/README.md").respond_with_data("gone", status=404)
    live = (jl.LiveFile("live_README.md", httpserver.url_for("/README.md"), "da_newgrad"),)
    statuses = jl.fetch_joblist(_ctx(project, httpserver), jobright.SOURCE, live, jobright._count_rows)
    failed = [s for s in statuses if s.group == "live_README.md"]
    assert len(failed) == 1 and failed[0].status == "error" and failed[0].http_status == 404
    assert all(s.status == "ok" for s in statuses if s.group != "live_README.md")  # the history still came
    assert "live_README.md" not in latest_by_name("jobright", project.raw_dir)


def test_a_download_without_openings_is_kept_but_reported_empty(project, httpserver):
    need(MIRROR / "jobright_data_analysis_newgrad")
    allow_robots(httpserver)
    httpserver.expect_request("/README.md").respond_with_data("# We moved!\n", content_type="text/plain")
    live = (jl.LiveFile("live_README.md", httpserver.url_for("/README.md"), "da_newgrad"),)
    statuses = jl.fetch_joblist(_ctx(project, httpserver), jobright.SOURCE, live, jobright._count_rows)
    status = next(s for s in statuses if s.group == "live_README.md")
    assert status.status == "empty" and "no openings" in status.message and status.snapshots


def test_offline_uses_the_pinned_history_and_says_so(project):
    need(MIRROR / "jobright_data_analysis_newgrad")
    statuses = jobright.SOURCE.run_fetch(FetchContext(project))
    live = [s for s in statuses if s.group == "live_README.md"]
    assert len(live) == 1 and live[0].status == "empty" and live[0].message.startswith("offline")
    assert live[0].requests == 0
    assert sum(s.status == "ok" for s in statuses) == len(jobright.SOURCE.files)

    forced = jobright.SOURCE.run_fetch(FetchContext(project, options={"live": True}))
    live = [s for s in forced if s.group == "live_README.md"]
    assert live[0].status == "error" and "offline" in live[0].message

    skipped = jobright.SOURCE.run_fetch(FetchContext(project, options={"live": False}))
    assert [s.group for s in skipped] == [f.name for f in jobright.SOURCE.files]
