"""The park layers: compact marker data, clustered markers, search and cooperation links.

Parks are written once as columns (repeated values as a table plus indices)
and the browser builds each popup when it opens, so a page holds about a
hundred bytes per park and one JavaScript statement per layer.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from geoparks.formats import ExportError
from geoparks.gazetteer import Gazetteer
from geoparks.regions import load_regions
from geoparks.render.page import DataLayer, JSONData
from geoparks.schema import COLUMNS, COMPUTED, KINDS

__all__ = [
    "KIND_COLORS",
    "KIND_LABELS",
    "LinkLayer",
    "ParkLayer",
    "encode_links",
    "encode_parks",
    "unpacked",
]

KIND_COLORS: dict[str, str] = {
    "industrial_park": "#1f77b4",
    "development_zone": "#ff7f0e",
    "high_tech_zone": "#2ca02c",
    "cooperation_zone": "#d62728",
    "industrial_cluster": "#9467bd",
    "new_district": "#8c564b",
    "pilot_zone": "#e377c2",
    "free_trade_zone": "#17becf",
    "project": "#bcbd22",
    "office": "#7f7f7f",
    "unspecified": "#3b3b3b",
}
"""The marker colour of each kind (the Tableau 10 palette)."""

KIND_LABELS: dict[str, str] = {kind: kind.replace("_", " ").capitalize() for kind in KINDS}
KIND_LABELS["high_tech_zone"] = "High-tech zone"
KIND_LABELS["unspecified"] = "Kind not stated"

_PRECISION = {
    "city": "at the city's seat",
    "county": "at the county's seat",
    "province": "at the provincial capital",
    "coordinates": "at the stated coordinates",
}
_LISTS = ("industries", "partners", "regions", "linked_regions")
POPUP_FIELDS = (
    "county", "city", "province", "investment_cny", "output_cny", "area_km2", "industries",
    "partners", "regions", "established", "precision", "source", "evidence", "notes",
)  # fmt: skip
"""The catalog fields a park's popup can show, in their default order; then the
catalog's own columns. The name, the Chinese name, the kind and the status always show."""
_NOT_EXTRA = {
    *COLUMNS, *COMPUTED, "geometry", "regions", "declared_regions", "partner_adcodes", "lat",
    "lon",
}  # fmt: skip


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def _points(xy: np.ndarray) -> dict[str, Any] | None:
    """Pack points (longitude, latitude times 10^4) for the page.

    Points that repeat are a table and indices, as :func:`_mapped_column`
    packs a column; else each coordinate less the least is :func:`_packed`:
    ``{x0, y0, x, y}``.
    """
    if not len(xy):
        return None
    found, distinct = pd.factorize(xy[:, 0] * 2**32 + (xy[:, 1] + 2**31))
    if len(distinct) * 2 <= len(xy):
        pairs = np.stack([distinct >> 32, (distinct & 0xFFFFFFFF) - 2**31], axis=1)
        return {"t": pairs.tolist(), **_packed(found + 1)}
    low = xy.min(axis=0)
    return {"x0": int(low[0]), "y0": int(low[1]),
            "x": _packed(xy[:, 0] - low[0]), "y": _packed(xy[:, 1] - low[1])}  # fmt: skip


def _mapped_column(rows: np.ndarray, results: np.ndarray) -> list[Any] | dict[str, Any] | None:
    """Pack the column ``results[rows]`` for the page, factorizing the results only.

    None when all empty; a table plus 1-based indices (0 for empty) when values
    repeat; else the plain values.
    """
    found, table = pd.factorize(results, use_na_sentinel=True)
    if len(table) == 0:
        return None
    if len(table) * 2 <= len(rows):
        return {"t": [_plain(v) for v in table.tolist()], **_packed(found[rows] + 1)}
    return [_plain(v) for v in results[rows].tolist()]


_DIGITS = bytes(c for c in range(35, 127) if c != 92)  # 91 characters JSON never escapes


def unpacked(column: dict[str, Any]) -> np.ndarray:
    """Read back what :func:`_packed` wrote."""
    width, text = column["w"], column["s"].encode("ascii")
    digits = np.frombuffer(text, dtype=np.uint8).astype(np.int64).reshape(-1, width)
    digits = digits - 35 - (digits > 92)
    values = np.zeros(len(digits), dtype=np.int64)
    for k in range(width):
        values = values * len(_DIGITS) + digits[:, k]
    if "n" in column:  # several small numbers to a character
        base, per = column["b"], column["n"]
        powers = base ** np.arange(per - 1, -1, -1)
        values = (values[:, None] // powers % base).ravel()[: column["c"]]
    return values


def unworded(column: dict[str, Any]) -> list[str | None]:
    """Read back the texts :func:`_worded` wrote as words."""
    texts: list[str | None] = []
    words: list[str] | None = []
    for code in unpacked(column).tolist():
        if code == 0:
            texts.append(None if words is None else column["j"].join(words))
            words = []
        elif code == 1:
            words = None
        else:
            words.append(column["v"][code - 2])  # type: ignore[union-attr]
    return texts


def _packed(codes: np.ndarray) -> dict[str, Any]:
    """Whole numbers from 0 as one string, ``w`` characters of base 91 each.

    A park's index then costs one or two bytes of HTML, not the two to six of a
    JSON list; the page reads them back into a typed array once. Numbers below
    9 go several to a character: ``n`` of them, in base ``b``, ``c`` in all.
    """
    base, top = len(_DIGITS), int(codes.max()) if len(codes) else 0
    codes = np.asarray(codes, dtype=np.int64)
    small, per = max(top + 1, 2), 1
    while small ** (per + 1) <= base:
        per += 1
    if per > 1:
        count = len(codes)
        padded = np.zeros(-(-count // per) * per, dtype=np.int64)
        padded[:count] = codes
        combined = padded.reshape(-1, per) @ (small ** np.arange(per - 1, -1, -1))
        table = np.frombuffer(_DIGITS, dtype=np.uint8)
        text = table[combined].tobytes().decode("ascii")
        return {"s": text, "w": 1, "n": per, "b": small, "c": count}
    width = 1
    while base**width <= top:
        width += 1
    digits = np.empty((len(codes), width), dtype=np.uint8)
    rest = codes
    table = np.frombuffer(_DIGITS, dtype=np.uint8)
    for k in range(width - 1, -1, -1):
        digits[:, k] = table[rest % base]
        rest = rest // base
    return {"s": digits.tobytes().decode("ascii"), "w": width}


def _worded(texts: list[str | None]) -> list[str | None] | dict[str, Any]:
    """Texts as they cost least: the plain list, or their words' numbers (``{v, j, s, w}``).

    Worded, ``v`` lists every distinct word (texts split at single spaces, ``j`` " ",
    or into characters, ``j`` "") and the packed numbers give each text's words,
    then 0: 1 is a missing text, ``k`` (2 or more) the word ``v[k - 2]``. Park names
    repeat their words ("Economic and Technological Development Zone") and their
    characters (开发区) where each name is new.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    best, size = texts, len(json.dumps(texts, ensure_ascii=False, separators=(",", ":")).encode())
    missing = np.fromiter((t is None for t in texts), bool, len(texts))
    for joiner in (" ", ""):
        if joiner:  # words, split and numbered by Arrow
            words = pc.split_pattern(pa.array(texts, type=pa.large_string()), " ")
            counts = pc.list_value_length(words).fill_null(0).to_numpy(zero_copy_only=False)
            found = pc.dictionary_encode(pc.list_flatten(words))
            codes = found.indices.to_numpy(zero_copy_only=False)
            vocabulary = found.dictionary.to_pylist()
        else:  # characters, numbered as code points; letters cost a byte as they are
            joined = "".join(t or "" for t in texts)
            if joined.isascii():
                continue
            points = np.frombuffer(joined.encode("utf-32-le"), np.uint32)
            present = np.zeros(int(points.max()) + 1, dtype=bool)
            present[points] = True
            table, codes = np.flatnonzero(present), (np.cumsum(present) - 1)[points]
            counts = np.fromiter((len(t or "") for t in texts), np.int64, len(texts))
            vocabulary = [chr(c) for c in table.tolist()]
        lengths = counts.astype(np.int64) + missing + 1
        firsts = np.cumsum(lengths) - lengths
        stream = np.zeros(int(lengths.sum()), dtype=np.int64)
        spoken = np.ones(len(stream), dtype=bool)
        spoken[firsts + lengths - 1] = False  # the 0 ending each text
        spoken[firsts[missing]] = False
        stream[firsts[missing]] = 1
        stream[spoken] = codes.astype(np.int64) + 2
        worded = {"v": vocabulary, "j": joiner, **_packed(stream)}
        cost = len(json.dumps(worded, ensure_ascii=False, separators=(",", ":")).encode())
        if cost < size:
            best, size = worded, cost
    return best


def _share_indices(columns: dict[str, Any]) -> None:
    """Let a column whose indices repeat another's point to them: ``{t, same: name}``.

    ``province`` and ``province_code``, both read from each park's province,
    then carry one string of indices.
    """
    first: dict[tuple[object, ...], str] = {}
    for name, column in columns.items():
        if isinstance(column, dict) and "t" in column:
            packed = tuple(column.get(key) for key in ("s", "w", "n", "b", "c"))
            if packed in first:
                columns[name] = {"t": column["t"], "same": first[packed]}
            else:
                first[packed] = name


_SEPARATOR = "\x1f"  # the unit separator: joins a list's texts to factorize them


def _list_codes(values: pd.Series) -> tuple[np.ndarray, list[object]] | None:
    """Factorize a column of lists of texts by Arrow: each row's code, and the distinct tuples.

    Empty and missing lists share the last code, whose value is None. None when
    the column holds anything but lists of texts, which the caller reads in Python.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        lists = pa.array(values.to_numpy(dtype=object), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return None
    if not pa.types.is_list(lists.type):
        return None
    items = pc.list_flatten(lists)
    if pa.types.is_null(lists.type.value_type) and not len(items):  # every list empty
        return np.zeros(len(values), dtype=np.int64), [None]
    if not pa.types.is_string(lists.type.value_type) or items.null_count:
        return None
    if pc.any(pc.match_substring(items, _SEPARATOR)).as_py():
        return None
    encoded = pc.dictionary_encode(pc.binary_join(lists, _SEPARATOR))
    distinct: list[object] = [
        tuple(text.split(_SEPARATOR)) if text else None for text in encoded.dictionary.to_pylist()
    ]
    found = encoded.indices.fill_null(len(distinct)).to_numpy().astype(np.int64)
    return found, [*distinct, None]


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def _year(value: object) -> int | None:
    text = _text(value)
    return int(text[:4]) if text and text[:4].isdigit() else None


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


def _place_name(gazetteer: Gazetteer, adcode: object, level: str) -> str | None:
    code = _text(adcode)
    if code is None:
        return None
    try:
        place = gazetteer.by_adcode(code, level)  # type: ignore[arg-type]
    except LookupError:
        return code
    return f"{place.name_en} {place.name_zh}"


def _joined(values: object) -> str | None:
    if not isinstance(values, list | tuple) or not values:
        return None
    return "; ".join(str(v) for v in values)


def _regions(inside: object, linked: object, region_names: dict[str, str]) -> str | None:
    names = [region_names.get(r, r) for r in inside or []]  # type: ignore[attr-defined]
    names += [f"linked to {region_names.get(r, r)}" for r in linked or []]  # type: ignore[attr-defined]
    return _joined(names)


def encode_parks(
    parks: gpd.GeoDataFrame,
    sources: pd.DataFrame | None = None,
    gazetteer: Gazetteer | None = None,
    region_names: dict[str, str] | None = None,
    popup_fields: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Pack joined parks into the columns the page's park layer reads.

    Parameters
    ----------
    parks : geopandas.GeoDataFrame
        The output of :func:`geoparks.join`.
    sources : pandas.DataFrame, optional
        The catalog's sources (``Catalog.sources``), for each park's article.
    gazetteer : Gazetteer, optional
        For the names of counties, cities and provinces.
    region_names : dict, optional
        Region id -> name shown in popups (the shipped regions' English names by default).
    popup_fields : sequence of str, optional
        What a popup shows, in order: any of :data:`POPUP_FIELDS` and the
        parks' own columns (all by default).

    Raises
    ------
    ExportError
        If a popup field is neither.

    Returns
    -------
    dict
        ``points`` ([longitude, latitude] times 10^4), ``kinds`` (key, label,
        colour) and ``columns``. A column is null when empty, a list, or
        ``{"t": distinct values, "s": 1-based indices, 0 for empty}``, the indices
        packed in a string of ``w`` base-91 characters each (``kind``: the kind
        indices, packed alike, without ``t``). The
        user's own columns are in ``columns["extra"]``: ``labels`` and ``columns``;
        ``id``, ``year`` (established), ``invest`` (CNY), ``usd``, ``output_num``
        (CNY) and ``area_num`` (km²) serve the page's filters, table and API; the
        page writes the money and areas its popups show from them.
    """
    gazetteer = gazetteer or Gazetteer.load()
    if region_names is None:
        region_names = {region.id: region.name_en for region in load_regions()}
    articles = (
        {}
        if sources is None
        else {
            key: (
                _text(row.get("title")) or key,
                _text(row.get("published")) or "",
                _text(row.get("url")) or "",
            )
            for key, row in sources.to_dict("index").items()
        }
    )
    frame = parks.reset_index(drop=True)
    kinds = list(KIND_COLORS)
    xy = np.rint(frame[["lon", "lat"]].to_numpy(float) * 1e4).astype(np.int64)

    def source(key: object) -> tuple[str, ...] | None:
        key = _text(key)
        return None if key is None else articles.get(key, (key, "", ""))

    def codes(name: str) -> tuple[np.ndarray, list[object]]:
        """Factorize a column: each row's code, and the distinct values (None is the last)."""
        if name not in frame:
            return np.zeros(len(frame), dtype=np.int64), [None]
        values = frame[name]
        if name in _LISTS:  # lists are not hashable: an empty one is no value, others tuples
            listed = _list_codes(values)
            if listed is not None:
                return listed
            values = np.fromiter(
                (
                    tuple(v) if isinstance(v, list | tuple | np.ndarray) and len(v) else None
                    for v in values
                ),
                dtype=object,
                count=len(values),
            )
        found, distinct = pd.factorize(values, use_na_sentinel=True)
        found[found < 0] = len(distinct)
        return found, [*np.asarray(distinct, dtype=object).tolist(), None]

    def each(function: Callable[..., Any], *names: str) -> tuple[np.ndarray, np.ndarray]:
        """Apply ``function`` once per distinct values: each row's result index, the results."""
        factors = [codes(name) for name in names]
        if len(factors) == 1:
            rows, distinct = factors[0]
            results = [function(value) for value in distinct]
        else:
            combined = np.zeros(len(frame), dtype=np.int64)
            for found, distinct in factors:
                combined = combined * len(distinct) + found
            rows, unique = pd.factorize(combined)
            results = []
            for key in unique.tolist():
                values = []
                for _, distinct in reversed(factors):
                    key, index = divmod(key, len(distinct))
                    values.append(distinct[index])
                results.append(function(*reversed(values)))
        return rows, np.fromiter(results, dtype=object, count=len(results))

    def per_row(function: Callable[..., Any], name: str) -> np.ndarray:
        rows, results = each(function, name)
        return results[rows]

    def column(function: Callable[..., Any], *names: str) -> list[Any] | dict[str, Any] | None:
        return _mapped_column(*each(function, *names))

    def text(name: str) -> list[Any] | dict[str, Any] | None:
        return column(_text, name)

    def places(level: str) -> list[Any] | dict[str, Any] | None:
        return column(lambda code: _place_name(gazetteer, code, level), f"{level}_adcode")

    columns: dict[str, Any] = {
        "name": _worded([v or "" for v in per_row(_text, "name").tolist()]),
        "name_zh": _worded(per_row(_text, "name_zh").tolist()),
        "kind": _packed(
            per_row(lambda v: kinds.index(v if v in KINDS else "unspecified"), "kind").astype(
                np.int64
            )
        ),
        "status": column(lambda v: (_text(v) or "").replace("_", " ") or None, "status"),
        "county": places("county"),
        "city": places("city"),
        "province": places("province"),
        "industries": column(_joined, "industries"),
        "partners": column(_joined, "partners"),
        "regions": column(lambda a, b: _regions(a, b, region_names), "regions", "linked_regions"),
        "precision": column(lambda v: _PRECISION.get(_text(v) or "", _text(v)), "precision"),
        "source": column(source, "source"),
        "evidence": text("evidence"),
        "note": text("notes"),
        "established": text("established"),
        "id": [v or "" for v in per_row(_text, "id").tolist()],
        "year": column(_year, "established"),
        "invest": column(_number, "investment_cny"),
        "usd": column(_number, "investment_usd"),
        "output_num": column(_number, "output_cny"),
        "area_num": column(_number, "area_km2"),
        "province_code": column(_text, "province_adcode"),
    }
    _share_indices(columns)
    extra = [name for name in frame.columns if name not in _NOT_EXTRA]
    columns["extra"] = {"labels": [str(name) for name in extra], "columns": list(map(text, extra))}
    if popup_fields is not None:
        known = [*POPUP_FIELDS, *columns["extra"]["labels"]]
        for field in popup_fields:
            if field not in known:
                listed = ", ".join(known)
                raise ExportError(f"popup field {field!r} is unknown (choose from {listed})")
        columns["popup"] = list(popup_fields)
    return {
        "points": _points(xy),
        "kinds": [{"key": k, "label": KIND_LABELS[k], "color": KIND_COLORS[k]} for k in kinds],
        "columns": columns,
    }


def encode_links(parks: gpd.GeoDataFrame, gazetteer: Gazetteer | None = None) -> dict[str, Any]:
    """Pack each park's partner places (``partner_adcodes``) as arrow targets.

    Returns
    -------
    dict
        ``targets``: [park index, longitude * 10^4, latitude * 10^4, name index];
        ``names``: the partners' names.
    """
    gazetteer = gazetteer or Gazetteer.load()
    names: dict[str, int] = {}
    targets = []
    codes = parks.get("partner_adcodes", [])
    for i, partner_codes in enumerate(codes):
        for code in partner_codes or []:
            level = "province" if code.endswith("0000") else "city"
            place = gazetteer.by_adcode(code, level)
            label = names.setdefault(f"{place.name_en} {place.name_zh}", len(names))
            targets.append([i, round(place.lon * 1e4), round(place.lat * 1e4), label])
    return {"targets": targets, "names": list(names)}


class ParkLayer(DataLayer):
    """Clustered park markers coloured by kind, with the search box and the kinds legend.

    Parameters
    ----------
    data : dict
        The output of :func:`encode_parks`.
    name : str
        The layer's name in the layer control.
    radius : int
        The clustering radius in pixels.
    left_out : int
        Records of the catalog that could not be mapped, said in the legend.
    text : str, optional
        ``data`` as JSON text, when several pages share it.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = new geoparks.ParkLayer(
            geoparks.readData({{ this.data.data_id|tojson }}), {radius: {{ this.radius }}}
        );
        var {{ this.get_name() }}_search = geoparks.search(
            {{ this._parent.get_name() }}, {{ this.get_name() }}.data, {{ this.get_name() }}
        );
        geoparks.legend(
            {{ this._parent.get_name() }}, {{ this.legend|tojson }}, {{ this.get_name() }}
        );
        geoparks.start({map: {{ this._parent.get_name() }}, parks: {{ this.get_name() }},
                        search: {{ this.get_name() }}_search, initial: {{ this.initial|tojson }}});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: dict[str, Any],
        name: str = "Parks",
        radius: int = 40,
        left_out: int = 0,
        text: str | None = None,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "ParkLayer"
        self.radius = radius
        self.initial = initial or {}
        present = sorted(set(unpacked(data["columns"]["kind"]).tolist()))
        self.legend = {
            "title": "Kind of park",
            "items": [data["kinds"][k] for k in present],
            "note": "A ring shows the kinds in a cluster; click it to zoom in or list its parks.",
        }
        if left_out:
            records = "record is" if left_out == 1 else "records are"
            self.legend["missing"] = f"{left_out:,} {records} not shown: see rejected.csv"
        self.data = JSONData(data, "parks", text)


class LinkLayer(DataLayer):
    """Arrows from each park to its partner cities.

    Parameters
    ----------
    parks : ParkLayer
        The layer whose parks the links start from.
    data : dict
        The output of :func:`encode_links`.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = geoparks.linkLayer(
            {{ this.parks.get_name() }}.data, geoparks.readData({{ this.data.data_id|tojson }})
        );
        {% endmacro %}
        """
    )

    def __init__(
        self, parks: ParkLayer, data: dict[str, Any], name: str = "Cooperation links"
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "LinkLayer"
        self.parks = parks
        self.data = JSONData(data, "links")


class MapControls(MacroElement):
    """The initial frame (set without animation) and the fullscreen button.

    Parameters
    ----------
    bounds : list
        [[south, west], [north, east]] to fit the map to when it opens.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.fitBounds({{ this.bounds|tojson }}, {animate: false});
        geoparks.fullscreen({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "MapControls"
        self.bounds = bounds
