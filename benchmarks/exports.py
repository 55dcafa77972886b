"""Exports at scale: write and read times and file sizes per format, beside geopandas.

Run: ``.venv/bin/python benchmarks/exports.py [--parks 20000]`` (needs the ``bench`` extra).

The parks layer of the synthetic catalog of ``benchmarks/maps.py`` is written
in every format by :func:`geoparks.write_layer` and read back by
:func:`geoparks.read_export`. The baseline, in the same run on the same frame,
is geopandas' own ``to_file``/``to_parquet`` and ``read_file``/``read_parquet``;
it writes lists as Python reprs (GeoJSON, GeoPackage) and cannot write CSV
with a geometry, so the CSV baseline is ``pandas.to_csv`` with WKT. Issue 6 sets
no speed target: this shows what typing, RFC 7946 and atomic writes cost.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd

import geoparks
from geoparks.layers import park_layer
from maps import synthetic


def timed(action, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = action(*args)
    return time.perf_counter() - start, result


def baseline_write(frame: gpd.GeoDataFrame, path: Path, format: str) -> None:
    if format == "parquet":
        frame.to_parquet(path)
    elif format == "csv":
        pd.DataFrame(frame.drop(columns="geometry")).assign(
            geometry=frame.geometry.to_wkt()
        ).to_csv(path, index=False)
    else:
        frame.to_file(path, driver={"geojson": "GeoJSON", "gpkg": "GPKG"}[format])


def baseline_read(path: Path, format: str) -> gpd.GeoDataFrame:
    return gpd.read_parquet(path) if format == "parquet" else gpd.read_file(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, default=20_000)
    args = parser.parse_args()
    parks, sources = synthetic(args.parks)
    layer = park_layer(parks, sources)
    print(f"{len(layer):,} parks, {len(layer.columns)} columns")
    header = f"{'format':8} {'write s':>8} {'base s':>7} {'ratio':>6} {'read s':>7} {'base s':>7}"
    print(f"{header} {'bytes/park':>10} {'base':>6}")
    with tempfile.TemporaryDirectory() as folder:
        for format, suffix in geoparks.FORMATS.items():
            ours, theirs = Path(folder) / f"ours{suffix}", Path(folder) / f"base{suffix}"
            write, files = timed(geoparks.write_layer, layer, ours, format)
            base_write, _ = timed(baseline_write, layer, theirs, format)
            read, back = timed(geoparks.read_export, ours)
            base_read, _ = timed(baseline_read, theirs, format)
            assert len(back) == len(layer)
            size = sum(f.stat().st_size for f in files) / len(layer)
            base_size = theirs.stat().st_size / len(layer)
            print(
                f"{format:8} {write:8.2f} {base_write:7.2f} {write / base_write:6.2f} "
                f"{read:7.2f} {base_read:7.2f} {size:10.0f} {base_size:6.0f}"
            )


if __name__ == "__main__":
    main()
