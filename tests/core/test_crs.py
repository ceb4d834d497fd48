"""Coordinate conversion on import (core/crs.py): GCJ-02 ↔ WGS84 against published coordinate pairs, and
PROJ's CRSs (CGCS2000 Gauss-Krüger) against values that follow from the projection's definition.
Tolerance: 1e-6° (about 0.1 m) for GCJ-02, 1e-7° / 1 mm for PROJ."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from yingji.core import crs
from yingji.core.errors import ValidationFailed

# (WGS84 lat, lon, GCJ-02 lat, lon): the pairs the GCJ-02 formula's public implementations test against.
PAIRS = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
]


@pytest.mark.parametrize(("wlat", "wlon", "glat", "glon"), PAIRS)
def test_gcj02_both_ways_against_known_pairs(wlat, wlon, glat, glon) -> None:
    assert crs.wgs84_to_gcj02(wlon, wlat) == pytest.approx((glon, glat), abs=1e-6)
    assert crs.gcj02_to_wgs84(glon, glat) == pytest.approx((wlon, wlat), abs=1e-6)
    moved = crs.to_wgs84(Point(glon, glat), crs.parse("GCJ-02"))
    assert (moved.x, moved.y) == pytest.approx((wlon, wlat), abs=1e-6)


def test_gcj02_is_no_offset_outside_china_and_some_hundreds_of_metres_inside() -> None:
    assert crs.wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)  # Paris
    glon, glat = crs.wgs84_to_gcj02(109.4, 24.3)  # Liujiang
    assert 0.001 < abs(glon - 109.4) + abs(glat - 24.3) < 0.01


def test_gauss_kruger_to_wgs84() -> None:
    gk = crs.parse("EPSG:4545")  # CGCS2000 / 3-degree Gauss-Kruger CM 108E (no zone prefix)
    assert "4545" in gk.label and "Gauss" in gk.label
    # On the central meridian the easting is the false easting, 500 000 m; at the equator the northing is 0.
    p = crs.to_wgs84(Point(500000, 0), gk)
    assert (p.x, p.y) == pytest.approx((108.0, 0.0), abs=1e-9)
    # One degree of latitude along the central meridian from the equator is the GRS80 meridian arc,
    # 110 574.389 m (from the series of the meridian arc length, by hand to the millimetre).
    q = crs.to_wgs84(Point(500000, 110574.389), gk)
    assert (q.x, q.y) == pytest.approx((108.0, 1.0), abs=1e-7)


def test_crs_as_said() -> None:
    assert crs.parse("4490").crs.to_epsg() == 4490
    assert crs.parse("CGCS2000").crs.to_epsg() == 4490
    assert crs.parse("gcj02").gcj02 and crs.parse("火星坐标").gcj02
    with pytest.raises(ValidationFailed) as exc:
        crs.parse("EPSG:999999")
    assert exc.value.details[0].field == "crs"
