"""Dependencies: everything installs from one constraints file; known-breaking majors are excluded."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import REPO

CONSTRAINTS = REPO / "requirements" / "constraints.txt"


def _name(req: str) -> str:
    return re.split(r"[<>=!\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pins() -> dict[str, str]:
    pins = {}
    for line in CONSTRAINTS.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep and version, f"not an exact pin: {line!r}"
            pins[_name(name)] = version
    return pins


def test_every_dependency_is_pinned_in_the_constraints_file():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for extra in ("dev", "bench", "distributed"):
        wanted |= {_name(r) for r in project["optional-dependencies"][extra]}
    missing = wanted - set(_pins())
    assert not missing, f"not pinned: {sorted(missing)}; run `make lock`"


def test_make_installs_from_the_constraints_file_and_can_regenerate_it():
    makefile = (REPO / "Makefile").read_text()
    install = [ln for ln in makefile.splitlines() if "pip install" in ln and "-e '.[$(EXTRAS)]'" in ln]
    assert install and all("-c $(CONSTRAINTS)" in ln for ln in install if "LOCK_VENV" not in ln)
    assert "EXTRAS := dev,bench,distributed" in makefile
    assert "CONSTRAINTS := requirements/constraints.txt" in makefile and "\nlock:" in makefile
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_libraries_whose_next_major_breaks_us_have_an_upper_bound():
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    for name in ("typer", "polars", "altair"):
        spec = next(d for d in deps if _name(d) == name)
        assert "<" in spec, f"{name} has no upper bound: {spec}"


def test_nothing_unused_is_installed():
    """Each runtime dependency is imported somewhere (or is a tool the Makefile or a parser names)."""
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    import_names = {"pyyaml": "yaml", "beautifulsoup4": "bs4", "vl-convert-python": "vl_convert",
                    "requests-cache": "requests_cache"}
    used_otherwise = {"jupyterlab": "the `make lab` target and the notebooks", "ipykernel": "the kernel",
                      "lxml": "the BeautifulSoup parser", "pandas": "the pandas edge (JobSpy frames)",
                      "papermill": "report.py runs `python -m papermill`"}
    code = "\n".join(p.read_text() for p in (REPO / "src").rglob("*.py"))
    for dep in deps:
        name = _name(dep)
        if name in used_otherwise:
            continue
        module = import_names.get(name, name.replace("-", "_"))
        assert re.search(rf"^\s*(import|from) {re.escape(module)}\b", code, re.M), f"{name} is never imported"


def test_marketlib_processes_skip_the_iri_grammar_jsonschema_would_compile():
    """Importing marketlib first keeps jsonschema (under papermill and altair) from compiling rfc3987-syntax's
    grammar, about 2 s in every process; the libraries still import and validate."""
    import subprocess
    import sys

    code = ("import marketlib, sys, papermill, altair, jsonschema; "
            "jsonschema.validate({'a': 1}, {'type': 'object'}); "
            "print(sys.modules.get('rfc3987_syntax') is None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
