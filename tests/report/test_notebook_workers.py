"""Warm notebook workers: reports run one after another on one kernel, see nothing of each other's variables,
and a kernel that dies fails only its own report."""

from __future__ import annotations

import json
import os

import nbformat
import yaml

from marketlib.notebook_workers import NotebookWorkers
from marketlib.report import run_reports


def _notebook(path, *sources: str) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("tag = 'x'")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(s) for s in sources)]
    nb.metadata["kernelspec"] = {"name": "marketlib", "display_name": "Python (marketlib)", "language": "python"}
    nbformat.write(nb, str(path))


def _outputs(path) -> list[str]:
    nb = nbformat.read(str(path), as_version=4)
    return ["".join(o.get("text", "")) for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if o.get("output_type") == "stream"]


def test_one_kernel_runs_notebook_after_notebook_with_a_fresh_namespace(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _notebook(nbs / "first.ipynb", "import os\nleaked = 1\nprint('pid', os.getpid())")
    _notebook(nbs / "second.ipynb", "import os\nprint('pid', os.getpid())", "print(leaked)")
    params = tmp_path / "p.yaml"
    params.write_text("{}\n")
    with NotebookWorkers(1, str(nbs), dict(os.environ)) as workers, workers.worker() as worker:
        assert worker.run(str(nbs / "first.ipynb"), str(tmp_path / "a.ipynb"), str(params)) == ""
        error = worker.run(str(nbs / "second.ipynb"), str(tmp_path / "b.ipynb"), str(params))
    assert error == "NameError: name 'leaked' is not defined"  # the first notebook's variables are gone
    first_pid, second_pid = (_outputs(tmp_path / n)[0] for n in ("a.ipynb", "b.ipynb"))
    assert first_pid == second_pid  # the same (warm) kernel process
    counts = [c.execution_count for c in nbformat.read(str(tmp_path / "b.ipynb"), as_version=4).cells
              if c.cell_type == "code" and c.execution_count]
    assert counts[0] == 1  # numbered from 1 again


def test_a_kernel_that_dies_fails_its_report_and_the_next_gets_a_new_kernel(project, tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _notebook(nbs / "dies.ipynb", "import os\nos._exit(3)")
    _notebook(nbs / "fine.ipynb", "print('fine', tag)")
    config = tmp_path / "reports.yaml"
    config.write_text(yaml.safe_dump({"reports": [
        {"name": "dies", "notebook": "dies.ipynb", "parameters": {}},
        {"name": "fine", "notebook": "fine.ipynb", "parameters": {"tag": "after"}},
    ]}))
    assert run_reports(config, settings=project, notebooks_dir=nbs, workers=1) is False
    run_dir = next(p for p in project.reports_dir.iterdir() if p.is_dir())
    summary = {r["name"]: r for r in json.loads((run_dir / "index.json").read_text())}
    assert summary["dies"]["status"] == "failed" and "Dead" in summary["dies"]["error"]
    assert summary["fine"]["status"] == "ok"
    assert _outputs(run_dir / "fine.ipynb") == ["fine after\n"]
