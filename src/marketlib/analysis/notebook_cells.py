"""The cell builders of the generated notebooks (see `analysis.notebooks`): markdown, code, the tagged parameters
cell, the setup cell, and the findings and sources footer every notebook ends with."""

from __future__ import annotations

import textwrap

from nbformat.v4 import new_code_cell, new_markdown_cell

SOURCES_MD = (
    "## Sources and licenses\n\nBuilt from the rows that fed this notebook: source, snapshot ids and dates, "
    "license. Scraped text in tables is HTML-escaped by the table display."
)


def md(text: str):
    return new_markdown_cell(text.strip())


def code(text: str, tags: list[str] | None = None):
    cell = new_code_cell(text.strip())
    if tags:
        cell.metadata["tags"] = tags
    return cell


def params(text: str):
    """The tagged parameters cell. Help comments say "[] → all", never "=": papermill warns about any line with
    a second "=" ("Unable to parse line") on every run."""
    lines = []
    for line in text.splitlines():
        value, sep, comment = line.partition("  # ")
        lines.append(f"{value}{sep}{comment.replace(' = ', ' → ')}" if sep else line)
    return code("\n".join(lines), tags=["parameters"])


def setup_cell(imports: str, module: str, args: str, *, polars: bool = False):
    """The cell after the parameters: imports (`findings` always), `setup()`, the parameters validated by
    `module` and shown as a readable table; `args` are the keyword arguments as written (one line, or lines
    wrapped at 110 characters)."""
    call = f"params = {module}.validate_params({args.strip()})"
    if "\n" in args.strip():
        call = f"params = {module}.validate_params(\n" + textwrap.indent(args.strip("\n"), "    ") + "\n)"
    head = "import polars as pl\n\n" if polars else ""
    names = sorted({*(n.strip() for n in imports.split(",")), "findings"})
    return code(f"{head}from marketlib.analysis import {', '.join(names)}\nfrom marketlib.notebook import setup\n\n"
                "setup()  # chart renderer (Vega-Lite + offline SVG) and table display\n\n"
                f"{call}\nfindings.params_table(params)  # the parameters as validated, one per row")


def accuracy_cells(fields: list[str]) -> list:
    """How accurately the cleaning extracts the fields the page rests on (test split of the golden sets)."""
    return [md("### How accurate the extracted fields are"),
            code(f"common.text_markdown(accuracy.accuracy_note({fields!r}))")]


FINDINGS_MD = (
    "## Findings as data\n\nThe headline figures above as records (`id, text, value, unit, low, high, n, "
    "sources`); `marketlib report` writes them to `reports/<date>/<name>.json`."
)


def findings_cells(call: str) -> list:
    return [md(FINDINGS_MD), code(call)]


def footer(module: str, result: str = "result") -> list:
    return [
        *findings_cells(f"{module}.publish({result})" if module in ("city_odds", "my_odds") else
                        f"findings.publish(findings.params_record(params), {module}.findings({result}))"),
        md(SOURCES_MD),
        code(f"sources = {module}.sources_table({result})\nsources"),
        code("common.licenses_markdown(sources)"),
    ]
