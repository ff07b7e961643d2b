"""`marketlib clean`: the whole postings cleaning applied to a user's own table (CSV, JSONL or parquet)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl

from marketlib.atomic import write_frame_atomic
from marketlib.errors import UserError
from marketlib.userinput import SUFFIXES, ReadResult, read_user_table

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


def read_table(path: Path, *, strict: bool = False) -> pl.DataFrame:
    """The user's table (notes about encodings and skipped lines are dropped; `clean_file` prints them)."""
    return read_user_table(path, strict=strict).frame


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


def replaced_columns(frame: pl.DataFrame, mapping: dict[str, str]) -> list[str]:
    """Input columns that a --map onto the same name replaces (`--map title=company` with a `title` column)."""
    return [f for c, f in mapping.items() if f in frame.columns and f != c and f not in mapping]


def clean_frame(frame: pl.DataFrame, mapping: dict[str, str], source_name: str) -> pl.DataFrame:
    from marketlib.clean.pipeline import clean_postings

    return clean_postings(raw_postings(frame, mapping, source_name), keep_extra=True)


def raw_postings(frame: pl.DataFrame, mapping: dict[str, str], source_name: str) -> pl.DataFrame:
    """A user's table as raw postings: columns mapped to raw fields, booleans and pay periods normalized."""
    # The mapped column wins: an input column already named like the field is dropped, not duplicated.
    frame = frame.drop(replaced_columns(frame, mapping))
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
    from marketlib.clean.values import parse_bool, salary_period

    if "is_remote_hint" in raw.columns:
        raw = raw.with_columns(parse_bool(pl.col("is_remote_hint")).alias("is_remote_hint"))
    if "salary_period" in raw.columns:
        raw = raw.with_columns(salary_period(pl.col("salary_period").cast(pl.String)).alias("salary_period"))
    return raw.with_columns(pl.col("title").fill_null(""))


def write_table(frame: pl.DataFrame, path: Path) -> None:
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise UserError(f"Cannot write {path}: use a .csv, .jsonl or .parquet file.")
    if path.is_dir():
        raise UserError(f"Cannot write {path}: it is a directory.")
    write_frame_atomic(frame, path)


def clean_file(input_path: Path, output: Path, mapping_items: list[str], *, strict: bool = False,
               say: Callable[[str], None] | None = None, input_format: str = "table") -> int:
    """Clean a user's file into `output`; notes (encoding, skipped lines, replaced columns) go to `say`."""
    from marketlib.config import get_settings
    from marketlib.lock import data_lock, inside_data_dir

    say = say or (lambda _msg: None)
    if Path(output).resolve() == Path(input_path).resolve():
        raise UserError(f"The output {output} is the input file; choose another name so the input is kept.")
    if input_format not in ("table", "hn"):
        raise UserError(f"Unknown --format {input_format!r}; use table or hn.")
    if input_format == "hn":  # HN items become raw postings (one per role), then the same cleaning
        from marketlib.hn_items import read_hn_items

        read = ReadResult(read_hn_items(input_path, say))
    else:
        read = read_user_table(input_path, strict=strict)
    mapping = parse_mapping(mapping_items)
    for note in read.notes:
        say(note)
    for column in replaced_columns(read.frame, mapping):
        say(f"Note: --map {column}=... replaces the input's own {column!r} column.")
    try:
        cleaned = clean_frame(read.frame, mapping, Path(input_path).stem or "user")
    except UserError as exc:  # "Input has no column ..." -> name the file the user gave
        raise UserError(f"{input_path}: {exc}") from None
    settings = get_settings()
    if inside_data_dir(output, settings):
        with data_lock(settings, say=say):
            write_table(cleaned, output)
    else:
        write_table(cleaned, output)
    return cleaned.height
