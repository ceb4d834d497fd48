"""The OpenAPI document states the error answers each operation gives, all in the one error shape.

Which answers an operation can give follows from how it is built, so they are derived from the generated
operation, not written by hand on 142 decorators:
- 401 and 403: the operation needs a user (``ApiUser`` declares the bearer scheme): no or a bad token;
  a role or scope that may not.
- 404: a record the request names — in the path, a filter or the body — does not exist or is out of the
  user's scope (out-of-scope records are 404, never 403).
- 409: the operation writes: a state that forbids it, a duplicate, a record still referenced.
- 413: the operation takes a body: over the route's body limit.
- 422: every operation: a parameter or body that fails validation (FastAPI's own 422 schema is replaced).
An operation may state more (e.g. 429 on the token endpoint) in its decorator; those are kept.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "examples": ["validation_error"]},
                "message": {"type": "string", "description": "给人看的中文说明"},
                "details": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["field", "message"],
                        "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                    },
                },
            },
        }
    },
}

DESCRIPTIONS = {
    "401": "未登录：缺少或无效的 Bearer 令牌",
    "403": "没有权限：角色不允许此操作",
    "404": "所指的记录（路径、查询参数或请求体中）不存在或不在本账号的辖区内",
    "409": "与当前状态冲突：状态不允许、记录重复或仍被引用",
    "413": "请求体超过该接口的上限",
    "422": "输入有误：details 逐项指出字段和原因",
}

WRITE_METHODS = {"post", "put", "patch", "delete"}


def answers_of(operation: dict[str, Any], method: str) -> set[str]:
    codes = {"422"}
    if operation.get("security"):  # the bearer scheme: every operation that depends on ApiUser
        # and, for a user, any record the request names (path, filter or body) may be outside its scope
        codes |= {"401", "403", "404"}
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        codes.add("404")
    if method in WRITE_METHODS:
        codes.add("409")
        if "requestBody" in operation:
            codes.add("413")
    return codes


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Error"] = ERROR_SCHEMA
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for path in schema["paths"].values():
            for method, operation in path.items():
                responses = operation.setdefault("responses", {})
                for code in answers_of(operation, method):
                    if code == "422" or code not in responses:
                        responses[code] = {"description": DESCRIPTIONS[code], "content": ref}
                for code, answer in responses.items():
                    if code[0] in "45" and "content" not in answer:
                        answer["content"] = ref
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
