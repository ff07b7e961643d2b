"""clean.dedup: stable ids and the cross-source duplicate flag."""

from __future__ import annotations

import datetime as dt
import hashlib

import polars as pl

from marketlib.clean.dedup import DESCRIPTION_EDGE, add_ids, dedup_keys, normalize_company


def _frame(**cols) -> pl.DataFrame:
    base = {"source": None, "source_posting_id": None, "company": None, "title": None, "location_raw": None,
            "description": None, "metro_code": None, "city": None, "country": None, "posted_date": None}
    n = len(next(iter(cols.values())))
    data = {k: cols.get(k, [v] * n) for k, v in base.items()}
    return pl.DataFrame(data, schema={**dict.fromkeys(base, pl.String), "posted_date": pl.Date})


def test_posting_id_is_sha256_of_source_and_id():
    out = add_ids(_frame(source=["greenhouse"], source_posting_id=["123"], title=["x"]))
    assert out["posting_id"][0] == hashlib.sha256(b"id|greenhouse|123").hexdigest()[:16]


def test_posting_id_is_stable_and_independent_of_row_order():
    frame = _frame(source=["a", "b", "c"], source_posting_id=["1", "2", None], title=["x", "y", "z"],
                   description=["d1", "d2", "d3"])
    one = add_ids(frame)
    two = add_ids(frame.reverse())
    assert one["posting_id"].to_list() == two["posting_id"].reverse().to_list()


def test_content_id_when_no_source_id_ignores_case_and_spacing():
    a = add_ids(_frame(source=["s"], company=["Acme Inc."], title=["Data  Scientist"], description=["Hello"]))
    b = add_ids(_frame(source=["s"], company=["ACME"], title=["data scientist"], description=["hello "]))
    assert a["posting_id"][0] == b["posting_id"][0]


def test_content_key_is_bounded_and_tells_long_texts_apart_by_their_ends():
    long_a, long_b = "Build models. " * 700 + "Apply in Berlin.", "Build models. " * 700 + "Apply in Munich."
    frame = _frame(source=["s", "s"], company=["Acme", "Acme"], title=["ML Engineer"] * 2,
                   description=[long_a, long_b])
    keys = dedup_keys(frame)["_key"]
    assert keys.n_unique() == 2 and keys.str.len_bytes().max() < 2 * DESCRIPTION_EDGE + 100
    together = add_ids(frame)["posting_id"].to_list()
    alone = [add_ids(frame.slice(i, 1))["posting_id"][0] for i in range(2)]
    assert together == alone  # no "#1" occurrence suffix: the two keys differ


def test_repeated_source_id_gets_unique_deterministic_ids():
    out = add_ids(_frame(source=["a", "a", "a"], source_posting_id=["1", "1", "1"], title=["x", "x", "x"]))
    ids = out["posting_id"].to_list()
    assert len(set(ids)) == 3
    assert ids[0] == hashlib.sha256(b"id|a|1").hexdigest()[:16]
    assert ids[1] == hashlib.sha256(b"id|a|1#1").hexdigest()[:16]


def test_normalize_company_drops_legal_forms_and_punctuation():
    s = pl.Series(["Acme, Inc.", "ACME LLC", "Acme Corp.", "Acme Holdings Ltd", None])
    assert pl.select(normalize_company(pl.lit(s))).to_series().to_list() == [
        "acme", "acme", "acme", "acme holdings", ""]


def test_duplicates_across_sources_keep_the_earliest():
    out = add_ids(_frame(
        source=["lever", "greenhouse", "jobspy", "jobspy"],
        source_posting_id=["1", "2", "3", "4"],
        company=["Acme Inc.", "ACME, LLC", "Acme", "Acme"],
        title=["Data Scientist", "data scientist", "Data Scientist", "Data Engineer"],
        metro_code=["41940", "41940", "35620", "41940"],
        posted_date=[dt.date(2024, 3, 2), dt.date(2024, 3, 1), dt.date(2024, 1, 1), dt.date(2024, 1, 1)],
    ))
    # Rows 0 and 1 share company+title+metro; row 1 was posted first. Other metro / title: not duplicates.
    assert out["is_duplicate"].to_list() == [True, False, False, False]


def test_ties_keep_input_order_and_city_country_used_without_metro():
    out = add_ids(_frame(
        source=["a", "b", "c"], source_posting_id=["1", "2", "3"], company=["X", "X", "X"],
        title=["T", "T", "T"],
        city=["Toronto", "Toronto", "Toronto"], country=["CA", "CA", "US"],
    ))
    assert out["is_duplicate"].to_list() == [False, True, False]


def test_rows_without_fingerprint_are_never_duplicates():
    out = add_ids(_frame(source=["a", "b"], source_posting_id=["1", "2"]))
    assert out["is_duplicate"].to_list() == [False, False]
    assert out["posting_id"].n_unique() == 2
