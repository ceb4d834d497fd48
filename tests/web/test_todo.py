"""The 待办 inbox from the outside: what each role finds waiting (alarms to acknowledge, warnings to sign,
overdue hazards, store alerts), per-user read and done, the record settling it for everyone, and a notice
being nobody else's business (404)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.monitoring.helpers import JINDE, LABAO, T0, M, alarms_of, feed, make_sensor
from tests.risk.helpers import new_hazard
from tests.risk.helpers import user as demo_user
from tests.warnings.helpers import body as warning_body
from yingji.core import outbox
from yingji.core.jobs import run_job
from yingji.resources.models import Warehouse
from yingji.resources.service import alerts
from yingji.risk.service import hazards

NOTICES = "/api/v1/notices"


@pytest.fixture
def jinde(api, app) -> TestClient:
    """A township officer of 进德镇 (the demo has one for 拉堡镇 only)."""
    r = api("admin").post(
        "/api/v1/accounts/users",
        json={"username": "jinde", "password": "jinde-pass-2026", "role": "township_officer", "region_code": JINDE},
    )
    assert r.status_code == 201, r.text
    c = TestClient(app, raise_server_exceptions=False)
    token = c.post("/api/v1/auth/token", json={"username": "jinde", "password": "jinde-pass-2026"}).json()
    c.headers["Authorization"] = f"Bearer {token['access_token']}"
    return c


def inbox(client: TestClient, status: str = "open") -> list[dict]:
    r = client.get(f"{NOTICES}?status={status}&page_size=500")
    assert r.status_code == 200, r.text
    assert set(r.json()) == {"items", "total", "page", "page_size"}
    return r.json()["items"]


def find(client: TestClient, ref_type: str, ref_id: int, status: str = "open") -> list[dict]:
    return [n for n in inbox(client, status) if n["ref_type"] == ref_type and n["ref_id"] == ref_id]


def red_alarm(db, database, fixed_clock, region: str = LABAO):
    fixed_clock(T0 + 10 * M)
    gas = make_sensor(db, "gas", region=region)
    feed(db, gas, (0 * M, 60.0))
    [alarm] = alarms_of(db, gas, "gas")
    db.commit()
    outbox.drain(database, topics=["event:AlarmRaised"])
    return alarm


def test_an_alarm_waits_for_duty_and_its_township_until_acknowledged(db, database, fixed_clock, api, jinde) -> None:
    alarm = red_alarm(db, database, fixed_clock)
    event = alarm.event_id or alarm.id
    [mine] = find(api("duty"), "alarm_event", event)
    assert mine["title"] == "红色告警待确认" and mine["link"] == f"/monitoring/alarms/{event}"
    assert mine["source"] == "monitoring" and mine["read_at"] is None and mine["open"] is True
    assert [n["id"] for n in find(api("labao"), "alarm_event", event)] == [mine["id"]]
    # Not theirs: another township, the leaders (escalations only), an enterprise, an information officer.
    for other in (jinde, api("leader"), api("chem"), api("officer")):
        assert find(other, "alarm_event", event, "all") == []
        assert other.get(f"{NOTICES}/{mine['id']}").status_code == 404
        assert other.post(f"{NOTICES}/{mine['id']}/read").status_code == 404
        assert other.post(f"{NOTICES}/{mine['id']}/done").status_code == 404
    assert api("duty").get(f"{NOTICES}/{mine['id']}").json()["read_at"] is None  # the attempts changed nothing

    r = api("labao").post(f"/api/v1/monitoring/alarms/{alarm.id}/acknowledge", json={"note": "已核实"})
    assert r.status_code == 200
    for who in ("duty", "labao"):  # settled for everyone at once, kept under 已完成
        assert find(api(who), "alarm_event", event) == []
        [done] = find(api(who), "alarm_event", event, "done")
        assert done["closed_at"] is not None and done["open"] is False


def test_an_alarm_outside_the_township_is_not_the_townships(db, database, fixed_clock, api, jinde) -> None:
    alarm = red_alarm(db, database, fixed_clock, region=JINDE)
    event = alarm.event_id or alarm.id
    assert len(find(jinde, "alarm_event", event)) == 1
    assert find(api("labao"), "alarm_event", event, "all") == []
    assert len(find(api("duty"), "alarm_event", event)) == 1


def test_read_and_done_are_per_user(db, database, fixed_clock, api, page_client) -> None:
    alarm = red_alarm(db, database, fixed_clock)
    [n] = find(api("duty"), "alarm_event", alarm.event_id or alarm.id)

    def badge(client) -> int:
        m = re.search(r'data-todo-unread="(\d+)"', client.get("/todo").text)
        return int(m.group(1)) if m else 0

    duty_page, labao_page = page_client("duty"), page_client("labao")
    duty_before, labao_before = badge(duty_page), badge(labao_page)
    assert duty_before >= 1 and labao_before >= 1
    r = api("duty").post(f"{NOTICES}/{n['id']}/read")
    assert r.status_code == 200 and r.json()["read_at"] is not None and r.json()["open"] is True
    assert badge(duty_page) == duty_before - 1
    assert badge(labao_page) == labao_before  # labao has not read it
    assert api("labao").get(f"{NOTICES}/{n['id']}").json()["read_at"] is None

    r = api("duty").post(f"{NOTICES}/{n['id']}/done")
    assert r.status_code == 200 and r.json()["done_at"] is not None and r.json()["open"] is False
    assert find(api("duty"), "alarm_event", n["ref_id"]) == []
    assert [x["done_at"] for x in find(api("duty"), "alarm_event", n["ref_id"], "done")] == [r.json()["done_at"]]
    assert len(find(api("labao"), "alarm_event", n["ref_id"])) == 1  # still waiting for labao
    assert api("duty").post(f"{NOTICES}/{n['id']}/done").json()["done_at"] == r.json()["done_at"]  # idempotent


def test_an_escalation_is_the_leaders_alone(db, database, fixed_clock, api) -> None:
    alarm = red_alarm(db, database, fixed_clock)
    fixed_clock(T0 + 21 * M)
    outbox.drain(database, topics=["monitoring.alarm_escalation"])
    [n] = find(api("leader"), "alarm", alarm.id)
    assert n["kind"] == "alarm_escalated" and "未确认" in n["body"]
    assert api("duty").get(f"{NOTICES}/{n['id']}").status_code == 404
    api("labao").post(f"/api/v1/monitoring/alarms/{alarm.id}/acknowledge", json={})
    assert find(api("leader"), "alarm", alarm.id) == []  # acknowledged: nothing waits for the leader


def test_a_submitted_warning_waits_for_its_signers_not_its_author(database, api, fixed_clock) -> None:
    duty = api("duty")
    wid = duty.post("/api/v1/warnings", json=warning_body(headline="待办测试暴雨预警")).json()["id"]
    assert duty.post(f"/api/v1/warnings/{wid}/submit").status_code == 200
    outbox.drain(database, topics=["event:WarningSubmitted"])
    [n] = find(api("leader"), "warning", wid)
    assert n["title"] == "二级（橙色）预警待签发（发布）" and n["body"] == "待办测试暴雨预警"
    assert n["link"] == f"/warnings/{wid}"
    assert find(duty, "warning", wid) == []  # the author may not sign it
    assert find(duty, "warning", wid, "all")[0]["done_at"] is not None
    for other in ("labao", "liaison", "chem"):
        assert api(other).get(f"{NOTICES}/{n['id']}").status_code == 404, other
    assert api("leader").post(f"/api/v1/warnings/{wid}/approve", json={"note": "同意"}).status_code == 200
    assert find(api("leader"), "warning", wid) == []


def test_an_overdue_hazard_waits_for_the_enterprise_and_its_township(db, database, fixed_clock, api) -> None:
    start = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    fixed_clock(start)
    h = new_hazard(db, days=2)
    hazards.transition(db=db, actor=demo_user(db, "duty"), hazard_id=h.id, action="confirm")
    hid, path = h.id, h.region_path
    db.commit()
    fixed_clock(start + timedelta(days=3))
    run_job(database, "risk.escalate_overdue_hazards")
    outbox.drain(database, topics=["risk.hazard.notice"])
    [n] = find(api("chem"), "hazard", hid)
    assert n["kind"] == "overdue_responsible" and n["addressee"] == "张三" and n["link"] == f"/risk/hazards/{hid}"
    in_labao = path.startswith(demo_user(db, "labao").scope_path + "/")
    assert len(find(api("labao"), "hazard", hid)) == int(in_labao)
    assert find(api("leader"), "hazard", hid) == []
    # Rectified: the notice leaves everyone's 待办.
    chem = demo_user(db, "chem")
    for action in ("start", "complete"):
        hazards.transition(db=db, actor=chem, hazard_id=hid, action=action, note="整改")
    db.commit()
    assert find(api("chem"), "hazard", hid) == []


def test_a_store_alert_waits_for_the_keepers_of_its_area(db, api, jinde) -> None:
    w = db.scalar(select(Warehouse).where(Warehouse.region_path.startswith(demo_user(db, "labao").scope_path + "/")))
    w = w or db.scalar(select(Warehouse).where(Warehouse.region_path == demo_user(db, "labao").scope_path))
    payload = {"kind": "reorder", "warehouse_id": w.id, "region_path": w.region_path, "message": "测试库：帐篷不足"}
    assert alerts.record_alert(db, key="test:reorder:1", payload=payload) is True
    db.commit()
    [n] = find(api("labao"), "warehouse", w.id)
    assert n["title"] == "储备低于下限" and n["link"] == f"/resources/warehouses/{w.id}"
    assert len(find(api("duty"), "warehouse", w.id)) == 1
    for other in (jinde, api("leader"), api("chem")):
        assert find(other, "warehouse", w.id, "all") == []
    alerts.acknowledge_alert(db=db, actor=demo_user(db, "labao"), alert_id=n["id"])
    db.commit()
    assert find(api("duty"), "warehouse", w.id) == []


def test_the_todo_page_lists_links_and_marks_with_csrf(db, database, fixed_clock, page_client) -> None:
    alarm = red_alarm(db, database, fixed_clock)
    event = alarm.event_id or alarm.id
    duty = page_client("duty")
    html = duty.get("/todo").text
    rows = {int(m.group(1)): m.group(2) for m in re.finditer(r'<tr data-notice="(\d+)"(.*?)</tr>', html, re.S)}
    [nid] = [i for i, row in rows.items() if f'href="/monitoring/alarms/{event}"' in row]
    assert "红色告警待确认" in rows[nid] and "完成" in rows[nid]
    assert 'href="/todo"' in html and "<script>" not in html  # the header link; no inline script
    assert duty.post(f"/todo/{nid}/done", data={"status": "open"}, follow_redirects=False).status_code == 403
    r = duty.post(f"/todo/{nid}/done", data={"status": "open", "csrf_token": duty.csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/todo?status=open"
    assert f'data-notice="{nid}"' not in duty.get("/todo").text
    assert f'data-notice="{nid}"' in duty.get("/todo?status=done").text
    leader = page_client("leader")
    r = leader.post(f"/todo/{nid}/done", data={"csrf_token": leader.csrf}, follow_redirects=False)
    assert r.status_code == 404


def test_every_signed_in_user_has_a_todo_and_bad_input_is_refused(api, client, page_client) -> None:
    for who in ("admin", "duty", "leader", "liaison", "labao", "officer", "chem"):
        assert api(who).get(NOTICES).status_code == 200, who
    assert page_client("officer").get("/todo").status_code == 200
    assert client.get(NOTICES).status_code == 401
    r = api("duty").get(f"{NOTICES}?status=bogus")
    assert r.status_code == 422 and "status" in r.text
    assert api("duty").get(f"{NOTICES}/999999999").status_code == 404
    assert api("duty").post(f"{NOTICES}/999999999/read").status_code == 404
