"""Ashby job boards: `GET <base>/posting-api/job-board/<token>?includeCompensation=true` (one response).

Postings with `isListed: false` are dropped. Pay comes from `compensation`: the salary components
(`compensationType: "Salary"`, `interval: "1 YEAR"`, `currencyCode`, `minValue`, `maxValue`) of
`summaryComponents`, else of every tier in `compensationTiers` (tiers are pay zones: the range spans them).
"""

from __future__ import annotations

import polars as pl

from marketlib.clean.values import employment_type, salary_period
from marketlib.sources import ParseResult, _ats

NAME = "ashby"
BASE_URL = "https://api.ashbyhq.com"
HOMEPAGE = "https://developers.ashbyhq.com/docs/public-job-posting-api"


def _jobs(body: object) -> list:
    if not isinstance(body, dict) or not isinstance(body.get("jobs"), list):
        raise ValueError("expected an object with a 'jobs' list")
    return body["jobs"]


def _listed(jobs: list) -> list[dict]:
    return [j for j in jobs if isinstance(j, dict) and j.get("isListed", True) is not False]


def _fetch_board(session, board: _ats.Board, base: str) -> list[_ats.Page]:
    url = f"{base}/posting-api/job-board/{board.token}"
    page, jobs = _ats.json_page(session, url, {"includeCompensation": "true"}, f"{board.token}.json", _jobs)
    page.items = len(_listed(jobs))
    return [page]


def fetch(ctx) -> list:
    base = _ats.base_url(ctx.options, BASE_URL)
    return _ats.fetch_boards(ctx, NAME, _ats.ATS_LICENSE, _ats.boards_for(NAME, ctx.options),
                             lambda session, board: _fetch_board(session, board, base))


def salary_components(compensation: dict | None) -> list[dict]:
    """The salary components of a posting, summary first, else every tier's."""
    compensation = compensation or {}
    pools = [compensation.get("summaryComponents") or []]
    pools.append([c for tier in compensation.get("compensationTiers") or [] if isinstance(tier, dict)
                  for c in tier.get("components") or []])
    for pool in pools:
        found = [c for c in pool if isinstance(c, dict)
                 and str(c.get("compensationType", "")).lower() == "salary"
                 and (c.get("minValue") is not None or c.get("maxValue") is not None)]
        if found:
            return found
    return []


def _salary(compensation: dict | None) -> dict:
    components = salary_components(compensation)
    if not components:
        return {}
    # Mixed currencies or intervals cannot share one range: keep those of the first component.
    first = components[0]
    key = (first.get("currencyCode"), first.get("interval"))
    same = [c for c in components if (c.get("currencyCode"), c.get("interval")) == key]
    lows = [float(c["minValue"]) for c in same if c.get("minValue") is not None]
    highs = [float(c["maxValue"]) for c in same if c.get("maxValue") is not None]
    return {
        "salary_min": min(lows) if lows else None,
        "salary_max": max(highs) if highs else None,
        "salary_currency": first.get("currencyCode"),
        "interval": first.get("interval"),
    }


def _row(job: dict, prov: dict) -> dict:
    compensation = job.get("compensation") or {}
    secondary = [s.get("location") for s in job.get("secondaryLocations") or [] if isinstance(s, dict)]
    workplace = (job.get("workplaceType") or "").lower()
    remote = job.get("isRemote")
    return {
        **prov,
        "source_posting_id": job.get("id"),
        "title": job.get("title"),
        "location_raw": _ats.join_locations([job.get("location"), *secondary]),
        "description": job.get("descriptionHtml") or job.get("descriptionPlain"),
        "is_remote_hint": remote if isinstance(remote, bool) else ({"remote": True}.get(workplace)),
        **_salary(compensation),
        "salary_text": compensation.get("compensationTierSummary")
        or compensation.get("scrapeableCompensationSalarySummary"),
        "employment_type": job.get("employmentType"),
        "published": job.get("publishedAt"),
        "url": job.get("jobUrl"),
    }


def _transform(frame: pl.DataFrame) -> pl.DataFrame:
    interval = pl.col("interval") if "interval" in frame.columns else pl.lit(None, dtype=pl.String)
    return frame.with_columns(
        salary_period(interval).alias("salary_period"),
        employment_type(pl.col("employment_type")).alias("employment_type"),
        _ats.iso_date(pl.col("published")).alias("posted_date"),
    )


def parse(snapshots: dict) -> ParseResult:
    return _ats.parse_snapshots(snapshots, NAME, lambda body: _listed(_jobs(body)), _row, _transform)


SOURCE = _ats.make_source(
    NAME,
    "Job postings (with published pay) from the public Ashby job boards of ML/AI companies.",
    HOMEPAGE,
    "Ashby Public Job Posting API",
    parse,
    fetch,
)
