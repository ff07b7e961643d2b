"""The chart theme and the notebook renderer: one look for every chart, interactive in JupyterLab, static offline.

Imported by `charts` (which re-exports THEME, PALETTE, THIN_COLOR, RENDERER and `use_theme`).
"""

from __future__ import annotations

import altair as alt

THEME = "marketlib"
PALETTE = ["#1f5f8b", "#e07b39", "#3a9a5b", "#b8475a", "#7a5fa3", "#8c6d4f", "#c6a23a", "#5c8a8a"]
THIN_COLOR = "#9a9a9a"


@alt.theme.register(THEME, enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": "Helvetica, Arial, sans-serif",
            "view": {"continuousWidth": 560, "continuousHeight": 320, "stroke": None},
            "title": {
                "anchor": "start",
                "fontSize": 15,
                "subtitleFontSize": 11,
                "subtitleColor": "#555",
                "subtitlePadding": 6,
            },
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e6e6e6"},
            # Legend labels are never cut (the builders keep them short and distinct); two columns under the chart.
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom", "labelLimit": 320,
                       "columns": 2},
            "range": {"category": PALETTE},
        }
    }


RENDERER = "marketlib"
LAB_MIMETYPE = "application/vnd.vegalite.v5+json"


def _offline_bundle(spec: dict, **_metadata) -> dict:
    """Vega-Lite JSON (interactive in JupyterLab) plus an SVG drawn by vl-convert (offline everywhere, e.g.
    nbconvert HTML); no CDN script is ever emitted."""
    import vl_convert

    version = alt.SCHEMA_VERSION.lstrip("v")
    major_minor = ".".join(version.split(".")[:2])
    # JupyterLab 4 renders the Vega-Lite v5 mimetype only (its bundled vega-embed compiles these specs);
    # the schema's own mimetype stays for frontends that know it.
    bundle: dict = {LAB_MIMETYPE: spec, f"application/vnd.vegalite.v{version.split('.')[0]}+json": spec}
    try:
        bundle["image/svg+xml"] = vl_convert.vegalite_to_svg(spec, vl_version=major_minor)
    except Exception:  # noqa: BLE001 - the JSON alone still renders in JupyterLab
        pass
    title = spec.get("title", {})
    bundle["text/plain"] = f"<chart: {title.get('text', '') if isinstance(title, dict) else title}>"
    return bundle


alt.renderers.register(RENDERER, _offline_bundle)
alt.renderers.enable(RENDERER)


def use_theme() -> None:
    """Enable the marketlib theme (already enabled on import; call again if another theme took over)."""
    alt.theme.enable(THEME)
