"""Statistics Canada 2021 Census (NOC unit groups by province) + Brookfield 2016 tech workers by CMA ->
estimated Canadian `professionals` per metro (CMA), always flagged `is_estimate`.

Canada has no OEWS and no open 2021 count by occupation for a metro. The estimate apportions each province's
2021 count of a NOC unit group to its CMAs by their 2016 share of the province's tech workers:

    estimate(NOC, CMA) = count_2021(NOC, province) × tech_2016(CMA) ÷ Σ tech_2016(CMAs and CAs of the province)

The provincial tech total is the sum over the province's CMAs and census agglomerations in the Brookfield
file (rural areas are not in it, so shares lean a little high). Ottawa–Gatineau is filed under Ontario there
and is apportioned from Ontario's count. The apportioning error is unknown (30–50% is plausible): rows carry
APPORTIONING_RSE_PCT as their relative standard error, so every interval built on them is wide.
NOC unit groups map to SOC codes as NOC_TO_SOC says; SOC 15-1221 has no NOC unit group of its own.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import polars as pl

from marketlib import schemas
from marketlib.errors import UserError
from marketlib.snapshots import Snapshot
from marketlib.sources import ParseResult, Source, UpstreamFile

NAME = "statcan"
CENSUS_YEAR = 2021
# The judged error of apportioning a province's count by 2016 tech shares, as a relative standard error:
# a 95% interval of about ×0.61 … ×1.63 around the estimate.
APPORTIONING_RSE_PCT = 25.0
NOC_TO_SOC = {
    "21211": ("15-2051", "Data scientists"),
    "21231": ("15-1252", "Software engineers, designers, developers and programmers"),
    "21232": ("15-1252", "Software engineers, designers, developers and programmers"),
}
# Census province code -> (snapshot file, abbreviation)
PROVINCES = {
    "35": ("ontario.csv", "ON"),
    "24": ("quebec.csv", "QC"),
    "59": ("british_columbia.csv", "BC"),
    "48": ("alberta.csv", "AB"),
}
TECH_FILE = "cma_tech_concentration_2016.rds"
_REPO = "https://raw.githubusercontent.com/SalamAlrifaie/Occupation-Distribution-Dashboard/"
_COMMIT = "c6290e145a776868e7b67279880a765c1f8b5dc8"
_BROOKFIELD = ("https://raw.githubusercontent.com/BrookfieldIIE/state-of-tech-sector-2017/"
               "c7c0f2cdfdea497cc8bf5ff4692c7f204264345d/cma.tech.concentration.rds")


def noc_counts(data: bytes) -> pl.DataFrame:
    """A StatCan 98-10-0404-01 CSV -> noc_code, noc_name, count (Total - Gender) for 5-digit unit groups."""
    frame = pl.read_csv(io.BytesIO(data), infer_schema=False, encoding="utf8-lossy", has_header=True)
    if frame.width < 2:
        raise UserError("A StatCan occupation table has fewer than two columns.")
    label, total = frame.columns[0], frame.columns[1]
    parts = pl.col(label).str.strip_chars().str.replace(r"\s+\d+$", "").str.extract_groups(r"^(\d{5}) (.+)$")
    return (
        frame.select(parts.alias("p"), pl.col(total).str.replace_all(",", "").cast(pl.Int64, strict=False)
                     .alias("count"))
        .unnest("p")
        .rename({"1": "noc_code", "2": "noc_name"})
        .drop_nulls(["noc_code", "count"])
    )


def tech_workers(data: bytes) -> pl.DataFrame:
    """The Brookfield RDS -> cma_code (5 digits, province first), cma_name, tech_workers_2016."""
    import pyreadr

    # pyreadr reads from a path only
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / TECH_FILE
        path.write_bytes(data)
        try:
            frame = next(iter(pyreadr.read_r(str(path)).values()))
        except Exception as exc:  # noqa: BLE001 - pyreadr raises its own error types for a bad file
            raise UserError(f"The Brookfield tech-workers file is not a readable RDS file ({exc}).") from exc
    tech = pl.from_pandas(frame).with_columns(pl.col("GEO.NAME").cast(pl.String))
    return tech.filter(pl.col("tech") == 1).select(
        pl.col("ALT.GEO.CODE").cast(pl.String).alias("cma_code"),
        pl.col("GEO.NAME").str.replace_all(r"\s+-\s+", "–").alias("cma_name"),
        pl.col("V1").cast(pl.Int64).alias("tech_workers_2016"),
    )


def estimates(provincial: pl.DataFrame, tech: pl.DataFrame) -> pl.DataFrame:
    """provincial: province_code, noc_code, count; tech: cma_code, cma_name, tech_workers_2016 ->
    one row per CMA and SOC code with the apportioned employment (see the module doc)."""
    shares = tech.with_columns(pl.col("cma_code").str.slice(0, 2).alias("province_code")).with_columns(
        (pl.col("tech_workers_2016") / pl.col("tech_workers_2016").sum().over("province_code")).alias("share")
    )
    mapping = pl.DataFrame(
        {"noc_code": list(NOC_TO_SOC), "soc_code": [v[0] for v in NOC_TO_SOC.values()],
         "occupation_name": [v[1] for v in NOC_TO_SOC.values()]}
    )
    counts = (
        provincial.join(mapping, on="noc_code", how="inner")
        .group_by("province_code", "soc_code", "occupation_name")
        .agg(pl.col("count").sum(), pl.col("noc_code").sort().str.join("+").alias("nocs"))
    )
    abbreviations = pl.DataFrame({"province_code": list(PROVINCES), "abbr": [v[1] for v in PROVINCES.values()]})
    return (
        shares.join(counts, on="province_code", how="inner")
        .join(abbreviations, on="province_code", how="left")
        .select(
            pl.col("cma_code").alias("area_code"),
            pl.lit("cma").alias("area_type"),
            pl.concat_str([pl.col("cma_name"), pl.col("abbr")], separator=", ").alias("area_name"),
            "soc_code",
            (pl.col("occupation_name") + " (NOC " + pl.col("nocs") + ")").alias("occupation_name"),
            (pl.col("count") * pl.col("share")).round(0).cast(pl.Int64).alias("employment"),
            pl.lit(APPORTIONING_RSE_PCT).alias("employment_rse_pct"),
            pl.lit(True).alias("is_estimate"),
        )
        .sort("area_code", "soc_code")
    )


def parse(snapshots: dict[str, Snapshot]) -> ParseResult:
    """Province tables + the tech-workers file -> estimated professionals per CMA (empty without both)."""
    tech_snap = snapshots.get(TECH_FILE)
    provincial = [
        noc_counts(snapshots[file].read_bytes()).with_columns(pl.lit(code).alias("province_code"))
        for code, (file, _) in PROVINCES.items()
        if file in snapshots
    ]
    if tech_snap is None or not provincial:
        return ParseResult({"professionals": schemas.empty("professionals")})
    out = estimates(pl.concat(provincial), tech_workers(tech_snap.read_bytes())).with_columns(
        pl.lit(CENSUS_YEAR, pl.Int32).alias("year"),
        pl.lit(NAME).alias("source"),
        # the province count is the figure the estimate stands on; the tech shares scale it
        pl.lit(next(snapshots[f].snapshot_id for f, _ in PROVINCES.values() if f in snapshots)).alias(
            "snapshot_id"
        ),
    )
    return ParseResult({"professionals": schemas.conform(out, schemas.schema("professionals"))})


def _province_file(file: str, upstream: str, sha256: str) -> UpstreamFile:
    return UpstreamFile(
        name=file,
        url=_REPO + _COMMIT + "/" + upstream.replace(" ", "%20"),
        version=f"commit {_COMMIT[:12]}",
        sha256=sha256,
        mirror_path=f"statcan_census_2021_noc/provinces/{upstream}",
    )


SOURCE = Source(
    name=NAME,
    description="StatCan 2021 Census occupations by province, apportioned to metros (CMA) by 2016 tech "
                "shares: ESTIMATED Canadian professionals.",
    kind="download",
    license="Statistics Canada Open Licence (2021 Census, table 98-10-0404-01); Brookfield Institute 2016 "
            "tabulations of StatCan data (repository: no license file; code described as MIT)",
    homepage="https://www12.statcan.gc.ca/census-recensement/2021/dp-pd/dt-td/",
    tables=("professionals",),
    parse=parse,
    files=(
        _province_file("ontario.csv", "Ontario.csv",
                       "ae91eced8e87a190ba688c61c7a18eabcf2b13ecf4c8dfd25ab1cfaa4457ffe3"),
        _province_file("quebec.csv", "Quebec.csv",
                       "401c6e4626301c9c97c3ebeac78a46d0f48a602b19f5c8d4ef1a1f3943262503"),
        _province_file("british_columbia.csv", "British Columbia.csv",
                       "de33b230cdc16ed1189141ace3c303a16a60a6b927642d33debdd050c95499c9"),
        _province_file("alberta.csv", "Alberta.csv",
                       "75b7d7d9ef479b13b933751c1569d02f7e83d32fb92a6b7d96535d198aa649da"),
        UpstreamFile(
            name=TECH_FILE,
            url=_BROOKFIELD,
            version="commit c7c0f2cdfdea",
            sha256="845858955d3e4b2861f110de5217f5ca5f57ff0b62159b0e441a8b24fead11f3",
            mirror_path="statcan_census_2021_noc/brookfield_2016/cma.tech.concentration.rds",
        ),
    ),
    citation="Statistics Canada, 2021 Census of Population, table 98-10-0404-01; Brookfield Institute, "
             "The State of Canada's Tech Sector (2017), 2016 Census tabulations",
    notes="Metro figures are estimates (provincial 2021 counts × 2016 tech-worker shares), never counts.",
)

