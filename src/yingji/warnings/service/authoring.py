"""Draft → submitted → approved (by someone else, with the right role) → published; then updated or
cancelled, each a new message referencing the one before. Nothing reaches the public before approval."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, region_in_scope, require
from yingji.core.clock import utcnow
from yingji.core.errors import Conflict, ErrorDetail, PermissionDenied, ValidationFailed, invalid
from yingji.core.events import publish as publish_event
from yingji.core.pagination import PageParams, paginate
from yingji.warnings.enums import MsgType, Status
from yingji.warnings.events import WarningCancelled, WarningPublished, WarningSubmitted
from yingji.warnings.models import WarningMessage
from yingji.warnings.schemas import WarningCreate, WarningRevision
from yingji.warnings.service.access import load, visible
from yingji.warnings.service.area import Area, geojson, parse_area
from yingji.warnings.service.sign_notices import settle as settle_sign_notice
from yingji.warnings.settings import sender_name, settings


def _check_times(effective: datetime, expires: datetime) -> None:
    errors = []
    if expires <= effective:
        errors.append(ErrorDetail("expires", "失效时间须晚于生效时间"))
    if expires <= utcnow():
        errors.append(ErrorDetail("expires", "失效时间须晚于当前时间"))
    if errors:
        raise ValidationFailed("预警时间有误：" + "；".join(e.message for e in errors), details=errors)


def _ensure_area_in_scope(actor: Actor, area: Area) -> None:
    if actor.scope_path is not None and not region_in_scope(actor, area.region_path):
        raise PermissionDenied("预警区域超出您的辖区")


def _apply_area(w: WarningMessage, area: Area) -> None:
    w.area, w.area_geometry, w.area_desc = area.spec, geojson(area), area.description
    w.village_codes, w.region_path, w.touches_district = area.village_codes, area.region_path, area.touches_district


def create_drill_warning(*, db: Session, actor: Actor, data: WarningCreate) -> WarningMessage:
    """A drill warning (演练): the same draft, headed 【演练】, published only with ``publish_to_audience``
    to a named test audience — never to the area's public, the public page or the CAP/Atom feed."""
    headline = data.headline.strip()
    if not headline.startswith("【演练】"):
        headline = ("【演练】" + headline)[:200]
    w = create_warning(db=db, actor=actor, data=data.model_copy(update={"headline": headline}))
    w.drill = True
    db.flush()
    return w


def create_warning(*, db: Session, actor: Actor, data: WarningCreate) -> WarningMessage:
    require(actor, "warnings.write")
    _check_times(data.effective, data.expires)
    area = parse_area(db=db, area=data.area)
    _ensure_area_in_scope(actor, area)
    w = WarningMessage(
        sender=settings().sender,
        msg_type=MsgType.alert,
        status=Status.draft,
        origin="local",
        event_type=data.event_type,
        level=data.level,
        headline=data.headline.strip(),
        description=data.description.strip(),
        instruction=data.instruction.strip(),
        effective=data.effective,
        expires=data.expires,
        department=data.department or sender_name(db),
        author_id=actor.id,
        created_at=utcnow(),
    )
    _apply_area(w, area)
    db.add(w)
    db.flush()
    w.chain_id = w.id
    db.flush()
    return w


def edit_draft(*, db: Session, actor: Actor, warning_id: int, data: WarningRevision) -> WarningMessage:
    """Changes a local draft in place (a draft made from alarms is reviewed and edited before it is
    submitted); what ``data`` leaves out stays as it is."""
    w = load(db, actor, warning_id, permission="warnings.write")
    if w.status != Status.draft or w.origin != "local":
        raise Conflict("只能修改本平台的草稿；已提交的预警请退回后修改")
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    for key in ("level", "headline", "description", "instruction", "effective", "expires"):
        if key in changes:
            setattr(w, key, changes[key].strip() if isinstance(changes[key], str) else changes[key])
    if "event_type" in changes:
        w.event_type = changes["event_type"]
    _check_times(w.effective, w.expires)
    if "area" in changes:
        area = parse_area(db=db, area=changes["area"])
        _ensure_area_in_scope(actor, area)
        _apply_area(w, area)
    db.flush()
    return w


def _transition(w: WarningMessage, expected: Status, what: str) -> None:
    if w.status != expected:
        raise Conflict(f"预警当前状态为“{w.status}”，不能{what}")


def _require_instruction(w: WarningMessage) -> None:
    """A warning tells people what to do: without 防御指南 it is not submitted or published (a Cancel,
    which only lifts a warning, has none)."""
    if w.msg_type != MsgType.cancel and not (w.instruction or "").strip():
        raise invalid("instruction", "请填写防御指南后再提交或发布")


def submit(*, db: Session, actor: Actor, warning_id: int) -> WarningMessage:
    w = load(db, actor, warning_id, permission="warnings.write")
    _transition(w, Status.draft, "提交审核")
    _require_instruction(w)
    w.status, w.submitted_at = Status.submitted, utcnow()
    if w.author_id is None:  # a draft made from an upstream message: whoever submits it is its author
        w.author_id = actor.id
    publish_event(db, WarningSubmitted(warning_id=w.id, msg_type=w.msg_type, level=w.level, headline=w.headline,
                                       region_path=w.region_path, author_id=w.author_id, at=w.submitted_at))
    db.flush()
    return w


def approve(*, db: Session, actor: Actor, warning_id: int, note: str = "") -> WarningMessage:
    w = load(db, actor, warning_id, permission="warnings.approve")
    if w.author_id is not None and w.author_id == actor.id:
        raise PermissionDenied("不能签发自己起草的预警，须由他人审核签发")
    _transition(w, Status.submitted, "签发")
    w.status, w.approver_id, w.approved_at, w.review_note = Status.approved, actor.id, utcnow(), note
    settle_sign_notice(db, w)
    db.flush()
    return w


def reject(*, db: Session, actor: Actor, warning_id: int, note: str = "") -> WarningMessage:
    """Sends a submitted warning back to its author as a draft, with the reviewer's note."""
    w = load(db, actor, warning_id, permission="warnings.approve")
    _transition(w, Status.submitted, "退回")
    w.status, w.review_note, w.submitted_at = Status.draft, note or "退回修改", None
    settle_sign_notice(db, w)
    db.flush()
    return w


def _identifier(db: Session, when: datetime) -> str:
    from yingji.warnings.standards import CHINA

    base = f"{settings().sender_code}_{when.astimezone(CHINA):%Y%m%d%H%M%S}"
    candidate, n = base, 0
    while db.scalar(select(WarningMessage.id).where(WarningMessage.identifier == candidate)) is not None:
        n += 1
        candidate = f"{base}_{n}"
    return candidate


def publish(*, db: Session, actor: Actor, warning_id: int, confirm_unreached: bool = False,
            audience: list[Any] | None = None) -> WarningMessage:
    """Publishes a signed warning: gives it its identifier, supersedes the message it references, writes
    its coverage row and the command that has a worker find its recipients and write and send their
    delivery rows in short transactions (``delivery.create_deliveries``): the request itself does not
    search the recipients, and answers at once whatever the area. Refused (409) while some recipients
    have no configured channel, unless ``confirm_unreached`` (see ``reach.before_publication``).
    ``audience`` (``recipients.Target`` rows, see ``audience.publish_to_audience``): exactly these
    recipients instead of those the area resolves to, all written now."""
    from yingji.warnings.service import audience_deliveries, delivery, reach

    w = load(db, actor, warning_id, permission="warnings.publish")
    _transition(w, Status.approved, "发布")
    if w.drill and audience is None:
        raise Conflict("演练预警只发给演练的接收对象，不向公众发布")
    _require_instruction(w)
    if w.msg_type != MsgType.cancel and w.expires <= utcnow():
        raise Conflict("预警已过失效时间，不能发布；请修改后重新提交")
    # Read only, before the first write (on SQLite: no write lock meanwhile).
    if audience is not None:
        reach.require_confirmation(reach.plan(targets=audience), confirmed=confirm_unreached)
    elif not confirm_unreached:
        reach.require_confirmation(reach.before_publication(db=db, warning=w), confirmed=False)
    now = utcnow()
    w.status, w.published_at, w.publisher_id = Status.published, now, actor.id
    w.identifier = _identifier(db, now)
    if w.references_id is not None:
        previous = db.get(WarningMessage, w.references_id)
        if previous is not None and previous.status == Status.published:
            previous.status = Status.superseded
    db.flush()
    if audience is None:
        delivery.create_deliveries(db=db, warning=w)
    else:
        audience_deliveries.create_audience_deliveries(db=db, warning=w, targets=audience)
    _published(db, w, now)
    return w


def _published(db: Session, w: WarningMessage, now: datetime) -> None:
    if w.msg_type == MsgType.cancel:
        publish_event(db, WarningCancelled(warning_id=w.references_id or w.id, cancel_id=w.id, event_type=w.event_type,
                                           region_path=w.region_path, at=now))
    else:
        publish_event(db, WarningPublished(
            warning_id=w.id, identifier=w.identifier or "", msg_type=w.msg_type, event_type=w.event_type,
            level=w.level, region_path=w.region_path, village_codes=tuple(w.village_codes or ()),
            references_id=w.references_id, effective=w.effective, expires=w.expires, at=now, drill=w.drill))


CONTENT_FIELDS = (
    "event_type",
    "level",
    "headline",
    "description",
    "instruction",
    "effective",
    "expires",
    "area",
    "area_geometry",
    "area_desc",
    "village_codes",
    "region_path",
    "touches_district",
)


def local_draft_from(source: WarningMessage, **fields: object) -> WarningMessage:
    """A new local draft carrying ``source``'s content (text, times, area), with ``fields`` set."""
    values = {name: getattr(source, name) for name in CONTENT_FIELDS}
    values.update(status=Status.draft, origin="local", created_at=utcnow())
    values.update(fields)
    return WarningMessage(**values)


def _follow_up(db: Session, actor: Actor, warning_id: int, msg_type: MsgType) -> tuple[WarningMessage, WarningMessage]:
    previous = load(db, actor, warning_id, permission="warnings.write")
    if previous.status != Status.published or previous.origin != "local":
        raise Conflict("只能更新或解除本平台已发布且仍有效的预警")
    pending = db.scalar(
        select(WarningMessage.id).where(
            WarningMessage.references_id == previous.id,
            WarningMessage.status.in_([Status.draft, Status.submitted, Status.approved]),
        )
    )
    if pending is not None:
        raise Conflict(f"该预警已有待发布的后续消息（#{pending}）")
    w = local_draft_from(
        previous,
        msg_type=msg_type,
        sender=previous.sender,
        department=previous.department,
        references_id=previous.id,
        chain_id=previous.chain_id or previous.id,
        author_id=actor.id,
    )
    return previous, w


def create_update(*, db: Session, actor: Actor, warning_id: int, data: WarningRevision) -> WarningMessage:
    _previous, w = _follow_up(db, actor, warning_id, MsgType.update)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if "event_type" in changes:
        raise invalid("event_type", "更新不能改变预警类型，请解除后另发")
    for key in ("level", "headline", "description", "instruction", "effective", "expires"):
        if key in changes:
            setattr(w, key, changes[key].strip() if isinstance(changes[key], str) else changes[key])
    _check_times(w.effective, w.expires)
    if "area" in changes:
        area = parse_area(db=db, area=changes["area"])
        _ensure_area_in_scope(actor, area)
        _apply_area(w, area)
    db.add(w)
    db.flush()
    return w


def create_cancel(*, db: Session, actor: Actor, warning_id: int, note: str = "") -> WarningMessage:
    previous, w = _follow_up(db, actor, warning_id, MsgType.cancel)
    w.headline = f"解除{previous.headline}"[:140]
    w.description = note or f"{previous.department}解除{previous.headline}。"
    w.instruction = ""
    db.add(w)
    db.flush()
    return w


def get_warning(*, db: Session, actor: Actor, warning_id: int) -> WarningMessage:
    return load(db, actor, warning_id)


def list_warnings(
    *, db: Session, actor: Actor, page: PageParams, status: str | None = None, origin: str | None = None
) -> tuple[list[WarningMessage], int]:
    require(actor, "warnings.read")
    q = select(WarningMessage).where(visible(actor))
    if status:
        q = q.where(WarningMessage.status == status)
    if origin:
        q = q.where(WarningMessage.origin == origin)
    return paginate(db, q.order_by(WarningMessage.id.desc()), page)


def chain(*, db: Session, actor: Actor, warning_id: int) -> list[WarningMessage]:
    w = load(db, actor, warning_id)
    return list(
        db.scalars(
            select(WarningMessage).where(WarningMessage.chain_id == (w.chain_id or w.id)).order_by(WarningMessage.id)
        )
    )
