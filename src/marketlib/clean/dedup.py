"""Stable posting ids and cross-source duplicate flags.

posting_id: the first 16 hex digits of sha256 over "source|source_posting_id", or over the canonical content
(normalized company, title and location, and a fixed-length fingerprint of the description: its length and its
first and last DESCRIPTION_EDGE characters) when the source gives no id. A key seen twice in one table
gets "#<occurrence>" appended before hashing, so ids stay unique and deterministic.

is_duplicate: postings share a fingerprint when their normalized company (legal suffixes and punctuation
dropped), normalized title and metro (else city + country) match. The first posting of a fingerprint (earliest
posted_date, then input order) is kept; the later ones are flagged.
"""

from __future__ import annotations

import hashlib

import polars as pl

# Legal-form words that do not distinguish employers ("Acme Inc." == "ACME, LLC").
_LEGAL_SUFFIX = (r"(?-u:\b)(?:inc|incorporated|llc|l\.l\.c|ltd|limited|corp|corporation|co|company|plc"
                 r"|gmbh|ag|sa"
                 r"|s\.a|bv|b\.v|pty|lp|llp)(?-u:\b)\.?")


# Runs of 2+ whitespace characters and single non-space ones: the same result as `\s+` -> " ", without
# rewriting every single space (4x faster).
_SPACE_RUN = r"\s{2,}|[^\S ]"


def _norm(expr: pl.Expr) -> pl.Expr:
    """Lowercase, punctuation to spaces, single spaces."""
    return (expr.fill_null("").str.to_lowercase()
            .str.replace_all(r"[^\w\s]", " ").str.replace_all(_SPACE_RUN, " ").str.strip_chars())


def normalize_company(expr: pl.Expr) -> pl.Expr:
    return _norm(expr.fill_null("").str.to_lowercase().str.replace_all(_LEGAL_SUFFIX, " "))


# Characters taken from each end of a description for the content key: enough to tell postings apart, and a
# key of bounded length, so an id-less row costs what a row with an id costs (no regex over the whole text).
DESCRIPTION_EDGE = 160


def description_fingerprint(description: pl.Expr) -> pl.Expr:
    """'<length>:<first chars>:<last chars>' of the stripped description, the ends normalized (case and
    punctuation); no pass over the whole text. No description -> '0::'."""
    text = description.fill_null("").str.strip_chars()
    return pl.concat_str([text.str.len_bytes().cast(pl.String), _norm(text.str.slice(0, DESCRIPTION_EDGE)),
                          _norm(text.str.slice(-DESCRIPTION_EDGE))], separator=":")


def _text(frame: pl.DataFrame, name: str) -> pl.Expr:
    return pl.col(name).cast(pl.String) if name in frame.columns else pl.lit(None, dtype=pl.String)


# Keys hashed per slice, so the Python strings alive at once stay bounded whatever the table's size.
_HASH_SLICE = 50_000


def _sha16(keys: pl.Series) -> pl.Series:
    """sha256[:16] of each key string.

    polars' own hash is not stable across versions, so hashlib is used, on short keys (a source id, or the
    fixed-length content fingerprint): about 1 s per million rows, one slice of Python strings at a time.
    """
    parts = [pl.Series([hashlib.sha256(k.encode("utf-8")).hexdigest()[:16]
                        for k in keys.slice(offset, _HASH_SLICE).to_list()], dtype=pl.String)
             for offset in range(0, keys.len(), _HASH_SLICE)]
    return pl.concat(parts) if parts else pl.Series([], dtype=pl.String)


KEY_COLUMNS = ("_key", "_fp", "_posted")


def dedup_keys(frame: pl.DataFrame) -> pl.DataFrame:
    """Row-local part of the ids: the base key, the fingerprint and the posting date of each row.

    Computed chunk by chunk when a large table is cleaned; `assign_ids` then needs only these short columns.
    """
    source = _text(frame, "source").fill_null("")
    source_id = _text(frame, "source_posting_id").str.strip_chars()
    has_id = source_id.is_not_null() & (source_id != "")
    # Descriptions of rows that have a source id are nulled first, so their fingerprint is not computed.
    description = pl.when(has_id).then(None).otherwise(_text(frame, "description"))
    content = pl.concat_str(
        [normalize_company(_text(frame, "company")), _norm(_text(frame, "title")),
         _norm(_text(frame, "location_raw")), description_fingerprint(description)],
        separator="\x1f",
    )
    base_key = (pl.when(has_id)
                .then(pl.concat_str([pl.lit("id"), source, source_id], separator="|"))
                .otherwise(pl.concat_str([pl.lit("content"), source, content], separator="|")))
    place = (pl.when(_text(frame, "metro_code").is_not_null())
             .then(pl.concat_str([pl.lit("metro"), _text(frame, "metro_code")], separator=":"))
             .otherwise(pl.concat_str([pl.lit("place"), _norm(_text(frame, "city")),
                                       _norm(_text(frame, "country"))], separator=":")))
    fingerprint = pl.concat_str(
        [normalize_company(_text(frame, "company")), _norm(_text(frame, "title")), place], separator="|")
    posted = pl.col("posted_date") if "posted_date" in frame.columns else pl.lit(None, dtype=pl.Date)
    return frame.lazy().select(base_key.alias("_key"), fingerprint.alias("_fp"),
                               posted.cast(pl.Date).alias("_posted")).collect()


def with_posting_ids(work: pl.DataFrame) -> pl.DataFrame:
    """Add posting_id to `work` (`_key`, `_order`, rows in `_order`), which holds every row of each key it has.

    A partition of the keys grouped by `_key` is enough: a repeat's number depends only on its own key's rows.
    """
    # Occurrence number of a repeated key, in table order: the first keeps the plain key, a repeat hashes
    # "<key>#<n>" (few rows: only those are rebuilt, the keys column is hashed in place).
    occurrence = work.select(pl.int_range(pl.len(), dtype=pl.UInt32).over("_key")).to_series()
    ids = _sha16(work.get_column("_key"))
    repeats = (occurrence > 0).arg_true()
    if repeats.len():
        suffixed = pl.select(pl.concat_str([pl.lit(work.get_column("_key").gather(repeats)), pl.lit("#"),
                                            pl.lit(occurrence.gather(repeats)).cast(pl.String)])).to_series()
        ids.scatter(repeats, _sha16(suffixed))
    return work.with_columns(ids.alias("posting_id"))


def with_duplicate_flags(work: pl.DataFrame) -> pl.DataFrame:
    """Add is_duplicate to `work` (`_fp`, `_posted`, `_order`), which holds every row of each fingerprint it has.

    Rows keep their order; a partition of the keys grouped by `_fp` is enough.
    """
    first_of_fp = (work.select("_fp", "_posted", "_order").sort(["_posted", "_order"], nulls_last=True)
                   .group_by("_fp").agg(pl.col("_order").first().alias("_keep")))
    empty_fp = pl.col("_fp").str.replace_all(r"[|:]|metro|place", "") == ""
    return (work.join(first_of_fp, on="_fp", how="left", maintain_order="left")
            # A posting with no company, title or place has no fingerprint: never a duplicate.
            .with_columns(((pl.col("_order") != pl.col("_keep")) & ~empty_fp).alias("is_duplicate"))
            .drop("_keep"))


def assign_ids(keys: pl.DataFrame) -> pl.DataFrame:
    """posting_id and is_duplicate for every row of `keys` (the KEY_COLUMNS of all rows, in table order)."""
    work = keys.select(*KEY_COLUMNS).with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).alias("_order"))
    return with_duplicate_flags(with_posting_ids(work)).select("posting_id", "is_duplicate")


def add_ids(frame: pl.DataFrame) -> pl.DataFrame:
    """Add posting_id (unique, stable) and is_duplicate (cross-source fingerprint, earliest kept)."""
    return frame.with_columns(assign_ids(dedup_keys(frame)))
