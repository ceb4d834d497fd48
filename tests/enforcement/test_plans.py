"""The annual plan over the platform's records (issue 14 point 3): frequencies from the dual-prevention
service's inspection frequency moved by the grade and the list, bounded by the cap; exported in the county
columns; published; who may draft and read it."""

from __future__ import annotations

from sqlalchemy import select

from tests.enforcement.helpers import sheet_rows
from yingji.core.actor import SYSTEM
from yingji.enforcement.service import roster
from yingji.registry.models import Enterprise
from yingji.risk import service as risk_service

PLANS = "/api/v1/enforcement/plans"
LADDER = [1, 2, 6, 12]


def up(per_year: int, steps: int) -> int:
    return LADDER[max(0, min(LADDER.index(per_year) + steps, 3))]


def test_a_plan_drafted_exported_and_published(api, db, client) -> None:
    e = db.scalar(select(Enterprise).where(Enterprise.industry == "industry_trade", Enterprise.status == "operating")
                  .order_by(Enterprise.id))
    roster.set_grade(db=db, actor=SYSTEM, enterprise_id=e.id, grade="none")
    r = api("duty").post(PLANS, json={"year": 2026, "title": "测试年度计划", "joint_industries": ["fireworks"]})
    assert r.status_code == 201, r.text
    plan = r.json()
    mine = next(t for t in plan["targets"] if t["id"] == e.id)
    risk = risk_service.inspection_frequencies(db=db, enterprise_ids=[e.id])[e.id].inspections_per_year
    cap = roster.cap_for(db, industry="industry_trade", grade="none")  # 山西 example: other industries, none → 6
    assert cap == 6
    assert mine["per_year"] == min(up(risk, 1), cap)  # 未达标: one step more often
    assert sum(len(t["visits"]) for t in plan["targets"]) + sum(x["drawn"] for x in plan["lines"]) == \
        sum(m["key_visits"] + m["random_visits"] for m in plan["months"])
    for t in plan["targets"]:
        assert t["cap"] is None or t["per_year"] <= t["cap"]
        assert all(len(v["inspectors"]) == 2 for v in t["visits"])
    assert plan["months"][-1]["coverage"] <= 1
    rows = sheet_rows(api("duty").get(f"{PLANS}/{plan['id']}/plan.xlsx").content)
    assert rows[0] == ("序号", "检查事项", "检查依据", "重点检查对象", "重点检查对象数（家）", "随机抽查对象库（家）",
                       "随机抽查数（家）", "抽查比例", "检查内容", "检查方式", "检查频次及上限", "检查时间", "实施单位",
                       "是否联合检查")
    assert len(rows) == 1 + len(plan["lines"]) and rows[1][7] == "30%"
    line = plan["lines"][0]
    assert rows[1][4] == line["key_count"] and rows[1][5] == line["pool"] and rows[1][6] == line["drawn"]
    assert {r[13] for r in rows[1:]} <= {"是", "否"}
    # not public as a draft; public once published
    assert plan["title"] not in client.get("/public/enforcement").text
    assert client.get(f"/public/enforcement/plans/{plan['id']}").status_code == 404
    assert api("duty").post(f"{PLANS}/{plan['id']}/publish").status_code == 200
    assert plan["title"] in client.get("/public/enforcement").text
    assert line["item"] in client.get(f"/public/enforcement/plans/{plan['id']}").text
    assert api("duty").post(f"{PLANS}/{plan['id']}/publish").status_code == 409


def test_who_may_draft_and_read_plans(api, page_client) -> None:
    for who in ("labao", "inspector", "chem", "leader"):
        assert api(who).post(PLANS, json={"year": 2026}).status_code == 403, who
    assert api("chem").get(PLANS).status_code == 403  # an enterprise sees the published plan on the public page
    assert api("labao").get(PLANS).status_code == 200
    assert api("duty").post(PLANS, json={"year": 1999}).status_code == 422
    assert page_client("duty").get("/enforcement/plans").status_code == 200
