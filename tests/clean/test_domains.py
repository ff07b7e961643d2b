"""clean.domains: trap phrases, versioned dictionary, golden-set micro-F1, property tests."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marketlib.clean.domains import add_domains, dictionary_version, domain_terms_expr, domains_expr
from marketlib.errors import UserError
from marketlib.schemas import DOMAINS
from tests.clean.test_skills import golden_frame, micro_f1, read_golden


def domains_of(text: str) -> list[str]:
    return pl.DataFrame({"t": [text]}).select(domains_expr(pl.col("t")))["t"][0].to_list()


@pytest.mark.parametrize(("text", "expected"), [
    ("Please send your CV and cover letter. CV/resume required.", []),
    ("Our vision is to be the leading AI company; we are an AI-first platform.", []),
    ("Support your job search; executive search firms; research and development.", []),
    ("We defend free speech. Speech-language pathologist wanted.", []),
    ("Storage, leverage, fragment, drag; RAG status reporting.", []),
    ("The market is forecast to grow 20% a year.", []),
    ("Substance abuse counselling", []),
    ("Build computer vision models for object detection", ["cv"]),
    ("Experience in CV/NLP research", ["cv", "nlp"]),
    ("Fine-tune LLMs and build RAG pipelines with LangChain", ["llm"]),
    ("Generative AI products", ["llm"]),
    ("Design recommender systems and collaborative filtering", ["recsys"]),
    ("Fraud detection and anti-money laundering models", ["fraud"]),
    ("Improve search ranking and information retrieval", ["search"]),
    ("Time-series forecasting of demand", ["forecasting"]),
    ("Automatic speech recognition (ASR) and text-to-speech", ["speech"]),
    ("Vision-language models (VLMs)", ["cv", "llm"]),
    # Requirements worded indirectly name the domain.
    ("Expertise in Time Series Analysis", ["forecasting"]),
    ("Experience working with time series or unstructured data", ["forecasting"]),
    ("Experience with time-series data analysis", []),
    ("Build models on free text, such as clinical notes", ["nlp"]),
    ("Process and analyze large-scale text datasets", ["nlp"]),
    ("structured and unstructured text", []),
    ("Leads the group for insurance underwriting and application fraud", ["fraud"]),
    ("ML models for trade surveillance programs", ["fraud"]),
    ("Challenge the traditional method of credit underwriting", ["fraud"]),
    ("Combine data features to determine search models and search results", ["search"]),
    ("Experience with Elastic or Solr based search deployments", ["search"]),
    # Navigation of a job board and a product name are not domains.
    ("Back to Search Results  New Search", []),
    ("Technical Writing PI Vision System", []),
    ("Optimizing client websites for search engines (on-page SEO); paid search campaigns", []),
    ("The team prepares for increasingly capable frontier AI models", ["llm"]),
    ("In the era of Agentic AI, you will build autonomous AI systems", ["llm"]),
    ("Autonomous systems for warehouse robots", []),
    ("Projects such as email targeting and consumer recommendations", ["recsys"]),
])
def test_domain_traps_and_terms(text, expected):
    assert domains_of(text) == expected


def test_weak_terms_need_company():
    assert domains_of("personalization") == []
    assert domains_of("personalization and homefeed ranking") == ["recsys"]


def test_domain_terms_name_what_matched():
    out = pl.DataFrame({"t": ["computer vision and NLP"]}).select(domain_terms_expr(pl.col("t")))["t"][0]
    assert out.to_list() == ["cv:computer vision", "nlp:NLP"]


def test_domains_expr_on_case_study_titles():
    titles = pl.DataFrame({"title": ["How Pinterest built its recommender system",
                                     "Detecting payment fraud at scale", "Our company vision", None]})
    out = titles.select(domains_expr(pl.col("title")))["title"].to_list()
    assert out == [["recsys"], ["fraud"], [], []]


def test_dictionary_is_versioned():
    assert dictionary_version()


def test_add_domains_columns_and_missing_column():
    out = add_domains(pl.DataFrame({"title": ["NLP Engineer"], "description": ["Speech recognition"]}))
    assert out["domains"].to_list() == [["nlp", "speech"]]
    assert out["domain_terms"].dtype == pl.List(pl.String)
    with pytest.raises(UserError):
        add_domains(pl.DataFrame({"description": ["x"]}))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=300)), min_size=1, max_size=5))
def test_arbitrary_text_gives_domains_from_the_fixed_set(texts):
    frame = pl.DataFrame({"title": texts, "description": texts}, schema={"title": pl.String,
                                                                          "description": pl.String})
    out = add_domains(frame)
    assert all(set(row) <= set(DOMAINS) for row in out["domains"].to_list())


def test_golden_domains_micro_f1():
    rows = read_golden("domains")
    assert len(rows) >= 150
    frame = add_domains(golden_frame([k for k, _ in rows]))
    f1 = micro_f1([g for _, g in rows], [set(d) for d in frame["domains"].to_list()], "domains")
    assert f1 >= 0.90


@pytest.mark.parametrize(("text", "expected"), [
    ("Projects include demand forecasting and visual search.", ["cv", "forecasting", "search"]),
    ("Drive our credit decisioning and pricing model.", ["fraud"]),
    ("Build underwriting models and credit risk scores.", ["fraud"]),
    ("Trusted by the world's largest search engines and payment companies.", []),
    ("Leading search engines cite our research.", []),
])
def test_indirect_wordings_and_marketing_traps(text, expected):
    assert domains_of(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # Generative image and video work is generative AI (llm), not computer vision.
    ("Serve our text-to-image generation models at low latency", ["llm"]),
    ("Research on video generation and generative audio", ["llm"]),
    ("Build face detection and facial landmarks for an AR camera", ["cv"]),
    # Indirect names of a domain.
    ("Work with linguists on conversational language understanding", ["nlp"]),
    ("Systems that extract information from large volumes of unstructured text", ["nlp"]),
    ("Extract information from sensor logs", []),
    ("Train small language models for on-device assistants", ["llm"]),
    ("Host MCP servers for enterprise tools", ["llm"]),
    ("Grow our personalization platform for retailers", ["recsys"]),
    ("Scale real-time personalization and recommendations", ["recsys"]),
    ("Data scientist for our anti-fraud engine", ["fraud"]),
    ("Models that predict the future load of each warehouse", ["forecasting"]),
    # Search named as one of the role's work areas.
    ("Ideal if you have a background in data pipelines or search", ["search"]),
    ("Hard problems, including search, payments and storage", ["search"]),
    ("Storage layers (ingest, streaming, search, aggregation)", []),
    ("We are searching for a backend engineer", []),
    ("Leverage conversational AI such as Amazon Lex and Amazon Bedrock", ["llm", "nlp"]),
    ("Build intent models with Dialogflow", ["nlp"]),
    ("Models on call-centre voice recordings and audio datasets", ["speech"]),
])
def test_round3_phrase_families(text, expected):
    assert domains_of(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # Negative contexts: the rest of the sentence is no evidence of the role's domains.
    ("Keep up to date with the latest research in computer vision and NLP", []),
    ("Build NLP pipelines; stay current on trends in speech recognition", ["nlp"]),
    ("We also have deep expertise in NLP and recommender systems.", []),
    ("Our focus is broad and covers computer vision and forecasting.", []),
    ("Helping members improve their credit scores since 2012", []),
    ("Build credit scores for thin-file borrowers", ["fraud"]),
    ("Buzzword bingo: Go, Kafka, forecasting, GPT", []),
    ("Comfort with AI tools such as Copilot and prompt engineering", []),
    ("Design prompt engineering workflows for our assistant", ["llm"]),
    # Vector search alone is usually the store behind a RAG stack; it needs a second search term.
    ("Python, Postgres, vector search (pgvector) and LLM APIs", ["llm"]),
    ("Vector search and search relevance for our catalogue", ["search"]),
])
def test_round3_negative_contexts(text, expected):
    assert domains_of(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # Biological "language models" model proteins and DNA, not language.
    ("An AI platform for molecular discovery: think language models for protein and DNA design", []),
    ("Fine-tune protein language models on antibody data", []),
    ("Train language models for customer-support chat", ["nlp"]),
    # A bare MCP is weak evidence (also an old certification): it counts next to other LLM work.
    ("Bonus if you have experience with agentic systems or MCP", ["llm"]),
    ("MCP certification preferred", []),
    # Time-series analysis among the role's methods is forecasting work.
    ("Experience with time series analysis and regression", ["forecasting"]),
    ("We are hiring Search & Personalization Engineers", ["recsys", "search"]),
    # recruiting-fraud warnings and a market-risk team's credit risk are no fraud work
    ("We may take your picture to verify your identity and prevent fraud.", []),
    ("Beware of recruitment scams: we never ask for payment.", []),
    ("Knowledge of market and credit risk; support counterparty credit risk reporting.", []),
    ("Build credit risk scorecards for consumer lending", ["fraud"]),
    ("AI tools (Claude/GPT) are part of the daily workflow", []),
    ("Delivery optimization across carriers and AI-driven message categorization", ["nlp"]),
    ("Transformers, ideally for multilingual and/or speech applications", ["speech"]),
    ("Build our recommendation platform for shoppers", ["recsys"]),
    ("Image Processing, Speech and Audio Processing", ["cv", "speech"]),
    ("Software Engineer, AgentOps", ["llm"]),
])
def test_round4_phrase_families(text, expected):
    assert domains_of(text) == expected
