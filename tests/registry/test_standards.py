"""GB 32100-2015 unified social credit codes and mainland phone numbers, on worked examples."""

from __future__ import annotations

import random

import pytest

from yingji.core.validation import normalize_phone
from yingji.registry.standards import uscc_check_char, uscc_problem

# The standard's own example, and codes of well-known companies as printed on their business licences.
VALID = ["91350100M000100Y43", "91110108551385082Q", "91310000717866186P", "9144030071526726XG"]


@pytest.mark.parametrize("code", VALID)
def test_real_codes_pass(code: str) -> None:
    assert uscc_problem(code) is None
    assert uscc_check_char(code[:17]) == code[17]


def test_check_character_worked_example() -> None:
    # 9 1 3 5 0 1 0 0 M 0 0 0 1 0 0 Y 4: character values (M = 21, Y = 30; I, O, S, V, Z are skipped)
    # times the weights 3^(i-1) mod 31; the check is 31 - (Σ mod 31).
    values = [9, 1, 3, 5, 0, 1, 0, 0, 21, 0, 0, 0, 1, 0, 0, 30, 4]
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(v * w for v, w in zip(values, weights, strict=True))
    assert (31 - total % 31) % 31 == 3
    assert uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "统一社会信用代码应为 18 位，实际 17 位"),
        ("91350100M000100Y44", "校验位错误：应为 3，实际 4"),
        ("91350100M0001O0Y43", "含有不允许的字符：O（不使用 I、O、S、V、Z）"),
        ("91350100M0001O0S43", "含有不允许的字符：OS（不使用 I、O、S、V、Z）"),
        ("Z1350100M000100Y43", "含有不允许的字符：Z（不使用 I、O、S、V、Z）"),
        ("H1350100M000100Y43", "第 1 位登记管理部门代码 H 无效"),
        # X is a code character (value 28) but no registration authority (GB 32100 table 1: 1-9, A-G, N, Y).
        ("X1350100M000100Y43", "第 1 位登记管理部门代码 X 无效"),
        ("9135A100M000100Y43", "第 3–8 位应为行政区划代码（数字）"),
        ("91A50100M000100Y43", "第 3–8 位应为行政区划代码（数字）"),  # the 3rd character is the region's first
    ],
)
def test_wrong_codes_say_what_is_wrong(code: str, message: str) -> None:
    assert uscc_problem(code) == message


def test_every_position_weighs_as_the_standard_says() -> None:
    # GB 32100-2015 §5: character values 0-9, A=10 … Y=30 leaving out I, O, S, V, Z; weight of the i-th
    # character 3^(i-1) mod 31; check value 31 - (Σ mod 31), 31 written as 0. Recomputed here on codes
    # with every position non-zero somewhere, including codes whose check character is 0.
    charset = [str(d) for d in range(10)] + [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXY" if c not in "IOSVZ"]
    rng = random.Random(32100)
    checks = set()
    for _ in range(300):
        first17 = "".join(rng.choice(charset) for _ in range(17))
        total = sum(charset.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
        expected = charset[(31 - total % 31) % 31]
        assert uscc_check_char(first17) == expected, first17
        checks.add(expected)
    assert "0" in checks
    with pytest.raises(ValueError):
        uscc_check_char("91350100M000100Y")  # 16 characters: no check character for a short code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13912345678", "13912345678"),
        ("+86 139 1234 5678", "13912345678"),
        ("0086-13912345678", "13912345678"),
        ("0772-7212345", "0772-7212345"),
        ("07727212345", "07727212345"),
        ("12345678901", None),
        ("1391234567", None),
        ("0772-0212345", None),
        ("电话", None),
    ],
)
def test_phone_numbers(raw: str, expected: str | None) -> None:
    assert normalize_phone(raw) == expected
