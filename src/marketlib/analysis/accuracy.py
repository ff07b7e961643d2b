"""How accurately the cleaning extracts the fields a page shows, as measured on hand-labelled postings.

The figures come from `tests/golden/accuracy.json`, which a test regenerates from the golden sets and checks:
the *test* split is the labelled postings the rules were never tuned on. Pages quote it next to the numbers
that rest on the field, so a reader can weigh a 3-point difference against a 7% error rate.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from marketlib.config import Settings, get_settings

ACCURACY_FILE = "tests/golden/accuracy.json"
LABELS = {
    "yoe_bucket": "years-of-experience bucket",
    "yoe_min": "minimum years (exact)",
    "role_family": "role family",
    "seniority": "seniority",
    "domains": "ML domains",
    "skills": "skills",
    "is_remote": "remote or not",
    "metro": "US metro",
}
METRICS = {"accuracy": "accuracy", "micro_f1": "micro-F1"}


def measured(settings: Settings | None = None) -> dict:
    """The `fields` of accuracy.json, or {} when this install has no golden sets."""
    path = (settings or get_settings()).root / ACCURACY_FILE
    try:
        return json.loads(path.read_text("utf-8")).get("fields", {})
    except (OSError, ValueError, AttributeError):
        return {}


def accuracy_note(fields: Sequence[str], settings: Settings | None = None) -> str:
    """One sentence stating the test-split accuracy of each field, with n and whether the rows are blind."""
    figures = measured(settings)
    parts = []
    for name in fields:
        entry = figures.get(name) or {}
        test = entry.get("test") or {}
        if test.get("value") is None:
            continue
        blind = "blind" in str(entry.get("rows", ""))
        where = "" if blind else "; rows the rules were tuned on, so optimistic"
        parts.append(f"{LABELS.get(name, name)} {METRICS.get(entry.get('metric'), entry.get('metric'))} "
                     f"{100 * test['value']:.1f}% (n = {test['n']}{where})")
    if not parts:
        return ("Extraction accuracy is not measured in this install (tests/golden/accuracy.json is absent); "
                "see the project's golden sets.")
    return ("Extraction accuracy on the test split of hand-labelled postings (rules were never tuned on it "
            "unless said): " + ", ".join(parts) + ". Counts and shares built on these fields inherit these errors.")
