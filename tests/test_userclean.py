"""`marketlib clean` on a user's own table: custom column names via --map, JobSpy-shaped CSV, pass-through."""

import json
import os
import subprocess
import sys

import polars as pl

from marketlib import schemas
from tests.conftest import FIXTURES, need

DESCRIPTION = ("We are hiring a Machine Learning Engineer to build recommendation systems with PyTorch and "
               "Spark on AWS. Requirements: 3+ years of experience with Python and SQL. Salary $150,000 - "
               "$180,000 per year.")


def run_clean(*args):
    return subprocess.run([sys.executable, "-m", "marketlib.cli", "clean", *args], capture_output=True,
                          text=True, env=dict(os.environ))


def test_custom_column_names_with_map(project, tmp_path):
    given = tmp_path / "mine.csv"
    pl.DataFrame({
        "Row ID": ["r2", "r1", "r3"],
        "Job Title": ["Senior Machine Learning Engineer", "Data Analyst Intern", "Research Scientist, NLP"],
        "Employer": ["Acme AI", "Beta Corp", "Gamma Labs"],
        "Where": ["Mountain View, CA 94043", "NYC", "Toronto, ON, Canada"],
        "Text": [DESCRIPTION, "Excel and SQL reporting.", "Work on large language models. PhD required."],
    }).write_csv(given)
    out = tmp_path / "out.parquet"
    result = run_clean(str(given), "-o", str(out), "--map", "title=Job Title", "--map", "company=Employer",
                       "--map", "location=Where", "--map", "description=Text")
    assert result.returncode == 0, result.stderr
    frame = pl.read_parquet(out)
    assert frame["Row ID"].to_list() == ["r2", "r1", "r3"]  # passes through, input order kept
    for column in schemas.TABLES["postings"]:
        assert column in frame.columns
    first = frame.row(0, named=True)
    assert first["metro_code"] == "41940" and first["role_family"] == "ml_engineer"
    assert first["seniority"] == "senior" and first["yoe_min"] == 3 and first["yoe_bucket"] == "2-4"
    assert {"pytorch", "spark", "aws", "python", "sql"} <= {s.lower() for s in first["skills"]}
    assert "recsys" in first["domains"]
    assert (first["salary_min_usd"], first["salary_max_usd"], first["salary_source"]) == (150_000, 180_000, "text")
    assert frame["metro_code"][1] == "35620" and frame["seniority"][1] == "intern"
    assert (frame["city"][2], frame["country"][2], frame["metro_code"][2]) == ("Toronto", "CA", None)
    assert "llm" in frame["domains"][2] and frame["role_family"][2] == "research_scientist"


def test_jobspy_shaped_csv_cleans_with_default_names(project, tmp_path):
    columns = [c["name"] for c in json.loads(need(FIXTURES / "jobspy" / "columns.json").read_text())["columns"]]
    row = {c: None for c in columns} | {
        "id": "in-123", "site": "indeed", "job_url": "https://www.indeed.com/viewjob?jk=123",
        "title": "Machine Learning Engineer", "company": "Acme", "location": "Seattle, WA, US",
        "date_posted": "2026-11-20", "job_type": "fulltime", "interval": "yearly", "min_amount": "140000",
        "max_amount": "170000", "currency": "USD", "is_remote": "False", "description": DESCRIPTION,
    }
    given = tmp_path / "jobspy.csv"
    pl.DataFrame([row], schema={c: pl.String for c in columns}).write_csv(given)
    out = tmp_path / "out.csv"
    result = run_clean(str(given), "-o", str(out))
    assert result.returncode == 0, result.stderr
    frame = pl.read_csv(out, infer_schema=False)
    first = frame.row(0, named=True)
    assert first["metro_code"] == "42660" and first["country"] == "US" and first["is_remote"] == "false"
    assert float(first["salary_min_usd"]) == 140_000 and first["salary_source"] == "field"
    assert first["url"] == "https://www.indeed.com/viewjob?jk=123" and first["posted_date"] == "2026-11-20"
    assert first["role_family"] == "ml_engineer" and first["source"] == "indeed"
