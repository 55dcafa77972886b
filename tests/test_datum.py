from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import assume, given
from hypothesis import strategies as st

from geoparks.datum import (
    _china_outline,
    bd09_to_gcj02,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    in_china,
    to_wgs84,
    wgs84_to_gcj02,
)

METRES_PER_DEGREE = 111_320


def test_forward_matches_the_published_reference_pair():
    # wandergis/coordtransform's documented example, reproduced by its ports.
    lon, lat = wgs84_to_gcj02(116.404, 39.915)
    assert float(lon) == pytest.approx(116.41024449916938, abs=1e-12)
    assert float(lat) == pytest.approx(39.91640428150164, abs=1e-12)


def test_baidu_matches_the_published_reference_pairs():
    # coordtransform's documented examples, and Beijing railway station in both datums.
    lon, lat = gcj02_to_bd09(116.404, 39.915)
    assert (float(lon), float(lat)) == pytest.approx((116.41036949371029, 39.92133699351021))
    lon, lat = bd09_to_gcj02(116.404, 39.915)
    assert (float(lon), float(lat)) == pytest.approx((116.39762729119315, 39.90865673957631))
    lon, lat = bd09_to_gcj02(116.43351, 39.90851)
    assert abs(float(lon) - 116.42703) * METRES_PER_DEGREE < 5
    assert abs(float(lat) - 39.90245) * METRES_PER_DEGREE < 5


def test_to_wgs84_takes_each_point_from_its_own_datum():
    g_lon, g_lat = wgs84_to_gcj02(116.404, 39.915)
    b_lon, b_lat = gcj02_to_bd09(g_lon, g_lat)
    lon, lat = to_wgs84([116.404, g_lon, b_lon, 105.85], [39.915, g_lat, b_lat, 21.03],
                        ["wgs84", "gcj02", "bd09", "gcj02"])  # fmt: skip
    assert lon[:3] == pytest.approx([116.404] * 3, abs=1e-5)  # Baidu's inverse: about 0.1 m
    assert lat[:3] == pytest.approx([39.915] * 3, abs=1e-5)
    assert (lon[3], lat[3]) == (105.85, 21.03)  # Hanoi: GCJ-02 leaves it unshifted
    with pytest.raises(ValueError, match="unknown datum"):
        to_wgs84([1.0], [2.0], "mercator")


def test_inverse_is_exact_where_the_one_step_approximation_is_not():
    lon, lat = gcj02_to_wgs84(116.404, 39.915)
    # The widely copied one-step inverse gives (116.39775550083061, 39.91359571849836),
    # off by a few metres; ours maps forward onto the input.
    assert abs(float(lon) - 116.39775550083061) * METRES_PER_DEGREE < 5
    fwd_lon, fwd_lat = wgs84_to_gcj02(lon, lat)
    assert float(fwd_lon) == pytest.approx(116.404, abs=1e-9)
    assert float(fwd_lat) == pytest.approx(39.915, abs=1e-9)


china_points = st.tuples(
    st.floats(min_value=98.0, max_value=122.0), st.floats(min_value=22.5, max_value=41.0)
)


@given(st.lists(china_points, min_size=1, max_size=50))
def test_round_trip_is_better_than_half_a_metre(points):
    lon, lat = np.array(points).T
    # Within about 1 km of the outline a GCJ-02 point has two WGS-84 preimages: itself
    # (outside, unshifted) and a shifted point inside. The inverse picks the one inside.
    border = shapely.distance(_china_outline().boundary, shapely.points(lon, lat))
    keep = border > 0.01
    assume(keep.any())
    lon, lat = lon[keep], lat[keep]
    mask = in_china(lon, lat)
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    error = np.hypot((back_lon - lon) * np.cos(np.radians(lat)), back_lat - lat)
    assert (error * METRES_PER_DEGREE < 0.5).all()
    shift_lon, _ = wgs84_to_gcj02(lon, lat)
    assert (shift_lon[mask] != lon[mask]).all()


def test_offset_is_a_few_hundred_metres_in_china():
    lon, lat = np.array([113.26, 108.32, 110.35]), np.array([23.13, 22.82, 20.03])
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    metres = np.hypot((g_lon - lon) * np.cos(np.radians(lat)), g_lat - lat) * METRES_PER_DEGREE
    assert ((metres > 100) & (metres < 900)).all()


@pytest.mark.parametrize(
    ("place", "lon", "lat", "inside"),
    [
        ("Hanoi", 105.85, 21.03, False),
        ("Lang Son", 106.76, 21.85, False),
        ("Lashio, Myanmar", 97.75, 22.93, False),
        ("Phongsaly, Laos", 102.10, 21.68, False),
        ("Seoul", 126.98, 37.57, False),
        ("Taipei", 121.56, 25.04, False),
        ("Tokyo", 139.69, 35.69, False),
        ("Pingxiang, Guangxi", 106.75, 22.10, True),
        ("Dongxing, Guangxi", 107.97, 21.55, True),
        ("Jinghong, Yunnan", 100.80, 22.01, True),
        ("Hong Kong", 114.17, 22.28, True),
        ("Sanya, Hainan", 109.51, 18.25, True),
        ("Manzhouli", 117.43, 49.60, True),
        ("Kashgar", 75.99, 39.47, True),
    ],
)
def test_points_outside_china_are_left_unchanged(place, lon, lat, inside):
    assert bool(in_china(lon, lat)) is inside, place
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    assert (float(g_lon) == lon and float(g_lat) == lat) is not inside
    w_lon, w_lat = gcj02_to_wgs84(lon, lat)
    assert (float(w_lon) == lon and float(w_lat) == lat) is not inside


def test_shapes_are_kept():
    lon, lat = wgs84_to_gcj02(np.full((2, 3), 113.0), 23.0)
    assert lon.shape == lat.shape == (2, 3)


@given(st.lists(china_points, min_size=2, max_size=20))
def test_a_point_converts_the_same_alone_and_in_any_batch(points):
    # Polygons that share a vertex must still share it after conversion.
    lon, lat = np.array(points).T
    batch_lon, batch_lat = gcj02_to_wgs84(lon, lat)
    for i in range(len(points)):
        alone_lon, alone_lat = gcj02_to_wgs84(lon[i], lat[i])
        assert (float(alone_lon), float(alone_lat)) == (batch_lon[i], batch_lat[i])
