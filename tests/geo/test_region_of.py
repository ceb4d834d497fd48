"""One way to find the region of a record (``geo.service.region_of``) and one haversine."""

from __future__ import annotations

import math

import numpy as np
import pytest

from yingji.core.errors import ValidationFailed
from yingji.geo import service as geo_service


def test_by_code_by_point_and_the_errors_name_their_field(db) -> None:
    village = geo_service.region_infos(db=db, level="village")[0]
    assert geo_service.region_of(db=db, region_code=village.code).code == village.code
    # The village's centroid lies in the village: the innermost region of the allowed levels.
    lon, lat = village.centroid
    found = geo_service.region_of(db=db, lon=lon, lat=lat, levels=geo_service.TOWNSHIP_OR_VILLAGE)
    assert found.level == "village"
    district = geo_service.region_infos(db=db, level="district")[0]
    with pytest.raises(ValidationFailed) as refused:
        geo_service.region_of(db=db, region_code=district.code, levels=("village",), field="where")
    assert refused.value.details[0].field == "where"
    with pytest.raises(ValidationFailed) as unknown:
        geo_service.region_of(db=db, region_code="999999999999")
    assert "999999999999" in unknown.value.details[0].message
    with pytest.raises(ValidationFailed) as outside:
        geo_service.region_of(db=db, lon=116.39, lat=39.9)  # Beijing, far outside the district
    assert outside.value.details[0].field == "lon"
    with pytest.raises(ValidationFailed) as missing:
        geo_service.region_of(db=db, missing_message="请填写")
    assert (missing.value.details[0].field, missing.value.details[0].message) == ("region_code", "请填写")


def test_haversine_one_degree_of_meridian() -> None:
    # One degree along a meridian is R·π/180 with the mean radius 6 371 008.8 m: 111 195.08 m.
    expected = 6_371_008.8 * math.pi / 180
    assert geo_service.haversine_m(109.0, 24.0, 109.0, 25.0) == pytest.approx(expected, abs=0.01)
    both = geo_service.haversine_m(109.0, 24.0, np.array([109.0, 109.0]), np.array([25.0, 24.0]))
    assert both[0] == pytest.approx(expected, abs=0.01) and both[1] == 0.0
