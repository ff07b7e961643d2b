"""08-hn-trends: Hacker News "Who is hiring?" by month — posts, ML/data, LLM/NLP/CV and remote shares, YOE.

The project's own parsing covers the months it holds posts for (the 2013-08 … 2018-04 and 2026-01 … 2026-04
archives and any live fetch); the peer (controlarm/hn-hiring-analysis) gives monthly hiring-post counts and
keyword shares for 2011–2026, labelled as the peer's. TOLERANCE_RULE states the check of the two where
they overlap. A post counts once per month however many roles it advertises; HN companies repost monthly, so
the cross-month duplicate flag is not applied here.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field

import altair as alt
import polars as pl

from marketlib import chart_layout, charts, schemas
from marketlib.analysis import common
from marketlib.params import check_choices, check_int

ML_DATA_FAMILIES = ("ml_engineer", "data_scientist", "research_scientist", "data_engineer", "data_analyst")
DOMAIN_SHARES = {"llm": "LLM", "nlp": "NLP", "cv": "CV"}
PEER_ML_KEYWORD = "Machine learning"
DEFAULT_PEER_KEYWORDS = ["Machine learning", "Deep learning", "LLM", "NLP", "Computer vision", "Remote"]
PARTIAL_MONTHS = (dt.date(2018, 4, 1),)  # the 2018-04 file was collected on 2018-04-02 (its PROVENANCE)
COUNT_RATIO_RANGE = (0.70, 1.10)
MEDIAN_RATIO_RANGE = (0.85, 1.05)
SHARE_SIGMAS = 4.0
PEER_ROUNDING_PP = 0.5
TOLERANCE_RULE = (
    "Post counts: the posts the project holds for a month over the peer's count. The 2013–2018 archive is "
    "documented (its PROVENANCE) to hold a median 91% of the peer's counts, 71–104% by month, so every month "
    "must lie within 70–110% (the documented range widened to the next 0.05 below, and to 1.10 above because "
    "the peer counted years later, after some posts were deleted) and the median within 85–105%. The partial "
    "month 2018-04 (collected on its second day) is shown but not judged. 'Machine learning' share: the "
    "peer's regular expression on the project's own HTML-to-text conversion of every post it holds. The held "
    "posts are a large subset of the peer's, so the shares may differ by sampling alone: a month agrees when "
    "the gap is within 4 binomial standard errors (with the finite-population correction for a subset) plus "
    "0.5 percentage points for the peer's rounding."
)
PEER_LABEL = "peer: controlarm/hn-hiring-analysis"
SAMPLE_CAVEAT = ("Both series are samples of Hacker News: hiring posts are employers who chose to post on HN, "
                 "seekers are people who chose to post in 'Who wants to be hired?'; neither is the job market.")


@dataclass(frozen=True)
class Params:
    peer_keywords: list[str]
    min_posts: int


def validate_params(peer_keywords: list[str] | None = None, min_posts: int = 30) -> Params:
    known = sorted(_peer_shares()["keyword"].unique().to_list())
    chosen = DEFAULT_PEER_KEYWORDS if peer_keywords is None else peer_keywords
    if known:
        chosen = check_choices("peer_keywords", chosen, known, allow_empty=True)
    return Params(peer_keywords=list(chosen), min_posts=check_int("min_posts", min_posts, minimum=1))


def _peer_shares() -> pl.DataFrame:
    return common.load("hn_peer_keywords")


def _period(month: pl.Expr) -> pl.Expr:
    """Breaks the monthly lines where the project holds no posts (2018-05 … 2025-12)."""
    return pl.when(month.dt.year() <= 2018).then(pl.lit("2013–2018")).otherwise(pl.lit("2019–2026"))


def post_table(postings: pl.DataFrame) -> pl.DataFrame:
    """HN postings (one per role) -> one row per post: month and what any of its roles advertises."""
    hn = postings.filter(pl.col("source") == "hackernews")
    return hn.group_by(pl.col("source_posting_id").str.replace("#.*$", "").alias("post_id")).agg(
        pl.col("posted_date").first().dt.truncate("1mo").alias("month_date"),
        (pl.col("role_family").is_in(ML_DATA_FAMILIES) | (pl.col("domains").list.len() > 0)).any()
        .alias("is_ml_data"),
        *[pl.col("domains").list.contains(d).any().alias(f"has_{d}") for d in DOMAIN_SHARES],
        pl.col("is_remote").fill_null(False).any().alias("is_remote"),
        pl.col("yoe_bucket").first(),  # one text per post: every role has the post's YOE
        pl.col("snapshot_id").first(),
    )


def monthly_shares(posts: pl.DataFrame) -> pl.DataFrame:
    """month_date, posts and the percent of posts per measure."""
    pct = {"ML/data roles": "is_ml_data", **{v: f"has_{k}" for k, v in DOMAIN_SHARES.items()}, "Remote": "is_remote"}
    return (posts.group_by("month_date").agg(pl.len().alias("posts"),
                                             *[(pl.col(c).mean() * 100).alias(n) for n, c in pct.items()])
            .sort("month_date"))


def yoe_by_year(posts: pl.DataFrame) -> pl.DataFrame:
    return (posts.group_by(pl.col("month_date").dt.year().alias("year"), "yoe_bucket").agg(pl.len().alias("posts"))
            .with_columns((pl.col("posts") / pl.col("posts").sum().over("year") * 100).alias("share_pct"))
            .sort("year", "yoe_bucket"))


def held_months() -> pl.DataFrame:
    """The posts the project holds per month and those matching the peer's "machine learning" expression."""
    return common.load("hn_held_months").select("month_date", pl.col("held_posts").alias("posts"),
                                                pl.col("held_ml_posts").alias("ml_posts"))


def peer_agreement(held: pl.DataFrame, peer_volume: pl.DataFrame, peer_shares: pl.DataFrame) -> pl.DataFrame:
    """One row per overlapping month: counts, their ratio, both "machine learning" shares, the allowed gap.
    held: month_date, posts, ml_posts (`hn_held_months`); peer_volume: month_date, peer_hiring_posts;
    peer_shares: month_date, keyword, share_pct."""
    peer_ml = peer_shares.filter(pl.col("keyword") == PEER_ML_KEYWORD).select(
        "month_date", pl.col("share_pct").alias("peer_ml_pct"))
    p = pl.col("ml_posts") / pl.col("posts")
    fpc = (1 - pl.col("posts") / pl.col("peer_hiring_posts")).clip(lower_bound=0)
    return (
        held.select("month_date", "posts", "ml_posts")
        .join(peer_volume.select("month_date", "peer_hiring_posts"), on="month_date").join(peer_ml, on="month_date")
        .with_columns(
            (pl.col("posts") / pl.col("peer_hiring_posts")).alias("count_ratio"),
            (p * 100).alias("ml_pct"),
            (SHARE_SIGMAS * 100 * (p * (1 - p) / pl.col("posts") * fpc).sqrt() + PEER_ROUNDING_PP)
            .alias("allowed_gap_pp"),
            pl.col("month_date").is_in(list(PARTIAL_MONTHS)).alias("is_partial_month"),
        )
        .with_columns(
            pl.col("count_ratio").is_between(*COUNT_RATIO_RANGE).alias("count_agrees"),
            ((pl.col("ml_pct") - pl.col("peer_ml_pct")).abs() <= pl.col("allowed_gap_pp")).alias("ml_agrees"),
        )
        .sort("month_date")
    )


def agreement_failures(agreement: pl.DataFrame) -> list[str]:
    """What breaks the stated tolerance (empty when the project and the peer agree)."""
    full = agreement.filter(~pl.col("is_partial_month"))
    if not full.height:
        return ["No month is held by both the project and the peer."]
    problems = [f"{m:%Y-%m}: the project holds {r:.0%} of the peer's posts (allowed {COUNT_RATIO_RANGE[0]:.0%}"
                f"–{COUNT_RATIO_RANGE[1]:.0%})."
                for m, r in full.filter(~pl.col("count_agrees")).select("month_date", "count_ratio").iter_rows()]
    median = full["count_ratio"].median()
    if not MEDIAN_RATIO_RANGE[0] <= median <= MEDIAN_RATIO_RANGE[1]:
        problems.append(f"The median count ratio {median:.0%} is outside {MEDIAN_RATIO_RANGE[0]:.0%}–"
                        f"{MEDIAN_RATIO_RANGE[1]:.0%}.")
    problems += [f"{m:%Y-%m}: 'machine learning' in {a:.1f}% of posts vs the peer's {b:.1f}% (allowed ±{g:.1f} pp)."
                 for m, a, b, g in full.filter(~pl.col("ml_agrees"))
                 .select("month_date", "ml_pct", "peer_ml_pct", "allowed_gap_pp").iter_rows()]
    return problems


def collector_comparison(posts: pl.DataFrame, peer: pl.DataFrame) -> pl.DataFrame:
    """Per year, the project's remote share next to the 2013–2018 archive collector's own remote flag on the
    same posts, and how often the two agree: a peer's output compared, never used as labels."""
    both = posts.join(peer.select(pl.col("comment_id").alias("post_id"), "peer_is_remote"), on="post_id")
    return (both.group_by(pl.col("month_date").dt.year().alias("year"))
            .agg(pl.len().alias("posts"), (pl.col("is_remote").mean() * 100).alias("project_remote_pct"),
                 (pl.col("peer_is_remote").fill_null(False).mean() * 100).alias("collector_remote_pct"),
                 ((pl.col("is_remote") == pl.col("peer_is_remote").fill_null(False)).mean() * 100)
                 .alias("same_flag_pct"))
            .sort("year"))


def seekers_ratio(seekers: pl.DataFrame) -> pl.DataFrame:
    return (seekers.filter(pl.col("month_date").dt.year().is_between(2014, 2026) & (pl.col("hiring_posts") > 0))
            .with_columns((pl.col("seekers") / pl.col("hiring_posts")).alias("seekers_per_hiring_post"))
            .drop_nulls("seekers_per_hiring_post").sort("month_date"))


@dataclass
class Result:
    params: Params
    postings: pl.DataFrame  # the HN postings used (provenance)
    seekers: pl.DataFrame  # the seekers table rows used (provenance)
    monthly: pl.DataFrame  # month_date, posts, shares (project)
    yoe: pl.DataFrame  # year, yoe_bucket, posts, share_pct
    agreement: pl.DataFrame  # overlapping months, project vs peer
    peer_keywords: pl.DataFrame  # month_date, keyword, share_pct (peer)
    seekers_ratio: pl.DataFrame  # month_date, seekers, hiring_posts, seekers_per_hiring_post, counts_from
    collector: pl.DataFrame = field(default_factory=pl.DataFrame)  # year: project vs collector remote flags
    findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _median(frame: pl.DataFrame, column: str, years: tuple[int, int]) -> float | None:
    sel = frame.filter(pl.col("month_date").dt.year().is_between(*years))[column]
    return sel.median() if sel.len() else None


def findings(result: Result) -> list:
    """Two to four findings computed from the result (nothing typed in), as `analysis.findings.Finding`."""
    from marketlib.analysis.findings import Finding

    out, m = [], result.monthly.filter(pl.col("posts") >= result.params.min_posts)
    n_posts = int(m["posts"].sum()) if m.height else 0
    src = ["hackernews"]
    old, new = _median(m, "ML/data roles", (2013, 2018)), _median(m, "ML/data roles", (2026, 2026))
    if old is not None and new is not None:
        out.append(Finding("hn:ml_data_share_2026", f"In the median month of 2013–2018, {old:.0f}% of HN hiring "
                           f"posts advertised an ML or data role (by the project's role families and ML domains); "
                           f"in 2026 it is {new:.0f}%.", new, "pct", n=n_posts, sources=src))
    llm_old, llm_new = _median(m, "LLM", (2013, 2018)), _median(m, "LLM", (2026, 2026))
    if llm_old is not None and llm_new is not None:
        out.append(Finding("hn:llm_share_2026", f"Posts whose roles work on LLMs went from {llm_old:.1f}% "
                           f"(2013–2018 median month) to {llm_new:.1f}% (2026); remote-friendly posts from "
                           f"{_median(m, 'Remote', (2013, 2018)):.0f}% to {_median(m, 'Remote', (2026, 2026)):.0f}%.",
                           llm_new, "pct", n=n_posts, sources=src))
    s = result.seekers_ratio
    first, last = _median(s, "seekers_per_hiring_post", (2014, 2015)), _median(s, "seekers_per_hiring_post",
                                                                               (2025, 2026))
    if first is not None and last is not None:
        out.append(Finding("hn:seekers_per_hiring_post", f"Seekers per hiring post rose from {first:.2f} (median "
                           f"month of 2014–2015) to {last:.2f} (2025–2026), on HN samples of both sides.", last,
                           "ratio", n=s.height, sources=common.source_names(result.seekers) or src))
    full = result.agreement.filter(~pl.col("is_partial_month"))
    if full.height:
        failures = agreement_failures(result.agreement)
        ratio = full["count_ratio"].median()
        out.append(Finding("hn:peer_count_ratio", f"Over {full.height} months held by both, the project holds a "
                           f"median {ratio:.0%} of the peer's post count, and its 'machine learning' share is within "
                           f"tolerance in {int(full['ml_agrees'].sum())} of {full.height} months"
                           + (" (the check passes)." if not failures else
                              f" ({len(failures)} problem(s); see the check)."),
                           ratio, "ratio", n=full.height, sources=[*src, "controlarm (peer counts)"]))
    return out or [Finding("hn:posts", f"Only {n_posts:,} Hacker News posts are built in months with at least "
                           f"{result.params.min_posts} posts, too few to compare periods: run `marketlib fetch "
                           "hackernews` and `marketlib build`.", n_posts, "posts", n=n_posts, sources=src)]


def summary(result: Result) -> list[str]:
    """The findings as sentences for the page."""
    return [f.text for f in findings(result)]


def compute(params: Params) -> Result:
    postings = common.load("postings").filter(pl.col("source") == "hackernews")
    seekers = common.load("seekers")
    posts = post_table(postings)
    result = Result(
        params=params, postings=postings, seekers=seekers, monthly=monthly_shares(posts), yoe=yoe_by_year(posts),
        agreement=peer_agreement(held_months(), common.load("hn_peer_volume"), _peer_shares()),
        peer_keywords=_peer_shares().filter(pl.col("keyword").is_in(params.peer_keywords)),
        seekers_ratio=seekers_ratio(seekers), collector=collector_comparison(posts, common.load("hn_peer_fields")),
    )
    thin = result.monthly.filter(pl.col("posts") < params.min_posts)["month_date"].to_list()
    if thin:
        result.notes.append(f"{len(thin)} month(s) have fewer than {params.min_posts} posts; their shares are noisy.")
    result.notes.append(SAMPLE_CAVEAT)
    result.findings = summary(result)
    return result


def _title(title: str, caption: str) -> alt.TitleParams:
    return alt.TitleParams(text=title, subtitle=textwrap.wrap(caption, charts.CAPTION_WIDTH))


def _lines(data: pl.DataFrame, value: str, series: str, title: str, y_title: str, caption: str) -> alt.Chart:
    return (alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=12), strokeWidth=1.4)
            .encode(x=alt.X("month_date:T", title="Thread month", axis=chart_layout.time_axis(data["month_date"])),
                    y=alt.Y(f"{value}:Q", title=y_title),
                    color=alt.Color(f"{series}:N", title=None), detail="period:N",
                    tooltip=[alt.Tooltip(f"{series}:N"), alt.Tooltip("month_date:T", format="%b %Y"),
                             alt.Tooltip(f"{value}:Q", format=".1f")])
            .properties(title=_title(title, caption), width=640))


def shares_chart(result: Result) -> alt.Chart | None:
    names = ["ML/data roles", *DOMAIN_SHARES.values(), "Remote"]
    data = (result.monthly.filter(pl.col("posts") >= result.params.min_posts)
            .unpivot(names, index="month_date", variable_name="measure", value_name="share_pct")
            .with_columns(_period(pl.col("month_date")).alias("period")))
    if not data.height:
        return None
    caption = common.chart_caption([result.postings], int(result.monthly["posts"].sum()),
                                   "n = HN posts (a post counts once however many roles it lists); the project's "
                                   "own parsing, 2013-08 … 2018-04 and 2026.")
    return _lines(data, "share_pct", "measure", "Share of HN hiring posts, by month", "% of posts", caption)


def counts_chart(result: Result) -> alt.Chart | None:
    a = result.agreement
    held = result.monthly.select("month_date", pl.col("posts").alias("value"),
                                 pl.lit("posts with a posting (project)").alias("series"))
    data = pl.concat([
        held,
        a.select("month_date", pl.col("posts").alias("value"), pl.lit("posts held (project)").alias("series")),
        a.select("month_date", pl.col("peer_hiring_posts").alias("value"), pl.lit(PEER_LABEL).alias("series")),
    ], how="vertical_relaxed").with_columns(pl.col("value").cast(pl.Float64), _period(pl.col("month_date"))
                                            .alias("period"))
    if not data.height:
        return None
    caption = common.chart_caption([result.postings], int(a["posts"].sum()),
                                   "n = posts held. The peer's counts cover only the months the project holds.")
    return _lines(data, "value", "series", "HN hiring posts per month: the project and the peer", "Posts", caption)


def yoe_chart(result: Result) -> alt.Chart | None:
    if not result.yoe.height:
        return None
    caption = common.chart_caption([result.postings], int(result.yoe["posts"].sum()),
                                   "n = HN posts; 'none' = the post states no years of experience.")
    return (alt.Chart(result.yoe).mark_bar()
            .encode(x=alt.X("year:O", title="Year"), y=alt.Y("share_pct:Q", title="% of posts", stack="zero"),
                    color=alt.Color("yoe_bucket:N", title="YOE asked", sort=list(schemas.YOE_BUCKETS)),
                    order=alt.Order("yoe_bucket:N"),
                    tooltip=["year:O", "yoe_bucket:N", "posts:Q", alt.Tooltip("share_pct:Q", format=".1f")])
            .properties(title=_title("Years of experience HN hiring posts ask for, by year", caption),
                        width=480))


def peer_keywords_chart(result: Result) -> alt.Chart | None:
    data = result.peer_keywords.with_columns(pl.lit("peer").alias("period"))
    if not data.height:
        return None
    caption = (f"Source: {PEER_LABEL} (their regular expressions over the Algolia API texts; their counts, not "
               f"the project's). n = {data['month_date'].n_unique()} months.")
    return _lines(data, "share_pct", "keyword", "Keyword shares of HN hiring posts, 2011–2026 (the peer's)",
                  "% of the month's hiring posts", caption)


def seekers_chart(result: Result) -> alt.Chart | None:
    data = result.seekers_ratio.with_columns(pl.col("counts_from").alias("period"))
    if not data.height:
        return None
    caption = common.chart_caption([result.seekers], int(data["seekers"].sum()),
                                   "n = seeker posts. Counts from live fetches where present, else the peer's "
                                   f"(column counts_from). {SAMPLE_CAVEAT}")
    return _lines(data, "seekers_per_hiring_post", "counts_from", "HN seekers per hiring post, by month, 2014–2026",
                  "Seekers per hiring post", caption)


def sources_table(result: Result) -> pl.DataFrame:
    return common.sources_and_licenses({"postings": result.postings, "seekers": result.seekers})
