"""GENERATED TEST DATA: small processed tables written into a test project's data/processed.

Nothing here is real: every row is made up by this module so analysis and notebook tests can assert exact
numbers. Sources are named `generated_*` so no output can be mistaken for a real report.

The exception is `reference`: the committed published figures (data/raw/reference), which the claims check.

Key numbers (the tests rely on them):
- ml_engineer postings (non-duplicate): 60 = 40 SF Bay Area (30 SF only, 5 SF + San Jose, 5 San Jose only)
  + 12 Los Angeles + 8 Toronto, CA; one more Bay Area posting is a duplicate (excluded); 5 data_analyst
  postings in New York (excluded by the default role families).
- every posting is open all of 2024 (first seen 2024-01-01, last seen 2024-12-31): the day-average of 2024
  (the default window) counts each posting once.
- professionals (SOC 15-2051 + 15-1221): San Francisco 600 + 400, San Jose 150 + suppressed, Los Angeles
  500 + 100, RSE 10% each; software developers (15-1252) rows exist and must be ignored; Toronto (CMA 35535)
  an ESTIMATE of 500 data scientists (RSE 25%).
  -> Bay Area 40 / 1150, Los Angeles 12 / 600, Toronto 8 / 500 (estimate).
- yoe buckets of the 60: none 43, 2-4 10, 5-7 5, 0-1 2. Python in 34, SQL in 5, remote 7, salary 21.
- Evidently edition 2025-01-15: CV 30, NLP 48, LLM 92, recommender system 82, fraud detection 29 rows;
  edition 2024-05-17: CV 17, NLP 36, recommender system 59, fraud detection 21.
- Hiring Lab-like index: US total peaks 2022-03-01 at 160 and first falls below 100 on 2023-07-01.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from marketlib import schemas
from marketlib.atomic import write_parquet_atomic

GEN = "generated"
SNAP = "{source}/2025-01-20/generated.csv"


def _snap(source: str) -> str:
    return SNAP.format(source=source)


def postings() -> pl.DataFrame:
    rows = []

    def add(
        pid: str,
        *,
        metro_codes: list[str],
        city: str,
        country: str,
        role: str = "ml_engineer",
        duplicate: bool = False,
    ) -> None:
        i = len(rows)
        source = f"{GEN}_joblist" if i < 45 else f"{GEN}_ats"
        rows.append(
            {
                "posting_id": pid,
                "source": source,
                "snapshot_id": _snap(source),
                "title": f"Machine Learning Engineer <b>{i}</b>" if role == "ml_engineer" else "Data Analyst",
                "company": f"Generated Co {i % 7}",
                "city": city,
                "country": country,
                "metro_code": metro_codes[0] if metro_codes else None,
                "metro_codes": metro_codes,
                "role_family": role,
                "is_duplicate": duplicate,
                "posted_date": dt.date(2024, 6, 1) + dt.timedelta(days=i),
                # every posting is open all of 2024, so the day-average of 2024 counts each posting once
                "first_seen_at": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
                "last_seen_at": dt.datetime(2024, 12, 31, 12, tzinfo=dt.UTC),
            }
        )

    for i in range(40):
        codes = ["41860"] if i < 30 else (["41860", "41940"] if i < 35 else ["41940"])
        add(f"bay{i:03d}", metro_codes=codes, city="San Francisco" if i < 35 else "San Jose", country="US")
    for i in range(12):
        add(f"la{i:03d}", metro_codes=["31080"], city="Los Angeles", country="US")
    for i in range(8):
        add(f"tor{i:03d}", metro_codes=[], city="Toronto", country="CA")
    add("bay_dup", metro_codes=["41860"], city="San Francisco", country="US", duplicate=True)
    for i in range(5):
        add(f"ny{i:03d}", metro_codes=["35620"], city="New York", country="US", role="data_analyst")

    frame = pl.DataFrame(rows)
    idx = pl.int_range(pl.len())
    ml = pl.col("role_family") == "ml_engineer"
    bucket = (
        pl.when(idx < 43)
        .then(pl.lit("none"))
        .when(idx < 53)
        .then(pl.lit("2-4"))
        .when(idx < 58)
        .then(pl.lit("5-7"))
        .otherwise(pl.lit("0-1"))
    )
    yoe = pl.when(bucket == "2-4").then(3.0).when(bucket == "5-7").then(5.0).when(bucket == "0-1").then(1.0)
    skills = (
        pl.when(idx < 5)
        .then(pl.lit(["python", "sql"]))
        .when(idx < 34)
        .then(pl.lit(["python", "pytorch"]))
        .otherwise(pl.lit(["java"]))
    )
    domains = (
        pl.when(idx < 10)
        .then(pl.lit(["cv"]))
        .when(idx < 16)
        .then(pl.lit(["recsys"]))
        .when(idx < 36)
        .then(pl.lit(["llm", "nlp"]))
        .otherwise(pl.lit([], dtype=pl.List(pl.String)))
    )
    frame = frame.with_columns(
        pl.when(ml).then(bucket).otherwise(pl.lit("none")).alias("yoe_bucket"),
        pl.when(ml).then(yoe).alias("yoe_min"),
        pl.when(ml).then(skills).otherwise(pl.lit(["excel"])).alias("skills"),
        pl.when(ml).then(domains).otherwise(pl.lit([], dtype=pl.List(pl.String))).alias("domains"),
        ((idx % 9 == 0) & (idx < 61)).alias("is_remote"),  # 0, 9, ..., 54: 7 ML postings
        pl.when(idx < 21).then(100_000.0 + 1_000.0 * idx).alias("salary_min_usd"),
        pl.when(idx < 21).then(150_000.0 + 1_000.0 * idx).alias("salary_max_usd"),
        pl.when(idx < 21).then(pl.lit("field")).alias("salary_source"),
        pl.when(idx < 40).then(pl.lit("intern")).otherwise(pl.lit("mid")).alias("seniority"),
        pl.when(idx < 40).then(pl.lit("internship")).otherwise(pl.lit("full_time")).alias("employment_type"),
        # Generated filler long enough to count as a posting text (text-derived measures need one).
        pl.lit("Generated test posting text. " * 20).alias("description"),
    )
    return schemas.validate("postings", schemas.conform(frame, schemas.schema("postings")))


def professionals() -> pl.DataFrame:
    cells = [
        ("41860", "San Francisco-Oakland-Fremont, CA", "15-2051", 600),
        ("41860", "San Francisco-Oakland-Fremont, CA", "15-1221", 400),
        ("41860", "San Francisco-Oakland-Fremont, CA", "15-1252", 50_000),
        ("41940", "San Jose-Sunnyvale-Santa Clara, CA", "15-2051", 150),
        ("41940", "San Jose-Sunnyvale-Santa Clara, CA", "15-1221", None),
        ("31080", "Los Angeles-Long Beach-Anaheim, CA", "15-2051", 500),
        ("31080", "Los Angeles-Long Beach-Anaheim, CA", "15-1221", 100),
        ("35620", "New York-Newark-Jersey City, NY-NJ", "15-2051", 900),
    ]
    canada = [("35535", "Toronto, ON", "15-2051", 500), ("35535", "Toronto, ON", "15-1252", 9_000)]
    frame = pl.DataFrame(
        {
            "area_code": [f"00{c[0]}" for c in cells],
            "area_type": ["msa"] * len(cells),
            "area_name": [c[1] for c in cells],
            "metro_code": [c[0] for c in cells],
            "soc_code": [c[2] for c in cells],
            "employment": [c[3] for c in cells],
            "employment_rse_pct": [10.0] * len(cells),
            "is_estimate": [False] * len(cells),
            "year": [2025] * len(cells),
            "source": [f"{GEN}_oews"] * len(cells),
            "snapshot_id": [_snap(f"{GEN}_oews")] * len(cells),
        },
        schema_overrides={"employment": pl.Int64, "year": pl.Int32},
    )
    estimated = pl.DataFrame(
        {
            "area_code": [c[0] for c in canada],
            "area_type": ["cma"] * len(canada),
            "area_name": [c[1] for c in canada],
            "soc_code": [c[2] for c in canada],
            "employment": [c[3] for c in canada],
            "employment_rse_pct": [25.0] * len(canada),
            "is_estimate": [True] * len(canada),
            "year": [2021] * len(canada),
            "source": [f"{GEN}_statcan"] * len(canada),
            "snapshot_id": [_snap(f"{GEN}_statcan")] * len(canada),
        },
        schema_overrides={"employment": pl.Int64, "year": pl.Int32},
    )
    frame = pl.concat([schemas.conform(frame, schemas.schema("professionals")),
                       schemas.conform(estimated, schemas.schema("professionals"))])
    return schemas.validate("professionals", schemas.conform(frame, schemas.schema("professionals")))


def case_studies() -> pl.DataFrame:
    editions = {
        (f"{GEN}_evidently", dt.date(2025, 1, 15)): {
            "CV": 30,
            "NLP": 48,
            "LLM": 92,
            "recommender system": 82,
            "fraud detection": 29,
        },
        (f"{GEN}_evidently", dt.date(2024, 5, 17)): {
            "CV": 17,
            "NLP": 36,
            "recommender system": 59,
            "fraud detection": 21,
        },
        (f"{GEN}_eren23", dt.date(2026, 7, 25)): {"genai": 12, "rec": 9, "cv": 5},
    }
    domain_of = {  # keys: the bare tag
        "cv": "cv",
        "nlp": "nlp",
        "llm": "llm",
        "recommender system": "recsys",
        "rec": "recsys",
        "fraud detection": "fraud",
        "genai": "llm",
    }
    rows = []
    for (source, edition), tags in editions.items():
        for tag, count in tags.items():
            for i in range(count):
                rows.append(
                    {
                        "case_id": f"{edition}-{tag}-{i}",
                        "source": source,
                        "snapshot_id": _snap(source),
                        "edition_date": edition,
                        "company": f"Generated Co {i % 5}",
                        "title": f"Generated case {i}",
                        "tags": [f"category:{tag}"] if "eren23" in source else [tag],
                        "domains": [domain_of[tag.lower()]],
                        "year": 2023,
                    }
                )
    frame = pl.DataFrame(rows, schema_overrides={"year": pl.Int32})
    return schemas.validate("case_studies", schemas.conform(frame, schemas.schema("case_studies")))


def salaries() -> pl.DataFrame:
    rows = []
    for year in (2023, 2024):
        for level, base in (("EN", 100_000), ("MI", 140_000), ("SE", 180_000)):
            for country in ("US", "GB"):
                for i in range(10):
                    rows.append(
                        {
                            "work_year": year,
                            "job_title": "Machine Learning Engineer",
                            "role_family": "ml_engineer",
                            "experience_level": level,
                            "employment_type": "FT",
                            "salary_usd": float(base + 1_000 * i - (40_000 if country == "GB" else 0)),
                            "company_location": country,
                            "employee_residence": country,
                            "remote_ratio": 0,
                            "source": f"{GEN}_aijobs",
                            "snapshot_id": _snap(f"{GEN}_aijobs"),
                        }
                    )
    frame = pl.DataFrame(rows, schema_overrides={"work_year": pl.Int32, "remote_ratio": pl.Int32})
    return schemas.validate("salaries", schemas.conform(frame, schemas.schema("salaries")))


def _months(start: dt.date, count: int) -> list[dt.date]:
    return [
        dt.date(start.year + (start.month - 1 + k) // 12, (start.month - 1 + k) % 12 + 1, 1)
        for k in range(count)
    ]


def index_curve(months: list[dt.date]) -> list[float]:
    """100 at Feb 2020, linear up to 160 at Mar 2022, linear down by 4 a month afterwards."""
    peak = months.index(dt.date(2022, 3, 1))
    return [100.0 + 60.0 * k / peak if k <= peak else 160.0 - 4.0 * (k - peak) for k in range(len(months))]


def postings_index() -> pl.DataFrame:
    months = _months(dt.date(2020, 2, 1), 59)  # to 2024-12
    curve = index_curve(months)
    series = [
        ("US", "country", "total"),
        ("CA", "country", "total"),
        ("GB", "country", "total"),
        ("US", "sector", "Software Development"),
        ("US", "sector", "Mathematics"),
        ("Toronto, ON", "metro", "total"),
    ]
    rows = []
    for geography, kind, name in series:
        scale = 1.0 if geography == "US" and name == "total" else 0.9
        for month, value in zip(months, curve, strict=True):
            rows.append(
                {
                    "date": month,
                    "geography": geography,
                    "geography_type": kind,
                    "series": name,
                    "variable": "index",
                    "value": 100.0 + (value - 100.0) * scale,
                    "is_seasonally_adjusted": True,
                    "source": f"{GEN}_hiring_lab",
                    "snapshot_id": _snap(f"{GEN}_hiring_lab"),
                }
            )
    frame = pl.DataFrame(rows)
    return schemas.validate("postings_index", schemas.conform(frame, schemas.schema("postings_index")))


def seekers() -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            "month_date": _months(dt.date(2025, 1, 1), 3),
            "thread_id": ["1", "2", "3"],
            "seekers": [300, 320, 280],
            "hiring_posts": [100, 80, 70],
            "source": [f"{GEN}_hn"] * 3,
            "snapshot_id": [_snap(f"{GEN}_hn")] * 3,
        }
    )
    return schemas.validate("seekers", schemas.conform(frame, schemas.schema("seekers")))


def reference() -> pl.DataFrame:
    """The committed published figures as the `reference` table (the one real table here: claims check it)."""
    path = Path(__file__).resolve().parents[2] / "data" / "raw" / "reference" / "published_figures.csv"
    frame = pl.read_csv(path, infer_schema=False).rename({"value": "published_value"})
    frame = frame.with_columns(pl.lit("reference").alias("source"), pl.lit("reference-generated").alias("snapshot_id"))
    return schemas.validate("reference", schemas.conform(frame, schemas.schema("reference")))


def source_catalog() -> pl.DataFrame:
    """The registry as the build writes it (real: licenses and citations come from the sources)."""
    from marketlib.build import source_catalog as catalog
    from marketlib.sources import registry

    return catalog(list(registry().values()))


BUILDERS = {
    "postings": postings,
    "professionals": professionals,
    "case_studies": case_studies,
    "salaries": salaries,
    "postings_index": postings_index,
    "seekers": seekers,
    "reference": reference,
    "source_catalog": source_catalog,
}


def write_tables(processed_dir: Path, tables: list[str] | None = None) -> dict[str, pl.DataFrame]:
    """Write the generated tables as <processed_dir>/<table>.parquet; returns them."""
    out = {}
    for name in tables or list(BUILDERS):
        frame = BUILDERS[name]()
        write_parquet_atomic(frame, Path(processed_dir) / f"{name}.parquet")
        out[name] = frame
    return out
