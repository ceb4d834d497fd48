"""Geological hazard 险情 and 灾情 grades at every boundary. Expected values from the texts (cn-rules §6.1,
§6.2): "以上" includes the number, any one criterion is enough."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yingji.natural.standards import danger_grade, disaster_grade

WAN = 10_000


@pytest.mark.parametrize(
    ("people", "loss", "label"),
    [
        (0, 0, "小型"), (99, 0, "小型"), (100, 0, "中型"), (499, 0, "中型"), (500, 0, "大型"), (999, 0, "大型"),
        (1000, 0, "特大型"),
        (0, 500 * WAN - 1, "小型"), (0, 500 * WAN, "中型"), (0, 5000 * WAN - 1, "中型"), (0, 5000 * WAN, "大型"),
        (0, Decimal(10000 * WAN) - Decimal("0.5"), "大型"), (0, 10000 * WAN, "特大型"),
        (120, 6000 * WAN, "大型"),  # the loss decides
    ],
)
def test_danger_grade(people, loss, label) -> None:
    assert danger_grade(people_to_relocate=people, potential_loss_yuan=loss).label == label


@pytest.mark.parametrize(
    ("deaths", "loss", "grade"),
    [
        (2, 0, "IV"), (3, 0, "III"), (9, 0, "III"), (10, 0, "II"), (29, 0, "II"), (30, 0, "I"),
        (0, 100 * WAN - 1, "IV"), (0, 100 * WAN, "III"), (0, 500 * WAN, "II"), (0, 1000 * WAN - 1, "II"),
        (0, 1000 * WAN, "I"),
    ],
)
def test_disaster_grade(deaths, loss, grade) -> None:
    assert disaster_grade(deaths=deaths, direct_loss_yuan=loss).grade == grade


def test_the_deciding_criterion_is_named() -> None:
    g = danger_grade(people_to_relocate=120, potential_loss_yuan=6000 * WAN)
    assert g.decided_by == ["potential_loss_yuan"]
    both = disaster_grade(deaths=12, direct_loss_yuan=600 * WAN)
    assert (both.label, both.decided_by) == ("大型", ["deaths", "direct_loss_yuan"])
    assert danger_grade(people_to_relocate=5, potential_loss_yuan=0).decided_by == []


def test_criteria_are_named_as_in_the_grading_table() -> None:
    # cn-rules.md §6 (地质灾害分级): 险情 by 需搬迁转移人数 or 潜在经济损失, 灾情 by 因灾死亡 or 直接经济损失.
    from yingji.natural.standards import CRITERION_LABELS

    assert CRITERION_LABELS == {
        "people_to_relocate": "需搬迁转移人数", "potential_loss_yuan": "潜在经济损失（元）",
        "deaths": "因灾死亡人数", "direct_loss_yuan": "直接经济损失（元）",
    }


def test_a_grade_cannot_be_changed() -> None:
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        danger_grade(people_to_relocate=0, potential_loss_yuan=0).grade = "I"  # type: ignore[misc]
