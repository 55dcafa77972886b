"""The page around the layers: a folium map whose scripts and styles are inlined.

Leaflet (and jQuery, for folium elements that may call it) come from the XStatic
packages, geoparks' own layers from ``render/static``; tiles are the only thing a
page fetches when it is viewed.
"""

from __future__ import annotations

import base64
import gzip
import html
import importlib
import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink
from folium.map import Layer

from geoparks.errors import GeoparksError
from geoparks.output import atomic_write_text

__all__ = ["AssetError", "DataLayer", "GeoparksMap", "JSONData", "save_map"]

LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"
JQUERY_JS = "https://code.jquery.com/jquery-3.7.1.min.js"
_MARKERCLUSTER = "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/"

_ASSETS: dict[str, tuple[str, str, str]] = {
    LEAFLET_JS: ("xstatic.pkg.leaflet", "xstatic-leaflet", "leaflet.js"),
    LEAFLET_CSS: ("xstatic.pkg.leaflet", "xstatic-leaflet", "leaflet.css"),
    JQUERY_JS: ("xstatic.pkg.jquery", "xstatic-jquery", "jquery.min.js"),
    # folium's MarkerCluster, for users who add one to a geoparks map
    **{
        _MARKERCLUSTER + name: (
            "xstatic.pkg.leaflet_markercluster",
            "xstatic-leaflet-markercluster",
            name,
        )
        for name in ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css")
    },
}
"""CDN address -> (module, PyPI package, file) of every asset that can be inlined."""

_STATIC = Path(__file__).with_name("static")
_CSS_IMAGE = re.compile(r"url\((images/[\w.-]+\.png)\)")
_END_SCRIPT = re.compile(r"</(script)", re.IGNORECASE)


class AssetError(GeoparksError):
    """A script or style that should be inlined cannot be found."""


@cache
def asset_text(url: str) -> str:
    """Return the text of the asset folium links at ``url``, from its XStatic package.

    Raises
    ------
    AssetError
        If the address is not one geoparks knows or its package is not installed.
    """
    if url not in _ASSETS:
        raise AssetError(f"no local copy of {url} (geoparks can inline {', '.join(_ASSETS)})")
    module_name, package, name = _ASSETS[url]
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise AssetError(f"{url} needs the {package} package: pip install {package}") from None
    folder = Path(module.BASE_DIR)
    text = (folder / name).read_text(encoding="utf-8")
    if name.endswith(".css"):
        return _CSS_IMAGE.sub(lambda m: f"url({_data_uri(folder / m.group(1))})", text)
    return text


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _script(text: str) -> Element:
    return Element("<script>" + _END_SCRIPT.sub(r"<\\/\1", text) + "</script>")


def _style(text: str) -> Element:
    return Element("<style>" + text + "</style>")


class GeoparksMap(folium.Map):
    """A :class:`folium.Map` that carries geoparks' layers and inlines its assets.

    Parameters
    ----------
    *args, **kwargs
        As for :class:`folium.Map`.
    inline : bool, default True
        Write Leaflet, jQuery and any other known asset into the page, so that
        it renders with no network; False keeps folium's CDN links.
    """

    default_js: ClassVar[list[tuple[str, str]]] = [("leaflet", LEAFLET_JS), ("jquery", JQUERY_JS)]
    default_css: ClassVar[list[tuple[str, str]]] = [("leaflet_css", LEAFLET_CSS)]

    def __init__(self, *args: Any, inline: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inline = inline
        # folium gives zoom limits to the tile layer only; clusters need them on the map
        for key in ("min_zoom", "max_zoom"):
            if kwargs.get(key) is not None:
                self.options[key] = kwargs[key]

    def render(self, **kwargs: Any) -> None:
        """Render the map, then put geoparks' code after Leaflet and inline the links.

        jQuery (88 kB) is written only when the map holds an element of folium's
        that may call it: geoparks' own layers and controls do not.
        """
        super().render(**kwargs)
        header = self.get_root().header
        if not _needs_jquery(self):
            for name, child in list(header._children.items()):
                if isinstance(child, JavascriptLink) and child.url == JQUERY_JS:
                    del header._children[name]
        header.add_child(_style(_static("geoparks.css")), name="geoparks_css")
        header.add_child(_script(_static("geoparks.js")), name="geoparks_js")
        if not self.inline:
            return
        for name, child in list(header._children.items()):
            if isinstance(child, JavascriptLink) and child.url in _ASSETS:
                header._children[name] = _script(asset_text(child.url))
            elif isinstance(child, CssLink) and child.url in _ASSETS:
                header._children[name] = _style(asset_text(child.url))

    def _repr_html_(self, **kwargs: Any) -> str:
        """Show the map in a notebook: folium's frame around the page, packed by gzip.

        The page inlines Leaflet, geoparks' code and the boundaries; packed, it
        is about a third of its size, so a notebook that shows several maps
        stays small. The frame unpacks it with the browser's
        ``DecompressionStream`` (Chrome 80, Firefox 113, Safari 16.4).
        """
        frame = super()._repr_html_(**kwargs)
        if not self.inline:
            return frame
        return _SRCDOC.sub(
            lambda m: f'srcdoc="{html.escape(packed_page(html.unescape(m[1])))}"', frame, 1
        )


_SRCDOC = re.compile(r'srcdoc="([^"]*)"')
_UNPACK = """<!DOCTYPE html>
<html><head><meta charset="utf-8"></head><body><script>
(function () {
  var packed = "%s";
  if (!window.DecompressionStream) {
    document.body.textContent = "This map needs a newer browser (one that unpacks gzip).";
    return;
  }
  var bytes = Uint8Array.from(atob(packed), function (c) { return c.charCodeAt(0); });
  var text = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  new Response(text).text().then(function (page) {
    document.open();
    document.write(page);
    document.close();
  });
})();
</script></body></html>
"""


def packed_page(page: str) -> str:
    """Return a page that unpacks ``page`` (gzip, in base64) and shows it in its place."""
    data = base64.b64encode(gzip.compress(page.encode("utf-8"), mtime=0)).decode("ascii")
    return _UNPACK % data


_NO_JQUERY = frozenset(
    {
        "folium.map.LayerControl",
        "folium.raster_layers.TileLayer",
        "folium.elements.ElementAddToElement",
    }
)


def _needs_jquery(element: Element) -> bool:
    """Whether anything under ``element`` but geoparks' own layers may call jQuery."""
    for child in element._children.values():
        kind = f"{type(child).__module__}.{type(child).__name__}"
        if not kind.startswith("geoparks.") and kind not in _NO_JQUERY:
            return True
        if _needs_jquery(child):
            return True
    return False


@cache
def _static(name: str) -> str:
    return (_STATIC / name).read_text(encoding="utf-8")


def json_text(data: object) -> str:
    """Return compact JSON text of data for a page's script block.

    No NaN (it is not JSON), and ``<`` escaped, so that no value can close the block.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c")


class JSONData(Element):
    """Data for the page's scripts: a JSON block that ``geoparks.readData(data_id)`` parses.

    A layer adds it to the page's body when it renders. ``text``, when given,
    is :func:`json_text` of ``data`` (pages that share data share its text).
    """

    def __init__(self, data: object, name: str, text: str | None = None) -> None:
        super().__init__()
        self.data_id = f"gp-{name}-{self._id}"
        self.text = text if text is not None else json_text(data)

    def render(self, **kwargs: Any) -> str:
        """Return the block's HTML."""
        return f'<script type="application/json" id="{self.data_id}">{self.text}</script>'

    def add_to_page(self, element: Element) -> None:
        """Put the block into the body of the page ``element`` is on."""
        figure = element.get_root()
        if isinstance(figure, Figure):
            figure.html.add_child(self, name=self.data_id)


class DataLayer(Layer):
    """A layer in the layer control whose script reads one :class:`JSONData` block, ``data``."""

    data: JSONData

    def render(self, **kwargs: Any) -> None:
        """Add the data block to the page (once, however many layers share it), then the script."""
        self.data.add_to_page(self)
        super().render(**kwargs)


def save_map(folium_map: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write a map's page to ``path`` atomically and return the path.

    Examples
    --------
    >>> import pathlib, tempfile, geoparks
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_map(geoparks.overview_map(tiles=None), pathlib.Path(folder) / "china.html")
    ...     path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    return atomic_write_text(path, folium_map.get_root().render())
