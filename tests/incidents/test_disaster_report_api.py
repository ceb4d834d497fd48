"""Disaster reports (灾情报送, issue 13 point 8) from the outside: 初报 / 续报 / 核报 per township plus the
district, each consistency rule a 422 naming the field with nothing kept, the deadlines of cn-rules §9.3
with a fixed clock (初报 2 h after the disaster, 续报 by 09:00 Beijing, 核报 5 days after stabilisation in the
national table), exports as xlsx (the 快报表) and JSON, and who may submit and read."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.conftest import PASSWORDS
from tests.incidents.helpers import JINDE, LABAO, LABAO_VILLAGE, T0

RAIN = {"kind": "rainstorm", "occurred_at": "2026-06-01T10:00:00+08:00", "received_at": "2026-06-01T10:10:00+08:00",
        "region_code": LABAO_VILLAGE, "description": "暴雨"}


def figures(labao: dict, jinde: dict) -> dict:
    """Two townships and the district total as their sum (the sums are done here, by hand)."""
    total = {k: labao.get(k, 0) + jinde.get(k, 0) for k in {*labao, *jinde}}
    return {LABAO: labao, JINDE: jinde, "district": total}


FIRST = figures({"affected_person_times": 1200, "deaths": 1, "missing": 1, "relocated": 300, "collapsed_houses": 4},
                {"affected_person_times": 800, "relocated": 100, "crop_affected_kha": 1.5, "crop_failed_kha": 0.2})


@pytest.fixture
def rain(api, fixed_clock):
    fixed_clock(T0 + timedelta(minutes=15))
    r = api("duty").post("/api/v1/incidents", json=RAIN)
    assert r.status_code == 201, r.text
    return r.json()


def login(app, username: str) -> TestClient:
    """A new token at the clock's time (a token lives 12 h: the fixed clock moves days ahead)."""
    c = TestClient(app, raise_server_exceptions=False)
    r = c.post("/api/v1/auth/token", json={"username": username, "password": PASSWORDS[username]})
    c.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    return c


def submit(c, incident_id, kind, figs, **extra):
    return c.post(f"/api/v1/incidents/{incident_id}/disaster-reports", json={"kind": kind, "figures": figs, **extra})


def owed(c, incident_id, code):
    return [o for o in c.get(f"/api/v1/incidents/{incident_id}/obligations", params={"page_size": 200}).json()["items"]
            if o["code"] == code]


def fields(r) -> set[str]:
    assert r.status_code == 422, r.text
    return {d["field"] for d in r.json()["error"]["details"]}


def count(c, incident_id) -> int:
    return c.get(f"/api/v1/incidents/{incident_id}/disaster-reports").json()["total"]


def test_initial_report_in_time_fulfils_the_two_hour_obligation(api, rain, fixed_clock) -> None:
    duty = api("duty")
    fixed_clock(T0 + timedelta(hours=1, minutes=50))  # 11:50 Beijing, the disaster at 10:00
    r = submit(duty, rain["id"], "initial", FIRST)
    assert r.status_code == 201, r.text
    assert (r.json()["number"], r.json()["kind_label"], r.json()["late_minutes"]) == (1, "初报", 0)
    [initial] = owed(duty, rain["id"], "disaster_initial")
    assert initial["status"] == "fulfilled" and initial["late_minutes"] == 0
    assert datetime.fromisoformat(initial["due_at"]) == T0 + timedelta(hours=2)


def test_initial_report_after_two_hours_is_late_by_the_minutes(api, rain, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(hours=2, minutes=15))
    r = submit(api("duty"), rain["id"], "initial", FIRST)
    assert r.status_code == 201 and r.json()["late_minutes"] == 15


def test_follow_up_is_due_by_nine_the_next_morning(app, api, rain, fixed_clock) -> None:
    duty = api("duty")
    fixed_clock(T0 + timedelta(hours=1))
    assert submit(duty, rain["id"], "initial", FIRST).status_code == 201
    nine = datetime(2026, 6, 2, 1, 0, tzinfo=UTC)  # 09:00 Beijing on the next day
    assert nine in [datetime.fromisoformat(o["due_at"]) for o in owed(duty, rain["id"], "disaster_follow_up")]
    fixed_clock(nine + timedelta(minutes=30))
    r = submit(login(app, "duty"), rain["id"], "follow_up", FIRST, as_of="2026-06-02T00:00:00+08:00")
    assert r.status_code == 201 and r.json()["late_minutes"] == 30


def test_follow_up_before_the_initial_report_is_refused(api, rain, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(hours=1))
    assert "kind" in fields(submit(api("duty"), rain["id"], "follow_up", FIRST))


def test_deaths_and_missing_above_the_people_affected_name_the_field(api, rain, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(hours=1))
    duty = api("duty")
    bad = figures({"affected_person_times": 1, "deaths": 1, "missing": 1}, {"affected_person_times": 5})
    assert f"figures.{LABAO}.deaths" in fields(submit(duty, rain["id"], "initial", bad))
    ok = figures({"affected_person_times": 2, "deaths": 1, "missing": 1}, {"affected_person_times": 5})
    assert submit(duty, rain["id"], "initial", ok).status_code == 201  # equal is allowed


def test_townships_must_add_up_to_the_district(api, rain, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(hours=1))
    duty = api("duty")
    bad = {**FIRST, "district": {**FIRST["district"], "relocated": 399}}  # 300 + 100 = 400
    assert fields(submit(duty, rain["id"], "initial", bad)) == {"figures.district.relocated"}
    assert count(duty, rain["id"]) == 0


def test_a_lowered_figure_needs_a_reason(api, rain, fixed_clock) -> None:
    duty = api("duty")
    fixed_clock(T0 + timedelta(hours=1))
    assert submit(duty, rain["id"], "initial", FIRST).status_code == 201
    lower = figures({**FIRST[LABAO], "collapsed_houses": 3}, FIRST[JINDE])
    r = submit(duty, rain["id"], "follow_up", lower)
    assert fields(r) == {f"figures.{LABAO}.collapsed_houses", "figures.district.collapsed_houses"}
    assert count(duty, rain["id"]) == 1
    reasons = {f"{LABAO}.collapsed_houses": "一间经核实为旧损", "district.collapsed_houses": "同左"}
    r = submit(duty, rain["id"], "follow_up", lower, reasons=reasons)
    assert r.status_code == 201, r.text
    assert r.json()["reasons"] == reasons


def test_final_report_waits_for_stabilisation_then_is_due_in_five_days(app, api, rain, fixed_clock) -> None:
    duty = api("duty")
    fixed_clock(T0 + timedelta(hours=1))
    assert submit(duty, rain["id"], "initial", FIRST).status_code == 201
    assert "kind" in fields(submit(duty, rain["id"], "final", FIRST))
    stable = T0 + timedelta(days=2)
    fixed_clock(stable)
    duty = login(app, "duty")
    version = duty.get(f"/api/v1/incidents/{rain['id']}").json()["version"]
    r = duty.post(f"/api/v1/incidents/{rain['id']}/stabilised", json={"version": version})
    assert r.status_code == 200, r.text
    [final] = owed(duty, rain["id"], "disaster_final")
    # Stable on 3 June (10:00 Beijing); days counted from the next day, the last one ending at 24:00 (the legal
    # clock): the end of 8 June, Beijing.
    assert datetime.fromisoformat(final["due_at"]) == datetime(2026, 6, 8, 16, 0, tzinfo=UTC)
    fixed_clock(stable + timedelta(days=1))
    duty = login(app, "duty")
    r = submit(duty, rain["id"], "final", FIRST)
    assert r.status_code == 201 and r.json()["late_minutes"] == 0
    assert owed(duty, rain["id"], "disaster_final")[0]["status"] == "fulfilled"


def test_bad_areas_and_figures_name_the_field(api, rain, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(hours=1))
    duty = api("duty")
    assert fields(submit(duty, rain["id"], "initial", {**FIRST, "999999": {"deaths": 0}})) == {"figures.999999"}
    neg = figures({"affected_person_times": 10, "relocated": -1}, {})
    assert f"figures.{LABAO}.relocated" in fields(submit(duty, rain["id"], "initial", neg))
    assert "figures.district" in fields(submit(duty, rain["id"], "initial", {LABAO: {"deaths": 0}}))
    unknown = figures({"houses": 1}, {})
    assert f"figures.{LABAO}.houses" in fields(submit(duty, rain["id"], "initial", unknown))
    r = submit(duty, rain["id"], "initial", {"district": {"deaths": "many"}})
    assert r.status_code == 422
    assert count(duty, rain["id"]) == 0


def test_an_accident_has_no_disaster_report(api, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(minutes=20))
    duty = api("duty")
    accident = duty.post("/api/v1/incidents", json={**RAIN, "kind": "work_safety"}).json()
    assert "kind" in fields(submit(duty, accident["id"], "initial", FIRST))


def test_exports_as_the_table_and_as_json(api, rain, fixed_clock) -> None:
    duty = api("duty")
    fixed_clock(T0 + timedelta(hours=1))
    report = submit(duty, rain["id"], "initial", FIRST).json()
    x = duty.get(f"/api/v1/incidents/disaster-reports/{report['id']}/xlsx")
    assert x.status_code == 200 and x.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(x.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    assert header[:2] == ("乡（镇、街道）", "区划代码") and "受灾人口（人次）" in header
    by_code = {r[1]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_code[LABAO]["紧急转移安置人口（人次）"] == 300
    total = next(r for r in rows[1:] if r[0] == "全区合计")
    assert dict(zip(header, total, strict=True))["受灾人口（人次）"] == 2000
    facts = dict(row[:2] for row in wb["报表说明"].iter_rows(values_only=True))
    assert facts["报告类型"] == "初报" and facts["表名"].startswith("自然灾害损失情况统计快报表")
    j = duty.get(f"/api/v1/incidents/disaster-reports/{report['id']}").json()
    assert j["report"]["kind_label"] == "初报"
    areas = {a["code"]: a for a in j["areas"]}
    assert areas["district"]["figures"]["affected_person_times"] == "2000"
    assert j["areas"][-1]["code"] == "district"


def test_who_submits_and_reads(api, rain, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(hours=1))
    duty = api("duty")
    jinde = duty.post("/api/v1/incidents", json={**RAIN, "region_code": JINDE}).json()
    labao = api("labao")
    assert submit(labao, rain["id"], "initial", FIRST).status_code == 201  # its own township
    assert submit(labao, jinde["id"], "initial", FIRST).status_code == 404
    assert labao.get(f"/api/v1/incidents/{jinde['id']}/disaster-reports").status_code == 404
    assert submit(api("leader"), jinde["id"], "initial", FIRST).status_code == 403
    assert api("leader").get(f"/api/v1/incidents/{rain['id']}/disaster-reports").json()["total"] == 1
    report_id = duty.get(f"/api/v1/incidents/{rain['id']}/disaster-reports").json()["items"][0]["id"]
    assert api("officer").get(f"/api/v1/incidents/disaster-reports/{report_id}").status_code == 404
    assert api("officer").get(f"/api/v1/incidents/disaster-reports/{report_id}/xlsx").status_code == 404
    assert submit(api("officer"), rain["id"], "initial", FIRST).status_code in (403, 404)
    assert api("liaison").get(f"/api/v1/incidents/{rain['id']}/disaster-reports").status_code == 403
    assert count(duty, jinde["id"]) == 0
