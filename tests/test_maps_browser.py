"""The built maps in a real browser: Debian's Chromium, driven by Playwright, offline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser import CHROMIUM, chromium, open_page, open_table

from geoparks.building import build
from geoparks.catalog import load_catalog
from geoparks.schema import slugify

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"
MAPS = ["index", "greater-bay-area", "china-asean"]

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"CI is set but {CHROMIUM} is missing: `make test` installs chromium")
    pytest.skip(f"no browser at {CHROMIUM} (install Debian's chromium)", allow_module_level=True)
pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def maps(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("maps")
    build(out=out)
    return out


def _park_count(page) -> int:
    return page.evaluate("geoparks.maps.reduce((n, m) => n + m.parks.parkCount(), 0)")


@pytest.mark.parametrize("name", MAPS)
def test_map_loads_offline_with_every_park_and_no_errors(browser, maps, name):
    visit = open_page(browser, maps / f"{name}.html")
    page = visit.page
    page.wait_for_function(
        "geoparks.maps.length && geoparks.maps[0].map.getContainer().dataset.gpNodes"
    )
    assert visit.errors == []
    assert visit.failed == []
    assert _park_count(page) == len(load_catalog().parks) == 29
    assert page.locator(".gp-legend").count() == 2  # kinds and the choropleth
    page.wait_for_timeout(500)  # let tooltips and labels fade in
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")
    assert (SCREENSHOTS / f"{name}.png").stat().st_size > 20_000
    page.close()


def test_clicking_a_cluster_zooms_in_until_it_splits(browser, maps):
    page = open_page(browser, maps / "index.html").page
    zoom = page.evaluate("geoparks.maps[0].map.getZoom()")
    clusters = page.locator(".gp-cluster")
    assert clusters.count() >= 1
    clusters.first.click()
    page.wait_for_function(f"geoparks.maps[0].map.getZoom() > {zoom}")
    page.wait_for_timeout(400)
    nodes = page.evaluate("Number(geoparks.maps[0].map.getContainer().dataset.gpNodes)")
    assert nodes >= 2
    page.close()


def test_a_site_with_several_parks_lists_them(browser, maps):
    page = open_page(browser, maps / "index.html").page
    page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    open_table(page)  # the table marks the parks listed
    page.evaluate("void geoparks.maps[0].map.setView([24.4036, 111.5668], 17)")  # Hezhou's seat
    page.wait_for_timeout(300)
    page.locator(".gp-cluster").first.click()
    items = page.locator(".gp-list li")
    items.first.wait_for()
    assert items.count() == 4
    assert "Hezhou Health Yungang Industrial Park" in page.locator(".gp-list").inner_text()
    assert page.locator(".gp-table tr.gp-listed").count() == 4
    items.filter(has_text="Yungang").locator("a").click()
    assert "10 billion yuan" in page.locator(".gp-popup").inner_text()
    page.close()


def test_search_opens_a_popup_with_name_money_and_source(browser, maps):
    page = open_page(browser, maps / "greater-bay-area.html").page
    page.fill(".gp-search input", "digital hezhou")
    hit = page.locator(".gp-hit")
    hit.first.wait_for()
    assert hit.count() == 1
    hit.first.click()
    popup = page.locator(".gp-popup")
    popup.wait_for()
    text = popup.inner_text()
    assert "Guangxi Digital Hezhou Industrial Park" in text
    assert "5 billion yuan (US$723.57 million)" in text
    assert "Hezhou industrial parks driving development" in text  # the source's title
    assert "2018-10-17" in text
    assert "Beyondsoft" in text  # the evidence sentence
    assert "linked to Guangdong-Hong Kong-Macao Greater Bay Area" in text
    page.close()


def test_search_finds_chinese_names(browser, maps):
    page = open_page(browser, maps / "index.html").page
    zh = load_catalog().parks["name_zh"].dropna().iloc[0]
    page.fill(".gp-search input", zh)
    page.locator(".gp-hit").first.wait_for()
    assert zh in page.locator(".gp-search").inner_text()
    page.close()


def test_toggling_layers_hides_them_and_their_legends(browser, maps):
    from playwright.sync_api import expect

    page = open_page(browser, maps / "china-asean.html").page
    control = page.locator(".leaflet-control-layers")
    legends, countries = page.locator(".gp-legend"), page.locator(".gp-country")
    expect(legends).to_have_count(2)
    expect(countries).to_have_count(11)
    control.get_by_text("Parks", exact=True).click()
    expect(page.locator(".gp-cluster")).to_have_count(0)
    assert page.evaluate("geoparks.maps[0].map.hasLayer(geoparks.maps[0].parks)") is False
    expect(legends).to_have_count(1)
    control.get_by_text("ASEAN countries").click()
    expect(countries).to_have_count(0)
    control.get_by_text("Parks per province").click()
    expect(legends).to_have_count(0)
    control.get_by_text("Parks", exact=True).click()
    expect(page.locator(".gp-cluster")).not_to_have_count(0)
    expect(legends).to_have_count(1)
    page.close()


def test_links_are_arrows_to_partner_cities(browser, maps):
    page = open_page(browser, maps / "greater-bay-area.html").page
    links = page.locator("path.gp-link")
    assert links.count() >= 1
    assert links.first.get_attribute("marker-end") == "url(#gp-arrow)"
    page.close()


HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "\"'><svg onload=alert(3)>",
]


def test_hostile_names_render_as_text_and_run_nothing(browser, write_csv, tmp_path):
    from playwright.sync_api import expect

    rows = "".join(f'"{name.replace(chr(34), chr(34) * 2)}",Nanning\n' for name in HOSTILE)
    catalog = write_csv("name,city\n" + rows + '"<b>Bold</b> & Co park",Qinzhou\n')
    build(catalog, tmp_path / "maps")
    visit = open_page(browser, tmp_path / "maps" / "china-asean.html")
    page = visit.page
    assert _park_count(page) == 4
    for name in HOSTILE:
        page.fill(".gp-search input", name[:12])
        page.locator(".gp-hit").first.wait_for()
        assert name in page.locator(".gp-search ul").inner_text()
        page.locator(".gp-hit").first.click()
        expect(page.locator(".gp-popup h3").last).to_have_text(name)
    page.locator(".gp-cluster").first.hover()
    page.wait_for_timeout(200)
    assert page.locator(".leaflet-popup img, .leaflet-tooltip img, .gp-search img").count() == 0
    assert page.locator("svg[onload]").count() == 0
    assert visit.dialogs == []
    assert visit.errors == []
    page.close()


def test_a_users_own_columns_show_in_popups_and_the_legend_counts_what_is_left_out(
    browser, tmp_path, write_csv
):
    catalog = write_csv(
        "编号,名称,省份,城市,级别,批准时间\n"
        "A-1,钦州港经济技术开发区,广西,钦州,国家级,2010.12\n"
        "A-2,某某工业园,广西,亚特兰蒂斯,省级,2001\n"
    )
    with pytest.warns(UserWarning, match="1 mapped, 1 left out"):
        build(catalog, out=tmp_path, tiles=None)
    visit = open_page(browser, tmp_path / "index.html")
    page = visit.page
    page.wait_for_function("geoparks.maps.length")
    assert visit.errors == []
    missing = page.locator(".gp-legend-missing").inner_text()
    assert missing == "1 record is not shown: see rejected.csv"
    page.evaluate("geoparks.openPark(geoparks.maps[0].map, geoparks.maps[0].parks.data, 0)")
    popup = page.locator(".gp-popup")
    popup.wait_for()
    text = popup.inner_text()
    assert "级别\t国家级" in text and "Established\t2010-12" in text
    page.close()


@pytest.mark.parametrize(("rows", "parks"), [("", 0), ("Hezhou Park,Hezhou\n", 1)])
def test_empty_and_one_park_catalogs_build_pages_that_work(
    browser, write_csv, tmp_path, rows, parks
):
    out = tmp_path / "out"
    build(write_csv("name,city\n" + rows), out=out)
    for name in ("index", "greater-bay-area"):
        visit = open_page(browser, out / f"{name}.html")
        page = visit.page
        page.wait_for_function("geoparks.maps.length")
        assert visit.errors == []
        assert _park_count(page) == parks
        assert page.locator(".leaflet-control-layers").count() == 1
        page.fill(".gp-search input", "hezhou")
        page.wait_for_timeout(300)
        assert page.locator(".gp-hit").count() == parks
        assert visit.errors == []
        page.close()


def test_the_page_api_filters_selects_and_keeps_its_state_in_the_url(browser, maps):
    visit = open_page(browser, maps / "index.html")
    page = visit.page
    page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    parks = load_catalog().parks
    assert page.evaluate("geoparks.count()") == len(parks)
    projects = int((parks["kind"] == "project").sum())
    assert page.evaluate("geoparks.filter({kind: ['project']})") == projects
    assert _park_count(page) == projects
    years = parks["established"].dropna().str[:4].astype(int)
    assert page.evaluate("geoparks.filter({established: [2010, 2020]})") == int(
        ((years >= 2010) & (years <= 2020)).sum()
    )
    assert page.evaluate("geoparks.filter({})") == len(parks)
    park_id = "guangxi-digital-hezhou-industrial-park"
    assert page.evaluate(f"geoparks.select({park_id!r})") is True
    assert "Guangxi Digital Hezhou" in page.locator(".gp-popup h3").inner_text()
    page.evaluate("geoparks.filter({kind: ['project']})")
    state = page.evaluate("geoparks.state()")
    assert state["filter"] == {"kind": ["project"]} and state["park"] == park_id
    shared = page.evaluate("location.href")
    other = browser.new_page()
    other.goto(shared)
    other.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    other.wait_for_function("geoparks.state().park !== null")
    assert other.evaluate("geoparks.count()") == projects
    assert other.evaluate("geoparks.state().filter") == {"kind": ["project"]}
    page.go_back()  # the filter before: none
    page.wait_for_function(f"geoparks.count() === {len(parks)}")
    assert visit.errors == []
    other.close()
    page.close()


def test_the_filter_panel_counts_kinds_and_follows_clicks(browser, maps):
    page = open_page(browser, maps / "china-asean.html").page
    page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    page.locator(".gp-filters summary").click()
    kinds = page.locator(".gp-facet").first
    first = kinds.locator("label").first
    label = first.inner_text()
    shown = int(label.rsplit("(", 1)[1].rstrip(")"))
    first.locator("input").check()
    page.wait_for_function(f"geoparks.count() === {shown}")
    assert page.locator(".gp-count").inner_text().startswith(f"{shown} of 29 parks shown")
    page.locator(".gp-clear").click()
    page.wait_for_function("geoparks.count() === 29")
    invest = load_catalog().parks["investment_cny"]
    page.fill(".gp-investment_cny-from", "5")  # billion yuan
    page.locator(".gp-investment_cny-from").dispatch_event("change")
    page.wait_for_function(f"geoparks.count() === {int((invest >= 5e9).sum())}")
    assert page.evaluate("geoparks.state().filter") == {"investment_cny": [5e9, None]}
    page.close()


@pytest.mark.parametrize(
    ("query", "found"),
    [("shenzen", "Shenzhen"), ("qinzhou", "Qinzhou"), ("钦州", "Qinzhou"), ("HEZHOU", "Hezhou"),
     ("Guang-xi", "Guangxi")],
)  # fmt: skip
def test_search_finds_places_despite_case_hyphens_and_a_typo(browser, maps, query, found):
    page = open_page(browser, maps / "index.html").page
    page.fill(".gp-search input", query)
    page.locator(".gp-hit").first.wait_for()
    assert found in page.locator(".gp-search").inner_text()
    page.close()


def test_a_chinese_only_name_is_printed_once_in_its_popup(browser, write_csv, tmp_path):
    out = tmp_path / "out"
    build(write_csv("id,name,name_zh,city\nhz,贺州数字产业园,贺州数字产业园,Hezhou\n"), out=out)
    page = open_page(browser, out / "index.html").page
    page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    assert page.evaluate("geoparks.select('hz')") is True
    assert page.locator(".gp-popup").inner_text().count("贺州数字产业园") == 1
    page.close()


def test_the_table_lists_what_is_shown_sorts_flies_and_downloads(browser, maps):
    import json

    visit = open_page(browser, maps / "index.html")
    page = visit.page
    page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    open_table(page)
    rows = page.locator(".gp-table tr.gp-row")
    assert rows.count() == 29
    page.locator(".gp-table th[data-column=year]").click()
    page.locator(".gp-table th[data-column=year]").click()  # newest first
    years = load_catalog().parks["established"].dropna().str[:4]
    assert rows.first.inner_text().split("\t")[4] == max(years)
    projects = page.evaluate("geoparks.filter({kind: ['project']})")
    assert rows.count() == projects
    with page.expect_download() as csv_download:
        page.locator(".gp-download-csv").click()
    lines = Path(csv_download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,name,name_zh,kind") and len(lines) == projects + 1
    assert all(",project," in line for line in lines[1:])
    with page.expect_download() as geojson_download:
        page.locator(".gp-download-geojson").click()
    text = Path(geojson_download.value.path()).read_text(encoding="utf-8")
    features = json.loads(text)["features"]
    assert len(features) == projects and features[0]["geometry"]["type"] == "Point"
    name = rows.first.inner_text().split("\t")[0]
    rows.first.click()
    page.locator(".gp-popup h3").wait_for()
    assert page.locator(".gp-popup h3").inner_text() == name
    assert page.evaluate("geoparks.state().park") in {f["id"] for f in features}
    assert visit.errors == []
    page.close()


def test_the_table_keeps_only_the_rows_in_view_and_moves_by_keyboard(browser, write_csv, tmp_path):
    cities = ["Nanning", "Qinzhou", "Beihai", "Hezhou", "Zhaoqing", "Haikou"]
    rows = "".join(f"Park {n:04d},{cities[n % len(cities)]}\n" for n in range(1500))
    build(write_csv("name,city\n" + rows), tmp_path / "maps")
    visit = open_page(browser, tmp_path / "maps" / "index.html")
    page = visit.page
    page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    open_table(page)
    assert page.locator(".gp-table summary").inner_text() == "Table of parks shown (1500)"
    rows_in_page = page.locator(".gp-table tr.gp-row")
    assert 10 < rows_in_page.count() < 80  # only what is in view, and a few around it
    assert rows_in_page.first.inner_text().startswith("Park 0000")
    page.locator(".gp-table-scroll").evaluate("s => { s.scrollTop = s.scrollHeight; }")
    page.wait_for_function(
        "[...document.querySelectorAll('.gp-table tr.gp-row')].pop()?.innerText"
        ".startsWith('Park 1499')"
    )
    page.locator(".gp-table-scroll").evaluate("s => { s.scrollTop = 0; }")
    page.wait_for_function("document.querySelector('.gp-table tr.gp-row').dataset.k === '0'")
    rows_in_page.first.focus()
    for _ in range(30):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.innerText").startswith("Park 0030")
    page.keyboard.press("Enter")
    page.locator(".gp-popup h3").wait_for()
    assert page.locator(".gp-popup h3").inner_text() == "Park 0030"
    assert visit.errors == []
    page.close()


def test_search_results_are_reached_and_chosen_with_the_keyboard(browser, maps):
    visit = open_page(browser, maps / "index.html")
    page = visit.page
    page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    page.locator(".gp-search input").focus()
    page.keyboard.type("nanning")
    page.locator(".gp-hit").nth(1).wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = page.locator(".gp-hit").nth(1).inner_text()
    assert page.evaluate("document.activeElement.innerText") == second
    page.keyboard.press("Enter")
    page.locator(".gp-popup h3").wait_for()
    assert page.locator(".gp-popup h3").inner_text() in second
    assert visit.errors == []
    page.close()


def test_a_phone_sized_page_folds_its_controls_and_plays_the_years(browser, maps):
    visit = open_page(browser, maps / "index.html", width=390, height=844)
    page = visit.page
    page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    layers = page.locator(".leaflet-control-layers")
    page.wait_for_function("document.querySelector('.leaflet-control-layers .gp-toggle')")
    assert "gp-folded" in layers.get_attribute("class")
    assert page.evaluate("[...document.querySelectorAll('.gp-legend')].some(d => d.open)") is False
    page.locator(".gp-toggle").click()
    assert "gp-folded" not in layers.get_attribute("class")
    page.locator(".gp-filters summary").click()
    page.locator(".gp-play").click()
    first = int(load_catalog().parks["established"].dropna().str[:4].min())
    page.wait_for_function(f"geoparks.state().filter.established[1] > {first}")
    assert page.evaluate("geoparks.state().filter.established[0]") is None
    page.locator(".gp-play").click()  # stop
    assert page.locator(".gp-play").inner_text() == "▶ Play years"
    assert visit.errors == []
    page.close()


def test_the_year_slider_moves_with_the_mouse_and_the_keyboard(browser, maps):
    visit = open_page(browser, maps / "index.html")
    page = visit.page
    page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    page.locator(".gp-filters summary").click()
    years = load_catalog().parks["established"].dropna().str[:4].astype(int)
    page.locator(".gp-year-to").fill("2015")
    page.wait_for_function("geoparks.state().filter.established?.[1] === 2015")
    assert page.evaluate("geoparks.count()") == int((years <= 2015).sum())
    assert page.locator(".gp-established-to").input_value() == "2015"
    page.locator(".gp-year-from").focus()
    page.keyboard.press("End")  # from the last year: the "to" end moves along
    last = int(years.max())
    page.wait_for_function(f"geoparks.state().filter.established?.[0] === {last}")
    assert page.evaluate("geoparks.count()") == int((years == last).sum())
    page.locator(".gp-clear").click()
    assert page.locator(".gp-year-to").input_value() == str(last)
    assert visit.errors == []
    page.close()


def test_the_parks_choropleth_follows_the_filter(browser, maps):
    page = open_page(browser, maps / "index.html").page
    page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    filled = """() => [...document.querySelectorAll('.leaflet-overlay-pane path')]
        .filter(p => p.getAttribute('fill') && !['#f7f7f7', 'none'].includes(p.getAttribute('fill'))
                && p.getAttribute('stroke') === '#777').length"""
    assert page.evaluate(filled) == 3  # Guangdong, Guangxi, Hainan
    page.evaluate("geoparks.filter({province: ['Hainan']})")
    assert page.evaluate(filled) == 1
    page.evaluate("geoparks.filter({})")
    assert page.evaluate(filled) == 3
    page.close()


def test_region_labels_never_cover_a_cluster(browser, maps):
    page = open_page(browser, maps / "china-asean.html").page
    page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    overlaps = """() => {
      const markers = [...document.querySelectorAll('.gp-cluster')]
        .map(m => m.getBoundingClientRect());
      const labels = [...document.querySelectorAll('.gp-label')]
        .filter(l => l.style.visibility !== 'hidden').map(l => l.getBoundingClientRect());
      return labels.filter(l => markers.some(m => m.left < l.right && m.right > l.left
                                               && m.top < l.bottom && m.bottom > l.top)).length;
    }"""
    hidden = 0
    for lat, lon in [(22.8, 108.3), (21.9, 108.6), (23.1, 113.3), (22.6, 110.1)]:
        for zoom in (5, 6, 7, 8):
            page.evaluate(
                f"void geoparks.maps[0].map.setView([{lat}, {lon}], {zoom}, {{animate: false}})"
            )
            page.wait_for_timeout(50)
            assert page.evaluate(overlaps) == 0, (lat, lon, zoom)
            hidden += page.evaluate(
                "[...document.querySelectorAll('.gp-label')].filter(l => l.style.visibility"
                " === 'hidden').length"
            )
    assert hidden > 0  # some label did give way
    page.close()


def test_popup_fields_choose_and_order_what_a_popup_shows(browser, write_csv, tmp_path):
    from click.testing import CliRunner

    from geoparks.cli import cli

    catalog = write_csv("id,name,city,level,investment_cny\nhz,Hezhou Park,Hezhou,national,5e9\n")
    out = tmp_path / "out"
    args = ["build", "--catalog", str(catalog), "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "--popup-fields", "level, investment_cny"])
    assert result.exit_code == 0, result.output
    page = open_page(browser, out / "index.html").page
    page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    page.evaluate("geoparks.select('hz')")
    rows = page.locator(".gp-popup th").all_inner_texts()
    assert rows == ["level", "Investment"]  # not City, in the order asked
    page.close()
    wrong = CliRunner().invoke(cli, [*args, "--popup-fields", "levle"])
    assert wrong.exit_code == 1
    assert "popup field 'levle' is unknown (choose from county, city," in wrong.output
    assert wrong.output.rstrip().endswith("notes, level)")


def test_a_map_made_in_python_opens_with_a_filter(browser, tmp_path):
    import geoparks

    parks = load_catalog().parks
    folium_map = geoparks.overview_map(tiles=None, filter={"kind": ["project"]})
    path = geoparks.save_map(folium_map, tmp_path / "projects.html")
    page = open_page(browser, path).page
    page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    projects = int((parks["kind"] == "project").sum())
    page.wait_for_function(f"geoparks.count() === {projects}")
    assert page.evaluate("geoparks.state().filter") == {"kind": ["project"]}
    page.close()


def test_parks_at_points_of_their_own_are_drawn_where_they_are(browser, write_csv, tmp_path):
    # Every park at a point of its own (the page packs such points), one south of the equator.
    rows = [("Jakarta Park", "", "Indonesia", -6.2088, 106.8456)]
    rows += [(f"Park {n}", "Guangxi", "", round(22.0 + n * 0.01, 4), round(108.0 + n * 0.013, 4))
             for n in range(40)]  # fmt: skip
    text = "".join(
        f"{name},{province},{country},{lat},{lon}\n" for name, province, country, lat, lon in rows
    )
    build(write_csv("name,province,country,lat,lon\n" + text), tmp_path / "maps")
    visit = open_page(browser, tmp_path / "maps" / "index.html")
    page = visit.page
    page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    assert page.evaluate("geoparks.count()") == len(rows)
    for name, _, _, lat, lon in (rows[0], rows[1], rows[-1]):
        assert page.evaluate(f"geoparks.select({slugify(name)!r})") is True
        page.wait_for_function(f"geoparks.state().park === {slugify(name)!r}")
        center = page.evaluate("geoparks.maps[0].map.getCenter()")
        assert abs(center["lat"] - lat) < 1e-3 and abs(center["lng"] - lon) < 1e-3, name
    assert visit.errors == []
    page.close()


def test_a_park_alone_is_a_dot_named_on_hover_and_opened_by_a_click(browser, write_csv, tmp_path):
    from playwright.sync_api import expect

    rows = "Nanning Dot Park,Guangxi,22.8170,108.3669\nBeihai Dot Park,Guangxi,21.4811,109.1201\n"
    build(write_csv("name,province,lat,lon\n" + rows), tmp_path / "maps")
    visit = open_page(browser, tmp_path / "maps" / "index.html")
    page = visit.page
    page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    page.evaluate("void geoparks.maps[0].map.setView([22.2, 108.7], 8, {animate: false})")
    dots = page.locator(".gp-dot")
    expect(dots).to_have_count(2)
    dots.first.hover()
    page.locator(".gp-tip").wait_for()
    named = page.locator(".gp-tip").inner_text()
    assert "Dot Park" in named
    dots.first.click()
    page.locator(".gp-popup h3").wait_for()
    assert page.locator(".gp-popup h3").inner_text() in named
    assert visit.errors == []
    page.close()


def test_a_map_in_a_notebook_unpacks_and_keeps_its_controls(browser, tmp_path):
    import geoparks

    output = geoparks.region_map("greater-bay-area", tiles=None)._repr_html_()
    host = tmp_path / "notebook.html"  # a notebook's output area holds folium's frame
    host.write_text(f"<!DOCTYPE html><html><body><h1>Out [3]</h1>{output}</body></html>")
    visit = open_page(browser, host)
    page = visit.page
    page.wait_for_function(
        "() => { const w = document.querySelector('iframe').contentWindow;"
        " return w.geoparks && w.geoparks.maps.length && w.geoparks.maps[0].page; }"
    )
    frame = page.frames[1]
    assert frame.url == "about:srcdoc"
    assert frame.evaluate("geoparks.count()") == 29
    frame.evaluate("geoparks.filter({kind: ['project']})")  # no address to keep it in: no error
    projects = int((load_catalog().parks["kind"] == "project").sum())
    assert frame.evaluate("geoparks.count()") == projects
    assert frame.evaluate("geoparks.state().filter") == {"kind": ["project"]}
    open_table(frame)
    frame.locator(".gp-table tr.gp-row").first.click()
    frame.locator(".gp-popup h3").wait_for()
    assert visit.errors == []
    page.close()


def test_provinces_are_drawn_where_the_boundaries_are(browser, maps):
    import shapely

    import geoparks

    page = open_page(browser, maps / "index.html").page
    page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    drawn = page.evaluate(
        """() => {
        let provinces = null;
        geoparks.maps[0].map.eachLayer((layer) => {
          if (layer instanceof L.GeoJSON && layer.getLayers().length === 34) provinces = layer;
        });
        return provinces.getLayers().map((path) => path.feature.geometry);
        }"""
    )
    boundaries = geoparks.load_boundaries("province").geometry.values
    assert len(drawn) == len(boundaries)
    for geometry, boundary in zip(drawn, boundaries, strict=True):
        shape = shapely.make_valid(shapely.geometry.shape(geometry))
        assert shape.within(boundary.buffer(0.001))
        # only islets of under 0.1 km² can fall between the lines of the page's grid
        kept = shapely.MultiPolygon([p for p in shapely.get_parts(boundary) if p.area > 1e-5])
        assert kept.within(shape.buffer(0.001))
        assert abs(shape.area - boundary.area) < boundary.length * 0.0005  # half a step
    page.close()


def test_parks_just_beyond_the_view_are_drawn_after_it_for_a_drag(browser, write_csv, tmp_path):
    rows = "In View Park,Guangxi,22.8170,108.3669\nBeyond The Edge Park,Guangxi,22.8170,109.5\n"
    build(write_csv("name,province,lat,lon\n" + rows), tmp_path / "maps")
    page = open_page(browser, tmp_path / "maps" / "index.html").page
    page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
    drawn_at_once = page.evaluate(
        """() => {
        const map = geoparks.maps[0].map;
        map.setView([22.8170, 108.3669], 10, {animate: false});  // Beyond is 0.4 views east
        return document.querySelectorAll('.gp-dot').length;
        }"""
    )
    assert drawn_at_once == 1  # the view first
    page.wait_for_function("document.querySelectorAll('.gp-dot').length === 2")
    box = page.evaluate("geoparks.maps[0].map.getContainer().getBoundingClientRect().right")
    assert page.locator(".gp-dot").nth(1).bounding_box()["x"] > box
    page.mouse.move(900, 400)  # a drag west brings it into view, already drawn
    page.mouse.down()
    page.mouse.move(500, 400, steps=5)
    assert page.locator(".gp-dot").nth(1).bounding_box()["x"] < box
    page.mouse.up()
    page.close()
