"""File formats: GeoJSON (RFC 7946), GeoParquet, CSV and GeoPackage, written and read back.

Every write goes to a temporary file renamed over the target, so an
interrupted run leaves the previous file intact.

A layer is written from a GeoDataFrame in WGS-84 and read back by
:func:`read_export` as the same records, values and types: text, integers,
reals, booleans, dates and lists of text (:data:`COLUMN_TYPES`).

>>> import tempfile, geopandas as gpd, shapely
>>> frame = gpd.GeoDataFrame(
...     {"id": ["a"], "industries": [["software", "logistics"]], "parks": [3]},
...     geometry=[shapely.Point(111.56675, 24.40357)], crs=4326)
>>> with tempfile.TemporaryDirectory() as folder:
...     written = write_layer(frame, f"{folder}/parks.gpkg")
...     back = read_export(written[0])
>>> back.loc[0, "industries"], back.loc[0, "parks"], back.crs.to_epsg()
(['software', 'logistics'], np.int64(3), 4326)
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyogrio
import shapely
from pyproj import CRS

from geoparks.errors import GeoparksError
from geoparks.output import atomic_path, atomic_write_text, write_rows_csv
from geoparks.schema import KINDS
from geoparks.settings import FORMATS

__all__ = [
    "COLUMN_TYPES",
    "FORMATS",
    "ExportError",
    "atomic_path",
    "atomic_write_text",
    "check_formats",
    "conform",
    "geojson_text",
    "read_export",
    "with_id",
    "write_conformed",
    "write_geojson",
    "write_layer",
    "write_rows_csv",
]

DECIMALS = 6
"""Coordinates are rounded to this many decimals (about 0.1 m), in every format."""

_TEXT = "text"
_INTEGER = "integer"
_REAL = "real"
_BOOLEAN = "boolean"
_DATE = "date"
_TEXT_LIST = "text_list"

COLUMN_TYPES: dict[str, str] = {
    **dict.fromkeys(
        ["id", "name", "name_zh", "name_en", "kind", "status", "place", "county", "city",
         "province", "country", "established", "source", "evidence", "notes", "note",
         "precision", "placed_by", "placement", "province_adcode", "city_adcode", "county_adcode",
         "source_title", "source_published", "source_url"],
        _TEXT,
    ),
    **dict.fromkeys(
        ["partners", "industries", "declared_regions", "regions", "linked_regions",
         "partner_adcodes", "members"],
        _TEXT_LIST,
    ),
    **dict.fromkeys(
        ["investment_cny", "investment_usd", "output_cny", "area_km2", "floor_area_km2",
         "city_lat", "city_lon", "parks_area_km2", "investment_cny_inside",
         "area_km2_inside"],
        _REAL,
    ),
    **dict.fromkeys(
        ["parks", "investment_known", "area_known", "parks_inside", "parks_linked",
         *(f"parks_{kind}" for kind in KINDS)],
        _INTEGER,
    ),
    **dict.fromkeys(["source_date"], _DATE),
}  # fmt: skip
"""The type of every column geoparks exports; other columns are typed by their values.

``established`` and ``source_published`` are text: ISO 8601 dates that may have
reduced precision (``2017``, ``2012-10``). ``source_date`` (a region's) is a full date.
"""

_json = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
_POLYGONAL = [3, 6, 7]  # shapely's type ids of Polygon, MultiPolygon, GeometryCollection
_DEFAULT_TEXT = pd.Series(["text"]).dtype  # str with pandas 3, object before


class ExportError(GeoparksError, ValueError):
    """A file that cannot be written or read back as an export."""


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _text_list(value: object) -> list[str]:
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list) and all(type(v) is str for v in value):
        return value
    if isinstance(value, str):
        value = json.loads(value) if value.startswith("[") else [value]
    if _missing(value):
        return []
    return [str(v) for v in value]


def column_type(frame: pd.DataFrame, name: str) -> str:
    """Return the export type of a column: from :data:`COLUMN_TYPES`, else from its values."""
    if name in COLUMN_TYPES:
        return COLUMN_TYPES[name]
    series = frame[name]
    if pd.api.types.is_bool_dtype(series):
        return _BOOLEAN
    if pd.api.types.is_integer_dtype(series):
        return _INTEGER
    if pd.api.types.is_float_dtype(series):
        return _REAL
    if pd.api.types.is_datetime64_any_dtype(series):
        return _DATE
    if any(isinstance(v, list | tuple | np.ndarray) for v in series):
        return _TEXT_LIST
    return _TEXT


def _conform_column(series: pd.Series, kind: str) -> pd.Series:
    if kind == _TEXT:
        if series.dtype == _DEFAULT_TEXT and not pd.api.types.is_object_dtype(series):
            return series
        if not pd.api.types.is_object_dtype(_DEFAULT_TEXT):  # pandas 3: str, NaN when missing
            return series.astype(_DEFAULT_TEXT)
        values = [None if _missing(v) else str(v) for v in series]
        return pd.Series(values, index=series.index, dtype=_DEFAULT_TEXT)
    if kind == _TEXT_LIST:
        # The pipeline's own lists are lists of str already: only other values are converted.
        if series.dtype == object and series.map(type).eq(list).all():
            return series
        values = [v if type(v) is list else _text_list(v) for v in series]
        return pd.Series(values, index=series.index, dtype=object)
    if kind == _DATE:
        dates = pd.to_datetime(series.astype(object).where(series.notna(), None))
        return dates.astype("datetime64[ms]")
    if kind == _BOOLEAN:
        return series.astype(bool)
    if kind == _INTEGER:
        return series.astype("int64")
    return series.astype("float64")


def conform(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Give a layer the exact form its exports hold.

    Columns get their :func:`column_type`'s dtype (text as pandas' default
    string dtype, integers as int64, reals as float64, dates as
    ``datetime64[ms]``, lists as Python lists of str); the geometry moves last,
    in WGS-84, with exterior rings counter-clockwise and coordinates rounded to
    :data:`DECIMALS` decimals.
    """
    geometry_name = frame.geometry.name
    if frame.crs is None:
        frame = frame.set_crs(4326)
    elif not frame.crs.equals(CRS.from_epsg(4326)):
        frame = frame.to_crs(4326)
    columns = [c for c in frame.columns if c != geometry_name]
    data = {name: _conform_column(frame[name], column_type(frame, name)) for name in columns}
    geometries = np.asarray(frame.geometry.values)
    if np.isin(shapely.get_type_id(geometries), _POLYGONAL).any():
        geometries = shapely.orient_polygons(geometries, exterior_cw=False)
    xy = shapely.get_coordinates(geometries)
    if not np.array_equal(xy, np.round(xy, DECIMALS), equal_nan=True):  # else kept as they are
        geometries = shapely.transform(geometries, lambda xy: np.round(xy, DECIMALS))
    data["geometry"] = gpd.GeoSeries(geometries, index=frame.index, crs=4326)
    return gpd.GeoDataFrame(data, geometry="geometry", crs=4326)


def with_id(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Conform a layer, moving its index to an ``id`` column unless it has one."""
    if "id" in frame.columns:
        return conform(frame.reset_index(drop=True))
    return conform(frame.rename_axis("id").reset_index())


def _values(series: pd.Series, kind: str) -> list[object]:
    """Return a conformed column as JSON-ready values: None for missing, dates as text."""
    if kind == _TEXT_LIST:
        return series.tolist()
    if kind == _DATE:
        series = series.dt.strftime("%Y-%m-%d")
    return series.astype(object).where(series.notna(), None).tolist()


def _rows(frame: gpd.GeoDataFrame, columns: list[str]) -> Iterator[tuple[object, ...]]:
    return zip(*(_values(frame[c], column_type(frame, c)) for c in columns), strict=True)


def _geometries(values: np.ndarray) -> pa.Array:
    """Return each geometry as GeoJSON text; points are written from their coordinates at once."""
    values = np.asarray(values)
    if (
        values.size
        and (shapely.get_type_id(values) == 0).all()
        and not shapely.is_empty(values).any()
    ):
        xy = shapely.get_coordinates(values)
        x, y = _number_texts(xy[:, 0]), _number_texts(xy[:, 1])
        return pc.binary_join_element_wise('{"type":"Point","coordinates":[', x, ",", y, "]}", "")
    return pa.array(
        [_json(None if g is None else shapely.geometry.mapping(g)) for g in values], pa.string()
    )


def _number_texts(values: np.ndarray) -> pa.Array:
    """Write floats as json does (their repr), all at once."""
    texts = pc.cast(pa.array(values, pa.float64()), pa.string())
    # Arrow's shortest form differs from repr for whole numbers ("98", not "98.0") and below
    # 1e-4 ("0.00005", not "5e-05"): those few are written by Python.
    magnitude = np.abs(values)
    odd = (values == np.floor(values)) | ((values != 0) & (magnitude < 1e-4)) | (magnitude >= 1e16)
    if not odd.any():
        return texts
    fixed = np.asarray(texts.to_pylist(), dtype=object)
    fixed[odd] = [repr(v) for v in values[odd].tolist()]
    return pa.array(fixed, pa.string())


def geojson_text(frame: gpd.GeoDataFrame) -> str:
    """Write a layer as RFC 7946 GeoJSON text.

    WGS-84 longitude/latitude, no ``crs`` member, exterior rings
    counter-clockwise, coordinates rounded to 6 decimals, the ``id`` column
    (else the index) as each feature's ``id``, and flat properties: lists as
    arrays, numbers as numbers, dates as ``YYYY-MM-DD``, missing values as null.
    """
    return b"".join(_geojson_parts(with_id(frame))).decode("utf-8")


def _geojson_parts(frame: gpd.GeoDataFrame, chunk: int = 10_000) -> Iterator[bytes | pa.Buffer]:
    """Yield a conformed layer's GeoJSON as UTF-8 in pieces of ``chunk`` features, streamed."""
    columns = [c for c in frame.columns if c not in ("id", "geometry")]
    keys = [f"{_json(c)}:" for c in columns]
    kinds = [column_type(frame, c) for c in columns]
    # Text columns become Arrow strings once, and the texts that need escaping are found once.
    texts = {c: _text_column(frame[c]) for c in ("id", *columns) if column_type(frame, c) == _TEXT}

    def values(column: str, kind: str, key: str, start: int, stop: int) -> pa.Array:
        if column in texts:
            text, escape = texts[column]
            return _json_texts(text.slice(start, stop - start), escape[start:stop], key)
        return _json_values(frame[column].iloc[start:stop], kind, key)

    yield b'{"type":"FeatureCollection","features":['
    for start in range(0, len(frame), chunk):
        stop = min(start + chunk, len(frame))
        properties = [
            values(c, kind, key, start, stop)
            for c, key, kind in zip(columns, keys, kinds, strict=True)
        ]
        # Features are put together by Arrow's string kernels, column by column.
        features = pc.binary_join_element_wise(
            '{"type":"Feature","id":', values("id", _TEXT, "", start, stop), ',"geometry":',
            _geometries(frame.geometry.values[start:stop]), ',"properties":{',
            pc.binary_join_element_wise(*properties, ",") if properties else "", "}}", "",
        )  # fmt: skip
        joined = pc.binary_join(pa.ListArray.from_arrays([0, len(features)], features), ",")
        if start:
            yield b","
        yield joined[0].as_buffer()  # UTF-8 as it is: no Python text of the chunk
    yield b"]}"


def _json_values(series: pd.Series, kind: str, prefix: str = "") -> pa.Array:
    """Return ``prefix`` and the JSON text of each value of a conformed column.

    Each distinct value is written once.
    """
    if kind == _TEXT_LIST:
        empty = prefix + "[]"
        return pa.array([prefix + _json(v) if v else empty for v in series], pa.string())
    if kind == _TEXT:
        return _json_texts(*_text_column(series), prefix)
    if kind == _REAL:
        values = series.to_numpy(float)
        known = np.isfinite(values)
        texts = pc.binary_join_element_wise(prefix, _number_texts(values), "")
        return texts if known.all() else pc.if_else(pa.array(known), texts, prefix + "null")
    if kind == _DATE:
        series = series.dt.strftime("%Y-%m-%d")
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    texts = [prefix + _json(v) for v in np.asarray(uniques, dtype=object).tolist()]
    codes[codes < 0] = len(texts)
    dictionary = pa.array([*texts, prefix + "null"], pa.string())
    return pa.DictionaryArray.from_arrays(
        pa.array(codes, pa.int32()), dictionary
    ).dictionary_decode()


def _text_column(series: pd.Series) -> tuple[pa.Array, np.ndarray]:
    """Return a text column as Arrow strings, and which of them JSON must escape."""
    texts = pa.array(series, from_pandas=True)  # pandas' own Arrow strings are not copied
    if not (pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type)):
        texts = texts.cast(pa.string())
    escape = pc.match_substring_regex(texts, r'["\\\x00-\x1f]').fill_null(False)
    return texts, escape.to_numpy(zero_copy_only=False)


def _json_texts(texts: pa.Array, escape: np.ndarray, prefix: str) -> pa.Array:
    """Return ``prefix`` and the JSON text of each text (:func:`_text_column`).

    Texts that need no escaping are quoted by Arrow, the others by Python.
    """
    quoted = pc.binary_join_element_wise(prefix + '"', texts.cast(pa.string()), '"', "")
    if escape.any():
        rows = np.flatnonzero(escape)
        fixed = quoted.to_numpy(zero_copy_only=False).copy()
        fixed[rows] = [prefix + _json(v) for v in texts.take(rows).to_pylist()]
        quoted = pa.array(fixed, pa.string())
    return quoted.fill_null(prefix + "null")


def write_geojson(frame: gpd.GeoDataFrame, path: str | os.PathLike[str]) -> Path:
    """Write :func:`geojson_text` of ``frame`` to ``path`` atomically, a chunk at a time."""
    return write_conformed(with_id(frame), path, "geojson")[0]


_CSVT = {
    _TEXT: "String",
    _INTEGER: "Integer64",
    _REAL: "Real",
    _BOOLEAN: "Integer(Boolean)",
    _DATE: "Date",
    _TEXT_LIST: "JSonStringList",
}


def _csv_cell(value: object, kind: str) -> str:
    if value is None:
        return ""
    if kind == _TEXT_LIST:
        return json.dumps(value, ensure_ascii=False)
    if kind == _REAL:
        return repr(float(value))
    if kind == _BOOLEAN:
        return "true" if value else "false"
    return str(value)


def _write_csv(frame: gpd.GeoDataFrame, path: Path) -> list[Path]:
    """Write a CSV with the geometry as WKT, and the GDAL sidecars that type it.

    ``.csvt`` names each column's type (so GDAL, QGIS and geopandas read lists,
    numbers and dates as such) and ``.prj`` the CRS.
    """
    columns = [c for c in frame.columns if c != "geometry"]
    kinds = [column_type(frame, c) for c in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*columns, "geometry"])
    wkt = shapely.to_wkt(np.asarray(frame.geometry.values), rounding_precision=DECIMALS)
    for values, shape in zip(_rows(frame, columns), wkt, strict=True):
        writer.writerow([*(_csv_cell(v, k) for v, k in zip(values, kinds, strict=True)), shape])
    types = ",".join(f'"{_CSVT[kind]}"' for kind in kinds) + ',"WKT"\n'
    return [
        atomic_write_text(path.with_suffix(".csvt"), types),
        atomic_write_text(path.with_suffix(".prj"), CRS.from_epsg(4326).to_wkt("WKT1_GDAL")),
        atomic_write_text(path, buffer.getvalue()),
    ]


def _arrow_table(frame: gpd.GeoDataFrame, parquet: bool):
    """Convert a layer to an Arrow table with explicit types and the geometry as WKB."""
    types = {
        _TEXT: pa.string(),
        _INTEGER: pa.int64(),
        _REAL: pa.float64(),
        _BOOLEAN: pa.bool_(),
        _TEXT_LIST: pa.list_(pa.string()),
    }
    arrays, names = [], []
    for name in frame.columns:
        if name == "geometry":
            continue
        kind, series = column_type(frame, name), frame[name]
        if kind == _TEXT_LIST:
            array = pa.array(series.tolist(), type=types[kind])
        elif kind == _DATE:
            array = pa.array(series, type=pa.timestamp("ms"), from_pandas=True).cast(pa.date32())
        else:
            array = pa.array(series, type=types[kind], from_pandas=True)
        arrays.append(array)
        names.append(name)
    shapes = np.asarray(frame.geometry.values)
    arrays.append(pa.array(shapely.to_wkb(shapes), type=pa.binary()))
    names.append("geometry")
    table = pa.Table.from_arrays(arrays, names=names)
    if not parquet:
        return table
    column = {
        "encoding": "WKB",
        "geometry_types": sorted({g.geom_type for g in shapes if g is not None}),
        "crs": CRS.from_epsg(4326).to_json_dict(),
    }
    if not (shapely.is_missing(shapes) | shapely.is_empty(shapes)).all():  # bbox is optional
        column["bbox"] = [float(v) for v in shapely.total_bounds(shapes)]
    geo = {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}
    return table.replace_schema_metadata({"geo": json.dumps(geo)})


def _geometry_type(frame: gpd.GeoDataFrame) -> str:
    types = set(frame.geometry.dropna().geom_type)
    return types.pop() if len(types) == 1 else "Unknown"


def check_formats(formats: str | Sequence[str]) -> list[str]:
    """Return the formats asked for, once each; raise :class:`ExportError` for unknown ones."""
    chosen = [formats] if isinstance(formats, str) else list(formats)
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise ExportError(
            f"unknown export format {', '.join(map(repr, unknown)) or 'none'} "
            f"(expected one or more of {', '.join(FORMATS)})"
        )
    return list(dict.fromkeys(chosen))


def format_of(path: str | os.PathLike[str]) -> str:
    """Return the export format a file name's suffix stands for (``.json`` is GeoJSON)."""
    suffix = Path(path).suffix.lower()
    by_suffix = {".json": "geojson", **{known: name for name, known in FORMATS.items()}}
    if suffix not in by_suffix:
        expected = ", ".join(FORMATS.values())
        raise ExportError(f"{path}: unknown export format {suffix!r} (expected one of {expected})")
    return by_suffix[suffix]


def write_layer(
    frame: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    layer: str | None = None,
) -> list[Path]:
    """Write one layer to ``path`` in ``format`` (by default, from the suffix), atomically.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        The layer; :func:`conform` gives it its exported form first.
    path : path
        The file to write. Its folder must exist.
    format : {"geojson", "parquet", "csv", "gpkg"}, optional
        The format, if not the one the suffix names.
    layer : str, optional
        The GeoPackage layer name; the file's stem by default.

    Returns
    -------
    list of Path
        The files written: a CSV comes with ``.csvt`` and ``.prj`` sidecars.
    """
    return write_conformed(with_id(frame), path, format, layer=layer)


def write_conformed(
    frame: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    layer: str | None = None,
) -> list[Path]:
    """Write a layer that :func:`with_id` made already (as :func:`write_layer` does)."""
    path = Path(path)
    format = format_of(path) if format is None else check_formats(format)[0]
    if format == "geojson":
        with atomic_path(path) as temp, temp.open("wb") as handle:
            handle.writelines(_geojson_parts(frame))
            handle.write(b"\n")
        return [path]
    if format == "csv":
        return _write_csv(frame, path)
    with atomic_path(path) as temp:
        if format == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(_arrow_table(frame, parquet=True), temp, compression="zstd")
        else:
            try:
                pyogrio.write_arrow(
                    _arrow_table(frame, parquet=False),
                    temp,
                    layer=layer or path.stem,
                    driver="GPKG",
                    geometry_name="geometry",
                    geometry_type=_geometry_type(frame),
                    crs="EPSG:4326",
                )
            except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as error:
                free = shutil.disk_usage(path.parent).free
                raise ExportError(
                    f"{path}: GDAL could not write the GeoPackage ({free // 2**20:,} MB free "
                    f"there; is the disk full?): {str(error).splitlines()[0][:200]}"
                ) from None
    return [path]


def read_export(path: str | os.PathLike[str], layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a file written by :func:`write_layer` back into the same layer.

    Plain :func:`geopandas.read_file` gives the same values too; this reader also
    restores what some formats cannot say: lists as Python lists, int64 for
    GeoJSON's integers, empty CSV cells as missing, and dates from Parquet as
    ``datetime64[ms]``.

    Raises
    ------
    ExportError
        If the file is missing or no format can read it.
    """
    format = format_of(path)
    if not Path(path).is_file():
        raise ExportError(f"{path}: no such file")
    try:
        if format == "parquet":
            frame = gpd.read_parquet(path, to_pandas_kwargs={"date_as_object": False})
        elif format == "csv":
            frame = pyogrio.read_dataframe(path, EMPTY_STRING_AS_NULL="YES")
        elif format == "geojson":
            frame = pyogrio.read_dataframe(path, DATE_AS_STRING="YES")
        else:
            frame = pyogrio.read_dataframe(path, layer=layer)
    except (OSError, ValueError, pyogrio.errors.DataSourceError) as error:
        raise ExportError(f"{path}: cannot be read as {format} ({error})") from error
    return conform(frame)
