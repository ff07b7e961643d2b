"""Bad files, one named case each: unreadable or empty CSV snapshots, a BOM and CRLF, Latin-1 bytes, wrong
columns, broken sidecars and state files, and the user's own files given to `marketlib clean`.

Expected: a file that cannot be read is one `UserError` naming the snapshot (and the polars reason, which
carries the column and offset when it knows them); a readable file of another layout is reported as a drop,
never silently empty; a BOM or CRLF changes nothing. All rows here are GENERATED test data.
"""

from __future__ import annotations

import json

import polars as pl
import pytest

from marketlib import cli
from marketlib.build import build
from marketlib.errors import UserError
from marketlib.snapshots import META_SUFFIX, latest_by_name, list_snapshots, write_snapshot
from marketlib.sources import registry

AIJOBS_HEADER = ("work_year,experience_level,employment_type,job_title,salary,salary_currency,salary_in_usd,"
                 "employee_residence,remote_ratio,company_location,company_size")
AIJOBS_ROWS = ["2024,SE,FT,ML Engineer,150000,USD,150000,US,0,US,M",
               "2024,MI,FL,Data Scientist,90000,EUR,97000,DE,100,DE,S"]
HIRING_LAB_ROWS = ["date,state,indeed_job_postings_index", "2024-02-01,ca,101.5", "2024-02-02,ny,99.25"]

# source -> a file name the source stores (the parser picks its reader by name for some sources)
CSV_FILES = {
    "glassdoor": "glassdoor_jobs.csv",
    "aijobs": "salaries_2025-01-19.csv",
    "evidently": "evidently_db_2025-01_511rows.csv",
    "eren23": "case_studies.csv",
    "hiring_lab": "state_job_postings_us.csv",
    "speedyapply": None,  # the pinned union file name, read through _joblists.read_union_csv
}
UNREADABLE = {
    "empty": b"",
    "binary junk": bytes(range(256)) * 8,
    "unterminated quote": b'a,b\n1,"never closed\n2,3\n',
}


def _name(source: str) -> str:
    return CSV_FILES.get(source) or registry()[source].files[0].name


def _parse(source: str, data: bytes, raw_dir, name: str | None = None):
    snap = write_snapshot(source, name or _name(source), data=data, raw_dir=raw_dir)
    return snap, registry()[source].parse(latest_by_name(source, raw_dir))


@pytest.mark.parametrize("problem", list(UNREADABLE))
@pytest.mark.parametrize("source", list(CSV_FILES))
def test_an_unreadable_csv_snapshot_is_one_user_error_naming_it(tmp_path, source, problem):
    with pytest.raises(UserError) as info:
        _parse(source, UNREADABLE[problem], tmp_path)
    message = str(info.value)
    assert f"{source}/" in message and _name(source) in message and "not a readable CSV" in message
    assert "\n" not in message


@pytest.mark.parametrize("source", ["glassdoor", "aijobs", "hiring_lab"])
def test_latin1_bytes_in_a_utf8_source_name_the_file_and_the_encoding(tmp_path, source):
    with pytest.raises(UserError, match=r"not a readable CSV \(invalid utf-8"):
        _parse(source, "a,b\nZ\xfcrich,\xa3100\n".encode("latin-1"), tmp_path)


def test_latin1_bytes_in_a_case_study_table_are_read_lossily(tmp_path):
    header = "Company,Industry,Title,Tag,Year,Link,Short description\n"
    row = 'Caf\xe9 Co,Retail,Recommending caf\xe9s,recommender system,2023,https://x.test/a,"d"\n'
    _, out = _parse("evidently", (header + row).encode("latin-1"), tmp_path)
    studies = out["case_studies"]
    assert studies.height == 1 and studies["company"].item() == "Caf\ufffd Co"  # replacement char, no crash


def test_bom_and_crlf_change_nothing(tmp_path):
    plain = "\n".join([AIJOBS_HEADER, *AIJOBS_ROWS]).encode()
    windows = b"\xef\xbb\xbf" + "\r\n".join([AIJOBS_HEADER, *AIJOBS_ROWS]).encode() + b"\r\n"
    _, first = _parse("aijobs", plain, tmp_path / "a")
    _, second = _parse("aijobs", windows, tmp_path / "b")
    drop_id = pl.exclude("snapshot_id")
    assert first["salaries"].height == 2
    assert first["salaries"].select(drop_id).equals(second["salaries"].select(drop_id))
    _, index = _parse("hiring_lab", b"\xef\xbb\xbf" + "\r\n".join(HIRING_LAB_ROWS).encode(), tmp_path / "c")
    assert index["postings_index"]["value"].to_list() == [101.5, 99.25]


@pytest.mark.parametrize("source, table", [("glassdoor", "postings"), ("aijobs", "salaries"),
                                           ("evidently", "case_studies"), ("hiring_lab", "postings_index")])
def test_a_readable_file_with_other_columns_is_a_drop_naming_it_not_a_silent_empty(tmp_path, source, table):
    _, out = _parse(source, b"x,y\n1,2\n3,4\n", tmp_path)
    assert out[table].height == 0
    (reason, rows), = out.drop_counts().items()
    assert _name(source) in reason and rows == 2


@pytest.mark.parametrize("source", ["speedyapply", "jobright", "zapply", "simplify", "ai_labs"])
def test_a_job_list_union_with_other_columns_names_the_file(tmp_path, source):
    with pytest.raises(UserError, match=_name(source)):
        _parse(source, b"x,y\n1,2\n", tmp_path)


# ------------------------------------------------------------------------------------------ sidecars, state


def test_a_sidecar_that_is_not_json_hides_its_snapshot(project):
    good = write_snapshot("glassdoor", "a.csv", data=b"x\n1\n")
    bad = write_snapshot("glassdoor", "b.csv", data=b"x\n2\n")
    bad.path.with_name(bad.name + META_SUFFIX).write_text("{ not json")
    assert [s.name for s in list_snapshots("glassdoor")] == [good.name]


def test_a_damaged_build_state_file_means_rebuild_not_crash(project):
    write_snapshot("aijobs", "salaries_2025-01-19.csv", data="\n".join([AIJOBS_HEADER, *AIJOBS_ROWS]).encode())
    assert build(["salaries"]).tables[0].status == "built"
    (project.processed_dir / "_build_state.json").write_text("\x00garbage{")
    result = build(["salaries"])
    assert (result.tables[0].status, result.tables[0].rows) == ("built", 2)
    assert json.loads((project.processed_dir / "_build_state.json").read_text())["salaries:rows"] == 2


def test_validate_names_a_damaged_processed_table(project, capsys):
    write_snapshot("aijobs", "salaries_2025-01-19.csv", data="\n".join([AIJOBS_HEADER, *AIJOBS_ROWS]).encode())
    build(["salaries"])
    table = project.processed_dir / "salaries.parquet"
    table.write_bytes(table.read_bytes()[:200])
    with pytest.raises(SystemExit) as info:
        cli.main(["validate"])
    assert info.value.code == 1 and "salaries" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------ marketlib clean


def _clean(capsys, *args) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        cli.main(["clean", *args])
    err = capsys.readouterr().err
    return info.value.code, err


@pytest.mark.parametrize("content, suffix, expected", [
    (None, ".csv", "no such file"),
    (b"title\nx\n", ".xlsx", "use a .csv, .jsonl or .parquet file"),
    (b"", ".csv", "empty CSV"),
    (b"\x00\x01 not parquet", ".parquet", "Cannot read"),
    (b'{broken\n[1, 2]\n', ".jsonl", "no line is a JSON object (line 1"),
    (b"Job Title,Company\nML Engineer,Acme\n", ".csv", "no title column"),
])
def test_marketlib_clean_bad_input_is_one_sentence_naming_the_file(project, tmp_path, capsys, content, suffix,
                                                                    expected):
    given_file = tmp_path / f"my postings{suffix}"
    if content is not None:
        given_file.write_bytes(content)
    code, err = _clean(capsys, str(given_file), "-o", str(tmp_path / "out.csv"))
    assert code == 2 and expected in err and "my postings" in err and "Traceback" not in err
    assert not (tmp_path / "out.csv").exists()


def test_marketlib_clean_bad_map_and_output_suffix(project, tmp_path, capsys):
    given_file = tmp_path / "in.csv"
    given_file.write_bytes(b"Job Title\nML Engineer\n")
    code, err = _clean(capsys, str(given_file), "-o", str(tmp_path / "out.csv"), "--map", "salary")
    assert code == 2 and "Bad --map 'salary'" in err
    code, err = _clean(capsys, str(given_file), "-o", str(tmp_path / "out.csv"), "--map", "colour=Job Title")
    assert code == 2 and "unknown field 'colour'" in err
    code, err = _clean(capsys, str(given_file), "-o", str(tmp_path / "out.exe"), "--map", "title=Job Title")
    assert code == 2 and "out.exe" in err and not (tmp_path / "out.exe").exists()


def test_marketlib_clean_handles_bom_crlf_and_latin1(project, tmp_path, capsys):
    given_file = tmp_path / "export.csv"
    given_file.write_bytes(b"\xef\xbb\xbftitle,location\r\nIng\xe9nieur ML,Z\xfcrich\r\nData Scientist,Berlin\r\n")
    cli.main(["clean", str(given_file), "-o", str(tmp_path / "out.csv")])  # returns: exit status 0
    assert "Cleaned 2 rows" in capsys.readouterr().out
    out = pl.read_csv(tmp_path / "out.csv", infer_schema=False)
    assert out.height == 2 and out["title"].to_list()[1] == "Data Scientist"
    assert not list(tmp_path.glob(".tmp-*"))


def test_marketlib_clean_reads_a_jobspy_csv_with_true_false_text(project, tmp_path, capsys):
    given_file = tmp_path / "jobspy.csv"
    given_file.write_text("site,title,company,location,is_remote,min_amount,max_amount,interval,currency\n"
                          "indeed,ML Engineer,Acme,\"Austin, TX\",True,150000,180000,yearly,USD\n"
                          "linkedin,Data Scientist,Beta,Remote,False,,,,\n")
    cli.main(["clean", str(given_file), "-o", str(tmp_path / "out.parquet")])
    out = pl.read_parquet(tmp_path / "out.parquet")
    assert out["title"].to_list() == ["ML Engineer", "Data Scientist"]
    assert out["salary_min_usd"].to_list()[0] == 150_000
