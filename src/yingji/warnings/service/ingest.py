"""Messages from upstream agencies (the meteorological bureau, the city, the national 12379 system), in
CAP 1.2 or the national format: validated (every reason listed), stored, shown on the map, linked to the
message they reference, and turned into a local draft when they touch the district."""

from __future__ import annotations

from datetime import timedelta

from shapely.geometry import Polygon, mapping
from shapely.ops import unary_union
from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core import layercache
from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.errors import ErrorDetail, ValidationFailed
from yingji.geo import service as geo_service
from yingji.warnings import cap, national
from yingji.warnings.alert import AlertData
from yingji.warnings.enums import Level, MsgType, Status
from yingji.warnings.models import WarningMessage
from yingji.warnings.service.area import circle_polygon, geojson, parse_area
from yingji.warnings.service.maps import MAP_LAYER

MAX_BYTES = 2 * 1024 * 1024


def parse(data: bytes) -> tuple[str, AlertData]:
    """(format, message) or ValidationFailed with every reason."""
    if len(data) > MAX_BYTES:
        raise ValidationFailed("消息过大", details=[ErrorDetail("body", f"不超过 {MAX_BYTES} 字节")])
    try:
        root = cap.safe_parse(data)
    except cap.XmlRefused as exc:
        raise ValidationFailed(str(exc), details=[ErrorDetail("body", str(exc))]) from exc
    if national.is_national(root):
        fmt, reasons = "national", national.validate(root)
    else:
        fmt, reasons = "cap", cap.validate(root)
    if reasons:
        raise ValidationFailed(
            f"不是有效的{'国家预警发布格式' if fmt == 'national' else ' CAP 1.2 '}消息：共 {len(reasons)} 处问题",
            details=[ErrorDetail("body", r) for r in reasons],
        )
    try:
        alert = national.from_national(root) if fmt == "national" else cap.from_cap(root)
    except ValueError as exc:
        raise ValidationFailed(f"消息内容有误：{exc}", details=[ErrorDetail("body", str(exc))]) from exc
    return fmt, alert


def _area_spec(db: Session, a: AlertData) -> dict:
    known = [c for c in a.geocodes if _region_exists(db, c)]
    shapes = [Polygon(r) for r in a.polygons] + [circle_polygon(*c) for c in a.circles]
    if len(a.polygons) == 1 and not a.circles:
        return {"polygon": a.polygons[0]}
    if len(a.circles) == 1 and not a.polygons:
        lon, lat, r = a.circles[0]
        return {"circle": {"lon": lon, "lat": lat, "radius_m": max(r, 1.0)}}
    if shapes:
        return {"geometry": mapping(unary_union(shapes))}
    if known:
        return {"regions": known}
    return {}


def _region_exists(db: Session, code: str) -> bool:
    try:
        geo_service.region_info(db=db, code=code)
        return True
    except Exception:  # NotFound: a code outside our district
        return False


def import_message(*, db: Session, actor: Actor, data: bytes) -> WarningMessage:
    require(actor, "warnings.import")
    fmt, a = parse(data)
    existing = db.scalar(
        select(WarningMessage).where(
            WarningMessage.upstream_identifier == a.identifier, WarningMessage.upstream_sender == a.sender
        )
    )
    if existing is not None:  # feeds repeat themselves: the same message is stored once
        return existing
    referenced = None
    for ref in reversed(a.references):
        referenced = db.scalar(select(WarningMessage).where(WarningMessage.upstream_identifier == ref.identifier))
        if referenced is not None:
            break
    spec = _area_spec(db, a)
    now = utcnow()
    w = WarningMessage(
        sender=a.sender,
        msg_type=a.msg_type if a.msg_type in ("Alert", "Update", "Cancel") else "Alert",
        status=Status.received,
        origin="upstream",
        event_type=a.event_type,
        level=(a.level or Level.blue).value,
        headline=(a.headline or a.event or "上级预警")[:200],
        description=a.description,
        instruction=a.instruction,
        effective=a.effective or a.sent,
        expires=a.expires or (a.effective or a.sent) + timedelta(hours=24),
        area=spec,
        area_desc=a.area_desc[:500],
        department=(a.sender_name or a.sender)[:100],
        references_id=referenced.id if referenced else None,
        chain_id=(referenced.chain_id or referenced.id) if referenced else None,
        references_text=" ".join(f"{r.sender},{r.identifier},{r.sent}" for r in a.references),
        upstream_sender=a.sender,
        upstream_identifier=a.identifier,
        source_format=fmt,
        source_xml=data.decode("utf-8", errors="replace"),
        author_id=actor.id,
        created_at=now,
        published_at=a.sent,
        village_codes=[],
        region_path=(geo_service.root(db=db).path if geo_service.root(db=db) else ""),
        touches_district=False,
    )
    if spec:
        area = parse_area(db=db, area=spec)
        w.area_geometry, w.village_codes = geojson(area), area.village_codes
        w.region_path, w.touches_district = area.region_path, area.touches_district
        if not w.area_desc:
            w.area_desc = area.description
    db.add(w)
    db.flush()
    if w.chain_id is None:
        w.chain_id = w.id
    if referenced is not None and referenced.status == Status.received:
        referenced.status = Status.superseded
    if w.touches_district and w.msg_type != MsgType.cancel and w.expires > now:
        _local_draft(db, w, actor)
    db.flush()
    layercache.bump(db, MAP_LAYER)  # no event announces a received message; the map shows it
    return w


def _local_draft(db: Session, upstream: WarningMessage, actor: Actor) -> WarningMessage:
    """A local Alert draft from an upstream message: our duty officer reviews, signs and publishes it."""
    from yingji.warnings.service.authoring import local_draft_from
    from yingji.warnings.settings import sender_name, settings

    draft = local_draft_from(
        upstream,
        sender=settings().sender,
        msg_type=MsgType.alert,
        headline=upstream.headline[:140],
        touches_district=True,
        department=sender_name(db),
        author_id=None,
        review_note=f"据上级来文 {upstream.upstream_identifier}（{upstream.department}）生成的草稿",
    )
    db.add(draft)
    db.flush()
    draft.chain_id = draft.id
    return draft
