"""Shared pieces of the ATS job-board sources (greenhouse, lever, ashby).

Boards come from the curated `marketlib/data/ats_boards.csv` (company, ats, board_token, note). Fetch options
(`FetchContext.options`), the same for the three sources:

- ``boards``: board tokens to fetch (default: every board of that ATS in the CSV; a token not in the CSV is
  fetched with the token as company name),
- ``boards_file``: another CSV with the same columns,
- ``base_url``: the API root instead of the public one (tests point it at a loopback server).

A board's pages are all fetched and validated before any is stored, so a failed board leaves no snapshot;
one board failing never stops the others. Parsers turn the stored JSON into raw postings
(`schemas.RAW_POSTING_COLUMNS`); walking the JSON records is per-record Python (the data is nested JSON),
every text transformation after that is a polars expression over whole columns.
"""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from marketlib import schemas
from marketlib.errors import UserError
from marketlib.http import BadContentError, describe_fetch_error
from marketlib.snapshots import Snapshot, check_name, write_snapshot
from marketlib.sources import FetchStatus, ParseResult, Source, SourceOption

ATS_NAMES = ("greenhouse", "lever", "ashby")
BOARDS_FILE = Path(__file__).resolve().parents[1] / "data" / "ats_boards.csv"
BOARD_COLUMNS = ("company", "ats", "board_token", "note")

ATS_LICENSE = ("Public job-board API of the employer's applicant tracking system; postings are the "
               "employers' own content, used here for aggregate research with a link back to each posting.")


@dataclass(frozen=True)
class Board:
    company: str
    ats: str
    token: str


@dataclass
class Page:
    """One complete, validated API response of a board, ready to be stored."""

    filename: str
    url: str
    params: dict
    content: bytes
    http_status: int
    items: int


def load_boards(path: Path | None = None) -> list[Board]:
    """The curated boards, checked: known ATS, safe token (it goes into URLs and file names), no repeats."""
    path = Path(path) if path is not None else BOARDS_FILE
    if not path.is_file():
        raise UserError(f"The ATS board list {path} does not exist.")
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in BOARD_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise UserError(f"{path} lacks column(s) {', '.join(missing)}.")
        boards, seen = [], set()
        for line, row in enumerate(reader, start=2):
            ats, token = (row["ats"] or "").strip(), (row["board_token"] or "").strip()
            if ats not in ATS_NAMES:
                raise UserError(f"{path} line {line}: ats {ats!r} is not one of {', '.join(ATS_NAMES)}.")
            check_name(token, "board token")
            if (ats, token) in seen:
                raise UserError(f"{path} line {line}: board {ats}/{token} is listed twice.")
            seen.add((ats, token))
            boards.append(Board((row["company"] or token).strip(), ats, token))
    return boards


def boards_for(ats: str, options: dict) -> list[Board]:
    """The boards of one ATS to fetch, honouring the `boards` and `boards_file` options."""
    known = [b for b in load_boards(options.get("boards_file")) if b.ats == ats]
    wanted = options.get("boards")
    if wanted is None:
        return known
    if isinstance(wanted, str):
        wanted = [w for w in wanted.split(",") if w.strip()]
    by_token = {b.token: b for b in known}
    tokens = [check_name(str(t).strip(), "board token") for t in wanted]
    return [by_token.get(t) or Board(t, ats, t) for t in tokens]


def base_url(options: dict, default: str) -> str:
    url = str(options.get("base_url") or default).rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise UserError(f"The base_url {url!r} must start with http:// or https://.")
    return url


def json_page(session, url: str, params: dict, filename: str,
              expect: Callable[[object], list]) -> tuple[Page, list]:
    """GET one JSON page and check its shape; `expect` returns the list of postings or raises ValueError."""
    body, response = session.get_json(url, params=params)
    try:
        postings = expect(body)
    except (ValueError, KeyError, TypeError) as exc:
        raise BadContentError(f"{response.url} returned JSON of an unexpected shape ({exc}).",
                              url=response.url, http_status=response.status_code) from exc
    page = Page(filename, url, dict(params), response.content, response.status_code, len(postings))
    return page, postings


def fetch_boards(ctx, source: str, license: str, boards: Iterable[Board],
                 fetch_board: Callable[[object, Board], list[Page]]) -> list:
    """Fetch every board (one FetchStatus each); store a board's pages only when all of them succeeded."""
    statuses = []
    for board in boards:
        status = FetchStatus(source, board.token, "error")
        session = None
        before = 0
        try:
            session = ctx.session
            before = session.requests_made
            ctx.say(f"{source}: {board.company} ({board.token})")
            pages = fetch_board(session, board)
            for page in pages:
                snap = write_snapshot(
                    source, page.filename, data=page.content, url=page.url, license=license,
                    params=page.params, http_status=page.http_status, raw_dir=ctx.raw_dir,
                    extra={"board": board.token, "company": board.company, "ats": board.ats},
                )
                status.snapshots.append(snap.snapshot_id)
            status.items = sum(p.items for p in pages)
            status.http_status = pages[-1].http_status if pages else None
            status.status = "ok" if status.items else "empty"
            status.message = f"{status.items} posting(s) in {len(pages)} page(s)"
        except Exception as exc:  # noqa: BLE001 - one board's failure must not stop the others
            status.status, status.message, status.http_status = describe_fetch_error(exc)
        finally:
            if session is not None:
                status.requests = session.requests_made - before
        statuses.append(status)
    return statuses


# ----------------------------------------------------------------------------------------------- parsing


def read_json(snapshot: Snapshot):
    return json.loads(snapshot.read_bytes())


@contextlib.contextmanager
def unexpected_shape(what: str) -> Iterator[None]:
    """Invalid JSON or fields of the wrong type (upstream changed its format) -> one UserError naming `what`."""
    try:
        yield
    except (ValueError, TypeError, AttributeError, KeyError, pl.exceptions.PolarsError) as exc:
        detail = (str(exc).strip().splitlines() or [""])[0][:200]
        raise UserError(f"{what} is not JSON of the expected shape ({type(exc).__name__}: {detail}).") from exc


def provenance(snapshot: Snapshot) -> dict:
    """The per-row provenance and board fields every ATS row carries."""
    return {
        "snapshot_id": snapshot.snapshot_id,
        "fetched_at": snapshot.fetched_at,
        "board_company": snapshot.meta.get("company") or snapshot.meta.get("board"),
    }


def join_locations(values: Iterable[str | None]) -> str | None:
    """Distinct non-empty locations in order, joined by ' | ' (the raw-postings convention)."""
    seen: list[str] = []
    for value in values:
        value = (value or "").strip()
        if value and value not in seen:
            seen.append(value)
    return " | ".join(seen) or None


def iso_date(expr: pl.Expr) -> pl.Expr:
    """The calendar date as written in an ISO-8601 timestamp ('2026-08-06T12:50:10-04:00' -> 2026-08-06)."""
    return expr.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)


def finish(rows: list[dict], source: str, transform: Callable[[pl.DataFrame], pl.DataFrame]) -> pl.DataFrame:
    """Rows of plain values -> the raw postings frame: source-specific vectorized transform, then conform."""
    if not rows:
        return schemas.empty_raw_postings()
    frame = pl.DataFrame(rows, infer_schema_length=None, strict=False)
    # A field that is null on every row has dtype Null; string expressions need String.
    frame = frame.with_columns(pl.col(name).cast(pl.String) for name, dtype in frame.schema.items()
                               if dtype == pl.Null)
    frame = frame.with_columns(
        pl.lit(source).alias("source"),
        pl.col("fetched_at").cast(pl.Datetime("us", "UTC")),
        pl.coalesce(pl.col("company"), pl.col("board_company")).alias("company") if "company" in frame.columns
        else pl.col("board_company").alias("company"),
    )
    frame = transform(frame)
    return schemas.conform_raw_postings(frame)


BOARD_OPTIONS = (
    SourceOption("boards", "Board tokens to fetch, comma-separated (default: every board in the list)."),
    SourceOption("boards_file", "Another board list: a CSV with columns company, ats, board_token, note."),
    SourceOption("base_url", "The API root instead of the public one (a mirror or a test server)."),
)


def parse_snapshots(snapshots: dict[str, Snapshot], source: str, jobs: Callable[[object], Iterable[dict]],
                    row: Callable[[dict, dict], dict], transform: Callable[[pl.DataFrame], pl.DataFrame]
                    ) -> ParseResult:
    """Every snapshot's postings (`jobs` of its JSON) as one row each (`row(job, provenance)`), then `finish`."""
    rows = []
    for snap in snapshots.values():
        with unexpected_shape(f"Snapshot {snap.snapshot_id}"):
            prov = provenance(snap)
            rows.extend(row(job, prov) for job in jobs(read_json(snap)))
    with unexpected_shape(f"The {source} snapshots"):
        return ParseResult.of(source, {"postings": finish(rows, source, transform)})


def make_source(name: str, description: str, homepage: str, api: str, parse, fetch,
                options: tuple[SourceOption, ...] = ()):
    """The registry entry of an ATS board source (the three differ only in these values)."""
    every = BOARD_OPTIONS + options

    return Source(
        name=name,
        description=description,
        kind="scrape",
        license=ATS_LICENSE,
        homepage=homepage,
        tables=("postings",),
        parse=parse,
        fetch=fetch,
        citation=f"{api}; boards listed in marketlib/data/ats_boards.csv",
        notes=f"Options: {', '.join(o.name for o in every)}.",
        options=every,
    )
