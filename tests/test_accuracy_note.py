"""analysis.accuracy: the pages' sentence on extraction accuracy comes from tests/golden/accuracy.json."""

from __future__ import annotations

import json

from marketlib.analysis.accuracy import ACCURACY_FILE, accuracy_note
from tests.conftest import REPO


def test_note_quotes_the_committed_test_split_figures(project):
    (project.root / ACCURACY_FILE).parent.mkdir(parents=True)
    (project.root / ACCURACY_FILE).write_text((REPO / ACCURACY_FILE).read_text())
    figures = json.loads((REPO / ACCURACY_FILE).read_text())["fields"]
    note = accuracy_note(["yoe_bucket", "skills"], project)
    bucket = figures["yoe_bucket"]["test"]
    assert f"{100 * bucket['value']:.1f}% (n = {bucket['n']})" in note
    assert "skills micro-F1" in note and "tuned on" in note  # the skills rows are not blind: said so
    assert "\n" not in note


def test_note_says_when_nothing_was_measured(project):
    assert "not measured in this install" in accuracy_note(["yoe_bucket"], project)
