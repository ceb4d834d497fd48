"""Input and output of the command workspace and dispatch API (public, like ``schemas``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from yingji.core.validation import RecordId
from yingji.incidents.schemas import TimelineRead

Version = Field(ge=1, le=1_000_000_000, strict=True)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ResponseRequest(Strict):
    action: Literal["start", "raise", "lower", "end"]
    level: Literal["I", "II", "III", "IV", ""] = ""
    decided_by: str = Field("", max_length=80, description="决定的指挥长或领导；空：记录人本人")
    reason: str = Field("", max_length=300)
    version: int = Version


class AreaRequest(Strict):
    area: dict[str, Any] | None = Field(description="GeoJSON Polygon geometry, [lon, lat]; null clears it")
    note: str = Field("", max_length=300)
    version: int = Version


class MessageCreate(Strict):
    text: str = Field(min_length=1, max_length=2000)


class TaskCreate(Strict):
    title: str = Field(min_length=1, max_length=200)
    assignee_kind: Literal["department", "team", "township"]
    assignee: str = Field(min_length=1, max_length=100)
    due_at: datetime | None = None
    detail: str = Field("", max_length=2000)


class TaskStatusUpdate(Strict):
    status: Literal["open", "in_progress", "done", "cancelled"]
    note: str = Field("", max_length=300)
    version: int = Version


class SitrepCreate(Strict):
    title: str = Field("", max_length=200)
    body: str = Field(min_length=1, max_length=20_000)


class TeamOrderCreate(Strict):
    team_id: RecordId = Field(strict=True)
    instructions: str = Field("", max_length=1000)


class MaterialLine(Strict):
    material_id: RecordId = Field(strict=True)
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=3)


class MaterialOrderCreate(Strict):
    warehouse_id: RecordId = Field(strict=True)
    lines: list[MaterialLine] = Field(min_length=1, max_length=100)
    instructions: str = Field("", max_length=1000)


class ShelterOrderCreate(Strict):
    shelter_id: RecordId = Field(strict=True)
    instructions: str = Field("", max_length=1000)


class OrderStatusUpdate(Strict):
    to: Literal["acknowledged", "en_route", "on_scene", "released"]
    note: str = Field("", max_length=300)
    version: int | None = Field(None, ge=1, strict=True)
    return_materials: bool = Field(True, strict=True, description="解除物资指令时未用物资退库（冲销出库单）")


class LinkStatusUpdate(Strict):
    to: Literal["acknowledged", "en_route", "on_scene"]
    by: str = Field("", max_length=80, description="签收人")
    note: str = Field("", max_length=300)


class EvacueeCreate(Strict):
    people: int = Field(ge=1, le=100_000, strict=True)
    name: str = Field("", max_length=100)
    origin: str = Field("", max_length=200)
    over_capacity_reason: str = Field("", max_length=300, description="超容安置的理由；不填则不得超过容量")


class CommandRead(Read):
    response_level: str
    response_started_at: datetime | None
    response_ended_at: datetime | None
    area: dict[str, Any] | None
    area_note: str
    area_by: str
    area_at: datetime | None
    version: int


class ResponseChangeRead(Read):
    id: int
    action: str
    old_level: str
    new_level: str
    decided_by: str
    recorded_by: str
    at: datetime
    reason: str


class TaskRead(Read):
    id: int
    incident_id: int
    title: str
    detail: str
    assignee_kind: str
    assignee: str
    due_at: datetime | None
    status: str
    status_note: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    version: int


class SitrepRead(Read):
    id: int
    incident_id: int
    number: int
    title: str
    body: str
    signed_by: str
    signed_at: datetime


class OrderStepRead(Read):
    from_status: str
    to_status: str
    at: datetime
    by: str
    via: str
    note: str


class OrderRead(Read):
    id: int
    incident_id: int
    number: int
    kind: str
    receiver: str
    team_id: int | None
    warehouse_id: int | None
    shelter_id: int | None
    document_id: int | None
    return_document_id: int | None
    lines: list[dict[str, Any]]
    travel_time_s: int | None
    instructions: str
    status: str
    sent_at: datetime
    sent_by: str
    acknowledged_at: datetime | None
    acknowledged_by: str
    en_route_at: datetime | None
    on_scene_at: datetime | None
    released_at: datetime | None
    escalated_at: datetime | None
    version: int


class OrderDetail(OrderRead):
    steps: list[OrderStepRead]


class OrderSent(BaseModel):
    order: OrderRead
    status_link: str = Field(description="接收方的状态链接（无需登录），只显示这一次")


class LinkOrderRead(BaseModel):
    """What the receiver's status link shows: the order, nothing else of the incident."""

    number: int
    kind: str
    receiver: str
    incident_title: str
    instructions: str
    status: str
    sent_at: datetime


class EvacueeRead(Read):
    id: int
    order_id: int
    shelter_id: int
    people: int
    name: str
    origin: str
    registered_at: datetime
    registered_by: str
    over_capacity_reason: str


class WorkspaceRead(BaseModel):
    incident_id: int
    version: int
    command: CommandRead | None
    responses: list[ResponseChangeRead]
    tasks: list[TaskRead]
    sitreps: list[SitrepRead]
    orders: list[OrderRead]
    timeline: list[TimelineRead]
    timeline_total: int
