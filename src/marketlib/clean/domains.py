"""ML domains a posting works on, from the versioned dictionary `marketlib/data/domain_keywords.csv`.

Domains (schemas.DOMAINS): cv, nlp, llm (incl. generative AI), recsys, fraud, search, forecasting, speech.
A domain counts when the role works on it or requires it, not when company marketing merely mentions it,
so the dictionary holds technical phrases only ("computer vision", never "vision") plus trap phrases ("send
your CV", "free speech", "RAG status", "job search") that are matched only to be dropped. Each term has a
weight; a domain counts when the weights of its distinct matched terms add up to at least 1 (weak: 0.5).

Matching is one regex scan of the text for all terms (see `clean.skills.TermDictionary`).
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from marketlib.clean.skills import (
    TermDictionary,
    TermRow,
    evidence_text,
    map_labels,
    parallel_str,
    read_dictionary_rows,
    skill_dictionary,
)
from marketlib.errors import UserError
from marketlib.schemas import DOMAINS

DOMAIN_FILE = "domain_keywords.csv"
THRESHOLD = 1.0


class DomainDictionary:
    def __init__(self, rows: list[dict[str, str]], version: str):
        self.version = version
        self.weights: dict[str, dict[str, float]] = {d: {} for d in DOMAINS}
        terms: list[TermRow] = []
        for row in rows:
            kind = row["kind"].strip()
            if kind == "trap":
                terms.append(TermRow(None, row["pattern"]))
                continue
            if kind != "term":
                raise UserError(f"Domain dictionary row {row['term']!r} has kind {kind!r}; use term or trap.")
            labels = []
            for domain in row["domain"].split(";"):
                if domain not in DOMAINS:
                    raise UserError(f"Domain dictionary row {row['term']!r} names unknown domain {domain!r}.")
                label = f"{domain}:{row['term']}"
                self.weights[domain][label] = float(row["weight"])
                labels.append(label)
            # A term evidencing several domains (VLM: cv and llm) carries all of them, split after matching.
            terms.append(TermRow("|".join(labels), row["pattern"]))
        self.terms = TermDictionary(terms, version=version)

    def terms_expr(self, expr: pl.Expr) -> pl.Expr:
        """Sorted distinct `domain:term` labels matched in a text expression."""
        joined = self.terms.labels_expr(expr).list.join("|")
        return (
            pl.when(joined == "").then(pl.lit([], dtype=pl.List(pl.String))).otherwise(joined.str.split("|"))
            .list.unique().list.sort()
        )

    def domains_from_terms(self, terms: pl.Expr) -> pl.Expr:
        """Sorted domains whose matched term weights reach THRESHOLD."""
        present = []
        for domain in DOMAINS:
            weights = self.weights[domain]
            if not weights:
                continue
            score = terms.list.eval(
                pl.element().replace_strict(list(weights), list(weights.values()), default=0.0,
                                            return_dtype=pl.Float64)
            ).list.sum()
            present.append(pl.when(score >= THRESHOLD).then(pl.lit(domain)))
        # DOMAINS is alphabetical-agnostic: sort so equal sets compare equal.
        return pl.concat_list(present).list.drop_nulls().list.sort()


@lru_cache(maxsize=1)
def domain_dictionary() -> DomainDictionary:
    rows, version = read_dictionary_rows(DOMAIN_FILE)
    return DomainDictionary(rows, version)


def dictionary_version() -> str:
    return domain_dictionary().version


def domain_terms_expr(expr: pl.Expr) -> pl.Expr:
    """`domain:term` labels matched in a text expression (list[str], sorted)."""
    return domain_dictionary().terms_expr(expr).name.keep()


def domains_expr(expr: pl.Expr) -> pl.Expr:
    """Domains of a text expression (list[str], sorted), e.g. for case-study titles."""
    dictionary = domain_dictionary()
    return dictionary.domains_from_terms(dictionary.terms_expr(expr)).name.keep()


def add_domains(frame: pl.DataFrame, text_cols: tuple[str, ...] = ("title", "description")) -> pl.DataFrame:
    """Add `domain_terms` (domain:term matched) and `domains` (sorted subset of schemas.DOMAINS)."""
    missing = [c for c in text_cols if c not in frame.columns]
    if missing:
        raise UserError(f"Cannot extract domains: column(s) {', '.join(missing)} missing.")
    dictionary = domain_dictionary()
    frame = frame.with_columns(dictionary.terms_expr(evidence_text(text_cols)).alias("domain_terms"))
    return frame.with_columns(dictionary.domains_from_terms(pl.col("domain_terms")).alias("domains"))


# --- the pipeline's fast path: skills and domains from the same evidence texts ---------------------------------

def _scan(texts: list[pl.Series], dictionary: TermDictionary) -> pl.Series:
    """Per row, every string one dictionary's regex matches in any of the texts.

    Each dictionary gets its own scan: the two alternations joined into one regex overflow the regex
    engine's lazy-DFA cache on long texts, and that one scan costs more than two separate ones."""
    per_text = [parallel_str(t.cast(pl.String).fill_null(""), lambda c: c.str.extract_all(dictionary.rust_pattern))
                for t in texts]
    return pl.DataFrame({f"m{i}": m for i, m in enumerate(per_text)}).select(
        pl.concat_list(pl.all()).alias("m"))["m"]


def _domains_from_term_series(terms: pl.Series) -> pl.Series:
    """Domains whose matched term weights reach THRESHOLD, in one explode + join (not one pass per domain)."""
    dictionary = domain_dictionary()
    weights = pl.DataFrame(
        [(label, domain, w) for domain, table in dictionary.weights.items() for label, w in table.items()],
        schema={"t": pl.String, "domain": pl.String, "weight": pl.Float64}, orient="row")
    scored = (
        pl.DataFrame({"t": terms}).with_row_index("i").explode("t").drop_nulls("t")
        .join(weights, on="t", how="inner")
        .group_by("i", "domain").agg(pl.col("weight").sum())
        .filter(pl.col("weight") >= THRESHOLD)
        .group_by("i").agg(pl.col("domain").sort())
    )
    out = pl.DataFrame({"i": pl.int_range(terms.len(), eager=True, dtype=pl.UInt32)}).join(
        scored, on="i", how="left").sort("i")
    return out["domain"].fill_null(pl.lit([], dtype=pl.List(pl.String))).alias("domains")


def add_skills_and_domains(frame: pl.DataFrame, evidence: list[pl.Series]) -> pl.DataFrame:
    """Add `skills`, `domain_terms` and `domains` from the evidence texts (the title and the description with
    listing pages blanked, `skills.evidence_columns`); the same labels as add_skills + add_domains, without
    copying the texts into one column."""
    skill_matches = _scan(evidence, skill_dictionary())
    term_matches = _scan(evidence, domain_dictionary().terms)
    # Python classifies each distinct matched string once (a few hundred), never each row.
    skills_map = {m: skill_dictionary().classify(m) for m in skill_matches.explode().drop_nulls().unique()}
    terms_map = {m: domain_dictionary().terms.classify(m) for m in term_matches.explode().drop_nulls().unique()}
    terms = map_labels(term_matches, terms_map)
    # A term evidencing several domains carries "cv:vlm|llm:vlm": split, then keep each label once.
    terms = pl.DataFrame({"t": terms}).select(
        pl.col("t").list.eval(pl.element().str.split("|")).list.eval(pl.element().explode())
        .list.unique().list.sort())["t"]
    return frame.with_columns(
        map_labels(skill_matches, skills_map).alias("skills"),
        terms.alias("domain_terms"),
        _domains_from_term_series(terms),
    )
