"""Per-field accuracy of the postings cleaning on the golden sets, by split (README.md in this folder).

Every golden posting goes through the real pipeline (`clean_postings`) with the title, description, location
field and source remote flag its source's parser would give it; the committed labels are compared with what
comes out. Splits: `dev` and `test` hold the postings of posting_labels.csv (labelled blind, split once by
key); `legacy` holds the older golden files, which the extractors were tuned on. Fields the new labels do not
cover (metro, skills) are reported on the legacy rows split by the same rule, and say so (`rows`).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

import polars as pl

from marketlib.clean import locations
from marketlib.clean.pipeline import clean_postings

GOLDEN = Path(__file__).resolve().parent
ACCURACY_FILE = GOLDEN / "accuracy.json"
SPLITS = ("dev", "test", "legacy")
NEW_ROWS = "posting_labels.csv (labelled blind)"
REPORTS: list[dict] = []  # measured in this test session, printed by conftest.py at the end
LEGACY_ROWS = "legacy golden rows (tuned on)"


def split_of(key: str) -> str:
    """`test` for 40% of keys, `dev` for the rest: fixed by the key alone, so a posting never moves."""
    return "test" if int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % 5 < 2 else "dev"


def read_labels(name: str) -> pl.DataFrame:
    lines = [line for line in (GOLDEN / name).read_text("utf-8").splitlines() if not line.startswith("#")]
    return pl.DataFrame(list(csv.DictReader(lines)), schema={c: pl.String for c in next(csv.reader(lines))})


def _number(col: str) -> pl.Expr:
    return pl.when(pl.col(col) == "").then(None).otherwise(pl.col(col)).cast(pl.Float64)


def _label_set(col: str) -> pl.Expr:
    return pl.col(col).fill_null("").str.split(";").list.eval(pl.element().filter(pl.element() != ""))


@lru_cache(maxsize=1)
def cleaned() -> pl.DataFrame:
    """Every golden posting key -> the cleaned `postings` row (column `key`)."""
    from tests.golden.corpus import place_of, text_of

    keys = sorted(set(read_labels("posting_labels.csv")["corpus_key"]) | set(read_labels("yoe_labels.csv")[
        "corpus_key"]) | set(read_labels("role_labels.csv")["corpus_key"]) | set(read_labels(
            "domain_skill_labels.csv")["key"]))
    rows = []
    for key in keys:
        title, description = text_of(key)
        location, remote_hint = place_of(key)
        rows.append({"source": key.split(":", 1)[0], "source_posting_id": key, "title": title,
                     "description": description, "location_raw": location, "is_remote_hint": remote_hint})
    schema = {"source": pl.String, "source_posting_id": pl.String, "title": pl.String, "description": pl.String,
              "location_raw": pl.String, "is_remote_hint": pl.Boolean}
    return clean_postings(pl.DataFrame(rows, schema=schema)).rename({"source_posting_id": "key"})


def _new_rows() -> pl.DataFrame:
    labels = read_labels("posting_labels.csv").rename({"corpus_key": "key"})
    return labels.select(
        "key", pl.col("key").map_elements(split_of, return_dtype=pl.String).alias("split"),
        "role_family", "seniority", _number("yoe_min").alias("yoe_min"), "yoe_bucket",
        _label_set("domains").alias("domains"), (pl.col("is_remote") == "true").alias("is_remote"),
        _label_set("remote_scope").alias("remote_scope"),
    )


def _legacy(name: str, key: str = "corpus_key") -> pl.DataFrame:
    labels = read_labels(name).rename({key: "key"})
    return labels.with_columns(pl.lit("legacy").alias("split"))


def _micro_f1(gold: list[list[str]], got: list[list[str]]) -> tuple[float, Counter]:
    counts: Counter = Counter()
    for g, p in zip(gold, got, strict=True):
        for label in set(g) | set(p):
            counts[(label, "tp" if label in g and label in p else "fp" if label in p else "fn")] += 1
    tp, fp, fn = (sum(v for (_, k), v in counts.items() if k == kind) for kind in ("tp", "fp", "fn"))
    return (2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0), counts


def _score(frame: pl.DataFrame, want: str, got: str, metric: str) -> dict:
    if metric == "micro_f1":
        value, _ = _micro_f1(frame[want].to_list(), frame[got].to_list())
    else:
        value = frame.select(pl.col(want).eq_missing(pl.col(got)).mean()).item() if frame.height else None
    return {"value": None if value is None else round(value, 4), "n": frame.height}


def _posting_fields() -> list[tuple[str, str, pl.DataFrame]]:
    """(field, metric, frame with want/got columns and a split) for every posting-level field."""
    out = cleaned().select("key", "role_family", "seniority", "yoe_min", "yoe_bucket", "domains", "skills",
                           "is_remote", _label_set("remote_scope").list.sort().alias("remote_scope"))
    new = _new_rows().join(out, on="key", suffix="_got")
    legacy_yoe = _legacy("yoe_labels.csv").select("key", "split", _number("yoe_min").alias("yoe_min"),
                                                   "yoe_bucket").join(out, on="key", suffix="_got")
    legacy_roles = _legacy("role_labels.csv").join(out, on="key", suffix="_got")
    skills = (read_labels("domain_skill_labels.csv")
              .select("key", _label_set("domains").alias("domains"), _label_set("skills").alias("skills"))
              .join(out, on="key", suffix="_got"))
    legacy_domains = skills.with_columns(pl.lit("legacy").alias("split"))
    # Skills have no blind labels yet: their dev/test are the legacy rows split by key (tuned on).
    skills_split = pl.concat([skills.with_columns(
        pl.col("key").map_elements(split_of, return_dtype=pl.String).alias("split")), legacy_domains])
    return [
        ("yoe_bucket", "accuracy", pl.concat([new.select("split", "yoe_bucket", "yoe_bucket_got"),
                                              legacy_yoe.select("split", "yoe_bucket", "yoe_bucket_got")])),
        ("yoe_min", "accuracy", pl.concat([new.select("split", "yoe_min", "yoe_min_got"),
                                           legacy_yoe.select("split", "yoe_min", "yoe_min_got")])),
        ("role_family", "accuracy", pl.concat([new.select("split", "role_family", "role_family_got"),
                                               legacy_roles.select("split", "role_family", "role_family_got")])),
        ("seniority", "accuracy", pl.concat([new.select("split", "seniority", "seniority_got"),
                                             legacy_roles.select("split", "seniority", "seniority_got")])),
        ("domains", "micro_f1", pl.concat([new.select("split", "domains", "domains_got"),
                                           legacy_domains.select("split", "domains", "domains_got")])),
        ("is_remote", "accuracy", pl.concat([
            new.select("split", "is_remote", "is_remote_got"),
            _location_rows().select(pl.lit("legacy").alias("split"), "is_remote", "is_remote_got")])),
        # Scope is scored on the postings labelled remote: does the cleaning name the same places?
        ("remote_scope", "accuracy", new.filter("is_remote").select(
            "split", pl.col("remote_scope").list.sort(), "remote_scope_got")),
        ("skills", "micro_f1", skills_split.select("split", "skills", "skills_got")),
    ]


def _location_rows() -> pl.DataFrame:
    """The legacy location strings with their labels and what the location parser gives (`_got`)."""
    gold = read_labels("locations.csv")
    got = locations.add_locations(gold.select("location_raw"), "location_raw", remote_hint_col=None)
    return gold.select(
        (pl.col("source") + ":" + pl.col("location_raw")).alias("key"), "country",
        pl.when(pl.col("metro_code") == "").then(None).otherwise(pl.col("metro_code")).alias("metro_code"),
        got["metro_code"].alias("metro_code_got"),
        (pl.col("is_remote") == "true").alias("is_remote"), got["is_remote"].alias("is_remote_got"),
    )


def _metro_field() -> tuple[str, str, pl.DataFrame]:
    """US metro (CBSA) of the golden location strings; no blind labels yet, so split by key as for skills."""
    us = _location_rows().filter(pl.col("country") == "US")
    split = us.with_columns(pl.col("key").map_elements(split_of, return_dtype=pl.String).alias("split"))
    return "metro", "accuracy", pl.concat([
        split.select("split", "metro_code", "metro_code_got"),
        us.select(pl.lit("legacy").alias("split"), "metro_code", "metro_code_got")])


def measure() -> dict:
    """The content of accuracy.json: per field, its metric and the value and row count on each split."""
    fields = {}
    for field, metric, frame in [*_posting_fields(), _metro_field()]:
        want, got = frame.columns[1], frame.columns[2]
        fields[field] = {
            "metric": metric,
            "rows": LEGACY_ROWS if field in ("skills", "metro") else NEW_ROWS,
            **{split: _score(frame.filter(pl.col("split") == split), want, got, metric) for split in SPLITS},
        }
    return {"format": 1, "split_rule": "test if int(sha256(key).hexdigest()[:8], 16) % 5 < 2 else dev",
            "fields": fields}


def render(report: dict) -> str:
    lines = [f"{'field':<12} {'metric':<9} " + "  ".join(f"{s:>13}" for s in SPLITS)]
    for field, entry in report["fields"].items():
        cells = []
        for split in SPLITS:
            value, n = entry[split]["value"], entry[split]["n"]
            cells.append(f"{'-' if value is None else f'{value:.3f}':>7} ({n:>3})")
        note = "  (dev/test: legacy rows)" if entry["rows"] == LEGACY_ROWS else ""
        lines.append(f"{field:<12} {entry['metric']:<9} " + "  ".join(f"{c:>13}" for c in cells) + note)
    return "\n".join(lines)


def confusion(field: str, split: str = "dev") -> pl.DataFrame:
    """Label x prediction counts of one accuracy field on one split (misses first)."""
    frame = next(f for name, _, f in _posting_fields() if name == field).filter(pl.col("split") == split)
    want, got = frame.columns[1], frame.columns[2]
    return (frame.group_by(want, got).len().with_columns((pl.col(want) == pl.col(got)).alias("hit"))
            .sort(["hit", "len"], descending=[False, True]))


def dumps(report: dict) -> str:
    return json.dumps(report, indent=2, sort_keys=False) + "\n"
