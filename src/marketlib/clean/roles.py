"""Role family and seniority from a job title, driven by the ordered rule table data/role_rules.csv.

Each rule is (target, value, pattern, unless, requires): the first rule of a target whose pattern matches the
lowercased title (and whose `unless` pattern does not) gives the value; a rule with `requires` fires only when
the description matches it too, so a generic title ("Research Scientist", "Computer Scientist") is decided by
the text. Titles no rule matches get role family "other" and seniority "mid". The rules become one `pl.when`
chain per target, so a whole column is classified at once.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import polars as pl

from marketlib import schemas

RULES_FILE = "role_rules.csv"
DEFAULT = {"role_family": "other", "seniority": "mid"}
# A shorter description is a placeholder or an excerpt: too little text to decide a generic title.
MIN_DESCRIPTION_BYTES = 400


@dataclass(frozen=True)
class RoleRule:
    target: str
    value: str
    pattern: str
    unless: str
    requires: str = ""


@lru_cache(maxsize=1)
def load_rules() -> tuple[RoleRule, ...]:
    text = resources.files("marketlib").joinpath("data", RULES_FILE).read_text("utf-8")
    rules = tuple(RoleRule(r["target"], r["value"], r["pattern"], r["unless"] or "", r["requires"] or "")
                  for r in csv.DictReader(text.splitlines()))
    allowed = {"role_family": schemas.ROLE_FAMILIES, "seniority": schemas.SENIORITIES}
    for rule in rules:
        # A typo in the committed table must fail loudly, not silently produce a new category.
        if rule.target not in allowed or rule.value not in allowed[rule.target]:
            raise ValueError(f"{RULES_FILE}: bad rule {rule.target}={rule.value}")
    return rules


def _title_key(expr: pl.Expr) -> pl.Expr:
    # Lowercase, with separators ("_", "|") read as spaces so word boundaries work.
    return expr.fill_null("").str.to_lowercase().str.replace_all(r"[_|]+", " ")


def _classify(expr: pl.Expr, target: str, description: pl.Expr | None = None) -> pl.Expr:
    key = _title_key(expr)
    rules = [r for r in load_rules() if r.target == target]
    chain: pl.Expr | None = None
    for rule in rules:
        hit = key.str.contains(rule.pattern)
        if rule.unless:
            hit = hit & ~key.str.contains(rule.unless)
        if rule.requires:
            # Only the descriptions of matching titles are scanned (the others are null here); without a
            # description there is no tie to break and the title's own reading stands.
            text = pl.lit(None, dtype=pl.String) if description is None else \
                pl.when(hit & (description.str.len_bytes() >= MIN_DESCRIPTION_BYTES)).then(description)
            hit = hit & text.str.to_lowercase().str.contains(rule.requires).fill_null(True)
        value = pl.lit(rule.value)
        chain = pl.when(hit).then(value) if chain is None else chain.when(hit).then(value)
    if chain is None:
        return pl.lit(DEFAULT[target])
    return chain.otherwise(pl.lit(DEFAULT[target]))


def role_family_expr(expr: pl.Expr, description: pl.Expr | None = None) -> pl.Expr:
    """Role family (schemas.ROLE_FAMILIES) of a title expression; the description breaks ties of generic
    titles (without it, rules that need the description never fire)."""
    return _classify(expr, "role_family", description)


def seniority_expr(expr: pl.Expr) -> pl.Expr:
    """Seniority (schemas.SENIORITIES) of a title expression."""
    return _classify(expr, "seniority")


def add_roles(frame: pl.DataFrame, title_col: str = "title", description_col: str | None = None) -> pl.DataFrame:
    """Add `role_family` and `seniority` from the title column (and the description, when given)."""
    description = pl.col(description_col) if description_col else None
    return frame.with_columns(
        role_family_expr(pl.col(title_col), description).alias("role_family"),
        seniority_expr(pl.col(title_col)).alias("seniority"),
    )
