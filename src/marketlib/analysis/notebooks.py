"""Writes the notebooks (nbformat v4, outputs empty): `python -m marketlib.analysis.notebooks [dir]`.

Each notebook: a title and the question it answers; one `parameters` cell of literals with a help comment per
parameter; a cell validating them through marketlib; cells that call marketlib and display tables and charts,
each chart preceded by prose on what it shows and its caveats; a final "Sources and licenses" cell built from
the data. Notebooks hold no logic: the analysis modules do the work.
"""

from __future__ import annotations

import sys
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
    return code(text, tags=["parameters"])


def footer(module: str, result: str = "result") -> list:
    return [
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
min_count = 30  # cells with fewer observations are flagged as thin (never hidden)
"""),
    code("""
from marketlib.analysis import claims, common
from marketlib.notebook import setup

setup()  # chart renderer (Vega-Lite + offline SVG) and table display

params = claims.validate_params(topics=topics, role_family=role_family, min_count=min_count)
params
"""),
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
use job-list postings (mostly internships and new-grad roles) as openings, so they measure something
narrower than the published all-level figure; Toronto has no BLS OEWS denominator.
"""),
    code("""
table.select("figure_id", "claim", "published", "n", "measured", "low", "high", "verdict", "reason")
"""),
    code('table.select("figure_id", "basis")'),
    md("## Publications checked"),
    code("claims.citations(table)"),
    md(SOURCES_MD),
    code("sources = claims.sources_table(data)\nsources"),
    code("common.licenses_markdown(sources)"),
]

NOTEBOOKS["01-city-odds.ipynb"] = [
    md("""
# 01 · Where are my odds best? Openings per professional by metro

For each metro: openings (non-duplicate postings, counted once per metro) ÷ professionals (BLS OEWS
employment for the chosen SOC codes), with a 95% Wilson interval; professionals per opening; and odds
relative to a reference metro (Katz log interval). Cells with fewer openings than `min_count` are flagged.
"""),
    params("""
role_families = ["ml_engineer", "data_scientist", "research_scientist"]  # role families counted as openings
sources = []  # posting sources feeding the numerator; [] = every built source
date_from = ""  # first posted date to count, 'YYYY-MM-DD'; "" = no lower bound
date_to = ""  # last posted date to count, 'YYYY-MM-DD'; "" = no upper bound
metros = []  # metros to show (label, CBSA code or leading city, e.g. "Los Angeles"); [] = top_n
top_n = 15  # how many metros to show when metros is empty (ranked by openings)
soc_codes = ["15-2051", "15-1221"]  # BLS SOC codes counted as professionals (data scientists, CIS research)
reference_metro = "SF Bay Area"  # metro the relative odds compare against
min_count = 30  # metros with fewer openings are flagged as thin (never hidden)
"""),
    code("""
from marketlib.analysis import city_odds, common
from marketlib.notebook import setup

setup()  # chart renderer (Vega-Lite + offline SVG) and table display

params = city_odds.validate_params(
    role_families=role_families, sources=sources, date_from=date_from, date_to=date_to, metros=metros,
    top_n=top_n, soc_codes=soc_codes, reference_metro=reference_metro, min_count=min_count,
)
params
"""),
    code("result = city_odds.compute(params)"),
    md("""
## What feeds the numerator

The job lists behind the openings mostly collect internships and new-grad roles; the table shows, per source,
how many postings were counted, when they were posted and which share is internship or entry-level.
"""),
    code("common.text_markdown(city_odds.numerator_statement(result))"),
    code("result.numerator_summary"),
    code("common.notes_markdown(result.notes)"),
    md("## Odds by metro"),
    code("""
result.metros.select(
    "metro", "openings", "professionals", "success_ratio_pct", "success_ratio_low_pct",
    "success_ratio_high_pct", "professionals_per_opening", "relative_odds", "relative_odds_low",
    "relative_odds_high", "is_thin", "caveat",
)
"""),
    md("""
### Ranked odds

Dots are the success ratio (openings per 100 professionals), rules its 95% Wilson interval, grey dots thin
cells; the dashed line is the reference metro. Metros without an OEWS denominator (outside the US) have no
ratio and are listed in the table only. The interval covers the count of openings, not the OEWS estimate's
own error.
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

Employers with the most openings in the selection, company names as posted (counts only; job-list rows are not
republished). Large employers that post to several lists can appear more than once if their names differ.
"""),
    code("result.employers"),
    md("""
### Job seekers per hiring post on Hacker News

Top-level comments in the monthly "Who wants to be hired?" thread per top-level comment in "Who is hiring?".
Both are self-selected Hacker News samples, a competition signal rather than a market count.
"""),
    code("result.seekers"),
    code('common.chart_or_note(city_odds.seekers_chart(result), "The seekers table has no rows yet.")'),
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
date_from = ""  # first posted date, 'YYYY-MM-DD'; "" = no lower bound
date_to = ""  # last posted date, 'YYYY-MM-DD'; "" = no upper bound
min_count = 30  # role families with fewer postings are flagged as thin (never hidden)
"""),
    code("""
from marketlib.analysis import common, domain_demand
from marketlib.notebook import setup

setup()  # chart renderer (Vega-Lite + offline SVG) and table display

params = domain_demand.validate_params(
    case_study_sources=case_study_sources, role_families=role_families, sources=sources,
    date_from=date_from, date_to=date_to, min_count=min_count,
)
params
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
date_from = ""  # first posted date, 'YYYY-MM-DD'; "" = no lower bound
date_to = ""  # last posted date, 'YYYY-MM-DD'; "" = no upper bound
by = "seniority"  # breakdown: role_family, seniority, domain or metro
top_n = 10  # metros shown when by = "metro" (ranked by postings)
min_count = 30  # groups with fewer postings are flagged as thin (never hidden)
"""),
    code("""
from marketlib.analysis import common, experience
from marketlib.notebook import setup

setup()  # chart renderer (Vega-Lite + offline SVG) and table display

params = experience.validate_params(
    role_families=role_families, sources=sources, date_from=date_from, date_to=date_to, by=by, top_n=top_n,
    min_count=min_count,
)
params
"""),
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
date_from = ""  # first posted date, 'YYYY-MM-DD'; "" = no lower bound
date_to = ""  # last posted date, 'YYYY-MM-DD'; "" = no upper bound
top_n = 20  # number of skills shown (most named overall)
min_count = 30  # cells with fewer postings (or fewer with pay) are flagged as thin
"""),
    code("""
from marketlib.analysis import common, skills
from marketlib.notebook import setup

setup()  # chart renderer (Vega-Lite + offline SVG) and table display

params = skills.validate_params(
    role_families=role_families, sources=sources, date_from=date_from, date_to=date_to, top_n=top_n,
    min_count=min_count,
)
params
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
min_count = 30  # groups with fewer records are flagged as thin (never hidden)
"""),
    code("""
from marketlib.analysis import common, salaries
from marketlib.notebook import setup

setup()  # chart renderer (Vega-Lite + offline SVG) and table display

params = salaries.validate_params(
    role_families=role_families, countries=countries, years=years, employment_types=employment_types,
    top_countries=top_countries, min_count=min_count,
)
params
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
    code("""
from marketlib.analysis import common, market_trend
from marketlib.notebook import setup

setup()  # chart renderer (Vega-Lite + offline SVG) and table display

params = market_trend.validate_params(
    countries=countries, sectors=sectors, metros=metros, series=series, baseline_date=baseline_date,
    date_from=date_from, seasonally_adjusted=seasonally_adjusted,
)
params
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
    code("""
from marketlib.analysis import common, hn_trends
from marketlib.notebook import setup

setup()  # chart renderer (Vega-Lite + offline SVG) and table display

params = hn_trends.validate_params(peer_keywords=peer_keywords, min_posts=min_posts)
params
"""),
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
