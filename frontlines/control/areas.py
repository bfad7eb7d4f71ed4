"""Area held by each side on a day: Voronoi cells around the places, clipped, measured in km².

Each locality with a state on the day is a seed; its Voronoi cell (the land nearer to it than to
any other seed) is counted for its holder, or under "(contested)", "(uncertain)" or "(unknown)".
Regions, countries and "surroundings" are not seeds: their point is a capital or a centroid, not
the area they stand for. The cells are clipped to the convex hull of the seeds widened by
`buffer_km` (10 km by default: a town speaks for its own surroundings, not for the empty land
beyond the last place named) and, when boundary polygons are given, to those that hold a seed.

How rough this is: a cell is the land nearer to one named place than to the others, whatever the
front line, so an estimate is only as good as the density of places the articles name. With a
handful of towns, one cell spans tens of kilometres and the total moves by hundreds of km² when one
village is added or the buffer changes; compare orders of magnitude, not figures.

Projection: pyproj is not installed, so coordinates go through a sinusoidal projection centred
on the seeds (x = R·Δλ·cos φ, y = R·Δφ, R the Earth's mean radius). It is equal-area on the
sphere, so areas in it are true to the sphere (within about 0.5% of the ellipsoid); distances are
stretched away from the central meridian, which moves cell edges slightly at country scale.
Boundary edges are densified to 0.05° before projecting so that meridians keep their curve.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, shape
from shapely.geometry.base import BaseGeometry

from frontlines.control.model import ControlState

EARTH_RADIUS_KM = 6371.0088
CONTESTED, UNCERTAIN, UNKNOWN = "(contested)", "(uncertain)", "(unknown)"


@dataclass(slots=True)
class Boundary:
    """A polygon to clip cells to (lon/lat), e.g. a country or first-level region."""

    name: str
    geometry: BaseGeometry
    country: str | None = None


@dataclass(slots=True)
class PlaceArea:
    place_id: str
    name: str
    holder: str
    km2: float


@dataclass(slots=True)
class AreaEstimate:
    """km² per holder (and per contested/uncertain/unknown bucket), per place, and how it was made."""

    by_holder: dict[str, float] = field(default_factory=dict)
    places: list[PlaceArea] = field(default_factory=list)
    method: str = ""

    @property
    def total_km2(self) -> float:
        return sum(self.by_holder.values())


class SinusoidalProjection:
    """Equal-area sinusoidal projection around a central point, in km."""

    def __init__(self, lon0: float, lat0: float) -> None:
        self.lon0, self.lat0 = lon0, lat0

    def forward(self, coords: np.ndarray) -> np.ndarray:
        lon, lat = np.radians(coords[:, 0] - self.lon0), np.radians(coords[:, 1])
        return np.column_stack((EARTH_RADIUS_KM * lon * np.cos(lat),
                                EARTH_RADIUS_KM * (lat - math.radians(self.lat0))))

    def geometry(self, geom: BaseGeometry) -> BaseGeometry:
        return shapely.transform(shapely.segmentize(geom, 0.05), self.forward)


def state_label(state: ControlState) -> str:
    if state.status == "held":
        return state.holder or UNKNOWN
    return {"contested": CONTESTED, "uncertain": UNCERTAIN}.get(state.status, UNKNOWN)


def area_by_holder(states: Iterable[ControlState], boundaries: Sequence[Boundary | BaseGeometry] | None = None,
                   *, buffer_km: float = 10.0) -> AreaEstimate:
    """Area per holder from Voronoi cells around the localities in `states` (see the module doc).

    Each country's places are a diagram of their own: a town in Myanmar does not share cells with
    one in Syria.
    """
    by_country: dict[str, list[ControlState]] = {}
    for state in states:
        p = state.place
        if p.level == "locality" and p.latitude is not None and p.longitude is not None:
            by_country.setdefault(p.country or "??", []).append(state)
    if not by_country:
        return AreaEstimate(method="no locality with coordinates")
    polygons = [b.geometry if isinstance(b, Boundary) else b for b in boundaries or []]
    estimate = AreaEstimate()
    notes = []
    for country, country_states in sorted(by_country.items()):
        notes.append(f"{country}: " + _country_cells(country_states, polygons, buffer_km, estimate))
    estimate.by_holder = dict(sorted(estimate.by_holder.items(), key=lambda kv: -kv[1]))
    estimate.method = "Voronoi cells around localities, " + "; ".join(notes)
    return estimate


def _country_cells(states: list[ControlState], polygons: list[BaseGeometry], buffer_km: float,
                   estimate: AreaEstimate) -> str:
    """Add one country's cells to `estimate`; say how they were clipped."""
    seeds: dict[tuple[float, float], tuple[str, list[ControlState]]] = {}
    for state in states:
        point = (round(state.place.longitude, 4), round(state.place.latitude, 4))
        label = state_label(state)
        if point in seeds and seeds[point][0] != label:
            label = CONTESTED  # two places at one point, held by different sides
        seeds[point] = (label, seeds.get(point, (label, []))[1] + [state])
    points = np.array(list(seeds))
    projection = SinusoidalProjection(float(points[:, 0].mean()), float(points[:, 1].mean()))
    xy = projection.forward(points)
    region = MultiPoint([tuple(v) for v in xy]).convex_hull.buffer(buffer_km, quad_segs=32)
    method = f"{len(seeds)} localities, clipped to their convex hull + {buffer_km:g} km"
    if polygons:
        # Each seed is clipped to the smallest polygon that holds it: a first-level region when
        # the boundaries have them, else its country.
        holding: list[BaseGeometry] = []
        for pt in (Point(*pt) for pt in points):
            around = [g for g in polygons if g.covers(pt)]
            smallest = min(around, key=lambda g: g.area, default=None)
            if smallest is not None and not any(smallest is h for h in holding):
                holding.append(smallest)
        if holding:
            clip = shapely.union_all([projection.geometry(shapely.make_valid(g)) for g in holding])
            region = region.intersection(clip)
            method += f" and to {len(holding)} boundary polygon(s)"
    for (label, states_here), cell in zip(seeds.values(), _cells(xy, region), strict=True):
        km2 = cell.area
        estimate.by_holder[label] = estimate.by_holder.get(label, 0.0) + km2
        for s in states_here:
            estimate.places.append(PlaceArea(s.place.id, s.place.name, label, km2 / len(states_here)))
    return method


def _cells(xy: np.ndarray, region: BaseGeometry) -> list[BaseGeometry]:
    """The Voronoi cell of each point (in order), clipped to `region`."""
    if len(xy) == 1:
        return [region]
    # shapely.voronoi_polygons is shapely.ops.voronoi_diagram's vectorised form.
    diagram = shapely.voronoi_polygons(MultiPoint([tuple(v) for v in xy]),
                                       extend_to=region.envelope.buffer(1.0))
    cells: list[BaseGeometry] = []
    for v in xy:
        point = Point(*v)
        cell = next((g for g in diagram.geoms if g.covers(point)), None)
        cells.append(region.intersection(cell) if cell is not None else shapely.Polygon())
    return cells


def bundled_boundaries() -> list[Boundary]:
    """Polygons shipped with the web package (any GeoJSON under frontlines/web/static/), if any.

    First-level regions are used when some file has them; country outlines otherwise. The files
    are the web page's; nothing is downloaded.
    """
    try:
        root = Path(str(resources.files("frontlines").joinpath("web", "static")))
    except (ModuleNotFoundError, FileNotFoundError):
        return []
    if not root.is_dir():
        return []
    found: list[Boundary] = []
    for path in sorted(root.rglob("*.geojson")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for feature in data.get("features", []) if isinstance(data, dict) else []:
            geometry = (feature or {}).get("geometry") or {}
            if geometry.get("type") not in {"Polygon", "MultiPolygon"}:
                continue
            props = feature.get("properties") or {}
            try:
                geom = shapely.make_valid(shape(geometry))
            except (ValueError, TypeError, shapely.errors.GEOSException):
                continue
            name = str(props.get("name") or props.get("admin1") or feature.get("id") or path.stem)
            found.append(Boundary(name, geom, props.get("iso_a2") or props.get("country")))
    return found
