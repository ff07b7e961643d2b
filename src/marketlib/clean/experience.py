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

import re

import polars as pl

from marketlib.clean.skills import ascii_classes

MAX_YEARS = 50.0  # no posting asks for more: "With 90 years and a million members" is company age


def _ascii(pattern: str) -> str:
    """ASCII classes and word boundaries (`skills.ascii_classes`, and \\W, \\S as their complements): a Unicode
    \\b sends the regex engine to a far slower matcher as soon as the text holds a non-ASCII character (20x
    slower on real postings), and Unicode \\w, \\W, \\s compile into large automata that every chunk rebuilds."""
    pattern = re.sub(r"(?<!\\)\\W", "[^A-Za-z0-9_]", re.sub(r"(?<!\\)\\S", "[^ \\\\t\\\\n\\\\r\\\\f\\\\v]", pattern))
    return ascii_classes(re.sub(r"\(\?-u:\\b\)", r"\\b", pattern))


_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}
_NUM = r"(?:\d{1,2}(?:\.\d{1,2})?|" + "|".join(_WORD_NUMBERS) + r")"
_DASH = r"(?:-|–|—|to)"
# Modifiers kept inside the mention so that "less than 2 years" reads as 0..2.
_MOD = _ascii(r"(?:(?:\b(?:at least|a minimum of|minimum of|minimum|min\.|more than|over|in excess of"
              r"|upwards of"
              r"|approximately|approx\.|around|about|roughly|less than|fewer than|under|up to|no more than)"
              r"|≥|>=?)\s*)")
_UPPER_ONLY = r"^(?:less than|fewer than|under|up to|no more than)"
_UNIT = _ascii(r"(?:years?|yrs?|yoe|months?)\b")  # "7+ YoE": years of experience
_MENTION = _ascii(
    rf"(?P<mod>{_MOD})?\b(?P<lo>{_NUM})\b(?:\s*\+?\s*{_DASH}\s*(?P<hi>{_NUM})\b|\s+(?P<hi0>\d{{1,2}})\b)?"
    rf"\s*(?:\(\s*\w+\s*\)\s*)?"
    # "2 or more years", "five (5) plus years", "a 3-year experience"
    rf"(?:\+|plus|or\s+(?:more|greater|above))?\s*(?:full[- ]time\s+|additional\s+|professional\s+)?-?\s*"
    rf"(?P<unit>{_UNIT})(?:\s*\+)?"
)
# The figure after its unit, in a form's field ("Minimum Years of Work Experience: 3").
_FIELD_OF_YEARS = r"\byears?\s+of\s+(?:[a-z]+\s+){0,3}?experience\s*(?:\(\s*years?\s*\)\s*)?[:=]\s*"
_UNIT_FIRST_MENTION = _ascii(rf"{_FIELD_OF_YEARS}(?P<ulo>\d{{1,2}})\b(?:\s*\+)?(?:\s*{_DASH}\s*(?P<uhi>\d{{1,2}})\b)?")
# "5+ years, or 3 with a PhD": a bare number after "or" that borrows the unit of the figure before it.
_BARE_OR = _ascii(rf"\bor\s+(?:just\s+|only\s+)?(?P<bare>{_NUM})\s*\+?\s+(?:with|if)\b")
# "no prior experience required", "Master's degree and no experience": a stated 0.
_NO_EXPERIENCE = _ascii(r"\bno\s+(?:prior\s+|previous\s+|professional\s+|relevant\s+|work(?:ing)?\s+|industry\s+"
                        r"|formal\s+|paid\s+)*experience\b")
_PIECE = rf"(?s).*?(?:{_UNIT_FIRST_MENTION}|{_MENTION}|{_BARE_OR}|{_NO_EXPERIENCE}|\z)"
# The mention that ends a piece. Searched for, not matched from the piece's start: the regex engine then finds
# its bounds with a DFA and resolves the groups on the mention alone (8x faster than "^(?P<prefix>.*?)...$").
_PHRASE = rf"(?P<phrase>{_UNIT_FIRST_MENTION}|{_MENTION}|{_BARE_OR}|(?P<none>{_NO_EXPERIENCE}))\z"

_UNIT_WORD = _ascii(r"\b(?:years?|yrs?|yoe|months?)\b")
# Same, on text not yet lowercased (spelled out: a case-insensitive flag made the big pass slower).
_UNIT_WORD_ANY_CASE = _ascii(r"\b(?:[Yy](?:ears?|EARS?|rs?|RS?|[Oo][Ee])|[Mm](?:onths?|ONTHS?))\b")
# A sentence: up to a newline, bullet, semicolon or a period followed by a space ("1.5", "B.S" stay inside);
# a capital before the period is an initial ("Ph.D. in", "M.S. and"), not a sentence end.
_SENTENCE_CHAR = r"(?:[^\n•;.]|\.[A-Z]\.\s|\.\S|[A-Z]\.\s)"
_EXPERIENCE_WORDS = _ascii(r"experien|exp\b|yoe\b|background|expertise|track record|work|industry"
                           r"|professional|hands[- ]on|relevant|related|practical|proven|progressive"
                           r"|post-?doc|career|success")
# A counted mention needs an experience cue after it ("of Python", "experience", "in analytics") ...
# A comma ends the figure's phrase: "15 years, with over 99% of drugs failing" is no "3 years with Python".
_POSITIVE_AFTER = _ascii(
    rf"^\W*(?:\w+\W+){{0,12}}?(?:{_EXPERIENCE_WORDS})|^[^\w,]*(?:of|in|with|within|as|at|on|across|using|building"
    r"|developing|designing|leading|managing|programming|writing|coding|applying|deploying|creating"
    r"|supporting|conducting|performing|delivering|working|doing|running|owning|teaching)\b"
    r"|^[^\w,]*[a-z]{3,}ing\b"  # any activity: "3+ years synthesizing insights" (not "remaining": negative)
)
# ... or before it ("Experience: 5 years", "PhD + 2 years", "Masters plus 5 years"); a bare "and" is no cue
# ("a new drug can take $1B and 15 years").
_POSITIVE_BEFORE = _ascii(r"experien|\bexp\b|qualif|requir|minimum|must|you have|you bring|you've|candidate|applicant"
                          r"|looking for|\bneed|degree|bachelor|master|ph\.?d|doctor|(?:\+|\bplus"
                          r"|\bwith)\W*$")
# Numbers that are not candidate experience: company age, degree or contract length, benefits, time frames.
_NEGATIVE_AFTER = _ascii(
    r"^\W*(?:ago|old\b|of age|remaining|following|pending|in business\s*(?:[.,;)]|$|and\b|for\b|since\b)"
    r"|in operation|history|heritage"
    r"|since (?:our |its |the |their )?(?:launch|found\w*|incept\w*|creat\w*)"
    r"|anniversary|warranty|contract|term\b"
    r"|commitment|vesting|cliff|degree|college|university|program|course|accredited|bachelor|institution"
    r"|tenure|here\b|with us|internship|co-?op\b|duration|assignment|engagement|leave|sabbatical|later"
    r"|from now"
    # A time frame named right after the figure ("12 Month Work Period"), or years counted from a degree
    # ("1-2 years since degree completion").
    r"|(?:\w+\W+){0,2}?period\b|since\s+(?:\w+\s+){0,2}?(?:degree|graduat\w*|completion)"
    r"|alone|and beyond|combined|collective|cumulative|(?:\w+\W+){0,2}credit"
    # A contract's length ("3 months, with possibility of extension").
    r"|(?:\w+\W+){0,4}?(?:extension|renewal|renewable)\b"
    # Years of schooling, and years offered in place of a degree ("in lieu of every year of education").
    r"|(?:\w+\W+){0,5}(?:education|schooling|semesters?|curriculum)\b|appointment|fellowship|residency"
    r"|(?:\w+\W+){0,8}?(?:in lieu of|substitut\w* for)\b"
    r"|of (?:full |guaranteed )?(?:funding|support|salary)\b"
    r"|of (?:employment|service|tenure|continuous|change|growth|success|innovation|excellence|leading|serving"
    r"|helping"
    r"|providing|delivering|operation|partnership|combined|collective)\b)"
)
_NEGATIVE_BEFORE = _ascii(
    r"(?:\b(?:founded|established|since|within|next|first|past|last|previous|during|after|every|each|per|once"
    r"|twice|in just|in only|been|celebrat\w*|duration|contract|term|age|aged|exceed)\W*$"
    r"|\b(?:ceo|cto|cfo|founders?|co-?founders?)\b[^.]{0,20}$"
    # An employer's own record ("a mission-driven organization with more than 30 years of experience").
    r"|\b(?:organi[sz]ation|company|firm|institution|agency|business|provider|leader)\s+(?:with|of|that has)\s*$"
    r"|\b(?:building|drawing|founded)\s+on\s*$"  # "Building on more than 30 years of investing experience, Acme"
    # Years that stand in for a degree ("In the absence of a degree, a minimum of 4 years").
    r"|\b(?:in\s+the\s+absence\s+of|without|in\s+lieu\s+of)\s+(?:an?\s+|the\s+)?(?:[\w'’-]+\s+){0,3}?degree\W*$"
    # The answer line of a careers-page FAQ ("A: A Principal Data Scientist has ... typically 8+ years").
    r"|^\W*a:\s)"
)
# "for 2 years" is a time frame, "for a minimum of three (3) years" or "looking for 5+ years" a requirement.
_FOR_BEFORE = _ascii(r"\bfor\W*$")
_SEEKING_FOR = _ascii(r"\b(?:looking|searching|seeking|asking|hiring)\s+for\W*$")
# "Minimum 3 years, 5+ years preferred": a stated minimum is a requirement even when the experience word only
# follows a later figure.
_MINIMUM_MOD = _ascii(r"\b(?:minimum|min\.|at least)\b")
_PREFERRED = _ascii(r"prefer|a plus|an asset|nice[ -]to[ -]have|desired|desirable|ideal|bonus"
                    r"|recommended|advantage|beneficial|helpful|would be great|optional|not required"
                    r"|not a must|highly valued|pluses")
_IDEALLY_AFTER = _ascii(r",\s*ideally\b[^.;\n]*")
# "requirements gathering" is a skill, not a requirement marker.
_REQUIRED = _ascii(r"\brequire[ds]?\b|\bmust\b|\bmandatory\b")
# A sentence labelled as the minimum ("Minimum Years of Work Experience: 3") is required in any section.
_REQUIRED_LABEL = _ascii(r"^\W*(?:minimum|required|basic)\b")
# "No prior experience is required" stated in running text (spelled out in both cases, as above).
_EXPERIENCE_NEEDED = (r"[Ee](?:xperience|XPERIENCE)\s+(?:is\s+|are\s+)?"
                      r"(?:[Rr]equired|[Nn]eeded|[Nn]ecessary|REQUIRED|NEEDED|NECESSARY)\b")
_NO_EXPERIENCE_NEEDED = _ascii(rf"\b[Nn][Oo]\s+(?:[A-Za-z]+\s+){{0,2}}?{_EXPERIENCE_NEEDED}")
# Which texts may say so: a scan that starts on a literal is 5x cheaper than one that starts on "no".
_MAY_SAY_NONE_NEEDED = _ascii(_EXPERIENCE_NEEDED)
# What step 1 keeps of a description: short lines (possible section headers) and the sentences that hold
# a years/months word. Kept deliberately simple: this regex runs over every byte of every description.
_ELEMENT = (rf"(?m)^(?:[^\n.]|\.\S|(?:Sr|SR|Jr|JR)\.\s){{1,60}}\.?$"
            rf"|{_SENTENCE_CHAR}*{_UNIT_WORD_ANY_CASE}{_SENTENCE_CHAR}*")
# ... and, in the few texts that state it, the sentences saying no experience is needed. A separate pattern:
# one more alternative inside _ELEMENT made that pass twice as slow on every text.
_ELEMENT_NO_EXPERIENCE = (rf"{_ELEMENT}|{_SENTENCE_CHAR}*{_NO_EXPERIENCE_NEEDED}{_SENTENCE_CHAR}*")
# A line that is only a figure ("10", "• 5+"), a line that starts with its unit ("years of ...") and a field
# whose figure is on the next line ("Years of Work Experience:").
_BULLET = r"[\s•·*-]"
_LONE_FIGURE = _ascii(rf"(?i)^{_BULLET}*{_NUM}\s*\+?\s*$")
_UNIT_FIRST = _ascii(rf"^\s*{_UNIT}")
_OPEN_FIELD = _ascii(rf"{_FIELD_OF_YEARS}$")
# Words that every line step 3 reads contains: a unit or "experience" (the sentences), or a word or the colon
# of a section or level header below. Most short lines hold none of them and are dropped by one Aho-Corasick
# pass before the per-line regexes run.
_LINE_WORDS = ["year", "yr", "yoe", "month", "experience", ":", "prefer", "nice", "bonus", "desir", "additional",
               "optional", "pluses", "ideal", "basic", "minimum", "required", "key", "requirement", "qualification",
               "what you", "who you", "you have", "about you", "responsibilit", "benefit", "what we", "must",
               "position", "level"]
# Which short lines are section headers, and of which kind. A level header ("Senior Positions:", "Basic
# Qualifications for Sr. Principal Data Scientist:") starts the requirements of one of several levels a
# posting can be filled at: the levels are alternatives.
_LEVEL_WORD = r"(?:junior|senior|sr\.?|jr\.?|principal|staff|lead|associate|intermediate|entry|mid)"
_LEVEL_HEADER = _ascii(rf"(?:qualifications|requirements)\s+for\s+(?:the\s+|an?\s+)?{_LEVEL_WORD}\b"
                       rf"|^\W*{_LEVEL_WORD}\b[\w/ .-]{{0,30}}\b(?:positions?|levels?)\b\W*$"
                       r"|^\W*level\s+(?:\d|i{1,3}|iv)\b[^\n]{0,30}:\s*$")
# A requirement that names its own level ("Senior Manager: 4-5 years", "Associate Director: 6+ years"): each
# such sentence is a level of its own (the sentences after it are not).
_INLINE_LEVEL = _ascii(rf"^\W*{_LEVEL_WORD}\b[\w /.-]{{0,30}}:\s*(?:{_MOD})?{_NUM}\b")
_PREF_HEADER = _ascii(r"^\W*(?:preferred|nice[ -]to[ -]haves?|bonus|desired|desirable|additional"
                      r"|optional|pluses|ideal)"
                      r"|(?:prefer|a plus|nice[ -]to[ -]have|bonus|desired|desirable|ideal)[^\n]*:\s*$")
_REQ_HEADER = _ascii(r"^\W*(?:(?:basic|minimum|required|key)\b|requirements|qualifications|what you"
                     r"|who you|you have"
                     r"|about you|responsibilities|benefits|what we|must)|:\s*$")
_DEGREE = _ascii(r"bachelor|baccalaureate|master|ph\.?d|doctor|\b[bm]\.s\b|\bb\.a\.|\b(?:bs|ms|ba|mba)\b"
                 r"|advanced degree|graduate degree|\bno degree"
                 # The lower rungs of a degree ladder ("an associate's degree plus 10 years", "High School + 19").
                 r"|associate(?:'s|’s|s)?\s+degree|high[- ]school|\bged\b")
# "or" that does not join alternatives of experience ("or related field", "and/or").
_FALSE_OR = _ascii(r"\b(?:and/or|or (?:a |an |other |any )?(?:related|equivalent|similar|relevant|other"
                   r"|another"
                   r"|comparable|closely|higher|above|more|greater|better|in lieu)\w*)")
# An "or" joins two figures when it ends the gap ("5 years, or at least 3 with") or introduces another degree
# ("..., or Master's and 2 years"); "Python, Java, or Scala" before a new bullet does not. Kept as three
# plain patterns: one combined pattern with bounded repeats was 100x slower.
_OR_AT_END = _ascii(r"\bor\W*$")
_OR_DEGREE = _ascii(rf"\bor\b(?:[^\n]*|\W*\n[^\n]*)(?:{_DEGREE})[^\n]*$")
_OPTION = _ascii(r"\b(?:option\s*\d|alternatively)")
# "Option 1" opens a new set of alternatives, whatever came before it.
_FIRST_OPTION = _ascii(r"\boption\s*(?:1|one)\b[^\n]*$")
# "Option 3 - 5 years": the option's number, not the start of a range.
_OPTION_NUMBER_BEFORE = _ascii(r"\boption\s*$")
# Years offered in place of a degree ("Master's degree ..., or minimum 12 years"; "PhD OR 4+ years"): they
# replace the degree, they are not the experience the posting asks for.
_DEGREE_OR = _ascii(rf"(?:{_DEGREE})[^;\n]{{0,120}}\bor\s+(?:an?\s+)?(?:minimum\s+(?:of\s+)?|at\s+least\s+)?$")
# ... and written the other way round: "2-5 years of experience OR Master's in Computer Science".
_A_FIGURE = _ascii(rf"\b{_NUM}\b")
_OR_DEGREE_AFTER = _ascii(rf"^\W*(?:of\s+)?(?:\w+\s+){{0,3}}?or\s+(?:an?\s+)?(?:{_DEGREE})")
# "at least 2 years (if PhD) and 3+ years": the gap opens with the degree the previous figure is tied to.
_DEGREE_CONDITION_GAP = _ascii(rf"^\W*\(\s*(?:if|with|for)\s+(?:an?\s+|the\s+)?(?:{_DEGREE})")
# "6+ years ... without graduate degree" is the alternative to the degree-plus-years figure before it.
_WITHOUT_DEGREE = _ascii(r"^\W*(?:\w+\W+){0,8}?without\b")
# "At least 5 years ... 3 years with a Master's degree": a figure tied to a degree right after it is an
# alternative to the figure before it.
_DEGREE_AFTER = _ascii(rf"^\W*(?:of\s+\w+\s+)?(?:experience\s+)?(?:with|and|plus|\+)\s+(?:an?\s+|the\s+)?(?:{_DEGREE})")


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
