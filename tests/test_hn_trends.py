"""HN trends: the project's monthly post counts and "machine learning" share agree with the peer's counts
(controlarm) on every overlapping month within the stated tolerance; per-post measures count a post once."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from marketlib.analysis import hn_trends
from marketlib.config import get_settings
from marketlib.snapshots import latest_by_name
from marketlib.sources import FetchContext, fetch_upstream_files
from marketlib.sources import hackernews as hn
from marketlib.sources.hn_seekers import held_months, peer_keyword_shares, peer_volume
from tests.conftest import MIRROR, need


@pytest.fixture(scope="module")
def agreement(tmp_path_factory):
    need(MIRROR / "hn_monthly_counts_controlarm")
    root = tmp_path_factory.mktemp("hn_trends")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MARKETLIB_ROOT", str(root))
        mp.setenv("MARKETLIB_MIRROR_DIRS", str(MIRROR))
        mp.setenv("MARKETLIB_OFFLINE", "1")
        (root / "marketlib.toml").write_text("")
        get_settings.cache_clear()
        settings = get_settings()
        statuses = fetch_upstream_files(hn.SOURCE, FetchContext(settings))
        assert all(s.status == "ok" for s in statuses)
        snaps = latest_by_name("hackernews", settings.raw_dir)
        held = held_months(hn.hiring_comments(snaps)).rename({"held_posts": "posts", "held_ml_posts": "ml_posts"})
        yield hn_trends.peer_agreement(held, peer_volume(snaps), peer_keyword_shares(snaps))
    get_settings.cache_clear()


def test_monthly_counts_and_machine_learning_share_agree_with_the_peer(agreement):
    full = agreement.filter(~pl.col("is_partial_month"))
    # 51 full archive months the peer also counts (it has no 2015-04, 2015-05) and 2026-01 … 2026-04
    assert full.height >= 55
    assert {m.year for m in full["month_date"]} == {2013, 2014, 2015, 2016, 2017, 2018, 2026}
    failures = hn_trends.agreement_failures(agreement)
    print(f"\nHN vs peer: {full.height} months, median count ratio {full['count_ratio'].median():.3f} "
          f"(range {full['count_ratio'].min():.3f}–{full['count_ratio'].max():.3f}); 'machine learning' share "
          f"gap median {(full['ml_pct'] - full['peer_ml_pct']).abs().median():.2f} pp, max "
          f"{(full['ml_pct'] - full['peer_ml_pct']).abs().max():.2f} pp")
    assert failures == []


def test_the_check_fails_when_a_month_loses_posts_or_its_ml_posts(agreement):
    month = agreement.filter(~pl.col("is_partial_month"))["month_date"][10]
    held = agreement.select("month_date", "posts", "ml_posts")
    peer_volume_frame = agreement.select("month_date", "peer_hiring_posts")
    peer_ml = agreement.select("month_date", pl.lit(hn_trends.PEER_ML_KEYWORD).alias("keyword"),
                               pl.col("peer_ml_pct").alias("share_pct"))
    halved = held.with_columns(pl.when(pl.col("month_date") == month).then(pl.col("posts") // 2)
                               .otherwise(pl.col("posts")).alias("posts"))
    failures = hn_trends.agreement_failures(hn_trends.peer_agreement(halved, peer_volume_frame, peer_ml))
    assert any(f.startswith(f"{month:%Y-%m}: the project holds") for f in failures)
    no_ml = held.with_columns(pl.when(pl.col("month_date") == month).then(0).otherwise(pl.col("ml_posts"))
                              .alias("ml_posts"))
    failures = hn_trends.agreement_failures(hn_trends.peer_agreement(no_ml, peer_volume_frame, peer_ml))
    assert [f for f in failures if "machine learning" in f] and all(f.startswith(f"{month:%Y-%m}") for f in failures)


def _postings() -> pl.DataFrame:
    """Generated HN postings: post 1 has two roles (ML engineer with LLM work, backend), post 2 one."""
    return pl.DataFrame({
        "source": ["hackernews"] * 3,
        "source_posting_id": ["1#1", "1#2", "2"],
        "posted_date": [dt.date(2026, 4, 1)] * 3,
        "role_family": ["ml_engineer", "software_engineer", "software_engineer"],
        "domains": [["llm"], [], []],
        "is_remote": [False, True, None],
        "yoe_bucket": ["2-4", "2-4", "none"],
        "snapshot_id": ["hackernews/2026-12-01/x.json"] * 3,
    })


def test_a_post_counts_once_whatever_its_roles():
    posts = hn_trends.post_table(_postings())
    assert posts.height == 2
    month = hn_trends.monthly_shares(posts).row(0, named=True)
    assert month["posts"] == 2
    assert (month["ML/data roles"], month["LLM"], month["Remote"], month["CV"]) == (50.0, 50.0, 50.0, 0.0)
    yoe = hn_trends.yoe_by_year(posts)
    assert dict(yoe.select("yoe_bucket", "share_pct").iter_rows()) == {"2-4": 50.0, "none": 50.0}


def test_findings_are_computed_sentences():
    posts = hn_trends.post_table(_postings())
    old = posts.with_columns(pl.lit(dt.date(2015, 3, 1)).alias("month_date"), pl.lit(False).alias("is_ml_data"))
    seekers = pl.DataFrame({"month_date": [dt.date(2014, 7, 1), dt.date(2026, 1, 1)], "seekers": [200, 600],
                            "hiring_posts": [400, 300], "counts_from": ["controlarm", "live_fetch"]})
    result = hn_trends.Result(
        params=hn_trends.Params(peer_keywords=[], min_posts=1), postings=_postings(), seekers=seekers,
        monthly=hn_trends.monthly_shares(pl.concat([old, posts])), yoe=hn_trends.yoe_by_year(posts),
        agreement=pl.DataFrame(schema={"is_partial_month": pl.Boolean}), peer_keywords=pl.DataFrame(),
        seekers_ratio=hn_trends.seekers_ratio(seekers),
    )
    found = hn_trends.summary(result)
    assert [f.text for f in hn_trends.findings(result)] == found  # the page and the JSON say the same
    assert 2 <= len(found) <= 4
    assert "0% of HN hiring posts" in found[0] and "in 2026 it is 50%" in found[0]
    assert any("from 0.50" in f and "to 2.00" in f for f in found)
