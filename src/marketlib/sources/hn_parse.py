"""Pure parsing of Hacker News "Who is hiring?" comments (no network, no files).

A post's header is the text before its first `<p>`: fields separated by pipes (else bullets `•`/`·`, else
spaced dashes), in any order: company, role(s), location(s), REMOTE/ONSITE/HYBRID with a region, employment
type, salary, URL, visa. When the header names no role ("Multiple roles", or none at all) the roles come from
the body: a bulleted list after an intro line ("We're hiring for the following openings:"), an inline list
("We are looking for: A - B - C"), or one "hiring a <role>" phrase.

Why plain Python and not polars expressions: a month holds ~500 top-level comments and each header needs
order-dependent field classification (the first unclassified field is the company, a salary field swallows
its "+ equity", a remote field hands its remainder to the location check), which does not map onto column
expressions; the whole month parses in well under a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from marketlib.clean.places import is_place, split_place_list
from marketlib.clean.salary import MONEY_HINT, StatedSalary, parse_equity, parse_stated_salary
from marketlib.clean.text import html_line, is_domain, split_links

# The names sources/hackernews.py and the tests call: the item adapters live in hn_items, the field
# normalizers in clean/.
from marketlib.sources.hn_items import (  # noqa: F401
    comments_from_algolia,
    comments_from_firebase,
    comments_from_hn_html,
    parse_hn_time,
    thread_kind_and_month,
)
from marketlib.sources.hn_roles import (
    BULLET_LINE,
    MULTIPLE_ROLES,
    dedupe,
    has_role,
    role_text,
    roles_from_body,
    split_roles,
)

parse_salary = parse_stated_salary  # the name tests and older callers use
_SPACE = re.compile(r"\s+")

# ---------------------------------------------------------------------------------------------- vocabularies

_MODE = re.compile(
    r"\b(remote(?:[- ](?:first|friendly|ok|only|possible|optional|allowed))?|"
    r"on[- ]?site|onsite|in[- ]office|in[- ]person|hybrid)\b",
    re.I,
)
_NO_REMOTE = re.compile(r"\b(?:no|not)\s+remote\b", re.I)
_EMPLOYMENT = re.compile(
    r"\b(full[- ]?time|part[- ]?time|contract(?:or|ors|-to-hire| to hire)?|freelance|internships?|interns?|"
    r"permanent|temporary|fte)\b",
    re.I,
)
_VISA = re.compile(r"\b(?:visas?|h-?1b|sponsorship|relocation)\b", re.I)
_NO_VISA = re.compile(r"\b(?:no|not|without|unable to|cannot|can't)\b[^|]*\b(?:visa|sponsor)", re.I)

# ---------------------------------------------------------------------------------------------- header


@dataclass
class Header:
    company: str | None = None
    roles: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    work_modes: list[str] = field(default_factory=list)  # remote / onsite / hybrid, in order seen
    remote_regions: list[str] = field(default_factory=list)
    employment_type: str | None = None  # full_time, part_time, contract, internship
    salary: StatedSalary | None = None
    salary_text: str | None = None  # the header field that holds the salary, parsed or not
    equity: str | None = None
    urls: list[str] = field(default_factory=list)
    visa: bool | None = None
    multiple_roles: bool = False  # the header says "Multiple roles": look in the body
    other: list[str] = field(default_factory=list)  # fields that were none of the above (taglines)
    structured: bool = False  # the header uses a separator convention

    @property
    def is_remote(self) -> bool | None:
        """True when remote is offered; False for onsite/hybrid only; None when the header says nothing."""
        if "remote" in self.work_modes:
            return True
        return False if self.work_modes else None


_TIME_NOTE = re.compile(r"\b(?:hours?|time ?zones?|tz|overlap|timezones?)\b", re.I)


def _mode_name(word: str) -> str:
    word = word.lower()
    if word.startswith("remote"):
        return "remote"
    if word == "hybrid":
        return "hybrid"
    return "onsite"


_PLACE_LEAD = re.compile(r"^(?:(?:based|located|offices?|hq)\s+)?(?:in|at)\s+", re.I)


@lru_cache(maxsize=8192)
def place_items(text: str) -> tuple[str, ...] | None:
    """The places a header field lists ("NYC, SF, LA", "Seattle WA / Austin TX", "in San Francisco",
    "Los Angeles, CA (Marina del Rey)"), or None when it is not a list of places: at least half of its items
    must be places; the others ("Nationwide", "plus travel") are dropped."""
    text = _PLACE_LEAD.sub("", re.sub(r"\([^)]*\)", ",", text)).strip(" ,")
    items = [item for piece in _split_places(text) for item in split_place_list(piece)]
    places = [item for item in items if is_place(item)]
    return tuple(places) if places and 2 * len(places) >= len(items) else None


def _split_places(text: str) -> list[str]:
    pieces = re.split(r"\s*(?:/|;|\+|\bor\b|\band\b|&)\s*", text)
    return [p.strip(" ,.-–—()") for p in pieces if p.strip(" ,.-–—()")]


_QUALIFIER = re.compile(
    r"^\s*(?:\(([^)]*)\)|[-–—:]\s*([^,()|]+)|(?:in|from|within)\s+(?:the\s+)?([^,()|]+)|"
    r"([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)(?=\s*(?:$|,|\(|only)))(?:\s*only)?"
)


def _take_modes(text: str, header: Header) -> str:
    """Pull REMOTE/ONSITE/HYBRID (with a region qualifier) out of a field; return what is left."""
    if _NO_REMOTE.search(text):
        header.work_modes.append("onsite")
        text = _NO_REMOTE.sub(" ", text)
    out, pos = [], 0
    for m in _MODE.finditer(text):
        if m.start() < pos:
            continue
        mode = _mode_name(m.group(1))
        inside_parens = text.rfind("(", 0, m.start()) > text.rfind(")", 0, m.start())
        out.append(text[pos : m.start()])
        pos = m.end()
        if mode not in header.work_modes:
            header.work_modes.append(mode)
        if inside_parens:
            continue
        q = _QUALIFIER.match(text[pos:])
        if q:
            qualifier = next((g for g in q.groups() if g), "").strip()
            # Remote qualifiers are regions ("US", "North America"); onsite ones are places.
            if qualifier and (mode == "remote" or is_place(qualifier) or qualifier.isupper()):
                regions = _split_places(qualifier)
                if mode == "remote":
                    header.remote_regions.extend(regions)
                else:
                    header.locations.extend(r for r in regions if is_place(r))
                pos += q.end()
    out.append(text[pos:])
    rest = " ".join(out)
    rest = re.sub(r"\(\s*\)", " ", rest)
    rest = re.sub(
        r"\b(?:ok|friendly|first|possible|available|only|optional|preferred)\b", " ", rest, flags=re.I
    )
    return _SPACE.sub(" ", rest).strip(" ,;+/-–—()")


def _employment_from(text: str) -> str | None:
    words = {w.lower().replace(" ", "-") for w in _EMPLOYMENT.findall(text)}
    if not words:
        return None
    # A contract is a contract even when full-time ("Full-time Contract").
    if any(w.startswith(("contract", "freelance", "temporary")) for w in words):
        return "contract"
    if any(w.startswith("intern") for w in words):
        return "internship"
    if any(w in {"full-time", "fulltime", "fte", "permanent"} for w in words):
        return "full_time"
    return "part_time"


def _is_only(pattern: re.Pattern, text: str) -> bool:
    rest = pattern.sub(" ", text)
    rest = re.sub(
        r"\b(?:or|and|only|roles?|positions?|w2|1099|b2b)\b|[\s/,&+()|.\-–—:]", "", rest, flags=re.I
    )
    return not rest


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
    texts = [split_links(p)[0].strip(" ,.:") for p in parts]
    if len(parts) == 2 and any(place_items(t) or place_items(t.partition(", ")[2]) for t in texts):
        return parts, True
    return [line], False


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

    unclassified: list[tuple[int, str]] = []
    for index, raw_field in enumerate(fields):
        text, urls = split_links(raw_field)
        header.urls.extend(urls)
        if not text:
            continue
        if index == 0 and header.structured and not _is_only(_MODE, text) and not _is_only(_EMPLOYMENT, text):
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
        salary = parse_stated_salary(text)
        if salary is not None:
            header.salary = header.salary or salary
            header.salary_text = header.salary_text or text
            header.equity = header.equity or parse_equity(text)
            continue
        if parse_equity(text) and not has_role(text):
            header.equity = header.equity or parse_equity(text)
            continue
        if _VISA.search(text) and not has_role(text):
            header.visa = not _NO_VISA.search(text) if header.visa is None else header.visa
            continue
        if MULTIPLE_ROLES.match(text):
            header.multiple_roles = True
            continue
        if _EMPLOYMENT.search(text) and (_is_only(_EMPLOYMENT, text) or not has_role(text)):
            header.employment_type = header.employment_type or _employment_from(text)
            text = _EMPLOYMENT.sub(" ", text).strip(" ,;/+-–—()")
            if not text:
                continue  # "Full-time", "Full-time Contract"; else "Full-time (Remote OK)" goes on
        if _MODE.search(text) or _NO_REMOTE.search(text):
            rest = _take_modes(text, header)
            if _TIME_NOTE.search(rest):
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
        if index == min(i for i, _ in unclassified) and header.structured and header.company is None:
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
        elif header.company is None and header.structured:
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
    header.locations = dedupe(header.locations)
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
        if _MODE.search(text):
            _take_modes(text, header)
        return
    who = re.match(r"^([A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3})\s+(?:is|are)\s+", text)
    if who:
        header.company = who.group(1)
    # "StudyBlue is hiring in San Francisco, CA and Madison, WI", "YC is hiring hackers (San Francisco,
    # ONSITE)", "Senior Ruby Engineers, San Francisco": places after "in", in parentheses or after a comma
    whole_line_places, header.locations = header.locations, []
    title, _, tail = text.partition(", ")
    spans = [(m.group(1) or m.group(2), False) for m in _PROSE_PLACE.finditer(text)] + [(tail, True)]
    for span, after_comma in spans:
        rest = _take_modes(span, header) if _MODE.search(span) else span
        found = place_items(rest.strip(" .!:"))
        if found:
            header.locations.extend(found)
            if after_comma and has_role(title) and not who and not header.roles:
                header.roles = split_roles(title)
            break
    header.locations = header.locations or whole_line_places


_PROSE_PLACE = re.compile(r"\(([^()]{2,60})\)|\b(?:in|at)\s+((?:[A-Z][^.!?;:()]{1,60}))")

# ---------------------------------------------------------------------------------------------- body
_STAGE = re.compile(
    r"\b(bootstrapped|pre-seed|seed[- ]stage|seed[- ]funded|series [a-f](?= (?:funded|startup|"
    r"company|stage|round))|publicly traded)\b",
    re.I,
)


def company_stage(text: str) -> str | None:
    m = _STAGE.search(html_line(text))
    if not m:
        return None
    word = m.group(1).lower()
    if word.startswith("series"):
        return word.title()
    return {"bootstrapped": "Bootstrapped", "pre-seed": "Pre-seed", "publicly traded": "Public"}.get(
        word, "Seed"
    )


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
        if _MODE.search(lead):
            _take_modes(lead, header)
    roles = list(header.roles)
    if not roles or header.multiple_roles:
        roles = dedupe(
            roles + roles_from_body(body_html if header.structured or header.company else text_html)
        )
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
    return ParsedPost(comment_id, header, roles, text_html, is_job, reason)
