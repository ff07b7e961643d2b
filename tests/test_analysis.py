"""analysis modules on GENERATED small tables (tests/data/tables.py), plus the notebooks' structure."""

from __future__ import annotations

import ast
import datetime as dt

import nbformat
import polars as pl
import pytest

from marketlib.analysis import (
    city_odds,
    claims,
    common,
    domain_demand,
    experience,
    market_trend,
    notebooks,
    salaries,
    skills,
)
from marketlib.errors import UserError
from tests.conftest import REPO
from tests.data.tables import write_tables


@pytest.fixture
def tables(project):
    return write_tables(project.processed_dir)


def _by(frame: pl.DataFrame, key: str) -> dict:
    return {r[key]: r for r in frame.iter_rows(named=True)}


# --- 01 city odds -------------------------------------------------------------------------------------


def test_city_odds_counts_each_posting_once_per_metro(tables):
    params = city_odds.validate_params(role_families=["ml_engineer"], seniority=["intern", "mid"])
    result = city_odds.compute(params)
    assert result.window.as_record() == {"start": "2024-01-01", "end": "2024-12-31", "measure": "open_on_average_day"}
    rows = _by(result.metros, "metro")
    bay = rows["SF Bay Area"]
    # 40 Bay postings open every day of the window (5 list SF and San Jose: counted once); duplicate excluded
    assert bay["openings"] == pytest.approx(40) and bay["postings"] == 40
    # SOC 15-2051 + 15-1221 only: 600 + 400 + 150 (+ one suppressed cell); software developers ignored
    assert bay["professionals"] == 1150 and bay["suppressed_cells"] == 1
    assert bay["success_ratio_pct"] == pytest.approx(100 * 40 / 1150)
    la = rows["Los Angeles-Long Beach-Anaheim, CA"]  # a CBSA, not a group: no group was asked for
    assert (la["openings"], la["professionals"]) == (pytest.approx(12), 600)
    assert la["relative_odds"] == pytest.approx((12 / 600) / (40 / 1150))
    assert la["is_thin"] and "fewer than 30" in la["caveat"]
    toronto = rows["Toronto, ON"]
    assert toronto["is_estimate"] and toronto["professionals"] == 500
    assert toronto["success_ratio_pct"] == pytest.approx(100 * 8 / 500)
    assert "ESTIMATE" in toronto["caveat"]
    assert result.groups["group"].unique().to_list() == ["SF Bay Area"]  # the reference's group, listed


def test_city_odds_default_seniority_leaves_interns_out(tables):
    # the first 40 generated postings are internships (the Bay Area ones): the default is all but intern
    result = city_odds.compute(city_odds.validate_params(role_families=["ml_engineer"]))
    assert "SF Bay Area" not in result.metros["metro"].to_list()
    assert _by(result.metros, "metro")["Los Angeles-Long Beach-Anaheim, CA"]["postings"] == 12
    assert "all but interns" in result.title


def test_city_odds_sensitivity_row_uses_the_alternative_soc_set(tables):
    result = city_odds.compute(city_odds.validate_params(role_families=["ml_engineer"], seniority=["intern"]))
    bay = _by(result.sensitivity, "metro")["SF Bay Area"]
    # the alternative adds software developers (15-1252): 1150 + 50,000
    assert bay["professionals_alternative"] == 51_150
    assert bay["success_ratio_alternative_pct"] == pytest.approx(100 * 40 / 51_150)


def test_city_odds_numerator_statement_names_internships(tables):
    result = city_odds.compute(city_odds.validate_params(role_families=["ml_engineer"], seniority=["intern", "mid"]))
    text = city_odds.numerator_statement(result)
    assert "60 non-duplicate postings counted in the window" in text and "67% are internships" in text
    assert result.seekers["seekers_per_hiring_post"].to_list() == [3.0, 4.0, 4.0]
    assert "2024-01-01 to 2024-12-31" in city_odds.window_statement(result)


def test_city_odds_metros_filter_and_resolution(tables):
    params = city_odds.validate_params(role_families=["ml_engineer"], seniority=["intern", "mid"], metros=["31080"])
    assert len(params.metros) == 1 and "Los Angeles" in params.metros[0]
    assert (
        city_odds.validate_params(role_families=["ml_engineer"], metros=["Los Angeles"]).metros
        == params.metros
    )
    result = city_odds.compute(params)
    assert sorted(result.metros["metro"].to_list()) == sorted([params.metros[0], "SF Bay Area"])
    grouped = city_odds.validate_params(role_families=["ml_engineer"], metro_groups=["Greater Los Angeles"])
    assert "Greater Los Angeles" in grouped.metro_groups


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"role_families": ["ml_wizard"]},
            "Parameter role_families has unknown value(s) 'ml_wizard'; valid "
            "values are: data_analyst, data_engineer",
        ),
        ({"metros": ["Atlantis"]}, "Metro 'Atlantis' is unknown and no metro name is close to it"),
        ({"metros": ["Sna Fran"]}, "Metro 'Sna Fran' is unknown; closest: SF Bay Area"),
        (
            {"date_from": "2024-13-01"},
            "Parameter date_from = '2024-13-01' is not a date; write it as 'YYYY-MM-DD'.",
        ),
        ({"date_from": "2025-01-01", "date_to": "2024-01-01"}, "is after date_to"),
        ({"soc_codes": ["152051"]}, "malformed code(s) 152051"),
        ({"top_n": 0}, "Parameter top_n = 0 must be a whole number between 1 and 200."),
        ({"seniority": ["wizard"]}, "Parameter seniority has unknown value(s) 'wizard'"),
        ({"measure": "per_fortnight"}, "Parameter measure = 'per_fortnight' is not valid"),
        ({"metro_groups": ["Atlantis Area"]}, "Parameter metro_groups has unknown group(s) Atlantis Area"),
    ],
)
def test_city_odds_bad_parameters(tables, kwargs, message):
    with pytest.raises(UserError) as err:
        city_odds.validate_params(**kwargs)
    assert message in str(err.value)
    assert str(err.value).endswith(".")


# --- 00 claims ----------------------------------------------------------------------------------------


def test_verdict_rules():
    inside = claims.Measurement(n=60, value=71.7, low=59.2, high=81.5)
    outside = claims.Measurement(n=60, value=8.3, low=3.6, high=18.1)
    nothing = claims.Measurement(reason="no rows")
    assert claims.verdict("72", "pct", inside)[0] == claims.REPRODUCED
    assert claims.verdict("26.1", "pct", outside)[0] == claims.NOT_REPRODUCED
    assert claims.verdict("72", "pct", nothing) == (claims.NOT_MEASURABLE, "no rows")
    # counts: tolerance max(1, 5%): 82 vs 83 within 4.1; 81 vs 92 outside 4.05
    assert claims.verdict("82", "count", claims.Measurement(n=511, value=83.0))[0] == claims.REPRODUCED
    assert claims.verdict("81", "count", claims.Measurement(n=511, value=92.0))[0] == claims.NOT_REPRODUCED
    assert (
        claims.verdict("2-4", "bucket", claims.Measurement(n=17, value="2-4", agrees=True))[0]
        == claims.REPRODUCED
    )


def test_claims_on_generated_tables(tables):
    table, _data = claims.compute(claims.validate_params())
    rows = _by(table, "figure_id")
    assert rows["evidently_cv"]["verdict"] == claims.REPRODUCED and rows["evidently_cv"]["measured"] == "30"
    assert "edition of 2025-01-15" in rows["evidently_cv"]["basis"]  # nearest to the cited 2024-12
    assert rows["evidently_llm"]["verdict"] == claims.NOT_REPRODUCED  # 92 in the edition vs 81 cited
    assert rows["evidently_recsys_vs_cv"]["verdict"] == claims.REPRODUCED
    assert rows["yoe_none_share"]["verdict"] == claims.REPRODUCED and rows["yoe_none_share"]["n"] == 60
    assert rows["yoe_mode_bucket"]["measured"] == "2-4"
    assert rows["skill_sql"]["verdict"] == claims.NOT_REPRODUCED
    # like for like: 2024, all levels (interns included), the day-average measure
    assert rows["odds_sf_bay_area"]["measured_value"] == pytest.approx(100 * 40 / 1150)
    assert rows["odds_toronto"]["measured_value"] == pytest.approx(100 * 8 / 500)
    assert "ESTIMATED" in rows["odds_toronto"]["basis"]
    assert rows["timeline_large_company"]["verdict"] == claims.NOT_MEASURABLE
    assert "definitions, not market" in rows["odds_los_angeles"]["reason"]
    assert "intern/junior" in rows["odds_los_angeles"]["reason"]
    assert table.height == claims.published_figures().height


def test_claims_without_data_are_not_measurable(project):
    write_tables(project.processed_dir, ["reference"])
    table, _data = claims.compute(claims.validate_params())
    assert set(table["verdict"].to_list()) == {claims.NOT_MEASURABLE}
    assert table["reason"].null_count() == 0


def test_claims_without_the_reference_table_say_how_to_build_it(project):
    with pytest.raises(UserError, match="reference table has no rows; run `marketlib fetch reference`"):
        claims.validate_params()


def test_claims_bad_topic(project):
    write_tables(project.processed_dir, ["reference"])
    with pytest.raises(UserError, match="Parameter topics has unknown value"):
        claims.validate_params(topics=["astrology"])


# --- 02 .. 06 -----------------------------------------------------------------------------------------


def test_domain_demand(tables):
    result = domain_demand.compute(domain_demand.validate_params())
    cv = result.growth.filter((pl.col("domain") == "cv") & pl.col("source").str.contains("evidently")).row(
        0, named=True
    )
    assert (cv["from_count"], cv["to_count"]) == (17, 30)
    assert cv["growth_pct"] == pytest.approx(100 * (30 / 17 - 1))
    ratio = result.recsys_cv.filter(pl.col("edition_date") == dt.date(2025, 1, 15)).row(0, named=True)
    assert ratio["ratio"] == pytest.approx(82 / 30)
    assert result.eren23_categories["category"].to_list() == ["genai", "rec", "cv"]
    shares = _by(result.posting_shares.filter(pl.col("role_family") == "ml_engineer"), "domain")
    assert (shares["cv"]["postings"], shares["cv"]["n"]) == (10, 60)


def test_experience(tables):
    result = experience.compute(experience.validate_params(by="metro"))
    overall = _by(result.summary, "group")["all"]
    assert (overall["n"], overall["no_yoe"], overall["mode_bucket"]) == (60, 43, "2-4")
    assert _by(result.summary, "group")["SF Bay Area"]["n"] == 40
    assert result.distribution["yoe_bucket"].to_list() == ["none", "0-1", "2-4", "5-7", "8+"]
    with pytest.raises(UserError, match="choose one of: domain, metro, role_family, seniority"):
        experience.validate_params(by="company")


def test_skills(tables):
    result = skills.compute(skills.validate_params(role_families=["ml_engineer"]))
    python = _by(result.shares, "skill")["python"]
    assert (python["postings"], python["n"]) == (34, 60)
    # pay = range midpoints 125,000 + 1,000·i for the 21 postings i < 21 stating one -> median i = 10
    assert _by(result.demand_pay, "skill")["python"]["median_pay_usd"] == 135_000


def test_salaries(tables):
    result = salaries.compute(salaries.validate_params())
    en = _by(result.by_level, "experience_level")["EN"]
    # EN: 60,000..69,000 (GB) and 100,000..109,000 (US), twice (two years): median (69,000 + 100,000) / 2
    assert (en["n"], en["median"]) == (40, 84_500)
    assert result.by_level["experience_level"].to_list() == ["EN", "MI", "SE"]
    with pytest.raises(UserError, match="years with records: 2023, 2024"):
        salaries.validate_params(years=[1999])


def test_market_trend(tables):
    result = market_trend.compute(market_trend.validate_params())
    us = _by(result.turning_points, "label")["US (country)"]
    assert us["peak_date"] == dt.date(2022, 3, 1) and us["peak_index"] == pytest.approx(160.0)
    assert us["below_baseline_date"] == dt.date(2023, 7, 1)
    assert "Software Development (sector, US)" in result.turning_points["label"].to_list()
    chart = market_trend.trend_chart(result).to_dict()
    assert "CC BY 4.0" in " ".join(chart["title"]["subtitle"])
    assert max(len(v) for v in chart["datasets"].values()) == result.monthly.height
    with pytest.raises(UserError, match="Parameter countries has unknown value"):
        market_trend.validate_params(countries=["XX"])


def test_sources_and_licenses(tables):
    frame = common.sources_and_licenses({"postings": tables["postings"]})
    assert frame["source"].to_list() == ["generated_ats", "generated_joblist"]
    assert frame["snapshot_dates"].to_list() == ["2025-01-20", "2025-01-20"]


# --- notebooks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(notebooks.NOTEBOOKS))
def test_notebook_structure(name):
    path = REPO / "notebooks" / name
    nb = nbformat.read(path, as_version=4)
    assert nbformat.writes(nb) == nbformat.writes(notebooks.build(name)), "regenerate the notebooks"
    assert nb.metadata["kernelspec"]["name"] == "marketlib"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert tagged == [1]
    for line in nb.cells[1].source.splitlines():
        target, value = line.split("=", 1)
        literal, comment = value.split("  # ", 1)
        ast.literal_eval(literal.strip())  # literals only
        assert target.strip().isidentifier() and comment.strip()
    assert "validate_params(" in nb.cells[2].source
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert "licenses_markdown" in nb.cells[-1].source


def test_market_trend_series_encoding_of_the_hiring_lab_source():
    # hiring_lab rows: sectors carry the sector (and ':new_postings') in `series`;
    # countries carry 'total' or 'new_postings'
    rows = pl.DataFrame(
        {
            "geography": ["US", "US", "US", "US"],
            "geography_type": ["sector", "sector", "country", "country"],
            "series": ["Mathematics", "Mathematics:new_postings", "total", "new_postings"],
        }
    )
    total = market_trend._labelled(rows, "total")
    new = market_trend._labelled(rows, "new")
    assert total.select("kind", "name").rows() == [("sector", "Mathematics"), ("country", "US")]
    assert new.select("kind", "name").rows() == [("sector", "Mathematics"), ("country", "US")]
    assert new["series"].to_list() == ["Mathematics:new_postings", "new_postings"]


# --- employers and computed caveats ---------------------------------------------------------------------


def test_top_employers_merge_spellings_and_flag_aggregators():
    names = ["AI Jobs"] * 3 + ["AiJobs"] * 2 + ["aijobs.com", "JPMorgan Chase & Co.", "JP Morgan Chase",
                                                 "JPMorganChase", "Apple, Inc.", "APPLE", "###", None]
    postings = pl.DataFrame({
        "company": names, "w": [1.0] * len(names), "source": ["zapply"] * 6 + ["jobright"] * 7,
        "metro_codes": [["41860"]] * len(names),
    })
    table = {r["company"]: r for r in city_odds.top_employers(postings).iter_rows(named=True)}
    assert set(table) == {"AI Jobs", "JP Morgan Chase", "APPLE"}  # most common spelling; ties: by name
    ai = table["AI Jobs"]
    assert (ai["postings"], ai["spellings"], ai["openings"], ai["is_aggregator"]) == (6, 3, 6.0, True)
    assert table["JP Morgan Chase"]["postings"] == 3 and not table["JP Morgan Chase"]["is_aggregator"]
    assert table["APPLE"]["spellings"] == 2 and table["AI Jobs"]["sources"] == "zapply"


def test_job_list_caveats_are_computed_from_the_selection():
    lists = pl.DataFrame({"source": ["zapply"] * 3 + ["hackernews"], "yoe_bucket": ["none", "2-4", "none", "none"]})
    note = common.entry_list_caveat(lists)
    assert note == "75% of these postings come from internship and new-grad lists (zapply)."
    assert experience.caveats(lists) == [
        "75% of these postings come from internship and new-grad lists (zapply); 67% of them state no YOE, "
        "against 100% of the other postings."]
    no_lists = lists.with_columns(pl.lit("hackernews").alias("source"))
    assert common.entry_list_caveat(no_lists) is None and experience.caveats(no_lists) == []
    assert experience.caveats(lists.head(0)) == []


def test_caveats_absent_when_the_selection_has_no_list_sources(tables):
    result = city_odds.compute(city_odds.validate_params(role_families=["ml_engineer"], seniority=["intern", "mid"]))
    assert "internship and new-grad lists" not in city_odds.numerator_statement(result)
    assert experience.compute(experience.validate_params()).notes == []
    # the notebooks carry no unconditional job-list caveat: it is computed (result.notes, numerator statement)
    prose = " ".join(c.source for cells in notebooks.NOTEBOOKS.values() for c in cells if c.cell_type == "markdown")
    assert "mostly collect internships" not in prose and "pushes the \"none\" share up" not in prose


def test_market_trend_resolves_metros_like_city_odds(tables):
    assert market_trend.validate_params(metros=["Toronto"]).metros == ["Toronto, ON"]
    assert city_odds.validate_params(metros=["Toronto"]).metros == ["Toronto, ON"]
    with pytest.raises(UserError, match="Metro 'Torono' is unknown; closest: Toronto, ON"):
        market_trend.validate_params(metros=["Torono"])


def test_city_odds_reads_common_metro_names(tables):
    params = city_odds.validate_params(metros=["SF", "LA", "NYC"])
    assert params.metros == ["SF Bay Area", "Los Angeles-Long Beach-Anaheim, CA", "New York-Newark-Jersey City, NY-NJ"]
