"""Reading a user's own table for `marketlib clean`: encodings, bad lines and honest messages.

- UTF-16 and UTF-32 (byte-order mark, or the NUL pattern of ASCII text without one) are decoded and named;
  text that is not UTF-8 otherwise is decoded as Windows-1252 (Latin-1 where that fails) and said so.
- A CSV row with the wrong number of fields, or a JSONL line that is not a JSON object, is skipped: the good
  rows are kept and the notes say how many lines were skipped and which came first. `strict` refuses instead.
- The fast path is polars on the whole file; Python looks at single lines only after polars refused the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from marketlib.errors import UserError

SUFFIXES = (".csv", ".jsonl", ".ndjson", ".parquet")
SHOWN_LINES = 5  # how many skipped line numbers a note lists

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)


@dataclass
class ReadResult:
    frame: pl.DataFrame
    notes: list[str] = field(default_factory=list)
    skipped_lines: list[int] = field(default_factory=list)


def _nul_encoding(sample: bytes) -> tuple[str, str] | None:
    """UTF-16/32 without a byte-order mark: mostly-ASCII text has NULs at fixed offsets."""
    if sample.count(0) < len(sample) // 4 or len(sample) < 4:
        return None
    sample = sample[: len(sample) // 4 * 4]

    def nul_share(offset: int, step: int) -> float:
        picked = sample[offset::step]
        return picked.count(0) / max(len(picked), 1)

    if nul_share(1, 4) > 0.9 and nul_share(2, 4) > 0.9 and nul_share(3, 4) > 0.9:
        return "utf-32-le", "UTF-32 LE"
    if nul_share(0, 4) > 0.9 and nul_share(1, 4) > 0.9 and nul_share(2, 4) > 0.9:
        return "utf-32-be", "UTF-32 BE"
    if nul_share(1, 2) > 0.9:
        return "utf-16-le", "UTF-16 LE"
    if nul_share(0, 2) > 0.9:
        return "utf-16-be", "UTF-16 BE"
    return None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def sniff_encoding(head: bytes) -> str | None:
    """The UTF-16/32 codec that the first bytes of a file show (byte-order mark or NUL pattern), else None."""
    for bom, codec, _label in _BOMS:
        if head.startswith(bom):
            return codec
    guessed = _nul_encoding(head.removeprefix(codecs.BOM_UTF8))
    return guessed[0] if guessed else None


def decode(data: bytes, path: Path, *, strict: bool) -> tuple[str, str | None]:
    """The text of `data` and a note naming the encoding when it was not plain UTF-8."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return _strict_decode(data[len(bom):], codec, label, path), \
                f"{path} is {label} text (byte-order mark); decoded it."
    data = data.removeprefix(codecs.BOM_UTF8)  # a UTF-8 mark says little: Excel adds it to Latin-1 text too
    guessed = _nul_encoding(data[:4096])
    if guessed:
        codec, label = guessed
        return _strict_decode(data, codec, label, path), f"{path} looks like {label} text without a byte-order " \
                                                         f"mark (NUL pattern); decoded it as {label}."
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
    if strict:
        raise UserError(f"{path} is not UTF-8 (first bad byte on line {line}); save it as UTF-8, or drop "
                        f"--strict to read it as Windows-1252.")
    try:
        text, label = data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        text, label = data.decode("latin-1"), "Latin-1"
    return text, f"{path} is not UTF-8 (first bad byte on line {line}); decoded it as {label}."


def _strict_decode(data: bytes, codec: str, label: str, path: Path) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise UserError(f"{path} looks like {label} text but byte {exc.start} is not valid {label}; save it as "
                        f"UTF-8.") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].rstrip(".:") if text else type(exc).__name__


def read_user_table(path: Path, *, strict: bool = False) -> ReadResult:
    path = Path(path)
    if path.is_dir():
        raise UserError(f"Cannot read {path}: it is a directory, not a file.")
    if not path.is_file():
        raise UserError(f"Cannot read {path}: no such file.")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UserError(f"Cannot read {path}: use a .csv, .jsonl or .parquet file.")
    try:
        if suffix == ".parquet":
            return ReadResult(pl.read_parquet(path))
        data = path.read_bytes()
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise UserError(f"Cannot read {path}: {_first_line(exc)}.") from None
    text, note = decode(data, path, strict=strict)
    result = _read_csv(text, path, strict) if suffix == ".csv" else _read_jsonl(text, path, strict)
    if note:
        result.notes.insert(0, note)
    return result


def _skipped(result: ReadResult, path: Path, total: int, what: str) -> ReadResult:
    lines = result.skipped_lines
    if lines:
        shown = ", ".join(str(n) for n in lines[:SHOWN_LINES]) + (", ..." if len(lines) > SHOWN_LINES else "")
        result.notes.append(f"Skipped {len(lines):,} of {total:,} lines of {path} that were not {what} "
                            f"(line{'s' if len(lines) > 1 else ''} {shown}); kept {result.frame.height:,} rows.")
    return result


def _refuse(path: Path, line: int, reason: str, bad: int) -> UserError:
    more = f" ({bad:,} bad lines in all)" if bad > 1 else ""
    return UserError(f"{path} line {line}: {reason}{more}; fix it, or drop --strict to keep the good rows.")


# ------------------------------------------------------------------------------------------ JSON lines

def _read_jsonl(text: str, path: Path, strict: bool) -> ReadResult:
    try:
        return ReadResult(pl.read_ndjson(io.BytesIO(text.encode("utf-8")), infer_schema_length=None))
    except (pl.exceptions.PolarsError, ValueError) as exc:
        polars_reason = _first_line(exc)
    good, bad, first_reason = [], [], ""
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError(f"a JSON {type(record).__name__}, not an object")
            good.append(line)
        except ValueError as exc:
            bad.append(number)
            first_reason = first_reason or f"not a JSON object ({_first_line(exc)})"
    if not bad:  # polars refused the file for another reason (e.g. a column with mixed types)
        raise UserError(f"Cannot read {path}: {polars_reason}.")
    if strict:
        raise _refuse(path, bad[0], first_reason, len(bad))
    if not good:
        raise UserError(f"Cannot read {path}: no line is a JSON object (line {bad[0]}: {first_reason}).")
    try:
        kept = "\n".join(good).encode("utf-8")
        frame = pl.read_ndjson(io.BytesIO(kept), infer_schema_length=None)
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise UserError(f"Cannot read {path}: {_first_line(exc)}.") from None
    total = sum(1 for line in lines if line.strip())
    return _skipped(ReadResult(frame, skipped_lines=bad), path, total, "JSON objects")


# ------------------------------------------------------------------------------------------ CSV

def _read_csv(text: str, path: Path, strict: bool) -> ReadResult:
    try:
        return ReadResult(pl.read_csv(io.BytesIO(text.encode("utf-8")), infer_schema=False))
    except pl.exceptions.NoDataError as exc:
        raise UserError(f"Cannot read {path}: {_first_line(exc)}.") from None
    except (pl.exceptions.PolarsError, ValueError) as exc:
        polars_reason = _first_line(exc)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, bad, first_reason = [], [], ""
    header: list[str] | None = None
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            bad.append(start)
            first_reason = first_reason or f"not a CSV row ({_first_line(exc)})"
            start = reader.line_num + 1
            continue
        if header is None:
            header = row
        elif row and len(row) != len(header):
            bad.append(start)
            first_reason = first_reason or f"{len(row)} fields where the header has {len(header)}"
        elif row:
            rows.append(row)
        start = reader.line_num + 1
    if not bad or header is None:
        raise UserError(f"Cannot read {path}: {polars_reason}.")
    if strict:
        raise _refuse(path, bad[0], first_reason, len(bad))
    if not rows:
        raise UserError(f"Cannot read {path}: no row matches the header (line {bad[0]}: {first_reason}).")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    try:
        frame = pl.read_csv(io.BytesIO(buffer.getvalue().encode("utf-8")), infer_schema=False)
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise UserError(f"Cannot read {path}: {_first_line(exc)}.") from None
    return _skipped(ReadResult(frame, skipped_lines=bad), path, len(rows) + len(bad), "CSV rows with the "
                    "header's fields")
