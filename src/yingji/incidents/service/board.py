"""What the duty-room wall (大屏) reads of incidents: the open incidents with the response level in force,
and the dispatch orders under way (sent, acknowledged, en route). Both within the reader's scope; drills
are kept and flagged (``drill``), for the reader to show them marked 演练 or leave them out."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require
from yingji.incidents.command_models import CommandState, DispatchOrder
from yingji.incidents.models import Incident
from yingji.incidents.service.common import read_condition
from yingji.incidents.service.order_status import LABELS as ORDER_LABELS

UNDER_WAY = ("sent", "acknowledged", "en_route")


def open_board(*, db: Session, actor: Actor, limit: int = 20) -> tuple[list[dict[str, Any]], int]:
    """The open incidents the actor may read, newest first (at most ``limit``), and how many are open."""
    require(actor, "incidents.read")
    where = (Incident.status == "open", read_condition(actor))
    total = db.scalar(select(func.count()).select_from(Incident).where(*where)) or 0
    rows = db.execute(
        select(Incident, CommandState.response_level)
        .outerjoin(CommandState, CommandState.incident_id == Incident.id)
        .where(*where).order_by(Incident.occurred_at.desc(), Incident.id.desc()).limit(limit)
    ).all()
    return [_incident(i, level or "") for i, level in rows], total


def _incident(i: Incident, level: str) -> dict[str, Any]:
    return {"id": i.id, "title": i.title, "kind": i.kind, "grade": i.grade, "grade_label": i.grade_label,
            "response_level": level, "drill": i.drill, "deaths": i.deaths, "missing": i.missing,
            "occurred_at": i.occurred_at, "region_path": i.region_path,
            "direct_loss_yuan": Decimal(i.direct_loss_yuan or 0)}


def orders_under_way(*, db: Session, actor: Actor, limit: int = 20) -> tuple[list[dict[str, Any]], int]:
    """Dispatch orders not yet on scene nor released, of incidents the actor may read (command access)."""
    require(actor, "incidents.command.read")
    where = (DispatchOrder.status.in_(UNDER_WAY), read_condition(actor))
    base = select(DispatchOrder, Incident.title, Incident.drill).join(Incident,
                                                                      Incident.id == DispatchOrder.incident_id)
    total = db.scalar(select(func.count()).select_from(DispatchOrder)
                      .join(Incident, Incident.id == DispatchOrder.incident_id).where(*where)) or 0
    rows = db.execute(base.where(*where).order_by(DispatchOrder.sent_at.desc(), DispatchOrder.id.desc())
                      .limit(limit)).all()
    return [_order(o, title, drill) for o, title, drill in rows], total


def _order(o: DispatchOrder, title: str, drill: bool) -> dict[str, Any]:
    since: datetime = o.en_route_at or o.acknowledged_at or o.sent_at
    return {"id": o.id, "incident_id": o.incident_id, "incident_title": title, "drill": drill, "kind": o.kind,
            "receiver": o.receiver, "status": o.status, "status_label": ORDER_LABELS[o.status], "since": since,
            "travel_time_s": o.travel_time_s}
