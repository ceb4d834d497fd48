"""The penalty case procedure: illegal step orders refused with the reason, the hearing window over 国庆节
2025 (1–8 Oct off, 28 Sep and 11 Oct worked), the 较大数额 line and the discretion bands."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from yingji.core.clock import LOCAL_TZ
from yingji.core.workdays import WorkCalendar
from yingji.enforcement.case_procedure import (
    CaseFacts,
    StepRefused,
    case_deadline,
    check_amount,
    check_step,
    hearing_notice_deadline,
    hearing_request_deadline,
    is_major,
)

CAL = WorkCalendar()


def bj(y, m, d, hh=10) -> datetime:
    return datetime(y, m, d, hh, tzinfo=LOCAL_TZ).astimezone(UTC)


def case(step: str, **kw) -> CaseFacts:
    base = {"party": "unit", "filed_at": bj(2025, 9, 1), "amount_yuan": Decimal(30000),
            "notified_at": bj(2025, 9, 26)}
    return CaseFacts(step=step, **{**base, **kw})


@pytest.mark.parametrize(
    ("step", "to"),
    [("filed", "notified"), ("filed", "decided"), ("investigating", "decided"), ("decided", "closed"),
     ("served", "decided"), ("closed", "investigating"), ("legal_review", "decided")],
)
def test_illegal_step_orders_are_refused(step, to) -> None:
    with pytest.raises(StepRefused, match="之后不能直接进入"):
        check_step(case(step), to, now=bj(2025, 10, 20), calendar=CAL)


def test_the_hearing_window_runs_five_working_days_over_national_day() -> None:
    assert hearing_request_deadline(case("notified"), CAL).last_day == date(2025, 10, 10)


def test_a_major_case_waits_for_the_hearing_window() -> None:
    c = case("notified")
    with pytest.raises(StepRefused, match="听证申请期限未满"):
        check_step(c, "legal_review", now=bj(2025, 10, 10, 23), calendar=CAL)
    check_step(c, "legal_review", now=bj(2025, 10, 11, 0), calendar=CAL)  # the window has passed
    check_step(case("notified", hearing_waived=True), "legal_review", now=bj(2025, 9, 27), calendar=CAL)


def test_a_hearing_asked_in_time_must_be_held() -> None:
    c = case("notified", hearing_requested_at=bj(2025, 10, 10, 16))
    check_step(c, "hearing", now=bj(2025, 10, 13), calendar=CAL)
    with pytest.raises(StepRefused, match="须先组织听证"):
        check_step(c, "legal_review", now=bj(2025, 10, 13), calendar=CAL)


def test_a_hearing_asked_late_or_below_the_threshold_is_refused() -> None:
    late = case("notified", hearing_requested_at=bj(2025, 10, 11, 0))
    with pytest.raises(StepRefused, match="超过期限"):
        check_step(late, "hearing", now=bj(2025, 10, 13), calendar=CAL)
    small = case("notified", amount_yuan=Decimal(29999), hearing_requested_at=bj(2025, 9, 29))
    with pytest.raises(StepRefused, match="未达到听证标准"):
        check_step(small, "hearing", now=bj(2025, 10, 13), calendar=CAL)


def test_the_major_line_is_inclusive_and_per_party() -> None:
    assert is_major(case("notified", amount_yuan=Decimal(30000)))
    assert not is_major(case("notified", amount_yuan=Decimal(29999)))
    assert is_major(case("notified", party="person", amount_yuan=Decimal(10000)))
    assert not is_major(case("notified", party="person", amount_yuan=Decimal(9999)))


def test_a_major_decision_needs_legal_review_and_collective_discussion() -> None:
    with pytest.raises(StepRefused, match="法制审核和集体讨论"):
        check_step(case("hearing", done=frozenset({"hearing"})), "decided", now=bj(2025, 10, 20), calendar=CAL)
    check_step(case("collective_discussion", done=frozenset({"legal_review", "collective_discussion"})),
               "decided", now=bj(2025, 10, 20), calendar=CAL)
    check_step(case("notified", amount_yuan=Decimal(5000)), "decided", now=bj(2025, 9, 27), calendar=CAL)


def test_case_length_and_extension() -> None:
    # Filed 1 Sep: 30 days → 1 Oct (holiday) → 9 Oct; extended 90 days → 30 Nov (Sun) → 1 Dec.
    assert case_deadline(case("investigating"), CAL).last_day == date(2025, 10, 9)
    assert case_deadline(case("investigating", extended=True), CAL).last_day == date(2025, 12, 1)


def test_hearing_notice_seven_working_days_before() -> None:
    # Hearing Mon 13 Oct: 11 (Sat, worked) 1, 10 2, 9 3, 30 Sep 4, 29 5, 28 (Sun, worked) 6, 26 7.
    assert hearing_notice_deadline(bj(2025, 10, 13), CAL).last_day == date(2025, 9, 26)


@pytest.mark.parametrize(
    ("party", "amount", "ok"),
    [("unit", 9999, False), ("unit", 10000, True), ("unit", 20000, True), ("unit", 20001, False),
     ("person", 999, False), ("person", 1000, True), ("person", 5000, True), ("person", 5001, False)],
)
def test_discretion_band_of_illegal_command(party, amount, ok) -> None:
    check = check_amount(violation="illegal_command", party=party, amount_yuan=Decimal(amount))
    assert check.ok is ok
    assert ("在幅度内" if ok else "超出幅度") in check.reason


def test_first_offence_waiver_only_where_the_band_allows_it() -> None:
    waived = check_amount(violation="training_records_under_10pct", party="unit", amount_yuan=Decimal(0),
                          first_offence=True, industry="industry_trade")
    assert waived.ok and "首违免罚" in waived.reason
    not_here = check_amount(violation="training_records_10_30pct", party="unit", amount_yuan=Decimal(0),
                            first_offence=True, industry="industry_trade")
    assert not not_here.ok
    with pytest.raises(StepRefused):
        check_amount(violation="no_such_thing", party="unit", amount_yuan=Decimal(1))
