"""Geocoding lists end to end: `geoparks geocode --input` and catalog placing, beside cpca.

Run: ``.venv/bin/python benchmarks/names.py [--size 100000] [--repeat 3]`` (cpca from
``pip install -e '.[bench]'``; skipped without it).

The names are made from the gazetteer, one unique name per row, mixed as real lists
are: zone names in Chinese (a province, a county, an industry, a zone type:
"广西凭祥电子信息产业园") and in English ("Pingxiang Electronics Industrial Park")
with their province as a hint, and bare city names. Figures:

- ``geocode --input``: names/s after start-up, where start-up is the same command on a
  one-row file, timed in the same run (targets: >= 50,000 names/s, start-up < 0.3 s);
- catalog placing (``geocode_catalog`` on a catalog of the same names): rows/s
  (target >= 20,000);
- cpca on the Chinese names, in the same run, as the baseline.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geoparks.gazetteer import Gazetteer, short_name_zh

INDUSTRIES = [
    ("电子信息", "Electronics"), ("新材料", "New Materials"), ("生物医药", "Biomedicine"),
    ("装备制造", "Equipment Manufacturing"), ("现代物流", "Logistics"), ("食品", "Food"),
    ("纺织", "Textile"), ("数字经济", "Digital Economy"), ("新能源", "New Energy"),
    ("汽车", "Automotive"), ("化工", "Chemical"), ("文化", "Cultural"), ("科技", "Science"),
    ("农业", "Agricultural"), ("港口", "Port"), ("跨境电商", "Cross-border E-commerce"),
]  # fmt: skip
KINDS = [
    ("产业园", "Industrial Park"), ("经济开发区", "Economic Development Zone"),
    ("高新技术产业开发区", "High-tech Industrial Development Zone"),
    ("工业园区", "Industrial Zone"), ("产业基地", "Industrial Base"),
    ("示范区", "Demonstration Zone"), ("合作区", "Cooperation Zone"),
]  # fmt: skip


def names(size: int, seed: int = 13) -> list[dict[str, str]]:
    """Unique names with their province, mixed: 45% Chinese zones, 45% English, 10% cities."""
    gazetteer = Gazetteer.load()
    rng = random.Random(seed)
    provinces = {p.adcode: p for p in gazetteer.places if p.level == "province"}
    counties = [p for p in gazetteer.places if p.level == "county"]
    cities = [p for p in gazetteer.places if p.level == "city"]
    rows: dict[str, dict[str, str]] = {}
    while len(rows) < size:
        roll = rng.random()
        if roll < 0.1:
            city = rng.choice(cities)
            province = provinces[city.province]
            name, hint = rng.choice([(city.name_en, province.name_en), (city.name_zh, "")])
        else:
            county = rng.choice(counties)
            province = provinces[county.province]
            (zh, en), (kind_zh, kind_en) = rng.choice(INDUSTRIES), rng.choice(KINDS)
            if roll < 0.55:
                lead = short_name_zh(province.name_zh) if rng.random() < 0.5 else ""
                name, hint = f"{lead}{short_name_zh(county.name_zh)}{zh}{kind_zh}", ""
            else:
                name, hint = f"{county.name_en} {en} {kind_en}", province.name_en
        if name in rows:  # one row per name: real lists repeat few names
            name = f"{name} {len(rows)}"
        rows[name] = {"name": name, "province": hint, "truth": province.adcode}
    return list(rows.values())


def write(rows: list[dict[str, str]], path: Path, columns: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def summary(label: str, times: list[float], unit: str = "s") -> str:
    return f"{label}: min {min(times):.3f} {unit}, median {statistics.median(times):.3f} {unit}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = names(args.size)
    geoparks = str(Path(sys.executable).with_name("geoparks"))
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        big = write(rows, here / "names.csv", ["name", "province"])
        one = write(rows[:1], here / "one.csv", ["name", "province"])
        out = here / "out.csv"
        starts, totals, helps, singles = [], [], [], []
        for _ in range(args.repeat):
            helps.append(run([geoparks, "--help"]))
            singles.append(run([geoparks, "geocode", "Yulin", "--province", "Guangxi"]))
            starts.append(
                run([geoparks, "-q", "geocode", "--input", str(one), "--output", str(out)])
            )
            totals.append(
                run([geoparks, "-q", "geocode", "--input", str(big), "--output", str(out)])
            )
        print(summary("geoparks --help", helps) + "  (target < 0.3 s)")
        print(summary("geoparks geocode NAME", singles) + "  (target < 0.3 s)")
        print(summary("geocode --input, one row (start-up)", starts))
        print(summary(f"geocode --input, {len(rows):,} names", totals))
        rates = [len(rows) / max(t - s, 1e-9) for t, s in zip(totals, starts, strict=True)]
        print(f"  -> after start-up: min {min(rates):,.0f} names/s, median "
              f"{statistics.median(rates):,.0f} names/s  (target >= 50,000)")  # fmt: skip
        with out.open(encoding="utf-8") as handle:
            results = list(csv.DictReader(handle))
        shares: dict[str, int] = {}
        for result in results:
            shares[result["status"]] = shares.get(result["status"], 0) + 1
        right = sum(
            r["status"] in ("ok", "partial") and r["adcode"][:2] == row["truth"][:2]
            for r, row in zip(results, rows, strict=True)
        )
        print(f"  statuses: {shares}; right province: {right / len(rows):.1%}")
        placing(rows, here, args.repeat)
    cpca_baseline(rows, args.repeat)


def placing(rows: list[dict[str, str]], here: Path, repeat: int) -> None:
    import warnings

    from geoparks.catalog import load_catalog
    from geoparks.placing import geocode_catalog

    catalog_rows = [{"id": f"z{i}", **row} for i, row in enumerate(rows)]
    path = write(catalog_rows, here / "catalog.csv", ["id", "name", "province"])
    catalog = load_catalog(path)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            geocode_catalog(catalog)
        times.append(time.perf_counter() - start)
    rates = [len(rows) / t for t in times]
    print(f"catalog placing, {len(rows):,} rows: max {max(rates):,.0f} rows/s, median "
          f"{statistics.median(rates):,.0f} rows/s  (target >= 20,000)")  # fmt: skip


def cpca_baseline(rows: list[dict[str, str]], repeat: int) -> None:
    try:
        import cpca
    except ImportError:
        print("cpca: not installed (pip install -e '.[bench]'), skipped")
        return
    chinese = [r["name"] for r in rows if not r["name"].isascii()]
    cpca.transform(chinese[:10])  # its model loads on the first call
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        cpca.transform(chinese)
        times.append(time.perf_counter() - start)
    rates = [len(chinese) / t for t in times]
    print(f"cpca.transform, the {len(chinese):,} Chinese names, warm: max {max(rates):,.0f} "
          f"names/s, median {statistics.median(rates):,.0f} names/s (in-process)")  # fmt: skip


if __name__ == "__main__":
    main()
