"""Screenshots of the overview, the GBA map and the map's controls for the README (docs/*.png).

Run: ``.venv/bin/python scripts/screenshots.py`` (needs Debian's chromium). The
browser is offline, so the OpenStreetMap tiles are missing: what shows is what
the page itself carries (provinces, regions, parks, links, legends).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import chromium, open_page  # noqa: E402

import geoparks  # noqa: E402
from geoparks.output import atomic_path  # noqa: E402

SHOTS = {"index": "overview.png", "greater-bay-area": "greater-bay-area.png"}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="geoparks-shots-") as folder, chromium() as browser:
        out = Path(folder)
        geoparks.build(out=out)
        for page_name, image in SHOTS.items():
            visit = open_page(browser, out / f"{page_name}.html", width=1200, height=760)
            visit.page.wait_for_timeout(600)
            with atomic_path(ROOT / "docs" / image) as temp:
                visit.page.screenshot(path=temp)
            print(ROOT / "docs" / image)
        # The filter panel (high-tech zones and new districts ticked) and the linked table.
        visit = open_page(browser, out / "index.html", width=1200, height=760)
        page = visit.page
        page.wait_for_function("geoparks.maps.length && geoparks.maps[0].page")
        page.locator(".gp-filters summary").click()
        page.evaluate("geoparks.filter({kind: ['industrial_park', 'cooperation_zone']})")
        page.locator(".gp-table summary").click()
        page.wait_for_timeout(600)
        with atomic_path(ROOT / "docs" / "controls.png") as temp:
            page.screenshot(path=temp)
        print(ROOT / "docs" / "controls.png")
        phone = open_page(browser, out / "index.html", width=390, height=844)
        phone.page.wait_for_timeout(600)
        with atomic_path(ROOT / "docs" / "phone.png") as temp:
            phone.page.screenshot(path=temp)
        print(ROOT / "docs" / "phone.png")


if __name__ == "__main__":
    main()
