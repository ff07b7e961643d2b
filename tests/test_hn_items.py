"""`marketlib clean FILE --format hn`: HN items (JSONL, JSON array, Algolia thread, a gantryops raw.json run) ->
one cleaned posting per advertised role, dated by thread month; malformed lines reported by number, others kept."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import polars as pl

from marketlib import schemas
from marketlib.hn_items import read_hn_items
from tests.conftest import MIRROR, need

# Generated items in the HN API shape (not real posts). 1775060837 = 2026-04-01 16:27 UTC.
ITEMS = [
    {"id": 47975619, "by": "a", "time": 1775060837,
     "text": "Acme AI | Machine Learning Engineer, Data Engineer | Boston, MA | Full-time | $150k-$180k"
             "<p>We train large language models. 3+ years of Python required."},
    {"id": 47975620, "by": "b", "time": 1775060900,
     "text": "Betaworks | Data Scientist | Remote (US)<p>Forecasting demand with time series models."},
    {"id": 47975621, "text": "Thanks for posting!"},
]


def run_clean(*args):
    return subprocess.run([sys.executable, "-m", "marketlib.cli", "clean", *args], capture_output=True,
                          text=True, env=dict(os.environ))


def _jsonl(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_with_a_malformed_line_reports_its_number_and_keeps_the_others(project, tmp_path):
    given = _jsonl(tmp_path / "posts.jsonl", [json.dumps(ITEMS[0]), '{"id": 5, "text": "broken', json.dumps(ITEMS[1])])
    out = tmp_path / "out.parquet"
    result = run_clean(str(given), "--format", "hn", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "line 2" in result.stderr and "Traceback" not in result.stderr
    frame = pl.read_parquet(out)
    assert frame["source_posting_id"].to_list() == ["47975619#1", "47975619#2", "47975620"]
    assert frame["title"].to_list() == ["Machine Learning Engineer", "Data Engineer", "Data Scientist"]
    assert frame["posted_date"].unique().to_list() == [dt.date(2026, 4, 1)]  # the thread month
    assert set(schemas.TABLES["postings"]) <= set(frame.columns)
    first = frame.row(0, named=True)
    assert first["metro_code"] == "14460" and first["salary_min_usd"] == 150_000  # the whole cleaning ran
    assert frame.filter(pl.col("title") == "Data Scientist")["is_remote"].to_list() == [True]


def test_json_array_and_an_item_without_id(project, tmp_path):
    given = tmp_path / "items.json"
    given.write_text(json.dumps([ITEMS[1], {"text": "no id"}, ITEMS[2]]), encoding="utf-8")
    warnings = []
    raw = read_hn_items(given, warnings.append)
    assert raw["source_posting_id"].to_list() == ["47975620"]
    assert any("item 2" in w for w in warnings)  # the item without id, by position
    assert any("not a job post" in w for w in warnings)  # the thank-you comment gave no posting


def test_algolia_thread_is_dated_by_its_title(project, tmp_path):
    thread = {"id": 1, "title": "Ask HN: Who is hiring? (March 2026)", "children": [
        {"id": 11, "type": "comment", "author": "a", "created_at": "2026-04-03T10:00:00.000Z",
         "text": ITEMS[1]["text"], "children": [{"id": 12, "type": "comment", "text": "a reply"}]},
    ]}
    given = tmp_path / "thread.json"
    given.write_text(json.dumps(thread), encoding="utf-8")
    raw = read_hn_items(given, lambda _m: None)
    assert raw["source_posting_id"].to_list() == ["11"]  # the reply is not a post
    assert raw["posted_date"].to_list() == [dt.date(2026, 3, 1)]  # a late post keeps its thread's month


def test_gantryops_raw_json_run_from_the_mirror(project, tmp_path):
    run = need(MIRROR / "hackernews_hiring_2026_gantryops" / "runs" / "2026-04-28" / "raw.json")
    raw = read_hn_items(run, lambda _m: None)
    jobs = json.loads(run.read_text("utf-8"))["jobs"]
    thread_ids = {str(j["id"]) for j in jobs if j["source"] == "who_is_hiring"}
    roots = set(raw["source_posting_id"].str.replace("#.*$", "").to_list())
    assert roots <= thread_ids and len(roots) > 0.6 * len(thread_ids)
    assert raw["posted_date"].unique().to_list() == [dt.date(2026, 4, 1)]


def test_user_errors_are_one_sentence_with_exit_2(project, tmp_path):
    empty = _jsonl(tmp_path / "empty.jsonl", ["not json at all"])
    result = run_clean(str(empty), "--format", "hn", "-o", str(tmp_path / "o.parquet"))
    assert result.returncode == 2 and "holds no Hacker News items" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "o.parquet").exists()
    result = run_clean(str(empty), "--format", "xml", "-o", str(tmp_path / "o.parquet"))
    assert result.returncode == 2 and "Unknown --format" in result.stderr
