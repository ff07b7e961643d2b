"""Hacker News items of every upstream shape -> the same comment records, and the monthly thread titles.

Adapters: Algolia `items/<id>` threads, Firebase `item/<id>` bodies and news.ycombinator.com item pages each
become {comment_id, is_top_level, text, posted_at, author, is_deleted, is_dead}; `hn_parse` then splits a
comment's text into raw posting fields.
"""

from __future__ import annotations

import datetime as dt
import re

from marketlib.clean.text import html_line

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


def _top_level(item: dict, comment_id, time_key: str, author_key: str, deleted: bool) -> dict:
    """A top-level comment record from an API item (Algolia and Firebase name time and author differently)."""
    return _record(comment_id, True, item.get("text"), parse_hn_time(item.get(time_key)), item.get(author_key),
                   deleted, item.get("dead", False))


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
        out.append(_top_level(child, child.get("id"), "created_at", "author", deleted))
    return out


def comments_from_firebase(kids: list[tuple[int | str, dict | None]]) -> list[dict]:
    """Top-level comments from Firebase `item/<kid>.json` bodies (kids of the story); a null body (item not
    found) counts as deleted."""
    out = []
    for kid_id, item in kids:
        item = item if isinstance(item, dict) else {}
        deleted = item.get("deleted", False) or not item
        out.append(_top_level(item, item.get("id", kid_id), "time", "by", deleted))
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
        body_text = html_line(text or "").lower()
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
