"""WGS-84 <-> GCJ-02 <-> BD-09, vectorised over numpy arrays.

GCJ-02 is the obfuscated datum that Chinese map providers (AutoNavi/Amap,
Tencent) publish coordinates in; it is WGS-84 plus a smooth, non-linear offset
of a few hundred metres. :func:`wgs84_to_gcj02` is the published forward
formula; :func:`gcj02_to_wgs84` inverts it by fixed-point iteration to better
than a millimetre. BD-09 is Baidu's further rotation and shift of GCJ-02
(:func:`gcj02_to_bd09`, :func:`bd09_to_gcj02`); :func:`to_wgs84` takes any of
the three to WGS-84. Points outside China are returned unchanged (see :func:`in_china`):
the usual bounding-box test would shift Hanoi, Seoul and Taipei too.

>>> lon, lat = wgs84_to_gcj02(116.404, 39.915)
>>> round(float(lon), 9), round(float(lat), 9)
(116.410244499, 39.916404282)
>>> lon2, lat2 = gcj02_to_wgs84(lon, lat)
>>> round(float(lon2), 9), round(float(lat2), 9)
(116.404, 39.915)
"""

from __future__ import annotations

import json

import numpy as np
import numpy.typing as npt
import shapely
import shapely.geometry

from geoparks import settings
from geoparks.errors import DataFileError
from geoparks.settings import DATUMS

__all__ = [
    "DATUMS",
    "bd09_to_gcj02",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "in_china",
    "to_wgs84",
    "wgs84_to_gcj02",
]

_A = 6378245.0
_X_PI = np.pi * 3000.0 / 180.0
_EE = 0.00669342162296594323

_outline: shapely.Geometry | None = None


def _china_outline() -> shapely.Geometry:
    global _outline
    if _outline is None:
        path = settings.data_dir() / "boundaries" / "china-outline.geojson"
        try:
            geometry = json.loads(path.read_text(encoding="utf-8"))["features"][0]["geometry"]
        except FileNotFoundError:
            raise DataFileError(f"{path}: no such file (rebuild it with `make data`)") from None
        _outline = shapely.geometry.shape(geometry)
        shapely.prepare(_outline)
    return _outline


def in_china(lon: npt.ArrayLike, lat: npt.ArrayLike) -> np.ndarray:
    """Return whether each point lies where GCJ-02 offsets apply.

    The area is China's land outline with Hong Kong and Macao (whose Amap data
    is offset too) and without Taiwan, simplified to about 2 km and widened by
    about 5 km, shipped as ``data/boundaries/china-outline.geojson``.

    Parameters
    ----------
    lon, lat : array-like
        Degrees; broadcast against each other.

    Returns
    -------
    numpy.ndarray of bool
    """
    lon, lat = np.broadcast_arrays(np.asarray(lon, float), np.asarray(lat, float))
    return shapely.contains_xy(_china_outline(), lon, lat)


def _offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = lon - 105.0, lat - 35.0
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    d_lat += common
    d_lat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    d_lat += (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    d_lon += common
    d_lon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    d_lon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    rad_lat = np.radians(lat)
    magic = 1 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * np.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    return d_lon, d_lat


def _as_arrays(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = np.broadcast_arrays(np.asarray(lon, float), np.asarray(lat, float))
    return lon.copy(), lat.copy()


def wgs84_to_gcj02(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Shift WGS-84 longitude/latitude to GCJ-02 (points outside China unchanged).

    Parameters
    ----------
    lon, lat : array-like
        WGS-84 degrees.

    Returns
    -------
    lon, lat : numpy.ndarray
        GCJ-02 degrees, in the broadcast shape of the inputs.
    """
    lon, lat = _as_arrays(lon, lat)
    mask = in_china(lon, lat)
    d_lon, d_lat = _offset(lon[mask], lat[mask])
    lon[mask] += d_lon
    lat[mask] += d_lat
    return lon, lat


def gcj02_to_wgs84(
    lon: npt.ArrayLike, lat: npt.ArrayLike, tolerance: float = 1e-10, max_iter: int = 30
) -> tuple[np.ndarray, np.ndarray]:
    """Shift GCJ-02 longitude/latitude back to WGS-84 (points outside China unchanged).

    Solves ``wgs84_to_gcj02(w) == g`` for ``w`` by fixed-point iteration
    (``w <- w + g - forward(w)``), which converges because the offset varies
    slowly: in practice 4-6 iterations reach ``tolerance`` degrees (1e-10° is
    about 0.01 mm).

    Parameters
    ----------
    lon, lat : array-like
        GCJ-02 degrees.
    tolerance : float
        Largest accepted residual, in degrees.
    max_iter : int
        Iterations at most.

    Returns
    -------
    lon, lat : numpy.ndarray
        WGS-84 degrees.
    """
    g_lon, g_lat = _as_arrays(lon, lat)
    shape = g_lon.shape
    g_lon, g_lat = g_lon.reshape(-1), g_lat.reshape(-1)
    # Solve wherever the offset formula is defined, then keep the points whose WGS-84
    # answer lies in China: a GCJ-02 point can fall just outside the outline its
    # WGS-84 original lies inside.
    mask = (g_lon > 70) & (g_lon < 140) & (g_lat > 0) & (g_lat < 60)
    target_lon, target_lat = g_lon[mask], g_lat[mask]
    w_lon, w_lat = target_lon.copy(), target_lat.copy()
    # Each point stops on its own residual, so its answer does not depend on the
    # other points of the batch: a vertex shared by two polygons converts the same.
    active = np.arange(w_lon.size)
    for _ in range(max_iter):
        d_lon, d_lat = _offset(w_lon[active], w_lat[active])
        r_lon = target_lon[active] - (w_lon[active] + d_lon)
        r_lat = target_lat[active] - (w_lat[active] + d_lat)
        w_lon[active] += r_lon
        w_lat[active] += r_lat
        active = active[np.maximum(np.abs(r_lon), np.abs(r_lat)) >= tolerance]
        if active.size == 0:
            break
    inside = in_china(w_lon, w_lat)
    keep = mask.copy()
    keep[mask] = inside
    g_lon[keep], g_lat[keep] = w_lon[inside], w_lat[inside]
    return g_lon.reshape(shape), g_lat.reshape(shape)


def gcj02_to_bd09(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Shift GCJ-02 longitude/latitude to Baidu's BD-09 (the published formula).

    >>> lon, lat = gcj02_to_bd09(116.404, 39.915)
    >>> round(float(lon), 9), round(float(lat), 9)
    (116.410369494, 39.921336994)
    """
    lon, lat = _as_arrays(lon, lat)
    radius = np.hypot(lon, lat) + 0.00002 * np.sin(lat * _X_PI)
    angle = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return radius * np.cos(angle) + 0.0065, radius * np.sin(angle) + 0.006


def bd09_to_gcj02(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Shift Baidu's BD-09 longitude/latitude back to GCJ-02 (the published inverse).

    The published inverse is what Baidu's own conversion gives; it inverts
    :func:`gcj02_to_bd09` to about a decimetre.

    >>> lon, lat = bd09_to_gcj02(116.404, 39.915)
    >>> round(float(lon), 9), round(float(lat), 9)
    (116.397627291, 39.90865674)
    """
    lon, lat = _as_arrays(lon, lat)
    x, y = lon - 0.0065, lat - 0.006
    radius = np.hypot(x, y) - 0.00002 * np.sin(y * _X_PI)
    angle = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return radius * np.cos(angle), radius * np.sin(angle)


def to_wgs84(
    lon: npt.ArrayLike, lat: npt.ArrayLike, datum: str | npt.ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Take points in any of :data:`DATUMS` to WGS-84.

    Parameters
    ----------
    lon, lat : array-like
        Degrees in ``datum``.
    datum : str or array-like of str
        ``"wgs84"``, ``"gcj02"`` or ``"bd09"``, for all points or one per point.

    Returns
    -------
    lon, lat : numpy.ndarray
        WGS-84 degrees. GCJ-02 and BD-09 points outside China are only
        un-rotated (BD-09), never un-shifted: those datums leave them alone.

    Examples
    --------
    >>> lon, lat = to_wgs84([113.26, 113.26], [23.13, 23.13], ["wgs84", "gcj02"])
    >>> lon.round(4).tolist(), lat.round(4).tolist()
    ([113.26, 113.2547], [23.13, 23.1327])
    """
    lon, lat = _as_arrays(lon, lat)
    datums = np.broadcast_to(np.asarray(datum, dtype=object), lon.shape)
    unknown = set(np.unique(datums.astype(str))) - set(DATUMS)
    if unknown:
        raise ValueError(f"unknown datum {sorted(unknown)} (expected one of {DATUMS})")
    baidu = datums == "bd09"
    if baidu.any():
        lon[baidu], lat[baidu] = bd09_to_gcj02(lon[baidu], lat[baidu])
    shifted = baidu | (datums == "gcj02")
    if shifted.any():
        lon[shifted], lat[shifted] = gcj02_to_wgs84(lon[shifted], lat[shifted])
    return lon, lat
