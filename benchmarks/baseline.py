"""The comparison point: postings cleaned the way a typical analysis notebook does it.

pandas + `re`, one `df.apply` per field, Python per row. It uses the SAME dictionaries marketlib ships
(skills.csv, domain_keywords.csv, role_rules.csv, metros.csv, us_places.csv, fx_rates.csv) and marketlib's
YOE patterns, applied per row with `re` where practical. Simplifications (a baseline, not a second
implementation):
- text: html.unescape + tag regexes per row;
- locations: "City, ST" looked up in us_places.csv and the metro titles; "remote" is a substring test;
- domains/skills: trap phrases are blanked first, then every dictionary pattern is searched in the text;
- YOE: marketlib's mention regex and its context cues per mention; the largest required figure (no
  alternatives logic);
- salary: structured fields annualized and converted; else the first "$X - $Y" in salary_text/description;
- dedup: sha256 ids per row and `DataFrame.duplicated` on company + title + metro.

Per-row Python is the point of this module: it is what marketlib is measured against.
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

from marketlib.clean import experience, salary, skills, yoe_patterns
from marketlib.clean.skills import read_dictionary_rows


def py_pattern(pattern: str) -> str:
    """A marketlib (Rust regex) pattern for `re`: the ASCII-only groups `(?-u:...)` become plain groups."""
    return pattern.replace("(?-u:", "(?:")


def _py_regex(pattern: str, flags: int = 0) -> re.Pattern:
    return re.compile(py_pattern(pattern), flags)


_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(r"(?i)<br\s*/?>|</?(?:p|div|h[1-6]|ul|ol|li|tr|table)\b[^>]*>")
_SPACES = re.compile(r"[ \t\u00a0]+")
_NEWLINES = re.compile(r"\n{3,}")
_US_STATES = {
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "DC",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
    "PR",
}
_LISTING = re.compile(py_pattern(skills.LISTING_MARKERS))
_SALARY_RANGE = re.compile(r"\$\s?(\d+(?:\.\d+)?)\s?([kK])?\s?(?:-|–|to)\s?\$?\s?(\d+(?:\.\d+)?)\s?([kK])?")


@dataclass(frozen=True)
class Rules:
    role_rules: list[tuple[str, str, re.Pattern, re.Pattern | None]]
    skill_traps: re.Pattern
    skill_terms: list[tuple[str, re.Pattern]]
    domain_traps: re.Pattern
    domain_terms: list[tuple[str, str, float, re.Pattern]]  # domain, term, weight, regex
    metro_by_city: dict[tuple[str, str], tuple[str, str]]


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("marketlib").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def _metro_table() -> dict[tuple[str, str], tuple[str, str]]:
    """(city lower, state) -> (code, name): us_places.csv when shipped, plus the cities named in metro titles
    ("San Jose-Sunnyvale-Santa Clara, CA")."""
    names = {row["metro_code"]: row["metro_name"] for row in _read_csv("metros.csv")}
    table: dict[tuple[str, str], tuple[str, str]] = {}
    if resources.files("marketlib").joinpath("data", "us_places.csv").is_file():
        for row in _read_csv("us_places.csv"):
            if row["metro_code"] in names:
                table[(row["city"].lower(), row["state"])] = (row["metro_code"], names[row["metro_code"]])
    for code, name in names.items():
        cities, _, states = name.rpartition(", ")
        for city in cities.split("-"):
            for state in states.split("-"):
                table.setdefault((city.strip().lower(), state.strip()), (code, name))
    return table


@lru_cache(maxsize=1)
def rules() -> Rules:
    role_rules = [
        (r["target"], r["value"], _py_regex(r["pattern"]), _py_regex(r["unless"]) if r["unless"] else None)
        for r in _read_csv("role_rules.csv")
    ]
    skill_rows, _ = read_dictionary_rows(skills.SKILLS_FILE)
    domain_rows, _ = read_dictionary_rows("domain_keywords.csv")
    skill_traps = "|".join(r["pattern"] for r in skill_rows if not r["skill"].strip())
    domain_traps = "|".join(r["pattern"] for r in domain_rows if r["kind"].strip() == "trap")
    domain_terms = [
        (d, r["term"], float(r["weight"]), _py_regex(r["pattern"], re.IGNORECASE))
        for r in domain_rows
        if r["kind"].strip() == "term"
        for d in r["domain"].split(";")
    ]
    return Rules(
        role_rules=role_rules,
        skill_traps=_py_regex(skill_traps, re.IGNORECASE),
        skill_terms=[
            (r["skill"].strip(), _py_regex(r["pattern"], re.IGNORECASE))
            for r in skill_rows
            if r["skill"].strip()
        ],
        domain_traps=_py_regex(domain_traps, re.IGNORECASE),
        domain_terms=domain_terms,
        metro_by_city=_metro_table(),
    )


# ----------------------------------------------------------------------------------------- per-row functions


def clean_text(value) -> str | None:
    if not isinstance(value, str):
        return None
    text = _BLOCK.sub("\n", value)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return _NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def one_line(value) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) else None


def location(value) -> dict:
    out = {
        "city": None,
        "region": None,
        "country": None,
        "metro_code": None,
        "metro_name": None,
        "is_remote": False,
    }
    if not isinstance(value, str):
        return out
    out["is_remote"] = "remote" in value.lower()
    first = value.split(" | ")[0]
    parts = [p.strip() for p in first.split(",")]
    if len(parts) >= 2:
        out["city"], out["region"] = parts[0], parts[1]
        if parts[1] in _US_STATES:
            out["country"] = "US"
            metro = rules().metro_by_city.get((parts[0].lower(), parts[1]))
            if metro:
                out["metro_code"], out["metro_name"] = metro
    return out


def classify_title(title, target: str, default: str) -> str:
    key = re.sub(r"[_|]+", " ", title.lower()) if isinstance(title, str) else ""
    for rule_target, value, pattern, unless in rules().role_rules:
        if rule_target == target and pattern.search(key) and not (unless and unless.search(key)):
            return value
    return default


def _evidence(row) -> str:
    parts = []
    for value in (row["title"], row["description"]):
        text = value if isinstance(value, str) else ""
        if len(_LISTING.findall(text)) >= skills.LISTING_MIN_MARKERS:
            text = ""
        parts.append(text)
    return "\n".join(parts)


def find_skills(text: str) -> list[str]:
    r = rules()
    text = r.skill_traps.sub(" ", text)
    return sorted({name for name, rx in r.skill_terms if rx.search(text)})


def find_domains(text: str) -> list[str]:
    r = rules()
    text = r.domain_traps.sub(" ", text)
    scores: dict[str, float] = {}
    seen: set[tuple[str, str]] = set()
    for domain, term, weight, rx in r.domain_terms:
        if (domain, term) not in seen and rx.search(text):
            seen.add((domain, term))
            scores[domain] = scores.get(domain, 0.0) + weight
    return sorted(d for d, s in scores.items() if s >= 1.0)


_MENTION = _py_regex(yoe_patterns._MENTION)
# Where a mention's sentence ends (the baseline's own choice: a newline, a bullet, ";" or ". ").
_BOUNDARY = re.compile(r"(?:\n|•|;|\.\s)")
_POS_AFTER = _py_regex(yoe_patterns._POSITIVE_AFTER)
_POS_BEFORE = _py_regex(yoe_patterns._POSITIVE_BEFORE)
_NEG_AFTER = _py_regex(yoe_patterns._NEGATIVE_AFTER)
_NEG_BEFORE = _py_regex(yoe_patterns._NEGATIVE_BEFORE)
_PREFERRED = _py_regex(yoe_patterns._PREFERRED)
_REQUIRED = _py_regex(yoe_patterns._REQUIRED)
_UPPER_ONLY = _py_regex(yoe_patterns._UPPER_ONLY)


def _years(token: str | None) -> float | None:
    if token is None:
        return None
    return float(yoe_patterns._WORD_NUMBERS.get(token, token))


def yoe(text) -> dict:
    out = {"yoe_min": None, "yoe_max": None, "yoe_phrase": None}
    if not isinstance(text, str):
        return out
    low = re.sub(r"([a-z])(\d)", r"\1 \2", text.lower())
    required, preferred = [], []
    for m in _MENTION.finditer(low):
        before = _BOUNDARY.split(low[max(0, m.start() - 160) : m.start()])[-1]
        after = _BOUNDARY.split(low[m.end() : m.end() + 160])[0]
        counts = (
            (_POS_AFTER.search(after) or _POS_BEFORE.search(before))
            and not _NEG_AFTER.search(after)
            and not _NEG_BEFORE.search(before)
        )
        if not counts:
            continue
        scale = 1 / 12 if m.group("unit").startswith("mo") else 1.0
        lo, hi = _years(m.group("lo")), _years(m.group("hi"))
        if m.group("mod") and _UPPER_ONLY.search(m.group("mod").strip()):
            lo, hi = 0.0, lo
        figure = (
            min(round(lo * scale, 2), experience.MAX_YEARS),
            None if hi is None else min(round(hi * scale, 2), experience.MAX_YEARS),
            m.group(0).strip(),
        )
        sentence = before + m.group(0) + after
        is_preferred = _PREFERRED.search(sentence) and not _REQUIRED.search(sentence)
        (preferred if is_preferred else required).append(figure)
    chosen = required or preferred
    if chosen:
        lo, hi, phrase = max(chosen, key=lambda f: f[0])
        out.update(yoe_min=lo, yoe_max=hi if hi is not None and hi >= lo else None, yoe_phrase=phrase)
    return out


def bucket(value) -> str:
    if value is None or pd.isna(value):
        return "none"
    return "0-1" if value < 2 else "2-4" if value < 5 else "5-7" if value < 8 else "8+"


def salary_usd(row) -> dict:
    out = {"salary_min_usd": None, "salary_max_usd": None, "salary_source": None}
    rates = salary.fx_rates()
    low, high = row["salary_min"], row["salary_max"]
    if pd.notna(low) or pd.notna(high):
        factor = salary.ANNUAL_FACTOR.get(row["salary_period"] or "year", 1.0)
        rate = rates.get(row["salary_currency"] or "USD")
        if rate is not None:
            out.update(
                salary_min_usd=low * factor * rate if pd.notna(low) else None,
                salary_max_usd=high * factor * rate if pd.notna(high) else None,
                salary_source="field",
            )
        return out
    for text in (row["salary_text"], row["description"]):
        m = _SALARY_RANGE.search(text) if isinstance(text, str) else None
        if m:
            lo = float(m.group(1)) * (1000 if m.group(2) else 1)
            hi = float(m.group(3)) * (1000 if m.group(4) else 1)
            if salary.MIN_ANNUAL_USD <= lo <= hi <= salary.MAX_ANNUAL_USD:
                out.update(salary_min_usd=lo, salary_max_usd=hi, salary_source="text")
                return out
    return out


def posting_id(row) -> str:
    key = f"{row['source']}|{row['source_posting_id']}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------- the notebook


def clean_postings_baseline(df: pd.DataFrame) -> pd.DataFrame:
    """Raw postings (pandas) -> cleaned postings (pandas), one `apply` per field."""
    rules()  # load the dictionaries once, as a notebook's first cell would
    df = df.copy()
    df["description"] = df["description"].apply(clean_text)
    df["title"] = df["title"].apply(one_line)
    df["company"] = df["company"].apply(one_line)
    places = df["location_raw"].apply(location).apply(pd.Series)
    df = pd.concat([df, places], axis=1)
    df["is_remote"] = df["is_remote"] | df["is_remote_hint"].fillna(False).astype(bool)
    df["role_family"] = df["title"].apply(classify_title, args=("role_family", "other"))
    df["seniority"] = df["title"].apply(classify_title, args=("seniority", "mid"))
    evidence = df.apply(_evidence, axis=1)
    df["domains"] = evidence.apply(find_domains)
    df["skills"] = evidence.apply(find_skills)
    years = df["description"].apply(yoe).apply(pd.Series)
    df = pd.concat([df, years], axis=1)
    df["yoe_bucket"] = df["yoe_min"].apply(bucket)
    pay = df.apply(salary_usd, axis=1).apply(pd.Series)
    df = pd.concat([df, pay], axis=1)
    df["posting_id"] = df.apply(posting_id, axis=1)
    keys = pd.DataFrame({"c": df["company"].str.lower(), "t": df["title"].str.lower(), "m": df["metro_code"]})
    df["is_duplicate"] = keys.duplicated(keep="first")
    return df
