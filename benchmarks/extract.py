"""How well ``geoparks extract`` reads the seed articles, against a hand-labelled gold file.

Run: ``.venv/bin/python benchmarks/extract.py [--gold tests/data/extract_gold.json]
[--articles data/articles] [--repeat 3] [-v]``.

Names are matched strictly and one-to-one: a candidate matches a gold record
when the words they share cover at least 0.8 of the larger word set (of the
gold name or of one of its aliases), best pairs first. Printed:

- name precision and recall;
- city accuracy over matched records whose gold city is known, and how many
  matched records with no gold city were still given one;
- figure accuracy: for each matched record and each of investment_cny,
  output_cny, area_km2 and floor_area_km2, whether the candidate holds exactly
  the gold value (no value where the gold has none); and the share of matched
  records stating an investment or an area that have both right;
- time to extract all articles after import (gazetteer loaded on first use),
  min and median of ``--repeat`` runs, against reading the same articles
  (``read_article``) as the baseline of the same run.

Target (issue 16): recall >= 0.95, precision >= 0.90, city >= 0.95, every figure
right, all five seeds in under 1 s.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import time
from pathlib import Path

from geoparks.articles import read_article
from geoparks.extraction import extract
from geoparks.gazetteer import Gazetteer

FIGURES = ("investment_cny", "output_cny", "area_km2", "floor_area_km2")
ROOT = Path(__file__).resolve().parent.parent


def words(name: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", name.lower()))


def overlap(a: str, b: str) -> float:
    x, y = words(a), words(b)
    return len(x & y) / max(len(x), len(y), 1)


def match(candidates: list, gold: list[dict]) -> list[tuple[int, int, float]]:
    """One-to-one strict pairs (candidate index, gold index, score), best first."""
    scored = []
    for i, candidate in enumerate(candidates):
        for j, record in enumerate(gold):
            score = max(overlap(candidate.name, n) for n in [record["name"], *record["aliases"]])
            if score >= 0.8:
                scored.append((score, i, j))
    pairs, used_c, used_g = [], set(), set()
    for score, i, j in sorted(scored, reverse=True):
        if i not in used_c and j not in used_g:
            pairs.append((i, j, score))
            used_c.add(i)
            used_g.add(j)
    return pairs


def fold(name: str | None) -> str | None:
    """Spell a name the way the gold file does: Xi’an and Xi'an alike."""
    return name.replace("’", "'") if name else name


def same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=ROOT / "tests/data/extract_gold.json", type=Path)
    parser.add_argument("--articles", default=ROOT / "data/articles", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("-v", "--verbose", action="store_true")
    options = parser.parse_args()
    gold = json.loads(options.gold.read_text(encoding="utf-8"))["articles"]
    gazetteer = Gazetteer.load()

    found = gold_count = matched = 0
    city_right = city_known = city_extra = city_none_gold = 0
    figure_right = figure_total = 0
    stating = stating_right = 0
    figure_wrong: list[str] = []
    misses: list[str] = []
    spurious: list[str] = []
    for article in gold:
        path = options.articles / article["file"]
        result = extract(path, gazetteer=gazetteer)
        candidates = result.records
        pairs = match(candidates, article["records"])
        found += len(candidates)
        gold_count += len(article["records"])
        matched += len(pairs)
        paired_c = {i for i, _, _ in pairs}
        paired_g = {j for _, j, _ in pairs}
        misses += [f"{article['file']}: {r['name']}" for j, r in enumerate(article["records"])
                   if j not in paired_g]  # fmt: skip
        spurious += [f"{article['file']}: {c.name}" for i, c in enumerate(candidates)
                     if i not in paired_c]  # fmt: skip
        for i, j, _ in pairs:
            candidate, record = candidates[i], article["records"][j]
            if record["city"] is None:
                city_none_gold += 1
                city_extra += candidate.city is not None
            else:
                city_known += 1
                if fold(candidate.city) == fold(record["city"]):
                    city_right += 1
                else:
                    figure_wrong.append(f"city of {record['name']}: {candidate.city} "
                                        f"(gold {record['city']})")  # fmt: skip
            given = [c for c in ("investment_cny", "area_km2") if record[c] is not None]
            if given:
                stating += 1
                stating_right += all(same(getattr(candidate, c), record[c]) for c in given)
            for column in FIGURES:
                figure_total += 1
                value = getattr(candidate, column)
                if same(value, record[column]):
                    figure_right += 1
                else:
                    figure_wrong.append(f"{column} of {record['name']}: {value} "
                                        f"(gold {record[column]})")  # fmt: skip

    precision = matched / found if found else 0.0
    recall = matched / gold_count if gold_count else 0.0
    stated = sum(1 for a in gold for r in a["records"] for c in FIGURES if r[c] is not None)
    print(f"articles: {len(gold)}, gold records: {gold_count}, candidates: {found}, "
          f"matched: {matched}")  # fmt: skip
    print(f"names   precision {precision:.3f}   recall {recall:.3f}   (strict, one-to-one)")
    print(
        f"city    {city_right}/{city_known} = {city_right / max(city_known, 1):.3f} right; "
        f"{city_extra} of {city_none_gold} records spanning several cities given one"
    )
    print(f"figures {figure_right}/{figure_total} cells right ({stated} figures stated in gold); "
          f"investment and area right for {stating_right}/{stating} matched records that state "
          f"one")  # fmt: skip
    if options.verbose or misses or spurious or figure_wrong:
        for line in misses:
            print("  missed:", line)
        for line in spurious:
            print("  not in gold:", line)
        for line in figure_wrong:
            print("  wrong:", line)

    paths = [options.articles / a["file"] for a in gold]
    reading, extracting = [], []
    for _ in range(options.repeat):
        t0 = time.perf_counter()
        for path in paths:
            read_article(path)
        reading.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for path in paths:
            extract(path, gazetteer=gazetteer)
        extracting.append(time.perf_counter() - t0)
    ratio = statistics.median(extracting) / statistics.median(reading)
    print(f"time    extract {len(paths)} articles: min {min(extracting):.3f} s, median "
          f"{statistics.median(extracting):.3f} s; reading alone: min {min(reading):.4f} s, "
          f"median {statistics.median(reading):.4f} s (x{ratio:.0f})")  # fmt: skip


if __name__ == "__main__":
    main()
