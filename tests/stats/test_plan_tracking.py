"""The plan's rates gathered from the capabilities (none computed here), the plan's tasks with progress
computed from the records where the platform holds them, the evaluation reports, and who may do what."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import Workbook

from yingji.core.actor import SYSTEM
from yingji.natural.service import figures as natural_figures
from yingji.resources import service as resources_service
from yingji.resources.schemas import TeamCreate


def _rates(client) -> dict:
    r = client.get("/api/v1/stats/rates")
    assert r.status_code == 200, r.text
    return {i["code"]: i for i in r.json()["items"]}


def test_rates_come_from_their_capabilities(api, db) -> None:
    rows = _rates(api("duty"))
    community = natural_figures.community_coverage(db=db, actor=SYSTEM)
    assert rows["natural.community_coverage"]["state"] == "ok"
    assert rows["natural.community_coverage"]["value"] == community["rate"]
    assert rows["natural.community_coverage"]["numerator"] == community["with_monitor"]
    assert rows["natural.community_coverage"]["capability"] == "natural"
    assert rows["warnings.coverage"]["state"] == "ok" and set(rows["warnings.coverage"]["trend"]) == {
        "2021", "2022", "2023", "2024", "2025"}
    # the demo roster: 10 inspectors, 8 qualified and 9 with their equipment fitted (enforcement/demo.py)
    qualified = rows["enforcement.qualified"]
    assert (qualified["state"], qualified["capability"], qualified["numerator"], qualified["denominator"]) == (
        "ok", "enforcement", 8, 10)
    assert qualified["value"] == pytest.approx(0.8) and qualified["target"] == 0.8
    equipment = rows["enforcement.equipment_standard"]
    assert (equipment["state"], equipment["capability"], equipment["numerator"], equipment["denominator"]) == (
        "ok", "enforcement", 9, 10)
    # a rate no capability provides is shown as such, with what is missing, never a number
    built = rows["risk.dual_prevention_built"]
    assert built["state"] == "not_connected" and built["value"] is None and "双重预防" in built["missing"]


def test_no_rate_of_the_plan_is_computed_twice(api) -> None:
    """Each rate of the plan's list is one provider's; the 专栏4.1 enforcement-staff rate is the roster's,
    not also the training records'."""
    from yingji.core import rates as registry

    labels = [p.label for p in registry.providers().values() if p.kind == "rate"]
    assert len(labels) == len(set(labels))
    assert "plans.enforcement_qualified" not in registry.providers()
    assert registry.providers()["enforcement.qualified"].capability == "enforcement"


def test_the_rectification_rate_counts_the_hazards_found_in_the_year(api, db) -> None:
    """Found in 2024: five hazards — one still a report (not yet found), one rejected (no hazard), one
    rectifying, one closed, one reopened after its rectification: 1 rectified of the 3 found; and one found
    at 23:30 on 31 December 2023 Beijing time (15:30 UTC) counts for 2023, not 2024."""
    from datetime import UTC, datetime

    from yingji.risk.models import Hazard
    from yingji.risk.service import supervision

    duty = api("duty")
    place = db.query(Hazard.region_path).first()[0]
    before = {y: supervision.rectification(db=db, actor=SYSTEM, year=y) for y in (2023, 2024)}
    overall = _rates(duty)["risk.rectification"]
    june = datetime(2024, 6, 1, 2, tzinfo=UTC)
    base = dict(region_path=place, title="测试隐患", grade="general", source="self_check", created_at=june,
                updated_at=june)
    for i, status in enumerate(("reported", "rejected", "rectifying", "closed", "reopened")):
        db.add(Hazard(code=f"T-RECT-{i}", status=status, found_at=june, **base))
    db.add(Hazard(code="T-RECT-9", status="closed", found_at=datetime(2023, 12, 31, 15, 30, tzinfo=UTC), **base))
    db.flush()
    after = {y: supervision.rectification(db=db, actor=SYSTEM, year=y) for y in (2023, 2024)}
    assert (after[2024][0] - before[2024][0], after[2024][1] - before[2024][1]) == (1, 3)
    assert (after[2023][0] - before[2023][0], after[2023][1] - before[2023][1]) == (1, 1)
    row = _rates(duty)["risk.rectification"]
    assert row["state"] == "ok" and row["capability"] == "risk" and set(row["trend"]) >= {"2023", "2024"}
    assert (row["numerator"] - overall["numerator"], row["denominator"] - overall["denominator"]) == (2, 4)
    done, found = after[2024]
    assert row["trend"]["2024"] == pytest.approx(done / found)


def test_the_logistics_station_rate_counts_built_of_registered(api, db) -> None:
    duty = api("duty")
    before = _rates(duty)["resources.logistics_stations"]
    assert (before["numerator"], before["denominator"]) == (0, 1)  # the demo's one, planned
    resources_service.create_team(db=db, actor=SYSTEM, data=TeamCreate(
        name="战勤保障消防站（测试）", kind="fire_station", station_class="logistics", region_code="450206100000"))
    db.flush()
    after = _rates(duty)["resources.logistics_stations"]
    assert (after["numerator"], after["denominator"], after["value"]) == (1, 2, 0.5)


@pytest.mark.parametrize("user", ["leader", "liaison", "labao"])
def test_a_rate_is_shown_only_to_holders_of_its_capabilitys_permission(api, user) -> None:
    from yingji.accounts.permissions import role_can
    from yingji.core import rates as registry

    role = {"leader": "leader", "liaison": "liaison", "labao": "township_officer"}[user]
    providers = registry.providers()
    for code, row in _rates(api(user)).items():
        if code in providers and not role_can(role, providers[code].permission):
            assert row["state"] == "forbidden" and row["value"] is None, code
        elif code in providers:
            assert row["state"] == "ok", code


def _tasks(client) -> dict:
    r = client.get("/api/v1/stats/tasks")
    assert r.status_code == 200, r.text
    return {t["code"]: t for t in r.json()["items"]}


def test_the_plans_task_list_is_loaded_with_its_measurable_targets(api) -> None:
    tasks = _tasks(api("leader"))
    assert len(tasks) == 88
    assert tasks["Z10.1"]["target"] == "8.0000" and tasks["Z10.1"]["unit"] == "座"
    assert tasks["Z10.1b"]["target"] == "11.0000"
    assert tasks["Z11.1"]["due_year"] == 2023 and tasks["Z11.1"]["lead"] == "区应急管理局"
    assert tasks["Z6.4"]["target"] == "0.9000" and tasks["Z6.4"]["measure"] == "natural.forest_coverage"
    assert tasks["Z6.5"]["target"] == "1.0000" and tasks["Z6.5b"]["measure"] == "warnings.village_loudspeakers"
    assert tasks["Z10.1"]["lead"] == "区消防救援大队" and tasks["Z10.1"]["supporting"]


def test_progress_is_computed_from_the_records(api, db) -> None:
    duty = api("duty")
    before = _tasks(duty)
    warehouse = before["Z11.1"]  # the demo's regional reserve warehouse is on the register
    assert warehouse["computed"] is True and warehouse["current"] == 1.0 and warehouse["status"] == "done"
    stations = before["Z10.1"]
    assert stations["computed"] is True
    # one more level-1 station in service: progress moves by one of the eight
    resources_service.create_team(db=db, actor=SYSTEM, data=TeamCreate(
        name="新建一级消防站（测试）", kind="fire_station", station_class="level1", region_code="450206100000"))
    db.flush()
    after = _tasks(duty)["Z10.1"]
    assert after["current"] == stations["current"] + 1
    assert after["share"] == pytest.approx(after["current"] / 8)
    forest = _tasks(duty)["Z6.4"]
    rate = natural_figures.fire_coverage(db=db, actor=SYSTEM)["rate"]
    assert forest["current"] == rate and forest["share"] == pytest.approx(min(rate / 0.9, 1.0))


def test_a_computed_task_takes_no_typed_value(api) -> None:
    duty = api("duty")
    task = _tasks(duty)["Z10.1"]
    r = duty.post(f"/api/v1/stats/tasks/{task['id']}/progress", json={"year": 2024, "status": "in_progress",
                                                                       "value": 8})
    assert r.status_code == 422 and "value" in r.text


def test_a_department_reports_progress_with_evidence(api) -> None:
    liaison = api("liaison")
    task = _tasks(liaison)["Z14.2"]
    assert task["computed"] is False
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    up = liaison.post("/api/v1/stats/uploads", files={"file": ("evidence.pdf", pdf, "application/pdf")})
    assert up.status_code == 201, up.text
    r = liaison.post(f"/api/v1/stats/tasks/{task['id']}/progress", json={
        "year": 2024, "status": "in_progress", "note": "场馆主体完工", "attachment_ids": [up.json()["id"]]})
    assert r.status_code == 201, r.text
    assert _tasks(liaison)["Z14.2"]["status"] == "in_progress"
    got = liaison.get(f"/api/v1/stats/tasks/{task['id']}/files/{up.json()['id']}")
    assert got.status_code == 200 and got.content == pdf
    # another's upload cannot be linked
    other = api("duty").post(f"/api/v1/stats/tasks/{task['id']}/progress", json={
        "year": 2024, "status": "done", "attachment_ids": [up.json()["id"]]})
    assert other.status_code == 422 and "attachment_ids" in other.text


def test_another_district_loads_its_own_task_list(api) -> None:
    duty = api("duty")
    toml = ('[[task]]\ncode = "A1"\nsection = "第三章"\ntitle = "建成区级指挥中心"\nlead = "区应急局"\n'
            'due_year = 2024\ntarget = 1\nunit = "个"\n')
    r = duty.post("/api/v1/stats/tasks/load", json={"toml": toml})
    assert r.status_code == 200 and r.json() == {"imported": 1}
    assert list(_tasks(duty)) == ["A1"]
    bad = duty.post("/api/v1/stats/tasks/load", json={"toml": toml + '[[task]]\ncode = "A1"\ntitle = "x"\n'})
    assert bad.status_code == 422 and "第2个任务" in bad.text
    assert list(_tasks(duty)) == ["A1"]  # nothing of the bad list was loaded
    unknown = duty.post("/api/v1/stats/tasks/load", json={"toml": toml.replace('unit = "个"', 'measure = "x.y"')})
    assert unknown.status_code == 422 and "measure" in unknown.text


@pytest.mark.parametrize("kind", ["midterm", "final"])
def test_the_evaluation_report_opens_with_python_docx(api, kind) -> None:
    r = api("leader").get(f"/api/v1/stats/evaluation/{kind}.docx")
    assert r.status_code == 200, r.text
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert ("中期评估报告" if kind == "midterm" else "总结评估报告") in text
    assert len(doc.tables) >= 3 and len(doc.inline_shapes) >= 3  # indicators, rates, tasks; charts
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert header[-3:] == (["2023", "评估值", "是否达到"] if kind == "midterm" else ["2025", "评估值", "是否达到"])
    first = [c.text for c in doc.tables[0].rows[1].cells]
    assert first[0].startswith("生产安全事故死亡人数") and "31" in first[4]  # 2021: 31 deaths
    assert "演示数据" in text


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["年份", "地区生产总值（亿元）", "常住人口（人）", "机动车保有量（辆）", "数据来源"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_inputs_import_is_all_or_nothing_naming_the_bad_row(api) -> None:
    duty = api("duty")
    bad = _xlsx([[2030, 400, 520000, 170000, "公报"], [2031, 410, -5, 175000, "公报"]])
    r = duty.post("/api/v1/stats/inputs/import", files={"file": ("i.xlsx", bad)})
    assert r.status_code == 422 and "第3行" in r.text
    years = {i["year"] for i in duty.get("/api/v1/stats/inputs").json()["items"]}
    assert 2030 not in years
    ok = _xlsx([[2030, 400, 520000, None, "公报"]])
    r = duty.post("/api/v1/stats/inputs/import", files={"file": ("i.xlsx", ok)})
    assert r.status_code == 200 and r.json() == {"imported": 1}
    row = next(i for i in duty.get("/api/v1/stats/inputs").json()["items"] if i["year"] == 2030)
    assert Decimal(row["gdp_yi"]) == 400 and row["vehicles"] is None  # an empty cell stays missing


def test_demo_inputs_are_labelled_and_the_plans_own_where_it_gives_them(api) -> None:
    rows = {i["year"]: i for i in api("leader").get("/api/v1/stats/inputs").json()["items"]}
    assert sorted(rows) == list(range(2019, 2026)) and all(r["is_demo"] for r in rows.values())
    assert Decimal(rows[2019]["gdp_yi"]) == Decimal("304.71") and Decimal(rows[2020]["gdp_yi"]) == Decimal("310.56")


@pytest.mark.parametrize(("user", "read", "inputs", "progress", "load"), [
    ("duty", 200, 200, 201, 200),
    ("leader", 200, 403, 403, 403),
    ("liaison", 200, 403, 201, 403),
    ("labao", 200, 403, 403, 403),
    ("officer", 403, 403, 403, 403),
    ("chem", 403, 403, 403, 403),
])
def test_who_may_read_edit_and_report(api, user, read, inputs, progress, load) -> None:
    c = api(user)
    task = _tasks(api("duty"))["Z14.1"]
    assert c.get("/api/v1/stats/indicators").status_code == read
    assert c.get("/api/v1/stats/tasks").status_code == read
    assert c.get("/api/v1/stats/evaluation/midterm.docx").status_code == read
    assert c.put("/api/v1/stats/inputs/2024", json={"gdp_yi": "1"}).status_code == inputs
    assert c.post(f"/api/v1/stats/tasks/{task['id']}/progress",
                  json={"year": 2024, "status": "done"}).status_code == progress
    assert c.post("/api/v1/stats/tasks/load", json={"toml": ""}).status_code == load


def test_the_menu_entry_is_built_and_the_pages_render(page_client) -> None:
    duty = page_client("duty")
    for url in ("/stats", "/stats/rates", "/stats/tasks", "/stats/inputs", "/stats/records/2023/work_safety"):
        r = duty.get(url)
        assert r.status_code == 200, (url, r.text[:500])
        assert "未建设" not in r.text, url
    assert "生产安全事故死亡人数" in duty.get("/stats").text
    assert "未接入" in duty.get("/stats/rates").text
    task_page = duty.get("/stats/tasks")
    assert "新建、改建、续建8座一级消防站" in task_page.text


def test_pages_edit_inputs_and_report_progress(page_client, api) -> None:
    duty = page_client("duty")
    r = duty.post("/stats/inputs", data={"csrf_token": duty.csrf, "year": "2026", "gdp_yi": "401.5",
                                         "population": "515000", "vehicles": ""}, follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    row = next(i for i in api("duty").get("/api/v1/stats/inputs").json()["items"] if i["year"] == 2026)
    assert row["vehicles"] is None and row["population"] == 515000
    bad = duty.post("/stats/inputs", data={"csrf_token": duty.csrf, "year": "2026", "gdp_yi": "abc"})
    assert bad.status_code == 422 and "gdp_yi" in bad.text
    task = _tasks(api("duty"))["Z8.6"]
    r = duty.post(f"/stats/tasks/{task['id']}/progress", data={"csrf_token": duty.csrf, "year": "2025",
                                                               "status": "done", "note": "九小场所整治完成"},
                  files={"files": ("", b"")}, follow_redirects=False)
    assert r.status_code == 303, r.text[:800]
    assert "九小场所整治完成" in duty.get(f"/stats/tasks/{task['id']}").text
    leader = page_client("leader")
    assert "progress-form" not in leader.get(f"/stats/tasks/{task['id']}").text
    assert leader.post(f"/stats/tasks/{task['id']}/progress",
                       data={"csrf_token": leader.csrf, "year": "2025", "status": "done"}).status_code == 403
