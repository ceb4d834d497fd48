"""Tables of drill runs (情景构建 / 桌面推演): a scenario run through the real pipeline in drill mode, one
row per step with when it started and finished, for the evaluation against the scenario's targets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yingji.core.db import Base, UTCDateTime


class DrillRun(Base):
    __tablename__ = "inc_drill_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario: Mapped[str] = mapped_column(String(64))  # the scenario file's code
    title: Mapped[str] = mapped_column(String(200))
    plan_drill_id: Mapped[int | None] = mapped_column(Integer, index=True)  # the plans capability's 演练 record
    status: Mapped[str] = mapped_column(String(16), index=True)  # running / finished
    incident_id: Mapped[int | None] = mapped_column(Integer)
    warning_id: Mapped[int | None] = mapped_column(Integer)
    # What the steps made: sensor codes, alarm ids, order ids, the team's travel time …
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_by: Mapped[int | None] = mapped_column(Integer)
    started_by_name: Mapped[str] = mapped_column(String(100), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DrillStep(Base):
    __tablename__ = "inc_drill_steps"
    __table_args__ = (UniqueConstraint("run_id", "position", name="uq_inc_drill_steps_position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("inc_drill_runs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # readings / warning / sign_warning / incident / dispatch
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))  # waiting / done
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by: Mapped[str] = mapped_column(String(100), default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
