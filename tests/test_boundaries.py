from __future__ import annotations

import shutil

import numpy as np
import pytest
import shapely

from geoparks import settings
from geoparks.boundaries import area_km2, load_boundaries
from geoparks.errors import CatalogError, DataFileError
from geoparks.gazetteer import Gazetteer
from geoparks.joining import locate
from geoparks.regions import load_regions, region_polygons


@pytest.fixture(scope="module")
def provinces():
    return load_boundaries("province")


@pytest.fixture(scope="module")
def cities():
    return load_boundaries("city")


def test_every_province_prefecture_and_asean_member(provinces, cities):
    assert len(provinces) == 34 and len(cities) == 370
    assert set(cities["parent"]) <= set(provinces.index)
    assert (provinces["parent"] == "100000").all()
    countries = load_boundaries("country")
    assert set(countries.index) == {
        "CHN", "BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "TLS", "VNM",
    }  # fmt: skip
    for frame in (provinces, cities, countries):
        assert frame.crs.to_epsg() == 4326
        assert frame.is_valid.all() and frame["name_en"].str.len().gt(0).all()
    assert provinces.loc["450000", ["name_en", "name_zh"]].tolist() == ["Guangxi", "广西壮族自治区"]


def test_areas_match_the_official_figures(provinces):
    areas = area_km2(provinces)
    assert areas["440000"] == pytest.approx(179_800, rel=0.02)
    assert areas["460000"] == pytest.approx(35_400, rel=0.03)  # land, without Sansha's sea


def test_neighbouring_provinces_share_their_edges(provinces):
    geometries = provinces.geometry.to_numpy()
    assert shapely.coverage_is_valid(geometries)
    tree = shapely.STRtree(geometries)
    left, right = tree.query(geometries, predicate="intersects")
    pairs = left < right
    overlaps = shapely.area(shapely.intersection(geometries[left[pairs]], geometries[right[pairs]]))
    smaller = np.minimum(
        shapely.area(geometries[left[pairs]]), shapely.area(geometries[right[pairs]])
    )
    assert (overlaps <= 1e-6 * smaller).all()
    # A gap narrower than about 100 m flags the edges on both of its sides; one
    # province alone flags the narrow sea inlets of its own coast.
    edges = shapely.coverage_invalid_edges(geometries, gap_width=0.001)
    flagged = [(i, e) for i, e in enumerate(edges) if e is not None and not e.is_empty]
    for i, edge in flagged:
        for j, other in flagged:
            assert i == j or shapely.distance(edge, other) > 0.001, (i, j)


def test_provinces_are_the_union_of_their_prefectures(provinces, cities):
    for code, province in provinces.geometry.items():
        members = cities[cities["parent"] == code].geometry
        union = shapely.union_all(members.to_numpy())
        assert province.symmetric_difference(union).area <= 1e-6 * province.area, code


def test_polygons_follow_rfc_7946_winding(provinces):
    for polygon in shapely.get_parts(provinces.geometry.to_numpy()):
        assert polygon.exterior.is_ccw
        assert not any(ring.is_ccw for ring in polygon.interiors)


def test_every_city_seat_lies_in_its_own_prefecture():
    gazetteer = Gazetteer.load()
    seats = [p for p in gazetteer.places if p.level == "city"]
    found = locate([p.lon for p in seats], [p.lat for p in seats], "city")
    wrong = [(p.name_zh, code) for p, code in zip(seats, found, strict=True) if code != p.adcode]
    # Woody Island, Sansha's seat, is too small for the GSHHG shoreline: the join's
    # shore rule places it (see test_join).
    assert wrong == [("三沙市", None)]


def test_shipped_data_stays_small():
    folder = settings.data_dir()
    files = [folder / "places.csv", *(folder / "boundaries").glob("*.geojson")]
    assert sum(f.stat().st_size for f in files) < 6_000_000


def test_a_missing_boundary_file_is_a_clear_error(tmp_path):
    shutil.copytree(settings.data_dir() / "boundaries", tmp_path / "boundaries")
    (tmp_path / "boundaries" / "cities.geojson").unlink()
    with pytest.raises(DataFileError, match=r"cities\.geojson: no such file .*make data"):
        load_boundaries("city", tmp_path)
    (tmp_path / "boundaries" / "provinces.geojson").write_text(
        '{"type": "FeatureCollection", "features": ['
    )
    with pytest.raises(DataFileError, match=r"provinces\.geojson: not a readable GeoJSON"):
        load_boundaries("province", tmp_path)


def test_shipped_regions_carry_their_members_and_sources():
    regions = {r.id: r for r in load_regions()}
    assert {"greater-bay-area", "china-asean", "beibu-gulf", "guangxi-ftz", "hainan-ftp"} <= set(
        regions
    )
    gba = regions["greater-bay-area"]
    assert len(gba.members) == 11 and {"810000", "820000", "441200"} <= set(gba.members)
    asean = regions["china-asean"]
    assert set(asean.members) == {"450100", "450500", "450600", "450700", "450900"}
    assert "seven" in asean.note
    assert all(r.source and r.source_date for r in regions.values())


def test_region_polygons_are_the_union_of_their_members(cities):
    frame = region_polygons()
    gba = frame.loc["greater-bay-area"]
    members = shapely.union_all(cities.loc[gba["members"]].geometry.to_numpy())
    assert gba.geometry.symmetric_difference(members).area < 1e-9
    assert area_km2(frame.loc[["greater-bay-area"]]).iloc[0] == pytest.approx(56_000, rel=0.03)


def test_bad_regions_are_located_errors(write_csv):
    path = write_csv(
        "id,name_en,name_zh,kind,members,source,source_date,note\n"
        "gba,GBA,大湾区,city_cluster,440100; 999999,Plan,2019-02-18,\n"
        "gba,Again,再,cluster,440100,,Feb 2019,\n",
        name="regions.csv",
    )
    with pytest.raises(CatalogError) as caught:
        load_regions(path)
    messages = [str(p) for p in caught.value.problems]
    assert messages[0] == (
        f"{path}:2:34: member names no province or prefecture-level city (got '999999', "
        "expected a 6-digit adcode from data/boundaries (e.g. 440100 for Guangzhou))"
    )
    assert any(":3:1: duplicate region id" in m for m in messages)
    assert any(":3:13: unknown region kind (got 'cluster'" in m for m in messages)
    assert any("not a date (got 'Feb 2019', expected YYYY-MM-DD)" in m for m in messages)
    assert any("no source" in m for m in messages)


def test_a_region_id_must_be_a_slug_as_it_names_a_map_file(write_csv):
    path = write_csv(
        "id,name_en,name_zh,kind,members,source,source_date,note\n"
        "../x,X,叉,city_cluster,440100,Plan,2019-02-18,\n",
        name="regions.csv",
    )
    with pytest.raises(CatalogError) as caught:
        load_regions(path)
    assert str(caught.value.problems[0]) == (
        f"{path}:2:1: id is not a slug "
        "(got '../x', expected lower-case letters, digits and hyphens)"
    )


def test_region_ids_may_not_name_another_output_and_long_ones_are_cut(write_csv):
    import datetime as dt

    from geoparks.regions import Region

    path = write_csv(
        "id,name_en,name_zh,kind,members,source,source_date,note\n"
        "index,X,叉,city_cluster,440100,Plan,2019-02-18,\n"
        "parks,Y,叉,city_cluster,440100,Plan,2019-02-18,\n",
        name="regions.csv",
    )
    with pytest.raises(CatalogError) as caught:
        load_regions(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:2:1: id names a file geoparks writes (got 'index', expected another id "
        "(index, rejected, parks, provinces, regions are taken))",
        f"{path}:3:1: id names a file geoparks writes (got 'parks', expected another id "
        "(index, rejected, parks, provinces, regions are taken))",
    ]
    long = Region("a-" * 125 + "z", "A", "甲", "city_cluster", ("440100",), "Plan", dt.date.today())
    twin = Region("a-" * 125 + "y", "A", "甲", "city_cluster", ("440100",), "Plan", dt.date.today())
    assert len(long.page) == 85 and long.page.endswith(".html") and long.page != twin.page
    assert long.page == Region(long.id, "B", "乙", "city_cluster", (), "", dt.date.today()).page
    assert Region("gba", "A", "甲", "city_cluster", (), "", dt.date.today()).page == "gba.html"
