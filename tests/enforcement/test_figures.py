"""Enforcement figures (issue 14 point 9, in part): counted in the actor's scope, each linked to its records."""

from __future__ import annotations

from tests.enforcement.test_cases import amount, bj, file, step, team  # noqa: F401  (team is a fixture)
from tests.enforcement.test_inspections import key, setting, start  # noqa: F401  (setting is a fixture)
from yingji.core.actor import SYSTEM
from yingji.core.clock import to_local, utcnow
from yingji.enforcement.service.figures import figures


def test_cases_by_step_overdue_and_fines(api, db, team, fixed_clock, page_client) -> None:  # noqa: F811
    fixed_clock(bj(2025, 9, 1))
    before = figures(db=db, actor=SYSTEM)
    c = file(api, db, team)
    amount(api, c["id"], 15000)
    for to, at in [("investigating", bj(2025, 9, 2)), ("notified", bj(2025, 9, 3)), ("decided", bj(2025, 9, 5))]:
        assert step(api, c["id"], to, at).status_code == 200
    open_case = file(api, db, team)
    fixed_clock(bj(2025, 10, 10))  # 30 days from 1 Sep end on 1 Oct, a holiday: the last day is 9 Oct
    after = figures(db=db, actor=SYSTEM)
    assert after.cases_by_step.get("decided", 0) == before.cases_by_step.get("decided", 0) + 1
    overdue = {no for _, no in after.overdue}
    assert {c["case_no"], open_case["case_no"]} <= overdue
    assert after.fines_by_month["2025-09"] == before.fines_by_month.get("2025-09", 0) + 15000
    assert sum(after.fines_by_township.values()) == sum(before.fines_by_township.values()) + 15000
    page = page_client("duty").get("/enforcement/figures")
    assert page.status_code == 200 and f'/enforcement/cases/{open_case["id"]}' in page.text
    # an enterprise manager's figures count only its own records
    assert page_client("chem").get("/enforcement/figures").status_code == 200


def test_rectification_rate_and_the_column4_rates(api, db, page_client, setting) -> None:  # noqa: F811
    """Three findings, one hazard closed and one rejected: rectified 1 of the 2 found (the rejected one is
    not a hazard) — the district's figures move by exactly that; two inspectors added, one qualified and
    both equipped: the rates move from (q, e, n) to (q + 1, e + 2, n + 2)."""
    from yingji.enforcement.models import Finding, Inspector
    from yingji.risk.models import Hazard

    s = setting
    before = figures(db=db, actor=SYSTEM)
    ins = start(api, s).json()
    made = []
    for text in ("安全出口堵塞", "未设置警示标识", "灭火器过期"):
        r = api("inspector").post(f"/api/v1/enforcement/inspections/{ins['id']}/findings",
                                  json={"client_key": key(), "description": text, "major": False})
        assert r.status_code == 201, r.text
        made.append(r.json())
    hazards = [db.get(Hazard, db.get(Finding, m["id"]).hazard_id) for m in made]
    hazards[0].status, hazards[1].status = "closed", "rejected"
    db.flush()
    after = figures(db=db, actor=SYSTEM)
    assert (after.found - before.found, after.rectified - before.rectified) == (2, 1)
    month = to_local(utcnow()).strftime("%Y-%m")
    old = before.rectification_by_month.get(month, [0, 0])
    assert after.rectification_by_month[month] == [old[0] + 1, old[1] + 2]
    ind = s["chem"].industry
    old = before.rectification_by_industry.get(ind, [0, 0])
    assert after.rectification_by_industry[ind] == [old[0] + 1, old[1] + 2]
    n, q, e = before.staff, before.qualified, before.equipped
    for i, qualified in enumerate((True, False)):
        db.add(Inspector(name=f"测试{i}", certificate_no=f"T-CERT-{i}", qualified=qualified, equipment_fitted=True))
    db.flush()
    later = figures(db=db, actor=SYSTEM)
    assert (later.staff, later.qualified, later.equipped) == (n + 2, q + 1, e + 2)
    assert later.qualified_rate == round((q + 1) / (n + 2), 4)
    page = page_client("duty").get("/enforcement/figures")
    assert page.status_code == 200 and 'id="rectification-rate"' in page.text
    assert "/risk/hazards?source=inspection" in page.text
