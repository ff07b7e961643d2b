"""Roles named in the prose of a Hacker News post: the first "hiring ..." phrase that lists titles ("We are
looking for coders, web devs, and data scientists"), the roles a body adds with "also hiring ...", and, when no
list names any, what the body lists or the role "As an engineer on our team" describes."""

from __future__ import annotations

import re

from marketlib.sources.hn_role_words import FUNCTION, has_role
from marketlib.sources.hn_roles import (
    MAX_BLOCKS,
    ROLE_LEAD,
    ROLE_TAIL,
    body_blocks,
    dedupe,
    good_role,
    listed_roles_in,
    role_text,
)

# "We're hiring", "is looking for", "we need": a phrase that names the roles after it
_HIRING = re.compile(
    r"\b(?:hiring(?!\s+(?:managers?|process|team)\b)(?:\s+for)?|hire|looking for|seeking|searching for|we need|"
    r"looking to (?:add|hire)|(?:immediate\s+|urgent\s+)?need\s+for|"
    r"(?:openings?|positions?|opportunities)\s+(?:in|for))\s+",
    re.I)
_SENTENCE_END = re.compile(r"[.!?;:](?:\s|$)|\n")
_LIST_SEPARATOR = r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&|as\s+well\s+as)\s+"
_LIST_SEPARATOR_KEPT = re.compile(f"({_LIST_SEPARATOR})")


def roles_from_body(body_html: str) -> list[str]:
    """Roles named in the body: a list after an intro line, an inline list, or 'hiring a <role>'."""
    blocks = body_blocks(body_html)[:MAX_BLOCKS]
    return listed_roles_in(blocks) or _hiring_phrase_roles("\n".join(blocks))



def _phrase_items(phrase: str) -> list[str]:
    """A hiring phrase split into its list items; "Mobile App Development & Design Engineer Intern" stays one
    title (the part before an "&" that names no role qualifies the title after it)."""
    pieces = _LIST_SEPARATOR_KEPT.split(phrase)
    items = [pieces[0]]
    for separator, piece in zip(pieces[1::2], pieces[2::2], strict=True):
        if separator.strip() == "&" and not has_role(items[-1]):
            items[-1] += separator + piece
        else:
            items.append(piece)
    return items


def _hiring_phrase_roles(text: str) -> list[str]:
    """The roles of the first "hiring ..." phrase that names any: "We are looking for full-time, local,
    generalist coders, front-end web devs, and data scientists." -> coders, web devs, data scientists."""
    roles = _phrase_roles(text, _HIRING)
    if roles:
        return roles
    # "As an engineer on our team, you'll be involved in ...": the role the post describes
    m = _AS_A_ROLE.search(text)
    return [role_text(m.group("role"))] if m and good_role(m.group("role")) else []


def also_hiring_roles(body_html: str) -> list[str]:
    """Roles a body adds to the header's: "We're also hiring an ML/SWE intern for the Spring"."""
    text = "\n".join(body_blocks(body_html)[:MAX_BLOCKS])
    roles = _phrase_roles(text, _ALSO_HIRING) if _ALSO_HIRING.search(text) else []
    return [role for role in roles if not _NOT_A_TITLE.search(role)]


# "other software engineering positions", "a variety of other engineering", "non-Engineering roles": kinds of
# roles, not titles
_NOT_A_TITLE = re.compile(r"\b(?:roles|positions|openings|other|variety)\b", re.I)


def _phrase_roles(text: str, hiring: re.Pattern) -> list[str]:
    for m in hiring.finditer(text):
        end = _SENTENCE_END.search(text, m.end())
        phrase = text[m.end() : end.start() if end else len(text)]
        listed = _parenthesized_roles(phrase)
        if listed:
            return listed
        items = [ROLE_LEAD.sub("", ROLE_TAIL.sub("", part)).strip(" ,;!").rstrip(".")
                 for part in _phrase_items(phrase)]
        # "Rust developers with a deep interest in Linux, Dev Tools, Developer Experiences": after the first
        # item, the list goes on with titles only when each ends on its role word
        roles = [role_text(item) for n, item in enumerate(items)
                 if item and good_role(item) and (n == 0 or has_role(item.split()[-1]))]
        if roles:  # "engineers, ai/ml engineers and growth/marketing": a function among titles is a role too
            return roles + [item for item in items if FUNCTION.fullmatch(item) and item not in roles]
    return []


_PARENTHETICAL = re.compile(r"\(([^()]+)\)")


def _parenthesized_roles(phrase: str) -> list[str]:
    """ "folks for our apps team (iOS engineer, product manager, front end engineer)": a parenthetical that
    lists two or more titles and nothing else names the roles of the phrase."""
    for m in _PARENTHETICAL.finditer(phrase):
        parts = [p.strip(" .") for p in re.split(_LIST_SEPARATOR, m.group(1)) if p and p.strip(" .")]
        if len(parts) >= 2 and all(good_role(p) and has_role(p.split()[-1]) for p in parts):
            return dedupe([role_text(p) for p in parts], str.lower)
    return []


_ALSO_HIRING = re.compile(r"\balso\s+(?:hiring(?:\s+for)?|looking\s+for|seeking)\s+", re.I)


_AS_A_ROLE = re.compile(
    r"\b[Aa]s an?\s+(?P<role>(?:[\w+#/.-]+\s+){0,4}?(?:engineer|developer|scientist|designer|analyst|architect|"
    r"programmer|researcher))\s*(?:,|on\b|at\b|in\b|with\b|here\b|you\b)")
