"""StatCan + Brookfield: the pinned files through the mirror -> estimated professionals of Canadian metros."""

from __future__ import annotations

import polars as pl
import pytest

from marketlib import schemas
from marketlib.snapshots import latest_by_name
from marketlib.sources import FetchContext, fetch_upstream_files, oews, statcan
from tests.conftest import MIRROR, need


@pytest.fixture
def estimates(project) -> pl.DataFrame:
    need(MIRROR / "statcan_census_2021_noc" / "PROVENANCE.md")
    statuses = fetch_upstream_files(statcan.SOURCE, FetchContext(project))
    assert [s.status for s in statuses] == ["ok"] * 5, [s.message for s in statuses]
    out = statcan.SOURCE.parse(latest_by_name(statcan.SOURCE.name, project.raw_dir))
    return schemas.validate("professionals", out["professionals"])


def test_toronto_data_scientists_are_an_estimate_of_about_5030(estimates):
    toronto = estimates.filter(pl.col("area_name") == "Toronto, ON").sort("soc_code")
    # Ontario 2021: 8,765 data scientists; Toronto held 237,885 of Ontario's CMA + CA tech workers in 2016
    assert toronto.filter(pl.col("soc_code") == "15-2051")["employment"].item() == 5_030
    assert toronto["is_estimate"].all() and (toronto["employment_rse_pct"] == statcan.APPORTIONING_RSE_PCT).all()
    assert set(toronto["area_type"]) == {"cma"}


def test_the_six_named_canadian_metros_have_estimates(estimates):
    names = set(estimates["area_name"])
    for metro in ("Toronto, ON", "Montréal, QC", "Vancouver, BC", "Ottawa–Gatineau, ON", "Calgary, AB",
                  "Kitchener–Cambridge–Waterloo, ON"):
        assert metro in names, metro


def test_oews_rows_carry_the_published_employment_rse(project):
    need(MIRROR / "bls_oews_2025" / "oews-2025.sqlite.gz")
    fetch_upstream_files(oews.SOURCE, FetchContext(project))
    rows = oews.SOURCE.parse(latest_by_name(oews.SOURCE.name, project.raw_dir))["professionals"]
    sf = rows.filter((pl.col("metro_code") == "41860") & (pl.col("soc_code") == "15-2051")).row(0, named=True)
    assert sf["employment_rse_pct"] is not None and 0 < sf["employment_rse_pct"] < 50
    assert sf["is_estimate"] is False
