"""Identifier rules of national standards, as pure functions.

Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from the 31-character set
below (no I, O, S, V, Z). Position 1 registration authority, 2 organisation type, 3–8 administrative
division code (digits), 9–17 organisation code, 18 check character:
    C18 = 31 - (Σ Wi × Ci mod 31), with 31 → 0,
weights Wi = 3^(i-1) mod 31 for i = 1..17.
"""

from __future__ import annotations

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_USCC_AUTHORITY = set("123456789ABCDEFGNY")
# What a pattern can state of the rules above (all but the check character), for the OpenAPI.
USCC_PATTERN = f"^[{''.join(sorted(_USCC_AUTHORITY))}][{USCC_CHARSET}][0-9]{{6}}[{USCC_CHARSET}]{{10}}$"


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """None when ``code`` is a well-formed unified social credit code, else what is wrong (Chinese)."""
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，实际 {len(code)} 位"
    bad = sorted({c for c in code if c not in USCC_CHARSET})
    if bad:
        return f"含有不允许的字符：{''.join(bad)}（不使用 I、O、S、V、Z）"
    if code[0] not in _USCC_AUTHORITY:
        return f"第 1 位登记管理部门代码 {code[0]} 无效"
    if not code[2:8].isdigit():
        return "第 3–8 位应为行政区划代码（数字）"
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return f"校验位错误：应为 {expected}，实际 {code[17]}"
    return None
