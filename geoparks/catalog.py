"""Loading and validating a catalog of parks, and the table of its source articles.

A catalog is a table with one park, zone or project per row: a CSV file, a
workbook, a GIS layer (:mod:`geoparks.tables`) or a DataFrame (see
:mod:`geoparks.schema` for the columns). Only ``name`` is required, plus a way
to place the record: ``city``, ``county``, ``province``, ``place``, or ``lat``
and ``lon``. Every problem is found in one go and located, as ``FILE:LINE:COLUMN:
message (got VALUE, expected ...)``. A record with a problem is left out
(:attr:`Catalog.rejected`); with ``strict=True`` any problem fails the whole
catalog. A file that cannot be read as a catalog at all always does.

>>> catalog = load_catalog()
>>> float(catalog.parks.loc["hezhou-health-yungang-industrial-park", "area_km2"])
5.0
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from geoparks import rejects, settings
from geoparks._csvtext import Cell
from geoparks._csvtext import read_table as read_csv_cells
from geoparks.bulk import many_objects
from geoparks.errors import CatalogError, Problem
from geoparks.rejects import RecordsLeftOutWarning
from geoparks.schema import COLUMNS, InvalidValue, iso_date
from geoparks.tables import Table, frame_table, read_table
from geoparks.values import EVIDENCE_GAP, Reader

__all__ = [
    "EVIDENCE_GAP",
    "Catalog",
    "RecordsLeftOutWarning",
    "as_catalog",
    "load_catalog",
    "load_sources",
]

_SOURCE_COLUMNS = ("id", "title", "publisher", "published", "file", "url")


@dataclass(frozen=True)
class Catalog:
    """A validated catalog.

    Attributes
    ----------
    parks : pandas.DataFrame
        One row per valid record, indexed by ``id``, with every column of
        :data:`COLUMNS` (missing ones empty) and any other columns of the file.
    sources : pandas.DataFrame
        The source articles the records cite, indexed by ``id``.
    path : pathlib.Path
        The catalog file (``<DataFrame>`` for a frame).
    lines : pandas.Series
        The line (or sheet row, or feature number) of each valid record, by id.
    rejected : pandas.DataFrame
        The records left out and why (see :func:`geoparks.rejected`).
    notes : tuple of str
        How the file was read: headers recognised, kinds mapped, datums converted.
    problems : tuple of Problem
        Every problem of the records left out, and of the sources table.
    """

    parks: pd.DataFrame
    sources: pd.DataFrame
    path: Path
    lines: Mapping[str, int] = field(repr=False)
    rejected: pd.DataFrame = field(default_factory=rejects.empty, repr=False)
    notes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = field(default=(), repr=False)

    def where(self, park_id: str) -> str:
        """Return ``FILE:LINE`` of a record, for messages that point at it."""
        return f"{self.path}:{self.lines[park_id]}"

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        sources: str | os.PathLike[str] | pd.DataFrame | None = None,
        *,
        strict: bool = False,
        crs: str | None = None,
        columns: Mapping[str, str] | None = None,
        name: str = "<DataFrame>",
    ) -> Catalog:
        """Validate a DataFrame or GeoDataFrame as a catalog, as :func:`load_catalog` does.

        A GeoDataFrame's point geometry gives ``lat`` and ``lon`` (converted to
        WGS-84 from its CRS). A layer that geoparks exported, or a joined frame,
        is read back as the catalog it came from: its computed columns are
        dropped and ``declared_regions`` is the ``regions`` column again.
        Records are numbered from 1 in messages.

        Parameters
        ----------
        frame : pandas.DataFrame or geopandas.GeoDataFrame
        sources : path or pandas.DataFrame, optional
            The source articles (a table as :func:`load_sources` returns).
        strict, crs, columns
            As for :func:`load_catalog`.
        name : str
            What messages call the frame.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"名称": ["钦州港经济技术开发区"], "省份": ["广西"]})
        >>> Catalog.from_frame(frame).parks[["name", "province"]].values.tolist()
        [['钦州港经济技术开发区', '广西']]
        """
        table = frame_table(frame, name)
        catalog = _from_table(table, Path(name), sources, strict, crs, columns)
        rejects.warn(name, len(catalog.parks), catalog.rejected)
        return catalog


def _layer_sources(frame: pd.DataFrame) -> pd.DataFrame:
    """Rebuild the sources table from a parks layer's ``source_*`` columns."""
    columns = {"source": "id", "source_title": "title", "source_published": "published",
               "source_url": "url"}  # fmt: skip
    present = [c for c in columns if c in frame.columns]
    table = pd.DataFrame(frame[present]).rename(columns=columns).astype(object)
    table = table.where(table.notna() & (table != ""), None).dropna(subset=["id"])
    table = table.drop_duplicates("id")
    table["text"] = None
    return table.set_index("id", drop=False)


def _located(file: str, cell: Cell, exc: InvalidValue, column: str) -> Problem:
    return Problem(
        file, cell.line, cell.column, f"{column}: {exc.message}", cell.value, exc.expected
    )


def _read_sources(path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    file = str(path)
    header, body, problems = read_csv_cells(path)
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
            record["text"], problem = _article(path.parent, record["file"])
            if problem:
                cell = cells["file"]
                problems.append(Problem(file, cell.line, cell.column, problem, cell.value,
                                        f"a UTF-8 text file inside {path.parent}"))  # fmt: skip
        if record.get("url") and not _WEB_ADDRESS.fullmatch(record["url"]):
            cell = cells["url"]
            problems.append(Problem(file, cell.line, cell.column, "not a web address (left out)",
                                    cell.value, "an http:// or https:// address"))  # fmt: skip
            record["url"] = None
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=[*_SOURCE_COLUMNS, *names, "text"])
    frame = frame.loc[:, ~frame.columns.duplicated()]
    return frame.set_index("id", drop=False), problems


_WEB_ADDRESS = re.compile(r"https?://[^\s/?#]+\S*", re.IGNORECASE)


def _article(folder: Path, name: str) -> tuple[str | None, str | None]:
    """Read a source's article file: (its text, None), or (None, what is wrong)."""
    article = (folder / name).resolve()
    if not article.is_relative_to(folder.resolve()):
        return None, "article file outside the sources' folder (not read)"
    if not article.is_file():
        return None, "article file not found"
    try:
        return article.read_text(encoding="utf-8"), None
    except UnicodeDecodeError as exc:
        return None, f"article file is not UTF-8 (byte {exc.start}): convert it, e.g. iconv -f GBK"
    except OSError as exc:
        return None, f"article file unreadable: {exc.strerror}"


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


@many_objects()
def load_catalog(
    path: str | os.PathLike[str] | None = None,
    sources: str | os.PathLike[str] | None = None,
    *,
    strict: bool = False,
    crs: str | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
) -> Catalog:
    """Load a catalog and validate every value in it.

    Parameters
    ----------
    path : path-like, optional
        A catalog: CSV, Excel workbook (``.xlsx``), GeoJSON, GeoPackage or
        GeoParquet (see :mod:`geoparks.tables`); the shipped ``data/parks.csv``
        by default.
    sources : path-like, optional
        A table of source articles; by default ``sources.csv`` beside the
        catalog, if there is one.
    strict : bool
        Raise on any problem instead of leaving the record out.
    crs : {"wgs84", "gcj02", "bd09"}, optional
        The datum of the file's ``lat``/``lon`` (a ``crs`` column, or a datum in
        the header such as ``经度(GCJ-02)``, wins for its rows); WGS-84 by default.
    columns : mapping, optional
        Catalog column to the file's header for headers not recognised by
        themselves: ``{"name": "Zone", "province": "Prov"}``.
    sheet : str or int, optional
        The sheet of a workbook; the first by default.

    Returns
    -------
    Catalog
        The valid records in ``parks``; the others in ``rejected``, each with
        its problems (see :func:`geoparks.rejected`).

    Raises
    ------
    CatalogError
        If the file cannot be read as a catalog at all (not UTF-8, empty, no
        ``name`` column, nothing to place records by), or with ``strict`` if any
        record has a problem: every problem, each with its file, line and column.
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
    table = read_table(path, sheet=sheet)
    catalog = _from_table(table, path, sources, strict, crs, columns)
    rejects.warn(path, len(catalog.parks), catalog.rejected)
    return catalog


def as_catalog(
    catalog: Catalog | pd.DataFrame | str | os.PathLike[str] | None,
    sources: str | os.PathLike[str] | pd.DataFrame | None = None,
    **options: Any,
) -> Catalog:
    """Return a Catalog: itself, a frame read as one, or a file loaded (the shipped one for None).

    ``options`` are those of :func:`load_catalog` (``strict``, ``crs``, ``columns``...). It
    does not warn of records left out: its caller says so once for every stage.
    """
    if isinstance(catalog, Catalog):
        return catalog
    with rejects.unwarned():
        if isinstance(catalog, pd.DataFrame):
            options.pop("sheet", None)
            return Catalog.from_frame(catalog, sources, **options)
        return load_catalog(catalog, sources, **options)


def _source_table(
    folder: Path, sources: str | os.PathLike[str] | pd.DataFrame | None, table: Table
) -> tuple[pd.DataFrame, list[Problem]]:
    """Return the sources: given, or beside the catalog, or those a parks layer names."""
    if isinstance(sources, pd.DataFrame):
        return sources, []
    if sources is None and {"source", "source_title"} <= set(table.header):
        return _layer_sources(table.frame), []
    sources_file = Path(sources) if sources is not None else folder / "sources.csv"
    if sources_file.is_file() or sources is not None:
        return _read_sources(sources_file)
    return _read_sources_empty()


def _from_table(
    table: Table,
    path: Path,
    sources: str | os.PathLike[str] | pd.DataFrame | None,
    strict: bool,
    crs: str | None,
    columns: Mapping[str, str] | None,
) -> Catalog:
    source_table, source_problems = _source_table(path.parent, sources, table)
    reader = Reader(table, source_table, crs, columns)
    parks, problems = reader.read()
    fatal = [p for p in [*table.problems, *problems] if p.reason in (None, "unreadable")]
    if fatal:
        raise CatalogError(sorted(fatal + source_problems, key=_order(table.file)))
    file_problems = source_problems + [p for p in problems if p.reason == "reserved_column"]
    row_problems = [
        p for p in [*table.problems, *problems]
        if p.reason not in (None, "unreadable", "reserved_column")
    ]  # fmt: skip
    if strict and (row_problems or file_problems):
        raise CatalogError(sorted(row_problems + file_problems, key=_order(table.file)))
    bad_lines = {p.line for p in row_problems}
    lines = pd.Series(table.lines, index=parks.index)
    rejected_rows = lines.isin(bad_lines).to_numpy()
    records = {
        int(line): (park_id, name)
        for park_id, name, line in zip(
            parks.index[rejected_rows], parks["name"][rejected_rows], lines[rejected_rows],
            strict=True,
        )
    }  # fmt: skip
    stage_of = {p.line: "table" if p.reason == "bad_row" else "schema" for p in row_problems}
    left_out = rejects.combine(
        *(
            rejects.from_problems([p for p in row_problems if stage_of[p.line] == stage], stage,
                                  records)
            for stage in ("table", "schema")
        )
    )  # fmt: skip
    kept = parks[~rejected_rows]
    notes = tuple(reader.notes)
    return Catalog(
        kept, source_table, path, lines[~rejected_rows], left_out, notes,
        tuple(sorted(row_problems + file_problems, key=_order(table.file))),
    )  # fmt: skip


def _order(file: str) -> Callable[[Problem], tuple[Any, ...]]:
    return lambda p: (p.file != file, p.file, p.line, p.column)


def _read_sources_empty() -> tuple[pd.DataFrame, list[Problem]]:
    frame = pd.DataFrame(columns=[*_SOURCE_COLUMNS, "text"])
    return frame.set_index("id", drop=False), []
