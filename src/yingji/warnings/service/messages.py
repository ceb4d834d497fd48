"""A stored warning as a message: CAP 1.2 or national XML, and the public listings (feed, page)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor
from yingji.core.clock import utcnow
from yingji.core.errors import NotFound
from yingji.warnings import cap, national
from yingji.warnings.alert import AlertData, Reference
from yingji.warnings.enums import Level, Status
from yingji.warnings.models import WarningMessage
from yingji.warnings.service.access import load
from yingji.warnings.settings import sender_name, settings
from yingji.warnings.standards import cap_time

PUBLIC_STATUSES = (Status.published, Status.superseded)


def _references(db: Session, w: WarningMessage) -> list[Reference]:
    """Every earlier published message of the chain (CAP: Update/Cancel reference all still-active ones)."""
    if w.references_id is None:
        return []
    earlier = db.scalars(
        select(WarningMessage)
        .where(
            WarningMessage.chain_id == w.chain_id,
            WarningMessage.id < w.id,
            WarningMessage.identifier.is_not(None),
            WarningMessage.status.in_(PUBLIC_STATUSES),
        )
        .order_by(WarningMessage.id)
    )
    return [Reference(e.sender, e.identifier or "", cap_time(e.published_at or e.created_at)) for e in earlier]


def alert_data(db: Session, w: WarningMessage) -> AlertData:
    s = settings()
    a = AlertData(
        identifier=w.identifier or f"draft-{w.id}",
        sender=w.sender,
        sender_code=s.sender_code if w.origin == "local" else w.sender,
        sent=w.published_at or w.created_at,
        msg_type=w.msg_type,
        references=_references(db, w),
        event_type=w.event_type,
        level=Level(w.level),
        headline=w.headline,
        description=w.description,
        instruction=w.instruction,
        effective=w.effective,
        expires=w.expires,
        sender_name=w.department or sender_name(db),
        web=f"{s.public_base_url}/public/warnings/{w.identifier}" if w.identifier and not w.drill else "",
        area_desc=w.area_desc,
    )
    if w.drill:  # CAP 1.2: "Exercise" — only for designated participants, not for the public
        a.status = "Exercise"
    spec = w.area or {}
    if "polygon" in spec:
        a.polygons = [spec["polygon"]]
    elif "circle" in spec:
        c = spec["circle"]
        a.circles = [(c["lon"], c["lat"], c["radius_m"])]
    elif "regions" in spec:
        a.geocodes = list(spec["regions"])
    elif w.area_geometry and w.area_geometry.get("type") == "Polygon":
        a.polygons = [w.area_geometry["coordinates"][0]]
    return a


def _published(db: Session, actor: Actor | None, warning_id: int) -> WarningMessage:
    w = load(db, actor, warning_id) if actor is not None else db.get(WarningMessage, warning_id)
    if w is None or w.identifier is None or w.origin != "local":
        raise NotFound("该预警尚未发布，没有 CAP 消息")
    return w


def cap_xml(*, db: Session, actor: Actor, warning_id: int) -> bytes:
    return cap.to_cap(alert_data(db, _published(db, actor, warning_id)))


def national_xml(*, db: Session, actor: Actor, warning_id: int) -> bytes:
    return national.to_national(alert_data(db, _published(db, actor, warning_id)))


def public_by_identifier(*, db: Session, identifier: str) -> WarningMessage:
    w = db.scalar(select(WarningMessage).where(WarningMessage.identifier == identifier))
    if w is None or w.status not in PUBLIC_STATUSES or w.origin != "local" or w.drill:
        raise NotFound("预警不存在")
    return w


def public_cap(*, db: Session, identifier: str) -> bytes:
    return cap.to_cap(alert_data(db, public_by_identifier(db=db, identifier=identifier)))


def current(*, db: Session, limit: int = 50) -> list[WarningMessage]:
    """Warnings in force now for the public: our published Alerts/Updates not expired nor superseded."""
    now = utcnow()
    return list(
        db.scalars(
            select(WarningMessage)
            .where(
                WarningMessage.status == Status.published,
                WarningMessage.origin == "local",
                WarningMessage.drill.is_(False),  # a drill warning is never public
                WarningMessage.msg_type != "Cancel",
                WarningMessage.expires > now,
            )
            .order_by(WarningMessage.published_at.desc())
            .limit(limit)
        )
    )


def recent_public(*, db: Session, limit: int = 20) -> list[WarningMessage]:
    """Every public message recently published (Cancels included), newest first — the Atom feed."""
    return list(
        db.scalars(
            select(WarningMessage)
            .where(WarningMessage.status.in_(PUBLIC_STATUSES), WarningMessage.origin == "local",
                   WarningMessage.drill.is_(False))
            .order_by(WarningMessage.published_at.desc())
            .limit(limit)
        )
    )
