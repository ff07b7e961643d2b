"""Texts of the Hacker News posts behind tests/golden/hn_posts.csv, read from the two archives in the mirror.

Keys are HN comment ids. The 2026 archive (gantryops) holds the January–April 2026 threads (`source ==
"who_is_hiring"` only: "direct" job stories are not thread posts); the 2013–2018 archive (gaganpreet) one JSON
array per month. The texts are never committed; only ids and labelled fields are.
"""

from __future__ import annotations

import json
from functools import lru_cache

from tests.conftest import MIRROR, need

ARCHIVE_2026 = "hackernews_hiring_2026_gantryops"
ARCHIVE_2013 = "hackernews_hiring_2013_2018_gaganpreet"


@lru_cache(maxsize=1)
def posts_2026() -> dict[str, str]:
    out: dict[str, str] = {}
    for raw in sorted(need(MIRROR / ARCHIVE_2026 / "runs").glob("*/raw.json")):
        for job in json.loads(raw.read_text("utf-8"))["jobs"]:
            if job.get("source") == "who_is_hiring" and job.get("text"):
                out.setdefault(str(job["id"]), job["text"])  # the April thread is in two runs: count it once
    return out


@lru_cache(maxsize=1)
def posts_2013_2018() -> dict[str, str]:
    out: dict[str, str] = {}
    for month in sorted(need(MIRROR / ARCHIVE_2013 / "monthly").glob("*.json")):
        for post in json.loads(month.read_text("utf-8")):
            if post.get("full_html"):
                out.setdefault(post["url"].rsplit("id=", 1)[-1], post["full_html"])
    return out


def hn_texts() -> dict[str, str]:
    """comment id -> the comment's HTML, both archives."""
    return {**posts_2013_2018(), **posts_2026()}
