"""Case-study catalogues: Evidently's four editions, the eren23 catalogue and the shared tag -> domain map."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from marketlib import schemas
from marketlib.errors import UserError
from marketlib.snapshots import latest_by_name
from marketlib.sources import FetchContext, eren23, evidently, fetch_upstream_files
from tests.conftest import MIRROR, need

EVIDENTLY_DIR = MIRROR / "evidently_ml_system_design"
EREN23_DIR = MIRROR / "eren23_ml_case_studies"


def _fetch_and_parse(source, settings) -> pl.DataFrame:
    statuses = fetch_upstream_files(source, FetchContext(settings))
    assert {s.status for s in statuses} == {"ok"}, [s.message for s in statuses]
    out = source.parse(latest_by_name(source.name, settings.raw_dir))
    assert out.drops == []
    return schemas.validate("case_studies", out["case_studies"])


def _tag_rows(frame: pl.DataFrame, tag: str) -> int:
    """Rows carrying a tag, case-insensitive, each tag counted once per row (as PROVENANCE.md counts)."""
    lowered = frame.get_column("tags").list.eval(pl.element().str.to_lowercase())
    return int(lowered.list.contains(tag).sum())


def _domain_rows(frame: pl.DataFrame, domain: str) -> int:
    return int(frame.get_column("domains").list.contains(domain).sum())


@pytest.fixture
def evidently_rows(project) -> pl.DataFrame:
    need(EVIDENTLY_DIR)
    return _fetch_and_parse(evidently.SOURCE, project)


def test_evidently_has_four_editions_with_their_row_counts(evidently_rows):
    counts = dict(evidently_rows.group_by("edition_date").len().iter_rows())
    assert counts == {dt.date(2024, 5, 17): 300, dt.date(2025, 1, 1): 511, dt.date(2025, 3, 8): 509,
                      dt.date(2025, 11, 23): 652}
    assert evidently_rows.get_column("url").null_count() == 0
    assert not evidently_rows.get_column("title").str.contains("\n").any()


def test_evidently_2025_01_tag_counts_match_the_published_figures(evidently_rows):
    jan = evidently_rows.filter(pl.col("edition_date") == dt.date(2025, 1, 1))
    assert jan.height == 511
    figures = {"cv": 30, "nlp": 48, "llm": 92, "recommender system": 82, "fraud detection": 29,
               "generative ai": 98}
    assert {tag: _tag_rows(jan, tag) for tag in figures} == figures
    # Original spelling is kept: the export writes "CV" and "LLM" in capitals.
    assert jan.get_column("tags").list.contains("CV").sum() == 30
    # The markdown-derived copy of March 2025 has the same counts; the 2024 edition has no LLM tag yet.
    march = evidently_rows.filter(pl.col("edition_date") == dt.date(2025, 3, 8))
    assert {tag: _tag_rows(march, tag) for tag in figures} == figures
    may_2024 = evidently_rows.filter(pl.col("edition_date") == dt.date(2024, 5, 17))
    assert _tag_rows(may_2024, "llm") == 0 and _tag_rows(may_2024, "cv") == 17
    nov = evidently_rows.filter(pl.col("edition_date") == dt.date(2025, 11, 23))
    assert (_tag_rows(nov, "llm"), _tag_rows(nov, "recommender system")) == (174, 101)


def test_evidently_domains_follow_the_map(evidently_rows):
    jan = evidently_rows.filter(pl.col("edition_date") == dt.date(2025, 1, 1))
    assert _domain_rows(jan, "cv") == 30
    assert _domain_rows(jan, "fraud") == 29
    tags = jan.get_column("tags").list.eval(pl.element().str.to_lowercase())
    llm_tagged = (tags.list.contains("llm") | tags.list.contains("generative ai") | tags.list.contains("rag"))
    assert _domain_rows(jan, "llm") == int(llm_tagged.sum()) == 106
    recsys_tagged = (tags.list.contains("recommender system") | tags.list.contains("recommender systems")
                     | tags.list.contains("content personalization"))
    assert _domain_rows(jan, "recsys") == int(recsys_tagged.sum())
    assert _domain_rows(jan, "recsys") / _domain_rows(jan, "cv") > 2.7  # recommender ≈ 2.7× CV or more
    every = evidently_rows.get_column("domains").explode().drop_nulls().unique().to_list()
    assert set(every) <= set(schemas.DOMAINS)


def test_every_evidently_tag_is_listed_in_the_map(evidently_rows):
    # A new upstream tag should be decided (domain or none) in the map, not silently ignored.
    mapped_or_none = set(pl.read_csv(evidently.TAG_DOMAINS_FILE, infer_schema=False)
                         .get_column("tag").str.to_lowercase().to_list())
    seen = set(evidently_rows.get_column("tags").explode().str.to_lowercase().drop_nulls().to_list())
    assert seen <= mapped_or_none, sorted(seen - mapped_or_none)


def test_eren23_catalogue_with_its_categories_as_tags(project):
    need(EREN23_DIR)
    rows = _fetch_and_parse(eren23.SOURCE, project)
    assert rows.height == 2430
    assert rows.get_column("case_id").n_unique() == 2430
    assert rows.get_column("edition_date").unique().to_list() == [dt.date(2026, 7, 25)]
    categories = {"genai": 384, "rec": 296, "mlops": 267, "search": 214, "nlp": 154, "cv": 141,
                  "forecast": 129, "fraud": 98, "audio": 89}
    assert {c: _tag_rows(rows, f"category:{c}") for c in categories} == categories
    first = rows.row(0, named=True)
    assert first["case_id"] == "cs2090" and first["company"] == "Alibaba"
    assert "category:ads" in first["tags"] and "subcategory:bidding" in first["tags"]
    assert "retrieval" in first["tags"]
    # Every case of a mapped category carries its domain; speech comes from the speech sub-categories only.
    for category, domain in [("genai", "llm"), ("rec", "recsys"), ("cv", "cv"), ("fraud", "fraud")]:
        in_category = rows.filter(pl.col("tags").list.contains(f"category:{category}"))
        assert int(in_category.get_column("domains").list.contains(domain).sum()) == in_category.height
    asr = rows.filter(pl.col("tags").list.contains("subcategory:asr"))
    assert asr.height == 43 and bool(asr.get_column("domains").list.contains("speech").all())


def test_add_domains_on_generated_tags():
    frame = pl.DataFrame({"tags": [["LLM", " CV "], [], ["ops"], ["Recommender System", "search", "rag"]]},
                         schema={"tags": pl.List(pl.String)})
    domains = evidently.add_domains(frame).get_column("domains").to_list()
    assert domains == [["cv", "llm"], [], [], ["llm", "recsys", "search"]]


def test_a_map_with_an_unknown_domain_is_a_user_error(tmp_path):
    bad = tmp_path / "map.csv"
    bad.write_text("tag,domain,note\nrobots,robotics,made up\n")
    with pytest.raises(UserError, match="robotics"):
        evidently.load_tag_domains(bad)
