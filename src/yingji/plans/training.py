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


# Who may be counted in a rate's population (the categories of Trainee.category) and their labels.
CATEGORY_LABELS = {
    "regulator_key_industry": "重点行业领域监管人员",
    "natural_disaster_post": "自然灾害防治岗位人员",
    "enforcement_staff": "应急管理执法人员",
    "high_risk_worker": "高危行业从业人员",
    "fire_commander": "消防救援指挥员",
    "rescue_member": "救援队员",
}


@dataclass(frozen=True)
class RateRule:
    key: str
    label: str
    category: str
    condition: str  # "specialised" | "certified"
    target: float
    certificate_kinds: tuple[str, ...]


def rate_rules() -> tuple[RateRule, ...]:
    return tuple(RateRule(key, r["label"], r["category"], r["condition"], float(r["target"]),
                          tuple(r.get("certificate_kinds", ())))
                 for key, r in _data()["rates"].items())


@dataclass(frozen=True)
class Person:
    """What a rate needs to know of one person: whether they are specialised (None: not recorded) and the
    kinds of the certificates valid on the day asked."""

    id: int
    specialised: bool | None
    valid_certificates: frozenset[str]


@dataclass(frozen=True)
class Rate:
    rule: RateRule
    population: int  # people of the category on record
    met: int
    unknown: int  # people whose qualification is not recorded: neither met nor not met
    met_ids: tuple[int, ...]
    unmet_ids: tuple[int, ...]
    unknown_ids: tuple[int, ...]

    @property
    def value(self) -> float | None:
        """met / known; None (shown as 无数据) when nobody of the category has a known answer — never 0 %."""
        known = self.population - self.unknown
        return self.met / known if known else None

    @property
    def reached(self) -> bool | None:
        # Compared in whole per-mille, so 3 of 4 (0.75) reaches a 75 % target despite float rounding.
        return None if self.value is None else round(self.value * 1000) >= round(self.rule.target * 1000)


def compute_rate(rule: RateRule, people: list[Person]) -> Rate:
    met, unmet, unknown = [], [], []
    for p in people:
        if rule.condition == "specialised":
            bucket = unknown if p.specialised is None else (met if p.specialised else unmet)
        else:
            bucket = met if p.valid_certificates & set(rule.certificate_kinds) else unmet
        bucket.append(p.id)
    return Rate(rule, len(people), len(met), len(unknown), tuple(met), tuple(unmet), tuple(unknown))
