"""Ratios, shares, intervals and indices as polars expressions over whole columns.

Conventions
- Shares and success ratios are returned in percent (`_pct` columns); shares have Wilson score
  intervals at 95% (z = 1.96).
- The success ratio is openings ÷ professionals in a stated window. Its 95% interval combines the openings'
  count uncertainty (compound Poisson: Var(O) = Σ w² over the postings' weights) and the professionals'
  published relative standard error on the log scale: ratio × exp(±z·sqrt(Var(O)/O² + RSE²)).
- Professionals per opening is the inverse ratio; its interval is the inverted success-ratio interval.
- Relative odds of a metro vs a reference metro is a ratio of two success ratios with a log interval whose
  variance is the sum of both Var(ln ratio).
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


def _ratio_and_variance() -> tuple[pl.Expr, pl.Expr]:
    """openings ÷ professionals (null unless both > 0) and Var(ln ratio) = Var(O)/O² + (RSE of P)², the delta
    method for a ratio of independent estimates, from the columns `openings`, `professionals`, `openings_var`
    and `professionals_rse_pct`."""
    o, p = pl.col("openings").cast(pl.Float64), pl.col("professionals").cast(pl.Float64)
    rse = pl.col("professionals_rse_pct").cast(pl.Float64).fill_null(0.0) / 100.0
    rel_var = pl.col("openings_var").cast(pl.Float64) / (o * o) + rse**2
    return pl.when((o > 0) & (p > 0)).then(o / p), rel_var


def add_success_ratio(frame: pl.DataFrame, z: float = Z95) -> pl.DataFrame:
    """Add the success ratio (openings ÷ professionals, percent) with the combined interval, and its inverse.

    Interval: ratio × exp(±z·sqrt(Var(O)/O² + RSE(P)²)). Var(O) (`openings_var`) is the openings' count
    variance (the sum of squared posting weights, = O for a plain count); RSE(P) (`professionals_rse_pct`) the
    professionals' relative standard error (OEWS `employment_rse_pct`, or the stated apportioning error of an
    estimate). Null without openings or professionals. Columns: success_ratio_pct, success_ratio_low_pct,
    success_ratio_high_pct, professionals_per_opening, professionals_per_opening_low,
    professionals_per_opening_high.
    """
    ratio, rel_var = _ratio_and_variance()
    ratio = 100.0 * ratio
    half = z * rel_var.sqrt()
    out = frame.with_columns(
        ratio.alias("success_ratio_pct"),
        (ratio * (-half).exp()).alias("success_ratio_low_pct"),
        (ratio * half.exp()).alias("success_ratio_high_pct"),
    )
    return out.with_columns(
        (100.0 / pl.col("success_ratio_pct")).alias("professionals_per_opening"),
        (100.0 / pl.col("success_ratio_high_pct")).alias("professionals_per_opening_low"),
        (100.0 / pl.col("success_ratio_low_pct")).alias("professionals_per_opening_high"),
    )


def add_relative_odds(frame: pl.DataFrame, key: str, reference: str, z: float = Z95) -> pl.DataFrame:
    """Add relative_odds (this row's success ratio ÷ the reference row's) with a log interval whose variance
    is the sum of both rows' Var(ln ratio) (see add_success_ratio).

    `key` names the column identifying rows (e.g. metro); `reference` is its value for the reference row.
    All three columns are null when the reference row is missing or either ratio is undefined. The reference
    row itself gets 1.0 with a degenerate interval [1, 1].
    """
    ratio, rel_var = _ratio_and_variance()
    staged = frame.with_columns(ratio.alias("_ratio"), rel_var.alias("_rel_var"))
    ref = staged.filter(pl.col(key) == reference)
    one = ref.height == 1
    ref_ratio = pl.lit(ref["_ratio"][0] if one else None, dtype=pl.Float64)
    ref_var = pl.lit(ref["_rel_var"][0] if one else None, dtype=pl.Float64)
    ratio = pl.col("_ratio") / ref_ratio
    half = z * (pl.col("_rel_var") + ref_var).sqrt()
    is_ref = pl.col(key) == reference

    def pick(value: pl.Expr) -> pl.Expr:
        defined = ratio.is_not_null()
        return pl.when(defined & is_ref).then(1.0).when(defined).then(value).otherwise(None)

    return staged.with_columns(
        pick(ratio).alias("relative_odds"),
        pick(ratio * (-half).exp()).alias("relative_odds_low"),
        pick(ratio * half.exp()).alias("relative_odds_high"),
    ).drop("_ratio", "_rel_var")


def professionals_rse(employment: pl.Expr, rse_pct: pl.Expr) -> pl.Expr:
    """RSE (%) of a sum of independent estimates: sqrt(Σ (rse·E)²) ÷ Σ E (an aggregation expression)."""
    se = (employment.cast(pl.Float64) * rse_pct.fill_null(0.0) / 100.0) ** 2
    return 100.0 * se.sum().sqrt() / employment.cast(pl.Float64).sum()


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
