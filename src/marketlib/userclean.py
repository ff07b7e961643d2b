"""`marketlib clean`: the whole postings cleaning applied to a user's own table (CSV, JSONL or parquet)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
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
    check_output(path)
    write_frame_atomic(frame, path)


def check_output(path: Path) -> None:
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise UserError(f"Cannot write {path}: use a .csv, .jsonl or .parquet file.")
    if path.is_dir():
        raise UserError(f"Cannot write {path}: it is a directory.")


# Bytes of CSV per chunk: about the 25k rows (pipeline.CHUNK_ROWS) of 4 KB postings a chunk is sized for.
CSV_CHUNK_BYTES = 96 * 2**20


class _StreamFailed(Exception):
    """The streaming reader could not read the file as plain UTF-8 CSV or parquet: read it whole instead."""


def _streamable(path: Path) -> pl.LazyFrame | None:
    """A lazy reader of a plain UTF-8 CSV or a parquet file (for its columns); None when the careful reader
    must decide."""
    suffix = path.suffix.lower()
    if not path.is_file():
        return None
    if suffix == ".parquet":
        return pl.scan_parquet(path)
    if suffix != ".csv":
        return None
    from marketlib.userinput import sniff_encoding

    with open(path, "rb") as fh:
        if sniff_encoding(fh.read(4096)):  # UTF-16/32: decoded (and named) by the careful reader
            return None
    return pl.scan_csv(path, infer_schema=False)


def _stream(path: Path, rows: int) -> Iterator[Callable[[], pl.DataFrame]]:
    """Readers of the file's rows in chunks (parquet: `rows` rows; CSV: whole rows of about CSV_CHUNK_BYTES),
    each run by the worker that cleans it: the file is never read whole, and rows are parsed in parallel."""
    from marketlib.cleanfile import parquet_chunks
    from marketlib.csv_blocks import csv_ranges

    seen = 0
    chunks = parquet_chunks(path, rows) if path.suffix.lower() == ".parquet" else csv_ranges(
        path, block_bytes=CSV_CHUNK_BYTES)
    try:
        for chunk in chunks:
            seen += 1
            yield chunk
    except (pl.exceptions.PolarsError, ValueError) as exc:  # a header that is not CSV ...: the careful reader
        raise _StreamFailed(str(exc)) from None
    if not seen:  # an empty table: the careful reader names what is wrong with it
        raise _StreamFailed("no rows")


def _slices(frame: pl.DataFrame, rows: int) -> Iterator[pl.DataFrame]:
    for offset in range(0, max(frame.height, 1), rows):
        yield frame.slice(offset, rows)


def _prepared(chunk: pl.DataFrame, *, mapping: dict[str, str], source_name: str,
              input_path: Path) -> pl.DataFrame:
    """A chunk of the user's table as raw postings (module level: it runs in the cleaning's worker processes)."""
    try:
        return raw_postings(chunk, mapping, source_name)
    except UserError as exc:  # "Input has no column ..." -> name the file the user gave
        raise UserError(f"{input_path}: {exc}") from None


def clean_file(input_path: Path, output: Path, mapping_items: list[str], *, strict: bool = False,
               say: Callable[[str], None] | None = None, input_format: str = "table",
               chunk_rows: int | None = None) -> int:
    """Clean a user's file into `output` in bounded chunks; notes (encoding, skipped lines, replaced columns) go
    to `say`. Plain UTF-8 CSV and parquet stream; other encodings, bad lines, JSON lines and HN items are read
    whole by the careful reader (`userinput`), then cleaned in the same chunks."""
    from marketlib.clean.pipeline import CHUNK_ROWS
    from marketlib.config import get_settings
    from marketlib.lock import data_lock, inside_data_dir

    say = say or (lambda _msg: None)
    input_path, rows = Path(input_path), chunk_rows or CHUNK_ROWS
    if Path(output).resolve() == input_path.resolve():
        raise UserError(f"The output {output} is the input file; choose another name so the input is kept.")
    if input_format not in ("table", "hn"):
        raise UserError(f"Unknown --format {input_format!r}; use table or hn.")
    check_output(output)
    mapping = parse_mapping(mapping_items)
    source_name = input_path.stem or "user"

    prepare = functools.partial(_prepared, mapping=mapping, source_name=source_name, input_path=input_path)

    def run(chunks: Iterator) -> int:
        from marketlib.cleanfile import clean_chunks

        return clean_chunks(chunks, Path(output), keep_extra=True, prepare=prepare)

    def careful() -> int:
        if input_format == "hn":  # HN items become raw postings (one per role), then the same cleaning
            from marketlib.hn_items import read_hn_items

            read = ReadResult(read_hn_items(input_path, say))
        else:
            read = read_user_table(input_path, strict=strict)
        for note in read.notes:
            say(note)
        for column in replaced_columns(read.frame, mapping):
            say(f"Note: --map {column}=... replaces the input's own {column!r} column.")
        return run(_slices(read.frame, rows))

    def clean() -> int:
        from marketlib.cleanfile import UnreadableChunk

        lazy = _streamable(input_path) if input_format == "table" else None
        if lazy is None:
            return careful()
        try:
            header = pl.DataFrame(schema=lazy.collect_schema())
        except (pl.exceptions.PolarsError, ValueError):
            return careful()
        try:
            rows_done = run(_stream(input_path, rows))
        except (_StreamFailed, UnreadableChunk):
            return careful()
        for column in replaced_columns(header, mapping):
            say(f"Note: --map {column}=... replaces the input's own {column!r} column.")
        return rows_done

    settings = get_settings()
    if inside_data_dir(output, settings):
        with data_lock(settings, say=say):
            return clean()
    return clean()
