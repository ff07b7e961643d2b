"""Texts of the real postings behind the golden labels, read from the shared mirror and fixtures.

Labels are committed under tests/golden/*.csv keyed by `corpus_key`; the upstream text is never committed.
Keys: `glassdoor:<row index>` (the file's unnamed first column), `zapply:<key>` (zapply descriptions),
`hn:<comment id>` (Hacker News fixtures). `place_of` gives the location field and the source's own remote
flag, as the sources' parsers pass them to the cleaning (`location_raw`, `is_remote_hint`).
"""

from __future__ import annotations

import json
from functools import lru_cache

import polars as pl

from tests.conftest import FIXTURES, MIRROR, need


@lru_cache(maxsize=1)
def _glassdoor_rows() -> list[dict]:
    path = need(MIRROR / "glassdoor_ds_jobs_2020_kenjee" / "glassdoor_jobs.csv")
    frame = pl.read_csv(path, infer_schema=False)
    return frame.rename({frame.columns[0]: "row"}).to_dicts()


@lru_cache(maxsize=1)
def _glassdoor() -> dict[str, tuple[str, str]]:
    return {f"glassdoor:{r['row']}": (r["Job Title"], r["Job Description"]) for r in _glassdoor_rows()}


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


@lru_cache(maxsize=1)
def _places() -> dict[str, tuple[str | None, bool | None]]:
    """corpus_key -> (location field, remote flag) for Glassdoor rows and zapply postings."""
    out: dict[str, tuple[str | None, bool | None]] = {
        f"glassdoor:{r['row']}": (r["Location"], None) for r in _glassdoor_rows()}
    folder = need(MIRROR / "zapply_newgrad_datascience")
    for path in sorted(folder.glob("zapply_ds_newgrad_postings_v*.csv")):
        frame = pl.read_csv(path, infer_schema=False)
        # The same place rule as sources.zapply: the location field, else "city, state, country".
        place = pl.concat_str(["job_city", "job_state", "job_country"], separator=", ", ignore_nulls=True)
        rows = frame.select(
            "key",
            pl.coalesce("job_location", pl.when(place != "").then(place)),
            # ... and the same remote rule: the flag counts only where the place names no city
            pl.when(pl.col("job_city").fill_null("") == "").then(pl.col("job_is_remote").str.to_lowercase() == "true"),
        )
        out.update({f"zapply:{k}": (loc, hint) for k, loc, hint in rows.iter_rows()})
    return out


def place_of(key: str) -> tuple[str | None, bool | None]:
    """(location field, source remote flag) of a Glassdoor or zapply posting; (None, None) when unknown."""
    return _places().get(key, (None, None))


def corpus() -> dict[str, tuple[str, str]]:
    """corpus_key -> (title, raw description); HN posts have their title in the first line of the text."""
    return {**_glassdoor(), **_zapply(), **_hn()}


def text_of(key: str) -> tuple[str, str]:
    return corpus()[key]
