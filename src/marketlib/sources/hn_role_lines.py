"""What a role's own pipe-separated line in a post's body adds besides its title: remote, a salary."""

from __future__ import annotations

import re
from dataclasses import dataclass

from marketlib.clean.salary import MONEY_HINT, StatedSalary, parse_stated_salary
from marketlib.sources.hn_roles import BULLET_LINE, MAX_BLOCKS, body_blocks, role_text

_REMOTE_WORD = re.compile(r"\bremote\b", re.I)
_NOT_REMOTE = re.compile(r"\b(?:no|not|non)[- ]remote\b|\bremote\s+(?:not|negotiable)\b", re.I)


@dataclass(frozen=True)
class RoleLine:
    """What a role's own line in the body says besides its title."""
    remote: bool = False
    salary: StatedSalary | None = None


def role_lines(body_html: str, roles: list[str]) -> dict[str, RoleLine]:
    """Roles whose own pipe-separated line in the body offers remote work or states a salary: "- Founding Sales
    Engineer | New York / Remote | $180-220k", "2. Software Engineer | 120k - 160k Base Salary | <link>"; a
    "Title: pay" line states a salary only ("* Software Engineer (SF): 100-120k, 0.1% equity")."""
    wanted = {role.lower(): role for role in roles}
    found: dict[str, RoleLine] = {}
    for block in body_blocks(body_html)[:MAX_BLOCKS]:
        bullet = BULLET_LINE.match(block)
        line = bullet.group(1) if bullet else block
        title, *fields = line.split(" | ")
        piped = bool(fields)
        if not piped and ": " in line:
            title, pay = line.split(": ", 1)
            fields = [pay] if len(pay.split()) <= _MAX_PAY_WORDS and _names_pay(pay) else []
        role = wanted.get(role_text(title).lower()) if fields else None
        if role is None or role in found:
            continue
        rest = " | ".join(fields)
        salary = next((s for s in map(parse_stated_salary, fields) if s is not None), None)
        remote = piped and bool(_REMOTE_WORD.search(rest)) and not _NOT_REMOTE.search(rest)
        if remote or salary:
            found[role] = RoleLine(remote, salary)
    return found


_MAX_PAY_WORDS = 8  # "Data Scientist: we pay 120k and you'll ..." is prose, not the role's pay
_THOUSANDS = re.compile(r"\d\s*k\b", re.I)


def _names_pay(text: str) -> bool:
    """ "100-120k, 0.1% equity", "$90,000": money, not "Internship Summer 2017" or a link's job number."""
    return bool(MONEY_HINT.search(text) or _THOUSANDS.search(text))
