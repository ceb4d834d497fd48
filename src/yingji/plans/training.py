"""Training hours and certificate reviews as data (``data/training.toml``) plus pure functions."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from yingji.core.deadlines import add_months


@cache
def _data() -> dict:
    return tomllib.loads(resources.files("yingji.plans").joinpath("data", "training.toml").read_text("utf-8"))


@dataclass(frozen=True)
class TrainingStatus:
    initial_required: int
    initial_done: float
    yearly_required: int
    yearly_done: float  # in the year asked for

    @property
    def initial_short(self) -> float:
        return max(0.0, self.initial_required - self.initial_done)

    @property
    def yearly_short(self) -> float:
        return max(0.0, self.yearly_required - self.yearly_done)

    @property
    def complete(self) -> bool:
        return self.initial_short == 0 and self.yearly_short == 0


def training_status(*, role: str, high_risk: bool, records: list[tuple[date, float, str]], year: int,
                    started: date) -> TrainingStatus:
    """Hours against the rule for one person. ``records`` are (date, hours, "initial" | "yearly"); the
    yearly requirement starts with the first full year after the person started."""
    hours = _data()["hours"].get(role)
    if hours is None:
        raise ValueError(f"unknown training role {role!r}")
    initial = hours["high_risk_initial" if high_risk else "initial"]
    yearly = hours["high_risk_yearly" if high_risk else "yearly"] if year > started.year else 0
    initial_done = sum(h for _d, h, kind in records if kind == "initial")
    yearly_done = sum(h for d, h, kind in records if kind == "yearly" and d.year == year)
    return TrainingStatus(initial, initial_done, yearly, yearly_done)


def certificate_next_review(*, issued: date, last_review: date | None = None, clean_years: int = 0) -> date:
    """When a 特种作业操作证 is next reviewed: 3 years after issue or the last review, 6 years for a holder
    with at least 10 continuous years without a violation."""
    rule = _data()["special_operations_certificate"]
    years = rule["extended_review_years"] if clean_years >= rule["clean_years_for_extension"] else rule["review_years"]
    return add_months(last_review or issued, 12 * years)
