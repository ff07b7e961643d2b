"""The source registry.

Every module in this package that defines a module-level `SOURCE = Source(...)` is a source. A source knows
its license and upstream files, how to fetch (-> raw snapshots + one status record per request group) and how to
parse its newest snapshots (-> a `ParseResult`: frames keyed by processed table name, postings as raw postings
(see `schemas.RAW_POSTING_COLUMNS`), plus typed `Drop` records for rows it skipped). Parsers never do network I/O.
A source declares the fetch options it understands (`Source.options`); the CLI offers them as flags.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl

from marketlib.config import Settings
from marketlib.errors import UserError
from marketlib.snapshots import Snapshot, check_name, sha256_file, write_snapshot

KINDS = ("scrape", "download", "reference", "import")


@dataclass(frozen=True)
class UpstreamFile:
    """A static upstream file pinned by version and sha256; `mirror_path` is its place in a mirror dir."""

    name: str  # snapshot file name
    url: str
    version: str  # commit, release or date the URL is pinned to
    sha256: str | None
    mirror_path: str  # e.g. "bls_oews_2025/oews-2025.sqlite.gz"


@dataclass
class FetchStatus:
    """Outcome of one request group: ok / empty / blocked / error, never a silent empty frame."""

    source: str
    group: str
    status: str
    message: str = ""
    http_status: int | None = None
    items: int = 0
    snapshots: list[str] = field(default_factory=list)
    requests: int = 0

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "empty")

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("source", "group", "status", "message", "http_status", "items",
                                              "snapshots", "requests")}


@dataclass
class FetchContext:
    settings: Settings
    options: dict[str, Any] = field(default_factory=dict)
    progress: Callable[[str], None] | None = None
    _session: Any = None

    @property
    def raw_dir(self) -> Path:
        return self.settings.raw_dir

    @property
    def session(self):
        """The one polite HTTP session (created on first use so offline sources never touch the network)."""
        if self._session is None:
            from marketlib.http import PoliteSession

            self._session = PoliteSession(self.settings)
        return self._session

    def say(self, message: str) -> None:
        if self.progress:
            self.progress(message)


class Drop(NamedTuple):
    """Rows a parser skipped (or flagged), and why."""

    source: str
    reason: str
    rows: int


@dataclass
class ParseResult:
    """What a parser returns: frames keyed by processed table name, and the rows it skipped."""

    tables: dict[str, pl.DataFrame]
    drops: list[Drop] = field(default_factory=list)

    @classmethod
    def of(cls, source: str, tables: dict[str, pl.DataFrame],
           drops: Iterable[tuple[str, int]] | Mapping[str, int] = ()) -> ParseResult:
        """Build a result from (reason, rows) pairs or a {reason: rows} mapping."""
        pairs = drops.items() if isinstance(drops, Mapping) else drops
        return cls(tables, [Drop(source, reason, int(rows)) for reason, rows in pairs])

    def __getitem__(self, table: str) -> pl.DataFrame:
        return self.tables[table]

    def drop_counts(self) -> dict[str, int]:
        """{reason: rows}, summed over repeated reasons."""
        counts: dict[str, int] = {}
        for drop in self.drops:
            counts[drop.reason] = counts.get(drop.reason, 0) + drop.rows
        return counts


@dataclass(frozen=True)
class SourceOption:
    """A fetch option a source understands; the CLI offers it as `--NAME` (kind: str or int)."""

    name: str
    help: str
    kind: type = str


FetchFn = Callable[[FetchContext], list[FetchStatus]]
ParseFn = Callable[[dict[str, Snapshot]], ParseResult]


@dataclass(frozen=True)
class Source:
    name: str
    description: str
    kind: str  # scrape | download | reference | import
    license: str
    homepage: str
    tables: tuple[str, ...]  # processed tables it feeds
    parse: ParseFn
    fetch: FetchFn | None = None
    files: tuple[UpstreamFile, ...] = ()
    citation: str = ""
    in_fetch_all: bool = True  # sources that need user options (jobspy) are fetched only when named
    notes: str = ""
    options: tuple[SourceOption, ...] = ()  # fetch options offered on the command line

    def __post_init__(self):
        check_name(self.name, "source name")
        if self.kind not in KINDS:
            raise ValueError(f"source {self.name}: kind must be one of {KINDS}")
        object.__setattr__(self, "parse", _layout_guard(self.name, self.parse))

    def run_fetch(self, ctx: FetchContext) -> list[FetchStatus]:
        if self.fetch is not None:
            return self.fetch(ctx)
        return fetch_upstream_files(self, ctx)


def read_csv_snapshot(snapshot: Snapshot) -> pl.DataFrame:
    """A CSV snapshot with every column as text; an unreadable file is one UserError naming the snapshot."""
    try:
        return pl.read_csv(io.BytesIO(snapshot.read_bytes()), infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        raise UserError(f"{snapshot.snapshot_id} is not a readable CSV ({str(exc).splitlines()[0]}).") from None


def parse_files(source: str, table: str, snapshots: dict[str, Snapshot], *,
                convert: Callable[[pl.DataFrame, Snapshot], pl.DataFrame | None], not_ours: str,
                read: Callable[[Snapshot], pl.DataFrame] = read_csv_snapshot,
                required: pl.Expr | None = None, unusable: str = "") -> ParseResult:
    """One processed table from every snapshot of a source: `convert` returns None for a file whose columns
    are not this source's (skipped as '<file>: <not_ours>'); rows failing `required` are dropped as
    '<file>: <unusable>'."""
    from marketlib import schemas

    frames, drops = [], []
    for name, snap in snapshots.items():
        raw = read(snap)
        frame = convert(raw, snap)
        if frame is None:
            drops.append((f"{name}: {not_ours}", raw.height))
            continue
        if required is not None:
            if bad := frame.filter(~required).height:
                drops.append((f"{name}: {unusable}", bad))
            frame = frame.filter(required)
        frames.append(frame)
    out = (schemas.conform(pl.concat(frames, how="vertical"), schemas.schema(table)) if frames
           else schemas.empty(table))
    return ParseResult.of(source, {table: out}, drops)


def _layout_guard(source: str, parse: ParseFn) -> ParseFn:
    """A snapshot of another layout (a missing column) becomes one UserError naming its files."""
    if getattr(parse, "_layout_guarded", False):
        return parse

    def guarded(snapshots: dict[str, Snapshot]) -> ParseResult:
        try:
            return parse(snapshots)
        except (pl.exceptions.ColumnNotFoundError, pl.exceptions.SchemaFieldNotFoundError) as exc:
            missing = str(exc).strip().splitlines()[0] if str(exc).strip() else "a column"
            files = ", ".join(s.snapshot_id for s in snapshots.values())
            raise UserError(f"A {source} snapshot ({files}) does not have the expected columns "
                            f"(missing {missing}).") from None

    guarded._layout_guarded = True  # type: ignore[attr-defined]
    guarded.__doc__ = parse.__doc__
    return guarded


def registry(settings: Settings | None = None) -> dict[str, Source]:
    """Built-in sources plus the local sources registered with `marketlib import` in the raw directory."""
    from marketlib.config import get_settings
    from marketlib.sources._imported import imported_source, registered_names

    found = dict(builtin_sources())
    raw_dir = (settings or get_settings()).raw_dir
    for name in registered_names(raw_dir):
        found.setdefault(name, imported_source(name, raw_dir))
    return dict(sorted(found.items()))


@lru_cache(maxsize=1)
def builtin_sources() -> dict[str, Source]:
    found: dict[str, Source] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        source = getattr(module, "SOURCE", None)
        if isinstance(source, Source):
            found[source.name] = source
    return dict(sorted(found.items()))


def get_source(name: str) -> Source:
    sources = registry()
    if name not in sources:
        raise UserError(f"Unknown source {name!r}; valid sources are: {', '.join(sources)}.")
    return sources[name]


def find_in_mirror(file: UpstreamFile, settings: Settings) -> Path | None:
    for mirror in settings.existing_mirror_dirs():
        candidate = (mirror / file.mirror_path).resolve()
        if mirror.resolve() in candidate.parents and candidate.is_file():
            return candidate
    return None


def fetch_upstream_files(source: Source, ctx: FetchContext) -> list[FetchStatus]:
    """Mirror first (hash-verified), network second; one status per file."""
    statuses = []
    for file in source.files:
        status = FetchStatus(source.name, file.name, "error")
        try:
            local = find_in_mirror(file, ctx.settings)
            if local is not None:
                digest = sha256_file(local)
                if file.sha256 and digest != file.sha256:
                    status.message = f"mirror copy {local} has sha256 {digest[:12]}…, expected {file.sha256[:12]}…"
                    statuses.append(status)
                    continue
                snap = write_snapshot(source.name, file.name, from_path=local, url=file.url,
                                      license=source.license, params={"version": file.version, "mirror": str(local)},
                                      raw_dir=ctx.raw_dir)
            elif ctx.settings.offline:
                status.message = "offline: no mirror copy and network access is disabled"
                statuses.append(status)
                continue
            else:
                response = ctx.session.get(file.url)
                status.requests += 1
                data = response.content
                digest = hashlib.sha256(data).hexdigest()
                if file.sha256 and digest != file.sha256:
                    status.message = f"downloaded file has sha256 {digest[:12]}…, expected {file.sha256[:12]}…"
                    status.http_status = response.status_code
                    statuses.append(status)
                    continue
                snap = write_snapshot(source.name, file.name, data=data, url=file.url, license=source.license,
                                      params={"version": file.version}, http_status=response.status_code,
                                      raw_dir=ctx.raw_dir)
                status.http_status = response.status_code
            status.status = "ok"
            status.snapshots.append(snap.snapshot_id)
            status.items = 1
        except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the others
            from marketlib.http import describe_fetch_error

            status.status, status.message, status.http_status = describe_fetch_error(exc)
        statuses.append(status)
    return statuses
