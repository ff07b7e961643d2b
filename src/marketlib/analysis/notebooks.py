"""Writes the notebooks (nbformat v4, outputs empty): `python -m marketlib.analysis.notebooks [dir]`.

Each notebook: a title and the question it answers; one `parameters` cell of literals with a help comment per
parameter; a cell validating them through marketlib; cells that call marketlib and display tables and charts,
each chart preceded by prose on what it shows and its caveats; a final "Sources and licenses" cell built from
the data. Notebooks hold no logic: the analysis modules do the work.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNEL = {"name": "marketlib", "display_name": "Python (marketlib)", "language": "python"}

SOURCES_MD = (
    "## Sources and licenses\n\nBuilt from the rows that fed this notebook: source, snapshot ids and dates, "
    "license. Scraped text in tables is HTML-escaped by the table display."
)


def md(text: str):
    return new_markdown_cell(text.strip())


def code(text: str, tags: list[str] | None = None):
    cell = new_code_cell(text.strip())
    if tags:
        cell.metadata["tags"] = tags
    return cell


def params(text: str):
    """The tagged parameters cell. Help comments say "[] → all", never "=": papermill warns about any line with
    a second "=" ("Unable to parse line") on every run."""
    lines = []
    for line in text.splitlines():
        value, sep, comment = line.partition("  # ")
        lines.append(f"{value}{sep}{comment.replace(' = ', ' → ')}" if sep else line)
    return code("\n".join(lines), tags=["parameters"])


def setup_cell(imports: str, module: str, args: str, *, polars: bool = False):
    """The cell after the parameters: imports, `setup()`, and the parameters validated by `module`; `args` are
    the keyword arguments as written (one line, or lines wrapped at 110 characters)."""
    call = f"params = {module}.validate_params({args.strip()})"
    if "\n" in args.strip():
        call = f"params = {module}.validate_params(\n" + textwrap.indent(args.strip("\n"), "    ") + "\n)"
    head = "import polars as pl\n\n" if polars else ""
    return code(f"{head}from marketlib.analysis import {imports}\nfrom marketlib.notebook import setup\n\n"
                "setup()  # chart renderer (Vega-Lite + offline SVG) and table display\n\n"
                f"{call}\nparams")


FINDINGS_MD = (
    "## Findings as data\n\nThe headline figures above as records (`id, text, value, unit, low, high, n, "
    "sources`); `marketlib report` writes them to `reports/<date>/<name>.json`."
)


def findings_cells(call: str) -> list:
    return [md(FINDINGS_MD), code(call)]


def footer(module: str, result: str = "result") -> list:
    return [
        *findings_cells(f"{module}.publish({result})" if module in ("city_odds", "my_odds") else
                        f"findings.publish(findings.params_record(params), {module}.findings({result}))"),
        md(SOURCES_MD),
        code(f"sources = {module}.sources_table({result})\nsources"),
        code("common.licenses_markdown(sources)"),
    ]


NOTEBOOKS: dict[str, list] = {}

NOTEBOOKS["00-claims.ipynb"] = [
    md("""
# 00 · Published claims, checked against our data

Which published figures about the ML job market (city odds, Evidently case-study counts, years of experience,
skills, remote and salary shares, interview timelines) can marketlib reproduce from the data at hand?
Every figure comes from `data/raw/reference/published_figures.csv` (one citation per row); every measured
value, interval and verdict below is computed from the processed tables, never typed in.
"""),
    params("""
topics = []  # reference topics: city_odds, domains, experience, skills, salaries, interviews; [] = all
role_family = "ml_engineer"  # role family whose postings are measured (the claims are about ML engineers)
min_count = None  # thin-cell threshold; None = marketlib.toml [metrics] min_count
"""),
    setup_cell("claims, common", "claims", "topics=topics, role_family=role_family, min_count=min_count"),
    code("table, data = claims.compute(params)"),
    md("""
## The rule

A verdict is one of *reproduced*, *not reproduced* or *not measurable*:
"""),
    code("common.text_markdown(claims.TOLERANCE_RULE)"),
    md("## Verdicts at a glance"),
    code("claims.verdict_counts(table)"),
    md("""
## Every figure beside our measurement

`n` is the number of observations behind our value (postings, case studies, openings); `low`/`high` is our
95% interval; `basis` says exactly what was counted and `reason` why the verdict is what it is. City odds
are measured like for like: 2024 (the part the sources cover), all levels, the city-odds measure and SOC
set; `reason` names the differences that come from definitions (who is counted, SOC set, window) rather than
from the market. Toronto's professionals are an estimate (StatCan 2021 provincial counts × 2016 metro shares).
"""),
    code("""
table.select("figure_id", "claim", "published", "n", "measured", "low", "high", "verdict", "reason")
"""),
    code('table.select("figure_id", "basis")'),
    md("## Publications checked"),
    code("claims.citations(table)"),
    *findings_cells("claims.publish(params, table, data)"),
    md(SOURCES_MD),
    code("sources = claims.sources_table(data)\nsources"),
    code("common.licenses_markdown(sources)"),
]

NOTEBOOKS["01-city-odds.ipynb"] = [
    md("""
# 01 · Where are my odds best? Openings per professional by metro, in a stated window

For each metro: openings in the window (non-duplicate postings of the chosen role families and seniority,
measured as *open on an average day* or as *new openings per year*, counted once per metro) ÷ professionals
(BLS OEWS May 2025 employment of the role family's SOC set; Canadian metros: an **estimate** from StatCan),
with a 95% interval that combines the openings' count uncertainty and the professionals' published relative
standard error; professionals per opening; and odds relative to a reference metro. A metro is a CBSA; named
groups of CBSAs are used only where asked for. Cells with fewer postings than `min_count` are flagged.
"""),
    params("""
role_families = ["ml_engineer"]  # role families counted as openings
seniority = []  # intern, junior, mid, senior, manager; [] = all but intern
sources = []  # posting sources feeding the numerator; [] = every source that covers the window
date_from = ""  # window start 'YYYY-MM-DD'; "" = window_months before date_to
date_to = ""  # window end 'YYYY-MM-DD'; "" = the latest day the sources cover
window_months = None  # window length when a bound is missing; None = 12
measure = None  # open_on_average_day or new_per_year; None = open_on_average_day where sources allow it
metros = []  # metros to show (label, CBSA code or leading city, e.g. "Los Angeles"); [] = top_n
top_n = 15  # how many US metros to show when metros is empty (ranked by openings); Canadian metros always
soc_codes = None  # BLS SOC codes counted as professionals; None = marketlib.toml [metrics.soc_sets]
soc_codes_alternative = None  # the sensitivity row's SOC set; None = [metrics.soc_sets_alternative]
reference_metro = "SF Bay Area"  # metro (or named group) the relative odds compare against
metro_groups = []  # named CBSA groups to merge (data/metros.csv); the reference's group is always used
min_count = None  # metros with fewer postings are flagged thin (never hidden); None = marketlib.toml
"""),
    setup_cell("city_odds, common, seekers", "city_odds", """
role_families=role_families, seniority=seniority, sources=sources, date_from=date_from, date_to=date_to,
window_months=window_months, measure=measure, metros=metros, top_n=top_n, soc_codes=soc_codes,
soc_codes_alternative=soc_codes_alternative, reference_metro=reference_metro, metro_groups=metro_groups,
min_count=min_count,
"""),
    code("result = city_odds.compute(params)\ncommon.text_markdown(result.title)"),
    md("""
## Window, measure and what feeds the numerator

The window and the measure are stated here and on every chart; no years are pooled. A source that covers
less than two thirds of the window is left out; one that covers part of it is averaged over the days it
covers. The job lists behind the openings mostly collect internships and new-grad roles.
"""),
    code("common.text_markdown(city_odds.window_statement(result))"),
    code("result.coverage"),
    code("common.text_markdown(city_odds.numerator_statement(result))"),
    code("result.numerator_summary"),
    code("common.notes_markdown(result.notes)"),
    md("""
## Odds by metro

`openings` is the measure named above (a day-average can be fractional), `postings` the postings behind it
(the thin-cell rule counts these). `is_estimate` marks metros whose professionals are apportioned, not
counted: Canadian metros get the 2021 Census count of their province for the NOC unit groups matching the SOC
set, times the metro's 2016 share of the province's tech workers (Brookfield Institute), with a 25% relative
error that makes their interval wide. It is an estimate, never a count.
"""),
    code("""
result.metros.select(
    "metro", "metro_code", "postings", "openings", "professionals", "professionals_rse_pct", "is_estimate",
    "success_ratio_pct", "success_ratio_low_pct", "success_ratio_high_pct", "professionals_per_opening",
    "relative_odds", "relative_odds_low", "relative_odds_high", "is_thin", "caveat",
)
"""),
    md("""
### Sensitivity: the alternative SOC set

The same openings against the alternative set of professionals (`soc_codes_alternative`). Which SOC codes
count as "ML professionals" is a definition, not a measurement; the gap between the two rows is its effect.
"""),
    code("common.text_markdown(f\"Default: SOC {' + '.join(params.soc_codes)}; alternative: SOC \"\n"
         "                     f\"{' + '.join(params.soc_codes_alternative)}.\")\nresult.sensitivity"),
    md("""
### Metro groups used

Named groups of CBSAs on this page (only those asked for by a parameter or the reference metro).
"""),
    code("result.groups"),
    md("""
### Ranked odds

Dots are the success ratio (openings per 100 professionals), rules its 95% interval (count uncertainty and
the professionals' relative standard error combined on the log scale), grey dots thin cells; the dashed line
is the reference metro. Places without professionals are listed in the table only.
"""),
    code("city_odds.odds_chart(result)"),
    md("""
### Openings against professionals

Log-log scatter: a metro above a dashed line has more openings per professional than that line's ratio.
Big metros have many of both; the distance from the lines, not the position, is the odds.
"""),
    code("city_odds.scatter_chart(result)"),
    md("""
### Who is hiring

Employers with the most openings in the window, company names as posted (counts only; job-list rows are not
republished). Large employers that post to several lists can appear more than once if their names differ.
"""),
    code("result.employers"),
    md("""
### Job seekers per hiring post on Hacker News

Top-level comments in the monthly "Who wants to be hired?" thread per top-level comment in "Who is hiring?".
Both are self-selected Hacker News samples, a competition signal rather than a market count.
"""),
    code("result.seekers"),
    code('common.chart_or_note(seekers.seekers_chart(result.seekers), "The seekers table has no rows yet.")'),
    *footer("city_odds"),
]

NOTEBOOKS["02-domain-demand.ipynb"] = [
    md("""
# 02 · Which ML domain is hiring?

Case-study counts by domain per catalogue edition (Evidently AI editions, the eren23 catalogue), their
growth between editions, the recommender-system ÷ CV ratio, and the share of postings working on each domain.

Only postings that carry their own text (a description of at least 400 characters) are counted: most
job-list rows hold a title only, and counting them would read "no requirement" into text nobody saw.
"""),
    params("""
case_study_sources = []  # case-study catalogues to use (table `source` names); [] = all
role_families = ["ml_engineer", "data_scientist", "research_scientist"]  # role families for posting shares
sources = []  # posting sources; [] = every built source
seniority = []  # intern, junior, mid, senior, manager; [] = all
date_from = ""  # first posted date, 'YYYY-MM-DD'; "" = no lower bound
date_to = ""  # last posted date, 'YYYY-MM-DD'; "" = no upper bound
min_count = None  # role families with fewer postings are flagged thin; None = marketlib.toml
"""),
    setup_cell("common, findings, domain_demand", "domain_demand", """
case_study_sources=case_study_sources, role_families=role_families, sources=sources,
seniority=seniority, date_from=date_from, date_to=date_to, min_count=min_count,
"""),
    code("result = domain_demand.compute(params)"),
    md("""
## Case studies per domain and edition

Domains are multi-label, so shares of an edition do not add up to 100%. A case study is a published write-up,
not an opening: it shows where companies invest and talk, with a lag.
"""),
    code("result.edition_counts"),
    code("domain_demand.edition_chart(result)"),
    md("## Growth between editions"),
    code("result.growth"),
    md("""
## Recommender systems per CV case study

Counts treated as Poisson; the interval is on the log scale.
"""),
    code("result.recsys_cv"),
    md("""
## The eren23 catalogue's own categories

Its first tag is its primary category (16-category taxonomy), counted in its newest edition.
"""),
    code("result.eren23_categories"),
    code('common.chart_or_note(domain_demand.eren23_chart(result), "No eren23 catalogue rows are built.")'),
    md("""
## Domains in postings

Share of each role family's postings that work on a domain (marketing mentions do not count), with 95% Wilson
intervals. Thin role families are flagged in the table.
"""),
    code("result.posting_shares"),
    code("domain_demand.posting_shares_chart(result)"),
    *footer("domain_demand"),
]

NOTEBOOKS["03-experience.ipynb"] = [
    md("""
# 03 · How much experience do postings ask for?

The minimum years of experience that meet a posting's requirements (`yoe_min`, bucketed none / 0-1 / 2-4 /
5-7 / 8+), the share stating none, and the most frequent bucket among postings that state one, overall and by
role family, seniority, domain or metro.

Only postings that carry their own text (a description of at least 400 characters) are counted: most
job-list rows hold a title only, and counting them would read "no requirement" into text nobody saw.
"""),
    params("""
role_families = ["ml_engineer"]  # role families to include
sources = []  # posting sources; [] = every built source
seniority = []  # intern, junior, mid, senior, manager; [] = all
date_from = ""  # first posted date, 'YYYY-MM-DD'; "" = no lower bound
date_to = ""  # last posted date, 'YYYY-MM-DD'; "" = no upper bound
by = "seniority"  # breakdown: role_family, seniority, domain or metro
top_n = 10  # metros shown when by = "metro" (ranked by postings)
min_count = None  # groups with fewer postings are flagged thin; None = marketlib.toml
"""),
    setup_cell("common, findings, experience", "experience", """
role_families=role_families, sources=sources, seniority=seniority, date_from=date_from, date_to=date_to,
by=by, top_n=top_n, min_count=min_count,
""", polars=True),
    code("result = experience.compute(params)"),
    md("""
## Distribution over YOE buckets

Bars are shares of postings, rules 95% Wilson intervals. Internship and new-grad lists dominate some sources,
which pushes the "none" share up.
"""),
    code("result.distribution"),
    code("experience.distribution_chart(result)"),
    md("""
## Share stating no YOE and the most frequent bucket, by group

The first row (`all`) is the whole selection; `mode_share` is the mode bucket's share among postings that
state a YOE.
"""),
    code("result.summary"),
    md("## Distribution by group"),
    code("experience.group_chart(result)"),
    md("""
## Metro × ML domain × YOE

Postings with text by metro (CBSA; Canadian CMA; else city), ML domain (multi-label; "(no ML domain)" when
none) and YOE bucket: counts, the share of the metro × domain cell in each bucket (95% Wilson interval), and
`is_thin` when the metro × domain cell has fewer than `min_count` postings. Only cells with postings shown.
"""),
    code('result.crosstab.filter(pl.col("postings") > 0)'),
    *footer("experience"),
]

NOTEBOOKS["04-skills.ipynb"] = [
    md("""
# 04 · Which skills do postings name, and do they pay?

Share of postings naming each skill, by role family (95% Wilson intervals), and skill demand against the
median stated pay (midpoint of the posted range; estimated salaries excluded).

Only postings that carry their own text (a description of at least 400 characters) are counted: most
job-list rows hold a title only, and counting them would read "no requirement" into text nobody saw.
"""),
    params("""
role_families = ["ml_engineer", "data_scientist"]  # role families to compare
sources = []  # posting sources; [] = every built source
seniority = []  # intern, junior, mid, senior, manager; [] = all
date_from = ""  # first posted date, 'YYYY-MM-DD'; "" = no lower bound
date_to = ""  # last posted date, 'YYYY-MM-DD'; "" = no upper bound
top_n = 20  # number of skills shown (most named overall)
min_count = None  # cells with fewer postings (or with pay) are flagged thin; None = marketlib.toml
"""),
    setup_cell("common, findings, skills", "skills", """
role_families=role_families, sources=sources, seniority=seniority, date_from=date_from, date_to=date_to,
top_n=top_n, min_count=min_count,
"""),
    code("result = skills.compute(params)"),
    md("""
## Skill shares by role family

A skill counts once per posting. Skills come from a dictionary of canonical names, so synonyms are merged and
unlisted tools are missed.
"""),
    code("result.shares"),
    code("skills.shares_chart(result)"),
    md("""
## Demand vs pay

Only postings that state a salary contribute pay, a minority that leans towards states with pay-transparency
laws; grey points have too few postings with pay.
"""),
    code("result.demand_pay"),
    code('common.chart_or_note(skills.demand_pay_chart(result), "No posting in the selection states pay.")'),
    *footer("skills"),
]

NOTEBOOKS["05-salaries.ipynb"] = [
    md("""
# 05 · What do ML roles pay? (ai-jobs.net salary survey)

Median, interquartile range (p25–p75), p10–p90 and n of self-reported salaries (CC0) for ML titles, by
experience level, employer country and year.
"""),
    params("""
role_families = ["ml_engineer"]  # role families of the job titles to include
countries = []  # employer countries (ISO-2, e.g. "US"); [] = all
years = []  # work years, e.g. [2023, 2024]; [] = all
employment_types = []  # FT, PT, CT, FL as reported; [] = all
top_countries = 10  # countries shown in the country chart (ranked by records)
min_count = None  # groups with fewer records are flagged thin; None = marketlib.toml
"""),
    setup_cell("common, findings, salaries", "salaries", """
role_families=role_families, countries=countries, years=years, employment_types=employment_types,
top_countries=top_countries, min_count=min_count,
"""),
    code("result = salaries.compute(params)"),
    md("""
## By experience level

Survey records are self-selected and skew to the US; the bar is the IQR, the tick the median, the whisker
p10–p90.
"""),
    code("result.by_level"),
    code("salaries.level_chart(result)"),
    md("## By employer country"),
    code("result.by_country"),
    code("salaries.country_chart(result)"),
    md("""
## By year

Early years have few records (see `n` and `is_thin`).
"""),
    code("result.by_year"),
    code("salaries.year_chart(result)"),
    *footer("salaries"),
]

NOTEBOOKS["06-market-trend.ipynb"] = [
    md("""
# 06 · Which way is the market moving? (Indeed Hiring Lab)

Job-postings indices against the Feb 1 2020 baseline (= 100) for countries, the Software Development and
Mathematics (data scientists) sectors, and metros such as Toronto; when each series peaked and when it first
fell below the baseline afterwards. Data: Indeed Hiring Lab, licensed CC BY 4.0.
"""),
    params("""
countries = ["US", "CA", "GB"]  # country codes (total postings)
sectors = ["Software Development", "Mathematics"]  # Indeed sectors; data scientists fall under Mathematics
metros = ["Toronto, ON"]  # metro or city names as Indeed writes them
series = "total"  # total or new postings
baseline_date = "2020-02-01"  # the index is rebased to 100 on this date
date_from = ""  # first date shown, 'YYYY-MM-DD'; "" = from the start
seasonally_adjusted = True  # prefer seasonally adjusted series where both exist
"""),
    setup_cell("common, findings, market_trend", "market_trend", """
countries=countries, sectors=sectors, metros=metros, series=series, baseline_date=baseline_date,
date_from=date_from, seasonally_adjusted=seasonally_adjusted,
"""),
    code("result = market_trend.compute(params)"),
    code("common.notes_markdown(result.notes)"),
    md("""
## When the market turned

Peak date and index, and the first date after the peak on which the series fell below the baseline (empty
when it never did). Computed on the daily series.
"""),
    code("result.turning_points"),
    md("""
## Indices over time

Monthly means of the daily index (seven-day trailing averages at the source). The index shows a trend, not a
count: two series at 80 can have very different sizes. Sector definitions are Indeed's own title groups.
"""),
    code('common.chart_or_note(market_trend.trend_chart(result), "No postings_index rows match.")'),
    md("## Credit"),
    code("common.text_markdown(market_trend.HIRING_LAB_CREDIT)"),
    *footer("market_trend"),
]

NOTEBOOKS["08-hn-trends.ipynb"] = [
    md("""
# 08 · Hacker News "Who is hiring?" by month

How many posts the monthly HN hiring threads carry, what share advertise ML or data roles, LLM, NLP and CV
work, remote work, and how many years of experience they ask — from the project's own parsing of the
2013–2018 and 2026 archives (and any live fetch) — next to a peer's 2011–2026 counts and keyword shares
(controlarm/hn-hiring-analysis, labelled as theirs), and the number of job seekers per hiring post.
"""),
    params("""
peer_keywords = ["Machine learning", "LLM", "NLP", "Computer vision", "Remote"]  # peer keyword columns to chart
min_posts = 30  # months with fewer posts are left out of the share chart (too noisy)
"""),
    setup_cell("common, findings, hn_trends", "hn_trends", "peer_keywords=peer_keywords, min_posts=min_posts"),
    code("result = hn_trends.compute(params)"),
    md("## Findings"),
    code("common.notes_markdown(result.findings)"),
    code("common.notes_markdown(result.notes)"),
    md("""
## What HN hiring posts advertise

Per month, the percent of posts with at least one role in an ML or data role family (ML engineer, data
scientist, research scientist, data engineer, data analyst) or an ML domain, with LLM, NLP or CV work, and
open to remote work. A post counts once however many roles it lists.
"""),
    code('common.chart_or_note(hn_trends.shares_chart(result), "No Hacker News postings are built yet.")'),
    md("## Years of experience asked, by year"),
    code('common.chart_or_note(hn_trends.yoe_chart(result), "No Hacker News postings are built yet.")'),
    md("""
## Posts per month, and the check against the peer

Posts held: every top-level post of the month the project holds (live fetches and archives, one per comment
id). Posts with a posting: those the parser turned into at least one posting. The peer counted top-level
comments with text from the Algolia API. The tolerance and why it is what it is:
"""),
    code("common.text_markdown(hn_trends.TOLERANCE_RULE)"),
    code('common.chart_or_note(hn_trends.counts_chart(result), "No month is held by both.")'),
    code("result.agreement"),
    code('common.notes_markdown(hn_trends.agreement_failures(result.agreement) or ["The check passes."])'),
    md("""
## The 2013–2018 archive collector's own remote flag

The archive's collector marked posts remote by its own keyword match. It is a peer's output, compared here
on the same posts, never used as a label.
"""),
    code("result.collector"),
    md("## Keyword shares 2011–2026 (the peer's figures)"),
    code('common.chart_or_note(hn_trends.peer_keywords_chart(result), "The peer\'s keyword file is not fetched.")'),
    md("""
## Job seekers per hiring post

"Who wants to be hired?" posts per "Who is hiring?" post, 2014–2026. Both sides are HN samples: people and
employers who chose to post on HN, not the job market.
"""),
    code('common.chart_or_note(hn_trends.seekers_chart(result), "The seekers table has no rows yet.")'),
    *footer("hn_trends"),
]


NOTEBOOKS["07-my-odds.ipynb"] = [
    md("""
# 07 · Where do I fit? Openings for my years, skills and domains

For each metro and for remote work: the openings in the window whose years-of-experience requirement you
meet (or that state none); among those with a posting text, the share asking for each of your skills, the
most-requested skills you lack and the domain mix; and the odds of those openings against professionals, all
with intervals and n. Window, measure, metros and professionals are defined as in 01-city-odds.
"""),
    params("""
my_years = 3  # your years of work experience (a number)
my_skills = ["Python", "PyTorch", "SQL"]  # your skills, as named in the skills dictionary (case-insensitive)
my_domains = ["nlp", "llm"]  # ML domains you work in: cv, nlp, llm, recsys, fraud, search, forecasting, speech
metros = []  # metros to show (label, CBSA code or leading city); [] or "all" = the top metros
remote_ok = True  # also show remote openings
role_families = ["ml_engineer"]  # role families you apply for
seniority = []  # intern, junior, mid, senior, manager; [] = all but intern
date_from = ""  # window start 'YYYY-MM-DD'; "" = window_months before date_to
date_to = ""  # window end 'YYYY-MM-DD'; "" = the latest day the sources cover
window_months = None  # window length; None = 12
measure = None  # open_on_average_day or new_per_year; None = open_on_average_day where sources allow it
top_n = 10  # metros shown when metros is empty
min_count = None  # cells with fewer postings are flagged thin; None = marketlib.toml
"""),
    setup_cell("common, my_odds", "my_odds", """
my_years=my_years, my_skills=my_skills, my_domains=my_domains, metros=metros, remote_ok=remote_ok,
role_families=role_families, seniority=seniority, date_from=date_from, date_to=date_to,
window_months=window_months, measure=measure, top_n=top_n, min_count=min_count,
"""),
    code("result = my_odds.compute(params)\ncommon.notes_markdown(result.notes)"),
    md("""
## Openings I fit, and my odds, by place

`openings` is the window's measure for postings whose YOE requirement you meet or that state none (most
job-list rows carry a title only, so they state none); the success ratio divides them by the metro's
professionals (estimates for Canada, flagged). Remote has no professionals pool, so no ratio.
"""),
    code("""
result.places.select(
    "place", "postings", "openings", "professionals", "is_estimate", "success_ratio_pct",
    "success_ratio_low_pct", "success_ratio_high_pct", "relative_odds", "is_thin", "caveat",
)
"""),
    code('common.chart_or_note(my_odds.odds_chart(result), "No place with professionals has fitting openings.")'),
    md("""
## How often my skills are asked for

Among the fitting postings that carry their own text (`with_text`), the share naming each of your skills,
with 95% Wilson intervals.
"""),
    code("result.skills"),
    code('common.chart_or_note(my_odds.skills_chart(result), "No fitting posting in the window has a text.")'),
    md("## The most-requested skills I lack"),
    code("result.lacking"),
    md("""
## Domain mix

Share of the fitting postings with text that work on each ML domain (multi-label); `is_mine` marks yours.
"""),
    code("result.domains"),
    *footer("my_odds"),
]


def build(name: str) -> nbformat.NotebookNode:
    nb = new_notebook(cells=NOTEBOOKS[name])
    for i, cell in enumerate(nb.cells):  # stable ids keep regenerated notebooks diff-free
        cell.id = f"{name.split('-')[0]}-{i:02d}"
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.validate(nb)
    return nb


def write_all(directory: Path) -> list[Path]:
    from marketlib.atomic import atomic_write_text

    written = []
    for name in NOTEBOOKS:
        path = Path(directory) / name
        atomic_write_text(path, nbformat.writes(build(name)) + "\n")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "notebooks")):
        print(p)
