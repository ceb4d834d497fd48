"""Geological hazard grades, table-driven (``data/geohazard_grades.toml``): 险情 from the people to
relocate and the potential loss, 灾情 from deaths and direct loss; any one criterion is enough and the
lower bounds are inclusive. Provinces that count 死亡和失踪 pass deaths + missing as ``deaths``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from importlib import resources

CRITERION_LABELS = {
    "people_to_relocate": "需搬迁转移人数",
    "potential_loss_yuan": "潜在经济损失（元）",
    "deaths": "因灾死亡人数",
    "direct_loss_yuan": "直接经济损失（元）",
}


@dataclass(frozen=True)
class HazardGrade:
    grade: str  # I … IV
    label: str  # 特大型 / 大型 / 中型 / 小型
    decided_by: list[str]  # the criteria reaching that grade ([] for 小型, which none raises)
    basis: str


@cache
def _tables() -> dict:
    text = resources.files("yingji.natural").joinpath("data", "geohazard_grades.toml").read_text("utf-8")
    return tomllib.loads(text)


def _grade(table: str, figures: dict[str, Decimal]) -> HazardGrade:
    t = _tables()[table]
    rows = t["rows"]
    for row in rows[:-1]:
        reached = [c for c in t["criteria"] if figures[c] >= Decimal(str(row[c]))]
        if reached:
            return HazardGrade(row["grade"], row["label"], reached, t["basis"])
    floor = rows[-1]
    return HazardGrade(floor["grade"], floor["label"], [], t["basis"])


def danger_grade(*, people_to_relocate: int, potential_loss_yuan: Decimal | int) -> HazardGrade:
    """险情 of a hazard point from the people it threatens (to relocate) and the property at risk."""
    return _grade("danger", {"people_to_relocate": Decimal(people_to_relocate),
                             "potential_loss_yuan": Decimal(potential_loss_yuan)})


def disaster_grade(*, deaths: int, direct_loss_yuan: Decimal | int) -> HazardGrade:
    """灾情 of a geological disaster that happened."""
    return _grade("disaster", {"deaths": Decimal(deaths), "direct_loss_yuan": Decimal(direct_loss_yuan)})


@cache
def _patrol_data() -> dict:
    return tomllib.loads(resources.files("yingji.natural").joinpath("data", "patrol_rules.toml").read_text("utf-8"))


def geological_warning_level(colour: str) -> tuple[str, str]:
    """地质灾害气象风险预警: (grade, risk wording) of a colour, e.g. yellow → ("Ⅲ级", "较高")."""
    level = _patrol_data()["geological_warning_levels"].get(colour)
    if level is None:
        raise ValueError(f"unknown warning colour {colour!r}")
    return level["grade"], level["risk"]


@dataclass(frozen=True)
class PatrolDue:
    patrol: str
    due_at: datetime
    basis: str


def patrol_due(*, warning: str, level: str, issued_at: datetime) -> PatrolDue | None:
    """When a hazard point under a warning of ``warning`` kind and ``level`` must have been patrolled;
    None when the rules ask for no patrol at that level."""
    for rule in _patrol_data()["rule"]:
        if rule["warning"] == warning and level in rule["levels"]:
            return PatrolDue(rule["patrol"], issued_at + timedelta(hours=rule["hours"][level]), rule["basis"])
    return None


def patrol_overdue(due: PatrolDue, *, patrols: list[datetime], issued_at: datetime, now: datetime) -> bool:
    """True when no patrol was recorded between the warning's issue and its due time, and that time passed."""
    done = any(issued_at <= p <= due.due_at for p in patrols)
    return not done and now >= due.due_at
