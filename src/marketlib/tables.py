"""One table renderer for every notebook: polars frames shown as tables people read, not dataframe printouts.

Headers are labelled with their unit, counts get thousands separators, percentages one decimal, missing cells
"—" with the reason in a footnote, text escaped and wrapped at word boundaries (never cut), booleans "yes"/"no".
`notebook.setup()` registers it as the HTML display of `polars.DataFrame`, so a bare frame at the end of a cell
renders this way in JupyterLab and in the exported HTML. Tables are small aggregates: formatting runs per cell.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import polars as pl

MAX_ROWS = 60
NARROW_COLUMNS = 3  # tables with more columns stack each row into label/value lines below 600 px
MISSING = "—"

# Headers whose plain reading from the column name would be wrong or unclear.
LABELS = {
    "n": "n",
    "metro": "Metro",
    "metro_code": "CBSA / metro code",
    "yoe_bucket": "Years of experience",
    "yoe_min": "Years of experience (min)",
    "yoe_max": "Years of experience (max)",
    "role_family": "Role family",
    "is_thin": "Thin cell?",
    "is_estimate": "Estimate?",
    "is_remote": "Remote?",
    "snapshot_id": "Snapshot",
    "snapshot_ids": "Snapshots",
    "professionals_per_opening": "Professionals per opening",
    "relative_odds": "Relative odds (×)",
    "relative_odds_low": "Relative odds, low (×)",
    "relative_odds_high": "Relative odds, high (×)",
    "evidently_tag": "Evidently tag",
    "by_evidently_tag": "Case studies by Evidently's tag",
    "by_classifier": "Case studies by the classifier",
    "classifier_only": "Classifier only (case studies)",
    "tag_only": "Tag only (case studies)",
    "classifier_only_tags": "Tags of the classifier-only rows (case studies)",
}
# Unit suffixes (DESIGN.md conventions) and how their header reads.
_UNITS = (("_pct", "%"), ("_usd", "USD"), ("_years", "years"), ("_days", "days"), ("_seconds", "s"))
_WORDS = {"yoe": "YOE", "usd": "USD", "id": "id", "ids": "ids", "llm": "LLM", "nlp": "NLP", "cv": "CV",
          "ml": "ML", "hn": "HN", "oews": "OEWS", "soc": "SOC", "url": "URL", "fx": "FX"}

_CSS = """<style>
.marketlib-table-wrap { max-width: 100%; overflow-x: auto; margin: .5rem 0 1rem; }
table.marketlib-table { border-collapse: collapse; width: 100%; font-size: .9rem; table-layout: auto; }
table.marketlib-table th, table.marketlib-table td { padding: .3rem .5rem; border-bottom: 1px solid #ddd;
  vertical-align: top; overflow-wrap: break-word; word-break: normal; hyphens: manual; }
table.marketlib-table th { text-align: left; font-weight: 600; background: #f6f6f6; min-width: 4.5rem; }
/* JupyterLab's exported CSS right-aligns every cell (:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td): text
   reads from the left, numbers line up on the right. */
.marketlib-table-wrap table.marketlib-table td, .marketlib-table-wrap table.marketlib-table th { text-align: left; }
.marketlib-table-wrap table.marketlib-table th.num { text-align: right; }
.marketlib-table-wrap table.marketlib-table td.num { text-align: right; white-space: nowrap; }
table.marketlib-table td.text { min-width: 8rem; max-width: 32rem; white-space: normal; }
p.marketlib-table-note { font-size: .8rem; color: #555; margin: -.5rem 0 1rem; }
@media (max-width: 600px) {
  table.marketlib-table td.text, table.marketlib-table th { min-width: 0; }
  table.marketlib-table td { overflow-wrap: anywhere; }  /* only a token longer than the line breaks */
  table.marketlib-table.wide, table.marketlib-table.wide tbody, table.marketlib-table.wide tr,
  table.marketlib-table.wide td {
    display: block; width: auto; }
  table.marketlib-table.wide thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); }
  table.marketlib-table.wide tr { border-top: 2px solid #ccc; padding: .2rem 0; }
  .marketlib-table-wrap table.marketlib-table.wide td, .marketlib-table-wrap table.marketlib-table.wide td.num,
  .marketlib-table-wrap table.marketlib-table.wide td.text {
    display: flex; gap: .6rem; justify-content: space-between; text-align: right; white-space: normal;
    min-width: 0; max-width: none; border-bottom: 1px solid #eee; padding: .15rem .3rem; font-size: .85rem;
    overflow-wrap: anywhere; }
  table.marketlib-table.wide td::before { content: attr(data-label); font-weight: 600; text-align: left;
    flex: 0 0 45%; color: #333; }
}
</style>"""


def label(column: str) -> str:
    """A header for a column name: 'success_ratio_low_pct' → 'Success ratio low (%)'."""
    if column in LABELS:
        return LABELS[column]
    name, unit = column, ""
    for suffix, text in _UNITS:
        if name.endswith(suffix):
            name, unit = name[: -len(suffix)], text
            break
    question = name.startswith(("is_", "has_"))
    if question:
        name = name.split("_", 1)[1]
    words = [_WORDS.get(w, w) for w in re.split(r"_+", name) if w]
    text = " ".join(words)
    text = text[:1].upper() + text[1:] if text else column
    if question:
        text += "?"
    return f"{text} ({unit})" if unit else text


def _is_pct(column: str) -> bool:
    return column.endswith(("_pct", "_share")) or column in {"share", "pct"}


def _format_number(value, column: str, dtype: pl.DataType) -> str:
    if dtype.is_integer():
        return f"{value:,}"
    if _is_pct(column):  # one decimal; small shares keep two significant digits (0.054, not 0.1)
        return f"{value:,.1f}" if abs(value) >= 1 or value == 0 else f"{value:.2g}"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:,.1f}"
    return f"{value:,.2f}"


def format_cell(value, column: str, dtype: pl.DataType) -> str:
    """One cell as escaped display text ('' never: missing is '—')."""
    if value is None or (isinstance(value, float) and value != value):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)) and dtype.is_numeric():
        return _format_number(value, column, dtype)
    if isinstance(value, dt.datetime):
        return html.escape(value.strftime("%Y-%m-%d %H:%M"))
    if isinstance(value, dt.date):
        return html.escape(value.isoformat())
    if isinstance(value, (list, tuple)):
        shown = [str(v) for v in value if v is not None]
        return html.escape(", ".join(shown)) if shown else MISSING
    return html.escape(str(value))


def _cell_class(dtype: pl.DataType) -> str:
    if dtype.is_numeric():
        return "num"
    if dtype == pl.String or isinstance(dtype, pl.List):
        return "text"
    return ""


def to_html(frame: pl.DataFrame, *, missing_reason: str | None = None, max_rows: int = MAX_ROWS) -> str:
    """The frame as a responsive HTML table with labelled headers and a footnote for missing cells."""
    shown = frame.head(max_rows)
    classes = {c: _cell_class(dt_) for c, dt_ in shown.schema.items()}
    labels = {c: html.escape(label(c), quote=True) for c in shown.columns}
    head = "".join(f'<th class="{classes[c]}" scope="col">{labels[c]}</th>' for c in shown.columns)
    body = []
    has_missing = False
    for row in shown.iter_rows():
        cells = []
        for column, value in zip(shown.columns, row, strict=True):
            text = format_cell(value, column, shown.schema[column])
            has_missing = has_missing or text == MISSING
            cells.append(f'<td class="{classes[column]}" data-label="{labels[column]}">{text}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    notes = []
    if frame.height > max_rows:
        notes.append(f"First {max_rows:,} of {frame.height:,} rows.")
    if has_missing:
        reason = missing_reason or _default_missing_reason(frame)
        notes.append(f"{MISSING} {reason}")
    if frame.height == 0:
        notes.append("No rows for this selection.")
    wide = " wide" if len(shown.columns) > NARROW_COLUMNS else ""  # stacked into label/value lines on phones
    note = f'<p class="marketlib-table-note">{html.escape(" ".join(notes))}</p>' if notes else ""
    return (f'{_CSS}<div class="marketlib-table-wrap"><table class="marketlib-table{wide}"><thead><tr>{head}</tr>'
            f'</thead><tbody>{"".join(body)}</tbody></table></div>{note}')


def _default_missing_reason(frame: pl.DataFrame) -> str:
    for column in ("caveat", "note", "notes", "reason"):
        if column in frame.columns:
            return f"not available for this row; the {label(column).lower()} column says why."
    return "not available for this row (no data or not measurable)."


class Table:
    """A frame with a footnote for its missing cells, for cells that want to say why a value is absent."""

    def __init__(self, frame: pl.DataFrame, missing_reason: str | None = None):
        self.frame = frame
        self.missing_reason = missing_reason

    def _repr_html_(self) -> str:
        return to_html(self.frame, missing_reason=self.missing_reason)


def register() -> None:
    """Render polars frames with `to_html` in IPython (no-op outside a kernel)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.display_formatter.formatters["text/html"].for_type(pl.DataFrame, to_html)
