"""Run the notebooks listed in reports.yaml with papermill, export safe offline HTML, write reports/index.html.

Each report is one notebook × one parameter set. Parameters go to papermill as a YAML file (`-f`), never `-p`.
Notebooks run on a small bounded pool of worker processes, each keeping one warm kernel from report to report
(`notebook_workers`, `notebook_run --serve`). A failing notebook is marked failed in the index while the others
still run. Exported pages carry no JavaScript (charts are pre-rendered SVG), a strict Content-Security-Policy,
and links from data get rel="noopener noreferrer nofollow".
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from marketlib.atomic import TMP_PREFIX, atomic_write_text, publish_file
from marketlib.config import Settings, get_settings
from marketlib.errors import UserError
from marketlib.notebook_workers import NotebookWorkers
from marketlib.params import check_keys
from marketlib.report_cache import ReportCache
from marketlib.sanitize import CSP, LINK_REL, sanitize_html  # noqa: F401 - LINK_REL: part of this API
from marketlib.snapshots import check_name, safe_join
from marketlib.storage import table_path

CONFIG_FILE = "reports.yaml"
_ALLOWED_PARAM_TYPES = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class ReportSpec:
    name: str
    notebook: str
    parameters: dict
    title: str = ""


@dataclass
class ReportResult:
    spec: ReportSpec
    status: str  # ok | failed
    seconds: float
    html_name: str | None = None
    notebook_name: str | None = None
    error: str = ""
    run_date: str = ""  # the run that produced it, when carried over from an earlier run by `--only`
    cached_from: str = ""  # the earlier run whose files were reused because nothing it depends on changed


@dataclass
class ReportRun:
    run_date: str
    out_dir: Path
    results: list[ReportResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.status == "ok" for r in self.results)


def _check_literal(value, where: str) -> None:
    if isinstance(value, list):
        for item in value:
            _check_literal(item, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise UserError(f"{where}: parameter names must be strings.")
            _check_literal(item, where)
    elif not isinstance(value, _ALLOWED_PARAM_TYPES):
        raise UserError(f"{where}: parameter values must be literals, not {type(value).__name__}.")


def notebook_parameters(notebook_path: Path) -> list[str]:
    """The names the notebook's `parameters`-tagged cell assigns, in cell order."""
    import ast

    import nbformat

    nb = nbformat.read(str(notebook_path), as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    names: list[str] = []
    for cell in cells:
        for node in ast.parse(cell.source).body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
                if isinstance(node, ast.AnnAssign) else []
            names += [t.id for t in targets if isinstance(t, ast.Name)]
    return list(dict.fromkeys(names))


def load_config(path: Path, notebooks_dir: Path) -> list[ReportSpec]:
    if not Path(path).is_file():
        raise UserError(f"Report config {path} does not exist.")
    try:
        data = yaml.safe_load(Path(path).read_text("utf-8")) or {}
    except yaml.YAMLError as exc:
        raise UserError(f"Report config {path} is not valid YAML: {str(exc).splitlines()[0]}") from None
    entries = data.get("reports") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise UserError(f"Report config {path} needs a non-empty `reports:` list.")
    specs, seen = [], set()
    for i, entry in enumerate(entries):
        where = f"{path} report #{i + 1}"
        if not isinstance(entry, dict) or "name" not in entry or "notebook" not in entry:
            raise UserError(f"{where} needs `name` and `notebook`.")
        name = check_name(str(entry["name"]), "report name")
        notebook = check_name(str(entry["notebook"]), "notebook name")
        if not notebook.endswith(".ipynb") or not safe_join(notebooks_dir, notebook).is_file():
            raise UserError(f"{where}: notebook {notebook!r} is not in {notebooks_dir}.")
        if name in seen:
            raise UserError(f"{where}: report name {name!r} is used twice.")
        seen.add(name)
        params = entry.get("parameters") or {}
        if not isinstance(params, dict):
            raise UserError(f"{where}: `parameters` must be a mapping.")
        _check_literal(params, where)
        check_keys(params, notebook_parameters(safe_join(notebooks_dir, notebook)), f"{where} ({name})")
        specs.append(ReportSpec(name, notebook, params, str(entry.get("title", ""))))
    return specs


def export_html(notebook_path: Path, title: str, findings: dict | None = None, heading: str | None = None) -> str:
    """The executed notebook as a safe offline page; with `findings` (its findings JSON), answers first."""
    from nbconvert import HTMLExporter

    from marketlib.pages import answers_first

    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _resources = exporter.from_filename(str(notebook_path))
    if findings is not None:
        body = answers_first(body, findings, heading)
    return sanitize_html(body, title)


def _run_papermill(spec: ReportSpec, notebooks_dir: Path, out_dir: Path, settings: Settings,
                   workers: NotebookWorkers | None = None) -> ReportResult:
    """One report on a worker of `workers` (a one-off worker when None): notebook, findings, page."""
    if workers is None:
        with _workers_for(notebooks_dir, settings, 1) as own:
            return _run_papermill(spec, notebooks_dir, out_dir, settings, own)
    started = time.monotonic()
    params_path = out_dir / f"{spec.name}.params.yaml"
    atomic_write_text(params_path, yaml.safe_dump(spec.parameters, sort_keys=True))
    out_nb = out_dir / f"{spec.name}.ipynb"
    tmp_nb = out_dir / f"{TMP_PREFIX}{spec.name}.{uuid.uuid4().hex}.ipynb"  # unique per run
    with workers.worker() as worker:
        error = worker.run(str(notebooks_dir / spec.notebook), str(tmp_nb), str(params_path))
    if tmp_nb.is_file():
        publish_file(tmp_nb, out_nb)
    findings = write_findings(spec, out_nb, out_dir / f"{spec.name}.json") if out_nb.is_file() and not error \
        else None
    html_name = None
    if out_nb.is_file():
        try:
            page = export_html(out_nb, f"marketlib: {spec.title or spec.name}", findings, spec.title or None)
            atomic_write_text(out_dir / f"{spec.name}.html", page)
            html_name = f"{spec.name}.html"
        except Exception as exc:  # noqa: BLE001 - a failed export marks the report failed, others go on
            error = error or f"HTML export failed: {exc}"
    status = "ok" if not error and html_name else "failed"
    return ReportResult(spec, status, time.monotonic() - started, html_name,
                        out_nb.name if out_nb.is_file() else None, error)


FINDINGS_MIME = "application/vnd.marketlib.findings+json"


def write_findings(spec: ReportSpec, notebook_path: Path, json_path: Path) -> dict:
    """Write <name>.json: the findings bundle the notebook published (analysis.findings.publish), or the
    report's parameters with no findings when it published none."""
    import nbformat

    nb = nbformat.read(str(notebook_path), as_version=4)
    bundles = [out["data"][FINDINGS_MIME] for cell in nb.cells if cell.cell_type == "code"
               for out in cell.get("outputs", []) if FINDINGS_MIME in out.get("data", {})]
    published = bundles[-1] if bundles else {"parameters": spec.parameters, "window": None, "findings": []}
    record = {"report": spec.name, "title": spec.title, "notebook": spec.notebook,
              "report_parameters": spec.parameters, **published}
    atomic_write_text(json_path, json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    return record


def _data_inventory(settings: Settings) -> list[tuple[str, int, list[str]]]:
    import polars as pl

    from marketlib.schemas import TABLES

    rows = []
    for table in TABLES:
        path = table_path(table, settings)
        if not path.is_file():
            rows.append((table, 0, []))
            continue
        frame = pl.scan_parquet(path)
        count = frame.select(pl.len()).collect().item()
        ids = frame.select(pl.col("snapshot_id").unique().sort()).collect().to_series().to_list()
        rows.append((table, count, ids))
    return rows


def write_index(run: ReportRun, settings: Settings) -> Path:
    from marketlib.pages import FRONT_CSS, front_sections
    from marketlib.sources import registry

    esc = html.escape
    rows, entries = [], []
    for r in run.results:
        day = r.run_date or run.run_date
        link = (f'<a href="{esc(day)}/{esc(r.html_name)}">{esc(r.spec.title or r.spec.name)}</a>'
                if r.html_name else esc(r.spec.title or r.spec.name))
        entries.append({"title": r.spec.title or r.spec.name, "notebook": r.spec.notebook, "status": r.status,
                        "error": r.error, "href": f"{day}/{r.html_name}" if r.html_name else None,
                        **_published(settings.reports_dir / day, r)})
        status = "ok" if r.status == "ok" else f"FAILED: {esc(r.error)}"
        if r.run_date and r.run_date != run.run_date:
            status += f" (from the {esc(r.run_date)} run)"
        if r.cached_from:
            status += f" (cached: nothing it depends on changed since the {esc(r.cached_from)} run)"
        rows.append(
            f"<tr class='{esc(r.status)}'><td>{link}</td><td>{esc(r.spec.notebook)}</td>"
            f"<td><code>{esc(json.dumps(r.spec.parameters, sort_keys=True))}</code></td>"
            f"<td>{r.seconds:.1f} s</td><td>{status}</td></tr>")
    data_rows = []
    for table, count, ids in _data_inventory(settings):
        shown = "".join(f"<li>{esc(i)}</li>" for i in ids)
        data_rows.append(f"<tr><td>{esc(table)}</td><td>{count:,}</td><td><details><summary>{len(ids)} snapshot"
                         f"{'s' if len(ids) != 1 else ''}</summary><ul>{shown}</ul></details></td></tr>")
    license_rows = "".join(
        f"<tr><td>{esc(s.name)}</td><td>{esc(s.license)}</td><td>{esc(s.citation or s.homepage)}</td></tr>"
        for s in registry().values())
    previous = sorted((p.name for p in settings.reports_dir.iterdir()
                       if p.is_dir() and p.name != run.run_date and p.name[:4].isdigit()), reverse=True) \
        if settings.reports_dir.is_dir() else []
    older = "".join(f'<li><a href="{esc(p)}/index.html">{esc(p)}</a></li>' for p in previous[:20])
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">
<title>marketlib reports {esc(run.run_date)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 2rem auto; padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 2rem; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .4rem .6rem; text-align: left; vertical-align: top; }}
tr.failed td {{ background: #fde8e8; }} code {{ font-size: .85em; overflow-wrap: anywhere; }}
{FRONT_CSS}
</style></head><body>
<h1>marketlib: what the job market data says for ML engineers</h1>
{front_sections(entries)}
<p>Findings of every report, computed from the data of run {esc(run.run_date)} (UTC), grouped by the question
they answer. Each names its window, sample size and sources; open a report for its method and caveats.</p>
<h2>Run log</h2>
<p>{sum(r.status == 'ok' for r in run.results)} of {len(run.results)} reports succeeded.</p>
<table><thead><tr><th>report</th><th>notebook</th><th>parameters</th><th>duration</th><th>status</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>
<h2>Data behind these reports</h2>
<table><thead><tr><th>table</th><th>rows</th><th>raw snapshots</th></tr></thead><tbody>{''.join(data_rows)}</tbody>
</table>
<h2>Sources and licenses</h2>
<table><thead><tr><th>source</th><th>license</th><th>citation</th></tr></thead><tbody>{license_rows}</tbody></table>
<p>Indeed Hiring Lab data: CC BY 4.0, Indeed Hiring Lab. BLS OEWS: public domain, U.S. Bureau of Labor
Statistics. ai-jobs.net salaries: CC0. Job lists: counts only, no rows republished.</p>
{f'<h2>Earlier runs</h2><ul>{older}</ul>' if older else ''}
</body></html>
"""
    atomic_write_text(run.out_dir / "index.html", page.replace(f'href="{esc(run.run_date)}/', 'href="'))
    index = settings.reports_dir / "index.html"
    atomic_write_text(index, page)
    summary = json.dumps([_summary(r, run.run_date) for r in run.results], indent=2)
    atomic_write_text(run.out_dir / "index.json", summary)
    atomic_write_text(settings.reports_dir / "index.json", summary)
    return index


def _published(run_dir: Path, r: ReportResult) -> dict:
    """A report's findings JSON and exported page, for its front-page entry (missing files: nothing)."""
    out: dict = {"record": None, "page": ""}
    try:
        out["record"] = json.loads((run_dir / f"{r.spec.name}.json").read_text("utf-8"))
    except (OSError, ValueError):
        pass
    if r.html_name:
        try:
            out["page"] = (run_dir / r.html_name).read_text("utf-8")
        except OSError:
            pass
    return out


def _summary(r: ReportResult, run_date: str) -> dict:
    return {"name": r.spec.name, "title": r.spec.title, "notebook": r.spec.notebook,
            "parameters": r.spec.parameters, "status": r.status, "seconds": round(r.seconds, 2),
            "html": r.html_name, "error": r.error, "run_date": r.run_date or run_date, "cached_from": r.cached_from}


def _workers_for(notebooks_dir: Path, settings: Settings, size: int) -> NotebookWorkers:
    env = dict(os.environ, MARKETLIB_ROOT=str(settings.root), PYTHONWARNINGS="ignore")
    return NotebookWorkers(size, str(notebooks_dir), env)


def _run_cached(spec: ReportSpec, notebooks_dir: Path, out_dir: Path, settings: Settings,
                cache: ReportCache | None, workers: NotebookWorkers) -> ReportResult:
    """The report's files from the cache when its key is unchanged, else a papermill run (then cached)."""
    if cache is None:
        return _run_papermill(spec, notebooks_dir, out_dir, settings, workers)
    started = time.monotonic()
    key = cache.key(spec.name, spec.title, spec.parameters, notebooks_dir / spec.notebook)
    record = cache.lookup(spec.name, key)
    if record is not None:
        cache.restore(record, out_dir)
        return ReportResult(spec, "ok", time.monotonic() - started, f"{spec.name}.html", f"{spec.name}.ipynb",
                            cached_from=record["run_date"])
    result = _run_papermill(spec, notebooks_dir, out_dir, settings, workers)
    if result.status == "ok":
        files = [f"{spec.name}{suffix}" for suffix in (".html", ".json", ".ipynb", ".params.yaml")]
        cache.store(spec.name, key, out_dir.name, [f for f in files if (out_dir / f).is_file()])
    return result


def previous_results(settings: Settings, specs: list[ReportSpec]) -> dict[str, ReportResult]:
    """The latest result of each configured report, from the index of earlier runs (for `--only`)."""
    path = settings.reports_dir / "index.json"
    try:
        entries = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    by_name = {s.name: s for s in specs}
    found = {}
    for entry in entries if isinstance(entries, list) else []:
        spec = by_name.get(entry.get("name")) if isinstance(entry, dict) else None
        day = str(entry.get("run_date", "")) if spec else ""
        html_name = entry.get("html")
        if spec is None or not day or (html_name and not (settings.reports_dir / day / html_name).is_file()):
            continue
        found[spec.name] = ReportResult(spec, str(entry.get("status", "failed")), float(entry.get("seconds", 0)),
                                        html_name, None, str(entry.get("error", "")), day)
    return found


def run_reports(config_path: Path | None = None, *, only: list[str] | None = None, workers: int = 2,
                console=None, settings: Settings | None = None, notebooks_dir: Path | None = None,
                say=None, use_cache: bool = True) -> bool:
    """Run the configured reports; an unchanged one is restored from its last good run (report_cache)."""
    from marketlib.lock import data_lock

    settings = settings or get_settings()
    with data_lock(settings, say=say, sweep=(settings.reports_dir,)):
        return _run_reports_locked(config_path, only, workers, console, settings, notebooks_dir, use_cache)


def _run_reports_locked(config_path, only, workers, console, settings, notebooks_dir, use_cache) -> bool:
    notebooks_dir = (notebooks_dir or settings.root / "notebooks").resolve()
    all_specs = load_config(config_path or settings.root / CONFIG_FILE, notebooks_dir)
    specs = all_specs
    if only:
        unknown = sorted(set(only) - {s.name for s in specs})
        if unknown:
            raise UserError(f"Unknown report {unknown[0]!r}; reports are: {', '.join(s.name for s in specs)}.")
        specs = [s for s in specs if s.name in only]
    run_date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    out_dir = settings.reports_dir / run_date
    out_dir.mkdir(parents=True, exist_ok=True)
    run = ReportRun(run_date, out_dir)
    say = console.print if console is not None else (lambda *_a, **_k: None)
    cache = ReportCache(settings) if use_cache else None
    size = max(1, min(workers, 4))
    with _workers_for(notebooks_dir, settings, size) as kernels, ThreadPoolExecutor(max_workers=size) as pool:
        futures = [pool.submit(_run_cached, spec, notebooks_dir, out_dir, settings, cache, kernels)
                   for spec in specs]
        for future in futures:
            result = future.result()
            run.results.append(result)
            mark = "ok" if result.status == "ok" else f"FAILED ({result.error})"
            if result.cached_from:
                mark += f" (unchanged since the {result.cached_from} run: not executed again)"
            say(f"{result.spec.name}: {mark} in {result.seconds:.1f} s", markup=False, highlight=False,
                soft_wrap=True)
    ok = run.ok  # of the reports this run executed
    if only:  # the index keeps every other report's latest entry, in config order
        earlier = previous_results(settings, all_specs)
        fresh = {r.spec.name: r for r in run.results}
        run.results = [fresh.get(s.name) or earlier[s.name] for s in all_specs if s.name in fresh or s.name in earlier]
    index = write_index(run, settings)
    say(f"Wrote {index}", markup=False, highlight=False)
    return ok

