"""Every column defined once (name, dtype, meaning, constraints); table schemas are built from these.

`validate(table, frame)` checks presence, dtype, nullability, allowed values and ranges, and raises a
SchemaError naming the table, the column and the first offending rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from marketlib.clean.values import parse_bool
from marketlib.errors import SchemaError

YOE_BUCKETS = ("none", "0-1", "2-4", "5-7", "8+")
ROLE_FAMILIES = ("ml_engineer", "data_scientist", "research_scientist", "data_engineer", "data_analyst",
                 "software_engineer", "other")
SENIORITIES = ("intern", "junior", "mid", "senior", "manager")
DOMAINS = ("cv", "nlp", "llm", "recsys", "fraud", "search", "forecasting", "speech")
SALARY_SOURCES = ("field", "text", "estimate")
STATUSES = ("ok", "empty", "blocked", "error")


@dataclass(frozen=True)
class Column:
    name: str
    dtype: pl.DataType
    meaning: str
    nullable: bool = True
    allowed: tuple[str, ...] | None = None
    min_value: float | None = None
    max_value: float | None = None
    unique: bool = False


_STR = pl.String()
_LIST_STR = pl.List(pl.String())

def index_columns(columns: list[Column]) -> dict[str, Column]:
    """Columns by name; a name defined twice is an error (a dict would silently keep the last definition)."""
    by_name: dict[str, Column] = {}
    for column in columns:
        if column.name in by_name:
            raise ValueError(f"column {column.name!r} is defined twice")
        by_name[column.name] = column
    return by_name


COLUMN_DEFINITIONS: list[Column] = [
    # provenance, shared by all tables
    Column("source", _STR, "Registry name of the source the row came from.", nullable=False),
    Column("snapshot_id", _STR, "Raw snapshot the row was parsed from: <source>/<date>/<file>.", nullable=False),
    Column("fetched_at", pl.Datetime("us", "UTC"), "When the snapshot was fetched (UTC)."),
    # postings
    Column("posting_id", _STR, "Stable id: sha256 of source + source id (or canonical content), 16 hex.",
           nullable=False, unique=True),
    Column("source_posting_id", _STR, "The posting's id at its source (or null)."),
    Column("title", _STR, "Job title as posted.", nullable=False),
    Column("company", _STR, "Employer name as posted."),
    Column("location_raw", _STR, "Location text as posted (several locations joined by ' | ')."),
    Column("city", _STR, "City of the first location."),
    Column("region", _STR, "State/province code or name of the first location."),
    Column("country", _STR, "ISO-3166 alpha-2 country of the first location."),
    Column("metro_code", _STR, "CBSA code of the first US location (5 digits)."),
    Column("metro_name", _STR, "BLS OEWS area title of metro_code."),
    Column("metro_codes", _LIST_STR, "CBSA codes of every US location of the posting, each once."),
    Column("is_remote", pl.Boolean(), "The posting allows remote work."),
    Column("remote_scope", _STR, "Where remote work is allowed when the posting says: ISO-2 codes or regions, ';'."),
    Column("description", _STR, "Posting body as plain text."),
    Column("role_family", _STR, "Role family from the title.", allowed=ROLE_FAMILIES),
    Column("seniority", _STR, "Seniority from the title.", allowed=SENIORITIES),
    Column("domains", _LIST_STR, "ML domains the role works on or requires."),
    Column("domain_terms", _LIST_STR, "The dictionary terms that matched, as domain:term."),
    Column("skills", _LIST_STR, "Canonical skills named in the posting."),
    Column("yoe_min", pl.Float64(), "Least total years of experience that meet the requirements.",
           min_value=0, max_value=50),
    Column("yoe_max", pl.Float64(), "Upper end of the range that gave yoe_min.", min_value=0, max_value=50),
    Column("yoe_bucket", _STR, "yoe_min bucketed: none, 0-1, 2-4, 5-7, 8+.", nullable=False,
           allowed=YOE_BUCKETS),
    Column("yoe_phrase", _STR, "The text that gave yoe_min."),
    Column("salary_min_usd", pl.Float64(), "Annual salary, low end, in USD.", min_value=0),
    Column("salary_max_usd", pl.Float64(), "Annual salary, high end, in USD.", min_value=0),
    Column("salary_source", _STR, "Where the salary came from: field, text or estimate.",
           allowed=SALARY_SOURCES),
    Column("employment_type", _STR, "full_time, part_time, contract, internship or null."),
    Column("company_size", _STR, "Company head-count band as given by the source."),
    Column("posted_date", pl.Date(), "Date the posting appeared (source date or first seen)."),
    Column("first_seen_at", pl.Datetime("us", "UTC"), "First time a list showed the posting (UTC)."),
    Column("last_seen_at", pl.Datetime("us", "UTC"), "Last time a list showed the posting (UTC)."),
    Column("url", _STR, "Link to the posting (http/https only)."),
    Column("is_duplicate", pl.Boolean(), "Same company+title+metro as an earlier-kept posting.", nullable=False),
    # case studies
    Column("case_id", _STR, "Stable id of a case study within its source and edition.", nullable=False),
    Column("edition_date", pl.Date(), "Date of the catalogue edition.", nullable=False),
    Column("industry", _STR, "Industry as tagged by the catalogue."),
    Column("tags", _LIST_STR, "Original tags / categories as given by the catalogue."),
    Column("year", pl.Int32(), "Year the case study was published."),
    # professionals (BLS OEWS)
    Column("area_code", _STR, "BLS OEWS area code.", nullable=False),
    Column("area_type", _STR, "national, state, msa, nonmetro (BLS) or cma (a Canadian metro).", nullable=False,
           allowed=("national", "state", "msa", "nonmetro", "cma")),
    Column("area_name", _STR, "BLS OEWS area title.", nullable=False),
    Column("soc_code", _STR, "SOC occupation code, e.g. 15-2051.", nullable=False),
    Column("occupation_name", _STR, "SOC occupation title."),
    Column("employment", pl.Int64(), "Employment estimate (jobs); null when not released.", min_value=0),
    Column("employment_rse_pct", pl.Float64(), "Relative standard error of employment (%): OEWS's published "
           "sampling error, or for an estimate the stated error of its method.", min_value=0),
    Column("is_estimate", pl.Boolean(), "The employment is apportioned by marketlib, not a published count."),
    Column("annual_median_wage_usd", pl.Float64(), "Annual median wage in USD.", min_value=0),
    Column("is_median_wage_top_coded", pl.Boolean(), "Median wage is at or above the BLS cap and shown as the cap."),
    # salaries (ai-jobs.net)
    Column("work_year", pl.Int32(), "Year the salary was paid.", nullable=False),
    Column("job_title", _STR, "Job title as reported.", nullable=False),
    Column("experience_level", _STR, "EN, MI, SE or EX.", allowed=("EN", "MI", "SE", "EX")),
    Column("salary_usd", pl.Float64(), "Annual salary in USD.", nullable=False, min_value=0),
    Column("company_location", _STR, "ISO-2 country of the employer."),
    Column("employee_residence", _STR, "ISO-2 country of the employee."),
    Column("remote_ratio", pl.Int32(), "0, 50 or 100 percent remote.", min_value=0, max_value=100),
    # postings index (Indeed Hiring Lab)
    Column("date", pl.Date(), "Observation date.", nullable=False),
    Column("geography", _STR, "Country code, state, metro or city name.", nullable=False),
    Column("geography_type", _STR, "country, state, region, metro, city or sector.", nullable=False),
    Column("series", _STR, "Series name, e.g. 'total', 'new', a sector name.", nullable=False),
    Column("variable", _STR, "What the value measures, e.g. 'pct_chng_feb_1_2020' or 'index'.", nullable=False),
    Column("value", pl.Float64(), "The measured value."),
    Column("is_seasonally_adjusted", pl.Boolean(), "The series is seasonally adjusted."),
    # job seekers (HN "Who wants to be hired?")
    Column("month_date", pl.Date(), "First day of the month the thread covers.", nullable=False),
    Column("thread_id", _STR, "Hacker News item id of the thread (null for counts taken from a peer)."),
    Column("seekers", pl.Int64(), "Top-level 'Who wants to be hired?' comments (job seekers).", min_value=0),
    Column("hiring_posts", pl.Int64(), "Top-level 'Who is hiring?' comments (employers).", min_value=0),
    Column("counts_from", _STR, "Who counted the month: live_fetch (this project) or controlarm (a peer's counts).",
           allowed=("live_fetch", "controlarm")),
    # published figures (data/raw/reference), checked by the claims report
    Column("figure_id", _STR, "Stable id of a published figure.", nullable=False, unique=True),
    Column("topic", _STR, "Report topic the figure belongs to.", nullable=False),
    Column("claim", _STR, "The published statement, in words.", nullable=False),
    Column("published_value", _STR, "The figure as published: a number or a label such as '2-4'.",
           nullable=False),
    Column("unit", _STR, "Unit of published_value, e.g. pct, count, ratio, years.", nullable=False),
    Column("population", _STR, "What the figure was measured on.", nullable=False),
    Column("source_title", _STR, "Title of the publication.", nullable=False),
    Column("source_url", _STR, "Link to the publication.", nullable=False),
    Column("publication_date", _STR, "Publication date as cited: YYYY, YYYY-MM or YYYY-MM-DD.", nullable=False),
    Column("cited_via", _STR, "The text that cites the publication, when it was found through one."),
    Column("cited_via_url", _STR, "Link to the citing text."),
    Column("page", _STR, "Page, section or date locating the figure in the publication."),
    Column("note", _STR, "How the figure is read or compared."),
    # Hacker News monthly series: the posts the project holds, and a peer's counts kept apart for comparison
    Column("held_posts", pl.Int64(), "Live top-level 'Who is hiring?' posts the project holds for the month.",
           nullable=False, min_value=0),
    Column("held_ml_posts", pl.Int64(), "Held posts whose text matches the peer's 'machine learning' expression.",
           nullable=False, min_value=0),
    Column("peer_hiring_posts", pl.Int64(), "The peer's (controlarm) count of the month's hiring posts.",
           min_value=0),
    Column("keyword", _STR, "The peer's keyword (its own label, e.g. 'Machine learning').", nullable=False),
    Column("share_pct", pl.Float64(), "Percent of the month's hiring posts the peer found the keyword in.",
           min_value=0, max_value=100),
    Column("comment_id", _STR, "Hacker News item id of the post.", nullable=False),
    Column("peer_location", _STR, "The archive collector's own location cut (a peer's output, never a label)."),
    Column("peer_country", _STR, "The archive collector's geocoded country."),
    Column("peer_lat", pl.Float64(), "The archive collector's geocoded latitude."),
    Column("peer_lon", pl.Float64(), "The archive collector's geocoded longitude."),
    Column("peer_is_remote", pl.Boolean(), "The archive collector's remote flag."),
    Column("peer_is_intern", pl.Boolean(), "The archive collector's intern flag."),
    Column("peer_mentions_h1b", pl.Boolean(), "The archive collector's H-1B keyword flag."),
    # the source catalog: what each registered source is and how to credit it (the registry, as a table)
    Column("source_kind", _STR, "How the source is gathered: scrape, download, reference or import.",
           nullable=False),
    Column("license", _STR, "The source's license or terms.", nullable=False),
    Column("citation", _STR, "How to cite the source (or its homepage)."),
    Column("homepage", _STR, "Where the source lives."),
    Column("feeds_tables", _LIST_STR, "Processed tables the source feeds."),
]
COLUMNS: dict[str, Column] = index_columns(COLUMN_DEFINITIONS)

TABLES: dict[str, tuple[str, ...]] = {
    "postings": (
        "posting_id", "source", "snapshot_id", "source_posting_id", "title", "company", "location_raw", "city",
        "region", "country", "metro_code", "metro_name", "metro_codes", "is_remote", "remote_scope",
        "description",
        "role_family", "seniority", "domains", "domain_terms", "skills", "yoe_min", "yoe_max", "yoe_bucket",
        "yoe_phrase", "salary_min_usd", "salary_max_usd", "salary_source", "employment_type", "company_size",
        "posted_date", "first_seen_at", "last_seen_at", "fetched_at", "url", "is_duplicate",
    ),
    "case_studies": (
        "case_id", "source", "snapshot_id", "edition_date", "company", "industry", "title", "tags", "domains",
        "year", "url",
    ),
    "professionals": (
        "area_code", "area_type", "area_name", "metro_code", "soc_code", "occupation_name", "employment",
        "employment_rse_pct", "is_estimate", "annual_median_wage_usd", "is_median_wage_top_coded", "year",
        "source", "snapshot_id",
    ),
    "salaries": (
        "work_year", "job_title", "role_family", "experience_level", "employment_type", "salary_usd",
        "company_location", "employee_residence", "company_size", "remote_ratio", "source", "snapshot_id",
    ),
    "postings_index": (
        "date", "geography", "geography_type", "series", "variable", "value", "is_seasonally_adjusted",
        "source", "snapshot_id",
    ),
    "seekers": ("month_date", "thread_id", "seekers", "hiring_posts", "counts_from", "source", "snapshot_id"),
    "reference": (
        "figure_id", "topic", "claim", "published_value", "unit", "population", "source_title", "source_url",
        "publication_date", "cited_via", "cited_via_url", "page", "note", "source", "snapshot_id",
    ),
    "hn_held_months": ("month_date", "held_posts", "held_ml_posts", "source", "snapshot_id"),
    "hn_peer_volume": ("month_date", "peer_hiring_posts", "source", "snapshot_id"),
    "hn_peer_keywords": ("month_date", "keyword", "share_pct", "source", "snapshot_id"),
    "hn_peer_fields": ("comment_id", "month_date", "peer_location", "peer_country", "peer_lat", "peer_lon",
                       "peer_is_remote", "peer_is_intern", "peer_mentions_h1b", "source", "snapshot_id"),
    # Built from the source registry (code, not a snapshot): snapshot_id is "registry".
    "source_catalog": ("source", "source_kind", "license", "citation", "homepage", "feeds_tables", "snapshot_id"),
}

# What a source's parser returns for postings before cleaning: the build turns this into `postings`.
RAW_POSTING_COLUMNS: dict[str, pl.DataType] = {
    "source": _STR,
    "snapshot_id": _STR,
    "source_posting_id": _STR,
    "title": _STR,
    "company": _STR,
    "location_raw": _STR,       # several locations joined by " | "
    "description": _STR,        # plain text or HTML; cleaning converts HTML to text
    "is_remote_hint": pl.Boolean(),  # the source's own remote flag, when it has one
    "salary_min": pl.Float64(),
    "salary_max": pl.Float64(),
    "salary_currency": _STR,    # ISO-4217; null means USD
    "salary_period": _STR,      # year, month, week, day, hour; null means year
    "salary_text": _STR,        # free text holding a salary, parsed when min/max are null
    "salary_is_estimate": pl.Boolean(),  # the source labels salary_min/max an estimate, not the stated pay
    "employment_type": _STR,
    "company_size": _STR,
    "posted_date": pl.Date(),
    "fetched_at": pl.Datetime("us", "UTC"),
    "first_seen_at": pl.Datetime("us", "UTC"),  # job lists: first and last sighting
    "last_seen_at": pl.Datetime("us", "UTC"),
    "url": _STR,
}


def schema(table: str) -> dict[str, pl.DataType]:
    """The polars schema of a processed table."""
    if table not in TABLES:
        raise KeyError(f"unknown table {table!r}; tables: {', '.join(TABLES)}")
    return {name: COLUMNS[name].dtype for name in TABLES[table]}


def empty(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema=schema(table))


def empty_raw_postings() -> pl.DataFrame:
    return pl.DataFrame(schema=RAW_POSTING_COLUMNS)


def conform(frame: pl.DataFrame, columns: dict[str, pl.DataType]) -> pl.DataFrame:
    """Add missing columns as nulls, cast to the given dtypes and order them; extra columns are dropped."""
    exprs = []
    for name, dtype in columns.items():
        if name in frame.columns:
            exprs.append(_cast(pl.col(name), frame.schema[name], dtype).alias(name))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(exprs)


def _cast(expr: pl.Expr, current: pl.DataType, dtype: pl.DataType) -> pl.Expr:
    """Cast leniently (unparseable -> null); text dates, timestamps and booleans are parsed, not cast."""
    if current == dtype:
        return expr
    if current == pl.String:
        if dtype == pl.Date:
            return expr.str.strip_chars().str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
        if isinstance(dtype, pl.Datetime):
            parsed = expr.str.strip_chars().str.to_datetime(strict=False, time_unit="us", time_zone="UTC")
            return parsed.cast(dtype, strict=False)
        if dtype == pl.Boolean:
            return parse_bool(expr)
    return expr.cast(dtype, strict=False)


def conform_raw_postings(frame: pl.DataFrame) -> pl.DataFrame:
    return conform(frame, RAW_POSTING_COLUMNS)


def _rows_hint(frame: pl.DataFrame, mask: pl.Series, column: str) -> str:
    idx = frame.with_row_index("_row").filter(mask).select("_row", column).head(5)
    pairs = [f"row {r}: {v!r}" for r, v in idx.iter_rows()]
    return "; ".join(pairs)


def validate(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Check a frame against its table schema; return it with columns in schema order."""
    expected = schema(table)
    missing = [c for c in expected if c not in frame.columns]
    if missing:
        raise SchemaError(f"Table {table!r} is missing column(s) {', '.join(missing)}.")
    for name, dtype in expected.items():
        col = COLUMNS[name]
        series = frame.get_column(name)
        if series.dtype != dtype:
            raise SchemaError(f"Table {table!r} column {name!r} has dtype {series.dtype}, expected {dtype}.")
        if not col.nullable and series.null_count():
            raise SchemaError(f"Table {table!r} column {name!r} has nulls: "
                              f"{_rows_hint(frame, series.is_null(), name)}.")
        if col.allowed is not None:
            bad = series.is_not_null() & ~series.is_in(list(col.allowed))
            if bad.any():
                raise SchemaError(f"Table {table!r} column {name!r} has values outside "
                                  f"{list(col.allowed)}: {_rows_hint(frame, bad, name)}.")
        if col.min_value is not None or col.max_value is not None:
            bad = pl.Series("bad", [False] * len(series), dtype=pl.Boolean)
            if col.min_value is not None:
                bad = bad | (series < col.min_value).fill_null(False)
            if col.max_value is not None:
                bad = bad | (series > col.max_value).fill_null(False)
            if bad.any():
                raise SchemaError(f"Table {table!r} column {name!r} is out of range "
                                  f"[{col.min_value}, {col.max_value}]: {_rows_hint(frame, bad, name)}.")
        if col.unique:
            dup = series.is_duplicated()
            if dup.any():
                raise SchemaError(f"Table {table!r} column {name!r} has duplicate values: "
                                  f"{_rows_hint(frame, dup, name)}.")
    return frame.select(list(expected))


def describe(table: str) -> list[tuple[str, str, str]]:
    """(name, dtype, meaning) of each column, for docs and `marketlib validate`."""
    return [(n, str(COLUMNS[n].dtype), COLUMNS[n].meaning) for n in TABLES[table]]
