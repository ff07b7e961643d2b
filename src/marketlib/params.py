"""Validation of notebook parameters: a bad value raises UserError with one sentence naming the valid ones.

Notebook parameters arrive as literals (papermill YAML), so every checker accepts the plain Python types a
user would type: str, int, list[str], None.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping, Sequence

from marketlib.errors import UserError

_MAX_LISTED = 12


def _listing(valid: Iterable[str]) -> str:
    values = sorted({str(v) for v in valid})
    shown = ", ".join(values[:_MAX_LISTED])
    more = len(values) - _MAX_LISTED
    return shown + (f" (and {more} more)" if more > 0 else "")


def closest(value: str, choices: Iterable[str], n: int = 5, keys: Mapping[str, Iterable[str]] | None = None,
            cutoff: float = 0.5) -> list[str]:
    """The choices nearest to `value` (case-insensitive, best first), at most `n`; `keys` may give each choice
    more spellings to compare against (a metro label's leading city, its aliases). Empty when none is close."""
    wanted = value.strip().lower()
    scored = []
    for choice in dict.fromkeys(choices):
        spellings = [choice, *(keys or {}).get(choice, ())]
        score = max(difflib.SequenceMatcher(None, wanted, s.strip().lower()).ratio() for s in spellings)
        if score >= cutoff:
            scored.append((-score, choice))
    return [choice for _score, choice in sorted(scored)[:n]]


def check_keys(given: Iterable[str], valid: Iterable[str], where: str = "") -> None:
    """Every key of `given` is one of `valid`; else one sentence naming the key, its closest names and all."""
    valid = list(valid)
    unknown = [k for k in given if k not in valid]
    if not unknown:
        return
    key = unknown[0]
    near = closest(str(key), valid, n=3, cutoff=0.6)
    hint = f" (did you mean {' or '.join(near)}?)" if near else ""
    prefix = f"{where}: " if where else ""
    more = f" (and {len(unknown) - 1} more unknown)" if len(unknown) > 1 else ""
    raise UserError(f"{prefix}unknown parameter {key!r}{hint}{more}; valid parameters are: "
                    f"{', '.join(valid) or 'none'}.")


def check_choice(name: str, value: object, valid: Sequence[str]) -> str:
    """One value out of `valid`."""
    if not isinstance(value, str) or value not in valid:
        raise UserError(f"Parameter {name} = {value!r} is not valid; choose one of: {_listing(valid)}.")
    return value


def check_choices(name: str, values: object, valid: Sequence[str], allow_empty: bool = False) -> list[str]:
    """A list of values out of `valid` (a lone string is one item); duplicates dropped."""
    if isinstance(values, str):
        values = [values]
    if values is None:
        values = []
    if not isinstance(values, list | tuple):
        raise UserError(f"Parameter {name} must be a list of strings, got {type(values).__name__}.")
    if not values and not allow_empty:
        raise UserError(f"Parameter {name} is empty; give at least one of: {_listing(valid)}.")
    unknown = [v for v in values if not isinstance(v, str) or v not in valid]
    if unknown:
        raise UserError(
            f"Parameter {name} has unknown value(s) {', '.join(map(repr, unknown))}; "
            f"valid values are: {_listing(valid)}."
        )
    return list(dict.fromkeys(values))


def check_date(name: str, value: object, allow_none: bool = True) -> dt.date | None:
    """A date given as 'YYYY-MM-DD' (or a date); None/'' means no bound when allowed."""
    if value is None or value == "":
        if allow_none:
            return None
        raise UserError(f"Parameter {name} is required as a date 'YYYY-MM-DD'.")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise UserError(f"Parameter {name} = {value!r} is not a date; write it as 'YYYY-MM-DD'.")


def check_date_range(date_from: object, date_to: object) -> tuple[dt.date | None, dt.date | None]:
    start, end = check_date("date_from", date_from), check_date("date_to", date_to)
    if start and end and start > end:
        raise UserError(f"Parameter date_from ({start}) is after date_to ({end}).")
    return start, end


def check_int(name: str, value: object, minimum: int = 0, maximum: int | None = None) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < minimum
        or (maximum is not None and value > maximum)
    ):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise UserError(f"Parameter {name} = {value!r} must be a whole number {bound}.")
    return value


def check_strings(name: str, values: object) -> list[str]:
    """A list of free strings (names checked later against data, e.g. metros)."""
    if isinstance(values, str):
        values = [values]
    if values is None:
        return []
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise UserError(f"Parameter {name} must be a list of strings.")
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))
