from __future__ import annotations

import pytest
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geoparks.gazetteer import UnknownHintError
from geoparks.geocoding import AmbiguousPlaceError, geocode, geocode_park
from geoparks.offline import AmbiguousPlaceWarning, OfflineGeocoder


@pytest.mark.parametrize(
    ("name", "hints", "adcode", "precision", "partners"),
    [
        ("Guangxi Digital Hezhou Industrial Park", {}, "451100", "city", ()),
        ("Nanning (Shenzhen) ASEAN Industrial Cooperation Zone", {}, "450100", "city",
         ("Shenzhen",)),
        ("Guangdong (Zhaoqing) Large Industrial Cluster", {}, "441200", "city", ()),
        ("满洲里中俄互市贸易区", {}, "150781", "county", ()),
        ("琶洲人工智能与数字经济试验区", {}, "440105", "county", ()),
        ("Pazhou Artificial Intelligence and Digital Economy Pilot Zone", {}, "440105", "county",
         ()),
        ("Pingxiang Border Industrial Park", {"province": "Guangxi"}, "451481", "county", ()),
        ("Pingxiang Border Industrial Park", {"city": "Chongzuo"}, "451481", "county", ()),
        ("Guangdong Hainan Advanced Manufacturing Cooperation Industrial Park",
         {"city": "Haikou"}, "460100", "city", ("Guangdong",)),
        ("Investment Promotion Bureau of Sihui City", {}, "441284", "county", ()),
        ("Hezhou Health Yungang Industrial Park", {"province": "Guangxi"}, "451100", "city", ()),
    ],
)  # fmt: skip
def test_park_names_are_placed_by_the_place_they_name(name, hints, adcode, precision, partners):
    result = geocode(name, **hints)
    assert result.status == "ok", result
    assert (result.place.adcode, result.precision, result.partners) == (adcode, precision, partners)


def test_the_finest_point_known_is_the_point_and_the_city_seat_is_kept():
    result = geocode("Dinghu District")
    assert result.precision == "county"
    assert result.city.name_en == "Zhaoqing"
    assert result.point == (result.place.lat, result.place.lon) != result.city_point
    assert result.city_point == (result.city.lat, result.city.lon)
    sihui = geocode("Sihui City")
    location = OfflineGeocoder().geocode("Sihui City")
    assert sihui.point == (location.latitude, location.longitude)
    assert location.raw["city_lat"] == sihui.city.lat


def test_context_tells_candidates_apart():
    plain = geocode_park("Pingxiang Border Industrial Park")
    assert plain.status == "ambiguous"
    assert {p.name_zh for p in plain.candidates} == {"萍乡市", "凭祥市", "平乡县"}
    told = geocode_park("Pingxiang Border Industrial Park", context="Chongzuo, on the border")
    assert told.place.name_zh == "凭祥市"


def test_context_refines_but_never_adds_partners():
    result = geocode("Lingang Industrial Park", city="Zhaoqing", context="Dinghu District")
    assert result.place.name_zh == "鼎湖区"
    assert result.partners == ()


def test_a_name_without_a_place_is_not_found_unless_hints_place_it():
    assert geocode("Honda Metal Automation Production Base").status == "not_found"
    hinted = geocode("Honda Metal Automation Production Base", city="肇庆市")
    assert (hinted.status, hinted.precision, hinted.place.adcode) == ("partial", "city", "441200")
    assert geocode("Lingang Industrial Park", city="Zhaoqing").status == "partial"


def test_province_wide_records_sit_at_the_capital():
    result = geocode("China-ASEAN Industrial Cooperation Zone", province="Guangxi")
    assert result.precision == "province"
    assert result.point == (22.81667, 108.31667)


def test_hints_accept_english_chinese_and_suffixes():
    for hint in ("Guangxi", "Guangxi Zhuang Autonomous Region", "广西", "广西壮族自治区"):
        assert geocode("Yulin", province=hint).place.adcode == "450900"
    with pytest.raises(UnknownHintError):
        geocode("Yulin", province="Atlantis")


def test_an_ambiguous_city_hint_is_picked_by_the_province_hint():
    for province, adcode in (("Guangxi", "450900"), ("陕西", "610800")):
        result = geocode("Yulin Machinery Park", province=province, city="Yulin")
        assert (result.status, result.place.adcode) == ("ok", adcode)
    with pytest.raises(UnknownHintError, match="ambiguous"):
        geocode("Yulin Machinery Park", city="Yulin")


def test_the_offline_geocoder_is_a_geopy_geocoder():
    geocoder = OfflineGeocoder()
    assert isinstance(geocoder, Geocoder)
    location = geocoder.geocode("Yulin", province="Guangxi")
    assert isinstance(location, Location)
    assert location.point.latitude == pytest.approx(22.6305)
    assert location.address == "Yulin, Guangxi (玉林市)"
    raw = location.raw
    assert (raw["adcode"], raw["level"], raw["name_en"], raw["name_zh"]) == (
        "450900",
        "city",
        "Yulin",
        "玉林市",
    )
    assert (raw["province"], raw["city"], raw["precision"]) == ("Guangxi", "Yulin", "city")
    assert len(raw["candidates"]) == 2


def test_ambiguity_warns_or_raises_for_one_answer_and_lists_all_otherwise():
    geocoder = OfflineGeocoder()
    with pytest.warns(AmbiguousPlaceWarning, match=r"'Yulin' is ambiguous: 玉林市 450900 .*榆林市"):
        assert geocoder.geocode("Yulin") is None
    with pytest.raises(AmbiguousPlaceError, match=r"玉林市 450900 .*榆林市 610800"):
        OfflineGeocoder(ambiguous="raise").geocode("Yulin")
    both = geocoder.geocode("Yulin", exactly_one=False)
    assert {loc.raw["adcode"] for loc in both} == {"450900", "610800"}
    assert geocoder.geocode("Atlantis") is None


def test_geopandas_geocode_finishes_a_list_with_an_ambiguous_name():
    import geopandas as gpd

    names = ["Hezhou", "Yulin", "Nowhere Park", "钦州市"]
    with pytest.warns(AmbiguousPlaceWarning, match="'Yulin'"):
        found = gpd.tools.geocode(names, provider=OfflineGeocoder)
    assert found.geometry.is_empty.tolist() == [False, True, True, False]
    assert found["address"].iloc[0] == "Hezhou, Guangxi (贺州市)"


def test_reverse_names_the_prefecture_province_and_nearest_county_seat():
    geocoder = OfflineGeocoder()
    location = geocoder.reverse((23.0300, 112.4500))  # Zhaoqing, by Gaoyao's seat
    assert (location.raw["adcode"], location.raw["province"]) == ("441200", "Guangdong")
    assert location.address == "Zhaoqing, Guangdong (肇庆市)"
    assert location.raw["nearest_county_seat_zh"] == "高要区"
    assert location.point.latitude == pytest.approx(23.03)
    assert geocoder.reverse("22.8170, 108.3669").raw["name_zh"] == "南宁市"
    assert geocoder.reverse((0.0, 0.0)) is None


def test_works_under_geopys_rate_limiter():
    limited = RateLimiter(OfflineGeocoder().geocode, min_delay_seconds=0)
    assert limited("鼎湖区").raw["adcode"] == "441203"


# Issue 13: the name decides, hints narrow; no hint is handed back as an answer.
@pytest.mark.parametrize(
    ("name", "hints", "status", "adcode"),
    [
        # a hint that contradicts every reading is a conflict, never the hint's capital
        ("Yulin", {"province": "Shanxi"}, "conflict", None),
        ("Guangxi Digital Hezhou Industrial Park", {"province": "Guangdong"}, "conflict", None),
        # a name that names no place is placed by its hint, and says so
        ("Fine Park", {"city": "Hezhou"}, "partial", "451100"),
        # readings that all lie in one province: that province, partial
        ("Shenzhen-Shantou Special Cooperation Zone", {}, "partial", "440000"),
        # hints at every level, in any spelling
        ("Chaoyang", {"province": "Beijing Municipality"}, "ok", "110105"),
        ("Chaoyang", {"province": "Liaoning Province"}, "ok", "211300"),
        ("Yinchuan", {"province": "Ningxia Hui Autonomous Region"}, "ok", "640100"),
        ("Hotan", {"province": "Xinjiang Uyghur Autonomous Region"}, "ok", "653200"),
        ("Lhasa", {"province": "Xizang"}, "ok", "540100"),
        ("Ordos", {"province": "Neimenggu"}, "ok", "150600"),
        ("Kunshan Economic and Technological Development Zone", {"city": "Kunshan"}, "ok",
         "320583"),
        ("吉林经济技术开发区", {"province": "吉林", "city": "吉林市"}, "ok", "220200"),
        ("Zhaoqing High-tech Zone", {"county": "Dinghu District"}, "ok", "441203"),
    ],
)  # fmt: skip
def test_hints_decide_and_never_stand_in_for_the_name(name, hints, status, adcode):
    result = geocode(name, **hints)
    assert result.status == status, result.problem
    assert (result.place.adcode if result.place else None) == adcode


def test_a_conflict_names_both_and_suggests_the_province_meant():
    result = geocode("Yulin", province="Shanxi")
    assert "玉林市 450900" in result.problem and "榆林市 610800" in result.problem
    assert "山西省 140000" in result.problem and "did you mean Shaanxi?" in result.problem


def test_hints_that_disagree_or_are_misspelt_are_bad_hints():
    with pytest.raises(UnknownHintError, match="not in 广西壮族自治区"):
        geocode("Park", province="Guangxi", city="Haikou")
    with pytest.raises(UnknownHintError, match="did you mean 'Dinghu'"):
        geocode("Park", city="Zhaoqing", county="Dinhu District")


@pytest.mark.parametrize(
    ("name", "adcode", "status"),
    [
        # 合作 is "cooperation", not 合作市 (Gansu): the name names no place
        ("中马合作经济开发区", None, "not_found"),
        ("甘肃合作经济开发区", "620000", "ok"),
        # a leading 河北 is the province, not Tianjin's 河北区
        ("河北经济开发区", "130000", "ok"),
        # a province named picks its county among homonyms
        ("广西玉林经济开发区", "450900", "ok"),
        ("陕西榆林经济开发区", "610800", "ok"),
        # 杭州湾 is a bay named after Hangzhou: the zone is in Shangyu
        ("杭州湾上虞经济技术开发区", "330604", "ok"),
        # a named area that the rest of the name contradicts is not read
        ("Zhaoqing Lingang Industrial Park", "441200", "ok"),
        ("上海临港产业区", "310115", "ok"),
        # 新兴 is "emerging": 新兴产业园 in Zhaoqing is not 新兴县 in Yunfu
        ("肇庆新兴产业园", "441200", "ok"),
    ],
)
def test_zone_names_are_read_as_a_person_reads_them(name, adcode, status):
    result = geocode(name)
    assert result.status == status, result.problem
    assert (result.place.adcode if result.place else None) == adcode


@pytest.mark.parametrize(
    ("name", "adcode", "note"),
    [
        ("克州", "653000", "short for"),  # curated abbreviation
        ("巴马县", "451227", None),  # 巴马瑶族自治县, generated
        ("延边州", "222400", None),  # 延边朝鲜族自治州, generated
        ("襄樊高新技术产业开发区", "420600", "former name of 襄阳市 (until 2010)"),
        ("Xiangfan", "420600", "former name"),
        ("南汇工业园区", "310115", "former name"),
        ("吴江经济技术开发区", "320509", None),  # 吴江市 is 吴江区 since 2012
        ("吴江市", "320509", "another level"),
        ("Lvliang", "141100", None),  # ü typed as v
        ("Pudongxinqu", "310115", None),  # run-together suffix
        ("第八师", "659001", None),  # XPCC division 8 is Shihezi
        ("新疆生产建设兵团", "650000", None),
        ("钦州港经济技术开发区", "450702", None),  # a port, in Qinnan District
        ("Optics Valley", "420111", None),
        ("Jingxing Mining District", "130107", None),  # 矿区 is no level suffix
        ("井陉矿区工业园", "130107", None),  # not 井陉县
        ("Bayan Obo Mining District", "150206", None),
        ("Wanbailin District", "140109", None),  # 林区 ends 神农架林区 only; 柏 is bai here
        ("Shennongjia Forestry District", "429021", None),
    ],
)
def test_names_people_use(name, adcode, note):
    result = geocode(name)
    assert result.status == "ok", result.problem
    assert result.place.adcode == adcode
    assert (note is None and result.note is None) or note in (result.note or "")


@pytest.mark.parametrize(
    ("name", "province", "status", "adcode", "note"),
    [
        ("虎门镇", None, "ok", "441900", "town 虎门镇 441900121"),  # Dongguan has no counties
        ("松岗街道工业园", None, "ok", "440306", "subdistrict 松岗街道"),  # in Bao'an
        ("Humen Town Industrial Park", None, "ok", "441900", "town 虎门镇"),
        ("Songgang Subdistrict Park", "Guangdong", "ok", "440306", "subdistrict 松岗街道"),
        ("城关镇工业园", "甘肃", "partial", "620000", "town 城关镇: 20 units"),  # all in Gansu
        ("城关镇工业园", None, "ambiguous", None, "town 城关镇"),
        ("虎门镇", "广西", "conflict", None, None),  # the hint contradicts the town
        ("东莞虎门镇电子信息产业园", None, "ok", "441900", None),  # a larger place comes first
        ("新型城镇化示范区", None, "not_found", None, None),  # 城镇 "towns" is a word
    ],
)
def test_towns_place_a_name_that_names_nothing_larger(name, province, status, adcode, note):
    result = geocode(name, province=province)
    assert result.status == status, result.problem
    assert (result.place.adcode if result.place else None) == adcode
    assert (note is None and result.note is None) or note in (result.note or "")


def test_a_batch_answers_each_row_as_geocode_answers_it_alone():
    import pandas as pd

    from geoparks.batch import geocode_table, result_row

    # Names read alike share one answer in a batch: it must never leak between rows.
    names = [
        ("广西凭祥电子信息产业园", None), ("广西凭祥新材料产业园", None),
        ("陕西榆林化工产业园", None), ("玉林化工产业园", "Guangxi"), ("玉林化工产业园", "Shaanxi"),
        ("Yulin Chemical Park", "Shanxi"), ("Pingxiang Electronics Industrial Park", "Jiangxi"),
        ("Pingxiang Electronics Industrial Park", "Guangxi"), ("Dinghuqu Science Park", None),
        ("Lvliang Coal Park", None), ("Suzhou Industrial Park, Phase II", None),
        ("Xi'an Hi-Tech Zone", None), ("  Shenzhen  Bay  Park", None), ("Hezhou", "Jaingxi"),
    ]  # fmt: skip
    frame = pd.DataFrame(names, columns=["name", "province"])
    batch = geocode_table(frame)
    batch = batch.iloc[:, 2:].rename(columns={"geocode_province": "province"})
    for (name, province), row in zip(names, batch.to_dict("records"), strict=True):
        assert row == result_row(name, province), name
    assert batch["adcode"].tolist()[:10] == [
        "451481", "451481", "610800", "450900", None, None, "360300", "451481", "441203", "141100"
    ]  # fmt: skip
    assert batch["status"].tolist()[-4:] == ["ambiguous", "ambiguous", "ok", "bad_hint"]
    in_parts = geocode_table(frame, workers=3).iloc[:, 2:]  # read by three processes
    assert in_parts.rename(columns={"geocode_province": "province"}).equals(batch)
