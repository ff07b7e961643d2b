"""clean.remote: remote work stated in the title or text, its scope, and the traps around the word."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marketlib.clean import remote


def _remote(description: str, title: str = "Data Scientist", location: str = "Boston, MA",
            location_remote: bool = False, country: str | None = "US") -> tuple[bool, str | None]:
    """add_remote after the location columns add_locations gives for `location`."""
    from marketlib.clean.locations import add_locations

    frame = pl.DataFrame({"title": [title], "description": [description], "location_raw": [location]})
    frame = add_locations(frame, "location_raw", remote_hint_col=None).with_columns(
        (pl.col("is_remote") | location_remote).alias("is_remote"), pl.lit(country).alias("country"))
    out = remote.add_remote(frame)
    return out["is_remote"][0], out["remote_scope"][0]


@pytest.mark.parametrize(("text", "expected"), [
    ("This is a contract, remote position that is part of the BI team.", (True, None)),
    ("This is a remote position; however, the candidate must reside near Boston.", (True, None)),
    ("This role can be performed remotely from locations within the United States.", (True, "US")),
    ("Location: Remote (United States)\nJob Description:", (True, "US")),
    # a header run into one line by the scrape, and telework as the way of working
    ("Pay Range: $84,000 – $96,000 Location: Remote Acme has served people for 50 years", (True, None)),
    ("This role is primarily telework-based with occasional meetings at client locations", (True, None)),
    ("Telecommuting permitted 3 days per week within the Seattle metro area", (False, None)),
    ("Remote applicants within the U.S. are welcome.", (True, None)),
    ("No remote applicants, please.", (False, None)),
    ("LOCATION: Full Remote.", (True, None)),
    ("100% Remote\nThe BI organization is leading initiatives.", (True, None)),
    ("The job is a remote job and is open to candidates in USA. We are remote-first.", (True, "US")),
    ("This position can be located anywhere. It is a fully remote role open in Canada or Europe.",
     (True, "CA;Europe")),
    ("We are also open to remote applicants.", (True, None)),
    ("Apply by April.  #LI-LL1  #LI-remote  #intern", (True, None)),
    ("Commitment: Full-time. Location: Milan, London or remote. Before you apply", (True, None)),
    ("Location\nMilan (Italy), London (UK) or remote.\nBefore you apply", (True, None)),
    ("Remote company with team members in San Francisco and New York.", (True, None)),
    ("Ideally based in our New York office, but we will consider remote work for the right candidate.",
     (True, None)),
    # a role line tagged as possibly remote
    ("Openings:\n• Platform Developer (Possible REMOTE) - https://example.org/a\n• Office Manager", (True, None)),
    ("- Site Reliability Engineer (remote OK)", (True, None)),
    # remote offered as the choice beside hybrid or office work
    ("Location: Pittsburgh, PA (Hybrid or Remote)\nClassification: Non-Exempt", (True, None)),
    ("KBR is seeking a Data Scientist in Dayton, OH. This position can be onsite or remote.", (True, None)),
    ("Flexible work: work from our office in Oakland or remotely with time zone overlap.", (True, None)),
    # where a remote employee may live, stated outside the offering sentence
    ("This role has been categorized as a Remote position. U.S. employees may live in any of the 50 United "
     "States, with limited exceptions.", (True, "US")),
    # Not remote: hybrid, perks, technical uses of the word, negations, partial schedules.
    ("Location: SF Bay Area (Hybrid). Remote flexibility in the short term.", (False, None)),
    ("The office operates on a hybrid-remote schedule (M/F remote work).", (False, None)),
    ("Develop algorithms for remote sensing data production.", (False, None)),
    ("Benefits: remote work reimbursement, paid time off.", (False, None)),
    ("We cannot support international remote work.", (False, None)),
    ("Partial remote work schedule for remote work eligible positions.", (False, None)),
    ("Engaging with clients through remote and in-person interactions.", (False, None)),
    ("Ability to Work Remotely: Onsite Full-time: performed onsite.", (False, None)),
    ("Three days per week in office. As a perk, we have up to four weeks per year of fully remote work!",
     (False, None)),
    ("This position may be eligible for remote work up to 2 days per week under the pilot program.",
     (False, None)),
    ("No remote sentence at all.", (False, None)),
    ("Collaboration, whether that happens in person or remotely.", (False, None)),
    ("We aren't considering remote applications for this role at this time.", (False, None)),
    ("Housing support for interns not working 100% remote.", (False, None)),
    ("If this position is listed as remote or hybrid, you'll periodically work from a client site.",
     (False, None)),
    ("Some remote work is possible after onboarding.", (False, None)),
])
def test_text_cues(text, expected):
    assert _remote(text) == expected


def test_title_says_remote_unless_negated():
    assert _remote("", title="[Remote] AI Engineer New Grad")[0] is True
    assert _remote("", title="AI Engineer - MADISON WISCONSIN, NO REMOTE")[0] is False


def test_location_remote_is_kept_and_gives_its_country_as_scope():
    assert _remote("", location="Remote, OR", location_remote=True) == (True, "US")
    # A location field that is only a country scopes a remote posting to it (README of tests/golden).
    assert _remote("This is a remote position.", location="United States") == (True, "US")
    assert _remote("We work in our office.", location="United States") == (False, None)
    # A source flag alone (the location field does not say remote) keeps is_remote but names no scope.
    assert _remote("", location="Seattle, WA", location_remote=True) == (True, None)
    assert _remote("", location="US - (Any location)", location_remote=True) == (True, "US")
    # A scope named in the text wins over the location's country.
    assert _remote("This is a remote role open to candidates in Canada.", location="Remote, OR",
                   location_remote=True) == (True, "CA")


def test_null_texts_and_order_are_kept():
    frame = pl.DataFrame({"title": [None, "Remote Analyst", "x"], "description": ["This is a remote job.", None, None],
                          "location_raw": [None, None, "Remote"], "is_remote": [False, False, True],
                          "city": [None] * 3, "region": [None] * 3, "country": [None, None, None]})
    out = remote.add_remote(frame)
    assert out["is_remote"].to_list() == [True, True, True]
    assert out["remote_scope"].to_list() == [None, None, None]


def test_cue_table_loads_every_kind():
    kinds = remote.cues()
    assert all(kinds[k] for k in ("offer", "cancel", "choice", "scope", "residence"))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=200) | st.sampled_from(
    ["remote", "Remote (US)", "hybrid", "This is a remote position.", "remote sensing", "\n", "; U.S."]),
    min_size=1, max_size=6))
def test_arbitrary_text_never_raises(parts):
    text = " ".join(parts)
    is_remote, scope = _remote(text, title=text[:40])
    assert isinstance(is_remote, bool)
    assert scope is None or all(s for s in scope.split(";"))


def test_a_scraped_list_of_other_openings_says_nothing_of_this_jobs_remote_work():
    from marketlib.clean.pipeline import clean_postings

    listing = "".join(f"Engineer {i} (Hybrid or Remote)locations3 Locationsposted onPosted Today " for i in range(4))
    own = "Location: Pittsburgh, PA (Hybrid or Remote). " + "We build careful analyses for our customers. " * 10
    raw = pl.DataFrame({"source": ["x", "x"], "source_posting_id": ["1", "2"], "title": ["Data Scientist"] * 2,
                        "description": [listing, listing + own], "location_raw": ["Boston, MA"] * 2})
    assert clean_postings(raw)["is_remote"].to_list() == [False, True]
