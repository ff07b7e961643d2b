"""The header of a Hacker News post (the text before its first `<p>`): split into fields by its separator
convention (pipes, else bullets, else spaced dashes) and each field classified in order: company, role(s),
location(s), work mode with a region, employment type, salary, URL, visa. Prose headers are read by hn_prose.
"""

from __future__ import annotations

import re
from itertools import takewhile

from marketlib.clean.places import is_place
from marketlib.clean.salary import MONEY_HINT, parse_equity, parse_stated_salary
from marketlib.clean.text import html_line, is_domain, split_links
from marketlib.sources.hn_company import clean_company
from marketlib.sources.hn_fields import (
    EMPLOYMENT,
    MODE,
    NO_REMOTE,
    NO_VISA,
    TIME_NOTE,
    VISA,
    Header,
    employment_from,
    is_only,
    place_items,
    take_modes,
)
from marketlib.sources.hn_prose import parse_prose_header
from marketlib.sources.hn_roles import (
    BULLET_LINE,
    HIRING_TEAMS,
    MULTIPLE_ROLES,
    dedupe,
    has_role,
    is_title,
    role_text,
    split_roles,
)

_SEPARATORS = (re.compile(r"\s*\|\s*"), re.compile(r"\s*[•·]\s*"), re.compile(r"\s+(?:[-–—]+|//|&#x2F;&#x2F;)\s+"))


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
    # "uSwitch.com -- London, UK. <link> We're a comparison website ...": the line runs on into prose (which,
    # when it names roles, is read whole as before: "Acme - Boston. Hiring UI/UX Designers and Engineers.")
    # "LivingSocial -- Washington, DC. Boulder, CO. Remote": sentences that each name places or a mode
    sentences = _SENTENCE_BREAK.split(split_links(parts[-1])[0].strip()) if len(parts) == 2 else []
    if len(sentences) < 2:
        return [line], False
    places = list(takewhile(lambda s: (place_items(MODE.sub(" ", s)) or is_only(MODE, s)) and not has_role(s),
                            sentences))
    if places and not has_role(" ".join(sentences[len(places):])):
        return [parts[0], " / ".join(places)], True
    return [line], False


_SENTENCE_BREAK = re.compile(r"(?<=[a-z]{2}\.)\s+|(?<=[A-Z]{2}\.)\s+|(?<=[!?])\s+")


# "Locations: Canada", "Job: Full-Stack Developer", "Company: Adyen": a field named by a label
_FIELD_LABEL = re.compile(
    r"^\s*(?:locations?|where|jobs?|roles?|positions?|titles?|salary|comp(?:ensation)?|pay|type|company)\s*:\s*",
    re.I)
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
# "Work From Home", "... in United States - WORK FROM HOME": a field (or its last dash part) offering remote
# work; "ONSITE (but some working from home is no problem)" is a perk of an office
_WORK_FROM_HOME = re.compile(r"(?:^|(?<=\s[-–—]\s))work(?:ing)? from home$", re.I)
# "NYC $120,000 - $180,000": where the pay starts in a field that also names its place
_MONEY_START = re.compile(r"[$€£¥₹]|\d")


_TAG_FILLER = re.compile(r"\b(?:and|or|are|is|all|welcome|ok|okay|available|possible|considered)\b|[\s,;/&+.!]+", re.I)


def _is_tags(text: str) -> bool:
    """A field of visa and employment-type tags only, at least two of them."""
    tags = [m.group(0) for pattern in (VISA, EMPLOYMENT) for m in pattern.finditer(text)]
    rest = _TAG_FILLER.sub("", EMPLOYMENT.sub("", VISA.sub("", text)))
    return len(tags) >= 2 and not rest


def _is_bare_title(text: str) -> bool:
    """A short title and nothing else ("data scientist"; not "Onfleet, San Francisco, Lead Engineer" or
    "Full-time or Intern")."""
    return len(text.split()) <= 4 and "," not in text and is_title(text) and not EMPLOYMENT.search(text)


def _is_phrase(text: str) -> bool:
    """ "Italian language proficiency needed": mostly lower-case words read as a note, not a company's name
    ("Center for Clinical Data Science", "mbr targeting / Ströer Digital Group" are names)."""
    words = [w for w in text.split() if w[0].isalpha()]
    return len(words) >= 3 and 2 * sum(w[0].islower() for w in words) > len(words)


# "Acme Cloud Senior Software Engineer": a company name, then a title that starts on its level word
_NAME_THEN_TITLE = re.compile(
    r"^(?P<company>[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3}?)\s+"
    r"(?P<title>(?:Senior|Sr\.?|Staff|Principal|Lead|Junior|Jr\.?|Founding)\s+\S.*)$")


def _note_team_roles(header: Header, text: str) -> None:
    """Keep a "roles" field that names its kind ("11 Engineering roles", "Multiple engineering positions"): it
    is the posting's title when the body lists no titles. "Multiple roles" names no kind."""
    if header.team_roles is None and has_role(text):
        header.team_roles = text


# "Acme [ Global | 100% Remote | Roles ]": brackets around the fields are separators too
_BRACKETED_FIELDS = re.compile(r"\s*[\[\]]\s*")
# "Multiple locations", "Various cities": a note on where, not a company
_MANY_PLACES = re.compile(r"^(?:multiple|many|several|various|all)\s+(?:locations|cities|offices|countries|sites)\b",
                          re.I)
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# "Salary + equity", "Competitive comp": what the job pays, not a company's name
_PAY_WORDS = re.compile(r"^(?:(?:competitive|great|good|top|salary|comp(?:ensation)?|equity|benefits|bonus|"
                        r"options?|stock|and|plus|\+|&|,)\s*)+$", re.I)


def parse_header(header_html: str) -> Header:
    """Parse the header HTML (the text before the first `<p>`)."""
    header = Header()
    # a pasted comment header ("2 points by someone 30 days ago | parent | on: ...") is not the post's
    header_html = _INVISIBLE.sub("", header_html)  # "Full\u00adtime": a soft hyphen splits no word
    lines = [ln for ln in re.split(r"\n+", header_html) if ln.strip() and not _PASTED_BYLINE.match(ln)]
    if not lines:
        return header
    first, extra_lines = lines[0], lines[1:]
    # A header that wraps onto more lines with the same separator continues there.
    while extra_lines and "|" in first and "|" in extra_lines[0]:
        first += " | " + extra_lines.pop(0)
    if "[" in first and "|" in first.partition("[")[2]:
        first = _BRACKETED_FIELDS.sub(" | ", first).strip(" |")
    fields, header.structured = split_header_fields(first)
    if "|" in first:
        fields = _split_company_field(fields)

    unclassified: list[tuple[int, str]] = []
    company_elsewhere = False  # the first field is not the company: none of the fields is
    for index, raw_field in enumerate(fields):
        text, urls = split_links(raw_field)
        header.urls.extend(urls)
        text = _FIELD_LABEL.sub("", text)
        text = _WORK_FROM_HOME.sub("REMOTE", text)
        if not text:
            continue
        if index == 0 and MULTIPLE_ROLES.match(text.strip(" ,.:")):
            header.multiple_roles = company_elsewhere = True  # "Tech and Research roles | Remote (US)"
            _note_team_roles(header, text.strip(" ,.:"))
            continue
        if index == 0 and header.structured and not is_only(MODE, text) and not is_only(EMPLOYMENT, text):
            text = text.strip(" ,.:")
            company, _, place = text.partition(", ")
            if place_items(text) and not has_role(text) and ("|" not in first or "," in text and is_place(text)):
                # "London, UK - Pusher - ...", "Cologne, Germany | UMH": the place comes first
                header.locations.extend(place_items(text))
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
            header.locations.extend(place_items(_MONEY_START.split(text, maxsplit=1)[0].strip(" ,:")) or ())
            continue
        if parse_equity(text) and not has_role(text):
            header.equity = header.equity or parse_equity(text)
            continue
        if _is_tags(text):  # "H1B, FULL-TIME, INTERN", "VISA, FULL-TIME, and INTERN are all welcome"
            header.visa = (not NO_VISA.search(text)) if VISA.search(text) and header.visa is None else header.visa
            header.employment_type = header.employment_type or employment_from(text)
            continue
        if VISA.search(text) and not has_role(text):
            header.visa = not NO_VISA.search(text) if header.visa is None else header.visa
            text = re.sub(r"\(\s*[,;]?\s*\)", " ", VISA.sub(" ", text)).strip(" ,;/+&-–—")
            if NO_VISA.search(raw_field) or not (MODE.search(text) or place_items(text)):
                continue  # else "ONSITE, VISA (Bangalore, India)" still names its mode and place
        multiple = MULTIPLE_ROLES.match(text)
        if multiple:
            header.multiple_roles = True
            _note_team_roles(header, multiple.group(0))
            # "Multiple positions in United States - WORK FROM HOME": the rest still names places and modes
            text = text[multiple.end() :].strip(" ,;:-–—")
            if has_role(text) and not (MODE.search(text) or place_items(text)):
                header.roles.extend(split_roles(text))  # "Multiple Openings: Full Stack Developer, Designer"
                continue
            if not (MODE.search(text) or place_items(text)):
                continue  # "Multiple positions in Engineering" names a team
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
            if not found and _is_bare_title(rest):
                # "REMOTE data scientist" (a one-line post of a mode and a title), "| Senior Sysadmin ONSITE |"
                header.roles.append(rest)
                continue
            (header.locations.extend(found) if found else header.other.append(rest) if rest else None)
            continue
        if is_domain(text):
            header.urls.append(text)
            continue
        if _MANY_PLACES.match(text):
            header.other.append(text)
            continue
        unclassified.append((index, text))

    for index, text in unclassified:
        text = text.strip(" ,.:")
        can_name_company = header.structured and header.company is None and not company_elsewhere
        if index == min(i for i, _ in unclassified) and can_name_company:
            if index > 0 and _is_bare_title(text):
                header.roles.append(text)  # "Boston, MA | Full Time | iOS & Android Engineers": no company named
                continue
            if has_role(text) and any(
                not has_role(t) and not is_place(t) for i, t in unclassified if i
            ):
                header.roles.extend(split_roles(text))  # "Senior Engineer | Acme | ...": fields in any order
                continue
            named = _NAME_THEN_TITLE.match(text) if has_role(text) else None
            if named and not has_role(named.group("company")) and not is_place(named.group("company")):
                text = named.group("company")  # "Acme Cloud Senior Software Engineer, APIs | Boston, MA"
                header.roles.extend(split_roles(named.group("title")))
            header.company = clean_company(text) or None
            continue
        if has_role(text):
            header.roles.extend(split_roles(text))
        elif MONEY_HINT.search(text) and re.search(r"\d", text):
            header.salary_text = header.salary_text or text  # "$150-200": no k, left to the salary cleaner
        elif place_items(text):
            header.locations.extend(place_items(text))
        elif can_name_company and not _is_phrase(text) and not _PAY_WORDS.match(text):
            header.company = clean_company(text) or None
        else:
            header.other.append(text)

    if not header.structured:
        parse_prose_header(html_line(first), header)
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
