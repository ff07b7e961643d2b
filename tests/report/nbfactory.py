"""Small notebooks written by the tests (a parameters cell, a chart, a table of scraped-looking text)."""

from __future__ import annotations

from pathlib import Path

import nbformat

PAYLOAD_SCRIPT = "<script>window.__pwned = 1</script>"
PAYLOAD_IMG = '<img src=x onerror="window.__pwned = 2">'


def write_demo_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("n_bars = 3  # how many bars to draw\nlabel = 'demo'  # chart title")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Demo report\nA [source](https://example.org/data) and "
                                      "[bad](javascript:alert(1))."),
        params,
        nbformat.v4.new_code_cell(
            "from marketlib.errors import UserError\n"
            "if n_bars < 1:\n    raise UserError('n_bars must be at least 1.')"),
        nbformat.v4.new_code_cell(
            "import altair as alt, polars as pl\n"
            "from marketlib.notebook import setup\nsetup()\n"
            f"companies = [{PAYLOAD_SCRIPT!r}, {PAYLOAD_IMG!r}, 'Plain Co']\n"
            "frame = pl.DataFrame({'company': companies[:n_bars], 'openings': list(range(1, n_bars + 1))})\n"
            "alt.Chart(frame.to_pandas()).mark_bar().encode(x='openings:Q', y='company:N').properties(title=label)"),
        nbformat.v4.new_code_cell("frame"),
        nbformat.v4.new_markdown_cell("## Findings as data"),
        nbformat.v4.new_code_cell(
            "from marketlib.analysis.findings import Finding, publish\n"
            "publish({'n_bars': n_bars}, [Finding('bars', f'The demo drew {n_bars} bars for {label}.', n_bars, "
            "'count', n=n_bars, sources=['demo'])], window={'start': '2026-01-01', 'end': '2026-06-30', "
            "'measure': 'new_openings_per_year'})"),
    ]
    nb.metadata["kernelspec"] = {"name": "marketlib", "display_name": "Python (marketlib)", "language": "python"}
    nbformat.write(nb, str(path))
    return path
