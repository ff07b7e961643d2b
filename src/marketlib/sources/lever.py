"""Lever job boards: `GET <base>/v0/postings/<token>?mode=json&skip=N&limit=100`, a JSON array per page.

Pagination: pages of `limit` postings until a short (or empty) page. Every page is its own snapshot
(`<token>.p000.json`, `<token>.p001.json` ...); the parser reads a board's pages in order and stops after the
first short page, so pages left over from an older, longer run are never mixed in. `createdAt` is epoch
milliseconds; `salaryRange` ({currency, interval, min, max}) appears only when the employer publishes pay.
"""

from __future__ import annotations

import re

import polars as pl

from marketlib.clean.values import employment_type, salary_period
from marketlib.http import BadContentError
from marketlib.sources import ParseResult, SourceOption, _ats

NAME = "lever"
BASE_URL = "https://api.lever.co"
HOMEPAGE = "https://github.com/lever/postings-api"
PAGE_LIMIT = 100
MAX_PAGES = 100  # 10,000 postings: far above any board; stops a server that ignores `skip`
_PAGE_FILE = re.compile(r"^(?P<board>.+)\.p(?P<page>\d{3})\.json$")


def _postings(body: object) -> list:
    if not isinstance(body, list):
        raise ValueError("expected a JSON array of postings")
    return body


def _fetch_board(session, board: _ats.Board, base: str, limit: int = PAGE_LIMIT) -> list[_ats.Page]:
    url = f"{base}/v0/postings/{board.token}"
    pages: list[_ats.Page] = []
    previous_ids: list = []
    for number in range(MAX_PAGES):
        params = {"mode": "json", "skip": str(number * limit), "limit": str(limit)}
        page, postings = _ats.json_page(session, url, params, f"{board.token}.p{number:03d}.json", _postings)
        ids = [p.get("id") for p in postings if isinstance(p, dict)]
        if ids and ids == previous_ids:
            raise BadContentError(f"{url} returned the same page again at skip={params['skip']}.",
                                  url=url, http_status=page.http_status)
        pages.append(page)
        if len(postings) < limit:
            return pages
        previous_ids = ids
    raise BadContentError(f"{url} still had full pages after {MAX_PAGES} pages.", url=url)


def fetch(ctx) -> list:
    base = _ats.base_url(ctx.options, BASE_URL)
    limit = int(ctx.options.get("page_limit", PAGE_LIMIT))
    return _ats.fetch_boards(ctx, NAME, _ats.ATS_LICENSE, _ats.boards_for(NAME, ctx.options),
                             lambda session, board: _fetch_board(session, board, base, limit))


def _description(posting: dict) -> str | None:
    """Lever splits the body: description, then titled lists (`<li>` fragments), then the closing text."""
    parts = [posting.get("description") or ""]
    for item in posting.get("lists") or []:
        if isinstance(item, dict):
            parts.append(f"<h3>{item.get('text') or ''}</h3><ul>{item.get('content') or ''}</ul>")
    parts.append(posting.get("additional") or "")
    html = "\n".join(p for p in parts if p)
    return html or None


def _locations(posting: dict) -> str | None:
    categories = posting.get("categories") or {}
    locations = list(categories.get("allLocations") or []) or [categories.get("location")]
    country = posting.get("country")
    # Lever gives the country code apart from the location name ("London" + "GB"); joining them lets the
    # location cleaner tell London, GB from London, Ontario.
    if country and locations and locations[0] and not str(locations[0]).rstrip().endswith(country):
        locations[0] = f"{locations[0]}, {country}"
    return _ats.join_locations(locations)


def _row(posting: dict, prov: dict) -> dict:
    salary = posting.get("salaryRange") or {}
    workplace = (posting.get("workplaceType") or "").lower()
    return {
        **prov,
        "source_posting_id": posting.get("id"),
        "title": posting.get("text"),
        "location_raw": _locations(posting),
        "description": _description(posting),
        "is_remote_hint": {"remote": True, "on-site": False, "onsite": False, "hybrid": False}.get(workplace),
        "salary_min": salary.get("min"),
        "salary_max": salary.get("max"),
        "salary_currency": salary.get("currency"),
        "interval": salary.get("interval"),
        "salary_text": posting.get("salaryDescriptionPlain") or None,
        "employment_type": (posting.get("categories") or {}).get("commitment"),
        "created_ms": posting.get("createdAt"),
        "url": posting.get("hostedUrl"),
    }


def _transform(frame: pl.DataFrame) -> pl.DataFrame:
    period = salary_period(pl.col("interval"))
    # "one-time" pay (a bonus, a stipend) is not a salary: drop the amounts rather than read them as annual.
    has_period = period.is_not_null() | pl.col("interval").is_null()
    return frame.with_columns(
        pl.when(has_period).then(pl.col("salary_min").cast(pl.Float64)).alias("salary_min"),
        pl.when(has_period).then(pl.col("salary_max").cast(pl.Float64)).alias("salary_max"),
        period.alias("salary_period"),
        employment_type(pl.col("employment_type")).alias("employment_type"),
        pl.from_epoch(pl.col("created_ms").cast(pl.Int64), time_unit="ms").dt.date().alias("posted_date"),
    )


def board_pages(snapshots: dict) -> dict[str, list]:
    """Each board's current pages in order: page 0, 1, ... up to and including the first short page."""
    by_board: dict[str, dict[int, object]] = {}
    for name, snap in snapshots.items():
        match = _PAGE_FILE.match(name)
        if match:
            by_board.setdefault(match["board"], {})[int(match["page"])] = snap
    result = {}
    for board, pages in sorted(by_board.items()):
        ordered = []
        for number in range(len(pages)):
            snap = pages.get(number)
            if snap is None:
                break
            with _ats.unexpected_shape(f"Snapshot {snap.snapshot_id}"):
                body = _postings(_ats.read_json(snap))
            ordered.append((snap, body))
            limit = int((snap.meta.get("params") or {}).get("limit", PAGE_LIMIT))
            if len(body) < limit:
                break
        result[board] = ordered
    return result


def parse(snapshots: dict) -> ParseResult:
    rows = []
    for pages in board_pages(snapshots).values():
        for snap, body in pages:
            with _ats.unexpected_shape(f"Snapshot {snap.snapshot_id}"):
                prov = _ats.provenance(snap)
                rows.extend(_row(p, prov) for p in body if isinstance(p, dict))
    with _ats.unexpected_shape(f"The {NAME} snapshots"):
        frame = _ats.finish(rows, NAME, _transform)
    # A posting moving between pages while we paged shows up twice; keep it once.
    first_seen = pl.col("source_posting_id").is_first_distinct() | pl.col("source_posting_id").is_null()
    return ParseResult.of(NAME, {"postings": frame.filter(first_seen)})


SOURCE = _ats.make_source(
    NAME,
    "Job postings from the public Lever job boards of ML/AI-heavy companies.",
    HOMEPAGE,
    "Lever Postings API",
    parse,
    fetch,
    options=(SourceOption("page_limit", "Postings per page of the Lever API.", int),),
)
