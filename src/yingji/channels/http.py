"""Shared HTTP helper for the gateway channels: one call, the response turned into a DeliveryResult."""

from __future__ import annotations

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
    try:
        response = client(timeout_s).post(url, **kwargs)
    except httpx.HTTPError as exc:
        return failure(exc)
    if response.status_code >= 400:
        permanent = 400 <= response.status_code < 500 and response.status_code not in (408, 429)
        return DeliveryResult(
            ok=False, error=f"HTTP {response.status_code}: {response.text[:300]}", permanent=permanent
        )
    try:
        return DeliveryResult(ok=True, receipt=receipt(response))
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        return failure(exc)
