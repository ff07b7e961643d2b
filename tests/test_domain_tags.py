"""analysis.domain_tags: Evidently's own tags against the project's classifier, counted on the same rows."""

from __future__ import annotations

import datetime as dt

import polars as pl

from marketlib.analysis import domain_tags

EDITION = dt.date(2025, 1, 1)


def _cases() -> pl.DataFrame:
    rows = (
        [(["LLM"], ["llm"])] * 4  # tagged LLM: both count it
        + [(["generative AI", "product feature"], ["llm"])] * 2  # only the classifier counts it as LLM
        + [(["recommender system"], ["recsys"])] * 6
        + [(["content personalization"], ["recsys"])] * 3
        + [(["CV"], ["cv"])] * 3
        + [(["ops"], [])] * 2
        + [(["product feature"], [])]  # a co-occurring tag that does not map to a domain
    )
    return pl.DataFrame({
        "source": ["evidently"] * len(rows) + ["eren23"],  # the other catalogue is left out
        "edition_date": [EDITION] * (len(rows) + 1),
        "tags": [t for t, _ in rows] + [["LLM"]],
        "domains": [d for _, d in rows] + [["llm"]],
    })


def test_both_counts_and_the_rows_that_differ():
    table = domain_tags.compare(_cases())
    llm = table.filter(pl.col("domain") == "llm").row(0, named=True)
    assert (llm["by_evidently_tag"], llm["by_classifier"], llm["classifier_only"], llm["tag_only"]) == (4, 6, 2, 0)
    assert llm["classifier_only_tags"] == "generative ai (2)"  # 'product feature' does not map to LLM
    cv = table.filter(pl.col("domain") == "cv").row(0, named=True)
    assert (cv["classifier_only"], cv["classifier_only_tags"]) == (0, "none: the two agree")
    recsys = table.filter(pl.col("domain") == "recsys").row(0, named=True)
    assert (recsys["by_evidently_tag"], recsys["by_classifier"]) == (6, 9)
    ratios = domain_tags.ratios(table).row(0, named=True)
    assert ratios["ratio_by_evidently_tags"] == 2.0 and ratios["ratio_by_classifier"] == 3.0


def test_the_sentence_states_both_numbers_and_why():
    (sentence,) = domain_tags.explanation(domain_tags.compare(_cases()))
    assert "by Evidently's own tags LLM 4 / recommender systems 6 / CV 3 (recommender ÷ CV 2.00)" in sentence
    assert "by the project's classifier 6 / 9 / 3 (ratio 3.00)" in sentence
    assert "2 LLM rows without the tag 'llm' (tagged generative ai (2))" in sentence
    assert "3 recommender systems rows without the tag 'recommender system'" in sentence


def test_no_evidently_edition_says_so():
    empty = _cases().filter(pl.col("source") == "eren23")
    assert domain_tags.explanation(domain_tags.compare(empty)) == [
        "No Evidently edition is built, so there is nothing to compare."]

