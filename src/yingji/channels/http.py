"""Shared HTTP helper for the gateway channels: one call, the response turned into a DeliveryResult."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import httpx

from yingji.channels.base import DeliveryResult, failure

_clients: dict[float, httpx.Client] = {}
_lock = threading.Lock()


def client(timeout_s: float) -> httpx.Client:
    """One pooled client per timeout, shared by every adapter and worker thread (httpx.Client is
    thread-safe): no new TLS context and connection per message."""
    with _lock:
        if timeout_s not in _clients:
            _clients[timeout_s] = httpx.Client(timeout=timeout_s, limits=httpx.Limits(max_connections=64))
        return _clients[timeout_s]


def post(
    url: str,
    *,
    receipt: Callable[[httpx.Response], str | None],
    timeout_s: float = 10.0,
    **kwargs: Any,
) -> DeliveryResult:
    # The error says why in words a duty officer can act on: timed out, unreachable, or refused with
    # the gateway's own status and code.
    try:
        response = client(timeout_s).post(url, **kwargs)
    except httpx.TimeoutException:
        return DeliveryResult(ok=False, error=f"网关超时：{timeout_s:g} 秒内无应答")
    except httpx.HTTPError as exc:
        return DeliveryResult(ok=False, error=f"无法连接网关：{type(exc).__name__}: {exc}"[:480])
    if response.status_code >= 400:
        permanent = 400 <= response.status_code < 500 and response.status_code not in (408, 429)
        return DeliveryResult(
            ok=False, error=f"网关拒绝：HTTP {response.status_code} {response.text[:300]}", permanent=permanent
        )
    try:
        return DeliveryResult(ok=True, receipt=receipt(response))
    except json.JSONDecodeError:
        return DeliveryResult(ok=False, error=f"网关应答无法解析：HTTP {response.status_code} {response.text[:200]}")
    except ValueError as exc:  # the adapters raise ValueError("<gateway code>: <message>") for a refusal
        return DeliveryResult(ok=False, error=f"网关拒绝：代码 {exc}"[:480])
    except (KeyError, IndexError, TypeError) as exc:
        return failure(exc)


def post_batch(
    url: str,
    *,
    n: int,
    results: Callable[[httpx.Response], list[DeliveryResult]],
    timeout_s: float = 30.0,
    **kwargs: Any,
) -> list[DeliveryResult]:
    """One request for ``n`` recipients: ``results`` reads one result per recipient from the answer. A
    batch the gateway refuses as a whole (time-out, connection, HTTP error, unreadable answer) gives every
    recipient that same error."""
    try:
        response = client(timeout_s).post(url, **kwargs)
    except httpx.TimeoutException:
        return [DeliveryResult(ok=False, error=f"网关超时：{timeout_s:g} 秒内无应答")] * n
    except httpx.HTTPError as exc:
        return [DeliveryResult(ok=False, error=f"无法连接网关：{type(exc).__name__}: {exc}"[:480])] * n
    if response.status_code >= 400:
        permanent = 400 <= response.status_code < 500 and response.status_code not in (408, 429)
        error = f"网关拒绝：HTTP {response.status_code} {response.text[:300]}"
        return [DeliveryResult(ok=False, error=error, permanent=permanent)] * n
    try:
        return results(response)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        error = f"网关应答无法解析：HTTP {response.status_code} {type(exc).__name__}: {exc}"[:480]
        return [DeliveryResult(ok=False, error=error)] * n
