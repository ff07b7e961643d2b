"""Greenhouse job boards: `GET <base>/v1/boards/<token>/jobs?content=true` (one response holds every job).

Quirk: `content` is the posting HTML escaped once more (`&lt;div&gt;`, `&amp;nbsp;`); unescaping once gives
the HTML. The pay range, when the employer publishes one, sits in a `pay-range` block of that HTML and becomes
`salary_text`.
"""

from __future__ import annotations

import polars as pl

from marketlib.clean.values import employment_type
from marketlib.sources import ParseResult, _ats

NAME = "greenhouse"
BASE_URL = "https://boards-api.greenhouse.io"
HOMEPAGE = "https://developers.greenhouse.io/job-board.html"

# The escapes of Greenhouse's outer encoding; replace_many makes one left-to-right pass: `&amp;lt;` -> `&lt;`.
_OUTER_ESCAPES = ["&lt;", "&gt;", "&quot;", "&#39;", "&#x27;", "&amp;"]
_UNESCAPED = ["<", ">", '"', "'", "'", "&"]


def _jobs(body: object) -> list:
    if not isinstance(body, dict) or not isinstance(body.get("jobs"), list):
        raise ValueError("expected an object with a 'jobs' list")
    return body["jobs"]


def _fetch_board(session, board: _ats.Board, base: str) -> list[_ats.Page]:
    url = f"{base}/v1/boards/{board.token}/jobs"
    page, _ = _ats.json_page(session, url, {"content": "true"}, f"{board.token}.json", _jobs)
    return [page]


def fetch(ctx) -> list:
    base = _ats.base_url(ctx.options, BASE_URL)
    return _ats.fetch_boards(ctx, NAME, _ats.ATS_LICENSE, _ats.boards_for(NAME, ctx.options),
                             lambda session, board: _fetch_board(session, board, base))


def _metadata_value(job: dict, *names: str) -> str | None:
    for item in job.get("metadata") or []:
        if str(item.get("name", "")).strip().lower() in names and isinstance(item.get("value"), str):
            return item["value"]
    return None


def _row(job: dict, prov: dict) -> dict:
    offices = [o.get("location") for o in job.get("offices") or [] if isinstance(o, dict)]
    return {
        **prov,
        "source_posting_id": str(job["id"]) if job.get("id") is not None else None,
        "title": job.get("title"),
        "company": job.get("company_name"),
        "location_raw": _ats.join_locations([(job.get("location") or {}).get("name"), *offices]),
        "description": job.get("content"),
        "employment_type": _metadata_value(job, "employment type", "job type", "commitment"),
        "published": job.get("first_published") or job.get("updated_at"),
        "url": job.get("absolute_url"),
    }


def _transform(frame: pl.DataFrame) -> pl.DataFrame:
    html = pl.col("description").str.replace_many(_OUTER_ESCAPES, _UNESCAPED)
    pay = (html.str.extract(r"(?s)<div class=\"pay-range\">(.*?)</div>", 1)
           .str.replace_all(r"<[^>]+>", " ").str.replace_all(r"&mdash;|&ndash;", "-")
           .str.replace_all(r"\s+", " ").str.strip_chars())
    return frame.with_columns(
        html.alias("description"),
        pay.alias("salary_text"),
        employment_type(pl.col("employment_type")).alias("employment_type"),
        _ats.iso_date(pl.col("published")).alias("posted_date"),
    )


def parse(snapshots: dict) -> ParseResult:
    return _ats.parse_snapshots(snapshots, NAME, _jobs, _row, _transform)


SOURCE = _ats.make_source(
    NAME,
    "Job postings from the public Greenhouse job boards of ML/AI-heavy companies.",
    HOMEPAGE,
    "Greenhouse Job Board API",
    parse,
    fetch,
)
