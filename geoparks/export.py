"""File writers.

Every write goes to a temporary file renamed over the target, so an
interrupted run leaves the previous file intact.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

__all__ = ["atomic_write_text", "geojson_text", "write_geojson", "write_rows_csv"]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and a rename."""
    path = Path(path)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def write_rows_csv(
    path: str | os.PathLike[str], rows: Iterable[Mapping[str, object]], columns: Sequence[str]
) -> Path:
    """Write dictionaries as a UTF-8 CSV, atomically; lists become ``;``-joined text."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: "; ".join(map(str, value)) if isinstance(value, list | tuple) else value
                for key, value in row.items()
                if key in columns
            }
        )
    return atomic_write_text(path, buffer.getvalue())


def _value(value: object) -> object:
    """Turn a property into JSON: lists stay arrays, NaN and NA become null, dates ISO."""
    if isinstance(value, list | tuple | np.ndarray):
        return [_value(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool | int | float | str):
        return value
    try:
        return None if value != value else str(value)  # pandas.NA and NaT
    except TypeError:
        return None


def geojson_text(frame: gpd.GeoDataFrame, decimals: int = 6) -> str:
    """Write a GeoDataFrame as RFC 7946 GeoJSON text.

    WGS-84 longitude/latitude, no ``crs`` member, exterior rings counter-clockwise,
    coordinates rounded to ``decimals``, the index as each feature's ``id`` and
    flat properties (lists as arrays, missing values as null).
    """
    frame = frame.to_crs(4326) if frame.crs is not None else frame
    geometries = shapely.orient_polygons(np.asarray(frame.geometry.values), exterior_cw=False)
    geometries = shapely.transform(geometries, lambda xy: np.round(xy, decimals))
    columns = [c for c in frame.columns if c != frame.geometry.name]
    features = []
    for key, geometry, values in zip(
        frame.index, geometries, frame[columns].itertuples(index=False), strict=True
    ):
        features.append(
            {
                "type": "Feature",
                "id": _value(key),
                "geometry": None if geometry is None else shapely.geometry.mapping(geometry),
                "properties": {c: _value(v) for c, v in zip(columns, values, strict=True)},
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def write_geojson(frame: gpd.GeoDataFrame, path: str | os.PathLike[str]) -> Path:
    """Write :func:`geojson_text` of ``frame`` to ``path`` atomically."""
    return atomic_write_text(path, geojson_text(frame) + "\n")
