"""The tables analysts bring: formats, headers, units, datums, dates, kinds and ids."""

from __future__ import annotations

import warnings

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

import geoparks
from geoparks import Catalog, CatalogError, load_catalog
from geoparks.cli import cli
from geoparks.datum import wgs84_to_gcj02

NANNING = (22.8170, 108.3669)  # WGS-84


def quietly(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", geoparks.RecordsLeftOutWarning)
        return function(*args, **kwargs)


def test_chinese_headers_with_units_and_a_datum_in_the_header(write_csv):
    lon, lat = wgs84_to_gcj02(NANNING[1], NANNING[0])
    path = write_csv(
        "开发区名称,省份,类型,批准时间,面积(公顷),投资额（亿元）,经度(GCJ-02),纬度(GCJ-02),级别\n"
        f"南宁高新技术产业开发区,广西,国家级高新技术产业开发区,1992年11月,850,12.5,{lon},{lat},国家级\n"
    )
    catalog = load_catalog(path)
    park = catalog.parks.iloc[0]
    assert park[["name", "province", "kind", "established", "级别"]].tolist() == [
        "南宁高新技术产业开发区", "广西", "high_tech_zone", "1992-11", "国家级"
    ]  # fmt: skip
    assert park["area_km2"] == pytest.approx(8.5)
    assert park["investment_cny"] == pytest.approx(1.25e9)
    assert (park["lat"], park["lon"]) == pytest.approx(NANNING, abs=1e-7)
    assert "column '面积(公顷)' read as area_km2" in catalog.notes
    assert "coordinates of 1 record converted from GCJ-02 to WGS-84" in catalog.notes


def test_english_headers_people_use(write_csv):
    path = write_csv("Zone Name,Province,Type,Longitude,Latitude\nA,Guangxi,ETDZ,108.3669,22.817\n")
    park = load_catalog(path).parks.iloc[0]
    assert park[["name", "kind", "lat", "lon"]].tolist() == ["A", "development_zone", 22.817,
                                                          108.3669]  # fmt: skip


def test_columns_option_maps_headers_it_does_not_know(write_csv):
    path = write_csv("Label,Prov,Where\nA,Guangxi,Hezhou\n")
    with pytest.raises(CatalogError, match="missing required column 'name'"):
        load_catalog(path)
    catalog = load_catalog(path, columns={"name": "Label", "province": "Prov", "city": "Where"})
    assert catalog.parks.iloc[0][["name", "province", "city"]].tolist() == [
        "A",
        "Guangxi",
        "Hezhou",
    ]
    result = CliRunner().invoke(cli, ["validate", str(path), "--columns", "name=Label,city=Where"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["validate", str(path), "--columns", "nom=Label"])
    assert result.exit_code == 2 and "'nom' is not a catalog column" in result.output


@pytest.mark.parametrize(
    ("written", "read"),
    [("2015.12", "2015-12"), ("2015年12月", "2015-12"), ("2015/12/01", "2015-12-01"),
     ("2015年12月1日", "2015-12-01"), ("2015-12-01 00:00:00", "2015-12-01"), ("2015", "2015")],
)  # fmt: skip
def test_dates_as_lists_write_them(write_csv, written, read):
    path = write_csv(f"name,city,established\nA,Hezhou,{written}\n")
    assert load_catalog(path).parks.iloc[0]["established"] == read


@pytest.mark.parametrize(
    ("written", "kind"),
    [("经济技术开发区", "development_zone"), ("省级高新技术产业园区", "high_tech_zone"),
     ("海关特殊监管区域", "free_trade_zone"), ("综合保税区", "free_trade_zone"),
     ("边境/跨境经济合作区", "cooperation_zone"), ("边境经济合作区", "cooperation_zone"),
     ("经济开发区", "development_zone"), ("工业园区", "industrial_park"),
     ("Industrial Park", "industrial_park"), ("Export Processing Zone", "free_trade_zone")],
)  # fmt: skip
def test_zone_types_are_read_as_kinds(write_csv, written, kind):
    catalog = load_catalog(write_csv(f"name,city,kind\nA,Hezhou,{written}\n"))
    assert catalog.parks.iloc[0]["kind"] == kind
    if written != kind:
        assert f"kind {written!r} read as {kind} (1 record)" in catalog.notes


def test_ids_keep_their_case_and_clash_whatever_the_case(write_csv):
    path = write_csv("id,name,city\nGX-001,A,Hezhou\ngx-001,B,Hezhou\n")
    catalog = quietly(load_catalog, path)
    assert catalog.parks.index.tolist() == ["GX-001"]
    assert catalog.rejected[["line", "reason"]].values.tolist() == [[3, "duplicate_id"]]


def test_generated_ids_are_readable_stable_and_unique(write_csv):
    path = write_csv(
        "name,city\n钦州港经济技术开发区,钦州\n钦州港经济技术开发区,钦州\nA Park,Hezhou\n"
    )
    ids = load_catalog(path).parks.index.tolist()
    assert ids == ["钦州港经济技术开发区", "钦州港经济技术开发区-3", "a-park"]
    assert load_catalog(path).parks.index.tolist() == ids


def test_a_crs_column_wins_for_its_rows(write_csv):
    lon, lat = wgs84_to_gcj02(NANNING[1], NANNING[0])
    baidu_lon, baidu_lat = geoparks.datum.gcj02_to_bd09(lon, lat)
    path = write_csv(
        "name,lat,lon,crs\n"
        f"a,{NANNING[0]},{NANNING[1]},\n"
        f"b,{lat},{lon},GCJ-02\n"
        f"c,{baidu_lat},{baidu_lon},baidu\n"
        f"d,{lat},{lon},wgs84\n"
    )
    parks = load_catalog(path, crs="wgs84").parks
    assert parks.loc[["a", "b", "c"], "lat"].tolist() == pytest.approx([NANNING[0]] * 3, abs=1e-5)
    assert parks.loc[["a", "b", "c"], "lon"].tolist() == pytest.approx([NANNING[1]] * 3, abs=1e-5)
    assert parks.loc["d", "lat"] == pytest.approx(float(lat))  # said to be WGS-84: kept
    assert "crs" not in parks.columns  # the points are WGS-84 now
    bad = write_csv("name,lat,lon,crs\na,22.8,108.3,mercator\n", "bad.csv")
    with pytest.raises(CatalogError, match="crs: unknown datum"):
        load_catalog(bad, strict=True)


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".parquet"])
def test_gis_layers_are_catalogs(tmp_path, suffix):
    frame = gpd.GeoDataFrame(
        {"名称": ["南宁片区", "北海片区"], "类型": ["自贸试验区", "出口加工区"]},
        geometry=[shapely.Point(108.3669, 22.817), shapely.box(109.0, 21.4, 109.2, 21.5)],
        crs=4326,
    )
    path = tmp_path / f"zones{suffix}"
    if suffix == ".parquet":
        frame.to_parquet(path)
    else:
        frame.to_file(path)
    catalog = load_catalog(path)
    parks = catalog.parks
    assert parks[["name", "kind"]].values.tolist() == [
        ["南宁片区", "free_trade_zone"], ["北海片区", "free_trade_zone"]
    ]  # fmt: skip
    assert (parks["lat"].iloc[0], parks["lon"].iloc[0]) == pytest.approx((22.817, 108.3669))
    assert shapely.box(109.0, 21.4, 109.2, 21.5).contains(
        shapely.Point(parks["lon"].iloc[1], parks["lat"].iloc[1])
    )
    assert "lat and lon read from the geometry (points, or points on polygons' surfaces)" in (
        catalog.notes
    )


def test_a_geodataframe_in_another_crs_is_a_catalog():
    frame = gpd.GeoDataFrame(
        {"name": ["A"]}, geometry=[shapely.Point(108.3669, 22.817)], crs=4326
    ).to_crs(3857)
    parks = geoparks.join(frame)
    assert parks.iloc[0]["city_adcode"] == "450100"


@pytest.mark.parametrize("format", ["geojson", "parquet", "csv", "gpkg"])
def test_an_export_read_back_maps_and_joins_again(tmp_path, format):
    written = geoparks.export(out=tmp_path, formats=format, layers=["parks"])
    path = next(p for p in written if p.suffix == f".{format}")
    original = geoparks.join(geoparks.load_catalog())
    plain = gpd.read_parquet(path) if format == "parquet" else gpd.read_file(path)
    for frame in (geoparks.read_export(path), plain, load_catalog(path)):
        again = geoparks.join(frame)
        assert again.index.tolist() == original.index.tolist()
        assert again["city_adcode"].tolist() == original["city_adcode"].tolist()
        assert again["linked_regions"].tolist() == original["linked_regions"].tolist()
        assert geoparks.rejected(again).empty
    page = geoparks.overview_map(geoparks.read_export(path), tiles=None)
    assert "Hezhou Health Yungang Industrial Park" in page.get_root().render()


def test_a_frame_is_a_catalog_anywhere_one_is_taken(tmp_path):
    frame = pd.DataFrame({"name": ["Guangxi Digital Hezhou Industrial Park", "Nowhere"],
                          "city": ["Hezhou", "Atlantis"]})  # fmt: skip
    catalog = quietly(Catalog.from_frame, frame)
    assert catalog.path.name == "<DataFrame>"
    assert quietly(geoparks.join, frame).index.tolist() == [
        "guangxi-digital-hezhou-industrial-park"
    ]
    written = quietly(geoparks.build, frame, out=tmp_path, tiles=None)
    assert written.rejected[["line", "reason"]].values.tolist() == [[2, "unknown_city"]]


def test_files_that_are_no_table_fail_whole(tmp_path):
    fake = tmp_path / "zones.xlsx"
    fake.write_text("name,city\n")
    with pytest.raises(CatalogError, match="not an Excel workbook"):
        load_catalog(fake)
    old = tmp_path / "zones.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CatalogError, match=r"old Excel \(.xls\) workbook"):
        load_catalog(old)
    book = tmp_path / "book.xlsx"
    pd.DataFrame({"name": ["A"], "city": ["Hezhou"]}).to_excel(book, index=False)
    with pytest.raises(CatalogError, match="no sheet 'Zones'"):
        load_catalog(book, sheet="Zones")
    assert load_catalog(book, sheet=0).parks.iloc[0]["city"] == "Hezhou"
