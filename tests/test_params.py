"""Parameter checking: unknown keys, near-miss suggestions, the one metro resolver, notebook error rendering."""

from __future__ import annotations

import pytest

from marketlib.analysis.common import resolve_metro
from marketlib.errors import MarketlibError, UserError
from marketlib.params import check_keys, closest

# Real OEWS / CBSA titles, a named group and a Canadian CMA, as city-odds sees them.
LABELS = [
    "Abilene, TX", "Akron, OH", "Albany, GA", "Los Angeles-Long Beach-Anaheim, CA",
    "New York-Newark-Jersey City, NY-NJ", "San Francisco-Oakland-Fremont, CA",
    "San Jose-Sunnyvale-Santa Clara, CA", "Santa Rosa-Petaluma, CA", "Seattle-Tacoma-Bellevue, WA",
    "Washington-Arlington-Alexandria, DC-VA-MD-WV", "Portland-South Portland, ME",
    "Portland-Vancouver-Hillsboro, OR-WA", "Toronto, ON", "London, ON", "London, GB", "La Crosse-Onalaska, WI-MN",
]
CODES = {"31080": LABELS[3], "35620": LABELS[4], "41860": LABELS[5], "41940": LABELS[6], "42220": LABELS[7],
         "42660": LABELS[8], "47900": LABELS[9], "29100": LABELS[15]}


def test_check_keys_names_the_unknown_key_its_closest_name_and_every_valid_key():
    check_keys({"top_n": 5}, ["role_families", "top_n"])  # known keys pass
    with pytest.raises(UserError) as err:
        check_keys({"topn": 5, "role_families": []}, ["role_families", "seniority", "top_n"], "reports.yaml #2")
    message = str(err.value)
    assert message == ("reports.yaml #2: unknown parameter 'topn' (did you mean top_n?); valid parameters are: "
                       "role_families, seniority, top_n.")


def test_closest_ranks_by_similarity_not_alphabet():
    assert closest("senority", ["by", "min_count", "seniority", "sources"]) == ["seniority"]
    assert closest("zzz", ["by", "seniority"]) == []
    assert closest("Sna Fran", ["Abilene, TX", "Frisco"], keys={"Frisco": ["san fran"]}) == ["Frisco"]


@pytest.mark.parametrize(("name", "label"), [
    ("NYC", "New York-Newark-Jersey City, NY-NJ"),
    ("New York", "New York-Newark-Jersey City, NY-NJ"),
    ("SF", "San Francisco-Oakland-Fremont, CA"),
    ("San Francisco", "San Francisco-Oakland-Fremont, CA"),
    ("Bay Area", "San Francisco-Oakland-Fremont, CA"),
    ("LA", "Los Angeles-Long Beach-Anaheim, CA"),  # not 'La Crosse', the one label with a word 'la'
    ("DC", "Washington-Arlington-Alexandria, DC-VA-MD-WV"),
    ("Seattle", "Seattle-Tacoma-Bellevue, WA"),
    ("seattle-tacoma-bellevue, wa", "Seattle-Tacoma-Bellevue, WA"),
    ("42660", "Seattle-Tacoma-Bellevue, WA"),
    ("Toronto", "Toronto, ON"),
    ("Silicon Valley", "San Jose-Sunnyvale-Santa Clara, CA"),
])
def test_common_metro_names_resolve(name, label):
    assert resolve_metro(name, LABELS, CODES) == label


def test_common_names_resolve_without_codes_too():
    """market-trend's metros (Indeed Hiring Lab titles of another CBSA vintage) have no codes."""
    titles = ["Seattle-Tacoma-Bellevue, WA", "New York-Newark-Jersey City, NY-NJ-PA",
              "San Francisco-Oakland-Berkeley, CA", "Toronto, ON", "Cambridge"]
    assert resolve_metro("Seattle", titles) == titles[0]
    assert resolve_metro("NYC", titles) == titles[1]
    assert resolve_metro("Bay Area", titles) == titles[2]
    assert resolve_metro("41860", titles) == titles[2]


def test_a_cbsa_inside_a_chosen_group_resolves_to_the_group():
    codes = {**CODES, "41860+41940": "SF Bay Area"}
    labels = [*LABELS, "SF Bay Area"]
    assert resolve_metro("SF", labels, codes) == "SF Bay Area"
    assert resolve_metro("Silicon Valley", labels, codes) == "SF Bay Area"
    with pytest.raises(UserError, match=r"closest: SF Bay Area"):
        resolve_metro("Sna Fran", labels, codes)


def test_a_miss_lists_the_closest_metros_not_the_alphabet():
    with pytest.raises(UserError) as err:
        resolve_metro("Sna Fran", LABELS, CODES)
    message = str(err.value)
    assert message.startswith("Metro 'Sna Fran' is unknown; closest: San Francisco-Oakland-Fremont, CA")
    assert "Abilene" not in message and "Akron" not in message
    with pytest.raises(UserError, match="closest: Seattle-Tacoma-Bellevue, WA"):
        resolve_metro("Seatle", LABELS, CODES)
    with pytest.raises(UserError, match="no metro name is close") as err:
        resolve_metro("xyzzy", LABELS, CODES)
    assert "Abilene" not in str(err.value)


def test_ambiguous_cities_use_the_region_the_parser_reads():
    assert resolve_metro("Portland, OR", LABELS, CODES) == "Portland-Vancouver-Hillsboro, OR-WA"
    assert resolve_metro("London", LABELS, CODES) == "London, GB"
    assert resolve_metro("London, Ontario", LABELS, CODES) == "London, ON"


def test_marketlib_errors_render_as_their_sentence_in_a_notebook(monkeypatch):
    err = UserError("Parameter top_n = 0 must be a whole number between 1 and 200.")
    assert err._render_traceback_() == ["UserError: Parameter top_n = 0 must be a whole number between 1 and 200."]
    monkeypatch.setenv("MARKETLIB_DEBUG", "1")
    assert not hasattr(err, "_render_traceback_")  # IPython then prints the full traceback
    assert not hasattr(ValueError("x"), "_render_traceback_") and issubclass(UserError, MarketlibError)


def test_papermill_parses_every_parameters_cell_without_warnings(caplog):
    """papermill inspects the parameters cell on every run and warns 'Unable to parse line' for any line with a
    second '='; every committed notebook's cell parses, and to the names load_config checks keys against."""
    import logging

    import nbformat
    from papermill.translators import PythonTranslator

    from marketlib.report import notebook_parameters
    from tests.conftest import REPO

    notebooks = sorted((REPO / "notebooks").glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        cell = next(c for c in nbformat.read(str(path), as_version=4).cells
                    if "parameters" in c.metadata.get("tags", []))
        with caplog.at_level(logging.WARNING, logger="papermill"):
            names = [p.name for p in PythonTranslator.inspect(cell)]
        assert names == notebook_parameters(path), path.name
    assert [r.getMessage() for r in caplog.records] == []
