"""Build `ptce/reference/france_outline.json`, the outline of metropolitan France for the pole map.

The dashboards run offline, so Plotly's geo maps (which fetch their base map from a CDN) are out;
the map draws this outline itself. Source: Natural Earth (public domain) as packaged in the npm
package `world-atlas` (TopoJSON). Run once, by hand, when the outline must change:

    cd "$(mktemp -d)" && npm pack world-atlas && tar xzf world-atlas-*.tgz
    python scripts/make_france_outline.py "$PWD/package/countries-50m.json"

Only the standard library is used: the TopoJSON is decoded here (quantised, delta-encoded arcs) and
simplified with Douglas–Peucker, then written as a small GeoJSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from pathlib import Path

FRANCE_ID = "250"  # ISO 3166-1 numeric, the id world-atlas uses
# Metropolitan France and Corsica; overseas departments fall outside this box.
LON_RANGE = (-6.0, 10.0)
LAT_RANGE = (41.0, 52.0)
OUTPUT = Path(__file__).resolve().parent.parent / "ptce" / "reference" / "france_outline.json"

Point = tuple[float, float]


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Absolute lon/lat coordinates of every arc (quantised arcs are delta-encoded)."""
    transform = topology.get("transform")
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[Point]]) -> list[Point]:
    """Stitch a ring from its arcs; index `~i` means arc `i` reversed."""
    points: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their junction point.
        points.extend(arc[1:] if points else arc)
    return points


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker on a closed ring, keeping first and last point (iterative, no recursion)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    # A closed ring has first == last, so split it at its farthest point from the start first.
    far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
    keep[far] = True
    stack = [(0, far), (far, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        if end - start < 2:
            continue
        (x1, y1), (x2, y2) = points[start], points[end]
        length = math.hypot(x2 - x1, y2 - y1)
        best, best_dist = -1, -1.0
        for i in range(start + 1, end):
            px, py = points[i]
            if length == 0:
                dist = math.hypot(px - x1, py - y1)
            else:
                dist = abs((x2 - x1) * (y1 - py) - (x1 - px) * (y2 - y1)) / length
            if dist > best_dist:
                best, best_dist = i, dist
        if best_dist > tolerance:
            keep[best] = True
            stack.extend([(start, best), (best, end)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def area(points: list[Point]) -> float:
    """Unsigned shoelace area, in squared degrees (only used to drop specks)."""
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(points)) / 2)


def in_metropole(points: list[Point]) -> bool:
    return all(LON_RANGE[0] <= x <= LON_RANGE[1] and LAT_RANGE[0] <= y <= LAT_RANGE[1] for x, y in points)


def france_outline(topology: dict, tolerance: float, min_area: float) -> list[list[list[Point]]]:
    """Polygons (outer ring only) of metropolitan France, simplified."""
    arcs = decode_arcs(topology)
    geometries = topology["objects"]["countries"]["geometries"]
    france = next(g for g in geometries if str(g.get("id")) == FRANCE_ID)
    polygons = france["arcs"] if france["type"] == "MultiPolygon" else [france["arcs"]]
    result = []
    for polygon in polygons:
        outer = ring_points(polygon[0], arcs)
        if not in_metropole(outer) or area(outer) < min_area:
            continue
        simplified = simplify(outer, tolerance)
        if len(simplified) >= 4:
            rounded = [(round(x, 3), round(y, 3)) for x, y in simplified]
            result.append([rounded])
    # Mainland first, then Corsica and the larger islands.
    result.sort(key=lambda poly: -area(poly[0]))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="world-atlas countries-50m.json (or -10m)")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    parser.add_argument("--tolerance", type=float, default=0.02, help="degrees (Douglas–Peucker)")
    parser.add_argument("--min-area", type=float, default=0.01, help="drop islands under (deg²)")
    args = parser.parse_args(argv)

    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    package_json = args.topojson.parent / "package.json"
    version = ""
    if package_json.exists():
        version = " " + json.loads(package_json.read_text(encoding="utf-8")).get("version", "")
    polygons = france_outline(topology, args.tolerance, args.min_area)
    n_points = sum(len(ring) for poly in polygons for ring in poly)
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "name": "France métropolitaine",
                    "source": (
                        "Natural Earth, Admin 0 – Countries (domaine public), via le paquet npm "
                        f"world-atlas{version} ({args.topojson.name}) ; simplifié "
                        f"(Douglas–Peucker, tolérance {args.tolerance}°) "
                        "par scripts/make_france_outline.py"
                    ),
                },
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        ],
    }
    args.out.write_text(json.dumps(geojson, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(polygons)} polygones, {n_points} points")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
