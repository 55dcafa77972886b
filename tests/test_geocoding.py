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


def test_county_precision_keeps_the_city_point_too():
    result = geocode("Dinghu District")
    assert result.precision == "county"
    assert result.city.name_en == "Zhaoqing"
    assert result.point == (result.city.lat, result.city.lon)
    assert result.county_point == (result.place.lat, result.place.lon)


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
