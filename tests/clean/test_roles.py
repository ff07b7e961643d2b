"""clean.roles: rule table, role family and seniority, golden titles."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from marketlib import schemas
from marketlib.clean.roles import add_roles, load_rules, role_family_expr, seniority_expr

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "role_labels.csv"


def _roles(*titles: str | None) -> list[tuple[str, str]]:
    out = add_roles(pl.DataFrame({"title": list(titles)}, schema={"title": pl.String}))
    return list(zip(out["role_family"], out["seniority"], strict=True))


@pytest.mark.parametrize(("title", "family", "seniority"), [
    ("Senior Machine Learning Engineer, Generative AI", "ml_engineer", "senior"),
    ("MLOps Engineer", "ml_engineer", "mid"),
    ("Data Scientist II", "data_scientist", "mid"),
    ("Junior Data Scientist", "data_scientist", "junior"),
    ("Applied Scientist II, Data Science", "research_scientist", "mid"),
    ("Research Scientist, Immunology - Cancer Biology", "other", "mid"),
    ("Research Engineer / Research Scientist, Pre-training", "ml_engineer", "mid"),
    ("Lead Data Engineer", "data_engineer", "senior"),
    ("Machine Learning Manager", "ml_engineer", "manager"),
    ("Triton Compiler Engineer", "software_engineer", "mid"),
    ("Product Engineering", "software_engineer", "mid"),
    ("Artificial Intelligence and Data Functional Engagement Manager", "other", "manager"),
    ("Senior Analytics Engineer", "data_engineer", "senior"),
    ("Business Intelligence Analyst", "data_analyst", "mid"),
    ("Data Science Analyst", "data_analyst", "mid"),
    ("Full Stack Software Engineer", "software_engineer", "mid"),
    ("Software Engineer I", "software_engineer", "junior"),
    ("Technical Marketing Engineer - Edge AI", "other", "mid"),
    ("Data Science Intern", "data_scientist", "intern"),
    ("Senior Manager, Data Science", "data_scientist", "manager"),
    ("Senior Product Manager, AI", "other", "senior"),
    ("Internal Auditor", "other", "mid"),
    ("Principal Applied Scientist", "research_scientist", "senior"),
    ("Head of Machine Learning", "other", "manager"),
])
def test_examples(title, family, seniority):
    assert _roles(title) == [(family, seniority)]


def test_a_blank_title_has_no_family_and_the_default_seniority():
    assert _roles(None, "", "  ", "Pastry Chef") == [(None, "mid"), (None, "mid"), (None, "mid"), ("other", "mid")]


def test_rule_table_values_are_allowed():
    rules = load_rules()
    assert {r.value for r in rules if r.target == "role_family"} <= set(schemas.ROLE_FAMILIES)
    assert {r.value for r in rules if r.target == "seniority"} <= set(schemas.SENIORITIES)


def test_expressions_work_on_other_tables():
    salaries = pl.DataFrame({"job_title": ["ML Engineer", "Director of Data Science"]})
    title = pl.col("job_title")
    out = salaries.select(role_family_expr(title), seniority_expr(title).alias("s"))
    assert out.rows() == [("ml_engineer", "mid"), ("data_scientist", "manager")]


def test_golden_titles():
    from tests.golden.corpus import text_of

    labels = pl.read_csv(GOLDEN)
    assert labels.height >= 150
    titles = [text_of(k)[0] for k in labels["corpus_key"]]
    out = add_roles(labels.with_columns(pl.Series("title", titles)).rename(
        {"role_family": "label_family", "seniority": "label_seniority"}))
    family_ok = (out["label_family"] == out["role_family"]).mean()
    seniority_ok = (out["label_seniority"] == out["seniority"]).mean()
    confusion = (out.group_by("label_family", "role_family").len()
                 .sort("label_family", "len", descending=[False, True]))
    print(f"role_family accuracy {family_ok:.3f}, seniority accuracy {seniority_ok:.3f}\n{confusion}")
    assert family_ok >= 0.95
    assert seniority_ok >= 0.93


_ML_TEXT = ("You will train deep learning models and deploy machine learning systems for our products. " * 6)
_LAB_TEXT = ("You will develop skin-care formulations, run stability tests and scale up new products. " * 6)


@pytest.mark.parametrize(("title", "description", "family"), [
    # a generic scientist title: the description breaks the tie
    ("Research Scientist", _ML_TEXT, "research_scientist"),
    ("Research Scientist", _LAB_TEXT, "other"),
    ("Applied Scientist", _ML_TEXT, "research_scientist"),
    ("Computer Scientist", _ML_TEXT, "research_scientist"),
    ("Computer Scientist", _LAB_TEXT, "software_engineer"),
    # no usable description (missing or a short placeholder): the title's own reading stands
    ("Research Scientist", None, "research_scientist"),
    ("Applied Scientist", "Apply on our site.", "research_scientist"),
    # ML words in the title win over a life-science word
    ("AI Applied Scientist, Clinical Trials Protocol Digitization", _LAB_TEXT, "research_scientist"),
    ("Research Engineer Bio Chemist", _ML_TEXT, "other"),
    ("Data Science Instructor", _ML_TEXT, "other"),
    ("Data Science Project Manager", _ML_TEXT, "other"),
    ("Predictive Modeler", None, "data_scientist"),
    # a language name before an unqualified engineer ("C++", "C#" end in no word boundary)
    ("C++ Engineer", None, "software_engineer"),
    ("Senior C# Engineer", None, "software_engineer"),
    ("Data Modeler", None, "data_engineer"),
    # a data modeler building predictive models is a data scientist; without a text the title's reading stands
    ("Data Modeler", "You will build predictive models and risk-scoring tools for analysts. " * 8, "data_scientist"),
    ("Data Modeler", "You will design logical and physical schemas for the data warehouse. " * 8, "data_engineer"),
    ("Data Scientist - Bioinformatics", _ML_TEXT, "other"),
    ("Machine Learning Scientist, Bioinformatics", None, "research_scientist"),
    ("R&D Data Analysis Scientist", None, "data_scientist"),
    ("Enterprise Architect, Data", None, "data_engineer"),
    ("Senior Engineer, Data Management Engineering", None, "data_engineer"),
    ("Pricing Strategy and Insights Sr Analyst (Remote)", None, "data_analyst"),
    ("Quantitative Model Validation Officer", None, "data_analyst"),
    # a generic analyst title: the description decides; business and financial analysts stay other
    ("Assessments Analyst", "You will apply statistical analysis methods to large data sets. " * 8, "data_analyst"),
    ("Assessments Analyst", "You will coordinate assessment schedules with the program office. " * 8, "other"),
    ("Assessments Analyst", None, "other"),
    ("Business Analyst", "You will apply statistical analysis methods to large data sets. " * 8, "other"),
    ("Quantitative Research Analyst Intern", None, "data_analyst"),
    # a "Data Science Engineer" building pipelines is a data engineer; otherwise a data scientist
    ("Data Science Engineer", "You will build data pipelines and the data warehouse. " * 10, "data_engineer"),
    ("Data Science Engineer", _ML_TEXT, "data_scientist"),
    # slash lists: the first-named role; an analyst only when analyst is the head noun
    ("Entry Level Data Scientist/Analyst", None, "data_scientist"),
    ("Data Science Analyst", None, "data_analyst"),
    ("Associate Machine Learning Engineer / Data Scientist", None, "ml_engineer"),
    # software product engineers; an engineering title naming an AI team
    ("Product Engineer - Data Science", None, "software_engineer"),
    ("Engineering II - AI Science", None, "ml_engineer"),
    ("Data Operations Lead", None, "data_engineer"),
    # an unqualified engineer builds software; a qualified one is what the qualifier says
    ("Founding Engineer", None, "software_engineer"),
    ("Junior/Senior Engineer", None, "software_engineer"),
    ("Senior Mechanical Engineer", None, "other"),
    ("Senior Product Engineer AI", None, "ml_engineer"),
    ("Senior + Staff Engineers (Elixir, React, ML/AI)", None, "ml_engineer"),
])
def test_description_breaks_ties_of_generic_titles(title, description, family):
    frame = pl.DataFrame({"title": [title], "description": [description]}, schema={"title": pl.String,
                                                                                     "description": pl.String})
    assert add_roles(frame, "title", "description")["role_family"].to_list() == [family]


@pytest.mark.parametrize(("title", "seniority"), [
    ("Quantitative Analyst, Equities Algorithmic Trading, Vice President", "senior"),
    ("Vice President, Data Science", "manager"),
    ("GPU and HPC Infrastructure Engineer - New College Grad", "junior"),
    ("Marketing Data Analyst, May 2020 Undergrad", "junior"),
    ("Scientist I/II, Biology", "mid"),
    ("Pricipal Scientist Molecular and cellular biologist", "senior"),
    ("Managing Data Scientist/ML Engineer", "senior"),
    ("Managing Director, Data Science", "manager"),
    ("College Hire - Data Scientist", "junior"),
])
def test_seniority_of_bank_titles_and_college_hires(title, seniority):
    assert _roles(title)[0][1] == seniority


@pytest.mark.parametrize(("title", "description", "family"), [
    # developer head nouns: devs, coders, hackers, members of technical staff
    ("Elixir Devs", None, "software_engineer"),
    ("Python/Go Dev", None, "software_engineer"),
    ("generalist coders", None, "software_engineer"),
    ("hackers", None, "software_engineer"),
    ("Member of Technical Staff, Machine Learning & Optimization", None, "ml_engineer"),
    # an engineer of no named discipline: the description decides (software work -> software_engineer)
    ("Chaos Engineer", "Inject faults into our Kubernetes fleet and write the tooling that heals it. " * 8,
     "software_engineer"),
    ("Chaos Engineer", None, "other"),
    ("Process Engineer", "Write Python scripts to monitor the fab's etch process. " * 8, "other"),
    ("Senior Member of Technical Staff", None, "software_engineer"),
    ("Business Dev Lead", None, "other"),
    ("Growth Hacker", None, "other"),
    ("Ethical Hacker", None, "other"),
    # an engineer or architect of a kind of software or of a language
    ("Lead UI Engineer", None, "software_engineer"),
    ("Web Platform & Tools Engineers", None, "software_engineer"),
    ("Clojure Engineer", None, "software_engineer"),
    ("Server-Side Game Engineer", None, "software_engineer"),
    ("Mobile Client Architect", None, "software_engineer"),
    ("Senior Distributed Systems Engineer", None, "software_engineer"),
    ("Search Relevance Engineers", None, "software_engineer"),
    ("Blockchain Architect", None, "software_engineer"),
    ("SEO Search Engineer", None, "other"),
    # big-data platform engineers and admins are data engineers
    ("Hadoop Engineer/Admin", None, "data_engineer"),
    ("Senior Spark Developer", None, "data_engineer"),
    ("Mobile Network Engineer", None, "other"),
    ("Web QA Engineer", None, "other"),
    ("API Solutions Engineer", None, "other"),
    # engineering leads, technical co-founders, engineering departments
    ("Director of Engineering", None, "software_engineer"),
    ("Senior Engineering Manager, Chess (NY)", None, "software_engineer"),
    ("Engineering Director", None, "software_engineer"),
    ("Engineering Manager - Mechanical Systems", None, "other"),
    ("Machine Learning Fellow", None, "ml_engineer"),
    ("ASIC Design Engineer, Cloud-Scale Machine Learning Acceleration team", None, "other"),
    ("Mechanical Engineer, Machine Learning Hardware", None, "other"),
    ("GNC GPS Research Engineer", None, "other"),
    ("Product and Integrations SWEs", None, "software_engineer"),
    ("Head of Software Engineering", None, "software_engineer"),
    ("Technical Co-Founder", None, "software_engineer"),
    ("Technical Cofounder (ML platform)", None, "ml_engineer"),
    ("Engineering", None, "software_engineer"),
    ("12 Engineering Roles", None, "software_engineer"),
    ("Civil Engineering", None, "other"),
    # a bare Systems Engineer: the description decides
    ("Systems Engineer", "You will write Rust and C++ for our storage runtime and its compilers. " * 8,
     "software_engineer"),
    ("Senior Systems Engineer", "Own requirements traceability and integration of the airframe subsystems. " * 8,
     "other"),
    ("Systems Engineer", None, "other"),
])
def test_software_engineer_titles_beyond_the_word_software(title, description, family):
    frame = pl.DataFrame({"title": [title], "description": [description]}, schema={"title": pl.String,
                                                                                     "description": pl.String})
    assert add_roles(frame, "title", "description")["role_family"].to_list() == [family]


@pytest.mark.parametrize("title, family", [
    # the ML field written after the title names an ML scientist, whatever the application field
    ("Principal Scientist, AI/ML (Materials)", "research_scientist"),
    ("Scientist - Machine Learning", "research_scientist"),
    ("Data Scientist, Machine Learning", "data_scientist"),
    ("Scientist, Protein Engineering", "other"),
    # engineers of a data platform build data platforms
    ("Senior Databricks Engineer", "data_engineer"),
])
def test_ml_scientists_named_after_the_title_and_data_platform_engineers(title, family):
    assert add_roles(pl.DataFrame({"title": [title]}))["role_family"].to_list() == [family]
