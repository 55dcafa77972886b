from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest

from geoparks import KINDS, STATUSES, CatalogError, DataFileError, find_areas, find_money
from geoparks.catalog import EVIDENCE_GAP, load_catalog, load_sources

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

SOURCES = "id,title,published\nart-1,An article,2024-07-03\n"


def problems(path, **kwargs):
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, strict=True, **kwargs)
    return [str(p) for p in caught.value.problems]


def only_problem(path, **kwargs):
    found = problems(path, **kwargs)
    assert len(found) == 1, found
    return found[0]


# -- a user's own catalog -------------------------------------------------------------


def test_name_and_city_is_a_whole_catalog(write_csv):
    catalog = load_catalog(write_csv("name,city\nA Park,Hezhou\n"))
    park = catalog.parks.iloc[0]
    assert (park["id"], park["name"], park["city"]) == ("a-park", "A Park", "Hezhou")
    assert park["partners"] == []
    assert math.isnan(park["investment_cny"])


def test_name_and_coordinates_is_a_whole_catalog(write_csv):
    catalog = load_catalog(write_csv("name,lat,lon\nA Park,24.4,111.55\n"))
    assert catalog.parks.iloc[0][["lat", "lon"]].tolist() == [24.4, 111.55]


def test_extra_columns_are_kept(write_csv):
    catalog = load_catalog(write_csv("name,city,website\nA,Hezhou,https://example.org\n"))
    assert catalog.parks.iloc[0]["website"] == "https://example.org"


def test_utf8_bom_and_crlf_line_ends_are_accepted(write_csv):
    path = write_csv(b"\xef\xbb\xbfname,city\r\n\xe8\xb4\xba\xe5\xb7\x9e Park,Hezhou\r\n")
    park = load_catalog(path).parks.iloc[0]
    assert park["name"] == "贺州 Park"
    assert park["id"] == "贺州-park"


def test_chinese_only_names_get_stable_ids(write_csv):
    first = load_catalog(write_csv("name,city\n贺州产业园,贺州\n")).parks.index[0]
    again = load_catalog(write_csv("name,city\n贺州产业园,贺州\n")).parks.index[0]
    assert first == again == "贺州产业园"


def test_amounts_with_units_are_normalised(write_csv):
    path = write_csv('name,city,investment_cny,area_km2\nA,Hezhou,"RMB 7.635 billion",1355 mu\n')
    park = load_catalog(path).parks.iloc[0]
    assert park["investment_cny"] == pytest.approx(7.635e9)
    assert park["area_km2"] == pytest.approx(1355 / 1500)


def test_relative_established_date_is_resolved_against_the_article(write_csv):
    write_csv(SOURCES, "sources.csv")
    path = write_csv("name,city,source,established\nA,Haikou,art-1,January 13 this year\n")
    assert load_catalog(path).parks.iloc[0]["established"] == "2024-01-13"


# -- bad input: one located problem each -------------------------------------------


def test_missing_required_column(write_csv):
    path = write_csv("city,kind\nHezhou,project\n")
    assert only_problem(path) == (
        f"{path}:1:1: missing required column 'name' (got 'city,kind', "
        "expected a header with a 'name' column (or 名称, or --columns name=...))"
    )


def test_no_column_to_place_records(write_csv):
    assert "no column to place records by" in only_problem(write_csv("name,kind\nA,project\n"))


def test_duplicate_id(write_csv):
    path = write_csv("id,name,city\na,A,Hezhou\nb,B,Hezhou\na,C,Hezhou\n")
    assert only_problem(path) == (
        f"{path}:4:1: duplicate id (got 'a', expected an id not used before (line 2 has it))"
    )


def test_unknown_kind_suggests_the_closest(write_csv):
    path = write_csv("name,city,kind\nA,Hezhou,industral park\n")
    message = only_problem(path)
    assert message.startswith(f"{path}:2:10: kind: unknown value (got 'industral park'")
    assert "did you mean 'industrial_park'?" in message


def test_unknown_status(write_csv):
    assert ":2:10: status: unknown value" in only_problem(
        write_csv("name,city,status\nA,Hezhou,finished\n")
    )


def test_number_that_is_not_a_number(write_csv):
    path = write_csv("name,city,investment_cny\nA,Hezhou,lots\n")
    assert only_problem(path) == (
        f"{path}:2:10: investment_cny: not a number (got 'lots', expected a number of CNY, "
        "or an amount such as '5 billion yuan')"
    )


@pytest.mark.parametrize("column", ["area_km2", "investment_cny", "output_cny"])
def test_negative_area_or_money(write_csv, column):
    path = write_csv(f"name,city,{column}\nA,Hezhou,-5\n")
    assert only_problem(path) == (
        f"{path}:2:10: {column}: negative value (got '-5', expected zero or more)"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [("nan", "not a number"), ("inf", "not a number"), ("1e999", "not a finite number")],
)
def test_non_finite_numbers(write_csv, value, message):
    assert f"area_km2: {message} (got '{value}'" in only_problem(
        write_csv(f"name,city,area_km2\nA,Hezhou,{value}\n")
    )


def test_impossible_date(write_csv):
    path = write_csv("name,city,established\nA,Hezhou,2022-02-30\n")
    message = only_problem(path)
    assert message.startswith(f"{path}:2:10: established: impossible date '2022-02-30': day 30")
    assert "(got '2022-02-30', expected a date such as 2022-04-14" in message


def test_relative_date_without_a_dated_source(write_csv):
    path = write_csv("name,city,established\nA,Hezhou,January 13 this year\n")
    assert "needs a reference date" in only_problem(path)


def test_unknown_source_id(write_csv):
    write_csv(SOURCES, "sources.csv")
    path = write_csv("name,city,source\nA,Hezhou,art-2\n")
    assert only_problem(path) == (
        f"{path}:2:10: source: unknown source id (got 'art-2', "
        "expected an id from sources.csv (art-1) or a URL)"
    )


def test_source_may_be_a_url(write_csv):
    load_catalog(write_csv("name,city,source\nA,Hezhou,https://example.org/a\n"))


@pytest.mark.parametrize(
    ("row", "column", "value", "limit"),
    [("91,100", 3, "91", "90"), ("-90.5,100", 3, "-90.5", "90"), ("30,180.01", 6, "180.01", "180")],
)
def test_latitude_longitude_out_of_range(write_csv, row, column, value, limit):
    path = write_csv(f"name,lat,lon\nA,{row}\n")
    assert only_problem(path) == (
        f"{path}:2:{column}: {'lat' if column == 3 else 'lon'}: out of range "
        f"(got '{value}', expected decimal degrees from -{limit} to {limit})"
    )


def test_lat_without_lon(write_csv):
    assert "lat and lon come together" in only_problem(write_csv("name,lat,lon\nA,30,\n"))


def test_empty_file(write_csv):
    path = write_csv("")
    assert only_problem(path) == f"{path}:1:1: file is empty (expected a header row)"


def test_gbk_file_is_named_as_such(write_csv):
    path = write_csv("name,city\n贺州数字产业园,贺州\n".encode("gbk"))
    message = only_problem(path)
    assert message.startswith(f"{path}:2:1: file is not UTF-8: it looks GBK/GB18030-encoded")
    assert "iconv" in message


def test_malformed_quotes_and_short_rows(write_csv):
    path = write_csv('name,city,kind\n"A",Hezhou\n"B"x,Hezhou,project\n')
    found = problems(path)
    assert found[0].startswith(f"{path}:2:1: row has 2 values but the header has 3 columns")
    assert found[1].startswith(f"{path}:3:4: text after a closing quote (got 'x'")


def test_misspelt_column_is_kept_and_noted(write_csv):
    catalog = load_catalog(write_csv("name,city,investmnt_cny\nA,Hezhou,5\n"))
    assert catalog.parks.iloc[0]["investmnt_cny"] == "5"
    assert "column 'investmnt_cny' kept as it is (did you mean 'investment_cny'?)" in catalog.notes


def test_every_problem_is_reported_in_one_run(write_csv):
    path = write_csv(
        "id,name,city,kind,area_km2,lat,lon\na,A,Hezhou,zone,-1,,\na,B,Hezhou,project,2,95,0\n"
    )
    found = problems(path)
    assert [re.match(r".*?:(\d+:\d+):", p).group(1) for p in found] == [
        "2:12",
        "2:17",
        "3:1",
        "3:22",
    ]


def test_evidence_must_be_in_the_article_and_hold_the_numbers(write_csv, tmp_path):
    (tmp_path / "a.txt").write_text("It cost 5 billion yuan. It covers 2 square kilometers.")
    write_csv("id,title,file\nart-1,A,a.txt\n", "sources.csv")
    good = 'name,city,source,investment_cny,area_km2,evidence\nA,Hezhou,art-1,5e9,2,"{}"\n'
    load_catalog(
        write_csv(
            good.format(f"It cost 5 billion yuan.{EVIDENCE_GAP}It covers 2 square kilometers")
        )
    )
    path = write_csv(good.format("It cost 6 billion yuan.").replace(",2,", ",3,"))
    found = problems(path)
    assert found[0].startswith(f"{path}:2:16: investment_cny: value not stated in the evidence")
    assert found[1].startswith(f"{path}:2:20: area_km2: value not stated in the evidence")
    assert found[2].startswith(f"{path}:2:22: evidence: not found verbatim in the source article")


def test_missing_file_is_a_data_file_error(tmp_path):
    with pytest.raises(DataFileError, match="no such file"):
        load_catalog(tmp_path / "nope.csv")


def test_problems_in_sources_are_reported_with_the_catalog_ones(write_csv):
    write_csv("id,title,published,file\nArt 1,A,2024-02-30,missing.txt\n", "sources.csv")
    path = write_csv("name,city,source\nA,Hezhou,zz\n")
    found = problems(path)
    assert any(":2:10: source: unknown source id" in p for p in found)
    assert any("id: not a valid id (got 'Art 1', expected letters, digits" in p for p in found)
    assert any("published: impossible date" in p for p in found)
    assert any("article file not found" in p for p in found)


# -- the shipped catalog ------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return load_catalog()


def test_shipped_catalog_is_valid_and_complete(shipped):
    parks = shipped.parks
    assert len(parks) >= 25
    assert parks.index.is_unique
    assert set(parks["kind"]) <= set(KINDS)
    assert set(parks["status"].dropna()) <= set(STATUSES)
    assert set(parks["source"]) == set(shipped.sources.index)


SEED_NAMES = [
    "Guangxi Digital Hezhou Industrial Park",
    "Hezhou Health Yungang Industrial Park",
    "Guangxi Bestone Electronic Industrial Park",
    "Economic and Trade Liaison Office of the Guangdong-Hong Kong-Macao Greater Bay Area",
    "Zhaoqing New District",
    "Guangdong (Zhaoqing) Large Industrial Cluster",
    "Guangdong-Hong Kong-Macao Greater Bay Area Ecological Technology Industrial Park",
    "Xijiang High-tech Development Zone",
    "Lingang Industrial Park",
    "Intelligent Equipment Manufacturing Industrial Park",
    "Honda Metal Automation Production Base",
    "Pearl River Science and Technology Innovation Park",
    "Pazhou Artificial Intelligence and Digital Economy Pilot Zone",
    "China-ASEAN Industrial Cooperation Zone",
    "China-ASEAN Digital Economy Industrial Park",
    "Guangxi Fangchenggang offshore wind power demonstration project",
    "Pingxiang Border Industrial Park",
    "International Science and Technology Industrial City",
    "China-ASEAN Cross-border Industrial Integration Development Cooperation Zone",
    "Nanning (Shenzhen) ASEAN Industrial Cooperation Zone",
    "Huayi Group integrated base for chemical new materials",
    "Guangdong Hainan Advanced Manufacturing Cooperation Industrial Park",
    "Haikou National High-tech Zone",
    "Guangzhou High-tech Zone",
]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_park_of_the_articles_is_a_record(shipped, name):
    assert name in set(shipped.parks["name"])


def test_every_record_quotes_its_article_verbatim(shipped):
    for park_id, park in shipped.parks.iterrows():
        article = " ".join(shipped.sources.loc[park["source"], "text"].split())
        for part in park["evidence"].split(EVIDENCE_GAP):
            assert " ".join(part.split()) in article, park_id


def test_every_number_appears_in_its_evidence(shipped):
    for park_id, park in shipped.parks.iterrows():
        money = find_money(park["evidence"])
        stated = {
            "investment_cny": {m.cny for m in money},
            "output_cny": {m.cny for m in money},
            "investment_usd": {m.usd for m in money},
            "area_km2": {a.km2 for a in find_areas(park["evidence"])},
        }
        stated["floor_area_km2"] = stated["area_km2"]
        for column, values in stated.items():
            if not math.isnan(park[column]):
                assert any(v and math.isclose(park[column], v, rel_tol=1e-9) for v in values), (
                    park_id,
                    column,
                )


def test_shipped_articles_are_the_seed_articles():
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    for seed in seeds.glob("*.txt"):
        assert (DATA / "articles" / seed.name).read_bytes() == seed.read_bytes()


def test_article_dates_and_names(shipped):
    sources = load_sources()
    assert sources.loc["haizhu-projects-2022", "published"] == "2022-02-21"
    assert sources.loc["guangdong-hainan-park-2024", "publisher"] == "Hainan Daily"
    hainan = shipped.parks.loc[
        "guangdong-hainan-advanced-manufacturing-cooperation-industrial-park"
    ]
    assert hainan["established"] == "2024-01-13"
    assert hainan["area_km2"] == 16.81
    hezhou = shipped.parks.loc["guangxi-digital-hezhou-industrial-park"]
    assert (hezhou["investment_cny"], hezhou["investment_usd"]) == (5e9, 723.57e6)
    assert "greater-bay-area" in hezhou["regions"]


def test_a_copy_of_the_data_folder_validates(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    assert len(load_catalog(copy / "parks.csv").parks) == len(load_catalog().parks)


def test_validation_writes_nothing(write_csv, tmp_path: Path):
    path = write_csv("name,city,kind\nA,Hezhou,zone\n")
    before = sorted(tmp_path.iterdir())
    problems(path)
    assert sorted(tmp_path.iterdir()) == before


def test_sources_may_not_reach_outside_their_folder_or_link_to_scripts(write_csv, tmp_path):
    from geoparks.catalog import load_sources

    secret = tmp_path.parent / "secret.txt"
    secret.write_text("It cost 5 billion yuan.")
    (tmp_path / "gbk.txt").write_bytes("投资50亿元".encode("gbk"))
    (tmp_path / "ok.txt").write_text("It cost 5 billion yuan.")
    path = write_csv(
        "id,title,file,url\n"
        "up,A,../secret.txt,https://example.org/a\n"
        f"abs,B,{secret},javascript:alert(1)\n"
        'gbk,C,gbk.txt,"data:text/html;base64,PHNjcmlwdD4="\n'
        "fine,D,ok.txt,HTTP://example.org/d?x=1\n",
        "sources.csv",
    )
    with pytest.raises(CatalogError) as error:
        load_sources(path)
    found = [str(p) for p in error.value.problems]
    assert found[0].startswith(f"{path}:2:6: article file outside the sources' folder (not read)")
    assert found[1].startswith(f"{path}:3:7: article file outside")
    assert found[2].startswith(f"{path}:3:{8 + len(str(secret))}: not a web address (left out)")
    assert "expected an http:// or https:// address" in found[2]
    assert found[3].startswith(f"{path}:4:7: article file is not UTF-8 (byte 2): convert it")
    assert found[4].startswith(f"{path}:4:15: not a web address")
    assert len(found) == 5
    catalog = load_catalog(write_csv("name,city,source\nA,Hezhou,fine\nB,Hezhou,abs\n"))
    sources = catalog.sources.astype(object).where(catalog.sources.notna(), None)
    assert sources["text"].tolist() == [None, None, None, "It cost 5 billion yuan."]
    assert sources["url"].tolist() == [
        "https://example.org/a",
        None,
        None,
        "HTTP://example.org/d?x=1",
    ]


def test_a_sources_frame_of_ones_own_without_article_texts_is_enough():
    import pandas as pd

    from geoparks import Catalog

    frame = pd.DataFrame(
        {"name": ["Hezhou Park"], "city": ["Hezhou"], "source": ["a1"], "investment_cny": [5e9],
         "evidence": ["The park's total investment is 5 billion yuan."]}
    )  # fmt: skip
    sources = pd.DataFrame({"title": ["Hezhou news"], "published": ["2020-01-01"]}, index=["a1"])
    catalog = Catalog.from_frame(frame, sources)
    assert catalog.parks["source"].tolist() == ["a1"] and catalog.rejected.empty


def test_large_stages_collect_cycles_less_often_and_restore_the_thresholds(tmp_path):
    import gc

    from geoparks.bulk import many_objects

    before = gc.get_threshold()
    with many_objects():
        assert gc.get_threshold()[0] >= 100_000
    assert gc.get_threshold() == before
    with pytest.raises(DataFileError):
        load_catalog(tmp_path / "missing.csv")  # a stage that fails restores them too
    assert gc.get_threshold() == before
