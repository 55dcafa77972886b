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
import itertools
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geoparks import rejects, settings, units
from geoparks._csvtext import Cell
from geoparks._csvtext import read_table as read_csv_cells
from geoparks.errors import CatalogError, Problem, UnitError
from geoparks.rejects import RecordsLeftOutWarning
from geoparks.schema import (
    _CJK,
    _PLAIN_NUMBER,
    COLUMNS,
    NUMERIC,
    InvalidValue,
    canonical_header,
    iso_date,
    slugify,
)
from geoparks.tables import Table, frame_table, read_table

__all__ = [
    "COMPUTED",
    "Catalog",
    "RecordsLeftOutWarning",
    "as_catalog",
    "load_catalog",
    "load_sources",
]

_SOURCE_COLUMNS = ("id", "title", "publisher", "published", "file", "url")
EVIDENCE_GAP = " [...] "
"""Joins non-adjacent verbatim excerpts of one article in ``evidence``."""


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
    reader = _Reader(table, source_table, crs, columns)
    parks, problems = reader.read()
    fatal = [p for p in [*table.problems, *problems] if p.reason in (None, "unreadable")]
    if fatal:
        raise CatalogError(sorted(fatal + source_problems, key=_order(table.file)))
    row_problems = [p for p in [*table.problems, *problems] if p.reason not in (None, "unreadable")]
    if strict and (row_problems or source_problems):
        raise CatalogError(sorted(row_problems + source_problems, key=_order(table.file)))
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
        tuple(sorted(row_problems + source_problems, key=_order(table.file))),
    )  # fmt: skip


def _order(file: str) -> Callable[[Problem], tuple[Any, ...]]:
    return lambda p: (p.file != file, p.file, p.line, p.column)


def _read_sources_empty() -> tuple[pd.DataFrame, list[Problem]]:
    frame = pd.DataFrame(columns=[*_SOURCE_COLUMNS, "text"])
    return frame.set_index("id", drop=False), []


COMPUTED = (
    "precision", "placement", "province_adcode", "city_adcode", "county_adcode", "county_lat",
    "county_lon", "linked_regions", "partner_adcodes", "source_title", "source_published",
    "source_url",
)  # fmt: skip
"""Columns geoparks computes (the join's and the exports'); a layer read back drops them."""


class _Reader:
    """Reads a table's text cells into typed columns, noting every problem where it stood."""

    def __init__(
        self,
        table: Table,
        sources: pd.DataFrame,
        crs: str | None,
        columns: Mapping[str, str] | None,
    ) -> None:
        self.table, self.sources, self.columns = table, sources, dict(columns or {})
        self.file = table.file
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.scales: dict[str, float] = {}
        self.crs = None
        if crs is not None:
            try:
                self.crs = COLUMNS["crs"].parse(crs)
            except InvalidValue as exc:
                raise CatalogError(
                    [Problem(self.file, 1, 1, "crs: unknown datum", crs, exc.expected)]
                ) from None
        self.header_crs: dict[str, str] = {}
        self.source_of: dict[str, str] = {}  # catalog column -> header in the file

    # -- the header ----------------------------------------------------------------------

    def _map_header(self) -> None:
        header = self.table.header
        for column, given in self.columns.items():
            if column not in COLUMNS:
                raise CatalogError(
                    [Problem(self.file, 1, 1, f"--columns names an unknown catalog column "
                             f"{column!r}", given, "one of " + ", ".join(COLUMNS))]
                )  # fmt: skip
            if given not in header:
                raise CatalogError(
                    [Problem(self.file, 1, 1, f"--columns maps {column} to a column the file "
                             "does not have", given, "one of " + ", ".join(header))]
                )  # fmt: skip
            self.source_of[column] = given
        taken = set(self.source_of.values())
        layer = "declared_regions" in header or "placement" in header
        for name in header:
            if name in taken or (layer and (name in COMPUTED or name == "regions")):
                continue
            if layer and name == "declared_regions":
                self.source_of["regions"] = name
                continue
            column, scale, datum = (name, None, None) if name in COLUMNS else canonical_header(name)
            if column is None or column in self.source_of:
                close = difflib.get_close_matches(name, list(COLUMNS), n=1, cutoff=0.8)
                if close and close[0] not in self.source_of and close[0] not in header:
                    self.notes.append(f"column {name!r} kept as it is (did you mean {close[0]!r}?)")
                continue
            self.source_of[column] = name
            if name != column:
                self.notes.append(f"column {name!r} read as {column}")
            if scale is not None:
                self.scales[column] = scale
            if datum is not None:
                self.header_crs[column] = datum
        if self.table.geometry:
            self.notes.append(f"lat and lon read from the geometry ({self.table.geometry})")

    def _check_header(self) -> list[Problem]:
        names = self.source_of
        header = ",".join(self.table.header)
        problems = []
        if "name" not in names:
            problems.append(Problem(self.file, 1, 1, "missing required column 'name'", header,
                                    "a header with a 'name' column (or 名称, or --columns "
                                    "name=...)"))  # fmt: skip
        if not any(c in names for c in ("city", "place", "county", "province", "lat")):
            problems.append(Problem(self.file, 1, 1, "no column to place records by", header,
                                    "a 'city', 'county', 'province' or 'place' column, or "
                                    "'lat' and 'lon'"))  # fmt: skip
        if ("lat" in names) != ("lon" in names):
            problems.append(Problem(self.file, 1, 1, "'lat' and 'lon' come together", header,
                                    "both columns or neither"))  # fmt: skip
        return problems

    # -- the cells -----------------------------------------------------------------------

    def _bad(
        self, rows: Iterable[int], column: str, message: str, expected: str | None,
        reason: str = "bad_value", value: Callable[[int], str | None] | None = None,
    ) -> None:  # fmt: skip
        header = self.source_of.get(column, column)
        frame = self.table.frame
        for row in rows:
            line, col = self.table.cell(row, header)
            shown = (
                value(row) if value is not None
                else str(frame.at[row, header]) if header in frame else None
            )  # fmt: skip
            self.problems.append(
                Problem(self.file, line, col, message, shown, expected, reason=reason)
            )

    def _parse_each(self, column: str, text: pd.Series) -> pd.Series:
        """Parse every distinct value once; note the cells that fail."""
        codes, uniques = pd.factorize(text, sort=False)
        parsed = np.empty(len(uniques), dtype=object)
        failures: dict[int, InvalidValue] = {}
        parse = COLUMNS[column].parse
        for i, value in enumerate(uniques):
            try:
                parsed[i] = parse(value)
            except InvalidValue as exc:
                failures[i] = exc
                parsed[i] = parse("")
        for i, exc in failures.items():
            self._bad(np.flatnonzero(codes == i), column, f"{column}: {exc.message}", exc.expected)
        taken = parsed[codes]
        if isinstance(parse(""), list):  # each record gets a list of its own
            taken = np.fromiter(map(list, taken), dtype=object, count=len(taken))
        return pd.Series(taken, index=text.index, dtype=object)

    def _numbers(self, column: str, text: pd.Series) -> pd.Series:
        numbers = pd.to_numeric(text, errors="coerce").to_numpy(float, copy=True)
        # A finite number read by pandas is a plain number; the rest are looked at closely.
        is_plain = pd.Series(np.isfinite(numbers), index=text.index)
        doubtful = ~is_plain & (text != "")
        if doubtful.any():
            plain = text[doubtful].str.replace(_THOUSANDS, "", regex=True)
            matches = plain.str.fullmatch(_PLAIN_NUMBER.pattern).astype(bool)
            numbers[doubtful.to_numpy()] = np.where(
                matches, pd.to_numeric(plain.where(matches, None)).to_numpy(float), np.nan
            )
            is_plain[doubtful] = matches
        values = pd.Series(numbers * self.scales.get(column, 1.0), index=text.index)
        values[~is_plain] = np.nan
        other = (~is_plain) & (text != "")
        if other.any():
            values[other] = self._parse_each(column, text[other]).astype(float)
        if column in ("lat", "lon"):
            return values
        expected = COLUMNS_EXPECTED[column]
        self._bad(np.flatnonzero(is_plain & ~np.isfinite(values)), column,
                  f"{column}: not a finite number", expected)  # fmt: skip
        self._bad(np.flatnonzero(is_plain & (values < 0)), column, f"{column}: negative value",
                  "zero or more")  # fmt: skip
        return values.where(np.isfinite(values) & (values >= 0))

    def read(self) -> tuple[pd.DataFrame, list[Problem]]:
        """Return every record (valid or not) with its id, and the problems found."""
        self._map_header()
        header_problems = self._check_header()
        if header_problems:
            return pd.DataFrame(), header_problems
        frame = self.table.frame
        size = len(frame)
        data: dict[str, Any] = {}
        for column in COLUMNS:
            if column not in self.source_of:
                continue
            text = frame[self.source_of[column]].astype(str).str.strip()
            if column in _TEXT_COLUMNS:
                data[column] = _nullable(text)
            elif column in (*NUMERIC, "lat", "lon"):
                data[column] = self._numbers(column, text)
            else:
                data[column] = self._parse_each(column, text)
        self._note_vocabulary(data)
        names = data.get("name", pd.Series([None] * size, index=frame.index))
        self._bad(np.flatnonzero(names.isna()), "name", "name: empty", "the park's name",
                  reason="missing_name")  # fmt: skip
        if "name_zh" in data:
            given = data["name_zh"].notna()
            no_han = given & ~data["name_zh"].fillna("").str.contains(_CJK.pattern)
            self._bad(np.flatnonzero(no_han), "name_zh", "name_zh: no Chinese characters",
                      "a name in Chinese characters")  # fmt: skip
        self._coordinates(data, size)
        self._sources_and_dates(data, frame.index)
        ids = self._ids(data.get("id"), names)
        columns = [c for c in COLUMNS if c != "crs"]
        parks = pd.DataFrame(index=frame.index)
        for column in columns:
            default = COLUMNS[column].parse("")
            if column in data:
                parks[column] = data[column]
            elif isinstance(default, list):
                parks[column] = pd.Series(_empty_lists(size), index=frame.index, dtype=object)
            else:
                parks[column] = default
        parks["id"] = ids
        mapped = set(self.source_of.values())
        for name in frame.columns:
            if (
                name not in mapped
                and name not in parks.columns
                and not (
                    self.source_of.get("regions") == "declared_regions" and name in _LAYER_COLUMNS
                )
            ):
                parks[name] = _nullable(frame[name].astype(str))
        parks = parks.astype({name: "float64" for name in (*NUMERIC, "lat", "lon")})
        return parks.set_index("id", drop=False), self.problems

    def _note_vocabulary(self, data: dict[str, Any]) -> None:
        for column in ("kind", "status"):
            if column not in data:
                continue
            given = self.table.frame[self.source_of[column]].astype(str).str.strip()
            read = data[column]
            changed = (given != "") & read.notna() & (given != read.fillna(""))
            for (raw, word), n in (
                pd.Series(list(zip(given[changed], read[changed], strict=True)), dtype=object)
                .value_counts()
                .items()
            ):
                self.notes.append(f"{column} {raw!r} read as {word} ({rejects.records(n)})")

    def _coordinates(self, data: dict[str, Any], size: int) -> None:
        if "lat" not in data:
            data["lat"] = data["lon"] = pd.Series(np.nan, index=range(size))
            return
        lat = data["lat"].to_numpy(float, copy=True)
        lon = data["lon"].to_numpy(float, copy=True)
        given_lat = self.table.frame[self.source_of["lat"]].astype(str).str.strip() != ""
        given_lon = self.table.frame[self.source_of["lon"]].astype(str).str.strip() != ""
        bad = np.zeros(size, dtype=bool)
        for column, values, given, limit in (("lat", lat, given_lat, 90), ("lon", lon, given_lon,
                                                                           180)):  # fmt: skip
            expected = f"decimal degrees from {-limit:g} to {limit:g}"
            unreadable = given.to_numpy() & np.isnan(values)
            self._bad(np.flatnonzero(unreadable & ~self._failed(column)), column,
                      f"{column}: not a number", expected)  # fmt: skip
            out = np.abs(values) > limit
            swapped = out & (column == "lat") & _china_like(lat, lon)
            self._bad(np.flatnonzero(swapped), column, "lat and lon look swapped: lat is "
                      "outside -90..90 but the point (lat, lon) read the other way round lies "
                      "in China", "lat in the lat column, lon in the lon column",
                      reason="swapped_coordinates")  # fmt: skip
            self._bad(np.flatnonzero(out & ~swapped), column, f"{column}: out of range",
                      expected)  # fmt: skip
            bad |= unreadable | out
        one = given_lat.to_numpy() != given_lon.to_numpy()
        self._bad(np.flatnonzero(one), "lat", "lat and lon come together", "both or neither")
        bad |= one
        lat[bad], lon[bad] = np.nan, np.nan
        datum = self._datums(data, size)
        convert = ~np.isnan(lat) & (datum != "wgs84")
        if convert.any():
            from geoparks.datum import to_wgs84

            lon[convert], lat[convert] = to_wgs84(lon[convert], lat[convert], datum[convert])
            for name, n in pd.Series(datum[convert]).value_counts().items():
                label = {"gcj02": "GCJ-02", "bd09": "BD-09"}[name]
                self.notes.append(
                    f"coordinates of {rejects.records(n)} converted from {label} to WGS-84"
                )
        data["lat"], data["lon"] = pd.Series(lat), pd.Series(lon)

    def _datums(self, data: dict[str, Any], size: int) -> np.ndarray:
        fallback = self.header_crs.get("lat") or self.header_crs.get("lon") or self.crs or "wgs84"
        datum = np.full(size, fallback, dtype=object)
        if "crs" in data:
            given = data["crs"].notna().to_numpy()
            datum[given] = data["crs"].to_numpy()[given]
        return datum

    def _failed(self, column: str) -> np.ndarray:
        lines = {p.line for p in self.problems if p.message.startswith(f"{column}:")}
        return np.isin(self.table.lines, list(lines))

    def _sources_and_dates(self, data: dict[str, Any], index: pd.Index) -> None:
        sources = self.sources
        if "source" not in data and "established" not in data and "evidence" not in data:
            return
        source = data.get("source", pd.Series([None] * len(index), index=index, dtype=object))
        known = source.isin(sources.index) | source.isna()
        url = source.fillna("").str.match(r"https?://")
        listed = ", ".join(sources.index) or "none: no sources.csv beside the catalog"
        self._bad(np.flatnonzero(~known & ~url), "source", "source: unknown source id",
                  f"an id from sources.csv ({listed}) or a URL",
                  reason="unknown_source")  # fmt: skip
        published = source.map(sources["published"]) if len(sources) else source.map(lambda _: None)
        if "established" in data:
            text = data["established"]
            pairs = pd.Series(list(zip(text, published.where(known, None), strict=True)),
                              index=index, dtype=object)  # fmt: skip
            codes, uniques = pd.factorize(pairs)
            parsed: list[str | None] = []
            for i, (value, reference) in enumerate(uniques):
                try:
                    parsed.append(_established(value, reference))
                except UnitError as exc:
                    parsed.append(None)
                    self._bad(np.flatnonzero(codes == i), "established",
                              f"established: {exc}".split(" (expected")[0],
                              "a date such as 2022-04-14, 2015.12, 2012年10月 or 2017 (relative "
                              "dates need a source with a published date)")  # fmt: skip
            values = np.asarray(parsed, dtype=object)[codes] if len(uniques) else []
            data["established"] = pd.Series(values, index=index, dtype=object)
        if "evidence" in data:
            for row in np.flatnonzero(data["evidence"].notna()):
                record = {c: (v.iloc[row] if isinstance(v, pd.Series) else None)
                          for c, v in data.items()}  # fmt: skip
                for column in (*NUMERIC,):
                    record.setdefault(column, math.nan)
                    if record[column] is None:
                        record[column] = math.nan
                article = sources.loc[record["source"]] if record.get("source") in sources.index \
                    else None  # fmt: skip
                for column, message, value, expected in _evidence_issues(record, article):
                    self._bad([row], column, message, expected, reason="bad_evidence",
                              value=lambda _r, v=value: v)  # fmt: skip

    def _ids(self, given: pd.Series | None, names: pd.Series) -> pd.Series:
        size = len(names)
        given = given if given is not None else pd.Series([None] * size, index=names.index)
        generated = given.isna()
        slugs = {name: slugify(name) for name in pd.unique(names[generated].dropna())}
        lines = pd.Series(self.table.lines, index=names.index)
        ids = given.copy()
        ids[generated] = names[generated].map(slugs)
        nameless = generated & names.isna()
        ids[nameless] = "line-" + lines[nameless].astype(str)
        folded = ids.str.casefold()
        repeated = folded.duplicated(keep="first")
        clash = repeated & ~generated
        if clash.any():
            first = lines.groupby(folded).transform("first")
            for row in np.flatnonzero(clash):
                self._bad([row], "id", "duplicate id", f"an id not used before (line "
                          f"{first.iloc[row]} has it)", reason="duplicate_id")  # fmt: skip
        renamed = repeated & generated
        ids[renamed] = ids[renamed] + "-" + lines[renamed].astype(str)
        if generated.any():
            self.notes.append(f"ids made from the names of {rejects.records(int(generated.sum()))}")
        return ids


def _established(value: object, reference: object) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = _TIME.sub("", value)
    return units.parse_date(cleaned, reference if isinstance(reference, str) else None)


def _empty_lists(size: int) -> np.ndarray:
    return np.fromiter(map(list, itertools.repeat((), size)), dtype=object, count=size)


def _nullable(text: pd.Series) -> pd.Series:
    values = text.to_numpy(dtype=object)
    return pd.Series(np.where(values == "", None, values), index=text.index, dtype=object)


def _china_like(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (lon >= 73) & (lon <= 136) & (lat >= 3) & (lat <= 54)


_TEXT_COLUMNS = ("name", "name_zh", "place", "county", "city", "province", "country", "source",
                 "evidence", "notes", "established")  # fmt: skip
_LAYER_COLUMNS = ("regions", *COMPUTED)
_THOUSANDS = r"(?<=\d),(?=\d{3}(?:\D|$))"
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
COLUMNS_EXPECTED = {
    "investment_cny": "a number of CNY, or an amount such as '5 billion yuan'",
    "investment_usd": "a number of USD, or an amount such as '5 billion yuan'",
    "output_cny": "a number of CNY, or an amount such as '5 billion yuan'",
    "area_km2": "a number of km², or an area such as '1,355 mu'",
    "floor_area_km2": "a number of km², or an area such as '1,355 mu'",
}


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
