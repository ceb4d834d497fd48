"""Chinese wording shared by the API, the pages and the CLI."""

from __future__ import annotations

from typing import Any

_PYDANTIC_MESSAGES = {
    "missing": "必填",
    "json_invalid": "JSON 格式错误",
    "extra_forbidden": "不允许的字段",
    "string_too_short": "长度不足",
    "string_too_long": "长度超出限制",
    "string_pattern_mismatch": "格式不正确",
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "float_parsing": "须为数字",
    "float_type": "须为数字",
    "bool_parsing": "须为 true 或 false",
    "datetime_parsing": "须为带时区的 ISO-8601 时间",
    "datetime_from_date_parsing": "须为带时区的 ISO-8601 时间",
    "timezone_aware": "时间须带时区",
    "model_attributes_type": "须为 JSON 对象",
    "dict_type": "须为 JSON 对象",
    "list_type": "须为数组",
}


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or (str(loc[0]) if loc else "")


def _message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error") or err.get("msg", "")).removeprefix("Value error, ")
    if kind == "enum":
        return f"取值无效，可选：{ctx.get('expected', '')}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        op = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[kind]
        return f"须 {op} {next(iter(ctx.values()), '')}"
    return _PYDANTIC_MESSAGES.get(kind, err.get("msg", "取值无效"))


def validation_details(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "field": "body" if e.get("type") == "json_invalid" else _field(tuple(e.get("loc", ()))),
            "message": _message(e),
        }
        for e in errors
    ]
