"""Role titles in a Hacker News post (the words that make one are in hn_role_words): one header field holding
several roles, the roles a post's body lists (a list after an intro line, an inline list, role lines, titled
paragraphs); the titles a prose sentence names are read by hn_role_phrases.
"""

from __future__ import annotations

import re
from functools import lru_cache

from marketlib.clean.text import split_links
from marketlib.sources.hn_role_words import FUNCTION, has_role, is_title

MULTIPLE_ROLES = re.compile(
    r"^(?:multiple|many|several|various|lots of|all|numerous|open|other)\s+(?:open\s+)?"
    r"(?:roles|positions|openings|jobs|engineering roles|engineering positions)\b"
    # "Tech and Research roles", "Engineering positions": teams, not titles
    r"|^(?:[\w/&-]+\s+){0,3}(?:roles|positions|openings)$",
    re.I,
)
# "Hiring Eng, Product, GTM": a header field naming teams; the titles are listed below it
HIRING_TEAMS = re.compile(r"^(?:now\s+|we'?re\s+|we\s+are\s+)?hiring(?:\s+for)?\s+(?P<teams>.+)$", re.I)


# "Platform engineer. Be responsible for ...": a title ends at its sentence ("Sr. Engineer" does not)
_TITLE_END = re.compile(r"(?<![A-Z][a-z])(?<![A-Z])\.\s+(?=[A-Za-z])")
BULLET_LINE = re.compile(r"^\s*(?:--?|–|—|\*|•|·|\d{1,2}[.)]|\[\d{1,2}\])\s*(.+)$")

def split_roles(text: str) -> list[str]:
    """One field holding several roles (comma, semicolon, spaced slash, "and" or "+" separated) when every part is
    a role: "Software Engineer / Data Engineer / ML Engineer", "HPC Leader and Software Engineering Leader"."""
    text = re.sub(r"^(?:job|role|position)s?:\s*", "", text.strip(), flags=re.I)
    text = _AND_MORE.sub("", text)
    first = _TITLE_END.split(text, maxsplit=1)[0]  # "Full-Stack Developer. webRTC experience is a plus."
    text = first if has_role(first) else text
    for separator in (r"\s*[;,]\s*(?:and\s+)?", r"\s+/\s+", r"\s+and\s+", r"\s+\+\s+"):
        parts = [p.strip(" .") for p in re.split(separator, text) if p.strip(" .")]
        named = [p for p in parts if has_role(p)]
        # a team's function may stand among the titles ("iOS Engineer, Computer Vision Engineer, Business
        # Development"); it stays out of the roles
        if len(named) > 1 and all(p in named or FUNCTION.fullmatch(p) for p in parts):
            return named
    # "Founding Engineers & GTM", "Data Scientist & ML Engineer": a full title, then other roles or a function
    # ("Growth & Partnerships Lead", "Design & Front End Developer", "VP of Sales & Marketing" are one title)
    parts = [p.strip(" .") for p in text.split(" & ")]
    if (len(parts) > 1 and is_title(parts[0]) and "," not in parts[0] and not _LEADER.match(parts[0])
            and all(has_role(p) or FUNCTION.fullmatch(p) for p in parts[1:])):
        return parts
    return [_WANTED.sub("", text.strip(" ."))]


_LEADER = re.compile(r"^(?:head of|director|vp|chief|svp|evp)\b", re.I)  # "Head of Content & AdTech Engineering"


# "Software Engineers, PMs, and more": the open end of a list names no role
_AND_MORE = re.compile(r"(?:,\s*|\s+)(?:(?:and|&|\+)\s+(?:many\s+)?(?:more|others)|etc\.?)\s*[.!]*$", re.I)
_WANTED = re.compile(r"\s+(?:wanted|needed)$", re.I)  # "Founding Engineer Wanted"



def dedupe(items, key=str.lower) -> list[str]:
    seen, out = set(), []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            out.append(item)
    return out


def title_key(title: str) -> str:
    """A title compared singular or plural alike: "Support Engineers" (header) is "Support Engineer" (body)."""
    return re.sub(r"s$", "", " ".join(title.lower().split()))




_INTRO = re.compile(
    r"(?:openings|open roles|positions|roles|hiring for|looking for|hiring|hire|vacancies|jobs|"
    r"rollen|stellen|"
    r"we need|seeking)\b[^:]{0,80}:(?:\s+(?P<inline>.*))?$",
    re.I,
)
# Headings before a list that is not a list of jobs.
_NOT_ROLE_INTRO = re.compile(
    r"\b(?:requirements?|qualifications?|responsibilit\w*|skills|benefits|perks|stack|"
    r"about|must|nice to have|bonus|tech|offer|what you|you|your|ideal\w*|like|contact|email|apply|send|note)\b",
    re.I,
)
_NOT_ROLE_ITEM = re.compile(  # a requirement, or an interview step ("tech screening with CTO ~45 minutes")
    r"\d+\+?\s*(?:years|yrs)|\bexperience\b|\bknowledge\b|\bfamiliar|\bproficien|\binterviews?\b|\bscreening\b",
    re.I)
# What follows the role in "engineers to help us scale", "a designer who loves type", "devs (remote ok)"
# ("Ruby on Rails developer", "junior to mid-level developer" keep their "on" and "to")
_CLAUSE = (r"\s+(?:to(?!\s+(?:mid|senior|sr|junior|jr|staff|lead|principal)\b)|who|which|that|with|for|in|at|"
           r"on(?!\s+rails\b)|from|based|joining|this|able|willing|interested|looking|wanting|eager|ready|excited|"
           r"focused|responsible|comfortable|as\s+well(?!\s+as\b))\b.*|"
           r"\s+(?:strong|skilled|experienced|proficient|fluent|versed)\s+(?:at|in|with)\b.*")
ROLE_TAIL = re.compile(_CLAUSE + r"|\s*\(.*", re.I)
_LIST_ITEM_TAIL = re.compile(_CLAUSE, re.I)
# Words before a title that praise or count rather than name it ("strong", "a few great", "full-time")
ROLE_LEAD = re.compile(
    r"^(?:(?:an?|the|one|two|three|four|five|several|multiple|some|few|more|additional|our|first|new|"
    r"couple|of|strong|great|talented|experienced|passionate|smart|exceptional|amazing|awesome|motivated|"
    r"skilled|top|brilliant|driven|curious|local|remote|full[- ]?time|part[- ]?time)\s+)+",
    re.I,
)


MAX_BLOCKS = 60  # roles are listed near the top; the rest of a long post is description


@lru_cache(maxsize=8)  # one post's body is read for its roles, then for what its role lines add
def body_blocks(body_html: str) -> tuple[str, ...]:
    parts = re.split(r"\n|<p\b[^>]*>|</p>|<br\s*/?>", body_html, flags=re.I)
    return tuple(text for text in (split_links(part)[0] for part in parts[: 2 * MAX_BLOCKS]) if text)


def _without_clause(item: str) -> str:
    """A listed title without what follows it, keeping a parenthetical whole ("Computer Vision developers
    (Focus on SLAM)")."""
    for m in _LIST_ITEM_TAIL.finditer(item):
        if item.count("(", 0, m.start()) == item.count(")", 0, m.start()):
            return item[: m.start()]
    return item


def bullet_title(item: str) -> str:
    """The title a bulleted line starts with: "Platform engineer. Be responsible for ..." -> Platform engineer."""
    return role_text(_TITLE_END.split(item.strip(), maxsplit=1)[0])


def role_text(item: str) -> str:
    item = re.sub(r"\(\s*\)", " ", item)  # "Full-Stack Developer ( <link> ): ..." once the link is gone
    item = re.split(r":\s|:$|\s+[-–—|→]\s+|\s+[-–—→]$|\s+\(\s*https?://", item.strip())[0]
    item = re.sub(r"^(?:(?:an?|one|two|three|our|the|first|second|third|next)\s+)+", "", item.strip(), flags=re.I)
    # A long parenthetical is a note ("(with a passion for Systems, 60-100k EUR)"), a short one is part of it.
    item = re.sub(r"\s*\((?:[^)\s]+\s+){3,}[^)]*\)|\s*\([^)]*\d[^)]*\)", "", item)
    return _WANTED.sub("", item.strip(" !;,:*-–—")).rstrip(".")  # ".NET developer" keeps its dot


# A requirement or a sentence, not a title: "Looking for our first engineering hires", "Led an engineering team"
_NOT_TITLE_START = ("you ", "we ", "strong", "must", "work ", "ability", "looking ", "seeking ", "hiring ", "join ",
                    "help ", "led ", "built ", "worked ", "managed ", "shipped ", "designed ", "are ", "if ", "i ",
                    "i'm ", "my ", "no ", "as ", "view ", "see ", "apply ", "on ")


def _signed(item: str) -> bool:
    """ "Jane Doe, Co-Founder & CTO": a name before the comma, a signature rather than an opening."""
    name, comma, _ = item.partition(", ")
    return bool(comma) and not has_role(name) and len(name.split()) <= 3 and name.istitle()


def good_role(item: str) -> bool:
    return (
        has_role(item)
        and not _signed(item)
        and not re.search(r"\s(?:is|are|was|were)\s", item)  # "Acme is a small engineering team"
        and "hiring manager" not in item.lower()
        and 1 <= len(item.split()) <= 10
        and not _NOT_ROLE_ITEM.search(re.sub(r"\([^)]*\)", "", item))  # not "Product Manager (Game Experience)"
        and not item.lower().startswith(_NOT_TITLE_START)
    )


def _list_after(blocks: list[str]) -> list[str]:
    """Role-like lines (bulleted or not) right after an intro line, up to the first line that is not one."""
    roles = []
    for block in blocks:
        bullet = BULLET_LINE.match(block)
        item = bullet_title(bullet.group(1)) if bullet else role_text(block)
        # "Platform Engineers to continue improving our core infrastructure: <link>"
        item = role_text(_without_clause(item))
        if good_role(item) or (bullet and roles and FUNCTION.fullmatch(item)):
            roles.append(item)  # "* Sales: we need our second rep" among "* Engineering: ..." is a role too
        elif not (bullet and roles):  # "- Routing. We're reinventing ..." among titled bullets: a team, go on
            break
    return roles


def listed_roles(body_html: str) -> list[str]:
    """Roles the body lists (after an intro line, or one per line), not those of a prose sentence: what a
    header naming a team ("Full-Stack Engineering") or a few titles leaves out. Only full titles count
    ("Engineers: ex-Google, ex-Apple" describes the team)."""
    return [role for role in listed_roles_in(body_blocks(body_html)[:MAX_BLOCKS]) if is_title(role)]


def listed_roles_in(blocks: list[str]) -> list[str]:
    roles: list[str] = []
    for i, block in enumerate(blocks):
        intro = _INTRO.search(block) if ":" in block else None
        # a bulleted line is an item, never the intro of a list ("* Product Manager (Game Experience):")
        heading = block.endswith(":") and len(block.split()) <= 8 and not BULLET_LINE.match(block)
        if heading and not intro and good_role(role_text(block)):
            continue  # "Senior Robotics Software Engineer:" above its link is a role line, not an intro
        if not (intro or heading) or _NOT_ROLE_INTRO.search(block.split(":")[0][-60:]):
            continue
        inline = (intro.group("inline") or "").strip() if intro else ""
        if inline:
            # "Roles: Senior/Junior Software Engineer, Engineer in Test / QA, Support Engineer"; an item that runs
            # on into sentences is prose ("a dev manager! My zone needs ...") and stays whole
            items = [role_text(part) for x in re.split(r"\s+[-–—•]\s+|;\s*", inline)
                     for part in (split_roles(x) if not re.search(r"[.!?]\s", x) else [x])]
            roles.extend(x for x in items if good_role(x))
        else:
            roles.extend(_list_after(blocks[i + 1 :]))
        if roles:
            break
    return dedupe(roles or _role_lines(blocks))


def clause_title(text: str) -> str | None:
    """The title a prose line starts with: "Clojure developer, based in Chicago, for a large firm" -> Clojure
    developer (None when the line starts with something else)."""
    title = role_text(ROLE_LEAD.sub("", _without_clause(text.split(", ")[0])))
    return title if good_role(title) and len(title.split()) <= 6 else None


# "Front-End Developer: We're entirely web-based", "Software Engineer, Web - Along with Facebook and ..."
_TITLED_PARAGRAPH = re.compile(r"^((?:[\w+#./&(),-]+\s+){0,5}[\w+#./&()-]+)(?::\s+|\s+[-–—]\s+)\S")


def _role_lines(blocks: list[str]) -> list[str]:
    """Lines that advertise one role each, anywhere in the body: "- Senior Backend Engineer | SF | $170-225k",
    "1. Staff Engineer: https://...", "Data Scientist:" as a heading. A line that is neither short nor split by
    pipes or a link is prose or a requirement, not a role."""
    roles = []
    for block in blocks:
        if not has_role(block):
            continue  # most lines name no role: the cheap check first
        bullet = BULLET_LINE.match(block)
        line = bullet.group(1) if bullet else block
        short = len(line.split()) <= 8
        # "Data Scientist:" as a heading, "Senior ML Scientist - <link>" once the link is gone
        ends_open = block.rstrip().endswith((":", " -", " –", " —"))
        titled = _TITLED_PARAGRAPH.match(line)  # "Front-End Developer: We're entirely web-based ..."
        if titled and not _NOT_ROLE_INTRO.search(titled.group(1)):
            line = titled.group(1)
        elif not ((bullet and short) or " | " in line or (ends_open and short)) or not has_role(line):
            continue
        item = bullet_title(line) if bullet else role_text(line)
        if len(item.split()) <= 6 and good_role(item):
            roles.append(item)
    return roles
