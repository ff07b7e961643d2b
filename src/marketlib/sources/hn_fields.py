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
    team_roles: str | None = None  # "11 Engineering roles": the kind of roles, the title when the body names none
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


_PLACE_LEAD = re.compile(r"^(?:(?:based|located|offices?|hq)\s+)?(?:in|at)\s+|^downtown\s+", re.I)


# "AI/ML Tech Due Diligence": in a header, AI and ML are the fields, not Anguilla and Mali
_NOT_PLACES = frozenset({"AI", "ML"})


# "3 days/week", "2-3 days a week in office": how often, not where
_SCHEDULE = re.compile(r"\b\d(?:\s*[-–]\s*\d)?\s*days?\s*(?:/|a|per|each)?\s*(?:weeks?|wk)?\b", re.I)


@lru_cache(maxsize=8192)
def place_items(text: str) -> tuple[str, ...] | None:
    """The places a header field lists ("NYC, SF, LA", "Seattle WA / Austin TX", "in San Francisco",
    "Los Angeles, CA (Marina del Rey)"), or None when it is not a list of places: at least half of its items
    must be places; the others ("Nationwide", "plus travel") are dropped."""
    # a parenthetical is a note, even when the field's end cut its ")" off ("NYC (4-5 days in office")
    text = _PLACE_LEAD.sub("", re.sub(r"\([^)]*(?:\)|$)", ",", text)).strip(" ,")
    text = _SCHEDULE.sub(",", text)  # "Belgium, 3 days/week"
    items = [_comma_code(item) for piece in split_places(text) for item in split_place_list(piece)]
    if len(items) > 1:  # "NY, SF, London & Munich": among cities, NY is the city
        items = ["NYC" if item == "NY" else item for item in items]
    places = [item for item in items if is_place(item) and item not in _NOT_PLACES]
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
    r"([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)(?=\s*(?:$|,|\(|only|(?:with|plus|but)\b)))(?:\s*only)?"
)


# "ONSITE (part remote)": some days at home is hybrid, not a remote offer
_PART_REMOTE = re.compile(r"\b(?:part|partly|partial|partially)\s+remote\b", re.I)


def take_modes(text: str, header: Header) -> str:
    """Pull REMOTE/ONSITE/HYBRID (with a region qualifier) out of a field; return what is left."""
    text = _PART_REMOTE.sub("hybrid", text)
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
        r"\b(?:ok|friendly|first|possible|available|only|optional|preferred|fully|completely)\b", " ", rest,
        flags=re.I
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
