"""Turns every error into the one API shape or a Chinese page. No stack trace ever reaches a user."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from yingji.core.errors import DomainError, TooManyRequests
from yingji.core.i18n import validation_details
from yingji.core.jsonparse import TOO_DEEP
from yingji.web.deps import LoginRequired
from yingji.web.templating import render

log = logging.getLogger("yingji.web")

_HTTP_MESSAGES = {
    400: ("bad_request", "请求有误"),
    401: ("unauthenticated", "需要登录"),
    403: ("forbidden", "没有权限"),
    404: ("not_found", "请求的页面或资源不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    413: ("payload_too_large", "上传内容过大"),
    415: ("unsupported_media_type", "不支持的内容类型"),
}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    details = details or []
    if is_api(request):
        body = {"error": {"code": code, "message": message, "details": details}}
        return JSONResponse(body, status_code=status, headers=headers)
    page = render(
        request, "web/error.html", {"status": status, "message": message, "details": details}, status_code=status
    )
    for k, v in (headers or {}).items():
        page.headers[k] = v
    return page


def integrity_reason(exc: IntegrityError) -> tuple[int, str, str]:
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or ""  # psycopg
    text = str(orig).lower()
    if state == "23503" or "foreign key" in text:
        return 409, "still_referenced", "该记录仍被其他记录引用（或引用的记录不存在），不能这样修改或删除"
    if state == "23505" or "unique" in text:
        return 409, "duplicate", "与已有记录重复"
    if state == "23502" or "not null" in text:
        return 422, "validation_error", "缺少必填项"
    return 409, "conflict", "与已有数据冲突，未保存"


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        if isinstance(exc, LoginRequired) and not is_api(request):
            return RedirectResponse(f"/login?next={quote(str(request.url.path))}", status_code=303)
        headers = None
        if isinstance(exc, TooManyRequests) and exc.retry_after_s:
            headers = {"Retry-After": str(exc.retry_after_s)}
        return error_response(
            request, exc.status_code, exc.code, exc.message, [d.as_dict() for d in exc.details], headers
        )

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> Response:
        details = validation_details(list(exc.errors()))
        if any(d["message"] == "JSON 格式错误" for d in details):
            return error_response(request, 422, "malformed_json", "请求体不是合法的 JSON", details)
        summary = "；".join(f"{d['field']}: {d['message']}" for d in details[:5])
        return error_response(request, 422, "validation_error", f"输入有误：{summary}", details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400 and isinstance(exc.__cause__, RecursionError):
            # FastAPI's own body parsing: JSON nested too deep for Python's recursive parser is bad input.
            details = [{"field": "body", "message": TOO_DEEP}]
            return error_response(request, 422, "malformed_json", f"请求体不是合法的 JSON：{TOO_DEEP}", details)
        if exc.status_code == 400:
            # The framework's answer to a body it cannot decode (bytes that are not UTF-8, a broken multipart
            # upload): no route raises 400 itself, so this is always bad input, a 422 like any other.
            return error_response(
                request,
                422,
                "malformed_json" if exc.detail == "There was an error parsing the body" else "malformed_body",
                "请求体无法解析（JSON 须为 UTF-8 编码；上传须为完整的 multipart 表单）",
                [{"field": "body", "message": "无法解析"}],
            )
        code, message = _HTTP_MESSAGES.get(exc.status_code, ("error", "请求失败"))
        if isinstance(exc.detail, str) and exc.detail and exc.status_code not in _HTTP_MESSAGES:
            message = exc.detail
        return error_response(request, exc.status_code, code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(IntegrityError)
    async def integrity_error(request: Request, exc: IntegrityError) -> Response:
        # The database refused the change (the transaction is rolled back): a reference still in use, a
        # duplicate, or a required value missing. The client's request, not the server, is at fault.
        status, code, message = integrity_reason(exc)
        log.info("integrity error on %s %s: %s", request.method, request.url.path, exc.orig)
        return error_response(request, status, code, message)

    @app.exception_handler(DataError)
    @app.exception_handler(OverflowError)
    async def out_of_range(request: Request, exc: Exception) -> Response:
        # A number the database cannot hold (an id of 2^70): SQLite's driver raises OverflowError while
        # binding it, PostgreSQL a DataError. Bad input, refused like any other.
        log.info("value out of range on %s %s: %s", request.method, request.url.path, exc)
        return error_response(request, 422, "validation_error", "输入的数值超出允许范围")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal_error", "服务器内部错误，已记录日志，请稍后重试或联系管理员")
