"""Helpers for warning tests: a valid warning body and the sign-off sequence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # the fixed_clock default

# A square around part of the county seat (拉堡镇), GeoJSON order.
SEAT_SQUARE = [[109.355, 24.26], [109.365, 24.26], [109.365, 24.27], [109.355, 24.27], [109.355, 24.26]]
# Around the loudspeaker of 城中社区 (450206100001, at the village centre): a few dozen recipients.
SPEAKER_CIRCLE = {"circle": {"lon": 109.363056, "lat": 24.26481, "radius_m": 120}}


def body(**overrides: Any) -> dict[str, Any]:
    b = {
        "event_type": "rainstorm",
        "level": "orange",
        "headline": "柳江区发布暴雨橙色预警",
        "description": "预计未来 3 小时内降雨量将达 50 毫米以上。",
        "instruction": "停止户外作业，低洼地区人员转移。",
        "effective": NOW.isoformat(),
        "expires": (NOW + timedelta(hours=12)).isoformat(),
        "area": {"polygon": SEAT_SQUARE},
    }
    b.update(overrides)
    return b


def published(
    api, *, author: str = "duty", approver: str = "leader", rows: bool = True, **overrides: Any
) -> dict[str, Any]:
    """Creates, submits, signs (by someone else) and publishes a warning; returns its JSON. With
    ``rows`` the worker's part follows: its recipients found and their delivery rows written (not sent)."""
    a: TestClient = api(author)
    r = a.post("/api/v1/warnings", json=body(**overrides))
    assert r.status_code == 201, r.text
    wid = r.json()["id"]
    assert a.post(f"/api/v1/warnings/{wid}/submit").status_code == 200
    r = api(approver).post(f"/api/v1/warnings/{wid}/approve", json={"note": "同意"})
    assert r.status_code == 200, r.text
    r = api(approver).post(f"/api/v1/warnings/{wid}/publish", json={"confirm_unreached": True})
    assert r.status_code == 200, r.text
    if rows:
        from yingji.warnings.service import delivery

        delivery.expand(a.app.state.database, wid)
    return r.json()
