"""clean.salary: text forms, traps, fields, fx table, real Glassdoor/HN/ATS examples, property tests."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marketlib.clean import text as text_clean
from marketlib.clean.salary import add_salary, fx_rate_date, fx_rates, parse_salary_text
from tests.conftest import MIRROR, need

GBP, EUR, CAD, INR = (fx_rates()[c] for c in ("GBP", "EUR", "CAD", "INR"))


def parsed(text: str | None) -> tuple[float | None, float | None]:
    row = pl.DataFrame({"t": [text]}, schema={"t": pl.String}).select(parse_salary_text(pl.col("t")))["t"][0]
    return row["min_usd"], row["max_usd"]


@pytest.mark.parametrize(("text", "low", "high"), [
    ("$170-225K", 170_000, 225_000),
    ("$120,000 - $150,000", 120_000, 150_000),
    ("€80k–100k", 80_000 * EUR, 100_000 * EUR),
    ("£60,000 per annum", 60_000 * GBP, 60_000 * GBP),
    ("$45/hr", 45 * 2080, 45 * 2080),
    ("150-200k USD", 150_000, 200_000),
    ("CAD 120K", 120_000 * CAD, 120_000 * CAD),
    ("$8,000 per month", 96_000, 96_000),
    ("$2,000 a week", 104_000, 104_000),
    ("$500 per day", 130_000, 130_000),
    ("₹12,00,000 per annum", 1_200_000 * INR, 1_200_000 * INR),
    ("$21-$34 Per Hour(Glassdoor est.)", 21 * 2080, 34 * 2080),
    ("Employer Provided Salary:$120K-$145K", 120_000, 145_000),
    ("USD$190,000 per year - USD$211,000 per year", 190_000, 211_000),
    ("Pay Range: $17.00 - $28.00", 17 * 2080, 28 * 2080),
    ("Hiring Range in USD from $19.62 to $53.00 per hour; from: $40,800 to $110,240 per annum.",
     19.62 * 2080, 53 * 2080),
    ("a $200B+ company paying $150-180k", 150_000, 180_000),
])
def test_salary_text_forms(text, low, high):
    got_low, got_high = parsed(text)
    assert got_low == pytest.approx(low, rel=1e-6)
    assert got_high == pytest.approx(high, rel=1e-6)


@pytest.mark.parametrize("text", [
    "building a $200B+ company", "$5M seed round", "we raised $50mil", "401k match", "401(k) with 4% match",
    "0.3-0.41% Equity", "$10,000 sign on bonus", "up to $40,000 in cash bonuses", "$200/month perk",
    "$1MM+ in contracted revenue", "5-7 years of experience", "$3 per hour", "$5,000,000 per year", None, "",
])
def test_not_salaries(text):
    assert parsed(text) == (None, None)


def test_fields_win_and_are_annualized_and_converted():
    frame = pl.DataFrame({
        "salary_min": [50.0, 5000.0, None, 100_000.0, None, 1.0],
        "salary_max": [60.0, None, None, 120_000.0, None, 2.0],
        "salary_currency": ["USD", "EUR", None, None, None, None],
        "salary_period": ["hour", "month", None, None, None, "year"],
        "salary_text": [None, None, "£60,000 per annum", "$1-2", None, None],
        "description": [None, None, "$90,000", None, "Pay: $100k - $120k a year", "$70k"],
    })
    out = add_salary(frame)
    assert out["salary_source"].to_list() == ["field", "field", "text", "field", "text", "text"]
    assert out["salary_min_usd"].to_list()[:2] == [pytest.approx(104_000), pytest.approx(60_000 * EUR)]
    assert out["salary_max_usd"][1] == pytest.approx(60_000 * EUR)  # a lone min is also the max
    assert out["salary_min_usd"][2] == pytest.approx(60_000 * GBP)  # salary_text before description
    assert out["salary_max_usd"][4] == pytest.approx(120_000)
    assert out["salary_min_usd"][5] == pytest.approx(70_000)  # implausible fields fall back to text


def test_add_salary_without_salary_columns():
    out = add_salary(pl.DataFrame({"description": ["$100k-$150k", "no pay stated"]}))
    assert out["salary_source"].to_list() == ["text", None]


def test_fx_table_is_dated_and_covers_required_currencies():
    required = {"USD", "EUR", "GBP", "CAD", "AUD", "INR", "CHF", "SEK", "JPY", "SGD", "PLN", "BRL", "ILS",
                "NZD", "DKK", "NOK"}
    assert required <= set(fx_rates())
    assert fx_rates()["USD"] == 1.0
    assert fx_rate_date() == "2025-12-31"
    assert 1.0 < fx_rates()["EUR"] < 1.4 and 0.001 < fx_rates()["JPY"] < 0.02


def test_real_glassdoor_salary_estimates():
    path = need(MIRROR / "glassdoor_ds_jobs_2020_kenjee" / "glassdoor_jobs.csv")
    estimates = pl.read_csv(path, infer_schema=False).select(pl.col("Salary Estimate").alias("salary_text"))
    out = add_salary(estimates)
    stated = out.filter(pl.col("salary_text") != "-1")
    # Every real estimate ("$53K-$91K (Glassdoor est.)", "$17-$24 Per Hour(Glassdoor est.)") parses.
    assert stated["salary_min_usd"].null_count() == 0
    assert (stated["salary_min_usd"] <= stated["salary_max_usd"]).all()
    first = out.row(0, named=True)
    assert (first["salary_min_usd"], first["salary_max_usd"]) == (53_000, 91_000)
    assert out.filter(pl.col("salary_text") == "-1")["salary_source"].null_count() == out.filter(
        pl.col("salary_text") == "-1").height


@pytest.mark.parametrize(("key", "low", "high"), [
    ("hn:44159535", 170_000, 225_000),        # "$170-225K + equity" next to "a $200B+ company"
    ("hn:46111537", 60_000 * EUR, 100_000 * EUR),  # "€60-100k"
    ("hn:44159532", None, None),              # no salary stated
])
def test_real_hacker_news_posts(key, low, high):
    from tests.golden.corpus import text_of

    _, raw = text_of(key)
    frame = pl.DataFrame({"description": [raw]}).with_columns(text_clean.html_to_text(pl.col("description")))
    out = add_salary(frame).row(0, named=True)
    if low is None:
        assert out["salary_min_usd"] is None
    else:
        assert out["salary_min_usd"] == pytest.approx(low)
        assert out["salary_max_usd"] == pytest.approx(high)


def test_real_ats_description():
    from tests.golden.corpus import text_of

    _, raw = text_of("zapply:greenhouse-anthropic-5079156008")  # Greenhouse pay-range spans
    frame = pl.DataFrame({"description": [raw]}).with_columns(text_clean.html_to_text(pl.col("description")))
    out = add_salary(frame).row(0, named=True)
    assert (out["salary_min_usd"], out["salary_max_usd"]) == (205_000, 265_000)


SALARY_LIKE = r"[$€£]?\d{1,7}[kK]?\s?(?:-|to)\s?\d{1,7}[kK]?(?: per (?:hour|month))?"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=200), st.from_regex(SALARY_LIKE, fullmatch=True)),
                min_size=1, max_size=6))
def test_arbitrary_text_gives_positive_or_null_salaries(texts):
    out = add_salary(pl.DataFrame({"description": texts}, schema={"description": pl.String}))
    for low, high in zip(out["salary_min_usd"].to_list(), out["salary_max_usd"].to_list(), strict=True):
        assert (low is None) == (high is None)
        if low is not None:
            assert 0 < low <= high and not math.isnan(low)
