"""Role titles in a Hacker News post: which words make a title, one header field holding several roles, and the
roles a post's body lists when its header names none (a list after an intro line, an inline list, or one
"hiring a <role>" phrase).
"""

from __future__ import annotations

import re

from marketlib.clean.text import split_links

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


def _trie_pattern(words: list[str]) -> str:
    """One regex for many literal words that branches letter by letter (Python's re tries every alternative
    at every position; a trie makes the role check over long posts several times faster)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return emit(trie)


def _literal_words(pattern: str) -> tuple[list[str], list[str]]:
    """ROLE_WORDS alternatives as literal words ("engineers?" -> engineer, engineers) and the rest as regex."""
    words, other = [], []
    for alt in pattern.split("|"):
        if re.fullmatch(r"[a-z ]+s\?", alt):
            words += [alt[:-2], alt[:-1]]
        elif re.fullmatch(r"[a-z ]+", alt):
            words.append(alt)
        else:
            other.append(alt)
    return words, other


_WORDS, _OTHER = _literal_words(ROLE_WORDS)
# Matched on lower-cased text: a case-insensitive regex is several times slower on long posts.
_ROLE = re.compile(rf"\b(?:{_trie_pattern(_WORDS)}{''.join('|' + o for o in _OTHER)})\b")


def has_role(text: str) -> bool:
    """The text names a role ("Senior ML Engineer", "data scientists", "Head of Data")."""
    return _ROLE.search(text.lower()) is not None
MULTIPLE_ROLES = re.compile(
    r"^(?:multiple|many|several|various|lots of|all|numerous|open|other)\s+(?:open\s+)?"
    r"(?:roles|positions|openings|jobs|engineering roles|engineering positions)\b",
    re.I,
)


BULLET_LINE = re.compile(r"^\s*(?:--?|–|—|\*|•|·|\d{1,2}[.)])\s*(.+)$")

def split_roles(text: str) -> list[str]:
    """One field holding several roles (comma, semicolon, spaced slash or "and" separated) when every part is
    a role: "Software Engineer / Data Engineer / ML Engineer", "HPC Leader and Software Engineering Leader"."""
    text = re.sub(r"^(?:job|role|position)s?:\s*", "", text.strip(), flags=re.I)
    for separator in (r"\s*[;,]\s*(?:and\s+)?", r"\s+/\s+", r"\s+and\s+"):
        parts = [p.strip(" .") for p in re.split(separator, text) if p.strip(" .")]
        if len(parts) > 1 and all(has_role(p) for p in parts):
            return parts
    return [text.strip(" .")]



def dedupe(items) -> list[str]:
    seen, out = set(), []
    for item in items:
        key = item.lower()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out




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


_MAX_BLOCKS = 60  # roles are listed near the top; the rest of a long post is description


def _blocks(body_html: str) -> list[str]:
    parts = re.split(r"\n|<p\b[^>]*>|</p>|<br\s*/?>", body_html, flags=re.I)
    return [text for text in (split_links(part)[0] for part in parts[: 2 * _MAX_BLOCKS]) if text]


def role_text(item: str) -> str:
    item = re.split(r":\s|:$|\s+[-–—|]\s+|\s+\(\s*https?://", item.strip())[0]
    item = re.sub(r"^(?:an?|one|two|three|our)\s+", "", item.strip(), flags=re.I)
    # A long parenthetical is a note ("(with a passion for Systems, 60-100k EUR)"), a short one is part of it.
    item = re.sub(r"\s*\((?:[^)\s]+\s+){3,}[^)]*\)|\s*\([^)]*\d[^)]*\)", "", item)
    return item.strip(" .!;,:*")


def _good_role(item: str) -> bool:
    return (
        has_role(item)
        and 1 <= len(item.split()) <= 10
        and not _NOT_ROLE_ITEM.search(item)
        and not item.lower().startswith(("you ", "we ", "strong", "must", "work ", "ability"))
    )


def _list_after(blocks: list[str]) -> list[str]:
    """Role-like lines (bulleted or not) right after an intro line, up to the first line that is not one."""
    roles = []
    for block in blocks:
        bullet = BULLET_LINE.match(block)
        item = role_text(bullet.group(1) if bullet else block)
        if not _good_role(item):
            break
        roles.append(item)
    return roles


def roles_from_body(body_html: str) -> list[str]:
    """Roles named in the body: a list after an intro line, an inline list, or 'hiring a <role>'."""
    blocks = _blocks(body_html)[:_MAX_BLOCKS]
    roles: list[str] = []
    for i, block in enumerate(blocks):
        intro = _INTRO.search(block) if ":" in block else None
        heading = block.endswith(":") and len(block.split()) <= 8
        if not (intro or heading) or _NOT_ROLE_INTRO.search(block.split(":")[0][-60:]):
            continue
        inline = (intro.group("inline") or "").strip() if intro else ""
        if inline:
            items = [role_text(x) for x in re.split(r"\s+[-–—•]\s+|;\s*", inline)]
            roles.extend(x for x in items if _good_role(x))
        else:
            roles.extend(_list_after(blocks[i + 1 :]))
        if roles:
            break
    roles = roles or _role_lines(blocks)
    if not roles:
        m = _HIRING_A.search(" ".join(blocks))
        if m and _good_role(m.group("role")):
            roles.append(role_text(m.group("role")))
            # "hiring full stack engineers, ai/ml engineers and growth/marketing": the list goes on
            rest = re.split(r"[.!?:]\s", " ".join(blocks)[m.end():], maxsplit=1)[0]
            for item in re.split(r",\s*(?:and\s+)?|\s+and\s+", rest)[1:]:
                if _good_role(role_text(item)):
                    roles.append(role_text(item))
    return dedupe(roles)


def _role_lines(blocks: list[str]) -> list[str]:
    """Lines that advertise one role each, anywhere in the body: "- Senior Backend Engineer | SF | $170-225k",
    "1. Staff Engineer: https://...", "Data Scientist:" as a heading. A line that is neither short nor split by
    pipes or a link is prose or a requirement, not a role."""
    roles = []
    for block in blocks:
        bullet = BULLET_LINE.match(block)
        line = bullet.group(1) if bullet else block
        short = len(line.split()) <= 8
        if not ((bullet and short) or " | " in line or (block.endswith(":") and short)) or not has_role(line):
            continue
        item = role_text(line)
        if len(item.split()) <= 6 and _good_role(item):
            roles.append(item)
    return roles
