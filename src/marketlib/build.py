"""Raw snapshots -> validated processed tables (see `storage` for where they live).

Incremental: a table is rebuilt only when the snapshot ids of the sources feeding it, or the code version
(a hash of the package's files), changed since the last build. A failed build leaves the previous tables as
they were (every write is atomic and happens only after validation).

Each table has one cleaning step: postings go through `clean.pipeline.clean_postings`, salaries through
`clean.salaries.clean_salaries`; the other tables are conformed to their schema as the sources give them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polars as pl

from marketlib import schemas, storage
from marketlib.atomic import atomic_write_text
from marketlib.config import Settings, get_settings
from marketlib.errors import UserError
from marketlib.lock import data_lock
from marketlib.snapshots import latest_by_name
from marketlib.sources import Drop, Source, registry
from marketlib.storage import load_table  # noqa: F401 - the read side, for importers of `build`

STATE_FILE = "_build_state.json"


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the package's code and dictionaries: a change forces a rebuild."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".csv", ".json", ".toml", ".yaml"} and \
                "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class TableResult:
    table: str
    status: str  # built | unchanged | empty | error
    rows: int = 0
    rows_by_source: dict[str, int] = field(default_factory=dict)
    message: str = ""


@dataclass
class BuildResult:
    tables: list[TableResult] = field(default_factory=list)
    drops: list[Drop] = field(default_factory=list)
    source_errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.source_errors and all(t.status != "error" for t in self.tables)


def _load_state(path: Path) -> dict:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


CATALOG = "source_catalog"


def source_catalog(sources: list[Source]) -> pl.DataFrame:
    """The registry as the `source_catalog` table, so reports credit sources without importing them."""
    rows = [{"source": s.name, "source_kind": s.kind, "license": s.license, "citation": s.citation or None,
             "homepage": s.homepage or None, "feeds_tables": list(s.tables), "snapshot_id": "registry"}
            for s in sources]
    return pl.DataFrame(rows, schema=schemas.schema(CATALOG)) if rows else schemas.empty(CATALOG)


def _fingerprint(table: str, sources: list[Source], snaps: dict[str, dict]) -> str:
    ids = {s.name: sorted(snap.snapshot_id for snap in snaps[s.name].values())
           for s in sources if table in s.tables}
    if table == CATALOG:  # local sources come and go without a code change
        ids = {"registry": source_catalog(sources).to_dicts()}
    return hashlib.sha256(json.dumps([code_version(), ids], sort_keys=True).encode()).hexdigest()[:16]


def finish_table(table: str, frames: list[pl.DataFrame]) -> pl.DataFrame:
    """Concatenate source frames and run the table's cleaning step: one validated processed table."""
    if table == "postings":
        from marketlib.clean.pipeline import clean_postings

        raw = pl.concat([schemas.conform_raw_postings(f) for f in frames], how="vertical") if frames \
            else schemas.empty_raw_postings()
        return schemas.validate("postings", clean_postings(raw))
    target = schemas.schema(table)
    combined = pl.concat([schemas.conform(f, target) for f in frames], how="vertical") if frames \
        else schemas.empty(table)
    if table == "salaries":
        from marketlib.clean.salaries import clean_salaries

        combined = clean_salaries(combined)
    return schemas.validate(table, combined)


def build(
    tables: list[str] | None = None,
    *,
    force: bool = False,
    settings: Settings | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    settings = settings or get_settings()
    say = progress or (lambda _msg: None)
    wanted = tables or list(schemas.TABLES)
    for name in wanted:
        if name not in schemas.TABLES:
            raise UserError(f"Unknown table {name!r}; tables are: {', '.join(schemas.TABLES)}.")
    if CATALOG not in wanted:  # cheap, and every table's sources must be creditable
        wanted = [*wanted, CATALOG]
    with data_lock(settings, say=say):  # also sweeps the temp files of killed runs, safely
        return _build_locked(wanted, force, settings, say)


def _build_locked(wanted: list[str], force: bool, settings: Settings, say: Callable[[str], None]) -> BuildResult:
    out_dir = settings.processed_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    state_path = out_dir / STATE_FILE
    state = _load_state(state_path)
    result = BuildResult()

    sources = list(registry().values())
    snaps = {s.name: latest_by_name(s.name, settings.raw_dir) for s in sources}
    todo = []
    for table in wanted:
        fp = _fingerprint(table, sources, snaps)
        if not force and state.get(table) == fp and storage.is_readable(table, settings):
            result.tables.append(TableResult(table, "unchanged",
                                             rows=state.get(f"{table}:rows", 0), message="inputs unchanged"))
        else:
            todo.append((table, fp))
    if not todo:
        return result

    needed = {t for t, _ in todo}
    frames: dict[str, list[pl.DataFrame]] = {t: [] for t in needed}
    if CATALOG in needed:
        frames[CATALOG].append(source_catalog(sources))
    for source in sources:
        if not needed.intersection(source.tables) or not snaps[source.name]:
            continue
        say(f"parsing {source.name}")
        try:
            parsed = source.parse(snaps[source.name])
        except Exception as exc:  # noqa: BLE001 - one bad source must not stop the build
            result.source_errors[source.name] = f"{type(exc).__name__}: {exc}"
            continue
        result.drops.extend(parsed.drops)
        for table, frame in parsed.tables.items():
            if table in needed and frame is not None:
                frames[table].append(frame)

    for table, fp in todo:
        say(f"building {table}")
        try:
            frame = finish_table(table, frames[table])
        except Exception as exc:  # noqa: BLE001 - report, keep the previous good table
            result.tables.append(TableResult(table, "error", message=f"{type(exc).__name__}: {exc}"))
            continue
        storage.write_table(frame, table, settings)
        by_source = dict(frame.group_by("source").len().sort("source").iter_rows()) if frame.height else {}
        result.tables.append(TableResult(table, "built" if frame.height else "empty", frame.height, by_source))
        if table == "postings" and frame.height:
            dup = int(frame.get_column("is_duplicate").sum())
            if dup:
                result.drops.append(Drop("all", "flagged is_duplicate (kept, excluded from counts)", dup))
        # Record inputs only for tables built from every source that feeds them.
        if not any(name in result.source_errors for name in (s.name for s in sources if table in s.tables)):
            state[table] = fp
            state[f"{table}:rows"] = frame.height
    atomic_write_text(state_path, json.dumps(state, indent=2, sort_keys=True))
    return result
