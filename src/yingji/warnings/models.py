"""Tables of warning publication: warnings (one row per CAP message), receiving points, subscribers,
deliveries and their attempts."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from yingji.core.db import Base, UTCDateTime


class WarningMessage(Base):
    """One message: an Alert, or an Update/Cancel that references the message before it."""

    __tablename__ = "warnings"
    __audit_exclude__ = {"source_xml"}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identifier: Mapped[str | None] = mapped_column(String(120), unique=True)  # set at publication
    sender: Mapped[str] = mapped_column(String(120))
    msg_type: Mapped[str] = mapped_column(String(8), default="Alert")
    status: Mapped[str] = mapped_column(String(16), index=True)
    origin: Mapped[str] = mapped_column(String(10), default="local")  # local / upstream
    event_type: Mapped[str] = mapped_column(String(32), index=True)
    level: Mapped[str] = mapped_column(String(8))
    headline: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    instruction: Mapped[str] = mapped_column(Text, default="")
    effective: Mapped[datetime] = mapped_column(UTCDateTime)
    expires: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # As entered: {"polygon": [[lon, lat], ...]} | {"circle": {...}} | {"regions": [codes]}
    area: Mapped[dict[str, Any]] = mapped_column(JSON)
    area_geometry: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # GeoJSON (WGS84) of the whole area
    area_desc: Mapped[str] = mapped_column(String(500), default="")
    village_codes: Mapped[list[str]] = mapped_column(JSON, default=list)  # villages the area touches
    region_path: Mapped[str] = mapped_column(String(400), index=True)  # smallest region holding the area
    touches_district: Mapped[bool] = mapped_column(default=True)
    department: Mapped[str] = mapped_column(String(100), default="")
    references_id: Mapped[int | None] = mapped_column(ForeignKey("warnings.id", ondelete="RESTRICT"), index=True)
    chain_id: Mapped[int | None] = mapped_column(Integer, index=True)  # id of the first message of the chain
    references_text: Mapped[str] = mapped_column(Text, default="")  # upstream references, as received
    upstream_sender: Mapped[str] = mapped_column(String(200), default="")
    upstream_identifier: Mapped[str | None] = mapped_column(String(200), index=True)
    source_format: Mapped[str] = mapped_column(String(10), default="")  # cap / national
    source_xml: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(Integer)
    approver_id: Mapped[int | None] = mapped_column(Integer)
    publisher_id: Mapped[int | None] = mapped_column(Integer)
    review_note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # A drill warning (演练): published only to a named test audience, never public, never in the feed.
    drill: Mapped[bool] = mapped_column(default=False, index=True)


class ReceivingPoint(Base):
    """A place that receives warnings for the people around it: a village loudspeaker, a school, a
    hospital, a public screen. Addresses per channel; the first is the preferred channel."""

    __tablename__ = "warning_points"
    __table_args__ = (Index("ix_warning_points_lon_lat", "lon", "lat"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(200))
    village_code: Mapped[str | None] = mapped_column(String(32), index=True)
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    contacts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # {"loudspeaker": url, "sms": phone}
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


# The subscribers' grid: cells of 1/CELLS_PER_DEGREE degree (0.002°, about 200 m here), numbered
# ``column * CELL_ROW + row`` so that a run of cells of one column is a range of numbers. Resolution counts
# and reads the cells wholly inside an area by ranges of the index, and tests exactly only the points of
# the cells its edge crosses (``service.cells``).
CELLS_PER_DEGREE = 500
CELL_ROW = 1_000_000  # more rows than the 90,000 of a column


def cell_of(lon: float | None, lat: float | None) -> int | None:
    """The grid cell holding (lon, lat); the migration's backfill computes the same in SQL."""
    if lon is None or lat is None:
        return None
    return math.floor((lon + 180.0) * CELLS_PER_DEGREE) * CELL_ROW + math.floor((lat + 90.0) * CELLS_PER_DEGREE)


def _cell_default(context: Any) -> int | None:
    params = context.get_current_parameters()
    return cell_of(params.get("lon"), params.get("lat"))


class Subscriber(Base):
    """A resident who asked for warnings by SMS: a phone, a location or villages, and warning types."""

    __tablename__ = "warning_subscribers"
    __audit__ = False  # tens of thousands of rows; the phone is personal data kept out of the audit log
    __table_args__ = (
        # Resolution reads only these: range scans of the index on the cells of the area, never the table
        # (looking each candidate up in the table cost ten times the scan on SQLite).
        Index("ix_warning_subscribers_cell", "cell", "status", "event_types", "phone", "village_code", "lon", "lat"),
        # The rows whose phone another row has, the only ones whose phones the count must read and compare
        # (``recipients.count_subscribed``); a tenth of the rows in the benchmark, where 1 point in 20 shares.
        Index("ix_warning_subscribers_shared", "cell", "status", "event_types", "phone",
              # as SQLAlchemy renders ``not_(phone_alone)`` on each engine: the planner must see them alike
              sqlite_where=text("phone_alone = 0"), postgresql_where=text("NOT phone_alone")),
        UniqueConstraint("phone", "village_code", name="uq_warning_subscribers_phone_village"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(14), index=True)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    # Follows (lon, lat): the column default for bulk inserts, the mapper events below for the ORM's.
    cell: Mapped[int | None] = mapped_column(BigInteger, default=_cell_default)
    # The village subscribed to (one row per village of a sign-up); with a location, the village holding it.
    village_code: Mapped[str | None] = mapped_column(String(32), index=True)
    # The warning types asked for, comma-wrapped (",rainstorm,typhoon,") so SQL can filter; "" = every type.
    event_types: Mapped[str] = mapped_column(String(400), default="")
    # No other row has this phone (as a number: "0139…" is "139…"): the count of different phones counts
    # the row without reading its phone. True only while it holds; kept by ``service.lone_phones``.
    phone_alone: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    code_hash: Mapped[str | None] = mapped_column(String(128))
    code_expires: Mapped[datetime | None] = mapped_column(UTCDateTime)
    code_attempts: Mapped[int] = mapped_column(Integer, default=0)
    unsubscribe_token: Mapped[str] = mapped_column(String(64), index=True)  # shared by one sign-up's rows
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@event.listens_for(Subscriber, "before_insert")
@event.listens_for(Subscriber, "before_update")
def _set_cell(_mapper: Any, _connection: Any, target: Subscriber) -> None:
    # A sign-up again with another location moves the row (``subscriptions``): its cell moves with it.
    target.cell = cell_of(target.lon, target.lat)


# Rows a worker may still claim (the claim repeats this term so that both engines use the partial index).
_OPEN = text("status IN ('pending', 'sending')")


class Delivery(Base):
    """One message to one recipient on one channel. Written at publication (same transaction), then
    claimed and sent by delivery workers. (warning, channel, address) is unique: never twice."""

    __tablename__ = "warning_deliveries"
    __audit__ = False  # one row per recipient and channel: hundreds of thousands
    __table_args__ = (
        UniqueConstraint("warning_id", "channel", "address", name="uq_warning_deliveries_target"),
        # A recipient's rows of one warning (first choice and fallbacks): "already reached?" on each send.
        Index("ix_warning_deliveries_recipient", "warning_id", "recipient_ref"),
        # The rows still to send, in id order: the claim's walk (migration warnings_0007).
        Index("ix_warning_deliveries_open", "id", postgresql_where=_OPEN, sqlite_where=_OPEN),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # No index of its own, nor on status or village: the unique key and the (warning, recipient) index lead
    # with warning_id, and every extra index is one more write for each row inserted, claimed and sent
    # (migration warnings_0009).
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id", ondelete="CASCADE"))
    recipient_kind: Mapped[str] = mapped_column(String(16))
    recipient_ref: Mapped[str] = mapped_column(String(40))  # "subscriber:12", "person:3", "point:7", …
    name: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(300))
    # People one message reaches when more than one: an area broadcast's population (NULL: one recipient).
    reach: Mapped[int | None] = mapped_column(Integer)
    fallbacks: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # other channels of this recipient
    fallback_of: Mapped[int | None] = mapped_column(Integer)
    village_code: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    available_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_by: Mapped[str | None] = mapped_column(String(80))
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    receipt: Mapped[str | None] = mapped_column(String(300))
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WarningCoverage(Base):
    """Running figures of one published warning, changed in the transaction of every change of its
    delivery rows (``service/tally.py``), so the dashboard reads one row per warning instead of scanning
    the deliveries. ``expanding`` from publication until the worker has written every delivery row (in
    chunks); ``expected``: the recipients (targets) that worker found, 0 while it has not searched yet."""

    __tablename__ = "warning_coverage"
    __audit__ = False  # changed on every delivery

    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id", ondelete="CASCADE"), primary_key=True)
    expected: Mapped[int] = mapped_column(Integer, default=0)
    recipients: Mapped[int] = mapped_column(Integer, default=0)  # recipients with a delivery row
    reached: Mapped[int] = mapped_column(Integer, default=0)  # recipients with a sent row (any channel)
    expanding: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChannelCount(Base):
    """Delivery rows of one warning on one channel by status; sent + failed + pending = targeted
    (pending: waiting, being sent or waiting for a retry)."""

    __tablename__ = "warning_channel_counts"
    __audit__ = False

    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id", ondelete="CASCADE"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    targeted: Mapped[int] = mapped_column(Integer, default=0)
    fallback: Mapped[int] = mapped_column(Integer, default=0)
    sent: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    pending: Mapped[int] = mapped_column(Integer, default=0)


class DeliveryAttempt(Base):
    __tablename__ = "warning_delivery_attempts"
    __audit__ = False

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("warning_deliveries.id", ondelete="CASCADE"), index=True)
    worker: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    ok: Mapped[bool] = mapped_column(default=False)
    receipt: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(String(500))


class AlarmDraft(Base):
    """A draft opened from a monitoring alarm by a configured rule: one per alarm, however often it rises."""

    __tablename__ = "warnings_alarm_drafts"

    alarm_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # monitoring's alarm id (no foreign key)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
