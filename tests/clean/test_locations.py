"""clean.locations: contract, DESIGN.md examples, hand-labelled golden set with accuracy targets, properties."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marketlib.clean import locations
from marketlib.clean.locations import METRO_GROUPS, add_locations, group_of, metro_name, parse_location_strings
from tests.conftest import MIRROR, need

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "locations.csv"
DATA = Path(locations.__file__).resolve().parents[1] / "data"


def build_metros_table(oews_csv: Path) -> pl.DataFrame:
    """Recipe for data/metros.csv: every OEWS MSA (area_code 00CCCCC -> CBSA CCCCC) with its exact title.
    The metro_group column is ours and is taken from the committed table."""
    oews = pl.read_csv(oews_csv, infer_schema=False)
    return (oews.filter(pl.col("area_type") == "msa")
            .select(pl.col("area_code").str.slice(2).alias("metro_code"), pl.col("area_name").alias("metro_name"))
            .unique().sort("metro_code"))


def one(text: str) -> dict:
    return parse_location_strings(pl.Series([text])).row(0, named=True)


# ------------------------------------------------------------------------------------------- dictionaries

def test_metros_table_is_the_oews_msa_list():
    oews = need(MIRROR / "bls_oews_2025" / "oews_may2025_selected_occupations.csv")
    committed = pl.read_csv(DATA / "metros.csv", infer_schema=False)
    assert committed.select("metro_code", "metro_name").equals(build_metros_table(oews))
    assert committed.height == 393


def test_every_place_maps_to_an_oews_metro():
    places = pl.read_csv(DATA / "us_places.csv", infer_schema=False)
    metros = set(pl.read_csv(DATA / "metros.csv", infer_schema=False)["metro_code"])
    assert set(places["metro_code"]) <= metros
    assert places.height >= 600
    assert places.select("city", "state").is_duplicated().sum() == 0
    # principal cities and large suburbs of every metro with >= 500k people (spot checks)
    big = {"41860", "41940", "31080", "35620", "16980", "19100", "26420", "47900", "33100", "12060", "14460",
           "38060", "40140", "19820", "42660", "33460", "41740", "45300", "19740", "12580", "41180", "36740"}
    per_metro = places.group_by("metro_code").len()
    assert per_metro.filter(pl.col("metro_code").is_in(big))["len"].min() >= 15


def test_metro_helpers():
    assert metro_name("41940") == "San Jose-Sunnyvale-Santa Clara, CA"
    assert metro_name("41860") == "San Francisco-Oakland-Fremont, CA"
    assert metro_name("99999") is None and metro_name(None) is None
    assert METRO_GROUPS["SF Bay Area"] == ["41860", "41940"]
    assert group_of("41940") == "SF Bay Area" and group_of("35620") is None


# --------------------------------------------------------------------------------- DESIGN.md examples

@pytest.mark.parametrize("text, city, region, country, metro, remote", [
    ("Mountain View, CA 94043", "Mountain View", "CA", "US", "41940", False),
    ("Cambridge, MA", "Cambridge", "MA", "US", "14460", False),
    ("Palo Alto, CA", "Palo Alto", "CA", "US", "41940", False),
    ("Redmond, WA", "Redmond", "WA", "US", "42660", False),
    ("Bellevue, WA", "Bellevue", "WA", "US", "42660", False),
    ("Brooklyn, NY", "Brooklyn", "NY", "US", "35620", False),
    ("Menlo Park, CA", "Menlo Park", "CA", "US", "41860", False),
    ("Toronto, ON, Canada", "Toronto", "ON", "CA", None, False),
    ("Remote (US)", None, None, "US", None, True),
    ("SF, Remote (North America)", "San Francisco", "CA", "US", "41860", True),
    ("United States", None, None, "US", None, False),
    ("Hybrid - Seattle", "Seattle", "WA", "US", "42660", False),
    ("Washington, DC", "Washington", "DC", "US", "47900", False),
    ("Berlin, DE", "Berlin", None, "DE", None, False),
    ("Wilmington, DE", "Wilmington", "DE", "US", "37980", False),
    ("Northridge, LA", "Northridge", "CA", "US", "31080", False),
    ("New Orleans, LA", "New Orleans", "LA", "US", "35380", False),
    # a province code that is also a country code: the country when the city is that country's
    ("Utrecht, NL", "Utrecht", None, "NL", None, False),
    ("Bratislava, SK", "Bratislava", None, "SK", None, False),
    ("Saskatoon, SK", "Saskatoon", "SK", "CA", None, False),
    # sports-style country codes written after remote
    ("Remote (GER)", None, None, "DE", None, True),
    ("Remote - SUI", None, None, "CH", None, True),
    # a location field that allows any location is remote
    ("US - (Any location)", None, None, "US", None, True),
    # a time zone is no place (Pacific, MO is in the St. Louis metro)
    ("Remote (US, Pacific Time adjacent)", None, None, "US", None, True),
    ("Pacific, MO", "Pacific", "MO", "US", "41180", False),
    ("Remote (West Coast hours)", None, None, None, None, True),
    # airport codes stand for their cities in posts ("PHX, MSP, DC")
    ("PHX", "Phoenix", "AZ", "US", "38060", False),
])
def test_design_examples(text, city, region, country, metro, remote):
    got = one(text)
    assert (got["city"], got["region"], got["country"], got["metro_code"], got["is_remote"]) == \
        (city, region, country, metro, remote)


@pytest.mark.parametrize("text, first_metro, codes", [
    ("San Francisco, CA; New York, NY", "41860", ["41860", "35620"]),
    ("NYC | SF", "35620", ["35620", "41860"]),
    ("Austin, TX or Remote", "12420", ["12420"]),
    ("San Jose, CA | Santa Clara, CA | Palo Alto, CA", "41940", ["41940"]),  # one metro, counted once
    ("London, UK; San Francisco, CA", "41860", ["41860"]),  # metro_code is the first *US* location's
])
def test_several_locations_keep_every_metro_once(text, first_metro, codes):
    got = one(text)
    assert got["metro_code"] == first_metro and got["metro_codes"] == codes
    assert got["metro_name"] == metro_name(first_metro)


def test_add_locations_contract_and_remote_hint():
    frame = pl.DataFrame({
        "location_raw": ["Palo Alto, CA", "Remote (US)", None, "Palo Alto, CA", "Berlin, Germany"],
        "is_remote_hint": [False, None, True, True, False],
    })
    out = add_locations(frame, "location_raw", remote_hint_col="is_remote_hint")
    assert out.columns[:2] == ["location_raw", "is_remote_hint"]
    assert out.schema["metro_codes"] == pl.List(pl.String) and out.schema["is_remote"] == pl.Boolean
    assert out["is_remote"].to_list() == [False, True, True, True, False]
    assert out["metro_code"].to_list() == ["41940", None, None, "41940", None]
    assert out["metro_codes"].to_list() == [["41940"], [], [], ["41940"], []]
    assert out["country"].to_list() == ["US", "US", None, "US", "DE"]
    assert add_locations(frame.drop("is_remote_hint"))["is_remote"].to_list()[2] is False


def test_many_rows_parse_each_unique_string_once(monkeypatch):
    calls = []
    real = locations._parse_unique
    monkeypatch.setattr(locations, "_parse_unique", lambda u: calls.append(u.len()) or real(u))
    values = pl.Series(["NYC", "SF", "Remote", None] * 25_000)
    out = parse_location_strings(values)
    assert out.height == 100_000 and calls == [3]
    assert out["metro_code"].head(4).to_list() == ["35620", "41860", None, None]


# -------------------------------------------------------------------------------------------- golden set

def _fold(value: str | None) -> str | None:
    if value is None:
        return None
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower().replace("-", " ")


def test_golden_set_accuracy(capsys):
    gold = pl.read_csv(GOLDEN, infer_schema=False).with_columns(pl.col("is_remote") == "true")
    assert gold.height >= 200 and gold["location_raw"].n_unique() == gold.height
    assert set(gold["source"]) >= {"glassdoor", "ai_labs", "speedyapply", "jobright", "zapply", "simplify",
                                   "greenhouse", "lever", "ashby", "hackernews"}
    got = parse_location_strings(gold["location_raw"])
    both = gold.join(got, on="location_raw", suffix="_got")
    us = both.filter(pl.col("country") == "US")
    metro_ok = us.filter(pl.col("metro_code").eq_missing(pl.col("metro_code_got")))
    country_ok = both.filter(pl.col("country").eq_missing(pl.col("country_got")))
    remote_ok = both.filter(pl.col("is_remote") == pl.col("is_remote_got"))
    city_ok = both.filter(pl.col("city").map_elements(_fold, return_dtype=pl.String)
                          .eq_missing(pl.col("city_got").map_elements(_fold, return_dtype=pl.String)))
    region_ok = both.filter(pl.col("region").eq_missing(pl.col("region_got")))
    rates = {"metro (US)": metro_ok.height / us.height, "country": country_ok.height / both.height,
             "is_remote": remote_ok.height / both.height, "city": city_ok.height / both.height,
             "region": region_ok.height / both.height}
    with capsys.disabled():
        print(f"\nlocations golden set: {both.height} strings, {us.height} US")
        for name, rate in rates.items():
            print(f"  {name:<11} {rate:6.1%}")
        misses = both.filter(~pl.col("location_raw").is_in(metro_ok["location_raw"].implode())
                             & (pl.col("country") == "US")
                             | ~pl.col("location_raw").is_in(country_ok["location_raw"].implode()))
        for row in misses.iter_rows(named=True):
            print(f"  miss: {row['location_raw']!r}: want {row['city']}/{row['country']}/{row['metro_code']}, "
                  f"got {row['city_got']}/{row['country_got']}/{row['metro_code_got']}")
        confusion = both.group_by("is_remote", "is_remote_got").len().sort("is_remote", "is_remote_got")
        print("  is_remote confusion (want, got, n):", confusion.rows())
    assert rates["metro (US)"] >= 0.97
    assert rates["is_remote"] >= 0.98
    assert rates["country"] >= 0.98


# ------------------------------------------------------------------------------------------- properties

@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=60) | st.sampled_from(["NYC", "Remote (US)", "Paris, France", "SF | LA"]),
                min_size=1, max_size=8))
def test_arbitrary_text_gives_well_formed_or_null_fields(values):
    out = parse_location_strings(pl.Series(values, dtype=pl.String))
    assert out.height == len(values)
    assert out["location_raw"].to_list() == values
    for row in out.iter_rows(named=True):
        assert row["country"] is None or (len(row["country"]) == 2 and row["country"].isupper())
        assert row["metro_code"] is None or (len(row["metro_code"]) == 5 and row["metro_code"].isdigit())
        assert all(len(c) == 5 and c.isdigit() for c in row["metro_codes"])
        assert row["metro_code"] == (row["metro_codes"][0] if row["metro_codes"] else None)
        assert isinstance(row["is_remote"], bool)


def test_state_prefix_with_hyphen_names_a_city_in_that_state():
    assert (one("IL-Rosemont")["city"], one("IL-Rosemont")["metro_code"]) == ("Rosemont", "16980")
    assert one("CA-San Jose")["metro_code"] == "41940"


def test_is_place_uses_the_resolver_dictionaries():
    from marketlib.clean.places import is_place

    for text in ["Utrecht, The Netherlands", "San Francisco, CA", "EMEA", "Zürich", "NYC", "Bay Area", "Berlin"]:
        assert is_place(text), text
    for text in ["Senior Engineer", "Full-time", "$150k", "Acme Robotics", "", "Remote"]:
        assert not is_place(text), text


def test_a_part_of_town_or_its_surroundings_names_the_place():
    from marketlib.clean.places import is_place

    for text in ["Downtown Denver", "Central Manchester", "Greater Houston Area", "Metro Phoenix", "Tempe, AZ",
                 "Larkspur,CA"]:  # a listed US town of any size counts before its state
        assert is_place(text), text
    assert not is_place("Central Robotics") and not is_place("Larkspur Labs")
    assert (one("Central Manchester")["city"], one("Central Manchester")["country"]) == ("Manchester", "GB")
    assert one("Downtown Denver")["metro_code"] == "19740"
    assert (one("Downtown Montreal")["city"], one("Downtown Montreal")["country"]) == ("Montréal", "CA")
    # a town whose own name begins with the qualifier keeps it
    assert (one("Central Islip, NY")["city"], one("Central Islip, NY")["metro_code"]) == ("Central Islip", "35620")


@pytest.mark.parametrize("text, places", [
    ("NYC, SF, LA", ["NYC", "SF", "LA"]),
    ("Austin, TX", ["Austin, TX"]),
    ("New York, NY", ["New York, NY"]),
    ("NYC, NY", ["NYC, NY"]),
    ("Washington, DC", ["Washington, DC"]),
    ("San Francisco, CA USA, Melbourne, Australia", ["San Francisco, CA, USA", "Melbourne, Australia"]),
    ("Paris, France, Berlin, Germany", ["Paris, France", "Berlin, Germany"]),
])
def test_split_place_list_keeps_a_city_with_its_state_and_country(text, places):
    from marketlib.clean.places import split_place_list

    assert split_place_list(text) == places
