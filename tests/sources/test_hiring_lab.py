"""Indeed Hiring Lab: every file layout of the mirror into one postings_index table; recorded fixtures."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from marketlib import schemas
from marketlib.snapshots import latest_by_name, write_snapshot
from marketlib.sources import Drop, FetchContext, fetch_upstream_files, hiring_lab
from tests.conftest import FIXTURES, MIRROR, need

FOLDER = MIRROR / "indeed_hiring_lab"
FIXTURE_FOLDER = FIXTURES / "indeed_hiring_lab"


@pytest.fixture
def parsed(project) -> dict[str, pl.DataFrame]:
    need(FOLDER)
    statuses = fetch_upstream_files(hiring_lab.SOURCE, FetchContext(project))
    assert len(statuses) == 18 and {s.status for s in statuses} == {"ok"}, [s.message for s in statuses]
    return hiring_lab.SOURCE.parse(latest_by_name(hiring_lab.SOURCE.name, project.raw_dir))


def _value(index: pl.DataFrame, **where) -> float:
    return index.filter(*[pl.col(k) == v for k, v in where.items()]).get_column("value").item()


def test_every_series_file_becomes_rows(parsed):
    index = schemas.validate("postings_index", parsed["postings_index"])
    # Rows per PROVENANCE.md: 11 aggregates x 4,774 x (SA + NSA), sectors 78,246 + 68,523, CA metros
    # 107,415, the 2022 US metros 82,404, states 121,737, GB cities 138,446.
    assert index.height == 11 * 4774 * 2 + 78_246 + 68_523 + 107_415 + 82_404 + 121_737 + 138_446
    by_type = dict(index.group_by("geography_type").agg(pl.col("geography").n_unique()).iter_rows())
    assert by_type == {"country": 11, "sector": 2, "metro": 45 + 108, "state": 51, "city": 58}
    assert parsed.drops == [Drop("hiring_lab", "sector-job-title-examples.csv: not a postings series "
                                      "(e.g. the sector job-title examples)", 47)]
    assert index.get_column("value").null_count() == 0


def test_real_figures_from_the_provenance(parsed):
    index = parsed["postings_index"]
    sectors = index.filter(pl.col("geography_type") == "sector", pl.col("geography") == "US")
    software = [round(_value(sectors, series="Software Development", date=dt.date(y, m, 1)))
                for y, m in [(2022, 2), (2023, 2), (2024, 2), (2024, 8)]]
    maths = [round(_value(sectors, series="Mathematics", date=dt.date(y, m, 1)))
             for y, m in [(2022, 2), (2023, 2), (2024, 2), (2024, 8)]]
    assert software == [224, 123, 73, 68] and maths == [185, 119, 79, 75]
    us_new_sa = index.filter(pl.col("geography") == "US", pl.col("geography_type") == "country",
                             pl.col("series") == "new_postings", pl.col("is_seasonally_adjusted"))
    last = us_new_sa.sort("date").row(-1, named=True)
    assert last["date"] == dt.date(2026, 8, 14) and 90 < last["value"] < 100
    assert last["variable"] == "indeed_job_postings_index_SA"
    toronto = index.filter(pl.col("geography") == "Toronto, ON")
    assert toronto.get_column("geography_type").unique().to_list() == ["metro"]
    assert _value(toronto, date=dt.date(2020, 2, 1)) == 100
    akron = index.filter(pl.col("geography") == "Akron, OH")
    assert akron.get_column("variable").unique().to_list() == ["pct_chng_feb_1"]
    assert _value(akron, date=dt.date(2020, 2, 1)) == 0
    states = index.filter(pl.col("geography_type") == "state").get_column("geography")
    assert states.str.len_chars().max() == 2 and "CA" in states.to_list()
    nsa = index.filter(~pl.col("is_seasonally_adjusted"))
    assert nsa.get_column("variable").unique().to_list() == ["indeed_job_postings_index_NSA"]


def test_recorded_fixtures_including_the_gb_regions_layout(tmp_path):
    need(FIXTURE_FOLDER)
    snaps = {}
    for name in ("regional_gb.head1000.csv", "metro_job_postings_us.2022-03-09.head1000.csv",
                 "job_postings_by_sector_US.2024-10-03.head2000.csv"):
        snap = write_snapshot("hiring_lab", name, data=(FIXTURE_FOLDER / name).read_bytes(), raw_dir=tmp_path)
        snaps[name] = snap
    index = hiring_lab.parse(snaps)["postings_index"]
    assert index.height == 1000 + 1000 + 2000
    regions = index.filter(pl.col("geography_type") == "region")
    assert regions.height == 1000
    assert _value(regions, geography="East Midlands", date=dt.date(2020, 2, 1)) == 100
    sectors = index.filter(pl.col("geography_type") == "sector")
    assert sectors.get_column("series").head(1).item() == "Accounting"


def test_unknown_layouts_and_bad_dates_are_reported(tmp_path):
    # Generated rows in the state layout, one with a broken date, and a file of another layout.
    good = write_snapshot("hiring_lab", "state_job_postings_us.csv",
                          data=b"date,state,indeed_job_postings_index\n2020-02-01,ca,100\n2020-13-01,ca,99\n",
                          raw_dir=tmp_path)
    other = write_snapshot("hiring_lab", "readme.csv", data=b"a,b\n1,2\n", raw_dir=tmp_path)
    out = hiring_lab.parse({good.original_name: good, other.original_name: other})
    assert out["postings_index"].rows() == [(dt.date(2020, 2, 1), "CA", "state", "total",
                                             "indeed_job_postings_index", 100.0, True, "hiring_lab",
                                             good.snapshot_id)]
    assert out.drop_counts() == {
        "state_job_postings_us.csv: rows without a valid date": 1,
        "readme.csv: not a postings series (e.g. the sector job-title examples)": 1,
    }


def test_license_and_citation_are_registered():
    assert hiring_lab.SOURCE.license.startswith("CC BY 4.0")
    assert hiring_lab.SOURCE.citation == "Indeed Hiring Lab, job_postings_tracker"
