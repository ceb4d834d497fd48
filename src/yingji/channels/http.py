"""Shared HTTP helper for the gateway channels: one call, the response turned into a DeliveryResult."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from yingji.channels.base import DeliveryResult, failure


def post(
    url: str,
    *,
    receipt: Callable[[httpx.Response], str | None],
    timeout_s: float = 10.0,
    **kwargs: Any,
) -> DeliveryResult:
    try:
        response = httpx.post(url, timeout=timeout_s, **kwargs)
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
