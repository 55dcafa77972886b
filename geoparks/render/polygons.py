"""Polygon layers: the province choropleth, region outlines with labels, ASEAN countries.

The choropleth's classes are natural breaks (Fisher's exact optimisation): the
split of the provinces' values into ``k`` runs with the least squared
deviation within runs. Provinces without a value are a class of their own, and
each legend entry gives the smallest and largest value its class holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from folium.template import Template

from geoparks.render.page import DataLayer, JSONData
from geoparks.units import format_money

__all__ = ["ChoroplethLayer", "PolygonLayer", "natural_breaks", "polygon_data"]

BLUES = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
GREENS = ("#e5f5e0", "#a1d99b", "#74c476", "#31a354", "#006d2c")
"""Five-class sequential schemes from ColorBrewer (Cynthia Brewer, Apache 2.0)."""
EMPTY = "#f7f7f7"


def natural_breaks(values: npt.ArrayLike, k: int = 5) -> list[float]:
    """Return the upper bound of each of ``k`` classes with the least within-class variance.

    Equal values always share a class, so there are at most as many classes as
    distinct values.

    Parameters
    ----------
    values : array-like
        The values to classify (no NaN).
    k : int
        The number of classes wanted.

    Returns
    -------
    list of float
        Increasing upper bounds; the last is the largest value.

    Examples
    --------
    >>> natural_breaks([1, 2, 2, 3, 10, 11, 12, 40], 3)
    [3.0, 12.0, 40.0]
    >>> natural_breaks([5, 5, 5], 4)
    [5.0]
    """
    distinct, weight = np.unique(np.asarray(values, dtype=float), return_counts=True)
    n = distinct.size
    if n == 0:
        return []
    k = max(1, min(k, n))
    cw = np.concatenate([[0.0], np.cumsum(weight)])
    cx = np.concatenate([[0.0], np.cumsum(weight * distinct)])
    cxx = np.concatenate([[0.0], np.cumsum(weight * distinct**2)])

    def spread(i: int, j: int) -> float:  # squared deviation of distinct[i:j]
        total = cx[j] - cx[i]
        return float(cxx[j] - cxx[i] - total * total / (cw[j] - cw[i]))

    cost = np.full((k + 1, n + 1), np.inf)
    cost[0, 0] = 0.0
    start = np.zeros((k + 1, n + 1), dtype=int)
    for c in range(1, k + 1):
        for j in range(c, n + 1):
            for i in range(c - 1, j):
                value = cost[c - 1, i] + spread(i, j)
                if value < cost[c, j]:
                    cost[c, j], start[c, j] = value, i
    bounds, j = [], n
    for c in range(k, 0, -1):
        bounds.append(float(distinct[j - 1]))
        j = start[c, j]
    return bounds[::-1]


def polygon_data(geometries: gpd.GeoSeries, step: float = 0.001) -> dict[str, Any]:
    """Return the geometries as one TopoJSON topology, for the page to draw.

    A border two shapes share is written once, and coordinates are whole steps
    of a grid over the geometries' bounds, each point written as its distance
    from the last: the provinces take a third of their GeoJSON's bytes.

    Parameters
    ----------
    geometries : geopandas.GeoSeries
        Polygons in EPSG:4326; a missing one is drawn as nothing.
    step : float
        The grid's step in degrees (at most; the grid has at least two lines).

    Returns
    -------
    dict
        A topology whose object ``shapes`` holds one geometry per input, in
        order, whose ``id`` is its position.
    """
    import topojson

    shapes = [shapely.Polygon() if g is None else g for g in geometries.values]
    if all(g.is_empty for g in shapes):  # nothing to draw, which topojson cannot take
        empty = [{"type": "Polygon", "arcs": [], "id": k} for k in range(len(shapes))]
        return {
            "type": "Topology",
            "objects": {"shapes": {"type": "GeometryCollection", "geometries": empty}},
            "arcs": [],
        }
    west, south, east, north = shapely.total_bounds(shapes)
    lines = max(2, int(np.ceil(max(east - west, north - south) / step)) + 1)
    topology = topojson.Topology(
        gpd.GeoDataFrame(geometry=shapes, crs=geometries.crs),
        prequantize=lines,
        toposimplify=False,
        object_name="shapes",
    ).to_dict()
    for geometry in topology["objects"]["shapes"]["geometries"]:
        geometry.pop("properties", None)
    return topology


class PolygonLayer(DataLayer):
    """Polygons with a style, tooltip and optional label per feature.

    Parameters
    ----------
    geometry : JSONData
        The output of :func:`polygon_data`; several layers may share it.
    features : list of dict
        Per feature, in order: ``style`` (Leaflet path options), ``tooltip``,
        ``label`` and ``label_at`` ([lon, lat]).
    style : dict
        The style every feature starts from.
    legend : dict, optional
        ``title``, ``items`` (``color``, ``label``) and ``note``; shown while the
        layer is.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = geoparks.polygonLayer(
            geoparks.readData({{ this.data.data_id|tojson }}), {{ this.options|tojson }}
        );
        {%- if this.legend %}
        geoparks.legend(
            {{ this._parent.get_name() }}, {{ this.legend|tojson }}, {{ this.get_name() }}
        );
        {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        geometry: JSONData,
        features: Sequence[dict[str, Any]],
        name: str,
        style: dict[str, Any],
        legend: dict[str, Any] | None = None,
        label_class: str = "",
        show: bool = True,
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PolygonLayer"
        self.data = geometry
        self.legend = legend
        self.options = {"style": style, "features": list(features), "labelClass": label_class}


class ChoroplethLayer(PolygonLayer):
    """Provinces shaded by one value, in natural-break classes with a legend.

    Parameters
    ----------
    geometry : JSONData
        :func:`polygon_data` of ``names``' provinces, in the same order.
    names : list of str
        Each province's name.
    values : pandas.Series
        Each province's value, in the same order; NaN or 0 for none.
    title : str
        The layer's name and the legend's title.
    describe : callable
        Formats one value for tooltips and the legend.
    colors : sequence of str
        The classes' colours, lightest first.
    empty : str
        The legend label of provinces without a value.
    show : bool
        Whether the layer is on when the map opens.
    tooltips : list of str, optional
        Text appended to each province's tooltip, in the same order.
    counts_parks : list of str, optional
        Each province's adcode, when ``values`` counts parks: the page then
        recounts the parks its filter shows, in the same classes.
    """

    def __init__(
        self,
        geometry: JSONData,
        names: Sequence[str],
        values: pd.Series,
        title: str,
        describe: Callable[[float], str],
        colors: Sequence[str] = BLUES,
        empty: str = "none",
        show: bool = True,
        tooltips: Sequence[str] | None = None,
        counts_parks: Sequence[str] | None = None,
    ) -> None:
        filled = values.fillna(0).to_numpy(dtype=float)
        bounds = natural_breaks(filled[filled > 0], len(colors))
        classes = np.searchsorted(bounds, filled) if bounds else np.zeros(len(filled), int)
        items = [{"color": EMPTY, "label": empty, "shape": "square"}]
        for c, upper in enumerate(bounds):
            members = filled[(filled > 0) & (classes == c)]
            low = float(members.min())
            label = describe(low) if low == upper else f"{describe(low)} – {describe(upper)}"
            items.append({"color": colors[c], "label": label, "shape": "square"})
        features = []
        for k, (name, value) in enumerate(zip(names, filled, strict=True)):
            color = colors[classes[k]] if value > 0 else EMPTY
            text = f"{name}: {describe(value) if value > 0 else empty}"
            if tooltips is not None:
                text = f"{text}{tooltips[k]}"
            features.append({"style": {"fillColor": color}, "tooltip": text})
        legend = {
            "title": title,
            "items": items,
            "note": "Classes: natural breaks over provinces with a value.",
            "position": "bottomleft",
        }
        style = {"color": "#777", "weight": 0.8, "fillOpacity": 0.6}
        super().__init__(geometry, features, title, style, legend, show=show)
        if counts_parks is not None:  # the page recounts the parks it shows, in these classes
            legend["note"] += " Counts follow the filter; the classes stay."
            self.options["follow"] = {
                "codes": list(counts_parks), "names": list(names), "bounds": bounds,
                "colors": list(colors[: len(bounds)]), "empty": EMPTY, "none": empty,
            }  # fmt: skip


def count_text(value: float) -> str:
    """Write a count of parks for tooltips and legends."""
    n = round(value)
    return f"{n} park" if n == 1 else f"{n} parks"


def money_text(value: float) -> str:
    """Write an amount of yuan (3 significant digits) for tooltips and legends."""
    return format_money(float(f"{value:.3g}"))
