"""Skills named in postings, from the committed dictionary `marketlib/data/skills.csv`.

The matching engine here (`TermDictionary`) is shared with `clean.domains`:

1. every dictionary pattern becomes one alternative of a single case-insensitive regex, so a column is
   scanned once (`str.extract_all`) however many terms there are; trap rows ("R&D", "excel at", "Series C")
   come first so that, at the same start position, they win over the shorter skill match and are dropped;
2. the distinct matched strings of the whole column (a few thousand at most, whatever the row count) are
   classified in Python by the first dictionary row that fully matches them;
3. each row's matches are mapped to labels with `replace_strict`, de-duplicated and sorted.

Patterns use explicit `\\b` boundaries; for the Rust engine they become ASCII boundaries `(?-u:\\b)`, which
keeps the scan on the fast lazy-DFA path for any text.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import polars as pl

from marketlib.errors import UserError

_ASCII_OUTSIDE = {"b": "(?-u:\\b)", "s": "(?-u:\\s)", "w": "(?-u:\\w)", "d": "[0-9]"}
_ASCII_INSIDE = {"s": " \\t\\n\\r\\f\\v", "w": "A-Za-z0-9_", "d": "0-9"}


def ascii_classes(pattern: str) -> str:
    """`\\b`, `\\s`, `\\w`, `\\d` rewritten as their ASCII forms for the Rust engine.

    A Unicode word boundary makes the regex crate give up its lazy DFA on any non-ASCII text (curly quotes,
    bullets), which is 10-50x slower; the ASCII classes keep every scan on the DFA.
    """
    out, in_class, i = [], False, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            table = _ASCII_INSIDE if in_class else _ASCII_OUTSIDE
            out.append(table.get(nxt, ch + nxt))
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class and pattern[i - 1] not in "[^":
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


SKILLS_FILE = "skills.csv"
# A careers-site listing page scraped in place of a posting ("Data Scientistlocations3 Locationsposted
# onPosted Yesterday", "Jersey City, NJ, United States Data & AnalyticsPredictive Science ...") describes
# many other jobs; three or more such markers make a text no evidence of this role's skills or domains.
# Some scrapes put the posting itself after the list: a long enough text after the last marker is kept.
_MARKERS = (r"posted\s+on|\b\d+\s+Locations\b|\b(?:United States|India|United Kingdom|Philippines)"
            r"\s+(?:Data & Analytics|Technology|Product|Marketing|Program)")
LISTING_MARKERS = ascii_classes("(?i)" + _MARKERS)
LISTING_MIN_MARKERS = 3
_UP_TO_LAST_MARKER = ascii_classes(f"(?is)^.*(?:{_MARKERS})")
LISTING_TAIL_MIN_CHARS = 400


def parallel_str(texts: pl.Series, op) -> pl.Series:
    """Apply a string expression `op(pl.col("t"))` to slices of a column on all polars threads.

    One string kernel over one column runs on one core; slicing the column and collecting the slices
    together spreads a long regex scan over every core.
    """
    parts = max(1, min(pl.thread_pool_size(), texts.len() // 2_000))
    # Only from the main thread: inside a polars callback (map_batches runs on polars' own pool) waiting for
    # more polars work would deadlock the pool.
    if parts == 1 or threading.current_thread() is not threading.main_thread():
        return pl.DataFrame({"t": texts}).select(op(pl.col("t")))["t"].alias(texts.name)
    size = -(-texts.len() // parts)
    frames = [pl.LazyFrame({"t": texts.slice(i * size, size)}).select(op(pl.col("t"))) for i in range(parts)]
    return pl.concat([f["t"] for f in pl.collect_all(frames)]).alias(texts.name)


@dataclass(frozen=True)
class TermRow:
    label: str | None  # None for a trap: a phrase that is matched only to be dropped
    pattern: str


class TermDictionary:
    """An ordered list of (label, regex) rows matched in one pass over a text column."""

    def __init__(self, rows: list[TermRow], *, version: str = ""):
        if not rows:
            raise UserError("A term dictionary needs at least one row.")
        self.version = version
        # Traps first: they must win over a term starting at the same position.
        self.rows = [r for r in rows if r.label is None] + [r for r in rows if r.label is not None]
        # Python's regexes are compiled when classify first needs each row: compiling all of them up front was
        # ~0.1 s of every process's start-up (a 1-row clean needs a few).
        self._compiled: list[re.Pattern | None] = [None] * len(self.rows)
        alternatives = "|".join(f"(?:{r.pattern})" for r in self.rows)
        self.rust_pattern = "(?i)" + ascii_classes(alternatives)

    def _regex(self, i: int) -> re.Pattern:
        regex = self._compiled[i]
        if regex is None:
            pattern = self.rows[i].pattern
            try:
                regex = self._compiled[i] = re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                raise UserError(f"Dictionary pattern {pattern!r} is not a valid regex: {exc}.") from exc
        return regex

    def classify(self, matched: str) -> str | None:
        """Label of the first row that matches the whole matched text (None: a trap or no row)."""
        for i, row in enumerate(self.rows):
            if self._regex(i).fullmatch(matched):
                return row.label
        return None

    def labels_series(self, texts: pl.Series) -> pl.Series:
        """Sorted distinct labels found in each text (empty list for null text)."""
        pattern = self.rust_pattern
        matches = parallel_str(texts.cast(pl.String).fill_null(""), lambda t: t.str.extract_all(pattern))
        distinct = matches.explode().drop_nulls().unique().to_list()
        # Python runs once per distinct matched string, never per row.
        return map_labels(matches, {m: self.classify(m) for m in distinct}).alias(texts.name)

    def labels_expr(self, expr: pl.Expr) -> pl.Expr:
        """Expression form of `labels_series` (list[str] per row)."""
        return expr.map_batches(self.labels_series, return_dtype=pl.List(pl.String), is_elementwise=True)


def map_labels(matches: pl.Series, mapping: dict[str, str | None]) -> pl.Series:
    """Per row: the sorted distinct labels of its matched strings (`mapping`: matched string -> label)."""
    if not any(mapping.values()):
        return pl.Series(matches.name, [[]] * matches.len(), dtype=pl.List(pl.String))
    keys = list(mapping)
    return pl.DataFrame({"m": matches}).select(
        pl.col("m").list.eval(pl.element().replace_strict(keys, [mapping[k] for k in keys], default=None,
                                                          return_dtype=pl.String))
        .list.drop_nulls().list.unique().list.sort()
    )["m"].alias(matches.name)


def read_dictionary_rows(filename: str) -> tuple[list[dict[str, str]], str]:
    """Rows of a packaged dictionary CSV (lines starting with '#' are comments) and its `version`."""
    text = resources.files("marketlib").joinpath("data", filename).read_text("utf-8")
    lines = text.splitlines()
    version = ""
    for line in lines:
        found = re.match(r"#.*\bversion\s+([\w.\-]+)", line, re.IGNORECASE)
        if found:
            version = found.group(1)
            break
    body = [line for line in lines if line.strip() and not line.startswith("#")]
    header = body[0].split(",")
    # The last column is a regex and may itself contain commas: split only on the leading separators.
    rows = [dict(zip(header, line.split(",", len(header) - 1), strict=True)) for line in body[1:]]
    return rows, version


@lru_cache(maxsize=1)
def skill_dictionary() -> TermDictionary:
    rows, version = read_dictionary_rows(SKILLS_FILE)
    terms = [TermRow(r["skill"].strip() or None, r["pattern"]) for r in rows]
    return TermDictionary(terms, version=version)


def skill_names() -> list[str]:
    """Canonical names of every skill in the dictionary, sorted."""
    return sorted({r.label for r in skill_dictionary().rows if r.label})


def skills_expr(expr: pl.Expr) -> pl.Expr:
    """Canonical skills named in a text expression (list[str], sorted)."""
    return skill_dictionary().labels_expr(expr)


def _drop_listing_pages(texts: pl.Series) -> pl.Series:
    texts = texts.cast(pl.String).fill_null("")
    # Cheap literal test first; the regex count runs only on the few texts that contain a marker word. (The
    # regex engine's literal search is ~5x faster here than `contains_any(..., ascii_case_insensitive=True)`.)
    maybe = parallel_str(texts, lambda t: t.str.contains(r"(?i-u)posted on|locations|data & analytics"))
    idx = maybe.arg_true()
    if idx.len() == 0:
        return texts
    counts = texts.gather(idx).str.count_matches(LISTING_MARKERS)
    listing = idx.filter(counts >= LISTING_MIN_MARKERS)
    if not listing.len():
        return texts
    tails = texts.gather(listing).str.replace(_UP_TO_LAST_MARKER, "")
    kept = pl.select(pl.when(tails.str.len_chars() >= LISTING_TAIL_MIN_CHARS).then(tails).otherwise(pl.lit("")))
    return texts.scatter(listing, kept.to_series())


def evidence_columns(frame: pl.DataFrame, text_cols: tuple[str, ...]) -> list[pl.Series]:
    """The texts `evidence_text` joins, kept apart (listing pages blanked); called from the main thread so
    the scans spread over all cores."""
    return [_drop_listing_pages(frame[c].rechunk()) for c in text_cols]


def evidence_text(text_cols: tuple[str, ...]) -> pl.Expr:
    """The text columns joined by line breaks (so no phrase matches across two), listing pages left out."""
    parts = [pl.col(c).map_batches(_drop_listing_pages, return_dtype=pl.String, is_elementwise=True)
             for c in text_cols]
    return pl.concat_str(parts, separator="\n")


def add_skills(frame: pl.DataFrame, text_cols: tuple[str, ...] = ("title", "description")) -> pl.DataFrame:
    """Add `skills`: the sorted canonical skills named in any of `text_cols`."""
    missing = [c for c in text_cols if c not in frame.columns]
    if missing:
        raise UserError(f"Cannot extract skills: column(s) {', '.join(missing)} missing.")
    return frame.with_columns(skills_expr(evidence_text(text_cols)).alias("skills"))
