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
    # Remote work stated only in the title or the text ("This is a remote position") counts too.
    frame = remote.add_remote(frame, "title", "description")
    frame = roles.add_roles(frame, "title", "description")
    # Skills and domains share one regex scan of the title and of the description.
    frame = domains.add_skills_and_domains(frame, skills.evidence_columns(frame, ("title", "description")))
    frame = experience.add_experience(frame, "description")
    return label_salary_estimates(salary.add_salary(frame))


def label_salary_estimates(frame: pl.DataFrame) -> pl.DataFrame:
    """Figures from the salary fields that the source itself calls estimates get salary_source "estimate"."""
    estimate = (pl.col("salary_source") == "field") & pl.col("salary_is_estimate").fill_null(False)
    return frame.with_columns(pl.when(estimate).then(pl.lit("estimate")).otherwise(pl.col("salary_source"))
                              .alias("salary_source"))


def clean_postings(raw: pl.DataFrame, *, keep_extra: bool = False) -> pl.DataFrame:
    """Clean raw postings. With keep_extra, input columns outside the raw schema are kept (in front)."""
    extra = [c for c in raw.columns if c not in schemas.RAW_POSTING_COLUMNS] if keep_extra else []
    frame = clean_rows(schemas.conform(raw, schemas.RAW_POSTING_COLUMNS))
    cleaned = schemas.conform(dedup.add_ids(frame), schemas.schema("postings"))
    if not extra:
        return cleaned
    # Input columns pass through unchanged; a name the postings table also uses gets an `input_` prefix.
    passthrough = raw.select(extra).rename({c: f"input_{c}" for c in extra if c in cleaned.columns})
    return pl.concat([passthrough, cleaned], how="horizontal")
