"""Emergency-plan rules (cn-rules §8) with hand-counted dates. Working days over 国庆节 2025: 1–8 Oct off,
28 Sep (Sun) and 11 Oct (Sat) worked."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from yingji.core.clock import LOCAL_TZ
from yingji.core.workdays import WorkCalendar
from yingji.plans.standards import (
    drill_gap,
    drill_rule,
    filing_check,
    filing_deadline,
    next_evaluation,
    requires_refiling,
)

CAL = WorkCalendar()


def bj(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_TZ).astimezone(UTC)


def test_filing_within_20_working_days_of_publication() -> None:
    # Published Fri 26 Sep: 28/9 1, 29 2, 30 3, 9/10 4, 10 5, 11 (Sat, worked) 6, 13–17 7–11, 20–24 12–16,
    # 27–30 17–20.
    assert filing_deadline(published_at=bj(2025, 9, 26), calendar=CAL).last_day == date(2025, 10, 30)


def test_the_check_within_5_working_days_or_deemed_filed() -> None:
    submitted = bj(2025, 9, 26)  # due: end of Fri 10 Oct
    in_time = filing_check(submitted_at=submitted, calendar=CAL, decided_at=bj(2025, 10, 10, 17),
                           decision="returned", now=bj(2025, 10, 10, 17))
    assert in_time.status == "returned" and in_time.due.last_day == date(2025, 10, 10)
    assert filing_check(submitted_at=submitted, calendar=CAL, now=bj(2025, 10, 10, 23, 59)).status == "pending"
    late = filing_check(submitted_at=submitted, calendar=CAL, now=bj(2025, 10, 11, 0, 0))
    assert late.deemed_filed
    answered_late = filing_check(submitted_at=submitted, calendar=CAL, decided_at=bj(2025, 10, 13),
                                 decision="returned", now=bj(2025, 10, 13))
    assert answered_late.status == "deemed_filed"


def test_evaluation_every_three_years_or_at_a_trigger() -> None:
    assert next_evaluation(since=date(2023, 2, 28)) == (date(2026, 2, 28), "每三年评估一次")
    assert next_evaluation(since=date(2024, 2, 29))[0] == date(2027, 2, 28)
    due, reason = next_evaluation(since=date(2023, 2, 28), triggers=[("problems_found", date(2025, 5, 10)),
                                                                     ("risk_changed", date(2025, 8, 1))])
    assert due == date(2025, 5, 10) and "演练中发现问题" in reason
    assert next_evaluation(since=date(2025, 6, 1), triggers=[("law_changed", date(2025, 5, 1))])[0] == date(2028, 6, 1)


def test_which_revisions_need_refiling() -> None:
    assert not requires_refiling({"contacts", "resources"})
    assert requires_refiling({"contacts", "command"})
    assert requires_refiling({"response_grading"})
    with pytest.raises(ValueError):
        requires_refiling({"colour"})


def test_drill_rules_by_owner_and_plan_type() -> None:
    assert drill_rule(owner="enterprise", plan_type="comprehensive", high_risk=True).period == "half_year"
    assert drill_rule(owner="enterprise", plan_type="comprehensive").period == "year"
    assert drill_rule(owner="enterprise", plan_type="on_site").period == "half_year"
    special = drill_rule(owner="government", plan_type="special")
    assert (special.period, special.months) == ("months", 36)
    assert drill_rule(owner="government", plan_type="township").months == 24
    assert drill_rule(owner="government", plan_type="on_site") is None


def test_yearly_drill_gaps() -> None:
    rule = drill_rule(owner="enterprise", plan_type="special")
    gap = drill_gap(rule=rule, drills=[date(2025, 3, 1)], today=date(2026, 5, 1), since=date(2024, 1, 1))
    assert gap.status == "due"
    overdue = drill_gap(rule=rule, drills=[date(2024, 5, 1)], today=date(2026, 5, 1), since=date(2024, 1, 1))
    assert overdue.status == "overdue" and overdue.missed_period == (date(2025, 1, 1), date(2025, 12, 31))
    ok = drill_gap(rule=rule, drills=[date(2025, 3, 1), date(2026, 4, 30)], today=date(2026, 5, 1),
                   since=date(2024, 1, 1))
    assert (ok.status, ok.due_by) == ("ok", date(2026, 12, 31))


def test_half_yearly_drill_gaps() -> None:
    rule = drill_rule(owner="enterprise", plan_type="on_site")
    due = drill_gap(rule=rule, drills=[date(2026, 3, 1)], today=date(2026, 8, 15), since=date(2024, 1, 1))
    assert (due.status, due.due_by) == ("due", date(2026, 12, 31))
    overdue = drill_gap(rule=rule, drills=[date(2025, 11, 1)], today=date(2026, 8, 15), since=date(2024, 1, 1))
    assert overdue.status == "overdue" and overdue.missed_period == (date(2026, 1, 1), date(2026, 6, 30))
    first_half = drill_gap(rule=rule, drills=[date(2025, 8, 1)], today=date(2026, 2, 1), since=date(2024, 1, 1))
    assert first_half.status == "due" and first_half.due_by == date(2026, 6, 30)


def test_rolling_drill_periods() -> None:
    rule = drill_rule(owner="government", plan_type="general")  # every two years
    gap = drill_gap(rule=rule, drills=[date(2024, 6, 30)], today=date(2026, 6, 30), since=date(2020, 1, 1))
    assert gap.status == "ok"
    late = drill_gap(rule=rule, drills=[date(2024, 6, 30)], today=date(2026, 7, 1), since=date(2020, 1, 1))
    assert late.status == "overdue" and late.due_by == date(2026, 6, 30)


def test_the_check_answer_at_the_due_instant_is_late_and_an_acceptance_in_time_stands() -> None:
    submitted = bj(2025, 9, 26)  # 5 working days: 28/9, 29, 30, 9/10, 10 → due at 00:00 on 11 Oct (Beijing)
    accepted = filing_check(submitted_at=submitted, calendar=CAL, decided_at=bj(2025, 9, 29), decision="accepted",
                            now=bj(2025, 10, 20))
    assert (accepted.status, accepted.deemed_filed) == ("accepted", False)
    at_due = filing_check(submitted_at=submitted, calendar=CAL, decided_at=bj(2025, 10, 11, 0, 0),
                          decision="accepted", now=bj(2025, 10, 11, 0, 0))
    assert at_due.status == "deemed_filed"
    # A note without a decision is no answer: still pending until the due instant.
    noted = filing_check(submitted_at=submitted, calendar=CAL, decided_at=bj(2025, 9, 29), decision="noted",
                         now=bj(2025, 9, 29))
    assert noted.status == "pending"


def test_a_trigger_on_the_day_itself_is_not_after_it_and_an_unknown_one_is_refused() -> None:
    assert next_evaluation(since=date(2025, 6, 1), triggers=[("risk_changed", date(2025, 6, 1))]) == \
        (date(2028, 6, 1), "每三年评估一次")
    due, reason = next_evaluation(since=date(2025, 6, 1), triggers=[("resources_changed", date(2025, 6, 2))])
    assert (due, reason) == (date(2025, 6, 2), "重要应急资源发生重大变化")  # 第三十五条 (4)
    with pytest.raises(ValueError, match="unknown revision trigger 'colour'"):
        next_evaluation(since=date(2025, 6, 1), triggers=[("colour", date(2025, 7, 1))])


@pytest.mark.parametrize("part", ["command", "procedures", "measures", "response_grading"])
def test_each_part_of_article_36_alone_needs_refiling(part) -> None:
    assert requires_refiling({part}) is True


def test_wording_and_annexes_need_no_refiling() -> None:
    assert requires_refiling({"wording", "annexes"}) is False
    assert requires_refiling(set()) is False


def test_half_years_turn_on_1_july() -> None:
    rule = drill_rule(owner="enterprise", plan_type="on_site")
    june = drill_gap(rule=rule, drills=[date(2025, 12, 31), date(2026, 1, 1)], today=date(2026, 6, 30),
                     since=date(2024, 1, 1))
    assert (june.status, june.due_by) == ("ok", date(2026, 6, 30))  # drills on the last and first days count
    july = drill_gap(rule=rule, drills=[date(2026, 6, 30)], today=date(2026, 7, 1), since=date(2024, 1, 1))
    assert (july.status, july.due_by) == ("due", date(2026, 12, 31))  # drilled on the last day of the half
    # In January the half before is July–December of last year.
    jan = drill_gap(rule=rule, drills=[date(2025, 6, 30)], today=date(2026, 1, 15), since=date(2024, 1, 1))
    assert jan.status == "overdue" and jan.missed_period == (date(2025, 7, 1), date(2025, 12, 31))


def test_a_plan_newer_than_the_period_before_owes_no_drill_for_it() -> None:
    rule = drill_rule(owner="enterprise", plan_type="special")  # 每年至少一次
    new = drill_gap(rule=rule, drills=[], today=date(2026, 5, 1), since=date(2025, 1, 2))
    assert (new.status, new.missed_period) == ("due", None)
    whole_year = drill_gap(rule=rule, drills=[], today=date(2026, 5, 1), since=date(2025, 1, 1))
    assert whole_year.missed_period == (date(2025, 1, 1), date(2025, 12, 31))
    # A drill dated after today (planned) does not count for today; one on today does.
    assert drill_gap(rule=rule, drills=[date(2025, 6, 1), date(2026, 5, 2)], today=date(2026, 5, 1),
                     since=date(2024, 1, 1)).status == "due"
    assert drill_gap(rule=rule, drills=[date(2025, 6, 1), date(2026, 5, 1)], today=date(2026, 5, 1),
                     since=date(2024, 1, 1)).status == "ok"


def test_a_rolling_period_counts_from_publication_and_ignores_planned_drills() -> None:
    rule = drill_rule(owner="government", plan_type="general")  # 应急条例 第八条: every 2 years
    never = drill_gap(rule=rule, drills=[date(2027, 1, 1)], today=date(2026, 7, 1), since=date(2024, 6, 30))
    assert (never.status, never.missed_period, never.due_by) == ("overdue", (date(2024, 6, 30), date(2026, 6, 30)),
                                                                 date(2026, 6, 30))
    on_time = drill_gap(rule=rule, drills=[], today=date(2026, 6, 30), since=date(2024, 6, 30))
    assert (on_time.status, on_time.missed_period) == ("ok", None)


# 突发事件应急预案管理办法 第三十五条, items (1)–(6): the first and last words of each.
ARTICLE_35 = [("law_changed", "有关法律", "发生重大变化"), ("command_changed", "应急指挥机构", "调整"),
              ("risk_changed", "面临的风险", "发生重大变化"), ("resources_changed", "重要应急资源", "发生重大变化"),
              ("problems_found", "在突发事件实际应对和应急演练中发现问题", "需要作出重大调整"),
              ("other", "其他", "修订的情况")]


@pytest.mark.parametrize(("code", "head", "tail"), ARTICLE_35)
def test_each_reason_of_article_35_brings_the_evaluation_forward(code, head, tail) -> None:
    due, reason = next_evaluation(since=date(2025, 6, 1), triggers=[(code, date(2025, 9, 3))])
    assert due == date(2025, 9, 3) and reason.startswith(head) and reason.endswith(tail)


def test_refusals_of_unknown_codes_in_their_words() -> None:
    with pytest.raises(ValueError) as trigger:
        next_evaluation(since=date(2025, 6, 1), triggers=[("colour", date(2025, 7, 1))])
    assert str(trigger.value) == "unknown revision trigger 'colour'"
    with pytest.raises(ValueError) as parts:
        requires_refiling({"colour", "annexes", "badge"})
    assert str(parts.value) == "unknown plan parts: ['badge', 'colour']"


def test_drills_on_the_edges_of_a_period_count() -> None:
    yearly = drill_rule(owner="enterprise", plan_type="special")
    first_day = drill_gap(rule=yearly, drills=[date(2025, 1, 1)], today=date(2026, 5, 1), since=date(2024, 1, 1))
    assert (first_day.status, first_day.missed_period) == ("due", None)
    overdue = drill_gap(rule=yearly, drills=[], today=date(2026, 5, 1), since=date(2024, 1, 1))
    assert overdue.due_by == date(2026, 12, 31)  # still the end of this year, drilled or not
    rolling = drill_rule(owner="government", plan_type="general")  # every 2 years
    today = drill_gap(rule=rolling, drills=[date(2026, 7, 1)], today=date(2026, 7, 1), since=date(2024, 6, 30))
    assert (today.status, today.due_by) == ("ok", date(2028, 7, 1))  # a drill on the day itself counts
