"""Indeed Hiring Lab job-postings tracker -> `postings_index` (daily index, Feb 1 2020 = 100, or % change).

One long table for every file layout of the repository: per-country aggregates (SA and NSA), US/CA sectors,
US/CA metros (the 2022 US file holds % change since Feb 1 2020 instead of an index), US states and GB cities
or regions. A file's layout is recognised by its column names, never by its file name.
"""

from __future__ import annotations

import polars as pl

from marketlib import schemas
from marketlib.snapshots import Snapshot
from marketlib.sources import ParseResult, Source, UpstreamFile, parse_files

NAME = "hiring_lab"
REPO_RAW = "https://raw.githubusercontent.com/hiring-lab/job_postings_tracker"
HEAD = "8049a926080d19b7332edfd1eafd9d0dd4e5179b"
MIRROR = "indeed_hiring_lab"

# Geography column -> geography_type, in the order they are tried (sector files also hold `jobcountry`).
GEOGRAPHY_COLUMNS = {"CBSA Title": "metro", "Metro": "metro", "state": "state", "cities": "city",
                     "region": "region", "jobcountry": "country"}
SECTOR_COLUMN = "display_name"
VALUE_PREFIXES = ("indeed_job_postings_index", "pct_chng")


def _value_columns(columns: list[str]) -> list[str]:
    return [c for c in columns if c.startswith(VALUE_PREFIXES)]


def _series_from_variable(variable: pl.Expr) -> pl.Expr:
    """'total postings' -> 'total', 'new postings' -> 'new_postings'."""
    words = variable.str.strip_chars().str.to_lowercase()
    return pl.when(words == "total postings").then(pl.lit("total")).otherwise(words.str.replace_all(" ", "_"))


def index_from_table(frame: pl.DataFrame, snap: Snapshot) -> pl.DataFrame | None:
    """One tracker file as `postings_index` rows; None when its layout is not a tracker series."""
    values = _value_columns(frame.columns)
    geo_col = next((c for c in GEOGRAPHY_COLUMNS if c in frame.columns), None)
    if not values or geo_col is None or "date" not in frame.columns:
        return None
    is_sector = SECTOR_COLUMN in frame.columns
    geography = pl.col(geo_col).str.strip_chars()
    if geo_col == "state":  # 'ak' -> 'AK'
        geography = geography.str.to_uppercase()
    has_variable = "variable" in frame.columns
    variable_series = _series_from_variable(pl.col("variable")) if has_variable else pl.lit("total")
    if is_sector:
        sector = pl.col(SECTOR_COLUMN).str.strip_chars()
        series = pl.when(variable_series == "total").then(sector).otherwise(sector + ":" + variable_series)
    else:
        series = variable_series
    long = frame.select(
        pl.col("date").str.strip_chars().str.to_date("%Y-%m-%d", strict=False).alias("date"),
        geography.alias("geography"),
        pl.lit("sector" if is_sector else GEOGRAPHY_COLUMNS[geo_col]).alias("geography_type"),
        series.alias("series"),
        *[pl.col(c).str.strip_chars().cast(pl.Float64, strict=False).alias(c) for c in values],
    ).unpivot(index=["date", "geography", "geography_type", "series"], on=values,
              variable_name="variable", value_name="value")
    return long.with_columns(
        # The tracker's method is seasonally adjusted; only the aggregates' *_NSA column is not.
        (~pl.col("variable").str.ends_with("_NSA")).alias("is_seasonally_adjusted"),
        pl.lit(NAME).alias("source"),
        pl.lit(snap.snapshot_id).alias("snapshot_id"),
    ).select(schemas.TABLES["postings_index"])


def parse(snapshots: dict[str, Snapshot]) -> ParseResult:
    return parse_files(NAME, "postings_index", snapshots, convert=index_from_table,
                       not_ours="not a postings series (e.g. the sector job-title examples)",
                       required=pl.col("date").is_not_null(), unusable="rows without a valid date")


def _file(name: str, path: str, commit: str, sha256: str) -> UpstreamFile:
    return UpstreamFile(name=name, url=f"{REPO_RAW}/{commit}/{path}", version=commit, sha256=sha256,
                        mirror_path=f"{MIRROR}/{name}")


_AGGREGATE_SHA256 = {
    "AU": "1a80bd64479034b2350f2d13ece1318c7ef6152ac72a30a44c46155bafa4fd3b",
    "CA": "0f65bc8ca7340726e619b042a55945d6e0bce379e36c61a725b5b4a9b9a1bf66",
    "DE": "d95e043782a5c51e829763ccfdc1f6b8f7c688be85664ac97238ffd645a2a801",
    "EA": "ff6eeda454127db6c3e5fb40d7b809fe660e4dae0042b01ddba0411234e52859",
    "ES": "7ec08f04ccf0a01245a26d4da32ff97b78eb33b646304dca3e1f2b1a979e3419",
    "FR": "03b1b50dc1d90e58b8db844140959923806a5fdada819b80a5c886cfeaf55c73",
    "GB": "0eab0471b059bd3fe2cc4df8aefbbea9a942c0088a7651946403fb73aa444246",
    "IE": "32784fa4473283cddbefb2cc79ecbafc4c79dd56fbe928bf7c41351078009351",
    "IT": "06040b604ab1b8ee6b779e2d50dc8163e74613078b9f8037392177de293b6f5c",
    "NL": "5ce4ca0238f852da84f050311ae1e72521f08622a77f8cb9da65127c1257b981",
    "US": "13d8eb76f96b465d63c847e70e192aeac2fb723a98e8c5e7f68881d273c5975a",
}

FILES = (
    *(_file(f"aggregate_job_postings_{cc}.csv", f"{cc}/aggregate_job_postings_{cc}.csv", HEAD, sha)
      for cc, sha in _AGGREGATE_SHA256.items()),
    # Newer versions of the next two files are over 4 MiB and not in the mirror; these are the newest present.
    _file("job_postings_by_sector_US_2024-10-03.csv", "US/job_postings_by_sector_US.csv",
          "6594f59ac3ccca4fd767bd151e65e609189c0fae",
          "f2ea2e64a9b904254adb147ee01720e6bff9bb1d98619265a7ea6ae176d88400"),
    _file("job_postings_by_sector_CA_2024-11-26.csv", "CA/job_postings_by_sector_CA.csv",
          "fe69899c2a995c28e68b680ba11962eb4a49f48d",
          "84c3c127fc7c4aec9af2121d84f239fbe43bd570026e182dd4cf12df350fc8de"),
    _file("metro_job_postings_CA.csv", "CA/metro_job_postings_CA.csv", HEAD,
          "59b2716ec3fbe1bca9a76965436093d8feb5332aa6a8fb6345618323cd9b343d"),
    _file("metro_job_postings_us_2022-03-09.csv", "US/metro_job_postings_us.csv",
          "406e2b8b45170f08660f41777e63c9009ff25ae6",
          "3e3725c89e010e398c134e7344c4f25d0f82c94b5e315493885d28525dc9a5df"),
    _file("state_job_postings_us.csv", "US/state_job_postings_us.csv", HEAD,
          "1fa03bd8b37f4c66e4764836a63a5443a23c2cedc49d8f0999e9d8095e2510ac"),
    _file("city_postings_gb.csv", "GB/city_postings_gb.csv", HEAD,
          "c611b70f8b9d62ee46947b16ab65cf4c91b4172c53ef1628faac2b044db2d72f"),
    _file("sector-job-title-examples.csv", "sector-job-title-examples.csv", HEAD,
          "50124270d2c29b74451fced1180179a26edc5561704c131e8d04455259459558"),
)

SOURCE = Source(
    name=NAME,
    description="Indeed Hiring Lab job postings index (daily, Feb 1 2020 = 100) by country, sector, metro, "
                "state and city.",
    kind="download",
    license="CC BY 4.0 (cite Indeed Hiring Lab)",
    homepage="https://github.com/hiring-lab/job_postings_tracker",
    tables=("postings_index",),
    parse=parse,
    files=FILES,
    citation="Indeed Hiring Lab, job_postings_tracker",
    notes="Seasonal adjustment was revised in Nov 2024: the 2022 US metro and 2024 sector files predate it. "
          "There is no ML sector: data scientists fall under Mathematics, engineers under Software "
          "Development.",
)
