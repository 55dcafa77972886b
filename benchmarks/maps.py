"""Maps at scale: build + save time, HTML bytes per park, first render in headless Chromium.

Run: ``.venv/bin/python benchmarks/maps.py [--sizes 20000 100000] [--folium-max 20000]``
(needs the ``bench`` extra and Debian's /usr/bin/chromium; the supercluster peer
needs npm, which installs ``supercluster`` into ``~/.cache/geoparks-bench`` once).

Peers, in the same run on the same parks: a minimal Leaflet page clustering with
supercluster (Mapbox's library, from npm; issue 15), and folium's MarkerCluster.
Measured for each page: first render (until the first cluster icon is in the
page), a zoom step and a pan (until the layer has redrawn; a zoom step also until
the frame is painted), the JS heap in use
after the first render (Chromium's ``Runtime.getHeapUsage``), and for geoparks
a filter change (``geoparks.filter`` until the next frame). Issue 15's targets:
first render and zoom step no slower than supercluster's, JS heap at most
twice its, a filter change under 100 ms at 100,000 parks, at most 100 bytes of
HTML per park with full popups.

Targets (issue 5): 20,000 parks build and save in under 1.5 s, under 150 bytes
of HTML per park, first clustered render under 0.6 s; 100,000 parks first
render under 1.5 s, with zooming and panning smooth. The baseline, measured in
the same run on the same parks, is folium's MarkerCluster with one Marker
(popup and tooltip) per park, its scripts inlined the same way.

The synthetic parks sit at the seats of random prefecture-level cities, or at
a random county seat of that city (a third of them). Every popup field is
filled: unique English and Chinese names, kind, status, county, city,
province, investment in yuan and dollars, output, area, industries, partners,
regions and the source article. The evidence sentence is drawn from the 29
sentences of the shipped catalog, so it is stored once per distinct sentence;
a catalog whose every park quotes its own sentence adds that sentence's length
(369 bytes on average in the shipped catalog) per park.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from folium.plugins import MarkerCluster

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser import chromium, open_page

import geoparks
from geoparks.gazetteer import Gazetteer
from geoparks.render.page import _ASSETS, GeoparksMap, asset_text, save_map
from geoparks.render.parks import ParkLayer, encode_parks
from geoparks.schema import KINDS, STATUSES

INDUSTRIES = [
    "electronics", "biomedicine", "new energy vehicles", "logistics", "software",
    "new materials", "equipment manufacturing", "agricultural processing", "tourism",
    "digital economy", "petrochemicals", "textiles",
]  # fmt: skip
SYLLABLES = ["hua", "xin", "long", "feng", "an", "kai", "sheng", "tai", "yuan", "ming"]
HANZI = "华新龙丰安凯盛泰源明科创智汇联港湾东南西北"


def synthetic(n: int, seed: int = 0, jitter: float = 0.0) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Joined parks (as :func:`geoparks.join` returns) and their sources table.

    ``jitter`` moves each park by up to that many degrees, so that no two share a point.
    """
    rng = np.random.default_rng(seed)
    gazetteer = Gazetteer.load()
    cities = [p for p in gazetteer.places if p.level == "city"]
    counties: dict[str, list] = {}
    for place in gazetteer.places:
        if place.level == "county" and place.city:
            counties.setdefault(place.city, []).append(place)
    real = geoparks.load_catalog().parks
    evidence = real["evidence"].tolist()
    kinds, statuses = list(KINDS), list(STATUSES)
    rows = []
    for i in range(n):
        city = cities[rng.integers(len(cities))]
        county = None
        if rng.random() < 1 / 3 and counties.get(city.adcode):
            county = counties[city.adcode][rng.integers(len(counties[city.adcode]))]
        at = county or city
        word = "".join(SYLLABLES[k] for k in rng.integers(len(SYLLABLES), size=2)).capitalize()
        investment = float(rng.integers(1, 500)) * 1e8
        rows.append(
            {
                "id": f"park-{i}",
                "name": f"{city.name_en} {word} Industrial Park {i}",
                "name_zh": "".join(HANZI[k] for k in rng.integers(len(HANZI), size=4))
                + f"产业园{i}",
                "kind": kinds[rng.integers(len(kinds))],
                "status": statuses[rng.integers(len(statuses))],
                "province_adcode": city.province,
                "city_adcode": city.adcode,
                "county_adcode": county.adcode if county else None,
                "investment_cny": investment,
                "investment_usd": investment / 7.2 if rng.random() < 0.3 else np.nan,
                "output_cny": float(rng.integers(1, 900)) * 1e8 if rng.random() < 0.5 else np.nan,
                "area_km2": float(rng.integers(1, 300)) / 10 if rng.random() < 0.6 else np.nan,
                "industries": [INDUSTRIES[k] for k in rng.choice(12, 2, replace=False)],
                "partners": ["Shenzhen"] if rng.random() < 0.2 else [],
                "regions": ["greater-bay-area"] if city.province == "440000" else [],
                "linked_regions": [],
                "source": f"article-{rng.integers(400)}",
                "evidence": evidence[rng.integers(len(evidence))],
                "notes": None,
                "precision": "county" if county else "city",
                "lat": at.lat,
                "lon": at.lon,
                "partner_adcodes": [],
            }
        )
    frame = pd.DataFrame(rows).set_index("id")
    if jitter:
        frame["lat"] += rng.uniform(-jitter, jitter, n)
        frame["lon"] += rng.uniform(-jitter, jitter, n)
    parks = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame.lon, frame.lat), crs=4326)
    sources = pd.DataFrame(
        {
            "title": [f"Province speeds up industrial park building, part {k}" for k in range(400)],
            "published": [f"20{18 + k % 7}-0{1 + k % 9}-1{k % 10}" for k in range(400)],
            "url": [f"https://example.com/news/{k}.html" for k in range(400)],
        },
        index=[f"article-{k}" for k in range(400)],
    )
    return parks, sources


def geoparks_page(parks: gpd.GeoDataFrame, sources: pd.DataFrame, path: Path) -> float:
    """Build and save a page with only our clustered park layer; return seconds."""
    start = time.perf_counter()
    folium_map = GeoparksMap(location=[35, 105], zoom_start=4, max_zoom=18, tiles=None)
    ParkLayer(encode_parks(parks, sources)).add_to(folium_map)
    save_map(folium_map, path)
    return time.perf_counter() - start


def _popup_html(park: pd.Series, source: pd.Series) -> str:
    money = geoparks.format_money(park.investment_cny)
    return (
        f"<b>{park['name']}</b><br>{park.name_zh}<br>{park.kind}, {park.status}<br>"
        f"{park.city_adcode} {park.county_adcode or ''} {park.province_adcode}<br>"
        f"Investment: {money}<br>Industries: {'; '.join(park.industries)}<br>"
        f"Source: {source.title} ({source.published})<br><i>{park.evidence}</i>"
    )


def folium_page(parks: gpd.GeoDataFrame, sources: pd.DataFrame, path: Path) -> float:
    """Build and save folium's MarkerCluster page of the same parks; return seconds."""
    start = time.perf_counter()
    # Leaflet.markercluster needs the map's maxZoom, which folium sets on tile layers only
    folium_map = folium.Map(location=[35, 105], zoom_start=4, tiles=None, maxZoom=18)
    cluster = MarkerCluster().add_to(folium_map)
    for park in parks.itertuples():
        row = parks.loc[park.Index]
        folium.Marker(
            [park.lat, park.lon],
            popup=folium.Popup(_popup_html(row, sources.loc[park.source]), max_width=360),
            tooltip=park.name,
        ).add_to(cluster)
    folium_map.save(path)
    html = path.read_text(encoding="utf-8")
    for url in _ASSETS:  # the same offline footing as ours
        tag = f'<script src="{url}"></script>'
        html = html.replace(
            tag, "<script>" + asset_text(url).replace("</script", "<\\/script") + "</script>"
        )
        html = re.sub(
            rf'<link rel="stylesheet" href="{re.escape(url)}"\s*/>',
            lambda _m, u=url: "<style>" + asset_text(u) + "</style>",
            html,
        )
    path.write_text(html, encoding="utf-8")
    return time.perf_counter() - start


SUPERCLUSTER = "supercluster@8.0.1"


def supercluster_script() -> str:
    """The supercluster library from npm, installed for this benchmark only."""
    import os
    import subprocess

    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "geoparks-bench"
    script = cache / "node_modules" / "supercluster" / "dist" / "supercluster.min.js"
    if not script.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(cache), "--no-audit", "--no-fund",
                        "--silent", SUPERCLUSTER], check=True)  # fmt: skip
    return script.read_text(encoding="utf-8")


def supercluster_page(parks: gpd.GeoDataFrame, path: Path, radius: int = 40) -> float:
    """Write a minimal Leaflet page clustering the parks with supercluster; return seconds.

    Written by hand, as small as such a page gets: the points as one flat array,
    an index of them, and the clusters of the view drawn as Leaflet divIcons on
    every ``moveend``; a popup with the name on a click. Clustered as geoparks
    clusters: ``radius`` screen pixels (40) and maxZoom 16. Supercluster measures
    its radius against a tile ``extent`` (512 by default, Mapbox's tiles), and
    Leaflet's tiles are 256 pixels: its defaults, radius 40 and extent 512,
    cluster within 20 pixels of a Leaflet map, so they draw about twice as many
    clusters as geoparks does. The page gives supercluster an extent of 256.
    """
    import json

    start = time.perf_counter()
    from geoparks.render.page import LEAFLET_CSS, LEAFLET_JS

    xy = np.column_stack([parks.lon.to_numpy(), parks.lat.to_numpy()]).round(4).ravel()
    names = json.dumps(parks["name"].tolist(), ensure_ascii=False)
    page = f"""<!doctype html><html><head><meta charset="utf-8">
<style>{asset_text(LEAFLET_CSS)}
html, body, #map {{ height: 100%; margin: 0; }}
.sc-cluster {{ background: #3182bd; color: #fff; border-radius: 50%; text-align: center;
  line-height: 30px; font: 12px sans-serif; }}
.sc-point {{ background: #e6550d; border-radius: 50%; }}</style>
<script>{asset_text(LEAFLET_JS)}</script>
<script>{supercluster_script()}</script></head><body><div id="map"></div><script>
var xy = {json.dumps(xy.tolist())}, names = {names};
var features = new Array(xy.length / 2);
for (var i = 0; i < features.length; i++) {{
  features[i] = {{type: "Feature", properties: {{i: i}},
                 geometry: {{type: "Point", coordinates: [xy[2 * i], xy[2 * i + 1]]}}}};
}}
var index = new Supercluster({{radius: {radius}, extent: 256, maxZoom: 16}}).load(features);
var map = L.map("map", {{maxZoom: 18}}).setView([35, 105], 4);
var layer = L.layerGroup().addTo(map);
function draw() {{
  layer.clearLayers();
  var b = map.getBounds();
  index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], map.getZoom())
    .forEach(function (f) {{
      var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]], p = f.properties;
      var icon = p.cluster
        ? L.divIcon({{className: "sc-cluster", html: String(p.point_count), iconSize: [30, 30]}})
        : L.divIcon({{className: "sc-point", iconSize: [10, 10]}});
      var marker = L.marker(ll, {{icon: icon}}).addTo(layer);
      if (!p.cluster) marker.bindPopup(names[p.i]);
    }});
}}
map.on("moveend", draw);
draw();
window.geoparks = {{maps: [{{map: map}}]}};
</script></body></html>"""
    path.write_text(page, encoding="utf-8")
    return time.perf_counter() - start


def heap_mb(visit) -> float:
    """Megabytes of JS heap in use, after a garbage collection."""
    session = visit.page.context.new_cdp_session(visit.page)
    session.send("HeapProfiler.collectGarbage")
    used = session.send("Runtime.getHeapUsage")["usedSize"]
    session.detach()
    return used / 1e6


def filter_change(visit) -> float:
    """Median milliseconds of a filter change (one kind kept, then none) until the next frame."""
    script = """async (spec) => {
        const t0 = performance.now();
        geoparks.filter(spec);
        await new Promise(resolve => requestAnimationFrame(() => resolve()));
        return performance.now() - t0;
    }"""
    times = []
    for _ in range(4):
        times.append(visit.page.evaluate(script, {"kind": ["industrial_park"]}))
        times.append(visit.page.evaluate(script, {}))
    return float(np.median(times))


def first_render(browser, path: Path, selector: str) -> tuple[float, object]:
    """Milliseconds from navigation start until the first cluster icon is in the page."""
    visit = open_page(browser, path)
    visit.page.wait_for_function(
        f"document.querySelector({selector!r})", polling="raf", timeout=120_000
    )
    elapsed = visit.page.evaluate("performance.now()")
    if visit.errors:
        print(f"    console errors on {path.name}: {visit.errors[:3]}")
    return elapsed, visit


def interaction(visit) -> tuple[float, float, float]:
    """Median milliseconds of a zoom step and of a pan, each until the layer has redrawn
    (the next animation frame, before the browser styles and paints it), and of a zoom
    step until that frame is painted (a task after it)."""
    zoom_times, painted_times, pan_times = [], [], []
    page = visit.page
    script = """async ([action, painted]) => {
        const m = geoparks.maps[0].map;
        const done = new Promise(resolve => m.once('moveend', () => requestAnimationFrame(
            () => painted ? setTimeout(resolve, 0) : resolve())));
        const t0 = performance.now();
        if (action === 'zoom') m.setZoom(m.getZoom() + 1, {animate: false});
        else m.panBy([300, 200], {animate: false});
        await done;
        return performance.now() - t0;
    }"""
    for times, painted in ((zoom_times, False), (painted_times, True)):
        page.evaluate("geoparks.maps[0].map.setView([30.5, 114.3], 5, {animate: false})")
        for _ in range(6):
            times.append(page.evaluate(script, ["zoom", painted]))
    for _ in range(6):
        pan_times.append(page.evaluate(script, ["pan", False]))
    zoom, pan, painted = (float(np.median(t)) for t in (zoom_times, pan_times, painted_times))
    return zoom, pan, painted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="visits of each page")
    parser.add_argument("--peer-radius", type=int, default=40,
                        help="supercluster radius in screen pixels (geoparks: 40)")  # fmt: skip
    parser.add_argument("--folium-max", type=int, default=20_000,
                        help="largest size also built with folium's MarkerCluster")  # fmt: skip
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="geoparks-bench-"))
    with chromium() as browser:
        for n in args.sizes:
            parks, sources = synthetic(n)
            print(f"\n{n:,} synthetic parks")
            ours = out / f"geoparks-{n}.html"
            seconds = geoparks_page(parks, sources, ours)
            per_park = ours.stat().st_size / n
            peer = out / f"supercluster-{n}.html"
            peer_seconds = supercluster_page(parks, peer, args.peer_radius)
            runs: dict[str, list[tuple[float, ...]]] = {"geoparks": [], "supercluster": []}
            for _ in range(args.repeat):  # the two pages in turn, so that both see the same load
                render, visit = first_render(browser, ours, ".gp-cluster")
                heap = heap_mb(visit)
                zoom, pan, painted = interaction(visit)
                count = visit.page.evaluate("geoparks.maps[0].parks.parkCount()")
                assert count == n, count
                runs["geoparks"].append((render, zoom, pan, heap, filter_change(visit), painted))
                visit.page.close()
                render, visit = first_render(browser, peer, ".sc-cluster")
                heap = heap_mb(visit)
                zoom, pan, painted = interaction(visit)
                runs["supercluster"].append((render, zoom, pan, heap, float("nan"), painted))
                visit.page.close()
            for name, sizes in (
                ("geoparks", (seconds, per_park)),
                ("supercluster", (peer_seconds, peer.stat().st_size / n)),
            ):
                rows = np.array(runs[name])
                low, mid = rows.min(axis=0), np.median(rows, axis=0)
                filtering = (
                    f"   filter {low[4]:4.0f}/{mid[4]:4.0f} ms" if name == "geoparks" else ""
                )
                print(f"  {name:12s} build+save {sizes[0]:5.2f} s  {sizes[1]:4.0f} B/park  "
                      f"first render {low[0] / 1000:4.2f}/{mid[0] / 1000:4.2f} s  "
                      f"zoom step {low[1]:3.0f}/{mid[1]:3.0f} ms "
                      f"(painted {low[5]:3.0f}/{mid[5]:3.0f})  "
                      f"pan {low[2]:3.0f}/{mid[2]:3.0f} ms  "
                      f"heap {low[3]:5.1f}/{mid[3]:5.1f} MB{filtering}")  # fmt: skip
            ours_mid = np.median(np.array(runs["geoparks"]), axis=0)
            peer_mid = np.median(np.array(runs["supercluster"]), axis=0)
            print(f"  ratio to supercluster (medians): "
                  f"first render x{ours_mid[0] / peer_mid[0]:.2f}, "
                  f"zoom step x{ours_mid[1] / max(peer_mid[1], 0.1):.2f} "
                  f"(painted x{ours_mid[5] / max(peer_mid[5], 0.1):.2f}), "
                  f"heap x{ours_mid[3] / peer_mid[3]:.2f} (targets: at most 1, 1 and 2; "
                  f"min/median of {args.repeat} visits each)")  # fmt: skip
            start = time.perf_counter()
            # without the evidence column: its sentences state none of the synthetic figures
            overview = geoparks.overview_map(
                parks.drop(columns="evidence"), sources=sources, tiles=None
            )
            save_map(overview, out / f"overview-{n}.html")
            full = time.perf_counter() - start
            full_size = (out / f"overview-{n}.html").stat().st_size
            print(f"  overview with every layer: build+save {full:.2f} s, "
                  f"{full_size / n:.0f} B/park ({full_size / 1e6:.1f} MB)")  # fmt: skip
            if n == max(args.sizes):
                parks, sources = synthetic(n, jitter=0.3)
                jittered = out / f"geoparks-jittered-{n}.html"
                seconds = geoparks_page(parks, sources, jittered)
                per_park = jittered.stat().st_size / n
                render, visit = first_render(browser, jittered, ".gp-cluster")
                zoom, pan, _ = interaction(visit)
                print(f"  geoparks, every park at its own point (jittered by up to 0.3°): "
                      f"build+save {seconds:.2f} s, {per_park:.0f} B/park, "
                      f"first render {render / 1000:.2f} s, zoom step {zoom:.0f} ms, "
                      f"pan {pan:.0f} ms")  # fmt: skip
            if n > args.folium_max:
                continue
            theirs = out / f"folium-{n}.html"
            folium_seconds = folium_page(parks, sources, theirs)
            folium_per_park = theirs.stat().st_size / n
            folium_render, _ = first_render(browser, theirs, ".marker-cluster")
            print(f"  folium   : build+save {folium_seconds:6.2f} s   "
                  f"{folium_per_park:6.0f} B/park   "
                  f"first render {folium_render / 1000:5.2f} s")  # fmt: skip
            print(f"  ratio    : build {folium_seconds / seconds:5.1f}x faster, "
                  f"{folium_per_park / per_park:5.1f}x smaller, "
                  f"render {folium_render / render:5.1f}x faster")  # fmt: skip
    print(f"\npages in {out}")


if __name__ == "__main__":
    main()
