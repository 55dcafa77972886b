"""Paths and defaults, resolved at call time (argument > environment > default).

The environment variable ``GEOPARKS_DATA_DIR`` points geoparks at another data
folder (a copy of ``data/`` with the same layout).
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent

BORDER_TOLERANCE_KM = 5.0
"""How far (km) a point may lie from the province or city its record states."""

DATUMS = ("wgs84", "gcj02", "bd09")
"""The datums Chinese coordinates come in: GPS and OpenStreetMap, Amap and Tencent, Baidu."""

FORMATS = {"geojson": ".geojson", "parquet": ".parquet", "csv": ".csv", "gpkg": ".gpkg"}
"""The export formats and their file suffixes."""

LAYERS = ("parks", "provinces", "regions")
"""The names of the exported layers, in the order they are written."""


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder holding the shipped data.

    Parameters
    ----------
    path : path-like, optional
        An explicit folder; wins over everything else.

    Returns
    -------
    pathlib.Path
        ``path`` if given, else ``$GEOPARKS_DATA_DIR`` if set, else the data
        installed with the package (a wheel carries it as ``geoparks/_data``),
        else the ``data/`` folder of a source checkout.
    """
    if path is not None:
        return Path(path)
    if env := os.environ.get("GEOPARKS_DATA_DIR"):
        return Path(env)
    installed = _PACKAGE_DIR / "_data"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "data"


def catalog_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the catalog to use: ``path`` if given, else the shipped ``parks.csv``."""
    return Path(path) if path is not None else data_dir() / "parks.csv"


def sources_path() -> Path:
    """Return the shipped table of source articles."""
    return data_dir() / "sources.csv"


def cache_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder for caches: ``path``, ``$GEOPARKS_CACHE_DIR``, or the user cache.

    The user cache is ``$XDG_CACHE_HOME/geoparks``, by default ``~/.cache/geoparks``.
    """
    if path is not None:
        return Path(path)
    if env := os.environ.get("GEOPARKS_CACHE_DIR"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "geoparks"


def online(flag: bool | None = None) -> bool:
    """Return whether the online fallback is on: ``flag``, else ``$GEOPARKS_ONLINE`` (1/true)."""
    if flag is not None:
        return flag
    return os.environ.get("GEOPARKS_ONLINE", "").lower() in ("1", "true", "yes", "on")
