"""Pieces every notebook topic shares: loading tables, filtering postings, provenance captions, metros."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import polars as pl

from marketlib import schemas
from marketlib.charts import caption
from marketlib.errors import UserError
from marketlib.storage import load_table

US = "US"
# Fallback when marketlib.clean.locations is not importable yet: same definition as DESIGN.md.
_DEFAULT_METRO_GROUPS = {"SF Bay Area": ["41860", "41940"]}


def load(name: str) -> pl.DataFrame:
    """A processed table (empty with the right schema when not built)."""
    return load_table(name)


def metro_groups() -> dict[str, list[str]]:
    try:
        from marketlib.clean.locations import METRO_GROUPS
    except ImportError:
        return dict(_DEFAULT_METRO_GROUPS)
    return {name: list(codes) for name, codes in METRO_GROUPS.items()}


def _metro_name_fn():
    try:
        from marketlib.clean.locations import metro_name
    except ImportError:
        return None
    return metro_name


def snapshot_date_expr() -> pl.Expr:
    """The fetch day inside a snapshot id '<source>/<YYYY-MM-DD>/<file>'."""
    return pl.col("snapshot_id").str.split("/").list.get(1, null_on_oob=True)


def snapshot_dates(*frames: pl.DataFrame) -> str:
    """'YYYY-MM-DD' or 'first – last' over the snapshots feeding the frames ('n/a' without rows)."""
    days = sorted(
        {
            d
            for f in frames
            if f.height and "snapshot_id" in f.columns
            for d in f.select(snapshot_date_expr()).to_series().drop_nulls().unique().to_list()
        }
    )
    if not days:
        return "n/a"
    return days[0] if len(days) == 1 else f"{days[0]} – {days[-1]}"


def source_names(*frames: pl.DataFrame) -> list[str]:
    names: list[str] = []
    for f in frames:
        if f.height and "source" in f.columns:
            names.extend(sorted(f.get_column("source").drop_nulls().unique().to_list()))
    return list(dict.fromkeys(names))


def chart_caption(frames: Sequence[pl.DataFrame], n: int, note: str = "") -> str:
    """A chart caption naming the sources and snapshot dates of the frames that fed the chart."""
    return caption(source_names(*frames), snapshot_dates(*frames), n, note)


def known_sources(postings: pl.DataFrame) -> list[str]:
    """Posting sources a `sources` parameter may name: those in the data and those the catalog lists."""
    names = set(postings.get_column("source").drop_nulls().unique().to_list()) if postings.height else set()
    catalog = load("source_catalog")
    names |= set(catalog.filter(pl.col("feeds_tables").list.contains("postings"))["source"].to_list())
    return sorted(names)


# Text-derived measures (YOE, skills, domains, stated pay) need the posting's own text: most job-list rows carry
# only a title, and counting them would read "no YOE / no skills" into postings that were never seen in full.
MIN_POSTING_TEXT_CHARS = 400


def with_posting_text(postings: pl.DataFrame) -> pl.DataFrame:
    """Postings whose description is a real posting text (at least MIN_POSTING_TEXT_CHARS characters)."""
    return postings.filter(pl.col("description").str.len_chars().fill_null(0) >= MIN_POSTING_TEXT_CHARS)


def sources_and_licenses(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """One row per (table, source) that fed a notebook: rows, snapshot ids and dates, license, citation."""
    catalog = {r["source"]: r for r in load("source_catalog").iter_rows(named=True)}
    rows = []
    for table, frame in tables.items():
        if not frame.height or "source" not in frame.columns:
            continue
        per_source = (
            frame.group_by("source")
            .agg(
                pl.len().alias("rows"),
                pl.col("snapshot_id").unique().sort().alias("snapshot_ids"),
                snapshot_date_expr().min().alias("first_snapshot_date"),
                snapshot_date_expr().max().alias("last_snapshot_date"),
            )
            .sort("source")
        )
        for rec in per_source.iter_rows(named=True):
            src = catalog.get(rec["source"])
            rows.append(
                {
                    "table": table,
                    "source": rec["source"],
                    "rows": int(rec["rows"]),
                    "snapshot_ids": "; ".join(rec["snapshot_ids"]),
                    "snapshot_dates": rec["first_snapshot_date"]
                    if rec["first_snapshot_date"] == rec["last_snapshot_date"]
                    else f"{rec['first_snapshot_date']} – {rec['last_snapshot_date']}",
                    "license": src["license"] if src else "unknown (source not in the catalog; run `marketlib build`)",
                    "citation": (src["citation"] or src["homepage"] or "") if src else "",
                }
            )
    schema = {
        "table": pl.String,
        "source": pl.String,
        "rows": pl.Int64,
        "snapshot_ids": pl.String,
        "snapshot_dates": pl.String,
        "license": pl.String,
        "citation": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)


# --- computed caveats -----------------------------------------------------------------------------------

# The internship and new-grad job lists among the posting sources (sources/_joblists.py; ai_labs, the frontier
# labs' own boards, is not one). A caveat about them is printed only when they make up a meaningful share.
ENTRY_LEVEL_LISTS = ("jobright", "simplify", "speedyapply", "zapply")
LIST_SHARE_FOR_CAVEAT = 0.2


def entry_list_share(postings: pl.DataFrame) -> tuple[float, list[str]]:
    """(share of `postings` from the internship and new-grad lists, the lists present), 0.0 without rows."""
    if not postings.height:
        return 0.0, []
    from_lists = postings.filter(pl.col("source").is_in(list(ENTRY_LEVEL_LISTS)))
    return from_lists.height / postings.height, sorted(from_lists["source"].unique().to_list())


def entry_list_caveat(postings: pl.DataFrame, effect: str = "") -> str | None:
    """'45% of these postings come from internship and new-grad lists (speedyapply, zapply)<effect>.' when the
    lists make up at least LIST_SHARE_FOR_CAVEAT of the selection; else None (no caveat to state)."""
    share, lists = entry_list_share(postings)
    if share < LIST_SHARE_FOR_CAVEAT:
        return None
    return (f"{100 * share:.0f}% of these postings come from internship and new-grad lists "
            f"({', '.join(lists)}){effect}.")


# --- metros ---------------------------------------------------------------------------------------------


def metro_labels(postings: pl.DataFrame, professionals: pl.DataFrame) -> pl.DataFrame:
    """metro_code -> metro (display label): named groups first, then the OEWS/CBSA title, else the code."""
    codes = (
        pl.concat(
            [
                postings.select(pl.col("metro_codes").explode().alias("metro_code")),
                postings.select("metro_code"),
                professionals.select("metro_code"),
            ]
        )
        .drop_nulls()
        .unique()
    )
    names = (
        pl.concat(
            [
                professionals.filter(pl.col("area_type") == "msa").select(
                    "metro_code", pl.col("area_name").alias("n")
                ),
                postings.select("metro_code", pl.col("metro_name").alias("n")),
            ]
        )
        .drop_nulls()
        .unique(subset="metro_code", keep="first", maintain_order=True)
    )
    grouped = {code: group for group, members in metro_groups().items() for code in members}
    name_fn = _metro_name_fn()
    out = codes.join(names, on="metro_code", how="left")
    groups = pl.DataFrame(
        {"metro_code": list(grouped), "group": list(grouped.values())},
        schema={"metro_code": pl.String, "group": pl.String},
    )
    out = out.join(groups, on="metro_code", how="left")
    if name_fn is not None and out.height:
        # a dictionary lookup per distinct code (a few hundred at most), not per posting
        looked_up = pl.Series([name_fn(c) for c in out["metro_code"].to_list()], dtype=pl.String)
        out = out.with_columns(pl.coalesce(pl.col("n"), looked_up).alias("n"))
    return out.select("metro_code", pl.coalesce("group", "n", "metro_code").alias("metro"))


def _leading_city(label: str) -> str:
    """'san francisco' of 'San Francisco-Oakland-Fremont, CA'; 'ottawa' of 'Ottawa–Gatineau, ON'."""
    return re.split(r"[-–,]", label.lower(), maxsplit=1)[0].strip()


def _by_place(name: str, labels: Sequence[str], by_lower: dict[str, str], codes: dict[str, str]) -> str | None:
    """The label the cleaning's location parser reads `name` as ('NYC', 'Bay Area', 'LA', 'DC', 'Toronto'):
    its CBSA's label, else a label led by its city (in its region when several are)."""
    try:
        from marketlib.clean.locations import metro_name, parse_location_strings
    except ImportError:
        return None
    place = parse_location_strings(pl.Series([name])).row(0, named=True)
    code, city, region = place["metro_code"], place["city"], place["region"]
    code = code or (name if name.isdigit() and metro_name(name) else None)  # a CBSA code of another vintage
    grouped = [label for key, label in codes.items() if code and code in key.split("+") and "+" in key]
    if grouped:  # the CBSA is counted inside a chosen group ('41860' in 'SF Bay Area' = '41860+41940')
        return grouped[0]
    if code and code in codes:
        return codes[code]
    title = metro_name(code) if code else None
    if title and title.lower() in by_lower:
        return by_lower[title.lower()]
    for town in dict.fromkeys(t for t in (city, title and _leading_city(title)) if t):
        if region and f"{town}, {region}".lower() in by_lower:
            return by_lower[f"{town}, {region}".lower()]
        led = [label for label in labels if _leading_city(label) == town.lower()]
        where = {w for w in (region, place["country"]) if w}
        if len(led) > 1 and where:  # 'London' read as GB: 'London, GB', not 'London, ON'
            led = [label for label in led if where & set(re.split(r"[\s,-]+", label.rsplit(",", 1)[-1]))]
        if len(led) == 1:
            return led[0]
    return None


def _spellings(labels: Sequence[str], codes: dict[str, str]) -> dict[str, list[str]]:
    """More names per label to rank near misses by: its leading city and the alias data's names for it."""
    keys = {label: [_leading_city(label)] for label in labels}
    try:
        from marketlib.clean.places import read_csv
    except ImportError:
        return keys
    aliases = read_csv("location_aliases.csv").filter(pl.col("kind") == "place")
    for alias, city, code in aliases.select("alias", "city", "metro_code").iter_rows():
        label = codes.get(code or "") or next((lb for lb in labels if city and _leading_city(lb) == city.lower()),
                                              None)
        if label in keys:
            keys[label].append(alias)
    return keys


def resolve_metro(name: str, labels: Sequence[str], codes: dict[str, str] | None = None) -> str:
    """A metro label from a label, a CBSA code, a common name the location parser knows ('NYC', 'SF', 'Bay Area',
    'LA', 'DC', 'Seattle', 'Toronto'), the leading city of a label ('Los Angeles') or a unique label naming the
    place (a metro group such as 'Greater Los Angeles'). A miss names the closest labels."""
    from marketlib.params import closest

    codes = codes or {}
    wanted = name.strip().lower()
    by_lower = {label.lower(): label for label in labels}
    if wanted in by_lower:
        return by_lower[wanted]
    if name.strip() in codes:
        return codes[name.strip()]
    if not labels:
        raise UserError(
            f"Metro {name!r} is unknown: no metros are in the data yet (build the postings and "
            f"professionals tables first)."
        )
    found = _by_place(name.strip(), labels, by_lower, codes) if wanted else None
    if found:
        return found
    leading = [label for label in labels if _leading_city(label) == wanted]
    if len(leading) == 1:
        return leading[0]
    # a named group holding the place, e.g. "Los Angeles" -> "Greater Los Angeles"
    pattern = re.compile(rf"\b{re.escape(wanted)}\b")
    containing = [label for label in labels if pattern.search(label.lower())]
    if len(containing) == 1:
        return containing[0]
    # a CBSA counted inside a chosen group is shown as the group ('San Jose-...' -> 'SF Bay Area')
    in_group = {codes[m]: label for key, label in codes.items() if "+" in key for m in key.split("+") if m in codes}
    near = closest(name, labels, n=8, keys=_spellings(labels, codes), cutoff=0.6)
    near = list(dict.fromkeys(in_group.get(label, label) for label in near))[:5]
    if near:
        raise UserError(f"Metro {name!r} is unknown; closest: {'; '.join(near)}.")
    raise UserError(f"Metro {name!r} is unknown and no metro name is close to it; give a metro label, a CBSA "
                    f"code or a city such as 'Seattle', 'NYC' or 'Toronto'.")


def role_family_list() -> tuple[str, ...]:
    return schemas.ROLE_FAMILIES


# --- notebook display helpers -----------------------------------------------------------------------------


def role_family_share_chart(shares: pl.DataFrame, postings: pl.DataFrame, *, item: str, item_title: str,
                            title: str, note: str, sort: Sequence[str] | str = "-x"):
    """Bars of the share of postings naming each `item` (a skill, a domain) per role family, with the
    interval columns share_low_pct / share_high_pct as rules (the skills and domain pages)."""
    import altair as alt

    from marketlib import charts

    return charts.bars(
        shares, category=item, value="share_pct", low="share_low_pct", high="share_high_pct",
        color="role_family", sort=sort, title=title, value_title="Share of postings (%)",
        category_title=item_title, color_title="Role family",
        caption_text=chart_caption([postings], postings.height, note),
        tooltip=[
            alt.Tooltip("role_family:N", title="Role family"),
            alt.Tooltip(f"{item}:N", title=item_title),
            alt.Tooltip("postings:Q", title="Postings naming it", format=","),
            alt.Tooltip("n:Q", title="Postings in role family", format=","),
            alt.Tooltip("share_pct:Q", title="Share (%)", format=".1f"),
            alt.Tooltip("is_thin:N", title="Thin cell"),
        ],
    )


def chart_or_note(chart, note: str):
    """The chart, or a Markdown note saying why there is none (so a notebook cell never shows nothing)."""
    if chart is not None:
        return chart
    from IPython.display import Markdown

    return Markdown(f"*{html.escape(note)}*")


def notes_markdown(notes: Sequence[str]):
    """Caveats computed by an analysis, as a Markdown list (escaped: they may quote data values)."""
    from IPython.display import Markdown

    if not notes:
        return Markdown("*No caveats for this selection.*")
    return Markdown("\n".join(f"- {html.escape(n)}" for n in notes))


def text_markdown(text: str):
    from IPython.display import Markdown

    return Markdown(html.escape(text))


def licenses_markdown(sources: pl.DataFrame):
    """One line per source with its license; CC BY sources get an explicit attribution line."""
    from IPython.display import Markdown

    if not sources.height:
        return Markdown("*No data rows fed this notebook, so there are no sources to credit.*")
    lines = []
    for rec in sources.unique(subset="source", keep="first", maintain_order=True).iter_rows(named=True):
        line = f"- **{html.escape(rec['source'])}**: {html.escape(rec['license'])}"
        if rec["citation"]:
            line += f"; {html.escape(rec['citation'])}"
        line += f" (snapshots {html.escape(rec['snapshot_dates'] or 'n/a')})"
        if "CC BY" in (rec["license"] or "").upper().replace("-", " "):
            line += f". Attribution required: data from {html.escape(rec['source'])}, used under its license."
        lines.append(line)
    return Markdown("\n".join(lines))
