"""clean.skills: dictionary traps, golden-set micro-F1, property tests."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marketlib.clean import text as text_clean
from marketlib.clean.skills import add_skills, skill_dictionary, skill_names, skills_expr
from marketlib.errors import UserError

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "domain_skill_labels.csv"


def skills_of(text: str) -> list[str]:
    return pl.DataFrame({"t": [text]}).select(skills_expr(pl.col("t")))["t"][0].to_list()


@pytest.mark.parametrize(("text", "expected"), [
    ("Languages: C, C++, C# and Java", ["C", "C#", "C++", "Java"]),
    ("Strong C/C++ skills", ["C", "C++"]),
    ("Python, R, SQL", ["Python", "R", "SQL"]),
    ("R&D team; R and D budget; R.N. or LPN; R/3 upgrade", []),
    ("Proficiency in R or Python", ["Python", "R"]),
    ("Data Engineer with R", ["R"]),
    ("Microsoft(R) Office", []),
    ("Golang or Go, plus Rust", ["Go", "Rust"]),
    ("Go-to-market strategy; go live in May; Go/No-Go decisions", []),
    ("You excel at communication. Excel in a team.", []),
    ("Advanced Excel (pivot tables)", ["Excel"]),
    ("JavaScript and TypeScript, not Java", ["Java", "JavaScript", "TypeScript"]),
    ("NoSQL stores (MongoDB)", ["MongoDB", "NoSQL"]),
    ("T-SQL, PL/SQL and MSSQL", ["SQL"]),
    ("sklearn / scikit-learn, PyTorch, TensorFlow, Hugging Face, LangChain", [
        "Hugging Face", "LangChain", "PyTorch", "TensorFlow", "scikit-learn"]),
    ("Amazon Web Services (EC2, S3), GCP, Azure", ["AWS", "Azure", "GCP"]),
    ("k8s and Docker; Airflow + dbt on Snowflake and Databricks; MLflow", [
        "Airflow", "Databricks", "Docker", "Kubernetes", "MLflow", "Snowflake", "dbt"]),
    ("Apache Spark and PySpark; Scala; SAS; Hadoop", ["Hadoop", "SAS", "Scala", "Spark"]),
    ("Follow ICH, GCP guidelines and GCP compliance", []),
    ("See https://github.com/org/repo for details", []),
    ("scalable systems; sparkling water", []),
])
def test_skill_traps(text, expected):
    assert skills_of(text) == expected


def test_dictionary_has_enough_skills_and_categories():
    assert len(skill_names()) >= 60
    assert skill_dictionary().version
    labels = {r.label for r in skill_dictionary().rows}
    assert {"Python", "R", "Go", "C", "C++", "C#", "SQL", "NoSQL", "Excel", "Spark"} <= labels


def test_add_skills_uses_title_and_description_and_handles_nulls():
    frame = pl.DataFrame({"title": ["Python Developer", None], "description": [None, "Kafka and Flink"]})
    out = add_skills(frame)
    assert out["skills"].to_list() == [["Python"], ["Flink", "Kafka"]]


def test_add_skills_missing_column_is_a_user_error():
    with pytest.raises(UserError):
        add_skills(pl.DataFrame({"title": ["x"]}))


def test_listing_page_gives_no_skills():
    listing = " ".join(f"Engineer Python {i}locations3 Locationsposted onPosted Today" for i in range(4))
    out = add_skills(pl.DataFrame({"title": ["Data Scientist"], "description": [listing]}))
    assert out["skills"].to_list() == [[]]


def test_posting_after_a_listing_page_still_counts():
    listing = " ".join(f"Engineer Java {i}locations3 Locationsposted onPosted Today" for i in range(4))
    posting = " Requirements: strong Python and SQL. " + "We build careful analyses for our customers. " * 10
    out = add_skills(pl.DataFrame({"title": ["Data Scientist"], "description": [listing + posting]}))
    assert out["skills"].to_list() == [["Python", "SQL"]]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=300), min_size=1, max_size=5))
def test_arbitrary_text_never_raises_and_yields_known_skills(texts):
    out = pl.DataFrame({"t": texts}).select(skills_expr(pl.col("t")))["t"].to_list()
    known = set(skill_names())
    assert len(out) == len(texts)
    assert all(set(row) <= known for row in out)


def read_golden(column: str) -> list[tuple[str, set[str]]]:
    lines = [line for line in GOLDEN.read_text("utf-8").splitlines() if not line.startswith("#")]
    return [(r["key"], set(filter(None, r[column].split(";")))) for r in csv.DictReader(lines)]


def golden_frame(keys: list[str]) -> pl.DataFrame:
    from tests.golden.corpus import text_of

    titles, descriptions = zip(*(text_of(k) for k in keys), strict=True)
    frame = pl.DataFrame({"title": list(titles), "description": list(descriptions)})
    return frame.with_columns(text_clean.html_to_text(pl.col("description")).alias("description"))


def micro_f1(gold: list[set[str]], predicted: list[set[str]], name: str) -> float:
    counts: Counter = Counter()
    for g, p in zip(gold, predicted, strict=True):
        for label in g | p:
            counts[(label, "tp" if label in g and label in p else "fp" if label in p else "fn")] += 1
    labels = sorted({label for label, _ in counts})
    print(f"\n{name}: label  precision  recall  (tp/fp/fn)")
    for label in labels:
        tp, fp, fn = (counts[(label, k)] for k in ("tp", "fp", "fn"))
        precision = tp / (tp + fp) if tp + fp else float("nan")
        recall = tp / (tp + fn) if tp + fn else float("nan")
        print(f"  {label:<18} {precision:6.2f} {recall:6.2f}  ({tp}/{fp}/{fn})")
    tp, fp, fn = (sum(v for (_, k), v in counts.items() if k == kind) for kind in ("tp", "fp", "fn"))
    f1 = 2 * tp / (2 * tp + fp + fn)
    print(f"  micro: precision {tp / (tp + fp):.3f} recall {tp / (tp + fn):.3f} F1 {f1:.3f}"
          f" over {len(gold)} postings")
    return f1


def test_golden_skills_micro_f1():
    rows = read_golden("skills")
    assert len(rows) >= 150
    frame = add_skills(golden_frame([k for k, _ in rows]))
    f1 = micro_f1([g for _, g in rows], [set(s) for s in frame["skills"].to_list()], "skills")
    assert f1 >= 0.93


def test_every_dictionary_row_is_a_valid_python_regex():
    """Rows are compiled only when classify first needs them: every shipped row must compile."""
    from marketlib.clean.domains import domain_dictionary
    from marketlib.clean.skills import skill_dictionary

    for dictionary in (skill_dictionary(), domain_dictionary().terms):
        assert all(dictionary._regex(i).pattern == row.pattern for i, row in enumerate(dictionary.rows))


def test_a_broken_row_is_one_sentence_when_it_is_reached():
    from marketlib.clean.skills import TermDictionary, TermRow
    from marketlib.errors import UserError

    dictionary = TermDictionary([TermRow("Python", r"\bpython\b"), TermRow("Broken", r"(unclosed")])
    assert dictionary.classify("Python") == "Python"
    with pytest.raises(UserError, match=r"Dictionary pattern '\(unclosed' is not a valid regex"):
        dictionary.classify("Java")
