"""Charts are interactive in JupyterLab as `make lab` installs it: a real Lab server, a notebook run in headless
Chromium, and a rendered Vega view with a tooltip on hover (not the static SVG fallback)."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from tests.report.browser import CHROMIUM_FLAGS, chromium_path

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CELL = """from marketlib.notebook import setup
setup()
import altair as alt
import polars as pl
alt.Chart(pl.DataFrame({"metro": ["Seattle", "Austin"], "openings": [120, 45]})).mark_bar(
    tooltip=True).encode(x="metro:N", y="openings:Q").properties(width=300, height=200)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    jupyter = Path(sys.executable).with_name("jupyter")
    if not jupyter.exists():
        pytest.skip("jupyter is not installed in this environment")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELL)])
    nb.metadata["kernelspec"] = {"name": "marketlib", "display_name": "Python (marketlib)", "language": "python"}
    nbformat.write(nb, tmp_path / "chart.ipynb")
    port, token = _free_port(), secrets.token_hex(16)
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--notebook-dir={tmp_path}", "--LabApp.expose_app_in_browser=True",
         "--MappingKernelManager.default_kernel_name=marketlib"],
        stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "cfg")))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail(f"JupyterLab did not start: {(tmp_path / 'lab.log').read_text()[-2000:]}")
                time.sleep(0.5)
        yield f"{base}/lab/tree/chart.ipynb?token={token}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_chart_is_an_interactive_vega_view_in_lab(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(lab)
            kernel = "window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel"
            page.wait_for_function(f"() => {kernel}?.status === 'idle'", timeout=90_000)
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            view = page.wait_for_selector(".jp-RenderedVegaLite .vega-embed svg, "
                                          ".jp-RenderedVegaLite .vega-embed canvas", timeout=90_000)
            assert page.locator(".jp-RenderedSVG").count() == 0  # not the static fallback
            box = view.bounding_box()
            page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.75)
            tooltip = page.wait_for_selector("#vg-tooltip-element.visible", timeout=10_000)
            text = tooltip.inner_text()
            assert "openings" in text and ("Seattle" in text or "Austin" in text)
        finally:
            browser.close()
