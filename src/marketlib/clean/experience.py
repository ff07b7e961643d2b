"""Required years of experience (YOE) from posting text, per DESIGN.md's definition.

How (all polars expressions over whole columns):
1. `extract_all` cuts each lowercased description into pieces "text since the previous mention + mention"
   ("3+ years", "at least five years", "18 months", "or 3 with a PhD"); a final piece holds the tail.
2. The pieces are exploded; each mention gets its context: the sentence before it, the sentence after it
   (the start of the next piece), the last section header above it ("Preferred Qualifications:").
3. Each mention is classified: counts as candidate experience (an experience cue and no company-age /
   degree-length / time-frame / benefit cue), preferred (preferred words or a preferred section), and linked
   to the previous mention as an alternative ("..., or", "Option 2", degree-conditional figures).
4. Per posting: alternatives combine by the smallest, the resulting groups by the largest; preferred figures
   count only when no required one exists. When level headers ("Senior Positions:", "Qualifications for
   Principal ...:") split the requirements, each level is combined so, the levels by the smallest, and what
   precedes the first level header holds for all of them. yoe_max is the upper end of the range that gave
   yoe_min.
"""

from __future__ import annotations

import polars as pl

from marketlib.clean.yoe_patterns import (
    _A_FIGURE,
    _BULLET,
    _DEGREE,
    _DEGREE_AFTER,
    _DEGREE_CONDITION_GAP,
    _DEGREE_OR,
    _ELEMENT,
    _ELEMENT_NO_EXPERIENCE,
    _FALSE_OR,
    _FIRST_OPTION,
    _FOR_BEFORE,
    _IDEALLY_AFTER,
    _INLINE_LEVEL,
    _LEVEL_HEADER,
    _LINE_WORDS,
    _LONE_FIGURE,
    _MAY_SAY_NONE_NEEDED,
    _MINIMUM_MOD,
    _NEGATIVE_AFTER,
    _NEGATIVE_BEFORE,
    _NO_EXPERIENCE,
    _NO_EXPERIENCE_NEEDED,
    _OPEN_FIELD,
    _OPTION,
    _OPTION_NUMBER_BEFORE,
    _OR_AT_END,
    _OR_DEGREE,
    _OR_DEGREE_AFTER,
    _PHRASE,
    _PIECE,
    _POSITIVE_AFTER,
    _POSITIVE_BEFORE,
    _PREF_HEADER,
    _PREFERRED,
    _REQ_HEADER,
    _REQUIRED,
    _REQUIRED_LABEL,
    _SEEKING_FOR,
    _UNIT_FIRST,
    _UNIT_WORD,
    _UNIT_WORD_ANY_CASE,
    _UPPER_ONLY,
    _WITHOUT_DEGREE,
    _WORD_NUMBERS,
)

MAX_YEARS = 50.0  # no posting asks for more: "With 90 years and a million members" is company age



def _bucket(value: pl.Expr) -> pl.Expr:
    return (pl.when(value.is_null()).then(pl.lit("none"))
            .when(value < 2).then(pl.lit("0-1"))
            .when(value < 5).then(pl.lit("2-4"))
            .when(value < 8).then(pl.lit("5-7"))
            .otherwise(pl.lit("8+")))


def _number(token: pl.Expr) -> pl.Expr:
    words = {k: str(v) for k, v in _WORD_NUMBERS.items()}
    return token.replace(words).cast(pl.Float64, strict=False)


def _lone_figure_before(element: pl.Expr) -> pl.Expr:
    """The line before, lowercased, when it is only a figure ("10", "Five+"): scraped text can break a line
    between a figure and its unit ("10\nyears of related experience"). The elements of a text are consecutive."""
    previous = element.shift(1)
    return pl.when(~_first_of_text() & previous.str.contains(_LONE_FIGURE)).then(_figure_of(previous))


def _lone_figure_after(element: pl.Expr) -> pl.Expr:
    """The line after, lowercased, when it is only a figure ("Years of Work Experience:\n3")."""
    following = element.shift(-1)
    last_of_text = (pl.col("_row") != pl.col("_row").shift(-1)).fill_null(True)
    return pl.when(~last_of_text & following.str.contains(_LONE_FIGURE)).then(_figure_of(following))


def _figure_of(line: pl.Expr) -> pl.Expr:
    """A lone figure's line without its bullet, lowercased ("• Five+" -> "five+")."""
    return line.str.replace(f"^{_BULLET}+", "").str.to_lowercase()


def _rejoin_lone_figure(element: pl.Expr, before: pl.Expr, after: pl.Expr) -> pl.Expr:
    """A sentence that starts with a unit takes back the lone figure of the line before it; a field that ends on
    "experience:" the one after it."""
    return (pl.when(before.is_not_null() & element.str.contains(_UNIT_FIRST))
            .then(pl.concat_str(before, pl.lit(" "), element))
            .when(after.is_not_null() & element.str.contains(_OPEN_FIELD))
            .then(pl.concat_str(element, pl.lit(" "), after)).otherwise(element))


def _elements(frame: pl.LazyFrame, col: str) -> pl.LazyFrame:
    """Sentences holding a years/months word, each flagged when it sits in a preferred section."""
    # Every text through _ELEMENT; the few that may say no experience is needed again through the longer
    # pattern, whose elements replace theirs (its extra alternative matches nothing in the others, so they keep
    # the same elements; filtering the whole text column in two would copy it).
    says_none = frame.filter(pl.col(col).str.contains(_MAY_SAY_NONE_NEEDED)).select(
        "_row", pl.col(col).str.extract_all(_ELEMENT_NO_EXPERIENCE).alias("_none"))
    elements = (
        frame.select("_row", pl.col(col).str.extract_all(_ELEMENT).alias("element"))
        .join(says_none, on="_row", how="left", maintain_order="left")
        .select("_row", pl.coalesce("_none", "element").alias("element"))
        .explode("element")
        .drop_nulls("element")
        .with_columns(_lone_figure_before(pl.col("element")).alias("_figure"),
                      _lone_figure_after(pl.col("element")).alias("_figure_after"))
        .filter(pl.col("element").str.contains_any(_LINE_WORDS, ascii_case_insensitive=True))
        .with_columns(
            pl.col("element").str.to_lowercase()
            # Scraped text glues words to numbers ("equivalent5+ years"); a space restores the word boundary.
            .str.replace_all(r"([a-z])(\d)", "$1 $2")
        )
    )
    # A short line can be a requirement without a figure ("No prior professional experience required").
    is_sentence = pl.col("element").str.contains(_UNIT_WORD) | pl.col("element").str.contains(_NO_EXPERIENCE)
    # The elements of a text are consecutive: per-text state is a global forward fill that each text's first
    # element resets (window functions over "_row" cost more than the regexes here).
    first = _first_of_text()
    # A level is numbered by its header's position (distinct within a posting); 0 before any level header.
    level = pl.when(~is_sentence & pl.col("element").str.contains(_LEVEL_HEADER)).then(pl.int_range(1, pl.len() + 1))
    inline_level = pl.when(is_sentence & pl.col("element").str.contains(_INLINE_LEVEL)).then(
        pl.int_range(1, pl.len() + 1))
    section = (pl.when(is_sentence).then(None)
               .when(pl.col("element").str.contains(_PREF_HEADER)).then(True)
               .when(pl.col("element").str.contains(_REQ_HEADER)).then(False))
    return (
        elements.with_columns(
            pl.when(first).then(section.fill_null(False)).otherwise(section).forward_fill().alias("in_pref_section"),
            is_sentence.alias("is_sentence"),
            pl.coalesce(inline_level, pl.when(first).then(level.fill_null(0)).otherwise(level).forward_fill())
            .alias("level"),
        )
        .filter("is_sentence")
        .with_columns(_rejoin_lone_figure(pl.col("element"), pl.col("_figure"), pl.col("_figure_after"))
                      .alias("element"))
        .drop("_figure", "_figure_after", "is_sentence")
        # A sentence id, unique over all texts.
        .with_columns(pl.int_range(pl.len()).alias("_seg"))
    )


def _first_of_text() -> pl.Expr:
    """True on the first of a text's consecutive rows."""
    return (pl.col("_row") != pl.col("_row").shift(1)).fill_null(True)


def _previous_in_text(value: pl.Expr, default) -> pl.Expr:
    """The value on the text's previous row; `default` on its first."""
    return pl.when(_first_of_text()).then(pl.lit(default)).otherwise(value.shift(1))


def _mentions(frame: pl.LazyFrame, col: str) -> pl.LazyFrame:
    """One row per mention with its parsed numbers, the text before it and after it in its sentence."""
    pieces = (
        _elements(frame, col)
        .with_columns(pl.col("element").str.extract_all(_PIECE).alias("piece"))
        .drop("element")
        .explode("piece")
        .drop_nulls("piece")
    )
    split = pl.col("piece").str.extract_groups(_PHRASE)
    return (
        pieces.with_columns(
            split.struct.field("phrase").alias("phrase"),
            split.struct.field("mod").alias("mod"),
            split.struct.field("lo").alias("lo_tok"),
            split.struct.field("hi").alias("hi_tok"),
            split.struct.field("hi0").alias("hi0_tok"),
            split.struct.field("unit").alias("unit"),
            split.struct.field("ulo").alias("ulo_tok"),
            split.struct.field("uhi").alias("uhi_tok"),
            split.struct.field("bare").alias("bare_tok"),
            split.struct.field("none").alias("none_tok"),
        )
        .with_columns(
            # The tail piece of a sentence (no mention) is only the text after its last mention.
            pl.when(pl.col("_seg") == pl.col("_seg").shift(-1)).then(pl.col("piece").shift(-1))
            .otherwise(pl.lit("")).alias("after"),
        )
        .filter(pl.col("phrase").is_not_null())
        .with_columns(pl.col("piece").str.head(-pl.col("phrase").str.len_chars().cast(pl.Int64)).alias("before"))
        .drop("piece")
        # Mention order, over all texts.
        .with_columns(pl.int_range(pl.len()).alias("_idx"))
    )


def _classify(mentions: pl.LazyFrame) -> pl.LazyFrame:
    before = pl.col("before").str.slice(-160)
    after = pl.col("after").str.slice(0, 160)
    is_bare = pl.col("bare_tok").is_not_null()
    is_none = pl.col("none_tok").is_not_null()
    months = pl.col("unit").str.starts_with("mo").fill_null(False)
    unit_first = pl.col("ulo_tok").is_not_null()
    lo = pl.when(is_none).then(0.0).otherwise(_number(pl.coalesce("lo_tok", "ulo_tok", "bare_tok")))
    hi = _number(pl.coalesce("hi_tok", "uhi_tok"))
    option_number = pl.col("before").str.contains(_OPTION_NUMBER_BEFORE) & hi.is_not_null()
    lo = pl.when(option_number).then(hi).otherwise(lo)
    hi = pl.when(option_number).then(None).otherwise(hi)
    # "0 3 years" is a range whose dash the scrape lost; "Level 2 5 years": the figure is the one by the unit.
    spaced = _number(pl.col("hi0_tok"))
    hi = pl.when(spaced.is_not_null() & (lo == 0)).then(spaced).otherwise(hi)
    lo = pl.when(spaced.is_not_null() & (lo != 0)).then(spaced).otherwise(lo)
    upper_only = pl.col("mod").fill_null("").str.strip_chars().str.contains(_UPPER_ONLY)
    minimum = pl.col("mod").fill_null("").str.contains(_MINIMUM_MOD)
    scale = pl.when(months).then(1 / 12).otherwise(1.0)
    low = pl.when(upper_only).then(0.0).otherwise(lo) * scale
    high = pl.when(upper_only).then(lo).otherwise(hi) * scale
    sentence = pl.concat_str(before, pl.col("phrase"), after)
    # "2-4 years of experience in marketing, ideally in healthcare": the adverb after a comma qualifies what
    # follows it, not the figure.
    wished = pl.concat_str(before, pl.col("phrase"), after.str.replace(_IDEALLY_AFTER, ""))
    same_sentence = pl.col("_seg") == pl.col("_seg").shift(1)
    # Text between the previous mention and this one (across a sentence end: its tail + this sentence's head).
    gap = (pl.when(same_sentence).then(before)
           .otherwise(pl.concat_str(_previous_in_text(pl.col("after"), ""),
                                     pl.lit("\n"), before))
           .str.replace_all(_FALSE_OR, " "))
    # The degree a figure is tied to may open a long sentence ("Ph.D. degree (in statistics, ...) with 2+ years").
    degree_before = pl.col("before").str.slice(-300).str.contains(_DEGREE)
    gap_tail = gap.str.slice(-200)
    alternative = (gap_tail.str.contains(_OR_AT_END) | gap_tail.str.contains(_OR_DEGREE)
                   | gap_tail.str.contains(_OPTION) | gap.str.contains(_DEGREE_CONDITION_GAP)
                   | before.str.contains(_OPTION_NUMBER_BEFORE))
    # A figure never joins one of another level's requirements.
    has_previous = ~_first_of_text() & (pl.col("level") == pl.col("level").shift(1))
    return mentions.with_columns(
        low.round(2).clip(0, MAX_YEARS).alias("yoe_lo"),
        high.round(2).clip(0, MAX_YEARS).alias("yoe_hi"),
        (is_bare | is_none | ((after.str.contains(_POSITIVE_AFTER) | before.str.contains(_POSITIVE_BEFORE)
                               | minimum | unit_first | (pl.col("unit") == "yoe"))
                    & (low <= MAX_YEARS)
                    & ~after.str.contains(_NEGATIVE_AFTER) & ~before.str.contains(_NEGATIVE_BEFORE)
                    & ~(before.str.contains(_FOR_BEFORE) & ~before.str.contains(_SEEKING_FOR) & ~minimum)
                    & ~(before.str.contains(_DEGREE_OR) & ~after.str.slice(0, 60).str.contains(_DEGREE))
                    # ... unless that degree comes with its own figure ("2 years or Masters plus 5 years") or this
                    # figure with one of its own ("Ph.D. with 2 years or MS/MA with a minimum of 8 years")
                    & ~(after.str.contains(_OR_DEGREE_AFTER) & ~after.str.slice(0, 80).str.contains(_A_FIGURE)
                        & ~degree_before))
         ).alias("counts"),
        ((wished.str.contains(_PREFERRED) | pl.col("in_pref_section"))
         & ~sentence.str.contains(_REQUIRED) & ~before.str.contains(_REQUIRED_LABEL)).alias("preferred"),
        (has_previous & ~gap_tail.str.contains(_FIRST_OPTION)
         & (is_bare | is_none | alternative | after.str.contains(_WITHOUT_DEGREE)
            | after.str.contains(_DEGREE_AFTER)
            | degree_before & _previous_in_text(degree_before, False))
         ).alias("linked"),
    ).with_columns(
        # Each text's first mention is never linked: a group id unique over all texts.
        (~pl.col("linked")).cum_sum().alias("group"),
        pl.when(pl.col("yoe_hi") < pl.col("yoe_lo")).then(None).otherwise(pl.col("yoe_hi")).alias("yoe_hi"),
    )


def _aggregate(classified: pl.LazyFrame) -> pl.LazyFrame:
    counted = classified.filter(pl.col("counts") & pl.col("yoe_lo").is_not_null())
    # "B.S with 8 years or M.S with 6 years preferred": a preferred word after the last alternative marks them all.
    counted = counted.with_columns(pl.col("preferred").last().over(["_row", "group"]).alias("preferred"))
    counted = counted.with_columns((~pl.col("preferred")).any().over("_row").alias("has_required"))
    chosen = counted.filter(~pl.col("preferred") | ~pl.col("has_required"))
    # Alternatives: the smallest figure of each group; requirements: the largest group ...
    per_group = (chosen.sort(["_row", "group", "yoe_lo", "_idx"])
                 .group_by(["_row", "group"], maintain_order=True).first())
    per_level = (per_group.sort(["_row", "level", "yoe_lo", "group"], descending=[False, False, True, False])
                 .group_by(["_row", "level"], maintain_order=True).first())
    # ... per level; the levels a posting can be filled at are alternatives (the smallest), and what comes
    # before any level header holds for all of them (the largest of the two).
    easiest = pl.col("yoe_lo").filter(pl.col("level") > 0).min().over("_row")
    return (per_level.filter((pl.col("level") == 0) | (pl.col("yoe_lo") == easiest))
            .sort(["_row", "yoe_lo", "level"], descending=[False, True, False])
            .group_by("_row", maintain_order=True).first()
            .select("_row", pl.col("yoe_lo").alias("yoe_min"), pl.col("yoe_hi").alias("yoe_max"),
                    pl.col("phrase").str.strip_chars().alias("yoe_phrase")))


def add_experience(frame: pl.DataFrame, col: str = "description") -> pl.DataFrame:
    """Add yoe_min, yoe_max (years, float), yoe_bucket (schemas.YOE_BUCKETS) and yoe_phrase."""
    # Only the text column goes through the query; the (wide) frame just receives four new columns.
    texts = frame.lazy().select(pl.col(col).cast(pl.String)).with_row_index("_row").filter(
        pl.col(col).str.contains(f"{_UNIT_WORD_ANY_CASE}|{_NO_EXPERIENCE_NEEDED}").fill_null(False))
    # The streaming engine spreads the elementwise regex passes over all cores.
    per_row = _aggregate(_classify(_mentions(texts, col))).collect(engine="streaming")
    result = (pl.DataFrame({"_row": pl.int_range(frame.height, eager=True, dtype=pl.UInt32)})
              .join(per_row, on="_row", how="left").sort("_row"))
    return frame.with_columns(
        result["yoe_min"], result["yoe_max"], result["yoe_phrase"],
        result.select(_bucket(pl.col("yoe_min")).alias("yoe_bucket"))["yoe_bucket"],
    )
