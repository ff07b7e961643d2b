"""Packaging and repository rules: environment.yml agrees with pyproject, references are cited."""

import re
import tomllib

import yaml

from marketlib.sources.reference import REQUIRED_COLUMNS, load_reference
from tests.conftest import REPO


def _name(req: str) -> str:
    return re.split(r"[<>=!\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for extra in ("dev", "bench", "distributed"):
        wanted |= {_name(r) for r in project["optional-dependencies"][extra]}
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda == wanted, f"only in environment.yml: {conda - wanted}; only in pyproject: {wanted - conda}"
    pip_section = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert pip_section and "-e ." in pip_section[0]["pip"]


def test_every_reference_row_has_a_citation():
    frame = load_reference(REPO / "data" / "raw" / "reference" / "published_figures.csv")
    assert frame.height >= 20
    for col in REQUIRED_COLUMNS:
        assert frame[col].null_count() == 0, col
    assert frame["source_url"].str.starts_with("https://").all()
    assert frame["figure_id"].is_unique().all()


def test_ci_script_calls_make_test():
    text = (REPO / ".ci" / "run").read_text()
    assert "make test" in text


def test_readme_gives_the_two_commands():
    text = (REPO / "README.md").read_text()
    assert "make report" in text and "make test" in text
