"""Golden-set accuracy by split: well-formed labels, a stable split, a current accuracy.json, floors."""

from __future__ import annotations

import json
import os

import polars as pl
import pytest

from marketlib import schemas
from marketlib.atomic import atomic_write_text
from tests.golden import accuracy

WRITE_ENV = "MARKETLIB_WRITE_ACCURACY"
ML_DOMAINS = {"cv", "nlp", "llm", "recsys", "fraud", "search", "forecasting", "speech"}


@pytest.fixture(scope="module")
def report() -> dict:
    measured = accuracy.measure()
    accuracy.REPORTS.append(measured)
    return measured


def test_new_labels_are_well_formed():
    labels = accuracy.read_labels("posting_labels.csv")
    assert labels.height >= 150
    assert labels["corpus_key"].n_unique() == labels.height
    assert set(labels["role_family"]) <= set(schemas.ROLE_FAMILIES)
    assert set(labels["seniority"]) <= set(schemas.SENIORITIES)
    domains = {d for v in labels["domains"] for d in v.split(";") if d}
    assert domains <= ML_DOMAINS
    assert set(labels["is_remote"]) <= {"true", "false"}
    # remote_scope only on remote postings; yoe_bucket is the DESIGN.md bucket of yoe_min.
    assert labels.filter((pl.col("remote_scope") != "") & (pl.col("is_remote") != "true")).is_empty()
    recomputed = labels.select(pl.when(pl.col("yoe_min") == "").then(None).otherwise(pl.col("yoe_min"))
                               .cast(pl.Float64).alias("v")).select(
        pl.when(pl.col("v").is_null()).then(pl.lit("none")).when(pl.col("v") < 2).then(pl.lit("0-1"))
        .when(pl.col("v") < 5).then(pl.lit("2-4")).when(pl.col("v") < 8).then(pl.lit("5-7"))
        .otherwise(pl.lit("8+")))
    assert recomputed.to_series().to_list() == labels["yoe_bucket"].to_list()


def test_new_labels_use_postings_no_legacy_file_holds():
    new = set(accuracy.read_labels("posting_labels.csv")["corpus_key"])
    legacy = (set(accuracy.read_labels("yoe_labels.csv")["corpus_key"])
              | set(accuracy.read_labels("role_labels.csv")["corpus_key"])
              | set(accuracy.read_labels("domain_skill_labels.csv")["key"]))
    assert not new & legacy


def test_split_is_fixed_by_key_and_near_forty_percent():
    keys = accuracy.read_labels("posting_labels.csv")["corpus_key"].to_list()
    splits = [accuracy.split_of(k) for k in keys]
    assert splits == [accuracy.split_of(k) for k in keys]
    assert set(splits) == {"dev", "test"}
    assert 0.3 <= splits.count("test") / len(splits) <= 0.5
    assert accuracy.split_of("glassdoor:0") == accuracy.split_of("glassdoor:0")


def test_accuracy_file_is_current(report):
    if os.environ.get(WRITE_ENV):
        atomic_write_text(accuracy.ACCURACY_FILE, accuracy.dumps(report))
    committed = json.loads(accuracy.ACCURACY_FILE.read_text("utf-8"))
    assert committed == report, (f"{accuracy.ACCURACY_FILE.name} is stale: regenerate it with "
                                 f"{WRITE_ENV}=1 .venv/bin/python -m pytest tests/golden")


def test_every_field_has_dev_test_and_legacy_figures(report):
    for field, entry in report["fields"].items():
        assert entry["dev"]["n"] > 0 and entry["test"]["n"] > 0, field
        assert all(0 <= entry[s]["value"] <= 1 for s in ("dev", "test")), field


# Floors a change must not fall below (measured on the blind labels; accuracy.json holds the exact figures).
FLOORS = {"yoe_bucket": 0.93, "yoe_min": 0.91, "role_family": 0.93, "domains": 0.83, "is_remote": 0.96}


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_dev_split_stays_above_its_floor(report, field):
    assert report["fields"][field]["dev"]["value"] >= FLOORS[field]
