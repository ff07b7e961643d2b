"""Glassdoor 2020 scrape: real file through the mirror, salary forms, repeats, and the sha256 check."""

from __future__ import annotations

import shutil

import polars as pl

from marketlib import schemas
from marketlib.clean.pipeline import clean_postings
from marketlib.snapshots import latest_by_name, write_snapshot
from marketlib.sources import Drop, FetchContext, ParseResult, fetch_upstream_files
from marketlib.sources.glassdoor import SOURCE
from tests.conftest import MIRROR, need

MIRROR_FILE = MIRROR / "glassdoor_ds_jobs_2020_kenjee" / "glassdoor_jobs.csv"


def _fetch_and_parse(settings) -> ParseResult:
    statuses = fetch_upstream_files(SOURCE, FetchContext(settings))
    assert [s.status for s in statuses] == ["ok"], [s.message for s in statuses]
    return SOURCE.parse(latest_by_name(SOURCE.name, settings.raw_dir))


def test_real_file_keeps_600_unique_postings(project):
    need(MIRROR_FILE)
    out = _fetch_and_parse(project)
    postings = out["postings"]
    assert postings.schema == schemas.RAW_POSTING_COLUMNS
    assert postings.height == 600
    assert out.drops == [Drop("glassdoor", "repeated posting (same description, company and location)", 356)]

    first = postings.row(0, named=True)
    assert first["source_posting_id"] == "0"
    assert first["title"] == "Data Scientist"
    assert first["company"] == "Tecolote Research"
    assert first["location_raw"] == "Albuquerque, NM"
    assert (first["salary_min"], first["salary_max"], first["salary_period"]) == (53_000, 91_000, "year")
    assert first["salary_text"] == "$53K-$91K (Glassdoor est.)"
    assert first["company_size"] == "501-1000"
    assert first["snapshot_id"].startswith("glassdoor/")

    assert postings.get_column("posted_date").null_count() == 600  # unknown, never the fetch date
    assert not postings.get_column("company").str.contains("\n").any()
    assert postings.get_column("source_posting_id").n_unique() == 600
    hourly = postings.filter(pl.col("salary_period") == "hour")
    assert hourly.height > 0 and hourly.get_column("salary_max").max() < 100
    # "-1" marks a missing salary: no numbers, no text.
    no_salary = postings.filter(pl.col("salary_text").is_null())
    assert no_salary.height > 0 and no_salary.get_column("salary_min").null_count() == no_salary.height


def _csv(rows: list[dict]) -> bytes:
    columns = ["", "Job Title", "Salary Estimate", "Job Description", "Rating", "Company Name", "Location",
               "Headquarters", "Size", "Founded", "Type of ownership", "Industry", "Sector", "Revenue",
               "Competitors"]
    frame = pl.DataFrame([{c: row.get(c, "-1") for c in columns} for row in rows], schema=dict.fromkeys(
        columns, pl.String))
    return frame.write_csv().encode()


def test_salary_forms_sizes_and_repeats_in_another_year_file(tmp_path):
    # Generated test rows in the scrape's layout; the file name is not the pinned one (another year).
    rows = [
        {"": "0", "Job Title": "ML Engineer", "Salary Estimate": "$53K-$91K (Glassdoor est.)",
         "Job Description": "a", "Company Name": "Acme\n4.1", "Location": "Austin, TX",
         "Size": "10000+ employees"},
        {"": "1", "Job Title": "Data Scientist", "Salary Estimate": "Employer Provided Salary:$120K-$140K",
         "Job Description": "b", "Company Name": "Beta", "Location": "Boston, MA",
         "Size": "1 to 50 employees"},
        {"": "2", "Job Title": "Analyst", "Salary Estimate": "$21-$34 Per Hour(Glassdoor est.)",
         "Job Description": "c", "Company Name": "Gamma\n3.0", "Location": "-1", "Size": "Unknown"},
        {"": "3", "Job Title": "Intern", "Salary Estimate": "Employer Provided Salary:$25-$28 Per Hour",
         "Job Description": "d", "Company Name": "Delta", "Location": "Reno, NV", "Size": "-1"},
        {"": "4", "Job Title": "Scientist", "Salary Estimate": "-1", "Job Description": "e",
         "Company Name": "Eps", "Location": "Ames, IA", "Size": "201 to 500 employees"},
        # The same posting scraped again (different row index) is a repeat.
        {"": "5", "Job Title": "ML Engineer", "Salary Estimate": "$53K-$91K (Glassdoor est.)",
         "Job Description": "a", "Company Name": "Acme\n4.1", "Location": "Austin, TX",
         "Size": "10000+ employees"},
    ]
    snap = write_snapshot("glassdoor", "glassdoor_jobs_2019.csv", data=_csv(rows), raw_dir=tmp_path)
    out = SOURCE.parse({snap.original_name: snap})
    postings = out["postings"]
    assert postings.get_column("source_posting_id").to_list() == ["0", "1", "2", "3", "4"]
    assert [d.rows for d in out.drops] == [1]
    assert postings.get_column("salary_min").to_list() == [53_000, 120_000, 21, 25, None]
    assert postings.get_column("salary_max").to_list() == [91_000, 140_000, 34, 28, None]
    assert postings.get_column("salary_period").to_list() == ["year", "year", "hour", "hour", None]
    assert postings.get_column("company").to_list() == ["Acme", "Beta", "Gamma", "Delta", "Eps"]
    assert postings.get_column("company_size").to_list() == ["10000+", "1-50", None, None, "201-500"]
    assert postings.get_column("location_raw").to_list() == ["Austin, TX", "Boston, MA", None, "Reno, NV",
                                                             "Ames, IA"]
    assert postings.get_column("salary_is_estimate").to_list() == [True, False, True, False, False]
    # Glassdoor's own estimates are not stated pay; employer-provided figures are.
    cleaned = clean_postings(postings)
    assert cleaned.get_column("salary_source").to_list() == ["estimate", "field", "estimate", "field", None]


def test_real_glassdoor_estimates_are_labelled_estimate(project):
    need(MIRROR_FILE)
    raw = _fetch_and_parse(project)["postings"]
    labels = clean_postings(raw).get_column("salary_source")  # cleaning keeps the row order
    by_label = dict(labels.value_counts().iter_rows())
    # 467 postings give pay in the salary fields: all but the employer-provided ones are Glassdoor estimates.
    assert by_label["estimate"] + by_label["field"] == 467
    employer = raw.get_column("salary_text").filter(labels == "field")
    # "Employer Provided Salary:..." and "(Employer est.)": the employer's own figures stay "field".
    assert employer.len() > 0 and employer.str.contains("Employer").all()
    assert raw.get_column("salary_text").filter(labels == "estimate").str.ends_with("(Glassdoor est.)").all()
    assert by_label["text"] == 6  # figures found in the description stay "text"


def test_a_file_with_other_columns_is_reported_not_parsed(tmp_path):
    snap = write_snapshot("glassdoor", "notes.csv", data=b"a,b\n1,2\n3,4\n", raw_dir=tmp_path)
    out = SOURCE.parse({snap.original_name: snap})
    assert out["postings"].height == 0
    assert out.drop_counts() == {"notes.csv: not a Glassdoor postings file (columns do not match)": 2}


def test_a_mirror_copy_with_a_wrong_sha256_is_refused(project, tmp_path):
    need(MIRROR_FILE)
    bad_mirror = tmp_path / "bad_mirror"
    target = bad_mirror / SOURCE.files[0].mirror_path
    target.parent.mkdir(parents=True)
    shutil.copyfile(MIRROR_FILE, target)
    data = bytearray(target.read_bytes())
    data[100] ^= 0x01  # one changed byte
    target.write_bytes(bytes(data))

    settings = project.with_overrides(mirror_dirs=(bad_mirror,))
    statuses = fetch_upstream_files(SOURCE, FetchContext(settings))
    assert [s.status for s in statuses] == ["error"]
    assert "sha256" in statuses[0].message
    assert latest_by_name(SOURCE.name, settings.raw_dir) == {}
