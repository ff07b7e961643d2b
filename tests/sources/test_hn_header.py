"""Header parsing of HN 'Who is hiring?' comments: marketlib's own cases (tests/data/hn_header_cases.json)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from marketlib.sources import hn_parse as hp

CASES = json.loads((Path(__file__).parents[1] / "data" / "hn_header_cases.json").read_text("utf-8"))["cases"]


def _actual(post: hp.ParsedPost) -> dict:
    h = post.header
    s = h.salary
    return {
        "company": h.company,
        "roles": post.roles,
        "locations": h.locations,
        "is_remote": h.is_remote,
        "remote_regions": h.remote_regions,
        "work_modes": h.work_modes,
        "employment_type": h.employment_type,
        "salary_min": s.minimum if s else None,
        "salary_max": s.maximum if s else None,
        "salary_currency": s.currency if s else None,
        "salary_period": s.period if s else None,
        "salary_text": h.salary_text,
        "equity": h.equity,
        "visa": h.visa,
        "urls": h.urls,
        "is_job_posting": post.is_job_posting,
        "skip_reason": post.skip_reason,
    }


def test_there_are_at_least_30_cases_with_unique_ids():
    ids = [c["id"] for c in CASES]
    assert len(ids) >= 30 and len(set(ids)) == len(ids)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_header_case(case):
    actual = _actual(hp.parse_post("1", case["html"]))
    for key, expected in case["expect"].items():
        if key.endswith("_contains"):
            values = actual[key.removesuffix("_contains")]
            for needle in expected:
                assert needle in values, f"{key}: {needle!r} not in {values!r}"
        else:
            assert actual[key] == expected, f"{key}: expected {expected!r}, got {actual[key]!r}"


@pytest.mark.parametrize(
    ("text", "low", "high", "currency", "period"),
    [
        ("$170-225K", 170_000, 225_000, "USD", "year"),
        ("€80k–100k", 80_000, 100_000, "EUR", "year"),
        ("150,000-200,000 USD", 150_000, 200_000, "USD", "year"),
        ("$260K - $300K + 0.3-0.41% Equity", 260_000, 300_000, "USD", "year"),
        ("C$140k-160k", 140_000, 160_000, "CAD", "year"),
        ("$10k/month", 10_000, 10_000, "USD", "month"),
    ],
)
def test_parse_salary(text, low, high, currency, period):
    salary = hp.parse_salary(text)
    assert (salary.minimum, salary.maximum, salary.currency, salary.period) == (low, high, currency, period)


@pytest.mark.parametrize("text", ["18 countries", "0.3-0.41% equity", "3+ years", "Series B"])
def test_parse_salary_ignores_non_money(text):
    assert hp.parse_salary(text) is None


def test_thread_titles_are_matched_exactly():
    assert hp.thread_kind_and_month("Ask HN: Who is hiring? (June 2025)") == ("hiring", dt.date(2025, 6, 1))
    assert hp.thread_kind_and_month("Ask HN: Who wants to be hired? (June 2025)") == (
        "seekers",
        dt.date(2025, 6, 1),
    )
    assert hp.thread_kind_and_month("Ask HN: Freelancer? Seeking freelancer? (June 2025)")[0] == "freelance"
    assert hp.thread_kind_and_month("Ask HN: Who is hiring? (Jun 2025)") is None
    assert hp.thread_kind_and_month("Re: Ask HN: Who is hiring? (June 2025)") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-09-01T15:01:54.000Z", dt.datetime(2026, 9, 1, 15, 1, 54, tzinfo=dt.UTC)),
        ("2026-09-01T16:08:05.000000Z", dt.datetime(2026, 9, 1, 16, 8, 5, tzinfo=dt.UTC)),
        ("2026-09-01T16:08:05 1788278885", dt.datetime.fromtimestamp(1788278885, dt.UTC)),
        (1314211127, dt.datetime(2011, 8, 24, 18, 38, 47, tzinfo=dt.UTC)),
    ],
)
def test_parse_hn_time_shapes(value, expected):
    assert hp.parse_hn_time(value) == expected


def test_header_below_a_status_line_and_place_lists():
    post = hp.parse_post("1", "REMOTE ONLY<p>Quillwork | https://quill.example | Platform Engineer<p>Body.")
    assert (post.header.company, post.roles, post.header.is_remote) == ("Quillwork", ["Platform Engineer"], True)
    post = hp.parse_post("2", "Tessel Labs | Data Engineer | NYC, SF, Austin, TX | Onsite<p>Body.")
    assert post.header.locations == ["NYC", "SF", "Austin, TX"]
    post = hp.parse_post("3", "Brindle - Denver, CO<p>We are hiring backend engineers.")
    assert (post.header.company, post.header.locations) == ("Brindle", ["Denver, CO"])


def test_prose_header_places_and_tilde_ranges():
    post = hp.parse_post("1", "Marlow Health is hiring in Boston, MA and Austin, TX.<p>Backend Engineer: build it.")
    assert post.header.company == "Marlow Health" and post.header.locations == ["Boston, MA", "Austin, TX"]
    salary = hp.parse_salary("$145~170k + bonus")
    assert (salary.minimum, salary.maximum, salary.currency) == (145_000, 170_000, "USD")


def test_a_role_line_gives_its_role_remote_and_salary():
    html = ("Kestrel | London | Full-Time<p>We're hiring:<p>* Founding Engineer | London | £60-120k + equity<p>"
            "* Sales Engineer | New York / Remote | $180-220k OTE")
    post = hp.parse_post("1", html)
    assert post.roles == ["Founding Engineer", "Sales Engineer"]
    assert post.role_lines["Sales Engineer"].remote and not post.role_lines["Founding Engineer"].remote
    assert post.role_lines["Founding Engineer"].salary.currency == "GBP"


def test_body_says_remote_when_the_header_names_no_mode():
    post = hp.parse_post("1", "Moss | Canada | Backend Developer<p>Remote is okay, most of us are remote.")
    assert post.header.is_remote
    perk = hp.parse_post("1", "Moss | Canada | Backend Developer<p>Remote work a possibility after a year.")
    assert post.header.is_remote and perk.header.is_remote is None
