"""Training hours (令3) and special-operations certificate reviews (令30 第二十一条), from the rules' text."""

from __future__ import annotations

from datetime import date

import pytest

from yingji.plans.training import certificate_next_review, training_status


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
