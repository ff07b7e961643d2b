"""00-claims: every published figure (data/raw/reference) beside what marketlib measures from its tables.

Each figure gets n, a measured value, an interval and a verdict computed from data:
- reproduced: the published value lies inside our 95% interval; for counts, it is within the count tolerance
  (max(1, 5% of the published count)); for categorical figures (a bucket, a list of cities) ours is the same;
- not reproduced: we measured it and the published value falls outside;
- not measurable: the data at hand cannot measure it (no denominator, no such field, no rows); the reason
  says why.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial

import polars as pl

from marketlib import metrics
from marketlib.analysis import claims_odds, common
from marketlib.analysis.selection import PostingSelection
from marketlib.config import get_settings
from marketlib.errors import UserError
from marketlib.params import check_choices, check_int

REPRODUCED, NOT_REPRODUCED, NOT_MEASURABLE = "reproduced", "not reproduced", "not measurable"
COUNT_TOLERANCE_SHARE = 0.05
TOLERANCE_RULE = (
    "A figure is reproduced when the published value lies inside our 95% interval (Wilson for shares; for "
    "success ratios and relative odds the log interval combining the openings' count and the head-count's "
    "error; log-scale Poisson for count ratios); a count is reproduced when it is within max(1, 5% of the "
    "published count); "
    "a bucket or a list of cities is reproduced when ours is the same. Figures the data at hand cannot "
    "measure are marked not measurable, with the reason."
)
ML_ROLE = "ml_engineer"


@dataclass(frozen=True)
class Params:
    topics: list[str]
    role_family: str
    min_count: int


def published_figures() -> pl.DataFrame:
    """The `reference` table (the committed published figures, built as a snapshot), `value` as published."""
    reference = common.load("reference")
    if not reference.height:
        raise UserError("The reference table has no rows; run `marketlib fetch reference` and "
                        "`marketlib build reference` (make report does both).")
    return reference.rename({"published_value": "value"})


def validate_params(
    topics: list[str] | None = None, role_family: str = ML_ROLE, min_count: int | None = None
) -> Params:
    reference = published_figures()
    valid_topics = sorted(set(reference["topic"].to_list()))
    return Params(
        topics=check_choices("topics", topics or valid_topics, valid_topics),
        role_family=check_choices("role_family", [role_family], common.role_family_list())[0],
        min_count=check_int("min_count", get_settings().min_count if min_count is None else min_count),
    )


@dataclass
class Measurement:
    n: int | None = None
    value: float | str | None = None
    low: float | None = None
    high: float | None = None
    agrees: bool | None = None  # for categorical figures: ours equals the published one
    basis: str = ""  # what was measured, from which data
    reason: str = ""  # why not measurable, or a caveat


@dataclass
class Data:
    postings: pl.DataFrame  # all non-duplicate postings of the role family
    all_postings: pl.DataFrame
    professionals: pl.DataFrame
    case_studies: pl.DataFrame
    role_family: str
    min_count: int

    @cached_property
    def odds(self):
        """City odds for the year the published figures cover, all levels, like for like (claims_odds)."""
        from marketlib.analysis import claims_odds

        return claims_odds.odds_for_year(self.role_family, self.min_count)


def verdict(published: str, unit: str, m: Measurement) -> tuple[str, str]:
    """(verdict, reason) for a published value against a measurement; a caveat in m.reason is appended."""
    if m.value is None or not m.n:
        return NOT_MEASURABLE, m.reason or "no rows in the data at hand"
    if m.agrees is not None:
        outcome, why = (REPRODUCED if m.agrees else NOT_REPRODUCED), f"ours: {m.value}"
    elif unit == "count":
        target, value = float(published), float(m.value)
        tolerance = max(1.0, COUNT_TOLERANCE_SHARE * target)
        inside = abs(value - target) <= tolerance
        outcome = REPRODUCED if inside else NOT_REPRODUCED
        why = f"|{value:g} − {target:g}| {'≤' if inside else '>'} tolerance {tolerance:g}"
    elif m.low is None or m.high is None:
        return NOT_MEASURABLE, m.reason or "no interval could be computed"
    else:
        target = float(published)
        inside = m.low <= target <= m.high
        outcome = REPRODUCED if inside else NOT_REPRODUCED
        why = f"published {target:g} is {'inside' if inside else 'outside'} [{m.low:.3g}, {m.high:.3g}]"
    return outcome, f"{why}; {m.reason}" if m.reason else why


# --- measurements --------------------------------------------------------------------------------------


def _share(frame: pl.DataFrame, condition: pl.Expr, basis: str) -> Measurement:
    n = frame.height
    if not n:
        return Measurement(reason=f"no {basis} in the data at hand")
    hits = int(frame.select(condition.fill_null(False).sum()).item())
    out = metrics.add_share(pl.DataFrame({"k": [hits], "n": [n]}), "k", "n").row(0, named=True)
    return Measurement(
        n=n,
        value=out["share_pct"],
        low=out["share_low_pct"],
        high=out["share_high_pct"],
        basis=f"{hits:,} of {n:,} {basis}",
    )


def _postings_basis(data: Data) -> str:
    return f"non-duplicate {data.role_family} postings"


def _text_basis(data: Data) -> str:
    return f"non-duplicate {data.role_family} postings with a posting text"


def yoe_none_share(data: Data, _row: dict) -> Measurement:
    return _share(common.with_posting_text(data.postings), pl.col("yoe_bucket") == "none",
                  _text_basis(data) + " stating no YOE")


def yoe_mode_bucket(data: Data, row: dict) -> Measurement:
    stating = common.with_posting_text(data.postings).filter(pl.col("yoe_bucket") != "none")
    if not stating.height:
        return Measurement(reason="no postings state years of experience")
    counts = stating.group_by("yoe_bucket").len().sort(["len", "yoe_bucket"], descending=[True, False])
    mode, top = counts["yoe_bucket"][0], int(counts["len"][0])
    return Measurement(
        n=stating.height,
        value=mode,
        agrees=mode == row["value"],
        basis=f"{top:,} of {stating.height:,} postings stating a YOE fall in {mode}",
    )


def _normalized(expr: pl.Expr) -> pl.Expr:
    return expr.str.to_lowercase().str.replace_all(r"[^a-z0-9]", "")


def skill_share(data: Data, row: dict) -> Measurement:
    skill = _normalized(pl.lit(row["figure_id"].removeprefix("skill_"))).alias("s")
    target = pl.select(skill).item()
    has = pl.col("skills").list.eval(_normalized(pl.element())).list.contains(target)
    return _share(common.with_posting_text(data.postings), has, _text_basis(data) + f" naming {target}")


def remote_share(data: Data, _row: dict) -> Measurement:
    return _share(data.postings, pl.col("is_remote"), _postings_basis(data) + " flagged remote")


def salary_range_share(data: Data, _row: dict) -> Measurement:
    stated = pl.col("salary_source").is_in(["field", "text"]) & (
        pl.col("salary_min_usd").is_not_null() | pl.col("salary_max_usd").is_not_null()
    )
    return _share(common.with_posting_text(data.postings), stated, _text_basis(data) + " stating a salary")


def _evidently(data: Data) -> pl.DataFrame:
    return data.case_studies.filter(pl.col("source").str.contains("evidently"))


def _nearest_edition(frame: pl.DataFrame, published: str) -> tuple[dt.date, pl.DataFrame] | None:
    editions = frame["edition_date"].unique().sort().to_list()
    if not editions:
        return None
    parts = [int(p) for p in re.findall(r"\d+", published)[:3]]
    cited = dt.date(parts[0], parts[1] if len(parts) > 1 else 7, parts[2] if len(parts) > 2 else 1)
    best = min(editions, key=lambda e: (abs((e - cited).days), e))
    return best, frame.filter(pl.col("edition_date") == best)


def _tag_count(frame: pl.DataFrame, tag: str) -> int:
    tags = pl.col("tags").list.eval(pl.element().str.to_lowercase().str.strip_chars())
    return int(frame.select(tags.list.contains(tag).fill_null(False).sum()).item())


def evidently_count(data: Data, row: dict) -> Measurement:
    tag = row["claim"].split("tagged", 1)[-1].strip().lower()
    found = _nearest_edition(_evidently(data), row["publication_date"])
    if found is None:
        return Measurement(reason="no Evidently AI edition in the case_studies table")
    edition, rows = found
    count = _tag_count(rows, tag)
    return Measurement(
        n=rows.height,
        value=float(count),
        basis=f"rows tagged '{tag}' in the Evidently edition of {edition} ({rows.height:,} rows), "
        f"the nearest to the cited {row['publication_date']}",
    )


def evidently_ratio(data: Data, row: dict) -> Measurement:
    found = _nearest_edition(_evidently(data), row["publication_date"])
    if found is None:
        return Measurement(reason="no Evidently AI edition in the case_studies table")
    edition, rows = found
    recsys, cv = _tag_count(rows, "recommender system"), _tag_count(rows, "cv")
    ratio, low, high = metrics.count_ratio_interval(recsys, cv)
    if ratio is None:
        return Measurement(n=rows.height, reason="a count is zero, so the ratio is undefined")
    return Measurement(
        n=rows.height,
        value=ratio,
        low=low,
        high=high,
        basis=f"{recsys} recommender-system ÷ {cv} CV rows, Evidently edition of {edition}",
    )


def not_measurable(_data: Data, _row: dict, reason: str) -> Measurement:
    return Measurement(reason=reason)


# (figure_id pattern, how to measure it): what to measure is code, every number comes from the data.
MEASURES: list[tuple[str, Callable[[Data, dict], Measurement]]] = [
    (r"odds_sf_bay_area", partial(claims_odds.success_ratio, metro="SF Bay Area")),
    (r"odds_los_angeles", partial(claims_odds.success_ratio, metro="Los Angeles")),
    (r"odds_toronto", partial(claims_odds.success_ratio, metro="Toronto")),
    (r"odds_la_vs_bay_area", partial(claims_odds.relative_odds, metro="Los Angeles", reference="SF Bay Area")),
    (r"odds_toronto_vs_bay_area", partial(claims_odds.relative_odds, metro="Toronto", reference="SF Bay Area")),
    (r"top_hiring_cities", claims_odds.top_cities),
    (r"evidently_recsys_vs_cv", evidently_ratio),
    (r"evidently_\w+", evidently_count),
    (r"yoe_none_share", yoe_none_share),
    (r"yoe_mode_bucket", yoe_mode_bucket),
    (r"skill_\w+", skill_share),
    (r"remote_share", remote_share),
    (r"salary_range_share", salary_range_share),
    (r"timeline_\w+", partial(not_measurable, reason="no source in marketlib records interview timelines")),
]


def measure(data: Data, row: dict) -> Measurement:
    for pattern, fn in MEASURES:
        if re.fullmatch(pattern, row["figure_id"]):
            return fn(data, row)
    return Measurement(reason="marketlib has no method for this figure yet")


def load_data(params: Params) -> Data:
    all_postings = common.load("postings")
    return Data(
        postings=PostingSelection(role_families=(params.role_family,)).apply(all_postings),
        all_postings=all_postings,
        professionals=common.load("professionals"),
        case_studies=common.load("case_studies"),
        role_family=params.role_family,
        min_count=params.min_count,
    )


RESULT_SCHEMA = {
    "figure_id": pl.String,
    "topic": pl.String,
    "claim": pl.String,
    "published": pl.String,
    "unit": pl.String,
    "n": pl.Int64,
    "measured": pl.String,
    "measured_value": pl.Float64,
    "low": pl.Float64,
    "high": pl.Float64,
    "verdict": pl.String,
    "reason": pl.String,
    "basis": pl.String,
    "source_title": pl.String,
    "source_url": pl.String,
    "publication_date": pl.String,
}


def _format(value: float | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:.3g}"


def compare(reference: pl.DataFrame, data: Data) -> pl.DataFrame:
    """One row per published figure: n, measured value, interval, verdict and reason."""
    rows = []
    for row in reference.iter_rows(named=True):
        m = measure(data, row)
        verdict_, reason = verdict(row["value"], row["unit"], m)
        numeric = m.value if isinstance(m.value, int | float) else None
        rows.append(
            {
                "figure_id": row["figure_id"],
                "topic": row["topic"],
                "claim": row["claim"],
                "published": f"{row['value']} {row['unit']}",
                "unit": row["unit"],
                "n": m.n,
                "measured": _format(m.value),
                "measured_value": numeric,
                "low": m.low,
                "high": m.high,
                "verdict": verdict_,
                "reason": reason,
                "basis": m.basis,
                "source_title": row["source_title"],
                "source_url": row["source_url"],
                "publication_date": row["publication_date"],
            }
        )
    return pl.DataFrame(rows, schema=RESULT_SCHEMA)


def compute(params: Params) -> tuple[pl.DataFrame, Data]:
    reference = published_figures().filter(pl.col("topic").is_in(params.topics))
    data = load_data(params)
    return compare(reference, data), data


def verdict_counts(claims: pl.DataFrame) -> pl.DataFrame:
    return claims.group_by("verdict").len("figures").sort("verdict")


def citations(claims: pl.DataFrame) -> pl.DataFrame:
    """The publications the figures come from (title, URL, date, how many figures)."""
    return (
        claims.group_by("source_title", "source_url", "publication_date").len("figures").sort("source_title")
    )


def sources_table(data: Data) -> pl.DataFrame:
    return common.sources_and_licenses(
        {"postings": data.postings, "professionals": data.professionals, "case_studies": data.case_studies}
    )


def publish(params: Params, table: pl.DataFrame, data: Data):
    """The verdict table as findings: the measured value per published figure (same values as the page)."""
    from marketlib.analysis import claims_odds, findings

    rows = table.filter(pl.col("measured_value").is_not_null()).with_columns(
        (pl.col("claim") + " — published " + pl.col("published") + ", " + pl.col("verdict")).alias("text")
    )
    records = findings.records(rows, "claim", "figure_id", "", "measured_value", "", low="low", high="high", n="n")
    for rec, row in zip(records, rows.iter_rows(named=True), strict=True):
        rec.text, rec.unit = row["text"], row["unit"]
    return findings.publish(findings.params_record(params), records, claims_odds.window_record(data))
