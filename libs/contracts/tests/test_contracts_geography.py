"""The municipalities file and the distance between two points."""

from __future__ import annotations

import math

import pytest

from contracts.geography import (
    Point,
    distance_km,
    haversine_km,
    is_municipality,
    municipalities,
    municipality,
    municipality_name,
    point_of,
    shown_km,
)

HAAGLANDEN = ("GM0503", "GM0518", "GM1916", "GM1842", "GM1926", "GM0603", "GM0629", "GM1783", "GM0637")


def test_every_dutch_municipality_is_in_the_file_once_with_a_point_in_the_country() -> None:
    known = municipalities()
    assert len(known) == 342
    for code, place in known.items():
        assert place.code == code and code.startswith("GM") and len(code) == 6
        assert 50.7 < place.point.latitude < 53.6 and 3.3 < place.point.longitude < 7.3, code
    assert all(is_municipality(code) for code in HAAGLANDEN)
    assert municipality_name("GM0518") == "Den Haag"
    assert municipality_name("GM0599") == "Rotterdam"
    assert municipality_name("GM9999") == "GM9999"
    assert not is_municipality("GM9999") and not is_municipality(None)


def test_no_two_municipalities_share_a_point() -> None:
    points = [place.point for place in municipalities().values()]
    nearest = min(haversine_km(a, b) for i, a in enumerate(points) for b in points[i + 1 :])
    assert nearest > 1.0


def test_haversine_of_known_distances() -> None:
    # One degree of latitude is about 111.2 km; a quarter of the equator is a quarter of its length.
    assert haversine_km(Point(52.0, 4.0), Point(53.0, 4.0)) == pytest.approx(111.2, abs=0.1)
    assert haversine_km(Point(0.0, 0.0), Point(0.0, 90.0)) == pytest.approx(math.pi * 6371.0088 / 2, rel=1e-9)
    assert haversine_km(Point(52.1, 4.3), Point(52.1, 4.3)) == 0.0
    # Symmetric, and the same point on the other side of the date line is close by.
    a, b = Point(52.07, 4.32), Point(51.92, 4.48)
    assert haversine_km(a, b) == haversine_km(b, a)
    assert haversine_km(Point(0.0, 179.9), Point(0.0, -179.9)) == pytest.approx(22.2, abs=0.1)


def test_distances_between_haaglanden_municipalities_are_plausible() -> None:
    def between(a: str, b: str) -> float:
        first, second = municipality(a), municipality(b)
        assert first is not None and second is not None
        return haversine_km(first.point, second.point)

    assert 5 < between("GM0518", "GM0503") < 12  # Den Haag – Delft
    assert 12 < between("GM0518", "GM0637") < 16  # Den Haag – Zoetermeer
    assert 18 < between("GM0518", "GM0599") < 25  # Den Haag – Rotterdam
    assert 140 < between("GM0518", "GM0014") < 200  # Den Haag – Groningen


def test_a_place_is_measured_from_its_own_point_else_its_municipality() -> None:
    delft = municipality("GM0503")
    assert delft is not None
    assert point_of(None, None, "GM0503") == delft.point
    assert point_of(52.1, 4.4, "GM0503") == Point(52.1, 4.4)
    assert point_of(52.1, None, "GM0503") == delft.point
    assert point_of(None, None, "GM9999") is None
    assert distance_km(None, delft.point) is None
    assert shown_km(12.345) == 12.3 and shown_km(None) is None
