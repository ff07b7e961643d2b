"""06-market-trend: Indeed Hiring Lab job-postings indices against the Feb 1 2020 baseline.

Countries (total postings), the Software Development and Mathematics (where data scientists fall) sectors, and
metros such as Toronto. When the market turned: each series' peak date and the first date after the peak on
which it fell below the baseline (100). Data: Indeed Hiring Lab, CC BY 4.0 — credited on every chart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import altair as alt
import polars as pl

from marketlib import charts, metrics
from marketlib.analysis import common
from marketlib.params import check_choices, check_date, check_strings

HIRING_LAB_CREDIT = (
    "Data: Indeed Hiring Lab, Job Postings Index (github.com/hiring-lab/job_postings_tracker), "
    "licensed CC BY 4.0."
)
BASELINE = dt.date(2020, 2, 1)
KINDS = ("country", "sector", "metro")


@dataclass(frozen=True)
class Params:
    countries: list[str]
    sectors: list[str]
    metros: list[str]
    series: str
    baseline_date: dt.date
    date_from: dt.date | None
    seasonally_adjusted: bool


def _with_index(frame: pl.DataFrame) -> pl.DataFrame:
    """value as an index with Feb 1 2020 = 100: 'pct' variables are % changes, others already indices."""
    is_pct = pl.col("variable").str.to_lowercase().str.contains("pct|chng|change")
    return frame.with_columns(
        pl.when(is_pct).then(100.0 + pl.col("value")).otherwise(pl.col("value")).alias("raw_index")
    )


def _labelled(frame: pl.DataFrame, series: str) -> pl.DataFrame:
    """kind (country, sector, metro) and name of each row, keeping the chosen series (total or new).

    The hiring_lab source names a sector in `series` ('Software Development', or
    'Software Development:new_postings' for new postings) with the country in `geography`; countries and
    metros name the place in `geography` and the series in `series` ('total', 'new_postings').
    """
    kind = (
        pl.when(pl.col("geography_type") == "country")
        .then(pl.lit("country"))
        .when(pl.col("geography_type") == "sector")
        .then(pl.lit("sector"))
        .when(pl.col("geography_type").is_in(["metro", "city"]))
        .then(pl.lit("metro"))
        .otherwise(None)
    )
    parts = pl.col("series").str.split_exact(":", 1)
    sector_series = pl.coalesce(parts.struct.field("field_1"), pl.lit("total"))
    row_series = pl.when(kind == "sector").then(sector_series).otherwise(pl.col("series"))
    name = pl.when(kind == "sector").then(parts.struct.field("field_0")).otherwise(pl.col("geography"))
    keep = row_series.str.to_lowercase().str.starts_with(series.lower())
    return frame.with_columns(kind.alias("kind"), name.alias("name")).filter(
        keep & pl.col("kind").is_not_null()
    )


def available(index: pl.DataFrame, series: str = "total") -> dict[str, list[str]]:
    """Names present per kind (countries, sectors, metros) in the postings_index table."""
    labelled = _labelled(index, series)
    return {k: sorted(labelled.filter(pl.col("kind") == k)["name"].unique().to_list()) for k in KINDS}


def validate_params(
    countries: list[str] | None = None,
    sectors: list[str] | None = None,
    metros: list[str] | None = None,
    series: str = "total",
    baseline_date: str = "2020-02-01",
    date_from: str | None = None,
    seasonally_adjusted: bool = True,
) -> Params:
    series = check_choices("series", [series], ["total", "new"])[0]
    known = available(common.load("postings_index"), series)

    def pick(name: str, values: list[str] | None, default: list[str], kind: str) -> list[str]:
        chosen = check_strings(name, values) if values is not None else default
        if not known[kind]:  # nothing built yet: keep the request, the notebook shows that no rows exist
            return chosen
        if values is None:
            chosen = [v for v in chosen if v in known[kind]]
        if kind == "metro":  # the one metro resolver: 'Seattle', 'NYC', 'Bay Area', 'Toronto' ...
            return list(dict.fromkeys(common.resolve_metro(v, known[kind]) for v in chosen))
        return check_choices(name, chosen, known[kind], allow_empty=True)

    if not isinstance(seasonally_adjusted, bool):
        from marketlib.errors import UserError

        raise UserError("Parameter seasonally_adjusted must be true or false.")
    return Params(
        countries=pick("countries", countries, ["US", "CA", "GB"], "country"),
        sectors=pick("sectors", sectors, ["Software Development", "Mathematics"], "sector"),
        metros=pick("metros", metros, ["Toronto, ON"], "metro"),
        series=series,
        baseline_date=check_date("baseline_date", baseline_date, allow_none=False),
        date_from=check_date("date_from", date_from),
        seasonally_adjusted=seasonally_adjusted,
    )


@dataclass
class Result:
    params: Params
    rows: pl.DataFrame  # the postings_index rows used (provenance)
    daily: pl.DataFrame  # label, kind, date, index (rebased to the baseline date)
    monthly: pl.DataFrame  # label, kind, month, index (monthly mean; what the chart shows)
    turning_points: pl.DataFrame  # label: peak date/index, first date below baseline after the peak, latest
    notes: list[str] = field(default_factory=list)


def select_series(index: pl.DataFrame, params: Params) -> pl.DataFrame:
    labelled = _labelled(_with_index(index), params.series)
    wanted = (
        ((pl.col("kind") == "country") & pl.col("name").is_in(params.countries))
        | ((pl.col("kind") == "sector") & pl.col("name").is_in(params.sectors))
        | ((pl.col("kind") == "metro") & pl.col("name").is_in(params.metros))
    )
    out = labelled.filter(wanted)
    # Prefer seasonally adjusted rows when asked and present for a series; else take what exists.
    if "is_seasonally_adjusted" in out.columns:
        pref = pl.col("is_seasonally_adjusted").fill_null(False) == params.seasonally_adjusted
        has_pref = pref.any().over("kind", "name", "geography")
        out = out.filter(pref | ~has_pref)
    label = (
        pl.when(pl.col("kind") == "sector")
        .then(pl.concat_str([pl.col("name"), pl.lit(" (sector, "), pl.col("geography"), pl.lit(")")]))
        .otherwise(pl.concat_str([pl.col("name"), pl.lit(" ("), pl.col("kind"), pl.lit(")")]))
    )
    return out.with_columns(label.alias("label"))


def turning_points(daily: pl.DataFrame, baseline: float = 100.0) -> pl.DataFrame:
    """Per label: the peak, the first date after it below the baseline, and the latest value."""
    ordered = daily.drop_nulls("index").sort("label", "date")
    peak_date = pl.col("date").filter(pl.col("index") == pl.col("index").max()).first()
    peaks = ordered.group_by("label").agg(
        peak_date.alias("peak_date"),
        pl.col("index").max().alias("peak_index"),
        pl.col("date").last().alias("latest_date"),
        pl.col("index").last().alias("latest_index"),
    )
    below = (
        ordered.join(peaks.select("label", "peak_date"), on="label")
        .filter((pl.col("date") > pl.col("peak_date")) & (pl.col("index") < baseline))
        .group_by("label")
        .agg(pl.col("date").min().alias("below_baseline_date"))
    )
    return peaks.join(below, on="label", how="left").sort("label")


def compute(params: Params) -> Result:
    rows = select_series(common.load("postings_index"), params)
    rebased = metrics.index_to_baseline(rows, "date", "raw_index", params.baseline_date, by=["label"])
    notes = []
    missing = rebased.filter(pl.col("index").is_null())["label"].unique().sort().to_list()
    if missing:
        notes.append(
            f"No value on the baseline date {params.baseline_date} for: {', '.join(missing)}; "
            f"those series are left out."
        )
    daily = rebased.drop_nulls("index")
    if params.date_from:
        daily = daily.filter(pl.col("date") >= params.date_from)
    daily = daily.select("label", "kind", "date", "index", "source", "snapshot_id").sort("label", "date")
    monthly = (
        daily.group_by("label", "kind", pl.col("date").dt.truncate("1mo").alias("month"))
        .agg(pl.col("index").mean(), pl.len().alias("days"))
        .sort("label", "month")
    )
    for kind, wanted in (("country", params.countries), ("sector", params.sectors), ("metro", params.metros)):
        have = set(rows.filter(pl.col("kind") == kind)["name"].to_list())
        absent = [w for w in wanted if w not in have]
        if absent:
            notes.append(f"No {kind} series for {', '.join(absent)} in the postings_index table.")
    return Result(
        params=params,
        rows=rows,
        daily=daily,
        monthly=monthly,
        turning_points=turning_points(daily),
        notes=notes,
    )


def trend_chart(result: Result, kinds: tuple[str, ...] = KINDS) -> alt.LayerChart | None:
    data = result.monthly.filter(pl.col("kind").is_in(list(kinds)))
    if not data.height:
        return None
    points = result.turning_points.filter(pl.col("label").is_in(data["label"].unique().to_list()))
    markers = pl.concat(
        [
            points.select(
                "label",
                pl.col("peak_date").alias("date"),
                pl.col("peak_index").alias("index"),
                pl.lit("peak").alias("event"),
            ),
            points.drop_nulls("below_baseline_date")
            .join(result.daily, left_on=["label", "below_baseline_date"], right_on=["label", "date"])
            .select(
                "label",
                pl.col("below_baseline_date").alias("date"),
                "index",
                pl.lit("fell below baseline").alias("event"),
            ),
        ]
    )
    base = result.params.baseline_date
    return charts.index_lines(
        data.rename({"month": "date"}),
        date="date",
        value="index",
        series="label",
        markers=markers,
        title="Job postings index (Indeed Hiring Lab), monthly mean",
        y_title=f"Index ({base:%b %-d %Y} = 100)",
        baseline_label=f"baseline {base:%b %-d %Y} = 100",
        caption_text=common.chart_caption(
            [result.rows.filter(pl.col("label").is_in(data["label"].unique().to_list()))],
            int(data["days"].sum()),
            "n = daily observations. Diamonds: peak and first fall below baseline. " + HIRING_LAB_CREDIT,
        ),
        tooltip=[
            alt.Tooltip("label:N", title="Series"),
            alt.Tooltip("date:T", title="Month", format="%b %Y"),
            alt.Tooltip("index:Q", title="Index", format=".1f"),
            alt.Tooltip("days:Q", title="Days averaged"),
        ],
    )


def sources_table(result: Result) -> pl.DataFrame:
    return common.sources_and_licenses({"postings_index": result.rows})


def findings(result: Result) -> list:
    """Each series' latest index against the baseline (= 100)."""
    from marketlib.analysis.findings import records

    return records(result.turning_points, "latest_index", "label", "latest postings index (baseline = 100)",
                   "latest_index", "index", sources=common.source_names(result.rows))
