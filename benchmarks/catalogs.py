"""Large catalogs end to end: time and peak memory per stage, beside a plain-pandas floor.

Run: ``.venv/bin/python benchmarks/catalogs.py [--sizes 100000,1000000] [--repeat 3]``

Targets (issue 12): a 100,000-row catalog with coordinates is validated and
built (every map and the GeoJSON exports) in under 10 s, and one placed by
names and province hints only in under 15 s; 1,000,000 rows with coordinates
in under 60 s and 2 GB of peak memory.

Each scenario runs in a fresh process (so memory is its own), ``--repeat``
times; min and median are printed. The floor, measured in the same run on the
same file, is what any tool must at least do: ``pandas.read_csv``, points, a
``geopandas.sjoin`` with the provinces and ``to_file`` as GeoJSON.

The catalogs are made here from the shipped gazetteer: county seats moved by up
to 500 m, with Chinese names, province names and kinds; the names-only catalog
drops the coordinates, so every row is placed by the gazetteer.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

STAGES = r"""
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
start = time.perf_counter()
import geoparks
from geoparks.validation import validate
path, out = sys.argv[1], sys.argv[2]
marks = {"import": time.perf_counter() - start}
def mark(name, since):
    marks[name] = time.perf_counter() - since
    marks[name + " MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return time.perf_counter()
t = time.perf_counter()
catalog = geoparks.load_catalog(path)
t = mark("load", t)
report = validate(catalog)
t = mark("validate", t)
written = geoparks.build(catalog, out, tiles=None)
t = mark("build", t)
marks["mapped"] = written.mapped
print(json.dumps(marks))
"""

FLOOR = r"""
import json, resource, sys, time
start = time.perf_counter()
import geopandas as gpd, pandas as pd
from geoparks.boundaries import load_boundaries
path, out = sys.argv[1], sys.argv[2]
t = time.perf_counter()
frame = pd.read_csv(path)
points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame.lon, frame.lat), crs=4326)
joined = gpd.sjoin(points, load_boundaries("province")[["geometry"]], predicate="within")
joined.to_file(out + "/floor.geojson")
elapsed = time.perf_counter() - t
print(json.dumps({"floor": elapsed,
                  "floor MB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make(path: Path, size: int, coordinates: bool) -> None:
    import numpy as np
    import pandas as pd

    from geoparks.gazetteer import Gazetteer, short_name_zh

    rng = np.random.default_rng(0)
    gazetteer = Gazetteer.load()
    counties = [p for p in gazetteer.places if p.level == "county" and p.city]
    provinces = {p.adcode: p.name_zh for p in gazetteer.places if p.level == "province"}
    pick = rng.integers(0, len(counties), size)
    heads = np.array(["经济技术开发区", "高新技术产业开发区", "工业园区", "综合保税区"])
    kinds = np.array(["development_zone", "high_tech_zone", "industrial_park", "free_trade_zone"])
    which = np.arange(size) % 4
    frame = pd.DataFrame(
        {
            "name": [short_name_zh(counties[i].name_zh) for i in pick] + heads[which],
            "province": [provinces[counties[i].province] for i in pick],
            "kind": kinds[which],
        }
    )
    if coordinates:
        frame["lat"] = np.round(
            [counties[i].lat for i in pick] + rng.uniform(-0.004, 0.004, size), 6
        )
        frame["lon"] = np.round(
            [counties[i].lon for i in pick] + rng.uniform(-0.004, 0.004, size), 6
        )
    frame.to_csv(path, index=False)


def run(script: str, *args: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="comma-separated row counts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--names", action="store_true", help="also the names-only catalogs")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for size in sizes:
            scenarios = [("coordinates", True)] + ([("names", False)] if args.names else [])
            for label, coordinates in scenarios:
                path = root / f"{label}-{size}.csv"
                make(path, size, coordinates)
                out = root / f"out-{label}-{size}"
                out.mkdir()
                runs = [run(STAGES, str(path), str(out)) for _ in range(args.repeat)]
                floors = (
                    [run(FLOOR, str(path), str(out)) for _ in range(args.repeat)]
                    if coordinates
                    else []
                )
                report(f"{size:,} rows, {label}", runs, floors)


def report(title: str, runs: list[dict[str, float]], floors: list[dict[str, float]]) -> None:
    print(f"\n{title} ({len(runs)} runs; min / median)")
    totals = [r["load"] + r["validate"] + r["build"] for r in runs]
    for stage in ("import", "load", "validate", "build"):
        values = [r[stage] for r in runs]
        memory = max(r.get(f"{stage} MB", 0) for r in runs)
        shown = f", peak {memory:,.0f} MB" if memory else ""
        print(f"  {stage:<9} {min(values):6.2f} / {statistics.median(values):6.2f} s{shown}")
    print(f"  {'total':<9} {min(totals):6.2f} / {statistics.median(totals):6.2f} s "
          f"(load + validate + build; {runs[0]['mapped']:,} mapped)")  # fmt: skip
    if floors:
        floor = [f["floor"] for f in floors]
        print(f"  floor     {min(floor):6.2f} / {statistics.median(floor):6.2f} s, peak "
              f"{max(f['floor MB'] for f in floors):,.0f} MB (read_csv + sjoin + to_file); "
              f"geoparks / floor: {min(totals) / min(floor):.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
