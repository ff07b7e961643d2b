"""Ratios, shares, intervals and indices as polars expressions over whole columns.

Conventions
- Shares and success ratios are returned in percent (`_pct` columns); their intervals are Wilson score
  intervals at 95% (z = 1.96).
- The success ratio treats a metro's openings as "successes" out of its professionals as "trials":
  openings / professionals is then a binomial proportion and the Wilson interval describes the sampling
  uncertainty of the count of openings for a fixed pool of professionals. It is a model, not a census truth:
  the denominator (BLS OEWS employment) has its own estimation error, which the interval ignores. When
  openings exceed professionals the ratio is not a proportion and the interval is null.
- Professionals per opening is the inverse ratio; its interval is the inverted success-ratio interval
  (the upper bound becomes the lower one).
- Relative odds of a metro vs a reference metro is a ratio of two proportions (a risk ratio) with the Katz
  log interval: exp(ln RR ± z·sqrt(1/x1 − 1/n1 + 1/x2 − 1/n2)).
- A cell with fewer observations than `min_count` is flagged `is_thin`, never dropped.
"""

from __future__ import annotations

import datetime as dt
import math

import polars as pl

Z95 = 1.959963984540054  # two-sided 95% normal quantile


def _expr(value: str | pl.Expr) -> pl.Expr:
    return pl.col(value) if isinstance(value, str) else value


def wilson_interval(
    successes: str | pl.Expr, trials: str | pl.Expr, z: float = Z95
) -> tuple[pl.Expr, pl.Expr]:
    """Wilson score interval of successes/trials as two fraction expressions (low, high).

    Null when trials is 0 or null, or successes > trials (not a proportion).
    """
    x = _expr(successes).cast(pl.Float64)
    n = _expr(trials).cast(pl.Float64)
    p = x / n
    z2 = z * z
    denom = 1.0 + z2 / n
    center = (p + z2 / (2.0 * n)) / denom
    half = (z / denom) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt()
    valid = (n > 0) & (x >= 0) & (x <= n)
    # exact bounds at the edges: float rounding would leave e.g. 4e-17 instead of 0 for zero successes
    low = pl.when(valid & (x == 0)).then(0.0).when(valid).then((center - half).clip(0.0, 1.0)).otherwise(None)
    high = (
        pl.when(valid & (x == n)).then(1.0).when(valid).then((center + half).clip(0.0, 1.0)).otherwise(None)
    )
    return low, high


def add_share(
    frame: pl.DataFrame, count: str, total: str, name: str = "share", z: float = Z95
) -> pl.DataFrame:
    """Add `<name>_pct`, `<name>_low_pct`, `<name>_high_pct`: count/total in %, Wilson interval."""
    low, high = wilson_interval(count, total, z)
    n = pl.col(total).cast(pl.Float64)
    return frame.with_columns(
        pl.when(n > 0).then(pl.col(count) / n * 100.0).otherwise(None).alias(f"{name}_pct"),
        (low * 100.0).alias(f"{name}_low_pct"),
        (high * 100.0).alias(f"{name}_high_pct"),
    )


def add_success_ratio(
    frame: pl.DataFrame, openings: str = "openings", professionals: str = "professionals", z: float = Z95
) -> pl.DataFrame:
    """Add the success ratio (openings ÷ professionals, percent, Wilson interval) and its inverse.

    Columns: success_ratio_pct, success_ratio_low_pct, success_ratio_high_pct, professionals_per_opening,
    professionals_per_opening_low, professionals_per_opening_high (the inverted interval: 1/high, 1/low).
    """
    out = add_share(frame, openings, professionals, name="success_ratio", z=z)
    inverse = (
        pl.when(pl.col(openings) > 0)
        .then(pl.col(professionals).cast(pl.Float64) / pl.col(openings))
        .otherwise(None)
    )
    return out.with_columns(
        inverse.alias("professionals_per_opening"),
        (100.0 / pl.col("success_ratio_high_pct")).alias("professionals_per_opening_low"),
        pl.when(pl.col("success_ratio_low_pct") > 0)
        .then(100.0 / pl.col("success_ratio_low_pct"))
        .otherwise(None)
        .alias("professionals_per_opening_high"),
    )


def add_relative_odds(
    frame: pl.DataFrame,
    key: str,
    reference: str,
    openings: str = "openings",
    professionals: str = "professionals",
    z: float = Z95,
) -> pl.DataFrame:
    """Add relative_odds (this row's ratio ÷ the reference row's) with a Katz log interval.

    `key` names the column identifying rows (e.g. metro); `reference` is its value for the reference row.
    All three columns are null when the reference row is missing or either proportion is zero/undefined.
    The reference row itself gets 1.0 with a degenerate interval [1, 1].
    """
    ref = frame.filter(pl.col(key) == reference)
    x2_value = ref[openings][0] if ref.height == 1 else None
    n2_value = ref[professionals][0] if ref.height == 1 else None
    x1, n1 = pl.col(openings).cast(pl.Float64), pl.col(professionals).cast(pl.Float64)
    x2, n2 = pl.lit(x2_value, dtype=pl.Float64), pl.lit(n2_value, dtype=pl.Float64)
    defined = (x1 > 0) & (n1 > 0) & (x1 <= n1) & (x2 > 0) & (n2 > 0) & (x2 <= n2)
    ratio = (x1 / n1) / (x2 / n2)
    se = (1.0 / x1 - 1.0 / n1 + 1.0 / x2 - 1.0 / n2).sqrt()
    is_ref = pl.col(key) == reference

    def pick(value: pl.Expr) -> pl.Expr:
        # defined is null (not false) when the reference is missing: fill so `otherwise` gives null
        return (
            pl.when(defined.fill_null(False) & is_ref)
            .then(1.0)
            .when(defined.fill_null(False))
            .then(value)
            .otherwise(None)
        )

    return frame.with_columns(
        pick(ratio).alias("relative_odds"),
        pick((ratio.log() - z * se).exp()).alias("relative_odds_low"),
        pick((ratio.log() + z * se).exp()).alias("relative_odds_high"),
    )


def count_ratio_interval(numerator: float, denominator: float, z: float = Z95) -> tuple[float | None, ...]:
    """Ratio of two independent counts (e.g. recsys ÷ CV case studies) with a log-scale (Katz-type) interval.

    Each count is treated as Poisson: SE(ln ratio) = sqrt(1/a + 1/b). Returns (ratio, low, high), all None
    when either count is zero.
    """
    if not numerator or not denominator or numerator <= 0 or denominator <= 0:
        return None, None, None
    ratio = numerator / denominator
    se = math.sqrt(1.0 / numerator + 1.0 / denominator)
    return ratio, math.exp(math.log(ratio) - z * se), math.exp(math.log(ratio) + z * se)


def index_to_baseline(
    frame: pl.DataFrame,
    date: str,
    value: str,
    baseline: dt.date,
    by: list[str] | None = None,
    name: str = "index",
) -> pl.DataFrame:
    """Add `<name>` = value / value at the baseline date × 100, per group `by`.

    A group without a row on the baseline date gets a null index (rebasing to another day would mislead).
    """
    by = by or []
    base = pl.col(value).filter(pl.col(date) == baseline).first()
    base = base.over(by) if by else base
    return frame.with_columns((pl.col(value) / base * 100.0).alias(name))


def flag_thin(frame: pl.DataFrame, count: str, min_count: int) -> pl.DataFrame:
    """Add is_thin: the cell has fewer than min_count observations (null counts are thin). Rows are kept."""
    return frame.with_columns((pl.col(count).fill_null(0) < min_count).alias("is_thin"))


def quantile_summary(frame: pl.DataFrame, value: str, by: list[str]) -> pl.DataFrame:
    """n, p10, p25, median, p75, p90 and IQR of `value` per group (linear interpolation), sorted by group."""
    v = pl.col(value)
    return (
        frame.filter(v.is_not_null())
        .group_by(by)
        .agg(
            pl.len().alias("n"),
            v.quantile(0.10, "linear").alias("p10"),
            v.quantile(0.25, "linear").alias("p25"),
            v.median().alias("median"),
            v.quantile(0.75, "linear").alias("p75"),
            v.quantile(0.90, "linear").alias("p90"),
        )
        .with_columns((pl.col("p75") - pl.col("p25")).alias("iqr"))
        .sort(by)
    )
