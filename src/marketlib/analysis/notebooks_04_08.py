"""The generated notebooks 04 to 08 (skills, salaries, market trend, HN trends, my odds); `analysis.notebooks`
writes them with the others."""

from __future__ import annotations

from marketlib.analysis.notebook_cells import accuracy_cells, code, footer, md, params, setup_cell

NOTEBOOKS: dict[str, list] = {}

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
    setup_cell("accuracy, common, findings, skills", "skills", """
role_families=role_families, sources=sources, seniority=seniority, date_from=date_from, date_to=date_to,
top_n=top_n, min_count=min_count,
"""),
    code("result = skills.compute(params)"),
    *accuracy_cells(["skills", "role_family"]),
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
metros = ["Toronto, ON"]  # Indeed's metro or city names, or a common name ("Seattle", "NYC", "Toronto")
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
metros = []  # metros to show (label, CBSA code, city or common name: "NYC"); [] or "all" = the top metros
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
