"""The filing workflow (令2 第二十六条–第二十八条) on the legal clock, over 国庆节 2025 as the calendar data
has it: 1–8 Oct off, Sun 28 Sep and Sat 11 Oct worked."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.plans.helpers import bj, chem_enterprise, materials, plan
from yingji.core.actor import SYSTEM
from yingji.core.errors import Conflict, ValidationFailed
from yingji.core.workdays import load_calendar
from yingji.plans.schemas import FilingCreate, FilingDecision
from yingji.plans.service import filings

ALL_PASSED = {k: True for k in ("materials_complete", "form_signed", "review_done", "structure_ok", "consistent")}


@pytest.fixture
def submitted(db, fixed_clock):
    """A 危化 enterprise's plan submitted on Fri 26 Sep 2025, 10:00 Beijing time."""
    fixed_clock(bj(2025, 9, 26))
    p = plan(db, enterprise_id=chem_enterprise(db).id, published_on=date(2025, 9, 26))
    f = filings.submit(db=db, actor=SYSTEM, data=FilingCreate(plan_id=p.id, materials=materials(db)))
    return p, f


def test_the_holiday_comes_from_the_calendar_data(db) -> None:
    cal = load_calendar(db)
    assert [cal.is_working_day(date(2025, 10, d)) for d in range(1, 9)] == [False] * 8
    assert cal.is_working_day(date(2025, 9, 28)) and cal.is_working_day(date(2025, 10, 11))


def test_check_due_after_5_working_days_over_the_holiday(db, submitted, fixed_clock) -> None:
    p, f = submitted
    # 28 Sep (Sun, worked) 1, 29 2, 30 3, [1–8 Oct off], 9 Oct 4, 10 Oct 5: due at the end of Fri 10 Oct.
    v = filings.view(db, f, now=bj(2025, 9, 26, 11))
    assert v.status == "submitted" and v.due_last_day == date(2025, 10, 10) and v.working_days_left == 5
    assert f.due_at == bj(2025, 10, 11, 0, 0)
    last = filings.view(db, f, now=bj(2025, 10, 10, 23, 59))
    assert last.status == "submitted" and last.working_days_left == 1


def test_unanswered_in_time_it_counts_as_filed(db, submitted, fixed_clock) -> None:
    p, f = submitted
    assert filings.view(db, f, now=bj(2025, 10, 11, 0, 0)).status == "deemed_filed"  # computed on read
    assert f.status == "submitted" and f.certificate_no is None
    fixed_clock(bj(2025, 10, 13, 9))
    with pytest.raises(Conflict):  # too late to answer
        filings.decide(db=db, actor=SYSTEM, filing_id=f.id, data=FilingDecision(decision="returned", reasons="迟到"))
    assert filings.deem_overdue(db=db) == 1  # the job writes it down once
    assert filings.deem_overdue(db=db) == 0
    assert f.status == "deemed_filed" and f.decided_at == f.due_at
    assert re.fullmatch(r"450206-2025-\d{4}", f.certificate_no)
    state = filings.filing_state(db=db, actor=SYSTEM, plan_id=p.id)
    assert state.filed and state.latest.status == "deemed_filed"


def test_accepted_in_time_with_every_check_passed(db, submitted, fixed_clock) -> None:
    p, f = submitted
    fixed_clock(bj(2025, 10, 10, 17))
    partial = FilingDecision(decision="accepted", checklist={**ALL_PASSED, "review_done": False})
    with pytest.raises(ValidationFailed) as exc:
        filings.decide(db=db, actor=SYSTEM, filing_id=f.id, data=partial)
    assert exc.value.details[0].field == "checklist"
    filings.decide(db=db, actor=SYSTEM, filing_id=f.id, data=FilingDecision(decision="accepted", checklist=ALL_PASSED))
    assert f.status == "accepted" and f.certificate_no.startswith("450206-2025-")
    with pytest.raises(Conflict):
        filings.decide(db=db, actor=SYSTEM, filing_id=f.id, data=FilingDecision(decision="accepted",
                                                                               checklist=ALL_PASSED))


def test_returned_only_with_reasons_then_submitted_again(db, submitted, fixed_clock) -> None:
    p, f = submitted
    fixed_clock(bj(2025, 9, 30, 15))
    with pytest.raises(ValidationFailed) as exc:
        filings.decide(db=db, actor=SYSTEM, filing_id=f.id, data=FilingDecision(decision="returned", reasons=" "))
    assert exc.value.details[0].field == "reasons"
    filings.decide(db=db, actor=SYSTEM, filing_id=f.id,
                   data=FilingDecision(decision="returned", reasons="风险评估未覆盖储罐区"))
    assert f.status == "returned" and f.certificate_no is None
    again = filings.submit(db=db, actor=SYSTEM, data=FilingCreate(plan_id=p.id, materials=materials(db)))
    # Tue 30 Sep 15:00: 1–8 Oct off, 9, 10, 11 (Sat, worked), 13, 14 → end of Tue 14 Oct.
    assert filings.view(db, again).due_last_day == date(2025, 10, 14)


def test_materials_of_article_27(db, fixed_clock) -> None:
    fixed_clock(bj(2025, 9, 26))
    p = plan(db, enterprise_id=chem_enterprise(db).id)
    assert p.review_required  # 危化: 评审 is mandatory (第二十一条)
    m = materials(db, review=False)
    with pytest.raises(ValidationFailed) as exc:
        filings.submit(db=db, actor=SYSTEM, data=FilingCreate(plan_id=p.id, materials=m))
    assert exc.value.details[0].field == "materials.review_opinion"
    filings.submit(db=db, actor=SYSTEM, data=FilingCreate(plan_id=p.id, materials=materials(db)))
    with pytest.raises(Conflict):  # one open filing at a time
        filings.submit(db=db, actor=SYSTEM, data=FilingCreate(plan_id=p.id, materials=materials(db)))


def test_filing_deadline_20_working_days_after_publication(db, fixed_clock) -> None:
    p = plan(db, enterprise_id=chem_enterprise(db).id, published_on=date(2025, 9, 26))
    # 28/9 1, 29–30 2–3, 9–11/10 4–6, 13–17 7–11, 20–24 12–16, 27–30 17–20.
    state = filings.filing_state(db=db, actor=SYSTEM, plan_id=p.id, now=bj(2025, 10, 30, 23))
    assert state.deadline_last_day == date(2025, 10, 30) and not state.overdue and not state.filed
    assert filings.filing_state(db=db, actor=SYSTEM, plan_id=p.id, now=bj(2025, 10, 31, 9)).overdue
