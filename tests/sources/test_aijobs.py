"""aijobs.net salaries (CC0): the real 2025-01-19 snapshot through the mirror, and the column mapping."""

from __future__ import annotations

import polars as pl

from marketlib import schemas
from marketlib.clean.salaries import clean_salaries
from marketlib.snapshots import latest_by_name, write_snapshot
from marketlib.sources import FetchContext, aijobs, fetch_upstream_files
from tests.conftest import MIRROR, need

MIRROR_FILE = MIRROR / "aijobs_salaries" / "salaries_2025-01-19.csv"
HEADER = ("work_year,experience_level,employment_type,job_title,salary,salary_currency,salary_in_usd,"
          "employee_residence,remote_ratio,company_location,company_size\n")


def test_real_snapshot_row_counts_and_first_row(project):
    need(MIRROR_FILE)
    statuses = fetch_upstream_files(aijobs.SOURCE, FetchContext(project))
    assert [s.status for s in statuses] == ["ok"], [s.message for s in statuses]
    out = aijobs.SOURCE.parse(latest_by_name(aijobs.SOURCE.name, project.raw_dir))
    assert out.drops == []
    salaries = schemas.validate("salaries", clean_salaries(out["salaries"]))
    assert salaries.height == 74_301
    by_year = dict(salaries.group_by("work_year").len().iter_rows())
    assert by_year == {2020: 75, 2021: 218, 2022: 1_660, 2023: 8_522, 2024: 62_229, 2025: 1_597}
    assert salaries.filter(pl.col("work_year") == 2024, pl.col("company_location") == "US").height == 56_571
    mle = salaries.filter(pl.col("job_title") == "Machine Learning Engineer")
    assert mle.height == 5_841
    assert mle.get_column("role_family").unique().to_list() == ["ml_engineer"]
    first = salaries.row(0, named=True)
    assert (first["work_year"], first["job_title"], first["experience_level"], first["employment_type"],
            first["salary_usd"], first["company_location"], first["company_size"], first["remote_ratio"]) == \
        (2022, "Consultant", "EX", "full_time", 120_000.0, "PL", "S", 0)
    assert set(salaries.get_column("employment_type").unique()) == {"full_time", "part_time", "contract"}


def test_mapping_and_unusable_rows_on_generated_rows(tmp_path):
    body = ("2024,se,FL,Data Scientist,90000,EUR,97000,de,100,DE,m\n"
            "2024,MI,FT,ML Engineer,,USD,,US,0,US,L\n")
    snap = write_snapshot("aijobs", "salaries.csv", data=(HEADER + body).encode(), raw_dir=tmp_path)
    out = aijobs.parse({snap.original_name: snap})
    # The parser keeps the survey's codes; the cleaning step maps title and code.
    assert out["salaries"].rows() == [(2024, "Data Scientist", None, "SE", "FL", 97_000.0,
                                       "DE", "DE", "M", 100, "aijobs", snap.snapshot_id)]
    assert clean_salaries(out["salaries"]).rows() == [(2024, "Data Scientist", "data_scientist", "SE", "contract",
                                                       97_000.0, "DE", "DE", "M", 100, "aijobs", snap.snapshot_id)]
    assert out.drop_counts() == {"salaries.csv: no year, title or USD salary": 1}
