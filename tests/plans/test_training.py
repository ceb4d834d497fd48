"""Training hours (令3) and special-operations certificate reviews (令30 第二十一条), from the rules' text."""

from __future__ import annotations

from datetime import date

import pytest

from yingji.plans.training import (
    CATEGORY_LABELS,
    Person,
    RateRule,
    certificate_next_review,
    compute_rate,
    rate_rules,
    training_status,
)


@pytest.mark.parametrize(
    ("role", "high_risk", "initial", "yearly"),
    [("principal", False, 32, 12), ("principal", True, 48, 16), ("safety_manager", False, 32, 12),
     ("safety_manager", True, 48, 16), ("worker", False, 24, 0), ("worker", True, 72, 20)],
)
def test_required_hours(role, high_risk, initial, yearly) -> None:
    s = training_status(role=role, high_risk=high_risk, records=[], year=2026, started=date(2024, 3, 1))
    assert (s.initial_required, s.yearly_required) == (initial, yearly)


def test_hours_done_and_short() -> None:
    records = [(date(2024, 3, 5), 40, "initial"), (date(2024, 3, 20), 8, "initial"),
               (date(2025, 6, 1), 10, "yearly"), (date(2026, 4, 1), 6, "yearly")]
    s2025 = training_status(role="safety_manager", high_risk=True, records=records, year=2025, started=date(2024, 3, 1))
    assert s2025.initial_short == 0 and s2025.yearly_short == 6 and not s2025.complete
    s2026 = training_status(role="safety_manager", high_risk=True, records=records, year=2026, started=date(2024, 3, 1))
    assert s2026.yearly_done == 6 and s2026.yearly_short == 10
    first_year = training_status(role="safety_manager", high_risk=True, records=records, year=2024,
                                 started=date(2024, 3, 1))
    assert first_year.yearly_required == 0 and first_year.complete


def test_certificate_reviews() -> None:
    assert certificate_next_review(issued=date(2023, 5, 10)) == date(2026, 5, 10)
    assert certificate_next_review(issued=date(2015, 5, 10), last_review=date(2024, 2, 29)) == date(2027, 2, 28)
    assert certificate_next_review(issued=date(2012, 5, 10), last_review=date(2024, 5, 10), clean_years=9) \
        == date(2027, 5, 10)
    assert certificate_next_review(issued=date(2012, 5, 10), last_review=date(2024, 5, 10), clean_years=10) \
        == date(2030, 5, 10)


def test_shortfalls_count_hours_of_their_kind_and_year_only() -> None:
    # 令3, a new worker outside the high-risk sectors: 24 h initial, nothing yearly.
    records = [(date(2025, 1, 2), 10.5, "initial"), (date(2025, 12, 31), 4, "yearly"), (date(2026, 1, 1), 3, "yearly")]
    s = training_status(role="worker", high_risk=False, records=records, year=2025, started=date(2025, 1, 1))
    assert (s.initial_done, s.initial_short, s.yearly_required, s.yearly_done, s.yearly_short) == (10.5, 13.5, 0, 4, 0)
    assert not s.complete
    # Over-fulfilled hours are no negative shortfall; the year after starting is the first one owed (72 + 20).
    hi = training_status(role="worker", high_risk=True, records=[(date(2024, 5, 1), 80, "initial"),
                         (date(2025, 2, 1), 20, "yearly")], year=2025, started=date(2024, 12, 31))
    assert (hi.initial_short, hi.yearly_required, hi.yearly_short, hi.complete) == (0, 20, 0, True)
    only_initial_missing = training_status(role="principal", high_risk=False,
                                           records=[(date(2025, 3, 1), 12, "yearly")], year=2025,
                                           started=date(2020, 1, 1))
    assert (only_initial_missing.initial_short, only_initial_missing.yearly_short) == (32, 0)
    assert not only_initial_missing.complete
    with pytest.raises(ValueError, match="^unknown training role 'pilot'$"):
        training_status(role="pilot", high_risk=False, records=[], year=2025, started=date(2020, 1, 1))


def test_a_review_counts_from_issue_when_never_reviewed_and_11_clean_years_extend_too() -> None:
    assert certificate_next_review(issued=date(2020, 8, 31), clean_years=11) == date(2026, 8, 31)
    assert certificate_next_review(issued=date(2020, 8, 31), last_review=None) == date(2023, 8, 31)


def _rule(condition, target, kinds=()):
    return RateRule("k", "label", "high_risk_worker", condition, target, kinds)


def test_a_rate_is_met_over_the_known_and_unknown_is_neither() -> None:
    people = [Person(1, True, frozenset()), Person(2, False, frozenset()), Person(3, None, frozenset()),
              Person(4, True, frozenset()), Person(5, True, frozenset())]
    r = compute_rate(_rule("specialised", 0.75), people)
    # 3 specialised of 4 known (the unrecorded one left out): 75 %, which reaches a 75 % target.
    assert (r.population, r.met, r.unknown, r.met_ids, r.unmet_ids, r.unknown_ids) == (5, 3, 1, (1, 4, 5), (2,), (3,))
    assert r.value == 0.75 and r.reached is True
    assert compute_rate(_rule("specialised", 0.76), people).reached is False
    nobody_known = compute_rate(_rule("specialised", 0.5), [Person(1, None, frozenset())])
    assert nobody_known.value is None and nobody_known.reached is None
    assert compute_rate(_rule("specialised", 0.5), []).value is None


def test_a_certified_rate_counts_any_valid_certificate_of_the_kinds_named() -> None:
    people = [Person(1, None, frozenset({"commander"})), Person(2, True, frozenset({"safety_qualification"})),
              Person(3, True, frozenset()), Person(4, None, frozenset({"special_operations", "commander"}))]
    r = compute_rate(_rule("certified", 0.5, ("special_operations", "safety_qualification")), people)
    # "specialised" does not matter here and nobody is unknown: 2 of 4 = 50 %.
    assert (r.met_ids, r.unmet_ids, r.unknown, r.value, r.reached) == ((2, 4), (1, 3), 0, 0.5, True)



def test_a_target_is_compared_in_whole_per_mille() -> None:
    people = [Person(i, i != 4, frozenset()) for i in range(1, 5)]  # 3 of 4 specialised: 750 ‰
    assert compute_rate(_rule("specialised", 0.751), people).reached is False  # 750 ‰ < 751 ‰
    assert compute_rate(_rule("specialised", 0.7504), people).reached is True  # 750.4 ‰ rounds to 750 ‰


def test_every_shipped_rate_reads_whole_from_the_data() -> None:
    # Shape only (the figures are the plan's): a rate of a labelled category, a known condition, a share as
    # target, and a certified rate names the certificates that count.
    rules = rate_rules()
    assert rules
    for r in rules:
        assert r.key and r.label and r.category in CATEGORY_LABELS and CATEGORY_LABELS[r.category]
        assert r.condition in ("specialised", "certified") and 0 < r.target <= 1
        assert bool(r.certificate_kinds) == (r.condition == "certified")
