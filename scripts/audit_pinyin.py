"""List the places whose English name is not CC-CEDICT's reading of their characters.

Run: ``.venv/bin/python scripts/audit_pinyin.py`` (``pip install -e '.[data]'`` adds
pypinyin-dict, which ships CC-CEDICT's readings).

pypinyin reads a polyphone by its everyday sound where it knows no phrase (佛坪 "Fuping"
for Foping). Every unit whose short name has a character of several readings is
checked against CC-CEDICT's reading of the same word; the units ``curated/names.csv``
names are shown apart, with their reason. What is left is to review: a minority-language
name (Ordos, Hotan) is right as it is, a misread polyphone goes into
``curated/names.csv`` with its source.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

from pypinyin import Style, pinyin
from pypinyin_dict.phrase_pinyin_data import cc_cedict

from geoparks.gazetteer import fold, short_name_zh

DATA = Path(__file__).resolve().parent.parent / "data"


def toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFKD", syllable)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def main() -> None:
    with (DATA / "curated" / "names.csv").open(encoding="utf-8") as handle:
        curated = {row["adcode"]: row["reason"] for row in csv.DictReader(handle)}
    with (DATA / "places.csv").open(encoding="utf-8") as handle:
        places = list(csv.DictReader(handle))
    polyphonic = known = 0
    for place in places:
        short = short_name_zh(place["name_zh"])
        if all(len(set(each)) == 1 for each in pinyin(short, Style.NORMAL, heteronym=True)):
            continue
        polyphonic += 1
        entry = cc_cedict.phrases_dict.get(short) or cc_cedict.phrases_dict.get(place["name_zh"])
        if entry is None:
            continue
        known += 1
        reading = fold("".join(toneless(each[0]) for each in entry[: len(short)]))
        if fold(place["name_en"]).startswith(reading):
            continue
        why = f"  (curated: {curated[place['adcode']]})" if place["adcode"] in curated else ""
        print(f"{place['adcode']} {place['name_zh']}: {place['name_en']}, CC-CEDICT {reading}{why}")
    print(f"{polyphonic} names with a polyphone, {known} of them in CC-CEDICT")


if __name__ == "__main__":
    main()
