"""The whole postings cleaning: raw postings (schemas.RAW_POSTING_COLUMNS) -> the `postings` table.

Every step is a frame -> frame function of polars expressions over whole columns.
"""

from __future__ import annotations

import polars as pl

from marketlib import schemas
from marketlib.clean import dedup, domains, experience, locations, roles, salary, skills, text


def clean_postings(raw: pl.DataFrame, *, keep_extra: bool = False) -> pl.DataFrame:
    """Clean raw postings. With keep_extra, input columns outside the raw schema are kept (in front)."""
    extra = [c for c in raw.columns if c not in schemas.RAW_POSTING_COLUMNS] if keep_extra else []
    frame = schemas.conform(raw, schemas.RAW_POSTING_COLUMNS)
    frame = frame.with_columns(
        text.html_to_text(pl.col("description")).alias("description"),
        text.normalize_space(pl.col("title")).alias("title"),
        text.normalize_space(pl.col("company")).alias("company"),
        text.safe_url(pl.col("url")).alias("url"),
    )
    frame = locations.add_locations(frame, "location_raw", remote_hint_col="is_remote_hint")
    frame = roles.add_roles(frame, "title")
    frame = domains.add_domains(frame, ("title", "description"))
    frame = experience.add_experience(frame, "description")
    frame = skills.add_skills(frame, ("title", "description"))
    frame = salary.add_salary(frame)
    frame = dedup.add_ids(frame)
    cleaned = schemas.conform(frame, schemas.schema("postings"))
    if not extra:
        return cleaned
    # Input columns pass through unchanged; a name the postings table also uses gets an `input_` prefix.
    passthrough = raw.select(extra).rename({c: f"input_{c}" for c in extra if c in cleaned.columns})
    return pl.concat([passthrough, cleaned], how="horizontal")
