"""The time window openings are counted in, and the two measures of openings (README "Openings in a window").

- **new openings per year**: postings first seen (or posted) inside the window, scaled to 365.25 days.
- **open on an average day**: for each day of the window, the postings whose first_seen … last_seen span covers
  it, averaged over the window's days; a posting open 10 days of a 30-day window counts 1/3. Only sources that
  record a sighting span (first and last seen on different days) can be measured this way.

A source counts when its data cover at least MIN_COVERED_SHARE of the window's days; it is then averaged (or
scaled) over the days it covers, and the page names its covered span. Sources covering less are left out.

Each posting gets a weight w (its contribution to the measure); a metro's openings are the sum of w and their
count uncertainty the sum of w² (a compound Poisson count), so both measures share one interval method.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import polars as pl

from marketlib.params import check_choice, check_date_range, check_int

OPEN_ON_AVERAGE_DAY = "open_on_average_day"
NEW_PER_YEAR = "new_per_year"
MEASURES = (OPEN_ON_AVERAGE_DAY, NEW_PER_YEAR)
MEASURE_NAMES = {
    OPEN_ON_AVERAGE_DAY: "openings open on an average day",
    NEW_PER_YEAR: "new openings per year",
}
DAYS_PER_YEAR = 365.25
# Job lists start and stop on different days; one that covers at least two thirds of the window (8 of 12
# months) is averaged over the days it covers, one that covers less is left out.
MIN_COVERED_SHARE = 2 / 3


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date
    measure: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_record(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "measure": self.measure}

    def describe(self) -> str:
        return f"{MEASURE_NAMES[self.measure]}, {self.start} to {self.end} ({self.days} days)"


def _first_day() -> pl.Expr:
    return pl.coalesce(pl.col("first_seen_at").dt.date(), pl.col("posted_date"))


def _last_day() -> pl.Expr:
    return pl.col("last_seen_at").dt.date()


def source_coverage(postings: pl.DataFrame) -> pl.DataFrame:
    """Per source: first and last day with data, rows, and whether it records a sighting span."""
    return (
        postings.group_by("source")
        .agg(
            pl.len().alias("postings"),
            _first_day().min().alias("first_date"),
            pl.coalesce(_last_day(), _first_day()).max().alias("last_date"),
            # a span is recorded when most rows carry both sightings and they differ on some rows
            (_last_day().is_not_null().mean() >= 0.95).alias("_has_last"),
            (_last_day() > pl.col("first_seen_at").dt.date()).any().alias("_spans"),
        )
        .with_columns((pl.col("_has_last") & pl.col("_spans")).fill_null(False).alias("records_seen_span"))
        .drop("_has_last", "_spans")
        .sort("source")
    )


def validate_window(
    date_from: object = None, date_to: object = None, window_months: object = None, measure: object = None
) -> tuple[dt.date | None, dt.date | None, int, str | None]:
    """Check the window parameters; returns (start, end, months, measure or None = default)."""
    start, end = check_date_range(date_from, date_to)
    months = check_int("window_months", 12 if window_months is None else window_months, minimum=1, maximum=120)
    chosen = None if measure in (None, "") else check_choice("measure", measure, MEASURES)
    return start, end, months, chosen


def shift_months(day: dt.date, months: int) -> dt.date:
    """The same calendar day `months` later (negative: earlier), clipped to the month's last day."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def resolve(
    coverage: pl.DataFrame,
    start: dt.date | None,
    end: dt.date | None,
    months: int,
    measure: str | None,
    *,
    fit_to_coverage: bool = False,
) -> tuple[Window, pl.DataFrame]:
    """The window and the coverage table with `in_window` (the source covers it) and `is_measured` (it feeds
    the chosen measure). Default end: the latest day the sources cover; default start: `months` before, or,
    with `fit_to_coverage` (the user named the sources), the first day they cover when that is later, so a
    source covering a few weeks (your own scrape) is measured over its own span instead of left out."""
    if fit_to_coverage and start is None and end is None and coverage["first_date"].drop_nulls().len():
        end = coverage["last_date"].max()
        start = max(coverage["first_date"].min(), shift_months(end, -months) + dt.timedelta(days=1))
    if end is None and start is not None:
        end = shift_months(start, months) - dt.timedelta(days=1)
    if end is None:
        # nothing dated matches: an empty window ending today
        end = coverage["last_date"].max() if coverage.height else None
        end = end or dt.datetime.now(dt.UTC).date()
    if start is None:
        start = shift_months(end, -months) + dt.timedelta(days=1)
    covered_from = pl.max_horizontal(pl.col("first_date"), pl.lit(start))
    covered_to = pl.min_horizontal(pl.col("last_date"), pl.lit(end))
    covered = coverage.with_columns(
        covered_from.alias("covered_from"),
        covered_to.alias("covered_to"),
        pl.when(pl.col("first_date").is_not_null())
        .then(((covered_to - covered_from).dt.total_days() + 1).clip(lower_bound=0))
        .otherwise(0)
        .alias("covered_days"),
    ).with_columns(
        (pl.col("covered_days") >= MIN_COVERED_SHARE * ((end - start).days + 1)).alias("in_window")
    )
    if measure is None:
        spans = covered.filter(pl.col("in_window") & pl.col("records_seen_span")).height
        measure = OPEN_ON_AVERAGE_DAY if spans else NEW_PER_YEAR
    measured = pl.col("in_window") & (
        pl.col("records_seen_span") if measure == OPEN_ON_AVERAGE_DAY else pl.lit(True)
    )
    return Window(start, end, measure), covered.with_columns(measured.alias("is_measured"))


def weights(postings: pl.DataFrame, window: Window, coverage: pl.DataFrame) -> pl.DataFrame:
    """The postings of measured sources that count in the window, with their weight `w`: the share of the
    source's covered days the posting was open (day-average), or 365.25 ÷ covered days (new per year)."""
    measured = coverage.filter(pl.col("is_measured")).select("source", "covered_from", "covered_to", "covered_days")
    frame = postings.join(measured, on="source", how="inner")
    first = _first_day()
    days = pl.col("covered_days").cast(pl.Float64)
    if window.measure == NEW_PER_YEAR:
        inside = (first >= pl.col("covered_from")) & (first <= pl.col("covered_to"))
        out = frame.filter(inside).with_columns((DAYS_PER_YEAR / days).alias("w"))
    else:
        last = pl.coalesce(_last_day(), first)
        overlap_from = pl.max_horizontal(first, pl.col("covered_from"))
        overlap_to = pl.min_horizontal(last, pl.col("covered_to"))
        overlap_days = ((overlap_to - overlap_from).dt.total_days() + 1).cast(pl.Float64)
        out = frame.with_columns((overlap_days / days).alias("w")).filter(pl.col("w") > 0)
    return out.drop("covered_from", "covered_to", "covered_days")


def coverage_notes(coverage: pl.DataFrame, window: Window) -> list[str]:
    """One sentence per source: the days it covers, or why it is left out."""
    notes = []
    for rec in coverage.iter_rows(named=True):
        span = f"{rec['first_date']} to {rec['last_date']}" if rec["first_date"] else "no dates"
        if rec["is_measured"]:
            if rec["covered_days"] < window.days:
                notes.append(f"Source {rec['source']} covers {rec['covered_days']} of the window's {window.days} "
                             f"days ({rec['covered_from']} to {rec['covered_to']}); it is averaged over those days.")
        elif not rec["in_window"]:
            notes.append(f"Source {rec['source']} is left out: its postings run {span}, under "
                         "two thirds of the window.")
        else:
            notes.append(f"Source {rec['source']} is left out: it does not record when a posting was first and "
                         f"last seen, so '{MEASURE_NAMES[window.measure]}' is not measurable for it.")
    return notes
