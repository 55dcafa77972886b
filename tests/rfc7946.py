"""Checks of a GeoJSON text against RFC 7946, rule by rule; returns what breaks them."""

from __future__ import annotations

import json
import re
from itertools import pairwise

GEOMETRY_TYPES = {
    "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
    "GeometryCollection",
}  # fmt: skip
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON (RFC 8259)")


def _position(where: str, position: object, problems: list[str]) -> None:
    if not isinstance(position, list) or len(position) not in (2, 3):
        problems.append(f"{where}: a position is 2 or 3 numbers, got {position!r}")
        return
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position):
        problems.append(f"{where}: a position holds numbers, got {position!r}")
        return
    lon, lat = position[:2]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        problems.append(f"{where}: {position!r} is not WGS-84 longitude, latitude")


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in pairwise(ring)) / 2


def _polygon(where: str, rings: object, problems: list[str]) -> None:
    if not isinstance(rings, list) or not rings:
        problems.append(f"{where}: a polygon is a non-empty array of rings")
        return
    for i, ring in enumerate(rings):
        here = f"{where} ring {i}"
        if not isinstance(ring, list) or len(ring) < 4:
            problems.append(f"{here}: a linear ring has 4 or more positions")
            continue
        for position in ring:
            _position(here, position, problems)
        if ring[0] != ring[-1]:
            problems.append(f"{here}: a linear ring is closed (first position = last)")
        area = _signed_area(ring)
        if i == 0 and area <= 0:
            problems.append(f"{here}: an exterior ring is counter-clockwise (3.1.6)")
        if i > 0 and area >= 0:
            problems.append(f"{here}: a hole is clockwise (3.1.6)")


def _geometry(where: str, geometry: object, problems: list[str]) -> None:
    if geometry is None:
        return
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        problems.append(f"{where}: geometry is null or a GeoJSON geometry, got {geometry!r:.80}")
        return
    kind = geometry["type"]
    if kind == "GeometryCollection":
        for i, part in enumerate(geometry.get("geometries", [])):
            _geometry(f"{where} part {i}", part, problems)
        return
    coordinates = geometry.get("coordinates")
    if kind == "Point":
        _position(where, coordinates, problems)
    elif kind in ("MultiPoint", "LineString"):
        for position in coordinates:
            _position(where, position, problems)
    elif kind == "MultiLineString":
        for line in coordinates:
            for position in line:
                _position(where, position, problems)
    elif kind == "Polygon":
        _polygon(where, coordinates, problems)
    else:
        for i, polygon in enumerate(coordinates):
            _polygon(f"{where} polygon {i}", polygon, problems)


def _flat(value: object) -> bool:
    scalar = (str, int, float, bool, type(None))
    return isinstance(value, scalar) or (
        isinstance(value, list) and all(isinstance(v, scalar) for v in value)
    )


def _coordinate_text(text: str) -> list[str]:
    """The number literals inside every "coordinates" array of the raw text."""
    numbers = []
    for match in re.finditer(r'"coordinates"\s*:\s*(\[[-\d.,\[\]eE+\s]*\])', text):
        numbers += _NUMBER.findall(match.group(1))
    return numbers


def rfc7946_problems(text: str, decimals: int = 6) -> list[str]:
    """Every way ``text`` breaks RFC 7946 or geoparks' export rules (empty when none).

    The rules: a FeatureCollection of Features; no ``crs`` member (4.);
    geometries with WGS-84 positions, closed rings of 4+ positions, exterior
    rings counter-clockwise and holes clockwise (3.1.6); an ``id`` that is a
    string or number (3.2), unique within the file; ``properties`` an object of
    flat values (scalars, or arrays of scalars); no NaN or Infinity; and
    coordinates with at most ``decimals`` decimals.
    """
    problems: list[str] = []
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:
        return [f"not JSON: {error}"]
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        return ["the top level is a FeatureCollection"]
    if "crs" in document:
        problems.append("a 'crs' member is not part of RFC 7946 (4.)")
    features = document.get("features")
    if not isinstance(features, list):
        return [*problems, "'features' is an array"]
    seen: set[object] = set()
    for n, feature in enumerate(features):
        where = f"feature {n}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(f"{where}: not a Feature")
            continue
        if "crs" in feature:
            problems.append(f"{where}: a 'crs' member is not part of RFC 7946 (4.)")
        if "id" in feature:
            key = feature["id"]
            if isinstance(key, bool) or not isinstance(key, str | int | float):
                problems.append(f"{where}: id is a string or number (3.2), got {key!r}")
            elif key in seen:
                problems.append(f"{where}: id {key!r} is not unique")
            else:
                seen.add(key)
        else:
            problems.append(f"{where}: no id")
        if "geometry" not in feature:
            problems.append(f"{where}: a Feature has a 'geometry' member (3.2)")
        _geometry(where, feature.get("geometry"), problems)
        properties = feature.get("properties")
        if not isinstance(properties, dict):
            problems.append(f"{where}: 'properties' is an object (3.2)")
            continue
        for name, value in properties.items():
            if not _flat(value):
                problems.append(f"{where}: property {name!r} is not flat: {value!r:.80}")
    for literal in _coordinate_text(text):
        fraction = literal.split(".", 1)[1] if "." in literal else ""
        if "e" in literal.lower() or len(fraction) > decimals:
            problems.append(f"coordinate {literal} has more than {decimals} decimals")
            break
    return problems
