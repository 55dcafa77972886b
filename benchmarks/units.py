"""Reading money and areas from hostile text: time per character as the text grows.

Run: ``.venv/bin/python benchmarks/units.py [--sizes 10000,100000,1000000] [--repeat 3]``.

Evidence is free text that ``validate``, ``build``, ``export`` and ``summary`` read
for money and areas (:func:`geoparks.units.find_money`, :func:`find_areas`). Each
family below once made the patterns backtrack, so time grew with the square of
the length (5,000 digits: 10 s; 20,000: 144 s). The baseline, in the same run,
is ordinary evidence prose of the same length. Linear time shows as a flat cost
per character: the ratio of the largest size's cost per character to the
smallest's stays near 1 (target: below 2 for every family), and each family
costs about what prose costs.

A last line times ``geoparks validate`` on the shipped catalog with one record's
evidence replaced by 1,000,000 digits, against the catalog as shipped.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geoparks.units import find_areas, find_money

PROSE = (
    "The park covers an area of about 5 square kilometers, with a total investment of "
    "10 billion yuan ($1.45 billion); 1,355 mu were approved on April 14, 2022. "
)
FAMILIES = {
    "prose (baseline)": PROSE,
    "digits": "1",
    "grouped digits": "1,000",
    "decimals": "1.",
    "digits and spaces": "1 ",
    "USD then spaces": "USD" + " " * 50,
    "a number then spaces": "5" + " " * 50,
    "unclosed brackets": "5 yuan (",
}


def per_char(text: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        find_money(text)
        find_areas(text)
        times.append((time.perf_counter() - start) / len(text))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'family':24}" + "".join(f"{f'{n:,} chars':>22}" for n in sizes) + "   growth")
    for label, unit in FAMILIES.items():
        costs = []
        for size in sizes:
            text = (unit * (size // len(unit) + 1))[:size]
            costs.append(per_char(text, args.repeat))
        cells = "".join(
            f"{min(c) * 1e6:8.3f}/{statistics.median(c) * 1e6:.3f} us/ch" for c in costs
        )
        growth = min(costs[-1]) / min(costs[0])
        print(f"{label:24}{cells}   x{growth:.2f}  (target < 2)")
    print("(each cell: min/median microseconds per character)")
    validate_with_digits(args.repeat)


def validate_with_digits(repeat: int) -> None:
    root = Path(__file__).resolve().parent.parent / "data"
    geoparks = str(Path(sys.executable).with_name("geoparks"))
    with tempfile.TemporaryDirectory() as folder:
        hostile = Path(folder) / "data"
        shutil.copytree(root, hostile)
        with (root / "parks.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        rows[0]["evidence"] = "1" * 1_000_000
        with (hostile / "parks.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        results = {}
        for label, data in (("as shipped", root), ("1,000,000 digits", hostile)):
            catalog = data / "parks.csv"
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                run = [geoparks, "-q", "validate", str(catalog)]
                subprocess.run(run, capture_output=True, check=False)
                times.append(time.perf_counter() - start)
            results[label] = times
            print(f"geoparks validate, {label}: min {min(times):.2f} s, median "
                  f"{statistics.median(times):.2f} s")  # fmt: skip
        ratio = min(results["1,000,000 digits"]) / min(results["as shipped"])
        print(f"  -> ratio {ratio:.2f} (before: days)")


if __name__ == "__main__":
    main()
