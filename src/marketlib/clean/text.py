"""Text cleaning as polars expressions: HTML to plain text, whitespace, URLs.

Every column function takes and returns a `pl.Expr`, so callers compose them in one `with_columns`. Two
scalar helpers at the end (`html_line`, `split_links`) read one short HTML fragment, an HN post's header field,
which a source classifies field by field before anything is a column.
"""

from __future__ import annotations

import html
import re
import threading
from html.entities import html5 as html5_entities

import polars as pl

# Any HTML character reference: named (&amp;), decimal (&#39;) or hex (&#x2F;).
ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
# A tag that was itself escaped (Greenhouse `content` is HTML-escaped HTML: "&lt;p&gt;").
_ESCAPED_TAG = r"&(?:amp;)*lt;/?[A-Za-z][A-Za-z0-9]*(?:\s|&|/)"
_SCRIPT = r"(?is)<script\b.*?</script\s*>"
_STYLE = r"(?is)<style\b.*?</style\s*>"
_COMMENT = r"(?s)<!--.*?-->"
# Tags that end a line of text when rendered.
_BLOCK_TAG = (r"(?i)<br\s*/?>|</?(?:p|div|h[1-6]|ul|ol|tr|table|section|article|header|footer|blockquote|pre"
              r"|dl|dt|dd)\b[^<>]*>|</li\s*>")
_LIST_ITEM = r"(?i)<li\b[^<>]*>"
_CELL_TAG = r"(?i)</?t[dh]\b[^<>]*>"
_ANY_TAG = r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>"
# Space characters other than the plain space become a space: tab, no-break and the unicode spaces seen
# in postings (the full unicode list made the row test several times slower).
_ODD_SPACE_CHARS = ["\t", "\u00a0", "\u2002", "\u2003", "\u2009", "\u200a", "\u202f", "\u3000"]
_ODD_SPACE = "[" + "".join(_ODD_SPACE_CHARS) + "]"
_ZERO_WIDTH_CHARS = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
_ZERO_WIDTH = "[" + "".join(_ZERO_WIDTH_CHARS) + "]"


def _decode_entities_series(s: pl.Series) -> pl.Series:
    """Decode every character reference in a column.

    Vectorized: the distinct references of the whole column (typically a few dozen) are decoded with
    `html.unescape` in Python, then the rows holding a '&' are rewritten by one Aho-Corasick `replace_many`.
    """
    return _on_rows(s, s.str.contains(ENTITY), _decode_rows)


def _decode_rows(rows: pl.Series) -> pl.Series:
    keys = rows.str.extract_all(ENTITY).explode().drop_nulls().unique().to_list()
    # html.unescape on the unique reference strings only, never per row. Unknown names stay as they are
    # (html.unescape would read "&notanentity;" as "¬anentity;").
    values = [html.unescape(k) if k.startswith("&#") or k[1:] in html5_entities else k for k in keys]
    changed = [(k, v) for k, v in zip(keys, values, strict=True) if k != v]
    if not changed:
        return rows
    return rows.str.replace_many([k for k, _ in changed], [v for _, v in changed])


def decode_entities(expr: pl.Expr) -> pl.Expr:
    """Replace HTML character references (&amp; &#39; &#x2F; ...) by the characters they stand for."""
    return expr.map_batches(_decode_entities_series, return_dtype=pl.String, is_elementwise=True)


def _strip_tags(expr: pl.Expr) -> pl.Expr:
    return (
        expr.str.replace_all(_SCRIPT, "")
        .str.replace_all(_STYLE, "")
        .str.replace_all(_COMMENT, "")
        .str.replace_all(_BLOCK_TAG, "\n")
        .str.replace_all(_LIST_ITEM, "- ")
        .str.replace_all(_CELL_TAG, " ")
        .str.replace_all(_ANY_TAG, "")
    )


def _tidy_whitespace_series(s: pl.Series) -> pl.Series:
    return (
        s.str.replace_all(r"\r\n?", "\n")
        .str.replace_all(_ZERO_WIDTH, "")
        .str.replace_all(_ODD_SPACE, " ")
        .str.replace_all(" {2,}", " ")
        .str.replace_all(r" \n ?|\n ", "\n")
        .str.replace_all(r"\n{3,}", "\n\n")
        .str.strip_chars()
    )


def tidy_whitespace(expr: pl.Expr) -> pl.Expr:
    """Collapse spaces within lines, trim lines, keep at most one blank line between paragraphs."""
    return expr.map_batches(_tidy_whitespace_series, return_dtype=pl.String, is_elementwise=True)


def _on_rows(s: pl.Series, mask: pl.Series, fn) -> pl.Series:
    """Apply a Series -> Series function to the rows where mask holds; the others are left as they are."""
    mask = mask.fill_null(False)
    if not mask.any():
        return s
    out = s.clone()
    out.scatter(mask.arg_true(), fn(s.filter(mask)))
    return out


# Any of these in a row means html_to_text has work to do there; other rows only get their ends trimmed.
_NEEDS_WORK = "|".join(["<", ENTITY, "\r", "  ", " \n", "\n ", "\n\n\n", *_ODD_SPACE_CHARS,
                        *_ZERO_WIDTH_CHARS])


def _convert_rows(s: pl.Series) -> pl.Series:
    # HTML that was escaped once or twice (&lt;p&gt; or &amp;lt;p&amp;gt;) is first turned back into HTML.
    for _ in range(2):
        s = _on_rows(s, s.str.contains(_ESCAPED_TAG), _decode_entities_series)
    tagged = s.str.contains("<", literal=True)
    s = _on_rows(s, tagged, lambda r: pl.select(_strip_tags(pl.lit(r))).to_series())
    return _tidy_whitespace_series(_decode_entities_series(s))


def html_to_text_series(s: pl.Series) -> pl.Series:
    """Large columns are cut into one slice per core, converted in threads (polars releases the GIL while a
    string kernel runs, and each kernel alone uses one core), then put back in order."""
    parts = max(1, min(pl.thread_pool_size(), s.len() // 20_000))
    # Threads only from the main thread: inside a polars callback (polars' own pool) they would deadlock it.
    if parts == 1 or threading.current_thread() is not threading.main_thread():
        return _html_to_text_slice(s)
    from concurrent.futures import ThreadPoolExecutor

    size = -(-s.len() // parts)
    with ThreadPoolExecutor(max_workers=parts) as pool:
        pieces = list(pool.map(_html_to_text_slice, [s.slice(i * size, size) for i in range(parts)]))
    return pl.concat(pieces).alias(s.name)


def _html_to_text_slice(s: pl.Series) -> pl.Series:
    # A regex replace copies every row even when nothing matches, so one Aho-Corasick pass first picks the
    # rows that need work; only those go through the passes.
    s = s.cast(pl.String)
    needs = s.str.contains(_NEEDS_WORK).fill_null(False)
    out = s.str.strip_chars()
    if needs.any():
        out.scatter(needs.arg_true(), _convert_rows(s.filter(needs)))
    return out


def html_to_text(expr: pl.Expr) -> pl.Expr:
    """HTML (possibly escaped) or plain text -> plain text: block tags end lines, list items get "- ".

    The steps run on the whole column inside one batch function: each regex pass runs once per row (an
    expression tree would repeat shared sub-expressions in eager mode), and only on the rows that need it.
    """
    return expr.map_batches(html_to_text_series, return_dtype=pl.String, is_elementwise=True)


def normalize_space(expr: pl.Expr) -> pl.Expr:
    """One line: every run of whitespace (newlines included) becomes one space; ends trimmed."""
    return (
        expr.str.replace_all(_ZERO_WIDTH, "")
        .str.replace_all(r"[\s\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+", " ")
        .str.strip_chars()
    )


def safe_url(expr: pl.Expr) -> pl.Expr:
    """Keep http(s) URLs with a host and no whitespace; anything else (javascript:, mailto:, junk) -> null."""
    url = expr.str.strip_chars()
    ok = url.str.contains(r"(?i)^https?://[^\s/?#@]+(?:[/?#]\S*)?$")
    return pl.when(ok).then(url).otherwise(None)


# ------------------------------------------------------------------------------ one short HTML fragment

_TAG = re.compile(r"<[^>]+>")
_ANCHOR = re.compile(r"<a\s[^>]*?href=\"([^\"]*)\"[^>]*>(.*?)</a>", re.I | re.S)
_BARE_URL = re.compile(r"\bhttps?://[^\s<>|\"']+", re.I)
_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,12}/?$", re.I)
_SPACES = re.compile(r"\s+")


def html_line(fragment: str | None) -> str:
    """HTML fragment -> one line of text: tags stripped, entities (&#x2F; &#x27; &quot; &amp;) decoded."""
    text = html.unescape(_TAG.sub(" ", fragment or ""))
    return _SPACES.sub(" ", text.replace("\xa0", " ")).strip()


def is_domain(text: str) -> bool:
    """A bare domain name ("acme.io", "www.acme.com/")."""
    return bool(_DOMAIN.match(text))


def split_links(fragment: str) -> tuple[str, list[str]]:
    """Remove anchors and bare URLs from an HTML fragment; return (one line of the rest, urls). Anchor text
    that is not a URL (e.g. a company name) stays in the text."""
    if "<" not in fragment and "&" not in fragment and "://" not in fragment:
        return _SPACES.sub(" ", fragment.replace("\xa0", " ")).strip(), []  # plain text: nothing to pull
    urls: list[str] = []

    def anchor(match: re.Match) -> str:
        href, inner = html.unescape(match.group(1)), html_line(match.group(2))
        urls.append(href)
        looks_like_url = inner.startswith(("http", "www.")) or inner.endswith("...") or is_domain(inner)
        return " " if looks_like_url else f" {inner} "

    rest = html.unescape(_TAG.sub(" ", _ANCHOR.sub(anchor, fragment)))
    urls += [url.rstrip(".,;)") for url in _BARE_URL.findall(rest)]
    rest = _BARE_URL.sub(" ", rest)
    return _SPACES.sub(" ", rest.replace("\xa0", " ")).strip(), urls
