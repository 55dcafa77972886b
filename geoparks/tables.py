"""Reading the tables analysts have into text cells that know where they stood.

A catalog may come as a CSV file (UTF-8, RFC 4180), an Excel workbook
(``.xlsx``, the first sheet or a named one), a GeoJSON, GeoPackage, GeoParquet,
Shapefile or FlatGeobuf layer (a point geometry gives the coordinates), or a
pandas DataFrame or GeoDataFrame. Each becomes a :class:`Table`: every value as
text (``""`` when empty), the line (CSV), sheet row (Excel) or feature number
(layers and frames) of each record, and the position of each cell for messages.

A row whose shape is wrong (too many or too few values, text after a closing
quote) is a problem of that row only; a file that cannot be read as a table at
all (missing, not UTF-8, not a workbook, empty) fails whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geoparks._csvtext import decode, read_rows
from geoparks.errors import CatalogError, DataFileError, Problem

__all__ = ["GEO_SUFFIXES", "Table", "frame_table", "read_table"]

GEO_SUFFIXES = (".geojson", ".json", ".gpkg", ".parquet", ".geoparquet", ".shp", ".fgb")
"""File suffixes read as GIS layers (through pyogrio, or pyarrow for Parquet)."""

_EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_SPACES_ONLY = re.compile(r"^[ \t]+$", re.MULTILINE)


@dataclass(frozen=True)
class Table:
    """A table's cells as text, with where each record and cell stood.

    Attributes
    ----------
    file : str
        The file as the user named it (``<DataFrame>`` for a frame).
    header : list of str
        The column names, stripped, in file order.
    frame : pandas.DataFrame
        One row per record, one column per header name, every value a str.
    lines : numpy.ndarray
        The 1-based line (CSV), sheet row (Excel) or feature number of each record.
    problems : list of Problem
        Problems of the file's shape, each on one record's line.
    geometry : str or None
        What the coordinates came from, for a layer or a GeoDataFrame.
    """

    file: str
    header: list[str]
    frame: pd.DataFrame
    lines: np.ndarray
    problems: list[Problem] = field(default_factory=list)
    geometry: str | None = None
    _text: str | None = field(default=None, repr=False)

    def cell(self, row: int, column: str) -> tuple[int, int]:
        """Return the (line, column) of the cell of record ``row`` in ``column``.

        For CSV the column counts characters from the start of the line (where
        the cell starts, its quote if quoted); otherwise it is the field number.
        """
        line = int(self.lines[row])
        try:
            index = self.header.index(column)
        except ValueError:
            return line, 1
        if self._text is None:
            return line, index + 1
        start = self._line_starts[line - 1]
        cells, _ = read_rows(self._text[start:], self.file)
        if cells and index < len(cells[0]):
            found = cells[0][index]
            return line + found.line - 1, found.column
        return line, 1

    @cached_property
    def _line_starts(self) -> list[int]:
        text = self._text or ""
        starts = [0]
        position = text.find("\n")
        while position >= 0:
            starts.append(position + 1)
            position = text.find("\n", position + 1)
        return starts


def read_table(
    path: str | os.PathLike[str], *, sheet: str | int | None = None, layer: str | None = None
) -> Table:
    """Read a CSV file, a workbook or a GIS layer into a :class:`Table`.

    Parameters
    ----------
    path : path-like
    sheet : str or int, optional
        The sheet of a workbook (name, or 0-based position); the first by default.
    layer : str, optional
        The layer of a GeoPackage; the first by default.

    Raises
    ------
    DataFileError
        If the file is missing or unreadable.
    CatalogError
        If it is not a table at all: not UTF-8 text, not a workbook, empty.
    """
    path = Path(path)
    file = str(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise DataFileError(f"{file}: no such file")
    if path.is_dir():
        raise DataFileError(f"{file}: is a folder, not a file")
    if suffix in _EXCEL_SUFFIXES:
        return _read_excel(path, sheet)
    if suffix in GEO_SUFFIXES:
        return _read_layer(path, layer)
    if suffix == ".xls":
        raise CatalogError(
            [_whole(file, "an old Excel (.xls) workbook: save it as .xlsx or 'CSV UTF-8' first")]
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(f"{file}: cannot read: {exc.strerror}") from None
    if data.startswith(b"PK\x03\x04"):  # a workbook saved without its suffix
        return _read_excel(path, sheet)
    return _read_csv(decode(data, file), file)


def _whole(file: str, message: str, expected: str | None = None) -> Problem:
    return Problem(file, 1, 1, message, None, expected, reason="unreadable")


def _empty(file: str) -> CatalogError:
    return CatalogError([_whole(file, "file is empty", "a header row")])


def _read_csv(text: str, file: str) -> Table:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if '"' not in text and (table := _read_plain_csv(text, file)) is not None:
        return table
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        reader = csv.reader(io.StringIO(text), strict=True)
        last = 0
        for row in reader:
            if row:
                rows.append(row)
                lines.append(last + 1)
            last = reader.line_num
    except csv.Error:
        return _read_csv_slowly(text, file)
    if not rows:
        raise _empty(file)
    return _shaped(file, rows, lines, text)


def _read_plain_csv(text: str, file: str) -> Table | None:
    """Read a CSV without quotes whose rows all have the header's width with pandas' C parser.

    Returns None for any other file, which the general reader takes.
    """
    if _SPACES_ONLY.search(text):
        return None  # a line of spaces is a row of one value: the general reader says where
    data = text.encode("utf-8")
    buffer = np.frombuffer(data, dtype=np.uint8)
    ends = np.append(np.flatnonzero(buffer == ord("\n")), buffer.size)
    starts = np.append(0, ends[:-1] + 1)
    used = ends > starts
    if not used.any():
        raise _empty(file)
    line_of_comma = np.searchsorted(ends, np.flatnonzero(buffer == ord(",")))
    widths = np.bincount(line_of_comma, minlength=ends.size)[used]
    if (widths != widths[0]).any():
        return None  # rows of other widths: the general reader says where
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    numbers = (np.flatnonzero(used) + 1).tolist()
    names = [f"f{i}" for i in range(int(widths[0]) + 1)]
    cells = pa_csv.read_csv(
        io.BytesIO(data),
        read_options=pa_csv.ReadOptions(column_names=names),
        parse_options=pa_csv.ParseOptions(quote_char=False, newlines_in_values=False),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
        ),
    ).to_pandas()
    if len(cells) != len(numbers):
        return None
    header = [str(name).strip() for name in cells.iloc[0]]
    body = cells.iloc[1:].reset_index(drop=True)
    body.columns = _unique([name or f"column {i + 1}" for i, name in enumerate(header)])
    return _shaped_frame(file, header, body, numbers[1:], text)


def _read_csv_slowly(text: str, file: str) -> Table:
    """Read with the located parser, which says where each malformed cell is."""
    cells, problems = read_rows(text, file)
    if not cells:
        raise _empty(file)
    unclosed = [p for p in problems if p.message.startswith("quoted value is never closed")]
    if unclosed:
        raise CatalogError([Problem(*_fields(p), reason="unreadable") for p in unclosed])
    bad_lines = {p.line for p in problems}
    rows = [[c.value for c in row] for row in cells]
    lines = [row[0].line for row in cells]
    table = _shaped(file, rows, lines, text)
    shape = [Problem(*_fields(p), reason="bad_row") for p in problems]
    kept = [p for p in table.problems if p.line not in bad_lines]
    return Table(
        file, table.header, table.frame, table.lines, shape + kept, _text=text
    )  # fmt: skip


def _fields(problem: Problem) -> tuple[Any, ...]:
    return (problem.file, problem.line, problem.column, problem.message, problem.value,
            problem.expected)  # fmt: skip


def _shaped(file: str, rows: list[list[str]], lines: list[int], text: str | None) -> Table:
    header = [name.strip() for name in rows[0]]
    width = len(header)
    problems: list[Problem] = []
    body, body_lines = rows[1:], lines[1:]
    for row, line in zip(body, body_lines, strict=True):
        if len(row) != width:
            problems.append(
                Problem(file, line, 1, f"row has {len(row)} values but the header has {width} "
                        "columns", None, f"{width} values", reason="bad_row")
            )  # fmt: skip
            row[:] = (row + [""] * width)[:width]
    columns = [name or f"column {i + 1}" for i, name in enumerate(header)]
    frame = pd.DataFrame(body, columns=_unique(columns), dtype=object)
    table = _shaped_frame(file, header, frame, body_lines, text)
    return Table(file, table.header, table.frame, table.lines, problems + table.problems,
                 table.geometry, _text=text)  # fmt: skip


def _shaped_frame(
    file: str, header: list[str], frame: pd.DataFrame, lines: list[int], text: str | None
) -> Table:
    """Make a Table of a frame of cells: names checked, WKT read, lines attached."""
    problems: list[Problem] = []
    header_cells = read_rows(text.split("\n", 1)[0], file)[0][0] if text is not None else None
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        column = header_cells[index].column if header_cells else index + 1
        if not name:
            problems.append(Problem(file, 1, column, "empty column name", reason="unreadable"))
        elif name in seen:
            problems.append(
                Problem(file, 1, column, "duplicate column", name,
                        f"each column once (first at column {seen[name]})", reason="unreadable")
            )  # fmt: skip
        seen.setdefault(name, column)
    frame, geometry = _wkt_points(frame)
    if geometry is not None:
        header = [name for name in header if name in frame.columns] + ["lat", "lon"]
    lines_array = np.asarray(lines, dtype=np.int64)
    return Table(file, header, frame, lines_array, problems, geometry, _text=text)


def _wkt_points(frame: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    """Give ``lat`` and ``lon`` from a WKT ``geometry`` (or ``wkt``) column, as GIS CSVs have."""
    import shapely

    folded = {str(c).strip().lower(): c for c in frame.columns}
    wkt = folded.get("geometry") or folded.get("wkt")
    if wkt is None or {"lat", "lon", "latitude", "longitude", "x", "y"} & set(folded):
        return frame, None
    text = frame[wkt].astype(str).to_numpy()
    shapes = shapely.from_wkt(np.where(text == "", None, text), on_invalid="ignore")
    kinds = shapely.get_type_id(shapes)
    points = np.where(kinds == 0, shapes, shapely.point_on_surface(shapes))
    x, y = shapely.get_x(points), shapely.get_y(points)
    frame = frame.drop(columns=wkt).assign(
        lat=[_number_text(v) for v in y], lon=[_number_text(v) for v in x]
    )
    frame.loc[(text != "") & shapely.is_missing(shapes), ["lat", "lon"]] = "not WKT"
    return frame, f"points, or points on polygons' surfaces, of the WKT column {wkt!r}"


def _unique(names: Sequence[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name} ({count + 1})")
    return out


def _read_excel(path: Path, sheet: str | int | None) -> Table:
    import zipfile

    from openpyxl import load_workbook

    file = str(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise CatalogError(
            [_whole(file, f"not an Excel workbook ({exc})", "an .xlsx file or a UTF-8 CSV")]
        ) from None
    try:
        names = book.sheetnames
        if sheet is None:
            chosen = book.worksheets[0]
        elif isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit()):
            position = int(sheet)
            if not 0 <= position < len(names):
                raise CatalogError([_whole(file, f"no sheet {sheet}", f"one of {names}")])
            chosen = book.worksheets[position]
        elif sheet in names:
            chosen = book[sheet]
        else:
            raise CatalogError([_whole(file, f"no sheet {sheet!r}", f"one of {names}")])
        rows: list[list[str]] = []
        lines: list[int] = []
        for number, values in enumerate(chosen.iter_rows(values_only=True), start=1):
            cells = [_excel_text(v) for v in values]
            if any(cells):
                rows.append(cells)
                lines.append(number)
    finally:
        book.close()
    if not rows:
        raise _empty(f"{file}[{chosen.title}]")
    width = max(len(row) for row in rows)
    while width and not any(len(row) >= width and row[width - 1] for row in rows):
        width -= 1
    rows = [(row + [""] * width)[:width] for row in rows]
    table = _shaped(file, rows, lines, None)
    return Table(file, table.header, table.frame, table.lines, table.problems)


def _excel_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _read_layer(path: Path, layer: str | None) -> Table:
    import geopandas as gpd
    import pyogrio

    file = str(path)
    try:
        if path.suffix.lower() in (".parquet", ".geoparquet"):
            frame = gpd.read_parquet(path)
        else:
            frame = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:  # pyogrio and pyarrow raise many types for one fault
        raise CatalogError(
            [_whole(file, f"not a readable GIS layer ({str(exc).splitlines()[0]})")]
        ) from None
    return frame_table(frame, file)


def frame_table(frame: pd.DataFrame, file: str = "<DataFrame>") -> Table:
    """Turn a DataFrame or GeoDataFrame into a :class:`Table` of text.

    A GeoDataFrame without ``lat`` and ``lon`` columns gives them from its
    geometry: a point's coordinates, or a point on the surface of a polygon
    (``Table.geometry`` says which). Lists become ``;``-separated text and
    missing values empty text. Record numbers count from 1.
    """
    frame = frame.reset_index(drop=not _named_index(frame))
    geometry = None
    if hasattr(frame, "geometry") and "lat" not in frame.columns and "lon" not in frame.columns:
        frame, geometry = _coordinates_of(frame)
    elif hasattr(frame, "geometry"):
        frame = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    columns = {str(name).strip(): _as_text(frame[name]) for name in frame.columns}
    text = pd.DataFrame(columns, index=pd.RangeIndex(len(frame)))
    lines = np.arange(1, len(frame) + 1, dtype=np.int64)
    return Table(file, list(columns), text, lines, geometry=geometry)


def _named_index(frame: pd.DataFrame) -> bool:
    return frame.index.name is not None and frame.index.name not in frame.columns


def _coordinates_of(frame: Any) -> tuple[pd.DataFrame, str]:
    import shapely

    crs = frame.crs
    if crs is not None and not crs.equals("EPSG:4326"):
        frame = frame.to_crs(4326)
    geometries = frame.geometry.to_numpy()
    kinds = shapely.get_type_id(geometries)
    points = np.where(kinds == 0, geometries, shapely.point_on_surface(geometries))
    missing = shapely.is_missing(points) | shapely.is_empty(points)
    x = np.where(missing, np.nan, shapely.get_x(np.where(missing, None, points)))
    y = np.where(missing, np.nan, shapely.get_y(np.where(missing, None, points)))
    plain = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    plain["lat"], plain["lon"] = y, x
    what = "points" if (kinds[~missing] == 0).all() else "points, or points on polygons' surfaces"
    return plain, what


def _as_text(series: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(series):
        return series.map({True: "true", False: "false"}).fillna("").astype(object)
    if pd.api.types.is_numeric_dtype(series):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        text = pd.Series(values).map(_number_text)
        return text.astype(object)
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.dt.strftime("%Y-%m-%d").fillna("").astype(object)
    return pd.Series([_value_text(v) for v in series], dtype=object)


def _number_text(value: float) -> str:
    value = float(value)
    if math.isnan(value):
        return ""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _value_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, list | tuple | np.ndarray):
        return ";".join(_value_text(v) for v in value)
    if isinstance(value, dt.datetime | dt.date):
        return _excel_text(value)
    if pd.isna(value):  # type: ignore[arg-type]
        return ""
    return str(value)
