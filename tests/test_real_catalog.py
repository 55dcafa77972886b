"""A catalog made like the real ones (realistic.py) builds; exactly its flawed rows are left out."""

from __future__ import annotations

import re
import warnings

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from realistic import make

import geoparks
from geoparks.cli import cli


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    return make(tmp_path_factory.mktemp("real"))


@pytest.fixture(scope="module")
def built(real, tmp_path_factory):
    out = tmp_path_factory.mktemp("maps")
    args = ["build", "--catalog", str(real.csv), "--crs", "gcj02", "--out", str(out),
            "--tiles", "none"]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return out, result


def test_build_maps_every_good_record_and_lists_exactly_the_flawed_ones(real, built):
    out, result = built
    left_out = pd.read_csv(out / "rejected.csv")
    assert dict(zip(left_out["line"], left_out["reason"], strict=True)) == real.expected
    mapped = real.rows - len(real.expected)
    assert (
        f"{mapped:,} mapped, 31 left out (29 wrong_province, 1 swapped_coordinates, "
        f"1 duplicate_id): see {out / 'rejected.csv'}"
    ) in result.stderr
    assert len(gpd.read_file(out / "parks.geojson")) == mapped
    wrong = left_out[left_out["reason"] == "wrong_province"]
    assert (wrong["lies_in"] == "Beijing (110000)").all()
    assert (wrong["distance_km"] > 100).all()
    assert "31 records are not shown: see rejected.csv" in (out / "index.html").read_text("utf-8")


def test_a_zone_across_the_macao_line_is_kept_as_a_border_zone(built):
    out, _ = built
    parks = gpd.read_file(out / "parks.geojson").set_index("id")
    assert parks.loc["Z-MACAO", ["province_adcode", "placement"]].tolist() == ["820000", "border"]


def test_chinese_headers_kinds_dates_and_units_are_read(real):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", geoparks.RecordsLeftOutWarning)
        catalog = geoparks.load_catalog(real.csv, crs="gcj02")
    assert "column '核准面积（公顷）' read as area_km2" in catalog.notes
    assert any(re.fullmatch(r"kind '综合保税区' read as free_trade_zone \(\d+ records\)", n)
               for n in catalog.notes)  # fmt: skip
    assert f"coordinates of {real.rows - 1:,} records converted from GCJ-02 to WGS-84" in (
        catalog.notes
    )
    parks = catalog.parks
    assert set(parks["kind"]) <= set(geoparks.KINDS)
    assert parks["established"].dropna().str.fullmatch(r"\d{4}-\d{2}").all()
    assert parks["area_km2"].between(0.4, 30).all()  # hectares, read as km²
    assert parks["级别"].isin(["国家级", "省级"]).all()  # the user's own column, kept


def test_strict_refuses_the_catalog_naming_every_problem(real, tmp_path):
    args = ["build", "--catalog", str(real.csv), "--crs", "gcj02", "--out", str(tmp_path),
            "--strict"]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert not list(tmp_path.iterdir())
    duplicate = min(line for line, why in real.expected.items() if why == "duplicate_id")
    assert f"{real.csv}:{duplicate}:1: duplicate id" in result.stderr
    assert "lat and lon look swapped" in result.stderr


def test_validate_reports_the_same_records(real, built):
    result = CliRunner().invoke(cli, ["validate", str(real.csv), "--crs", "gcj02"])
    assert result.exit_code == 1
    *problems, count = result.stderr.splitlines()
    lines = {int(re.match(rf"{re.escape(str(real.csv))}:(\d+):", p).group(1)) for p in problems}
    assert lines == set(real.expected)
    assert count == f"{real.csv}: 31 problems in 31 of {real.rows:,} records"


def test_the_xlsx_copy_reads_as_the_csv(real):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", geoparks.RecordsLeftOutWarning)
        from_csv = geoparks.load_catalog(real.csv, crs="gcj02")
        from_xlsx = geoparks.load_catalog(real.xlsx, crs="gcj02", sheet="开发区")
    pd.testing.assert_frame_equal(from_xlsx.parks, from_csv.parks)
    assert from_xlsx.lines.equals(from_csv.lines)  # sheet rows are the CSV's lines
    assert from_xlsx.rejected["line"].tolist() == from_csv.rejected["line"].tolist()
