"""Print the golden-set accuracy table at the end of any test run that measured it."""

from __future__ import annotations

from tests.golden import accuracy


def pytest_terminal_summary(terminalreporter):
    for report in accuracy.REPORTS:
        terminalreporter.write_sep("=", "golden-set accuracy (tests/golden/README.md)")
        terminalreporter.write_line(accuracy.render(report))
