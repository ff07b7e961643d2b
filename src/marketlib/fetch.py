"""Fetch orchestration: which sources, with which options, and the status file each fetch leaves behind.

`marketlib fetch` runs every chosen source (one failing source never stops the others) and writes
`<raw_dir>/<source>/last_fetch.json` with one status record per request group; `marketlib sources` reads it
back. Source options come from the sources themselves (`Source.options`): `--months 3` is accepted only when a
chosen source declares `months`, and each source gets only the options it declared.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from marketlib.atomic import atomic_write_text, sweep_temp_files
from marketlib.config import Settings
from marketlib.errors import MarketlibError, UserError
from marketlib.sources import FetchContext, FetchStatus, Source, SourceOption, get_source, registry

STATUS_FILE = "last_fetch.json"


def choose_sources(names: Sequence[str], all_sources: bool) -> list[Source]:
    """The sources named, or every source that needs no options (`--all`)."""
    if all_sources:
        return [s for s in registry().values() if s.in_fetch_all]
    if names:
        return [get_source(n) for n in names]
    raise UserError(f"Name a source or use --all; valid sources are: {', '.join(registry())}.")


def split_arguments(tokens: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """['hackernews', '--months', '3'] -> (['hackernews'], {'months': '3'}); `--name=value` works too."""
    names, options = [], {}
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not token.startswith("--"):
            names.append(token)
            i += 1
            continue
        key, sep, value = token[2:].partition("=")
        if not sep:
            if i + 1 >= len(tokens):
                raise UserError(f"The option --{key} needs a value.")
            value = tokens[i + 1]
            i += 1
        options[key.replace("-", "_")] = value
        i += 1
    return names, options


def _declared(sources: Sequence[Source]) -> dict[str, SourceOption]:
    return {option.name: option for source in sources for option in source.options}


def _convert(option: SourceOption, value: str) -> Any:
    if option.kind is int:
        try:
            return int(value)
        except ValueError:
            raise UserError(f"The option --{option.name} takes a whole number, not {value!r}.") from None
    return value


def source_options(sources: Sequence[Source], given: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Options per source name, each source getting only those it declares; an undeclared one is an error."""
    declared = _declared(sources)
    unknown = sorted(set(given) - set(declared))
    if unknown:
        offered = ", ".join(f"--{name}" for name in sorted(declared)) or "none"
        raise UserError(f"The option --{unknown[0]} is not an option of {', '.join(s.name for s in sources)} "
                        f"(their options: {offered}).")
    values = {name: _convert(declared[name], value) for name, value in given.items()}
    return {s.name: {o.name: values[o.name] for o in s.options if o.name in values} for s in sources}


def fetch_source(source: Source, settings: Settings, options: dict[str, Any],
                 progress: Callable[[str], None] | None = None, *, debug: bool = False) -> list[FetchStatus]:
    """Run one source's fetch; any failure becomes a status record (raised only with `debug`)."""
    ctx = FetchContext(settings, options, progress=progress)
    try:
        statuses = source.run_fetch(ctx)
    except MarketlibError as exc:
        statuses = [FetchStatus(source.name, "all", "error", str(exc))]
    except Exception as exc:  # noqa: BLE001 - one source's bug must not stop the others
        if debug:
            raise
        statuses = [FetchStatus(source.name, "all", "error", f"{type(exc).__name__}: {exc}")]
    return statuses or [FetchStatus(source.name, "all", "empty", "nothing to fetch")]


def write_status(settings: Settings, source: str, statuses: list[FetchStatus]) -> None:
    record = {"at": dt.datetime.now(dt.UTC).isoformat(), "statuses": [s.as_dict() for s in statuses]}
    (settings.raw_dir / source).mkdir(parents=True, exist_ok=True)
    atomic_write_text(settings.raw_dir / source / STATUS_FILE, json.dumps(record, indent=2))


def last_status(settings: Settings, source: str) -> str:
    """'2026-12-01T10:00 ok/empty' from the last fetch's status file; '-' when never fetched."""
    path = settings.raw_dir / source / STATUS_FILE
    if not path.is_file():
        return "-"
    try:
        records = json.loads(path.read_text("utf-8"))
        states = sorted({r["status"] for r in records["statuses"]})
        return f"{records['at'][:16]} {'/'.join(states)}"
    except (ValueError, KeyError, TypeError):
        return "unreadable"


def fetch_all(sources: Sequence[Source], settings: Settings, options: dict[str, dict[str, Any]],
              progress: Callable[[str], None] | None = None, *, done: Callable[[], None] | None = None,
              debug: bool = False) -> list[FetchStatus]:
    """Fetch every source in turn, writing each one's status file; returns every status record.

    `progress` gets messages along the way, `done` is called after each source.
    """
    sweep_temp_files(settings.raw_dir)
    statuses: list[FetchStatus] = []
    for source in sources:
        if progress:
            progress(f"fetching {source.name}")
        found = fetch_source(source, settings, options.get(source.name, {}), progress, debug=debug)
        write_status(settings, source.name, found)
        statuses.extend(found)
        if done:
            done()
    return statuses
