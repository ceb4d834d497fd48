"""Readings in (HTTP batches, each poisoned reading refused by itself) and the refusals kept (service.ingest)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from yingji.core.jsonparse import loads_items
from yingji.monitoring import service
from yingji.monitoring.schemas import (
    IngestRejected,
    IngestResult,
)
from yingji.web.deps import ApiUser, DbSession

router = APIRouter()


@router.post("/readings", response_model=IngestResult)
async def post_readings(request: Request, db: DbSession, user: ApiUser) -> IngestResult:
    """A batch of up to 10,000 readings `[{"sensor": code, "ts": ISO-8601 with zone, "value": number}]`.
    Bad readings are rejected one by one with their reason; the rest are stored."""
    items = loads_items(await request.body(), field="body", message="请求体不是合法的 JSON")
    if isinstance(items, dict) and isinstance(items.get("readings"), list):
        items = items["readings"]
    out = await run_in_threadpool(lambda: service.ingest(db=db, actor=user, items=items, source="http"))
    return IngestResult(
        accepted=out.accepted,
        duplicates=out.duplicates,
        rejected=[IngestRejected(index=i, reason=r) for i, r in out.rejected],
    )


@router.get("/rejections")
def rejections(db: DbSession, user: ApiUser) -> dict[str, Any]:
    """Readings refused in the last 24 hours: their number and the latest 20 with their reasons."""
    total, rows = service.recent_rejections(db=db, actor=user)
    return {
        "total_24h": total,
        "items": [
            {"source": r.source, "sensor": r.sensor_code, "reason": r.reason, "payload": r.payload, "at": r.at}
            for r in rows
        ],
    }
