"""The company a Hacker News post names: its header field tidied, the subject of a prose sentence ("Acme is
hiring!"), "We're Acme –" or the first link's host when the header only says what the company is, and the
funding stage a post mentions.
"""

from __future__ import annotations

import re

from marketlib.clean.places import is_place
from marketlib.clean.text import html_line

_SPACE = re.compile(r"\s+")


_GREETING = re.compile(r"^(?:hi|hey|hello|greetings)\b", re.I)  # "Hey HN - I'm George, founder of xFigura"


def clean_company(text: str) -> str:
    if _GREETING.match(text.strip()):
        return ""
    text = re.sub(r"\([^)]*(?:\)|$)", " ", text)  # "Metail (Cambridge": a field's end may cut the ")" off
    text = re.sub(r"^[#*\s]+", "", text)  # "### Apple Inc": markdown heading marks
    text = re.split(r"\s+[-–—:]\s+|:\s+", text)[0]  # "Apple Inc: Cupertino, CA"
    name, comma, what = text.rpartition(", ")
    if comma and name.strip() and _GENERIC_COMPANY.match(what.strip(" ,;")):
        text = name  # "Acme Brands, Marketing Startup": what the company is follows its name
    return _SPACE.sub(" ", text).strip(" ,;-–—|")


_NAME = r"[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3}"
# "Acme is hiring!", "ACME has several open positions", "ACME (LONDON, UK).", "X's team is ..."
_SUBJECT = re.compile(rf"^({_NAME}?)(?:\s+(?:is|are|has|have)\s|['’]s\s)")
_NAME_AND_PLACE = re.compile(rf"^({_NAME})\s*\(([^()]+)\)(?=\s*(?:[.!:;|–—-]|$))")  # not "Venice (LA), CA"
_NOT_A_NAME = {"we", "our", "this", "it", "i", "you", "they", "the", "hi", "hello", "hey", "there", "here", "what",
               "who", "if", "that", "my", "each", "every", "all", "everyone", "positions", "roles", "jobs",
               "openings", "location", "locations", "remote", "salary", "team", "engineering", "compensation",
               "inc", "llc", "ltd", "wfh", "github", "linkedin", "twitter", "medium", "youtube", "google"}


# "Defense Startup", "a stealth company": what the company is, not its name
_GENERIC_COMPANY = re.compile(r"^(?:an?\s+)?(?:[\w-]+\s+){0,3}(?:startup|company|firm|agency|fund)$|^stealth\b",
                              re.I)
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
