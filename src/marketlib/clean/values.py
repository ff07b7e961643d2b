"""Small value normalizers every source and the user cleaning share: booleans, employment types, pay periods.

Each is a polars expression over a whole column (text in, normalized value or null out), defined once here so
that a "yes" or a "per-hour-wage" means the same thing whichever source wrote it.
"""

from __future__ import annotations

import polars as pl

TRUE_WORDS = ("true", "1", "yes", "y", "t")
FALSE_WORDS = ("false", "0", "no", "n", "f")
EMPLOYMENT_TYPES = ("full_time", "part_time", "contract", "internship")
SALARY_PERIODS = ("year", "month", "week", "day", "hour")
# Survey codes (aijobs.net): freelance is contract work in the project's employment types.
EMPLOYMENT_CODES = {"ft": "full_time", "pt": "part_time", "ct": "contract", "fl": "contract"}


def parse_bool(expr: pl.Expr) -> pl.Expr:
    """'True', 'yes', '1', 't' ... -> True; 'False', 'no', '0', 'f' ... -> False; anything else -> null."""
    text = expr.cast(pl.String).str.strip_chars().str.to_lowercase()
    return (pl.when(text.is_in(TRUE_WORDS)).then(True)
            .when(text.is_in(FALSE_WORDS)).then(False)
            .otherwise(None))


def employment_type(expr: pl.Expr) -> pl.Expr:
    """Source wording ('FullTime', 'Full-time and Contractor', 'Permanent', 'Intern', 'FT' ...) -> full_time,
    part_time, contract, internship or null.

    An internship anywhere in the text wins; otherwise the first listed type counts (types are listed with
    ',' or 'and').
    """
    text = expr.cast(pl.String).str.to_lowercase()
    first = text.str.split(",").list.first().str.split(" and ").list.first()
    key = first.str.replace_all(r"[^a-z]", "")
    return (
        pl.when(text.str.contains("intern")).then(pl.lit("internship"))
        .when(key.is_in(list(EMPLOYMENT_CODES))).then(key.replace_strict(EMPLOYMENT_CODES, default=None))
        .when(key.str.contains("parttime")).then(pl.lit("part_time"))
        .when(key.str.contains("contract|temp|shortterm|fixedterm|freelance|perdiem|seasonal")).then(
            pl.lit("contract"))
        .when(key.str.contains("fulltime|permanent|regular")).then(pl.lit("full_time"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def salary_period(expr: pl.Expr) -> pl.Expr:
    """'1 YEAR', 'per-hour-wage', 'yearly', 'hr', 'mo' ... -> year, month, week, day, hour; else null."""
    key = expr.cast(pl.String).str.strip_chars().str.to_lowercase()
    return (
        pl.when(key.str.contains("year|annual|^yrs?$")).then(pl.lit("year"))
        .when(key.str.contains("month|^mo$")).then(pl.lit("month"))
        .when(key.str.contains("week|^wk$")).then(pl.lit("week"))
        .when(key.str.contains("hour|^hrs?$")).then(pl.lit("hour"))
        .when(key.str.contains("day|daily")).then(pl.lit("day"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
