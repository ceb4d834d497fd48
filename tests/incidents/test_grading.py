"""Incident grading at every boundary of 国务院令第493号 第三条 ("以上" includes the number, "以下" excludes
it; any one criterion is enough), 令21 第二十六条 (较大涉险事故) and the relief plan's response triggers.
Expected grades are read from the regulation's text (cn-rules §3.1, §5.2), not from the package data."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yingji.incidents.standards import grade_accident, is_major_near_miss, load_relief_table, relief_response

WAN = 10_000  # 万元
YI = 100_000_000  # 亿元


@pytest.mark.parametrize(
    ("deaths", "serious", "loss", "grade"),
    [
        # deaths: 一般 < 3 ≤ 较大 < 10 ≤ 重大 < 30 ≤ 特别重大
        (0, 0, 0, "IV"),
        (2, 0, 0, "IV"),
        (3, 0, 0, "III"),
        (9, 0, 0, "III"),
        (10, 0, 0, "II"),
        (29, 0, 0, "II"),
        (30, 0, 0, "I"),
        # serious injuries: < 10 ≤ 较大 < 50 ≤ 重大 < 100 ≤ 特别重大
        (0, 9, 0, "IV"),
        (0, 10, 0, "III"),
        (0, 49, 0, "III"),
        (0, 50, 0, "II"),
        (0, 99, 0, "II"),
        (0, 100, 0, "I"),
        # direct loss: < 1000万 ≤ 较大 < 5000万 ≤ 重大 < 1亿 ≤ 特别重大
        (0, 0, Decimal(1000 * WAN) - Decimal("0.01"), "IV"),
        (0, 0, 1000 * WAN, "III"),
        (0, 0, 5000 * WAN - 1, "III"),
        (0, 0, 5000 * WAN, "II"),
        (0, 0, YI - 1, "II"),
        (0, 0, YI, "I"),
        # cn-rules §3.1 test vectors
        (2, 10, 0, "III"),
        (9, 0, 0, "III"),
        (10, 0, 0, "II"),
        (0, 0, 1000 * WAN, "III"),
    ],
)
def test_accident_grade_boundaries(deaths, serious, loss, grade) -> None:
    assert grade_accident(deaths=deaths, serious_injuries=serious, direct_loss_yuan=loss).grade == grade


def test_the_criterion_that_decides_is_named() -> None:
    g = grade_accident(deaths=2, serious_injuries=10, direct_loss_yuan=0)
    assert (g.grade, g.label, g.decided_by) == ("III", "较大", ["serious_injuries"])
    assert g.by_criterion == {"deaths": "IV", "serious_injuries": "III", "direct_loss_yuan": "IV"}
    both = grade_accident(deaths=12, serious_injuries=60, direct_loss_yuan=0)
    assert (both.label, both.decided_by) == ("重大", ["deaths", "serious_injuries"])
    assert grade_accident(deaths=1, serious_injuries=1, direct_loss_yuan=100).decided_by == []


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        ({"at_risk_people": 9}, []),
        ({"at_risk_people": 10}, ["涉险10人以上"]),
        ({"trapped_or_missing": 2}, []),
        ({"trapped_or_missing": 3}, ["造成3人以上被困或者下落不明"]),
        ({"evacuated": 499}, []),
        ({"evacuated": 500}, ["紧急疏散人员500人以上"]),
        ({"key_facility_endangered": True}, ["危及重要场所和设施安全"]),
    ],
)
def test_major_near_miss(figures, expected) -> None:
    assert is_major_near_miss(**figures) == expected


@pytest.mark.parametrize(
    ("figures", "level"),
    [
        ({"deaths_and_missing": 19}, ""),
        ({"deaths_and_missing": 20}, "4"),
        ({"deaths_and_missing": 49}, "4"),
        ({"deaths_and_missing": 50}, "3"),
        ({"deaths_and_missing": 100}, "2"),
        ({"deaths_and_missing": 199}, "2"),
        ({"deaths_and_missing": 200}, "1"),
        ({"relocated_or_needing_relief": 99_999}, ""),
        ({"relocated_or_needing_relief": 100_000}, "4"),
        ({"relocated_or_needing_relief": 2_000_000}, "1"),
        ({"collapsed_rooms": 10_000}, "4"),
        ({"collapsed_households": 2_999}, ""),
        ({"collapsed_households": 3_000}, "4"),
        ({"collapsed_households": 30_000}, "3"),
        ({"drought_needing_aid": 4_000_000}, "1"),
        ({"drought_needing_aid": 999_999}, ""),
    ],
)
def test_national_relief_response_triggers(figures, level) -> None:
    assert relief_response(load_relief_table(), figures).grade == level


def test_a_county_table_replaces_the_national_one(tmp_path) -> None:
    # The shape of a county plan (cn-rules §5.2, the Hebei county example's 二级: 死亡（含失踪）5–<10).
    table = tmp_path / "county.toml"
    table.write_text(
        'basis = "某县自然灾害救助应急预案"\n'
        '[[level]]\nlevel = "1"\nlabel = "一级"\ndeaths_and_missing = 10\n'
        '[[level]]\nlevel = "2"\nlabel = "二级"\ndeaths_and_missing = 5\nrelocated_or_needing_relief = 1200\n',
        encoding="utf-8",
    )
    county = load_relief_table(table)
    assert relief_response(county, {"deaths_and_missing": 4}).grade == ""
    assert relief_response(county, {"deaths_and_missing": 5}).label == "二级"
    assert relief_response(county, {"relocated_or_needing_relief": 1200}).decided_by == ["relocated_or_needing_relief"]
    assert relief_response(county, {"deaths_and_missing": 10}).label == "一级"
