"""Enforcement figures (issue 14 point 9, in part): counted in the actor's scope, each linked to its records."""

from __future__ import annotations

from tests.enforcement.test_cases import amount, bj, file, step, team  # noqa: F401  (team is a fixture)
from yingji.core.actor import SYSTEM
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
