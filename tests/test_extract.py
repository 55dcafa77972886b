"""geoparks extract: candidate records from news articles, every value with where it was read."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoparks import articles, extract, load_catalog, read_article
from geoparks.articles import ArticleError
from geoparks.cli import cli
from geoparks.gazetteer import Gazetteer
from geoparks.merging import same_park

DATA = Path(__file__).resolve().parent.parent / "data"
GOLD = json.loads((Path(__file__).parent / "data" / "extract_gold.json").read_text("utf-8"))
FIGURES = ("investment_cny", "output_cny", "area_km2", "floor_area_km2")


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def _words(name: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", name.lower()))


def _pairs(records, gold):
    """Strict one-to-one pairs: shared words cover >= 0.8 of the larger set."""
    scored = []
    for i, record in enumerate(records):
        for j, item in enumerate(gold):
            score = max(
                len(_words(record.name) & _words(n)) / max(len(_words(record.name)), len(_words(n)))
                for n in [item["name"], *item["aliases"]]
            )
            if score >= 0.8:
                scored.append((score, i, j))
    pairs, used = [], (set(), set())
    for _, i, j in sorted(scored, reverse=True):
        if i not in used[0] and j not in used[1]:
            pairs.append((records[i], gold[j]))
            used[0].add(i)
            used[1].add(j)
    return pairs


def test_the_seed_articles_give_their_parks_cities_and_figures(gazetteer):
    found = expected = matched = cities = city_right = 0
    for article in GOLD["articles"]:
        result = extract(DATA / "articles" / article["file"], gazetteer=gazetteer)
        pairs = _pairs(result.records, article["records"])
        found += len(result.records)
        expected += len(article["records"])
        matched += len(pairs)
        for record, gold in pairs:
            if gold["city"] is not None:
                cities += 1
                city_right += record.city == gold["city"]
            for column in FIGURES:
                assert getattr(record, column) == gold[column], (gold["name"], column)
    assert matched / expected >= 0.95
    assert matched / found >= 0.90
    assert city_right / cities >= 0.95


def test_every_value_is_tied_to_its_sentence_and_offsets(gazetteer):
    result = extract(DATA / "articles" / "000_52a3f429c11a6b32.txt", gazetteer=gazetteer)
    text = result.article.text
    record = next(r for r in result.records if r.name.startswith("Guangxi Digital"))
    assert record.investment_cny == 5e9 and record.investment_usd == 723.57e6
    money = next(r for r in record.readings if r.column == "investment_cny")
    assert text[money.start : money.end] == "nearly 5 billion yuan ($723.57 million)"
    assert text[money.sentence[0] : money.sentence[1]].startswith("The total investment of the")
    for reading in record.readings:
        start, end = reading.sentence
        assert start <= reading.start < reading.end <= end
    row = result.rows()[0]
    assert row["status"] == "unreviewed"
    assert "nearly 5 billion yuan" in row["evidence"]
    assert f"investment_cny@{money.start}-{money.end}" in row["read_at"]


def test_title_date_and_publisher_are_read_around_navigation_and_bylines():
    page = (
        "URL: https://example.org/news/1.html\nTITLE: Yulin opens a new park\n\nnav search\n"
        "Print Mail   Large Medium Small\nBy Staff Reporter\nUpdated: 2023-03-09\n\n"
        "The Yulin Ceramics Industrial Park opened on Monday in the Guangxi city.\n\n"
        "Copyright 2023 Example. All rights reserved.\n"
    )
    article = read_article(page, name="page.txt")
    assert article.url == "https://example.org/news/1.html"
    assert (article.title, article.published) == ("Yulin opens a new park", "2023-03-09")
    sentences = [article.text[s.start : s.end] for s in article.sentences]
    assert sentences == ["The Yulin Ceramics Industrial Park opened on Monday in the Guangxi city."]


def test_an_html_page_gives_its_text_without_scripts_or_menus(gazetteer):
    page = (
        "<!doctype html><html><head><title>Beihai zone grows</title>"
        '<meta property="article:published_time" content="2021-06-30T08:00:00Z">'
        "<script>var x = 'Fake Industrial Park';</script></head><body>"
        "<nav><a>Home</a> <a>Shenzhen Software Park</a></nav>"
        "<p>The Beihai Electronic Information Industrial Park covers an area of 12 square "
        "kilometers, with a total investment of 8 billion yuan.</p>"
        "<footer>Copyright Beihai Daily</footer></body></html>"
    )
    result = extract(page, gazetteer=gazetteer)
    assert (result.article.title, result.article.published) == ("Beihai zone grows", "2021-06-30")
    assert [r.name for r in result.records] == ["Beihai Electronic Information Industrial Park"]
    record = result.records[0]
    assert (record.city, record.area_km2, record.investment_cny) == ("Beihai", 12.0, 8e9)


UNSEEN = """Qinzhou pushes ahead with port-side industries

Updated: 2023-11-02

The Qinzhou Port Economic and Technological Development Zone signed 18 projects on Tuesday, \
with a total investment of 32 billion yuan, officials of the zone said.
Sino-Singapore Nanning International Logistics Park, jointly built by Guangxi Beibu Gulf \
Investment Group and Singapore partners, started construction in March 2019.
The logistics park covers an area of about 1.7 square kilometers.
Xinhua reported that Yulin Ceramics Industrial Park aims to reach an annual output value of \
15 billion yuan by 2025.
Beibu Gulf Port handled 800 million tonnes of cargo, according to the Guangxi Daily.
"""


def test_an_article_it_has_never_seen_is_read_by_the_same_rules(gazetteer):
    result = extract(UNSEEN, gazetteer=gazetteer)
    by_name = {r.name: r for r in result.records}
    assert set(by_name) == {
        "Qinzhou Port Economic and Technological Development Zone",
        "Sino-Singapore Nanning International Logistics Park",
        "Yulin Ceramics Industrial Park",
    }  # not the port, the investment group, the newspaper nor Xinhua
    zone = by_name["Qinzhou Port Economic and Technological Development Zone"]
    assert (zone.kind, zone.city, zone.province) == ("development_zone", "Qinzhou", "Guangxi")
    assert zone.investment_cny == 32e9  # the projects it signed: the batch of its subject
    park = by_name["Sino-Singapore Nanning International Logistics Park"]
    assert (park.city, park.area_km2, park.established) == ("Nanning", 1.7, "2019-03")
    assert park.partners == ["Singapore", "Guangxi Beibu Gulf Investment Group"]
    assert by_name["Yulin Ceramics Industrial Park"].province == "Guangxi"  # not Shaanxi's Yulin
    assert by_name["Yulin Ceramics Industrial Park"].output_cny == 15e9


def test_companies_plans_regions_and_districts_are_not_candidates(gazetteer):
    text = (
        "Haizhu District and the Guangdong-Hong Kong-Macao Greater Bay Area signed the Belt and "
        "Road Cooperation Agreement with Shanghai Huayi Holding Group Co., Ltd. at the "
        "Guangzhou Investment Promotion Conference, organised by the Pazhou Development "
        "Management Committee."
    )
    assert extract(text, gazetteer=gazetteer).records == []


def test_a_headline_short_form_and_a_place_and_head_form_are_aliases(gazetteer):
    text = (
        "Work starts on the Dongguan Songshan Lake Robot Industrial Park\n\n"
        "Updated: 2024-05-01\n\n"
        "Dongguan Songshan Lake Intelligent Robot Industrial Park broke ground on April 28.\n"
        "The Dongguan Park will cover an area of 3 square kilometers.\n"
    )
    records = extract(text, gazetteer=gazetteer).records
    assert len(records) == 1
    record = records[0]
    assert record.name == "Dongguan Songshan Lake Intelligent Robot Industrial Park"
    assert set(record.aliases) == {"Dongguan Songshan Lake Robot Industrial Park", "Dongguan Park"}
    assert (record.established, record.area_km2) == ("2024-04-28", 3.0)


def test_unreadable_articles_fail_with_a_clear_message(tmp_path, monkeypatch):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert read_article(empty).sentences == ()
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ArticleError, match="binary file"):
        read_article(binary)
    with pytest.raises(ArticleError, match="no such file"):
        read_article(tmp_path / "missing.txt")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(
        "钦州港经济技术开发区\n\n钦州港经济技术开发区位于广西钦州市。".encode("gb18030")
    )
    assert read_article(gbk).encoding == "gb18030"
    utf16 = tmp_path / "utf16.txt"
    utf16.write_text("Notes on zones\n\nThe Beihai Industrial Park opened.", encoding="utf-16")
    assert read_article(utf16).sentences
    monkeypatch.setattr(articles, "MAX_ARTICLE_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000)
    with pytest.raises(ArticleError, match="too large to be one article"):
        read_article(big)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            [
                *list("Aa Zz()-;,.\n0123456789\x00é钦"),
                "Park",
                "Zone",
                " and ",
                " of the ",
                "billion yuan",
                "square kilometers",
                "It ",
                "the park",
                "<p>",
                "Yulin",
                "Updated: ",
                "TITLE: ",
                "Group",
                "Management Committee",
            ]
        ),
        max_size=200,
    ).map("".join)
)
def test_junk_text_gives_a_result_or_a_clear_error(gazetteer, junk):
    try:
        result = extract(junk, gazetteer=gazetteer)
    except ArticleError:
        return
    for record in result.records:
        assert record.name
        for reading in record.readings:
            assert 0 <= reading.start <= reading.end <= len(result.article.text)


def test_extract_command_writes_candidates_that_build_maps(tmp_path):
    out = tmp_path / "review" / "candidates.csv"
    result = CliRunner().invoke(
        cli, ["extract", str(DATA / "articles" / "003_ba2da06112540458.txt"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["status"] for r in rows} == {"unreviewed"}
    assert (out.parent / "sources.csv").is_file()
    catalog = load_catalog(out, strict=True)
    assert len(catalog.parks) == len(rows) >= 8
    built = CliRunner().invoke(cli, ["build", "--catalog", str(out), "--out", str(tmp_path / "m")])
    assert built.exit_code == 0, built.output
    assert f"{len(rows)} mapped, none left out" in built.output


def test_extract_command_reports_an_unreadable_article_and_reads_the_others(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02")
    result = CliRunner().invoke(
        cli, ["extract", str(bad), str(DATA / "articles" / "002_3dc6340a84aabf9a.txt"),
              "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "bad.txt: a binary file" in result.output
    assert "Pearl River Science and Technology Innovation Park" in result.output


def test_merge_adds_new_parks_and_keeps_reviewed_values(tmp_path):
    catalog = tmp_path / "parks.csv"
    catalog.write_text(
        "id,name,kind,city,province,investment_cny,source\n"
        "qinzhou-port-etdz,China Qinzhou Port Economic and Technological Development Zone,"
        "development_zone,Qinzhou,Guangxi,30000000000,\n",
        encoding="utf-8",
    )
    article = tmp_path / "news.txt"
    article.write_text(UNSEEN.replace("signed 18 projects on Tuesday, with a total investment",
                                      "has a total investment"), encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(cli, ["extract", str(article), "--merge", str(catalog)])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in csv.DictReader(catalog.open(encoding="utf-8"))}
    assert rows["qinzhou-port-etdz"]["investment_cny"] == "30000000000"  # reviewed: kept
    assert "proposed qinzhou-port-etdz.investment_cny: 32 billion yuan" in result.output
    assert "added sino-singapore-nanning-international-logistics-park" in result.output
    assert rows["sino-singapore-nanning-international-logistics-park"]["status"] == "unreviewed"
    assert "1 sources added" in result.output or "source added" in result.output
    again = CliRunner().invoke(cli, ["extract", str(article), "--merge", str(catalog)])
    assert "0 added" in again.output  # one park reported twice stays one record


def test_spelling_variants_name_the_same_park():
    assert same_park(["Sino-Singapore Guangzhou Knowledge City"],
                     ["China-Singapore Guangzhou Knowledge City"])  # fmt: skip
    assert same_park(["Guangdong Hainan Advanced Manufacturing Cooperation Industrial Park"],
                     ["Hainan Advanced Manufacturing Industrial Park"])  # fmt: skip
    assert not same_park(["Guangzhou High-tech Zone"], ["Haikou National High-tech Zone"])


TWIN_PARKS = """Twin parks report progress

Updated: 2023-06-01

The China-Thailand Chongzuo Industrial Park (CTCIP) in Guangxi has signed 40 projects with a \
total investment of 12 billion yuan. CTCIP covers an area of 20 square kilometers, and its \
start-up area of 3 square kilometers is complete.
Its sister park, the Thailand-China Rayong Industrial Park, hosts 180 firms.
Among the new projects are the Chongzuo Sugar Refining Base and the Pingxiang Nut Processing \
Base. With an investment of 800 million yuan, the former will open next year; with an \
investment of 300 million yuan, the latter opened in May.
"""


def test_hosts_acronyms_parts_and_the_former_and_the_latter(gazetteer):
    records = {r.name: r for r in extract(TWIN_PARKS, gazetteer=gazetteer).records}
    assert len(records) == 4
    home = records["China-Thailand Chongzuo Industrial Park"]
    assert home.aliases == ["CTCIP"] and home.partners == ["Thailand"]
    assert (home.city, home.investment_cny, home.area_km2) == ("Chongzuo", 12e9, 20.0)  # not 3
    abroad = records["Thailand-China Rayong Industrial Park"]  # the first named is the host
    assert (abroad.country, abroad.city, abroad.province) == ("Thailand", None, None)
    assert records["Chongzuo Sugar Refining Base"].investment_cny == 800e6  # the former
    nuts = records["Pingxiang Nut Processing Base"]  # the latter, Guangxi's Pingxiang
    assert (nuts.investment_cny, nuts.county, nuts.city) == (300e6, "Pingxiang", "Chongzuo")
