"""clean.experience: one test per rule of DESIGN.md's YOE definition, golden labels, properties."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marketlib import schemas
from marketlib.clean.experience import add_experience

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "yoe_labels.csv"


def _yoe(*texts: str | None) -> list[tuple[float | None, float | None, str]]:
    out = add_experience(pl.DataFrame({"description": list(texts)}, schema={"description": pl.String}))
    return list(zip(out["yoe_min"], out["yoe_max"], out["yoe_bucket"], strict=True))


@pytest.mark.parametrize(("text", "expected"), [
    # required figures that must all hold combine by the largest
    ("Requirements:\n5+ years of data science experience, including 2+ years leading a team",
     (5, None, "5-7")),
    ("- 3+ years of Python\n- 7+ years of software engineering", (7, None, "5-7")),
    # alternatives combine by the smallest
    ("5+ years of experience, or 3 with a PhD.", (3, None, "2-4")),
    ("BS and 5 years of experience or MS and 3 years of experience", (3, None, "2-4")),
    ("Option 1: Bachelor's degree and 3 years' experience. Option 2: 5 years' experience in analytics.",
     (3, None, "2-4")),
    ("Bachelor's degree requires a minimum of 4 years of relevant experience\n"
     "Master's degree requires a minimum of 2 years of relevant experience", (2, None, "2-4")),
    # a required figure beats a preferred one; a preferred one counts only alone
    ("Minimum qualifications:\n- 2+ years of SQL\nPreferred qualifications:\n- 6+ years of experience in ML",
     (2, None, "2-4")),
    ("Nice to have: 4+ years of experience with Spark", (4, None, "2-4")),
    ("3+ years of experience with Kubernetes is a plus", (3, None, "2-4")),
    # experience with a skill, number words, months, ranges, modifiers
    ("3+ years of Python", (3, None, "2-4")),
    ("You have three years of experience building APIs.", (3, None, "2-4")),
    ("18 months of experience in a data role", (1.5, None, "0-1")),
    ("3-5 years of experience in analytics", (3, 5, "2-4")),
    ("two to four years related experience", (2, 4, "2-4")),
    ("At least 8 years of experience", (8, None, "8+")),
    ("A minimum of 10 yrs experience", (10, None, "8+")),
    ("6+ yrs of industry experience", (6, None, "5-7")),
    ("Less than 2 years of experience required", (0, 2, "0-1")),
    ("0-1 years of experience", (0, 1, "0-1")),
    # written forms met in unseen postings: "or more", "N (N)", "plus" spelled out, hyphenated units
    ("2 or more years experience with geoprocessing and Python scripting", (2, None, "2-4")),
    ("Two (2) or more years of prior experience as a data analyst", (2, None, "2-4")),
    ("Fifteen (15) years of experience in machine learning", (15, None, "8+")),
    ("Five plus years of experience in analytics", (5, None, "5-7")),
    ("Candidates should have a 3-year experience in data engineering.", (3, None, "2-4")),
    # degree-tied alternatives written tersely
    ("At least 5 years of experience with data analysis. 3 years with a Master's degree.", (3, None, "2-4")),
    ("Graduate degree with at least 2 years of work experience; 6+ years of relevant work experience "
     "without graduate degree", (2, None, "2-4")),
    ("Bachelor's degree and 5 years of experience in data analytics. Alternatively, a Master's degree "
     "and 3 years of experience in data analytics.", (3, None, "2-4")),
    # a range whose dash the scrape lost; initials do not end a sentence; degree-conditioned figures
    ("0 3 years of experience in business analytics.", (0, 3, "0-1")),
    ("Ph.D. degree (in Statistics or another scientific field of study) with 2+ years professional experience, "
     "a Master's degree and 4+ years of relevant experience", (2, None, "2-4")),
    ("with at least 2 years (if PhD) and 3+ years relevant work experience", (2, None, "2-4")),
    ("A PhD plus 2 years of experience in research or M.S. in Computer Science plus 4 years of experience",
     (2, None, "2-4")),
    # the levels a posting can be filled at are alternatives
    ("Senior Positions:\nMasters degree and 10+ years of relevant experience\nJunior/Intermediate Positions\n"
     "Completed B.S. and 3-9 years of relevant experience", (3, 9, "2-4")),
    ("Basic Qualifications for Principal Data Scientist:\n• Bachelor's degree with 5 years of experience\n"
     "Basic Qualifications for Sr. Principal Data Scientist:\n• Bachelor's degree with 8 years of experience",
     (5, None, "5-7")),
    # "no experience" is a stated 0, here among alternatives
    ("Bachelor's degree and at least 2 years of related experience OR, Master's degree and no experience OR, "
     "At least 4 years of related experience.", (0, None, "0-1")),
    ("• Master's degree with at least 1 year of professional experience.\n"
     "• No prior professional experience required", (0, None, "0-1")),
    # ... also as a short line ending with a period, and stated in running text without a years word
    ("• A Master's degree and 2 years of lab experience.\n• No previous experience required.", (0, None, "0-1")),
    ("Shifts are flexible and no prior experience is needed: we train every new hire on site.", (0, None, "0-1")),
    ("Students welcome. No work experience is necessary to join the summer programme.", (0, None, "0-1")),
    # ... but not a sentence that only names skills it does not ask for
    ("Bring 4+ years of Go. No experience with Rust? We will teach you.", (4, None, "2-4")),
    # the lower rungs of a degree ladder are degrees too: the rungs are alternatives
    ("A bachelor's degree and six (6) years of field work, an associate's degree plus nine (9) years of "
     "field work, or a high school diploma plus 12 years of field work.", (6, None, "5-7")),
    ("High school diploma and 7 years of repair experience, or an associate degree and 5 years of repair "
     "experience.", (5, None, "5-7")),
    # "Option 1" opens new alternatives; "Option 3 - 5 years" is option 3, five years
    ("At least 2 years of experience with SQL.\nOption 1- Bachelor's degree and 3 years' experience.\n"
     "Option 2- Master's degree and 1 years' experience.\nOption 3 - 5 years' experience.", (2, None, "2-4")),
    # an "or" ending one sentence does not join it to a degree in the next
    ("At least 3 years of work experience as a business analyst, or business development\n"
     "Bachelor's degree and 2 years' experience OR 4 years' experience.", (3, None, "2-4")),
    # years offered in place of a degree are not the experience asked for
    ("Master's Degree in a biological field, or minimum 12 years of relevant experience.", (None, None, "none")),
    ("A PhD in Machine Learning OR 4+ years of relevant industrial hands-on experience.", (None, None, "none")),
    ("Bachelor's degree required. Three years of progressive experience in lieu of every year of education. "
     "At least 2 years of Information Technology experience.", (2, None, "2-4")),
    # a preferred section stays preferred when its lines mention "requirements gathering"
    ("Key Qualifications\n1+ years experience in BI\nAdditional Preferred Qualifications\n"
     "2+ years experience in BI, requirements gathering, data modeling", (1, None, "0-1")),
    # numbers that are not candidate experience
    ("Founded 10 years ago, we build tools.", (None, None, "none")),
    ("For over 20 years we have served customers.", (None, None, "none")),
    ("Bachelor's degree from a 4-year college or university.", (None, None, "none")),
    ("Within 2 years you will lead the team.", (None, None, "none")),
    ("Benefits: 401k match, 2 weeks PTO, 15 vacation days per year.", (None, None, "none")),
    ("Applicants must be at least 18 years of age.", (None, None, "none")),
    ("This is a 12 month contract.", (None, None, "none")),
    ("Certification discounts once you have 6+ months of tenure.", (None, None, "none")),
    ("We are an organization with more than 30 years of experience in managed care.", (None, None, "none")),
    ("A: A Principal Data Scientist has more experience, typically 8+ years.", (None, None, "none")),
    ("At least 3 years of progressively higher-level graduate education leading to a Ph.D.", (None, None, "none")),
    ("A 1-year appointment beginning in June.", (None, None, "none")),
    ("Bachelor's degree in Computer Science required.", (None, None, "none")),
    ("A new drug can take over $1B and 15 years, with most failing.", (None, None, "none")),
    ("Our platform turns 20 years since launch and we still work like a start-up.", (None, None, "none")),
    ("Internships may not exceed six (6) months and must end within one (1) year.", (None, None, "none")),
    ("Expected duration: 3 months, with possibility of extension.", (None, None, "none")),
    ("Junior scientists receive three years of full support.", (None, None, "none")),
    # a stated minimum, a list of skills before the experience word, alternatives marked preferred together
    ("Minimum 3 years, 5+ years preferred, experience in solving analytical problems.", (3, None, "2-4")),
    ("Hands-on with Hive and Impala for a minimum of three (3) years.", (3, None, "2-4")),
    ("EXPERIENCE:\n5 years P&C insurance, modelling and project leader experience.", (5, None, "5-7")),
    ("Required: 2+ years of SQL. B.S with 8 years of experience or, M.S with 6 years of experience preferred.",
     (2, None, "2-4")),
    ("BS plus a minimum 0-2 years of data validation OR no degree w/6 years' experience", (0, 2, "0-1")),
    ("1. A baccalaureate degree in computer science and four years of full-time experience in IT service; "
     "2. A baccalaureate degree and eight years of full-time experience in IT service.", (4, None, "2-4")),
    ("Ph.D. preferred with 2 years relevant experience or MS/MA in a microbiology-related discipline with a "
     "minimum of 8 years relevant experience; BA/BS required with a minimum of 15 years relevant experience",
     (2, None, "2-4")),
    ("Seven to ten years health data analysis, business analysis, software application, database design, and "
     "technical documentation experience", (7, 10, "5-7")),
    # a scrape that breaks the line between a figure and its unit
    ("Qualifications:\nPh.D.\nin chemistry or a related discipline\n10\nyears of related post-graduate "
     "professional experience\nA\nstrong track record", (10, None, "8+")),
    # "YoE" is years of experience; "looking for" asks for the figure, "for 5 years" would be a time frame
    ("Full-stack engineers (staff/principal, 7+ YoE) who want to build", (7, None, "5-7")),
    ("Looking for 5+ years backend experience, Python and Django.", (5, None, "5-7")),
    ("We have been hiring for 5 years.", (None, None, "none")),
    ("Comp: 40L\nExp: 6–12+ yrs\nWe build things.", (6, 12, "5-7")),
    # years of schooling are no experience
    ("Completed at least two years of an undergraduate curriculum with a 3.0 GPA", (None, None, "none")),
    # any activity after the figure is experience; a company's 90 years are not
    ("3+ years synthesizing insights for marketing teams", (3, None, "2-4")),
    ("With 90 years and over one million members later, we are still rooted in our values.", (None, None, "none")),
    # years that stand in for a degree
    ("0-2 years of experience in data science. In the absence of a degree, a minimum of 4 years of related "
     "experience is required.", (0, 2, "0-1")),
    ("A two-year contract with 2 years remaining on the grant", (None, None, "none")),
    ("Building on more than 30 years of investing experience, Acme seeks returns. At least 3 years of trading.",
     (3, None, "2-4")),
    # a form's field with the figure after its unit, on the next line, required in a preferred section
    ("Preferred Education:\n- None\n\nMinimum Years of Work Experience:\n• 3\n\n4+ years of BI experience",
     (3, None, "2-4")),
    ("Years of experience: 2-4", (2, 4, "2-4")),
    # levels named in the requirement itself are alternatives; what follows them holds for all
    ("• Senior Manager: 4-5 years of industry experience\n• Associate Director: 6+ years of industry experience\n"
     "• 3+ years of SAS", (4, 5, "2-4")),
    # "ideally" after a comma qualifies what follows, not the figure
    ("Hiring with 0 - 3 years of experience.\n2-4 years of experience in analytics, ideally in healthcare",
     (2, 4, "2-4")),
    ("Ideally 5+ years of experience. 2+ years of SQL", (2, None, "2-4")),
    # time frames: a work period, years counted from a degree
    ("Number of Months Employed Per Year: 12 Month Work Period", (None, None, "none")),
    ("We will also consider candidates with 1-2 years since degree completion.", (None, None, "none")),
    ("", (None, None, "none")),
    (None, (None, None, "none")),
])
def test_definition_rules(text, expected):
    assert _yoe(text) == [expected]


def test_phrase_is_kept():
    out = add_experience(pl.DataFrame({"description": ["We need at least 4 years of Go."]}))
    assert out["yoe_phrase"][0] == "at least 4 years"


def test_other_columns_and_order_preserved():
    frame = pl.DataFrame({"id": [3, 1, 2], "description": ["no figure", "2+ years of Go", "9+ years of Go"]})
    out = add_experience(frame)
    assert out["id"].to_list() == [3, 1, 2]
    assert out["yoe_min"].to_list() == [None, 2.0, 9.0]


def _exact(a: pl.Series, b: pl.Series) -> float:
    return a.eq_missing(b).mean()


def test_golden_postings():
    from marketlib.clean.text import html_to_text
    from tests.golden.corpus import text_of

    labels = pl.read_csv(GOLDEN, schema_overrides={"yoe_min": pl.Float64, "yoe_max": pl.Float64})
    assert labels.height >= 150
    texts = pl.Series("description", [text_of(k)[1] for k in labels["corpus_key"]])
    frame = labels.rename({"yoe_min": "label_min", "yoe_max": "label_max", "yoe_bucket": "label_bucket"})
    frame = frame.with_columns(texts).with_columns(html_to_text(pl.col("description")).alias("description"))
    out = add_experience(frame)
    bucket_ok = (out["label_bucket"] == out["yoe_bucket"]).mean()
    min_ok = _exact(out["label_min"], out["yoe_min"])
    max_ok = _exact(out["label_max"], out["yoe_max"])
    confusion = out.group_by("label_bucket", "yoe_bucket").len().sort("label_bucket", "yoe_bucket")
    misses = out.filter(~pl.col("label_min").eq_missing(pl.col("yoe_min"))).select(
        "corpus_key", "label_min", "yoe_min", "yoe_phrase")
    print(f"yoe_bucket accuracy {bucket_ok:.3f}, yoe_min exact {min_ok:.3f}, yoe_max exact {max_ok:.3f}\n"
          f"{confusion}\n{misses}")
    assert bucket_ok >= 0.95
    assert min_ok >= 0.93


_WORDS = st.sampled_from(["5+", "3-5", "years", "year", "yrs", "months", "of", "experience", "or", "PhD",
                          "preferred", "at least", "ago", "\n", "•", ";", ".", "Preferred:", "0", "99", "1.5",
                          "two", "with", "-", "+"])


@settings(max_examples=120, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(_WORDS, max_size=40).map(" ".join)))
def test_never_raises_and_stays_in_range(text):
    (low, high, bucket), = _yoe(text)
    assert bucket in schemas.YOE_BUCKETS
    assert low is None or 0 <= low <= 50
    assert high is None or 0 <= high <= 50
    assert (bucket == "none") == (low is None)
