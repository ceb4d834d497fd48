"""The untrustworthy list (issue 14 point 8, 应急管理部令第11号) with a fixed clock over 国庆节 2025 (1–8 Oct
off, Sunday 28 Sep and Saturday 11 Oct worked). Counted by hand: a notice on Friday 26 Sep leaves five
working days to state the case — Sun 28 Sep (调休), Mon 29, Tue 30 Sep, Thu 9 and Fri 10 Oct — so the
listing may be decided from 00:00 on 11 Oct; listed then, the entry may be repaired from 00:00 on
11 Oct 2026 (12 months) and leaves the list at 00:00 on 11 Oct 2028 (3 years)."""

from __future__ import annotations

from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.enforcement.helpers import sheet_rows, user
from tests.enforcement.test_cases import _trade, amount, bj, file, step, team  # noqa: F401  (team is a fixture)
from yingji.enforcement.service.credit import listed_enterprise_ids
from yingji.registry.models import Enterprise

LISTINGS = "/api/v1/enforcement/listings"


def now_as(app, username: str) -> TestClient:
    """A client with a token issued at the fixed clock's present (a token from months ago has expired)."""
    from tests.conftest import PASSWORDS

    c = TestClient(app, raise_server_exceptions=False)
    r = c.post("/api/v1/auth/token", json={"username": username, "password": PASSWORDS[username]})
    c.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    return c


def decided_case(api, db, team, enterprise):  # noqa: F811
    fixed = file(api, db, team, enterprise=enterprise)
    amount(api, fixed["id"], 15000)
    for to, at in [("investigating", bj(2025, 9, 2)), ("notified", bj(2025, 9, 3)), ("decided", bj(2025, 9, 12))]:
        assert step(api, fixed["id"], to, at).status_code == 200
    return fixed


def notice(api, enterprise, case, ground="concealed_accident", who="duty"):
    return api(who).post(LISTINGS, json={"enterprise_id": enterprise.id, "ground": ground, "case_id": case["id"],
                                         "facts": "瞒报一起生产安全事故"})


def test_entry_only_by_the_rules_cases_on_a_decided_case(api, db, team, fixed_clock) -> None:  # noqa: F811
    fixed_clock(bj(2025, 9, 1))
    e = _trade(db)
    open_case = file(api, db, team, enterprise=e)
    r = notice(api, e, open_case)
    assert r.status_code == 409 and "尚未作出行政处罚决定" in r.text
    case = decided_case(api, db, team, e)
    r = notice(api, e, case, ground="late_tax")
    assert r.status_code == 422 and "ground" in r.text
    other = db.scalar(select(Enterprise).where(Enterprise.id != e.id).order_by(Enterprise.id))
    r = notice(api, other, case)
    assert r.status_code == 422 and "case_id" in r.text
    for who in ("labao", "inspector", "chem", "leader"):
        assert notice(api, e, case, who=who).status_code == 403, who


def test_notice_window_twelve_months_and_three_years(api, app, db, team, fixed_clock, client) -> None:  # noqa: F811
    def duty():
        return now_as(app, "duty")

    fixed_clock(bj(2025, 9, 1))
    e = _trade(db)
    case = decided_case(api, db, team, e)
    fixed_clock(bj(2025, 9, 26, 10))
    r = notice(lambda who: now_as(app, who), e, case)
    assert r.status_code == 201, r.text
    entry = r.json()
    assert entry["state"] == "noticed" and entry["notice_no"].startswith("柳应急失信告〔2025〕")
    assert notice(lambda who: now_as(app, who), e, case).status_code == 409  # one standing entry per enterprise
    assert e.name not in client.get("/public/enforcement").text  # a notice is not published
    decide = f"{LISTINGS}/{entry['id']}/decision"
    fixed_clock(bj(2025, 10, 10, 23, 59))
    r = duty().post(decide, json={})
    assert r.status_code == 409 and "2025-10-11" in r.text
    fixed_clock(bj(2025, 10, 11, 0, 0))
    r = duty().post(decide, json={})
    assert r.status_code == 200, r.text
    listed = r.json()
    assert listed["state"] == "listed" and listed["decision_no"].startswith("柳应急失信决〔2025〕")
    assert datetime.fromisoformat(listed["ends_at"]) == bj(2028, 10, 11, 0, 0)
    assert datetime.fromisoformat(listed["repair_from"]) == bj(2026, 10, 11, 0, 0)
    assert e.id in listed_enterprise_ids(db)
    assert e.name in client.get("/public/enforcement").text
    # exactly three years: listed the minute before, off the list at 00:00
    fixed_clock(bj(2028, 10, 10, 23, 59))
    assert duty().get(f"{LISTINGS}/{entry['id']}").json()["state"] == "listed"
    fixed_clock(bj(2028, 10, 11, 0, 0))
    assert duty().get(f"{LISTINGS}/{entry['id']}").json()["state"] == "expired"
    assert e.id not in listed_enterprise_ids(db)
    # exactly twelve months: no repair the minute before; repair needs evidence; then removed early
    repair = f"{LISTINGS}/{entry['id']}/repair"
    fixed_clock(bj(2026, 10, 10, 23, 59))
    r = duty().post(repair, json={"evidence": "已完成整改并公开信用承诺"})
    assert r.status_code == 409 and "2026-10-11" in r.text
    fixed_clock(bj(2026, 10, 11, 0, 0))
    assert duty().post(repair, json={"evidence": ""}).status_code == 422
    r = duty().post(repair, json={"evidence": "已完成整改并公开信用承诺"})
    assert r.status_code == 200 and r.json()["state"] == "repaired", r.text
    assert e.id not in listed_enterprise_ids(db)


def test_export_for_joint_punishment_and_scope(api, app, db, team, fixed_clock) -> None:  # noqa: F811
    fixed_clock(bj(2025, 9, 1))
    e = _trade(db)
    case = decided_case(api, db, team, e)
    fixed_clock(bj(2025, 9, 26, 10))
    entry = notice(lambda who: now_as(app, who), e, case).json()
    assert now_as(app, "inspector").get(f"{LISTINGS}/{entry['id']}").status_code == 404  # a notice is the bureau's
    fixed_clock(bj(2025, 10, 13, 9))
    assert now_as(app, "duty").post(f"{LISTINGS}/{entry['id']}/decision", json={}).status_code == 200
    rows = sheet_rows(now_as(app, "duty").get(f"{LISTINGS}.xlsx").content)
    assert rows[0][:4] == ("主体名称", "统一社会信用代码", "列入情形", "列入决定文书号")
    mine = [r for r in rows[1:] if r[0] == e.name]
    assert len(mine) == 1 and mine[0][1] == e.uscc and mine[0][2] == "瞒报、谎报生产安全事故"
    assert mine[0][5:7] == ("2025-10-13", "2028-10-13")
    # an enterprise manager sees its own entries only; a township officer its township's
    chem_id = user(db, "chem").enterprise_id
    assert chem_id != e.id
    assert all(x["enterprise_id"] == chem_id for x in now_as(app, "chem").get(LISTINGS).json()["items"])
    assert now_as(app, "chem").get(f"{LISTINGS}/{entry['id']}").status_code == 404
    assert now_as(app, "inspector").get(f"{LISTINGS}/{entry['id']}").status_code == 200
    for who in ("labao", "inspector", "chem"):
        r = now_as(app, who).post(f"{LISTINGS}/{entry['id']}/repair", json={"evidence": "材料齐全"})
        assert r.status_code == 403, who
