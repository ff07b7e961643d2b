"""Greenhouse, Lever and Ashby: parsers on the recorded real responses, fetch against a loopback server."""

from __future__ import annotations

import copy
import datetime as dt
import json

import polars as pl
import pytest

from marketlib import schemas
from marketlib.errors import UnsafeNameError, UserError
from marketlib.http import PoliteSession
from marketlib.snapshots import latest_by_name, write_snapshot
from marketlib.sources import FetchContext, _ats, ashby, greenhouse, lever, registry
from tests.conftest import FIXTURES, need
from tests.loopback import SleepRecorder, allow_robots, data_files, loopback_settings, requests_to, serve_file

GREENHOUSE = FIXTURES / "greenhouse" / "vercel_jobs_content_true.trimmed.json"
LEVER = FIXTURES / "lever" / "spotify_postings.trimmed.json"
ASHBY = FIXTURES / "ashby" / "linear_job_board.trimmed.json"


def _store(source, name, data, raw_dir, **extra):
    return write_snapshot(source, name, data=data, raw_dir=raw_dir, url=f"https://example.test/{name}",
                          params=extra.pop("params", {}), extra=extra)


def _ctx(settings, options, *, sleeper=None):
    ctx = FetchContext(settings, options=options)
    ctx._session = PoliteSession(settings, cache=False, sleep=sleeper or SleepRecorder())
    return ctx


# ------------------------------------------------------------------------------------------ parsers


def test_greenhouse_parser_on_recorded_board(project):
    raw = project.raw_dir
    _store("greenhouse", "vercel.json", need(GREENHOUSE).read_bytes(), raw, board="vercel", company="Vercel")
    frame = greenhouse.parse(latest_by_name("greenhouse", raw))["postings"]
    assert frame.schema == pl.Schema(schemas.RAW_POSTING_COLUMNS)
    assert frame["source_posting_id"].to_list() == ["6136160004", "5999792004"]
    assert frame["title"].to_list() == ["Account Executive, Commercial", "Account Executive, Majors"]
    first = frame.row(0, named=True)
    assert first["company"] == "Vercel"
    assert first["location_raw"] == "Hybrid - London | London, England, United Kingdom"
    # content is escaped twice upstream: one unescape gives real HTML, keeping the inner entities' meaning
    assert first["description"].startswith('<div class="content-intro"><h2>About Vercel:</h2>')
    assert "what's next" in first["description"] and "&lt;" not in first["description"]
    assert first["posted_date"] == dt.date(2026, 8, 6)  # first_published, as written (-04:00)
    assert first["url"] == "https://job-boards.greenhouse.io/vercel/jobs/6136160004"
    assert first["source"] == "greenhouse" and first["snapshot_id"].startswith("greenhouse/")
    assert first["fetched_at"] is not None


def test_greenhouse_pay_range_and_double_escaping(tmp_path):
    body = {"jobs": [{
        "id": 1, "title": "ML Engineer", "company_name": "Acme", "location": {"name": "San Francisco, CA"},
        "offices": [], "first_published": "2026-01-02T10:00:00-08:00", "absolute_url": "https://x.test/1",
        "metadata": [{"name": "Employment Type", "value": "Full-time"}],
        # hand-written, in Greenhouse's double-escaped form
        "content": "&lt;p&gt;Ship models&amp;nbsp;fast&lt;/p&gt;&lt;div class=&quot;pay-range&quot;&gt;"
                   "&lt;span&gt;$180,000&lt;/span&gt;&lt;span class=&quot;divider&quot;&gt;&amp;mdash;"
                   "&lt;/span&gt;&lt;span&gt;$240,000 USD&lt;/span&gt;&lt;/div&gt;",
    }]}
    frame = _parse_body(greenhouse, "greenhouse", "acme.json", body, tmp_path)
    row = frame.row(0, named=True)
    assert row["description"].startswith("<p>Ship models&nbsp;fast</p>")
    assert row["salary_text"] == "$180,000 - $240,000 USD"
    assert row["employment_type"] == "full_time"
    assert row["location_raw"] == "San Francisco, CA"


def _parse_body(module, source, name, body, raw_dir, **extra):
    _store(source, name, json.dumps(body).encode(), raw_dir, **extra)
    return module.parse(latest_by_name(source, raw_dir))["postings"]


def test_lever_parser_on_recorded_board(project):
    raw = project.raw_dir
    _store("lever", "spotify.p000.json", need(LEVER).read_bytes(), raw, board="spotify", company="Spotify",
           params={"mode": "json", "skip": "0", "limit": "100"})
    frame = lever.parse(latest_by_name("lever", raw))["postings"]
    assert frame.height == 2
    android, contractor = frame.rows(named=True)
    assert android["source_posting_id"] == "2193db3f-77c5-43b8-b030-8f92c9882bf1"
    assert android["title"] == "Android Engineer - Experience"
    assert android["company"] == "Spotify"
    assert android["location_raw"] == "London, GB | Stockholm"
    assert android["posted_date"] == dt.date(2026, 6, 23)  # createdAt 1782214185805 ms
    assert android["employment_type"] == "full_time"  # "Permanent"
    assert android["is_remote_hint"] is False  # hybrid
    assert "<h3>What You'll Do</h3>" in android["description"]  # lists are part of the body
    assert "equal opportunity employer" in android["description"]  # closing text too
    assert android["url"] == "https://jobs.lever.co/spotify/2193db3f-77c5-43b8-b030-8f92c9882bf1"
    assert contractor["employment_type"] == "contract"  # "Short Term"
    assert contractor["location_raw"] == "Ho Chi Minh, VN"
    assert frame["salary_min"].null_count() == 2  # no salaryRange on these postings


def test_lever_salary_range_and_remote(tmp_path):
    posting = copy.deepcopy(json.loads(need(LEVER).read_text())[0])
    posting["salaryRange"] = {"currency": "EUR", "interval": "per-year-salary", "min": 70000, "max": 90000}
    posting["workplaceType"] = "remote"
    bonus = copy.deepcopy(posting)
    bonus["id"] = "bonus-1"
    bonus["salaryRange"] = {"currency": "USD", "interval": "one-time", "min": 5000, "max": 5000}
    frame = _parse_body(lever, "lever", "spotify.p000.json", [posting, bonus], tmp_path, board="spotify",
                        params={"limit": "100"})
    row, one_time = frame.rows(named=True)
    assert (row["salary_min"], row["salary_max"], row["salary_currency"], row["salary_period"]) == (
        70000.0, 90000.0, "EUR", "year")
    assert row["is_remote_hint"] is True
    assert one_time["salary_min"] is None and one_time["salary_max"] is None  # one-time pay is not a salary


def test_lever_parser_ignores_pages_of_an_older_longer_run(project):
    raw = project.raw_dir
    old = [{"id": f"old-{i}", "text": f"Old {i}", "createdAt": 1782214185805} for i in range(2)]
    _store("lever", "acme.p000.json", json.dumps(old).encode(), raw, board="acme", params={"limit": "2"})
    _store("lever", "acme.p001.json", json.dumps(old[:1]).encode(), raw, board="acme", params={"limit": "2"})
    new = [{"id": "new-0", "text": "New 0", "createdAt": 1782214185805}]
    _store("lever", "acme.p000.json", json.dumps(new).encode(), raw, board="acme", params={"limit": "2"})
    frame = lever.parse(latest_by_name("lever", raw))["postings"]
    assert frame["source_posting_id"].to_list() == ["new-0"]


def test_ashby_parser_on_recorded_board(project):
    raw = project.raw_dir
    _store("ashby", "linear.json", need(ASHBY).read_bytes(), raw, board="linear", company="Linear")
    frame = ashby.parse(latest_by_name("ashby", raw))["postings"]
    assert frame["source_posting_id"].to_list() == ["d3bc1ced-3ce4-4086-a050-555055dbb1ff",
                                                    "cd5ae036-0223-427a-b038-ba16ef9dcb32"]
    assert frame["title"].unique().to_list() == ["Senior / Staff Fullstack Engineer"]
    assert frame["location_raw"].to_list() == ["Europe", "North America"]
    assert frame["is_remote_hint"].to_list() == [True, True]
    assert frame["employment_type"].to_list() == ["full_time", "full_time"]
    assert frame["posted_date"].to_list() == [dt.date(2021, 4, 27), dt.date(2021, 8, 18)]
    assert frame["salary_min"].null_count() == 2  # this board publishes no pay
    assert frame["company"].to_list() == ["Linear", "Linear"]
    assert frame["description"][0].startswith("<p style=")


def test_ashby_compensation_tiers_and_unlisted(project):
    # The recorded board, modified here: pay tiers on job 0 (shape as documented by Ashby), job 1 unlisted.
    body = json.loads(need(ASHBY).read_text())
    tiers = [
        {"title": "Zone A", "tierSummary": "$180K – $220K", "components": [
            {"compensationType": "Salary", "interval": "1 YEAR", "currencyCode": "USD",
             "minValue": 180000, "maxValue": 220000},
            {"compensationType": "EquityPercentage", "interval": "NONE", "currencyCode": None,
             "minValue": 0.01, "maxValue": 0.05}]},
        {"title": "Zone B", "tierSummary": "$160K – $200K", "components": [
            {"compensationType": "Salary", "interval": "1 YEAR", "currencyCode": "USD",
             "minValue": 160000, "maxValue": 200000}]},
    ]
    body["jobs"][0]["compensation"].update(compensationTiers=tiers,
                                           compensationTierSummary="$160K – $220K • Offers Equity")
    body["jobs"][1]["isListed"] = False
    frame = _parse_body(ashby, "ashby", "linear.json", body, project.raw_dir, board="linear")
    assert frame.height == 1
    row = frame.row(0, named=True)
    assert row["source_posting_id"] == "d3bc1ced-3ce4-4086-a050-555055dbb1ff"
    assert (row["salary_min"], row["salary_max"], row["salary_currency"], row["salary_period"]) == (
        160000.0, 220000.0, "USD", "year")
    assert row["salary_text"] == "$160K – $220K • Offers Equity"


def test_ashby_summary_components_preferred():
    comp = {"summaryComponents": [{"compensationType": "Salary", "interval": "1 HOUR", "currencyCode": "GBP",
                                   "minValue": 40, "maxValue": 55}],
            "compensationTiers": [{"components": [{"compensationType": "Salary", "interval": "1 YEAR",
                                                   "currencyCode": "USD", "minValue": 1, "maxValue": 2}]}]}
    assert ashby._salary(comp) == {"salary_min": 40.0, "salary_max": 55.0, "salary_currency": "GBP",
                                   "interval": "1 HOUR"}
    assert ashby._salary({"compensationTiers": []}) == {}


# ------------------------------------------------------------------------------------------ board list


def test_curated_board_list():
    boards = _ats.load_boards()
    assert len(boards) >= 30
    assert {b.ats for b in boards} == set(_ats.ATS_NAMES)
    tokens = {(b.ats, b.token) for b in boards}
    assert {("greenhouse", "anthropic"), ("ashby", "openai"), ("lever", "spotify")} <= tokens
    assert len(tokens) == len(boards)


def test_board_list_rejects_unsafe_tokens_and_unknown_ats(tmp_path):
    bad = tmp_path / "boards.csv"
    bad.write_text("company,ats,board_token,note\nEvil,greenhouse,../../etc,x\n")
    with pytest.raises(UnsafeNameError):
        _ats.load_boards(bad)
    bad.write_text("company,ats,board_token,note\nX,workday,x,x\n")
    with pytest.raises(UserError, match="workday"):
        _ats.load_boards(bad)
    with pytest.raises(UnsafeNameError):
        _ats.boards_for("lever", {"boards": ["a/b"]})


def test_sources_are_registered_with_metadata():
    sources = registry()
    for name in ("greenhouse", "lever", "ashby"):
        source = sources[name]
        assert source.kind == "scrape" and source.tables == ("postings",)
        assert "employers' own content" in source.license and source.in_fetch_all


# ------------------------------------------------------------------------------------------ fetch


def test_greenhouse_fetch_stores_board_and_parses(project, httpserver):
    allow_robots(httpserver)
    serve_file(httpserver, "/v1/boards/vercel/jobs", need(GREENHOUSE), query_string="content=true")
    httpserver.expect_request("/v1/boards/nosuchboard/jobs").respond_with_data("not found", status=404)
    settings = loopback_settings(project)
    ctx = _ctx(settings, {"base_url": httpserver.url_for("/"), "boards": ["nosuchboard", "vercel"]})
    missing, vercel = greenhouse.fetch(ctx)
    assert (missing.status, missing.http_status, missing.requests) == ("error", 404, 2)  # robots + board
    assert (vercel.status, vercel.items, vercel.requests, vercel.http_status) == ("ok", 2, 1, 200)
    assert vercel.group == "vercel" and vercel.message == "2 posting(s) in 1 page(s)"
    assert [p.name for p in data_files(settings.raw_dir, "greenhouse")] == ["vercel.json"]
    snaps = latest_by_name("greenhouse", settings.raw_dir)
    meta = snaps["vercel.json"].meta
    assert meta["params"] == {"content": "true"} and meta["http_status"] == 200
    assert meta["company"] == "Vercel" and "employers' own content" in meta["license"]
    assert greenhouse.parse(snaps)["postings"].height == 2


def test_lever_fetch_pages_with_skip_and_limit(project, httpserver):
    allow_robots(httpserver)
    first = need(LEVER).read_bytes()
    extra = json.loads(first)[:1]
    extra[0]["id"] = "third-posting"
    serve_file(httpserver, "/v0/postings/spotify", LEVER, query_string="mode=json&skip=0&limit=2")
    second = httpserver.expect_request("/v0/postings/spotify", query_string="mode=json&skip=2&limit=2")
    second.respond_with_json(extra)
    settings = loopback_settings(project)
    ctx = _ctx(settings, {"base_url": httpserver.url_for(""), "boards": "spotify", "page_limit": 2})
    (status,) = lever.fetch(ctx)
    assert (status.status, status.items, status.requests) == ("ok", 3, 3)  # robots + 2 pages
    assert requests_to(httpserver, "/v0/postings/spotify") == 2
    stored = [p.name for p in data_files(settings.raw_dir, "lever")]
    assert stored == ["spotify.p000.json", "spotify.p001.json"]
    frame = lever.parse(latest_by_name("lever", settings.raw_dir))["postings"]
    assert frame["source_posting_id"].to_list()[-1] == "third-posting" and frame.height == 3


def test_ashby_fetch_counts_listed_jobs(project, httpserver):
    allow_robots(httpserver)
    body = json.loads(need(ASHBY).read_text())
    body["jobs"][1]["isListed"] = False
    httpserver.expect_request("/posting-api/job-board/linear",
                              query_string="includeCompensation=true").respond_with_json(body)
    settings = loopback_settings(project)
    (status,) = ashby.fetch(_ctx(settings, {"base_url": httpserver.url_for(""), "boards": ["linear"]}))
    assert (status.status, status.items) == ("ok", 1)


def test_empty_board_is_empty_not_error(project, httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/posting-api/job-board/quiet").respond_with_json({"jobs": []})
    settings = loopback_settings(project)
    (status,) = ashby.fetch(_ctx(settings, {"base_url": httpserver.url_for(""), "boards": ["quiet"]}))
    assert (status.status, status.items, status.http_status) == ("empty", 0, 200)


def test_503_burst_then_success_through_a_source(project, httpserver):
    allow_robots(httpserver)
    for _ in range(2):
        httpserver.expect_oneshot_request("/v1/boards/vercel/jobs").respond_with_data("", status=503)
    serve_file(httpserver, "/v1/boards/vercel/jobs", need(GREENHOUSE))
    settings = loopback_settings(project, max_retries=3)
    sleeper = SleepRecorder()
    (status,) = greenhouse.fetch(_ctx(settings, {"base_url": httpserver.url_for(""), "boards": ["vercel"]},
                                      sleeper=sleeper))
    assert (status.status, status.items, status.requests) == ("ok", 2, 4)
    assert len(sleeper.waits) == 2  # two backoffs, no real waiting


@pytest.mark.parametrize("fault", ["truncated", "invalid", "shape", "oversized", "server_error"])
def test_failed_board_leaves_no_snapshot(project, httpserver, fault):
    allow_robots(httpserver)
    path = "/v0/postings/acme"
    good = need(LEVER).read_text()
    if fault == "truncated":
        httpserver.expect_request(path).respond_with_data(good[: len(good) // 2],
                                                          content_type="application/json")
    elif fault == "invalid":
        httpserver.expect_request(path).respond_with_data("<html>down for maintenance</html>")
    elif fault == "shape":
        httpserver.expect_request(path).respond_with_json({"ok": False, "error": "Document not found"})
    elif fault == "oversized":
        httpserver.expect_request(path).respond_with_data(good)
    else:
        httpserver.expect_request(path).respond_with_data("", status=500)
    settings = loopback_settings(project, max_retries=2, max_response_bytes=1000)
    (status,) = lever.fetch(_ctx(settings, {"base_url": httpserver.url_for(""), "boards": ["acme"]}))
    assert status.status == "error" and status.snapshots == []
    assert 1 <= requests_to(httpserver, path) <= 3 and status.requests == requests_to(httpserver, path) + 1
    assert data_files(settings.raw_dir, "lever") == []
    assert status.http_status == (500 if fault == "server_error" else 200)


def test_lever_failure_on_second_page_stores_nothing(project, httpserver):
    allow_robots(httpserver)
    serve_file(httpserver, "/v0/postings/spotify", LEVER, query_string="mode=json&skip=0&limit=2")
    second = httpserver.expect_request("/v0/postings/spotify", query_string="mode=json&skip=2&limit=2")
    second.respond_with_data("", status=404)
    settings = loopback_settings(project)
    (status,) = lever.fetch(_ctx(settings, {"base_url": httpserver.url_for(""), "boards": ["spotify"],
                                            "page_limit": 2}))
    assert (status.status, status.http_status) == ("error", 404)
    assert data_files(settings.raw_dir, "lever") == []


def test_robots_disallow_gives_blocked_status(project, httpserver):
    allow_robots(httpserver, "User-agent: *\nDisallow: /v1/\n")
    serve_file(httpserver, "/v1/boards/vercel/jobs", need(GREENHOUSE))
    settings = loopback_settings(project)
    (status,) = greenhouse.fetch(_ctx(settings, {"base_url": httpserver.url_for(""), "boards": ["vercel"]}))
    assert status.status == "blocked" and "robots.txt" in status.message
    assert status.requests == 1 and requests_to(httpserver, "/v1/boards/vercel/jobs") == 0
    assert data_files(settings.raw_dir, "greenhouse") == []


def test_offline_without_cache_is_an_error_status(project):
    settings = loopback_settings(project, offline=True)
    ctx = FetchContext(settings, options={"boards": ["vercel", "anthropic"]})
    statuses = greenhouse.fetch(ctx)
    assert [s.status for s in statuses] == ["error", "error"]
    assert all(s.message.startswith("offline: ") and s.requests == 0 for s in statuses)
    assert data_files(settings.raw_dir, "greenhouse") == []
