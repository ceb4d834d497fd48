"""The OpenAPI document states the error answers each operation gives, all in the one error shape.

Which answers an operation can give follows from its code, so they are derived (``web/answers.py`` reads
the endpoint, its dependencies and the functions they reach), not written by hand on 142 decorators:
- 401: a domain error ``Unauthenticated`` is reachable — every operation that needs a user (``ApiUser``,
  which also declares the bearer scheme), and those that accept one (a bad token is refused).
- 403: a permission check is reachable that refuses some role (``require`` of a permission not every
  role holds, a ``PermissionDenied`` of a scope rule), or the operation writes with a user: a
  cookie-authenticated write without the page's CSRF token is refused with 403.
- 404: the path names a record, or ``NotFound`` is reachable (a record named in a filter or the body;
  out-of-scope records are 404, never 403).
- 409: ``Conflict`` is reachable, or the operation writes to the database (a duplicate, a record still
  referenced: integrity errors are 409).
- 413: the operation takes a body: over the route's body limit.
- 422: the operation takes input (a parameter or a body) or raises ``ValidationFailed``; FastAPI's own
  422 schema is replaced by the error shape.
An operation may state more (e.g. 429 on the token endpoint) in its decorator; those are kept.
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from yingji.web import answers

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
    "403": "没有权限：角色或辖区不允许此操作，或页面会话的写请求缺少 CSRF 令牌",
    "404": "所指的记录（路径、查询参数或请求体中）不存在或不在本账号的辖区内",
    "409": "与当前状态冲突：状态不允许、记录重复或仍被引用",
    "413": "请求体超过该接口的上限",
    "422": "输入有误：details 逐项指出字段和原因",
}

WRITE_METHODS = {"post", "put", "patch", "delete"}
DOMAIN_ANSWERS = {"401", "403", "404", "409", "422", "429"}


def answers_of(operation: dict[str, Any], method: str, raised: frozenset[str]) -> set[str]:
    """The error answers of one operation: ``raised`` are the answers its code can raise (``answers``)."""
    codes = set(raised & DOMAIN_ANSWERS)
    writes = method in WRITE_METHODS
    if (answers.CSRF in raised and writes) or answers.refuses_someone(raised):
        codes.add("403")
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        codes.add("404")
    if operation.get("parameters") or "requestBody" in operation:
        codes.add("422")
    if writes and answers.WRITES in raised:
        codes.add("409")
    if "requestBody" in operation:
        codes.add("413")
    return codes


def raised_by_operation(app: FastAPI) -> dict[tuple[str, str], frozenset[str]]:
    """(path, method) → what the route's code can raise, for every operation of the OpenAPI."""
    found: dict[tuple[str, str], frozenset[str]] = {}
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, APIRoute) and route.include_in_schema:
            raised = answers.of_route(route)
            for method in route.methods:
                found[(route.path_format, method.lower())] = raised
    return found


# The schema is a function of the routes (their endpoints are module-level functions, the same objects in
# every app this process makes) and the title and version: made once per process and copied for each app,
# since making it walks ~500 operations and their models (seconds) and the suite makes an app per test.
_SCHEMAS: dict[tuple[Any, ...], dict[str, Any]] = {}


def _routes_key(app: FastAPI) -> tuple[Any, ...]:
    return (app.title, app.version, _key_of(app.routes))


def _key_of(routes: list[Any]) -> tuple[Any, ...]:
    """What the schema is made of, read cheaply from the routers as written (FastAPI's per-app view of
    them is what costs): each route's path, methods and endpoint, each included router's prefix and routes."""
    key: list[Any] = []
    for r in routes:
        router = getattr(r, "original_router", None)
        if router is not None:
            key.append((getattr(getattr(r, "include_context", None), "prefix", None), _key_of(router.routes)))
        elif getattr(r, "include_in_schema", False):  # the docs' own routes, /healthz, pages: not in it
            key.append((getattr(r, "path", None), tuple(sorted(getattr(r, "methods", None) or ())),
                        getattr(r, "endpoint", None)))
    return tuple(key)


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        key = _routes_key(app)
        if key not in _SCHEMAS:
            _SCHEMAS[key] = _schema(app)
        app.openapi_schema = copy.deepcopy(_SCHEMAS[key])
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _schema(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI with every operation's error answers, each with the one Error body."""
    schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    raised = raised_by_operation(app)
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            for code in answers_of(operation, method, raised.get((path, method), frozenset())):
                if code == "422" or code not in responses:
                    responses[code] = {"description": DESCRIPTIONS[code], "content": ref}
            for code, answer in responses.items():
                if code[0] in "45" and "content" not in answer:
                    answer["content"] = ref
    return schema
