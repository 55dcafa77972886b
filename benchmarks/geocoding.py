"""Offline geocoding: load time and batch throughput, beside the online and cpca baselines.

Run: ``.venv/bin/python benchmarks/geocoding.py`` (``pip install -e '.[bench]'`` adds cpca).

Queries are every prefecture-level city of the gazetteer, once by English name
with its English province ("Yulin", "Guangxi") and once by Chinese name with its
Chinese province ("玉林市", "广西壮族自治区"), repeated. Targets (issue 3):
load under 0.3 s, at least 50,000 queries/s on one core.
"""

from __future__ import annotations

import statistics
import time

from geoparks import settings
from geoparks.gazetteer import Gazetteer

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


if __name__ == "__main__":
    main()
