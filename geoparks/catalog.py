"""Loading and validating a catalog of parks, and the table of its source articles.

A catalog is a UTF-8 CSV file with one park, zone or project per row (see
:mod:`geoparks.schema` for the columns). Only ``name`` is required, plus a way
to place the record: ``city``, ``place``, or ``lat`` and ``lon``. Every problem
in a file is reported in one go, each as ``FILE:LINE:COLUMN: message (got
VALUE, expected ...)``, and a file with any problem yields no records at all.

>>> catalog = load_catalog()
>>> float(catalog.parks.loc["hezhou-health-yungang-industrial-park", "area_km2"])
5.0
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geoparks import settings, units
from geoparks._csvtext import Cell, read_table
from geoparks.errors import CatalogError, Problem, UnitError
from geoparks.schema import COLUMNS, NUMERIC, InvalidValue, iso_date, slugify

__all__ = ["Catalog", "load_catalog", "load_sources"]

_SOURCE_COLUMNS = ("id", "title", "publisher", "published", "file", "url")
_LOCATORS = ("city", "place", "lat")
EVIDENCE_GAP = " [...] "
"""Joins non-adjacent verbatim excerpts of one article in ``evidence``."""


@dataclass(frozen=True)
class Catalog:
    """A validated catalog.

    Attributes
    ----------
    parks : pandas.DataFrame
        One row per record, indexed by ``id``, with every column of
        :data:`COLUMNS` (missing ones empty) and any extra columns of the file.
    sources : pandas.DataFrame
        The source articles the records cite, indexed by ``id``.
    path : pathlib.Path
        The catalog file.
    lines : Mapping[str, int]
        The line of each record in the file, for messages about it.
    """

    parks: pd.DataFrame
    sources: pd.DataFrame
    path: Path
    lines: Mapping[str, int] = field(repr=False)

    def where(self, park_id: str) -> str:
        """Return ``FILE:LINE`` of a record, for messages that point at it."""
        return f"{self.path}:{self.lines[park_id]}"


def _located(file: str, cell: Cell, exc: InvalidValue, column: str) -> Problem:
    return Problem(
        file, cell.line, cell.column, f"{column}: {exc.message}", cell.value, exc.expected
    )


def _read_sources(path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    file = str(path)
    header, body, problems = read_table(path)
    names = [cell.value.strip() for cell in header]
    for required in ("id", "title"):
        if required not in names:
            problems.append(
                Problem(
                    file,
                    1,
                    1,
                    f"missing required column {required!r}",
                    ",".join(names),
                    "columns " + ", ".join(_SOURCE_COLUMNS),
                )
            )
    records = []
    for row in body:
        cells = dict(zip(names, row, strict=False))
        record = {name: cell.value.strip() or None for name, cell in cells.items()}
        for name, check in (("id", COLUMNS["id"].parse), ("published", iso_date)):
            if name in cells:
                try:
                    check(cells[name].value)
                except InvalidValue as exc:
                    problems.append(_located(file, cells[name], exc, name))
        record["text"] = None
        if record.get("file"):
            article = path.parent / record["file"]
            if article.is_file():
                record["text"] = article.read_text(encoding="utf-8")
            else:
                cell = cells["file"]
                problems.append(
                    Problem(
                        file,
                        cell.line,
                        cell.column,
                        "article file not found",
                        cell.value,
                        f"a text file in {path.parent}",
                    )
                )
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=[*_SOURCE_COLUMNS, *names, "text"])
    frame = frame.loc[:, ~frame.columns.duplicated()]
    return frame.set_index("id", drop=False), problems


def load_sources(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Load and check a table of source articles.

    Columns: ``id`` and ``title`` (required), ``publisher``, ``published``
    (ISO date at any precision), ``file`` (the article's text, relative to the
    table) and ``url``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``id``; ``text`` holds the article when it has a file.

    Raises
    ------
    CatalogError
        With every problem in the table.
    """
    frame, problems = _read_sources(Path(path) if path is not None else settings.sources_path())
    if problems:
        raise CatalogError(problems)
    return frame


def load_catalog(
    path: str | os.PathLike[str] | None = None,
    sources: str | os.PathLike[str] | None = None,
) -> Catalog:
    """Load a catalog and validate every value in it.

    Parameters
    ----------
    path : path-like, optional
        A catalog CSV; the shipped ``data/parks.csv`` by default.
    sources : path-like, optional
        A table of source articles; by default ``sources.csv`` beside the
        catalog, if there is one.

    Returns
    -------
    Catalog

    Raises
    ------
    CatalogError
        Listing every problem of the catalog and its sources, each with its
        file, line and column.
    DataFileError
        If a file is missing or unreadable.

    Examples
    --------
    >>> catalog = load_catalog()  # the shipped data/parks.csv
    >>> catalog.parks.loc["zhaoqing-new-district", ["city", "kind"]].tolist()
    ['Zhaoqing', 'new_district']
    >>> catalog.sources.loc["hezhou-parks-2018", "published"]
    '2018-10-17'
    """
    path = settings.catalog_path(path)
    sources_file = Path(sources) if sources is not None else path.parent / "sources.csv"
    if sources_file.is_file() or sources is not None:
        source_table, problems = _read_sources(sources_file)
    else:
        source_table, problems = _read_sources_empty()
    header, body, table_problems = read_table(path)
    problems += table_problems
    names = [cell.value.strip() for cell in header]
    problems += _check_header(str(path), header)
    records, lines = [], {}
    if not any(p.line == 1 and p.file == str(path) for p in problems):
        records, lines, row_problems = _check_rows(str(path), names, body, source_table)
        problems += row_problems
    if problems:
        raise CatalogError(
            sorted(problems, key=lambda p: (p.file != str(path), p.file, p.line, p.column))
        )
    columns = [*COLUMNS, *(name for name in names if name not in COLUMNS)]
    parks = pd.DataFrame.from_records(records, columns=columns)
    parks = parks.astype({name: "float64" for name in (*NUMERIC, "lat", "lon")})
    return Catalog(parks.set_index("id", drop=False), source_table, path, lines)


def _read_sources_empty() -> tuple[pd.DataFrame, list[Problem]]:
    frame = pd.DataFrame(columns=[*_SOURCE_COLUMNS, "text"])
    return frame.set_index("id", drop=False), []


def _check_header(file: str, header: list[Cell]) -> list[Problem]:
    names = [cell.value.strip() for cell in header]
    problems = []
    if "name" not in names:
        problems.append(
            Problem(
                file,
                1,
                1,
                "missing required column 'name'",
                ",".join(names),
                "a header with a 'name' column",
            )
        )
    if not any(column in names for column in _LOCATORS):
        problems.append(
            Problem(
                file,
                1,
                1,
                "no column to place records by",
                ",".join(names),
                "a 'city' or 'place' column, or 'lat' and 'lon'",
            )
        )
    if ("lat" in names) != ("lon" in names):
        problems.append(
            Problem(
                file,
                1,
                1,
                "'lat' and 'lon' come together",
                ",".join(names),
                "both columns or neither",
            )
        )
    for cell in header:
        name = cell.value.strip()
        if name and name not in COLUMNS:
            close = difflib.get_close_matches(name, list(COLUMNS), n=1, cutoff=0.8)
            if close and close[0] not in names:
                problems.append(
                    Problem(
                        file,
                        cell.line,
                        cell.column,
                        "unknown column",
                        name,
                        f"{close[0]!r} (other unknown columns are kept as-is)",
                    )
                )
    return problems


def _check_rows(
    file: str, names: list[str], body: list[list[Cell]], sources: pd.DataFrame
) -> tuple[list[dict[str, object]], dict[str, int], list[Problem]]:
    records: list[dict[str, object]] = []
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    for row in body:
        cells = dict(zip(names, row, strict=False))
        record: dict[str, object] = {name: COLUMNS[name].parse("") for name in COLUMNS}
        failed: set[str] = set()
        for name, cell in cells.items():
            column = COLUMNS.get(name)
            if column is None:
                record[name] = cell.value
                continue
            try:
                record[name] = column.parse(cell.value)
            except InvalidValue as exc:
                problems.append(_located(file, cell, exc, name))
                failed.add(name)
        line = row[0].line
        problems += _check_record(file, record, cells, sources, failed)
        park_id = record["id"] or slugify(str(record["name"] or f"line-{line}"))
        if park_id in lines:
            if record["id"]:
                cell = cells["id"]
                problems.append(
                    Problem(
                        file,
                        cell.line,
                        cell.column,
                        "duplicate id",
                        park_id,
                        f"an id not used before (line {lines[park_id]} has it)",
                    )
                )
            else:
                park_id = f"{park_id}-{line}"
        record["id"] = park_id
        lines[park_id] = line
        records.append(record)
    return records, lines, problems


def _check_record(
    file: str,
    record: dict[str, object],
    cells: dict[str, Cell],
    sources: pd.DataFrame,
    failed: set[str],
) -> list[Problem]:
    """Check what involves several cells; cells that failed to parse are not judged again."""
    problems = []

    def problem(column: str, message: str, value: object, expected: str) -> None:
        cell = cells.get(column) or next(iter(cells.values()))
        problems.append(
            Problem(
                file,
                cell.line,
                cell.column,
                message,
                None if value is None else str(value),
                expected,
            )
        )

    if not record["name"]:
        problem("name", "name: empty", "", "the park's name")
    if not failed & {"lat", "lon"}:
        given = [not math.isnan(record[axis]) for axis in ("lat", "lon")]
        if given[0] != given[1]:
            problem("lat", "lat and lon come together", None, "both or neither")
        elif not (record["city"] or record["place"] or all(given)):
            problem("name", "record cannot be placed", None, "a city, a place, or lat and lon")
    source = sources.loc[record["source"]] if record["source"] in sources.index else None
    if record["source"] and source is None and not re.match(r"https?://", record["source"]):
        known = ", ".join(sources.index) or "none: no sources.csv beside the catalog"
        problem(
            "source",
            "source: unknown source id",
            record["source"],
            f"an id from sources.csv ({known}) or a URL",
        )
    if cells.get("established") and cells["established"].value.strip():
        reference = source["published"] if source is not None else None
        try:
            record["established"] = units.parse_date(cells["established"].value, reference)
        except UnitError as exc:
            problem(
                "established",
                f"established: {exc}".split(" (expected")[0],
                cells["established"].value,
                "a date such as 2022-04-14, 2012-10 or 2017 (relative dates need a source"
                " with a published date)",
            )
    if record["evidence"]:
        for issue in _evidence_issues(record, source):
            if issue[0] not in failed:
                problem(*issue)
    return problems


def _squash(text: str) -> str:
    return " ".join(text.split())


def _evidence_issues(record: dict[str, object], source: pd.Series | None) -> list[tuple]:
    """Return (column, message, value, expected) for each claim the evidence does not support."""
    evidence = str(record["evidence"])
    issues = []
    article = _squash(source["text"]) if source is not None and source["text"] else None
    if article and any(_squash(part) not in article for part in evidence.split(EVIDENCE_GAP)):
        issues.append(
            (
                "evidence",
                "evidence: not found verbatim in the source article",
                evidence[:60],
                f"a sentence copied from {source['file']}",
            )
        )
    money = units.find_money(evidence)
    stated = {
        "cny": {m.cny for m in money if m.cny is not None},
        "usd": {m.usd for m in money if m.usd is not None},
        "km2": {a.km2 for a in units.find_areas(evidence)},
    }
    for column, unit in (
        ("investment_cny", "cny"),
        ("output_cny", "cny"),
        ("investment_usd", "usd"),
        ("area_km2", "km2"),
        ("floor_area_km2", "km2"),
    ):
        value = record[column]
        if not math.isnan(value) and not any(
            math.isclose(value, s, rel_tol=1e-9) for s in stated[unit]
        ):
            issues.append(
                (
                    column,
                    f"{column}: value not stated in the evidence",
                    f"{value:.15g}",
                    f"an amount the evidence states: {sorted(stated[unit]) or 'none'}",
                )
            )
    return issues
