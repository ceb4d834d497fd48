"""Command workspace and dispatch API under /api/v1/incidents (and the receiver's link under
/api/v1/orders/{token}): thin — parse, call the service, shape. A stale version or an illegal order
step answers 409 with the reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from yingji.core.pagination import Page, PageParams
from yingji.core.validation import RecordId
from yingji.incidents import service
from yingji.incidents.command_schemas import (
    AreaRequest,
    CommandRead,
    EvacueeCreate,
    EvacueeRead,
    LinkOrderRead,
    LinkStatusUpdate,
    MaterialOrderCreate,
    MessageCreate,
    OrderDetail,
    OrderRead,
    OrderSent,
    OrderStatusUpdate,
    ResponseChangeRead,
    ResponseRequest,
    ShelterOrderCreate,
    SitrepCreate,
    SitrepRead,
    TaskCreate,
    TaskRead,
    TaskStatusUpdate,
    TeamOrderCreate,
    WorkspaceRead,
)
from yingji.incidents.schemas import TimelineRead
from yingji.incidents.service import command, dispatch
from yingji.web.deps import ApiUser, DbSession, get_database
from yingji.web.sse import change_stream

incidents = APIRouter(prefix="/incidents", tags=["incidents"])
links = APIRouter(prefix="/orders", tags=["incidents"])


@incidents.get("/orders/{order_id}", response_model=OrderDetail)
def get_order(order_id: RecordId, db: DbSession, user: ApiUser) -> OrderDetail:
    order = service.get_order(db=db, actor=user, order_id=order_id)
    steps = dispatch.order_steps(db, order.id)
    return OrderDetail.model_validate({**OrderRead.model_validate(order).model_dump(), "steps": steps})


@incidents.post("/orders/{order_id}/status", response_model=OrderRead)
def order_status(order_id: RecordId, body: OrderStatusUpdate, db: DbSession, user: ApiUser) -> OrderRead:
    """签收 / 出发 / 到场 / 解除: sent → acknowledged → en route → on scene → released, released from any
    step once sent; a skipped or backward step is a 409 with the reason. Releasing puts the team's status,
    the stock (unless ``return_materials`` is false) and the shelter back."""
    order = service.advance(db=db, actor=user, order_id=order_id, to=body.to, version=body.version,
                            note_text=body.note, return_materials=body.return_materials)
    return OrderRead.model_validate(order)


@incidents.post("/orders/{order_id}/evacuees", response_model=EvacueeRead, status_code=201)
def register_evacuees(order_id: RecordId, body: EvacueeCreate, db: DbSession, user: ApiUser) -> EvacueeRead:
    """People registered at the opened shelter; above capacity only with ``over_capacity_reason``."""
    row = service.register_evacuees(db=db, actor=user, order_id=order_id, people=body.people, name=body.name,
                                    origin=body.origin, over_capacity_reason=body.over_capacity_reason)
    return EvacueeRead.model_validate(row)


@incidents.post("/tasks/{task_id}/status", response_model=TaskRead)
def task_status(task_id: RecordId, body: TaskStatusUpdate, db: DbSession, user: ApiUser) -> TaskRead:
    task = service.update_task(db=db, actor=user, task_id=task_id, status=body.status, version=body.version,
                               note_text=body.note)
    return TaskRead.model_validate(task)


@incidents.get("/{incident_id}/workspace", response_model=WorkspaceRead)
def workspace(incident_id: RecordId, db: DbSession, user: ApiUser) -> WorkspaceRead:
    """The command workspace: command state, response history, tasks, sitreps, orders, newest timeline."""
    w = service.workspace(db=db, actor=user, incident_id=incident_id)
    return WorkspaceRead.model_validate({
        "incident_id": incident_id, "version": w["incident"].version,
        "command": CommandRead.model_validate(w["command"]) if w["command"] else None,
        "responses": w["responses"], "tasks": w["tasks"], "sitreps": w["sitreps"], "orders": w["orders"],
        "timeline": w["timeline"], "timeline_total": w["timeline_total"],
    }, from_attributes=True)


@incidents.get("/{incident_id}/timeline", response_model=Page[TimelineRead])
def timeline(incident_id: RecordId, db: DbSession, user: ApiUser, page: Annotated[PageParams, Depends()],
             after_id: RecordId | None = None) -> Page[TimelineRead]:
    """Timeline entries newest first, in the list envelope; ``after_id``: those added since the last one seen
    (what a live workspace fetches), ``total`` counting those."""
    rows, total = service.timeline(db=db, actor=user, incident_id=incident_id, after_id=after_id or 0, page=page)
    return Page.of(TimelineRead, rows, total, page)


@incidents.get("/{incident_id}/stream")
def stream(request: Request, incident_id: RecordId, db: DbSession, user: ApiUser,
           poll_s: Annotated[float, Query(ge=0.2, le=30)] = 0.5,
           max_s: Annotated[float, Query(ge=1, le=3600)] = 600) -> StreamingResponse:
    """Server-sent events: a `change` event (with the newest timeline entry's id) whenever anything happens
    to the incident; every open workspace then fetches what is new."""
    command.load_for_command(db, user, incident_id)  # 403 / 404 before the stream opens
    database = get_database(request)

    def token() -> str:
        with database.transaction(read=True) as session:
            return command.change_token(session, incident_id)

    return change_stream(request, token, poll_s=poll_s, max_s=max_s,
                         data=lambda t: {"last_id": int(t.split("|")[0])})


@incidents.post("/{incident_id}/response", response_model=ResponseChangeRead, status_code=201)
def set_response(incident_id: RecordId, body: ResponseRequest, db: DbSession, user: ApiUser) -> ResponseChangeRead:
    """启动 / 提升 / 降低 / 终止 the response level (I highest), with who decided; ``version`` of the
    command state."""
    change = service.set_response(db=db, actor=user, incident_id=incident_id, action=body.action, level=body.level,
                                  decided_by=body.decided_by, reason=body.reason, version=body.version)
    return ResponseChangeRead.model_validate(change)


@incidents.put("/{incident_id}/area", response_model=CommandRead)
def set_area(incident_id: RecordId, body: AreaRequest, db: DbSession, user: ApiUser) -> CommandRead:
    """The drawn affected area (a GeoJSON Polygon); null clears it."""
    state = service.set_area(db=db, actor=user, incident_id=incident_id, area=body.area, note_text=body.note,
                             version=body.version)
    return CommandRead.model_validate(state)


@incidents.post("/{incident_id}/messages", response_model=TimelineRead, status_code=201)
def add_message(incident_id: RecordId, body: MessageCreate, db: DbSession, user: ApiUser) -> TimelineRead:
    return TimelineRead.model_validate(service.add_message(db=db, actor=user, incident_id=incident_id,
                                                           text=body.text))


@incidents.post("/{incident_id}/tasks", response_model=TaskRead, status_code=201)
def create_task(incident_id: RecordId, body: TaskCreate, db: DbSession, user: ApiUser) -> TaskRead:
    task = service.create_task(db=db, actor=user, incident_id=incident_id, title=body.title,
                               assignee_kind=body.assignee_kind, assignee=body.assignee, due_at=body.due_at,
                               detail=body.detail)
    return TaskRead.model_validate(task)


@incidents.post("/{incident_id}/sitreps", response_model=SitrepRead, status_code=201)
def issue_sitrep(incident_id: RecordId, body: SitrepCreate, db: DbSession, user: ApiUser) -> SitrepRead:
    """A situation report, numbered in sequence and signed by the issuing officer."""
    return SitrepRead.model_validate(service.issue_sitrep(db=db, actor=user, incident_id=incident_id,
                                                          title=body.title, body=body.body))


@incidents.get("/{incident_id}/team-candidates")
def team_candidates(incident_id: RecordId, db: DbSession, user: ApiUser, k: Annotated[int, Query(ge=1, le=20)] = 5,
                    speciality: str | None = None) -> dict:
    """The nearest available teams by driving time; teams committed to an unreleased order are left out."""
    return {"items": service.team_candidates(db=db, actor=user, incident_id=incident_id, k=k, speciality=speciality)}


def _sent(order, token: str) -> OrderSent:
    return OrderSent(order=OrderRead.model_validate(order), status_link=dispatch.status_link(token))


@incidents.post("/{incident_id}/orders/team", response_model=OrderSent, status_code=201)
def dispatch_team(incident_id: RecordId, body: TeamOrderCreate, db: DbSession, user: ApiUser) -> OrderSent:
    """Sends a team (it becomes deployed until released); the status link is shown once and sent to the
    team's contact phone."""
    return _sent(*service.dispatch_team(db=db, actor=user, incident_id=incident_id, team_id=body.team_id,
                                        instructions=body.instructions))


@incidents.post("/{incident_id}/orders/material", response_model=OrderSent, status_code=201)
def request_materials(incident_id: RecordId, body: MaterialOrderCreate, db: DbSession, user: ApiUser) -> OrderSent:
    """Materials from a warehouse: an issue document posted in the resources ledger."""
    lines = [{"material_id": line.material_id, "quantity": line.quantity} for line in body.lines]
    return _sent(*service.request_materials(db=db, actor=user, incident_id=incident_id,
                                            warehouse_id=body.warehouse_id, lines=lines,
                                            instructions=body.instructions))


@incidents.post("/{incident_id}/orders/shelter", response_model=OrderSent, status_code=201)
def open_shelter(incident_id: RecordId, body: ShelterOrderCreate, db: DbSession, user: ApiUser) -> OrderSent:
    return _sent(*service.open_shelter(db=db, actor=user, incident_id=incident_id, shelter_id=body.shelter_id,
                                       instructions=body.instructions))


# --- the receiver's status link: no account, the secret in the URL is the credential --------------------


def _link_read(db, order) -> LinkOrderRead:
    title = dispatch.incident_title(db, order.incident_id)
    return LinkOrderRead(number=order.number, kind=order.kind, receiver=order.receiver, incident_title=title,
                         instructions=order.instructions, status=order.status, sent_at=order.sent_at)


@links.get("/{token}", response_model=LinkOrderRead)
def link_order(token: str, db: DbSession) -> LinkOrderRead:
    return _link_read(db, service.order_by_token(db=db, token=token))


@links.post("/{token}/status", response_model=LinkOrderRead)
def link_status(token: str, body: LinkStatusUpdate, db: DbSession) -> LinkOrderRead:
    """The receiver's own steps: 签收, 出发, 到场 (release is the command's)."""
    order = service.advance_by_token(db=db, token=token, to=body.to, by=body.by, note_text=body.note)
    return _link_read(db, order)


router = APIRouter()
router.include_router(incidents)
router.include_router(links)
