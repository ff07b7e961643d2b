"""Exported pages are allow-listed (nh3): no remote resource survives even with the CSP taken away."""

from __future__ import annotations

import base64

import pytest
from bs4 import BeautifulSoup

from marketlib.report import CSP, sanitize_html

REMOTE = [
    '<img src="http://evil.example/pixel.gif">',
    '<img src="https://evil.example/p.png" srcset="https://evil.example/2x.png 2x">',
    '<img src="//evil.example/p.png">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<style>@import url("https://evil.example/x.css"); p { color: red }</style>',
    '<style>body { background: url(https://evil.example/bg.png) }</style>',
    '<style>body { background: u\\72l(https://evil.example/escaped.png) }</style>',
    '<style>div { background-image: image-set("https://evil.example/set.png" 1x) }</style>',
    '<div style="background:url(\'https://evil.example/inline.png\')">x</div>',
    '<iframe src="https://evil.example/frame"></iframe>',
    '<video poster="https://evil.example/poster.png" src="https://evil.example/v.mp4"></video>',
    '<audio src="https://evil.example/a.mp3"></audio>',
    '<object data="https://evil.example/o.swf"></object><embed src="https://evil.example/e.swf">',
    '<svg><image href="https://evil.example/svg.png"/></svg>',
    '<table background="https://evil.example/t.png"><tr><td>x</td></tr></table>',
    '<input type="image" src="https://evil.example/input.png">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
]


def _page(fragment: str) -> str:
    return f"<html><head><title>t</title></head><body><p>before</p>{fragment}<p>after</p></body></html>"


@pytest.mark.parametrize("fragment", REMOTE)
def test_no_remote_resource_survives(fragment):
    page = sanitize_html(_page(fragment))
    without_csp = page.replace(CSP, "")
    assert "evil.example" not in without_csp, without_csp
    assert "before" in page and "after" in page


def test_links_and_text_stay_and_styles_without_remote_loads_stay():
    page = sanitize_html(_page('<style>.jp-Cell { color: #333; background: url(data:image/png;base64,AA==) }'
                               '</style><a href="https://jobs.example/1">job</a> &lt;b&gt;text&lt;/b&gt;'))
    soup = BeautifulSoup(page, "lxml")
    assert ".jp-Cell { color: #333" in soup.head.style.string and "data:image/png" in soup.head.style.string
    link = soup.find("a")
    assert link["href"] == "https://jobs.example/1" and link["target"] == "_blank"
    assert "<b>text</b>" in soup.body.get_text()


def test_charts_stay_inline_svg_without_remote_parts():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" '
           'height="10"><rect width="5" height="5" clip-path="url(#c)" style="fill: url(https://evil.example/f)"/>'
           '<image href="https://evil.example/i.png"/><text>openings</text></svg>')
    src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    page = sanitize_html(_page(f'<img src="{src}">'))
    soup = BeautifulSoup(page, "lxml")
    chart = soup.find("svg", class_="marketlib-chart")
    assert chart is not None and chart.find("text").string == "openings"
    assert chart.find("rect")["clip-path"] == "url(#c)"
    assert "evil.example" not in page.replace(CSP, "")
