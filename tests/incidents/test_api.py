"""The incidents API from the outside: the list envelope and filters, a report, the detail with its lists,
casualty changes with the version check (409 with a clear message, nothing changed), merging, fulfilling,
the duty room's roster and who is on duty; bad input is a 422 naming the field."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.incidents.helpers import LABAO, T0
from tests.incidents.test_duty import ROWS, xlsx

BODY = {"kind": "work_safety", "occurred_at": "2026-06-01T10:00:00+08:00", "region_code": LABAO,
        "address": "拉堡镇工业园", "deaths": 1, "description": "厂房内起重伤害"}


def test_report_then_read_it_back_with_its_lists(api, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(minutes=20))
    duty = api("duty")
    r = duty.post("/api/v1/incidents", json=BODY)
    assert r.status_code == 201, r.text
    created = r.json()
    assert (created["grade"], created["grade_label"], created["source"]) == ("IV", "一般", "phone")
    assert created["version"] == 1
    page = duty.get("/api/v1/incidents", params={"status": "open", "kind": "work_safety"}).json()
    assert set(page) == {"items", "total", "page", "page_size"}
    assert created["id"] in [i["id"] for i in page["items"]]
    detail = duty.get(f"/api/v1/incidents/{created['id']}").json()
    assert len(detail["reports"]) == 1 and detail["timeline"][0]["kind"] == "report"
    assert [g["new_grade"] for g in detail["grade_history"]] == ["IV"]
    owed = duty.get(f"/api/v1/incidents/{created['id']}/obligations").json()
    assert {o["code"] for o in owed["items"]} >= {"unit_to_county", "county_to_city"}


def test_casualty_change_and_the_version_conflict(api, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(minutes=20))
    duty = api("duty")
    incident = duty.post("/api/v1/incidents", json=BODY).json()
    url = f"/api/v1/incidents/{incident['id']}/casualties"
    r = duty.post(url, json={"version": 1, "deaths": 3, "source": "县医院"})
    assert r.status_code == 200 and r.json()["grade"] == "III" and r.json()["version"] == 2
    stale = duty.post(url, json={"version": 1, "deaths": 4, "source": "另一位值班员"})
    assert stale.status_code == 409
    message = stale.json()["error"]["message"]
    assert "第 1 版" in message and "第 2 版" in message and "刷新" in message
    assert duty.get(f"/api/v1/incidents/{incident['id']}").json()["deaths"] == 3


def test_merge_and_fulfil(api, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(hours=4))
    duty = api("duty")
    a = duty.post("/api/v1/incidents", json={**BODY, "kind": "landslide", "reporter_name": "村民甲"}).json()
    b = duty.post("/api/v1/incidents", json={**BODY, "kind": "landslide", "reporter_name": "村民乙"}).json()
    r = duty.post(f"/api/v1/incidents/{a['id']}/merge", json={"duplicate_id": b["id"], "version": 1})
    assert r.status_code == 200, r.text
    detail = duty.get(f"/api/v1/incidents/{a['id']}").json()
    assert sorted(x["reporter_name"] for x in detail["reports"]) == ["村民乙", "村民甲"]
    assert duty.get(f"/api/v1/incidents/{b['id']}").json()["status"] == "merged"
    initial = next(o for o in detail["obligations"] if o["code"] == "disaster_initial")
    assert initial["overdue"]  # occurred 10:00, due 12:00, now 14:00
    done = duty.post(f"/api/v1/incidents/obligations/{initial['id']}/fulfil", json={}).json()
    assert (done["status"], done["late_minutes"]) == ("fulfilled", 120)


@pytest.mark.parametrize(
    ("change", "field"),
    [({"deaths": -1}, "deaths"), ({"deaths": "三"}, "deaths"), ({"kind": "meteor"}, "kind"),
     ({"occurred_at": "2026-06-01T10:00:00"}, "occurred_at"), ({"region_code": "1"}, "region_code"),
     ({"occurred_at": "0001-01-01T00:00:00+08:00"}, "occurred_at"),
     ({"lon": 200}, "lon"), ({"source": "rumour"}, "source")],
)
def test_bad_report_is_422_naming_the_field(api, change, field) -> None:
    duty = api("duty")
    before = duty.get("/api/v1/incidents").json()["total"]
    r = duty.post("/api/v1/incidents", json={**BODY, **change})
    assert r.status_code == 422, r.text
    assert any(d["field"].split(".")[-1] == field for d in r.json()["error"]["details"]), r.text
    assert duty.get("/api/v1/incidents").json()["total"] == before


def test_bad_filter_is_422(api) -> None:
    r = api("duty").get("/api/v1/incidents", params={"status": "lost"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "status"
    assert api("duty").get("/api/v1/duty/roster", params={"start": "9999-12-30"}).status_code == 200


def test_roster_import_and_on_duty(api) -> None:
    duty = api("duty")
    files = {"file": ("roster.xlsx", xlsx(ROWS), "application/octet-stream")}
    r = duty.post("/api/v1/duty/roster/import", files=files)
    assert r.status_code == 200 and r.json() == {"days": 2, "rows": 4}, r.text
    page = duty.get("/api/v1/duty/roster", params={"start": "2031-03-01", "end": "2031-03-31"}).json()
    assert page["total"] == 4 and {a["name"] for a in page["items"]} == {"覃华", "韦明", "莫兰", "黄磊"}
    now = duty.get("/api/v1/duty/now")
    assert now.status_code == 200 and set(now.json()) >= {"leaders", "officers", "townships", "open_items"}
    bad = xlsx([ROWS[0], [ROWS[1][0], "值班员", "韦明", "不是电话", None]])
    r = duty.post("/api/v1/duty/roster/import", files={"file": ("r.xlsx", bad, "application/octet-stream")})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "第3行 电话"


def test_handover_through_the_api(api) -> None:
    duty = api("duty")
    item = duty.post("/api/v1/duty/items", json={"text": "跟踪拉堡镇滑坡"}).json()
    r = duty.post("/api/v1/duty/handovers", json={"to_name": "覃华", "note": "夜间平稳"})
    assert r.status_code == 201 and item["id"] in r.json()["carried_item_ids"]
