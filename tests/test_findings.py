"""analysis.findings: what a page shows of the parameters and findings."""

from __future__ import annotations


def test_parameters_are_shown_without_quotes_or_none():
    from marketlib.analysis import findings, market_trend

    table = findings.params_table(market_trend.validate_params(countries=["US", "CA"], date_from=""))
    shown = dict(table.iter_rows())
    assert shown["countries"] == "US, CA" and shown["baseline_date"] == "2020-02-01"
    assert shown["date_from"] == "not set (default)" and shown["seasonally_adjusted"] == "yes"
    assert not any(c in v for v in shown.values() for c in ("'", '"', "None", "["))
