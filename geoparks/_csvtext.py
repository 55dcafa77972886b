"""Decode a CSV file's bytes and split it into cells that know their line and column.

The standard :mod:`csv` module forgets where a value stood; error messages
need ``FILE:LINE:COLUMN``, so this reader keeps each cell's 1-based line and
character column (of the cell's first character, its opening quote if quoted).
It follows RFC 4180: comma separators, double-quoted cells that may hold
commas, quotes (doubled) and line breaks, and any of LF, CRLF or CR line ends.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from geoparks.errors import CatalogError, DataFileError, Problem

_BINARY_MAGIC = {
    b"PK\x03\x04": "a zip archive (an .xlsx workbook?): save it as 'CSV UTF-8' first",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) workbook: save it as 'CSV UTF-8' first",
    b"SQLite format 3": "a SQLite database",
}


@dataclass(frozen=True)
class Cell:
    """One CSV value and where it starts."""

    value: str
    line: int
    column: int


def decode(data: bytes, file: str) -> str:
    """Return the text of a UTF-8 file (a BOM is dropped), or raise a located error.

    Raises
    ------
    CatalogError
        For a file that is not UTF-8 text; a GBK/GB18030 file, common for
        Chinese spreadsheets, gets a message saying so.
    """
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise CatalogError([Problem(file, 1, 1, f"not a text file: {what}", None, "UTF-8 CSV")])
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CatalogError(
            [Problem(file, 1, 1, "file is UTF-16, not UTF-8: re-save it as UTF-8", None, "UTF-8")]
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError([_not_utf8(data, exc, file)]) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise CatalogError([Problem(file, line, 1, "not a text file: it holds NUL bytes")])
    return text


def _not_utf8(data: bytes, exc: UnicodeDecodeError, file: str) -> Problem:
    line = data.count(b"\n", 0, exc.start) + 1
    line_start = data.rfind(b"\n", 0, exc.start) + 1
    column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
    raw = data[exc.start : exc.start + 2].hex(" ")
    try:
        guess = data[line_start:].split(b"\n", 1)[0].decode("gb18030").strip()
        data.decode("gb18030")
    except UnicodeDecodeError:
        message = "file is not UTF-8"
    else:
        message = (
            f"file is not UTF-8: it looks GBK/GB18030-encoded (this line reads {guess[:40]!r}"
            " in GBK); re-save it as UTF-8, e.g. `iconv -f GB18030 -t UTF-8`"
        )
    return Problem(file, line, column, message, f"bytes {raw}", "UTF-8 text")


def read_rows(text: str, file: str) -> tuple[list[list[Cell]], list[Problem]]:
    """Split CSV text into rows of located cells; blank lines are skipped.

    Returns
    -------
    rows : list of list of Cell
    problems : list of Problem
        Malformed quoting: a quote left open, or text after a closing quote.
    """
    rows: list[list[Cell]] = []
    problems: list[Problem] = []
    row: list[Cell] = []
    i, n, line, col = 0, len(text), 1, 1
    while True:
        start_line, start_col = line, col
        if i < n and text[i] == '"':
            buf: list[str] = []
            i, col = i + 1, col + 1
            while True:
                if i >= n:
                    problems.append(
                        Problem(
                            file,
                            start_line,
                            start_col,
                            "quoted value is never closed",
                            None,
                            'a closing double quote (")',
                        )
                    )
                    break
                char = text[i]
                if char == '"':
                    if text.startswith('""', i):
                        buf.append('"')
                        i, col = i + 2, col + 2
                        continue
                    i, col = i + 1, col + 1
                    break
                if char in "\r\n":
                    i += 2 if text.startswith("\r\n", i) else 1
                    buf.append("\n")
                    line, col = line + 1, 1
                    continue
                buf.append(char)
                i, col = i + 1, col + 1
            stray_start = i
            while i < n and text[i] not in ",\r\n":
                i += 1
            if i > stray_start:
                problems.append(
                    Problem(
                        file,
                        line,
                        col,
                        "text after a closing quote",
                        text[stray_start:i],
                        "a comma or the end of the line",
                    )
                )
                col += i - stray_start
            value = "".join(buf) + text[stray_start:i]
        else:
            end = i
            while end < n and text[end] not in ",\r\n":
                end += 1
            value = text[i:end]
            col += end - i
            i = end
        row.append(Cell(value, start_line, start_col))
        if i < n and text[i] == ",":
            i, col = i + 1, col + 1
            continue
        if not (len(row) == 1 and row[0].value == "" and text[i - 1 : i] != '"'):
            rows.append(row)
        row = []
        if i >= n:
            return rows, problems
        i += 2 if text.startswith("\r\n", i) else 1
        line, col = line + 1, 1


def read_table(path: Path) -> tuple[list[Cell], list[list[Cell]], list[Problem]]:
    """Read a CSV file into its header and rows, with every problem of its shape.

    Raises
    ------
    DataFileError
        If the file is missing or unreadable.
    CatalogError
        If it is not UTF-8 text, or empty.
    """
    file = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"{file}: no such file") from None
    except OSError as exc:
        raise DataFileError(f"{file}: cannot read: {exc.strerror}") from None
    rows, problems = read_rows(decode(data, file), file)
    if not rows:
        raise CatalogError([Problem(file, 1, 1, "file is empty", None, "a header row")])
    header, body = rows[0], rows[1:]
    seen: dict[str, Cell] = {}
    for cell in header:
        name = cell.value.strip()
        if not name:
            problems.append(Problem(file, cell.line, cell.column, "empty column name"))
        elif name in seen:
            problems.append(
                Problem(
                    file,
                    cell.line,
                    cell.column,
                    "duplicate column",
                    name,
                    f"each column once (first at column {seen[name].column})",
                )
            )
        seen.setdefault(name, cell)
    for row in body:
        if len(row) != len(header):
            cell = row[min(len(row), len(header)) - 1]
            problems.append(
                Problem(
                    file,
                    cell.line,
                    cell.column,
                    f"row has {len(row)} values but the header has {len(header)} columns",
                    None,
                    f"{len(header)} values",
                )
            )
    return header, body, problems
