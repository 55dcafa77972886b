"""The map pages as HTML and data: inlining, escaping, packing, class breaks, build and CLI."""

from __future__ import annotations

import itertools
import json
import re
import stat

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from notebook_output import notebook_page

import geoparks
from geoparks.cli import cli
from geoparks.render.page import LEAFLET_JS, AssetError, JSONData, asset_text, json_text
from geoparks.render.parks import encode_links, encode_parks, unpacked, unworded
from geoparks.render.polygons import natural_breaks, polygon_data


@pytest.fixture(scope="module")
def parks() -> gpd.GeoDataFrame:
    return geoparks.join(geoparks.load_catalog())


@pytest.fixture(scope="module")
def overview_html(parks) -> str:
    return geoparks.overview_map(parks, sources=geoparks.load_catalog().sources).get_root().render()


def _spread(groups: list[list[float]]) -> float:
    return sum(float(np.sum((np.array(g) - np.mean(g)) ** 2)) for g in groups)


@given(
    st.lists(st.integers(0, 60), min_size=1, max_size=9),
    st.integers(1, 4),
)
def test_natural_breaks_are_the_optimal_split(values, k):
    bounds = natural_breaks(values, k)
    ordered = sorted(values)
    classes = np.searchsorted(bounds, ordered)
    got = _spread(
        [[v for v, c in zip(ordered, classes, strict=True) if c == j] for j in set(classes)]
    )
    distinct = sorted(set(values))
    k = min(k, len(distinct))
    assert len(bounds) == k and bounds[-1] == max(values)
    best = np.inf
    for cuts in itertools.combinations(range(1, len(distinct)), k - 1):
        edges = [distinct[0] - 1, *[distinct[c - 1] for c in cuts], distinct[-1]]
        groups = [[v for v in ordered if lo < v <= hi] for lo, hi in itertools.pairwise(edges)]
        best = min(best, _spread(groups))
    assert got == pytest.approx(best, abs=1e-9)


def test_pages_are_self_contained(overview_html):
    assert "<script src=" not in overview_html
    assert 'rel="stylesheet"' not in overview_html
    assert "L.map(" in overview_html and "geoparks.ParkLayer" in overview_html
    assert "url(images/" not in overview_html  # Leaflet's icons are data URIs
    remote = set(re.findall(r"https?://[^\s\"'<>)]+", overview_html))
    assert any(url.startswith("https://tile.openstreetmap.org/") for url in remote)


def test_cdn_pages_link_leaflet_instead(parks):
    html = geoparks.overview_map(parks, inline=False).get_root().render()
    assert f'<script src="{LEAFLET_JS}"></script>' in html
    assert "geoparks.ParkLayer" in html  # our own code is always inline


def test_a_map_is_a_folium_map_for_jupyter(parks):
    folium_map = geoparks.region_map("greater-bay-area", parks)
    assert isinstance(folium_map, folium.Map)
    output = folium_map._repr_html_()
    page = notebook_page(output)
    assert "geoparks.ParkLayer" in page
    assert len(output) < len(page) / 2  # packed: a notebook of several maps stays small


def test_boundaries_are_written_once_per_border(parks):
    provinces = geoparks.load_boundaries("province")
    topology = polygon_data(provinces.geometry)
    rounded = shapely.transform(provinces.geometry.values, lambda xy: np.round(xy, 3))
    geojson = gpd.GeoSeries(rounded).to_json()  # a GeoJSON of the same precision
    assert topology["type"] == "Topology"
    assert len(topology["objects"]["shapes"]["geometries"]) == len(provinces) == 34
    assert len(json_text(topology)) < len(geojson) / 2.5


def test_missing_and_empty_shapes_keep_their_place():
    square = shapely.box(108.0, 22.0, 108.5, 22.5)
    for shapes in ([square, None, shapely.Polygon()], [None, shapely.Polygon()], []):
        geometries = polygon_data(gpd.GeoSeries(shapes))["objects"]["shapes"]["geometries"]
        assert [g["id"] for g in geometries] == list(range(len(shapes)))
        assert [bool(g["arcs"]) for g in geometries] == [s is square for s in shapes]


def test_unknown_region_is_a_lookup_error(parks):
    with pytest.raises(geoparks.UnknownRegionError, match="greater-bay-area") as caught:
        geoparks.region_map("atlantis", parks)
    assert isinstance(caught.value, LookupError)
    assert isinstance(caught.value, geoparks.GeoparksError)


def test_unknown_asset_names_the_package_to_install():
    with pytest.raises(AssetError, match="no local copy"):
        asset_text("https://cdn.example.com/x.js")


def test_data_blocks_cannot_be_closed_by_a_value():
    hostile = {"name": "</script><script>alert(1)</script><!--"}
    block = JSONData(hostile, "parks").render()
    assert block.count("</script") == 1 and block.endswith("</script>")
    body = block[block.index(">") + 1 : -len("</script>")]
    assert json.loads(body) == hostile


def test_park_data_is_packed_with_full_popup_fields(parks):
    data = encode_parks(parks, geoparks.load_catalog().sources)
    columns = data["columns"]
    position = list(parks.index).index("guangxi-digital-hezhou-industrial-park")

    def cell(name):
        column = columns[name]
        if isinstance(column, dict) and "v" in column:
            return unworded(column)[position]
        if isinstance(column, dict):
            k = unpacked(column)[position]
            return column["t"][k - 1] if k else None
        return None if column is None else column[position]

    assert cell("name") == "Guangxi Digital Hezhou Industrial Park"
    assert (cell("invest"), cell("usd")) == (5e9, 723.57e6)  # the page writes the text
    assert cell("city") == "Hezhou 贺州市"
    assert cell("source")[:2] == [
        geoparks.load_catalog().sources.loc["hezhou-parks-2018", "title"],
        "2018-10-17",
    ]
    assert cell("regions") == "linked to Guangdong-Hong Kong-Macao Greater Bay Area"
    assert isinstance(columns["city"], dict)  # few distinct cities: a table and indices
    assert data["kinds"][unpacked(columns["kind"])[position]]["key"] == "industrial_park"


def test_links_point_at_partner_cities(parks):
    links = encode_links(parks)
    by_park = {parks.index[t[0]]: links["names"][t[3]] for t in links["targets"]}
    assert by_park["guangdong-hainan-advanced-manufacturing-cooperation-industrial-park"] == (
        "Guangzhou 广州市"
    )
    assert by_park["nanning-shenzhen-asean-industrial-cooperation-zone"] == "Shenzhen 深圳市"


def test_choropleth_legend_shows_each_class_range(overview_html):
    legends = re.findall(r"geoparks\.legend\(\s*\w+,\s*(\{.*?\}),\s*\w+\s*\)", overview_html, re.S)
    specs = [json.loads(spec) for spec in legends]
    by_title = {spec["title"]: spec for spec in specs}
    labels = [item["label"] for item in by_title["Parks per province"]["items"]]
    assert labels[0] == "no parks"
    assert labels[1:] == sorted(labels[1:], key=lambda s: int(s.split()[0]))
    assert "Kind of park" in by_title


def test_build_writes_maps_and_exports(tmp_path, parks):
    written = geoparks.build(out=tmp_path, tiles=None)
    names = {p.name for p in written}
    regions = {r.id for r in geoparks.load_regions()}
    assert names == {
        "index.html", "parks.geojson", "provinces.geojson", "regions.geojson", "rejected.csv"
    } | {f"{r}.html" for r in regions}  # fmt: skip
    assert written.summary() == f"{len(parks)} mapped, none left out"
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) & 0o044  # readable by others, like any file
    exported = gpd.read_file(tmp_path / "parks.geojson")
    assert len(exported) == len(parks)
    provinces = gpd.read_file(tmp_path / "provinces.geojson").set_index("id")
    assert provinces.loc["440000", "parks"] == (parks["province_adcode"] == "440000").sum()
    zones = gpd.read_file(tmp_path / "regions.geojson").set_index("id")
    assert zones.loc["greater-bay-area", ["parks_inside", "parks_linked"]].tolist() == [12, 4]
    assert "tile.openstreetmap.org" not in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_cli_build(tmp_path):
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path), "--cdn"])
    assert result.exit_code == 0, result.output
    assert str(tmp_path / "index.html") in result.output
    html = (tmp_path / "greater-bay-area.html").read_text(encoding="utf-8")
    assert f'<script src="{LEAFLET_JS}"></script>' in html


def test_cli_build_strict_reports_a_bad_catalog_with_its_location(tmp_path, write_csv):
    catalog = write_csv("name,city\nA Park,Atlantis\n")
    args = ["build", "--catalog", str(catalog), "--out", str(tmp_path), "--strict"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert f"{catalog}:2:" in result.output
    assert not list(tmp_path.glob("*.html"))


def test_cli_build_maps_the_good_records_and_lists_the_others(tmp_path, write_csv):
    catalog = write_csv("name,city\nA Park,Atlantis\nB Park,Hezhou\n")
    args = ["build", "--catalog", str(catalog), "--out", str(tmp_path), "--tiles", "none"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    summary = f"1 mapped, 1 left out (1 unknown_city): see {tmp_path / 'rejected.csv'}"
    assert summary in result.stderr
    left_out = pd.read_csv(tmp_path / "rejected.csv")
    assert left_out[["line", "name", "stage", "reason"]].values.tolist() == [
        [2, "A Park", "placing", "unknown_city"]
    ]
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "1 record is not shown: see rejected.csv" in page


def test_cli_build_rejects_an_unknown_basemap(tmp_path):
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path), "--tiles", "no such"])
    assert result.exit_code == 2
    assert "--tiles" in result.output and "CartoDB positron" in result.output


def test_jquery_is_written_only_for_folium_elements_that_may_call_it(tmp_path):
    import folium

    plain = tmp_path / "plain.html"
    geoparks.save_map(geoparks.overview_map(tiles=None), plain)
    assert "jQuery" not in plain.read_text(encoding="utf-8")  # 88 kB saved per page
    mixed = geoparks.overview_map(tiles=None)
    folium.Marker([22.8, 108.3], popup="a marker of one's own").add_to(mixed)
    geoparks.save_map(mixed, tmp_path / "mixed.html")
    assert "jQuery" in (tmp_path / "mixed.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("top", [0, 1, 2, 3, 8, 9, 90, 91, 8280, 10**7])
def test_packed_indices_read_back_whatever_their_range(top):
    from geoparks.render.parks import _packed

    rng = np.random.default_rng(top)
    for size in (0, 1, 5, 1001):
        codes = rng.integers(0, top + 1, size)
        packed = _packed(codes)
        assert unpacked(packed).tolist() == codes.tolist()
        if top < 9 and size > 1:  # small numbers share characters
            assert len(packed["s"]) < size


def test_names_written_as_words_read_back_as_they_were():
    from geoparks.render.parks import _worded

    names = ["Qinzhou Port Economic Zone", "Qinzhou  Port", "", None, " lead", "钦州港开发区"] * 3
    worded = _worded(names)
    assert isinstance(worded, dict) and unworded(worded) == names
    places, kinds = ["钦州", "北海", "防城", "南宁", "玉林"], ["港", "新区", "高新", "工业", "综合"]
    chinese = [f"{p}{k}开发区" for p in places for k in kinds] + ["", None]
    assert _worded(chinese)["j"] == "" and unworded(_worded(chinese)) == chinese  # characters
    assert _worded(["钦州港", "Beihai"]) == ["钦州港", "Beihai"]  # nothing repeats: as they are
