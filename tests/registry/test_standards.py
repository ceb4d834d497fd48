"""GB 32100-2015 unified social credit codes and mainland phone numbers, on worked examples."""

from __future__ import annotations

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
    ("code", "fragment"),
    [
        ("91350100M000100Y4", "18 位"),
        ("91350100M000100Y44", "校验位错误：应为 3"),
        ("91350100M0001O0Y43", "不允许的字符：O"),
        ("Z1350100M000100Y43", "不允许的字符：Z"),
        ("H1350100M000100Y43", "登记管理部门"),
        ("9135A100M000100Y43", "行政区划"),
    ],
)
def test_wrong_codes_say_what_is_wrong(code: str, fragment: str) -> None:
    problem = uscc_problem(code)
    assert problem is not None and fragment in problem


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
