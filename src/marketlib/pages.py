"""Pages that answer first: each exported report opens with its computed findings, and the index is a front page.

A report's findings come from its findings JSON (`reports/<date>/<name>.json`, written from what the notebook
published with `analysis.findings.publish`), never typed in. On the exported page the findings follow the title;
the notebook's method text and parameter check move into a collapsible "Method, parameters and caveats" block.
The front page groups every report's headline findings by the question it answers, with a small copy of the
report's first chart, then the run log.
"""

from __future__ import annotations

import html
import re

MAX_FINDINGS = 4
# The job seeker's questions, in front-page order, and how a report is assigned to one (by notebook).
QUESTIONS = (
    ("odds", "Where are my odds best?", ("01-", "07-")),
    ("domains", "Which ML domains hire?", ("02-",)),
    ("experience", "How much experience do postings ask for?", ("03-",)),
    ("skills", "Which skills?", ("04-",)),
    ("pay", "What pay?", ("05-",)),
    ("trend", "Where is the market heading?", ("06-", "08-")),
    ("claims", "Do published figures hold?", ("00-",)),
)
CSS = """
.marketlib-findings { border-left: 4px solid #4c78a8; background: #f4f7fb; padding: .6rem 1rem; margin: 1rem 0; }
.marketlib-findings h2 { margin: .2rem 0 .4rem; font-size: 1.15rem; }
.marketlib-findings li { margin: .35rem 0; line-height: 1.4; }
.marketlib-findings .detail { color: #555; font-size: .85em; }
details.marketlib-method { margin: 1rem 0; border: 1px solid #ddd; border-radius: 4px; padding: .4rem .8rem; }
details.marketlib-method > summary { cursor: pointer; font-weight: 600; }
"""


def _number(value, unit: str) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, float):
        text = f"{value:,.1f}" if abs(value) >= 10 or value == 0 else f"{value:.2g}" if abs(value) < 1 \
            else f"{value:,.2f}"
    else:
        return html.escape(str(value))
    return f"{text}{'%' if unit in ('pct', '%') else ''}"


def _headline(value, unit: str) -> str:
    """The finding's own number, e.g. '0.54%' or '1.17 ratio' ('' for text values)."""
    number = _number(value, unit)
    if not number or not isinstance(value, int | float):
        return ""
    suffix = "" if unit in ("pct", "%", "") else f" {unit}"
    return f" <strong>{html.escape(number + suffix)}</strong>"


def finding_item(finding: dict, window: dict | None) -> str:
    """One finding as a list item: the sentence, then its interval, n, window and sources."""
    unit = str(finding.get("unit") or "")
    parts = []
    low, high = finding.get("low"), finding.get("high")
    if isinstance(low, int | float) and isinstance(high, int | float):
        parts.append(f"95% interval {_number(low, unit)}–{_number(high, unit)}")
    if isinstance(finding.get("n"), int):
        parts.append(f"n = {finding['n']:,}")
    if window and window.get("start") and window.get("end"):
        measure = f", {window['measure'].replace('_', ' ')}" if window.get("measure") else ""
        parts.append(f"window {window['start']} – {window['end']}{measure}")
    if finding.get("sources"):
        parts.append("sources: " + ", ".join(str(s) for s in finding["sources"]))
    detail = f' <span class="detail">({html.escape("; ".join(parts))})</span>' if parts else ""
    headline = _headline(finding.get("value"), unit)
    return f"<li>{html.escape(str(finding.get('text', '')))}{' —' + headline if headline else ''}{detail}</li>"


def findings_block(record: dict | None, heading: str = "What this report found") -> str:
    """The findings list of a report's JSON record (an honest note when it published none)."""
    findings = (record or {}).get("findings") or []
    window = (record or {}).get("window")
    if not findings:
        items = "<li>This report published no headline figures for this selection (see the tables below).</li>"
    else:
        items = "".join(finding_item(f, window) for f in findings[:MAX_FINDINGS])
    return (f'<section class="marketlib-findings" id="findings"><h2>{html.escape(heading)}</h2>'
            f"<ul>{items}</ul></section>")


def answers_first(page: str, record: dict | None, title: str | None = None) -> str:
    """An nbconvert page with the findings right after the H1 and the method text folded away."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "lxml")
    h1 = soup.find("h1")
    if h1 is None:
        return page
    if title:
        h1.string = title
    for anchor in h1.find_all("a", class_="anchor-link"):
        anchor.decompose()
    method = soup.new_tag("details", attrs={"class": "marketlib-method"})
    summary = soup.new_tag("summary")
    summary.string = "Method, parameters and caveats"
    method.append(summary)
    for sibling in list(h1.next_siblings):
        method.append(sibling.extract())
    cell = h1.find_parent(class_="jp-Cell")
    if cell is not None:  # the cells before the first section heading or result: parameter check, selection
        for nxt in list(cell.find_next_siblings(class_="jp-Cell")):
            if nxt.find(["h2", "h3", "table", "img", "svg"]) is not None:
                break
            method.append(nxt.extract())
    block = BeautifulSoup(findings_block(record), "lxml").find("section")
    h1.insert_after(block)
    block.insert_after(method)
    style = soup.new_tag("style")
    style.string = CSS
    (soup.head or soup).append(style)
    return str(soup)


def question_of(notebook: str) -> str:
    for key, _label, prefixes in QUESTIONS:
        if notebook.startswith(prefixes):
            return key
    return "other"


_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def first_chart(page: str) -> str:
    """The first inline chart SVG of an exported (already sanitized) page, or ''."""
    match = _SVG.search(page)
    return match.group(0) if match else ""


def thumbnail(page: str) -> str:
    """The page's first chart as a small data: image (scales cleanly; no script can run in an <img>)."""
    import base64

    svg = first_chart(page)
    if not svg:
        return ""
    if "xmlns=" not in svg[:200]:
        svg = svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="thumb" alt="first chart of the report" src="data:image/svg+xml;base64,{data}">'


def front_sections(entries: list[dict]) -> str:
    """The front page's body: per question, each report's title link, findings and thumbnail.

    `entries`: dicts with `title`, `href` (or None), `status`, `error`, `notebook`, `record` (the findings JSON
    or None) and `page` (the exported HTML or '')."""
    esc = html.escape
    by_question: dict[str, list[str]] = {}
    for e in entries:
        link = f'<a href="{esc(e["href"])}">{esc(e["title"])}</a>' if e.get("href") else esc(e["title"])
        if e["status"] != "ok":
            body = f'<p class="failed">This report failed: {esc(e.get("error") or "see the run log")}.</p>'
        else:
            body = findings_block(e.get("record"), heading="Findings")
        thumb = thumbnail(e.get("page") or "")
        by_question.setdefault(question_of(e["notebook"]), []).append(
            f'<article class="report"><h3>{link}</h3><div class="report-body">{thumb}{body}</div></article>')
    out = []
    for key, label, _prefixes in (*QUESTIONS, ("other", "Other reports", ())):
        if key in by_question:
            out.append(f'<section class="question" id="{key}"><h2>{esc(label)}</h2>{"".join(by_question[key])}'
                       "</section>")
    return "".join(out)


FRONT_CSS = """
.question { margin: 2rem 0; } .report { border-top: 1px solid #e3e3e3; padding: .6rem 0; }
.report h3 { margin: .3rem 0; } .report-body { display: flex; gap: 1rem; align-items: flex-start; flex-wrap: wrap; }
.report-body .marketlib-findings { flex: 1 1 28rem; margin: 0; }
img.thumb { width: 260px; max-width: 100%; height: auto; border: 1px solid #eee; background: #fff; }
p.failed { background: #fde8e8; padding: .4rem .6rem; }
/* On a phone the run-log, data and license tables become one wrapped line per row: "a · b · c". */
@media (max-width: 700px) {
  body > table, body > table tbody, body > table tr { display: block; width: auto; }
  body > table thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  body > table tr { padding: .35rem 0; border-bottom: 1px solid #ddd; overflow-wrap: anywhere; }
  body > table td { display: inline; border: none; padding: 0; }
  body > table td + td::before { content: " · "; color: #888; } }
"""
