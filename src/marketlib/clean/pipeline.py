"""The whole postings cleaning: raw postings (schemas.RAW_POSTING_COLUMNS) -> the `postings` table.

Every step is a frame -> frame function of polars expressions over whole columns. All steps but the ids are
row-local, so a large table is cleaned chunk by chunk (`clean_postings_file`, bounded memory); the ids and
duplicate flags then need only three short key columns of every row.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from marketlib import schemas
from marketlib.atomic import TMP_PREFIX
from marketlib.clean import dedup, domains, experience, locations, roles, salary, skills, text

DEFAULT_CHUNK_ROWS = 200_000  # 1M resampled postings: 2.6 GB peak RSS (100k: 1.5 GB but ~6% slower)


def _clean_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """Every row-local step, on a frame conformed to the raw postings schema."""
    frame = frame.with_columns(
        # Called here, on the main thread, the conversion spreads slices of the column over all cores.
        text.html_to_text_series(frame["description"].rechunk()).alias("description"),
        text.normalize_space(pl.col("title")).alias("title"),
        text.normalize_space(pl.col("company")).alias("company"),
        text.safe_url(pl.col("url")).alias("url"),
    )
    frame = locations.add_locations(frame, "location_raw", remote_hint_col="is_remote_hint")
    frame = roles.add_roles(frame, "title")
    # Skills and domains share one regex scan of the title and of the description.
    frame = domains.add_skills_and_domains(frame, skills.evidence_columns(frame, ("title", "description")))
    frame = experience.add_experience(frame, "description")
    return salary.add_salary(frame)


def _row_schema() -> dict[str, pl.DataType]:
    """The postings columns that every row has on its own: all but the ids."""
    return {c: t for c, t in schemas.schema("postings").items() if c not in ("posting_id", "is_duplicate")}


def clean_partition(raw: pl.DataFrame, *, keep_extra: bool = False) -> pl.DataFrame:
    """Every row-local step on one slice of a table: the postings columns but the ids, then the dedup keys
    (dedup.KEY_COLUMNS) that `attach_ids` needs from all slices. With keep_extra, input columns outside the
    raw schema are kept in front (a name the postings table also uses gets an `input_` prefix)."""
    extra = [c for c in raw.columns if c not in schemas.RAW_POSTING_COLUMNS] if keep_extra else []
    frame = _clean_rows(schemas.conform(raw, schemas.RAW_POSTING_COLUMNS))
    cleaned = schemas.conform(frame, _row_schema())
    passthrough = raw.select(extra).rename({c: f"input_{c}" for c in extra if c in schemas.schema("postings")})
    return pl.concat([passthrough, cleaned, dedup.dedup_keys(frame)], how="horizontal")


def attach_ids(part: pl.DataFrame, ids: pl.DataFrame) -> pl.DataFrame:
    """A `clean_partition` result with its rows' posting_id and is_duplicate (`ids`, same rows): the finished
    postings rows, after any kept input columns."""
    postings = schemas.schema("postings")
    extra = [c for c in part.columns if c not in postings and c not in dedup.KEY_COLUMNS]
    finished = schemas.conform(part.with_columns(ids), postings)
    return pl.concat([part.select(extra), finished], how="horizontal") if extra else finished


def clean_postings(raw: pl.DataFrame, *, keep_extra: bool = False) -> pl.DataFrame:
    """Clean raw postings. With keep_extra, input columns outside the raw schema are kept (in front)."""
    part = clean_partition(raw, keep_extra=keep_extra)
    return attach_ids(part, dedup.assign_ids(part.select(dedup.KEY_COLUMNS)))


def clean_postings_file(source: Path, target: Path, *, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> int:
    """Clean a parquet file of raw postings into a validated parquet `postings` file with bounded memory.

    Pass 1 cleans `chunk_rows` rows at a time into temporary part files (keeping the dedup keys); pass 2
    assigns ids and duplicate flags from the keys of all rows; pass 3 streams the parts into the target,
    one row group per part. The target appears atomically; returns the number of rows.
    """
    import pyarrow.parquet as pq

    source, target = Path(source), Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    work_dir = target.parent / f"{TMP_PREFIX}{target.name}.parts"
    work_dir.mkdir(exist_ok=True)
    tmp_target = target.parent / f"{TMP_PREFIX}{target.name}"
    try:
        total = pl.scan_parquet(source).select(pl.len()).collect().item()
        parts = []
        for n, offset in enumerate(range(0, total, chunk_rows)):
            part = clean_partition(pl.scan_parquet(source).slice(offset, chunk_rows).collect())
            parts.append(work_dir / f"part-{n:05d}.parquet")
            part.write_parquet(parts[-1], compression="uncompressed")  # read once, soon: skip compressing
            del part
        ids = dedup.assign_ids(pl.scan_parquet(parts).select(dedup.KEY_COLUMNS).collect()) if parts \
            else pl.DataFrame()
        writer, offset = None, 0
        for path in parts:
            part = pl.read_parquet(path)
            table = schemas.validate("postings", attach_ids(part, ids.slice(offset, part.height))).to_arrow()
            offset += part.height
            if writer is None:
                writer = pq.ParquetWriter(tmp_target, table.schema)
            writer.write_table(table)
        if writer is None:
            schemas.empty("postings").write_parquet(tmp_target)
        else:
            writer.close()
        os.replace(tmp_target, target)
        return total
    finally:
        tmp_target.unlink(missing_ok=True)
        for path in work_dir.glob("*"):
            path.unlink(missing_ok=True)
        work_dir.rmdir()
