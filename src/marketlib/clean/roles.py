"""Role family and seniority from a job title, driven by the ordered rule table data/role_rules.csv.

Each rule is (target, value, pattern, unless): the first rule of a target whose pattern matches the lowercased
title (and whose `unless` pattern does not) gives the value. Titles no rule matches get role family "other"
and seniority "mid". The rules become one `pl.when` chain per target, so a whole column is classified at once.
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


@dataclass(frozen=True)
class RoleRule:
    target: str
    value: str
    pattern: str
    unless: str


@lru_cache(maxsize=1)
def load_rules() -> tuple[RoleRule, ...]:
    text = resources.files("marketlib").joinpath("data", RULES_FILE).read_text("utf-8")
    rules = tuple(RoleRule(r["target"], r["value"], r["pattern"], r["unless"] or "")
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


def _classify(expr: pl.Expr, target: str) -> pl.Expr:
    key = _title_key(expr)
    rules = [r for r in load_rules() if r.target == target]
    chain: pl.Expr | None = None
    for rule in rules:
        hit = key.str.contains(rule.pattern)
        if rule.unless:
            hit = hit & ~key.str.contains(rule.unless)
        value = pl.lit(rule.value)
        chain = pl.when(hit).then(value) if chain is None else chain.when(hit).then(value)
    if chain is None:
        return pl.lit(DEFAULT[target])
    return chain.otherwise(pl.lit(DEFAULT[target]))


def role_family_expr(expr: pl.Expr) -> pl.Expr:
    """Role family (schemas.ROLE_FAMILIES) of a title expression."""
    return _classify(expr, "role_family")


def seniority_expr(expr: pl.Expr) -> pl.Expr:
    """Seniority (schemas.SENIORITIES) of a title expression."""
    return _classify(expr, "seniority")


def add_roles(frame: pl.DataFrame, title_col: str = "title") -> pl.DataFrame:
    """Add `role_family` and `seniority` from the title column."""
    return frame.with_columns(
        role_family_expr(pl.col(title_col)).alias("role_family"),
        seniority_expr(pl.col(title_col)).alias("seniority"),
    )
