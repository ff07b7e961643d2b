"""Prose Hacker News headers, written without a separator convention: "Rust developer at NLnet foundation in
Amsterdam", "StudyBlue is hiring in San Francisco, CA and Madison, WI", "Senior Ruby Engineers, San Francisco"."""

from __future__ import annotations

import re

from marketlib.clean.places import is_place
from marketlib.sources.hn_company import clean_company, company_of_sentence
from marketlib.sources.hn_fields import MODE, Header, place_items, take_modes
from marketlib.sources.hn_roles import has_role, split_roles

_PROSE_HEADER = re.compile(
    r"^(?P<role>.+?)\s+at\s+(?P<company>[^,]+?)(?:\s+(?:in|,)\s+(?P<place>.+?))?\.?$", re.I
)


def parse_prose_header(text: str, header: Header) -> None:
    """ "Rust developer at NLnet foundation in Amsterdam" and similar one-line prose headers."""
    header.other = []
    m = _PROSE_HEADER.match(text)
    if m and has_role(m.group("role")) and len(m.group("role").split()) <= 8:
        header.roles = [m.group("role").strip()]
        header.company = clean_company(m.group("company"))
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
    named = _NAME_IN_PLACE.match(text)  # "Uken Games in downtown Toronto"
    if (not who and named and not has_role(named.group(1)) and not MODE.search(named.group(1))
            and len(named.group(2).split()) <= 4 and place_items(named.group(2))):
        who = named.group(1)
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
    if not header.roles:  # "Acme (YC S17). Full-time. Backend engineer, iOS developer. REMOTE.": a sentence of titles
        for sentence, _ in sentences:
            parts = split_roles(sentence.strip(" .!"))
            if len(parts) >= 2 and all(len(part.split()) <= 5 and has_role(part) for part in parts):
                header.roles = parts
                break


_MAX_TITLE_WORDS = 8
_PROSE_PLACE = re.compile(r"\(([^()]{2,60})\)|\b(?:in|at)\s+(?:downtown\s+)?((?:[A-Z][^.!?;:()]{1,60}))")
_NAME_IN_PLACE = re.compile(
    r"^([A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3})\s+(?:in|at)\s+(?:downtown\s+)?([^.!?]+)[.!]?$")
