"""Read models for the map layer and the delivery list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, tuple_

from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.errors import ErrorDetail, ValidationFailed
from yingji.core.pagination import PageParams
from yingji.warnings.enums import LEVEL_COLOURS, LEVEL_LABELS, DeliveryStatus, Level, Status
from yingji.warnings.models import ChannelCount, Delivery, WarningCoverage, WarningMessage
from yingji.warnings.service.access import load, visible
from yingji.warnings.standards import event_types

# The 一张图 layer of current warnings, cached by ``core.layercache`` under this name: WarningPublished and
# WarningCancelled move it on (warnings.subscribers), an upstream CAP message stored does (service.ingest),
# and its own soonest expiry ends it (``seconds_valid``).
MAP_LAYER = "warnings"


def seconds_valid(layer: dict[str, Any]) -> float | None:
    """Until the first warning on the layer expires (it then leaves the layer without any event)."""
    ends = [datetime.fromisoformat(f["properties"]["expires"]) for f in layer["features"]]
    return max(0.0, (min(ends) - utcnow()).total_seconds()) if ends else None


def current_features(*, db, actor: Actor) -> dict[str, Any]:
    require(actor, "warnings.read")
    now = utcnow()
    rows = db.scalars(
        select(WarningMessage)
        .where(
            visible(actor),
            WarningMessage.status.in_([Status.published, Status.received]),
            WarningMessage.msg_type != "Cancel",
            WarningMessage.expires > now,
            WarningMessage.area_geometry.is_not(None),
        )
        .order_by(WarningMessage.id.desc())
        .limit(200)
    )
    labels = event_types()
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": w.id,
                "geometry": w.area_geometry,
                "properties": {
                    "id": w.id,
                    "headline": w.headline,
                    "level": w.level,
                    "level_label": LEVEL_LABELS.get(Level(w.level), w.level),
                    "colour": LEVEL_COLOURS.get(Level(w.level), "#888"),
                    "event": labels[w.event_type].label if w.event_type in labels else w.event_type,
                    "origin": w.origin,
                    "area_desc": w.area_desc,
                    "expires": w.expires.isoformat(),
                },
            }
            for w in rows
        ],
    }


def in_force_for_village(*, db, actor: Actor, village_code: str) -> list[WarningMessage]:
    """Warnings in force now whose area touches the village (ours and upstream), most severe first."""
    require(actor, "warnings.read")
    now = utcnow()
    rows = db.scalars(
        select(WarningMessage)
        .where(
            visible(actor),
            WarningMessage.status.in_([Status.published, Status.received]),
            WarningMessage.msg_type != "Cancel",
            WarningMessage.expires > now,
        )
        .order_by(WarningMessage.id.desc())
        .limit(500)
    )
    order = {Level.red: 0, Level.orange: 1, Level.yellow: 2, Level.blue: 3}
    found = [w for w in rows if village_code in (w.village_codes or [])]
    return sorted(found, key=lambda w: order.get(Level(w.level), 9) if w.level in Level.__members__ else 9)


# Deepest row an offset page may start at: the rows before it are walked through on every such request
# (a district-wide warning has 600,000); further on, the list is followed by ``after``.
MAX_OFFSET = 10_000


def _total(db, warning_id: int, status: str | None) -> int:
    """Rows of the warning (of one status): from the running figures for all, sent and failed (``tally``,
    exact for a warning with a coverage row); counted for pending and sending, which they keep together."""
    column = {None: ChannelCount.targeted, "sent": ChannelCount.sent, "failed": ChannelCount.failed}.get(status)
    if column is not None and db.get(WarningCoverage, warning_id) is not None:
        return int(db.scalar(select(func.coalesce(func.sum(column), 0)).where(ChannelCount.warning_id == warning_id)))
    q = select(func.count()).select_from(Delivery).where(Delivery.warning_id == warning_id)
    return int(db.scalar(q.where(Delivery.status == status) if status else q) or 0)


def deliveries_page(
    *, db, actor: Actor, warning_id: int, page: PageParams, status: DeliveryStatus | None = None,
    after: int | None = None,
) -> dict:
    """One page of the warning's delivery rows, a recipient's rows together (first choice, fallbacks), in
    the order of the index on (warning, recipient): ``page`` for the first ``MAX_OFFSET`` rows, then
    ``after`` (the ``next_after`` of the page before: the id of its last row), which starts where that
    row is in the index instead of walking through the rows before it."""
    w = load(db, actor, warning_id)
    q = select(Delivery).where(Delivery.warning_id == w.id)
    if status:
        q = q.where(Delivery.status == status)
    if after is not None:
        ref = db.scalar(select(Delivery.recipient_ref).where(Delivery.id == after, Delivery.warning_id == w.id))
        if ref is None:
            raise ValidationFailed("after：不是本预警的投递记录",
                                   details=[ErrorDetail("after", "本预警的投递记录编号")])
        q = q.where(Delivery.recipient_ref >= ref, tuple_(Delivery.recipient_ref, Delivery.id) > tuple_(ref, after))
    elif page.offset > MAX_OFFSET:
        raise ValidationFailed(
            f"页码过大：前 {MAX_OFFSET} 条之后请用 after 续读",
            details=[ErrorDetail("page", f"page × page_size 不超过 {MAX_OFFSET}；之后用上一页的 next_after")],
        )
    else:
        q = q.offset(page.offset)
    rows = list(db.scalars(q.order_by(Delivery.recipient_ref, Delivery.id).limit(page.page_size)))
    total = _total(db, w.id, status)
    return {
        "items": [
            {
                "id": d.id,
                "recipient_kind": d.recipient_kind,
                "name": d.name,
                "channel": d.channel,
                "address": d.address,
                "village_code": d.village_code,
                "status": d.status,
                "attempts": d.attempts,
                "receipt": d.receipt,
                "last_error": d.last_error,
                "fallback_of": d.fallback_of,
                "sent_at": d.sent_at.isoformat() if d.sent_at else None,
            }
            for d in rows
        ],
        "total": total,
        "page": page.page,
        "page_size": page.page_size,
        # Where the next page starts (``after``); none after the last row.
        "next_after": rows[-1].id if len(rows) == page.page_size else None,
    }
