"""Incident grading at every boundary of 国务院令第493号 第三条 ("以上" includes the number, "以下" excludes
it; any one criterion is enough), 令21 第二十六条 (较大涉险事故) and the relief plan's response triggers.
Expected grades are read from the regulation's text (cn-rules §3.1, §5.2), not from the package data."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yingji.incidents.standards import (
    IncidentKind,
    grade_accident,
    incident_kinds,
    is_major_near_miss,
    load_relief_table,
    relief_response,
)

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


def test_each_grade_carries_the_regulations_word_and_basis() -> None:
    # 令493 第三条: 特别重大 / 重大 / 较大 / 一般, one word per grade, each criterion graded on its own.
    words = {
        (30, 0, 0): ("I", "特别重大"),
        (10, 0, 0): ("II", "重大"),
        (3, 0, 0): ("III", "较大"),
        (0, 0, 0): ("IV", "一般"),
    }
    for (deaths, serious, loss), (grade, label) in words.items():
        g = grade_accident(deaths=deaths, serious_injuries=serious, direct_loss_yuan=loss)
        assert (g.grade, g.label) == (grade, label)
        assert g.basis == "生产安全事故报告和调查处理条例（国务院令第493号）第三条"
        assert g.notes == []
    g = grade_accident(deaths=0, serious_injuries=100, direct_loss_yuan=5000 * WAN)
    assert g.by_criterion == {"deaths": "IV", "serious_injuries": "I", "direct_loss_yuan": "II"}
    assert g.decided_by == ["serious_injuries"]


def test_every_reason_of_article_26_in_the_regulations_order() -> None:
    # 令21 第二十六条 (1)–(5), each in its own words; all at once gives all five, in the article's order.
    assert is_major_near_miss(sensitive_environment_polluted=True) == ["对环境（饮用水源、自然保护区等）造成严重污染"]
    assert is_major_near_miss() == []
    assert is_major_near_miss(
        at_risk_people=10, trapped_or_missing=3, evacuated=500,
        sensitive_environment_polluted=True, key_facility_endangered=True,
    ) == [
        "涉险10人以上",
        "造成3人以上被困或者下落不明",
        "紧急疏散人员500人以上",
        "对环境（饮用水源、自然保护区等）造成严重污染",
        "危及重要场所和设施安全",
    ]


RELIEF = ("deaths_and_missing", "relocated_or_needing_relief", "collapsed_rooms", "collapsed_households",
          "drought_needing_aid")


def test_no_relief_response_is_said_in_words_with_every_criterion_empty() -> None:
    g = relief_response(load_relief_table(), {"deaths_and_missing": 19, "collapsed_households": 2_999})
    assert (g.grade, g.label, g.decided_by) == ("", "未达到响应启动条件", [])
    assert g.by_criterion == dict.fromkeys(RELIEF, "")
    # The national plan applies to one province and one disaster process (cn-rules §5.2): said with the answer.
    assert g.notes == ["适用范围：省（自治区、直辖市）一次灾害过程"]
    assert g.basis == "国家自然灾害救助应急预案（国办函〔2024〕11号）启动条件"


def test_a_relief_level_names_each_criterion_and_the_deciding_one() -> None:
    # 60 dead or missing: 三级 (50–<100); 3,000 households: 四级 (3000户–<3万户); the highest decides.
    g = relief_response(load_relief_table(), {"deaths_and_missing": 60, "collapsed_households": 3_000})
    assert (g.grade, g.label, g.decided_by) == ("3", "三级", ["deaths_and_missing"])
    assert g.by_criterion == {**dict.fromkeys(RELIEF, ""), "deaths_and_missing": "3", "collapsed_households": "4"}
    both = relief_response(load_relief_table(), {"deaths_and_missing": 100, "relocated_or_needing_relief": 1_000_000})
    assert (both.label, both.decided_by) == ("二级", ["deaths_and_missing", "relocated_or_needing_relief"])


def test_a_county_table_starting_at_one_death_reads_a_missing_figure_as_none(tmp_path) -> None:
    # Some county plans start 四级 at one death (县级预案): a figure not given is 0, not 1. No scope: no note.
    table = tmp_path / "county.toml"
    table.write_text('basis = "某县预案"\n[[level]]\nlevel = "4"\nlabel = "四级"\ndeaths_and_missing = 1\n',
                     encoding="utf-8")
    county = load_relief_table(table)
    none = relief_response(county, {})
    assert (none.grade, none.notes, none.basis) == ("", [], "某县预案")
    assert relief_response(county, {"deaths_and_missing": 1}).label == "四级"


def test_incident_kinds_are_the_four_classes_of_the_law() -> None:
    # 突发事件应对法 第二条: 自然灾害、事故灾难、公共卫生事件和社会安全事件; accidents graded by 令493,
    # natural disasters by the relief plan, the other two by their own departments.
    kinds = incident_kinds()
    assert {k.incident_class: k.class_label for k in kinds.values()} == {
        "natural_disaster": "自然灾害", "accident": "事故灾难", "public_health": "公共卫生事件",
        "social_security": "社会安全事件",
    }
    assert kinds["fire"] == IncidentKind("fire", "火灾事故", "accident", "事故灾难", "accident")
    assert kinds["landslide"] == IncidentKind("landslide", "滑坡", "natural_disaster", "自然灾害", "natural")
    assert kinds["infectious_disease"] == IncidentKind(
        "infectious_disease", "传染病疫情", "public_health", "公共卫生事件", "none")
    assert kinds["mass_incident"].scheme == "none"
