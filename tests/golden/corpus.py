"""Texts of the real postings behind the golden labels, read from the shared mirror and fixtures.

Labels are committed under tests/golden/*.csv keyed by `corpus_key`; the upstream text is never committed.
Keys: `glassdoor:<row index>` (the file's unnamed first column), `zapply:<key>` (zapply descriptions),
`hn:<comment id>` (Hacker News fixtures).
"""

from __future__ import annotations

import json
from functools import lru_cache

import polars as pl

from tests.conftest import FIXTURES, MIRROR, need


@lru_cache(maxsize=1)
def _glassdoor() -> dict[str, tuple[str, str]]:
    path = need(MIRROR / "glassdoor_ds_jobs_2020_kenjee" / "glassdoor_jobs.csv")
    frame = pl.read_csv(path, infer_schema=False)
    first = frame.columns[0]
    return {f"glassdoor:{r[first]}": (r["Job Title"], r["Job Description"]) for r in frame.iter_rows(named=True)}


@lru_cache(maxsize=1)
def _zapply() -> dict[str, tuple[str, str]]:
    out = {}
    folder = need(MIRROR / "zapply_newgrad_datascience")
    for path in sorted(folder.glob("zapply_ds_descriptions_part*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            row = json.loads(line)
            out[f"zapply:{row['key']}"] = (row.get("job_title") or "", row.get("job_description") or "")
    return out


@lru_cache(maxsize=1)
def _hn() -> dict[str, tuple[str, str]]:
    out = {}
    folder = need(FIXTURES / "hackernews")
    comments = json.loads((folder / "whoishiring_comments_2025-06.json").read_text("utf-8"))
    for cid, c in comments.items():
        out[f"hn:{cid}"] = ("", c.get("content") or "")
    cases = json.loads((folder / "whoishiring_eval_cases_2025-06.json").read_text("utf-8"))
    for case in cases["test_cases"]:
        c = case["comment"]
        out[f"hn:{c['id']}"] = ("", c.get("content") or "")
    items = json.loads((folder / "algolia_items_who_is_hiring_2026-09.trimmed.json").read_text("utf-8"))
    for child in items.get("children", []):
        if child.get("text"):
            out[f"hn:{child['id']}"] = ("", child["text"])
    return out


def corpus() -> dict[str, tuple[str, str]]:
    """corpus_key -> (title, raw description); HN posts have their title in the first line of the text."""
    return {**_glassdoor(), **_zapply(), **_hn()}


def text_of(key: str) -> tuple[str, str]:
    return corpus()[key]
