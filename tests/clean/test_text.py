"""clean.text: HTML to text, whitespace, URLs."""

from __future__ import annotations

import json

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from marketlib.clean.text import decode_entities, html_to_text, normalize_space, safe_url
from tests.conftest import FIXTURES, need


def _html(*values: str | None) -> list[str | None]:
    frame = pl.DataFrame({"v": list(values)}, schema={"v": pl.String})
    return frame.select(html_to_text(pl.col("v")))["v"].to_list()


def test_block_tags_become_lines_and_list_items_dashes():
    out = _html("<p>Intro</p><ul><li>one</li><li>two</li></ul><div>end</div>line<br>break")
    assert out == ["Intro\n\n- one\n- two\n\nend\nline\nbreak"]


def test_script_and_style_contents_dropped_other_tags_removed():
    html = "<style>p{color:red}</style><script>var a = '<b>';</script><span class='x'>Hi</span> there"
    assert _html(html) == ["Hi there"]


def test_named_numeric_and_hex_entities():
    assert _html("https:&#x2F;&#x2F;x.io &#x27;q&#x27; &#39;a&#39; &amp; &eacute; &nbsp;&lt;3") == [
        "https://x.io 'q' 'a' & é <3"]


def test_escaped_and_double_escaped_html():
    once = "&lt;p&gt;AT&amp;amp;T&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Python&lt;/li&gt;&lt;/ul&gt;"
    twice = "&amp;lt;p&amp;gt;Hi &amp;amp;amp; co&amp;lt;/p&amp;gt;"
    assert _html(once, twice) == ["AT&T\n\n- Python", "Hi & co"]


def test_plain_text_passes_through_and_null_stays_null():
    text = "5+ years of Python; R&D <3 and a < b\n\nSecond paragraph"
    assert _html(text, None) == [text, None]


def test_greenhouse_fixture_content_has_no_markup_left():
    path = need(FIXTURES / "greenhouse" / "vercel_jobs_content_true.trimmed.json")
    contents = [j["content"] for j in json.loads(path.read_text("utf-8"))["jobs"]]
    out = _html(*contents)
    assert all(o and "<" not in o and "&lt;" not in o and "&amp;" not in o and "&#" not in o for o in out)
    assert "About Vercel:" in out[0]


def test_decode_entities_leaves_non_entities():
    s = pl.Series(["R&D; AT&T; &notanentity; &#x2F;"])
    assert pl.select(decode_entities(pl.lit(s)))[0, 0] == "R&D; AT&T; &notanentity; /"


def test_normalize_space():
    s = pl.Series([" Senior\tData\n Scientist\u00a0 ", None])
    assert pl.select(normalize_space(pl.lit(s))).to_series().to_list() == ["Senior Data Scientist", None]


def test_safe_url_keeps_only_http_urls():
    s = pl.Series([" https://jobs.example.com/1?a=b ", "http://x.io", "javascript:alert(1)", "mailto:a@b.c",
                   "ftp://x.io", "https://", "https://a b.com", None])
    assert pl.select(safe_url(pl.lit(s))).to_series().to_list() == [
        "https://jobs.example.com/1?a=b", "http://x.io", None, None, None, None, None, None]


_PLAIN = st.text(st.characters(blacklist_characters="<&", blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=150, deadline=None)
@given(_PLAIN)
def test_html_to_text_is_idempotent_on_plain_text(text):
    once = _html(text)[0]
    assert _html(once)[0] == once


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_html_to_text_never_raises(text):
    assert isinstance(_html(text)[0], str)
