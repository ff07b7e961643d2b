"""07-my-odds: "with my years, my skills and my domains, where are the openings I fit?"

Per metro (and for remote): openings in the window whose YOE requirement the person meets or that state none;
among those with a posting text, the share asking for each of the person's skills, the most-requested skills
the person lacks and the domain mix; and the odds of the fitting openings against professionals. Windows,
measures, metros and intervals are those of 01-city-odds (analysis/odds.py, analysis/window.py).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import polars as pl

from marketlib import metrics, schemas
from marketlib.analysis import city_odds, common, odds
from marketlib.errors import UserError
from marketlib.params import check_choices, check_int, check_strings

REMOTE = "Remote"
TOP_LACKING = 8


@dataclass(frozen=True)
class Params:
    my_years: float
    my_skills: list[str]
    my_domains: list[str]
    remote_ok: bool
    odds: city_odds.Params  # selection, window, metros, SOC sets


def _skill_names() -> list[str]:
    from marketlib.clean.skills import skill_names

    return skill_names()


def check_skills(values: object) -> list[str]:
    """Canonical skill names (case-insensitive); an unknown one stops with its closest known names."""
    known = _skill_names()
    by_lower = {k.lower(): k for k in known}
    out = []
    for value in check_strings("my_skills", values):
        hit = by_lower.get(value.lower())
        if hit is None:
            close = difflib.get_close_matches(value.lower(), list(by_lower), n=3, cutoff=0.5)
            hint = ", ".join(by_lower[c] for c in close) if close else ", ".join(known[:8]) + " …"
            raise UserError(f"Skill {value!r} is not in the skills dictionary; close matches: {hint}.")
        out.append(hit)
    return list(dict.fromkeys(out))


def validate_params(
    my_years: float | int = 0,
    my_skills: list[str] | None = None,
    my_domains: list[str] | None = None,
    metros: list[str] | str | None = None,
    remote_ok: bool = True,
    role_families: list[str] | None = None,
    seniority: list[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    window_months: int | None = None,
    measure: str | None = None,
    top_n: int = 10,
    min_count: int | None = None,
) -> Params:
    if isinstance(my_years, bool) or not isinstance(my_years, int | float) or not 0 <= my_years <= 50:
        raise UserError(f"Parameter my_years = {my_years!r} must be a number of years between 0 and 50.")
    if not isinstance(remote_ok, bool):
        raise UserError(f"Parameter remote_ok = {remote_ok!r} must be true or false.")
    wanted = [] if metros in (None, "all", ["all"]) else metros
    return Params(
        my_years=float(my_years),
        my_skills=check_skills(my_skills),
        my_domains=check_choices("my_domains", my_domains or [], schemas.DOMAINS, allow_empty=True),
        remote_ok=remote_ok,
        odds=city_odds.validate_params(
            role_families=role_families or ["ml_engineer"], seniority=seniority, date_from=date_from,
            date_to=date_to, window_months=window_months, measure=measure, metros=wanted,
            top_n=check_int("top_n", top_n, minimum=1, maximum=100), min_count=min_count,
        ),
    )


@dataclass
class Result:
    params: Params
    window: object
    fitting: pl.DataFrame  # the fitting postings in the window, with weight w and place (metro or Remote)
    places: pl.DataFrame  # per place: openings, postings, professionals, success ratio + interval, thin flag
    skills: pl.DataFrame  # per place × my skill: postings with text, asking, share + interval
    lacking: pl.DataFrame  # per place: the most-requested skills the person lacks
    domains: pl.DataFrame  # per place × domain: share of fitting postings with text
    notes: list[str] = field(default_factory=list)


def fits(my_years: float) -> pl.Expr:
    """The posting's YOE requirement is met (or it states none)."""
    return pl.col("yoe_min").is_null() | (pl.col("yoe_min") <= my_years)


def _places(weighted: pl.DataFrame, params: Params, labels: pl.DataFrame) -> pl.DataFrame:
    """posting_id -> place label: its metros, plus 'Remote' for remote postings when remote_ok."""
    where = odds.posting_metros(weighted, params.odds.metro_groups).join(
        labels.select("metro_code", "metro"), on="metro_code", how="left"
    )
    out = where.select("posting_id", pl.coalesce("metro", "metro_label", "metro_code").alias("place"))
    if params.remote_ok:
        remote = weighted.filter(pl.col("is_remote").fill_null(False))
        remote = remote.select("posting_id", pl.lit(REMOTE).alias("place"))
        out = pl.concat([out, remote])
    return out.unique()


def _share_table(frame: pl.DataFrame, label: str, n_col: str, min_count: int) -> pl.DataFrame:
    out = metrics.add_share(frame, "asking", n_col)
    return metrics.flag_thin(out, n_col, min_count).sort(["place", label])


def compute(params: Params) -> Result:
    all_postings, professionals = common.load("postings"), common.load("professionals")
    win, coverage, weighted = city_odds.counted_postings(params.odds, all_postings)
    fitting = weighted.filter(fits(params.my_years))
    labels = odds.catalogue(professionals, params.odds.metro_groups)
    places = _places(fitting, params, labels)
    counted = odds.openings(fitting, odds.posting_metros(fitting, params.odds.metro_groups))
    table = odds.ratio_table(
        counted, odds.professionals_by_metro(professionals, params.odds.soc_codes, params.odds.metro_groups),
        labels, params.odds.reference_metro, params.odds.min_count,
    ).rename({"metro": "place"})
    if params.remote_ok:
        remote = fitting.filter(pl.col("is_remote").fill_null(False))
        table = pl.concat([table, pl.DataFrame({
            "place": [REMOTE], "openings": [float(remote["w"].sum())], "postings": [remote.height],
            "is_thin": [remote.height < params.odds.min_count], "caveat": ["no professionals pool for remote work"],
        })], how="diagonal_relaxed")
    if params.odds.metros:
        table = table.filter(pl.col("place").is_in(params.odds.metros + [REMOTE]))
    else:
        top = table.filter(pl.col("place") != REMOTE).sort("openings", descending=True).head(params.odds.top_n)
        table = table.filter(pl.col("place").is_in(top["place"].to_list() + [REMOTE]))
    shown = places.filter(pl.col("place").is_in(table["place"].to_list()))
    texts = common.with_posting_text(fitting).join(shown, on="posting_id", how="inner")
    n_text = texts.group_by("place").agg(pl.len().alias("with_text"))
    exploded = texts.select("place", "posting_id", "skills").explode("skills").drop_nulls("skills").unique()
    asked = exploded.group_by("place", pl.col("skills").alias("skill")).agg(pl.len().alias("asking"))
    mine = (
        n_text.join(pl.DataFrame({"skill": params.my_skills}, schema={"skill": pl.String}), how="cross")
        .join(asked, on=["place", "skill"], how="left")
        .with_columns(pl.col("asking").fill_null(0))
    )
    lacking = (
        asked.filter(~pl.col("skill").is_in(params.my_skills))
        .join(n_text, on="place")
        .sort(["place", "asking", "skill"], descending=[False, True, False])
        .group_by("place", maintain_order=True)
        .head(TOP_LACKING)
    )
    doms = (
        texts.select("place", "posting_id", pl.col("domains").list.unique().alias("domain"))
        .explode("domain").drop_nulls("domain")
        .group_by("place", "domain").agg(pl.len().alias("asking"))
        .join(n_text, on="place")
        .with_columns(pl.col("domain").is_in(params.my_domains).alias("is_mine"))
    )
    notes = [f"Window: {win.describe()}."] + city_odds.window.coverage_notes(coverage, win)
    notes.append(f"{fitting.height:,} of {weighted.height:,} postings in the window ask for at most "
                 f"{params.my_years:g} years or state none; skills and domains count only the "
                 f"{common.with_posting_text(fitting).height:,} of them with a posting text.")
    return Result(
        params=params, window=win, fitting=fitting, places=table.sort("openings", descending=True),
        skills=_share_table(mine, "skill", "with_text", params.odds.min_count),
        lacking=metrics.add_share(lacking, "asking", "with_text"),
        domains=_share_table(doms, "domain", "with_text", params.odds.min_count),
        notes=notes,
    )


def skills_chart(result: Result):
    """Share of fitting postings (with text) asking for each of my skills, per place, with intervals."""
    import altair as alt

    from marketlib import charts

    data = result.skills.filter(pl.col("share_pct").is_not_null()).with_columns(
        (pl.col("place") + " · " + pl.col("skill")).alias("place_skill")
    )
    if not data.height:
        return None
    return charts.ranked_dots(
        data, label="place_skill", value="share_pct", low="share_low_pct", high="share_high_pct",
        title="How often my skills are asked for, by place", x_title="Share of fitting postings with text (%)",
        caption_text=common.chart_caption([result.fitting], int(data["with_text"].max()),
                                          f"{result.window.describe()}; 95% Wilson intervals; grey: thin."),
        tooltip=[alt.Tooltip("place_skill:N", title="Place · skill"), alt.Tooltip("asking:Q", title="Asking"),
                 alt.Tooltip("with_text:Q", title="Postings with text"),
                 alt.Tooltip("share_pct:Q", title="Share (%)", format=".1f")],
    )


def odds_chart(result: Result):
    """Openings I fit per 100 professionals, by metro, with the combined interval."""
    import altair as alt

    from marketlib import charts

    data = result.places.filter(pl.col("success_ratio_pct").is_not_null())
    if not data.height:
        return None
    return charts.ranked_dots(
        data, label="place", value="success_ratio_pct", low="success_ratio_low_pct", high="success_ratio_high_pct",
        title="Openings I fit per 100 professionals", x_title="Success ratio (%)",
        caption_text=common.chart_caption([result.fitting], int(data["postings"].sum()),
                                          f"{result.window.describe()}; 95% interval (counts + professionals' "
                                          "error); grey: thin; Canadian professionals are estimates."),
        tooltip=[alt.Tooltip("place:N", title="Place"), alt.Tooltip("postings:Q", title="Postings"),
                 alt.Tooltip("professionals:Q", title="Professionals", format=","),
                 alt.Tooltip("success_ratio_pct:Q", title="Success ratio (%)", format=".3f")],
    )


def findings(result: Result) -> list:
    from marketlib.analysis.findings import Finding

    sources = common.source_names(result.fitting)
    out = [Finding(id="fitting_openings:all", text=f"Openings I fit, all places ({result.window.describe()})",
                   value=float(result.fitting["w"].sum()), unit="openings", n=result.fitting.height, sources=sources)]
    for rec in result.places.iter_rows(named=True):
        out.append(Finding(
            id=f"fitting_openings:{rec['place']}",
            text=f"{rec['place']}: openings I fit ({result.window.describe()})",
            value=rec["openings"], unit="openings", n=rec["postings"], sources=sources,
        ))
        if rec.get("success_ratio_pct") is not None:
            out.append(Finding(
                id=f"my_success_ratio:{rec['place']}",
                text=f"{rec['place']}: openings I fit per 100 professionals"
                     + (" (professionals ESTIMATED)" if rec["is_estimate"] else ""),
                value=rec["success_ratio_pct"], unit="%", low=rec["success_ratio_low_pct"],
                high=rec["success_ratio_high_pct"], n=rec["postings"], sources=sources,
            ))
    return out


def publish(result: Result):
    from marketlib.analysis import findings as published

    p = result.params
    record = {"my_years": p.my_years, "my_skills": p.my_skills, "my_domains": p.my_domains,
              "remote_ok": p.remote_ok, **published.params_record(p.odds)}
    return published.publish(record, findings(result), result.window.as_record())


def sources_table(result: Result) -> pl.DataFrame:
    return common.sources_and_licenses({"postings": result.fitting})
