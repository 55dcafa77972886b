from __future__ import annotations

import pandas as pd
import pytest

from geoparks import CatalogError, rejected
from geoparks.catalog import load_catalog
from geoparks.joining import JoinError, join
from geoparks.placing import geocode_catalog
from geoparks.totals import aggregate

HEADER = "id,name,province,city,lat,lon,regions,country\n"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def joined(catalog):
    return join(catalog)


def test_every_seed_park_lands_in_its_stated_province_and_city(catalog, joined):
    placed = geocode_catalog(catalog)
    assert (joined["province_adcode"] == placed["province_adcode"]).all()
    stated = placed["city_adcode"].notna()
    assert (joined.loc[stated, "city_adcode"] == placed.loc[stated, "city_adcode"]).all()
    assert (joined["placement"] == "inside").all()
    assert joined.crs.to_epsg() == 4326


def test_regions_contain_and_link_the_seed_parks(joined):
    def regions(park_id):
        return joined.loc[park_id, "regions"]

    assert "greater-bay-area" in regions("pearl-river-science-and-technology-innovation-park")
    for park_id in (
        "china-asean-digital-economy-industrial-park",  # Nanning
        "huayi-qinzhou-chemical-new-materials-base",
        "fangchenggang-offshore-wind-power-demonstration-project",
    ):
        assert "china-asean" in regions(park_id)
    hezhou = joined[joined["city_adcode"] == "451100"]
    assert len(hezhou) == 4
    for _, park in hezhou.iterrows():
        assert "greater-bay-area" not in park["regions"]
        assert park["linked_regions"] == ["greater-bay-area"]
        assert park["declared_regions"] == ["greater-bay-area"]
    haikou = joined.loc["guangdong-hainan-advanced-manufacturing-cooperation-industrial-park"]
    assert haikou["province_adcode"] == "460000" and "hainan-ftp" in haikou["regions"]
    assert haikou["partner_adcodes"] == ["440100"]
    assert joined.loc["nanning-shenzhen-asean-industrial-cooperation-zone", "partner_adcodes"] == [
        "440300"
    ]


def _join_one(write_csv, row: str, **options):
    return join(load_catalog(write_csv(HEADER + row + "\n")), strict=True, **options)


def test_a_point_across_a_border_names_both_provinces(write_csv):
    with pytest.raises(JoinError) as caught:
        _join_one(write_csv, "a,A Park,Guangxi,,23.13,113.26,,")  # Guangzhou
    (problem,) = caught.value.problems
    assert problem.line == 2
    assert "states province Guangxi (450000)" in problem.message
    assert "lies in Guangdong (440000)" in problem.message


def test_a_point_in_another_city_of_the_stated_province(write_csv):
    with pytest.raises(JoinError, match=r"states city Zhaoqing \(441200\).*lies in Guangzhou"):
        _join_one(write_csv, "a,A Park,Guangdong,Zhaoqing,23.13,113.26,,")


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(20.5, 116.5), (21.03, 105.85), (0.0, 0.0)],  # South China Sea, Hanoi, Null Island
)
def test_a_point_at_sea_or_abroad_is_an_error(write_csv, lat, lon):
    with pytest.raises(JoinError, match="lies in no province"):
        _join_one(write_csv, f"a,A Park,,,{lat},{lon},,")


def test_a_record_abroad_says_so(write_csv):
    joined = _join_one(write_csv, "a,Viet-Trung Park,,,21.03,105.85,,Vietnam")
    assert joined.loc["a", "placement"] == "abroad"
    assert pd.isna(joined.loc["a", "province_adcode"])
    with pytest.raises(JoinError, match=r"says it is in Vietnam but its point .* lies in Guangxi"):
        _join_one(write_csv, "a,A Park,,,22.82,108.32,,Vietnam")


def test_reclaimed_land_and_harbours_go_to_the_nearest_province(write_csv):
    # Cotai (Macao) is reclaimed land newer than the shoreline; Woody Island is Sansha's seat.
    joined = _join_one(write_csv, "a,Cotai Park,Macao,,22.14313,113.56516,,")
    assert joined.loc["a", ["province_adcode", "placement"]].tolist() == ["820000", "shore"]
    joined = _join_one(write_csv, "a,Yongxing Park,Hainan,Sansha,16.83912,112.34064,,")
    assert joined.loc["a", ["city_adcode", "placement"]].tolist() == ["460300", "shore"]


def test_an_unknown_declared_region_is_an_error(write_csv):
    with pytest.raises(JoinError, match=r"unknown region \(got 'gba'"):
        _join_one(write_csv, "a,A Park,Guangdong,,23.13,113.26,gba,")


def test_every_problem_is_reported_at_once(write_csv):
    rows = ["a,A,Guangxi,,23.13,113.26,,", "b,B,,,20.5,116.5,,", "c,C,Guangdong,,23.1,113.3,x,"]
    with pytest.raises(JoinError) as caught:
        join(load_catalog(write_csv(HEADER + "\n".join(rows) + "\n")), strict=True)
    assert [p.line for p in caught.value.problems] == [2, 3, 4]


def test_without_strict_the_other_records_are_joined_and_the_bad_ones_listed(write_csv):
    rows = ["a,A,Guangxi,,23.13,113.26,,", "b,B,,,20.5,116.5,,", "c,C,Guangdong,,23.1,113.3,,"]
    with pytest.warns(UserWarning, match="1 mapped, 2 left out"):
        joined = join(load_catalog(write_csv(HEADER + "\n".join(rows) + "\n")))
    assert joined.index.tolist() == ["c"]
    left_out = rejected(joined)
    assert left_out[["line", "id", "stage", "reason"]].values.tolist() == [
        [2, "a", "join", "wrong_province"],
        [3, "b", "join", "outside_china"],
    ]
    assert left_out.loc[0, "lies_in"] == "Guangdong (440000)"
    assert 10 < left_out.loc[0, "distance_km"] < 200


def test_a_point_just_across_the_stated_border_is_accepted_as_border(write_csv):
    # The Zhuhai side of the Hengqin-Macao line (Guangdong), a zone stated as Macao's, and
    # a Guangzhou point stated as Foshan's a little over the city line.
    joined = _join_one(write_csv, "a,Cross-border Park,Macao,,22.13,113.535,,")
    assert joined.loc["a", ["province_adcode", "placement"]].tolist() == ["820000", "border"]
    with pytest.raises(JoinError, match=r"states province Macao .* km from Macao"):
        _join_one(write_csv, "a,Cross-border Park,Macao,,22.13,113.535,,", tolerance_km=0.01)


def test_swapped_coordinates_are_named(write_csv):
    with pytest.raises(CatalogError, match="lat and lon look swapped"):
        load_catalog(write_csv(HEADER + "a,A,Guangdong,,113.26,23.13,,\n"), strict=True)
    with pytest.raises(JoinError, match="lat and lon look swapped"):
        _join_one(write_csv, "a,A,,,80.5,40.2,,")  # Xinjiang, read the wrong way round


def test_aggregates_per_province_and_region(joined):
    table = aggregate(joined)
    total = table.query("level == 'province' and kind == 'all'")
    assert total["parks"].sum() == len(joined)
    guangxi = total.set_index("code").loc["450000"]
    expected = joined.loc[joined["province_adcode"] == "450000", "investment_cny"]
    assert guangxi["investment_cny"] == pytest.approx(expected.sum())
    assert guangxi["investment_known"] == expected.notna().sum()
    gba = table.query("code == 'greater-bay-area' and kind == 'all'").set_index("relation")
    assert gba.loc["linked", "parks"] == 4
    kinds = table.query("level == 'province' and code == '440000' and kind != 'all'")
    assert kinds["parks"].sum() == total.set_index("code").loc["440000", "parks"]
