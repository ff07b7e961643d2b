"""One notebook run by papermill in its own process: `python -m marketlib.notebook_run NOTEBOOK OUTPUT PARAMS CWD`.

PARAMS is a YAML file of parameters (never -p flags). `marketlib report` starts one such process per report.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

KERNEL = "marketlib"
ERROR_MARK = "marketlib-report-error: "


def execute(notebook: str, output: str, params_file: str, cwd: str, mark: str = ERROR_MARK) -> int:
    """Run one notebook with papermill (what report._run_papermill starts as `python -m marketlib.notebook_run ...`).

    The kernel gets CurveZMQ keys from its manager (its kernelspec declares support), so ipykernel does not warn
    about plain-text TCP. A failing cell prints one line: the error's sentence (marketlib errors) or
    'Name: message', after `mark` (ERROR_MARK, which `marketlib report` looks for); exit status 1.
    """
    import papermill
    import zmq
    from papermill.exceptions import PapermillExecutionError
    from traitlets.config import Config

    from marketlib.errors import MarketlibError

    config = Config({"KernelManager": {"transport_encryption": "auto" if zmq.has("curve") else "disabled"}})
    parameters = yaml.safe_load(Path(params_file).read_text("utf-8")) or {}
    try:
        papermill.execute_notebook(notebook, output, parameters=parameters, kernel_name=KERNEL, cwd=cwd,
                                   progress_bar=False, config=config)
    except PapermillExecutionError as exc:
        ours = {c.__name__ for c in _subclasses(MarketlibError)}
        sentence = exc.evalue if exc.ename in ours else f"{exc.ename}: {exc.evalue}"
        print(mark + " ".join(str(sentence).split()), file=sys.stderr)
        return 1
    return 0


def _subclasses(cls: type) -> list[type]:
    return [cls, *(s for sub in cls.__subclasses__() for s in _subclasses(sub))]


if __name__ == "__main__":
    sys.exit(execute(*sys.argv[1:]))
