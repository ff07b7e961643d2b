"""AI Lab Jobs Tracker: a daily scrape of the public Greenhouse / Ashby boards of frontier AI labs (OpenAI,
Anthropic, Google DeepMind, Scale AI, Perplexity, Runway, Inflection), published as CSVs on GitHub.

Tracker CSV rows: job_id `<ats>_<company>_<ats id>`, company_name, title, location, status, first_seen /
last_seen, and `raw_data` (the ATS JSON as a Python-repr string) holding the publication date, department,
workplace and employment type. History: the mirror's union (Aug 2025 - Aug 2026) plus the dated registry and
cumulative snapshots; live: today's `outputs/registry/current_jobs.csv`.
"""

from __future__ import annotations

import io

import polars as pl

from marketlib.clean.values import employment_type
from marketlib.errors import UserError
from marketlib.snapshots import Snapshot
from marketlib.sources import ParseResult, UpstreamFile
from marketlib.sources._joblists import (
    LiveFile,
    finish_postings,
    joblist_source,
    live_history,
    parse_timestamp,
    read_union_csv,
    sightings,
    union_sightings,
)

NAME = "ai_labs"
REPO = "ReedRawlings/AIJobs"
LICENSE = ("Unspecified (README: 'open source', no LICENSE file): facts from public ATS boards; check each "
           "company's terms; counts published")
MIRROR = "ai_labs_ats_tracker"
RAW = f"https://raw.githubusercontent.com/{REPO}"

UNION_FILE = UpstreamFile("ai_labs_jobs_union_2025-08_2026-08.csv", f"https://github.com/{REPO}",
                          "union of events, snapshots and registry to 4f840ef02473 (2026-08-22)",
                          "b8aa50f4ba7e283b9d9da41f2789ae4f071752d3f46fcb5b7c0917247d7d9e22",
                          f"{MIRROR}/ai_labs_jobs_union_2025-08_2026-08.csv")
TRACKER_FILES = (
    UpstreamFile("registry_current_jobs_2026-08-22.csv",
                 f"{RAW}/4f840ef02473d9245fae44767cb60903cfd787b3/outputs/registry/current_jobs.csv",
                 "4f840ef02473d9245fae44767cb60903cfd787b3",
                 "df6a9ec3582d9d967f52e12d4cb03e09741051ae48574f53e4450f3abcf479cc",
                 f"{MIRROR}/registry_current_jobs_2026-08-22.csv"),
    UpstreamFile("snapshot_cumulative_2025-10-01.csv",
                 f"{RAW}/4a68f32a4b252040819bbdf632dfcf44bb7a4d0b/outputs/snapshots/2025-10-01.csv",
                 "4a68f32a4b252040819bbdf632dfcf44bb7a4d0b",
                 "44a0d4924b3b189d9029be6066ca4d55b35faed963f8872f515b822d1265001f",
                 f"{MIRROR}/snapshot_cumulative_2025-10-01.csv"),
    UpstreamFile("snapshot_cumulative_2026-04-01.csv",
                 f"{RAW}/4f2d547f6fd9887c57ad0468cdd0fbd01d3bf475/outputs/snapshots/2026-04-01.csv",
                 "4f2d547f6fd9887c57ad0468cdd0fbd01d3bf475",
                 "44ad3c95a84af6010de62bf7a55bd3ae466f1b9ea8775c991a4f9a0913afc485",
                 f"{MIRROR}/snapshot_cumulative_2026-04-01.csv"),
)
LIVE_FILES = (LiveFile("live_current_jobs.csv", f"{RAW}/HEAD/outputs/registry/current_jobs.csv", "registry"),)
# Real ids read `<ats>_<company>_<id>`; the tracker's seed test rows (`openai_greenhouse_123`, ...) do not.
REAL_ID = r"^(greenhouse|ashby|lever)_[^_]+_.+"
UNION_COLUMNS = ("job_id", "company", "title", "location", "secondary_locations", "department", "team",
                 "workplace_type", "employment_type", "ats", "published", "updated", "first_seen", "last_seen",
                 "status", "job_url")


def _repr_field(key: str) -> pl.Expr:
    """A string field of the Python-repr `raw_data` cell ('key': 'value' or 'key': "value")."""
    return pl.col("raw_data").str.extract(rf"""'{key}':\s*(?:'([^']*)'|"([^"]*)")""", 1)


def parse_tracker_csv(data: bytes) -> pl.DataFrame:
    """A tracker CSV (registry/current_jobs.csv or snapshots/<date>.csv) -> the union file's columns."""
    try:
        raw = pl.read_csv(io.BytesIO(data), infer_schema=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        raise UserError(f"The AI-labs tracker file is not a readable CSV ({exc}).") from exc
    if "job_id" not in raw.columns:
        raise UserError("The AI-labs tracker file has no job_id column.")
    for column in ("raw_data", "company_name", "location", "team", "employment_type", "source", "job_url",
                   "status", "first_seen", "last_seen", "title"):
        if column not in raw.columns:
            raw = raw.with_columns(pl.lit(None, dtype=pl.String()).alias(column))
    secondary = pl.col("raw_data").str.extract(r"'secondaryLocations':\s*\[([^\]]*)\]", 1) \
        .str.extract_all(r"'locationName':\s*'([^']*)'").list.eval(
            pl.element().str.replace(r"^'locationName':\s*'", "").str.strip_suffix("'")).list.join(" | ")
    location_type = pl.col("raw_data").str.extract(r"'name': 'Location Type', 'value': '([^']*)'", 1)
    return raw.select(
        pl.col("job_id"),
        pl.col("company_name").alias("company"),
        pl.col("title"),
        pl.col("location"),
        pl.when(secondary != "").then(secondary).alias("secondary_locations"),
        _repr_field("departmentName").alias("department"),
        pl.col("team"),
        pl.coalesce(_repr_field("workplaceType"), location_type).alias("workplace_type"),
        pl.coalesce(_repr_field("employmentType"), pl.col("employment_type")).alias("employment_type"),
        pl.col("source").alias("ats"),
        pl.coalesce(_repr_field("publishedDate"), _repr_field("first_published")).alias("published"),
        pl.coalesce(_repr_field("updatedAt"), _repr_field("updated_at")).alias("updated"),
        pl.col("first_seen"), pl.col("last_seen"), pl.col("status"), pl.col("job_url"),
    )


def _to_list_frame(frame: pl.DataFrame) -> pl.DataFrame:
    workplace = pl.col("workplace_type").str.to_lowercase()
    location = pl.concat_str([pl.col("location").str.replace_all(r"\s*;\s*", " | "),
                              pl.col("secondary_locations")], separator=" | ", ignore_nulls=True)
    return frame.with_columns(
        pl.col("job_id").alias("key"),
        pl.col("job_id").alias("source_posting_id"),
        pl.when(location != "").then(location).alias("location_raw"),
        pl.when(workplace.is_null()).then(None).otherwise(workplace.str.contains("remote"))
        .alias("is_remote_hint"),
        employment_type(pl.col("employment_type")).alias("employment_type"),
        parse_timestamp(pl.col("first_seen")).alias("first_seen"),
        parse_timestamp(pl.col("last_seen")).alias("last_seen"),
        parse_timestamp(pl.col("published")).dt.date().alias("posted_date"),
        pl.col("job_url").alias("url"),
        pl.lit("ai_labs").alias("list_name"),
    )


def _keep_real(frame: pl.DataFrame, seed_ids: set[str]) -> pl.DataFrame:
    real = pl.col("job_id").str.contains(REAL_ID).fill_null(False)
    seed_ids.update(frame.filter(~real).get_column("job_id").drop_nulls().to_list())
    return frame.filter(real)


def parse(snapshots: dict[str, Snapshot]) -> ParseResult:
    frames: list[pl.DataFrame] = []
    seed_ids: set[str] = set()  # the same seed rows recur in every tracker file: count them once
    union = read_union_csv(snapshots.get(UNION_FILE.name))
    if union is not None:
        frames.append(sightings(_to_list_frame(_keep_real(union, seed_ids))))
    for file in TRACKER_FILES:
        snap = snapshots.get(file.name)
        if snap is not None:
            rows = parse_tracker_csv(snap.read_bytes()).with_columns(
                pl.lit(snap.snapshot_id).alias("snapshot_id"),
                pl.lit(snap.fetched_at, dtype=pl.Datetime("us", "UTC")).alias("fetched_at"))
            frames.append(sightings(_to_list_frame(_keep_real(rows, seed_ids))))
    for live in LIVE_FILES:
        for snap in live_history(snapshots, live.name):
            rows = _keep_real(parse_tracker_csv(snap.read_bytes()), seed_ids)
            # The tracker's own first_seen is older than our fetch: keep it, and our fetch extends last_seen.
            listed = _to_list_frame(rows)
            at = pl.lit(snap.fetched_at, dtype=pl.Datetime("us", "UTC"))
            frames.append(sightings(listed.with_columns(
                pl.min_horizontal(pl.col("first_seen"), at).alias("first_seen"),
                pl.max_horizontal(pl.col("last_seen"), at).alias("last_seen"),
                pl.lit(snap.snapshot_id).alias("snapshot_id"), at.alias("fetched_at"))))
    drops = {"seed test row (id not <ats>_<company>_<id>)": len(seed_ids)}
    return finish_postings(union_sightings(frames), NAME, drops)


def _count_rows(data: bytes, _live: LiveFile) -> int:
    return parse_tracker_csv(data).filter(pl.col("job_id").str.contains(REAL_ID).fill_null(False)).height


SOURCE = joblist_source(
    live_files=LIVE_FILES,
    count_rows=_count_rows,
    name=NAME,
    description="Job boards of frontier AI labs (OpenAI, Anthropic, DeepMind, Scale AI, Perplexity, Runway, "
                "Inflection), scraped daily Aug 2025 - Aug 2026, plus today's registry when online.",
    license=LICENSE,
    homepage=f"https://github.com/{REPO}",
    parse=parse,
    files=(UNION_FILE, *TRACKER_FILES),
    citation=f"Reed Rawlings, AI Lab Jobs Tracker, {REPO} (GitHub), outputs/registry and outputs/snapshots.",
    notes="A census of a few labs' boards, not a market sample; jobs that opened and closed between "
          "2026-04-08 and 2026-08-22 are mostly missing.",
)
