"""Pure parsing of Hacker News "Who is hiring?" comments (no network, no files).

A post's header is the text before its first `<p>`: fields separated by pipes (else bullets `•`/`·`, else
spaced dashes), in any order: company, role(s), location(s), REMOTE/ONSITE/HYBRID with a region, employment
type, salary, URL, visa. When the header names no role ("Multiple roles", or none at all) the roles come from
the body: a bulleted list after an intro line ("We're hiring for the following openings:"), an inline list
("We are looking for: A - B - C"), role lines ("- Senior Engineer | SF | $170k", "Data Engineer: ..."), or the
first "hiring ..." sentence that lists titles ("We are looking for coders, web devs, and data scientists").
Titles the body lists also join a header's, and replace it when the header only summed them up ("Senior +
Staff Engineers") or named a team ("Full-Stack Engineering"); a role line's own remote and salary stay with
its role. A header written as prose ("Acme is hiring!") or one field a paragraph is read as well.

This module splits a post into its header and body and finds its roles; the header's fields are read in
hn_header (prose headers in hn_prose, one field in hn_fields, the company in hn_company), role titles in
hn_roles (prose phrases in hn_role_phrases, what a role's own line adds in hn_role_lines), the HN item shapes
in hn_items, and every normalizer (salary, places, HTML) in clean/.

Why plain Python and not polars expressions: each header needs order-dependent field classification (the
first unclassified field is the company, a salary field swallows its "+ equity", a remote field hands its
remainder to the place check), which does not map onto column expressions. A 500-post month parses in about a
second; the costly checks (roles, places) are cached or written to stay linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from marketlib.clean.salary import parse_stated_salary
from marketlib.clean.text import html_line, split_links
from marketlib.sources.hn_company import company_named_in, company_of_sentence, company_stage
from marketlib.sources.hn_fields import MODE, Header, body_remote, place_items, take_modes
from marketlib.sources.hn_header import parse_header
from marketlib.sources.hn_items import (  # noqa: F401 - the names sources/hackernews.py calls here
    comments_from_algolia,
    comments_from_firebase,
    comments_from_hn_html,
    parse_hn_time,
    thread_kind_and_month,
)
from marketlib.sources.hn_role_lines import RoleLine, role_lines
from marketlib.sources.hn_role_phrases import also_hiring_roles, roles_from_body
from marketlib.sources.hn_roles import (
    clause_title,
    dedupe,
    has_role,
    is_title,
    listed_roles,
    title_key,
)

parse_salary = parse_stated_salary  # the name tests and older callers use

# ---------------------------------------------------------------------------------------------- posts

SKIP_TEXTS = {"[deleted]": "deleted", "[dead]": "dead", "[flagged]": "flagged"}


@dataclass
class ParsedPost:
    comment_id: str
    header: Header
    roles: list[str]
    description: str
    is_job_posting: bool
    skip_reason: str | None = None  # empty, deleted, dead, flagged, not a job post, no role found
    role_lines: dict[str, RoleLine] = field(default_factory=dict)  # what a role's own body line adds

    @property
    def company_stage(self) -> str | None:
        """Read on demand: no posting column holds it, and scanning every post for it is not free."""
        return company_stage(self.description)


def split_header(text_html: str) -> tuple[str, str]:
    """(header HTML, body HTML): the header is everything before the first `<p>`."""
    m = re.search(r"<p\b[^>]*>", text_html, flags=re.I)
    if not m:
        return text_html, ""
    return text_html[: m.start()], text_html[m.end() :]


_MAX_STACKED_WORDS = 12


def _stacked_header(lead: str, body_html: str) -> Header | None:
    """A header written one field a paragraph ("Acme" / "Full-Stack Developer, Operations Engineer" /
    "Vancouver, Canada" / link): short lines naming roles, places or modes below a short company line."""
    if not lead or len(lead.split()) > 4 or re.search(r"[.!?:,]", lead):
        return None
    fields = [lead]
    for paragraph in re.split(r"<p\b[^>]*>", body_html, flags=re.I)[:4]:
        text, urls = split_links(paragraph)
        text = text.strip(" .")
        if not text and urls:
            continue
        if len(text.split()) > _MAX_STACKED_WORDS or re.search(r"[.!?]\s", text) or not (
                has_role(text) or place_items(text) or MODE.search(text)):
            break
        fields.append(text)
    if len(fields) < 3:
        return None
    header = parse_header(" | ".join(fields))
    return header if header.company == lead and header.roles else None


def parse_post(comment_id: str, text_html: str | None) -> ParsedPost:
    """One top-level comment -> header fields and the list of roles (one posting each)."""
    text_html = (text_html or "").strip()
    if not text_html:
        return ParsedPost(comment_id, Header(), [], "", False, "empty")
    marker = html_line(text_html).lower() if len(text_html) < 40 else ""  # "[deleted]" and the like
    if marker in SKIP_TEXTS:
        return ParsedPost(comment_id, Header(), [], text_html, False, SKIP_TEXTS[marker])
    head_html, body_html = split_header(text_html)
    header = parse_header(head_html)
    lead = html_line(head_html)
    next_html, rest_html = split_header(body_html)
    if not header.structured and len(lead.split()) <= 12 and next_html.count("|") >= 2:
        # "REMOTE ONLY", "CLOSED - thanks!" above the real header: the next paragraph is the header
        header, body_html = parse_header(next_html), rest_html
        if MODE.search(lead):
            take_modes(lead, header)
    if header.company is None and not header.structured:
        header = _stacked_header(lead, body_html) or header
    if header.company is None:  # "Venice Beach (Los Angeles), CA:" then "Acme is hiring!"
        header.company = company_of_sentence(html_line(next_html)) or company_of_sentence(lead)
    header.company = company_named_in(header.company, text_html)
    if "emote" in body_html and (not header.work_modes or (header.is_remote and not header.remote_regions)):
        body_remote(html_line(body_html), header)
    roles = list(header.roles)
    if not roles or header.multiple_roles:
        # a prose first line is read with the body: it may be the sentence that names the roles
        roles = dedupe(roles + roles_from_body(body_html if header.structured else text_html), title_key)
    else:
        listed = listed_roles(body_html)
        if len(listed) >= 2 or (listed and not any(is_title(role) for role in roles)):
            # the header summed the roles up ("Senior + Staff Engineers (Elixir, React, ML/AI)") or named a
            # team ("Full-Stack Engineering"); the body lists the titles themselves
            roles = []
        roles = dedupe(roles + listed + also_hiring_roles(body_html), title_key)
    if not roles:  # no title anywhere else: the one a long prose first line starts with
        roles = [title for title in map(clause_title, header.prose_roles) if title][:1]
    if not roles and header.team_roles:  # "11 Engineering roles" and a body that lists none: the kind is the title
        roles = [header.team_roles]
    fields_found = sum(
        bool(x)
        for x in (
            header.company,
            header.locations,
            header.work_modes,
            header.salary,
            header.employment_type,
            header.urls,
        )
    )
    is_job = bool(roles) or (header.structured and fields_found >= 2)
    reason = None if roles else ("no role found" if is_job else "not a job post")
    lines = role_lines(body_html, roles) if "|" in body_html or ": " in body_html else {}
    return ParsedPost(comment_id, header, roles, text_html, is_job, reason, lines)
