"""Role family and seniority from a job title, driven by the ordered rule table data/role_rules.csv.

Each rule is (target, value, pattern, unless, requires, without_text): the first rule of a target whose pattern
matches the lowercased title (and whose `unless` pattern does not) gives the value; a rule with `requires` fires
only when the description matches it too, so a generic title ("Research Scientist", "Computer Scientist") is
decided by the text. Without a usable description such a rule fires when it is the title's own reading
(`without_text` = fire, "Research Scientist") and is skipped when it is only what the text can add (skip: a
"Data Modeler" is a data scientist only when the text shows predictive models). Titles no rule matches get
role family "other" and seniority "mid"; a blank title gets no family. The rules become one `pl.when` chain
per target, so a whole column is classified at once.
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
    fires_without_text: bool = True


@lru_cache(maxsize=1)
def load_rules() -> tuple[RoleRule, ...]:
    text = resources.files("marketlib").joinpath("data", RULES_FILE).read_text("utf-8")
    allowed = {"role_family": schemas.ROLE_FAMILIES, "seniority": schemas.SENIORITIES}
    rules = []
    for r in csv.DictReader(text.splitlines()):
        without_text = r["without_text"] or "fire"
        # A typo in the committed table must fail loudly, not silently produce a new category.
        valid = r["target"] in allowed and r["value"] in allowed[r["target"]] and without_text in ("fire", "skip")
        if not valid:
            raise ValueError(f"{RULES_FILE}: bad rule {r['target']}={r['value']} (without_text {without_text})")
        rules.append(RoleRule(r["target"], r["value"], r["pattern"], r["unless"] or "", r["requires"] or "",
                              without_text == "fire"))
    return tuple(rules)


def _title_key(expr: pl.Expr) -> pl.Expr:
    # Lowercase, with separators ("_", "|") read as spaces so word boundaries work.
    return expr.fill_null("").str.to_lowercase().str.replace_all(r"[_|]+", " ")


def _title_hit(key: pl.Expr, rule: RoleRule) -> pl.Expr:
    """Whether a title key matches the rule's pattern and not its `unless` pattern."""
    hit = key.str.contains(rule.pattern)
    return hit & ~key.str.contains(rule.unless) if rule.unless else hit


def _classify(expr: pl.Expr, target: str, described: dict[str, pl.Expr] | None = None) -> pl.Expr:
    """The rule chain of one target. `described` maps a rule's `requires` pattern to whether each row's
    description matches it (null: no usable description, so the rule's `without_text` decides)."""
    key = _title_key(expr)
    rules = [r for r in load_rules() if r.target == target]
    chain: pl.Expr | None = None
    for rule in rules:
        hit = _title_hit(key, rule)
        if rule.requires:
            found = described.get(rule.requires) if described else None
            hit = hit & (found if found is not None else pl.lit(None, dtype=pl.Boolean)).fill_null(
                rule.fires_without_text)
        value = pl.lit(rule.value)
        chain = pl.when(hit).then(value) if chain is None else chain.when(hit).then(value)
    if chain is None:
        return pl.lit(DEFAULT[target])
    return chain.otherwise(pl.lit(DEFAULT[target]))


def _described(frame: pl.DataFrame, title_col: str, description_col: str) -> dict[str, pl.Series]:
    """requires pattern -> per-row match of the description, scanned only for the rows whose title matches
    a rule that needs it and no earlier rule of its target that decides on the title alone (a whole-column
    scan of descriptions would cost more than all rules)."""
    titles = frame[title_col].cast(pl.String).fill_null("")
    key = _title_key(pl.col("t"))
    rules = load_rules()
    # Each rule's title test once, as a column (only the rules up to the last one that needs a description,
    # per target: later ones decide nothing here); the chains below combine those columns.
    last = {r.target: i for i, r in enumerate(rules) if r.requires}
    tested = [i for i, r in enumerate(rules) if r.target in last and i <= last[r.target]]
    reached: dict[str, list[pl.Expr]] = {}
    for target in last:
        decided = pl.lit(False)
        for i in (i for i in tested if rules[i].target == target):
            if rules[i].requires:
                reached.setdefault(rules[i].requires, []).append(pl.col(f"_hit{i}") & ~decided)
            else:
                decided = decided | pl.col(f"_hit{i}")
    # Titles repeat: the title rules run once per distinct title, then pick the rows whose text is read.
    distinct = (pl.DataFrame({"t": titles.unique()})
                .with_columns(_title_hit(key, rules[i]).alias(f"_hit{i}") for i in tested)
                .with_columns(pl.any_horizontal(hits).fill_null(False).alias(pattern)
                              for pattern, hits in reached.items()))
    out = {}
    for pattern in sorted(reached):
        rows = titles.is_in(distinct.filter(pl.col(pattern))["t"].implode()).arg_true()
        texts = frame[description_col].cast(pl.String).gather(rows)
        usable = texts.str.len_bytes() >= MIN_DESCRIPTION_BYTES
        matched = pl.select(pl.when(usable).then(texts.str.to_lowercase().str.contains(pattern))).to_series()
        flags = pl.Series("f", [None] * frame.height, dtype=pl.Boolean).scatter(rows, matched)
        out[pattern] = flags
    return out


def role_family_expr(expr: pl.Expr, described: dict[str, pl.Expr] | None = None) -> pl.Expr:
    """Role family (schemas.ROLE_FAMILIES) of a title expression. Without `described` (see add_roles) a
    generic title keeps its own reading ("Research Scientist" -> research_scientist). A blank title names no
    role, so its family is null (unknown), not "other" (a Hacker News post that names no title)."""
    blank = expr.cast(pl.String).fill_null("").str.strip_chars() == ""
    return pl.when(blank).then(pl.lit(None, dtype=pl.String)).otherwise(_classify(expr, "role_family", described))


def seniority_expr(expr: pl.Expr) -> pl.Expr:
    """Seniority (schemas.SENIORITIES) of a title expression."""
    return _classify(expr, "seniority")


def add_roles(frame: pl.DataFrame, title_col: str = "title", description_col: str | None = None) -> pl.DataFrame:
    """Add `role_family` and `seniority` from the title column (and the description, when given)."""
    described = _described(frame, title_col, description_col) if description_col else {}
    flags = {f"_described{i}": found for i, found in enumerate(described.values())}
    rows = pl.DataFrame({"_title": frame[title_col].cast(pl.String), **flags})
    # Titles repeat: the rule chains run once per distinct title (and description flags), then join back.
    by_pattern = {pattern: pl.col(name) for pattern, name in zip(described, flags, strict=True)}
    distinct = rows.unique(maintain_order=True).with_columns(
        role_family_expr(pl.col("_title"), by_pattern).alias("role_family"),
        seniority_expr(pl.col("_title")).alias("seniority"),
    )
    classified = rows.join(distinct, on=rows.columns, how="left", nulls_equal=True, maintain_order="left")
    return frame.with_columns(classified["role_family"], classified["seniority"])
