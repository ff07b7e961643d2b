"""One selection of postings, shared by every analysis: role families, sources, seniority, dates, min_count.

`PostingSelection.validate(...)` checks the notebook parameters once (a parameter left None takes its default
from `marketlib.toml`); `selection.apply(postings)` returns the non-duplicate postings that match.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from marketlib import schemas
from marketlib.config import get_settings
from marketlib.errors import UserError
from marketlib.params import check_choices, check_date_range, check_int

# The default seniority of an openings count: everything but internships (issue: a mid-level engineer must be
# able to leave internships out; the entry-level pages ask for intern + junior explicitly).
DEFAULT_SENIORITY = tuple(s for s in schemas.SENIORITIES if s != "intern")
ALL_SENIORITIES = schemas.SENIORITIES


def seniority_expr() -> pl.Expr:
    """The seniority a selection filters on: an internship by employment type is an intern; a title without
    a seniority word is mid-level (the clean step only labels titles that say junior/senior/intern...)."""
    return (
        pl.when(pl.col("employment_type") == "internship")
        .then(pl.lit("intern"))
        .otherwise(pl.col("seniority").fill_null("mid"))
    )


@dataclass(frozen=True)
class PostingSelection:
    role_families: tuple[str, ...]
    sources: tuple[str, ...] = ()  # empty = every source
    seniority: tuple[str, ...] = ALL_SENIORITIES
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    min_count: int = 30

    @classmethod
    def validate(
        cls,
        *,
        role_families: Sequence[str] | None = None,
        sources: Sequence[str] | None = None,
        seniority: Sequence[str] | str | None = None,
        date_from: object = None,
        date_to: object = None,
        min_count: int | None = None,
        default_role_families: Sequence[str] = ("ml_engineer",),
        default_seniority: Sequence[str] = ALL_SENIORITIES,
        known_sources: Sequence[str] = (),
    ) -> PostingSelection:
        """Check every filter parameter; None means the default (settings for min_count)."""
        start, end = check_date_range(date_from, date_to)
        families = check_choices(
            "role_families", list(role_families or default_role_families), schemas.ROLE_FAMILIES
        )
        chosen = check_choices("sources", list(sources or []), sorted(known_sources), allow_empty=True)
        levels = check_choices(
            "seniority", seniority if seniority else list(default_seniority), schemas.SENIORITIES
        )
        threshold = get_settings().min_count if min_count is None else min_count
        return cls(
            role_families=tuple(families),
            sources=tuple(chosen),
            seniority=tuple(s for s in schemas.SENIORITIES if s in levels),
            date_from=start,
            date_to=end,
            min_count=check_int("min_count", threshold),
        )

    def condition(self, *, dates: bool = True) -> pl.Expr:
        cond = ~pl.col("is_duplicate") & pl.col("role_family").is_in(list(self.role_families))
        if self.sources:
            cond &= pl.col("source").is_in(list(self.sources))
        if set(self.seniority) != set(ALL_SENIORITIES):
            cond &= seniority_expr().is_in(list(self.seniority))
        if dates and self.date_from:
            cond &= pl.col("posted_date") >= self.date_from
        if dates and self.date_to:
            cond &= pl.col("posted_date") <= self.date_to
        return cond

    def apply(self, postings: pl.DataFrame, *, dates: bool = True) -> pl.DataFrame:
        """Matching non-duplicate postings; `dates=False` leaves the date filter to a window (city odds)."""
        return postings.filter(self.condition(dates=dates))

    def seniority_label(self) -> str:
        """'all levels', 'all but intern' or the chosen levels, for page titles."""
        if set(self.seniority) == set(ALL_SENIORITIES):
            return "all levels"
        if set(self.seniority) == set(DEFAULT_SENIORITY):
            return "all but interns"
        return " + ".join(self.seniority)


FILTERS = ("role_families", "sources", "seniority", "date_from", "date_to", "min_count")


def select_postings(filters: dict[str, object], *, default_role_families: Sequence[str],
                    postings: pl.DataFrame | None = None) -> PostingSelection:
    """The selection a notebook's posting filters ask for (their names are FILTERS); an analysis passes its
    other parameters by name and the filters as `**filters`, so a misspelt filter is one clear sentence."""
    from marketlib.analysis import common  # common reads tables; the selection itself stays pure

    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise UserError(f"Unknown parameter(s) {', '.join(unknown)}; the posting filters are "
                        f"{', '.join(FILTERS)}.")
    postings = common.load("postings") if postings is None else postings
    return PostingSelection.validate(**filters, default_role_families=default_role_families,
                                     known_sources=common.known_sources(postings))


class SelectsPostings:
    """Mixin for an analysis's Params holding a `selection`: its role families and thin-cell threshold."""

    selection: PostingSelection

    @property
    def role_families(self) -> list[str]:
        return list(self.selection.role_families)

    @property
    def min_count(self) -> int:
        return self.selection.min_count
