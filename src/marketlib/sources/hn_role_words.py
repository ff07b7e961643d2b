"""Which words make a role title in a Hacker News post, matched fast over long posts (one trie regex); the noun
a full title ends on; the team functions named among titles."""

from __future__ import annotations

import re

ROLE_WORDS = (
    r"engineers?|engineering|developers?|devs?|scientists?|researchers?|managers?|designers?|analysts?|"
    r"architects?|programmers?|swes?|sres?|mles?|devops|leads?|head of|director|vp|cto|cfo|coo|"
    r"intern|interns|pms|"
    r"founding|consultants?|specialists?|administrators?|technicians?|recruiters?|writers?|experts?|"
    r"hackers?|statisticians?|economists?|tester|testers|qa|product owner|scrum master|generalists?|"
    r"chief \w+ officer|staff|principal|stagiaire|werkstudent|ingenieur|entwickler|biologists?|chemists?|"
    r"physicists?|mathematicians?|linguists?|accountants?|attorneys?|counsel|marketers?|strategists?|"
    r"coordinators?|assistants?|advocates?|representatives?|account executives?|operators?|"
    r"eng|engs|coders?|associates?|auditors?|co-?founders?|data science|admins?|sysadmins?|instructors?"
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


_HACKER_NEWS = re.compile(r"hacker[\s-]*news")


def has_role(text: str) -> bool:
    """The text names a role ("Senior ML Engineer", "data scientists", "Head of Data"); the "hacker" of
    "Hacker News" is none ("mention Hacker News", "good luck, hacker-news friends")."""
    text = text.lower()
    if "hacker" in text:
        text = _HACKER_NEWS.sub(" ", text)
    return _ROLE.search(text) is not None


# The noun a title ends on; "Staff:", "Principal:" or "Lead" alone name a level, not a job
_TITLE_HEAD = re.compile(
    r"\b(?:engineers?|developers?|devs?|scientists?|researchers?|managers?|designers?|analysts?|architects?|"
    r"programmers?|administrators?|writers?|recruiters?|specialists?|consultants?|interns?|executives?|"
    r"directors?|marketers?|sres?|swes?|cto|vp|head of|co-?founders?|data science|"
    r"instructors?)\b(?!-)",  # not "CTO-level"
    re.I)


def is_title(role: str) -> bool:
    """A job title ("Senior Data Engineer"), not a team or a level ("Software Engineering", "Staff")."""
    return len(role.split()) >= 2 and _TITLE_HEAD.search(role) is not None


# A team's function named among titles ("engineers, ai/ml engineers and growth/marketing")
FUNCTION = re.compile(
    r"(?:(?:growth|marketing|sales|design|operations|ops|finance|recruiting|customer success|business development|"
    r"bizdev|gtm)(?:\s*/\s*|\s+|$))+", re.I)
