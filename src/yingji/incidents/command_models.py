"""Tables of the command workspace and dispatch (指挥调度): the incident's command state (response level,
drawn affected area), the response-level history, tasks to departments and teams, numbered signed
situation reports, dispatch orders with every step of their status, and evacuees registered per shelter.
Teams, warehouses, stock documents and shelters belong to resources: they are referenced by id only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from yingji.core.db import Base, UTCDateTime
from yingji.incidents.report_models import AffectedArea


class CommandState(Base):
    """One row per commanded incident: the response level in force and the drawn affected area."""

    __tablename__ = "inc_command"

    incident_id: Mapped[int] = mapped_column(ForeignKey("inc_incidents.id"), primary_key=True)
    response_level: Mapped[str] = mapped_column(String(3), default="")  # I–IV, "" none in force
    response_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    area_note: Mapped[str] = mapped_column(String(300), default="")
    area_by: Mapped[str] = mapped_column(String(80), default="")
    area_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Its own version: two officers changing the level or the area at once get a conflict, never an overwrite.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The drawn area itself is stored once, in ``inc_affected_areas`` (the impact estimate, the report's map
    # and the workspace read the same row); the command keeps who drew it, the note and the version.
    affected: Mapped[AffectedArea | None] = relationship(
        primaryjoin=lambda: foreign(AffectedArea.incident_id) == CommandState.incident_id,
        viewonly=True, uselist=False, lazy="select")

    @property
    def area(self) -> dict[str, Any] | None:
        return self.affected.geometry if self.affected is not None else None


class ResponseChange(Base):
    """The response level started, raised, lowered or ended: who decided and when."""

    __tablename__ = "inc_response_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("inc_incidents.id"), index=True)
    action: Mapped[str] = mapped_column(String(8))  # start | raise | lower | end
    old_level: Mapped[str] = mapped_column(String(3), default="")
    new_level: Mapped[str] = mapped_column(String(3), default="")
    decided_by: Mapped[str] = mapped_column(String(80))  # the commander who decided, as named
    recorded_by: Mapped[str] = mapped_column(String(80))  # the account that recorded it
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(300), default="")


class Task(Base):
    """A task given to a department, a team or a township, with a deadline and a status."""

    __tablename__ = "inc_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("inc_incidents.id"), index=True)
    region_path: Mapped[str] = mapped_column(String(400), index=True)  # the incident's
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")
    assignee_kind: Mapped[str] = mapped_column(String(12))  # department | team | township
    assignee: Mapped[str] = mapped_column(String(100))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | in_progress | done | cancelled
    status_note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer, default=1)


class Sitrep(Base):
    """态势/简报: numbered per incident (第 1 期, 第 2 期 …) and signed by the officer who issued it."""

    __tablename__ = "inc_sitreps"
    __table_args__ = (UniqueConstraint("incident_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("inc_incidents.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    signed_by_id: Mapped[int | None] = mapped_column(Integer)
    signed_by: Mapped[str] = mapped_column(String(80))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DispatchOrder(Base):
    """调度指令: a team sent, materials requested from a warehouse, or a shelter opened. Its status runs
    sent → acknowledged → en route → on scene → released (``order_status``); every step is kept."""

    __tablename__ = "inc_orders"
    __table_args__ = (UniqueConstraint("incident_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("inc_incidents.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    region_path: Mapped[str] = mapped_column(String(400), index=True)  # the incident's
    kind: Mapped[str] = mapped_column(String(10))  # team | material | shelter
    receiver: Mapped[str] = mapped_column(String(200))  # the team, warehouse or shelter, as named
    team_id: Mapped[int | None] = mapped_column(Integer, index=True)
    warehouse_id: Mapped[int | None] = mapped_column(Integer)
    shelter_id: Mapped[int | None] = mapped_column(Integer, index=True)
    document_id: Mapped[int | None] = mapped_column(Integer)  # the issue document posted in the ledger
    return_document_id: Mapped[int | None] = mapped_column(Integer)  # its reversal, when returned on release
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{material_id, name, quantity}]
    travel_time_s: Mapped[int | None] = mapped_column(Integer)
    instructions: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="sent", index=True)
    # What the team or shelter was before the order, so that release puts it back.
    previous_state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)  # the receiver's status link
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    sent_by: Mapped[str] = mapped_column(String(80))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str] = mapped_column(String(80), default="")
    en_route_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    on_scene_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # told the duty room: not acknowledged
    version: Mapped[int] = mapped_column(Integer, default=1)


class OrderStep(Base):
    """One step of an order's status: from, to, who (an account, or the receiver's link) and when."""

    __tablename__ = "inc_order_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("inc_orders.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(12), default="")
    to_status: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(80))
    via: Mapped[str] = mapped_column(String(8))  # account | link | system
    note: Mapped[str] = mapped_column(String(300), default="")


class Evacuee(Base):
    """People registered at a shelter for an incident (a household or a group); above the shelter's
    capacity only with an override reason, kept on the row with who gave it."""

    __tablename__ = "inc_evacuees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("inc_incidents.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("inc_orders.id"), index=True)  # the shelter's opening
    shelter_id: Mapped[int] = mapped_column(Integer, index=True)
    people: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100), default="")  # the household head or group
    origin: Mapped[str] = mapped_column(String(200), default="")  # the village they came from
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registered_by: Mapped[str] = mapped_column(String(80))
    over_capacity_reason: Mapped[str] = mapped_column(String(300), default="")
