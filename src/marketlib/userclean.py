"""`marketlib clean`: the whole postings cleaning applied to a user's own table (CSV, JSONL or parquet)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import polars as pl

from marketlib.atomic import TMP_PREFIX
from marketlib.errors import UserError

# Input column -> raw postings field, unless --map says otherwise.
DEFAULT_FIELDS = {
    "title": "title",
    "company": "company",
    "location": "location_raw",
    "description": "description",
}
# Extra raw fields a user may map (JobSpy names map by default).
OPTIONAL_FIELDS = {
    "min_amount": "salary_min",
    "max_amount": "salary_max",
    "currency": "salary_currency",
    "interval": "salary_period",
    "job_url": "url",
    "url": "url",
    "date_posted": "posted_date",
    "is_remote": "is_remote_hint",
    "job_type": "employment_type",
    "company_num_employees": "company_size",
    "id": "source_posting_id",
    "site": "source",
}
FIELD_ALIASES = {"location": "location_raw", "salary_min": "salary_min", "salary_max": "salary_max"}


def read_table(path: Path) -> pl.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Cannot read {path}: no such file.")
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
        if suffix in {".jsonl", ".ndjson"}:
            return pl.read_ndjson(path, infer_schema_length=None)
        if suffix == ".parquet":
            return pl.read_parquet(path)
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UserError(f"Cannot read {path}: {first}") from None
    raise UserError(f"Cannot read {path}: use a .csv, .jsonl or .parquet file.")


def parse_mapping(items: list[str]) -> dict[str, str]:
    """['title=Job Title', ...] -> {'Job Title': 'title'} (input column -> raw field)."""
    from marketlib.schemas import RAW_POSTING_COLUMNS

    mapping = {}
    for item in items:
        field, sep, column = item.partition("=")
        field = FIELD_ALIASES.get(field.strip(), field.strip())
        if not sep or not column.strip():
            raise UserError(f"Bad --map {item!r}: write FIELD=Input Column, e.g. title='Job Title'.")
        if field not in RAW_POSTING_COLUMNS:
            raise UserError(f"Bad --map {item!r}: unknown field {field!r}; fields are: "
                            f"location, {', '.join(f for f in RAW_POSTING_COLUMNS if f != 'location_raw')}.")
        mapping[column.strip()] = field
    return mapping


def clean_frame(frame: pl.DataFrame, mapping: dict[str, str], source_name: str) -> pl.DataFrame:
    from marketlib.clean.pipeline import clean_postings

    return clean_postings(to_raw_postings(frame, mapping, source_name), keep_extra=True)


def to_raw_postings(frame: pl.DataFrame, mapping: dict[str, str], source_name: str) -> pl.DataFrame:
    """A user's table as raw postings: columns renamed by `mapping` and the default names, the rest kept."""
    explicit = set(mapping.values())
    renames = dict(mapping)
    for column, field in {**DEFAULT_FIELDS, **OPTIONAL_FIELDS}.items():
        if column in frame.columns and column not in renames and field not in explicit:
            renames[column] = field
            explicit.add(field)
    missing = [c for c in renames if c not in frame.columns]
    if missing:
        raise UserError(f"Input has no column {missing[0]!r}; its columns are: {', '.join(frame.columns)}.")
    if "title" not in renames.values():
        raise UserError("Input has no title column; map one with --map title='Your Column'.")
    raw = frame.select(
        *[pl.col(c).alias(f) for c, f in renames.items()],
        *[pl.col(c) for c in frame.columns if c not in renames],
    )
    if "source" not in raw.columns:
        raw = raw.with_columns(pl.lit(source_name).alias("source"))
    raw = raw.with_columns(pl.lit(f"user/{source_name}").alias("snapshot_id"))
    # Normalized as the jobspy source does: CSV gives "True"/"False" text (polars cannot cast it to Boolean)
    # and JobSpy intervals read "yearly", "hourly" ... where the cleaning expects year, hour ...
    from marketlib.sources._ats import salary_period
    from marketlib.sources._joblists import parse_bool

    if "is_remote_hint" in raw.columns:
        raw = raw.with_columns(parse_bool(pl.col("is_remote_hint")).alias("is_remote_hint"))
    if "salary_period" in raw.columns:
        raw = raw.with_columns(salary_period(pl.col("salary_period").cast(pl.String)).alias("salary_period"))
    return raw.with_columns(pl.col("title").fill_null(""))


def write_table(frame: pl.DataFrame, path: Path) -> None:
    import os

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".jsonl", ".ndjson", ".parquet"}:
        raise UserError(f"Cannot write {path}: use a .csv, .jsonl or .parquet file.")
    tmp = path.with_name(f"{TMP_PREFIX}{path.name}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".parquet":
            frame.write_parquet(tmp)
        elif suffix == ".csv":
            lists = [c for c, t in frame.schema.items() if isinstance(t, pl.List)]
            frame.with_columns(pl.col(c).list.join(";") for c in lists).write_csv(tmp)
        else:
            frame.write_ndjson(tmp)
        os.replace(tmp, path)
    except OSError as exc:  # unwritable directory, output is a directory, disk full ...
        raise UserError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    finally:
        with contextlib.suppress(OSError):  # nothing to remove when the directory itself was unusable
            tmp.unlink(missing_ok=True)


def clean_file(input_path: Path, output: Path, mapping_items: list[str]) -> int:
    if Path(output).resolve() == Path(input_path).resolve():
        raise UserError(f"The output {output} is the input file; choose another name so the input is kept.")
    frame = read_table(input_path)
    mapping = parse_mapping(mapping_items)
    try:
        cleaned = clean_frame(frame, mapping, Path(input_path).stem or "user")
    except UserError as exc:  # "Input has no column ..." -> name the file the user gave
        raise UserError(f"{input_path}: {exc}") from None
    write_table(cleaned, output)
    return cleaned.height
