"""BLS OEWS: the pinned SQLite bundle through the mirror, and the flat-file and xlsx readers on hand-written
fixtures (tests/data/oews_flat, tests/data/oews_xlsx)."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest

from marketlib import schemas
from marketlib.errors import UserError
from marketlib.snapshots import latest_by_name, write_snapshot
from marketlib.sources import FetchContext, fetch_upstream_files, oews
from tests.conftest import MIRROR, need

BUNDLE = MIRROR / "bls_oews_2025" / "oews-2025.sqlite.gz"
DATA = Path(__file__).resolve().parents[1] / "data"
FOCUS_SOC = ["00-0000", "15-0000", "15-1221", "15-1252", "15-2051"]


@pytest.fixture
def professionals(project) -> pl.DataFrame:
    need(BUNDLE)
    statuses = fetch_upstream_files(oews.SOURCE, FetchContext(project))
    assert [s.status for s in statuses] == ["ok"], [s.message for s in statuses]
    out = oews.SOURCE.parse(latest_by_name(oews.SOURCE.name, project.raw_dir))
    assert out.drops == []
    return out["professionals"]


def _employment(frame: pl.DataFrame, soc: str, **where) -> int:
    rows = frame.filter(pl.col("soc_code") == soc, *[pl.col(k) == v for k, v in where.items()])
    return int(rows.get_column("employment").sum())


def test_may_2025_data_scientists_nationally_and_in_the_bay_area(professionals):
    assert _employment(professionals, "15-2051", area_type="national") == 262_440
    assert _employment(professionals, "15-1221", area_type="national") == 37_200
    assert _employment(professionals, "15-1252", area_type="national") == 1_687_890
    bay_area = pl.col("metro_code").is_in(["41860", "41940"])
    bay = professionals.filter(pl.col("soc_code") == "15-2051", bay_area)
    assert dict(bay.select("metro_code", "employment").iter_rows()) == {"41860": 10_460, "41940": 6_060}
    assert int(bay.get_column("employment").sum()) == 16_520
    assert bay.filter(pl.col("metro_code") == "41860").get_column("area_name").item() == \
        "San Francisco-Oakland-Fremont, CA"


def test_every_area_is_kept_for_the_focus_occupations(professionals):
    conformed = schemas.conform(professionals, schemas.schema("professionals"))
    validated = schemas.validate("professionals", conformed)
    assert validated.get_column("year").unique().to_list() == [2025]
    focus = validated.filter(pl.col("soc_code").is_in(FOCUS_SOC))
    # Row counts of the mirror's derived extract (PROVENANCE.md): 2,270 = 5 + 247 + 1,533 + 485.
    assert dict(focus.group_by("area_type").len().iter_rows()) == {"national": 5, "state": 247, "msa": 1533,
                                                                   "nonmetro": 485}
    msa = validated.filter(pl.col("area_type") == "msa")
    assert (msa.get_column("metro_code") == msa.get_column("area_code").str.slice(2)).all()
    assert validated.filter(pl.col("area_type") != "msa").get_column("metro_code").null_count() == \
        validated.filter(pl.col("area_type") != "msa").height
    national_all = validated.filter(pl.col("soc_code") == "00-0000", pl.col("area_type") == "national")
    assert national_all.get_column("annual_median_wage_usd").item() == 50_980


def test_flat_files_reader_on_the_hand_written_fixture():
    folder = DATA / "oews_flat"
    frame = oews.professionals_from_flat_files(
        (folder / "oe.data.0.Current").read_bytes(), (folder / "oe.area").read_bytes(),
        (folder / "oe.occupation").read_bytes(), snapshot_id="oews/2026-01-01/oe.data.0.Current")
    by_key = {(r["area_code"], r["soc_code"]): r for r in frame.iter_rows(named=True)}
    # Other years, single industries and occupations outside SOC 15 are left out.
    assert set(by_key) == {("0000000", "00-0000"), ("0000000", "15-2051"), ("0600000", "15-2051"),
                           ("0041860", "15-2051"), ("0041940", "15-1221"), ("0600001", "15-2051")}
    assert by_key[("0000000", "15-2051")]["employment"] == 262_440
    assert by_key[("0000000", "15-2051")]["year"] == 2025
    assert by_key[("0041860", "15-2051")]["metro_code"] == "41860"
    assert by_key[("0600000", "15-2051")]["annual_median_wage_usd"] is None  # '-' = not released
    capped = by_key[("0041940", "15-1221")]
    assert capped["employment"] is None
    assert capped["annual_median_wage_usd"] == 239_200 and capped["is_median_wage_top_coded"] is True
    assert by_key[("0600001", "15-2051")]["area_type"] == "nonmetro"
    assert by_key[("0000000", "00-0000")]["occupation_name"] == "All Occupations"


def _xlsx_from_rows(csv_path: Path) -> bytes:
    """An OEWS-style workbook from the hand-written rows: numbers as numbers, special values as text."""
    from openpyxl import Workbook

    rows = pl.read_csv(csv_path, infer_schema=False)
    book = Workbook()
    sheet = book.active
    sheet.append(rows.columns)
    for row in rows.iter_rows():
        cells = []
        for value in row:
            try:
                cells.append(int(value) if value is not None and value.isdigit() else float(value))
            except (TypeError, ValueError):
                cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_reader_handles_the_special_values():
    data = _xlsx_from_rows(DATA / "oews_xlsx" / "area_table_rows.csv")
    frame = oews.professionals_from_xlsx(data, year=2025, snapshot_id="oews/2026-01-01/MSA_M2025_dl.xlsx")
    by_key = {(r["area_code"], r["soc_code"]): r for r in frame.iter_rows(named=True)}
    assert set(by_key) == {("0000000", "00-0000"), ("0000000", "15-2051"), ("0600000", "15-2051"),
                           ("7200000", "15-2051"), ("0041860", "15-2051"), ("0041940", "15-1221"),
                           ("0600001", "15-2051")}  # the industry row and SOC 29 are left out
    assert by_key[("0000000", "15-2051")]["employment"] == 262_440  # not the sector row's 61,000
    assert by_key[("0600000", "15-2051")]["annual_median_wage_usd"] is None  # '*'
    territory = by_key[("7200000", "15-2051")]
    assert territory["area_type"] == "state" and territory["employment"] is None  # '**'
    capped = by_key[("0041940", "15-1221")]
    assert capped["annual_median_wage_usd"] == 239_200 and capped["is_median_wage_top_coded"] is True
    assert capped["metro_code"] == "41940"
    assert by_key[("0600001", "15-2051")]["area_type"] == "nonmetro"
    assert by_key[("0041860", "15-2051")]["annual_median_wage_usd"] == 170_110
    schemas.validate("professionals", schemas.conform(frame, schemas.schema("professionals")))


def test_parse_reads_an_xlsx_snapshot_and_reports_one_without_a_year(tmp_path):
    data = _xlsx_from_rows(DATA / "oews_xlsx" / "area_table_rows.csv")
    named = write_snapshot("oews", "MSA_M2024_dl.xlsx", data=data, raw_dir=tmp_path)
    unnamed = write_snapshot("oews", "area_table.xlsx", data=data, raw_dir=tmp_path)
    out = oews.parse({named.original_name: named, unnamed.original_name: unnamed})
    assert out["professionals"].height == 7
    assert out["professionals"].get_column("year").unique().to_list() == [2024]
    assert [d.reason for d in out.drops] == ["area_table.xlsx: no year in the file name"]


def test_a_file_that_is_not_a_sqlite_bundle_is_a_user_error():
    import gzip

    with pytest.raises(UserError, match="not a SQLite database"):
        oews.professionals_from_sqlite(gzip.compress(b"hello"))


def test_wage_cap_is_read_from_the_footnote():
    text = "This wage is equal to or greater than $115.00 per hour or $239,200 per year."
    assert oews.wage_cap_from_footnote(text) == 239_200
    assert oews.wage_cap_from_footnote(None) == oews.DEFAULT_WAGE_CAP_USD
