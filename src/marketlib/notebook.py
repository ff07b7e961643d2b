"""Notebook setup: one call at the top of every notebook.

Charts are displayed as a mime bundle holding both the Vega-Lite spec (interactive, with tooltips, in
JupyterLab) and a pre-rendered SVG (made offline by vl-convert). The exported HTML keeps the SVG only, so a
shared report needs no JavaScript and no network to show its charts.
"""

from __future__ import annotations

import altair as alt
import polars as pl

VEGALITE_MIME = "application/vnd.vegalite.v5+json"


def _render(spec: dict, **_kwargs) -> dict:
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(spec)
    return {VEGALITE_MIME: spec, "image/svg+xml": svg, "text/plain": "<chart>"}


def setup() -> None:
    """Register the marketlib chart renderer and readable table defaults."""
    if "marketlib" not in alt.renderers.names():
        alt.renderers.register("marketlib", _render)
    alt.renderers.enable("marketlib")
    pl.Config.set_tbl_rows(30)
    pl.Config.set_fmt_str_lengths(60)
    pl.Config.set_tbl_hide_dataframe_shape(True)
