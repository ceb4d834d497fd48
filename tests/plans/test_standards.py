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
