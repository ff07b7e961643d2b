"""The hackernews source's pinned files: the two post archives (2013–2018, 2026) and the peer's monthly counts,
fetched from the mirror, parsed into the same records as a live fetch, and unioned with live threads."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import polars as pl
import pytest

from marketlib import schemas
from marketlib.snapshots import latest_by_name, write_snapshot
from marketlib.sources import FetchContext, fetch_upstream_files, hn_archive, hn_seekers
from marketlib.sources import hackernews as hn
from tests.conftest import MIRROR, need

APRIL_RUNS = ("2026-04-17", "2026-04-28")
APRIL_THREAD = "47601859"


def _fetch_pinned(project, names: set[str] | None = None):
    """Snapshots of the pinned files (all, or those named), hash-checked against the mirror."""
    need(MIRROR / hn_archive.GANTRYOPS_MIRROR)
    files = tuple(f for f in hn.SOURCE.files if names is None or f.name in names)
    statuses = fetch_upstream_files(dataclasses.replace(hn.SOURCE, files=files), FetchContext(project))
    assert [s.status for s in statuses] == ["ok"] * len(files), [s.message for s in statuses]
    return latest_by_name("hackernews", project.raw_dir)


def _run_names(*runs: str) -> set[str]:
    return {f"{hn_archive.GANTRYOPS_PREFIX}{r}-raw.json" for r in runs}


def _thread_ids_in_mirror(run: str) -> list[str]:
    raw = json.loads((MIRROR / hn_archive.GANTRYOPS_MIRROR / "runs" / run / "raw.json").read_text("utf-8"))
    return [str(j["id"]) for j in raw["jobs"] if j["source"] == "who_is_hiring"]


def test_every_pinned_file_is_in_the_mirror_with_its_sha256(project):
    snaps = _fetch_pinned(project)
    assert len(snaps) == len(hn.SOURCE.files) == 62
    assert all(s.verify() for s in snaps.values())


def test_april_2026_collected_twice_counts_each_comment_once(project):
    snaps = _fetch_pinned(project, _run_names(*APRIL_RUNS))
    comments = hn_archive.archive_comments(snaps)
    ids_by_run = {run: _thread_ids_in_mirror(run) for run in APRIL_RUNS}
    assert comments.height == sum(len(v) for v in ids_by_run.values())  # both runs read ...
    expected = set().union(*ids_by_run.values())
    assert len(expected) < comments.height  # ... and they overlap
    out = hn.parse(snaps)
    posting_ids = out["postings"]["source_posting_id"].str.replace("#.*$", "").unique()
    dropped = sum(out.drop_counts().values())
    assert posting_ids.len() + dropped == len(expected)  # every unique post once: a posting or a drop
    assert set(posting_ids.to_list()) <= expected
    assert out["postings"]["posted_date"].unique().to_list() == [dt.date(2026, 4, 1)]
    assert out["postings"]["source_posting_id"].is_duplicated().sum() == 0


def test_direct_job_stories_are_not_thread_posts(project):
    snaps = _fetch_pinned(project, _run_names("2026-04-28"))
    raw = json.loads((MIRROR / hn_archive.GANTRYOPS_MIRROR / "runs/2026-04-28/raw.json").read_text("utf-8"))
    direct = {str(j["id"]) for j in raw["jobs"] if j["source"] == "direct"}
    assert direct
    ids = set(hn_archive.archive_comments(snaps)["comment_id"].to_list())
    assert ids == set(_thread_ids_in_mirror("2026-04-28")) and not ids & direct


def test_a_live_fetch_of_an_archived_thread_unions_by_comment_id_and_wins(project):
    snaps = _fetch_pinned(project, _run_names("2026-04-28"))
    archived = hn_archive.archive_comments(snaps)
    kept_id, new_id = archived["comment_id"][0], "99999999"
    children = [
        {"id": int(kept_id), "type": "comment", "author": "x", "created_at": "2026-04-01T16:00:00.000Z",
         "text": "Livecorp | Machine Learning Engineer | Boston, MA | Full-time<p>Generated live text."},
        {"id": int(new_id), "type": "comment", "author": "y", "created_at": "2026-04-02T16:00:00.000Z",
         "text": "Newco | Data Engineer | Remote (US)<p>Generated live text."},
    ]
    write_snapshot(
        "hackernews", f"thread-{APRIL_THREAD}-algolia.json",
        data=json.dumps({"id": int(APRIL_THREAD), "children": children}).encode(),
        url=f"https://hn.algolia.com/api/v1/items/{APRIL_THREAD}", http_status=200,
        extra={"hn_kind": "thread", "hn_thread_id": APRIL_THREAD, "hn_thread_kind": "hiring",
               "hn_month_date": "2026-04-01", "hn_thread_title": "Ask HN: Who is hiring? (April 2026)",
               "hn_via": "algolia"},
        raw_dir=project.raw_dir,
    )
    out = hn.parse(latest_by_name("hackernews", project.raw_dir))
    postings = out["postings"]
    mine = postings.filter(pl.col("source_posting_id") == kept_id)
    assert mine["company"].to_list() == ["Livecorp"]  # the live text, once
    assert mine["snapshot_id"][0].endswith(f"thread-{APRIL_THREAD}-algolia.json")
    assert postings.filter(pl.col("source_posting_id") == new_id).height == 1
    roots = postings["source_posting_id"].str.replace("#.*$", "").unique()
    assert roots.len() + sum(out.drop_counts().values()) == archived.height + 1
    seekers = out["seekers"].filter(pl.col("month_date") == dt.date(2026, 4, 1)).row(0, named=True)
    # A live hiring thread without its seekers thread leaves the month to the peer's complete counts.
    assert seekers["counts_from"] == "controlarm" or seekers["hiring_posts"] == 2


def test_2013_2018_archive_months_and_peer_fields_kept_apart(project):
    names = {f"{hn_archive.GAGANPREET_PREFIX}{m}.json" for m in ("2015-03", "2018-04")}
    snaps = _fetch_pinned(project, names)
    comments = hn_archive.archive_comments(snaps)
    assert sorted(comments["month_date"].unique().to_list()) == [dt.date(2015, 3, 1), dt.date(2018, 4, 1)]
    assert comments["posted_at"].null_count() == comments.height  # the archive has no time per comment
    assert comments["text"].str.contains("<p>").mean() > 0.9  # HN comment HTML, as a live fetch gives
    peer = hn_archive.peer_fields(snaps)
    assert peer.height == comments["comment_id"].n_unique()
    assert {"peer_location", "peer_country", "peer_is_remote", "peer_is_intern"} <= set(peer.columns)
    postings = hn.parse(snaps)["postings"]
    assert postings.schema == pl.Schema(schemas.RAW_POSTING_COLUMNS)  # no peer field leaks into postings
    assert postings.height > 0.5 * comments.height


def test_seekers_take_live_months_and_the_peer_elsewhere(project):
    snaps = _fetch_pinned(project, {f.name for f in hn_seekers.upstream_files()})
    month = dt.date(2025, 3, 1)
    live = [{"month_date": month, "thread_id": "1", "seekers": 7, "hiring_posts": 3, "snapshot_id": "s"},
            {"month_date": dt.date(2030, 1, 1), "thread_id": "2", "seekers": None, "hiring_posts": 5,
             "snapshot_id": "s"}]
    table = schemas.validate("seekers", hn_seekers.seekers_table(live, snaps))
    assert table["month_date"].is_duplicated().sum() == 0
    peer = hn_seekers.peer_counts(snaps)
    assert peer.height >= 140 and table.height == peer.height + 1  # March 2025 replaced, 2030 added
    row = table.filter(pl.col("month_date") == month).row(0, named=True)
    assert (row["seekers"], row["hiring_posts"], row["counts_from"]) == (7, 3, "live_fetch")
    others = table.filter(pl.col("counts_from") == "controlarm")
    assert others["thread_id"].null_count() == others.height and others["seekers"].min() > 0
    # Seekers outnumber hiring posts from 2023-04 on (the peer's description of its file), not in 2014-2015.
    ratio = (pl.col("seekers") / pl.col("hiring_posts")).median()
    assert others.filter(pl.col("month_date") >= dt.date(2023, 4, 1)).select(ratio).item() > 1
    assert others.filter(pl.col("month_date") < dt.date(2016, 1, 1)).select(ratio).item() < 1


@pytest.mark.parametrize("file", ["volume.csv", "keyword_share.csv"])
def test_peer_monthly_files_read(project, file):
    snaps = _fetch_pinned(project, {f"{hn_seekers.CONTROLARM_PREFIX}{file}"})
    if file == "volume.csv":
        volume = hn_seekers.peer_volume(snaps)
        assert volume["month_date"].min() == dt.date(2011, 4, 1) and volume["peer_hiring_posts"].min() > 0
    else:
        shares = hn_seekers.peer_keyword_shares(snaps)
        assert shares["keyword"].n_unique() == 51
        assert shares["share_pct"].is_between(0, 100).all()


def test_a_damaged_archive_snapshot_is_one_user_error_naming_it(project):
    from marketlib.errors import UserError

    write_snapshot("hackernews", f"{hn_archive.GAGANPREET_PREFIX}2015-03.json", data=b'[{"url": "x"',
                   raw_dir=project.raw_dir)
    with pytest.raises(UserError, match=r"hackernews/.*gaganpreet-2015-03.json is not readable JSON"):
        hn.parse(latest_by_name("hackernews", project.raw_dir))
