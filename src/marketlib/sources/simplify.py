"""SimplifyJobs New-Grad-Positions and Summer internships lists (GitHub, `.github/scripts/listings.json`).

Each listing: id (UUID), company_name, title, locations[], terms[] (internships), date_posted / date_updated
(epoch seconds), active, is_visible, sponsorship, url. History: the mirror's unions of the last version of
each day (new grad Jul 2023 - Oct 2024, 2,499 listings; internships May 2023 - Oct 2024, 6,012 listings).
"""

from __future__ import annotations

import json

import polars as pl

from marketlib.clean.values import parse_bool
from marketlib.errors import UserError
from marketlib.snapshots import Snapshot
from marketlib.sources import ParseResult, UpstreamFile
from marketlib.sources._joblists import LiveFile, finish_postings, gather_sightings, joblist_source, parse_timestamp

NAME = "simplify"
LICENSE = "None stated (no LICENSE file): cite SimplifyJobs; counts published"
NEWGRAD_REPO = "SimplifyJobs/New-Grad-Positions"
INTERN_REPO = "SimplifyJobs/Summer2025-Internships"
LIVE_INTERN_REPO = "SimplifyJobs/Summer2026-Internships"  # the internships list of the current season

UNION_FILES = (
    UpstreamFile("simplify_newgrad_union_2023-07_2024-10.csv", f"https://github.com/{NEWGRAD_REPO}",
                 "union of the daily versions to dbac4f0704e9 (2024-10-25)",
                 "0d7a2730b1555ffe6aa3aab1649a52eb65e0f7a5129a33120e6e19d72d60224b",
                 "simplify_newgrad_2023_2024/simplify_newgrad_union_2023-07_2024-10.csv"),
    UpstreamFile("simplify_internships_union_2023-05_2024-10.csv", f"https://github.com/{INTERN_REPO}",
                 "union of the daily versions to 5e913fa8be7a (2024-10-25)",
                 "168ec1bad2e7b009788828d66ad61e09b50a3a91e208cce6f07fc613611ba1c3",
                 "simplify_internships_2023_2024/simplify_internships_union_2023-05_2024-10.csv"),
)
UNION_LISTS = {UNION_FILES[0].name: "newgrad", UNION_FILES[1].name: "internships"}
LIVE_FILES = (
    LiveFile("live_newgrad_listings.json",
             f"https://raw.githubusercontent.com/{NEWGRAD_REPO}/HEAD/.github/scripts/listings.json", "newgrad"),
    LiveFile("live_internships_listings.json",
             f"https://raw.githubusercontent.com/{LIVE_INTERN_REPO}/HEAD/.github/scripts/listings.json",
             "internships"),
)
_COLUMNS = {"id": pl.String(), "company_name": pl.String(), "title": pl.String(), "locations": pl.String(),
            "terms": pl.String(), "sponsorship": pl.String(), "active": pl.String(), "is_visible": pl.String(),
            "date_posted": pl.Int64(), "date_updated": pl.Int64(), "source": pl.String(), "url": pl.String()}


def _joined(value) -> str | None:
    if isinstance(value, list):
        items = [str(v).strip() for v in value if v is not None and str(v).strip()]
        return " | ".join(items) or None
    return None if value in (None, "") else str(value)


def _epoch(value) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def parse_listings(data: bytes) -> pl.DataFrame:
    """A raw listings.json -> id, company_name, title, locations (" | "), terms (" | "), sponsorship, active,
    is_visible, date_posted / date_updated (epoch seconds), source, url."""
    try:
        listings = json.loads(data)
    except ValueError as exc:
        raise UserError(f"The SimplifyJobs listings file is not valid JSON ({exc}).") from exc
    if not isinstance(listings, list):
        raise UserError("The SimplifyJobs listings file is not a JSON array.")
    # One loop over the JSON objects to flatten the location and term lists.
    rows = [{
        "id": _joined(item.get("id")), "company_name": _joined(item.get("company_name")),
        "title": _joined(item.get("title")), "locations": _joined(item.get("locations")),
        "terms": _joined(item.get("terms")), "sponsorship": _joined(item.get("sponsorship")),
        "active": _joined(item.get("active")), "is_visible": _joined(item.get("is_visible")),
        "date_posted": _epoch(item.get("date_posted")), "date_updated": _epoch(item.get("date_updated")),
        "source": _joined(item.get("source")), "url": _joined(item.get("url")),
    } for item in listings if isinstance(item, dict)]
    return pl.DataFrame(rows, schema=_COLUMNS)


def _to_list_frame(frame: pl.DataFrame, list_name: str) -> pl.DataFrame:
    return frame.with_columns(
        (pl.lit(list_name + ":") + pl.col("id")).alias("key"),  # ids are per list
        pl.col("id").alias("source_posting_id"),
        pl.col("company_name").alias("company"),
        pl.col("title").str.strip_chars().alias("title"),
        pl.col("locations").alias("location_raw"),
        pl.lit("internship" if list_name == "internships" else None, dtype=pl.String()).alias("employment_type"),
        pl.lit(list_name).alias("list_name"),
    )


def _union_frame(union: pl.DataFrame, file_name: str) -> pl.DataFrame:
    return _to_list_frame(union.with_columns(
        parse_timestamp(pl.col("first_seen_commit")).alias("first_seen"),
        parse_timestamp(pl.col("last_seen_commit")).alias("last_seen"),
        pl.col("date_posted").str.to_date("%Y-%m-%d", strict=False).alias("posted_date"),
        parse_bool(pl.col("active_at_last_seen")).alias("is_active"),
    ), UNION_LISTS[file_name])


def _live_frame(snap: Snapshot, live: LiveFile) -> pl.DataFrame:
    rows = parse_listings(snap.read_bytes()).with_columns(
        pl.from_epoch(pl.col("date_posted"), time_unit="s").dt.date().alias("posted_date"),
        parse_bool(pl.col("active")).alias("is_active"),
    )
    return _to_list_frame(rows, live.list_name)


def parse(snapshots: dict[str, Snapshot]) -> ParseResult:
    unioned, drops = gather_sightings(snapshots, union_files=UNION_LISTS, live_files=LIVE_FILES,
                                      union_frame=_union_frame, live_frame=_live_frame, no_key="no listing id")
    return finish_postings(unioned, NAME, drops)


def _count_rows(data: bytes, _live: LiveFile) -> int:
    return parse_listings(data).get_column("id").drop_nulls().len()


SOURCE = joblist_source(
    live_files=LIVE_FILES,
    count_rows=_count_rows,
    name=NAME,
    description="SimplifyJobs new-grad and summer-internship lists (mostly SWE, 5-7% ML-titled), daily "
                "versions 2023-2024, plus today's listings.json when online.",
    license=LICENSE,
    homepage="https://github.com/SimplifyJobs",
    parse=parse,
    files=UNION_FILES,
    citation=f"SimplifyJobs, {NEWGRAD_REPO} and {INTERN_REPO} (GitHub), .github/scripts/listings.json.",
    notes="The live internship list is the current season's repository; the pinned history is Summer 2025's.",
)
