"""Where things are: every Dutch municipality with a representative point (data/municipalities.csv, its
source and year in data/README.md), and the distance between two points over the earth's surface.

Read by every service: intake checks a school's municipality against it, matching measures a unit's
distance to a child's home and school. Pure: the file is read once, on first use.
"""

from __future__ import annotations

import csv
import functools
import math
from dataclasses import dataclass
from importlib import resources

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
# The furthest a child can be asked to travel inside the country: the Netherlands measures about
# 300 km from corner to corner, so a limit beyond it limits nothing.
MAX_TRAVEL_KM = 300.0
LATITUDE_RANGE = (-90.0, 90.0)
LONGITUDE_RANGE = (-180.0, 180.0)


@dataclass(frozen=True, slots=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Municipality:
    code: str
    name: str
    point: Point


@functools.cache
def municipalities() -> dict[str, Municipality]:
    """Every municipality of the data file, by CBS code."""
    text = resources.files("contracts").joinpath("data/municipalities.csv").read_text(encoding="utf-8")
    return {
        row["code"]: Municipality(row["code"], row["name"], Point(float(row["latitude"]), float(row["longitude"])))
        for row in csv.DictReader(text.splitlines())
    }


def municipality(code: str | None) -> Municipality | None:
    return None if code is None else municipalities().get(code)


def is_municipality(code: str | None) -> bool:
    return municipality(code) is not None


def municipality_name(code: str) -> str:
    known = municipality(code)
    return known.name if known is not None else code


def point_of(latitude: float | None, longitude: float | None, municipality_code: str | None) -> Point | None:
    """A place's own point when it has one, else its municipality's; None when neither is known."""
    if latitude is not None and longitude is not None:
        return Point(latitude, longitude)
    known = municipality(municipality_code)
    return known.point if known is not None else None


@functools.lru_cache(maxsize=65_536)
def haversine_km(a: Point, b: Point) -> float:
    """The great-circle distance between two points in kilometres (the haversine formula)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_km(a: Point | None, b: Point | None) -> float | None:
    """The distance between two points, None when one of them is unknown."""
    return None if a is None or b is None else haversine_km(a, b)


def shown_km(km: float | None) -> float | None:
    """A distance as it is shown and stored: to a tenth of a kilometre."""
    return None if km is None else round(km, 1)
