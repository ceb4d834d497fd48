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


# The procedure of the module's docstring (行政处罚法 第五十四条–第六十九条): each step and the ones that may
# follow it. Investigating may close (撤案 / 不予处罚); a served decision closes when nothing is left to execute.
PROCEDURE = {
    "filed": {"investigating"}, "investigating": {"notified", "closed"},
    "notified": {"hearing", "legal_review", "decided"}, "hearing": {"legal_review", "decided"},
    "legal_review": {"collective_discussion"}, "collective_discussion": {"decided"}, "decided": {"served"},
    "served": {"executing", "closed"}, "executing": {"closed"}, "closed": set(),
}
LABELS = {"filed": "立案", "investigating": "调查取证", "notified": "告知（陈述申辩）", "hearing": "听证",
          "legal_review": "法制审核", "collective_discussion": "集体讨论", "decided": "决定", "served": "送达",
          "executing": "执行", "closed": "结案"}


@pytest.mark.parametrize("step", list(PROCEDURE))
def test_every_step_order_of_the_procedure(step) -> None:
    # A major fine (30000 yuan) with both reviews done and a hearing asked in time; the window long passed.
    c = case(step, amount_yuan=Decimal(30000), hearing_requested_at=bj(2025, 9, 29),
             done=frozenset({"legal_review", "collective_discussion"}))
    for to in LABELS:
        if to in PROCEDURE[step]:
            if to in ("legal_review", "decided") and step == "notified":
                continue  # a hearing asked in time comes first: tested on its own
            check_step(c, to, now=bj(2025, 10, 20), calendar=CAL)
        else:
            with pytest.raises(StepRefused) as refused:
                check_step(c, to, now=bj(2025, 10, 20), calendar=CAL)
            assert str(refused.value) == f"“{LABELS[step]}”之后不能直接进入“{LABELS[to]}”"


def test_refusals_in_their_words() -> None:
    def refused(c, to, now=bj(2025, 10, 13)) -> str:
        with pytest.raises(StepRefused) as exc:
            check_step(c, to, now=now, calendar=CAL)
        return str(exc.value)

    assert refused(case("notified"), "appeal") == "未知的办案环节：appeal"
    small = case("notified", amount_yuan=Decimal(29999), hearing_requested_at=bj(2025, 9, 29))
    assert refused(small, "hearing") == "拟罚款 29999 元未达到听证标准（30000 元），当事人无听证权利"
    person = case("notified", party="person", amount_yuan=Decimal(9999), hearing_requested_at=bj(2025, 9, 29))
    assert refused(person, "hearing") == "拟罚款 9999 元未达到听证标准（10000 元），当事人无听证权利"
    assert refused(case("notified"), "hearing") == "当事人未申请听证"
    late = refused(case("notified", hearing_requested_at=bj(2025, 10, 11, 0)), "hearing")
    assert late.startswith("听证申请已超过期限（") and "2025-10-10" in late
    assert refused(case("notified", hearing_requested_at=bj(2025, 9, 29)), "decided") == \
        "当事人已在期限内申请听证，须先组织听证"
    waiting = refused(case("notified"), "decided", now=bj(2025, 10, 10, 23))
    assert waiting.startswith("听证申请期限未满，不能作出决定（")
    assert refused(case("hearing"), "decided") == "较大数额罚款须先经法制审核和集体讨论"
    # Only one of the two done is not enough.
    assert refused(case("hearing", done=frozenset({"legal_review"})), "decided") == \
        "较大数额罚款须先经法制审核和集体讨论"


def test_a_hearing_asked_at_the_window_edge_and_a_minor_case_need_not_wait() -> None:
    # Asked one moment before the window closes (end of Fri 10 Oct): in time.
    check_step(case("notified", hearing_requested_at=bj(2025, 10, 10, 23)), "hearing", now=bj(2025, 10, 13),
               calendar=CAL)
    # Below the line no hearing right: a request neither blocks nor delays the decision.
    minor = case("notified", amount_yuan=Decimal(29999), hearing_requested_at=bj(2025, 9, 29))
    check_step(minor, "legal_review", now=bj(2025, 9, 30), calendar=CAL)
    check_step(case("notified", amount_yuan=Decimal(29999)), "decided", now=bj(2025, 9, 30), calendar=CAL)
    # Not yet notified: no window to wait for.
    assert hearing_request_deadline(case("investigating", notified_at=None), CAL) is None


def test_band_reasons_name_the_violation_party_and_amount() -> None:
    person = check_amount(violation="illegal_command", party="person", amount_yuan=Decimal(999))
    assert (person.ok, person.low, person.high, person.waivable) == (False, Decimal(1000), Decimal(5000), False)
    assert person.reason == "违章指挥：个人罚款幅度 1000–5000 元，拟罚 999 元超出幅度"
    unit = check_amount(violation="forced_risky_work", party="unit", amount_yuan=Decimal(30000))
    assert unit.reason == "强令冒险作业：单位罚款幅度 20000–30000 元，拟罚 30000 元在幅度内"
    with pytest.raises(StepRefused) as no_person:
        check_amount(violation="training_records_10_30pct", party="person", amount_yuan=Decimal(1))
    assert str(no_person.value) == "该违法行为的裁量基准没有对个人的罚款幅度"
    with pytest.raises(StepRefused) as unknown:
        check_amount(violation="no_such_thing", party="unit", amount_yuan=Decimal(1))
    assert str(unknown.value) == "裁量基准中没有违法行为：no_such_thing"
    waived = check_amount(violation="training_records_under_10pct", party="unit", amount_yuan=Decimal(0),
                          first_offence=True, industry="industry_trade")
    assert (waived.ok, waived.waivable, waived.reason) == (
        True, True, "首次违法且危害后果轻微并及时改正，依裁量基准不予处罚（首违免罚）")
    # Not a first offence: 0 is simply inside 0–3万 (≤ 3万 of §11.4), no waiver.
    plain = check_amount(violation="training_records_under_10pct", party="unit", amount_yuan=Decimal(0),
                         industry="industry_trade")
    assert (plain.ok, plain.waivable) == (True, False) and plain.reason.endswith("在幅度内")
    other_industry = check_amount(violation="training_records_under_10pct", party="unit",
                                  amount_yuan=Decimal(0), first_offence=True, industry="mining")
    assert other_industry.waivable is False


def test_a_case_as_filed_has_no_fine_no_notice_and_no_window() -> None:
    filed = CaseFacts(step="investigating", party="unit", filed_at=bj(2025, 9, 1))
    assert not is_major(filed) and hearing_request_deadline(filed, CAL) is None
    check_step(filed, "notified", now=bj(2025, 9, 2), calendar=CAL)


def test_a_hearing_asked_at_the_closing_instant_is_late_and_does_not_hold_the_decision() -> None:
    # The window closes at 00:00 on Sat 11 Oct (end of Fri 10 Oct): asked then, it is out of time.
    late = case("notified", hearing_requested_at=bj(2025, 10, 11, 0))
    check_step(late, "legal_review", now=bj(2025, 10, 20), calendar=CAL)
