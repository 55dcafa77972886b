"""The spatial join and the boundaries: load time and points joined per second.

Run: ``.venv/bin/python benchmarks/join.py``

Targets (issue 4): the provinces load in under 0.5 s; 1,000,000 random points
join to the 370 prefectures in under 5 s on one core. The baseline is the same
join done with a plain Python loop over ``polygon.contains`` on a 10,000-point
sample, scaled to a million.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import shapely

from geoparks import settings
from geoparks.boundaries import FILES, _read
from geoparks.joining import locate

POINTS = 1_000_000
SAMPLE = 10_000


def main() -> None:
    folder = settings.data_dir() / "boundaries"
    for level in ("province", "city"):
        name, key = FILES[level]
        times = []
        for _ in range(5):
            _read.cache_clear()
            start = time.perf_counter()
            _read(folder / name, key)
            times.append(time.perf_counter() - start)
        print(f"load {name} (median of 5): {statistics.median(times):.3f} s"
              + ("  (target < 0.5 s)" if level == "province" else ""))  # fmt: skip

    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(73.5, 135.0, POINTS), rng.uniform(18.0, 53.5, POINTS)
    locate(lon[:10], lat[:10], "city")  # load the polygons and build the index

    start = time.perf_counter()
    codes = locate(lon, lat, "city")
    elapsed = time.perf_counter() - start
    inside = sum(code is not None for code in codes)
    print(f"geoparks.locate, {POINTS:,} random points x 370 prefectures: {elapsed:.2f} s "
          f"({POINTS / elapsed:,.0f} points/s, {inside / POINTS:.0%} in China)"
          "  (target < 5 s)")  # fmt: skip

    polygons = _read(folder / FILES["city"][0], FILES["city"][1])
    geometries = list(zip(polygons.index, polygons.geometry, strict=True))
    points = [shapely.Point(x, y) for x, y in zip(lon[:SAMPLE], lat[:SAMPLE], strict=True)]
    start = time.perf_counter()
    loop = []
    for point in points:
        loop.append(next((code for code, polygon in geometries if polygon.contains(point)), None))
    loop_elapsed = (time.perf_counter() - start) * POINTS / SAMPLE
    assert loop == list(codes[:SAMPLE]), "the loop and the join disagree"
    print(f"plain Python loop over polygon.contains, {SAMPLE:,} points scaled to {POINTS:,}: "
          f"{loop_elapsed:,.0f} s -> geoparks is {loop_elapsed / elapsed:,.0f}x")  # fmt: skip


if __name__ == "__main__":
    main()
