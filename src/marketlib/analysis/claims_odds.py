"""The city-odds claims (Bay 3.6%, LA 1.4%, Toronto 1.4%, LA ÷ Bay 40%, top cities), measured like for like.

The published figures describe 2024, all levels. We measure the same: the 2024 window (clipped to the part
the sources cover), every seniority, the city-odds measure and SOC set, CBSA metros (the SF Bay Area group as
the reference, as published). Each measurement names the differences that come from definitions rather than
from the market: who is counted (job-list postings, mostly entry level), the SOC set, the window and measure.
"""

from __future__ import annotations

import polars as pl

from marketlib.analysis import city_odds, common
from marketlib.analysis.selection import ALL_SENIORITIES, seniority_expr
from marketlib.errors import UserError

CLAIM_YEAR = 2024
REFERENCE = "SF Bay Area"


def odds_for_year(role_family: str, min_count: int, year: int = CLAIM_YEAR) -> city_odds.Result | None:
    """City odds for `year`, all levels; the window is clipped to the days the sources cover (None when no
    source covers two thirds of the year)."""
    params = city_odds.validate_params(
        role_families=[role_family], seniority=list(ALL_SENIORITIES), date_from=f"{year}-01-01",
        date_to=f"{year}-12-31", min_count=min_count, top_n=200, reference_metro=REFERENCE,
    )
    result = city_odds.compute(params)
    return result if result.coverage["is_measured"].any() else None


def _codes(table: pl.DataFrame) -> dict[str, str]:
    """metro_code -> metro of a city-odds table (a group's code joins its CBSAs: '41860+41940')."""
    return dict(zip(table["metro_code"].cast(pl.String).to_list(), table["metro"].to_list(), strict=True))


def _metro_row(table: pl.DataFrame, name: str) -> dict | None:
    try:
        label = common.resolve_metro(name, table["metro"].to_list(), _codes(table))
    except UserError:
        return None
    return table.filter(pl.col("metro") == label).row(0, named=True)


def definitions(result: city_odds.Result) -> str:
    """The differences from the published figure that come from definitions, not from the market."""
    entry = seniority_expr().is_in(city_odds.ENTRY_SENIORITIES)
    share = result.postings.select(entry.fill_null(False).mean()).item() or 0.0
    used = result.coverage.filter(pl.col("is_measured"))
    sources = ", ".join(
        f"{r['source']} {r['covered_from']}…{r['covered_to']}" for r in used.iter_rows(named=True)
    )
    return (
        f"definitions, not market: openings are job-list postings ({100 * share:.0f}% intern/junior; the "
        f"published figure counts all ML openings), measured as {result.window.describe()} from {sources or 'none'}; "
        f"professionals are SOC {' + '.join(result.params.soc_codes)} (May 2025 OEWS), not the publisher's "
        f"ML-professional count"
    )


def _unmeasurable(data, metro: str):
    from marketlib.analysis.claims import Measurement

    if data.odds is None:
        return Measurement(reason=f"no postings source covers two thirds of {CLAIM_YEAR}")
    return Measurement(reason=f"no {data.role_family} postings in {metro} in {CLAIM_YEAR}")


def success_ratio(data, _row: dict, metro: str):
    from marketlib.analysis.claims import Measurement

    result = data.odds
    row = _metro_row(result.metros, metro) if result is not None else None
    if row is None:
        return _unmeasurable(data, metro)
    if row["professionals"] is None:
        return Measurement(n=row["postings"], reason=f"{metro} has no professionals count")
    estimate = " (professionals ESTIMATED from StatCan 2021 × 2016 metro shares)" if row["is_estimate"] else ""
    return Measurement(
        n=row["postings"],
        value=row["success_ratio_pct"],
        low=row["success_ratio_low_pct"],
        high=row["success_ratio_high_pct"],
        basis=f"{row['openings']:.1f} openings / {row['professionals']:,} professionals in {row['metro']}"
        f"{estimate}, {result.window.start}…{result.window.end}",
        reason=definitions(result) + (f"; thin cell (fewer than {data.min_count} postings)" if row["is_thin"] else ""),
    )


def relative_odds(data, _row: dict, metro: str, reference: str):
    from marketlib.analysis.claims import Measurement

    result = data.odds
    if result is None:
        return _unmeasurable(data, metro)
    row, ref = _metro_row(result.metros, metro), _metro_row(result.metros, reference)
    if row is None or ref is None:
        return _unmeasurable(data, metro if row is None else reference)
    if row["relative_odds"] is None:
        return Measurement(n=row["postings"], reason=f"relative odds undefined for {metro} vs {reference}")
    return Measurement(
        n=row["postings"] + ref["postings"],
        value=100 * row["relative_odds"],
        low=100 * row["relative_odds_low"],
        high=100 * row["relative_odds_high"],
        basis=f"({row['openings']:.1f}/{row['professionals']:,}) ÷ ({ref['openings']:.1f}/{ref['professionals']:,}), "
        f"×100, {result.window.start}…{result.window.end}",
        reason=definitions(result),
    )


def top_cities(data, row: dict):
    from marketlib.analysis.claims import Measurement

    claimed = [c.strip() for c in row["claim"].split(":", 1)[-1].split(",") if c.strip()]
    k = int(float(row["value"]))
    result = data.odds
    if result is None or not result.metros.height:
        return _unmeasurable(data, "any metro")
    table = result.metros
    ours = table.sort(["openings", "metro"], descending=[True, False]).head(k)["metro"].to_list()
    labels = table["metro"].to_list()
    resolved = set()
    for name in claimed:
        try:
            resolved.add(common.resolve_metro(name, labels, _codes(table)))
        except UserError:
            resolved.add(name)
    return Measurement(
        n=int(table["postings"].sum()),
        value="; ".join(ours),
        agrees=set(ours) == resolved,
        basis=f"top {k} metros by {data.role_family} openings, {result.window.describe()}",
    )


def window_record(data) -> dict | None:
    return data.odds.window.as_record() if data.odds is not None else None
