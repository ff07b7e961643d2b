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
from nbformat.v4 import new_notebook

from marketlib.analysis import notebooks_04_08
from marketlib.analysis.notebook_cells import (  # noqa: F401 - the cell builders, re-exported
    FINDINGS_MD,
    SOURCES_MD,
    accuracy_cells,
    code,
    findings_cells,
    footer,
    md,
    params,
    setup_cell,
)

KERNEL = {"name": "marketlib", "display_name": "Python (marketlib)", "language": "python"}

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
metros = []  # metros to show (label, CBSA code or a city or common name: "Seattle", "NYC", "Bay Area"); [] = top_n
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
covers. What the selection's sources are (and how much internship and new-grad lists weigh) is computed below.
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

Employers with the most openings in the window (counts only; job-list rows are not republished). Spellings of
one name are merged (case, legal form, punctuation, spaces: "AI Jobs" = "AiJobs") and shown in their most
common form; `spellings` counts the names merged. `is_aggregator` marks job boards and aggregators
(data/job_aggregators.csv) that post other employers' openings under their own name: not the employer.
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
    setup_cell("accuracy, common, domain_demand, domain_tags, findings", "domain_demand", """
case_study_sources=case_study_sources, role_families=role_families, sources=sources,
seniority=seniority, date_from=date_from, date_to=date_to, min_count=min_count,
"""),
    code("result = domain_demand.compute(params)"),
    *accuracy_cells(["domains", "role_family"]),
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
## Evidently's own tags and the project's classifier

The claims report (00) checks published counts against Evidently's own tags ("LLM", "recommender system",
"CV"); this page counts the same case studies by the project's domains, which map several tags to one domain
(e.g. "generative AI" counts as LLM). Both counts per Evidently edition, the rows only the classifier counts
and the tags those rows carry:
"""),
    code("tags = domain_tags.compare(result.case_studies)\ncommon.notes_markdown(domain_tags.explanation(tags))"),
    code('tags.drop("edition_rows")'),
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
    setup_cell("accuracy, common, findings, experience", "experience", """
role_families=role_families, sources=sources, seniority=seniority, date_from=date_from, date_to=date_to,
by=by, top_n=top_n, min_count=min_count,
""", polars=True),
    code("result = experience.compute(params)"),
    *accuracy_cells(["yoe_bucket", "yoe_min", "role_family", "seniority"]),
    md("""
## Distribution over YOE buckets

Bars are shares of postings, rules 95% Wilson intervals. Caveats computed from the selection (e.g. the share
of internship and new-grad lists and how often their postings state no YOE):
"""),
    code("common.notes_markdown(result.notes)"),
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

NOTEBOOKS.update(notebooks_04_08.NOTEBOOKS)


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
