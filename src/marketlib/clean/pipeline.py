"""The whole postings cleaning: raw postings (schemas.RAW_POSTING_COLUMNS) -> the `postings` table.

Every step is a frame -> frame function of polars expressions over whole columns. All steps but the ids are
row-local (`clean_rows`), so a large table can be cleaned chunk by chunk (`marketlib.cleanfile`, bounded
memory); the ids and duplicate flags then need only three short key columns of every row. Nothing here reads
or writes files.
"""

from __future__ import annotations

import polars as pl

from marketlib import schemas
from marketlib.clean import dedup, domains, experience, locations, remote, roles, salary, skills, text

# Rows cleaned at a time: the row-local steps' intermediates (several copies of the text) scale with it.
# Measured on 100k rows of 4.3 KB texts through `marketlib clean`: one 50k-row chunk at a time peaks at
# 1.5 GB, two 25k-row chunks at once (cores.CLEAN_WORKERS) at 1.1 GB for the same CPU; the ids need only the
# short key columns of all rows.
CHUNK_ROWS = 25_000


def clean_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """Every row-local step, on a frame conformed to the raw postings schema."""
    frame = frame.with_columns(
        # Called here, on the main thread, the conversion spreads slices of the column over all cores.
        text.html_to_text_series(frame["description"].rechunk()).alias("description"),
        text.normalize_space(pl.col("title")).alias("title"),
        text.normalize_space(pl.col("company")).alias("company"),
        text.safe_url(pl.col("url")).alias("url"),
    )
    frame = locations.add_locations(frame, "location_raw", remote_hint_col="is_remote_hint")
    # The title and the description with scraped lists of other openings left out: what remote, skills and
    # domains read ("(Hybrid or Remote)" next to another job's title says nothing of this one).
    evidence = skills.evidence_columns(frame, ("title", "description"))
    # Remote work stated only in the title or the text ("This is a remote position") counts too.
    frame = remote.add_remote(frame.with_columns(evidence[1].alias("_own_text")), "title", "_own_text") \
        .drop("_own_text")
    frame = roles.add_roles(frame, "title", "description")
    # Skills and domains share one regex scan of the title and of the description.
    frame = domains.add_skills_and_domains(frame, evidence)
    frame = experience.add_experience(frame, "description")
    return label_salary_estimates(salary.add_salary(frame))


def label_salary_estimates(frame: pl.DataFrame) -> pl.DataFrame:
    """Figures from the salary fields that the source itself calls estimates get salary_source "estimate"."""
    estimate = (pl.col("salary_source") == "field") & pl.col("salary_is_estimate").fill_null(False)
    return frame.with_columns(pl.when(estimate).then(pl.lit("estimate")).otherwise(pl.col("salary_source"))
                              .alias("salary_source"))


def _row_schema() -> dict[str, pl.DataType]:
    """The postings columns that every row has on its own: all but the ids."""
    return {c: t for c, t in schemas.schema("postings").items() if c not in ("posting_id", "is_duplicate")}


def clean_partition(raw: pl.DataFrame, *, keep_extra: bool = False) -> pl.DataFrame:
    """Every row-local step on one slice of a table: the postings columns but the ids, then the dedup keys
    (dedup.KEY_COLUMNS) that `attach_ids` needs from all slices. With keep_extra, input columns outside the
    raw schema are kept in front (a name the postings table also uses gets an `input_` prefix)."""
    extra = [c for c in raw.columns if c not in schemas.RAW_POSTING_COLUMNS] if keep_extra else []
    frame = clean_rows(schemas.conform(raw, schemas.RAW_POSTING_COLUMNS))
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


def clean_postings(raw: pl.DataFrame, *, keep_extra: bool = False, chunk_rows: int = CHUNK_ROWS) -> pl.DataFrame:
    """Clean raw postings in slices of `chunk_rows` (the same steps as `marketlib.cleanfile`, in memory).
    With keep_extra, input columns outside the raw schema are kept (in front)."""
    parts = [clean_partition(raw.slice(offset, chunk_rows), keep_extra=keep_extra)
             for offset in range(0, max(raw.height, 1), chunk_rows)]
    ids = dedup.assign_ids(pl.concat([p.select(dedup.KEY_COLUMNS) for p in parts]))
    finished, offset = [], 0
    for part in parts:
        finished.append(attach_ids(part, ids.slice(offset, part.height)))
        offset += part.height
    return pl.concat(finished, how="vertical") if len(finished) > 1 else finished[0]
