"""The shipped polygons: China's provinces and prefectures, and the ASEAN countries.

``data/boundaries/`` holds three GeoJSON files built by ``make data`` (see
``scripts/build_boundaries.py``): WGS-84 longitude/latitude, the prefectures
simplified as one coverage so that neighbours share their edges, the provinces
the union of their prefectures.

>>> provinces = load_boundaries("province")
>>> len(provinces), provinces.crs.to_epsg()
(34, 4326)
>>> round(float(area_km2(provinces.loc[["440000"]]).iloc[0]), -3)
178000.0
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd

from geoparks import settings
from geoparks.errors import DataFileError

__all__ = ["EQUAL_AREA", "FILES", "BoundaryLevel", "area_km2", "load_boundaries"]

BoundaryLevel = Literal["province", "city", "country"]
FILES: dict[BoundaryLevel, tuple[str, str]] = {
    "province": ("provinces.geojson", "adcode"),
    "city": ("cities.geojson", "adcode"),
    "country": ("countries.geojson", "iso3"),
}
"""Each level's file in ``data/boundaries/`` and the property that identifies a feature."""

EQUAL_AREA = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +datum=WGS84 +units=m +no_defs"
"""Albers equal-area conic for China (standard parallels 25° and 47° N)."""

_REQUIRED = {"name_en", "name_zh"}


def load_boundaries(
    level: BoundaryLevel, data_dir: str | os.PathLike[str] | None = None
) -> gpd.GeoDataFrame:
    """Read one level of the shipped boundaries.

    Parameters
    ----------
    level : {"province", "city", "country"}
        Provinces (34; ``parent`` is ``"100000"``), prefecture-level cities (370;
        ``parent`` is the province's adcode) or countries (China and the ASEAN
        members).
    data_dir : path, optional
        A data folder other than the shipped one.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by adcode (or ISO 3166 alpha-3 code for countries), with
        ``name_en``, ``name_zh`` and, for Chinese units, ``level`` and ``parent``;
        EPSG:4326. A fresh copy: changing it changes no later call.

    Raises
    ------
    DataFileError
        When the file is missing, unreadable or lacks a column.
    """
    if level not in FILES:
        raise ValueError(f"level must be one of {', '.join(FILES)}, not {level!r}")
    folder = settings.data_dir(data_dir)
    return _read(folder / "boundaries" / FILES[level][0], FILES[level][1]).copy()


@cache
def _read(path: Path, key: str) -> gpd.GeoDataFrame:
    if not path.is_file():
        raise DataFileError(f"{path}: no such file (rebuild the boundaries with `make data`)")
    try:
        frame = gpd.read_file(path)
    except Exception as error:  # pyogrio raises its own errors for broken files
        raise DataFileError(f"{path}: not a readable GeoJSON file ({error})") from None
    missing = (_REQUIRED | {key}) - set(frame.columns)
    if missing:
        raise DataFileError(
            f"{path}: features lack the properties {', '.join(sorted(missing))}"
            " (rebuild the boundaries with `make data`)"
        )
    return frame.set_index(key)


def area_km2(frame: gpd.GeoDataFrame | gpd.GeoSeries) -> pd.Series:
    """Area of each geometry in square kilometres, computed in :data:`EQUAL_AREA`.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame or GeoSeries
        Geometries in any CRS geopandas can transform.

    Returns
    -------
    pandas.Series
        Square kilometres, with the frame's index.
    """
    return frame.to_crs(EQUAL_AREA).area / 1e6
