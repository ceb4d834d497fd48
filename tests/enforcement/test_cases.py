"""Penalty cases stored and run over HTTP (issue 14 point 6): the legal order of steps as 行政处罚法 writes
it (each refusal a 409 with its reason), the legal-clock deadlines over 国庆节 2025 (1–8 Oct off; Sunday
28 Sep and Saturday 11 Oct worked), the discretion band, and publication (point 7) with personal data
masked. Expected days are counted by hand here, not taken from the code's tables."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests.enforcement.helpers import user
from yingji.core.clock import LOCAL_TZ
from yingji.enforcement.models import Inspector
from yingji.registry.models import Enterprise

CASES = "/api/v1/enforcement/cases"


def bj(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_TZ).astimezone(UTC)


def iso(t: datetime) -> str:
    return t.isoformat()


@pytest.fixture
def team(db):
    """The demo inspector accounts' roster ids: (inspector, inspector2)."""
    mine = db.scalar(select(Inspector).where(Inspector.user_id == user(db, "inspector").id))
    other = db.scalar(select(Inspector).where(Inspector.user_id == user(db, "inspector2").id))
    return mine.id, other.id


def _trade(db, outside: str | None = None) -> Enterprise:
    q = select(Enterprise).where(Enterprise.industry == "industry_trade").order_by(Enterprise.id)
    if outside:
        q = q.where(~Enterprise.region_path.startswith(outside))
    return db.scalar(q)


def file(api, db, team, *, violation="illegal_command", party="unit", enterprise=None, who="duty", **extra):
    enterprise = enterprise or _trade(db)
    body = {"enterprise_id": enterprise.id, "party": party, "party_name": extra.pop("party_name", enterprise.name),
            "violation": violation, "facts": "现场检查发现违章指挥作业", "inspector_ids": list(team), **extra}
    r = api(who).post(CASES, json=body)
    assert r.status_code == 201, r.text
    return r.json()


def step(api, case_id, to, at, who="duty", **extra):
    return api(who).post(f"{CASES}/{case_id}/steps", json={"step": to, "at": iso(at), **extra})


def amount(api, case_id, yuan, who="duty", first_offence=False):
    return api(who).put(f"{CASES}/{case_id}/amount", json={"amount_yuan": str(yuan), "first_offence": first_offence})


def test_a_minor_case_runs_in_the_order_of_the_law(api, db, team, fixed_clock) -> None:
    """立案 → 调查取证 → 告知 → 决定 → 送达 → 执行 → 结案 (行政处罚法 第五十四条至第六十九条); a fine below
    较大数额 has no hearing right, no legal review is required."""
    fixed_clock(bj(2025, 9, 1))
    c = file(api, db, team)
    assert amount(api, c["id"], 15000).status_code == 200
    for to, at in [("investigating", bj(2025, 9, 2)), ("notified", bj(2025, 9, 10)), ("decided", bj(2025, 9, 12)),
                   ("served", bj(2025, 9, 15)), ("executing", bj(2025, 9, 16)), ("closed", bj(2025, 9, 25))]:
        r = step(api, c["id"], to, at)
        assert r.status_code == 200, (to, r.text)
    done = r.json()
    assert done["step"] == "closed"
    assert [s["step"] for s in done["steps"]] == ["filed", "investigating", "notified", "decided", "served",
                                                  "executing", "closed"]


@pytest.mark.parametrize(("path", "to", "why"), [
    ([], "decided", "之后不能直接进入"),  # 第五十四条: 调查 before any decision
    (["investigating"], "decided", "之后不能直接进入"),  # 第四十四条: 告知 before the decision
    (["investigating", "notified"], "hearing", "未达到听证标准"),  # 第六十三条: only 较大数额
    (["investigating", "notified", "decided"], "closed", "之后不能直接进入"),  # 第六十一条: served first
    (["investigating", "notified", "decided"], "executing", "之后不能直接进入"),
])
def test_illegal_step_orders_answer_409_with_the_reason(api, db, team, fixed_clock, path, to, why) -> None:
    fixed_clock(bj(2025, 9, 1))
    c = file(api, db, team)
    amount(api, c["id"], 15000)
    for i, s in enumerate(path):
        assert step(api, c["id"], s, bj(2025, 9, 2 + i)).status_code == 200
    r = step(api, c["id"], to, bj(2025, 9, 20))
    assert r.status_code == 409
    assert why in r.json()["error"]["message"]
    assert api("duty").get(f"{CASES}/{c['id']}").json()["step"] == (path[-1] if path else "filed")


def test_notice_needs_an_amount_in_band_first(api, db, team, fixed_clock) -> None:
    fixed_clock(bj(2025, 9, 1))
    c = file(api, db, team)
    step(api, c["id"], "investigating", bj(2025, 9, 2))
    r = step(api, c["id"], "notified", bj(2025, 9, 3))
    assert r.status_code == 409 and "拟处罚金额" in r.json()["error"]["message"]


def test_a_major_case_waits_out_the_hearing_window_over_national_day(api, db, team, fixed_clock) -> None:
    """Notice served Friday 26 Sep 2025: 5 working days are 28 Sep (worked Sunday), 29, 30 Sep, 9 and 10 Oct;
    a request on 10 Oct at 23:00 is in time, one on Saturday 11 Oct is late. 法制审核 and 集体讨论 come
    before the decision of a 较大数额 fine (unit ≥ 3万元, 第五十八条)."""
    fixed_clock(bj(2025, 9, 1))
    c = file(api, db, team, violation="forced_risky_work")
    assert amount(api, c["id"], 30000).status_code == 200
    step(api, c["id"], "investigating", bj(2025, 9, 2))
    notified = step(api, c["id"], "notified", bj(2025, 9, 26)).json()
    window = next(d for d in notified["deadlines"] if d["label"].startswith("听证申请"))
    assert window["last_day"] == "2025-10-10"
    early = step(api, c["id"], "legal_review", bj(2025, 10, 10, 23), who="leader")
    assert early.status_code == 409 and "听证申请期限未满" in early.json()["error"]["message"]
    assert step(api, c["id"], "decided", bj(2025, 10, 13)).status_code == 409
    assert step(api, c["id"], "legal_review", bj(2025, 10, 11, 9)).status_code == 403  # the head's step
    assert step(api, c["id"], "legal_review", bj(2025, 10, 11, 9), who="leader").status_code == 200
    no_discussion = step(api, c["id"], "decided", bj(2025, 10, 13))
    assert no_discussion.status_code == 409
    assert step(api, c["id"], "collective_discussion", bj(2025, 10, 13), who="leader").status_code == 200
    assert step(api, c["id"], "decided", bj(2025, 10, 14)).status_code == 200


def test_a_late_hearing_request_does_not_open_a_hearing(api, db, team, fixed_clock) -> None:
    fixed_clock(bj(2025, 9, 1))
    c = file(api, db, team, violation="forced_risky_work")
    amount(api, c["id"], 30000)
    step(api, c["id"], "investigating", bj(2025, 9, 2))
    step(api, c["id"], "notified", bj(2025, 9, 26))
    api("duty").post(f"{CASES}/{c['id']}/hearing-request", json={"requested_at": iso(bj(2025, 10, 11, 9))})
    r = step(api, c["id"], "hearing", bj(2025, 10, 11, 10), hearing_at=iso(bj(2025, 10, 27, 9)))
    assert r.status_code == 409 and "超过期限" in r.json()["error"]["message"]


def test_the_hearing_notice_is_served_seven_working_days_before(api, db, team, fixed_clock) -> None:
    """Hearing on Monday 13 Oct 2025: counted back, 11 Oct (worked Saturday), 10, 9 Oct, 30, 29 Sep, 28 Sep
    (worked Sunday) and 26 Sep are the 7 working days, so the notice is late from 27 Sep 00:00."""
    fixed_clock(bj(2025, 9, 1))
    c = file(api, db, team, violation="forced_risky_work")
    amount(api, c["id"], 30000)
    step(api, c["id"], "investigating", bj(2025, 9, 2))
    step(api, c["id"], "notified", bj(2025, 9, 25))
    r = api("duty").post(f"{CASES}/{c['id']}/hearing-request", json={"requested_at": iso(bj(2025, 9, 25, 15))})
    assert r.status_code == 200
    hearing = iso(bj(2025, 10, 13, 9))
    late = step(api, c["id"], "hearing", bj(2025, 9, 27, 9), hearing_at=hearing)
    assert late.status_code == 409 and "七日前" in late.json()["error"]["message"]
    assert "2025-09-26" in late.json()["error"]["message"]
    # a decision may not skip the hearing that was asked for in time
    skip = step(api, c["id"], "legal_review", bj(2025, 10, 9), who="leader")
    assert skip.status_code == 409 and "须先组织听证" in skip.json()["error"]["message"]
    ok = step(api, c["id"], "hearing", bj(2025, 9, 26, 16), hearing_at=hearing)
    assert ok.status_code == 200
    notice = next(d for d in ok.json()["deadlines"] if d["label"].startswith("听证通知"))
    assert notice["last_day"] == "2025-09-26"


def test_case_length_30_days_rolls_past_the_holiday_and_90_with_approval(api, db, team, fixed_clock) -> None:
    """Filed 5 Sep 2025: 30 days end on 5 Oct, a holiday, so the last day is Thursday 9 Oct; extended, 90 days
    end on Thursday 4 Dec 2025. Only the head approves the extension."""
    fixed_clock(bj(2025, 9, 5))
    c = file(api, db, team)
    closure = next(d for d in c["deadlines"] if d["label"].startswith("案件办理"))
    assert closure["last_day"] == "2025-10-09"
    assert api("duty").post(f"{CASES}/{c['id']}/extension", json={"reason": "案情复杂"}).status_code == 403
    r = api("leader").post(f"{CASES}/{c['id']}/extension", json={"reason": "案情复杂"})
    assert r.status_code == 200
    closure = next(d for d in r.json()["deadlines"] if d["label"].startswith("案件办理"))
    assert closure["last_day"] == "2025-12-04"
    assert api("leader").post(f"{CASES}/{c['id']}/extension", json={"reason": "再延"}).status_code == 409


def test_the_amount_must_lie_in_the_discretion_band(api, db, team, fixed_clock, page_client) -> None:
    """违章指挥: unit 1万–2万元, person 1千–5千元 (cn-rules §11.4), bounds included."""
    fixed_clock(bj(2025, 9, 1))
    c = file(api, db, team)
    for yuan, code in [("9999.99", 422), ("10000", 200), ("20000", 200), ("20000.01", 422), ("0", 422)]:
        assert amount(api, c["id"], yuan).status_code == code, yuan
    refused = amount(api, c["id"], "25000").json()["error"]
    assert "10000–20000" in refused["message"] and refused["details"][0]["field"] == "amount_yuan"
    amount(api, c["id"], "15000")
    page = page_client("duty").get(f"/enforcement/cases/{c['id']}")
    assert page.status_code == 200
    assert "单位罚款幅度 10000–20000 元，拟罚 15000.00 元在幅度内" in page.text
    p = file(api, db, team, party="person", party_name="韦某某")
    assert amount(api, p["id"], "6000").status_code == 422
    assert amount(api, p["id"], "5000").status_code == 200


def test_first_offence_waiver_only_where_the_band_allows_it(api, db, team, fixed_clock) -> None:
    """The training-records band (< 10 % of staff) allows 首违免罚 for ordinary 工贸 units only."""
    fixed_clock(bj(2025, 9, 1))
    trade = file(api, db, team, violation="training_records_under_10pct")
    waived = amount(api, trade["id"], "0", first_offence=True).json()
    assert waived["waivable"] is True and "首违免罚" in waived["reason"]
    chem = db.scalar(select(Enterprise).where(Enterprise.industry == "hazardous_chemicals").order_by(Enterprise.id))
    other = file(api, db, team, violation="training_records_under_10pct", enterprise=chem)
    plain = amount(api, other["id"], "0", first_offence=True).json()
    assert plain["waivable"] is False and "首违免罚" not in plain["reason"]
    # a band without the waiver: zero is refused even for a first offence
    c = file(api, db, team)
    assert amount(api, c["id"], "0", first_offence=True).status_code == 422


def test_decisions_published_with_personal_data_masked_and_the_7_working_day_limit(
        api, client, db, team, fixed_clock) -> None:
    """Decided Friday 26 Sep 2025: 7 working days are 28, 29, 30 Sep, 9, 10, 11 Oct and Monday 13 Oct."""
    fixed_clock(bj(2025, 9, 1))
    c = file(api, db, team, party="person", party_name="覃小明", person_id_no="450221199001011234")
    amount(api, c["id"], 3000)
    for to, at in [("investigating", bj(2025, 9, 2)), ("notified", bj(2025, 9, 10)), ("decided", bj(2025, 9, 26))]:
        assert step(api, c["id"], to, at).status_code == 200
    assert api("chem").post(f"{CASES}/{c['id']}/publication").status_code in (403, 404)
    fixed_clock(bj(2025, 10, 14, 9))
    r = api("inspector").post(f"{CASES}/{c['id']}/publication")  # a fresh token at the new time
    assert r.status_code == 200
    due = next(d for d in r.json()["deadlines"] if d["label"].startswith("行政处罚决定公示"))
    assert due["last_day"] == "2025-10-13"
    page = client.get("/public/enforcement").text
    assert c["case_no"] in page and "覃**" in page and "覃小明" not in page
    assert "450221********1234" in page and "450221199001011234" not in page
    assert "逾期公示" in page  # published on the 14th, a day late
    assert api("inspector").post(f"{CASES}/{c['id']}/publication").status_code == 409


def test_a_case_needs_two_inspectors_from_the_roster(api, db, team) -> None:
    e = _trade(db)
    body = {"enterprise_id": e.id, "party_name": e.name, "violation": "illegal_command", "inspector_ids": [team[0]]}
    assert api("duty").post(CASES, json=body).status_code == 422
    body["inspector_ids"] = [team[0], 999999]
    r = api("duty").post(CASES, json=body)
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "inspector_ids"
    body["inspector_ids"], body["violation"] = list(team), "no_such_violation"
    assert api("duty").post(CASES, json=body).status_code == 422


def test_case_scope_per_role(api, db, team, fixed_clock) -> None:
    """An inspector sees only the cases it is assigned; a township officer its township's; an enterprise
    manager its own; nobody else may write."""
    fixed_clock(bj(2025, 9, 1))
    labao = user(db, "labao").scope_path
    chem_id = user(db, "chem").enterprise_id
    inside = db.scalar(select(Enterprise).where(Enterprise.region_path.startswith(labao + "/"),
                                                Enterprise.id != chem_id).order_by(Enterprise.id))
    outside = _trade(db, outside=labao)
    chem = db.get(Enterprise, chem_id)
    others = [i.id for i in db.scalars(select(Inspector).where(Inspector.id.not_in(team)).limit(2))]
    mine = file(api, db, team, enterprise=inside)
    theirs = file(api, db, (others[0], others[1]), enterprise=outside)
    own = file(api, db, (others[0], others[1]), enterprise=chem)

    def listed(username):
        r = api(username).get(f"{CASES}?page_size=500")
        assert r.status_code == 200
        return {c["id"] for c in r.json()["items"]}

    assert {mine["id"], theirs["id"], own["id"]} <= listed("duty")
    assert mine["id"] in listed("inspector") and not {theirs["id"], own["id"]} & listed("inspector")
    assert api("inspector").get(f"{CASES}/{theirs['id']}").status_code == 404
    assert api("inspector2").get(f"{CASES}/{mine['id']}").status_code == 200
    town = listed("labao")
    assert mine["id"] in town and theirs["id"] not in town
    assert api("labao").get(f"{CASES}/{theirs['id']}").status_code == 404
    assert listed("chem") == {own["id"]}
    assert api("chem").get(f"{CASES}/{mine['id']}").status_code == 404
    # writes
    assert step(api, mine["id"], "investigating", bj(2025, 9, 2), who="inspector").status_code == 200
    assert step(api, theirs["id"], "investigating", bj(2025, 9, 2), who="inspector").status_code == 404
    assert step(api, own["id"], "investigating", bj(2025, 9, 2), who="chem").status_code == 403
    assert step(api, mine["id"], "notified", bj(2025, 9, 3), who="labao").status_code == 403
    body = {"enterprise_id": inside.id, "party_name": inside.name, "violation": "illegal_command",
            "inspector_ids": list(others)}
    assert api("inspector").post(CASES, json=body).status_code == 403  # not its own case
    for username in ("labao", "chem", "officer", "liaison"):
        assert api(username).post(CASES, json=body).status_code == 403, username


def test_case_pages(page_client, db) -> None:
    assert page_client("duty").get("/enforcement/cases").status_code == 200
    assert page_client("inspector").get("/enforcement/cases").status_code == 200
    assert page_client("officer").get("/enforcement/cases").status_code == 403


def test_a_deadline_the_calendar_does_not_know_yet_is_marked(api, db, team, fixed_clock) -> None:
    """2027 is unknown to the calendar on 2026-12-01: a case filed 20 Dec 2026 ends on a provisional day."""
    fixed_clock(bj(2026, 12, 20))
    c = file(api, db, team)
    closure = next(d for d in c["deadlines"] if d["label"].startswith("案件办理"))
    assert closure["provisional"] is True and date.fromisoformat(closure["last_day"]) >= date(2027, 1, 19)
