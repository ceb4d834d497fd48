"""Dispatch (调度): teams sent (the nearest available by travel time, from the resources service; a team
already committed is not offered), materials requested from warehouses (an issue document posted in the
ledger through the resources service, so stock and ledger agree), shelters opened and evacuees registered
(never above capacity without a recorded override). Every order has a status (``order_status``) the
receiver moves on, by account or by its status link (a secret URL, no log-in); team status, stock and
shelter occupancy change with the order, through resources, and go back on release. An order left
unacknowledged is escalated to the duty room's 待办 (``check_unacknowledged``)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.channels import service as channels_service
from yingji.core import notices
from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.errors import Conflict, NotFound, invalid
from yingji.core.security import new_token, token_digest
from yingji.geo import service as geo_service
from yingji.incidents.command_models import DispatchOrder, Evacuee, OrderStep
from yingji.incidents.models import Incident
from yingji.incidents.service import order_status
from yingji.incidents.service.command import READ, WRITE, load_for_command, load_for_writing
from yingji.incidents.service.common import actor_name, note
from yingji.incidents.service.incident_notices import SOURCE
from yingji.incidents.settings import settings
from yingji.resources import service as resources_service
from yingji.resources.schemas import DocumentCreate, LineIn, OccupancyUpdate, TeamStatusUpdate

UNACK_KIND = "order_unacknowledged"
KIND_LABELS = {"team": "派遣队伍", "material": "调拨物资", "shelter": "开放避难场所"}
ACTIVE = ("sent", "acknowledged", "en_route", "on_scene")
NEAREST_MAX = 50  # the most resources' nearest answers at once


def _point(db: Session, incident: Incident) -> tuple[float, float]:
    if incident.lon is not None and incident.lat is not None:
        return incident.lon, incident.lat
    region = geo_service.region_info(db=db, code=incident.region_code)
    if region.centroid is None:
        raise invalid("lon", "事件没有坐标，无法按路程排序，请先在地图上标出事发地点")
    return region.centroid


def committed_team_ids(db: Session) -> set[int]:
    """Teams with an order not yet released, on any incident: they are not offered again."""
    return set(db.scalars(select(DispatchOrder.team_id).where(DispatchOrder.kind == "team",
                                                              DispatchOrder.status.in_(ACTIVE))))


def team_candidates(*, db: Session, actor: Actor, incident_id: int, k: int = 5,
                    speciality: str | None = None) -> list[dict[str, Any]]:
    """The k nearest available teams by driving time over the road graph (resources' ``nearest``: standby
    or on duty, approved), leaving out any team committed to an order not yet released."""
    incident = load_for_command(db, actor, incident_id)
    lon, lat = _point(db, incident)
    busy = committed_team_ids(db)
    found = resources_service.nearest(db=db, actor=actor, lon=lon, lat=lat, kind="team",
                                      k=min(NEAREST_MAX, k + len(busy)),
                                      speciality=speciality)
    return [item for item in found["items"] if item["id"] not in busy][:k]


def _number(db: Session, incident_id: int) -> int:
    return (db.scalar(select(func.max(DispatchOrder.number)).where(DispatchOrder.incident_id == incident_id))
            or 0) + 1


def _step(db: Session, order: DispatchOrder, to: str, *, by: str, via: str, note_text: str = "") -> None:
    db.add(OrderStep(order_id=order.id, from_status=order.status if to != "sent" else "", to_status=to,
                     at=utcnow(), by=by, via=via, note=note_text[:300]))


def _new_order(db: Session, actor: Actor, incident: Incident, *, kind: str, receiver: str,
               instructions: str, **fields: Any) -> tuple[DispatchOrder, str]:
    token = new_token()
    order = DispatchOrder(incident_id=incident.id, number=_number(db, incident.id), region_path=incident.region_path,
                          kind=kind, receiver=receiver[:200], instructions=instructions.strip(), status="sent",
                          token_digest=token_digest(token), sent_at=utcnow(), sent_by=actor_name(actor),
                          acknowledged_by="", version=1, **fields)
    db.add(order)
    db.flush()
    _step(db, order, "sent", by=order.sent_by, via="account")
    note(db, incident.id, "order", f"第 {order.number} 号指令：{KIND_LABELS[kind]} → {order.receiver}"
         + (f"（{instructions.strip()[:100]}）" if instructions.strip() else ""), actor=actor, ref_id=order.id)
    return order, token


def status_link(token: str) -> str:
    return f"/orders/{token}"


def dispatch_team(*, db: Session, actor: Actor, incident_id: int, team_id: int,
                  instructions: str = "") -> tuple[DispatchOrder, str]:
    """Sends a team: it must be available and not committed; it becomes deployed (resources) until the
    order is released. Returns the order and its status link's secret (shown once, sent to the team)."""
    incident = load_for_writing(db, actor, incident_id)
    if team_id in committed_team_ids(db):
        raise Conflict("该队伍已承担其他调度指令，尚未解除，不能重复派遣")
    team = resources_service.get_team(db=db, actor=actor, team_id=team_id)
    if team.status not in ("standby", "on_duty"):
        raise Conflict(f"该队伍当前状态为“{team.status}”，不可派遣")
    lon, lat = _point(db, incident)
    near = resources_service.nearest(db=db, actor=actor, lon=lon, lat=lat, kind="team", k=NEAREST_MAX)
    travel = next((i["travel_time_s"] for i in near["items"] if i["id"] == team.id), None)
    previous = team.status
    order, token = _new_order(db, actor, incident, kind="team", receiver=team.name, instructions=instructions,
                              team_id=team.id, travel_time_s=travel, previous_state={"team_status": previous})
    resources_service.set_team_status(db=db, actor=actor, team_id=team.id, data=TeamStatusUpdate(
        status="deployed", note=f"事件 #{incident.id} 第 {order.number} 号指令"[:200]))
    if team.contact_phone:
        channels_service.enqueue_sms(
            db, phone=team.contact_phone, headline="调度指令",
            text=f"【调度指令】{'【演练】' if incident.drill else ''}{incident.title}："
                 f"{instructions.strip()[:60]} 请签收：{status_link(token)}",
            key=f"incidents:order:{order.id}:sms", sensitive=True)  # the link is the team's signing secret
    db.flush()
    return order, token


def request_materials(*, db: Session, actor: Actor, incident_id: int, warehouse_id: int,
                      lines: list[dict[str, Any]], instructions: str = "") -> tuple[DispatchOrder, str]:
    """Materials from a warehouse: an issue document (出库) posted in the resources ledger, naming the
    incident; a line the warehouse cannot cover refuses the whole request (nothing posted)."""
    incident = load_for_writing(db, actor, incident_id)
    if not lines:
        raise invalid("lines", "请至少填写一种物资")
    warehouse = resources_service.get_warehouse(db=db, actor=actor, warehouse_id=warehouse_id)
    parsed = []
    for i, line in enumerate(lines):
        try:
            qty = Decimal(str(line.get("quantity", "")))
        except ArithmeticError:
            raise invalid(f"lines[{i}].quantity", "数量须为数字") from None
        if not qty.is_finite() or qty <= 0:
            raise invalid(f"lines[{i}].quantity", "数量须大于 0")
        material_id = line.get("material_id")
        if not isinstance(material_id, int) or isinstance(material_id, bool):
            raise invalid(f"lines[{i}].material_id", "请选择物资")
        material = resources_service.get_material(db=db, actor=actor, material_id=material_id)
        parsed.append((material, qty))
    doc = resources_service.create_document(db=db, actor=actor, data=DocumentCreate(
        kind="issue", warehouse_id=warehouse.id, counterparty=f"事件 #{incident.id} {incident.title}"[:200],
        reason=f"应急调度：{instructions.strip()}"[:300],
        lines=[LineIn(material_id=m.id, quantity=q) for m, q in parsed]))
    resources_service.post_document(db=db, actor=actor, document_id=doc.id)
    order, token = _new_order(
        db, actor, incident, kind="material", receiver=warehouse.name, instructions=instructions,
        warehouse_id=warehouse.id, document_id=doc.id,
        lines=[{"material_id": m.id, "name": m.name, "unit": m.unit, "quantity": str(q)} for m, q in parsed])
    note(db, incident.id, "order", f"物资出库单 {doc.number} 已过账："
         + "，".join(f"{m.name} {q}{m.unit}" for m, q in parsed), actor=actor, ref_id=order.id)
    db.flush()
    return order, token


def open_shelter(*, db: Session, actor: Actor, incident_id: int, shelter_id: int,
                 instructions: str = "") -> tuple[DispatchOrder, str]:
    incident = load_for_writing(db, actor, incident_id)
    if db.scalar(select(DispatchOrder.id).where(DispatchOrder.kind == "shelter", DispatchOrder.shelter_id == shelter_id,
                                                DispatchOrder.status.in_(ACTIVE))):
        raise Conflict("该避难场所已由一条未解除的指令开放")
    shelter = resources_service.get_shelter(db=db, actor=actor, shelter_id=shelter_id)
    order, token = _new_order(db, actor, incident, kind="shelter", receiver=shelter.name, instructions=instructions,
                              shelter_id=shelter.id,
                              previous_state={"open": shelter.open, "occupancy": shelter.occupancy})
    resources_service.set_occupancy(db=db, actor=actor, shelter_id=shelter.id,
                                    data=OccupancyUpdate(occupancy=shelter.occupancy, open=True))
    db.flush()
    return order, token


def register_evacuees(*, db: Session, actor: Actor, order_id: int, people: int, name: str = "", origin: str = "",
                      over_capacity_reason: str = "") -> Evacuee:
    """People arriving at an opened shelter. Above its capacity only with a reason, recorded with who gave
    it; the shelter's occupancy (resources) follows the register."""
    order = _load_order(db, actor, order_id)
    if order.kind != "shelter":
        raise invalid("order_id", "只有开放避难场所的指令可以登记转移安置人员")
    if order.status == "released":
        raise Conflict("该避难场所的指令已解除，不能再登记")
    if isinstance(people, bool) or not isinstance(people, int) or people <= 0:
        raise invalid("people", "人数须为正整数")
    shelter = resources_service.get_shelter(db=db, actor=actor, shelter_id=order.shelter_id)
    total = shelter.occupancy + people
    reason = over_capacity_reason.strip()[:300]
    if total > shelter.capacity and not reason:
        free = max(shelter.capacity - shelter.occupancy, 0)
        raise invalid("people", f"超过容量：{shelter.name}容纳 {shelter.capacity} 人，已安置 {shelter.occupancy} 人，"
                                f"还可安置 {free} 人。确需超容安置请填写超容理由")
    if total <= shelter.capacity:
        reason = ""  # nothing to override
    resources_service.set_occupancy(db=db, actor=actor, shelter_id=shelter.id,
                                    data=OccupancyUpdate(occupancy=total, open=True), over_capacity_reason=reason)
    row = Evacuee(incident_id=order.incident_id, order_id=order.id, shelter_id=shelter.id, people=people,
                  name=name.strip()[:100], origin=origin.strip()[:200], registered_at=utcnow(),
                  registered_by=actor_name(actor), over_capacity_reason=reason)
    db.add(row)
    note(db, order.incident_id, "evacuation", f"{shelter.name} 登记安置 {people} 人，共 {total}/{shelter.capacity} 人"
         + (f"（超容：{reason}）" if reason else ""), actor=actor, ref_id=order.id)
    db.flush()
    return row


def evacuees(db: Session, incident_id: int) -> dict[int, int]:
    """People registered per shelter order of the incident."""
    rows = db.execute(select(Evacuee.order_id, func.sum(Evacuee.people)).where(Evacuee.incident_id == incident_id)
                      .group_by(Evacuee.order_id))
    return {order_id: int(n) for order_id, n in rows}


# --- status -----------------------------------------------------------------------------------------


def _order_row(db: Session, order_id: int, *, for_update: bool = False) -> DispatchOrder:
    query = select(DispatchOrder).where(DispatchOrder.id == order_id)
    order = db.scalar(query.with_for_update() if for_update else query)
    if order is None:
        raise NotFound("调度指令不存在")
    return order


def _load_order(db: Session, actor: Actor, order_id: int) -> DispatchOrder:
    """An order to change: 403 without command rights, 404 outside the actor's area."""
    require(actor, WRITE)
    order = _order_row(db, order_id, for_update=True)
    load_for_writing(db, actor, order.incident_id)
    return order


def get_order(*, db: Session, actor: Actor, order_id: int) -> DispatchOrder:
    require(actor, READ)
    order = _order_row(db, order_id)
    load_for_command(db, actor, order.incident_id)  # 404 outside the actor's area
    return order


def order_steps(db: Session, order_id: int) -> list[OrderStep]:
    return list(db.scalars(select(OrderStep).where(OrderStep.order_id == order_id).order_by(OrderStep.id)))


def _apply(db: Session, order: DispatchOrder, to: str, *, by: str, via: str, note_text: str = "") -> DispatchOrder:
    """Records a step already checked (``order_status.check``); what a release undoes is done by
    ``advance`` before, with the releasing account (the link never releases)."""
    now = utcnow()
    if to == "released":
        order.released_at = now
    elif to == "acknowledged":
        order.acknowledged_at, order.acknowledged_by = now, by[:80]
    elif to == "en_route":
        order.en_route_at = now
    elif to == "on_scene":
        order.on_scene_at = now
    _step(db, order, to, by=by, via=via, note_text=note_text)
    order.status = to
    order.version += 1
    if to in ("acknowledged", "released"):
        notices.close(db, source=SOURCE, ref_type="order", ref_id=order.id, kinds=[UNACK_KIND])
    how = "（状态链接）" if via == "link" else ""
    note(db, order.incident_id, "ack" if to == "acknowledged" else "order",
         f"第 {order.number} 号指令（{order.receiver}）：{order_status.LABELS[to]}{how}"
         + (f"，{note_text.strip()[:100]}" if note_text.strip() else ""), actor_label=by, at=now, ref_id=order.id)
    db.flush()
    return order


def _release_effects(db: Session, actor: Actor, order: DispatchOrder, *, return_materials: bool) -> None:
    """What the order changed goes back: the team to its status before, unused materials to the warehouse
    (the issue document reversed in the ledger), the shelter to its state before."""
    if order.kind == "team" and order.team_id is not None:
        previous = (order.previous_state or {}).get("team_status") or "standby"
        resources_service.set_team_status(db=db, actor=actor, team_id=order.team_id, data=TeamStatusUpdate(
            status=previous, note=f"第 {order.number} 号指令解除"))
    elif order.kind == "material" and order.document_id is not None and return_materials:
        why = f"事件 #{order.incident_id} 第 {order.number} 号指令解除，物资退库"
        rev = resources_service.reverse_document(db=db, actor=actor, document_id=order.document_id, reason=why)
        order.return_document_id = rev.id
    elif order.kind == "shelter" and order.shelter_id is not None:
        before = order.previous_state or {}
        resources_service.set_occupancy(db=db, actor=actor, shelter_id=order.shelter_id, data=OccupancyUpdate(
            occupancy=int(before.get("occupancy", 0)), open=bool(before.get("open", False))))


def advance(*, db: Session, actor: Actor, order_id: int, to: str, version: int | None = None, note_text: str = "",
            return_materials: bool = True) -> DispatchOrder:
    """Moves an order on by an account (the receiver's, or the duty room taking its call); an illegal step
    is a 409 with the reason. ``version``: the one the officer saw (two at once: the second is a 409)."""
    order = _load_order(db, actor, order_id)
    if version is not None and version != order.version:
        raise Conflict(f"该指令已被他人更新为“{order_status.LABELS[order.status]}”：您看到的是第 {version} 版，"
                       f"现在是第 {order.version} 版。请刷新后再操作。")
    order_status.check(order.status, to)
    if to == "released":
        _release_effects(db, actor, order, return_materials=return_materials)
    return _apply(db, order, to, by=actor_name(actor), via="account", note_text=note_text)


def incident_title(db: Session, incident_id: int) -> str:
    """What the receiver's link shows of the incident: its title (with the drill mark), nothing more."""
    title, drill = db.execute(select(Incident.title, Incident.drill).where(Incident.id == incident_id)).one()
    return f"【演练】{title}" if drill else title


def order_by_token(*, db: Session, token: str) -> DispatchOrder:
    order = db.scalar(select(DispatchOrder).where(DispatchOrder.token_digest == token_digest(token or "")))
    if order is None:
        raise NotFound("链接无效，请向区应急管理局值班室核实")
    return order


def advance_by_token(*, db: Session, token: str, to: str, by: str = "", note_text: str = "") -> DispatchOrder:
    """The receiver's own steps from its status link (收到, 出发, 到场), no account needed; only the
    command releases an order."""
    order = order_by_token(db=db, token=token)
    if to not in order_status.RECEIVER_STEPS:
        raise Conflict("状态链接只能签收、出发、到场；解除须由指挥人员操作")
    order_status.check(order.status, to)
    return _apply(db, order, to, by=(by.strip() or order.receiver)[:80], via="link", note_text=note_text)


# --- escalation -------------------------------------------------------------------------------------


def check_unacknowledged(db: Session) -> int:
    """Orders still unacknowledged after ``YINGJI_INCIDENTS_ORDER_ACK_MINUTES``: once each, a notice to the
    duty officers and the incident township's officers (待办) and a timeline entry. Returns how many."""
    now = utcnow()
    cutoff = now - timedelta(minutes=settings().order_ack_minutes)
    late = db.scalars(select(DispatchOrder).where(DispatchOrder.status == "sent", DispatchOrder.sent_at <= cutoff,
                                                  DispatchOrder.escalated_at.is_(None)).order_by(DispatchOrder.id))
    count = 0
    for order in late:
        drill = db.scalar(select(Incident.drill).where(Incident.id == order.incident_id))
        minutes = int((now - order.sent_at).total_seconds() // 60)
        notices.post(db, source=SOURCE, kind=UNACK_KIND, ref_type="order", ref_id=order.id,
                     title=f"{'【演练】' if drill else ''}调度指令未签收：第 {order.number} 号 {order.receiver}",
                     body=f"事件 #{order.incident_id} 的{KIND_LABELS[order.kind]}指令已下达 {minutes} 分钟仍未签收，"
                          "请电话督促。",
                     link=f"/incidents/{order.incident_id}#orders", roles=("duty_officer", "township_officer"),
                     region_path=order.region_path, dedupe_key=f"incidents:order:{order.id}:unack", at=now)
        order.escalated_at = now
        note(db, order.incident_id, "order",
             f"第 {order.number} 号指令（{order.receiver}）{minutes} 分钟未签收，已提醒值班室",
             actor_label="系统", at=now, ref_id=order.id)
        count += 1
    db.flush()
    return count


def choices(*, db: Session, actor: Actor, incident_id: int) -> dict[str, Any]:
    """What the dispatch forms offer: the warehouses and materials, and the nearest shelters with free
    places on foot from the incident (resources' ``nearest``)."""
    incident = load_for_command(db, actor, incident_id)
    lon, lat = _point(db, incident)
    shelters = resources_service.nearest(db=db, actor=actor, lon=lon, lat=lat, kind="shelter", k=8)["items"]
    return {"warehouses": resources_service.list_warehouses(db=db, actor=actor),
            "materials": resources_service.list_materials(db=db, actor=actor), "shelters": shelters}
