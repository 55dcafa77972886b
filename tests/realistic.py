"""A catalog made like the real third-party tables: Chinese headers, GCJ-02 points, flaws.

The records are county-level places of the shipped gazetteer, at their seats moved
by up to about 1 km, in the style of an official development-zone list. Planted in
it, as real tables have them: one fallback point shared by dozens of rows in other
provinces, a zone a few hundred metres across the Macao line, swapped coordinates,
an id repeated in another case. ``EXPECTED`` says which lines must be left out.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geoparks.datum import wgs84_to_gcj02
from geoparks.gazetteer import Gazetteer, short_name_zh
from geoparks.joining import place_points

HEADER = [
    "编号",
    "开发区名称",
    "省份",
    "城市",
    "类型",
    "批准时间",
    "核准面积（公顷）",
    "经度",
    "纬度",
    "级别",
]
TYPES = ["经济技术开发区", "高新技术产业开发区", "综合保税区", "边境经济合作区", "省级经济开发区",
         "工业园区", "产业园区"]  # fmt: skip
FALLBACK = (39.9042, 116.4074)  # the point a failed geocode answers: Beijing
FALLBACK_ROWS = 29


@dataclass(frozen=True)
class RealisticCatalog:
    csv: Path
    xlsx: Path
    rows: int
    expected: dict[int, str]  # line -> reason of each record that must be left out
    original: int  # the line whose id the duplicate repeats
    border_id: str


def make(folder: Path, size: int = 2500, seed: int = 7) -> RealisticCatalog:
    """Write the catalog as CSV (UTF-8) and as an .xlsx copy into ``folder``."""
    rng = random.Random(seed)
    gazetteer = Gazetteer.load()
    counties = [p for p in gazetteer.places if p.level == "county" and p.city]
    lat = np.array([p.lat for p in counties]) + np.array(
        [rng.uniform(-0.008, 0.008) for _ in counties]
    )
    lon = np.array([p.lon for p in counties]) + np.array(
        [rng.uniform(-0.008, 0.008) for _ in counties]
    )
    _, city, _ = place_points(lon, lat)
    fine = [i for i, p in enumerate(counties) if city[i] == p.city]
    chosen = sorted(rng.sample(fine, size - 1))
    rows = []
    for number, i in enumerate(chosen, start=1):
        place = counties[i]
        province = gazetteer.by_adcode(place.province, "province")
        prefecture = gazetteer.by_adcode(place.city, "city")
        kind = rng.choice(TYPES)
        rows.append({
            "编号": f"Z-{number:04d}",
            "开发区名称": f"{short_name_zh(place.name_zh)}{kind}",
            "省份": province.name_zh,
            "城市": prefecture.name_zh,
            "类型": kind,
            "批准时间": rng.choice([f"{rng.randint(1984, 2020)}.{rng.randint(1, 12)}",
                                 f"{rng.randint(1984, 2020)}年{rng.randint(1, 12)}月", ""]),
            "核准面积（公顷）": str(rng.randint(50, 3000)),
            "lat": float(lat[i]),
            "lon": float(lon[i]),
            "级别": rng.choice(["国家级", "省级"]),
        })  # fmt: skip
    far = [r for r in rows if r["省份"] in ("广西壮族自治区", "云南省", "广东省", "四川省")]
    expected: dict[int, str] = {}
    for row in rng.sample(far, FALLBACK_ROWS):
        row["lat"], row["lon"] = FALLBACK
    rows.append({
        "编号": "Z-MACAO", "开发区名称": "粤澳跨境工业区", "省份": "澳门特别行政区", "城市": "",
        "类型": "跨境工业区", "批准时间": "2006.12", "核准面积（公顷）": "40", "lat": 22.13,
        "lon": 113.535, "级别": "国家级",
    })  # fmt: skip
    rng.shuffle(rows)
    for line, row in enumerate(rows, start=2):
        if (row["lat"], row["lon"]) == FALLBACK:
            expected[line] = "wrong_province"
    plain = [i for i, row in enumerate(rows) if row["编号"].startswith("Z-0")]
    swapped, duplicate, original = plain[10], plain[20], plain[5]
    rows[duplicate]["编号"] = rows[original]["编号"].lower()
    expected[duplicate + 2] = "duplicate_id"
    expected[swapped + 2] = "swapped_coordinates"
    gcj_lon, gcj_lat = wgs84_to_gcj02([r["lon"] for r in rows], [r["lat"] for r in rows])
    gcj_lon[swapped], gcj_lat[swapped] = gcj_lat[swapped], gcj_lon[swapped]
    frame = pd.DataFrame(rows).drop(columns=["lat", "lon"])
    frame.insert(7, "经度", [f"{v:.6f}" for v in gcj_lon])
    frame.insert(8, "纬度", [f"{v:.6f}" for v in gcj_lat])
    frame = frame[HEADER]
    csv = folder / "zones.csv"
    frame.to_csv(csv, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    xlsx = folder / "zones.xlsx"
    frame.to_excel(xlsx, index=False, sheet_name="开发区")
    return RealisticCatalog(csv, xlsx, len(rows), expected, original + 2, "Z-MACAO")
