"""`marketlib sources | fetch | build | clean | import | report | notebook | validate`.

User errors print one sentence and exit 2 (a traceback only with --debug). `fetch` exits 1 when some source
failed and 0 when all succeeded.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import typer

from marketlib.errors import MarketlibError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Job-market analytics for ML engineers: fetch, build, clean and report.")
_state = {"debug": False}


@cache
def _console(stderr: bool = False):
    """rich, for tables and colour; imported on first use, since a plain `clean` prints neither and the import
    is ~60 ms of its start-up."""
    from rich.console import Console

    return Console(stderr=stderr)


def _err_console():
    return _console(stderr=True)


def _table(title: str):
    from rich.table import Table

    return Table(title=title)


@app.callback()
def _main(debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors.")) -> None:
    _state["debug"] = debug


def _say(message: str) -> None:
    """A note for the user on stderr (stdout stays the command's result)."""
    print(message, file=sys.stderr, flush=True)


def _progress():
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                    console=_err_console(), transient=True,
                    disable=not _err_console().is_terminal)


@app.command()
def sources() -> None:
    """List every source with its license, kind, fetch options, latest snapshot and last fetch status."""
    from marketlib.config import get_settings
    from marketlib.fetch import last_status
    from marketlib.snapshots import latest_by_name
    from marketlib.sources import registry

    settings = get_settings()
    table = _table("marketlib sources")
    for col in ("source", "kind", "gives", "license", "options", "latest snapshot", "files", "last fetch"):
        table.add_column(col, overflow="fold")
    for name, src in registry().items():
        snaps = latest_by_name(name, settings.raw_dir)
        newest = max((s.date for s in snaps.values()), default="-")
        options = " ".join(f"--{o.name}" for o in src.options) or "-"
        table.add_row(name, src.kind, ", ".join(src.tables), src.license, options, newest, str(len(snaps)),
                      last_status(settings, name))
    _console().print(table)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def fetch(
    names: list[str] = typer.Argument(None, help="Sources to fetch (see `marketlib sources`), then the options "
                                                 "those sources declare, e.g. `hackernews --months 3` or "
                                                 "`jobspy --search 'ml engineer' --location Berlin`."),
    all_sources: bool = typer.Option(False, "--all", help="Fetch every source that needs no options."),
    offline: bool = typer.Option(False, help="Never use the network; read the mirror only."),
) -> None:
    """Fetch sources into immutable raw snapshots (mirror first, then the network)."""
    from marketlib.config import get_settings
    from marketlib.fetch import choose_sources, fetch_all, source_options, split_arguments
    from marketlib.lock import data_lock

    settings = get_settings()
    if offline:
        settings = settings.with_overrides(offline=True)
    source_names, given = split_arguments(names or [])
    chosen = choose_sources(source_names, all_sources)
    options = source_options(chosen, given)
    with data_lock(settings, say=_say), _progress() as progress:
        task = progress.add_task("fetching", total=len(chosen))
        statuses = fetch_all(chosen, settings, options, lambda m: progress.update(task, description=m),
                             done=lambda: progress.advance(task), debug=_state["debug"])
    table = _table("fetch")
    for col in ("source", "group", "status", "http", "items", "snapshots", "message"):
        table.add_column(col, overflow="fold")
    for s in statuses:
        style = {"ok": "green", "empty": "yellow"}.get(s.status, "red")
        table.add_row(s.source, s.group, f"[{style}]{s.status}[/]", str(s.http_status or ""), str(s.items),
                      str(len(s.snapshots)), s.message)
    _console().print(table)
    failed = sorted({s.source for s in statuses if not s.ok})
    if failed:
        _err_console().print(f"Some sources failed: {', '.join(failed)}.")
        raise typer.Exit(1)


@app.command()
def build(
    tables: list[str] = typer.Argument(None, help="Tables to build (default: all)."),
    force: bool = typer.Option(False, help="Rebuild even when inputs did not change."),
) -> None:
    """Build validated processed tables from the newest raw snapshots."""
    from marketlib.cores import share_cores_between_workers

    share_cores_between_workers()
    from marketlib.build import build as run_build
    from marketlib.config import get_settings
    from marketlib.lock import data_lock

    with data_lock(get_settings(), say=_say), _progress() as progress:
        task = progress.add_task("building", total=None)
        result = run_build(tables or None, force=force, progress=lambda m: progress.update(task, description=m))
    table = _table("build")
    for col in ("table", "status", "rows", "rows by source", "message"):
        table.add_column(col, overflow="fold")
    for t in result.tables:
        by_source = ", ".join(f"{k} {v:,}" for k, v in t.rows_by_source.items())
        table.add_row(t.table, t.status, f"{t.rows:,}", by_source, t.message)
    _console().print(table)
    if result.drops:
        drops = _table("rows dropped or flagged")
        for col in ("source", "reason", "rows"):
            drops.add_column(col)
        for drop in result.drops:
            drops.add_row(drop.source, drop.reason, f"{drop.rows:,}")
        _console().print(drops)
    for name, message in result.source_errors.items():
        _err_console().print(f"[red]source {name} failed to parse:[/] {message}")
    if not result.ok:
        raise typer.Exit(1)


@app.command()
def clean(
    inputs: list[str] = typer.Argument(..., help="CSV, JSONL or parquet table of postings; with --engine, "
                                                 "partitions: files, directories or glob patterns."),
    output: Path = typer.Option(..., "-o", "--output", help="Output file (.csv, .jsonl or .parquet); with "
                                                            "--engine, a directory of parts + manifest.json."),
    mapping: list[str] = typer.Option(None, "--map", help="Column mapping FIELD=Input Column, e.g. "
                                                          "title='Job Title'. Repeatable; a mapped "
                                                          "field replaces an input column of that name."),
    strict: bool = typer.Option(False, "--strict", help="Refuse a file with bad lines or a guessed encoding "
                                                        "instead of keeping the good rows."),
    input_format: str = typer.Option("table", "--format", help="table (a CSV/JSONL/parquet table of postings) "
                                     "or hn (Hacker News items: JSONL, JSON array, Algolia thread, raw.json)."),
    engine: str = typer.Option(None, "--engine", help="Clean partitions on a distributed engine: dask."),
    address: str = typer.Option(None, "--address", help="Scheduler of an existing cluster, e.g. "
                                                        "tcp://host:8786 (default: a local cluster)."),
    workers: int = typer.Option(None, "--workers", min=1, help="Worker processes of the local cluster "
                                                               "(default: one per core)."),
) -> None:
    """Clean your own table of postings (JobSpy or ATS exports) with the marketlib cleaning."""
    from marketlib.cores import share_cores_between_workers
    from marketlib.errors import UserError

    share_cores_between_workers()

    if engine is not None:
        from marketlib.scaleout import run_engine

        manifest = run_engine(engine, inputs, output, mapping or [], address=address, workers=workers)
        print(f"Cleaned {manifest['rows']:,} rows into {len(manifest['parts'])} parts in {output}.")
        return
    if address or workers:
        raise UserError("--address and --workers need --engine dask.")
    if len(inputs) != 1:
        raise UserError("Several inputs need --engine dask; without it, clean one file.")
    from marketlib.userclean import clean_file

    rows = clean_file(Path(inputs[0]), output, mapping or [], strict=strict, say=_say, input_format=input_format)
    print(f"Cleaned {rows:,} rows into {output}.")


@app.command("import")
def import_postings(
    input_path: Path = typer.Argument(..., help="CSV, JSONL or parquet table of postings (raw or cleaned)."),
    name: str = typer.Option(..., "--as", help="Name of the local source, e.g. my-search."),
    mapping: list[str] = typer.Option(None, "--map", help="Column mapping FIELD=Input Column, e.g. "
                                                          "title='Job Title'. Repeatable."),
) -> None:
    """Register your own postings as a local source (a snapshot); `marketlib build` then includes them."""
    from marketlib.imports import import_file

    snap = import_file(input_path, name, mapping or [])
    _console().print(f"Imported {input_path} as source {name!r} (snapshot {snap.snapshot_id}). "
                  f"Run `marketlib build`, then use `sources: [{name}]` in a report's parameters.",
                  markup=False, highlight=False)


@app.command()
def report(
    config: Path = typer.Option(None, "--config", help="reports.yaml to run (default: the committed one)."),
    only: list[str] = typer.Option(None, "--only", help="Run only these report names."),
    workers: int = typer.Option(2, help="Notebooks run in parallel (bounded pool)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Run every report even when nothing changed."),
) -> None:
    """Run the notebooks in reports.yaml with papermill and export HTML plus reports/index.html; a report
    whose inputs, parameters and code are unchanged since its last good run is reused, not executed."""
    from marketlib.report import run_reports

    ok = run_reports(config_path=config, only=only or None, workers=workers, console=_console(), say=_say,
                     use_cache=not no_cache)
    if not ok:
        raise typer.Exit(1)


@app.command()
def notebook(
    path: Path = typer.Argument(..., help="The notebook to run, e.g. notebooks/01-city-odds.ipynb."),
    output: Path = typer.Argument(..., help="Where the executed notebook is written."),
    parameters: Path = typer.Option(None, "-f", "--parameters", help="YAML file of parameters."),
) -> None:
    """Run one notebook by hand (papermill on the marketlib kernel, encrypted kernel channels, one-line errors)."""
    import tempfile

    import yaml

    from marketlib.notebook_run import execute
    from marketlib.params import check_keys
    from marketlib.report import notebook_parameters

    if not path.is_file():
        raise MarketlibError(f"Notebook {path} does not exist.")
    try:
        given = yaml.safe_load(parameters.read_text("utf-8")) if parameters else {}
    except (OSError, yaml.YAMLError) as exc:
        raise MarketlibError(f"Cannot read the parameters file {parameters} ({str(exc).splitlines()[0]}).") from None
    if not isinstance(given or {}, dict):
        raise MarketlibError(f"{parameters} must hold a mapping of parameter names to values.")
    check_keys(given or {}, notebook_parameters(path), str(parameters))
    with tempfile.TemporaryDirectory() as tmp:
        params = parameters or Path(tmp) / "none.yaml"
        if parameters is None:
            params.write_text("{}\n")
        if execute(str(path), str(output), str(params), str(path.resolve().parent), mark="") != 0:
            raise typer.Exit(1)  # execute printed the error's one sentence
    _say(f"Wrote {output}")


@app.command()
def validate() -> None:
    """Check processed tables against their schemas and raw snapshots against their sha256."""
    from marketlib import schemas
    from marketlib.config import get_settings
    from marketlib.snapshots import corrupt_snapshots
    from marketlib.sources import registry
    from marketlib.storage import load_table, table_path

    settings = get_settings()
    problems = 0
    for name in registry():
        for snap in corrupt_snapshots(name, settings.raw_dir):
            problems += 1
            _err_console().print(f"[red]corrupt snapshot[/] {snap.snapshot_id}: sha256 does not match its sidecar")
    for table in schemas.TABLES:
        if not table_path(table, settings).is_file():
            _console().print(f"{table}: not built")
            continue
        try:
            frame = schemas.validate(table, load_table(table, settings))
            _console().print(f"{table}: ok ({frame.height:,} rows)")
        except MarketlibError as exc:
            problems += 1
            _err_console().print(f"[red]{table}:[/] {exc}")
    if problems:
        raise typer.Exit(1)


def main(argv: list[str] | None = None) -> None:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        code = app(args=argv, standalone_mode=False)  # click returns Exit codes here instead of raising
        if isinstance(code, int) and code:
            sys.exit(code)
    except MarketlibError as exc:
        if debug:
            raise
        _say(str(exc))
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # click usage errors (typer may ship its own copy of click)
        if _is_click_error(exc, "ClickException"):
            exc.show()
            sys.exit(2)
        if _is_click_error(exc, "Abort"):
            sys.exit(130)
        if isinstance(exc, ValueError) and not debug:  # e.g. a NUL byte in a path argument
            _say(f"Bad argument: {exc}.")
            sys.exit(2)
        raise


def _is_click_error(exc: BaseException, name: str) -> bool:
    import click

    modules = [click.exceptions]
    try:
        from typer import _click  # type: ignore[attr-defined]

        modules.append(_click.exceptions)
    except ImportError:
        pass
    return any(isinstance(exc, getattr(m, name)) for m in modules if hasattr(m, name))


if __name__ == "__main__":
    main()
