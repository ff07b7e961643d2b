"""Exported pages are rebuilt from an allow-list (nh3), so nothing active or remote survives even without the CSP.

The body of an nbconvert page goes through nh3 with a fixed set of tags and attributes: no script, iframe,
object, form or event handler; links only http(s), in-page or plain relative; images only `data:` images. The
page's own `<style>` blocks move into a new head with every remote load (`url(...)`, `@import`, `image-set`)
neutralized. Charts (vl-convert SVG embedded as data: images) are inlined as SVG after their own clean-up.
The head is written here: charset, the Content-Security-Policy, the title and those styles.
"""

from __future__ import annotations

import base64
import html
import re
import uuid

import nh3

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
       "base-uri 'none'; form-action 'none'")
LINK_REL = "noopener noreferrer nofollow"

_TAGS = {
    "a", "abbr", "article", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "i", "img", "ins", "kbd", "li", "main", "mark", "ol", "p", "pre", "q", "s", "samp",
    "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "u", "ul", "var", "wbr",
}
# Dropped with their content (the rest of a disallowed tag's text stays, as text).
_DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math",
                      "form", "select", "textarea", "button", "video", "audio", "canvas", "title"}
_ATTRS = {
    "*": {"class", "id", "title", "lang", "dir", "style", "role", "aria-label", "aria-hidden", "align"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
    "col": {"span"}, "colgroup": {"span"}, "ol": {"start"}, "details": {"open"}, "time": {"datetime"},
}
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,", re.IGNORECASE)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.DOTALL)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_IMPORT = re.compile(r"@import\b[^;]*;?", re.IGNORECASE)
_CSS_REMOTE_URL = re.compile(r"url\(\s*(?!['\"]?\s*(?:data:|#))[^)]*\)", re.IGNORECASE)
# Anything that can still make a request after the rewrites above: the whole block or attribute goes.
_CSS_STILL_ACTIVE = re.compile(r"@import|url\(\s*(?!['\"]?\s*(?:data:|#))|image-set\(|image\(|expression\(|"
                               r"behavior\s*:|-moz-binding|javascript:", re.IGNORECASE)


def _squeeze(url: str) -> str:
    # Browsers ignore ASCII whitespace and control characters inside a URL's scheme ("java\tscript:").
    return "".join(ch for ch in url if ord(ch) > 0x20).lower()


def _is_web_url(url: str) -> bool:
    return _squeeze(url).startswith(("http://", "https://"))


def _safe_href(url: str) -> bool:
    """http(s) links, in-page anchors and plain relative paths."""
    squeezed = _squeeze(url)
    if squeezed.startswith(("http://", "https://", "#")):
        return True
    if "\\" in url or squeezed.startswith("//"):
        return False
    head = squeezed.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return ":" not in head


def _decoded_css(css: str) -> str:
    """CSS with comments removed and escapes resolved, as a browser reads it (`u\\72l(` is `url(`)."""
    def unescape(match: re.Match) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
        return match.group(2)

    return _CSS_ESCAPE.sub(unescape, _CSS_COMMENT.sub("", css))


def safe_css(css: str) -> str:
    """The stylesheet without remote loads; empty when a remote load is hidden in a way not rewritten."""
    css = _CSS_REMOTE_URL.sub("none", _CSS_IMPORT.sub("", css))
    if _CSS_STILL_ACTIVE.search(_decoded_css(css)) or "</" in css:
        return ""
    return css


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "href":
        return value if _safe_href(value) else None
    if attr == "src":  # images: inline data only, so an exported page never loads anything
        return value if tag == "img" and _DATA_IMAGE.match(value.strip()) else None
    if attr == "style":
        return value if value == safe_css(value) else None
    return value


def clean_fragment(markup: str) -> str:
    """An HTML fragment through the allow-list."""
    return nh3.clean(markup, tags=_TAGS, clean_content_tags=_DROP_WITH_CONTENT, attributes=_ATTRS,
                     attribute_filter=_attribute_filter, link_rel=None, url_schemes={"http", "https", "data"},
                     strip_comments=True, generic_attribute_prefixes={"data-"})


def _mark_links(soup) -> None:
    for anchor in soup.find_all("a", href=True):
        if _is_web_url(anchor["href"]):
            anchor["rel"] = LINK_REL
            anchor["target"] = "_blank"


def _clean_svg(markup: str) -> str:
    """An SVG made by vl-convert, with anything active or remote removed (it holds escaped data)."""
    from bs4 import BeautifulSoup

    svg = BeautifulSoup(markup, "xml")
    for tag in svg.find_all(["script", "foreignObject", "iframe", "a", "image", "use", "style", "feImage"]):
        tag.decompose()
    for tag in svg.find_all(True):
        for attr in [a for a in tag.attrs if a.lower().startswith("on") or "href" in a.lower()
                     or (a.lower() == "style" and safe_css(str(tag[a])) != str(tag[a]))
                     or _CSS_STILL_ACTIVE.search(_decoded_css(str(tag[a])))]:
            del tag[attr]
    root = svg.find("svg")
    if root is None:
        return ""
    root["role"] = "img"
    root["class"] = "marketlib-chart"
    return str(root)


def _inline_svg_images(soup) -> dict[str, str]:
    """Replace `<img src="data:image/svg+xml;base64,...">` by a marker for the inline SVG (selectable text)."""
    found = {}
    for img in soup.find_all("img"):
        src = img.get("src", "")
        if not src.startswith("data:image/svg+xml;base64,"):
            continue
        svg = _clean_svg(base64.b64decode(src.split(",", 1)[1]).decode("utf-8", "replace"))
        marker = f"marketlib-svg-{uuid.uuid4().hex}"
        found[marker] = svg
        img.replace_with(marker)
    return found


def _root_attrs(tag) -> str:
    """Class, language and data-* attributes of <html>/<body> (the theme CSS keys on them)."""
    if tag is None:
        return ""
    kept = {k: " ".join(v) if isinstance(v, list) else str(v) for k, v in tag.attrs.items()
            if k in {"class", "lang", "dir"} or k.startswith("data-")}
    return "".join(f' {k}="{html.escape(v)}"' for k, v in kept.items() if re.fullmatch(r"[\w:.-]+", k))


def sanitize_html(page: str, title: str | None = None) -> str:
    """A safe, self-contained page: allow-listed body, the page's own styles, the CSP. Text stays escaped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "lxml")
    svgs = _inline_svg_images(soup)
    styles = [safe_css(tag.get_text()) for tag in soup.find_all("style")]
    if title is None and soup.title is not None:
        title = soup.title.get_text()
    body = soup.body.decode_contents() if soup.body is not None else str(soup)
    cleaned = BeautifulSoup(clean_fragment(body), "lxml")
    _mark_links(cleaned)
    body_html = cleaned.body.decode_contents() if cleaned.body is not None else ""
    for marker, svg in svgs.items():
        body_html = body_html.replace(marker, svg)
    style_html = "".join(f"<style>{css}</style>\n" for css in styles if css)
    return (f"<!DOCTYPE html>\n<html{_root_attrs(soup.html)}><head>\n"
            f'<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{html.escape(CSP, quote=False)}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title or '')}</title>\n{style_html}</head>\n"
            f"<body{_root_attrs(soup.body)}>{body_html}</body></html>\n")
