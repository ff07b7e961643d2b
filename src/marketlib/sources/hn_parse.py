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

This module splits a post into raw fields only: how one header field is read lives in hn_fields, role titles
in hn_roles, the HN item shapes in hn_items, and every normalizer (salary, places, HTML) in clean/.

Why plain Python and not polars expressions: each header needs order-dependent field classification (the
first unclassified field is the company, a salary field swallows its "+ equity", a remote field hands its
remainder to the place check), which does not map onto column expressions. A 500-post month parses in about a
second; the costly checks (roles, places) are cached or written to stay linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from marketlib.clean.places import is_place
from marketlib.clean.salary import MONEY_HINT, parse_equity, parse_stated_salary
from marketlib.clean.text import html_line, is_domain, split_links
from marketlib.sources.hn_fields import (
    EMPLOYMENT,
    MODE,
    NO_REMOTE,
    NO_VISA,
    TIME_NOTE,
    VISA,
    Header,
    body_remote,
    company_named_in,
    company_of_sentence,
    company_stage,
    employment_from,
    is_only,
    place_items,
    take_modes,
)
from marketlib.sources.hn_items import (  # noqa: F401 - the names sources/hackernews.py calls here
    comments_from_algolia,
    comments_from_firebase,
    comments_from_hn_html,
    parse_hn_time,
    thread_kind_and_month,
)
from marketlib.sources.hn_roles import (
    BULLET_LINE,
    HIRING_TEAMS,
    MULTIPLE_ROLES,
    RoleLine,
    clause_title,
    dedupe,
    has_role,
    is_title,
    listed_roles,
    role_lines,
    role_text,
    roles_from_body,
    split_roles,
    title_key,
)

parse_salary = parse_stated_salary  # the name tests and older callers use
_SPACE = re.compile(r"\s+")


def _clean_company(text: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.split(r"\s+[-–—:]\s+", text)[0]
    return _SPACE.sub(" ", text).strip(" ,;-–—|")


_SEPARATORS = (re.compile(r"\s*\|\s*"), re.compile(r"\s*[•·]\s*"), re.compile(r"\s+[-–—]+\s+"))
_PROSE_HEADER = re.compile(
    r"^(?P<role>.+?)\s+at\s+(?P<company>[^,]+?)(?:\s+(?:in|,)\s+(?P<place>.+?))?\.?$", re.I
)


def split_header_fields(line: str) -> tuple[list[str], bool]:
    """Fields of the first header line and whether a separator convention was found."""
    for sep in _SEPARATORS:
        parts = sep.split(line)
        if len(parts) >= 2 and (sep is _SEPARATORS[0] or len([p for p in parts if p.strip()]) >= 3):
            return [p for p in parts], True
    # "TXN - San Francisco, CA", "London, UK - Pusher": two dash-separated fields when one names places
    parts = _SEPARATORS[2].split(line)
    # "Acme Analytics - London/Remote, INTERN.": the place list may carry a mode and a job type
    texts = [EMPLOYMENT.sub(" ", MODE.sub(" ", split_links(p)[0])).strip(" ,.:/") for p in parts]
    if len(parts) == 2 and any(place_items(t) or place_items(t.partition(", ")[2]) for t in texts):
        return parts, True
    return [line], False


# "Locations: Canada", "Job: Full-Stack Developer": a field named by a label
_FIELD_LABEL = re.compile(
    r"^\s*(?:locations?|where|jobs?|roles?|positions?|titles?|salary|comp(?:ensation)?|pay|type)\s*:\s*", re.I)
# "Boston, Ma", "Cambridge, Uk": a trailing two-letter code written in title case
_TITLE_CASE_CODE = re.compile(r",\s*([A-Z][a-z])\.?$")


def _upper_code(place: str) -> str:
    return _TITLE_CASE_CODE.sub(lambda m: ", " + m.group(1).upper(), place)


def _is_header_note(text: str) -> bool:
    """A work mode, an employment type or a place list: what may follow a company after a dash."""
    text = split_links(text)[0].strip(" ,.:")
    return bool(text) and bool(MODE.search(text) or is_only(EMPLOYMENT, text) or place_items(text))


def _split_company_field(fields: list[str]) -> list[str]:
    """ "Acme - Full-time Remote | Senior QA Engineer": the first pipe field holds the company and, after a
    spaced dash, more header fields."""
    parts = _SEPARATORS[2].split(fields[0]) if fields else []
    if len(parts) > 1 and all(_is_header_note(p) for p in parts[1:]):
        return parts + fields[1:]
    return fields


# "16M Funding", "$5M raised", "$2M ARR": money the company has, not pay
_NOT_PAY = re.compile(r"\b(?:fund(?:ing|ed)|raised|valuation|arr|revenue|series [a-f])\b", re.I)
_PASTED_BYLINE = re.compile(r"^\s*\d+ points? by \S+ .*\bago\b", re.I)


def parse_header(header_html: str) -> Header:
    """Parse the header HTML (the text before the first `<p>`)."""
    header = Header()
    # a pasted comment header ("2 points by someone 30 days ago | parent | on: ...") is not the post's
    lines = [ln for ln in re.split(r"\n+", header_html) if ln.strip() and not _PASTED_BYLINE.match(ln)]
    if not lines:
        return header
    first, extra_lines = lines[0], lines[1:]
    # A header that wraps onto more lines with the same separator continues there.
    while extra_lines and "|" in first and "|" in extra_lines[0]:
        first += " | " + extra_lines.pop(0)
    fields, header.structured = split_header_fields(first)
    if "|" in first:
        fields = _split_company_field(fields)

    unclassified: list[tuple[int, str]] = []
    company_elsewhere = False  # the first field is not the company: none of the fields is
    for index, raw_field in enumerate(fields):
        text, urls = split_links(raw_field)
        header.urls.extend(urls)
        text = _FIELD_LABEL.sub("", text)
        if not text:
            continue
        if index == 0 and MULTIPLE_ROLES.match(text.strip(" ,.:")):
            header.multiple_roles = company_elsewhere = True  # "Tech and Research roles | Remote (US)"
            continue
        if index == 0 and header.structured and not is_only(MODE, text) and not is_only(EMPLOYMENT, text):
            text = text.strip(" ,.:")
            company, _, place = text.partition(", ")
            if "|" not in first and place_items(text) and not has_role(text):
                header.locations.extend(place_items(text))  # "London, UK - Pusher - ...": place first
            elif "|" not in first and place and place_items(place) and not place_items(company):
                unclassified.append((index, company))  # "Bing/Microsoft, Bellevue, WA - Software Engineer"
                header.locations.extend(place_items(place))
            else:
                unclassified.append((index, text))  # the first field names the company (checked below)
            continue
        salary = None if _NOT_PAY.search(text) else parse_stated_salary(text)
        if salary is not None:
            header.salary = header.salary or salary
            header.salary_text = header.salary_text or text
            header.equity = header.equity or parse_equity(text)
            continue
        if parse_equity(text) and not has_role(text):
            header.equity = header.equity or parse_equity(text)
            continue
        if VISA.search(text) and not has_role(text):
            header.visa = not NO_VISA.search(text) if header.visa is None else header.visa
            text = re.sub(r"\(\s*[,;]?\s*\)", " ", VISA.sub(" ", text)).strip(" ,;/+&-–—")
            if NO_VISA.search(raw_field) or not (MODE.search(text) or place_items(text)):
                continue  # else "ONSITE, VISA (Bangalore, India)" still names its mode and place
        if MULTIPLE_ROLES.match(text):
            header.multiple_roles = True
            continue
        teams = HIRING_TEAMS.match(text)
        if teams and "," in teams.group("teams") and len(split_roles(teams.group("teams"))) == 1:
            header.multiple_roles = True
            continue
        if EMPLOYMENT.search(text) and (is_only(EMPLOYMENT, text) or not has_role(text)):
            header.employment_type = header.employment_type or employment_from(text)
            text = EMPLOYMENT.sub(" ", text).strip(" ,;/+-–—()")
            if not text:
                continue  # "Full-time", "Full-time Contract"; else "Full-time (Remote OK)" goes on
        if MODE.search(text) or NO_REMOTE.search(text):
            rest = take_modes(text, header)
            if TIME_NOTE.search(rest):
                header.other.append(rest)  # "PT/ET hours preferred" is a time-zone note, not Portugal
                continue
            found = place_items(rest)
            (header.locations.extend(found) if found else header.other.append(rest) if rest else None)
            continue
        if is_domain(text):
            header.urls.append(text)
            continue
        unclassified.append((index, text))

    for index, text in unclassified:
        text = text.strip(" ,.:")
        can_name_company = header.structured and header.company is None and not company_elsewhere
        if index == min(i for i, _ in unclassified) and can_name_company:
            if has_role(text) and any(
                not has_role(t) and not is_place(t) for i, t in unclassified if i
            ):
                header.roles.extend(split_roles(text))  # "Senior Engineer | Acme | ...": fields in any order
                continue
            header.company = _clean_company(text) or None
            continue
        if has_role(text):
            header.roles.extend(split_roles(text))
        elif MONEY_HINT.search(text) and re.search(r"\d", text):
            header.salary_text = header.salary_text or text  # "$150-200": no k, left to the salary cleaner
        elif place_items(text):
            header.locations.extend(place_items(text))
        elif can_name_company:
            header.company = _clean_company(text) or None
        else:
            header.other.append(text)

    if not header.structured:
        _parse_prose_header(html_line(first), header)
    for line in extra_lines:
        bullet = BULLET_LINE.match(html_line(line))
        if bullet and has_role(bullet.group(1)):
            header.roles.append(role_text(bullet.group(1)))
        else:
            _, urls = split_links(line)
            header.urls.extend(urls)
    header.roles = dedupe(r for r in header.roles if r)
    header.locations = dedupe(_upper_code(place) for place in header.locations)
    header.remote_regions = dedupe(header.remote_regions)
    return header


def _parse_prose_header(text: str, header: Header) -> None:
    """ "Rust developer at NLnet foundation in Amsterdam" and similar one-line prose headers."""
    header.other = []
    m = _PROSE_HEADER.match(text)
    if m and has_role(m.group("role")) and len(m.group("role").split()) <= 8:
        header.roles = [m.group("role").strip()]
        header.company = _clean_company(m.group("company"))
        place = (m.group("place") or "").strip()
        if place and is_place(place):
            header.locations.append(place)
        if MODE.search(text):
            take_modes(text, header)
        return
    # a prose line names roles in a sentence ("We are hiring full stack engineers, ..."), read from the body
    header.prose_roles = [r for r in header.roles if len(r.split()) > _MAX_TITLE_WORDS]
    header.roles = [r for r in header.roles if len(r.split()) <= _MAX_TITLE_WORDS]
    who = company_of_sentence(text)
    if who:
        header.company = who
    # "StudyBlue is hiring in San Francisco, CA and Madison, WI", "YC is hiring hackers (San Francisco,
    # ONSITE)", "Senior Ruby Engineers, San Francisco": places after "in", in parentheses or after a comma
    whole_line_places, header.locations = header.locations, []
    title, _, tail = text.partition(", ")
    # "ACME has several open positions! SF, LA, London.": a sentence that is a place list
    sentences = [(sentence, False) for sentence in re.split(r"(?<=[.!?])\s+", text)[1:]]
    spans = [(m.group(1) or m.group(2), False) for m in _PROSE_PLACE.finditer(text)] + sentences + [(tail, True)]
    for span, after_comma in spans:
        rest = take_modes(span, header) if MODE.search(span) else span
        found = place_items(rest.strip(" .!:"))
        if found:
            header.locations.extend(found)
            if after_comma and has_role(title) and not who:
                header.roles = split_roles(title)  # "Senior Ruby Engineers and DevOps Engineers, San Francisco"
            break
    header.locations = header.locations or whole_line_places


_MAX_TITLE_WORDS = 8
_PROSE_PLACE = re.compile(r"\(([^()]{2,60})\)|\b(?:in|at)\s+((?:[A-Z][^.!?;:()]{1,60}))")

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
        roles = dedupe(roles + listed, title_key)
    if not roles:  # no title anywhere else: the one a long prose first line starts with
        roles = [title for title in map(clause_title, header.prose_roles) if title][:1]
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
    lines = role_lines(body_html, roles) if "|" in body_html else {}
    return ParsedPost(comment_id, header, roles, text_html, is_job, reason, lines)
