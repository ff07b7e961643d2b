"""Compare two directories of processed tables (e.g. before and after a refactoring), table by table.

    python benchmarks/compare_tables.py BEFORE_DIR AFTER_DIR [--ignore TABLE.COLUMN:ROWS ...]

Each table is sorted by a stable key (its id columns, else every non-list column) and compared column by
column; the output names, per table, the rows before and after and every column whose values differ, with the
number of rows and a few examples. `--ignore postings.is_duplicate:5` accepts up to 5 differing rows in that
column (a known, explained difference); the exit code is 0 only when every other column is equal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

KEYS = {"postings": ["posting_id"], "reference": ["figure_id"],
        "case_studies": ["source", "edition_date", "case_id"]}


def _sort_key(table: str, frame: pl.DataFrame) -> list[str]:
    return KEYS.get(table) or [c for c, t in frame.schema.items() if not isinstance(t, pl.List)]


def _differing_rows(before: pl.DataFrame, after: pl.DataFrame, column: str) -> pl.Series:
    left, right = before.get_column(column), after.get_column(column)
    if isinstance(left.dtype, pl.List):  # lists compare as their joined text
        left, right = (s.cast(pl.List(pl.String)).list.join("\x1f") for s in (left, right))
    return left.ne_missing(right)


def compare_table(table: str, before: pl.DataFrame, after: pl.DataFrame) -> dict:
    """{"rows": (before, after), "columns": {column: differing rows}, "examples": {column: [...]}, ...}."""
    out = {"rows": (before.height, after.height), "columns": {}, "examples": {},
           "added": [c for c in after.columns if c not in before.columns],
           "removed": [c for c in before.columns if c not in after.columns]}
    if before.height != after.height:
        return out
    key = _sort_key(table, before)
    before, after = before.sort(key, nulls_last=True), after.sort(key, nulls_last=True)
    for column in before.columns:
        if column not in after.columns:
            continue
        mask = _differing_rows(before, after, column)
        if mask.any():
            out["columns"][column] = int(mask.sum())
            shown = [c for c in (key[0], column) if c in before.columns]
            out["examples"][column] = list(zip(before.filter(mask).select(shown).head(3).rows(),
                                               after.filter(mask).get_column(column).head(3).to_list(),
                                               strict=True))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--ignore", action="append", default=[], help="TABLE.COLUMN:MAX_ROWS")
    args = parser.parse_args(argv)
    allowed = {}
    for item in args.ignore:
        name, _, rows = item.partition(":")
        allowed[name] = int(rows or 0)
    names = sorted({p.stem for d in (args.before, args.after) for p in d.glob("*.parquet")})
    ok = True
    print(f"{'table':<16}{'rows before':>12}{'rows after':>12}  result")
    for table in names:
        paths = [d / f"{table}.parquet" for d in (args.before, args.after)]
        if not all(p.is_file() for p in paths):
            print(f"{table:<16}{'-':>12}{'-':>12}  only in {'after' if paths[1].is_file() else 'before'}")
            continue
        result = compare_table(table, *(pl.read_parquet(p) for p in paths))
        before_rows, after_rows = result["rows"]
        problems = [f"rows {before_rows} -> {after_rows}"] if before_rows != after_rows else []
        problems += [f"column added: {c}" for c in result["added"]]
        problems += [f"column removed: {c}" for c in result["removed"]]
        notes = []
        for column, rows in result["columns"].items():
            limit = allowed.get(f"{table}.{column}")
            text = f"{column}: {rows} rows differ, e.g. {result['examples'][column]}"
            (notes if limit is not None and rows <= limit else problems).append(text)
        ok = ok and not problems
        verdict = "equal" if not problems and not notes else ("equal except known" if not problems else "DIFFERENT")
        print(f"{table:<16}{before_rows:>12,}{after_rows:>12,}  {verdict}")
        for line in problems + [f"(known) {n}" for n in notes]:
            print(f"{'':<16}  {line}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
