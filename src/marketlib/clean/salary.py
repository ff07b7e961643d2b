"""Annual salary in US dollars, from structured fields or from text ("$170-225K", "€80k–100k", "$45/hr").

Text parsing is vectorized: one `str.extract_all` finds salary-like candidates (an amount with a currency, an
optional range, period and 30 characters of trailing context), the candidates of all rows are parsed as one
long column with regex extracts and arithmetic, and each row keeps its first plausible candidate.
Not salaries: amounts with a magnitude word ("$200B company", "$5M seed round"), amounts followed by bonus,
funding, equity or revenue words, numbers without any currency (401k, "5-7 years", "0.3% equity").
`parse_stated_salary` reads one short field (an HN header's "$170-225K", "100-200k CHF", "$90-120/hr") into the
stated amounts, ISO currency and period, for the raw salary_min/max/currency/period columns; it shares the
currency and period tables below with the text scan.
Periods are annualized (hour x 2080, day x 260, week x 52, month x 12); currencies are converted with the
dated table `marketlib/data/fx_rates.csv`; annual values outside [10k, 2M] USD are rejected.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import polars as pl

from marketlib.clean.skills import ascii_classes, parallel_str
from marketlib.errors import UserError

FX_FILE = "fx_rates.csv"
MIN_ANNUAL_USD = 10_000.0
MAX_ANNUAL_USD = 2_000_000.0
ANNUAL_FACTOR = {"year": 1.0, "month": 12.0, "week": 52.0, "day": 260.0, "hour": 2080.0}
# A stated amount without a period: below this it reads as an hourly rate ("$17.00 - $28.00").
HOURLY_BELOW = 200.0
YEARLY_FROM = 10_000.0

_CODES = "USD|EUR|GBP|CAD|AUD|NZD|SGD|INR|CHF|SEK|NOK|DKK|PLN|JPY|BRL|ILS|HKD|CNY|MXN|ZAR|CZK|HUF|KRW"
_PREFIX = (r"(?:US\$|CA\$|C\$|AU\$|A\$|NZ\$|S\$|R\$|\bRs\.?\s?|[€£₹₪¥$]"
           r"|(?:" + _CODES + r")\s?[$€£₹₪¥]?)")
# Indian lakh grouping (12,00,000), thousands groups (120,000 / 80.000), plain numbers with cents.
_NUM = r"\d{1,2}(?:,\d{2})+,\d{3}|\d{1,3}(?:[,.]\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?"
_MULT = r"(?:\s?(?:k|thousand|mm|mil|million|m|bn|billion|b|trillion|t)\b)?"
_PERIOD = (r"(?:\s?(?:/|per|an|a)\s?(?:hour|hr|h|year|yr|annum|month|mo|week|wk|day)\b"
           r"|\s?(?:hourly|annually|yearly|monthly|weekly|daily)\b)?")
_SEP = r"\s?(?:-|–|—|to|and)\s?"
_SUFFIX = r"(?:\s?(?:" + _CODES + r")\b)?"
_TRAIL = r"[^\n$€£¥₹]{0,30}"
_AMOUNT = f"(?:{_NUM}){_MULT}"
# Leading currency (symbol or code), or a bare range/amount closed by a currency code ("150-200k USD").
CANDIDATE = ascii_classes(
    "(?i)"
    f"(?:{_PREFIX}\\s?{_AMOUNT}{_PERIOD}(?:{_SEP}{_PREFIX}?\\s?{_AMOUNT})?{_SUFFIX}{_PERIOD}"
    f"|\\b{_AMOUNT}(?:{_SEP}{_AMOUNT})?\\s?(?:{_CODES})\\b{_PERIOD})"
    f"{_TRAIL}"
)
_AMOUNT_GROUPS = ascii_classes(
    r"(?i)(" + _NUM + r")(\s?(?:k|thousand|mm|mil|million|m|bn|billion|b|trillion|t)\b)?")
_MAGNITUDE = ascii_classes(r"(?i)\d\s?(?:mm|mil|million|m|bn|billion|b|trillion|t)\b")
# An amount directly followed by a non-pay word ("$10,000 sign on bonus", "$40,000 in cash bonuses"); a
# "+ equity" or "+ bonus" after a salary range does not match, as the amount must run straight into the word.
_NOT_PAY = ascii_classes(
    r"(?i)^[^\d]*[\d.,]+(?:\s?k)?(?:\s?(?:-|–|—|to)\s?[^\d\s]*[\d.,]+(?:\s?k)?)?\s*(?:in\s+)?"
    r"(?:\w+[\s-]+)?(?:bonus\w*|sign[\s-]?on|signing|relocation|stipend|funding|raised|revenue|valuation|"
    r"ARR|assets|tuition|reimburs\w*|credits?|perks?|loans?|donat\w*|grants?|prizes?|fees?|equity\s+financing)\b")
_PERIOD_WORD = ascii_classes(r"(?i)(?:/|per|an|a|\b)\s?"
                r"(hour|hr|h|year|yr|annum|month|mo|week|wk|day|hourly|annually|yearly|monthly|weekly|daily)\b")
_PERIOD_MAP = {
    "hour": "hour", "hr": "hour", "h": "hour", "hourly": "hour",
    "year": "year", "yr": "year", "annum": "year", "annually": "year", "yearly": "year",
    "month": "month", "mo": "month", "monthly": "month",
    "week": "week", "wk": "week", "weekly": "week",
    "day": "day", "daily": "day",
}
_SYMBOL_MAP = {
    "US$": "USD", "CA$": "CAD", "C$": "CAD", "AU$": "AUD", "A$": "AUD", "NZ$": "NZD", "S$": "SGD",
    "R$": "BRL", "RS": "INR", "RS.": "INR", "€": "EUR", "£": "GBP", "₹": "INR", "₪": "ILS", "¥": "JPY",
    "$": "USD", "USD$": "USD", "CAD$": "CAD", "AUD$": "AUD", "SGD$": "SGD",
}


@lru_cache(maxsize=1)
def fx_rates() -> dict[str, float]:
    """USD per unit of each ISO currency, from the committed dated table."""
    text = resources.files("marketlib").joinpath("data", FX_FILE).read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if line.strip() and not line.startswith("#"))
    rates = {r["currency"].strip().upper(): float(r["usd_per_unit"]) for r in rows}
    if "USD" not in rates:
        raise UserError(f"{FX_FILE} has no USD row.")
    return rates


def fx_rate_date() -> str:
    text = resources.files("marketlib").joinpath("data", FX_FILE).read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return next(iter(rows))["rate_date"]


def _number(expr: pl.Expr) -> pl.Expr:
    """'120,000' / '80.000' / '45.50' / '1,234.5' -> float."""
    grouped = expr.str.contains(r"^(?:\d{1,2}(?:,\d{2})+,\d{3}|\d{1,3}(?:[,.]\d{3})+)$")
    return (
        pl.when(grouped).then(expr.str.replace_all(r"[,.]", ""))
        .otherwise(expr.str.replace_all(",", ""))
        .cast(pl.Float64, strict=False)
    )


def _usd_per_unit(currency: pl.Expr) -> pl.Expr:
    rates = fx_rates()
    return currency.replace_strict(list(rates), list(rates.values()), default=None, return_dtype=pl.Float64)


def _annual_factor(period: pl.Expr) -> pl.Expr:
    return period.replace_strict(list(ANNUAL_FACTOR), list(ANNUAL_FACTOR.values()), default=None,
                                 return_dtype=pl.Float64)


def _plausible(low: pl.Expr, high: pl.Expr) -> pl.Expr:
    return (low >= MIN_ANNUAL_USD) & (high <= MAX_ANNUAL_USD) & (low <= high)


def _parse_candidates(cands: pl.LazyFrame) -> pl.LazyFrame:
    """Add min_usd/max_usd, the annual USD of each candidate string `cand` (null when it is not a plausible
    salary). Built in stages of named columns: one nested expression repeated each sub-expression many times
    over, and planning it cost ~0.05 s per call whatever the rows."""
    c, cand = pl.col, pl.col("cand")
    amounts = cand.str.extract_all(_AMOUNT_GROUPS)
    symbol = cand.str.extract(ascii_classes(r"(?i)(US\$|CA\$|C\$|AU\$|A\$|NZ\$|S\$|R\$|\bRs\.?|[€£₹₪¥$])"))
    stated = cand.str.extract(_PERIOD_WORD).str.to_lowercase()
    return (
        cands.with_columns(amounts.list.get(0, null_on_oob=True).alias("_first"),
                           amounts.list.get(1, null_on_oob=True).alias("_second"))
        .with_columns(
            c("_first").str.contains(r"(?i)(?:k|thousand)$").alias("_lo_k"),
            c("_second").str.contains(r"(?i)(?:k|thousand)$").fill_null(False).alias("_hi_k"),
            _number(c("_first").str.extract(r"([\d.,]+)")).alias("_lo"),
            _number(c("_second").str.extract(r"([\d.,]+)")).alias("_hi"),
            pl.coalesce(
                cand.str.extract(ascii_classes(r"(?i)\b(" + _CODES + r")\b")).str.to_uppercase(),
                symbol.str.to_uppercase().replace_strict(list(_SYMBOL_MAP), list(_SYMBOL_MAP.values()),
                                                         default=None, return_dtype=pl.String)).alias("_currency"),
            stated.replace_strict(list(_PERIOD_MAP), list(_PERIOD_MAP.values()), default=None,
                                  return_dtype=pl.String).alias("_stated"),
            (~cand.str.contains(_MAGNITUDE) & ~cand.str.contains(_NOT_PAY)).alias("_is_pay"),
        )
        .with_columns(
            pl.when(c("_hi_k")).then(c("_hi") * 1000).otherwise(c("_hi")).alias("_hi"),
            # "$170-225K": the k of the upper bound applies to a lower bound written without it.
            pl.when(c("_lo_k") | (c("_hi_k") & (c("_lo") < 1000))).then(c("_lo") * 1000).otherwise(c("_lo"))
            .alias("_lo"),
        )
        .with_columns(pl.coalesce("_hi", "_lo").alias("_hi"))
        .with_columns(
            (_annual_factor(pl.coalesce(
                c("_stated"),
                pl.when(c("_hi") < HOURLY_BELOW).then(pl.lit("hour")).when(c("_hi") >= YEARLY_FROM)
                .then(pl.lit("year")))) * _usd_per_unit(c("_currency"))).alias("_factor"))
        .with_columns((c("_lo") * c("_factor")).alias("_low"), (c("_hi") * c("_factor")).alias("_high"))
        .with_columns((c("_is_pay") & _plausible(c("_low"), c("_high"))).alias("_keep"))
        .with_columns(pl.when(c("_keep")).then(c("_low")).alias("min_usd"),
                      pl.when(c("_keep")).then(c("_high")).alias("max_usd"))
    )


def _parse_series(texts: pl.Series) -> pl.Series:
    """Struct {min_usd, max_usd} of the first plausible salary in each text."""
    n = texts.len()
    candidates = (
        pl.DataFrame({"row": pl.int_range(n, eager=True, dtype=pl.UInt32),
                      "cand": parallel_str(texts.cast(pl.String), lambda t: t.str.extract_all(CANDIDATE))})
        .explode("cand")
        .drop_nulls("cand")
    )
    # No candidate in any text (a small file, most chunks of some sources): nothing to plan or parse.
    long = pl.DataFrame(schema={"row": pl.UInt32, "min_usd": pl.Float64, "max_usd": pl.Float64}) \
        if candidates.is_empty() else (
        _parse_candidates(candidates.lazy())
        .select("row", "min_usd", "max_usd")
        .drop_nulls("min_usd")
        .group_by("row", maintain_order=True)
        .first()
        .collect()
    )
    out = (
        pl.DataFrame({"row": pl.int_range(n, eager=True, dtype=pl.UInt32)})
        .join(long.select("row", "min_usd", "max_usd"), on="row", how="left")
        .sort("row")
    )
    return out.select(pl.struct("min_usd", "max_usd").alias(texts.name))[texts.name]


def parse_salary_text(expr: pl.Expr) -> pl.Expr:
    """Struct {min_usd, max_usd}: the first plausible annual-USD salary stated in a text, else nulls."""
    dtype = pl.Struct({"min_usd": pl.Float64, "max_usd": pl.Float64})
    return expr.map_batches(_parse_series, return_dtype=dtype, is_elementwise=True)


def field_salary_usd(low: pl.Expr, high: pl.Expr, currency: pl.Expr, period: pl.Expr) -> list[pl.Expr]:
    """Annual USD [min, max] from structured fields (null currency = USD, null period = year)."""
    factor = _annual_factor(period.str.to_lowercase().fill_null("year")) * _usd_per_unit(
        currency.str.to_uppercase().str.strip_chars().fill_null("USD"))
    lo, hi = pl.coalesce(low, high) * factor, pl.coalesce(high, low) * factor
    keep = _plausible(lo, hi)
    return [pl.when(keep).then(lo), pl.when(keep).then(hi)]


def add_salary(frame: pl.DataFrame) -> pl.DataFrame:
    """Add salary_min_usd, salary_max_usd (annual USD) and salary_source (field, text or null)."""
    cols = {"salary_min": pl.Float64, "salary_max": pl.Float64, "salary_currency": pl.String,
            "salary_period": pl.String, "salary_text": pl.String, "description": pl.String}
    inputs = [
        (pl.col(c).cast(t, strict=False) if c in frame.columns else pl.lit(None, dtype=t)).alias(f"_{c}")
        for c, t in cols.items()
    ]
    work = frame.select(inputs)
    field_lo, field_hi = field_salary_usd(pl.col("_salary_min"), pl.col("_salary_max"),
                                          pl.col("_salary_currency"), pl.col("_salary_period"))
    work = work.with_columns(field_lo.alias("_f_lo"), field_hi.alias("_f_hi"))
    # Text is parsed only where the fields gave nothing: salary_text first, then the description.
    t_lo = pl.Series("t_lo", [None] * work.height, dtype=pl.Float64)
    t_hi = t_lo.clone()
    for source in ("_salary_text", "_description"):
        todo = work["_f_lo"].is_null() & t_lo.is_null()
        parsed = _parse_series(work[source].zip_with(todo, pl.Series([None], dtype=pl.String)))
        t_lo = t_lo.fill_null(parsed.struct.field("min_usd"))
        t_hi = t_hi.fill_null(parsed.struct.field("max_usd"))
    work = work.with_columns(t_lo.alias("_t_lo"), t_hi.alias("_t_hi"))
    return frame.with_columns(
        pl.coalesce(work["_f_lo"], work["_t_lo"]).alias("salary_min_usd"),
        pl.coalesce(work["_f_hi"], work["_t_hi"]).alias("salary_max_usd"),
        pl.when(work["_f_lo"].is_not_null()).then(pl.lit("field"))
        .when(work["_t_lo"].is_not_null()).then(pl.lit("text"))
        .otherwise(pl.lit(None, dtype=pl.String)).alias("salary_source"),
    )


# ------------------------------------------------------------------------------------ one stated salary field

_FIELD_SYMBOL = r"(?:US\$|USD\$|CA\$|CAD\$|AU\$|AUD\$|NZ\$|SGD\$|[CASR]\$|\$|€|£|¥|₹)"


def _field_amount(p: str) -> str:
    return (
        rf"(?:(?P<{p}code>{_CODES})\s?)?(?P<{p}sym>{_FIELD_SYMBOL})?\s?"
        rf"(?P<{p}num>\d{{1,3}}(?:[,.' ]\d{{3}})+|\d+(?:\.\d+)?)\s?(?P<{p}mult>[kKmM](?![a-zA-Z]))?"
    )


_FIELD_SALARY = re.compile(
    _field_amount("a") + r"(?:\s?\+)?(?:\s*(?:-|–|—|~|to)\s*" + _field_amount("b") + r")?\+?"
    + rf"(?!\s?%)(?:\s?(?P<tail>{_CODES}))?"
    + r"(?:\s?(?:/|per|an?)\s?(?P<period>hour|hr|h|year|yr|annum|month|mo|week|wk|day)\b)?",
)
MONEY_HINT = re.compile(rf"{_FIELD_SYMBOL}|\b(?:{_CODES})\b")


@dataclass(frozen=True)
class StatedSalary:
    minimum: float | None
    maximum: float | None  # None for an open-ended "$150k+"
    currency: str | None  # ISO-4217; None when the field names no currency
    period: str  # year, month, week, day, hour
    text: str


def _field_number(raw: str, mult: str | None) -> float:
    value = float(re.sub(r"[,.' ](?=\d{3}\b)", "", raw))
    if mult:
        value *= 1_000_000 if mult.lower() == "m" else 1000
    return value


def parse_stated_salary(text: str) -> StatedSalary | None:
    """The first money range in a short field: "$170-225K", "€80k–100k", "150,000-200,000 USD"."""
    for m in _FIELD_SALARY.finditer(text):
        a_mult, b_mult = m.group("amult"), m.group("bmult")
        has_b = m.group("bnum") is not None
        low = _field_number(m.group("anum"), a_mult)
        high = _field_number(m.group("bnum"), b_mult) if has_b else None
        # "$170-225K": the multiplier written once applies to both ends.
        if has_b and b_mult and not a_mult and float(m.group("anum").replace(",", "")) < 1000:
            low = _field_number(m.group("anum"), b_mult)
        if has_b and a_mult and not b_mult and float(m.group("bnum").replace(",", "")) < 1000:
            high = _field_number(m.group("bnum"), a_mult)
        period = _PERIOD_MAP.get((m.group("period") or "").lower(), "year")
        code = m.group("acode") or m.group("bcode") or m.group("tail")
        symbol = (m.group("asym") or m.group("bsym") or "").upper()
        if not (code or symbol) and not (a_mult or b_mult or low >= 1000):
            continue
        if period == "year" and max(low, high or 0) < 1000:
            continue  # "$150-200" without k: not a credible annual figure; left to salary_text
        currency = code or _SYMBOL_MAP.get(symbol)
        if high is not None and high < low:
            low, high = high, low
        open_ended = not has_b and m.group(0).rstrip().endswith("+")
        return StatedSalary(low, None if open_ended else (high if has_b else low), currency, period, text)
    return None


_EQUITY = re.compile(
    r"(\d+(?:\.\d+)?\s?%?\s?(?:-|–|to)\s?\d+(?:\.\d+)?\s?%|\d+(?:\.\d+)?\s?%)\s*(?:equity)?", re.I
)


def parse_equity(text: str) -> str | None:
    """A stated equity figure ("0.3-0.41%"); plain "+ equity" gives None."""
    if "equity" not in text.lower():
        return None
    m = _EQUITY.search(text)
    return re.sub(r"\s+", "", m.group(1)) if m else None
