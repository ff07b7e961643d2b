"""Evidently's own tags against the project's domain classifier, on the same case studies (02-domain-demand).

The claims report counts Evidently case studies by the catalogue's own tag ("LLM", "recommender system",
"CV"); the domain-demand report counts them by the project's domains, which map several tags to one domain
(e.g. "generative AI" → llm). Both numbers, the rows that make the difference and the tags those rows carry
are computed here, so the domain page can say why its counts are higher than the claims page's.
"""

from __future__ import annotations

import polars as pl

from marketlib import metrics

# domain -> the Evidently tag the claims report counts for it (lower case, as claims._tag_count compares).
TAGS = {"llm": "llm", "recsys": "recommender system", "cv": "cv", "nlp": "nlp", "fraud": "fraud detection"}
LABELS = {"llm": "LLM", "recsys": "recommender systems", "cv": "CV", "nlp": "NLP", "fraud": "fraud"}
TOP_TAGS = 3


def compare(case_studies: pl.DataFrame) -> pl.DataFrame:
    """Per Evidently edition and domain: rows by Evidently's tag, by the classifier, and the differences.

    Columns: edition_date, domain, evidently_tag, by_evidently_tag, by_classifier, classifier_only (the
    classifier's domain without the tag), tag_only (the tag without the domain), classifier_only_tags (the
    most common tags of the classifier-only rows), edition_rows."""
    rows = case_studies.filter(pl.col("source").str.contains("evidently"))
    tags = pl.col("tags").list.eval(pl.element().str.to_lowercase().str.strip_chars())
    out = []
    for domain, tag in TAGS.items():
        flagged = rows.with_columns(
            tags.list.contains(tag).fill_null(False).alias("_tag"),
            pl.col("domains").list.contains(domain).fill_null(False).alias("_class"),
        )
        # The tags that make the difference: carried by classifier-only rows, and every row of the edition
        # carrying them has the domain (so they map to it; co-occurring tags like 'product feature' do not).
        lowered = flagged.with_columns(tags.alias("tag")).explode("tag").drop_nulls("tag")
        mapping = (lowered.group_by("edition_date", "tag").agg(pl.col("_class").all().alias("_maps"))
                   .filter(pl.col("_maps")).select("edition_date", "tag"))
        extra = (
            lowered.filter(pl.col("_class") & ~pl.col("_tag"))
            .join(mapping, on=["edition_date", "tag"], how="semi")
            .group_by("edition_date", "tag").len().sort(["len", "tag"], descending=[True, False])
            .group_by("edition_date", maintain_order=True)
            .agg(pl.format("{} ({})", "tag", "len").head(TOP_TAGS).str.join(", ").alias("classifier_only_tags"))
        )
        counts = flagged.group_by("edition_date").agg(
            pl.col("_tag").sum().alias("by_evidently_tag"),
            pl.col("_class").sum().alias("by_classifier"),
            (pl.col("_class") & ~pl.col("_tag")).sum().alias("classifier_only"),
            (pl.col("_tag") & ~pl.col("_class")).sum().alias("tag_only"),
            pl.len().alias("edition_rows"),
        )
        out.append(counts.join(extra, on="edition_date", how="left").with_columns(
            pl.lit(domain).alias("domain"), pl.lit(tag).alias("evidently_tag")))
    if not out:
        return pl.DataFrame()
    columns = ["edition_date", "domain", "evidently_tag", "by_evidently_tag", "by_classifier", "classifier_only",
               "tag_only", "classifier_only_tags", "edition_rows"]
    return (pl.concat(out).with_columns(pl.col(pl.UInt32).cast(pl.Int64))
            .with_columns(pl.when(pl.col("classifier_only") == 0).then(pl.lit("none: the two agree"))
                          .otherwise(pl.col("classifier_only_tags").fill_null("none mapped to the domain alone"))
                          .alias("classifier_only_tags"))
            .select(columns).sort("edition_date", "domain"))


def ratios(table: pl.DataFrame) -> pl.DataFrame:
    """Recommender-system ÷ CV case studies per edition, by Evidently's tags and by the classifier."""
    rows = []
    for edition in table["edition_date"].unique().sort().to_list():
        pick = {r["domain"]: r for r in table.filter(pl.col("edition_date") == edition).iter_rows(named=True)}
        if "recsys" not in pick or "cv" not in pick:
            continue
        tag_ratio = metrics.count_ratio_interval(pick["recsys"]["by_evidently_tag"], pick["cv"]["by_evidently_tag"])
        class_ratio = metrics.count_ratio_interval(pick["recsys"]["by_classifier"], pick["cv"]["by_classifier"])
        rows.append({"edition_date": edition, "ratio_by_evidently_tags": tag_ratio[0],
                     "ratio_by_classifier": class_ratio[0]})
    return pl.DataFrame(rows) if rows else pl.DataFrame(
        schema={"edition_date": pl.Date, "ratio_by_evidently_tags": pl.Float64, "ratio_by_classifier": pl.Float64})


def _ratio_text(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.2f}"


def explanation(table: pl.DataFrame) -> list[str]:
    """One sentence per Evidently edition: both counts for LLM, recommender systems and CV, both ratios, and
    why they differ (the rows the classifier adds and the tags they carry)."""
    ratio_by_edition = {r["edition_date"]: r for r in ratios(table).iter_rows(named=True)}
    sentences = []
    for edition in table["edition_date"].unique().sort().to_list():
        rows = {r["domain"]: r for r in table.filter(pl.col("edition_date") == edition).iter_rows(named=True)}
        shown = [d for d in ("llm", "recsys", "cv") if d in rows]
        tags = " / ".join(f"{LABELS[d]} {rows[d]['by_evidently_tag']:,}" for d in shown)
        classes = " / ".join(f"{rows[d]['by_classifier']:,}" for d in shown)
        ratio = ratio_by_edition.get(edition, {})
        added = [f"{rows[d]['classifier_only']:,} {LABELS[d]} rows without the tag '{rows[d]['evidently_tag']}' "
                 f"(tagged {rows[d]['classifier_only_tags']})" for d in shown if rows[d]["classifier_only"]]
        lost = sum(rows[d]["tag_only"] for d in shown)
        why = ("They differ because the classifier maps several of Evidently's tags to one domain, so it also "
               "counts " + "; ".join(added) + "." if added else "The two agree on every row.")
        lost_text = f" {lost:,} rows carry Evidently's tag without the classifier's domain." if lost else ""
        sentences.append(
            f"Evidently edition of {edition}: by Evidently's own tags {tags} (recommender ÷ CV "
            f"{_ratio_text(ratio.get('ratio_by_evidently_tags'))}), the figures the claims report checks; by the "
            f"project's classifier {classes} (ratio {_ratio_text(ratio.get('ratio_by_classifier'))}), the "
            f"figures on this page. {why}{lost_text}")
    return sentences or ["No Evidently edition is built, so there is nothing to compare."]
