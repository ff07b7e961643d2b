"""How hn_parse reads header fields and body role lists, on short posts written for these tests (not real posts)."""

from __future__ import annotations

import pytest

from marketlib.sources import hn_parse as hp

LINK = '<a href="https://jobs.example.com/1" rel="nofollow">https://jobs.example.com/1</a>'


def test_multiple_positions_field_keeps_its_place_and_work_from_home():
    post = hp.parse_post("1", "Acme | Multiple positions in United States - WORK FROM HOME | FULL-TIME |<p>"
                              "Roles:<p>Staff Software Engineer, Traffic → " + LINK)
    assert post.header.multiple_roles
    assert post.header.locations == ["United States"]
    assert post.header.work_modes == ["remote"]
    assert post.roles == ["Staff Software Engineer, Traffic"]  # the arrow before the link is no part of it


def test_multiple_positions_in_a_team_names_no_place():
    post = hp.parse_post("1", "Acme | Multiple positions in Engineering | Berlin<p>We build things.")
    assert post.header.locations == ["Berlin"]


def test_multiple_openings_field_that_lists_its_titles():
    post = hp.parse_post("1", "Acme | Multiple Openings: Full Stack Developer, Product Designer | Remote<p>We build.")
    assert post.header.company == "Acme"
    assert post.header.roles == ["Full Stack Developer", "Product Designer"]


def test_title_after_a_leading_place_is_no_company():
    post = hp.parse_post("1", "Boston, MA | Full Time | iOS & Android Engineers<p>We build a podcast app.")
    assert post.header.company is None
    assert post.header.locations == ["Boston, MA"]
    assert post.header.roles == ["iOS & Android Engineers"]


def test_working_from_home_as_an_office_perk_is_not_remote():
    post = hp.parse_post("1", "Acme | London, UK | ONSITE (but some working from home is no problem) | "
                              "Backend Engineer<p>We build things.")
    assert post.header.work_modes == ["onsite"]


def test_salary_field_that_names_its_place():
    post = hp.parse_post("1", "Acme | Frontend Engineer | NYC $120,000 - $180,000 | ONSITE<p>We build things.")
    assert post.header.locations == ["NYC"]
    assert post.header.salary.minimum == 120_000


def test_lower_case_note_is_not_the_company():
    post = hp.parse_post("1", "C++/Qt developers | Florence, Italy | Italian language proficiency needed<p>"
                              "Acme is a growing company that develops software for third parties.")
    assert post.header.company == "Acme"


def test_one_line_post_of_a_mode_and_a_title():
    post = hp.parse_post("1", "REMOTE data scientist\napply at jobs@example.com")
    assert post.is_job_posting and post.roles == ["data scientist"]


@pytest.mark.parametrize("line", ["Onfleet, San Francisco, On-site, Lead Mobile Engineer",
                                  "Acme, ONSITE Full-time or Intern"])
def test_mode_and_more_than_a_title_is_no_bare_title(line):
    assert line not in hp.parse_post("1", line).header.roles
    assert all("," not in role and "Full-time" not in role for role in hp.parse_post("1", line).header.roles)


def test_inline_list_of_roles_separated_by_commas():
    post = hp.parse_post("1", "Acme | Berlin, Germany | Onsite<p>We build storage.<p>"
                              "Roles: Senior/Junior Software Engineer, Engineer in Test / QA, Support Engineer")
    assert post.roles == ["Senior/Junior Software Engineer", "Engineer in Test / QA", "Support Engineer"]


def test_inline_item_that_runs_into_sentences_stays_prose():
    post = hp.parse_post("1", "Acme | Austin, TX | Onsite | Developer<p>Additional roles: a software architect "
                              "and a dev manager! My zone needs an architect and another needs a manager.")
    assert not any("!" in role or "zone" in role for role in post.roles)


def test_role_lines_ending_with_a_dash_before_their_link():
    post = hp.parse_post("1", "Acme | ML Scientist & Engineering | Remote<p>We model biology.<p>"
                              f"Senior ML Scientist - {LINK}<p>Data Manager - {LINK}")
    assert post.roles == ["Senior ML Scientist", "Data Manager"]


def test_bulleted_item_with_a_colon_is_a_role_not_the_intro_of_a_list():
    post = hp.parse_post("1", "Acme | REMOTE (in Europe) | Multiple roles<p>We make games.<p>"
                              f"* Product Engineer: {LINK}<p>* Product Manager (Game Experience): {LINK}<p>"
                              f"* Programmatic Manager: {LINK}")
    assert post.roles == ["Product Engineer", "Product Manager (Game Experience)", "Programmatic Manager"]


def test_hiring_phrase_list_after_a_clause_is_not_titles():
    post = hp.parse_post("1", "Acme | Chicago, IL / Remote | Full-Time<p>Looking for Rust developers with a deep "
                              "interest in Linux internals, Dev Tools, Great Developer Experiences and Systems.")
    assert post.roles == ["Rust developers"]


def test_hiring_phrase_title_joined_by_an_ampersand():
    post = hp.parse_post("1", "Acme | REMOTE | INTERN<p>We are hiring a Mobile App Development & Design Engineer "
                              "Intern in South Asia to build apps.")
    assert post.roles == ["Mobile App Development & Design Engineer Intern"]


def test_dash_header_that_runs_on_into_prose_keeps_its_places():
    post = hp.parse_post("1", "Acme.com -- Washington, DC. Boulder, CO. Portland, OR. Remote<p>We need Ruby Engineers.")
    assert post.header.company == "Acme.com"
    assert post.header.locations == ["Washington, DC", "Boulder, CO", "Portland, OR"]
    assert post.header.work_modes == ["remote"]
    prose = hp.parse_post("1", "Acme.com -- London, UK. We're a comparison website for insurance, broadband, "
                               "mobiles, gas/energy providers and finance services.<p>Hiring: Senior frontend devs")
    assert (prose.header.company, prose.header.locations) == ("Acme.com", ["London, UK"])


def test_dash_header_whose_prose_names_roles_is_read_whole():
    post = hp.parse_post("1", "Acme - Boston. Hiring UI/UX Designers and Engineers.<p>We use data.")
    assert post.roles  # the roles of the prose line are not cut off with it


def test_prose_header_of_a_name_in_a_place():
    post = hp.parse_post("1", "Acme Games in downtown Toronto\nAcme is looking for talented developers.")
    assert (post.header.company, post.header.locations) == ("Acme Games", ["Toronto"])
    assert hp.parse_post("1", "ONSITE in Berlin / Acme GmbH is looking for a Backend Engineer").header.company \
        != "ONSITE"


def test_role_line_title_colon_pay_gives_that_role_its_salary():
    post = hp.parse_post("1", "Acme | Sacramento, CA (onsite)<p>We build BI tools.<p>Roles:<p>"
                              "* Customer Success Manager (SF): 100-120k, 0.05% equity<p>"
                              "* Software Engineer: Internship Summer 2017 (NYC)")
    lines = post.role_lines
    assert lines["Customer Success Manager (SF)"].salary.minimum == 100_000
    assert not lines["Customer Success Manager (SF)"].remote
    assert "Software Engineer" not in lines  # a year is not pay


@pytest.mark.parametrize("field, roles", [
    ("Founding Engineers & GTM", ["Founding Engineers", "GTM"]),
    ("Software Engineers & Data Scientists", ["Software Engineers", "Data Scientists"]),
    ("Growth & Partnerships Lead", ["Growth & Partnerships Lead"]),
    ("VP of Sales & Marketing", ["VP of Sales & Marketing"]),
])
def test_header_roles_joined_by_an_ampersand(field, roles):
    assert hp.parse_post("1", f"Acme | {field} | San Francisco | ONSITE<p>We build things.").roles == roles


def test_body_adds_roles_it_is_also_hiring_for():
    post = hp.parse_post("1", "Acme | Software Engineer | Worcester, MA<p>We build cameras.<p>We're also hiring an "
                              "ML/SWE intern for the Spring & Summer; apply here.<p>We are also looking for other "
                              "engineering positions.")
    assert post.roles == ["Software Engineer", "ML/SWE intern"]


def test_as_well_as_separates_listed_titles():
    post = hp.parse_post("1", "Acme | NYC<p>We are looking for Senior Engineers as well as Senior Designers.")
    assert post.roles == ["Senior Engineers", "Senior Designers"]


def test_job_post_naming_no_title_is_one_posting_with_a_blank_title():
    import datetime as dt

    from marketlib.sources.hn_comments import postings_from_comments

    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    texts = {"1": "Acme Widgets | Portland, OR | ONSITE<p>Acme is hiring across the company! Openings: " + LINK,
             "2": "Has anyone here used a standing desk for a year? Curious how it went."}
    comments = [{"comment_id": cid, "is_top_level": True, "text": text, "posted_at": when, "author": None,
                 "is_deleted": False, "is_dead": False, "snapshot_id": "t", "fetched_at": when,
                 "month_date": when.date()} for cid, text in texts.items()]
    postings, drops = postings_from_comments(comments)
    assert postings.select("source_posting_id", "title", "company").rows() == [("1", "", "Acme Widgets")]
    assert postings["location_raw"].to_list() == ["Portland, OR"]
    assert dict(drops.iter_rows()) == {"not a job post": 1}  # the title-less job post is not a drop


@pytest.mark.parametrize(("header", "roles"), [
    ("Acme | Lisbon | 7 Engineering roles", ["7 Engineering roles"]),
    ("Acme | Multiple engineering positions in Berlin", ["Multiple engineering positions"]),
    ("Acme | Multiple roles | Lisbon", []),  # names no kind of role
])
def test_roles_field_naming_its_kind_is_the_title_when_the_body_lists_none(header, roles):
    post = hp.parse_post("1", header + "<p>We make garden tools and are growing fast. Apply: " + LINK)
    assert post.roles == roles


def test_roles_field_naming_its_kind_gives_way_to_the_titles_the_body_lists():
    post = hp.parse_post("1", "Acme | Lisbon | 3 Engineering roles<p>Open roles:<p>- Backend Engineer<p>"
                              "- Site Reliability Engineer<p>- Frontend Developer")
    assert post.roles == ["Backend Engineer", "Site Reliability Engineer", "Frontend Developer"]


@pytest.mark.parametrize(("header", "company", "roles"), [
    ("Globex Cloud Senior Backend Engineer, Billing | Austin, TX | Onsite",
     "Globex Cloud", ["Senior Backend Engineer, Billing"]),
    ("Initech Labs Staff Data Engineer | Kansas City, MO", "Initech Labs", ["Staff Data Engineer"]),
    ("Senior Engineer | Globex | Austin, TX", "Globex", ["Senior Engineer"]),  # the title first: unchanged
])
def test_company_field_that_goes_on_with_a_title(header, company, roles):
    post = hp.parse_post("1", header + "<p>We build billing software for utilities.")
    assert (post.header.company, post.header.roles) == (company, roles)


def test_team_function_among_listed_positions_is_a_role():
    post = hp.parse_post("1", "Acme | Denver, CO | ONSITE<p>We make payroll simple.<p>Positions:<p>"
                              "* Engineering: a TypeScript engineer for our ledger -> jobs@example.com<p>"
                              "* Marketing: our first marketer, to own the launch -> jobs@example.com")
    assert post.roles == ["Engineering", "Marketing"]


def test_parenthesized_titles_in_a_hiring_sentence():
    post = hp.parse_post("1", "Acme | Lyon, France | ONSITE<p>We map farmland from orbit. I'm looking for people "
                              "for our field-apps team (Android developer, data engineer and UX designer) who "
                              "like the outdoors.")
    assert post.roles == ["Android developer", "data engineer", "UX designer"]


def test_remote_region_followed_by_a_note():
    post = hp.parse_post("1", "Acme | Remote US with quarterly offsites | Backend Engineer<p>We build things.")
    assert (post.header.remote_regions, post.header.other) == (["US"], ["with quarterly offsites"])


def test_downtown_place_and_a_company_field_saying_what_the_company_is():
    post = hp.parse_post("1", "Initech Foods, Grocery Startup | Downtown Chicago | Web Developers<p>We sell food.")
    assert (post.header.company, post.header.locations) == ("Initech Foods", ["Chicago"])


def test_need_for_names_the_roles():
    post = hp.parse_post("1", "Acme - Austin, TX<p>We build scheduling tools for clinics. We have an urgent need "
                              "for iOS engineers and Elixir developers.")
    assert post.roles == ["iOS engineers", "Elixir developers"]


def test_double_slash_separates_header_fields():
    post = hp.parse_post("1", "GLOBEX &#x2F;&#x2F; BERLIN, GERMANY &#x2F;&#x2F; Full-time<p>We need Go developers."
                              " Read about us in <a href=\"https://www.wired.example/globex\">WIRED</a>.")
    assert (post.header.company, post.header.locations) == ("GLOBEX", ["BERLIN, GERMANY"])


def test_pay_field_and_soft_hyphen_and_a_fund_description_name_no_company():
    post = hp.parse_post("1", "Senior Backend Engineer | Oslo | Full\u00adtime | Salary + equity<p>We build maps.")
    assert (post.header.company, post.header.employment_type) == (None, "full_time")
    post = hp.parse_post("1", "Rust Engineer | Quant hedge fund | Chicago | Onsite<p>Low-latency trading.")
    assert post.header.company is None


def test_region_before_fully_remote_and_a_title_beside_its_mode():
    post = hp.parse_post("1", "Acme | Product Designer | US Fully Remote<p>We build things.")
    assert (post.header.locations, post.header.work_modes) == (["US"], ["remote"])
    post = hp.parse_post("1", "Acme | Austin, TX | Senior Network Administrator ONSITE | " + LINK + "<p>We host.")
    assert post.roles == ["Senior Network Administrator"]


def test_hacker_news_is_no_role_and_a_greeting_no_job_post():
    post = hp.parse_post("1", "Happy new year, hacker-news friends. May your searches go well!")
    assert (post.is_job_posting, post.roles) == (False, [])


def test_prose_header_sentence_of_titles():
    post = hp.parse_post("1", "Globex Academy (YC W19). Part-time. Python instructor, SQL instructor, "
                              "evening data instructor. REMOTE.<p>We teach adults to code.")
    assert post.roles == ["Python instructor", "SQL instructor", "evening data instructor"]


def test_ai_ml_field_is_no_place_and_interview_steps_are_no_roles():
    post = hp.parse_post("1", "Globex | AI/ML Platform Audits | Remote (EU) | Full-time<p>We audit models.")
    assert post.header.locations == []
    post = hp.parse_post("1", "Globex | Senior Go Engineer | Boston, MA<p>Our interview loop:<p>"
                              "- phone screening with a recruiter ~20 minutes<p>- onsite interview with the CTO")
    assert post.roles == ["Senior Go Engineer"]


@pytest.mark.parametrize(("field", "roles"), [
    ("Software Engineers, Forward-deployed PMs, and more", ["Software Engineers", "Forward-deployed PMs"]),
    ("Backend Engineer, Data Analyst etc.", ["Backend Engineer", "Data Analyst"]),
])
def test_open_end_of_a_roles_field_names_no_role(field, roles):
    assert hp.parse_post("1", f"Acme | {field} | Berlin<p>We build things.").roles == roles


@pytest.mark.parametrize(("header", "company", "locations", "modes"), [
    # a "City, Country" first field is the place; the company follows
    ("Cologne, Germany | UMH | Product Engineer | ONSITE (part remote)", "UMH", ["Cologne, Germany"],
     ["onsite", "hybrid"]),
    # brackets around the fields separate them too
    ("Tiger Data (FKA Timescale) [ Global | 100% Remote | Backend Engineer ]", "Tiger Data", ["Global"], ["remote"]),
    # "Multiple locations" is a note on where, not the company
    ("Coder | Multiple roles | Multiple locations | Full-time", "Coder", [], []),
    # how many office days is no place
    ("Odoo | Full Stack Developer | Hybrid (Belgium, 3 days/week)", "Odoo", ["Belgium"], ["hybrid"]),
])
def test_header_places_and_modes(header, company, locations, modes):
    post = hp.parse_post("1", f"{header}<p>We build things.")
    assert (post.header.company, post.header.locations, post.header.work_modes) == (company, locations, modes)


def test_bracket_numbered_role_lines_are_roles():
    post = hp.parse_post("1", "Acme | Multiple roles | Remote<p>We build things.<p>[1] Software Engineer, AI tools"
                              "<p>[2] Staff Software Engineer, Front-end")
    assert post.roles == ["Software Engineer, AI tools", "Staff Software Engineer, Front-end"]


@pytest.mark.parametrize(("header", "company", "roles"), [
    ("Company: Adyen | Engineering Director | San Francisco", "Adyen", ["Engineering Director"]),
    # a field's end may cut a parenthesis off
    ("Metail (Cambridge | Big Data Engineer | ONSITE", "Metail", ["Big Data Engineer"]),
    ("Acme | Founding Engineer + Founding Research Scientist | NYC", "Acme",
     ["Founding Engineer", "Founding Research Scientist"]),
    ("### Apple Inc: Cupertino, CA | Big Data Engineer", "Apple Inc", ["Big Data Engineer"]),
    # a field of visa and employment tags is neither a company nor a role
    ("Acme | Columbia, MD | Software Engineers | H1B, FULL-TIME, INTERN", "Acme", ["Software Engineers"]),
    # a team's function among the titles stays out of the roles
    ("Acme | iOS Engineer, Computer Vision Engineer, Business Development | Boulder", "Acme",
     ["iOS Engineer", "Computer Vision Engineer"]),
])
def test_company_labels_cut_parentheses_and_plus_joined_roles(header, company, roles):
    post = hp.parse_post("1", f"{header}<p>We build things.")
    assert (post.header.company, post.roles) == (company, roles)
