"""Worked examples for LEC, the 5×5 matrix and GB 18218-2018 (cn-rules.md §1.8, §2.1, §2.2)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest

from yingji.core.errors import ValidationFailed
from yingji.risk import standards
from yingji.risk.enums import RiskLevel


@pytest.mark.parametrize(
    ("L", "E", "C", "score", "level"),
    [
        (3, 6, 15, 270, "orange"),
        (6, 6, 15, 540, "red"),
        (1, 6, 7, 42, "blue"),
        (3, 3, 15, 135, "yellow"),
        (10, 10, 100, 10000, "red"),
        (0.1, 0.5, 1, 0.05, "blue"),
        ("0.5", 6, 100, 300, "orange"),
    ],
)
def test_lec_worked_examples(L, E, C, score, level) -> None:
    g = standards.grade_lec(L, E, C)
    assert float(g.score) == pytest.approx(score)
    assert g.level == level
    assert "D = L×E×C" in g.reason


@pytest.mark.parametrize(
    ("L", "E", "C", "level"),
    [
        # cn-rules.md §2.1: D ≥ 320 red, 160 ≤ D < 320 orange, 70 ≤ D < 160 yellow, D < 70 blue.
        (10, 1, 7, "yellow"),  # D = 70 exactly, the one edge the standard value sets can reach
        (1, 10, 7, "yellow"),  # D = 70 the other way round
        (3, 3, 7, "blue"),  # D = 63, just below 70
        (10, 1, 15, "yellow"),  # D = 150, just below 160
        (6, 2, 15, "orange"),  # D = 180, just above 160
        (10, 10, 3, "orange"),  # D = 300, just below 320
        (3, 3, 40, "red"),  # D = 360, just above 320
    ],
)
def test_lec_grades_around_the_band_edges(L, E, C, level) -> None:
    assert standards.grade_lec(L, E, C).level == level


def test_shipped_lec_bands_are_320_160_70() -> None:
    assert [(int(lo), lv.value) for lo, lv in standards.LEC_BANDS] == [
        (320, "red"),
        (160, "orange"),
        (70, "yellow"),
        (0, "blue"),
    ]


def test_lec_band_edges_are_inclusive_from_below() -> None:
    # 320 and 160 cannot be produced from the value sets, so try the rule on bands whose edges can be
    # (a province may configure its own): a D equal to an edge takes the higher level.
    bands = [
        (Decimal(360), RiskLevel.red),
        (Decimal(180), RiskLevel.orange),
        (Decimal(70), RiskLevel.yellow),
        (Decimal(0), RiskLevel.blue),
    ]
    assert standards.grade_lec(3, 3, 40, bands=bands).level == "red"  # D = 360
    assert standards.grade_lec(6, 2, 15, bands=bands).level == "orange"  # D = 180
    assert standards.grade_lec(10, 1, 7, bands=bands).level == "yellow"  # D = 70


@pytest.mark.parametrize(("L", "E", "C", "bad"), [(4, 6, 15, "L"), (3, 7, 15, "E"), (3, 6, 50, "C"), ("x", 6, 15, "L")])
def test_lec_refuses_values_outside_the_standard_tables(L, E, C, bad) -> None:
    with pytest.raises(ValidationFailed) as exc:
        standards.grade_lec(L, E, C)
    assert [d.field for d in exc.value.details] == [bad]


@pytest.mark.parametrize(
    ("likelihood", "severity", "score", "level"),
    [
        (5, 5, 25, "red"),
        (4, 5, 20, "red"),
        (4, 4, 16, "orange"),
        (3, 5, 15, "orange"),
        (3, 4, 12, "yellow"),
        (3, 3, 9, "yellow"),
        (2, 4, 8, "blue"),
        (1, 1, 1, "blue"),
    ],
)
def test_matrix_worked_examples(likelihood, severity, score, level) -> None:
    g = standards.grade_matrix(likelihood, severity)
    assert (int(g.score), g.level) == (score, level)


@pytest.mark.parametrize(("likelihood", "severity"), [(0, 3), (6, 1), (2.5, 3), (True, 3), (None, 2)])
def test_matrix_refuses_out_of_range(likelihood, severity) -> None:
    with pytest.raises(ValidationFailed):
        standards.grade_matrix(likelihood, severity)


# DB37/T 2882-2016 bands as cn-rules.md §2.2 gives them: R 1–8 blue, 9–12 yellow, 15–16 orange, 20–25 red.
MATRIX_BY_PRODUCT = {
    1: "blue",
    2: "blue",
    3: "blue",
    4: "blue",
    5: "blue",
    6: "blue",
    8: "blue",
    9: "yellow",
    10: "yellow",
    12: "yellow",
    15: "orange",
    16: "orange",
    20: "red",
    25: "red",
}


def test_every_cell_of_the_matrix() -> None:
    for a in range(1, 6):
        for b in range(1, 6):
            g = standards.grade_matrix(a, b)
            assert (int(g.score), g.level) == (a * b, MATRIX_BY_PRODUCT[a * b]), (a, b)


def test_shipped_table1_is_the_2018_table() -> None:
    t = standards.tables()
    assert len(t.named) == 85
    assert [c.no for c in t.named] == list(range(1, 86))
    by_name = {c.name: c for c in t.named}
    assert by_name["氢"].q == 5  # the 2009 table and OCR copies differ
    assert by_name["碳酰氯"].q == Fraction(3, 10)
    assert by_name["甲醇"].q == 500 and by_name["汽油（乙醇汽油、甲醇汽油）"].q == 200
    assert len(t.categories) == 24 and t.categories["W5.4"].q == 5000
    assert len(t.table3) == 14
    for c in t.named:
        assert c.table3_name in t.table3 if c.table3_name else c.beta_symbol in t.categories


def unit(*subs, people=0, unit_type="storage"):
    return standards.assess_major_hazard(
        {"unit_type": unit_type, "exposed_people": people, "substances": [dict(s) for s in subs]}
    )


def test_ammonia_and_chlorine_mixture() -> None:
    r = unit({"name": "液氨", "quantity_t": 8}, {"name": "液氯", "quantity_t": 3}, people=60)
    assert Fraction(7, 5) == r.S and r.is_major
    assert r.alpha == Fraction(3, 2)
    assert r.R == 6 and r.grade == 4
    assert [b.beta for b in r.breakdown] == [2, 4]


def test_boundary_s_exactly_one_is_major() -> None:
    r = unit({"name": "液化石油气", "quantity_t": 30}, {"name": "氢", "quantity_t": 2}, people=0)
    assert r.S == 1 and r.is_major
    assert Fraction(3, 4) == r.R and r.grade == 4
    r = unit({"name": "液化石油气", "quantity_t": 30}, {"cas": "1333-74-0", "quantity_t": 2}, people=150)
    assert r.R == 3 and r.grade == 4


def test_unit_just_below_one_is_not_major() -> None:
    # 0.7 + 0.2 + 0.1 is 0.9999999999999999 in floats; exactly 1 in fractions.
    r = unit(
        {"name": "甲醇", "quantity_t": 350}, {"name": "乙醇", "quantity_t": 100}, {"name": "丙酮", "quantity_t": 50}
    )
    assert r.S == 1 and r.is_major
    r = unit(
        {"name": "甲醇", "quantity_t": "349.999"},
        {"name": "乙醇", "quantity_t": 100},
        {"name": "丙酮", "quantity_t": 50},
    )
    assert r.S < 1 and not r.is_major and r.R is None and r.grade is None
    r = unit({"name": "液氨", "quantity_t": "9.99"})
    assert not r.is_major


def test_grades_one_and_two() -> None:
    r = unit({"name": "氯", "quantity_t": 100}, people=120)
    assert (r.S, r.R, r.grade) == (20, 160, 1)
    r = unit({"name": "液氨", "cas": "7664-41-7", "quantity_t": 300}, people=40)
    assert (r.S, r.R, r.grade) == (30, Fraction(72), 2)


def test_issue_example_and_grade_three() -> None:
    r = unit({"name": "液氨", "cas": "7664-41-7", "quantity_t": 200}, people=60, unit_type="production")
    assert (r.S, r.R, r.grade) == (20, 60, 2)
    r = unit({"name": "液氨", "quantity_t": 40}, people=10)
    assert (r.S, r.R, r.grade) == (4, 8, 4)
    r = unit({"name": "液氨", "quantity_t": 50}, people=10)
    assert (r.R, r.grade) == (10, 3)


def test_table2_chemical_by_category_lowest_q() -> None:
    r = unit({"name": "柴油", "symbol": "W5.4", "quantity_t": 6000})
    assert Fraction(6, 5) == r.S and r.is_major and r.breakdown[0].source == "表2 W5.4"
    # Several hazards: the lowest Q applies (4.1.2).
    r = unit({"name": "某溶剂", "symbols": ["W5.4", "J5"], "quantity_t": 600})
    assert r.breakdown[0].q_t == 500 and r.is_major


def test_alpha_table() -> None:
    assert [standards.alpha_for(n)[0] for n in (0, 1, 29, 30, 49, 50, 99, 100, 5000)] == [
        Fraction(1, 2),
        1,
        1,
        Fraction(6, 5),
        Fraction(6, 5),
        Fraction(3, 2),
        Fraction(3, 2),
        2,
        2,
    ]


NOT_IN_TABLE1 = "：不在 GB 18218-2018 表1 中；请核对名称或 CAS 号，或用 symbol 给出其表2危险性类别（如柴油 W5.4）"


@pytest.mark.parametrize(
    ("sub", "field", "message"),
    [
        ({"name": "不存在的化学品", "quantity_t": 1}, "substances[0].name", "不存在的化学品" + NOT_IN_TABLE1),
        ({"cas": "7732-18-5", "quantity_t": 1}, "substances[0].name", "7732-18-5" + NOT_IN_TABLE1),  # water
        ({"quantity_t": 1}, "substances[0].name", "第1种物质：须填写名称或 CAS 号"),
        ({"name": "液氨", "quantity_t": -1}, "substances[0].quantity_t", "液氨：数量不能为负数"),
        ({"name": "液氨", "quantity_t": "很多"}, "substances[0].quantity_t", "液氨：数量须为数字（吨）"),
        ({"name": "液氨", "quantity_t": 1, "unit": "m3"}, "substances[0].unit",
         "液氨：单位“m3”无效，数量须以吨（t）填写（也接受 kg）"),
        ({"name": "液氨"}, "substances[0].quantity_t", "液氨：须填写数量（吨）"),
        ({"name": "液氨", "quantity_t": ""}, "substances[0].quantity_t", "液氨：须填写数量（吨）"),
        ({"name": "液氨", "quantity_t": True}, "substances[0].quantity_t", "液氨：须填写数量（吨）"),
        ({"name": "液氨", "cas": "7782-50-5", "quantity_t": 1}, "substances[0].cas",
         "液氨：名称与 CAS 号 7782-50-5 不一致"),
        ({"name": "柴油", "symbol": "W99", "quantity_t": 1}, "substances[0].symbol",
         "柴油：危险性类别“W99”不在 GB 18218 表2 中（如 W5.4、J1）"),
    ],
)
def test_bad_substances_are_named(sub, field, message) -> None:
    with pytest.raises(ValidationFailed) as exc:
        unit(sub)
    assert [(d.field, d.message) for d in exc.value.details] == [(field, message)]


def test_a_cas_number_of_several_entries_asks_for_the_name() -> None:
    with pytest.raises(ValidationFailed) as exc:
        unit({"cas": "9004-70-0", "quantity_t": 1})  # 硝化纤维素: several 表1 entries share the number
    assert exc.value.details[0].message.startswith("9004-70-0：对应表1中多个条目，请写明具体名称：硝化纤维素")


def test_zero_and_fractional_quantities_and_symbol_lists() -> None:
    # 0 t of 氨 and 0.5 t of 氯 (Q 5 t): S = 0 + 0.1. Several 表2 symbols, however separated: the lowest Q
    # wins (W5.3 1000 t before W5.4 5000 t, 4.1.2).
    assert Fraction(1, 10) == unit({"name": "液氨", "quantity_t": 0}, {"name": "液氯", "quantity_t": "0.5"}).S
    for symbols in ("W5.4，W5.3", "w5.4、 w5.3", "W5.4,W5.3", ["W5.4", " w5.3 "]):
        [b] = unit({"name": "某溶剂", "symbol": symbols, "quantity_t": 100}).breakdown
        assert (b.source, b.q_t, b.beta) == ("表2 W5.3", 1000, 1), symbols


def test_kilograms_are_converted() -> None:
    assert unit({"name": "氯", "quantity_t": 5000, "unit": "kg"}).S == 1


def test_enterprise_level_and_frequency() -> None:
    assert standards.enterprise_level(["blue", "yellow"], []) == "yellow"
    assert standards.enterprise_level(["blue"], [2]) == "red"
    assert standards.enterprise_level([], []) is None
    assert standards.inspection_frequency(RiskLevel.yellow, open_major=0, overdue=0)[0] == 2
    assert standards.inspection_frequency(RiskLevel.yellow, open_major=1, overdue=0)[0] == 6
    assert standards.inspection_frequency(RiskLevel.orange, open_major=1, overdue=2)[0] == 12
    assert standards.inspection_frequency(RiskLevel.red, open_major=1, overdue=0)[0] == 12
    assert standards.inspection_frequency(None, open_major=0, overdue=0)[0] == 1


def test_bands_are_read_from_the_shipped_data_file() -> None:
    assert [(int(b), lv.value) for b, lv in standards.LEC_BANDS] == [
        (320, "red"),
        (160, "orange"),
        (70, "yellow"),
        (0, "blue"),
    ]
    assert [int(b) for b, _ in standards.MATRIX_BANDS] == [20, 15, 9, 1]
    # A province's own bands (passed in here) change the level, not the score.
    strict = [
        (Decimal(12), RiskLevel.red),
        (Decimal(8), RiskLevel.orange),
        (Decimal(4), RiskLevel.yellow),
        (Decimal(1), RiskLevel.blue),
    ]
    assert standards.grade_matrix(3, 4, bands=strict).level == "red"


def test_lec_value_sets_and_their_meanings_are_the_standard_tables() -> None:
    # cn-rules.md §2.1, the L, E and C tables (the meanings are shown next to each value in the forms).
    def table(values: dict) -> list[tuple[str, str]]:
        return [(format(k.normalize(), "f"), v) for k, v in values.items()]

    assert table(standards.LEC_L) == [
        ("10", "完全可以预料"),
        ("6", "相当可能"),
        ("3", "可能，但不经常"),
        ("1", "可能性小，完全意外"),
        ("0.5", "很不可能，可以设想"),
        ("0.2", "极不可能"),
        ("0.1", "实际不可能"),
    ]
    assert table(standards.LEC_E) == [
        ("10", "连续暴露"),
        ("6", "每天工作时间内暴露"),
        ("3", "每周一次或偶然暴露"),
        ("2", "每月一次暴露"),
        ("1", "每年几次暴露"),
        ("0.5", "非常罕见地暴露"),
    ]
    assert table(standards.LEC_C) == [
        ("100", "大灾难，许多人死亡"),
        ("40", "灾难，数人死亡"),
        ("15", "非常严重，一人死亡"),
        ("7", "严重，重伤"),
        ("3", "重大，致残"),
        ("1", "引人注目，需要救护"),
    ]


# The reasons shown with a grading, written out by hand from cn-rules.md §2.1/§2.2: the product, the meaning
# of each LEC value, the band's lower edge and the level's name (重大/较大/一般/低风险).
@pytest.mark.parametrize(
    ("L", "E", "C", "reason"),
    [
        (3, 6, 15, "D = L×E×C = 3×6×15 = 270"
         "（可能，但不经常；每天工作时间内暴露；非常严重，一人死亡），D ≥ 160，较大风险"),
        ("0.5", 6, 100, "D = L×E×C = 0.5×6×100 = 300"
         "（很不可能，可以设想；每天工作时间内暴露；大灾难，许多人死亡），D ≥ 160，较大风险"),
        (6, 6, 15, "D = L×E×C = 6×6×15 = 540"
         "（相当可能；每天工作时间内暴露；非常严重，一人死亡），D ≥ 320，重大风险"),
        (10, 1, 7, "D = L×E×C = 10×1×7 = 70"
         "（完全可以预料；每年几次暴露；严重，重伤），D ≥ 70，一般风险"),
        (0.1, 0.5, 1, "D = L×E×C = 0.1×0.5×1 = 0.05"
         "（实际不可能；非常罕见地暴露；引人注目，需要救护），D ≥ 0，低风险"),
    ],
)
def test_lec_reason_in_words(L, E, C, reason) -> None:
    assert standards.grade_lec(L, E, C).reason == reason


@pytest.mark.parametrize(
    ("likelihood", "severity", "reason"),
    [
        (5, 4, "R = L×S = 5×4 = 20，重大风险（DB37/T 2882 分级）"),
        (4, 4, "R = L×S = 4×4 = 16，较大风险（DB37/T 2882 分级）"),
        (3, 3, "R = L×S = 3×3 = 9，一般风险（DB37/T 2882 分级）"),
        (2, 4, "R = L×S = 2×4 = 8，低风险（DB37/T 2882 分级）"),
    ],
)
def test_matrix_reason_in_words(likelihood, severity, reason) -> None:
    assert standards.grade_matrix(likelihood, severity).reason == reason


def test_every_wrong_value_is_named_at_once() -> None:
    with pytest.raises(ValidationFailed) as exc:
        standards.grade_lec(4, 7, 15)
    assert [d.field for d in exc.value.details] == ["L", "E"]
    assert exc.value.message == (
        "LEC 取值有误：L 取值须为标准分值之一：10、6、3、1、0.5、0.2、0.1；E 取值须为标准分值之一：10、6、3、2、1、0.5"
    )
    with pytest.raises(ValidationFailed) as exc:
        standards.grade_matrix(0, "x")
    assert [d.field for d in exc.value.details] == ["likelihood", "severity"]
    assert exc.value.message == "风险矩阵取值有误：likelihood 须为 1 到 5 的整数；severity 须为 1 到 5 的整数"
    with pytest.raises(ValidationFailed) as exc:
        standards.grade_matrix([3], 2.5)
    assert exc.value.message == "风险矩阵取值有误：likelihood 须为 1 到 5 的整数；severity 须为 1 到 5 的整数"


def test_grade_by_method_and_its_answer() -> None:
    lec = standards.grade({"method": "lec", "L": 3, "E": 6, "C": 15})
    assert lec.as_dict() == {"score": 270, "level": "orange", "reason": standards.grade_lec(3, 6, 15).reason}
    assert type(lec.as_dict()["score"]) is int
    small = standards.grade({"method": "lec", "L": 0.1, "E": 0.5, "C": 1}).as_dict()
    assert small["score"] == 0.05 and type(small["score"]) is float
    matrix = standards.grade({"method": "matrix", "likelihood": 4, "severity": 5})
    assert (matrix.score, matrix.level) == (20, "red")
    for payload in ({"method": "other"}, {}):
        with pytest.raises(ValidationFailed) as exc:
            standards.grade(payload)
        assert [(d.field, d.message) for d in exc.value.details] == [
            ("method", "须为 lec（LEC 法）或 matrix（5×5 风险矩阵）")
        ]


def test_major_hazard_answer_in_full() -> None:
    # cn-rules.md §1.8, first vector: 液氨 8 t (表1 第1项 氨, Q 10 t, 表3 β 2) + 液氯 3 t (第12项 氯, Q 5 t,
    # β 4), 60 people (表5: 50~99人, α 1.5): S = 0.8 + 0.6 = 1.4, R = 1.5 × (2×0.8 + 4×0.6) = 6, 四级.
    r = unit({"name": "液氨", "quantity_t": 8}, {"name": "液氯", "quantity_t": 3}, people=60)
    assert r.as_dict() == {
        "unit_type": "storage", "S": 1.4, "is_major": True, "alpha": 1.5,
        "alpha_reason": "厂外 500 m 内常住 60 人（50~99人），α = 1.5", "R": 6.0, "grade": 4,
        "breakdown": [
            {"name": "液氨", "matched": "氨", "table": "表1 第1项", "quantity_t": 8.0, "Q_t": 10.0, "q_over_Q": 0.8,
             "beta": 2.0, "beta_source": "表3 氨"},
            {"name": "液氯", "matched": "氯", "table": "表1 第12项", "quantity_t": 3.0, "Q_t": 5.0, "q_over_Q": 0.6,
             "beta": 4.0, "beta_source": "表3 氯"},
        ],
    }
    # Not major: no R and no grade. 碳酰氯 0.1 t of Q 0.3 t is 1/3, shown to six places.
    small = unit({"name": "光气", "quantity_t": "0.1"}).as_dict()
    assert (small["is_major"], small["R"], small["grade"]) == (False, None, None)
    assert small["S"] == 0.333333 and small["breakdown"][0]["q_over_Q"] == 0.333333
    bare = standards.MajorHazardResult("storage", Fraction(0), False, Fraction(1, 2), "", None, None)
    assert bare.as_dict()["breakdown"] == []


def test_names_are_matched_as_written_in_the_table() -> None:
    # Spaces, ASCII brackets and letter case do not matter: 表1 第8项 甲醛（含量>90%）, 第11项 氯化氢（无水）,
    # 第13项 煤气（CO，CO和H₂、CH₄的混合物等）; a second CAS number finds its entry too (第49项 甲烷，天然气).
    assert [c.no for c in standards.find_named(name=" 甲醛(含量>90%) ", cas=None)] == [8]
    assert [c.no for c in standards.find_named(name="氯化氢 (无水)", cas=None)] == [11]
    assert [c.no for c in standards.find_named(name="液 氨", cas=None)] == [1]
    assert [c.no for c in standards.find_named(name="煤气(co，co和h₂、ch₄的混合物等)", cas=None)] == [13]
    assert [c.no for c in standards.find_named(name=None, cas="8006-14-2")] == [49]
    assert [c.no for c in standards.find_named(name=None, cas="74-82-8")] == [49]
    with pytest.raises(ValidationFailed) as exc:
        standards.alpha_for(-1)
    assert [(d.field, d.message) for d in exc.value.details] == [("exposed_people", "人数不能为负数")]


def test_major_hazard_grade_floors_and_the_two_steps_up() -> None:
    # A 一级 or 二级 major hazard source makes the enterprise at least 重大, 三级 at least 较大, 四级 at least
    # 一般; another grade number adds nothing.
    assert [standards.enterprise_level([], [g]) for g in (1, 2, 3, 4, 5)] == ["red", "red", "orange", "yellow", None]
    assert standards.enterprise_level(["blue"], [4, 3]) == "orange"
    # 低风险 yearly (1), 一般 half-yearly (2), 较大 6, 重大 monthly (12): each of an open major hidden hazard and
    # an overdue one moves one step up that ladder, never past monthly.
    assert [standards.inspection_frequency(lv, open_major=0, overdue=0)[0] for lv in RiskLevel] == [12, 6, 2, 1]
    assert standards.inspection_frequency(RiskLevel.blue, open_major=1, overdue=0)[0] == 2
    assert standards.inspection_frequency(RiskLevel.blue, open_major=0, overdue=3) == (
        2, "风险等级低风险：每年 1 次；有 3 项逾期未整改隐患：提高一档")
    assert standards.inspection_frequency(RiskLevel.blue, open_major=2, overdue=1) == (
        6, "风险等级低风险：每年 1 次；有 2 项未销号重大隐患：提高一档；有 1 项逾期未整改隐患：提高一档")
    assert standards.inspection_frequency(None, open_major=0, overdue=0) == (1, "风险等级未评定：每年 1 次")
    assert standards.inspection_frequency(RiskLevel.red, open_major=1, overdue=1)[0] == 12


def test_a_grading_cannot_be_changed() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        standards.grade_matrix(1, 1).level = RiskLevel.red


def test_an_empty_name_or_cas_is_as_if_not_given() -> None:
    assert unit({"name": "", "cas": "7664-41-7", "quantity_t": 1}).breakdown[0].matched == "氨"
    assert unit({"name": "液氨", "cas": " ", "quantity_t": 1}).breakdown[0].matched == "氨"
    with pytest.raises(ValidationFailed) as exc:
        standards.assess_major_hazard({"unit_type": "storage", "substances": [{"name": "液氨", "quantity_t": 1}, "氯"]})
    assert [(d.field, d.message) for d in exc.value.details] == [("substances[1]", "须为对象 {name, cas, quantity_t}")]


def test_name_and_cas_must_agree_and_two_entries_are_both_offered() -> None:
    # 表1 第43、44项 are both 硝酸铵 with CAS 6484-52-2 (Q 5 t and 50 t by combustible content).
    with pytest.raises(ValidationFailed) as exc:
        unit({"cas": "6484-52-2", "quantity_t": 1})
    assert exc.value.details[0].message == (
        "6484-52-2：对应表1中多个条目，请写明具体名称：硝酸铵（含可燃物>0.2%，包括以碳计算的任何有机物，"
        "但不包括任何其他添加剂）；硝酸铵（含可燃物≤0.2%）"
    )
    assert unit({"name": "硝酸铵（含可燃物≤0.2%）", "cas": "6484-52-2", "quantity_t": 50}).S == 1
    for sub in ({"name": "某物质", "cas": "7664-41-7"}, {"name": "液氨", "cas": "1111-11-1"}):
        with pytest.raises(ValidationFailed) as exc:
            unit({**sub, "quantity_t": 1})
        assert [(d.field, d.message) for d in exc.value.details] == [
            ("substances[0].cas", f"{sub['name']}：名称与 CAS 号 {sub['cas']} 不一致")]


def test_equal_thresholds_take_the_larger_beta_and_say_where_from() -> None:
    # J2 and J3 both have Q = 50 t (表2) but β 1 and 2 (表4): the stricter β is used.
    [b] = unit({"name": "某毒物", "symbol": "J2、J3", "quantity_t": 50}).breakdown
    assert (b.source, b.q_t, b.beta, b.beta_source) == ("表2 J3", 50, 2, "表4 J3")
    assert b.matched == "急性毒性（类别2、类别3，所有暴露途径，气体）"


def test_the_unit_itself_is_checked_with_every_reason() -> None:
    with pytest.raises(ValidationFailed) as exc:
        standards.assess_major_hazard(["液氨"])  # type: ignore[arg-type]
    assert [(d.field, d.message) for d in exc.value.details] == [("body", "须为 JSON 对象")]
    with pytest.raises(ValidationFailed) as exc:
        standards.assess_major_hazard({"unit_type": "tank", "exposed_people": -3})
    assert [(d.field, d.message) for d in exc.value.details] == [
        ("unit_type", "须为 production（生产单元）或 storage（储存单元）"),
        ("exposed_people", "厂区边界外 500 m 内常住人数须为非负整数"),
        ("substances", "须至少列出一种危险化学品"),
    ]
    assert exc.value.message == (
        "重大危险源辨识输入有误：须为 production（生产单元）或 storage（储存单元）；"
        "厂区边界外 500 m 内常住人数须为非负整数；须至少列出一种危险化学品"
    )


def test_quantities_in_chinese_units_and_a_unit_without_its_people() -> None:
    # 氯 (表1 第12项) Q = 5 t: 5 吨 and 5000 千克 are each exactly S = 1 (4.2.2: q in tonnes).
    assert unit({"name": "液氯", "quantity_t": 5, "unit": "吨"}).S == 1
    assert unit({"name": "液氯", "quantity_t": 5000, "unit": "千克"}).S == 1
    # No exposed_people given: nobody counted, 表5's 0 人 row, α = 0.5 (R = 0.5 × β 4 × 1 = 2 for 5 t 氯).
    got = standards.assess_major_hazard({"unit_type": "storage", "substances": [{"name": "液氯", "quantity_t": 5}]})
    assert (got.alpha, got.R) == (Fraction(1, 2), 2)
    assert got.alpha_reason.startswith("厂外 500 m 内常住 0 人（")
    # An empty CAS next to a name is as if not given, not a mismatch.
    assert unit({"name": "液氯", "cas": "", "quantity_t": 5}).breakdown[0].matched == "氯"


def test_a_table1_chemical_outside_table3_takes_beta_from_the_symbol_given() -> None:
    # 汽油 (表1 第66项, Q 200 t) is not in 表3: β comes from 表4 by its hazard symbol (4.3.2). Given as W5.1
    # (β 1.5) it is graded with 1.5, Q still from 表1; "hazard_category" is read as the symbol too.
    for key in ("symbol", "hazard_category"):
        [b] = unit({"name": "汽油", key: "W5.1", "quantity_t": 200}).breakdown
        assert (b.source, b.q_t, b.beta, b.beta_source) == ("表1 第66项", 200, Fraction(3, 2), "表4 W5.1"), key
    # Not in 表1 at all, by hazard_category alone: 表2 W5.4, Q 5000 t.
    [b] = unit({"name": "柴油", "hazard_category": "W5.4", "quantity_t": 2500}).breakdown
    assert (b.source, b.q_t, b.ratio) == ("表2 W5.4", 5000, Fraction(1, 2))


def test_every_problem_of_a_unit_is_kept_and_the_first_five_are_said() -> None:
    with pytest.raises(ValidationFailed) as exc:
        standards.assess_major_hazard({"unit_type": "tank", "exposed_people": "10", "substances": "液氯"})
    assert [d.field for d in exc.value.details] == ["unit_type", "exposed_people", "substances"]
    # Six bad substances: all six are in the details, the message names the first five.
    subs = [{"name": f"物质{i}", "quantity_t": -1} for i in range(1, 7)]
    with pytest.raises(ValidationFailed) as exc:
        standards.assess_major_hazard({"unit_type": "storage", "substances": subs})
    assert [d.field for d in exc.value.details] == [f"substances[{i}].quantity_t" for i in range(6)]
    assert exc.value.message == "重大危险源辨识输入有误：" + "；".join(f"物质{i}：数量不能为负数" for i in range(1, 6))
    with pytest.raises(ValidationFailed) as exc:
        unit({"cas": "6484-52-2", "quantity_t": 1})
    assert [d.field for d in exc.value.details] == ["substances[0].name"]
