"""Notebook setup: the marketlib chart renderer and theme (see charts.py) plus the table renderer (tables.py).

Charts are displayed as a mime bundle with the Vega-Lite spec (interactive, in JupyterLab) and a pre-rendered SVG
(vl-convert, offline); the exported HTML keeps the SVG only, so shared reports need no JavaScript or network.
"""

from __future__ import annotations

import altair as alt
import polars as pl


def setup() -> None:
    from marketlib import charts, tables

    charts.use_theme()
    alt.renderers.enable(charts.RENDERER)
    tables.register()  # frames display as labelled, formatted tables (marketlib.tables)
    # Plain-text fallback (terminals, papermill logs): whole small aggregates, no dtype rows or shape headers.
    pl.Config.set_tbl_rows(60)
    pl.Config.set_tbl_cols(-1)
    pl.Config.set_fmt_str_lengths(120)
    pl.Config.set_tbl_hide_dataframe_shape(True)
    pl.Config.set_tbl_hide_column_data_types(True)
    pl.Config.set_float_precision(2)
