"""Integration: fetch every downloadable source from the mirror, build all tables, rebuild incrementally."""

import os
import subprocess
import sys

import polars as pl
import pytest

from marketlib import schemas
from marketlib.build import build, load_table
from marketlib.snapshots import latest_by_name
from marketlib.sources import registry
from tests.conftest import MIRROR, need, seed_project


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    need(MIRROR)
    root = seed_project(tmp_path_factory.mktemp("built"))
    env = dict(os.environ, MARKETLIB_ROOT=str(root), MARKETLIB_MIRROR_DIRS=str(MIRROR), MARKETLIB_OFFLINE="1",
               COLUMNS="250")
    fetch = subprocess.run([sys.executable, "-m", "marketlib.cli", "fetch", "--all"], env=env,
                           capture_output=True, text=True)
    first = subprocess.run([sys.executable, "-m", "marketlib.cli", "build"], env=env, capture_output=True, text=True)
    second = subprocess.run([sys.executable, "-m", "marketlib.cli", "build"], env=env, capture_output=True,
                            text=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MARKETLIB_ROOT", str(root))
        mp.setenv("MARKETLIB_MIRROR_DIRS", str(MIRROR))
        mp.setenv("MARKETLIB_OFFLINE", "1")
        from marketlib.config import get_settings

        get_settings.cache_clear()
        yield root, fetch, first, second, get_settings()
        get_settings.cache_clear()


def test_fetch_all_fills_raw_for_every_downloadable_source(built):
    root, fetch, *_rest, settings = built
    # network sources fail offline (exit 1) while every mirror source lands with its sidecar
    assert fetch.returncode == 1 and "offline" in fetch.stdout
    for name, src in registry().items():
        if src.kind == "download":
            snaps = latest_by_name(name, settings.raw_dir)
            assert {f.name for f in src.files} <= set(snaps), name
            for snap in snaps.values():
                assert snap.meta["sha256"] and snap.meta["url"] and snap.meta["license"], snap.snapshot_id


def test_build_makes_every_table_validated_with_counts_and_drop_reasons(built):
    _root, _fetch, first, _second, settings = built
    assert first.returncode == 0, first.stderr
    for table in ("postings", "case_studies", "professionals", "salaries", "postings_index", "reference"):
        frame = load_table(table, settings)
        schemas.validate(table, frame)
        assert frame.height > 0, table
        assert table in first.stdout
    postings = load_table("postings", settings)
    assert postings["posting_id"].is_unique().all()
    assert set(postings["source"].unique()) >= {"glassdoor", "speedyapply", "jobright", "zapply", "simplify",
                                                 "ai_labs"}
    assert postings.filter(pl.col("source") == "glassdoor").height == 600
    assert "repeated posting" in first.stdout and "356" in first.stdout  # Glassdoor 956 -> 600
    assert load_table("case_studies", settings).filter(pl.col("source") == "evidently").height == 1972


def test_second_build_is_incremental(built):
    _root, _fetch, _first, second, settings = built
    assert second.returncode == 0
    assert second.stdout.count("unchanged") >= 5
    result = build(["salaries"], settings=settings)
    # the source catalog comes with every build, so reports can credit what any table holds
    assert [(t.table, t.status) for t in result.tables] == [("salaries", "unchanged"), ("source_catalog", "unchanged")]
    forced = build(["salaries"], force=True, settings=settings).tables
    assert [(t.table, t.status) for t in forced] == [("salaries", "built"), ("source_catalog", "built")]


def test_the_source_catalog_credits_every_registered_source(built):
    *_, settings = built
    catalog = load_table("source_catalog", settings)
    hn = catalog.filter(pl.col("source") == "hackernews").row(0, named=True)
    assert "gaganpreet/hn-hiring-mapped (Unlicense)" in hn["license"] and "hn_peer_keywords" in hn["feeds_tables"]
    assert catalog["snapshot_id"].unique().to_list() == ["registry"]


def test_hn_monthly_series_are_processed_tables(built):
    *_, settings = built
    held = load_table("hn_held_months", settings)
    peer = load_table("hn_peer_keywords", settings)
    assert held.height >= 55  # 2013-08 … 2018-04 and 2026-01 … 2026-04 from the pinned archives
    assert (held["held_ml_posts"] <= held["held_posts"]).all() and held["snapshot_id"].null_count() == 0
    assert "Machine learning" in peer["keyword"].to_list()


def test_reference_figures_are_a_processed_table_with_their_snapshot(built):
    *_rest, settings = built
    from marketlib.sources.reference import load_reference

    reference = load_table("reference", settings)
    committed = load_reference(settings.reference_dir / "published_figures.csv")
    assert reference.height == committed.height >= 20
    assert reference.get_column("snapshot_id").str.starts_with("reference/").all()
    assert reference.get_column("published_value").to_list() == committed.get_column("value").to_list()


def test_storage_writes_only_valid_tables_and_names_unknown_ones(project):
    from marketlib import storage
    from marketlib.errors import SchemaError, UserError

    with pytest.raises(UserError, match="Unknown table 'nope'"):
        storage.table_path("nope", project)
    assert storage.load_table("seekers", project).schema == schemas.schema("seekers")  # never built: empty
    bad = schemas.empty("seekers").vstack(pl.DataFrame(
        {"month_date": [None], "thread_id": ["1"], "seekers": [1], "hiring_posts": [1],
         "counts_from": ["live_fetch"], "source": ["x"],
         "snapshot_id": ["x/2026-01-01/a"]}, schema=schemas.schema("seekers")))
    with pytest.raises(SchemaError, match="month_date"):
        storage.write_table(bad, "seekers", project)
    assert not storage.table_path("seekers", project).exists()
