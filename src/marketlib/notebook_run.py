"""Notebooks run by papermill on the marketlib kernel, one at a time or many on one warm kernel.

`python -m marketlib.notebook_run NOTEBOOK OUTPUT PARAMS CWD` runs one notebook on a fresh kernel (what
`marketlib notebook` does). `python -m marketlib.notebook_run --serve CWD` is one worker of `marketlib report`:
it keeps one kernel and runs the jobs it reads from stdin (one JSON object per line: notebook, output,
params_file), answering each on stdout with {"status": 0 or 1, "error": sentence}. Between notebooks the
kernel's namespace is reset, while its imports, its chart renderer and the tables it loaded stay: starting a
kernel and importing polars, altair and vl-convert was ~3.5 s of every report. PARAMS is a YAML file of
parameters (never -p flags).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

KERNEL = "marketlib"
ERROR_MARK = "marketlib-report-error: "
# Clears what the last notebook defined (not sys.modules) and starts a new history session, so the next
# notebook's cells are numbered from 1 again.
_RESET = "get_ipython().reset(new_session=True)"


def _kernel_config():
    import zmq
    from traitlets.config import Config

    # The kernel gets CurveZMQ keys from its manager (its kernelspec declares support), so ipykernel does not
    # warn about plain-text TCP.
    return Config({"KernelManager": {"transport_encryption": "auto" if zmq.has("curve") else "disabled"}})


def run_notebook(notebook: str, output: str, params_file: str, cwd: str, km) -> str | None:
    """Run one notebook with papermill on `km`'s kernel; the error's sentence (marketlib errors) or
    'Name: message' when a cell fails, else None. The output notebook is written either way."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from marketlib.errors import MarketlibError

    parameters = yaml.safe_load(Path(params_file).read_text("utf-8")) or {}
    try:
        papermill.execute_notebook(notebook, output, parameters=parameters, kernel_name=KERNEL, cwd=cwd,
                                   progress_bar=False, config=_kernel_config(), km=km)
    except PapermillExecutionError as exc:
        ours = {c.__name__ for c in _subclasses(MarketlibError)}
        sentence = exc.evalue if exc.ename in ours else f"{exc.ename}: {exc.evalue}"
        return " ".join(str(sentence).split())
    return None


def execute(notebook: str, output: str, params_file: str, cwd: str, mark: str = ERROR_MARK) -> int:
    """One notebook on a fresh kernel. A failing cell prints one line, the error's sentence after `mark`
    (ERROR_MARK by default; `marketlib notebook` passes an empty one); exit status 1. The kernel's own log
    ("KeyboardInterrupt caught in kernel" as it is shut down after the error) is not the user's to read."""
    kernel = WarmKernel(cwd, kernel_stderr=subprocess.DEVNULL)
    try:
        error = kernel.run(notebook, output, params_file)
    finally:
        kernel.close()
    if error is not None:
        print(mark + error, file=sys.stderr)
        return 1
    return 0


class WarmKernel:
    """One marketlib kernel started in `cwd`, reused notebook after notebook (restarted if it dies).

    An asyncio kernel manager, driven through jupyter_core's `run_sync` (the loop nbclient runs papermill's
    client on): a blocking manager's own `run_sync` calls deadlock inside nbclient's running loop."""

    def __init__(self, cwd: str, kernel_stderr=None):
        self.cwd = cwd
        self.kernel_stderr = kernel_stderr  # where the kernel process writes its log; None: this process's stderr
        self.km = None
        self.used = False

    def _start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.km = AsyncKernelManager(kernel_name=KERNEL, config=_kernel_config())
        run_sync(self.km.start_kernel)(cwd=self.cwd, stderr=self.kernel_stderr)
        self.used = False

    async def _reset(self) -> None:
        client = self.km.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            await client.execute_interactive(_RESET, store_history=False, timeout=60,
                                             output_hook=lambda _msg: None)
        finally:
            client.stop_channels()

    def run(self, notebook: str, output: str, params_file: str) -> str | None:
        from jupyter_core.utils import run_sync

        try:
            if self.km is None or not run_sync(self.km.is_alive)():
                self._start()
            elif self.used:
                run_sync(self._reset)()
            self.used = True
            return run_notebook(notebook, output, params_file, self.cwd, km=self.km)
        except Exception as exc:  # noqa: BLE001 - a dead or stuck kernel fails this report; the next gets a new one
            self.close()
            return f"{type(exc).__name__}: {' '.join(str(exc).split())}"

    def close(self) -> None:
        from jupyter_core.utils import run_sync

        if self.km is not None:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001, S110 - already gone
                pass
            self.km = None


def serve(cwd: str) -> int:
    """Answer jobs from stdin until it closes (the protocol in the module docstring)."""
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    sys.stdout = sys.stderr  # anything else printed goes to the log, never into the answers
    kernel = WarmKernel(cwd)
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            job = json.loads(line)
            error = kernel.run(job["notebook"], job["output"], job["params_file"])
            answers.write(json.dumps({"status": 0 if error is None else 1, "error": error or ""}) + "\n")
            answers.flush()
    finally:
        kernel.close()
    return 0


def _subclasses(cls: type) -> list[type]:
    return [cls, *(s for sub in cls.__subclasses__() for s in _subclasses(sub))]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        sys.exit(serve(sys.argv[2]))
    sys.exit(execute(*sys.argv[1:]))
