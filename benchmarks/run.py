"""Performance harness: marketlib's postings cleaning vs a pandas/`re` notebook baseline, on resampled REAL
postings.

Every measurement runs in a fresh subprocess (`--worker ...`), which reports its wall time and its own peak
RSS (`resource.getrusage(RUSAGE_SELF).ru_maxrss`): each size starts from a cold process and memory does not
leak between sizes. The corpora are built once and cached under benchmarks/corpora/ (benchmarks/corpus.py).

    .venv/bin/python benchmarks/run.py                  # 10k, 100k, 1M; baseline at 10k (100k estimated)
    .venv/bin/python benchmarks/run.py --full-baseline  # also time the baseline at 100k (about 30 minutes)
    .venv/bin/python benchmarks/run.py --quick          # 2k and 10k, a smoke run in about a minute
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make `benchmarks` importable as a package
    sys.path.insert(0, str(REPO))

import polars as pl  # noqa: E402

from benchmarks import corpus  # noqa: E402
from marketlib.atomic import atomic_write_text  # noqa: E402

RESULTS_DIR = REPO / "benchmarks" / "results"
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (2_000, 10_000)
BASELINE_SIZES = (10_000, 100_000)
# The baseline costs ~20 ms per row: above this size it is estimated linearly unless --full-baseline.
BASELINE_MEASURED_UP_TO = 10_000
WARMUP_ROWS = 200
TARGETS = {
    "max_seconds_1m": 60.0,
    "max_peak_rss_gb_1m": 4.0,
    "min_speedup_100k": 20.0,
    "max_growth_1m_100k": 12.0,
}
WORKER_TIMEOUT_SECONDS = 3600
RESULT_MARK = "BENCH-RESULT "


# ---------------------------------------------------------------------------------------------- in the child


def _peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def _cpu_seconds() -> float:
    """User + system CPU time of this process (all its threads): less sensitive than wall time to other
    processes sharing the machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _current_rss_bytes() -> int:
    import psutil

    return psutil.Process().memory_info().rss


def _load(path: Path) -> tuple[pl.DataFrame, dict]:
    started = time.perf_counter()
    raw = pl.read_parquet(path)
    info = {
        "rows": raw.height,
        "description_mb": raw["description"].str.len_bytes().sum() / 1e6,
        "load_seconds": time.perf_counter() - started,
    }
    return raw, info


def _summary(cleaned: pl.DataFrame) -> dict:
    """A few shares showing the cleaning did real work (and letting runs be compared)."""
    checks = {
        "share_is_duplicate": ("is_duplicate", pl.col("is_duplicate")),
        "share_has_metro": ("metro_code", pl.col("metro_code").is_not_null()),
        "share_has_skills": ("skills", pl.col("skills").list.len() > 0),
        "share_has_domains": ("domains", pl.col("domains").list.len() > 0),
        "share_has_yoe": ("yoe_min", pl.col("yoe_min").is_not_null()),
        "share_has_salary": ("salary_min_usd", pl.col("salary_min_usd").is_not_null()),
    }
    out: dict = {"output_rows": cleaned.height, "output_columns": cleaned.width}
    for name, (column, expr) in checks.items():
        if column in cleaned.columns:
            out[name] = round(float(cleaned.select(expr.cast(pl.Float64).mean()).item() or 0.0), 4)
    return out


def worker_marketlib(path: Path) -> dict:
    """The scalable path: `clean_postings_file` (parquet in, validated parquet out, bounded chunks)."""
    import tempfile

    from marketlib.clean.pipeline import clean_postings
    from marketlib.cleanfile import DEFAULT_CHUNK_ROWS, clean_postings_file

    raw, info = _load(path)
    started = time.perf_counter()
    clean_postings(raw.head(WARMUP_ROWS))  # dictionaries loaded, regexes compiled: one-time costs
    info["warmup_seconds"] = time.perf_counter() - started
    info["chunk_rows"] = DEFAULT_CHUNK_ROWS
    del raw
    info["rss_before_gb"] = _current_rss_bytes() / 1e9
    with tempfile.TemporaryDirectory(dir=path.parent) as out_dir:
        out = Path(out_dir) / "postings.parquet"
        started, cpu = time.perf_counter(), _cpu_seconds()
        clean_postings_file(path, out)
        info["seconds"] = time.perf_counter() - started
        info["cpu_seconds"] = _cpu_seconds() - cpu
        info["peak_rss_gb"] = _peak_rss_bytes() / 1e9
        info.update(_summary(pl.read_parquet(out)))
    return info


def worker_baseline(path: Path) -> dict:
    from benchmarks import baseline

    raw, info = _load(path)
    frame = raw.to_pandas()
    del raw
    info["rss_before_gb"] = _current_rss_bytes() / 1e9
    started, cpu = time.perf_counter(), _cpu_seconds()
    cleaned = baseline.clean_postings_baseline(frame)
    info["seconds"] = time.perf_counter() - started
    info["cpu_seconds"] = _cpu_seconds() - cpu
    info["peak_rss_gb"] = _peak_rss_bytes() / 1e9
    info["output_rows"] = len(cleaned)
    info["share_is_duplicate"] = round(float(cleaned["is_duplicate"].mean()), 4)
    info["share_has_skills"] = round(float((cleaned["skills"].str.len() > 0).mean()), 4)
    info["share_has_yoe"] = round(float(cleaned["yoe_min"].notna().mean()), 4)
    return info


def pipeline_steps() -> list[tuple[str, object]]:
    """The steps of `clean.pipeline.clean_postings`, in its order, as (name, frame -> frame) callables.

    Mirrors pipeline.py so each module's function is timed on its own; a module that is missing (not landed
    yet) or whose function fails is reported as such rather than stopping the run.
    """
    from marketlib import schemas

    def module(name: str):
        try:
            return importlib.import_module(f"marketlib.clean.{name}")
        except ImportError:
            return None

    text, locations, roles, domains, experience, skills, salary, dedup = (
        module(n)
        for n in ("text", "locations", "roles", "domains", "experience", "skills", "salary", "dedup")
    )

    def conform_raw(f):
        return schemas.conform(f, schemas.RAW_POSTING_COLUMNS)

    def text_step(f):
        return f.with_columns(
            text.html_to_text_series(f["description"].rechunk()).alias("description"),
            text.normalize_space(pl.col("title")).alias("title"),
            text.normalize_space(pl.col("company")).alias("company"),
            text.safe_url(pl.col("url")).alias("url"),
        )

    steps = [
        ("conform (raw)", conform_raw),
        ("text", text_step if text else None),
        (
            "locations",
            (lambda f: locations.add_locations(f, "location_raw", remote_hint_col="is_remote_hint"))
            if locations
            else None,
        ),
        ("roles", (lambda f: roles.add_roles(f, "title")) if roles else None),
        ("skills + domains",
         lambda f: domains.add_skills_and_domains(f, skills.evidence_columns(f, ("title", "description")))),
        ("experience", (lambda f: experience.add_experience(f, "description")) if experience else None),
        ("salary", (lambda f: salary.add_salary(f)) if salary else None),
        ("dedup", (lambda f: dedup.add_ids(f)) if dedup else None),
        ("conform (postings)", lambda f: schemas.conform(f, schemas.schema("postings"))),
    ]
    return steps


def worker_steps(path: Path) -> dict:
    raw, info = _load(path)
    steps = pipeline_steps()
    # Warm-up on a few rows so one-time dictionary loading is not charged to a step.
    frame = raw.head(WARMUP_ROWS)
    for _, fn in steps:
        if fn is not None:
            try:
                frame = fn(frame)
            except Exception:  # noqa: BLE001 - reported in the timed pass below
                pass
    timings = []
    frame = raw
    for name, fn in steps:
        if fn is None:
            timings.append({"step": name, "seconds": None, "status": "module missing"})
            continue
        started = time.perf_counter()
        try:
            frame = fn(frame)
            timings.append({"step": name, "seconds": time.perf_counter() - started, "status": "ok"})
        except Exception as exc:  # noqa: BLE001 - a broken step is a finding, not a crash of the harness
            timings.append(
                {"step": name, "seconds": None, "status": f"error: {type(exc).__name__}: {exc}"[:300]}
            )
    info["steps"] = timings
    info["peak_rss_gb"] = _peak_rss_bytes() / 1e9
    return info


def worker_inmemory(path: Path) -> dict:
    """For comparison: `clean_postings` on the whole corpus as one in-memory frame (no chunks)."""
    from marketlib.clean.pipeline import clean_postings

    raw, info = _load(path)
    clean_postings(raw.head(WARMUP_ROWS))
    started = time.perf_counter()
    clean_postings(raw)
    info["seconds"] = time.perf_counter() - started
    info["peak_rss_gb"] = _peak_rss_bytes() / 1e9
    return info


def worker_profile(path: Path, out_file: Path) -> dict:
    from pyinstrument import Profiler

    from marketlib.clean.pipeline import clean_postings

    raw, info = _load(path)
    clean_postings(raw.head(WARMUP_ROWS))
    profiler = Profiler(interval=0.005)
    profiler.start()
    clean_postings(raw)
    profiler.stop()
    atomic_write_text(out_file, profiler.output_text(unicode=True, color=False, show_all=False))
    info["profile_file"] = str(out_file.relative_to(REPO))
    return info


def run_worker(args: argparse.Namespace) -> None:
    path = Path(args.corpus)
    load_before = round(os.getloadavg()[0], 2)
    if args.worker == "marketlib":
        result = worker_marketlib(path)
    elif args.worker == "baseline":
        result = worker_baseline(path)
    elif args.worker == "steps":
        result = worker_steps(path)
    elif args.worker == "inmemory":
        result = worker_inmemory(path)
    elif args.worker == "profile":
        result = worker_profile(path, Path(args.profile_out))
    else:
        raise SystemExit(f"unknown worker {args.worker!r}")
    # Other processes on the machine slow a measurement down: the 1-minute load average says how busy it was.
    result["load_average_1min_before"] = load_before
    result["load_average_1min_after"] = round(os.getloadavg()[0], 2)
    print(RESULT_MARK + json.dumps(result), flush=True)


# --------------------------------------------------------------------------------------------- in the parent


def spawn(worker: str, corpus_file: Path, *extra: str) -> dict:
    """Run one measurement in a fresh Python process; return its result (or an error record)."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        worker,
        "--corpus",
        str(corpus_file),
        *extra,
    ]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=WORKER_TIMEOUT_SECONDS, cwd=REPO)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:]
        return {
            "error": f"exit {proc.returncode}: " + " | ".join(tail),
            "process_seconds": time.perf_counter() - started,
        }
    result = json.loads(lines[-1][len(RESULT_MARK) :])
    result["process_seconds"] = time.perf_counter() - started
    return result


def machine() -> dict:
    import pandas
    import psutil

    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpu_model": model,
        "logical_cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "polars": pl.__version__,
        "polars_threads": pl.thread_pool_size(),
        "pandas": pandas.__version__,
    }


def git_state() -> dict:
    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], capture_output=True, text=True, cwd=REPO, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    dirty = git("status", "--porcelain", "--", "src/marketlib")
    return {
        "commit": git("rev-parse", "HEAD"),
        "package_has_uncommitted_changes": bool(dirty),
        "clean_modules": sorted(
            p.stem
            for p in (REPO / "src/marketlib/clean").glob("*.py")
            if p.stem not in ("__init__", "pipeline")
        ),
    }


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if not numerator or not denominator:
        return None
    return numerator / denominator


def speedups(results: dict) -> list[dict]:
    """Baseline time ÷ marketlib time at each size both ran (wall and CPU seconds)."""
    ours = {r["rows"]: r for r in results["marketlib"] if "seconds" in r}
    out = []
    for b in results["baseline"]:
        r = ours.get(b.get("rows"))
        if r is None or not b.get("seconds"):
            continue
        out.append(
            {
                "rows": b["rows"],
                "baseline_estimated": bool(b.get("estimated")),
                "wall": _ratio(b["seconds"], r["seconds"]),
                "cpu": _ratio(b.get("cpu_seconds"), r.get("cpu_seconds")),
            }
        )
    return out


def evaluate(results: dict) -> list[dict]:
    """The targets of the brief, each with its measured value and pass / fail / not measured."""
    by_size = {r["rows"]: r for r in results["marketlib"] if "seconds" in r}
    million = by_size.get(1_000_000, {})
    base_100k = next((b for b in results["baseline"] if b.get("rows") == 100_000 and b.get("seconds")), {})
    speedup = _ratio(base_100k.get("seconds"), by_size.get(100_000, {}).get("seconds"))
    cpu_speedup = _ratio(base_100k.get("cpu_seconds"), by_size.get(100_000, {}).get("cpu_seconds"))
    growth = _ratio(million.get("seconds"), by_size.get(100_000, {}).get("seconds"))

    def check(name: str, value, limit: float, smaller_is_better: bool, note: str = "") -> dict:
        if value is None:
            return {"target": name, "measured": None, "limit": limit, "status": "not measured", "note": note}
        ok = value <= limit if smaller_is_better else value >= limit
        return {
            "target": name,
            "measured": round(value, 2),
            "limit": limit,
            "status": "pass" if ok else "MISS",
            "note": note,
        }

    return [
        check("1M postings wall seconds", million.get("seconds"), TARGETS["max_seconds_1m"], True),
        check("1M postings peak RSS GB", million.get("peak_rss_gb"), TARGETS["max_peak_rss_gb_1m"], True),
        check(
            "speed-up vs baseline at 100k",
            speedup,
            TARGETS["min_speedup_100k"],
            False,
            "; ".join(
                note
                for note in (
                    "baseline estimated" if base_100k.get("estimated") else "",
                    f"CPU-seconds ratio {cpu_speedup:.1f}x" if cpu_speedup else "",
                )
                if note
            ),
        ),
        check("time(1M) / time(100k)", growth, TARGETS["max_growth_1m_100k"], True),
    ]


def print_tables(results: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=140)
    base = {b["rows"]: b for b in results["baseline"] if b.get("seconds")}
    table = Table(
        title="Postings cleaning on RESAMPLED real postings (marketlib vs pandas/re notebook baseline)"
    )
    columns = (
        "rows",
        "text MB",
        "marketlib s",
        "rows/s",
        "MB/s",
        "peak RSS GB",
        "baseline s",
        "speed-up",
        "speed-up (CPU s)",
    )
    for col in columns:
        table.add_column(col, justify="right")
    for r in results["marketlib"]:
        if "error" in r:
            table.add_row(f"{r.get('rows', '?'):,}", "", f"error: {r['error'][:60]}", *[""] * 6)
            continue
        b = base.get(r["rows"])
        b_text = (
            ""
            if b is None
            else (f"~{b['seconds']:.0f} (est.)" if b.get("estimated") else f"{b['seconds']:.1f}")
        )
        speed = _ratio(b["seconds"], r["seconds"]) if b else None
        cpu_speed = _ratio(b.get("cpu_seconds"), r.get("cpu_seconds")) if b else None
        table.add_row(
            f"{r['rows']:,}",
            f"{r['description_mb']:,.0f}",
            f"{r['seconds']:.2f}",
            f"{r['rows'] / r['seconds']:,.0f}",
            f"{r['description_mb'] / r['seconds']:,.1f}",
            f"{r['peak_rss_gb']:.2f}",
            b_text,
            f"{speed:.1f}×" if speed else "",
            f"{cpu_speed:.1f}×" if cpu_speed else "",
        )
    console.print(table)
    if results.get("inmemory"):
        c = results["inmemory"]
        console.print(
            f"for comparison, clean_postings on {c.get('rows', 0):,} rows as one in-memory frame: "
            + (
                f"{c['seconds']:.1f} s, peak RSS {c['peak_rss_gb']:.2f} GB"
                if "seconds" in c
                else c.get("error", "")
            )
        )
    if results.get("steps"):
        s = results["steps"]
        steps = Table(
            title=f"Per-step timings at {s.get('rows', 0):,} rows (each module's function on its own)"
        )
        for col in ("step", "seconds", "share", "status"):
            steps.add_column(col, justify="left" if col in ("step", "status") else "right")
        total = sum(t["seconds"] or 0 for t in s.get("steps", []))
        for t in s.get("steps", []):
            sec = t["seconds"]
            steps.add_row(
                t["step"],
                "" if sec is None else f"{sec:.2f}",
                "" if sec is None or not total else f"{sec / total:.0%}",
                t["status"],
            )
        steps.add_row("total", f"{total:.2f}", "", "")
        console.print(steps)
        if "error" in s:
            console.print(f"per-step run failed: {s['error']}")
    checks = Table(title="Targets (2 cores, 24 GB)")
    for col in ("target", "measured", "limit", "status", "note"):
        checks.add_column(col)
    for c in results["targets"]:
        checks.add_row(
            c["target"],
            "" if c["measured"] is None else str(c["measured"]),
            str(c["limit"]),
            c["status"],
            c["note"],
        )
    console.print(checks)


def reuse_baseline(path: Path, sizes: tuple[int, ...]) -> list[dict]:
    """Measured (not estimated) baseline rows of an earlier results file, for the given sizes."""
    try:
        earlier = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise SystemExit(f"--baseline-from: cannot read {path} ({exc}).") from None
    if earlier.get("corpus", {}).get("version") != corpus.CORPUS_VERSION:
        raise SystemExit(f"--baseline-from: {path} was measured on another corpus version.")
    rows = [
        {
            **b,
            "reused_from": {
                "file": path.name,
                "started_at": earlier.get("started_at"),
                "commit": earlier.get("git", {}).get("commit"),
            },
        }
        for b in earlier.get("baseline", [])
        if b.get("rows") in sizes and b.get("seconds") and not b.get("estimated")
    ]
    return rows


def parse_sizes(text: str) -> tuple[int, ...]:
    multipliers = {"k": 1_000, "m": 1_000_000}
    sizes = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        if not part:
            continue
        factor = multipliers.get(part[-1], 1)
        number = part[:-1] if part[-1] in multipliers else part
        try:
            sizes.append(int(float(number) * factor))
        except ValueError:
            raise SystemExit(f"--sizes: {part!r} is not a row count (use e.g. 10k,100k,1m).") from None
    return tuple(sizes)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", help="row counts, e.g. 10k,100k,1m (default: 10k,100k,1m; empty: baseline only)"
    )
    parser.add_argument("--baseline-sizes", help="row counts for the baseline (default: 10k,100k)")
    parser.add_argument("--skip-baseline", action="store_true", help="do not run the pandas/re baseline")
    parser.add_argument(
        "--full-baseline",
        action="store_true",
        help=f"time the baseline at every size (default: measured up to {BASELINE_MEASURED_UP_TO:,} "
        "rows, larger sizes estimated linearly from it)",
    )
    parser.add_argument(
        "--baseline-from",
        help=f"take the baseline sizes above {BASELINE_MEASURED_UP_TO:,} rows from an earlier results JSON "
        "(same corpus version, measured there with --full-baseline) instead of estimating them",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes (2k, 10k) for a quick check")
    parser.add_argument("--steps-size", help="rows for the per-step timings (default: 100k; 0 to skip)")
    parser.add_argument(
        "--in-memory",
        action="store_true",
        help="also time clean_postings on the largest size as one in-memory frame (no chunks)",
    )
    parser.add_argument("--profile", action="store_true", help="pyinstrument profile of the largest size")
    parser.add_argument("--scaling-size", help="rows of the scaling row, single process vs 1 and 2 local Dask "
                        "workers (benchmarks/scaling.py; default 1m with the default sizes; needs the extra)")
    parser.add_argument("--corpora-dir", default=str(corpus.CORPORA_DIR), help="where corpora are cached")
    parser.add_argument("--results-dir", default=str(RESULTS_DIR), help="where the results JSON is written")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        run_worker(args)
        return {}

    sizes = (
        parse_sizes(args.sizes) if args.sizes is not None else (QUICK_SIZES if args.quick else DEFAULT_SIZES)
    )
    if args.skip_baseline:
        base_sizes: tuple[int, ...] = ()
    elif args.baseline_sizes:
        base_sizes = parse_sizes(args.baseline_sizes)
    else:
        base_sizes = QUICK_SIZES[:1] if args.quick else BASELINE_SIZES
    base_sizes = tuple(sorted(set(base_sizes)))
    steps_size = (
        parse_sizes(args.steps_size)[0] if args.steps_size else (QUICK_SIZES[0] if args.quick else 100_000)
    )
    corpora_dir = Path(args.corpora_dir)
    started = time.perf_counter()
    pools = corpus.real_pool()
    needed = sorted(set(sizes) | set(base_sizes) | ({steps_size} if steps_size else set()))
    print(
        f"corpora (resampled real postings, seed {corpus.SEED}): " + ", ".join(f"{n:,}" for n in needed),
        flush=True,
    )
    files = {n: corpus.build_corpus(n, corpora_dir) for n in needed}

    results: dict = {
        "label": "RESAMPLED real postings (generated benchmark data, not observations)",
        "date": dt.date.today().isoformat(),
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "git": git_state(),
        "corpus": {
            "version": corpus.CORPUS_VERSION,
            "seed": corpus.SEED,
            "pool": corpus.describe_pool(pools),
            "sources": [corpus.RESAMPLED_PREFIX + n for n in pools],
        },
        "marketlib": [],
        "baseline": [],
        "steps": None,
        "inmemory": None,
        "profile": None,
    }
    for n in sizes:
        print(f"marketlib clean_postings_file on {n:,} rows ...", flush=True)
        results["marketlib"].append({"rows": n, **spawn("marketlib", files[n])})
    # Only sizes that would otherwise be estimated come from an earlier run; smaller ones are re-timed.
    large = tuple(n for n in base_sizes if n > BASELINE_MEASURED_UP_TO and not args.full_baseline)
    reused = reuse_baseline(Path(args.baseline_from), large) if args.baseline_from else []
    results["baseline"].extend(reused)
    measured_base = [
        n
        for n in base_sizes
        if (args.full_baseline or n <= BASELINE_MEASURED_UP_TO) and n not in {b["rows"] for b in reused}
    ]
    for n in measured_base:
        print(f"baseline (pandas + re, row-wise apply) on {n:,} rows ...", flush=True)
        results["baseline"].append({"rows": n, "estimated": False, **spawn("baseline", files[n])})
    reference = max(
        (b for b in results["baseline"] if b.get("seconds")), key=lambda b: b["rows"], default=None
    )
    for n in base_sizes:
        if n not in measured_base and n not in {b["rows"] for b in reused} and reference is not None:
            # Per-row apply has no cross-row work but `duplicated`: its time is linear in rows.
            results["baseline"].append(
                {
                    "rows": n,
                    "estimated": True,
                    "seconds": reference["seconds"] * n / reference["rows"],
                    "cpu_seconds": (reference.get("cpu_seconds") or 0.0) * n / reference["rows"] or None,
                    "estimated_from_rows": reference["rows"],
                }
            )
    if steps_size:
        print(f"per-step timings on {steps_size:,} rows ...", flush=True)
        results["steps"] = {"rows": steps_size, **spawn("steps", files[steps_size])}
    if args.in_memory and sizes:
        n = max(sizes)
        print(f"clean_postings on {n:,} rows as one in-memory frame ...", flush=True)
        results["inmemory"] = {"rows": n, **spawn("inmemory", files[n])}
    if args.profile and sizes:
        n = max(sizes)
        out = Path(args.results_dir) / f"profile-{results['date']}-{n}.txt"
        print(f"pyinstrument profile on {n:,} rows ...", flush=True)
        results["profile"] = {"rows": n, **spawn("profile", files[n], "--profile-out", str(out))}
    default_scaling = DEFAULT_SIZES[-1] if args.sizes is None and not args.quick else 0
    scaling_rows = parse_sizes(args.scaling_size)[0] if args.scaling_size else default_scaling
    if scaling_rows and importlib.util.find_spec("distributed"):
        from benchmarks import scaling

        results["scaling"] = scaling.scaling_row(scaling_rows, corpora_dir)
    results["speedups"] = speedups(results)
    results["targets"] = evaluate(results)
    results["harness_seconds"] = round(time.perf_counter() - started, 1)
    out_file = Path(args.results_dir) / f"{results['date']}.json"
    atomic_write_text(out_file, json.dumps(results, indent=2) + "\n")
    print_tables(results)
    if results.get("scaling"):
        scaling.print_row(results["scaling"])
    print(f"results written to {out_file} (harness {results['harness_seconds']} s)")
    return results


if __name__ == "__main__":
    main()
