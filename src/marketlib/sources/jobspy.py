"""JobSpy importer: job-board search results scraped by python-jobspy (optional extra `marketlib[jobspy]`).

`fetch` runs `jobspy.scrape_jobs` with the options ``search`` (required), ``location``, ``results``
(default 50), ``sites`` (default "indeed"; comma-separated or a list), ``hours_old`` and ``country``
(Indeed's country), and stores the returned table as one CSV snapshot. JobSpy does its own HTTP (not
marketlib's polite session), so this source is never part of `fetch all`; respect each site's terms.

`import_jobspy_frame` turns a JobSpy table (pandas, polars or a CSV path; the 34 columns of `scrape_jobs`)
into raw postings. JobSpy's one location string ("Seattle, WA, US", "Remote", "London, England, UK") is kept
whole in `location_raw`; the location cleaner parses it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import io
import re
from pathlib import Path

import polars as pl

from marketlib import schemas
from marketlib.clean.values import employment_type, parse_bool, salary_period
from marketlib.errors import UserError
from marketlib.http import describe_fetch_error
from marketlib.snapshots import Snapshot, write_snapshot
from marketlib.sources import ParseResult, SourceOption, _ats

NAME = "jobspy"
LICENSE = ("Postings scraped by the user with python-jobspy (MIT library) from job sites whose terms apply; "
           "postings are the employers' content, used for aggregate research.")
INSTALL_HINT = "pip install 'marketlib[jobspy]'"
DEFAULT_SITES = ("indeed",)
DEFAULT_RESULTS = 50
MAX_RESULTS = 1000

# The JobSpy columns this importer reads (see the 34-column layout of scrape_jobs).
USED_COLUMNS = ("id", "site", "job_url", "title", "company", "location", "date_posted", "job_type",
                "interval", "min_amount", "max_amount", "currency", "is_remote", "description",
                "company_num_employees")


def _as_string_frame(df_or_path) -> tuple[pl.DataFrame, str]:
    """Any accepted input -> (all-string polars frame, a name for provenance)."""
    if isinstance(df_or_path, bytes):
        return pl.read_csv(io.BytesIO(df_or_path), infer_schema=False), "bytes"
    if isinstance(df_or_path, str | Path):
        path = Path(df_or_path)
        if not path.is_file():
            raise UserError(f"The JobSpy file {path} does not exist.")
        try:
            return pl.read_csv(path, infer_schema=False), path.name
        except pl.exceptions.PolarsError as exc:
            raise UserError(f"{path} is not a readable CSV file ({type(exc).__name__}).") from exc
    if isinstance(df_or_path, pl.DataFrame):
        return df_or_path.select(pl.all().cast(pl.String)), "frame"
    if hasattr(df_or_path, "to_csv"):  # pandas: JobSpy cells are Python objects (dates, None, NaN)
        buffer = io.StringIO()
        df_or_path.to_csv(buffer, index=False)
        return pl.read_csv(io.BytesIO(buffer.getvalue().encode("utf-8")), infer_schema=False), "frame"
    raise UserError("import_jobspy_frame takes a pandas DataFrame, a polars DataFrame or a CSV path.")


def import_jobspy_frame(df_or_path, *, snapshot_id: str | None = None,
                        fetched_at: dt.datetime | None = None) -> pl.DataFrame:
    """A JobSpy result table (pandas or polars frame, CSV path, CSV bytes) -> raw postings."""
    frame, name = _as_string_frame(df_or_path)
    missing = [c for c in ("title", "job_url") if c not in frame.columns]
    if missing:
        raise UserError(f"The JobSpy table lacks column(s) {', '.join(missing)}; is it a scrape_jobs result?")
    frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(c) for c in USED_COLUMNS
                               if c not in frame.columns)
    blank_to_null = [pl.when(pl.col(c).str.strip_chars().is_in(["", "nan", "NaN", "None"])).then(None)
                     .otherwise(pl.col(c).str.strip_chars()).alias(c) for c in USED_COLUMNS]
    frame = frame.with_columns(blank_to_null)
    out = frame.select(
        pl.lit(NAME).alias("source"),
        pl.lit(snapshot_id or f"{NAME}/import/{name}").alias("snapshot_id"),
        pl.col("id").alias("source_posting_id"),
        pl.col("title"),
        pl.col("company"),
        pl.col("location").alias("location_raw"),
        pl.col("description"),
        parse_bool(pl.col("is_remote")).alias("is_remote_hint"),
        pl.col("min_amount").cast(pl.Float64, strict=False).alias("salary_min"),
        pl.col("max_amount").cast(pl.Float64, strict=False).alias("salary_max"),
        pl.col("currency").str.to_uppercase().alias("salary_currency"),
        salary_period(pl.col("interval")).alias("salary_period"),
        employment_type(pl.col("job_type")).alias("employment_type"),
        pl.col("company_num_employees").alias("company_size"),
        _ats.iso_date(pl.col("date_posted")).alias("posted_date"),
        pl.lit(fetched_at, dtype=pl.Datetime("us", "UTC")).alias("fetched_at"),
        pl.col("job_url").alias("url"),
    )
    return schemas.conform_raw_postings(out)


def _sites(value) -> list[str]:
    sites = value.split(",") if isinstance(value, str) else list(value or DEFAULT_SITES)
    return [s.strip() for s in sites if s and s.strip()]


def _snapshot_name(search: str, location: str | None) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", f"{search} {location or ''}".lower()).strip("-")[:80] or "search"
    return f"jobs-{slug}.csv"


def fetch(ctx) -> list:
    from marketlib.sources import FetchStatus

    options = ctx.options
    search = str(options.get("search") or "").strip()
    if not search:
        raise UserError("The jobspy source needs a search term (option 'search', e.g. 'ml engineer').")
    location = options.get("location")
    results = int(options.get("results", DEFAULT_RESULTS))
    if not 1 <= results <= MAX_RESULTS:
        raise UserError(f"The jobspy option 'results' must be between 1 and {MAX_RESULTS}, not {results}.")
    status = FetchStatus(NAME, _snapshot_name(search, location), "error")
    if ctx.settings.offline:
        status.message = "offline: jobspy scrapes live job sites and network access is disabled"
        return [status]
    if importlib.util.find_spec("jobspy") is None:
        status.message = f"python-jobspy is not installed; run: {INSTALL_HINT}"
        return [status]
    params = {"search_term": search, "location": location, "results_wanted": results,
              "site_name": _sites(options.get("sites")), "hours_old": options.get("hours_old"),
              "country_indeed": options.get("country", "USA")}
    params = {k: v for k, v in params.items() if v is not None}
    try:
        ctx.say(f"jobspy: {search!r} in {location or 'anywhere'} on {', '.join(params['site_name'])}")
        jobs = importlib.import_module("jobspy").scrape_jobs(**params)
        fetched_at = dt.datetime.now(dt.UTC)
        buffer = io.StringIO()
        jobs.to_csv(buffer, index=False)
        snap = write_snapshot(NAME, status.group, data=buffer.getvalue().encode("utf-8"), url=None,
                              license=LICENSE, params={k: str(v) for k, v in params.items()},
                              fetched_at=fetched_at, raw_dir=ctx.raw_dir, extra={"jobspy_rows": len(jobs)})
        status.snapshots.append(snap.snapshot_id)
        status.items = len(jobs)
        status.status = "ok" if len(jobs) else "empty"
        status.message = f"{len(jobs)} posting(s)"
    except Exception as exc:  # noqa: BLE001 - the scraper's failure becomes a status record
        status.status, status.message, status.http_status = describe_fetch_error(exc)
    return [status]


def parse(snapshots: dict[str, Snapshot]) -> ParseResult:
    frames = [import_jobspy_frame(snap.read_bytes(), snapshot_id=snap.snapshot_id, fetched_at=snap.fetched_at)
              for name, snap in sorted(snapshots.items()) if name.endswith(".csv")]
    postings = pl.concat(frames, how="vertical") if frames else schemas.empty_raw_postings()
    return ParseResult.of(NAME, {"postings": postings})


OPTIONS = (
    SourceOption("search", "Search terms (required), e.g. 'ml engineer'."),
    SourceOption("location", "Where to search, e.g. 'Berlin'."),
    SourceOption("results", f"Results wanted per site (1 to {MAX_RESULTS}, default {DEFAULT_RESULTS}).", int),
    SourceOption("sites", "Job sites, comma-separated (default: indeed)."),
    SourceOption("hours_old", "Only postings newer than this many hours.", int),
    SourceOption("country", "Indeed's country (default: USA)."),
)


def _make_source():
    from marketlib.sources import Source

    return Source(
        name=NAME,
        description="Job-site search results scraped with python-jobspy (optional; needs a search term).",
        kind="import",
        license=LICENSE,
        homepage="https://github.com/speedyapply/JobSpy",
        tables=("postings",),
        parse=parse,
        fetch=fetch,
        citation="python-jobspy scrape_jobs results",
        in_fetch_all=False,
        notes=f"Options: search (required), location, results, sites, hours_old, country. {INSTALL_HINT}",
        options=OPTIONS,
    )


SOURCE = _make_source()
