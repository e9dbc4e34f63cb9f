"""Reading a CSV file people made: from a path, the text or its bytes, UTF-8 with or without a BOM,
`,` or `;` (Norwegian Excel), tab or `|` (what Frist's exports offer); and the one shape of a
problem with a row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from intake.import_errors import DataImportError


def read_text(source: Path | str | bytes) -> tuple[str, str]:
    """The CSV text and a name for messages. A one-line string without a separator names a file."""
    if isinstance(source, str) and not _looks_like_path(source):
        return source.removeprefix("\ufeff"), "<csv>"
    if isinstance(source, bytes):
        raw, name = source, "<csv>"
    else:
        name = str(source)
        try:
            raw = Path(source).read_bytes()
        except (OSError, ValueError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise DataImportError([f"cannot read the file: {reason}"], name) from None
    try:
        return raw.decode("utf-8-sig"), name
    except UnicodeDecodeError as error:
        hint = "not UTF-8 text (in Excel, save as 'CSV UTF-8')"
        raise DataImportError([f"byte {error.start}: {hint}"], name) from None


def _looks_like_path(text: str) -> bool:
    return bool(text.strip()) and not any(sep in text for sep in ("\n", "\r", ",", ";", "\t"))


def delimiter(text: str) -> str:
    """Norwegian Excel writes `;`; others `,`; Frist's exports also tab and `|`. The header line decides."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def at(line: int, column: object, expected: str, got: object) -> str:
    """The one shape of every problem: where, what was expected, what was there."""
    text = str(got)
    return f"line {line}: column {column}: {expected} (got {text if len(text) <= 60 else text[:57] + '...'!r})"


def records(text: str, columns: tuple[str, ...], optional: frozenset[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, cells by column) for every non-blank row after the header. Raises DataImportError
    for a bad header, a row with too many values, or text that is not CSV."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    header: list[str] | None = None
    try:
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue
            if header is None:
                header = [value.strip().lower() for value in values]
                while header and not header[-1]:
                    header.pop()
                problems = [
                    at(line, name or "(empty)", f"one of {', '.join(columns)}", name)
                    for name in header
                    if name not in columns
                ]
                twice = sorted({name for name in header if header.count(name) > 1})
                problems += [at(line, name, "each column once", f"{name},{name}") for name in twice]
                missing = [name for name in columns if name not in header and name not in optional]
                problems += [at(line, name, "this column in the header", ",".join(header)) for name in missing]
                if problems:
                    raise DataImportError(problems)
                continue
            extra = [value for value in values[len(header) :] if value.strip()]
            if extra:
                expected = f"at most {len(header)} values (quote a value that holds the separator)"
                raise DataImportError([at(line, len(header) + 1, expected, extra[0])])
            cells = {name: "" for name in columns}
            cells.update({name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(header)})
            yield line, cells
    except csv.Error as error:
        raise DataImportError([f"line {reader.line_num}: not readable as CSV: {error}"]) from None
    if header is None:
        raise DataImportError([f"line 1: the file is empty (expected a header: {','.join(columns)})"])
