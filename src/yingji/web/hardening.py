"""Two ASGI middlewares every response passes through: security headers and a request-body limit.

The body limit counts bytes while the body is read — a declared ``Content-Length`` over the limit is
refused before a byte is read, and a chunked body without one is cut off the moment it passes the limit —
so an oversized request is never held in memory. The limit depends on the route: readings batches,
imports and uploads may be larger than an ordinary form or JSON body.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from yingji.core.config import Settings

# Only the platform's own scripts and styles. Style *attributes* stay allowed: the charting library
# (ECharts tooltips) and map markers set them, and they cannot run code. No inline <script>, no
# inline event handlers, no <style> elements, no eval; nothing may frame the platform.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HSTS = "max-age=31536000; includeSubDomains"


@dataclass(frozen=True)
class BodyLimits:
    default: int
    readings: int
    imports: int
    uploads: int

    @classmethod
    def from_settings(cls, s: Settings) -> BodyLimits:
        return cls(
            default=s.max_body_bytes,
            readings=s.max_readings_body_bytes,
            imports=s.max_import_body_bytes,
            uploads=s.max_upload_body_bytes,
        )


# Which routes carry which kind of body (first match wins).
_READINGS = re.compile(r"^/api/v1/monitoring/readings$")
_IMPORTS = re.compile(
    r"^(/api/v1)?/(risk/import/[^/]+|monitoring/sensors/import|warnings/import-cap|resources/excel/[^/]+"
    r"|resources/roads|resources/import(/[^/]+)?)$"
)
_UPLOADS = re.compile(r"^(/api/v1/risk/attachments|/risk/public/report|/risk/hazards(/.*)?)$")


def limit_for(path: str, limits: BodyLimits) -> int:
    if _READINGS.match(path):
        return limits.readings
    if _IMPORTS.match(path):
        return limits.imports
    if _UPLOADS.match(path):
        return limits.uploads
    return limits.default


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413, detail=f"请求体超过上限 {limit // 1024} KB")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = chunked = None
        for name, value in scope["headers"]:
            if name == b"content-length":
                declared = value
            elif name == b"transfer-encoding":
                chunked = value
        if declared is None and chunked is None:  # no body at all (HTTP/1.1): nothing to count
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope["path"], self.limits)
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                too_big = False  # the server itself refuses a malformed Content-Length
            if too_big:
                await _send_413(scope, send, limit)
                return

        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _too_large(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except HTTPException as exc:
            # Raised while reading outside FastAPI's request handling (e.g. a page reading its form).
            if exc.status_code != 413 or started:
                raise
            await _send_413(scope, send, limit)


async def _send_413(scope: Scope, send: Send, limit: int) -> None:
    message = _too_large(limit).detail
    if scope["path"].startswith("/api/"):
        body = json.dumps(
            {"error": {"code": "payload_too_large", "message": message, "details": []}}, ensure_ascii=False
        ).encode()
        ctype = b"application/json"
    else:
        body = f"<!doctype html><meta charset=utf-8><title>413</title><p>{message}</p>".encode()
        ctype = b"text/html; charset=utf-8"
    # The client may still be sending; closing the connection is the server's business (uvicorn does).
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", ctype),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _header_list(*, secure: bool) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"content-security-policy", CSP.encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(self), geolocation=(self), microphone=()"),
    ]
    if secure:
        headers.append((b"strict-transport-security", HSTS.encode()))
    return headers


def is_https(scope: Scope, settings: Settings) -> bool:
    """HTTPS either directly or behind a proxy the operator declared trusted (``secure_cookies``)."""
    return scope.get("scheme") == "https" or settings.secure_cookies


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        # Built once: they depend only on whether the request came over HTTPS.
        self._extra = {secure: _header_list(secure=secure) for secure in (False, True)}
        self._names = {secure: {k for k, _ in extra} for secure, extra in self._extra.items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = is_https(scope, self.settings)
        extra, names = self._extra[secure], self._names[secure]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": headers + extra}
            await send(message)

        await self.app(scope, receive, with_headers)
