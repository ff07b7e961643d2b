"""A bounded pool of notebook worker processes (`python -m marketlib.notebook_run --serve`), each on one warm kernel.

`marketlib report` borrows a worker per report from its threads; a worker starts on first use, so a run whose
reports all come from the cache starts none. A worker that dies fails the report it was running (its log's
last error line is the reason) and is replaced by a new one for the next report.
"""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator


class NotebookWorker:
    def __init__(self, cwd: str, env: dict[str, str]):
        self._log = tempfile.TemporaryFile()
        self._proc = subprocess.Popen([sys.executable, "-m", "marketlib.notebook_run", "--serve", cwd],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, text=True,
                                      env=env)
        self.alive = True

    def run(self, notebook: str, output: str, params_file: str) -> str:
        """Run one notebook; '' when it ran, else the one-line reason."""
        job = {"notebook": notebook, "output": output, "params_file": params_file}
        try:
            self._proc.stdin.write(json.dumps(job) + "\n")
            self._proc.stdin.flush()
            line = self._proc.stdout.readline()
        except OSError:
            line = ""
        if not line:
            self.alive = False
            return self.last_error() or f"the notebook worker exited with {self._proc.wait()}"
        answer = json.loads(line)
        return answer["error"] if answer["status"] else ""

    def last_error(self) -> str:
        """The last line of the worker's log that names an error (or its last line)."""
        self._log.seek(0)
        lines = [ln.strip() for ln in self._log.read().decode("utf-8", "replace").splitlines() if ln.strip()]
        for line in reversed(lines):
            if "Error" in line.split(":", 1)[0]:
                return line[:500]
        return lines[-1][:500] if lines else ""

    def finish(self) -> None:
        """End of jobs: the worker shuts its kernel down and exits."""
        with contextlib.suppress(OSError):
            self._proc.stdin.close()

    def close(self) -> None:
        self.finish()
        try:
            self._proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._log.close()


class NotebookWorkers:
    """At most `size` workers, all with the same kernel directory and environment."""

    def __init__(self, size: int, cwd: str, env: dict[str, str]):
        self.size, self._cwd, self._env = max(1, size), cwd, env
        self._idle: queue.Queue[NotebookWorker] = queue.Queue()
        self._started: list[NotebookWorker] = []
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def worker(self) -> Iterator[NotebookWorker]:
        borrowed = self._borrow()
        try:
            yield borrowed
        finally:
            if borrowed.alive:
                self._idle.put(borrowed)
            else:
                with self._lock:
                    self._started.remove(borrowed)
                borrowed.close()

    def _borrow(self) -> NotebookWorker:
        with contextlib.suppress(queue.Empty):
            return self._idle.get_nowait()
        with self._lock:
            if len(self._started) < self.size:
                self._started.append(NotebookWorker(self._cwd, self._env))
                return self._started[-1]
        return self._idle.get()

    def close(self) -> None:
        with self._lock:
            started, self._started = self._started, []
        for w in started:  # all kernels shut down at once, then each is waited for
            w.finish()
        for w in started:
            w.close()

    def __enter__(self) -> NotebookWorkers:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()
