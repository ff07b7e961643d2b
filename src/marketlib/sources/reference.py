"""The committed published figures (data/raw/reference): typed in by the project, one citation per row."""

from __future__ import annotations

import polars as pl

from marketlib.config import get_settings
from marketlib.errors import UserError

REFERENCE_FILE = "published_figures.csv"
REQUIRED_COLUMNS = ("figure_id", "topic", "claim", "value", "unit", "population", "source_title", "source_url",
                    "publication_date")


def load_reference(path=None) -> pl.DataFrame:
    """The published figures, checked: every row has a value and a citation (title, URL, date)."""
    path = path or get_settings().reference_dir / REFERENCE_FILE
    if not path.is_file():
        raise UserError(f"The reference table {path} is missing.")
    frame = pl.read_csv(path, infer_schema=False)
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise UserError(f"{path} lacks column(s) {', '.join(missing)}.")
    for column in REQUIRED_COLUMNS:
        empty = frame.filter(pl.col(column).is_null() | (pl.col(column).str.strip_chars() == ""))
        if empty.height:
            raise UserError(f"{path}: figure {empty['figure_id'][0]!r} has no {column}.")
    return frame


def _fetch(ctx) -> list:
    from marketlib.sources import FetchStatus

    frame = load_reference(ctx.settings.reference_dir / REFERENCE_FILE)
    return [FetchStatus("reference", REFERENCE_FILE, "ok", "committed table, nothing to download",
                        items=frame.height)]


def _parse(_snapshots) -> dict:
    return {}


def _make_source():
    from marketlib.sources import Source

    return Source(
        name="reference",
        description="Published figures the reports check (talent reports, case-study counts, posting studies).",
        kind="reference",
        license="Facts with citations, typed in by marketlib (MIT)",
        homepage="data/raw/reference/published_figures.csv",
        tables=(),
        parse=_parse,
        fetch=_fetch,
        citation="See the source_title and source_url of each row.",
    )


SOURCE = _make_source()
