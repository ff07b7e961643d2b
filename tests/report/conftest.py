"""The one run of every report that the report tests share (it is slow: it runs once per test session).

`report_run` runs reports.yaml through papermill on small generated tables plus 50 postings whose company and
title carry script and onerror payloads, and returns (ok, settings, run_dir)."""

from __future__ import annotations

import polars as pl
import pytest

from marketlib import schemas
from marketlib.atomic import write_parquet_atomic
from marketlib.config import get_settings
from marketlib.report import run_reports
from tests.conftest import REPO, seed_project
from tests.data.tables import postings, write_tables
from tests.report.nbfactory import PAYLOAD_IMG, PAYLOAD_SCRIPT

NOTEBOOKS = REPO / "notebooks"
HOSTILE_COMPANY = f"{PAYLOAD_SCRIPT} {PAYLOAD_IMG}"


def hostile_postings() -> pl.DataFrame:
    """The generated postings plus 50 generated ML postings from a test source whose company name and title
    carry script and onerror payloads (the most openings, so the employer table shows the name)."""
    base = postings()
    first = base.filter(pl.col("role_family") == "ml_engineer").head(1)
    extra = pl.concat([first] * 50).with_columns(
        pl.format("hostile-{}", pl.int_range(pl.len())).alias("posting_id"),
        pl.lit("test_hostile").alias("source"),
        pl.lit("test_hostile/2026-01-01/x.json").alias("snapshot_id"),
        pl.lit(HOSTILE_COMPANY).alias("company"),
        pl.lit(f"ML Engineer {PAYLOAD_SCRIPT}").alias("title"),
        pl.lit("javascript:alert(1)").alias("url"),
    )
    return schemas.validate("postings", pl.concat([base, extra]))


@pytest.fixture(scope="session")
def report_run(tmp_path_factory):
    root = seed_project(tmp_path_factory.mktemp("nbproject"))
    processed = root / "data" / "processed"
    write_tables(processed)
    write_parquet_atomic(hostile_postings(), processed / "postings.parquet")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MARKETLIB_ROOT", str(root))
        mp.setenv("MARKETLIB_OFFLINE", "1")
        get_settings.cache_clear()
        settings = get_settings()
        ok = run_reports(REPO / "reports.yaml", settings=settings, notebooks_dir=NOTEBOOKS, workers=2)
        run_dir = next(p for p in settings.reports_dir.iterdir() if p.is_dir())
    # The environment is restored before the tests run: a session-wide fixture must not leave its root set
    # for the tests of other modules.
    get_settings.cache_clear()
    return ok, settings, run_dir


