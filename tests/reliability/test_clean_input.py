"""`marketlib clean` on awkward input: encodings named, bad lines skipped and counted, --strict, --map."""

from __future__ import annotations

import json

import polars as pl
import pytest

from marketlib import cli

ROWS = [("Machine Learning Engineer", "Acme", "Austin, TX"), ("Data Scientist", "Beta", "Zürich, Switzerland"),
        ("Research Scientist", "Gamma", "Toronto, ON")]


def _csv_text(rows=ROWS) -> str:
    return "title,company,location\n" + "".join(f'{t},{c},"{loc}"\n' for t, c, loc in rows)


def _run(capsys, *args) -> tuple[int, str, str]:
    try:
        cli.main(["clean", *args])
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("encoding, bom, label", [
    ("utf-16-le", b"\xff\xfe", "UTF-16 LE"), ("utf-16-be", b"\xfe\xff", "UTF-16 BE"),
    ("utf-32-le", b"\xff\xfe\x00\x00", "UTF-32 LE"), ("utf-16-le", b"", "UTF-16 LE"),
    ("utf-32-be", b"", "UTF-32 BE"),
])
def test_utf16_and_utf32_input_is_decoded_and_named(project, tmp_path, capsys, encoding, bom, label):
    given = tmp_path / "excel export.csv"
    given.write_bytes(bom + _csv_text().encode(encoding))
    code, out, err = _run(capsys, str(given), "-o", str(tmp_path / "out.parquet"))
    assert code == 0, err
    assert label in err and "excel export.csv" in err
    frame = pl.read_parquet(tmp_path / "out.parquet")
    assert frame["title"].to_list() == [r[0] for r in ROWS]
    assert frame["city"].to_list()[1] == "Zürich"


def test_latin1_input_is_decoded_and_named_and_strict_refuses_it(project, tmp_path, capsys):
    given = tmp_path / "legacy.csv"
    given.write_bytes(_csv_text().encode("cp1252"))
    code, _out, err = _run(capsys, str(given), "-o", str(tmp_path / "out.csv"))
    assert code == 0 and "not UTF-8" in err and "line 3" in err and "Windows-1252" in err
    assert pl.read_csv(tmp_path / "out.csv")["city"].to_list()[1] == "Zürich"
    code, _out, err = _run(capsys, str(given), "-o", str(tmp_path / "strict.csv"), "--strict")
    assert code == 2 and "not UTF-8" in err and not (tmp_path / "strict.csv").exists()


def test_a_directory_is_named_as_one(project, tmp_path, capsys):
    (tmp_path / "postings.csv").mkdir()
    code, _out, err = _run(capsys, str(tmp_path / "postings.csv"), "-o", str(tmp_path / "out.csv"))
    assert code == 2 and "is a directory" in err and "no such file" not in err


def _jsonl(tmp_path, n=10_000, bad=(5_234,)):
    lines = [json.dumps({"title": f"ML Engineer {i}", "company": "Acme", "location": "Austin, TX"})
             for i in range(1, n + 1)]
    for number in bad:
        lines[number - 1] = lines[number - 1][:29]  # cut mid-record, as a killed writer leaves it
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_one_bad_jsonl_line_keeps_the_good_rows_and_names_the_line(project, tmp_path, capsys):
    given = _jsonl(tmp_path)
    code, out, err = _run(capsys, str(given), "-o", str(tmp_path / "out.parquet"))
    assert code == 0, err
    assert "Skipped 1 of 10,000 lines" in err and "line 5234" in err and "Cleaned 9,999 rows" in out
    frame = pl.read_parquet(tmp_path / "out.parquet")
    assert frame.height == 9_999 and "ML Engineer 5234" not in frame["title"].to_list()


def test_many_bad_lines_list_the_first_ones(project, tmp_path, capsys):
    given = _jsonl(tmp_path, n=100, bad=(3, 10, 20, 30, 40, 50, 60))
    code, _out, err = _run(capsys, str(given), "-o", str(tmp_path / "out.csv"))
    assert code == 0 and "Skipped 7 of 100 lines" in err and "lines 3, 10, 20, 30, 40, ..." in err


def test_strict_refuses_a_file_with_a_bad_line_naming_it(project, tmp_path, capsys):
    given = _jsonl(tmp_path, n=50, bad=(7, 9))
    code, _out, err = _run(capsys, str(given), "-o", str(tmp_path / "out.csv"), "--strict")
    assert code == 2 and "line 7" in err and "2 bad lines" in err and not (tmp_path / "out.csv").exists()


def test_a_ragged_csv_row_is_named_and_skipped(project, tmp_path, capsys):
    given = tmp_path / "ragged.csv"
    given.write_text(_csv_text() + "Data Engineer,Delta,Austin,TX,extra\n" + "ML Engineer,Eps,\"Boston, MA\"\n")
    code, out, err = _run(capsys, str(given), "-o", str(tmp_path / "out.csv"))
    assert code == 0, err
    assert "line 5" in err and "Skipped 1 of 5 lines" in err and "Cleaned 4 rows" in out
    code, _out, err = _run(capsys, str(given), "-o", str(tmp_path / "strict.csv"), "--strict")
    assert code == 2 and "line 5: 5 fields where the header has 3" in err


def test_map_onto_an_existing_column_replaces_it(project, tmp_path, capsys):
    given = tmp_path / "in.csv"
    given.write_text("title,company,location\nAcme Corp,Machine Learning Engineer,Austin TX\n")
    code, _out, err = _run(capsys, str(given), "-o", str(tmp_path / "out.parquet"), "--map", "title=company")
    assert code == 0, err
    assert "replaces the input's own 'title' column" in err
    frame = pl.read_parquet(tmp_path / "out.parquet")
    assert frame["title"].to_list() == ["Machine Learning Engineer"]
    assert frame["role_family"].to_list() == ["ml_engineer"]


def test_a_bad_csv_line_in_a_later_chunk_falls_back_to_the_careful_reader(project, tmp_path, capsys, monkeypatch):
    """The streamed path reads its chunks in worker processes; a bad line in the fourth chunk still ends in the
    careful reader's one note, with every good row kept."""
    from marketlib import userclean

    monkeypatch.setattr(userclean, "CSV_CHUNK_BYTES", 64 * 1024)
    rows = [f'ML Engineer {i},Acme,"Austin, TX",{"text " * 40}' for i in range(1, 2001)]
    rows[1500] = 'ML Engineer 1501,Acme,Austin,TX,extra,fields'
    given = tmp_path / "big.csv"
    given.write_text("title,company,location,description\n" + "\n".join(rows) + "\n")
    assert given.stat().st_size > 4 * userclean.CSV_CHUNK_BYTES
    code, out, err = _run(capsys, str(given), "-o", str(tmp_path / "out.parquet"))
    assert code == 0, err
    assert "line 1502" in err and "Cleaned 1,999 rows" in out
    frame = pl.read_parquet(tmp_path / "out.parquet")
    assert frame.height == 1_999 and "ML Engineer 1501" not in frame["title"].to_list()
