"""Hostile and odd input for every parser, generated with hypothesis (GENERATED test data, not recordings).

The contract: a parser given garbage, wrong JSON types, missing keys, wrong or missing CSV columns, a BOM, CRLF,
Latin-1 bytes, an empty file or binary junk either returns frames or raises one `MarketlibError` whose message
names the file; never any other exception. Examples are few per test (the whole file runs in well under 40 s)
but the strategies are built from the pieces real inputs are made of, so they reach deep branches quickly.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketlib.errors import MarketlibError
from marketlib.snapshots import latest_by_name, write_snapshot
from marketlib.sources import registry

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

# ------------------------------------------------------------------------------------------ strategies

ATS_KEYS = ["id", "title", "text", "location", "offices", "metadata", "content", "jobs", "name", "value",
            "categories", "allLocations", "commitment", "salaryRange", "min", "max", "currency", "interval",
            "createdAt", "hostedUrl", "lists", "additional", "country", "workplaceType", "compensation",
            "summaryComponents", "compensationTiers", "components", "compensationType", "minValue", "maxValue",
            "currencyCode", "isListed", "isRemote", "secondaryLocations", "publishedAt", "first_published",
            "absolute_url", "descriptionHtml", "employmentType", "jobUrl", "company_name"]
scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=12)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(ATS_KEYS) | st.text(max_size=4), inner, max_size=5), max_leaves=20)
records = st.dictionaries(st.sampled_from(ATS_KEYS), json_values, max_size=10)
ats_bodies = (json_values | st.fixed_dictionaries({"jobs": st.lists(records | json_values, max_size=3)})
              | st.lists(records | json_values, max_size=3))
raw_bodies = st.sampled_from([b"", b"{", b"\xef\xbb\xbf{}", "{\"jobs\": [\"\xe9\"]}".encode("latin-1"),
                              b"<html>maintenance</html>", bytes(range(256))]) | st.binary(max_size=64)


def csv_bytes(headers: list[bytes]) -> st.SearchStrategy[bytes]:
    """CSV-ish bytes: a real or wrong header, rows of tricky cells, any line ending, maybe a BOM; or junk."""
    cells = st.sampled_from([b"ML Engineer", b"Acme", b"Berlin, DE", b'"quoted, comma"', b'"unterminated', b"",
                             "Ing\xe9nieur".encode("latin-1"), b"\x00\xff", b"$120K-$150K", b"2024", b"-1",
                             b"2024-13-45", b"NaN"])
    rows = st.lists(st.lists(cells, max_size=6).map(b",".join), max_size=4)
    header = st.sampled_from([*headers, b"x,y", b"", b"a,a"])
    eol = st.sampled_from([b"\n", b"\r\n", b"\r"])
    bom = st.sampled_from([b"", b"\xef\xbb\xbf"])
    built = st.builds(lambda b, h, r, e: b + h + e + e.join(r), bom, header, rows, eol)
    return built | st.binary(max_size=128)


def parse_fresh(source: str, filename: str, data: bytes, **extra):
    """Store `data` as the only snapshot of `source` in a throw-away raw dir and parse it."""
    with tempfile.TemporaryDirectory() as tmp:
        write_snapshot(source, filename, data=data, raw_dir=Path(tmp), extra=extra or None)
        try:
            return registry()[source].parse(latest_by_name(source, Path(tmp)))
        except MarketlibError as exc:
            assert filename in str(exc) or source in str(exc), f"error does not name the file: {exc}"
            return None


def assert_frames(out) -> None:
    if out is not None:
        assert all(isinstance(frame, pl.DataFrame) for frame in out.tables.values())


# ------------------------------------------------------------------------------------------ ATS JSON


@pytest.mark.parametrize("source, filename", [("greenhouse", "acme.json"), ("ashby", "acme.json"),
                                              ("lever", "acme.p000.json")])
def test_ats_parsers_on_fuzzed_json_give_frames_or_a_clear_error(source, filename):
    @FUZZ
    @given(ats_bodies | raw_bodies.map(lambda b: ("raw", b)))
    def check(body):
        data = body[1] if isinstance(body, tuple) else json.dumps(body).encode()
        assert_frames(parse_fresh(source, filename, data, board="acme", company="Acme"))

    check()


def test_ats_json_of_the_wrong_shape_is_one_user_error_naming_the_snapshot(tmp_path):
    from marketlib.errors import UserError

    write_snapshot("greenhouse", "acme.json", data=b'{"jobs": [{"id": 1, "location": "Berlin"}]}',
                   raw_dir=tmp_path)
    with pytest.raises(UserError, match=r"greenhouse/\d{4}-\d\d-\d\d/acme.json is not JSON of the expected"):
        registry()["greenhouse"].parse(latest_by_name("greenhouse", tmp_path))


# ------------------------------------------------------------------------------------------ CSV loaders

CSV_SOURCES = [
    ("glassdoor", "glassdoor_jobs.csv",
     [b",Job Title,Salary Estimate,Job Description,Rating,Company Name,Location,Size"]),
    ("aijobs", "salaries_2025-01-19.csv",
     [b"work_year,experience_level,employment_type,job_title,salary,salary_currency,salary_in_usd,"
      b"employee_residence,remote_ratio,company_location,company_size"]),
    ("evidently", "evidently_db_2025-01_511rows.csv", [b"Company,Industry,Title,Tag,Year,Link,Short description"]),
    ("hiring_lab", "aggregate_job_postings_US.csv", [b"date,jobcountry,indeed_job_postings_index_SA,variable"]),
]


@pytest.mark.parametrize("source, filename, headers", CSV_SOURCES, ids=[s for s, _, _ in CSV_SOURCES])
def test_csv_loaders_on_fuzzed_bytes_give_frames_or_a_clear_error(source, filename, headers):
    @FUZZ
    @given(csv_bytes(headers))
    def check(data):
        assert_frames(parse_fresh(source, filename, data))

    check()


# ------------------------------------------------------------------------------------------ marketlib clean


USER_HEADERS = [b"title,company,location,description", b"\xef\xbb\xbftitle,location", b"Job Title"]


def test_user_table_reader_gives_a_frame_or_one_error_naming_the_file():
    from marketlib.userclean import read_table

    @FUZZ
    @given(csv_bytes(USER_HEADERS), st.sampled_from([".csv", ".jsonl", ".parquet", ".txt"]))
    def check(data, suffix):
        with tempfile.TemporaryDirectory() as tmp:
            given_file = Path(tmp) / f"mine{suffix}"
            given_file.write_bytes(data)
            try:
                frame = read_table(given_file)
            except MarketlibError as exc:
                assert f"mine{suffix}" in str(exc) and "\n" not in str(exc).strip()
            else:
                assert suffix != ".txt" and isinstance(frame, pl.DataFrame)

    check()


def test_user_tables_give_a_cleaned_table_or_one_error_naming_the_file():
    from marketlib.userclean import clean_file

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(csv_bytes(USER_HEADERS), st.sampled_from([".csv", ".jsonl", ".parquet"]))
    def check(data, suffix):
        with tempfile.TemporaryDirectory() as tmp:
            given_file = Path(tmp) / f"mine{suffix}"
            given_file.write_bytes(data)
            try:
                rows = clean_file(given_file, Path(tmp) / "out.csv", [])
            except MarketlibError as exc:
                assert f"mine{suffix}" in str(exc) and "\n" not in str(exc).strip()
                assert not (Path(tmp) / "out.csv").exists()
            else:
                assert rows == pl.read_csv(Path(tmp) / "out.csv", infer_schema=False).height

    check()


# ------------------------------------------------------------------------------------------ Hacker News

HN_PIECES = ["|", " | ", "<p>", "</p>", '<a href="https://x.io">x</a>', "<i>", "&#x2F;", "&amp;", "$", "€", "k",
             "120", "-", "–", "Remote", "ONSITE", "Berlin, Germany", "SF", "Full-time", "Intern", "ML Engineer",
             "Senior", "(", ")", ",", "/", "\n", "Location:", "Salary:", "999999999999999999999", "\x00", "🙂",
             "Series B", "roles:", "* ", "- ", "•"]
hn_text = st.lists(st.sampled_from(HN_PIECES) | st.text(max_size=6), max_size=25).map("".join)
HTML_PIECES = ['<tr class="athing comtr" id="1">', '<td class="ind" indent="0">', '<td class="ind" indent="x">',
               '<td class="ind">', '<img src="s.gif" width="40px">', '<img width="80">', '<div class="commtext">',
               '<span class="commtext">', "</div>", "</td>", "</tr>", '<span class="age" title="garbage">',
               '<span class="age" title="2026-09-01T16:08:05 99999999999999999">', '<a class="hnuser">u</a>',
               '<span class="comhead">[dead]</span>', '<a class="morelink" href="item?id=1&p=x">More</a>',
               '<div class="reply">r</div>', "text", "<p>"]


@FUZZ
@given(hn_text)
def test_hn_header_and_body_parsing_never_raises(text):
    hp = pytest.importorskip("marketlib.sources.hn_parse")
    post = hp.parse_post("1", text)
    assert post.is_job_posting or post.skip_reason
    salary = hp.parse_salary(text)
    assert salary is None or salary.minimum is None or salary.minimum >= 0
    hp.parse_hn_time(text)
    hp.thread_kind_and_month(text)


@FUZZ
@given(st.lists(st.sampled_from(HTML_PIECES) | st.text(max_size=5), max_size=25).map("".join))
def test_hn_html_pages_missing_or_malformed_nodes_never_raise(page):
    hp = pytest.importorskip("marketlib.sources.hn_parse")
    comments, more = hp.comments_from_hn_html(page)
    assert all(c["is_top_level"] in (True, False) for c in comments)
    assert more is None or isinstance(more, str)


hn_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.floats()
hn_child = st.dictionaries(st.sampled_from(["id", "type", "text", "created_at", "author", "deleted", "dead",
                                            "children", "time", "by"]),
                           hn_scalars | st.lists(hn_scalars, max_size=2), max_size=6)


@FUZZ
@given(st.dictionaries(st.sampled_from(["id", "children", "type"]),
                       st.lists(hn_child | hn_scalars, max_size=3) | hn_scalars, max_size=3),
       st.lists(st.tuples(hn_scalars, hn_child | hn_scalars), max_size=3))
def test_hn_api_items_of_the_wrong_shape_never_raise(algolia_item, firebase_kids):
    hp = pytest.importorskip("marketlib.sources.hn_parse")
    assert isinstance(hp.comments_from_algolia(algolia_item), list)
    assert len(hp.comments_from_firebase(firebase_kids)) == len(firebase_kids)


# ------------------------------------------------------------------------------------------ cleaning strings

money = st.sampled_from(["$120k-$150k", "€80k–100k", "$45/hr", "USD 1e99", "$9999999999999999999999", "£", "$.5k",
                         "₹12,00,000", "$1,2,3", "$200B company", "401k", "5-7 years"])


def test_salary_text_gives_plausible_annual_usd_or_null():
    salary = pytest.importorskip("marketlib.clean.salary")

    @FUZZ
    @given(st.lists(st.text(max_size=30) | money | st.none(), max_size=8))
    def check(texts):
        out = pl.DataFrame({"t": texts}, schema={"t": pl.String}).select(
            salary.parse_salary_text(pl.col("t")).alias("s")).unnest("s")
        assert out.height == len(texts)
        for low, high in out.iter_rows():
            assert (low is None) == (high is None)
            if low is not None:
                assert salary.MIN_ANNUAL_USD <= low <= high <= salary.MAX_ANNUAL_USD

    check()


PLACES = st.sampled_from(["Remote", "SF, CA", "Berlin | Remote (EU)", "", "  ", "München", "\x00",
                          "New York, NY; London, UK"])


def test_location_strings_never_raise():
    locations = pytest.importorskip("marketlib.clean.locations")
    add = getattr(locations, "add_locations", None)
    if add is None:
        pytest.skip("marketlib.clean.locations has no add_locations yet")

    @settings(FUZZ, max_examples=30)
    @given(st.lists(st.text(max_size=30) | PLACES, max_size=8))
    def check(texts):
        frame = pl.DataFrame({"location_raw": texts}, schema={"location_raw": pl.String})
        assert add(frame).height == len(texts)

    check()
