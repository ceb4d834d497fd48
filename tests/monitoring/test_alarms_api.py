"""Alarm lifecycle by people, escalation through the outbox, sensors CRUD and Excel, permissions from outside."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from yingji.core import outbox
from yingji.core.notices import Notice

from .helpers import JINDE, LABAO, T0, VILLAGE, M, alarms_of, feed, make_sensor

ALARMS = "/api/v1/monitoring/alarms"


def _escalations(db, alarm_id):
    q = select(Notice).where(Notice.kind == "alarm_escalated", Notice.ref_type == "alarm", Notice.ref_id == alarm_id)
    return list(db.scalars(q))


def _red_gas_alarm(db, region=LABAO):
    gas = make_sensor(db, "gas", region=region)
    feed(db, gas, (0 * M, 60.0))
    [alarm] = alarms_of(db, gas, "gas")
    assert alarm.level == "red"
    return gas, alarm


def test_unacknowledged_red_alarm_escalates_to_leaders_once(db, database, fixed_clock, api) -> None:
    fixed_clock(T0 + 10 * M)
    gas, alarm = _red_gas_alarm(db)
    db.commit()
    outbox.drain(database)  # the escalation is not due before ten minutes unacknowledged
    db.expire_all()
    assert db.get(type(alarm), alarm.id).escalated_at is None
    assert _escalations(db, alarm.id) == []
    fixed_clock(T0 + 21 * M)
    outbox.drain(database)
    db.expire_all()
    alarm = db.get(type(alarm), alarm.id)
    assert alarm.escalated_at == T0 + 21 * M
    notices = _escalations(db, alarm.id)
    assert len(notices) == 1 and "未确认" in notices[0].body  # the one demo leader
    assert api("leader").get("/api/v1/monitoring/notices").json()["items"][0]["alarm_id"] == alarm.id
    r = api("duty").get(f"{ALARMS}?sensor={gas.code}").json()
    assert r["items"][0]["level"] == "red" and r["items"][0]["state"] == "open"
    events = [e["kind"] for e in api("duty").get(f"{ALARMS}/{alarm.id}/events").json()["items"]]
    assert events == ["opened", "escalated"]


def test_acknowledged_red_alarm_does_not_escalate(db, database, fixed_clock, api) -> None:
    fixed_clock(T0 + 10 * M)
    gas, alarm = _red_gas_alarm(db)
    db.commit()
    r = api("labao").post(f"{ALARMS}/{alarm.id}/acknowledge", json={"note": "已电话核实"})
    assert r.status_code == 200 and r.json()["state"] == "acknowledged"
    fixed_clock(T0 + 30 * M)
    outbox.drain(database)
    db.expire_all()
    assert db.get(type(alarm), alarm.id).escalated_at is None
    assert api("labao").post(f"{ALARMS}/{alarm.id}/acknowledge", json={}).status_code == 409
    r = api("labao").post(f"{ALARMS}/{alarm.id}/annotate", json={"note": "关阀处置中"})
    assert r.status_code == 200
    assert api("labao").post(f"{ALARMS}/{alarm.id}/annotate", json={"note": " "}).status_code == 422
    r = api("labao").post(f"{ALARMS}/{alarm.id}/close", json={"note": "已处置"})
    assert r.status_code == 200 and r.json()["state"] == "closed"
    kinds = [e["kind"] for e in api("duty").get(f"{ALARMS}/{alarm.id}/events").json()["items"]]
    assert kinds == ["opened", "acknowledged", "annotated", "closed"]


def test_sensor_crud_and_bad_input(api) -> None:
    duty = api("duty")
    body = {
        "code": "API-RG-1",
        "name": "接口雨量站",
        "kind": "rain_gauge",
        "lon": 109.33,
        "lat": 24.27,
        "region_code": VILLAGE,
    }
    r = duty.post("/api/v1/monitoring/sensors", json=body)
    assert r.status_code == 201, r.text
    s = r.json()
    assert (s["unit"], s["min_value"], s["max_value"], s["interval_s"]) == ("mm", 0, 200, 300)
    assert duty.post("/api/v1/monitoring/sensors", json=body).status_code == 409
    bad = duty.post("/api/v1/monitoring/sensors", json={**body, "code": "X2", "kind": "weather_balloon"})
    assert bad.status_code == 422
    bad = duty.post("/api/v1/monitoring/sensors", json={**body, "code": "X3", "min_value": 10, "max_value": 5})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "max_value"
    r = duty.patch(f"/api/v1/monitoring/sensors/{s['id']}", json={"interval_s": 60, "name": "改名"})
    assert r.status_code == 200 and r.json()["interval_s"] == 60
    assert duty.get("/api/v1/monitoring/sensors?kind=rain_gauge&page_size=1").json()["total"] >= 127
    assert duty.delete(f"/api/v1/monitoring/sensors/{s['id']}").status_code == 204
    assert duty.get(f"/api/v1/monitoring/sensors/{s['id']}").status_code == 404


def test_excel_export_and_all_or_nothing_import(api) -> None:
    duty = api("duty")
    exported = duty.get("/api/v1/monitoring/sensors/export.xlsx")
    assert exported.status_code == 200
    ws = load_workbook(io.BytesIO(exported.content)).active
    assert ws.cell(1, 1).value == "传感器编码" and ws.max_row >= 290
    template = load_workbook(io.BytesIO(duty.get("/api/v1/monitoring/sensors/template.xlsx").content))
    sheet = template.active
    assert sheet.cell(2, 1).value == "RG-001"  # an example row, replaced by real ones
    sheet.delete_rows(2)
    sheet.append(["XL-1", "导入雨量站", "雨量计", "", "qx", None, 109.33, 24.27, VILLAGE])
    sheet.append(["XL-2", "导入水位站", "不存在的类型", "", "", None, 109.33, 24.27, VILLAGE])
    buf = io.BytesIO()
    template.save(buf)
    files = {"file": ("s.xlsx", buf.getvalue(), "application/octet-stream")}
    r = duty.post("/api/v1/monitoring/sensors/import", files=files)
    assert r.status_code == 422 and "第" in r.json()["error"]["message"]
    assert duty.get("/api/v1/monitoring/sensors?q=XL-1").json()["total"] == 0  # nothing imported
    sheet.delete_rows(sheet.max_row)
    buf = io.BytesIO()
    template.save(buf)
    r = duty.post("/api/v1/monitoring/sensors/import", files={"file": ("s.xlsx", buf.getvalue(), "x")})
    assert r.status_code == 200, r.text
    assert r.json() == {"imported": 1}


def test_permissions_from_outside(db, api, fixed_clock) -> None:
    fixed_clock(T0 + 10 * M)
    outside = make_sensor(db, "gas", region=JINDE)
    feed(db, outside, (0 * M, 30.0))
    [alarm] = alarms_of(db, outside)
    db.commit()
    body = {"code": "PERM-1", "name": "x", "kind": "rain_gauge", "lon": 109.33, "lat": 24.27, "region_code": JINDE}
    reading = [{"sensor": outside.code, "ts": (T0 + M).isoformat(), "value": 1}]
    rule = {"code": "perm-r", "name": "x", "kind": "threshold", "level": "blue", "params": {"value": 1}}
    # who may not write what: 403
    for user in ("leader", "township_officer", "officer", "chem"):
        name = {"township_officer": "labao"}.get(user, user)
        assert api(name).post("/api/v1/monitoring/sensors", json=body).status_code == 403, user
        assert api(name).post("/api/v1/monitoring/readings", json=reading).status_code == 403, user
    for name in ("liaison", "leader", "labao", "officer", "chem"):
        assert api(name).post("/api/v1/monitoring/rules", json=rule).status_code == 403, name
    assert api("liaison").post(f"{ALARMS}/{alarm.id}/acknowledge", json={}).status_code == 403
    # what lies outside one's area: 404, and absent from lists
    for name in ("labao", "officer", "chem"):
        assert api(name).get(f"/api/v1/monitoring/sensors/{outside.id}").status_code == 404, name
        assert api(name).get(f"{ALARMS}/{alarm.id}").status_code == 404, name
        ids = [a["id"] for a in api(name).get(f"{ALARMS}?page_size=500").json()["items"]]
        assert alarm.id not in ids
    assert api("labao").post(f"{ALARMS}/{alarm.id}/acknowledge", json={}).status_code == 404
    assert api("labao").post("/api/v1/monitoring/sensors", json=body).status_code == 403
    codes = [f["properties"]["code"] for f in api("chem").get("/api/v1/monitoring/sensors.geojson").json()["features"]]
    assert codes and all(c.startswith("MH-") for c in codes)  # only its own enterprise's sensors
    assert api("duty").get(f"/api/v1/monitoring/sensors/{outside.id}").status_code == 200
