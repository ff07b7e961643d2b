"""The regex vocabulary of `clean.experience`: what a years mention looks like, which words around it make
it experience, a time frame, a preference or an alternative, and which lines are section or level headers.
All patterns are Rust-regex strings for polars, with ASCII classes (`_ascii`)."""

from __future__ import annotations

import re

from marketlib.clean.skills import ascii_classes


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
