"""The GitHub job-list sources: raw-format parsers, the sightings union, and the real mirror counts.

Raw dated versions under each dataset's `monthly/` folder are parsed with marketlib's own parsers and matched
to the mirror's union files (built upstream from every daily version).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from marketlib import schemas
from marketlib.snapshots import latest_by_name, write_snapshot
from marketlib.sources import _joblists as jl
from marketlib.sources import ailabs, jobright, registry, simplify, speedyapply, zapply
from tests.conftest import MIRROR, need

UTC = dt.UTC
MODULES = {"speedyapply": speedyapply, "jobright": jobright, "zapply": zapply, "simplify": simplify,
           "ai_labs": ailabs}


def union_csvs(folder: str) -> pl.DataFrame:
    files = sorted(need(MIRROR / folder).glob("*.csv"))
    return pl.concat([pl.read_csv(f, infer_schema=False) for f in files], how="diagonal")


@pytest.fixture(scope="module")
def parsed(tmp_path_factory) -> dict[str, dict[str, pl.DataFrame]]:
    """Every list parsed from its pinned mirror files (snapshots in a temporary raw dir)."""
    need(MIRROR)
    raw_dir = tmp_path_factory.mktemp("raw")
    out = {}
    for name, module in MODULES.items():
        for file in module.SOURCE.files:
            write_snapshot(name, file.name, from_path=need(MIRROR / file.mirror_path), url=file.url,
                           raw_dir=raw_dir)
        out[name] = module.SOURCE.parse(latest_by_name(name, raw_dir))
    return out


# ------------------------------------------------------------------------------------------ raw formats

def test_markdown_tables_reads_html_cells_sections_and_broken_pipes():
    text = "\n".join([
        "### FAANG+", "",
        "| Company | Position | Posting | Age |", "|---|---|---|---|",
        '| <a href="https://a.com"><strong>A &amp; B</strong></a> | ML Intern | '
        '<a href="https://jobs.a.com/1?x=1&amp;y=2"><img src="i.png" alt="Apply"/></a> | 3d |',
        '| <strong>Hewlett Packard Enterprise | HPE</strong> | AI Intern | <a href="https://hpe.com/2">x</a> | 0d |',
        "", "### Other", "",
        "| Company | Position | Posting | Age |", "| --- | --- | --- | --- |",
        "| **[ISS | Institutional](https://iss.com)** | **[Analyst [2 roles]](https://j.ai/jobs/info/1)** | - | 1d |",
    ])
    cells = jl.markdown_tables(text)
    assert cells.height == 3
    assert cells.get_column("section").to_list() == ["FAANG+", "FAANG+", "Other"]
    out = cells.select(jl.cell_text(pl.col("company")).alias("company"),
                       jl.cell_text(pl.col("position")).alias("position"),
                       jl.cell_href(pl.col("posting")).alias("link"))
    assert out.get_column("company").to_list() == ["A & B", "Hewlett Packard Enterprise | HPE",
                                                   "ISS | Institutional"]
    assert out.get_column("position").to_list()[2] == "Analyst [2 roles]"
    assert out.get_column("link").to_list()[:2] == ["https://jobs.a.com/1?x=1&y=2", "https://hpe.com/2"]


def test_parse_timestamp_handles_offsets_z_and_naive():
    frame = pl.DataFrame({"t": ["2024-09-10T20:00:49-05:00", "2026-04-22T07:02:41.779Z",
                                "2025-08-21T05:58:18.837561", "2024-07-19", "Recently", None]})
    got = frame.select(jl.parse_timestamp(pl.col("t"))).to_series().to_list()
    assert got[0] == dt.datetime(2024, 9, 11, 1, 0, 49, tzinfo=UTC)
    assert got[1] == dt.datetime(2026, 4, 22, 7, 2, 41, 779000, tzinfo=UTC)
    assert got[2] == dt.datetime(2025, 8, 21, 5, 58, 18, 837561, tzinfo=UTC)
    assert got[3] == dt.datetime(2024, 7, 19, tzinfo=UTC)
    assert got[4:] == [None, None]


def test_speedyapply_salary_and_age():
    text = "\n".join([
        "### Other", "| Company | Position | Location | Salary | Posting | Age |", "|---|---|---|---|---|---|",
        '| <a href="https://m.com"><strong>Meta</strong></a> | RS Intern | Menlo Park, CA | $50/hr | '
        '<a href="https://m.com/j/1"><img/></a> | 6d |',
        '| <a href="https://n.com"><strong>NVIDIA</strong></a> | RS | US, CA, Santa Clara | $172k/yr | '
        '<a href="https://n.com/j/2"><img/></a> | 54d |',
    ])
    rows = speedyapply.parse_markdown(text)
    assert rows.get_column("age_days").to_list() == [6, 54]
    assert rows.get_column("section").to_list() == ["other", "other"]
    salary = speedyapply._salary(rows)
    assert salary.get_column("salary_min").to_list() == [50.0, 172000.0]
    assert salary.get_column("salary_period").to_list() == ["hour", "year"]


def test_jobright_arrow_rows_take_the_company_above_and_dates_get_a_year():
    text = "\n".join([
        "| Company | Job Title | Location | Work Model | Date Posted |",
        "| ----- | --------- |  --------- | ---- | ------- |",
        "| **[CBP](http://cbp.gov)** | **[Analyst](https://jobright.ai/jobs/info/66fa38352f5ec14a2a364cdf?u=1)** "
        "| Los Angeles, CA | On Site | Dec 31 |",
        "| ↳ | **[Analyst](https://jobright.ai/jobs/info/66fa3abd2fb13f233369d721?u=1)** | El Paso, TX | Remote "
        "| Jan 01 |",
    ])
    rows = jobright.parse_readme(text)
    assert rows.get_column("company").to_list() == ["CBP", "CBP"]
    assert rows.get_column("jobright_id").to_list() == ["66fa38352f5ec14a2a364cdf", "66fa3abd2fb13f233369d721"]
    seen = pl.lit(dt.datetime(2025, 1, 1, 3, tzinfo=UTC))
    dates = rows.select(jobright.month_day_date(pl.col("date_posted_md"), seen)).to_series().to_list()
    assert dates == [dt.date(2024, 12, 31), dt.date(2025, 1, 1)]  # "Dec 31" seen on Jan 1 is last year's


def test_zapply_relative_posting_dates():
    frame = pl.DataFrame({"t": ["Posted 11 Days Ago", "3 days ago", "1d", "Posted Today", "5h", "Posted Yesterday",
                                "Posted 30+ Days Ago", "Recently"]})
    seen = pl.lit(dt.datetime(2025, 8, 20, 12, tzinfo=UTC))
    got = frame.select(zapply.relative_posted_date(pl.col("t"), seen)).to_series().to_list()
    day = dt.date(2025, 8, 20)
    assert got == [day - dt.timedelta(11), day - dt.timedelta(3), day - dt.timedelta(1), day, day,
                   day - dt.timedelta(1), None, None]


# ------------------------------------------------------------------------------------------ union logic

def _sighting(key: str, at: dt.datetime, **attrs) -> pl.DataFrame:
    return jl.sightings(pl.DataFrame({"key": [key], "first_seen": [at], "last_seen": [at], **{
        k: [v] for k, v in attrs.items()}}))


def test_union_sightings_spans_first_to_last_and_keeps_latest_known_values():
    d1, d2, d3 = (dt.datetime(2025, 1, day, tzinfo=UTC) for day in (1, 2, 3))
    frames = [_sighting("a", d2, title="ML Eng", description="long text"),
              _sighting("a", d1, title="ML Engineer (old)", description=None),
              _sighting("a", d3, title="ML Engineer", description=None),
              _sighting("b", d2, title="DS", description=None)]
    out = jl.union_sightings(frames).sort("key")
    a = out.row(0, named=True)
    assert (a["first_seen"], a["last_seen"]) == (d1, d3)
    assert a["title"] == "ML Engineer"  # the latest sighting's value
    assert a["description"] == "long text"  # kept although later sightings dropped it
    assert out.height == 2


LIST_DAY_1 = """### Other
| Company | Position | Location | Posting | Age |
|---|---|---|---|---|
| <a href="https://a.com"><strong>Acme</strong></a> | ML Engineer | Austin, TX | <a href="https://a.com/1">x</a> | 2d |
| <a href="https://b.com"><strong>Beta</strong></a> | Data Scientist | Remote | <a href="https://b.com/2">x</a> | 0d |
"""
LIST_DAY_2 = """### Other
| Company | Position | Location | Posting | Age |
|---|---|---|---|---|
| <a href="https://b.com"><strong>Beta</strong></a> | Data Scientist | Remote | <a href="https://b.com/2">x</a> | 1d |
| <a href="https://c.com"><strong>Gamma</strong></a> | AI Intern | Boston, MA | <a href="https://c.com/3">x</a> | 0d |
"""


def test_two_successive_live_fetches_give_first_and_last_seen(tmp_path):
    """Test data written by hand: two days of the same speedyapply list, stored as live snapshots."""
    day1 = dt.datetime(2026, 7, 3, 12, tzinfo=UTC)
    day2 = dt.datetime(2026, 7, 4, 12, tzinfo=UTC)
    for day, text in ((day1, LIST_DAY_1), (day2, LIST_DAY_2)):
        write_snapshot("speedyapply", "live_README.md", data=text.encode(), fetched_at=day, raw_dir=tmp_path)
    out = speedyapply.parse(latest_by_name("speedyapply", tmp_path))
    rows = {r["url"]: r for r in out["postings"].iter_rows(named=True)}
    assert set(rows) == {"https://a.com/1", "https://b.com/2", "https://c.com/3"}
    assert (rows["https://a.com/1"]["first_seen_at"], rows["https://a.com/1"]["last_seen_at"]) == (day1, day1)
    assert (rows["https://b.com/2"]["first_seen_at"], rows["https://b.com/2"]["last_seen_at"]) == (day1, day2)
    assert (rows["https://c.com/3"]["first_seen_at"], rows["https://c.com/3"]["last_seen_at"]) == (day2, day2)
    assert rows["https://a.com/1"]["posted_date"] == dt.date(2026, 7, 1)  # fetch day minus "2d"
    assert rows["https://c.com/3"]["employment_type"] == "internship"  # README.md is the internship list
    assert rows["https://b.com/2"]["snapshot_id"].startswith("speedyapply/2026-07-04/")


def test_live_rows_without_a_key_are_counted_as_drops(tmp_path):
    """Hand-written live snapshots: a speedyapply row without a posting link and a simplify listing without
    an id are dropped and counted (they used to be dropped before the count, so it read 0)."""
    at = dt.datetime(2026, 7, 3, 12, tzinfo=UTC)
    no_link = LIST_DAY_2 + "| <strong>Delta</strong> | ML Intern | Austin, TX | | 2d |\n"
    write_snapshot("speedyapply", "live_README.md", data=no_link.encode(), fetched_at=at, raw_dir=tmp_path)
    out = speedyapply.parse(latest_by_name("speedyapply", tmp_path))
    assert out["postings"].height == 2
    assert {d.reason: d.rows for d in out.drops}["no posting link"] == 1
    listings = b'[{"id": "a1", "company_name": "A", "title": "ML Engineer", "locations": ["NYC"]},' \
               b' {"company_name": "B", "title": "Data Scientist", "locations": ["SF"]}]'
    write_snapshot("simplify", "live_newgrad_listings.json", data=listings, fetched_at=at, raw_dir=tmp_path)
    out = simplify.parse(latest_by_name("simplify", tmp_path))
    assert out["postings"]["source_posting_id"].to_list() == ["a1"]
    assert {d.reason: d.rows for d in out.drops}["no listing id"] == 1


# ------------------------------------------------------------------------------------------ raw vs union

def _match_report(raw: pl.DataFrame, union: pl.DataFrame, key: str, fields: list[str], label: str):
    key_missing = raw.filter(pl.col(key).is_not_null()).join(union.select(key).unique(), on=key, how="anti")
    text_missing = raw.join(union.select(fields).unique(), on=fields, how="anti", nulls_equal=True)
    if key_missing.height:
        print(f"{label}: rows the union lacks:\n{key_missing.select(fields + [key])}")
    return 1 - key_missing.height / raw.height, 1 - text_missing.height / raw.height


def test_speedyapply_monthly_versions_match_the_union():
    folder = need(MIRROR / "speedyapply_ai_college_jobs")
    raw = pl.concat([speedyapply.parse_markdown(f.read_text("utf-8"))
                     for f in sorted((folder / "monthly").glob("*.md"))])
    union = union_csvs("speedyapply_ai_college_jobs")
    assert raw.height == 9736  # the PROVENANCE row counts of the 48 files, less their 3 header rows each
    key_rate, text_rate = _match_report(raw, union, "posting_url", ["company", "position", "location"],
                                        "speedyapply")
    # The union's own parser lost the 3 rows whose company cell holds a raw '|' (HPE); ours reads them.
    assert raw.height * (1 - key_rate) == pytest.approx(3)
    assert text_rate > 0.96  # the rest: titles/locations edited upstream after the union kept another version


def test_jobright_monthly_versions_match_the_union():
    folder = need(MIRROR / "jobright_data_analysis_newgrad")
    raw = pl.concat([jobright.parse_readme(f.read_text("utf-8")) for f in sorted((folder / "monthly").glob("*.md"))])
    union = jobright._repair_union(union_csvs("jobright_data_analysis_newgrad"))
    assert raw.get_column("jobright_id").null_count() == 0
    key_rate, text_rate = _match_report(raw, union, "jobright_id", ["company", "title", "location"], "jobright")
    assert raw.height == 3236
    assert round(raw.height * (1 - key_rate)) == 10  # company names with a raw '|' the union could not read
    assert text_rate > 0.97


def test_zapply_monthly_versions_match_the_union():
    folder = need(MIRROR / "zapply_newgrad_datascience")
    raw = pl.concat([zapply.parse_json(f.read_bytes()) for f in sorted((folder / "monthly").glob("*.json"))])
    union = union_csvs("zapply_newgrad_datascience")
    assert raw.height == 71 + 235 + 402 + 880 + 621
    key_rate, text_rate = _match_report(raw, union, "key", ["employer_name", "job_title"], "zapply")
    assert key_rate == 1.0
    assert text_rate > 0.94


def test_simplify_monthly_versions_match_the_union():
    newgrad = need(MIRROR / "simplify_newgrad_2023_2024")
    raw = pl.concat([simplify.parse_listings(f.read_bytes()) for f in sorted((newgrad / "monthly").glob("*.json"))])
    assert raw.height == 9693
    key_rate, text_rate = _match_report(raw, union_csvs("simplify_newgrad_2023_2024"), "id",
                                        ["company_name", "title", "locations"], "simplify newgrad")
    assert key_rate == 1.0 and text_rate > 0.97
    interns = simplify.parse_listings(need(MIRROR / "simplify_internships_2023_2024" /
                                           "listings_2024-10-24.json").read_bytes())
    assert interns.height == 6000
    key_rate, text_rate = _match_report(interns, union_csvs("simplify_internships_2023_2024"), "id",
                                        ["company_name", "title", "locations"], "simplify internships")
    assert key_rate == 1.0 and text_rate > 0.99


def test_ailabs_tracker_files_match_the_union():
    folder = need(MIRROR / "ai_labs_ats_tracker")
    union = pl.read_csv(folder / "ai_labs_jobs_union_2025-08_2026-08.csv", infer_schema=False)
    # The union keeps each job's latest record: the HEAD registry matches it exactly, older cumulative
    # snapshots less so (titles renamed later on the boards).
    for name, rows, min_text_rate in (("registry_current_jobs_2026-08-22.csv", 1325, 1.0),
                                      ("snapshot_cumulative_2025-10-01.csv", 1076, 0.75),
                                      ("snapshot_cumulative_2026-04-01.csv", 3527, 0.9)):
        raw = ailabs.parse_tracker_csv((folder / name).read_bytes())
        raw = raw.filter(pl.col("job_id").str.contains(ailabs.REAL_ID))
        assert rows - 4 <= raw.height <= rows
        key_rate, text_rate = _match_report(raw, union, "job_id", ["company", "title", "location"], name)
        assert key_rate == 1.0 and text_rate >= min_text_rate
        # raw_data gives the publication date; where the union (latest record) has one too they mostly agree.
        both = raw.join(union, on="job_id", suffix="_u").filter(
            pl.col("published").is_not_null() & pl.col("published_u").is_not_null())
        assert both.height > raw.height * 0.5
        assert (both.get_column("published") == both.get_column("published_u")).mean() > 0.9


# ------------------------------------------------------------------------------------------ real counts

def test_real_counts_and_date_ranges(parsed):
    speedy = parsed["speedyapply"]["postings"]
    assert speedy.height == 17749
    first_lists = dict(speedy.group_by("list_name").len().iter_rows())
    assert first_lists == {"intern_usa": 5639, "intern_intl": 4456, "newgrad_intl": 4273, "newgrad_usa": 3381}
    assert speedy.get_column("first_seen_at").min() == dt.datetime(2024, 9, 11, 1, 0, 49, tzinfo=UTC)
    assert speedy.get_column("last_seen_at").max() == dt.datetime(2026, 7, 2, 14, 14, 41, tzinfo=UTC)
    assert speedy.get_column("employment_type").eq("internship").sum() == 5639 + 4456
    assert speedy.get_column("salary_min").is_not_null().sum() == 833 + 322

    jr = parsed["jobright"]["postings"]
    assert jr.height == 44475  # 44,477 union rows: 47 unparsed ids recovered from links, 2 ids in two files
    assert jr.get_column("first_seen_at").min().date() == dt.date(2024, 8, 26)
    assert jr.get_column("last_seen_at").max().date() == dt.date(2026, 8, 22)
    assert jr.get_column("is_remote_hint").sum() == pytest.approx(8666, abs=5)

    zp = parsed["zapply"]
    assert zp["postings"].height == 12413 - 6
    assert zp.drop_counts() == {"no title": 6}
    assert zp["postings"].get_column("description").is_not_null().sum() == 3213 - 6  # the untitled 6 had texts
    assert zp["postings"].get_column("salary_min").is_not_null().sum() == 49

    sp = parsed["simplify"]["postings"]
    assert dict(sp.group_by("list_name").len().iter_rows()) == {"newgrad": 2499, "internships": 6012}
    newgrad = sp.filter(pl.col("list_name") == "newgrad").get_column("posted_date")
    assert (newgrad.min(), newgrad.max()) == (dt.date(2023, 7, 19), dt.date(2024, 10, 24))

    labs = parsed["ai_labs"]["postings"]
    assert labs.height == 4490  # 4,491 union rows less the seed row deepmind_greenhouse_999
    by_company = dict(labs.group_by("company").len().iter_rows())
    assert (by_company["OpenAI"], by_company["Anthropic"], by_company["Scale AI"]) == (1758, 1547, 494)


def test_every_list_yields_the_raw_posting_schema(parsed):
    for name, out in parsed.items():
        postings = out["postings"]
        assert list(postings.columns[:len(schemas.RAW_POSTING_COLUMNS)]) == list(schemas.RAW_POSTING_COLUMNS)
        assert postings.get_column("source").unique().to_list() == [name]
        assert postings.get_column("title").null_count() == 0
        assert postings.get_column("posted_date").null_count() == 0
        assert postings.get_column("source_posting_id").is_duplicated().sum() == 0 or name == "simplify"
        assert (postings.get_column("first_seen_at") <= postings.get_column("last_seen_at")).all()
        assert all(d.source == name and d.rows > 0 for d in out.drops)


def test_sources_are_registered_with_license_and_pinned_files():
    sources = registry()
    for name, module in MODULES.items():
        source = sources[name]
        assert source is module.SOURCE and source.kind == "download" and source.tables == ("postings",)
        assert source.license and all(f.sha256 and len(f.sha256) == 64 for f in source.files)


def test_zapply_remote_flag_counts_only_where_the_place_names_no_city():
    """The list flags many on-site jobs remote: a flag next to a city is left to the text to confirm."""
    cols = ["key", "employer_name", "job_title", "job_city", "job_state", "job_country", "job_location",
            "job_is_remote", "job_employment_type", "job_posted_at_datetime_utc", "job_posted_at_raw", "salary",
            "job_apply_link"]
    frame = pl.DataFrame([
        ["a", "Acme", "Data Scientist", "Austin", "TX", "US", None, "true", None, None, None, None, None],
        ["b", "Acme", "Data Scientist", None, None, "US", None, "true", None, None, None, None, None],
        ["c", "Acme", "Data Scientist", None, None, "US", None, "false", None, None, None, None, None],
    ], schema={c: pl.String for c in cols}, orient="row").with_columns(
        pl.lit(dt.datetime(2026, 1, 5, tzinfo=dt.UTC)).alias("first_seen"))
    assert zapply._to_list_frame(frame)["is_remote_hint"].to_list() == [None, True, False]
