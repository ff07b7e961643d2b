"""Findings as data: each notebook's headline figures as records the report writes to reports/<date>/<name>.json.

A notebook's last cell calls `publish(...)`: it displays the findings as a table and attaches the same bundle
under FINDINGS_MIME, which `marketlib report` copies into the JSON file (report.write_findings). Records are
`{id, text, value, unit, low, high, n, sources}`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

FINDINGS_MIME = "application/vnd.marketlib.findings+json"
METRO_FIELDS = (
    "metro", "metro_code", "openings", "professionals", "success_ratio_pct", "success_ratio_low_pct",
    "success_ratio_high_pct", "relative_odds", "is_estimate", "is_thin",
)


@dataclass
class Finding:
    id: str
    text: str
    value: float | str | None
    unit: str
    low: float | None = None
    high: float | None = None
    n: int | None = None
    sources: list[str] = field(default_factory=list)


def _plain(value):
    """JSON-safe values: dates as ISO strings, NaN/inf as null, tuples as lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    return value


def metro_records(table: pl.DataFrame) -> list[dict]:
    """The city-odds metro table as the JSON `metros` records."""
    return [_plain(r) for r in table.select(list(METRO_FIELDS)).iter_rows(named=True)]


def bundle(
    parameters: dict,
    findings: Sequence[Finding],
    window: dict | None = None,
    metros: pl.DataFrame | None = None,
) -> dict:
    out = {"parameters": _plain(parameters), "window": window, "findings": [_plain(f) for f in findings]}
    if metros is not None:
        out["metros"] = metro_records(metros)
    return json.loads(json.dumps(out, default=str))  # fails here, not in the report, if not serializable


def publish(
    parameters: dict,
    findings: Sequence[Finding],
    window: dict | None = None,
    metros: pl.DataFrame | None = None,
):
    """Display the findings table and attach the JSON bundle for the report."""
    from IPython.display import display

    data = bundle(parameters, findings, window, metros)
    rows = [{k: ("" if v is None else str(v)) for k, v in f.items() if k != "sources"} for f in data["findings"]]
    table = pl.DataFrame(rows) if rows else pl.DataFrame({"id": [], "text": []})
    display({FINDINGS_MIME: data, "text/plain": f"{len(rows)} findings"}, raw=True)
    return table


def params_record(params) -> dict:
    """A Params dataclass (nested selection included) as a plain dict."""
    return _plain(params)


def _readable(value) -> str:
    """A parameter value as a reader writes it: lists joined, dates ISO, no quotes, no None."""
    if value is None:
        return "not set (default)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_readable(v) for v in value) if value else "none given (default)"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_readable(v)}" for k, v in value.items()) if value else "none"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def params_table(params) -> pl.DataFrame:
    """The validated parameters as a two-column table (parameter, value) for the page: a nested selection's
    fields are listed after the others when they say something the top level does not."""
    flat = params_record(params)
    top = {k: v for k, v in flat.items() if not isinstance(v, dict)}
    rows = [(k, _readable(v)) for k, v in top.items()]
    for group, fields in ((k, v) for k, v in flat.items() if isinstance(v, dict)):
        rows += [(f"{group}: {k}", _readable(v)) for k, v in fields.items() if k not in top or top[k] != v]
    return pl.DataFrame(rows, schema=["parameter", "value"], orient="row")


def records(
    frame: pl.DataFrame,
    id_prefix: str,
    label: str,
    text: str,
    value: str,
    unit: str,
    *,
    low: str | None = None,
    high: str | None = None,
    n: str | None = None,
    sources: Sequence[str] = (),
) -> list[Finding]:
    """One Finding per row of a result table: id '<prefix>:<label>', text '<label>: <text>'."""
    out = []
    for rec in frame.iter_rows(named=True):
        out.append(
            Finding(
                id=f"{id_prefix}:{rec[label]}",
                text=f"{rec[label]}: {text}",
                value=rec[value],
                unit=unit,
                low=rec[low] if low else None,
                high=rec[high] if high else None,
                n=int(rec[n]) if n and rec[n] is not None else None,
                sources=list(sources),
            )
        )
    return out
