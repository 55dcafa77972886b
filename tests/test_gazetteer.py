from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path

import pytest

from geoparks.gazetteer import Gazetteer, UnknownHintError, fold, short_name_zh

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


def test_every_unit_of_cnmaps_is_there(gaz):
    levels = Counter(p.level for p in gaz.places)
    assert levels == {"province": 34, "city": 370, "county": 2875}
    assert all(-90 <= p.lat <= 90 and 70 <= p.lon <= 140 for p in gaz.places)


def test_shipped_file_is_small_and_loads_fast():
    assert (DATA / "places.csv").stat().st_size < 2_000_000
    start = time.perf_counter()
    Gazetteer._read(DATA)
    assert time.perf_counter() - start < 1.0  # the 0.3 s target is measured in benchmarks/


@pytest.mark.parametrize(
    ("query", "hints", "adcode"),
    [
        ("Hezhou", {}, "451100"),
        ("贺州市", {}, "451100"),
        ("贺州", {}, "451100"),
        ("HEZHOU  city", {}, "451100"),
        ("Dinghu District", {}, "441203"),
        ("Dinghu Qu", {}, "441203"),
        ("鼎湖区", {}, "441203"),
        ("Sihui City", {}, "441284"),
        ("Sihui", {"province": "Guangdong"}, "441284"),
        ("Haizhu", {"city": "Guangzhou"}, "440105"),
        ("Pazhou", {}, "440105"),
        ("琶洲", {}, "440105"),
        ("Hengqin", {}, "440402"),
        ("Yangpu", {"province": "Hainan"}, "460400"),
        ("Pingxiang", {"province": "Guangxi"}, "451481"),
        ("Pingxiang", {"province": "广西壮族自治区"}, "451481"),
        ("Pingxiang", {"province": "Jiangxi"}, "360300"),
        ("Pingxiang County", {}, "130532"),
        ("Yulin", {"province": "Guangxi Zhuang Autonomous Region"}, "450900"),
        ("Yulin, Guangxi", {}, "450900"),
        ("Yulin", {"province": "Shaanxi"}, "610800"),
        ("Nanning", {}, "450100"),
        ("Qinzhou", {"province": "Guangxi"}, "450700"),
        ("Fangchenggang", {}, "450600"),
        ("Chongzuo", {}, "451400"),
        ("Haikou", {}, "460100"),
        ("Zhaoqing", {}, "441200"),
        ("Guangzhou", {}, "440100"),
        ("Shenzhen", {}, "440300"),
        ("满洲里", {}, "150781"),
        ("Manzhouli", {}, "150781"),
        ("Hulunbuir", {}, "150700"),
        ("Ordos", {}, "150600"),
        ("Urumqi", {}, "650100"),
        ("Ürümqi", {}, "650100"),
        ("Kashgar", {}, "653100"),
        ("Kashi", {}, "653100"),
        ("Changzhi", {}, "140400"),
        ("Luohe", {}, "411100"),
        ("Lüliang", {"province": "Shanxi"}, "141100"),
        ("Lvliang", {}, "141100"),
        ("Chaoyang", {"city": "Beijing"}, "110105"),
        ("Xi'an", {"province": "Shaanxi"}, "610100"),
        ("Xian", {"province": "Shaanxi"}, "610100"),
        ("Beijing", {}, "110100"),
        ("Hong Kong", {}, "810000"),
        ("Macau", {}, "820000"),
        ("Canton", {}, "440100"),
        ("Guangxi", {}, "450000"),
        ("Jilin Province", {}, "220000"),
        ("Jilin City", {}, "220200"),
        # polyphones read as in place names, not as pypinyin's everyday reading
        ("Huadu", {"city": "Guangzhou"}, "440114"),
        ("Shifang", {}, "510682"),
        ("Zengdu", {}, "421303"),
        ("Shanxian", {}, "371722"),
        ("Guoyang", {}, "341621"),
        ("Foping", {}, "610730"),  # 佛坪, not Fuping (富平, 阜平)
        ("Hongtong", {}, "141024"),
        ("Fogang", {"province": "Guangdong"}, "441821"),
        ("Shaoling", {}, "411104"),
        ("Yingjing", {}, "511822"),
        # Hong Kong's districts and Macao's parishes by their own English and Portuguese names
        ("Sha Tin", {}, "810016"),
        ("Kwun Tong", {}, "810009"),
        ("Tsuen Wan District", {}, "810010"),
        ("Eastern District", {"province": "Hong Kong"}, "810003"),
        ("Cotai", {}, "820007"),
        ("Taipa", {}, "820006"),
        ("Sao Lazaro", {}, "820003"),
        ("Dabu", {"province": "Guangdong"}, "441422"),  # Hong Kong's 大埔 is Tai Po
        # minority-language names of county-level cities (Wikipedia's list of cities)
        ("Korla", {}, "652801"),
        ("Golmud", {}, "632801"),
        ("Shangri-La", {}, "533401"),
        ("Ulanhot", {}, "152201"),
        # ethnic names dropped from the short name
        ("Tashkurgan", {}, "653131"),
        ("管城", {"city": "Zhengzhou"}, "410104"),
        ("Longsheng", {"province": "Guangxi"}, "450328"),
    ],
)
def test_resolves_names_to_their_unit(gaz, query, hints, adcode):
    match = gaz.resolve(query, **hints)
    assert match.status == "ok", match
    assert match.place.adcode == adcode


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("Yulin", {"玉林市", "榆林市"}),
        ("Pingxiang", {"萍乡市", "凭祥市", "平乡县"}),
        ("Fuzhou", {"福州市", "抚州市"}),
        ("Suzhou", {"苏州市", "宿州市", "肃州区"}),
        ("Taizhou", {"泰州市", "台州市"}),
        ("Yichun", {"伊春市", "宜春市"}),
        ("Zhongshan", {"中山市", "中山区", "钟山县", "钟山区"}),
        ("Jilin", {"吉林省", "吉林市"}),
    ],
)
def test_homonyms_are_ambiguous_without_a_hint(gaz, query, names):
    match = gaz.resolve(query)
    assert match.status == "ambiguous"
    assert match.place is None
    assert names <= {p.name_zh for p in match.candidates}


@pytest.mark.parametrize(
    ("query", "province", "name"),
    [
        ("Fuzhou", "Fujian", "福州市"),
        ("Fuzhou", "Jiangxi", "抚州市"),
        ("Suzhou", "Jiangsu", "苏州市"),
        ("Suzhou", "Anhui", "宿州市"),
        ("Taizhou", "Jiangsu", "泰州市"),
        ("Taizhou", "Zhejiang", "台州市"),
        ("Yichun", "Heilongjiang", "伊春市"),
        ("Yichun", "Jiangxi", "宜春市"),
        ("Zhongshan", "Guangdong", "中山市"),
        ("Zhongshan", "Guangxi", "钟山县"),
    ],
)
def test_homonyms_resolve_with_a_province(gaz, query, province, name):
    assert gaz.resolve(query, province=province).place.name_zh == name


def test_a_level_suffix_restricts_the_level(gaz):
    assert gaz.resolve("Zhongshan District", province="Liaoning").place.adcode == "210202"
    assert gaz.resolve("Zhongshan County").place.adcode == "451122"
    assert (
        gaz.resolve("中山区").status == "ambiguous" or gaz.resolve("中山区").place.level == "county"
    )
    assert gaz.resolve("Hezhou District").status == "not_found"


def test_unknown_names_and_hints(gaz):
    assert gaz.resolve("Atlantis").status == "not_found"
    assert gaz.resolve("").status == "not_found"
    with pytest.raises(UnknownHintError, match="province 'Narnia' is not found"):
        gaz.resolve("Yulin", province="Narnia")


def test_seats_come_from_geonames_not_polygons(gaz):
    hezhou = gaz.resolve("Hezhou").place
    assert hezhou.point == "geonames"
    assert (hezhou.lat, hezhou.lon) == pytest.approx((24.40357, 111.56675))
    pingxiang = gaz.resolve("Pingxiang", province="Guangxi").place
    assert pingxiang.geonames_id == 1798655


SUFFIX_EN = {"县": "County", "区": "District", "市": "City", "旗": "Banner"}


def test_every_city_and_county_by_english_name_and_province(gaz):
    """The whole table, as others write it: English name + province, never wrong-but-ok.

    A county named like its own city ("Chengde" in 承德市) answers the city at
    city precision; with its suffix ("Chengde County") it answers itself.
    """
    provinces = {p.adcode: p.name_en for p in gaz.places if p.level == "province"}
    outcomes = Counter()
    for place in gaz.places:
        if place.level == "province":
            continue
        province = provinces[place.province]
        match = gaz.resolve(place.name_en, province=province)
        if match.status == "ok" and match.place.adcode == place.adcode:
            outcomes["ok"] += 1
        elif match.status == "ok":
            assert match.place.adcode == place.city, (place, match.place)
            assert short_name_zh(match.place.name_zh) == short_name_zh(place.name_zh)
            named = gaz.resolve(
                f"{place.name_en} {SUFFIX_EN[place.name_zh[-1]]}", province=province
            )
            assert named.place.adcode == place.adcode, place
            outcomes["namesake county"] += 1
        else:
            assert match.status == "ambiguous", place
            assert place in match.candidates
            outcomes["ambiguous"] += 1
    print(dict(outcomes))
    assert outcomes["ok"] / sum(outcomes.values()) > 0.95, outcomes


def test_every_unit_by_chinese_name_and_province(gaz):
    provinces = {p.adcode: p.name_zh for p in gaz.places if p.level == "province"}
    for place in gaz.places:
        if place.level != "province":
            match = gaz.resolve(place.name_zh, province=provinces[place.province])
            if match.status == "ok":
                assert match.place.adcode in (place.adcode, place.city), place
            else:
                assert place.adcode in {c.adcode for c in match.candidates}, place


def test_fold_and_short_names():
    assert fold("Xi'an") == fold("xian") == "xian"
    assert short_name_zh("陵水黎族自治县") == "陵水"
    assert short_name_zh("鄂温克族自治旗") == "鄂温克"
    assert short_name_zh("海西蒙古族藏族自治州") == "海西"


def test_towns_lie_in_real_units_under_their_official_codes(gaz):
    with (DATA / "towns.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 38_000
    assert len({row["code"] for row in rows}) == len(rows)
    for row in rows:
        assert len(row["code"]) == 9 and row["code"].startswith(row["county"]), row
        assert row["kind"] in ("town", "township", "subdistrict"), row
        assert row["name_zh"].endswith(("镇", "乡", "街道", "苏木")) and row["name_en"], row
    assert {t.unit.adcode for t in gaz.towns("虎门镇")} == {"441900"}
    assert gaz.towns("Humen Town") == gaz.towns("虎门镇")


def test_curated_tables_name_real_units_with_a_source(gaz):
    with (DATA / "place_aliases.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    kinds = {"area", "port", "island", "new_area", "xpcc", "former", "abbreviation"}
    for row in rows:
        assert gaz.by_adcode(row["adcode"], row["level"]).name_zh == row["unit_zh"], row
        assert row["kind"] in kinds and row["source"] and (row["alias_en"] or row["alias_zh"])
        assert row["kind"] != "former" or row["year"].isdigit(), row


def test_the_english_keys_are_the_keys_lookup_finds_places_by():
    fresh = Gazetteer._read(DATA)  # lookup() before the keys are known: the truth
    keys = sorted(k for k in (*fresh._index, *fresh.sub_places) if k.isascii())
    asked = set(keys)
    for key in keys[::5]:
        asked |= {key.replace("u", "v"), key.replace("u", "v", 1), key[:-1], f"{key}x"}
        asked |= {f"{key}{word}" for word in ("qu", "district", "shi", "xinqu", "county", "qi")}
        asked |= {f"{key}{word}" for word in ("prefecture", "zhuangautonomousregion", "sar")}
    truth = {key for key in asked if fresh.lookup(key)}
    names, beginnings = fresh.english_keys()
    assert {"lvliang", "dinghuqu", "guangxizhuangautonomousregion"} <= names
    assert names & asked == truth
    assert {key for key in asked if fresh.lookup(key)} == truth  # the quick test agrees
    assert {"lvli", "dinghuq"} <= beginnings
