"""Fields of a Hacker News post header and how one field is read: work modes with their region ("Remote
(US)", "ONSITE"), employment type, visa, and the places a field lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

from marketlib.clean.places import is_place, regions, split_place_list
from marketlib.clean.salary import StatedSalary
from marketlib.clean.text import html_line

_SPACE = re.compile(r"\s+")

# ---------------------------------------------------------------------------------------------- vocabularies

MODE = re.compile(
    r"\b(remote(?:[- ](?:first|friendly|ok|only|possible|optional|allowed))?|"
    r"on[- ]?site|onsite|in[- ]office|in[- ]person|hybrid)\b",
    re.I,
)
NO_REMOTE = re.compile(r"\b(?:no|not)\s+remote\b", re.I)
EMPLOYMENT = re.compile(
    r"\b(ft|full[- ]?time|part[- ]?time|contract(?:or|ors|-to-hire| to hire)?|freelance|internships?|interns?|"
    r"permanent|temporary|fte)\b",
    re.I,
)
VISA = re.compile(r"\b(?:visas?|h-?1b|sponsorship|relocation)\b", re.I)
NO_VISA = re.compile(r"\b(?:no|not|without|unable to|cannot|can't)\b[^|]*\b(?:visa|sponsor)", re.I)

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
    prose_roles: list[str] = field(default_factory=list)  # a prose first line naming a role, too long for a title
    structured: bool = False  # the header uses a separator convention

    @property
    def is_remote(self) -> bool | None:
        """True when remote is offered; False for onsite/hybrid only; None when the header says nothing."""
        if "remote" in self.work_modes:
            return True
        return False if self.work_modes else None


TIME_NOTE = re.compile(r"\b(?:hours?|time ?zones?|tz|overlap|timezones?)\b", re.I)


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
    # a parenthetical is a note, even when the field's end cut its ")" off ("NYC (4-5 days in office")
    text = _PLACE_LEAD.sub("", re.sub(r"\([^)]*(?:\)|$)", ",", text)).strip(" ,")
    items = [_comma_code(item) for piece in split_places(text) for item in split_place_list(piece)]
    if len(items) > 1:  # "NY, SF, London & Munich": among cities, NY is the city
        items = ["NYC" if item == "NY" else item for item in items]
    places = [item for item in items if is_place(item)]
    return tuple(places) if places and 2 * len(places) >= len(items) else None


@lru_cache(maxsize=1)
def _region_codes() -> frozenset[str]:
    """US state and Canadian province codes (a trailing "AI" or "IO" is a company's, not a place's)."""
    return frozenset(regions().filter(pl.col("is_code"))["region"].to_list())


def _comma_code(item: str) -> str:
    """ "Seattle WA" -> "Seattle, WA" (the place reader wants the comma), when that is a place."""
    place, code = item[:-3].rstrip(" ,"), item[-2:]
    if (len(item) < 6 or item[-3] != " " or code not in _region_codes() or place.upper() == place
            or is_place(item) or not is_place(f"{place}, {code}")):
        return item
    return f"{place}, {code}"


def split_places(text: str) -> list[str]:
    pieces = re.split(r"\s*(?:/|;|\+|\bor\b|\band\b|&)\s*", text)
    return [p.strip(" ,.-–—()") for p in pieces if p.strip(" ,.-–—()")]


_QUALIFIER = re.compile(
    r"^\s*(?:\(([^)]*)\)|[-–—:]\s*([^,()|]+)|(?:in|from|within)\s+(?:the\s+)?([^,()|]+)|"
    r"([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)(?=\s*(?:$|,|\(|only)))(?:\s*only)?"
)


def take_modes(text: str, header: Header) -> str:
    """Pull REMOTE/ONSITE/HYBRID (with a region qualifier) out of a field; return what is left."""
    if NO_REMOTE.search(text):
        header.work_modes.append("onsite")
        text = NO_REMOTE.sub(" ", text)
    out, pos = [], 0
    for m in MODE.finditer(text):
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
            # "HYBRID (Stockholm/Gothenburg, Sweden)": an onsite or hybrid qualifier may list several places
            listed = place_items(qualifier) if qualifier and mode != "remote" else None
            if qualifier and (mode == "remote" or is_place(qualifier) or qualifier.isupper() or listed):
                regions = split_places(qualifier)
                if mode == "remote":
                    header.remote_regions.extend(regions)
                else:
                    header.locations.extend(listed or [r for r in regions if is_place(r)])
                pos += q.end()
    out.append(text[pos:])
    rest = " ".join(out)
    rest = re.sub(r"\(\s*\)", " ", rest)
    rest = re.sub(
        r"\b(?:ok|friendly|first|possible|available|only|optional|preferred)\b", " ", rest, flags=re.I
    )
    return _SPACE.sub(" ", rest).strip(" ,;+/-–—()")


def employment_from(text: str) -> str | None:
    words = {w.lower().replace(" ", "-") for w in EMPLOYMENT.findall(text)}
    if not words:
        return None
    # A contract is a contract even when full-time ("Full-time Contract").
    if any(w.startswith(("contract", "freelance", "temporary")) for w in words):
        return "contract"
    if any(w.startswith("intern") for w in words):
        return "internship"
    if any(w in {"full-time", "fulltime", "fte", "ft", "permanent"} for w in words):
        return "full_time"
    return "part_time"


def is_only(pattern: re.Pattern, text: str) -> bool:
    rest = pattern.sub(" ", text)
    rest = re.sub(
        r"\b(?:or|and|only|roles?|positions?|w2|1099|b2b|equity)\b|[\s/,&+()|.\-–—:]", "", rest, flags=re.I
    )
    return not rest


_NAME = r"[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3}"
# "Acme is hiring!", "ACME has several open positions", "ACME (LONDON, UK).", "X's team is ..."
_SUBJECT = re.compile(rf"^({_NAME}?)(?:\s+(?:is|are|has|have)\s|['’]s\s)")
_NAME_AND_PLACE = re.compile(rf"^({_NAME})\s*\(([^()]+)\)(?=\s*(?:[.!:;|–—-]|$))")  # not "Venice (LA), CA"
_NOT_A_NAME = {"we", "our", "this", "it", "i", "you", "they", "the", "hi", "hello", "hey", "there", "here", "what",
               "who", "if", "that", "my", "each", "every", "all", "everyone", "positions", "roles", "jobs",
               "openings", "location", "locations", "remote", "salary", "team", "engineering", "compensation",
               "inc", "llc", "ltd", "wfh", "github", "linkedin", "twitter", "medium", "youtube", "google"}


# "Defense Startup", "a stealth company": what the company is, not its name
_GENERIC_COMPANY = re.compile(r"^(?:an?\s+)?(?:[\w-]+\s+){0,3}(?:startup|company|firm|agency)$|^stealth\b", re.I)
_WE_ARE = re.compile(r"\bWe(?:'re|’re| are)\s+([A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,2})\s*(?:[–—,.(]|-\s)")
_HREF_HOST = re.compile(r"href=\"https?://(?:www\.|jobs\.|careers\.)?([a-z0-9-]+)\.[a-z.]{2,12}[/\"]", re.I)


def company_named_in(company: str | None, text_html: str) -> str | None:
    """The company's name when the header gives none or only says what it is: from "We're Acme – a
    Munich-based defense startup", else from the post's first link when the text names its host
    ("<a href=https://www.acme.com/careers>" in a post that says "Acme")."""
    if company and not _GENERIC_COMPANY.match(company):
        return company
    text = html_line(text_html)
    we_are = _WE_ARE.search(text)
    if we_are and we_are.group(1).split()[0].lower() not in _NOT_A_NAME:
        return we_are.group(1)
    host = _HREF_HOST.search(text_html.replace("&#x2F;", "/")) if company is None else None
    host = host if host and host.group(1).lower() not in _NOT_A_NAME else None
    names = re.finditer(rf"\b{re.escape(host.group(1))}\b", text, re.I) if host else ()
    return next((m.group(0) for m in names if m.group(0)[0].isupper()), company)  # not the URL's own spelling


def company_of_sentence(text: str) -> str | None:
    """The company a prose sentence starts with, if any."""
    m = _SUBJECT.match(text)
    name = m.group(1) if m else None
    if name is None:
        m = _NAME_AND_PLACE.match(text)
        name = m.group(1) if m and is_place(m.group(2)) and not is_place(m.group(1)) else None
    return name if name and name.split()[0].lower() not in _NOT_A_NAME else None


# "Remote is okay", "100% remote": the body offers remote when the header names no mode ("remote work a
# possibility" is a perk, not an offer); "100% remote (WITHIN USA ONLY)" gives a remote header its region
_BODY_REMOTE = re.compile(r"\bremote\s+(?:is\s+)?(?:ok|okay|fine|welcome)\b|\b(?:fully|100%)\s+remote\b", re.I)
_BODY_REMOTE_REGION = re.compile(r"\bremote\s*\(\s*(?:within|in)?\s*(?:the\s+)?([A-Za-z. ]{2,30}?)\s*(?:only)?\s*\)",
                                 re.I)


def body_remote(body: str, header: Header) -> None:
    """Remote and its region from the body, for a header that names neither."""
    if not header.work_modes and _BODY_REMOTE.search(body):
        header.work_modes.append("remote")
    if header.is_remote and not header.remote_regions:
        region = _BODY_REMOTE_REGION.search(body)
        if region and is_place(region.group(1)):
            header.remote_regions.append(region.group(1))


_STAGE = re.compile(
    r"\b(bootstrapped|pre-seed|seed[- ]stage|seed[- ]funded|series [a-f](?= (?:funded|startup|"
    r"company|stage|round))|publicly traded)\b",
    re.I,
)


def company_stage(text: str) -> str | None:
    """The funding stage a post names ("Series B startup", "bootstrapped"), if any."""
    m = _STAGE.search(html_line(text))
    if not m:
        return None
    word = m.group(1).lower()
    if word.startswith("series"):
        return word.title()
    return {"bootstrapped": "Bootstrapped", "pre-seed": "Pre-seed", "publicly traded": "Public"}.get(
        word, "Seed"
    )
