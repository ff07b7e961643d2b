"""Remote work stated in the title or the description, and where it is allowed (`remote_scope`).

`clean.locations` reads remote from the location field and the source's own flag; many postings say it only
in their text ("This is a remote position; ...", "Location: Remote (United States)", "[Remote] AI
Engineer"). The cues are data (`data/remote_cues.csv`): `offer` phrases, `cancel` phrases (hybrid, remote
sensing, remote work as a perk) and `scope` phrases (United States -> US, Canada -> CA, Europe ...).

How (polars expressions over whole columns): only texts holding "remote", "telecommute" or "telework" are looked at;
their sentences holding the word are exploded, lowercased and classified; a posting is remote when one of
its sentences offers remote work and no cue in that sentence cancels it. remote_scope joins the scopes named
in the offering sentences (';', sorted), else the country of a location field that says remote.
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from marketlib.clean.locations import says_remote
from marketlib.clean.skills import ascii_classes, read_dictionary_rows

CUES_FILE = "remote_cues.csv"
# One sentence: up to a newline, bullet, semicolon or a period followed by a space ("U.S. only" stays whole).
_SENTENCE_CHAR = r"(?:[^\n•;.]|\.\S)"
_REMOTE_WORD = ascii_classes(
    r"\b(?:[Rr]emote(?:ly)?|REMOTE|[Tt]elecommut\w*|TELECOMMUT\w*|[Tt]elework\w*|TELEWORK\w*)\b")
_SENTENCE = rf"{_SENTENCE_CHAR}*{_REMOTE_WORD}{_SENTENCE_CHAR}*"
# A title that says remote ("[Remote] AI Engineer"), unless negated or hybrid.
_SAYS_REMOTE = ascii_classes(r"(?i)\bremote\b")
_SAYS_NOT_REMOTE = ascii_classes(r"(?i)\b(?:no|non|not)[\s-]+remote\b|\bhybrid\b")
# "Milan (Italy), London (UK) or remote": the places before the remote option are offices, not where remote
# work is allowed, so such a sentence names no scope.
_OFFICES_OR_REMOTE = ascii_classes(r"^.*\bor\s+remote(?:ly)?\W*$")


@lru_cache(maxsize=1)
def cues() -> dict[str, list[tuple[str, str]]]:
    """kind -> [(value, pattern)] from the packaged cue table; patterns use ASCII classes (fast scans)."""
    rows, _ = read_dictionary_rows(CUES_FILE)
    out: dict[str, list[tuple[str, str]]] = {"offer": [], "cancel": [], "choice": [], "scope": [],
                                             "residence": []}
    for row in rows:
        if row["kind"] not in out:
            raise ValueError(f"{CUES_FILE}: unknown kind {row['kind']!r}")
        out[row["kind"]].append((row["value"], ascii_classes(row["pattern"])))
    return out


def _any_of(kind: str) -> str:
    return "|".join(f"(?:{pattern})" for _, pattern in cues()[kind])


def _offering_sentences(texts: pl.LazyFrame) -> pl.LazyFrame:
    """(_row, sentence) for every lowercased sentence that offers remote work."""
    return (
        texts.select("_row", pl.col("text").str.extract_all(_SENTENCE).alias("sentence"))
        .explode("sentence")
        .drop_nulls("sentence")
        .with_columns(pl.col("sentence").str.to_lowercase().str.strip_chars())
        .filter((pl.col("sentence").str.contains(_any_of("offer"))
                 & ~pl.col("sentence").str.contains(_any_of("cancel")))
                | pl.col("sentence").str.contains(_any_of("choice")))
    )


def _scopes(sentence: pl.Expr, kind: str = "scope") -> pl.Expr:
    """The scope values a sentence names, as a list (empty when none)."""
    named = [pl.when(sentence.str.contains(pattern)).then(pl.lit(value)) for value, pattern in cues()[kind]]
    return pl.concat_list(named).list.drop_nulls()


def _residence_scope(texts: pl.Series, remote_without_scope: pl.Series) -> pl.Series:
    """Where the employees of a remote posting may live ("may live in any of the 50 United States"), read in
    the whole text of the few remote postings whose offering sentences name no scope."""
    rows = remote_without_scope.fill_null(False).arg_true()
    found = pl.DataFrame({"t": texts.cast(pl.String).gather(rows).str.to_lowercase()}).select(
        _scopes(pl.col("t"), "residence").list.unique().list.sort().list.join(";").alias("t"))["t"]
    return pl.Series("s", [None] * texts.len(), dtype=pl.String).scatter(rows, found.replace("", None))


def remote_in_text(frame: pl.DataFrame, title_col: str, description_col: str) -> pl.DataFrame:
    """Per row of `frame`: `text_remote` (bool) and `text_scope` (';'-joined scopes or null)."""
    texts = (frame.lazy().select(pl.col(description_col).cast(pl.String).alias("text"))
             .with_row_index("_row").filter(pl.col("text").str.contains(_REMOTE_WORD).fill_null(False)))
    per_row = (
        _offering_sentences(texts)
        .with_columns(_scopes(pl.col("sentence").str.replace(_OFFICES_OR_REMOTE, "")).alias("scope"))
        .group_by("_row")
        .agg(pl.col("scope").explode().drop_nulls().unique().sort().str.join(";").alias("text_scope"))
        .collect()
    )
    rows = pl.DataFrame({"_row": pl.int_range(frame.height, eager=True, dtype=pl.UInt32)})
    joined = rows.join(per_row, on="_row", how="left").sort("_row")
    return pl.DataFrame({
        "text_remote": joined["text_scope"].is_not_null() | _title_says_remote(frame[title_col]),
        "text_scope": joined["text_scope"].replace("", None),
    })


def _title_says_remote(values: pl.Series) -> pl.Series:
    values = values.cast(pl.String).fill_null("")
    return values.str.contains(_SAYS_REMOTE) & ~values.str.contains(_SAYS_NOT_REMOTE)


def add_remote(frame: pl.DataFrame, title_col: str = "title", description_col: str = "description",
               location_col: str = "location_raw") -> pl.DataFrame:
    """OR the remote work stated in the title or description into `is_remote` and add `remote_scope`.

    Expects `is_remote`, `city`, `region` and `country` from `clean.locations.add_locations`. A scope named in
    the text wins; else a location field that itself says remote ("Remote, OR") or names only a country
    ("United States" on a remote posting) gives its country."""
    found = remote_in_text(frame, title_col, description_col)
    is_remote = frame["is_remote"].fill_null(False) | found["text_remote"]
    residence = _residence_scope(frame[description_col], is_remote & found["text_scope"].is_null())
    country_only = frame["city"].is_null() & frame["region"].is_null()
    location_scope = pl.when(is_remote & (says_remote(frame[location_col].cast(pl.String)) | country_only)).then(
        frame["country"])
    return frame.with_columns(
        is_remote.alias("is_remote"),
        pl.coalesce(found["text_scope"], residence, location_scope).alias("remote_scope"),
    )
