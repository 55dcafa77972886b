from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pyogrio
import pytest
import shapely
from click.testing import CliRunner
from geopandas.testing import assert_geodataframe_equal
from rfc7946 import rfc7946_problems

import geoparks
from geoparks.cli import cli
from geoparks.formats import FORMATS, column_type, conform, geojson_text


@pytest.fixture(scope="module")
def layers():
    return geoparks.export_layers()


@pytest.fixture(scope="module")
def written(layers, tmp_path_factory):
    """Every layer in every format: {(format, layer): path}."""
    folder = tmp_path_factory.mktemp("exports")
    files = geoparks.export(out=folder, formats=list(FORMATS))
    return {(f, name): folder / f"{name}{FORMATS[f]}" for f in FORMATS for name in layers} | {
        "files": files
    }


def tricky_layer() -> gpd.GeoDataFrame:
    """Values that trip writers: quotes, commas, newlines, CJK, empty lists, NaN, holes."""
    hole = [(100.2, 20.2), (100.2, 20.4), (100.4, 20.2)]
    square = shapely.Polygon([(100, 20), (101, 20), (101, 21), (100, 21)], [hole])
    return gpd.GeoDataFrame(
        {
            "id": ["a,1", 'b "2"', "丙"],
            "name": ['Say "hi", then\nleave', None, "钦州 Qinzhou; 广西"],
            "industries": [["a, b", 'quote "q"'], [], ["新能源"]],
            "investment_cny": [5e9, np.nan, 0.1 + 0.2],
            "parks": [1, 2**40, 0],
            "operating": [True, False, True],
            "source_date": pd.to_datetime(["2019-02-18", None, "2024-01-13"]),
        },
        geometry=[
            shapely.Point(108.654321, 21.987654),
            square,
            shapely.MultiPolygon([square, shapely.box(102, 22, 103, 23)]),
        ],
        crs=4326,
    )


@pytest.mark.parametrize("format", list(FORMATS))
@pytest.mark.parametrize("name", geoparks.LAYERS)
def test_every_layer_round_trips_through_every_format(written, layers, format, name):
    back = geoparks.read_export(written[format, name])
    assert_geodataframe_equal(back, layers[name], check_less_precise=False)


@pytest.mark.parametrize("format", list(FORMATS))
def test_tricky_values_round_trip(tmp_path, format):
    layer = conform(tricky_layer())
    path = geoparks.write_layer(layer, tmp_path / f"tricky{FORMATS[format]}")[-1]
    assert_geodataframe_equal(geoparks.read_export(path), layer, check_less_precise=False)


def _plain(value):
    if isinstance(value, np.ndarray | list):
        return [str(v) for v in value]
    return None if pd.isna(value) else value


@pytest.mark.parametrize("format", list(FORMATS))
@pytest.mark.parametrize("name", geoparks.LAYERS)
def test_plain_geopandas_reads_the_same_records_and_values(written, layers, format, name):
    path = written[format, name]
    plain = gpd.read_parquet(path) if format == "parquet" else gpd.read_file(path)
    layer = layers[name]
    assert list(plain.columns) == list(layer.columns)
    assert plain["id"].tolist() == layer["id"].tolist()
    assert plain.crs.to_epsg() == 4326
    assert plain.geometry.geom_equals_exact(layer.geometry, tolerance=0).all()
    for column in layer.columns.drop("geometry"):
        kind = column_type(layer, column)
        got, want = [_plain(v) for v in plain[column]], [_plain(v) for v in layer[column]]
        if format == "csv" and kind == "text":  # GDAL reads an empty CSV cell as ""
            got = [None if v == "" else v for v in got]
        if kind == "date" and format == "parquet":  # pyarrow gives date32 as datetime.date
            got = [None if v is None else pd.Timestamp(v) for v in got]
        assert got == want, column
        if kind == "integer":
            assert pd.api.types.is_integer_dtype(plain[column]), column
        if kind == "real":
            assert pd.api.types.is_float_dtype(plain[column]), column


@pytest.mark.parametrize("name", geoparks.LAYERS)
def test_geojson_follows_rfc_7946(written, name):
    text = written["geojson", name].read_text(encoding="utf-8")
    assert rfc7946_problems(text) == []


def test_the_rfc_7946_checks_catch_each_rule():
    ring = [[0, 0], [0, 1], [1, 1.1234567], [0, 0]]  # clockwise, 7 decimals
    bad = {
        "type": "FeatureCollection",
        "crs": {"type": "name"},
        "features": [
            {
                "type": "Feature",
                "id": [1],
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {"nested": {"a": 1}},
            },
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [200, 95]}},
        ],
    }
    problems = "\n".join(rfc7946_problems(json.dumps(bad)))
    for rule in ("'crs'", "id is a string", "counter-clockwise", "not flat", "WGS-84", "decimals"):
        assert rule in problems
    assert rfc7946_problems('{"type": "FeatureCollection", "features": [NaN]}')[0].startswith(
        "not JSON"
    )


def test_geojson_properties_are_flat_and_typed(written):
    parks = json.loads(written["geojson", "parks"].read_text(encoding="utf-8"))
    hezhou = next(
        f for f in parks["features"] if f["id"] == "guangxi-digital-hezhou-industrial-park"
    )
    properties = hezhou["properties"]
    assert "id" not in properties and "lat" not in properties
    assert properties["investment_cny"] == 5_000_000_000
    assert properties["industries"] == ["digital industry", "software"]
    assert properties["linked_regions"] == ["greater-bay-area"]
    assert properties["regions"] == [] and properties["output_cny"] is None
    assert properties["source_published"] == "2018-10-17"
    assert hezhou["geometry"] == {"type": "Point", "coordinates": [111.56675, 24.40357]}
    regions = json.loads(written["geojson", "regions"].read_text(encoding="utf-8"))
    gba = next(f for f in regions["features"] if f["id"] == "greater-bay-area")
    assert gba["properties"]["source_date"] == "2019-02-18"
    assert len(gba["properties"]["members"]) == 11
    provinces = json.loads(written["geojson", "provinces"].read_text(encoding="utf-8"))
    assert {f["id"] for f in provinces["features"]} >= {"440000", "450000", "460000"}


def test_geoparquet_carries_its_geo_metadata(written):
    schema = pq.read_schema(written["parquet", "regions"])
    geo = json.loads(schema.metadata[b"geo"])
    column = geo["columns"][geo["primary_column"]]
    assert geo["version"] == "1.1.0" and column["encoding"] == "WKB"
    assert column["crs"]["id"] == {"authority": "EPSG", "code": 4326}
    assert set(column["geometry_types"]) <= {"Polygon", "MultiPolygon"}
    assert str(schema.field("members").type.value_type) == "string"
    assert str(schema.field("source_date").type) == "date32[day]"


def test_geopackage_and_csv_declare_their_types_to_gdal(written):
    info = pyogrio.read_info(written["gpkg", "regions"])
    pairs = zip(info["ogr_types"], info["ogr_subtypes"], strict=True)
    types = dict(zip(info["fields"], pairs, strict=True))
    assert info["layer_name"] == "regions" and info["crs"] == "EPSG:4326"
    assert types["members"] == ("OFTString", "OFSTJSON")
    assert types["source_date"][0] == "OFTDate"
    assert types["parks_inside"][0] == "OFTInteger64"
    csvt = written["csv", "regions"].with_suffix(".csvt").read_text()
    assert '"JSonStringList"' in csvt and '"Date"' in csvt and csvt.endswith('"WKT"\n')


def test_an_interrupted_export_leaves_the_previous_file(tmp_path, layers, monkeypatch):
    path = geoparks.write_layer(layers["regions"], tmp_path / "regions.parquet")[0]
    before = path.read_bytes()

    def interrupted(table, where, **options):
        where.write_bytes(b"PAR1 half a file")
        raise KeyboardInterrupt

    monkeypatch.setattr(pq, "write_table", interrupted)
    with pytest.raises(KeyboardInterrupt):
        geoparks.write_layer(layers["parks"], path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["regions.parquet"]


def test_unknown_formats_and_layers_are_refused_before_writing(tmp_path):
    with pytest.raises(geoparks.ExportError, match="expected one or more of geojson"):
        geoparks.export(out=tmp_path / "out", formats="shp")
    with pytest.raises(geoparks.ExportError, match="unknown layer 'cities'"):
        geoparks.export(out=tmp_path / "out", layers=["cities"])
    with pytest.raises(geoparks.ExportError, match=r"unknown export format '\.shp'"):
        geoparks.write_layer(tricky_layer(), tmp_path / "x.shp")
    assert not (tmp_path / "out").exists()


def test_reading_a_file_that_is_not_an_export_is_an_error(tmp_path):
    broken = tmp_path / "parks.gpkg"
    broken.write_text("not a database")
    with pytest.raises(geoparks.ExportError, match=r"parks\.gpkg: cannot be read as gpkg"):
        geoparks.read_export(broken)
    with pytest.raises(geoparks.ExportError, match="no such file"):
        geoparks.read_export(tmp_path / "missing.geojson")


def test_a_layer_indexed_by_id_keeps_its_ids(layers):
    text = geojson_text(layers["regions"].set_index("id"))
    assert json.loads(text)["features"][0]["id"] == layers["regions"]["id"][0]


def test_cli_export_writes_each_format(tmp_path):
    result = CliRunner().invoke(
        cli, ["export", "--format", "gpkg", "--format", "csv", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir() if p.name != "rejected.csv")
    assert names == sorted(
        f"{layer}{suffix}"
        for layer in geoparks.LAYERS
        for suffix in (".gpkg", ".csv", ".csvt", ".prj")
    )


def test_cli_export_exit_codes(tmp_path, write_csv):
    runner = CliRunner()
    assert runner.invoke(cli, ["export", "--format", "shp", "--out", str(tmp_path)]).exit_code == 2
    assert runner.invoke(cli, ["export", "--format", "csv"]).exit_code == 2  # --out is required
    catalog = write_csv("name,city\nA Park,Atlantis\n")
    args = ["export", "--catalog", str(catalog), "--out", str(tmp_path)]
    result = runner.invoke(cli, [*args, "--strict"])
    assert result.exit_code == 1 and f"{catalog}:2:" in result.stderr
    assert not list(tmp_path.glob("*.geojson"))
    result = runner.invoke(cli, args)
    assert result.exit_code == 0 and "0 mapped, 1 left out (1 unknown_city)" in result.stderr
    assert len(geoparks.read_export(tmp_path / "parks.geojson")) == 0


def test_only_the_layers_asked_for_are_made(layers):
    made = geoparks.export_layers(layers=["regions"])
    assert list(made) == ["regions"]
    assert_geodataframe_equal(made["regions"], layers["regions"], check_less_precise=False)


def test_a_catalog_with_nothing_to_map_exports_empty_layers_in_every_format(tmp_path, write_csv):
    catalog = write_csv("name,city\nA Park,Atlantis\n", "zones.csv")
    out = tmp_path / "out"
    with pytest.warns(UserWarning, match="0 mapped, 1 left out"):
        written = geoparks.export(catalog, out=out, formats=list(FORMATS), layers=["parks"])
    assert written.mapped == 0 and len(written.rejected) == 1
    for format, suffix in FORMATS.items():
        assert len(geoparks.read_export(out / f"parks{suffix}")) == 0, format
    result = CliRunner().invoke(cli, ["summary", str(catalog)])
    assert result.exit_code == 0 and "0 mapped, 1 left out (1 unknown_city)" in result.stderr


def test_an_export_never_writes_over_the_catalog_it_reads(tmp_path, write_csv):
    catalog = write_csv("name,city\nA Park,Hezhou\n")  # tmp_path/parks.csv
    before = catalog.read_bytes()
    args = ["export", "--catalog", str(catalog), "--format", "csv", "--out", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "this is the catalog being read; write to another folder (--out)" in result.stderr
    assert catalog.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parks.csv"]


def test_a_failed_export_changes_nothing_and_leaves_nothing(tmp_path, monkeypatch):
    import geoparks.layers

    geoparks.export(out=tmp_path, formats=["csv"])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real = geoparks.layers.write_conformed
    calls = []

    def fail_on_the_third(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(geoparks.layers, "write_conformed", fail_on_the_third)
    with pytest.raises(OSError, match="No space left"):
        geoparks.export(out=tmp_path, formats=["csv"], layers=["parks", "regions", "provinces"])
    # The new parks.csv, its .csvt and .prj were made, but none reached the folder.
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_one_writer_at_a_time_and_a_killed_runs_staging_is_cleaned(tmp_path):
    from geoparks.output import STAGING_PREFIX, staged

    left = tmp_path / f"{STAGING_PREFIX}killed"
    left.mkdir(parents=True)
    (left / "parks.gpkg-journal").write_text("half")
    with staged(tmp_path):
        result = CliRunner().invoke(cli, ["export", "--out", str(tmp_path)])
        assert result.exit_code == 1
        assert result.output == (
            f"geoparks: {tmp_path}: another geoparks build or export is writing here; "
            "wait for it to finish or choose another --out\n"
        )
    assert not left.exists()
    assert CliRunner().invoke(cli, ["export", "--out", str(tmp_path)]).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "parks.geojson", "provinces.geojson", "regions.geojson", "rejected.csv"
    ]  # fmt: skip


def test_a_geopackage_that_cannot_be_written_is_one_line_naming_the_file(tmp_path, monkeypatch):
    def full_disk(*args, **kwargs):
        raise pyogrio.errors.DataLayerError("Error while writing batch to OGR layer: disk I/O")

    monkeypatch.setattr(pyogrio, "write_arrow", full_disk)
    result = CliRunner().invoke(cli, ["export", "--format", "gpkg", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"geoparks: {tmp_path}/parks.gpkg: GDAL could not write")
    assert result.output.endswith(f"(nothing in {tmp_path} was changed)\n")
    assert result.output.count("\n") == 1 and list(tmp_path.iterdir()) == []


def test_a_build_killed_midway_leaves_the_folder_as_it_was(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from geoparks.output import STAGING_PREFIX

    out = tmp_path / "out"
    geoparks.export(out=out, layers=["regions"])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    command = [sys.executable, "-m", "geoparks", "-q", "build", "--out", str(out)]
    process = subprocess.Popen(command)
    deadline = time.monotonic() + 60
    while not list(out.glob(f"{STAGING_PREFIX}*/*.html")) and time.monotonic() < deadline:
        time.sleep(0.01)  # kill it once its first page is written, in the staging folder
    process.send_signal(signal.SIGKILL)
    process.wait()
    after = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(STAGING_PREFIX)}
    assert after == before
    assert (
        CliRunner().invoke(cli, ["export", "--layer", "regions", "--out", str(out)]).exit_code == 0
    )
    assert not list(out.glob(f"{STAGING_PREFIX}*"))  # the next run cleaned up
