"""Text cleaning as polars expressions: HTML to plain text, whitespace, URLs.

Every function takes and returns a `pl.Expr`, so callers compose them in one `with_columns`.
"""

from __future__ import annotations

import html
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
# Horizontal whitespace incl. no-break and other unicode spaces (newlines are handled separately).
# Only runs that change are matched (2+ spaces, or any other space character): replacing every single
# space by itself made this the slowest pass.
_HSPACE = (r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]{2,}"
           r"|[\t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = r"[\u200b\u200c\u200d\u2060\ufeff]"


def _decode_entities_series(s: pl.Series) -> pl.Series:
    """Decode every character reference in a column.

    Vectorized: the distinct references of the whole column (typically a few dozen) are decoded with
    `html.unescape` in Python, then all rows are rewritten by one Aho-Corasick `replace_many` pass.
    """
    if s.len() == 0:
        return s
    refs = s.str.extract_all(ENTITY).explode().drop_nulls().unique()
    if refs.len() == 0:
        return s
    keys = refs.to_list()
    # html.unescape on the unique reference strings only, never per row. Unknown names stay as they are
    # (html.unescape would read "&notanentity;" as "¬anentity;").
    values = [html.unescape(k) if k.startswith("&#") or k[1:] in html5_entities else k for k in keys]
    changed = [(k, v) for k, v in zip(keys, values, strict=True) if k != v]
    if not changed:
        return s
    ks, vs = zip(*changed, strict=True)
    has_amp = s.str.contains("&", literal=True).fill_null(False)
    decoded = s.str.replace_many(list(ks), list(vs))
    return decoded.zip_with(has_amp, s)


def decode_entities(expr: pl.Expr) -> pl.Expr:
    """Replace HTML character references (&amp; &#39; &#x2F; ...) by the characters they stand for."""
    return expr.map_batches(_decode_entities_series, return_dtype=pl.String, is_elementwise=True)


def _unescape_escaped_html(expr: pl.Expr) -> pl.Expr:
    """Turn HTML that was escaped once or twice (&lt;p&gt; or &amp;lt;p&amp;gt;) back into HTML."""
    for _ in range(2):
        expr = pl.when(expr.str.contains(_ESCAPED_TAG)).then(decode_entities(expr)).otherwise(expr)
    return expr


def _strip_tags(expr: pl.Expr) -> pl.Expr:
    stripped = (
        expr.str.replace_all(_SCRIPT, "")
        .str.replace_all(_STYLE, "")
        .str.replace_all(_COMMENT, "")
        .str.replace_all(_BLOCK_TAG, "\n")
        .str.replace_all(_LIST_ITEM, "- ")
        .str.replace_all(_CELL_TAG, " ")
        .str.replace_all(_ANY_TAG, "")
    )
    # Only rows holding a '<' can contain tags; the others skip all the regex passes.
    return pl.when(expr.str.contains("<", literal=True)).then(stripped).otherwise(expr)


def tidy_whitespace(expr: pl.Expr) -> pl.Expr:
    """Collapse spaces within lines, trim lines, keep at most one blank line between paragraphs."""
    return (
        expr.str.replace_all(r"\r\n?", "\n")
        .str.replace_all(_ZERO_WIDTH, "")
        .str.replace_all(_HSPACE, " ")
        .str.replace_all(r" \n ?|\n ", "\n")
        .str.replace_all(r"\n{3,}", "\n\n")
        .str.strip_chars()
    )


def html_to_text(expr: pl.Expr) -> pl.Expr:
    """HTML (possibly escaped) or plain text -> plain text: block tags end lines, list items get "- "."""
    unescaped = _unescape_escaped_html(expr)
    return tidy_whitespace(decode_entities(_strip_tags(unescaped)))


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
