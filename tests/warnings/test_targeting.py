"""Recipients resolved from the area: exact at the polygon edge and at the circle's radius, by village
for residents without a location, filtered by warning type; counts per channel and village for sign-off."""

from __future__ import annotations

import math

from yingji.core.clock import utcnow
from yingji.warnings.models import ReceivingPoint, Subscriber
from yingji.warnings.service import recipients
from yingji.warnings.service.area import EARTH_RADIUS_M, parse_area

SQUARE = [[109.355, 24.26], [109.365, 24.26], [109.365, 24.27], [109.355, 24.27], [109.355, 24.26]]


def _sub(db, phone, lon=None, lat=None, village=None, types=None, status="active"):
    db.add(
        Subscriber(
            phone=phone,
            status=status,
            lon=lon,
            lat=lat,
            village_code=village,
            event_types=f",{','.join(types)}," if types else "",
            code_attempts=0,
            unsubscribe_token=f"t-{phone}",
            created_at=utcnow(),
        )
    )
    db.flush()


def _phones(db, area, event_type="rainstorm"):
    return {t.address for t in recipients.resolve(db=db, area=parse_area(db=db, area=area), event_type=event_type)}


def test_polygon_edge_is_exact(db):
    _sub(db, "19900000001", 109.36, 24.26)  # on the bottom edge
    _sub(db, "19900000002", 109.355, 24.27)  # on a vertex
    _sub(db, "19900000003", 109.365, 24.265)  # on the right edge
    _sub(db, "19900000004", 109.36, 24.26 - 1e-7)  # 1 cm outside
    _sub(db, "19900000005", 109.365 + 1e-7, 24.265)  # 1 cm outside
    _sub(db, "19900000006", 109.36, 24.265)  # inside
    got = _phones(db, {"polygon": SQUARE})
    assert {"19900000001", "19900000002", "19900000003", "19900000006"} <= got
    assert not {"19900000004", "19900000005"} & got


def test_concave_polygon_excludes_the_notch(db):
    notch = [[109.355, 24.26], [109.365, 24.26], [109.365, 24.27], [109.36, 24.262], [109.355, 24.27]]
    _sub(db, "19900000011", 109.36, 24.268)  # in the bounding box, inside the notch: outside the polygon
    _sub(db, "19900000012", 109.36, 24.261)
    got = _phones(db, {"polygon": notch})
    assert "19900000012" in got and "19900000011" not in got


def test_circle_radius_is_exact(db):
    lon, lat, r = 109.36, 24.265, 1000.0
    dlat = math.degrees((r - 0.05) / EARTH_RADIUS_M)
    _sub(db, "19900000021", lon, lat + dlat)  # 5 cm inside the radius
    _sub(db, "19900000022", lon, lat + math.degrees((r + 0.5) / EARTH_RADIUS_M))  # 50 cm outside
    got = _phones(db, {"circle": {"lon": lon, "lat": lat, "radius_m": r}})
    assert "19900000021" in got and "19900000022" not in got


def test_village_subscribers_type_filter_and_status(db):
    _sub(db, "19900000031", village="450206101001")  # 进德镇, by village
    _sub(db, "19900000032", village="450206101001", types=["typhoon"])
    _sub(db, "19900000033", village="450206101001", status="unsubscribed")
    _sub(db, "19900000034", village="450206101001", types=["rainstorm", "typhoon"])
    got = _phones(db, {"regions": ["450206101000"]})
    assert {"19900000031", "19900000034"} <= got
    assert not {"19900000032", "19900000033"} & got
    assert "19900000031" not in _phones(db, {"polygon": SQUARE})  # 拉堡镇 square: another township


def test_points_people_and_enterprises_in_area(db):
    db.add(
        ReceivingPoint(
            kind="screen",
            name="测试屏",
            village_code="450206100001",
            region_path="x",
            lon=109.36,
            lat=24.265,
            contacts={"webhook": "https://screen.example.cn/t"},
            created_at=utcnow(),
        )
    )
    db.flush()
    targets = recipients.resolve(db=db, area=parse_area(db=db, area={"polygon": SQUARE}), event_type="rainstorm")
    kinds = {str(t.kind) for t in targets}
    assert {"screen", "info_officer", "cadre", "subscriber"} <= kinds
    screen = next(t for t in targets if t.address == "https://screen.example.cn/t")
    assert screen.channel == "webhook" and screen.village_code == "450206100001"
    assert len({(t.channel, t.address) for t in targets}) == len(targets)


def test_preview_counts_per_channel_and_village(api):
    r = api("duty").post(
        "/api/v1/warnings/recipients/preview", json={"area": {"regions": ["450206105000"]}, "event_type": "rainstorm"}
    )
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["total"] == sum(s["by_channel"].values()) == sum(v["count"] for v in s["by_village"])
    assert s["by_kind"]["loudspeaker"] == len(
        [v for v in s["by_village"] if v["code"] and v["code"].startswith("450206105")]
    )
    assert all(v["name"] for v in s["by_village"])
    assert (
        api("officer")
        .post("/api/v1/warnings/recipients/preview", json={"area": {"regions": ["450206105000"]}})
        .status_code
        == 403
    )


def test_preview_refuses_a_bad_body_naming_the_field(api):
    """The preview's body is the draft's area and warning type, with the draft's own checks (the OpenAPI says
    so); nothing else gets through to the recipient search."""
    duty = api("duty")
    for body, field in [
        ({}, "area"),
        ({"area": {"circle": {"lon": 109.4, "lat": 24.3, "radius_m": -1}}}, "area"),
        ({"area": {"regions": ["450206105000"]}, "event_type": "no-such-type"}, "event_type"),
        ({"area": {"regions": ["450206105000"]}, "extra": 1}, "extra"),
    ]:
        r = duty.post("/api/v1/warnings/recipients/preview", json=body)
        assert r.status_code == 422, (body, r.text)
        assert any(d["field"].startswith(field) for d in r.json()["error"]["details"]), (body, r.json())
    schema = duty.get("/api/openapi.json").json()["components"]["schemas"]["RecipientPreview"]
    assert schema["required"] == ["area"] and "oneOf" in schema["properties"]["area"]
