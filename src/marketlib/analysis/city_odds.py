"""01-city-odds: openings in a window per professional, by metro, with intervals, relative odds, thin flags.

Numerator: non-duplicate postings of the chosen role families, seniority and sources, measured in a window as
"open on an average day" or "new openings per year" (analysis/window.py), counted once per metro.
Denominator: BLS OEWS May 2025 employment of the role families' SOC set per CBSA (marketlib.toml
[metrics.soc_sets]); Canadian metros get an estimate (sources/statcan.py). See analysis/odds.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import altair as alt
import polars as pl

from marketlib import charts, metrics
from marketlib.analysis import common, odds, seekers, window
from marketlib.analysis.selection import DEFAULT_SENIORITY, PostingSelection, SelectsPostings
from marketlib.errors import UserError
from marketlib.params import check_int, check_strings

DEFAULT_ROLE_FAMILIES = ["ml_engineer", "data_scientist", "research_scientist"]
ENTRY_SENIORITIES = ("intern", "junior")
DEFAULT_REFERENCE = "SF Bay Area"


@dataclass(frozen=True)
class Params(SelectsPostings):
    selection: PostingSelection
    date_from: object
    date_to: object
    window_months: int
    measure: str | None
    metros: list[str]
    top_n: int
    soc_codes: list[str]
    soc_codes_alternative: list[str]
    reference_metro: str
    metro_groups: list[str]


def _check_socs(name: str, codes: list[str]) -> list[str]:
    bad = [s for s in codes if len(s) != 7 or s[2] != "-" or not (s[:2] + s[3:]).isdigit()]
    if bad:
        raise UserError(f"Parameter {name} has malformed code(s) {', '.join(bad)}; write SOC codes as '15-2051'.")
    return codes


def validate_params(
    role_families: list[str] | None = None,
    sources: list[str] | None = None,
    seniority: list[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    window_months: int | None = None,
    measure: str | None = None,
    metros: list[str] | None = None,
    top_n: int = 15,
    soc_codes: list[str] | None = None,
    soc_codes_alternative: list[str] | None = None,
    reference_metro: str | None = None,
    metro_groups: list[str] | None = None,
    min_count: int | None = None,
) -> Params:
    """Check the parameters; None means the default (marketlib.toml for min_count and the SOC sets)."""
    postings = common.load("postings")
    selection = PostingSelection.validate(
        role_families=role_families, sources=sources, seniority=seniority, min_count=min_count,
        default_role_families=DEFAULT_ROLE_FAMILIES, default_seniority=DEFAULT_SENIORITY,
        known_sources=common.known_sources(postings),
    )
    start, end, months, chosen_measure = window.validate_window(date_from, date_to, window_months, measure)
    families = list(selection.role_families)
    socs = _check_socs("soc_codes", check_strings("soc_codes", soc_codes) or odds.soc_set(families))
    alt_socs = _check_socs(
        "soc_codes_alternative",
        check_strings("soc_codes_alternative", soc_codes_alternative) or odds.soc_set(families, alternative=True),
    )
    known_groups = sorted(common.metro_groups())
    groups = check_strings("metro_groups", metro_groups)
    unknown = [g for g in groups if g not in known_groups]
    if unknown:
        raise UserError(f"Parameter metro_groups has unknown group(s) {', '.join(unknown)}; valid groups are: "
                        f"{', '.join(known_groups)}.")
    reference = (reference_metro or DEFAULT_REFERENCE).strip()
    if reference in known_groups and reference not in groups:
        groups.append(reference)  # the reference asks for its group
    labels, codes = _metro_catalogue(postings, common.load("professionals"), groups)
    reference = common.resolve_metro(reference, labels, codes)
    wanted = [common.resolve_metro(m, labels, codes) for m in check_strings("metros", metros)]
    return Params(
        selection=selection, date_from=start, date_to=end, window_months=months, measure=chosen_measure,
        metros=wanted, top_n=check_int("top_n", top_n, minimum=1, maximum=200), soc_codes=socs,
        soc_codes_alternative=alt_socs, reference_metro=reference, metro_groups=groups,
    )


def _metro_catalogue(postings: pl.DataFrame, professionals: pl.DataFrame, groups: list[str]):
    labels = odds.catalogue(professionals, groups)
    abroad = odds.posting_metros(postings.filter(pl.col("country") != common.US), groups)
    names = set(labels["metro"].to_list()) | set(abroad["metro_label"].drop_nulls().to_list())
    return sorted(names), dict(zip(labels["metro_code"].to_list(), labels["metro"].to_list(), strict=True))


@dataclass
class Result:
    params: Params
    window: window.Window
    coverage: pl.DataFrame  # per source: dates, whether it records a seen span, whether it is measured
    postings: pl.DataFrame  # the postings counted in the window (with weight w; kept for provenance)
    professionals: pl.DataFrame  # the rows of the denominator
    metros: pl.DataFrame  # one row per metro: openings, professionals, ratios, intervals, relative odds
    sensitivity: pl.DataFrame  # the same metros with the alternative SOC set
    numerator_summary: pl.DataFrame  # postings per source with date range and entry-level share
    seekers: pl.DataFrame  # HN seekers per hiring post by month (may be empty)
    groups: pl.DataFrame = field(default_factory=pl.DataFrame)  # named metro groups used, with members
    employers: pl.DataFrame = field(default_factory=pl.DataFrame)  # top employers by openings
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        families = ", ".join(f.replace("_", " ") for f in self.params.role_families)
        return f"City odds for {families} ({self.params.selection.seniority_label()})"


def top_employers(postings: pl.DataFrame, n: int = 15) -> pl.DataFrame:
    """Employers with the most openings in the selection, spellings merged (clean/employers.py): company (the
    most common spelling), spellings, openings, postings, metros, sources, is_aggregator (a job board)."""
    from marketlib.clean.employers import company_key, employer_counts

    keyed = postings.with_columns(company_key(pl.col("company")).alias("_key"))
    where = keyed.group_by("_key").agg(
        pl.col("metro_codes").list.explode(keep_nulls=False, empty_as_null=False).n_unique().alias("us_metros"),
        pl.col("source").unique().sort().str.join(", ").alias("sources"),
    )
    return (
        employer_counts(postings, weight="w")
        .join(where, on="_key", how="left")
        .select("company", "spellings", "openings", "postings", "us_metros", "sources", "is_aggregator")
        .sort(["openings", "company"], descending=[True, False])
        .head(n)
    )


def counted_postings(params: Params, all_postings: pl.DataFrame) -> tuple[window.Window, pl.DataFrame, pl.DataFrame]:
    """(window, coverage, weighted postings): the selection measured in its window."""
    selected = params.selection.apply(all_postings, dates=False)
    win, coverage = window.resolve(
        window.source_coverage(selected), params.date_from, params.date_to, params.window_months, params.measure,
        fit_to_coverage=bool(params.selection.sources),
    )
    return win, coverage, window.weights(selected, win, coverage)


def metro_table(params: Params, weighted: pl.DataFrame, professionals: pl.DataFrame, soc_codes: list[str]):
    groups = params.metro_groups
    return odds.ratio_table(
        odds.openings(weighted, odds.posting_metros(weighted, groups)),
        odds.professionals_by_metro(professionals, soc_codes, groups),
        odds.catalogue(professionals, groups),
        params.reference_metro,
        params.min_count,
    )


def _shown(table: pl.DataFrame, params: Params) -> pl.DataFrame:
    if params.metros:
        keep = set(params.metros) | {params.reference_metro}
    else:
        ranked = table.filter(pl.col("professionals").is_not_null()).sort("openings", descending=True)
        keep = set(ranked.head(params.top_n)["metro"].to_list()) | {params.reference_metro}
        keep |= set(table.filter(pl.col("is_estimate"))["metro"].to_list())  # Canada always shown
    return table.filter(pl.col("metro").is_in(list(keep)))


def compute(params: Params) -> Result:
    all_postings, all_professionals = common.load("postings"), common.load("professionals")
    win, coverage, weighted = counted_postings(params, all_postings)
    table = _shown(metro_table(params, weighted, all_professionals, params.soc_codes), params)
    alternative = metro_table(params, weighted, all_professionals, params.soc_codes_alternative)
    sensitivity = table.select("metro", "openings", "professionals", "success_ratio_pct", "relative_odds").join(
        alternative.select(
            "metro",
            pl.col("professionals").alias("professionals_alternative"),
            pl.col("success_ratio_pct").alias("success_ratio_alternative_pct"),
            pl.col("relative_odds").alias("relative_odds_alternative"),
        ),
        on="metro",
        how="left",
    )
    notes = window.coverage_notes(coverage, win)
    ref = table.filter((pl.col("metro") == params.reference_metro) & pl.col("relative_odds").is_not_null())
    if not ref.height:
        notes.append(f"The reference metro {params.reference_metro} has no openings or no professionals in the "
                     f"selection, so relative odds are not defined.")
    denominator = all_professionals.filter(
        pl.col("area_type").is_in(["msa", "cma"]) & pl.col("soc_code").is_in(params.soc_codes)
    )
    return Result(
        params=params, window=win, coverage=coverage, postings=weighted, professionals=denominator,
        metros=table, sensitivity=sensitivity, numerator_summary=numerator_summary(weighted),
        seekers=seekers.per_hiring_post(common.load("seekers"), params.min_count),
        groups=groups_table(params.metro_groups), employers=top_employers(weighted), notes=notes,
    )


def groups_table(groups: list[str]) -> pl.DataFrame:
    """The named metro groups a page uses, with their member CBSAs (codes and titles)."""
    from marketlib.clean.locations import metro_name

    members = common.metro_groups()
    rows = [{"group": g, "cbsa_code": c, "cbsa": metro_name(c)} for g in groups for c in members.get(g, [])]
    return pl.DataFrame(rows, schema={"group": pl.String, "cbsa_code": pl.String, "cbsa": pl.String})


def window_statement(result: Result) -> str:
    """What was counted, in which window, with which measure and which SOC set."""
    p = result.params
    used = result.coverage.filter(pl.col("is_measured"))["source"].to_list()
    return (
        f"Openings are {result.window.describe()}, for {', '.join(p.role_families)} postings of seniority "
        f"{p.selection.seniority_label()} ({', '.join(p.selection.seniority)}), from "
        f"{', '.join(used) or 'no source'}. Professionals: SOC {' + '.join(p.soc_codes)} (BLS OEWS May 2025; "
        f"Canadian metros: StatCan-based estimates). No years are pooled: only this window counts."
    )


def numerator_summary(postings: pl.DataFrame) -> pl.DataFrame:
    """Per source: postings, date range, and the share that is internship or entry level (with interval)."""
    entry = pl.col("seniority").is_in(ENTRY_SENIORITIES) | (pl.col("employment_type") == "internship")
    summary = postings.group_by("source").agg(
        pl.len().alias("postings"),
        pl.col("w").sum().alias("openings"),
        entry.fill_null(False).sum().alias("entry_level"),
        pl.col("posted_date").min().alias("first_posted_date"),
        pl.col("posted_date").max().alias("last_posted_date"),
        common.snapshot_date_expr().max().alias("snapshot_date"),
    )
    return metrics.add_share(summary, "entry_level", "postings", name="entry_level_share").sort("source")


def numerator_statement(result: Result) -> str:
    """A sentence on what feeds the numerator, computed from the data."""
    s = result.numerator_summary
    if not s.height:
        return "No postings match the selection, so no openings can be counted."
    total, entry = int(s["postings"].sum()), int(s["entry_level"].sum())
    share = 100.0 * entry / total if total else 0.0
    parts = ", ".join(f"{r['source']} ({r['postings']:,})" for r in s.iter_rows(named=True))
    first, last = s["first_posted_date"].min(), s["last_posted_date"].max()
    lean = " The ratios therefore lean to entry-level openings." if share >= 50 else ""
    lists = common.entry_list_caveat(result.postings)
    lean += f" {lists}" if lists else ""
    return (
        f"Openings come from {parts}: {total:,} non-duplicate postings counted in the window (posted "
        f"{first} to {last}); {share:.0f}% are internships or entry-level.{lean}"
    )


def _caption(result: Result, n: int, note: str = "") -> str:
    return common.chart_caption([result.postings, result.professionals], n, note)


def odds_chart(result: Result) -> alt.LayerChart:
    data = result.metros.filter(pl.col("success_ratio_pct").is_not_null())
    ref = data.filter(pl.col("metro") == result.params.reference_metro)["success_ratio_pct"]
    return charts.ranked_dots(
        data,
        label="metro",
        value="success_ratio_pct",
        low="success_ratio_low_pct",
        high="success_ratio_high_pct",
        title="Openings per 100 professionals, by metro",
        x_title="Success ratio (openings per 100 professionals, %)",
        caption_text=_caption(
            result,
            int(data["openings"].sum()),
            f"{result.window.describe()}. Dots: ratio; rules: 95% interval (counts + OEWS RSE); "
            "grey: thin. Dashed: reference.",
        ),
        tooltip=[
            alt.Tooltip("metro:N", title="Metro"),
            alt.Tooltip("openings:Q", title="Openings", format=","),
            alt.Tooltip("professionals:Q", title="Professionals (OEWS)", format=","),
            alt.Tooltip("success_ratio_pct:Q", title="Success ratio (%)", format=".2f"),
            alt.Tooltip("professionals_per_opening:Q", title="Professionals per opening", format=",.0f"),
            alt.Tooltip("relative_odds:Q", title="Relative odds vs reference", format=".2f"),
            alt.Tooltip("is_thin:N", title="Thin cell"),
        ],
        reference_value=ref[0] if ref.len() else None,
    )


def scatter_chart(result: Result) -> alt.LayerChart:
    data = result.metros.filter(pl.col("professionals").is_not_null())
    return charts.loglog_scatter(
        data,
        x="professionals",
        y="openings",
        label="metro",
        title="Openings vs professionals by metro (log-log)",
        x_title="Professionals (OEWS employment, jobs)",
        y_title="Openings (non-duplicate postings)",
        caption_text=_caption(result, int(data["openings"].sum()), "Dashed lines: equal success ratio."),
        iso_ratios=(0.001, 0.01, 0.05),
        iso_title="openings/professional =",
        tooltip=[
            alt.Tooltip("metro:N", title="Metro"),
            alt.Tooltip("openings:Q", title="Openings", format=","),
            alt.Tooltip("professionals:Q", title="Professionals", format=","),
            alt.Tooltip("success_ratio_pct:Q", title="Success ratio (%)", format=".2f"),
        ],
    )


def sources_table(result: Result) -> pl.DataFrame:
    return common.sources_and_licenses(
        {"postings": result.postings, "professionals": result.professionals, "seekers": result.seekers}
    )


def findings(result: Result) -> list:
    """Headline figures: each shown metro's success ratio (and relative odds), named with window and SOC set."""
    from marketlib.analysis.findings import Finding

    sources = common.source_names(result.postings, result.professionals)
    out = [Finding(
        id="openings_counted", text=f"Openings counted: {result.window.describe()}, "
        f"{result.params.selection.seniority_label()}", value=float(result.postings["w"].sum()),
        unit="openings", n=result.postings.height, sources=sources,
    )]
    for rec in result.metros.filter(pl.col("success_ratio_pct").is_not_null()).iter_rows(named=True):
        flag = " (professionals ESTIMATED)" if rec["is_estimate"] else ""
        out.append(Finding(
            id=f"success_ratio:{rec['metro_code']}",
            text=f"{rec['metro']}{flag}: {rec['openings']:.1f} {window.MEASURE_NAMES[result.window.measure]} "
                 f"per {rec['professionals']:,} professionals (SOC {' + '.join(result.params.soc_codes)})",
            value=rec["success_ratio_pct"], unit="%", low=rec["success_ratio_low_pct"],
            high=rec["success_ratio_high_pct"], n=rec["postings"], sources=sources,
        ))
        if rec["relative_odds"] is not None and rec["metro"] != result.params.reference_metro:
            out.append(Finding(
                id=f"relative_odds:{rec['metro_code']}",
                text=f"{rec['metro']} odds relative to {result.params.reference_metro}",
                value=rec["relative_odds"], unit="ratio", low=rec["relative_odds_low"],
                high=rec["relative_odds_high"], n=rec["postings"], sources=sources,
            ))
    return out


def publish(result: Result):
    from marketlib.analysis import findings as published

    return published.publish(
        published.params_record(result.params), findings(result), result.window.as_record(), result.metros
    )
