from __future__ import annotations

import pytest

from geoparks import rejected
from geoparks.catalog import load_catalog
from geoparks.placing import GeocodeError, geocode_catalog


@pytest.fixture(scope="module")
def placed():
    return geocode_catalog(load_catalog())


def test_every_shipped_record_is_placed(placed):
    assert placed["lat"].notna().all() and placed["lon"].notna().all()
    assert placed["province_adcode"].notna().all()
    assert (placed["precision"] != "province").sum() == len(placed) - 1


@pytest.mark.parametrize(
    ("park_id", "city", "county"),
    [
        ("guangxi-digital-hezhou-industrial-park", "451100", None),
        ("zhaoqing-lingang-industrial-park", "441200", "441203"),
        ("sihui-investment-promotion-bureau", "441200", "441284"),
        ("pearl-river-science-and-technology-innovation-park", "440100", "440105"),
        ("pazhou-ai-and-digital-economy-pilot-zone", "440100", "440105"),
        ("pingxiang-border-industrial-park", "451400", "451481"),
        ("huayi-qinzhou-chemical-new-materials-base", "450700", None),
        ("nanning-shenzhen-asean-industrial-cooperation-zone", "450100", None),
        ("guangdong-hainan-advanced-manufacturing-cooperation-industrial-park", "460100", None),
    ],
)
def test_records_get_their_city_and_county(placed, park_id, city, county):
    park = placed.loc[park_id]
    assert park["city_adcode"] == city
    assert park["county_adcode"] == county
    seat = (park["lat"], park["lon"]) != (park["city_lat"], park["city_lon"])
    assert seat is (county is not None)  # a county's seat is drawn, the city's kept


def test_the_three_hezhou_parks_share_one_point(placed):
    hezhou = placed[placed["city_adcode"] == "451100"]
    assert len(hezhou) == 4
    assert hezhou[["lat", "lon"]].drop_duplicates().shape[0] == 1


def test_ambiguous_and_unknown_records_fail_naming_them(tmp_path):
    path = tmp_path / "parks.csv"
    path.write_text(
        "id,name,city,county,province\n"
        "a,Yulin Park,Yulin,,\n"
        "b,Somewhere Park,Atlantis,,\n"
        "c,Fine Park,Hezhou,,Guangxi\n"
        "d,District Park,Zhaoqing,Dinhu District,Guangdong\n"
    )
    with pytest.raises(GeocodeError) as caught:
        geocode_catalog(load_catalog(path), strict=True)
    lines = [str(p) for p in caught.value.problems]
    assert len(lines) == 4
    assert lines[0].startswith(f"{path}:2:1: record 'a': city 'Yulin' is ambiguous")
    assert "玉林市 450900 (Yulin, Guangxi); 榆林市 610800 (Yulin, Shaanxi)" in lines[0]
    assert lines[1].startswith(f"{path}:3:1: record 'b': city 'Atlantis' is not found")
    # placed by its hints only: mapped by a lenient build, refused by a strict one
    assert lines[2].startswith(f"{path}:4:1: record 'c': placed by its hints only")
    assert lines[3].startswith(
        f"{path}:5:1: record 'd': county 'Dinhu District' is not found (did you mean 'Dinghu'?)"
    )
    with pytest.warns(UserWarning, match="1 mapped, 3 left out"):
        placed = geocode_catalog(load_catalog(path))
    assert placed.index.tolist() == ["c"]
    left_out = rejected(placed)
    assert left_out[["line", "id", "stage", "reason"]].values.tolist() == [
        [2, "a", "placing", "ambiguous_city"],
        [3, "b", "placing", "unknown_city"],
        [5, "d", "placing", "unknown_county"],
    ]
    assert placed.loc["c", "placed_by"] == "hints"
    assert "玉林市 450900" in left_out.loc[0, "candidates"]


def test_coordinates_are_kept(tmp_path):
    path = tmp_path / "parks.csv"
    path.write_text("name,lat,lon\nA,24.5,111.5\n")
    park = geocode_catalog(load_catalog(path)).iloc[0]
    assert (park["lat"], park["lon"], park["precision"]) == (24.5, 111.5, "coordinates")
